//! The processes of DESIGN §5: pure, synchronous functions of their inputs and an explicit `as_of`.
pub mod forecast;
pub mod negotiation;
pub mod renewals;
