//! The ledger equals the contracts; renewals chain contracts together.
use super::{as_of, book, contract_arr};
use crate::demo::calendar::plus_days;
use crate::domain::{ClientStatus, ContractStatus, Money, OpportunityStage, RenewalStatus, RevenueKind};
use std::collections::HashMap;

#[test]
fn every_clients_ledger_equals_the_arr_of_its_active_contract() {
    let book = book();
    let arr = contract_arr(book);
    let mut ledger: HashMap<&str, Money> = HashMap::new();
    for event in &book.revenue_events {
        *ledger.entry(event.client_id.as_str()).or_default() += event.arr_delta;
    }
    for client in &book.clients {
        let active: Vec<_> = book
            .contracts
            .iter()
            .filter(|c| c.client_id == client.id && c.status == ContractStatus::Active)
            .collect();
        let expected = match client.status {
            ClientStatus::Churned => {
                assert!(active.is_empty(), "{} churned with an active contract", client.id);
                Money::ZERO
            }
            _ => {
                assert_eq!(active.len(), 1, "{} has {} active contracts", client.id, active.len());
                arr[active[0].id.as_str()]
            }
        };
        assert_eq!(
            ledger.get(client.id.as_str()).copied().unwrap_or_default(),
            expected,
            "{}",
            client.id
        );
    }
}

#[test]
fn arr_never_goes_negative_and_the_first_event_is_new_business() {
    let book = book();
    let mut by_client: HashMap<&str, Vec<_>> = HashMap::new();
    for event in &book.revenue_events {
        by_client.entry(event.client_id.as_str()).or_default().push(event);
    }
    for (client, mut events) in by_client {
        events.sort_by_key(|e| (e.occurred_on, !e.kind.is_growth()));
        assert_eq!(events[0].kind, RevenueKind::New, "{client}");
        assert_eq!(
            events.iter().filter(|e| e.kind == RevenueKind::New).count(),
            1,
            "{client}"
        );
        let mut running = Money::ZERO;
        for event in events {
            running += event.arr_delta;
            assert!(!running.is_negative(), "{client} below zero on {}", event.occurred_on);
        }
    }
}

#[test]
fn each_active_contract_has_exactly_one_open_renewal_and_churned_clients_none() {
    let book = book();
    let mut open: HashMap<&str, usize> = HashMap::new();
    for renewal in book.renewals.iter().filter(|r| r.status == RenewalStatus::Open) {
        *open.entry(renewal.contract_id.as_str()).or_default() += 1;
    }
    for contract in &book.contracts {
        let expected = usize::from(contract.status == ContractStatus::Active);
        assert_eq!(
            open.get(contract.id.as_str()).copied().unwrap_or(0),
            expected,
            "{}",
            contract.id
        );
    }
    let churned: Vec<&str> = book
        .clients
        .iter()
        .filter(|c| c.status == ClientStatus::Churned)
        .map(|c| c.id.as_str())
        .collect();
    assert!(!churned.is_empty(), "the demo has churned clients");
    assert!(book
        .renewals
        .iter()
        .all(|r| r.status != RenewalStatus::Open || !churned.contains(&r.client_id.as_str())));
    let overdue = book
        .renewals
        .iter()
        .filter(|r| r.status == RenewalStatus::Open && r.renewal_date < as_of())
        .count();
    let upcoming = book
        .renewals
        .iter()
        .filter(|r| r.status == RenewalStatus::Open && r.renewal_date >= as_of())
        .count();
    assert!(
        overdue > 0 && upcoming > 10 * overdue,
        "{overdue} overdue, {upcoming} upcoming"
    );
}

