//! Rows → domain records, through the same validated inputs as the mutations (`domain::inputs`,
//! `domain::pipeline`): one rule, one place. What only history has (closed renewals, won
//! opportunities, contract status) is checked here.
use super::fields::{self, Reader};
use super::report::{At, RowError};
use super::source::SourceFile;
use super::Entity;
use crate::domain::health::{HealthComponents, HealthWeights};
use crate::domain::inputs::*;
use crate::domain::pipeline::OpportunityForCreate;
use crate::domain::validate::{float_range, Checks};
use crate::domain::*;
use crate::error::Error;
use chrono::{DateTime, Utc};

/// A record and the row it came from.
#[derive(Clone, Debug)]
pub struct Located<T> {
    pub at: At,
    pub value: T,
}

/// Everything the files hold, each record with its row.
#[derive(Clone, Debug, Default)]
pub struct Incoming {
    pub products: Vec<Located<Product>>,
    pub clients: Vec<Located<Client>>,
    pub contacts: Vec<Located<Contact>>,
    pub contracts: Vec<Located<Contract>>,
    pub contract_items: Vec<Located<ContractItem>>,
    pub usage: Vec<Located<UsageSnapshot>>,
    pub health: Vec<Located<HealthSnapshot>>,
    pub renewals: Vec<Located<Renewal>>,
    pub opportunities: Vec<Located<Opportunity>>,
    pub revenue_events: Vec<Located<RevenueEvent>>,
    /// Rows read, good or bad.
    pub rows: u64,
}

/// The clock and configuration the records depend on.
#[derive(Clone, Copy, Debug)]
pub struct Context {
    pub now: DateTime<Utc>,
    pub weights: HealthWeights,
}

/// Parses every row of `files`; returns the good records and every problem found.
pub fn parse(files: &[SourceFile], ctx: &Context) -> (Incoming, Vec<RowError>) {
    let mut incoming = Incoming::default();
    let mut errors = Vec::new();
    for file in files {
        errors.extend(file.errors.iter().cloned());
        for row in &file.rows {
            incoming.rows += 1;
            let mut r = Reader::new(row);
            let at = row.at.clone();
            macro_rules! push {
                ($list:ident, $parse:expr) => {
                    if let Some(value) = $parse {
                        if r.errors.is_empty() {
                            incoming.$list.push(Located { at, value });
                        }
                    }
                };
            }
            match file.entity {
                Entity::Products => push!(products, product(&mut r)),
                Entity::Clients => push!(clients, client(&mut r, ctx)),
                Entity::Contacts => push!(contacts, contact(&mut r)),
                Entity::Contracts => push!(contracts, contract(&mut r)),
                Entity::ContractItems => push!(contract_items, contract_item(&mut r)),
                Entity::UsageSnapshots => push!(usage, usage(&mut r)),
                Entity::HealthSnapshots => push!(health, health(&mut r, ctx)),
                Entity::Renewals => push!(renewals, renewal(&mut r)),
                Entity::Opportunities => push!(opportunities, opportunity(&mut r, ctx)),
                Entity::RevenueEvents => push!(revenue_events, revenue_event(&mut r)),
            }
            errors.append(&mut r.errors);
        }
    }
    (incoming, errors)
}

fn product(r: &mut Reader) -> Option<Product> {
    let id = r.req("id", fields::text);
    let name = r.req("name", fields::text);
    let family = r.req("family", fields::text);
    let kind = r.req("kind", ProductKind::parse);
    let tier_rank = r.opt("tier_rank", fields::int);
    let pricing = r.req("pricing", Pricing::parse);
    let annual_price = r.req("annual_price", fields::money);
    let input = ProductForCreate {
        id: id?,
        name: name?,
        family: family?,
        kind: kind?,
        tier_rank: tier_rank?,
        pricing: pricing?,
        annual_price: annual_price?,
    };
    let p = r.validated(input.validate())?;
    Some(Product {
        id: p.id,
        name: p.name,
        family: p.family,
        kind: p.kind,
        tier_rank: p.tier_rank,
        pricing: p.pricing,
        annual_price: p.annual_price,
    })
}

