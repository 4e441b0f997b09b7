//! expansion-api: a GraphQL API for renewals and expansion.
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
