//! What an operation costs, measured once before it runs: its depth, its aliases and its price.
//!
//! - **Depth** counts nested fields, except the introspection fields (`__schema`, `__type` and
//!   everything under them): graphql-js's standard introspection query is 13 levels deep, and
//!   GraphiQL's docs and autocomplete need it to pass the default limit of 10.
//! - **Aliases** are capped per operation (`limits.max_aliases`): an alias is how one request
//!   asks for the same expensive field a thousand times.
//! - **Cost**: every field 1; a connection (a field with `first`) `first` × (1 + its selection);
//!   a whole-book process field (114–121 without `clientId`) `limits.process_cost` — each reads the
//!   whole portfolio — plus its selection, whatever its `first` (which pages one computed
//!   answer). Introspection fields count here too.
//!
//! It walks the parsed document with the schema's registry (shared with `input_check`), from
//! `http::graphql::execute` — not as an async-graphql extension, whose per-field hooks cost more
//! than the whole walk — so a refused request never reaches the executor or the database.
use super::input_check::{chosen_operation, registry};
use crate::config::Limits;
use async_graphql::parser::types::{ExecutableDocument, Field, OperationType, Selection, SelectionSet};
use async_graphql::registry::{MetaType, MetaTypeName, Registry};
use async_graphql::{Pos, ServerError, Value, Variables};

/// Root fields that compute over the whole book unless given a `clientId`.
const PORTFOLIO_FIELDS: &[&str] = &[
    "upsellOpportunities",
    "crossSellOpportunities",
    "expansionOpportunities",
    "renewals",
    "renewalForecast",
    "renewalForecastBacktest",
    "revenueExpansion",
    "customerLifetimeValue",
    "identifyExpansionOpportunities",
];

/// Page size a connection has when `first` is not given.
const DEFAULT_FIRST: u64 = 20;

/// Deeper fragment nesting than this is a cycle (validation refuses those; we must not loop).
const MAX_FRAGMENT_NESTING: usize = 32;

/// The measure of an allowed operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Measure {
    /// Its price, at least 1.
    pub cost: u64,
}

/// Measures the operation `operation_name` selects in `document`; an operation over a limit is
/// refused with its code (`QUERY_TOO_COMPLEX`, `INTROSPECTION_DISABLED`, `BAD_USER_INPUT` for
/// depth). `None` means there is nothing to measure (no such operation): the executor says why.
pub fn measure(
    document: &ExecutableDocument,
    operation_name: Option<&str>,
    variables: &Variables,
    limits: &Limits,
) -> Option<Result<Measure, ServerError>> {
    let (operation, pos) = chosen_operation(document, operation_name)?;
    let registry = registry();
    let root = match operation.ty {
        OperationType::Query => Some(registry.query_type.as_str()),
        OperationType::Mutation => registry.mutation_type.as_deref(),
        OperationType::Subscription => registry.subscription_type.as_deref(),
    }?;
    let mut walk = Walk {
        registry,
        document,
        variables,
        limits,
        aliases: 0,
        depth: 0,
        introspection: None,
    };
    let cost = walk.selection_set(root, &operation.selection_set.node, 0, 0, true);
    Some(walk.verdict(cost.max(1), pos))
}

struct Walk<'a> {
    registry: &'a Registry,
    document: &'a ExecutableDocument,
    variables: &'a Variables,
    limits: &'a Limits,
    aliases: usize,
    depth: usize,
    /// Where an introspection field was selected, if one was.
    introspection: Option<Pos>,
}