fn client(r: &mut Reader, ctx: &Context) -> Option<Client> {
    let id = r.req("id", fields::text);
    let name = r.req("name", fields::text);
    let company_name = r.opt("company_name", fields::text);
    let industry = r.req("industry", fields::text);
    let tier = r.req("tier", Tier::parse);
    let lifecycle_stage = r.req("lifecycle_stage", LifecycleStage::parse);
    let status = r.req("status", ClientStatus::parse);
    let csm_owner = r.opt("csm_owner", fields::text);
    let customer_since = r.req("customer_since", fields::date);
    let acquisition_cost = r.opt("acquisition_cost", fields::money);
    let created_at = r.or("created_at", ctx.now, fields::timestamp);
    let input = ClientForCreate {
        id: Some(id?),
        name: name?,
        company_name: company_name?,
        industry: industry?,
        tier: tier?,
        lifecycle_stage: lifecycle_stage?,
        status: status?,
        csm_owner: csm_owner?,
        customer_since: customer_since?,
        acquisition_cost: acquisition_cost?,
    };
    let c = r.validated(input.validate())?;
    let created_at = created_at?;
    Some(Client {
        id: c.id.unwrap_or_default(),
        name: c.name,
        company_name: c.company_name.unwrap_or_default(),
        industry: c.industry,
        tier: c.tier,
        lifecycle_stage: c.lifecycle_stage,
        status: c.status,
        csm_owner: c.csm_owner,
        customer_since: c.customer_since,
        acquisition_cost: c.acquisition_cost,
        created_at,
        updated_at: created_at,
        version: 1,
    })
}

fn contact(r: &mut Reader) -> Option<Contact> {
    let client_id = r.req("client_id", fields::text);
    let name = r.req("name", fields::text);
    let email = r.req("email", fields::text);
    let role = r.req("role", ContactRole::parse);
    let is_primary = r.or("is_primary", false, fields::boolean);
    let input = ContactForCreate {
        client_id: client_id?,
        name: name?,
        email: email?,
        role: role?,
        is_primary: is_primary?,
    };
    let c = r.validated(input.validate())?;
    Some(Contact {
        id: 0,
        client_id: c.client_id,
        name: c.name,
        email: c.email,
        role: c.role,
        is_primary: c.is_primary,
    })
}

fn contract(r: &mut Reader) -> Option<Contract> {
    let id = r.req("id", fields::text);
    let client_id = r.req("client_id", fields::text);
    let contract_type = r.req("contract_type", ContractType::parse);
    let start_date = r.req("start_date", fields::date);
    let end_date = r.req("end_date", fields::date);
    let renewal_date = r.opt("renewal_date", fields::date);
    let auto_renew = r.or("auto_renew", false, fields::boolean);
    let notice_period_days = r.or("notice_period_days", 30, fields::int);
    let payment_status = r.or("payment_status", PaymentStatus::Current, PaymentStatus::parse);
    let seats = r.req("seats", fields::int);
    let discount = r.or("discount", 0.0, fields::float);
    let status = r.or("status", ContractStatus::Active, ContractStatus::parse);
    let id = id?;
    r.validated(crate::domain::ids::validate_client_id("id", &id))?;
    let input = ContractForCreate {
        client_id: client_id?,
        contract_type: contract_type?,
        start_date: start_date?,
        end_date: end_date?,
        renewal_date: renewal_date?,
        auto_renew: auto_renew?,
        notice_period_days: notice_period_days?,
        payment_status: payment_status?,
        seats: seats?,
        discount: discount?,
        items: Vec::new(),
    };
    let mut checks = Checks::default();
    input.check_terms(&mut checks);
    r.validated(checks.finish(()))?;
    Some(Contract {
        id,
        renewal_date: input.renewal_date.unwrap_or(input.end_date),
        client_id: input.client_id,
        contract_type: input.contract_type,
        start_date: input.start_date,
        end_date: input.end_date,
        auto_renew: input.auto_renew,
        notice_period_days: input.notice_period_days,
        payment_status: input.payment_status,
        seats: input.seats,
        discount: input.discount,
        status: status?,
    })
}

fn contract_item(r: &mut Reader) -> Option<ContractItem> {
    let contract_id = r.req("contract_id", fields::text);
    let product_id = r.req("product_id", fields::text);
    let quantity = r.req("quantity", fields::int);
    let arr = r.req("arr", fields::money);
    let item = ContractItemForCreate {
        product_id: product_id?,
        quantity: quantity?,
        arr: arr?,
    };
    let mut checks = Checks::default();
    item.check(&mut checks);
    r.validated(checks.finish(()))?;
    Some(ContractItem {
        id: 0,
        contract_id: contract_id?,
        product_id: item.product_id,
        quantity: item.quantity,
        arr: item.arr,
    })
}

