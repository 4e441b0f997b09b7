//! The pure heart of an import: check keys and references across all files (whatever order they
//! came in), merge with the stored book, keep derived data as the mutations keep it (health
//! trends, one open renewal per active contract) and refuse a book whose ledger breaks the
//! invariant of DESIGN §3.
use super::merge::{self, Rules};
use super::parse::{self, Context, Incoming, Located};
use super::report::{At, ImportReport, RowError};
use super::source::SourceFile;
use super::Entity;
use crate::domain::health::trend;
use crate::domain::*;
use std::collections::{BTreeMap, HashMap, HashSet};

/// `upsert` (default) updates rows whose key exists; `insert` refuses them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    #[default]
    Upsert,
    Insert,
}

/// What to write: new rows, changed rows (with their stored ids), lines to delete.
#[derive(Debug, Default)]
pub struct Plan {
    pub insert: Book,
    pub update: Book,
    pub delete_items: Vec<i64>,
    pub delete_events: Vec<i64>,
    pub report: ImportReport,
}

/// Plans the import of `files` into `existing`; the report holds every problem when it fails.
pub fn plan(existing: &Book, files: &[SourceFile], mode: Mode, ctx: &Context) -> Result<Plan, ImportReport> {
    let (incoming, errors) = parse::parse(files, ctx);
    let mut report = ImportReport {
        rows: incoming.rows,
        ..ImportReport::default()
    };
    report.add_errors(errors);
    report.add_errors(duplicates(&incoming));
    report.add_errors(references(existing, &incoming));
    if !report.is_valid() {
        return Err(report);
    }
    let mut errors = Vec::new();
    let mut plan = merge_all(existing, incoming, mode, ctx, &mut report, &mut errors);
    if errors.is_empty() {
        errors.extend(ledger_violations(&final_book(existing, &plan)));
    }
    report.add_errors(errors);
    if !report.is_valid() {
        return Err(report);
    }
    plan.report = report;
    Ok(plan)
}

