//! Every row satisfies the table's CHECK constraints and unique keys, and nothing is dated
//! after `as_of` except what is scheduled (open renewals, active contract ends, expected closes).
use super::{as_of, book};
use crate::demo::calendar::{at, plus_days};
use crate::domain::health::{trend, HealthWeights};
use crate::domain::ids::validate_client_id;
use crate::domain::validate::email;
use crate::domain::{ContractStatus, ProductKind, RenewalStatus};
use chrono::Datelike;
use std::collections::{HashMap, HashSet};

#[test]
fn products_clients_and_contacts_respect_their_constraints() {
    let book = book();
    for p in &book.products {
        assert_eq!(p.kind == ProductKind::Tier, p.tier_rank.is_some(), "{}", p.id);
        assert!(!p.annual_price.is_negative());
    }
    let end_of_day = at(plus_days(as_of(), 1), 0);
    for c in &book.clients {
        validate_client_id("id", &c.id).unwrap();
        assert!(c.acquisition_cost.is_none_or(|m| !m.is_negative()) && c.version >= 1);
        assert!(c.customer_since <= as_of() && c.customer_since >= plus_days(as_of(), -5 * 366));
        assert!(c.created_at <= c.updated_at && c.updated_at < end_of_day, "{}", c.id);
    }
    assert!(book.clients.iter().filter(|c| c.acquisition_cost.is_some()).count() * 4 > book.clients.len() * 3);
    let mut per_client: HashMap<&str, (usize, usize)> = HashMap::new();
    for contact in &book.contacts {
        assert_eq!(email("email", &contact.email).unwrap(), contact.email);
        assert_eq!(contact.email, contact.email.to_lowercase());
        let entry = per_client.entry(contact.client_id.as_str()).or_default();
        *entry = (entry.0 + 1, entry.1 + usize::from(contact.is_primary));
    }
    assert_eq!(per_client.len(), book.clients.len());
    assert!(per_client
        .values()
        .all(|&(n, primary)| (2..=4).contains(&n) && primary == 1));
}

#[test]
fn contracts_and_items_respect_their_constraints() {
    let book = book();
    let products: HashSet<&str> = book.products.iter().map(|p| p.id.as_str()).collect();
    let contracts: HashSet<&str> = book.contracts.iter().map(|c| c.id.as_str()).collect();
    for c in &book.contracts {
        assert!(c.end_date > c.start_date && c.start_date <= as_of(), "{}", c.id);
        assert!((0.0..=1.0).contains(&c.discount) && c.seats >= 0 && c.notice_period_days >= 0);
        if c.status != ContractStatus::Active {
            assert!(c.end_date < as_of(), "{} ended", c.id);
        }
    }
    for item in &book.contract_items {
        assert!(item.quantity >= 0 && !item.arr.is_negative());
        assert!(products.contains(item.product_id.as_str()) && contracts.contains(item.contract_id.as_str()));
    }
}

#[test]
fn snapshots_are_monthly_unique_in_range_and_only_while_a_customer() {
    let book = book();
    let since: HashMap<&str, _> = book.clients.iter().map(|c| (c.id.as_str(), c.customer_since)).collect();
    let mut usage_keys = HashSet::new();
    for u in &book.usage {
        assert!(
            usage_keys.insert((u.client_id.as_str(), u.period_start)),
            "duplicate usage"
        );
        assert!(
            u.period_start.day() == 1 && u.period_start <= as_of() && u.period_start >= since[u.client_id.as_str()]
        );
        assert!(
            u.seats_licensed >= 0
                && u.active_users >= 0
                && u.active_users as f64 <= 1.1 * u.seats_licensed as f64 + 1.0
        );
        assert!(u.usage_rate >= 0.0 && (0.0..=1.0).contains(&u.feature_adoption));
        assert!(u.api_calls >= 0 && u.logins >= 0 && u.reports_exported >= 0);
    }
    let mut health_keys = HashSet::new();
    let mut previous: HashMap<&str, f64> = HashMap::new();
    for h in &book.health {
        assert!(health_keys.insert((h.client_id.as_str(), h.as_of)), "duplicate health");
        assert!(h.as_of <= as_of() && h.as_of >= since[h.client_id.as_str()]);
        h.components.validate().unwrap();
        assert_eq!(h.overall_score, h.components.overall(&HealthWeights::default()));
        assert!((0.0..=100.0).contains(&h.overall_score));
        assert_eq!(
            h.trend,
            trend(previous.get(h.client_id.as_str()).copied(), h.overall_score)
        );
        previous.insert(h.client_id.as_str(), h.overall_score);
    }
    let oldest = book.health.iter().map(|h| h.as_of).min().unwrap();
    assert!(
        oldest >= plus_days(as_of(), -36 * 31) && oldest <= plus_days(as_of(), -35 * 30),
        "{oldest}"
    );
}

#[test]
fn renewals_opportunities_and_events_respect_their_constraints() {
    let book = book();
    let end_of_day = at(plus_days(as_of(), 1), 0);
    let mut open_per_contract = HashSet::new();
    for r in &book.renewals {
        assert_eq!(r.status == RenewalStatus::Open, r.closed_at.is_none(), "{}", r.id);
        assert!(!r.target_arr.is_negative() && r.outcome_arr.is_none_or(|m| !m.is_negative()));
        assert!(r.closed_at.is_none_or(|t| t < end_of_day));
        if r.status == RenewalStatus::Open {
            assert!(open_per_contract.insert(r.contract_id.as_str()));
        } else {
            assert!(r.renewal_date < as_of());
        }
    }
    let products: HashSet<&str> = book.products.iter().map(|p| p.id.as_str()).collect();
    for o in &book.opportunities {
        assert!((0.0..=1.0).contains(&o.probability) && !o.value.is_negative() && o.version >= 1);
        assert!(o.product_id.as_deref().is_none_or(|p| products.contains(p)));
        assert!(o.created_at < end_of_day && o.closed_on.is_none_or(|d| d <= as_of()));
        assert_eq!(o.stage.is_closed(), o.closed_on.is_some(), "{}", o.id);
        assert!(!o.reasons.is_empty());
    }
    let opportunities: HashSet<&str> = book.opportunities.iter().map(|o| o.id.as_str()).collect();
    let renewals: HashSet<&str> = book.renewals.iter().map(|r| r.id.as_str()).collect();
    let contracts: HashSet<&str> = book.contracts.iter().map(|c| c.id.as_str()).collect();
    for e in &book.revenue_events {
        assert_eq!(e.kind.is_growth(), e.arr_delta.cents() > 0, "sign of {e:?}");
        assert!(e.arr_delta.cents() != 0 && e.occurred_on <= as_of());
        assert!(e.contract_id.as_deref().is_none_or(|id| contracts.contains(id)));
        assert!(e.opportunity_id.as_deref().is_none_or(|id| opportunities.contains(id)));
        assert!(e.renewal_id.as_deref().is_none_or(|id| renewals.contains(id)));
    }
}
