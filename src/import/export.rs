//! Writing a book in the import formats, one file per entity: what `export` writes, `import`
//! reads back to the same book (derived values — health trends, ids of database rows — are
//! recomputed, not written).
use super::source::Format;
use super::Entity;
use crate::domain::*;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value};
use std::io::Write;
use std::path::Path;

/// One exported value.
enum Out {
    Text(String),
    Number(String),
    Bool(bool),
    List(Vec<String>),
    Empty,
}

fn t(s: &str) -> Out {
    Out::Text(s.to_owned())
}
fn opt(s: Option<&str>) -> Out {
    s.map_or(Out::Empty, t)
}
fn n(v: impl ToString) -> Out {
    Out::Number(v.to_string())
}
fn money(m: Money) -> Out {
    Out::Text(m.to_string())
}
fn time(at: DateTime<Utc>) -> Out {
    Out::Text(at.to_rfc3339_opts(SecondsFormat::AutoSi, true))
}
fn date(d: chrono::NaiveDate) -> Out {
    Out::Text(d.to_string())
}

/// The rows of `entity` in `book`, each in [`Entity::columns`] order.
fn rows(book: &Book, entity: Entity) -> Vec<Vec<Out>> {
    match entity {
        Entity::Products => book
            .products
            .iter()
            .map(|p| {
                vec![
                    t(&p.id),
                    t(&p.name),
                    t(&p.family),
                    t(p.kind.as_str()),
                    p.tier_rank.map_or(Out::Empty, n),
                    t(p.pricing.as_str()),
                    money(p.annual_price),
                ]
            })
            .collect(),
        Entity::Clients => book
            .clients
            .iter()
            .map(|c| {
                vec![
                    t(&c.id),
                    t(&c.name),
                    t(&c.company_name),
                    t(&c.industry),
                    t(c.tier.as_str()),
                    t(c.lifecycle_stage.as_str()),
                    t(c.status.as_str()),
                    opt(c.csm_owner.as_deref()),
                    date(c.customer_since),
                    c.acquisition_cost.map_or(Out::Empty, money),
                    time(c.created_at),
                ]
            })
            .collect(),
        Entity::Contacts => book
            .contacts
            .iter()
            .map(|c| {
                vec![
                    t(&c.client_id),
                    t(&c.name),
                    t(&c.email),
                    t(c.role.as_str()),
                    Out::Bool(c.is_primary),
                ]
            })
            .collect(),
        Entity::Contracts => book
            .contracts
            .iter()
            .map(|c| {
                vec![
                    t(&c.id),
                    t(&c.client_id),
                    t(c.contract_type.as_str()),
                    date(c.start_date),
                    date(c.end_date),
                    date(c.renewal_date),
                    Out::Bool(c.auto_renew),
                    n(c.notice_period_days),
                    t(c.payment_status.as_str()),
                    n(c.seats),
                    n(c.discount),
                    t(c.status.as_str()),
                ]
            })
            .collect(),
        Entity::ContractItems => book
            .contract_items
            .iter()
            .map(|i| vec![t(&i.contract_id), t(&i.product_id), n(i.quantity), money(i.arr)])
            .collect(),
        Entity::UsageSnapshots => book
            .usage
            .iter()
            .map(|u| {
                vec![
                    t(&u.client_id),
                    date(u.period_start),
                    n(u.seats_licensed),
                    n(u.active_users),
                    n(u.usage_rate),
                    n(u.feature_adoption),
                    n(u.api_calls),
                    n(u.logins),
                    n(u.reports_exported),
                ]
            })
            .collect(),
        Entity::HealthSnapshots => book
            .health
            .iter()
            .map(|h| {
                let c = h.components;
                vec![
                    t(&h.client_id),
                    date(h.as_of),
                    n(c.usage),
                    n(c.engagement),
                    n(c.support),
                    n(c.satisfaction),
                    n(c.payment),
                    n(h.overall_score),
                ]
            })
            .collect(),
        Entity::Renewals => book
            .renewals
            .iter()
            .map(|r| {
                vec![
                    t(&r.id),
                    t(&r.contract_id),
                    t(&r.client_id),
                    date(r.renewal_date),
                    money(r.target_arr),
                    t(r.status.as_str()),
                    r.outcome_arr.map_or(Out::Empty, money),
                    r.closed_at.map_or(Out::Empty, time),
                ]
            })
            .collect(),
        Entity::RenewalReminders => book
            .reminders
            .iter()
            .map(|r| {
                vec![
                    t(&r.renewal_id),
                    n(r.offset_days),
                    date(r.due_date),
                    t(r.status.as_str()),
                    r.completed_at.map_or(Out::Empty, time),
                    opt(r.note.as_deref()),
                ]
            })
            .collect(),
        Entity::Opportunities => book
            .opportunities
            .iter()
            .map(|o| {
                vec![
                    t(&o.id),
                    t(&o.client_id),
                    t(o.opportunity_type.as_str()),
                    opt(o.product_id.as_deref()),
                    t(&o.name),
                    money(o.value),
                    n(o.probability),
                    t(o.stage.as_str()),
                    t(o.source.as_str()),
                    opt(o.detection_key.as_deref()),
                    Out::List(o.reasons.clone()),
                    o.expected_close_date.map_or(Out::Empty, date),
                    o.closed_on.map_or(Out::Empty, date),
                    opt(o.owner.as_deref()),
                    time(o.created_at),
                ]
            })
            .collect(),
        Entity::RevenueEvents => book
            .revenue_events
            .iter()
            .map(|e| {
                vec![
                    t(&e.client_id),
                    date(e.occurred_on),
                    t(e.kind.as_str()),
                    t(e.category.as_str()),
                    money(e.arr_delta),
                    opt(e.contract_id.as_deref()),
                    opt(e.opportunity_id.as_deref()),
                    opt(e.renewal_id.as_deref()),
                ]
            })
            .collect(),
    }
}

