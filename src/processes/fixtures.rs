//! Test data for the expansion processes: a small catalog priced in round numbers, client facts
//! built step by step, and the three-client book of the worked examples.
use super::facts::{Catalog, ClientFacts};
use crate::domain::health::HealthComponents;
use crate::domain::*;
use chrono::{DateTime, NaiveDate, Utc};

/// The `as_of` of every worked example.
pub const AS_OF: NaiveDate = match NaiveDate::from_ymd_opt(2026, 6, 15) {
    Some(d) => d,
    None => panic!("valid date"),
};

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn product(
    id: &str,
    name: &str,
    family: &str,
    kind: ProductKind,
    rank: Option<i32>,
    pricing: Pricing,
    usd: i64,
) -> Product {
    Product {
        id: id.into(),
        name: name.into(),
        family: family.into(),
        kind,
        tier_rank: rank,
        pricing,
        annual_price: Money::from_major(usd),
    }
}

/// Tiers 240 / 480 / 720 / 1,080 per seat; Advanced Analytics 120 per seat; API Suite 12,000,
/// CRM Connector 4,800, Premium Support 9,600, Implementation 15,000, Training Academy 4,500 flat.
pub fn products() -> Vec<Product> {
    use Pricing::*;
    use ProductKind::*;
    vec![
        product("tier_starter", "Starter", "platform", Tier, Some(1), PerSeat, 240),
        product("tier_standard", "Standard", "platform", Tier, Some(2), PerSeat, 480),
        product(
            "tier_professional",
            "Professional",
            "platform",
            Tier,
            Some(3),
            PerSeat,
            720,
        ),
        product(
            "tier_enterprise",
            "Enterprise",
            "platform",
            Tier,
            Some(4),
            PerSeat,
            1_080,
        ),
        product(
            "addon_analytics",
            "Advanced Analytics",
            "analytics",
            Addon,
            None,
            PerSeat,
            120,
        ),
        product("addon_api", "API Suite", "integrations", Addon, None, Flat, 12_000),
        product("addon_crm", "CRM Connector", "integrations", Addon, None, Flat, 4_800),
        product("addon_support", "Premium Support", "support", Addon, None, Flat, 9_600),
        product(
            "services_impl",
            "Implementation Services",
            "services",
            Service,
            None,
            Flat,
            15_000,
        ),
        product(
            "training_academy",
            "Training Academy",
            "training",
            Service,
            None,
            Flat,
            4_500,
        ),
    ]
}

pub fn catalog() -> Catalog {
    Catalog::new(products())
}

fn epoch() -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000, 0).expect("valid timestamp")
}

/// An active client with `arr` (whole dollars) owning `owned`; no contract, usage or health yet.
pub fn client(id: &str, tier: Tier, arr_usd: i64, owned: &[&str]) -> ClientFacts {
    ClientFacts {
        client: Client {
            id: id.into(),
            name: format!("{id} Inc"),
            company_name: format!("{id} Inc"),
            industry: "software".into(),
            tier,
            lifecycle_stage: LifecycleStage::Active,
            status: ClientStatus::Active,
            csm_owner: None,
            customer_since: date(2023, 1, 1),
            acquisition_cost: None,
            created_at: epoch(),
            updated_at: epoch(),
            version: 1,
        },
        arr: Money::from_major(arr_usd),
        contract: None,
        owned_product_ids: owned.iter().map(|s| s.to_string()).collect(),
        latest_usage: None,
        usage_6_months_ago: None,
        latest_health: None,
    }
}

pub fn usage_at(client: &str, period: NaiveDate, seats: i32, active: i32, rate: f64, adoption: f64) -> UsageSnapshot {
    UsageSnapshot {
        id: 0,
        client_id: client.into(),
        period_start: period,
        seats_licensed: seats,
        active_users: active,
        usage_rate: rate,
        feature_adoption: adoption,
        api_calls: 0,
        logins: 0,
        reports_exported: 0,
    }
}

/// Builder steps for test facts.
impl ClientFacts {
    /// Latest usage in June 2026.
    pub fn with_usage(mut self, seats: i32, active: i32, rate: f64, adoption: f64) -> Self {
        self.latest_usage = Some(usage_at(
            &self.client.id,
            date(2026, 6, 1),
            seats,
            active,
            rate,
            adoption,
        ));
        self
    }

    /// Usage of December 2025, six months before the latest.
    pub fn with_base_users(mut self, active: i32) -> Self {
        self.usage_6_months_ago = Some(usage_at(&self.client.id, date(2025, 12, 1), 0, active, 0.5, 0.5));
        self
    }