#[test]
fn closed_renewals_lead_to_the_next_contract_the_day_after() {
    let book = book();
    let arr = contract_arr(book);
    let contracts: HashMap<&str, _> = book.contracts.iter().map(|c| (c.id.as_str(), c)).collect();
    for renewal in &book.renewals {
        let contract = contracts[renewal.contract_id.as_str()];
        assert_eq!(
            renewal.target_arr,
            arr[contract.id.as_str()],
            "{} targets its contract's ARR",
            renewal.id
        );
        assert_eq!(renewal.renewal_date, contract.renewal_date);
        let next = book
            .contracts
            .iter()
            .find(|c| c.client_id == contract.client_id && c.start_date == plus_days(contract.end_date, 1));
        match renewal.status {
            RenewalStatus::Open => assert_eq!(contract.status, ContractStatus::Active),
            RenewalStatus::Churned => {
                assert_eq!(contract.status, ContractStatus::Churned);
                assert_eq!(renewal.outcome_arr, Some(Money::ZERO));
                assert!(next.is_none());
            }
            status => {
                assert_eq!(contract.status, ContractStatus::Renewed);
                let next = next.unwrap_or_else(|| panic!("{} has no next contract", renewal.id));
                let outcome = renewal.outcome_arr.unwrap();
                // The next contract may have grown mid-term since: those lines came with won deals.
                let added: Money = book
                    .revenue_events
                    .iter()
                    .filter(|e| e.opportunity_id.is_some() && e.contract_id.as_ref() == Some(&next.id))
                    .map(|e| e.arr_delta)
                    .sum();
                assert_eq!(outcome, arr[next.id.as_str()] - added, "{}", renewal.id);
                assert_eq!(
                    status == RenewalStatus::Downgraded,
                    outcome < renewal.target_arr,
                    "{}",
                    renewal.id
                );
            }
        }
    }
}

#[test]
fn won_opportunities_are_booked_as_expansion_on_the_contract_in_force() {
    let book = book();
    let won: Vec<_> = book
        .opportunities
        .iter()
        .filter(|o| o.stage == OpportunityStage::Won)
        .collect();
    assert!(won.len() >= 10, "only {} won deals", won.len());
    for opportunity in won {
        let events: Vec<_> = book
            .revenue_events
            .iter()
            .filter(|e| e.opportunity_id.as_deref() == Some(opportunity.id.as_str()))
            .collect();
        assert_eq!(events.len(), 1, "{}", opportunity.id);
        let event = events[0];
        assert_eq!(event.kind, RevenueKind::Expansion);
        assert_eq!(event.category.as_str(), opportunity.opportunity_type.as_str());
        assert_eq!(event.arr_delta, opportunity.value);
        assert_eq!(Some(event.occurred_on), opportunity.closed_on);
        let contract = book
            .contracts
            .iter()
            .find(|c| Some(&c.id) == event.contract_id.as_ref())
            .unwrap();
        assert!(contract.start_date <= event.occurred_on && event.occurred_on <= contract.end_date);
        assert!(book.contract_items.iter().any(|i| i.contract_id == contract.id
            && Some(&i.product_id) == opportunity.product_id.as_ref()
            && i.arr == opportunity.value));
    }
}

#[test]
fn the_ledger_shows_every_kind_of_movement() {
    let book = book();
    let has = |kind: RevenueKind, category: &str| {
        book.revenue_events
            .iter()
            .any(|e| e.kind == kind && e.category.as_str() == category)
    };
    assert!(has(RevenueKind::New, "other"));
    assert!(has(RevenueKind::Churn, "renewal"));
    assert!(has(RevenueKind::Contraction, "renewal"));
    for category in ["renewal", "upsell", "user_expansion", "cross_sell"] {
        assert!(has(RevenueKind::Expansion, category), "no {category} expansion");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    /// Small books of any seed and date keep the ledger and the renewals straight.
    #[test]
    fn any_small_book_keeps_the_ledger_and_one_open_renewal_per_active_contract(
        seed in proptest::prelude::any::<u64>(),
        clients in 1usize..25,
        days_back in 0i64..4000,
    ) {
        let as_of = plus_days(as_of(), -days_back);
        let book = crate::demo::generate(&crate::demo::DemoParams { clients, seed, as_of });
        let arr = contract_arr(&book);
        for client in &book.clients {
            let ledger: Money = book.revenue_events.iter().filter(|e| e.client_id == client.id).map(|e| e.arr_delta).sum();
            let active: Vec<_> = book.contracts.iter()
                .filter(|c| c.client_id == client.id && c.status == ContractStatus::Active).collect();
            let expected: Money = active.iter().map(|c| arr[c.id.as_str()]).sum();
            proptest::prop_assert_eq!(ledger, expected);
            proptest::prop_assert_eq!(active.len(), usize::from(client.status != ClientStatus::Churned));
        }
        let open = book.renewals.iter().filter(|r| r.status == RenewalStatus::Open).count();
        let active = book.contracts.iter().filter(|c| c.status == ContractStatus::Active).count();
        proptest::prop_assert_eq!(open, active);
        proptest::prop_assert!(book.revenue_events.iter().all(|e| e.occurred_on <= as_of));
    }
}
