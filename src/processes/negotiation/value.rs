//! The words of the package, each written from the client's numbers: the value delivered, the
//! risks 118 sees, and the talking points.
use super::{NegotiationInput, NegotiationPackage, NegotiationStrategy};
use crate::domain::{HealthTrend, Money, UsageSnapshot};
use crate::processes::forecast::features::latest;
use crate::processes::forecast::{risk_flags, ForecastCategory, RiskFactorKind};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One fact of the value delivered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValuePoint {
    /// health, user_growth, seat_utilization, adoption, arr_growth or tenure.
    pub topic: String,
    pub statement: String,
}

/// One risk to address in the conversation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RiskSignal {
    /// A 118 risk factor (low_health, …), at_risk, declining_users or model_factor.
    pub signal: String,
    pub detail: String,
}

fn point(topic: &str, statement: String) -> ValuePoint {
    ValuePoint {
        topic: topic.to_owned(),
        statement,
    }
}

fn percent(fraction: f64) -> String {
    format!("{:.1}%", fraction * 100.0)
}

fn signed_percent(fraction: f64) -> String {
    format!("{}{:.1}%", if fraction >= 0.0 { "+" } else { "" }, fraction * 100.0)
}

/// Active users at the start of the contract (latest snapshot on or before its start, else the
/// first after it) and now (latest on or before as_of); `None` without two distinct snapshots.
fn user_change(input: &NegotiationInput, as_of: NaiveDate) -> Option<(&UsageSnapshot, &UsageSnapshot)> {
    let key = |u: &UsageSnapshot| (u.period_start, u.id);
    let now = latest(&input.usage, as_of, key)?;
    let start = input.contract.start_date;
    let then = latest(&input.usage, start, key).or_else(|| {
        let after = input
            .usage
            .iter()
            .filter(|u| u.period_start > start && u.period_start <= as_of);
        after.min_by_key(|u| key(u))
    })?;
    (then.id != now.id && then.active_users > 0).then_some((then, now))
}

/// Ledger ARR after the first day with events, and on as_of.
fn arr_growth(input: &NegotiationInput, as_of: NaiveDate) -> Option<(NaiveDate, Money, Money)> {
    let first_day = input.revenue_events.iter().map(|e| e.occurred_on).min()?;
    let on = |day: NaiveDate| {
        input
            .revenue_events
            .iter()
            .filter(|e| e.occurred_on <= day)
            .map(|e| e.arr_delta)
            .sum()
    };
    let (first, now): (Money, Money) = (on(first_day), on(as_of));
    (first.cents() > 0 && first_day <= as_of).then_some((first_day, first, now))
}

/// Sentences with numbers about the value delivered; topics without data are left out, and
/// falling numbers go to the risk signals instead.
pub fn value_proposition(input: &NegotiationInput, as_of: NaiveDate) -> Vec<ValuePoint> {
    let mut points = Vec::new();
    if let Some(h) = latest(&input.health, as_of, |h| (h.as_of, h.id)) {
        let trend = match h.trend {
            HealthTrend::Improving => "and improving",
            HealthTrend::Stable => "and stable",
            HealthTrend::Declining => "though declining",
        };
        points.push(point(
            "health",
            format!("Health score {:.1} on {} {trend}.", h.overall_score, h.as_of),
        ));
    }
    if let Some((then, now)) = user_change(input, as_of) {
        let growth = now.active_users as f64 / then.active_users as f64 - 1.0;
        if growth > 0.0 {
            points.push(point(
                "user_growth",
                format!(
                    "Active users grew from {} to {} ({}) since the contract started on {}.",
                    then.active_users,
                    now.active_users,
                    signed_percent(growth),
                    input.contract.start_date
                ),
            ));
        }
    }
    if let Some(u) = latest(&input.usage, as_of, |u| (u.period_start, u.id)) {
        if u.seats_licensed > 0 {
            let utilization = u.active_users as f64 / u.seats_licensed as f64;
            let statement = format!(
                "{} of {} licensed seats in use ({}).",
                u.active_users,
                u.seats_licensed,
                percent(utilization)
            );
            points.push(point("seat_utilization", statement));
        }
        points.push(point(
            "adoption",
            format!("{} of the product's features adopted.", percent(u.feature_adoption)),
        ));
    }
    if let Some((since, first, now)) = arr_growth(input, as_of).filter(|(_, first, now)| now > first) {
        let growth = now.cents() as f64 / first.cents() as f64 - 1.0;
        points.push(point(
            "arr_growth",
            format!(
                "ARR grew from {} to {} ({}) since {since}.",
                first.text(),
                now.text(),
                signed_percent(growth)
            ),
        ));
    }
    let tenure_days = (as_of - input.client.customer_since).num_days();
    if tenure_days > 0 {
        points.push(point(
            "tenure",
            format!(
                "A customer for {:.1} years, since {}.",
                tenure_days as f64 / 365.25,
                input.client.customer_since
            ),
        ));
    }
    points
}

