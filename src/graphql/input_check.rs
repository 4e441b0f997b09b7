//! One check of every input value, before anything runs.
//!
//! async-graphql coerces argument values lazily, field by field, and reports a bad scalar in a
//! variable as a field error with a path and no code — indistinguishable from a resolver failure
//! — and only the first bad field of an input object. [`check`] walks the operation that will run
//! once, before execution: every variable against its declared type and every literal argument
//! against the schema, with our scalars' own rules ([`super::scalars`]). All mistakes are reported
//! together in one `BAD_USER_INPUT` error whose `extensions.fields` lists each one with its path
//! and what is allowed; the request then never executes (GraphQL over HTTP: 400).
//!
//! It runs from `http::graphql::execute` (every HTTP and MCP operation), not as an async-graphql
//! extension: with any extension installed async-graphql builds a `ResolveInfo` for every field
//! it resolves, which costs more than the whole check.
//!
//! Unknown fields, unknown arguments and missing required arguments are left to async-graphql's
//! validation, which reports them as well (also `BAD_USER_INPUT`, see `http::graphql`).
use super::resolvers::{MutationRoot, QueryRoot};
use super::scalars;
use crate::error::Error;
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, Selection, SelectionSet,
};
use async_graphql::registry::{MetaType, MetaTypeName, Registry};
use async_graphql::{ErrorExtensions, OutputType, Pos, ServerError, Value, Variables};
use std::collections::HashSet;
use std::sync::OnceLock;

/// The schema's types, built once (async-graphql does not expose a schema's registry).
pub(super) fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut registry = Registry {
            query_type: QueryRoot::type_name().into_owned(),
            mutation_type: Some(MutationRoot::type_name().into_owned()),
            ..Registry::default()
        };
        QueryRoot::create_type_info(&mut registry);
        MutationRoot::create_type_info(&mut registry);
        registry
    })
}

/// The error for every bad input value of the chosen operation, or `None` when all are fine (or
/// there is no such operation: the executor reports that).
pub fn check(
    document: &ExecutableDocument,
    operation_name: Option<&str>,
    variables: &Variables,
) -> Option<ServerError> {
    let (operation, pos) = chosen_operation(document, operation_name)?;
    let mut check = Checker {
        registry: registry(),
        document,
        problems: Vec::new(),
        visited_fragments: HashSet::new(),
    };
    check.operation(operation, variables);
    (!check.problems.is_empty()).then(|| problems_error(check.problems, pos))
}

pub(super) fn chosen_operation<'d>(
    document: &'d ExecutableDocument,
    name: Option<&str>,
) -> Option<(&'d OperationDefinition, Pos)> {
    match (&document.operations, name) {
        (DocumentOperations::Single(op), _) => Some((&op.node, op.pos)),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| (&op.node, op.pos)),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next().map(|op| (&op.node, op.pos)),
        _ => None,
    }
}

/// The error for all problems, coded and shaped as every `BAD_USER_INPUT` is (`graphql::errors`).
fn problems_error(mut problems: Vec<Error>, pos: Pos) -> ServerError {
    let error = match problems.len() {
        1 => problems.remove(0),
        _ => Error::BadUserInputs(problems),
    };
    error.extend().into_server_error(pos)
}

/// A value as the caller wrote it, for messages (long strings cut).
pub fn describe(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

struct Checker<'a> {
    registry: &'a Registry,
    document: &'a ExecutableDocument,
    problems: Vec<Error>,
    visited_fragments: HashSet<&'a str>,
}

impl<'a> Checker<'a> {
    fn operation(&mut self, operation: &'a OperationDefinition, variables: &Variables) {
        // Variables against their declared types (how the spec coerces them).
        for definition in &operation.variable_definitions {
            let definition = &definition.node;
            let name = definition.name.node.as_str();
            let declared = definition.var_type.node.to_string();
            let path = format!("${name}");
            match variables.get(&definition.name.node) {
                Some(value) => self.value(&path, &declared, value),
                None if definition.default_value.is_none() && !definition.var_type.node.nullable => self.problem(
                    &path,
                    "required variable was not provided".to_owned(),
                    Some(format!("a value of type {declared}")),
                ),
                None => {}
            }
        }
        let root = match operation.ty {
            async_graphql::parser::types::OperationType::Query => Some(self.registry.query_type.as_str()),
            async_graphql::parser::types::OperationType::Mutation => self.registry.mutation_type.as_deref(),
            async_graphql::parser::types::OperationType::Subscription => self.registry.subscription_type.as_deref(),
        };
        if let Some(root) = root {
            self.selection_set(root, &operation.selection_set.node);
        }
    }

