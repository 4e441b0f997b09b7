//! Validated inputs of the ingestion mutations (`XForCreate` / `XForUpdate`). `validate()` returns
//! the cleaned value or the first `BAD_USER_INPUT`; nothing reaches the database unvalidated.
use super::enums::*;
use super::health::HealthComponents;
use super::ids::validate_client_id;
use super::money::Money;
use super::validate::{email, float_range, int_range, optional_text, text};
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
        if let Some(id) = &self.id {
            validate_client_id("id", id)?;
        }
        self.name = text("name", &self.name, MAX_TEXT)?;
        self.company_name = Some(text(
            "companyName",
            self.company_name.as_deref().unwrap_or(&self.name),
            MAX_TEXT,
        )?);
        self.industry = text("industry", &self.industry, MAX_TEXT)?;
        self.csm_owner = optional_text("csmOwner", self.csm_owner.as_deref(), MAX_TEXT)?;
        if let Some(cost) = self.acquisition_cost {
            cost.non_negative("acquisitionCost")?;
        }
        Ok(self)
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
        let required = |field: &str, v: Option<String>| v.map(|v| text(field, &v, MAX_TEXT)).transpose();
        self.name = required("name", self.name)?;
        self.company_name = required("companyName", self.company_name)?;
        self.industry = required("industry", self.industry)?;
        self.csm_owner = required("csmOwner", self.csm_owner)?;
        if let Some(cost) = self.acquisition_cost {
            cost.non_negative("acquisitionCost")?;
        }
        int_range("expectedVersion", self.expected_version.into(), 1, i32::MAX.into())?;
        Ok(self)
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
        validate_client_id("clientId", &self.client_id)?;
        self.name = text("name", &self.name, MAX_TEXT)?;
        self.email = email("email", &self.email)?;
        Ok(self)
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
        validate_client_id("id", &self.id)?;
        self.name = text("name", &self.name, MAX_TEXT)?;
        let family_ok =
            (1..=50).contains(&self.family.len()) && self.family.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
        if !family_ok || self.family == "all" {
            return Err(Error::bad_input(
                "family",
                format!("`{}` is not a family name", self.family),
                "1–50 of a–z and _, not `all`",
            ));
        }
        self.annual_price.non_negative("annualPrice")?;
        match (self.kind, self.tier_rank) {
            (ProductKind::Tier, Some(rank)) => {
                int_range("tierRank", rank.into(), 1, 100)?;
            }
            (ProductKind::Tier, None) => {
                return Err(Error::bad_input("tierRank", "a tier product needs a rank", "1–100"))
            }
            (_, Some(_)) => {
                return Err(Error::bad_input(
                    "tierRank",
                    "only tier products have a rank",
                    "null unless kind is TIER",
                ))
            }
            (_, None) => {}
        }
        Ok(self)
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