/// The risks behind the 118 probability, with their numbers.
pub fn risk_signals(input: &NegotiationInput, as_of: NaiveDate) -> Vec<RiskSignal> {
    let prediction = &input.prediction;
    let f = &prediction.features;
    let mut signals = Vec::new();
    let mut push = |signal: &str, detail: String| {
        signals.push(RiskSignal {
            signal: signal.to_owned(),
            detail,
        })
    };
    if prediction.category == ForecastCategory::AtRisk {
        push(
            "at_risk",
            format!("Renewal probability {:.2} is below 0.60.", prediction.probability),
        );
    }
    for flag in risk_flags(f) {
        let detail = match flag {
            RiskFactorKind::LowHealth => format!("Health score {:.1} is below 60.", f.health_score.unwrap_or_default()),
            RiskFactorKind::LowUsage => {
                format!(
                    "Usage is {} of the plan, below 50%.",
                    percent(f.usage_rate.unwrap_or_default())
                )
            }
            RiskFactorKind::PaymentIssues => format!("Payment status is {}.", input.contract.payment_status),
            RiskFactorKind::LowEngagement => format!(
                "Only {} of seats are in use, below 50%.",
                percent(f.seat_utilization.unwrap_or_default())
            ),
            RiskFactorKind::DecliningHealth => "Health fell more than 3 points since the previous snapshot.".to_owned(),
            RiskFactorKind::ManualRenewal => "The contract does not auto-renew.".to_owned(),
        };
        push(flag.as_str(), detail);
    }
    if let Some((then, now)) = user_change(input, as_of).filter(|(then, now)| now.active_users < then.active_users) {
        let change = now.active_users as f64 / then.active_users as f64 - 1.0;
        push(
            "declining_users",
            format!(
                "Active users fell from {} to {} ({}) since the contract started.",
                then.active_users,
                now.active_users,
                signed_percent(change)
            ),
        );
    }
    for factor in prediction.factors.iter().filter(|factor| factor.value < 0.0) {
        push(
            "model_factor",
            format!("Lowers the renewal odds: {}.", factor.description),
        );
    }
    signals
}

/// Talking points from the package's numbers.
pub fn talking_points(p: &NegotiationPackage) -> Vec<String> {
    let g = &p.guardrails;
    let proposal = &p.proposal;
    let mut points = vec![if proposal.uplift > 0.0 {
        format!(
            "Propose renewing at {} per year: the current {} plus a {} uplift.",
            proposal.base_renewal.text(),
            p.current_contract.arr.text(),
            percent(proposal.uplift)
        )
    } else {
        format!(
            "Propose renewing at the current {} per year, with no price change.",
            proposal.base_renewal.text()
        )
    }];
    if !proposal.expansion_options.is_empty() {
        let names: Vec<&str> = proposal.expansion_options.iter().map(|o| o.name.as_str()).collect();
        points.push(format!(
            "Add {} expansion option{} worth {} ({}) for a total of {} per year.",
            names.len(),
            if names.len() == 1 { "" } else { "s" },
            proposal.expansion_value.text(),
            names.join(", "),
            proposal.total_proposed_arr.text()
        ));
    }
    if let Some(first) = p.value_proposition.first() {
        let rest: Vec<&str> = p
            .value_proposition
            .iter()
            .skip(1)
            .take(2)
            .map(|v| v.statement.as_str())
            .collect();
        points.push(
            format!("Lead with the value delivered: {} {}", first.statement, rest.join(" "))
                .trim_end()
                .to_owned(),
        );
    }
    points.push(match p.strategy {
        NegotiationStrategy::ValueReinforcement => {
            "Tie the price to the outcomes above before discussing terms.".to_owned()
        }
        NegotiationStrategy::CompetitiveDefense => format!(
            "Defend the account: hold price and use up to {} discount only against a concrete competing offer.",
            percent(g.max_discount)
        ),
        NegotiationStrategy::ExpansionBundle => {
            "Present the expansion options as one bundle priced with the renewal.".to_owned()
        }
    });
    // Only terms within the guardrails are proposed; the others are named as needing approval.
    let (within, beyond): (Vec<_>, Vec<_>) = p
        .term_options
        .iter()
        .filter(|t| t.discount > 0.0)
        .partition(|t| t.within_guardrails);
    for t in within {
        points.push(format!(
            "Offer {} months at {} off: {} per year, {} over the term.",
            t.months,
            percent(t.discount),
            t.annual_arr.text(),
            t.total_contract_value.text()
        ));
    }
    if !beyond.is_empty() {
        let terms: Vec<String> = beyond
            .iter()
            .map(|t| {
                format!(
                    "{} months at {} off ({} per year)",
                    t.months,
                    percent(t.discount),
                    t.annual_arr.text()
                )
            })
            .collect();
        points.push(format!(
            "Do not offer {} without ADMIN approval: {} beyond the {} maximum discount.",
            terms.join(" or "),
            if beyond.len() == 1 { "it goes" } else { "they go" },
            percent(g.max_discount)
        ));
    }
    if let Some(risk) = p.risk_signals.iter().find(|r| r.signal != "model_factor") {
        points.push(format!("Address the risk first: {}", risk.detail));
    }
    points.push(format!(
        "Walk-away floor: {} per year ({} maximum discount{}); anything lower needs ADMIN approval.",
        g.minimum_acceptable_arr.text(),
        percent(g.max_discount),
        if g.at_risk {
            ", widened because the renewal is at risk"
        } else {
            ""
        }
    ));
    points
}
