//! Validated inputs of the ingestion mutations (`XForCreate` / `XForUpdate`). `validate()` returns
//! the cleaned value or the first `BAD_USER_INPUT`; nothing reaches the database unvalidated.
use super::enums::*;
use super::health::HealthComponents;
use super::ids::validate_client_id;
use super::money::Money;
use super::validate::{email, float_range, int_range, optional_text, text, Checks};
use crate::error::{Error, Result};
use chrono::{Datelike, NaiveDate};

/// The longest free text (names, industries) we store.
pub const MAX_TEXT: usize = 200;

/// A new client. `id` is generated from the name when absent.
#[derive(Clone, Debug)]
pub struct ClientForCreate {
    pub id: Option<String>,
    pub name: String,
    pub company_name: Option<String>,
    pub industry: String,
    pub tier: Tier,
    pub lifecycle_stage: LifecycleStage,
    pub status: ClientStatus,
    pub csm_owner: Option<String>,
    pub customer_since: NaiveDate,
    pub acquisition_cost: Option<Money>,
}

impl ClientForCreate {
    /// Checks the id, texts and acquisition cost.
    pub fn validate(mut self) -> Result<Self> {
        let mut c = Checks::default();
        if let Some(id) = &self.id {
            c.check(validate_client_id("id", id));
        }
        self.name = c.value(text("name", &self.name, MAX_TEXT));
        self.company_name = match self.company_name.as_deref() {
            Some(company_name) => c.check(text("companyName", company_name, MAX_TEXT)),
            None => Some(self.name.clone()), // the legal name defaults to the account name
        };
        self.industry = c.value(text("industry", &self.industry, MAX_TEXT));
        self.csm_owner = c.value(optional_text("csmOwner", self.csm_owner.as_deref(), MAX_TEXT));
        if let Some(cost) = self.acquisition_cost {
            c.check(cost.non_negative("acquisitionCost"));
        }
        c.finish(self)
    }
}

/// Changes to a client; absent fields stay as they are. `expected_version` guards against lost
/// updates: a stale version is a `CONFLICT`.
#[derive(Clone, Debug, Default)]
pub struct ClientForUpdate {
    pub expected_version: i32,
    pub name: Option<String>,
    pub company_name: Option<String>,
    pub industry: Option<String>,
    pub tier: Option<Tier>,
    pub lifecycle_stage: Option<LifecycleStage>,
    pub status: Option<ClientStatus>,
    pub csm_owner: Option<String>,
    pub acquisition_cost: Option<Money>,
}

impl ClientForUpdate {
    /// Checks the present fields.
    pub fn validate(mut self) -> Result<Self> {
        let mut c = Checks::default();
        let required = |field: &str, v: Option<String>| v.map(|v| text(field, &v, MAX_TEXT)).transpose();
        self.name = c.value(required("name", self.name));
        self.company_name = c.value(required("companyName", self.company_name));
        self.industry = c.value(required("industry", self.industry));
        self.csm_owner = c.value(required("csmOwner", self.csm_owner));
        if let Some(cost) = self.acquisition_cost {
            c.check(cost.non_negative("acquisitionCost"));
        }
        c.check(int_range(
            "expectedVersion",
            self.expected_version.into(),
            1,
            i32::MAX.into(),
        ));
        c.finish(self)
    }
}

/// A new contact of a client.
#[derive(Clone, Debug)]
pub struct ContactForCreate {
    pub client_id: String,
    pub name: String,
    pub email: String,
    pub role: ContactRole,
    pub is_primary: bool,
}

impl ContactForCreate {
    /// Checks the name and email.
    pub fn validate(mut self) -> Result<Self> {
        let mut c = Checks::default();
        c.check(validate_client_id("clientId", &self.client_id));
        self.name = c.value(text("name", &self.name, MAX_TEXT));
        self.email = c.value(email("email", &self.email));
        c.finish(self)
    }
}

/// A new catalog product.
#[derive(Clone, Debug)]
pub struct ProductForCreate {
    pub id: String,
    pub name: String,
    pub family: String,
    pub kind: ProductKind,
    pub tier_rank: Option<i32>,
    pub pricing: Pricing,
    pub annual_price: Money,
}

impl ProductForCreate {
    /// Checks the code, family, price, and that exactly the tier products have a rank.
    pub fn validate(mut self) -> Result<Self> {
        let mut c = Checks::default();
        c.check(validate_client_id("id", &self.id));
        self.name = c.value(text("name", &self.name, MAX_TEXT));
        let family_ok =
            (1..=50).contains(&self.family.len()) && self.family.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
        if !family_ok || self.family == "all" {
            c.fail(Error::bad_input(
                "family",
                format!("`{}` is not a family name", self.family),
                "1–50 of a–z and _, not `all`",
            ));
        }
        c.check(self.annual_price.non_negative("annualPrice"));
        match (self.kind, self.tier_rank) {
            (ProductKind::Tier, Some(rank)) => {
                c.check(int_range("tierRank", rank.into(), 1, 100));
            }
            (ProductKind::Tier, None) => c.fail(Error::bad_input("tierRank", "a tier product needs a rank", "1–100")),
            (_, Some(_)) => c.fail(Error::bad_input(
                "tierRank",
                "only tier products have a rank",
                "null unless kind is TIER",
            )),
            (_, None) => {}
        }
        c.finish(self)
    }
}

