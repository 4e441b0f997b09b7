//! Rows → domain records, through the same validated inputs as the mutations (`domain::inputs`,
//! `domain::pipeline`): one rule, one place. What only history has (closed renewals, won
//! opportunities, contract status) is checked here.
use super::fields::{self, Reader};
use super::parse_history::{health, opportunity, reminder, renewal, revenue_event, usage};
use super::report::{At, RowError};
use super::source::SourceFile;
use super::Entity;
use crate::domain::health::HealthWeights;
use crate::domain::inputs::*;
use crate::domain::validate::Checks;
use crate::domain::*;
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
    pub reminders: Vec<Located<crate::domain::reminder::RenewalReminder>>,
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
                Entity::RenewalReminders => push!(reminders, reminder(&mut r)),
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