/// The file of `entity` as text in `format`.
pub fn render(book: &Book, entity: Entity, format: Format) -> anyhow::Result<String> {
    let columns = entity.columns();
    let rows = rows(book, entity);
    match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(columns.iter().map(|(name, _)| *name))?;
            for row in rows {
                w.write_record(row.into_iter().map(|cell| match cell {
                    Out::Text(s) | Out::Number(s) => s,
                    Out::Bool(b) => b.to_string(),
                    Out::List(l) if l.is_empty() => String::new(),
                    Out::List(l) => Value::from(l).to_string(),
                    Out::Empty => String::new(),
                }))?;
            }
            Ok(String::from_utf8(w.into_inner()?)?)
        }
        Format::JsonLines => {
            let mut out = String::new();
            for row in rows {
                let mut object = Map::new();
                for ((name, _), cell) in columns.iter().zip(row) {
                    let value = match cell {
                        Out::Text(s) => Value::from(s),
                        Out::Number(s) => serde_json::from_str(&s)?,
                        Out::Bool(b) => Value::from(b),
                        Out::List(l) => Value::from(l),
                        Out::Empty => continue,
                    };
                    object.insert((*name).to_owned(), value);
                }
                out.push_str(&Value::Object(object).to_string());
                out.push('\n');
            }
            Ok(out)
        }
    }
}

/// Writes every entity of `book` into `dir` (created if missing); returns the rows written.
pub fn write_dir(book: &Book, dir: &Path, format: Format) -> anyhow::Result<u64> {
    std::fs::create_dir_all(dir)?;
    for entity in Entity::ALL {
        let path = dir.join(format!("{}.{}", entity.name(), format.extension()));
        let mut file = std::fs::File::create(&path)?;
        file.write_all(render(book, entity, format)?.as_bytes())?;
    }
    Ok(book.total_rows() as u64)
}
