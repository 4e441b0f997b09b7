//! Plain records of the book of business, as the database holds them. `db/` converts entities to
//! these; GraphQL types wrap them.
use super::enums::*;
use super::money::Money;
use chrono::{DateTime, NaiveDate, Utc};

/// A customer account.
#[derive(Clone, Debug, PartialEq)]
pub struct Client {
    pub id: String,
    pub name: String,
    pub company_name: String,
    pub industry: String,
    pub tier: Tier,
    pub lifecycle_stage: LifecycleStage,
    pub status: ClientStatus,
    pub csm_owner: Option<String>,
    pub customer_since: NaiveDate,
    pub acquisition_cost: Option<Money>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// A person at a client.
#[derive(Clone, Debug, PartialEq)]
pub struct Contact {
    pub id: i64,
    pub client_id: String,
    pub name: String,
    pub email: String,
    pub role: ContactRole,
    pub is_primary: bool,
}

/// A catalog product.
#[derive(Clone, Debug, PartialEq)]
pub struct Product {
    pub id: String,
    pub name: String,
    pub family: String,
    pub kind: ProductKind,
    pub tier_rank: Option<i32>,
    pub pricing: Pricing,
    pub annual_price: Money,
}

/// A client agreement.
#[derive(Clone, Debug, PartialEq)]
pub struct Contract {
    pub id: String,
    pub client_id: String,
    pub contract_type: ContractType,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub renewal_date: NaiveDate,
    pub auto_renew: bool,
    pub notice_period_days: i32,
    pub payment_status: PaymentStatus,
    pub seats: i32,
    pub discount: f64,
    pub status: ContractStatus,
}

/// One product line of a contract.
#[derive(Clone, Debug, PartialEq)]
pub struct ContractItem {
    pub id: i64,
    pub contract_id: String,
    pub product_id: String,
    pub quantity: i32,
    pub arr: Money,
}

/// One month of product usage.
#[derive(Clone, Debug, PartialEq)]
pub struct UsageSnapshot {
    pub id: i64,
    pub client_id: String,
    pub period_start: NaiveDate,
    pub seats_licensed: i32,
    pub active_users: i32,
    pub usage_rate: f64,
    pub feature_adoption: f64,
    pub api_calls: i64,
    pub logins: i64,
    pub reports_exported: i64,
}

/// A dated health score.
#[derive(Clone, Debug, PartialEq)]
pub struct HealthSnapshot {
    pub id: i64,
    pub client_id: String,
    pub as_of: NaiveDate,
    pub components: super::health::HealthComponents,
    pub overall_score: f64,
    pub trend: HealthTrend,
}

/// A contract's renewal, open or closed.
#[derive(Clone, Debug, PartialEq)]
pub struct Renewal {
    pub id: String,
    pub contract_id: String,
    pub client_id: String,
    pub renewal_date: NaiveDate,
    pub target_arr: Money,
    pub status: RenewalStatus,
    pub outcome_arr: Option<Money>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// An expansion opportunity.
#[derive(Clone, Debug, PartialEq)]
pub struct Opportunity {
    pub id: String,
    pub client_id: String,
    pub opportunity_type: OpportunityType,
    pub product_id: Option<String>,
    pub name: String,
    pub value: Money,
    pub probability: f64,
    pub stage: OpportunityStage,
    pub source: OpportunitySource,
    pub detection_key: Option<String>,
    pub reasons: Vec<String>,
    pub expected_close_date: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub owner: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

/// One movement of a client's ARR: the ledger.
#[derive(Clone, Debug, PartialEq)]
pub struct RevenueEvent {
    pub id: i64,
    pub client_id: String,
    pub occurred_on: NaiveDate,
    pub kind: RevenueKind,
    pub category: RevenueCategory,
    pub arr_delta: Money,
    pub contract_id: Option<String>,
    pub opportunity_id: Option<String>,
    pub renewal_id: Option<String>,
}

/// What a client looks like on a date, in one read: its ledger ARR and its newest health and usage
/// snapshots on or before the date.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientFacts {
    pub client_id: String,
    pub arr: Money,
    pub health: Option<HealthSnapshot>,
    pub usage: Option<UsageSnapshot>,
}
