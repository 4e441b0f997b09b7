//! expansion-api: a GraphQL API for renewals and expansion, the revenue side of customer success.
//!
//! Layers (dependencies point down): `http` → `graphql` → `services` → `db` and `processes` →
//! `domain`. `domain` and `processes` are pure.
pub mod cli;
pub mod cli_tokens;
pub mod config;
pub mod config_errors;
pub mod config_ops;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod events;
pub mod graphql;
pub mod http;
pub mod import;
pub mod mcp;
pub mod operations;
pub mod processes;
pub mod progress;
pub mod scheduler;
pub mod seed;
pub mod services;
pub mod startup;
pub mod telemetry;