impl Walk<'_> {
    fn verdict(&self, cost: u64, pos: Pos) -> Result<Measure, ServerError> {
        if let (Some(at), false) = (self.introspection, self.limits.introspection) {
            return Err(coded(
                "introspection is disabled on this server (limits.introspection = false)",
                "INTROSPECTION_DISABLED",
                at,
            ));
        }
        if self.depth > self.limits.max_depth {
            let mut error = coded("Query is nested too deep.", "BAD_USER_INPUT", pos);
            set(&mut error, "depth", Value::from(self.depth as u64));
            set(&mut error, "limit", Value::from(self.limits.max_depth as u64));
            return Err(error);
        }
        if self.aliases > self.limits.max_aliases {
            let message = format!(
                "{} aliases exceed the limit of {} per operation",
                self.aliases, self.limits.max_aliases
            );
            let mut error = coded(&message, "QUERY_TOO_COMPLEX", pos);
            set(&mut error, "aliases", Value::from(self.aliases as u64));
            set(&mut error, "limit", Value::from(self.limits.max_aliases as u64));
            return Err(error);
        }
        if cost > self.limits.max_complexity as u64 {
            let message = format!(
                "Query is too complex: it costs {cost}, the limit is {}",
                self.limits.max_complexity
            );
            let mut error = coded(&message, "QUERY_TOO_COMPLEX", pos);
            set(&mut error, "cost", Value::from(cost));
            set(&mut error, "limit", Value::from(self.limits.max_complexity as u64));
            return Err(error);
        }
        Ok(Measure { cost })
    }

    /// The cost of `set` on `type_name`, at `depth` (fields above it counted), `nesting`
    /// fragments deep; `root` when these are the operation's own fields.
    fn selection_set(&mut self, type_name: &str, set: &SelectionSet, depth: usize, nesting: usize, root: bool) -> u64 {
        if nesting > MAX_FRAGMENT_NESTING {
            return 0;
        }
        let mut cost = 0u64;
        for selection in &set.items {
            let part = match &selection.node {
                Selection::Field(field) => self.field(type_name, &field.node, field.pos, depth, nesting, root),
                Selection::InlineFragment(fragment) => {
                    let on = fragment.node.type_condition.as_ref().map(|c| c.node.on.node.as_str());
                    self.selection_set(
                        on.unwrap_or(type_name),
                        &fragment.node.selection_set.node,
                        depth,
                        nesting + 1,
                        root,
                    )
                }
                Selection::FragmentSpread(spread) => match self.document.fragments.get(&spread.node.fragment_name.node)
                {
                    Some(fragment) => {
                        let on = fragment.node.type_condition.node.on.node.as_str();
                        self.selection_set(on, &fragment.node.selection_set.node, depth, nesting + 1, root)
                    }
                    None => 0,
                },
            };
            cost = cost.saturating_add(part);
        }
        cost
    }

    fn field(&mut self, type_name: &str, field: &Field, pos: Pos, depth: usize, nesting: usize, root: bool) -> u64 {
        let name = field.name.node.as_str();
        if field.alias.is_some() {
            self.aliases += 1;
        }
        let introspection = name.starts_with("__");
        if introspection && name != "__typename" {
            self.introspection.get_or_insert(pos);
        }
        // Introspection fields (and what is under them) do not deepen the operation.
        let depth = if introspection { depth } else { depth + 1 };
        self.depth = self.depth.max(depth);
        let definition = definition(self.registry, type_name, name);
        let child_type = definition.map_or_else(
            || introspection_type(name).to_owned(),
            |d| MetaTypeName::concrete_typename(&d.ty).to_owned(),
        );
        let children = if introspection {
            self.introspection_set(&field.selection_set.node, nesting)
        } else {
            self.selection_set(&child_type, &field.selection_set.node, depth, nesting, false)
        };
        let own = 1u64.saturating_add(children);
        // A process field's `first` pages the items of one computed answer: the price is the
        // computation (whole book unless `clientId`), not a page of loads.
        match definition {
            _ if root && PORTFOLIO_FIELDS.contains(&name) => match self.given(field, "clientId") {
                false => (self.limits.process_cost as u64).saturating_add(children),
                true => own,
            },
            Some(d) if d.args.contains_key("first") => own.saturating_mul(self.first(field)),
            _ => own,
        }
    }

    /// Under an introspection field: every field 1, nothing deepens, no registry types needed.
    fn introspection_set(&mut self, set: &SelectionSet, nesting: usize) -> u64 {
        if nesting > MAX_FRAGMENT_NESTING {
            return 0;
        }
        let mut cost = 0u64;
        for selection in &set.items {
            let part = match &selection.node {
                Selection::Field(field) => {
                    if field.node.alias.is_some() {
                        self.aliases += 1;
                    }
                    1u64.saturating_add(self.introspection_set(&field.node.selection_set.node, nesting))
                }
                Selection::InlineFragment(fragment) => {
                    self.introspection_set(&fragment.node.selection_set.node, nesting + 1)
                }
                Selection::FragmentSpread(spread) => match self.document.fragments.get(&spread.node.fragment_name.node)
                {
                    Some(fragment) => self.introspection_set(&fragment.node.selection_set.node, nesting + 1),
                    None => 0,
                },
            };
            cost = cost.saturating_add(part);
        }
        cost
    }

    /// The page size a connection asks for: its `first` (a literal or a variable), else 20; at
    /// least 1, so an empty page still costs its selection.
    fn first(&self, field: &Field) -> u64 {
        let number = match self.argument(field, "first") {
            Some(Value::Number(n)) => n.as_u64(),
            _ => None,
        };
        number.unwrap_or(DEFAULT_FIRST).max(1)
    }

    /// Is the argument given a non-null value (a literal, or a variable that is set)?
    fn given(&self, field: &Field, argument: &str) -> bool {
        self.argument(field, argument).is_some_and(|v| v != Value::Null)
    }

    /// An argument's value with its variables filled in (unset ones null).
    fn argument(&self, field: &Field, name: &str) -> Option<Value> {
        let value = field.get_argument(name)?.node.clone();
        value
            .into_const_with(|variable| {
                Ok::<_, std::convert::Infallible>(self.variables.get(&variable).cloned().unwrap_or(Value::Null))
            })
            .ok()
    }
}

fn definition<'r>(
    registry: &'r Registry,
    type_name: &str,
    field: &str,
) -> Option<&'r async_graphql::registry::MetaField> {
    match registry.types.get(type_name)? {
        MetaType::Object { fields, .. } | MetaType::Interface { fields, .. } => fields.get(field),
        _ => None,
    }
}

/// Introspection root fields are not in our registry's field maps.
fn introspection_type(name: &str) -> &'static str {
    match name {
        "__schema" => "__Schema",
        "__type" => "__Type",
        _ => "String",
    }
}

fn coded(message: &str, code: &str, pos: Pos) -> ServerError {
    let mut error = ServerError::new(message, Some(pos));
    set(&mut error, "code", Value::from(code));
    error
}

fn set(error: &mut ServerError, key: &str, value: Value) {
    error.extensions.get_or_insert_with(Default::default).set(key, value);
}
