//! The processes of DESIGN §5, pure and synchronous: plain inputs and an explicit `as_of` in, plain
//! results out. No database, GraphQL, runtime or clock; the services load the inputs and persist
//! what needs persisting.
pub mod common;
pub mod cross_sell;
pub mod expansion;
pub mod facts;
pub mod forecast;
pub mod lifetime_value;
pub mod negotiation;
pub mod renewals;
pub mod revenue;
pub mod upsell;

#[cfg(test)]
pub(crate) mod fixtures;