fn usage(r: &mut Reader) -> Option<UsageSnapshot> {
    let client_id = r.req("client_id", fields::text);
    let period_start = r.req("period_start", fields::date);
    let seats_licensed = r.req("seats_licensed", fields::int);
    let active_users = r.req("active_users", fields::int);
    let usage_rate = r.req("usage_rate", fields::float);
    let feature_adoption = r.req("feature_adoption", fields::float);
    let api_calls = r.or("api_calls", 0, fields::long);
    let logins = r.or("logins", 0, fields::long);
    let reports_exported = r.or("reports_exported", 0, fields::long);
    let input = UsageForCreate {
        client_id: client_id?,
        period_start: period_start?,
        seats_licensed: seats_licensed?,
        active_users: active_users?,
        usage_rate: usage_rate?,
        feature_adoption: feature_adoption?,
        api_calls: api_calls?,
        logins: logins?,
        reports_exported: reports_exported?,
    };
    let u = r.validated(input.validate())?;
    Some(UsageSnapshot {
        id: 0,
        client_id: u.client_id,
        period_start: u.period_start,
        seats_licensed: u.seats_licensed,
        active_users: u.active_users,
        usage_rate: u.usage_rate,
        feature_adoption: u.feature_adoption,
        api_calls: u.api_calls,
        logins: u.logins,
        reports_exported: u.reports_exported,
    })
}

const COMPONENTS: [&str; 5] = [
    "usage_score",
    "engagement_score",
    "support_score",
    "satisfaction_score",
    "payment_score",
];

/// A health snapshot from its five components (overall computed with the configured weights; a
/// given `overall_score` must agree) or from `overall_score` alone (each component set to it).
/// The trend is computed later, against the client's previous snapshot.
fn health(r: &mut Reader, ctx: &Context) -> Option<HealthSnapshot> {
    let client_id = r.req("client_id", fields::text);
    let as_of = r.req("as_of", fields::date);
    let parts = COMPONENTS.map(|column| r.opt(column, fields::int));
    let overall = r.opt("overall_score", fields::float)?;
    let given: Vec<i32> = parts.iter().filter_map(|p| p.flatten()).collect();
    if parts.iter().any(Option::is_none) {
        return None;
    }
    let (components, overall_score) = match (given.len(), overall) {
        (5, overall) => {
            let components = HealthComponents {
                usage: given[0],
                engagement: given[1],
                support: given[2],
                satisfaction: given[3],
                payment: given[4],
            };
            r.validated(components.validate())?;
            let computed = components.overall(&ctx.weights);
            if let Some(overall) = overall.filter(|o| (o - computed).abs() > 0.005) {
                r.domain(Error::bad_input(
                    "overallScore",
                    format!("{overall} is not the weighted sum of the components ({computed})"),
                    "empty, or the weighted sum of the five components",
                ));
                return None;
            }
            (components, computed)
        }
        (0, Some(overall)) => {
            let overall = r.validated(float_range("overallScore", overall, 0.0, 100.0))?;
            let each = overall.round() as i32;
            let components = HealthComponents {
                usage: each,
                engagement: each,
                support: each,
                satisfaction: each,
                payment: each,
            };
            (components, overall)
        }
        _ => {
            r.domain(Error::bad_input(
                "usageScore",
                "give all five component scores or only overall_score",
                COMPONENTS.join(", ") + ", or overall_score",
            ));
            return None;
        }
    };
    let input = HealthForCreate {
        client_id: client_id?,
        as_of: as_of?,
        components,
    };
    let h = r.validated(input.validate())?;
    Some(HealthSnapshot {
        id: 0,
        client_id: h.client_id,
        as_of: h.as_of,
        components: h.components,
        overall_score,
        trend: HealthTrend::Stable,
    })
}

