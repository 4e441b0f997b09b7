//! The data carries the signals the processes look for.
use super::{as_of, book};
use crate::demo::calendar::plus_days;
use crate::domain::{ClientStatus, HealthSnapshot, LifecycleStage, OpportunityStage, RenewalStatus, Tier};
use std::collections::{HashMap, HashSet};

/// Latest health snapshot of each client dated on or before a day.
fn health_on<'a>(
    by_client: &HashMap<&str, Vec<&'a HealthSnapshot>>,
    client: &str,
    day: chrono::NaiveDate,
) -> Option<&'a HealthSnapshot> {
    by_client
        .get(client)?
        .iter()
        .filter(|h| h.as_of <= day)
        .max_by_key(|h| h.as_of)
        .copied()
}

#[test]
fn healthy_clients_renew_clearly_more_often_than_unhealthy_ones() {
    let book = book();
    let mut by_client: HashMap<&str, Vec<&HealthSnapshot>> = HashMap::new();
    for h in &book.health {
        by_client.entry(h.client_id.as_str()).or_default().push(h);
    }
    let (mut healthy, mut unhealthy) = ((0, 0), (0, 0));
    for renewal in book.renewals.iter().filter(|r| r.status != RenewalStatus::Open) {
        let Some(h) = health_on(&by_client, &renewal.client_id, plus_days(renewal.renewal_date, -30)) else {
            continue;
        };
        let kept = usize::from(renewal.status != RenewalStatus::Churned);
        if h.overall_score >= 70.0 {
            healthy = (healthy.0 + kept, healthy.1 + 1);
        } else if h.overall_score < 50.0 {
            unhealthy = (unhealthy.0 + kept, unhealthy.1 + 1);
        }
    }
    assert!(
        healthy.1 >= 30 && unhealthy.1 >= 15,
        "samples: {healthy:?} {unhealthy:?}"
    );
    let rate = |(kept, n): (usize, usize)| kept as f64 / n as f64;
    assert!(
        rate(healthy) - rate(unhealthy) >= 0.25,
        "healthy {healthy:?} vs unhealthy {unhealthy:?}"
    );
}

#[test]
fn some_active_clients_show_each_expansion_signal() {
    let book = book();
    let active: HashSet<&str> = book
        .clients
        .iter()
        .filter(|c| c.status == ClientStatus::Active)
        .map(|c| c.id.as_str())
        .collect();
    let latest = book
        .usage
        .iter()
        .filter(|u| u.period_start > plus_days(as_of(), -31) && active.contains(u.client_id.as_str()));
    let (mut crowded, mut over_limit, mut low_adoption) = (0, 0, 0);
    for usage in latest {
        crowded += usize::from(usage.active_users as f64 >= 0.85 * usage.seats_licensed as f64);
        over_limit += usize::from(usage.usage_rate > 1.0);
        low_adoption += usize::from(usage.feature_adoption < 0.4);
    }
    assert!(
        crowded >= 10 && over_limit >= 10 && low_adoption >= 10,
        "{crowded} {over_limit} {low_adoption}"
    );
}

#[test]
fn lifecycle_stages_follow_the_data() {
    let book = book();
    let stages: HashSet<LifecycleStage> = book.clients.iter().map(|c| c.lifecycle_stage).collect();
    for stage in LifecycleStage::ALL {
        assert!(stages.contains(stage), "no client is {stage}");
    }
    for client in &book.clients {
        assert_eq!(
            client.status == ClientStatus::Churned,
            client.lifecycle_stage == LifecycleStage::Churned
        );
        if client.lifecycle_stage == LifecycleStage::Onboarding {
            assert!(client.customer_since > plus_days(as_of(), -90));
        }
    }
}

#[test]
fn lower_tiers_outnumber_enterprise() {
    let book = book();
    let count = |tier: Tier| book.clients.iter().filter(|c| c.tier == tier).count();
    assert!(count(Tier::Starter) + count(Tier::Standard) > 2 * count(Tier::Enterprise));
    assert!(count(Tier::Enterprise) > 0);
}

#[test]
fn the_pipeline_has_open_won_and_lost_opportunities() {
    let book = book();
    let count = |stage: OpportunityStage| book.opportunities.iter().filter(|o| o.stage == stage).count();
    for stage in OpportunityStage::ALL {
        assert!(count(*stage) > 0, "no {stage} opportunity");
    }
    let types: HashSet<_> = book.opportunities.iter().map(|o| o.opportunity_type).collect();
    assert!(types.len() >= 5, "{types:?}");
}
