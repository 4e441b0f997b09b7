//! Merging incoming records into existing ones: by key (upsert: insert, update or leave alone),
//! or as a multiset of lines per parent (contract items per contract, ledger events per client).
use super::parse::Located;
use super::report::{EntityCounts, RowError};
use super::Mode;
use std::collections::HashMap;
use std::hash::Hash;

/// The rows to write for one keyed entity.
pub struct Keyed<T> {
    pub inserts: Vec<T>,
    pub updates: Vec<T>,
}

/// How an incoming record becomes the stored one: `adopt(old, new)` carries over what the file
/// does not hold (database id, version, timestamps), so `adopt(old, new) == old` means unchanged;
/// `bump` marks a changed record (version + 1, updated now).
pub struct Rules<T, K> {
    pub key: fn(&T) -> K,
    pub adopt: fn(&T, T) -> T,
    pub bump: Box<dyn Fn(T) -> T>,
    /// The column a key clash is reported on (mode insert).
    pub key_column: &'static str,
}

/// Upserts (or, in insert mode, only inserts) `incoming` into `existing`.
pub fn keyed<T: Clone + PartialEq, K: Hash + Eq + std::fmt::Debug>(
    existing: &[T],
    incoming: Vec<Located<T>>,
    rules: &Rules<T, K>,
    mode: Mode,
    counts: &mut EntityCounts,
    errors: &mut Vec<RowError>,
) -> Keyed<T> {
    let stored: HashMap<K, &T> = existing.iter().map(|t| ((rules.key)(t), t)).collect();
    let mut out = Keyed {
        inserts: Vec::new(),
        updates: Vec::new(),
    };
    for Located { at, value } in incoming {
        let key = (rules.key)(&value);
        match stored.get(&key) {
            None => {
                counts.inserted += 1;
                out.inserts.push(value);
            }
            Some(_) if mode == Mode::Insert => errors.push(RowError::new(
                &at,
                rules.key_column,
                format!("{key:?} already exists"),
                Some("a new key (mode insert); use mode upsert to update".into()),
            )),
            Some(old) => {
                let adopted = (rules.adopt)(old, value);
                if &adopted == *old {
                    counts.unchanged += 1;
                } else {
                    counts.updated += 1;
                    out.updates.push((rules.bump)(adopted));
                }
            }
        }
    }
    out
}

/// The lines to write for an entity replaced per parent.
pub struct Lines<T> {
    pub inserts: Vec<T>,
    /// Database ids of stored lines no longer in the files.
    pub deletes: Vec<i64>,
}

/// Replaces, for every parent named in `incoming`, its stored lines by the incoming ones: equal
/// lines stay (unchanged), the others are inserted or deleted.
pub fn lines<T: Clone, P: Hash + Eq, L: Hash + Eq>(
    existing: &[T],
    incoming: Vec<Located<T>>,
    parent: impl Fn(&T) -> P,
    line: impl Fn(&T) -> L,
    id: impl Fn(&T) -> i64,
    counts: &mut EntityCounts,
) -> Lines<T> {
    let mut by_parent: HashMap<P, Vec<T>> = HashMap::new();
    for Located { value, .. } in incoming {
        by_parent.entry(parent(&value)).or_default().push(value);
    }
    let mut stored: HashMap<P, HashMap<L, Vec<i64>>> = HashMap::new();
    for t in existing {
        let p = parent(t);
        if by_parent.contains_key(&p) {
            stored.entry(p).or_default().entry(line(t)).or_default().push(id(t));
        }
    }
    let mut out = Lines {
        inserts: Vec::new(),
        deletes: Vec::new(),
    };
    for (p, new_lines) in by_parent {
        let mut old = stored.remove(&p).unwrap_or_default();
        for value in new_lines {
            match old.get_mut(&line(&value)).and_then(Vec::pop) {
                Some(_) => counts.unchanged += 1,
                None => {
                    counts.inserted += 1;
                    out.inserts.push(value);
                }
            }
        }
        for ids in old.into_values() {
            counts.deleted += ids.len() as u64;
            out.deletes.extend(ids);
        }
    }
    out
}