/// One product line of a new contract.
#[derive(Clone, Debug)]
pub struct ContractItemForCreate {
    pub product_id: String,
    pub quantity: i32,
    pub arr: Money,
}

/// A new contract with its items.
#[derive(Clone, Debug)]
pub struct ContractForCreate {
    pub client_id: String,
    pub contract_type: ContractType,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub renewal_date: Option<NaiveDate>,
    pub auto_renew: bool,
    pub notice_period_days: i32,
    pub payment_status: PaymentStatus,
    pub seats: i32,
    pub discount: f64,
    pub items: Vec<ContractItemForCreate>,
}

impl ContractItemForCreate {
    /// Checks the product code, quantity and ARR of one line.
    pub fn check(&self, c: &mut Checks) {
        c.check(validate_client_id("items.productId", &self.product_id));
        c.check(int_range("items.quantity", self.quantity.into(), 0, 1_000_000));
        c.check(self.arr.non_negative("items.arr"));
    }
}

impl ContractForCreate {
    /// Checks dates, seats, discount and items.
    pub fn validate(self) -> Result<Self> {
        let mut c = Checks::default();
        self.check_terms(&mut c);
        c.check(int_range("items", self.items.len() as i64, 1, 100));
        for item in &self.items {
            item.check(&mut c);
        }
        c.finish(self)
    }

    /// Checks the client id, dates, notice period, seats and discount (the items aside: an
    /// import reads them from their own file).
    pub fn check_terms(&self, c: &mut Checks) {
        c.check(validate_client_id("clientId", &self.client_id));
        if self.end_date <= self.start_date {
            c.fail(Error::bad_input(
                "endDate",
                format!("{} is not after startDate {}", self.end_date, self.start_date),
                "a date after startDate",
            ));
        }
        if let Some(renewal) = self.renewal_date {
            if renewal <= self.start_date || renewal > self.end_date {
                c.fail(Error::bad_input(
                    "renewalDate",
                    format!("{renewal} is outside the term"),
                    "after startDate and on or before endDate",
                ));
            }
        }
        c.check(int_range("noticePeriodDays", self.notice_period_days.into(), 0, 365));
        c.check(int_range("seats", self.seats.into(), 0, 1_000_000));
        c.check(float_range("discount", self.discount, 0.0, 1.0));
    }

    /// The contract's ARR: the sum of its items.
    pub fn arr(&self) -> Money {
        self.items.iter().map(|item| item.arr).sum()
    }
}

/// One month of usage. `period_start` is stored as the first day of its month.
#[derive(Clone, Debug)]
pub struct UsageForCreate {
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

impl UsageForCreate {
    /// Checks the counters and rates.
    pub fn validate(mut self) -> Result<Self> {
        let mut c = Checks::default();
        c.check(validate_client_id("clientId", &self.client_id));
        self.period_start = self.period_start.with_day(1).unwrap_or(self.period_start);
        c.check(int_range("seatsLicensed", self.seats_licensed.into(), 0, 1_000_000));
        c.check(int_range("activeUsers", self.active_users.into(), 0, 1_000_000));
        c.check(float_range("usageRate", self.usage_rate, 0.0, 100.0));
        c.check(float_range("featureAdoption", self.feature_adoption, 0.0, 1.0));
        for (field, value) in [
            ("apiCalls", self.api_calls),
            ("logins", self.logins),
            ("reportsExported", self.reports_exported),
        ] {
            c.check(int_range(field, value, 0, i64::MAX));
        }
        c.finish(self)
    }
}

/// A health score of a client on a date, from its components.
#[derive(Clone, Debug)]
pub struct HealthForCreate {
    pub client_id: String,
    pub as_of: NaiveDate,
    pub components: HealthComponents,
}

impl HealthForCreate {
    /// Checks each component is 0–100.
    pub fn validate(self) -> Result<Self> {
        let mut c = Checks::default();
        c.check(validate_client_id("clientId", &self.client_id));
        c.check(self.components.validate());
        c.finish(self)
    }
}

/// A ledger entry imported from history.
#[derive(Clone, Debug)]
pub struct RevenueEventForCreate {
    pub client_id: String,
    pub occurred_on: NaiveDate,
    pub kind: RevenueKind,
    pub category: RevenueCategory,
    pub arr_delta: Money,
    pub contract_id: Option<String>,
}

impl RevenueEventForCreate {
    /// Checks the delta is non-zero and its sign matches the kind.
    pub fn validate(self) -> Result<Self> {
        validate_client_id("clientId", &self.client_id)?;
        let sign_ok = if self.kind.is_growth() {
            self.arr_delta.cents() > 0
        } else {
            self.arr_delta.cents() < 0
        };
        if !sign_ok {
            let allowed = if self.kind.is_growth() {
                "> 0.00 for NEW, EXPANSION, REACTIVATION"
            } else {
                "< 0.00 for CONTRACTION, CHURN"
            };
            return Err(Error::bad_input(
                "arrDelta",
                format!("{} does not fit kind {}", self.arr_delta.text(), self.kind),
                allowed,
            ));
        }
        Ok(self)
    }
}

#[cfg(test)]
#[path = "inputs_tests.rs"]
mod tests;