fn duplicates(incoming: &Incoming) -> Vec<RowError> {
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
fn references(existing: &Book, incoming: &Incoming) -> Vec<RowError> {
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

fn merge_all(
    existing: &Book,
    mut incoming: Incoming,
    mode: Mode,
    ctx: &Context,
    report: &mut ImportReport,
    errors: &mut Vec<RowError>,
) -> Plan {
    let now = ctx.now;
    let mut plan = Plan::default();
    let (ins, upd) = (&mut plan.insert, &mut plan.update);
    // Upserts `incoming.$field` into `existing.$field` by `$rules`, counting under `$entity`.
    macro_rules! upsert {
        ($field:ident, $entity:ident, $rules:expr) => {
            let m = merge::keyed(
                &existing.$field,
                std::mem::take(&mut incoming.$field),
                &$rules,
                mode,
                report.entity(Entity::$entity),
                errors,
            );
            (ins.$field, upd.$field) = (m.inserts, m.updates);
        };
    }

    let rules = Rules {
        key: |p: &Product| p.id.clone(),
        adopt: |_, new| new,
        bump: Box::new(|p| p),
        key_column: "id",
    };
    upsert!(products, Products, rules);

    let rules = Rules {
        key: |c: &Client| c.id.clone(),
        adopt: |old, new| Client {
            created_at: old.created_at,
            updated_at: old.updated_at,
            version: old.version,
            ..new
        },
        bump: Box::new(move |c| Client {
            version: c.version + 1,
            updated_at: now,
            ..c
        }),
        key_column: "id",
    };
    upsert!(clients, Clients, rules);

    let rules = Rules {
        key: |c: &Contact| (c.client_id.clone(), c.email.clone()),
        adopt: |old, new| Contact { id: old.id, ..new },
        bump: Box::new(|c| c),
        key_column: "email",
    };
    upsert!(contacts, Contacts, rules);

    let rules = Rules {
        key: |c: &Contract| c.id.clone(),
        adopt: |_, new| new,
        bump: Box::new(|c| c),
        key_column: "id",
    };
    upsert!(contracts, Contracts, rules);

    let m = merge::lines(
        &existing.contract_items,
        std::mem::take(&mut incoming.contract_items),
        |i| i.contract_id.clone(),
        |i| (i.product_id.clone(), i.quantity, i.arr),
        |i| i.id,
        report.entity(Entity::ContractItems),
    );
    (ins.contract_items, plan.delete_items) = (m.inserts, m.deletes);

    let rules = Rules {
        key: |u: &UsageSnapshot| (u.client_id.clone(), u.period_start),
        adopt: |old, new| UsageSnapshot { id: old.id, ..new },
        bump: Box::new(|u| u),
        key_column: "period_start",
    };
    upsert!(usage, UsageSnapshots, rules);

    let retrended = with_trends(&existing.health, &mut incoming.health);
    let rules = Rules {
        key: |h: &HealthSnapshot| (h.client_id.clone(), h.as_of),
        adopt: |old, new| HealthSnapshot { id: old.id, ..new },
        bump: Box::new(|h| h),
        key_column: "as_of",
    };
    upsert!(health, HealthSnapshots, rules);
    report.entity(Entity::HealthSnapshots).updated += retrended.len() as u64;
    upd.health.extend(retrended);

    let rules = Rules {
        key: |r: &Renewal| r.id.clone(),
        adopt: |_, new| new,
        bump: Box::new(|r| r),
        key_column: "id",
    };
    upsert!(renewals, Renewals, rules);

    let rules = Rules {
        key: |o: &Opportunity| o.id.clone(),
        adopt: |old, new| Opportunity {
            version: old.version,
            created_at: old.created_at,
            ..new
        },
        bump: Box::new(|o| Opportunity {
            version: o.version + 1,
            ..o
        }),
        key_column: "id",
    };
    upsert!(opportunities, Opportunities, rules);

    let m = merge::lines(
        &existing.revenue_events,
        std::mem::take(&mut incoming.revenue_events),
        |e| e.client_id.clone(),
        |e| {
            (
                e.occurred_on,
                e.kind,
                e.category,
                e.arr_delta,
                e.contract_id.clone(),
                e.opportunity_id.clone(),
                e.renewal_id.clone(),
            )
        },
        |e| e.id,
        report.entity(Entity::RevenueEvents),
    );
    (ins.revenue_events, plan.delete_events) = (m.inserts, m.deletes);

    let opened = open_missing_renewals(&final_book(existing, &plan));
    report.entity(Entity::Renewals).inserted += opened.len() as u64;
    plan.insert.renewals.extend(opened);
    plan
}

/// Sets each incoming snapshot's trend against the client's previous one (stored or incoming);
/// returns the stored snapshots whose trend changes because a snapshot now precedes them.
fn with_trends(stored: &[HealthSnapshot], incoming: &mut [Located<HealthSnapshot>]) -> Vec<HealthSnapshot> {
    let touched: HashSet<&str> = incoming.iter().map(|h| h.value.client_id.as_str()).collect();
    let mut series: HashMap<String, BTreeMap<chrono::NaiveDate, (f64, Option<usize>)>> = HashMap::new();
    let stored_index: HashMap<(&str, chrono::NaiveDate), usize> = stored
        .iter()
        .enumerate()
        .map(|(i, h)| ((h.client_id.as_str(), h.as_of), i))
        .collect();
    for h in stored.iter().filter(|h| touched.contains(h.client_id.as_str())) {
        series
            .entry(h.client_id.clone())
            .or_default()
            .insert(h.as_of, (h.overall_score, None));
    }
    for (i, h) in incoming.iter().enumerate() {
        series
            .entry(h.value.client_id.clone())
            .or_default()
            .insert(h.value.as_of, (h.value.overall_score, Some(i)));
    }
    let mut changed = Vec::new();
    for (client, points) in &series {
        let mut previous = None;
        for (date, (overall, source)) in points {
            let t = trend(previous, *overall);
            match source {
                Some(i) => incoming[*i].value.trend = t,
                None => {
                    let old = &stored[stored_index[&(client.as_str(), *date)]];
                    if old.trend != t {
                        changed.push(HealthSnapshot {
                            trend: t,
                            ..old.clone()
                        });
                    }
                }
            }
            previous = Some(*overall);
        }
    }
    changed
}

/// The stored book with the plan applied (for the checks that need the whole result).
fn final_book(existing: &Book, plan: &Plan) -> Book {
    fn apply<T: Clone, K: std::hash::Hash + Eq>(
        old: &[T],
        updates: &[T],
        inserts: &[T],
        key: impl Fn(&T) -> K,
    ) -> Vec<T> {
        let changed: HashMap<K, &T> = updates.iter().map(|t| (key(t), t)).collect();
        old.iter()
            .map(|t| changed.get(&key(t)).map_or_else(|| t.clone(), |n| (*n).clone()))
            .chain(inserts.iter().cloned())
            .collect()
    }
    let (i, u) = (&plan.insert, &plan.update);
    let deleted_items: HashSet<i64> = plan.delete_items.iter().copied().collect();
    let deleted_events: HashSet<i64> = plan.delete_events.iter().copied().collect();
    Book {
        products: Vec::new(),
        clients: apply(&existing.clients, &u.clients, &i.clients, |c| c.id.clone()),
        contacts: Vec::new(),
        contracts: apply(&existing.contracts, &u.contracts, &i.contracts, |c| c.id.clone()),
        contract_items: existing
            .contract_items
            .iter()
            .filter(|x| !deleted_items.contains(&x.id))
            .chain(&i.contract_items)
            .cloned()
            .collect(),
        usage: Vec::new(),
        health: Vec::new(),
        renewals: apply(&existing.renewals, &u.renewals, &i.renewals, |r| r.id.clone()),
        opportunities: Vec::new(),
        revenue_events: existing
            .revenue_events
            .iter()
            .filter(|x| !deleted_events.contains(&x.id))
            .chain(&i.revenue_events)
            .cloned()
            .collect(),
    }
}

/// An open renewal for every active contract that has none, as `createContract` opens one:
/// due on the contract's renewal date, for the contract's ARR.
fn open_missing_renewals(book: &Book) -> Vec<Renewal> {
    let open: HashSet<&str> = book
        .renewals
        .iter()
        .filter(|r| r.status == RenewalStatus::Open)
        .map(|r| r.contract_id.as_str())
        .collect();
    let mut next = book
        .renewals
        .iter()
        .filter_map(|r| r.id.strip_prefix("RNW-")?.parse::<i64>().ok())
        .max()
        .unwrap_or(0);
    let mut arr: HashMap<&str, Money> = HashMap::new();
    for item in &book.contract_items {
        *arr.entry(item.contract_id.as_str()).or_default() += item.arr;
    }
    let mut opened = Vec::new();
    for c in book
        .contracts
        .iter()
        .filter(|c| c.status == ContractStatus::Active && !open.contains(c.id.as_str()))
    {
        next += 1;
        opened.push(Renewal {
            id: crate::domain::ids::sequential("RNW", next),
            contract_id: c.id.clone(),
            client_id: c.client_id.clone(),
            renewal_date: c.renewal_date,
            target_arr: arr.get(c.id.as_str()).copied().unwrap_or_default(),
            status: RenewalStatus::Open,
            outcome_arr: None,
            closed_at: None,
        });
    }
    opened
}

/// DESIGN §3: every client's ledger sums to the ARR of its active contract (zero without one),
/// and a client has at most one active contract.
pub fn ledger_violations(book: &Book) -> Vec<RowError> {
    let mut ledger: HashMap<&str, Money> = HashMap::new();
    for e in &book.revenue_events {
        *ledger.entry(e.client_id.as_str()).or_default() += e.arr_delta;
    }
    let mut item_arr: HashMap<&str, Money> = HashMap::new();
    for item in &book.contract_items {
        *item_arr.entry(item.contract_id.as_str()).or_default() += item.arr;
    }
    let mut active: HashMap<&str, Vec<&Contract>> = HashMap::new();
    for c in book.contracts.iter().filter(|c| c.status == ContractStatus::Active) {
        active.entry(c.client_id.as_str()).or_default().push(c);
    }
    let at = At {
        file: Entity::RevenueEvents.name().to_owned(),
        line: 0,
    };
    let mut errors = Vec::new();
    for client in &book.clients {
        let contracts = active.get(client.id.as_str()).cloned().unwrap_or_default();
        if contracts.len() > 1 {
            let ids: Vec<&str> = contracts.iter().map(|c| c.id.as_str()).collect();
            errors.push(RowError::new(
                &at,
                "",
                format!(
                    "client {} has {} active contracts: {}",
                    client.id,
                    ids.len(),
                    ids.join(", ")
                ),
                Some("one active contract per client".into()),
            ));
            continue;
        }
        let expected = contracts.first().map_or(Money::ZERO, |c| {
            item_arr.get(c.id.as_str()).copied().unwrap_or_default()
        });
        let actual = ledger.get(client.id.as_str()).copied().unwrap_or_default();
        if actual != expected {
            let what = contracts
                .first()
                .map_or("no active contract".to_owned(), |c| format!("active contract {}", c.id));
            errors.push(RowError::new(
                &at,
                "arr_delta",
                format!(
                    "client {}: the ledger sums to {actual} but its {what} is worth {expected}",
                    client.id
                ),
                Some("events summing to the ARR of the client's active contract".into()),
            ));
        }
    }
    errors
}