    /// Literal arguments of every field, through fragments, against the field's definition.
    fn selection_set(&mut self, type_name: &str, set: &'a SelectionSet) {
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    let Some(definition) = self.field_definition(type_name, field.name.node.as_str()) else {
                        continue; // unknown field: validation reports it
                    };
                    for (name, value) in &field.arguments {
                        if let Some(argument) = definition.args.get(name.node.as_str()) {
                            let path = format!("{}.{}", field.name.node, name.node);
                            // Variables inside a literal were checked against their declared
                            // types; they stand in as `Binary`, which no literal or JSON can be.
                            let Ok(literal) = value.node.clone().into_const_with(|_| {
                                Ok::<_, std::convert::Infallible>(Value::Binary(Default::default()))
                            });
                            self.value(&path, &argument.ty, &literal);
                        }
                    }
                    let child = MetaTypeName::concrete_typename(&definition.ty).to_owned();
                    self.selection_set(&child, &field.selection_set.node);
                }
                Selection::InlineFragment(fragment) => {
                    let on = fragment.node.type_condition.as_ref().map(|c| c.node.on.node.as_str());
                    self.selection_set(on.unwrap_or(type_name), &fragment.node.selection_set.node);
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    // Each fragment once: its arguments are the same wherever it is spread, and a
                    // cycle (refused by validation) must not loop here.
                    if let Some(fragment) = self.document.fragments.get(name) {
                        if self.visited_fragments.insert(name) {
                            let on = fragment.node.type_condition.node.on.node.as_str();
                            self.selection_set(on, &fragment.node.selection_set.node);
                        }
                    }
                }
            }
        }
    }

    fn field_definition(&self, type_name: &str, field: &str) -> Option<&'a async_graphql::registry::MetaField> {
        match self.registry.types.get(type_name)? {
            MetaType::Object { fields, .. } | MetaType::Interface { fields, .. } => fields.get(field),
            _ => None,
        }
    }

    /// A value against a type string of the registry (`[Money!]!`).
    fn value(&mut self, path: &str, ty: &str, value: &Value) {
        if matches!(value, Value::Binary(_)) {
            return; // a variable, checked on its own
        }
        match MetaTypeName::create(ty) {
            MetaTypeName::NonNull(inner) if matches!(value, Value::Null) => {
                self.problem(
                    path,
                    "must not be null".to_owned(),
                    Some(format!("a value of type {inner}")),
                );
            }
            MetaTypeName::NonNull(inner) => self.value(path, inner, value),
            MetaTypeName::List(inner) => match value {
                Value::Null => {}
                Value::List(items) => {
                    for (i, item) in items.iter().enumerate() {
                        self.value(&format!("{path}[{i}]"), inner, item);
                    }
                }
                single => self.value(path, inner, single), // input coercion: one value is a list of one
            },
            MetaTypeName::Named(_) if matches!(value, Value::Null) => {}
            MetaTypeName::Named(name) => self.named(path, name, value),
        }
    }

    fn named(&mut self, path: &str, name: &str, value: &Value) {
        match self.registry.types.get(name) {
            Some(MetaType::InputObject { input_fields, .. }) => {
                let names = || input_fields.keys().cloned().collect::<Vec<_>>().join(", ");
                let Value::Object(given) = value else {
                    let message = format!("expected an input object {name}, found {}", describe(value));
                    return self.problem(path, message, Some(format!("an object with fields {}", names())));
                };
                for key in given.keys().filter(|k| !input_fields.contains_key(k.as_str())) {
                    self.problem(
                        &format!("{path}.{key}"),
                        format!("is not a field of {name}"),
                        Some(names()),
                    );
                }
                for (field, definition) in input_fields {
                    let field_path = format!("{path}.{field}");
                    match given.get(field.as_str()) {
                        Some(v) => self.value(&field_path, &definition.ty, v),
                        None if definition.ty.ends_with('!') && definition.default_value.is_none() => self.problem(
                            &field_path,
                            "is required".to_owned(),
                            Some(format!("a value of type {}", definition.ty)),
                        ),
                        None => {}
                    }
                }
            }
            Some(MetaType::Enum { enum_values, .. }) => {
                let given = match value {
                    Value::Enum(v) => Some(v.as_str()),
                    Value::String(v) => Some(v.as_str()),
                    _ => None,
                };
                if !given.is_some_and(|v| enum_values.contains_key(v)) {
                    let allowed = enum_values.keys().cloned().collect::<Vec<_>>().join(", ");
                    self.problem(path, format!("{} is not a {name}", describe(value)), Some(allowed));
                }
            }
            Some(MetaType::Scalar { .. }) => {
                if let Err(bad) = scalars::check(name, value) {
                    self.problem(path, bad.message, Some(bad.allowed));
                }
            }
            _ => {}
        }
    }

    fn problem(&mut self, field: &str, message: String, allowed: Option<String>) {
        self.problems.push(Error::BadUserInput {
            field: field.to_owned(),
            message,
            allowed,
        });
    }
}
