//! Who the clients are: names, ids, industries, owners, start dates and starting tiers, and the
//! client row derived from each one's simulated history.
use super::calendar::{at, days_between, midnight_unix, plus_days};
use super::names::{CSMS, INDUSTRIES, LEGAL_SUFFIXES, NAME_HEADS, NAME_KINDS, NAME_TAILS};
use super::random::Dice;
use super::DemoParams;
use crate::domain::ids::{generate_client_id, with_suffix};
use crate::domain::{Client, ClientStatus, LifecycleStage, Money, Tier};
use chrono::NaiveDate;
use std::collections::HashSet;

/// Everything about a client fixed before its history is simulated.
#[derive(Clone, Debug)]
pub(super) struct Identity {
    pub id: String,
    pub name: String,
    pub company_name: String,
    /// Email domain, e.g. `bluestoneanalytics.com`.
    pub domain: String,
    pub industry: &'static str,
    pub csm: &'static str,
    pub since: NaiveDate,
    /// Tier rank of the first contract.
    pub start_rank: i32,
    /// Acquisition cost as a share of first-year ARR; `None` where it was never recorded.
    pub cac_ratio: Option<f64>,
    /// Seed of the client's own random stream.
    pub seed: u64,
}

/// Customers joined over the five years before `as_of`.
const HISTORY_DAYS: i64 = 5 * 365;

/// `params.clients` identities, oldest customer first, with unique ids.
pub(super) fn identities(dice: &mut Dice, params: &DemoParams) -> Vec<Identity> {
    let mut taken = HashSet::with_capacity(params.clients);
    let mut all: Vec<Identity> = (0..params.clients)
        .map(|_| {
            let name = format!(
                "{}{} {}",
                dice.pick(NAME_HEADS),
                dice.pick(NAME_TAILS),
                dice.pick(NAME_KINDS)
            );
            let company_name = format!("{name} {}", dice.pick(LEGAL_SUFFIXES));
            let since = plus_days(params.as_of, -dice.int(0, HISTORY_DAYS));
            let base = generate_client_id(&company_name, midnight_unix(since));
            let id = (1..)
                .map(|attempt| with_suffix(&base, attempt))
                .find(|id| !taken.contains(id))
                .expect("unbounded");
            taken.insert(id.clone());
            let domain: String = name
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_lowercase();
            Identity {
                id,
                company_name,
                domain: format!("{domain}.com"),
                name,
                industry: dice.weighted(INDUSTRIES),
                csm: dice.pick::<&str>(CSMS),
                since,
                start_rank: dice.weighted(&[(1, 0.35), (2, 0.35), (3, 0.2), (4, 0.1)]),
                cac_ratio: dice.chance(0.9).then(|| dice.uniform(0.3, 1.2)),
                seed: dice.seed(),
            }
        })
        .collect();
    // Oldest first, so CNT-1 is among the first contracts ever signed.
    all.sort_by(|a, b| (a.since, &a.id).cmp(&(b.since, &b.id)));
    all
}

/// The stage a CSM would put the client in, from its data at `as_of`, first match wins.
pub(super) fn lifecycle(
    churned: bool,
    since: NaiveDate,
    as_of: NaiveDate,
    latest_health: Option<f64>,
    open_renewal: Option<NaiveDate>,
    open_opportunity: bool,
) -> LifecycleStage {
    if churned {
        LifecycleStage::Churned
    } else if days_between(since, as_of) < 90 {
        LifecycleStage::Onboarding
    } else if latest_health.is_some_and(|h| h < 60.0) {
        LifecycleStage::AtRisk
    } else if open_renewal.is_some_and(|d| days_between(as_of, d) <= 90) {
        LifecycleStage::Renewal
    } else if open_opportunity {
        LifecycleStage::Expansion
    } else {
        LifecycleStage::Active
    }
}

/// The client row at the end of its history.
pub(super) fn client_row(
    who: &Identity,
    tier_rank: i32,
    status: ClientStatus,
    stage: LifecycleStage,
    first_arr: Money,
    last_change: NaiveDate,
) -> Client {
    Client {
        id: who.id.clone(),
        name: who.name.clone(),
        company_name: who.company_name.clone(),
        industry: who.industry.to_owned(),
        tier: Tier::ALL[(tier_rank - 1) as usize],
        lifecycle_stage: stage,
        status,
        csm_owner: Some(who.csm.to_owned()),
        customer_since: who.since,
        // Whole dollars: nobody books acquisition cost to the cent.
        acquisition_cost: who
            .cac_ratio
            .map(|r| Money::from_major((first_arr.cents() as f64 * r / 100.0).round() as i64)),
        created_at: at(who.since, 9),
        updated_at: at(last_change, 9),
        version: 1,
    }
}
