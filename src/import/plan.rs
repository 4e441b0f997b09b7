//! The pure heart of an import: check keys and references across all files (whatever order they
//! came in), merge with the stored book, keep derived data as the mutations keep it (health
//! trends, one open renewal per active contract) and refuse a book whose ledger breaks the
//! invariant of DESIGN §3.
use super::checks::{duplicates, references};
use super::consistency::{final_book, ledger_violations, open_missing_renewals};
use super::merge::{self, Rules};
use super::parse::{self, Context, Incoming, Located};
use super::report::{ImportReport, RowError};
use super::source::SourceFile;
use super::Entity;
use crate::domain::health::trend;
use crate::domain::reminder::RenewalReminder;
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
        key: |r: &RenewalReminder| (r.renewal_id.clone(), r.offset_days),
        adopt: |old, new| RenewalReminder { id: old.id, ..new },
        bump: Box::new(|r| r),
        key_column: "offset_days",
    };
    upsert!(reminders, RenewalReminders, rules);

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
