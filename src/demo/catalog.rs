//! The demo catalog: a four-rung tier ladder, add-ons in six families, and two one-off services.
use crate::domain::{Money, Pricing, Product, ProductKind};

/// One catalog line, in whole dollars per year (per seat for per-seat products).
struct Spec {
    id: &'static str,
    name: &'static str,
    family: &'static str,
    kind: ProductKind,
    tier_rank: Option<i32>,
    pricing: Pricing,
    price_usd: i64,
}

const fn tier(id: &'static str, name: &'static str, rank: i32, price_usd: i64) -> Spec {
    Spec {
        id,
        name,
        family: "platform",
        kind: ProductKind::Tier,
        tier_rank: Some(rank),
        pricing: Pricing::PerSeat,
        price_usd,
    }
}

const fn addon(id: &'static str, name: &'static str, family: &'static str, pricing: Pricing, price_usd: i64) -> Spec {
    Spec {
        id,
        name,
        family,
        kind: ProductKind::Addon,
        tier_rank: None,
        pricing,
        price_usd,
    }
}

const fn service(id: &'static str, name: &'static str, family: &'static str, price_usd: i64) -> Spec {
    Spec {
        id,
        name,
        family,
        kind: ProductKind::Service,
        tier_rank: None,
        pricing: Pricing::Flat,
        price_usd,
    }
}

/// Whole-dollar prices keep every discounted price (a multiple of 5 %) a whole number of cents.
const CATALOG: &[Spec] = &[
    tier("tier_starter", "Starter", 1, 240),
    tier("tier_standard", "Standard", 2, 480),
    tier("tier_professional", "Professional", 3, 720),
    tier("tier_enterprise", "Enterprise", 4, 1080),
    addon(
        "addon_advanced_analytics",
        "Advanced Analytics",
        "analytics",
        Pricing::PerSeat,
        120,
    ),
    addon(
        "addon_custom_dashboards",
        "Custom Dashboards",
        "analytics",
        Pricing::Flat,
        6_000,
    ),
    addon("addon_api_suite", "API Suite", "integrations", Pricing::Flat, 12_000),
    addon(
        "addon_crm_connector",
        "CRM Connector",
        "integrations",
        Pricing::Flat,
        4_800,
    ),
    addon(
        "addon_premium_support",
        "Premium Support",
        "support",
        Pricing::Flat,
        9_600,
    ),
    addon("addon_sso_security", "SSO & Security", "security", Pricing::PerSeat, 60),
    addon(
        "addon_audit_compliance",
        "Audit & Compliance",
        "security",
        Pricing::Flat,
        7_200,
    ),
    addon(
        "addon_usage_pack",
        "Usage Pack (+50 % limits)",
        "usage",
        Pricing::Flat,
        5_000,
    ),
    service("services_implementation", "Implementation Services", "services", 15_000),
    service("training_admin_academy", "Admin Training Academy", "training", 4_500),
];

/// The tier product ids, by rank − 1.
pub(super) const TIERS: [&str; 4] = ["tier_starter", "tier_standard", "tier_professional", "tier_enterprise"];

/// The add-ons a contract can carry, with the tier rank from which each usually sells and its
/// base take rate; the pairs in [`AFFINITY`] raise it, so the market basket has structure.
pub(super) const ADDONS: &[(&str, i32, f64)] = &[
    ("addon_advanced_analytics", 2, 0.30),
    ("addon_custom_dashboards", 2, 0.18),
    ("addon_api_suite", 3, 0.30),
    ("addon_crm_connector", 1, 0.25),
    ("addon_premium_support", 3, 0.28),
    ("addon_sso_security", 3, 0.30),
    ("addon_audit_compliance", 4, 0.22),
    ("addon_usage_pack", 2, 0.10),
];

/// Products bought together: owning the first makes the second about twice as likely.
pub(super) const AFFINITY: &[(&str, &str)] = &[
    ("addon_advanced_analytics", "addon_custom_dashboards"),
    ("addon_api_suite", "addon_crm_connector"),
    ("addon_sso_security", "addon_audit_compliance"),
    ("addon_premium_support", "addon_sso_security"),
];

/// The one-off services product (opportunity type `professional_services`).
pub(super) const SERVICES: &str = "services_implementation";
/// The training product (opportunity type `training`).
pub(super) const TRAINING: &str = "training_admin_academy";
/// The add-on that raises usage limits (opportunity type `usage_expansion`).
pub(super) const USAGE_PACK: &str = "addon_usage_pack";

/// The catalog as product records.
pub(super) fn products() -> Vec<Product> {
    CATALOG
        .iter()
        .map(|s| Product {
            id: s.id.to_owned(),
            name: s.name.to_owned(),
            family: s.family.to_owned(),
            kind: s.kind,
            tier_rank: s.tier_rank,
            pricing: s.pricing,
            annual_price: Money::from_major(s.price_usd),
        })
        .collect()
}

fn spec(id: &str) -> &'static Spec {
    CATALOG
        .iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("`{id}` is not in the demo catalog"))
}

/// The list price of `id` (per seat for per-seat products).
pub(super) fn list_price(id: &str) -> Money {
    Money::from_major(spec(id).price_usd)
}

/// True for per-seat products.
pub(super) fn is_per_seat(id: &str) -> bool {
    spec(id).pricing == Pricing::PerSeat
}

/// The display name of `id`.
pub(super) fn name(id: &str) -> &'static str {
    spec(id).name
}

/// The tier product id of `rank` (1–4).
pub(super) fn tier_id(rank: i32) -> &'static str {
    TIERS[(rank - 1) as usize]
}

/// The price after `discount_steps` × 5 % off, exact in cents because list prices are whole dollars.
pub(super) fn discounted(price: Money, discount_steps: u8) -> Money {
    Money::from_cents(price.cents() * (100 - 5 * discount_steps as i64) / 100)
}

/// Quantity and ARR of a line of `id` on a contract of `seats` seats.
pub(super) fn line(id: &str, seats: i32, discount_steps: u8) -> (i32, Money) {
    let quantity = if is_per_seat(id) { seats } else { 1 };
    (
        quantity,
        discounted(list_price(id), discount_steps).times_count(quantity as i64),
    )
}
