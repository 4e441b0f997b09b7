//! The plain inputs of the expansion processes (114–116): what the book says about each client on
//! `as_of`, and the product catalog with its tier ladder. The service layer loads these in a constant
//! number of queries; everything here is pure.
use crate::domain::UsageSnapshot;
use crate::domain::{Client, ClientStatus, Contract, HealthSnapshot, Money, Pricing, Product, ProductKind, Tier};
use chrono::{Months, NaiveDate};
use std::collections::BTreeSet;

/// Everything the expansion processes know about one client on `as_of`.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientFacts {
    pub client: Client,
    /// Ledger ARR on `as_of`: Σ arr_delta of the client's revenue events with occurred_on ≤ as_of.
    pub arr: Money,
    /// The client's active contract on `as_of` (the latest-starting one if there are several), if any.
    pub contract: Option<Contract>,
    /// Product ids on the items of the client's active contract(s), tier product included.
    pub owned_product_ids: BTreeSet<String>,
    /// The newest usage snapshot with period_start ≤ as_of.
    pub latest_usage: Option<UsageSnapshot>,
    /// The newest usage snapshot with period_start ≤ latest.period_start − 6 months: the base of
    /// active-user growth. See [`usage_window`].
    pub usage_6_months_ago: Option<UsageSnapshot>,
    /// The newest health snapshot dated ≤ as_of; its `trend` is versus the snapshot before it.
    pub latest_health: Option<HealthSnapshot>,
}

impl ClientFacts {
    /// "Active client" of DESIGN §5: status active and ARR on `as_of` above zero.
    pub fn is_active(&self) -> bool {
        self.client.status == ClientStatus::Active && self.arr.cents() > 0
    }

    /// Seats the client pays for: seats_licensed of the latest usage snapshot, else the active
    /// contract's seats, else 0. One source for every process so seat numbers agree across 114–116.
    pub fn seats_licensed(&self) -> i32 {
        match (&self.latest_usage, &self.contract) {
            (Some(usage), _) => usage.seats_licensed,
            (None, Some(contract)) => contract.seats,
            (None, None) => 0,
        }
    }

    /// Seats of the contract in force on `as_of` (what the client is billed for), else the
    /// latest usage snapshot's, else 0: what a per-seat add-on would be priced on (115, amended).
    pub fn contract_seats(&self) -> i32 {
        match (&self.contract, &self.latest_usage) {
            (Some(contract), _) => contract.seats,
            (None, Some(usage)) => usage.seats_licensed,
            (None, None) => 0,
        }
    }

    /// active_users ÷ seats_licensed of the latest snapshot, unrounded; `None` without usage data or
    /// with no seats (utilization of zero seats means nothing).
    pub fn seat_utilization(&self) -> Option<f64> {
        let usage = self.latest_usage.as_ref()?;
        (usage.seats_licensed > 0).then(|| usage.active_users as f64 / usage.seats_licensed as f64)
    }

    /// Active-user growth over 6 months: (latest − 6 months ago) ÷ 6 months ago, unrounded; `None`
    /// when either snapshot is missing or the base had no active users.
    pub fn active_user_growth(&self) -> Option<f64> {
        let (now, then) = (self.latest_usage.as_ref()?, self.usage_6_months_ago.as_ref()?);
        (then.active_users > 0).then(|| (now.active_users - then.active_users) as f64 / then.active_users as f64)
    }

    /// The overall score of the latest health snapshot.
    pub fn health_score(&self) -> Option<f64> {
        self.latest_health.as_ref().map(|h| h.overall_score)
    }
}

/// Picks, from a client's usage history, the latest snapshot on or before `as_of` and the base of
/// 6-month growth: the newest snapshot with period_start ≤ latest.period_start − 6 months. Growth is
/// measured between snapshots rather than from `as_of`, so it always spans six whole monthly periods.
pub fn usage_window(history: &[UsageSnapshot], as_of: NaiveDate) -> (Option<UsageSnapshot>, Option<UsageSnapshot>) {
    // Ties on period_start (should not happen: one snapshot per month) go to the highest id.
    let newest_by = |limit: NaiveDate| {
        history
            .iter()
            .filter(|u| u.period_start <= limit)
            .max_by(|a, b| (a.period_start, a.id).cmp(&(b.period_start, b.id)))
            .cloned()
    };
    let latest = newest_by(as_of);
    let base = latest
        .as_ref()
        .and_then(|l| l.period_start.checked_sub_months(Months::new(6)))
        .and_then(newest_by);
    (latest, base)
}

/// The product catalog, sorted by product id so every walk over it is deterministic.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Catalog {
    products: Vec<Product>,
}

impl Catalog {
    /// Builds the catalog; products are kept sorted by id.
    pub fn new(mut products: Vec<Product>) -> Catalog {
        products.sort_by(|a, b| a.id.cmp(&b.id));
        Catalog { products }
    }

    /// All products, by id.
    pub fn products(&self) -> &[Product] {
        &self.products
    }