fn renewal(r: &mut Reader) -> Option<Renewal> {
    let id = r.req("id", fields::text);
    let contract_id = r.req("contract_id", fields::text);
    let client_id = r.req("client_id", fields::text);
    let renewal_date = r.req("renewal_date", fields::date);
    let target_arr = r.req("target_arr", fields::money);
    let status = r.req("status", RenewalStatus::parse);
    let outcome_arr = r.opt("outcome_arr", fields::money);
    let closed_at = r.opt("closed_at", fields::timestamp);
    let mut c = Checks::default();
    let (id, client_id) = (id?, client_id?);
    c.check(crate::domain::ids::validate_client_id("id", &id));
    c.check(crate::domain::ids::validate_client_id("clientId", &client_id));
    let target_arr = target_arr?;
    c.check(target_arr.non_negative("targetArr"));
    let (status, outcome_arr, closed_at, renewal_date) = (status?, outcome_arr?, closed_at?, renewal_date?);
    if let Some(outcome) = outcome_arr {
        c.check(outcome.non_negative("outcomeArr"));
    }
    match (status, outcome_arr) {
        (RenewalStatus::Open, Some(_)) => c.fail(Error::bad_input(
            "outcomeArr",
            "an open renewal has no outcome",
            "empty while status is open",
        )),
        (RenewalStatus::Open, None) => {}
        (_, None) => c.fail(Error::bad_input(
            "outcomeArr",
            "a closed renewal needs its outcome",
            "the ARR it closed at",
        )),
        _ => {}
    }
    if status == RenewalStatus::Open && closed_at.is_some() {
        c.fail(Error::bad_input(
            "closedAt",
            "an open renewal is not closed",
            "empty while status is open",
        ));
    }
    r.validated(c.finish(()))?;
    let closed_at = match status {
        RenewalStatus::Open => None,
        _ => Some(closed_at.unwrap_or_else(|| renewal_date.and_time(chrono::NaiveTime::MIN).and_utc())),
    };
    Some(Renewal {
        id,
        contract_id: contract_id?,
        client_id,
        renewal_date,
        target_arr,
        status,
        outcome_arr,
        closed_at,
    })
}

fn opportunity(r: &mut Reader, ctx: &Context) -> Option<Opportunity> {
    let id = r.req("id", fields::text);
    let client_id = r.req("client_id", fields::text);
    let opportunity_type = r.req("opportunity_type", OpportunityType::parse);
    let product_id = r.opt("product_id", fields::text);
    let name = r.req("name", fields::text);
    let value = r.req("value", fields::money);
    let probability = r.req("probability", fields::float);
    let stage = r.req("stage", OpportunityStage::parse);
    let source = r.or("source", OpportunitySource::Manual, OpportunitySource::parse);
    let detection_key = r.opt("detection_key", fields::text);
    let reasons = r.list("reasons");
    let expected_close_date = r.opt("expected_close_date", fields::date);
    let closed_on = r.opt("closed_on", fields::date);
    let owner = r.opt("owner", fields::text);
    let created_at = r.or("created_at", ctx.now, fields::timestamp);
    let (id, stage, closed_on) = (id?, stage?, closed_on?);
    r.validated(crate::domain::ids::validate_client_id("id", &id))?;
    // History may hold won and lost opportunities; the rest is the mutation's rule.
    let input = OpportunityForCreate {
        client_id: client_id?,
        opportunity_type: opportunity_type?,
        product_id: product_id?,
        name: name?,
        value: value?,
        probability: probability?,
        stage: OpportunityStage::Identified,
        expected_close_date: expected_close_date?,
        owner: owner?,
        reasons: reasons?,
    };
    let o = r.validated(input.validate())?;
    if closed_on.is_some() && !stage.is_closed() {
        r.domain(Error::bad_input(
            "closedOn",
            "an open opportunity has not closed",
            "empty unless stage is won or lost",
        ));
        return None;
    }
    Some(Opportunity {
        id,
        client_id: o.client_id,
        opportunity_type: o.opportunity_type,
        product_id: o.product_id,
        name: o.name,
        value: o.value,
        probability: o.probability,
        stage,
        source: source?,
        detection_key: detection_key?,
        reasons: o.reasons,
        expected_close_date: o.expected_close_date,
        closed_on,
        owner: o.owner,
        version: 1,
        created_at: created_at?,
    })
}

fn revenue_event(r: &mut Reader) -> Option<RevenueEvent> {
    let client_id = r.req("client_id", fields::text);
    let occurred_on = r.req("occurred_on", fields::date);
    let kind = r.req("kind", RevenueKind::parse);
    let category = r.req("category", RevenueCategory::parse);
    let arr_delta = r.req("arr_delta", fields::money);
    let contract_id = r.opt("contract_id", fields::text);
    let opportunity_id = r.opt("opportunity_id", fields::text);
    let renewal_id = r.opt("renewal_id", fields::text);
    let input = RevenueEventForCreate {
        client_id: client_id?,
        occurred_on: occurred_on?,
        kind: kind?,
        category: category?,
        arr_delta: arr_delta?,
        contract_id: contract_id?,
    };
    let e = r.validated(input.validate())?;
    Some(RevenueEvent {
        id: 0,
        client_id: e.client_id,
        occurred_on: e.occurred_on,
        kind: e.kind,
        category: e.category,
        arr_delta: e.arr_delta,
        contract_id: e.contract_id,
        opportunity_id: opportunity_id?,
        renewal_id: renewal_id?,
    })
}
