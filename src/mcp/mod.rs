//! MCP (Model Context Protocol) for agents: the eight process tools under the original Python tool
//! names and argument names, over streamable HTTP (`POST /mcp`) and stdio (`expansion-api mcp`).
//!
//! The protocol is implemented here rather than with the `rmcp` SDK: rmcp's HTTP transport is a
//! tower/axum service, and running a second HTTP stack beside actix-web for one route costs more than
//! the five JSON-RPC messages a tools-only server needs (initialize, notifications, ping, tools/list,
//! tools/call). Every call runs the tool's named operation through the same schema, limits and
//! request context as `/graphql`.
pub mod http;
mod protocol;
pub mod stdio;
mod tools;

pub use protocol::{handle, refuse, PROTOCOL_VERSION};