    /// The product with this id.
    pub fn product(&self, id: &str) -> Option<&Product> {
        self.index_of(id).map(|i| &self.products[i])
    }

    /// Position of a product in [`Catalog::products`].
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.products.binary_search_by(|p| p.id.as_str().cmp(id)).ok()
    }

    /// The distinct families, sorted.
    pub fn families(&self) -> Vec<String> {
        let set: BTreeSet<&str> = self.products.iter().map(|p| p.family.as_str()).collect();
        set.into_iter().map(str::to_owned).collect()
    }

    /// The product of a family that stands for it (e.g. the `services` or `training` product): the
    /// first by id when a family holds several.
    pub fn first_in_family(&self, family: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.family == family)
    }

    /// The tier ladder: tier products ordered by tier_rank, then id.
    pub fn ladder(&self) -> Vec<&Product> {
        let mut tiers: Vec<&Product> = self
            .products
            .iter()
            .filter(|p| p.kind == ProductKind::Tier && p.tier_rank.is_some())
            .collect();
        tiers.sort_by(|a, b| (a.tier_rank, &a.id).cmp(&(b.tier_rank, &b.id)));
        tiers
    }

    /// The client's tier product. The one on its active contract wins (what it is billed for; the
    /// highest rank if the contract carries several); otherwise the `client.tier` field maps by
    /// position onto the ladder: starter = 1st rung, standard = 2nd, professional = 3rd,
    /// enterprise = 4th. `None` when neither gives a tier product.
    pub fn client_tier(&self, facts: &ClientFacts) -> Option<&Product> {
        let on_contract = self
            .ladder()
            .into_iter()
            .rfind(|p| facts.owned_product_ids.contains(&p.id));
        on_contract.or_else(|| {
            let position = Tier::ALL.iter().position(|t| *t == facts.client.tier)?;
            self.ladder().get(position).copied()
        })
    }

    /// The next rung up: the tier product with the smallest rank above `tier`'s (then lowest id).
    pub fn next_tier(&self, tier: &Product) -> Option<&Product> {
        self.ladder().into_iter().find(|p| p.tier_rank > tier.tier_rank)
    }

    /// Products a client owns, as catalog positions: its contract items plus its tier product (which
    /// the market basket counts as owned even when only the `tier` field names it). Ids missing from
    /// the catalog are ignored: they can neither be recommended nor priced.
    pub fn owned_indices(&self, facts: &ClientFacts) -> BTreeSet<usize> {
        let mut owned: BTreeSet<usize> = facts
            .owned_product_ids
            .iter()
            .filter_map(|id| self.index_of(id))
            .collect();
        if let Some(i) = self.client_tier(facts).and_then(|t| self.index_of(&t.id)) {
            owned.insert(i);
        }
        owned
    }
}

/// What a product costs a client per year: list price × seats for per-seat products, the list
/// price for flat ones.
pub fn price_for(product: &Product, seats: i32) -> Money {
    match product.pricing {
        Pricing::PerSeat => product.annual_price.times_count(seats.max(0).into()),
        Pricing::Flat => product.annual_price,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processes::fixtures::*;

    #[test]
    fn the_contract_tier_wins_over_the_tier_field() {
        let catalog = catalog();
        let mut facts = client("acme", Tier::Starter, 1000, &["tier_professional"]);
        assert_eq!(catalog.client_tier(&facts).unwrap().id, "tier_professional");
        facts.owned_product_ids.clear();
        assert_eq!(catalog.client_tier(&facts).unwrap().id, "tier_starter");
    }

    #[test]
    fn the_next_rung_is_the_next_rank_and_the_top_has_none() {
        let catalog = catalog();
        let standard = catalog.product("tier_standard").unwrap();
        assert_eq!(catalog.next_tier(standard).unwrap().id, "tier_professional");
        assert!(catalog.next_tier(catalog.product("tier_enterprise").unwrap()).is_none());
    }

    #[test]
    fn usage_window_takes_the_latest_on_or_before_as_of_and_six_months_earlier() {
        let months: Vec<UsageSnapshot> = (1..=12)
            .map(|m| usage_at("acme", date(2025, m, 1), 10, 5 + m as i32, 0.5, 0.5))
            .collect();
        let (latest, base) = usage_window(&months, date(2025, 9, 15));
        assert_eq!(latest.unwrap().period_start, date(2025, 9, 1));
        assert_eq!(base.unwrap().period_start, date(2025, 3, 1));
        let (latest, base) = usage_window(&months, date(2025, 5, 31));
        assert_eq!(latest.unwrap().period_start, date(2025, 5, 1));
        assert!(base.is_none(), "no snapshot as early as 2024-11-01");
    }

    #[test]
    fn per_seat_prices_scale_with_seats_and_flat_ones_do_not() {
        let catalog = catalog();
        assert_eq!(
            price_for(catalog.product("addon_analytics").unwrap(), 30),
            Money::from_major(3_600)
        );
        assert_eq!(
            price_for(catalog.product("addon_api").unwrap(), 30),
            Money::from_major(12_000)
        );
    }
}