impl ContractForCreate {
    /// Checks dates, seats, discount and items.
    pub fn validate(self) -> Result<Self> {
        validate_client_id("clientId", &self.client_id)?;
        if self.end_date <= self.start_date {
            return Err(Error::bad_input(
                "endDate",
                format!("{} is not after startDate {}", self.end_date, self.start_date),
                "a date after startDate",
            ));
        }
        if let Some(renewal) = self.renewal_date {
            if renewal <= self.start_date || renewal > self.end_date {
                return Err(Error::bad_input(
                    "renewalDate",
                    format!("{renewal} is outside the term"),
                    "after startDate and on or before endDate",
                ));
            }
        }
        int_range("noticePeriodDays", self.notice_period_days.into(), 0, 365)?;
        int_range("seats", self.seats.into(), 0, 1_000_000)?;
        float_range("discount", self.discount, 0.0, 1.0)?;
        int_range("items", self.items.len() as i64, 1, 100)?;
        for item in &self.items {
            validate_client_id("items.productId", &item.product_id)?;
            int_range("items.quantity", item.quantity.into(), 0, 1_000_000)?;
            item.arr.non_negative("items.arr")?;
        }
        Ok(self)
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
        validate_client_id("clientId", &self.client_id)?;
        self.period_start = self.period_start.with_day(1).unwrap_or(self.period_start);
        int_range("seatsLicensed", self.seats_licensed.into(), 0, 1_000_000)?;
        int_range("activeUsers", self.active_users.into(), 0, 1_000_000)?;
        float_range("usageRate", self.usage_rate, 0.0, 100.0)?;
        float_range("featureAdoption", self.feature_adoption, 0.0, 1.0)?;
        for (field, value) in [
            ("apiCalls", self.api_calls),
            ("logins", self.logins),
            ("reportsExported", self.reports_exported),
        ] {
            int_range(field, value, 0, i64::MAX)?;
        }
        Ok(self)
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
        validate_client_id("clientId", &self.client_id)?;
        self.components.validate()?;
        Ok(self)
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
                format!("{} does not fit kind {}", self.arr_delta, self.kind),
                allowed,
            ));
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn contract() -> ContractForCreate {
        ContractForCreate {
            client_id: "acme".into(),
            contract_type: ContractType::Annual,
            start_date: date(2026, 1, 1),
            end_date: date(2026, 12, 31),
            renewal_date: None,
            auto_renew: true,
            notice_period_days: 30,
            payment_status: PaymentStatus::Current,
            seats: 10,
            discount: 0.0,
            items: vec![
                ContractItemForCreate {
                    product_id: "pro".into(),
                    quantity: 10,
                    arr: Money::from_major(12_000),
                },
                ContractItemForCreate {
                    product_id: "api".into(),
                    quantity: 1,
                    arr: Money::from_cents(250_050),
                },
            ],
        }
    }

    #[test]
    fn contract_arr_is_the_exact_sum_of_items() {
        assert_eq!(contract().validate().unwrap().arr().cents(), 1_200_000 + 250_050);
    }

    #[test]
    fn contract_ending_before_it_starts_is_refused() {
        let bad = ContractForCreate {
            end_date: date(2025, 12, 31),
            ..contract()
        };
        assert!(matches!(bad.validate(), Err(Error::BadUserInput { field, .. }) if field == "endDate"));
    }

    #[test]
    fn contract_with_negative_item_arr_is_refused() {
        let mut bad = contract();
        bad.items[0].arr = Money::from_cents(-1);
        assert!(matches!(bad.validate(), Err(Error::BadUserInput { field, .. }) if field == "items.arr"));
    }

    #[test]
    fn revenue_event_sign_must_match_its_kind() {
        let event = RevenueEventForCreate {
            client_id: "acme".into(),
            occurred_on: date(2026, 1, 1),
            kind: RevenueKind::Churn,
            category: RevenueCategory::Renewal,
            arr_delta: Money::from_major(100),
            contract_id: None,
        };
        assert!(event.clone().validate().is_err());
        assert!(RevenueEventForCreate {
            arr_delta: Money::from_major(-100),
            ..event
        }
        .validate()
        .is_ok());
    }

    #[test]
    fn usage_period_is_the_first_of_its_month() {
        let usage = UsageForCreate {
            client_id: "acme".into(),
            period_start: date(2026, 3, 17),
            seats_licensed: 10,
            active_users: 8,
            usage_rate: 0.8,
            feature_adoption: 0.5,
            api_calls: 0,
            logins: 0,
            reports_exported: 0,
        };
        assert_eq!(usage.validate().unwrap().period_start, date(2026, 3, 1));
    }

    #[test]
    fn tier_products_need_a_rank_and_others_must_not_have_one() {
        let product = ProductForCreate {
            id: "pro".into(),
            name: "Pro".into(),
            family: "platform".into(),
            kind: ProductKind::Tier,
            tier_rank: None,
            pricing: Pricing::PerSeat,
            annual_price: Money::from_major(600),
        };
        assert!(product.clone().validate().is_err());
        assert!(ProductForCreate {
            tier_rank: Some(3),
            ..product.clone()
        }
        .validate()
        .is_ok());
        assert!(ProductForCreate {
            kind: ProductKind::Addon,
            tier_rank: Some(3),
            ..product
        }
        .validate()
        .is_err());
    }
}
