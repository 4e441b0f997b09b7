//! The processes of DESIGN §5: pure, synchronous functions of their inputs, their parameters and an
//! explicit `as_of`. No database, GraphQL, runtime or clock here; `services` loads and calls them.
pub mod lifetime_value;
pub mod revenue;