    pub fn with_health(mut self, score: f64, trend: HealthTrend) -> Self {
        let c = score.round() as i32;
        self.latest_health = Some(HealthSnapshot {
            id: 0,
            client_id: self.client.id.clone(),
            as_of: date(2026, 6, 1),
            components: HealthComponents {
                usage: c,
                engagement: c,
                support: c,
                satisfaction: c,
                payment: c,
            },
            overall_score: score,
            trend,
        });
        self
    }

    pub fn with_contract(mut self, id: &str, seats: i32) -> Self {
        self.contract = Some(Contract {
            id: id.into(),
            client_id: self.client.id.clone(),
            contract_type: ContractType::Annual,
            start_date: date(2026, 1, 1),
            end_date: date(2026, 12, 31),
            renewal_date: date(2026, 12, 31),
            auto_renew: true,
            notice_period_days: 30,
            payment_status: PaymentStatus::Current,
            seats,
            discount: 0.0,
            status: ContractStatus::Active,
        });
        self
    }

    pub fn with_status(mut self, status: ClientStatus) -> Self {
        self.client.status = status;
        self
    }
}

/// The three-client book of the worked examples (arithmetic in the tests that use it):
/// - acme: Professional + Advanced Analytics, 50 seats, ARR 50×720 + 50×120 = 42,000; usage 92 %,
///   48 of 50 users, adoption 0.35, 40 users six months ago; health 84 improving.
/// - beta: Standard, 20 seats, ARR 20×480 = 9,600; usage 70 %, 15 of 20 users, adoption 0.65,
///   15 users six months ago; health 75 stable.
/// - cobalt: Enterprise + Premium Support, 100 seats, ARR 100×1,080 + 9,600 = 117,600; usage 130 %,
///   90 of 100 users, adoption 0.30, 100 users six months ago; health 90 stable.
pub fn three_client_book() -> Vec<ClientFacts> {
    vec![
        client(
            "acme",
            Tier::Professional,
            42_000,
            &["tier_professional", "addon_analytics"],
        )
        .with_contract("CNT-1", 50)
        .with_usage(50, 48, 0.92, 0.35)
        .with_base_users(40)
        .with_health(84.0, HealthTrend::Improving),
        client("beta", Tier::Standard, 9_600, &["tier_standard"])
            .with_contract("CNT-2", 20)
            .with_usage(20, 15, 0.70, 0.65)
            .with_base_users(15)
            .with_health(75.0, HealthTrend::Stable),
        client(
            "cobalt",
            Tier::Enterprise,
            117_600,
            &["tier_enterprise", "addon_support"],
        )
        .with_contract("CNT-3", 100)
        .with_usage(100, 90, 1.30, 0.30)
        .with_base_users(100)
        .with_health(90.0, HealthTrend::Stable),
    ]
}

/// Seven active clients and one churned one. Ownership counts over the active ones:
/// Professional 5 (c1–c5), Standard 2, Advanced Analytics 5 (c1–c4, c6), API Suite 4, CRM 3.
/// Only Professional and Advanced Analytics reach 5 owners, so only they are antecedents.
/// Joint counts: Prof∧API 3, Prof∧CRM 3, Prof∧Analytics 4, Analytics∧API 3, Analytics∧CRM 2.
/// c8 is churned: were it counted, Analytics would have 6 owners and Premium Support a co-owner.
pub fn basket_book() -> Vec<ClientFacts> {
    let pro = |id: &str, owned: &[&str], health: f64| {
        let mut all = vec!["tier_professional"];
        all.extend_from_slice(owned);
        client(id, Tier::Professional, 50_000, &all)
            .with_usage(50, 40, 0.8, 0.5)
            .with_health(health, HealthTrend::Stable)
    };
    let std = |id: &str, owned: &[&str], health: f64| {
        let mut all = vec!["tier_standard"];
        all.extend_from_slice(owned);
        client(id, Tier::Standard, 20_000, &all)
            .with_usage(40, 30, 0.8, 0.5)
            .with_health(health, HealthTrend::Stable)
    };
    vec![
        pro("c1", &["addon_analytics", "addon_api", "addon_crm"], 80.0),
        pro("c2", &["addon_analytics", "addon_api", "addon_crm"], 80.0),
        pro("c3", &["addon_analytics", "addon_api"], 80.0),
        pro("c4", &["addon_analytics"], 90.0),
        pro("c5", &["addon_crm"], 70.0).with_usage(30, 20, 0.8, 0.5),
        std("c6", &["addon_analytics"], 60.0),
        std("c7", &["addon_api"], 80.0),
        pro("c8", &["addon_analytics", "addon_support"], 95.0).with_status(ClientStatus::Churned),
    ]
}
