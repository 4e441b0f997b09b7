//! The checks across all files of an import, before anything is merged: no key twice in one
//! entity, and every reference (client, product, contract, …) resolves to a row in the files or
//! in the stored book, whatever order the files came in.
use super::parse::{Incoming, Located};
use super::report::{At, RowError};
use crate::domain::*;
use std::collections::{HashMap, HashSet};

pub(super) fn duplicates(incoming: &Incoming) -> Vec<RowError> {
    fn check<T, K: std::hash::Hash + Eq + std::fmt::Debug>(
        rows: &[Located<T>],
        column: &str,
        key: impl Fn(&T) -> Option<K>,
        errors: &mut Vec<RowError>,
    ) {
        let mut first: HashMap<K, u64> = HashMap::new();
        for row in rows {
            let Some(k) = key(&row.value) else { continue };
            if let Some(line) = first.get(&k) {
                errors.push(RowError::new(
                    &row.at,
                    column,
                    format!("duplicate key {k:?} (first on line {line})"),
                    None,
                ));
            } else {
                first.insert(k, row.at.line);
            }
        }
    }
    let mut e = Vec::new();
    check(&incoming.products, "id", |p| Some(p.id.clone()), &mut e);
    check(&incoming.clients, "id", |c| Some(c.id.clone()), &mut e);
    check(
        &incoming.contacts,
        "email",
        |c| Some((c.client_id.clone(), c.email.clone())),
        &mut e,
    );
    check(&incoming.contracts, "id", |c| Some(c.id.clone()), &mut e);
    check(
        &incoming.usage,
        "period_start",
        |u| Some((u.client_id.clone(), u.period_start)),
        &mut e,
    );
    check(
        &incoming.health,
        "as_of",
        |h| Some((h.client_id.clone(), h.as_of)),
        &mut e,
    );
    check(&incoming.renewals, "id", |r| Some(r.id.clone()), &mut e);
    check(
        &incoming.reminders,
        "offset_days",
        |r| Some((r.renewal_id.clone(), r.offset_days)),
        &mut e,
    );
    check(&incoming.opportunities, "id", |o| Some(o.id.clone()), &mut e);
    check(
        &incoming.opportunities,
        "detection_key",
        |o| o.detection_key.clone(),
        &mut e,
    );
    e
}

/// Every reference must name a row of the files or of the stored book.
pub(super) fn references(existing: &Book, incoming: &Incoming) -> Vec<RowError> {
    let set = |stored: Vec<&str>, new: Vec<&str>| -> HashSet<String> {
        stored.into_iter().chain(new).map(str::to_owned).collect()
    };
    let clients = set(
        existing.clients.iter().map(|c| c.id.as_str()).collect(),
        incoming.clients.iter().map(|c| c.value.id.as_str()).collect(),
    );
    let products = set(
        existing.products.iter().map(|p| p.id.as_str()).collect(),
        incoming.products.iter().map(|p| p.value.id.as_str()).collect(),
    );
    let mut contract_client: HashMap<&str, &str> = existing
        .contracts
        .iter()
        .map(|c| (c.id.as_str(), c.client_id.as_str()))
        .collect();
    contract_client.extend(
        incoming
            .contracts
            .iter()
            .map(|c| (c.value.id.as_str(), c.value.client_id.as_str())),
    );
    let renewals = set(
        existing.renewals.iter().map(|r| r.id.as_str()).collect(),
        incoming.renewals.iter().map(|r| r.value.id.as_str()).collect(),
    );
    let opportunities = set(
        existing.opportunities.iter().map(|o| o.id.as_str()).collect(),
        incoming.opportunities.iter().map(|o| o.value.id.as_str()).collect(),
    );
    let mut e = Vec::new();
    let mut known = |at: &At, column: &str, entity: &str, id: &str, found: bool| {
        if !found {
            e.push(RowError::new(
                at,
                column,
                format!("unknown {entity} `{id}`"),
                Some(format!("the id of a {entity} in the files or the database")),
            ));
        }
    };
    let client = |id: &str| clients.contains(id);
    for r in &incoming.contacts {
        known(
            &r.at,
            "client_id",
            "client",
            &r.value.client_id,
            client(&r.value.client_id),
        );
    }
    for r in &incoming.contracts {
        known(
            &r.at,
            "client_id",
            "client",
            &r.value.client_id,
            client(&r.value.client_id),
        );
    }
    for r in &incoming.contract_items {
        known(
            &r.at,
            "contract_id",
            "contract",
            &r.value.contract_id,
            contract_client.contains_key(r.value.contract_id.as_str()),
        );
        known(
            &r.at,
            "product_id",
            "product",
            &r.value.product_id,
            products.contains(&r.value.product_id),
        );
    }
    for r in &incoming.usage {
        known(
            &r.at,
            "client_id",
            "client",
            &r.value.client_id,
            client(&r.value.client_id),
        );
    }
    for r in &incoming.health {
        known(
            &r.at,
            "client_id",
            "client",
            &r.value.client_id,
            client(&r.value.client_id),
        );
    }
    let of_client = |contract: &str, client: &str| contract_client.get(contract) == Some(&client);
    for r in &incoming.renewals {
        known(
            &r.at,
            "client_id",
            "client",
            &r.value.client_id,
            client(&r.value.client_id),
        );
        known(
            &r.at,
            "contract_id",
            "contract of this client",
            &r.value.contract_id,
            of_client(&r.value.contract_id, &r.value.client_id),
        );
    }
    for r in &incoming.reminders {
        known(
            &r.at,
            "renewal_id",
            "renewal",
            &r.value.renewal_id,
            renewals.contains(&r.value.renewal_id),
        );
    }
    for r in &incoming.opportunities {
        known(
            &r.at,
            "client_id",
            "client",
            &r.value.client_id,
            client(&r.value.client_id),
        );
        if let Some(p) = &r.value.product_id {
            known(&r.at, "product_id", "product", p, products.contains(p));
        }
    }
    for r in &incoming.revenue_events {
        let v = &r.value;
        known(&r.at, "client_id", "client", &v.client_id, client(&v.client_id));
        if let Some(c) = &v.contract_id {
            known(
                &r.at,
                "contract_id",
                "contract of this client",
                c,
                of_client(c, &v.client_id),
            );
        }
        if let Some(o) = &v.opportunity_id {
            known(&r.at, "opportunity_id", "opportunity", o, opportunities.contains(o));
        }
        if let Some(n) = &v.renewal_id {
            known(&r.at, "renewal_id", "renewal", n, renewals.contains(n));
        }
    }
    e
}
