//! The one access rule of the schema: a role guard on each field that needs more than reading.
//!
//! Who asks is decided before GraphQL runs (`http::auth`, MCP stdio): every request carries an
//! authenticated [`Actor`](crate::domain::access::Actor) in its `RequestContext`, and every actor
//! may read (VIEWER is the lowest role). A field that writes states the role it needs:
//!
//! ```ignore
//! use crate::graphql::guards::{Role, RoleGuard};
//!
//! #[Object]
//! impl ImportMutations {
//!     /// Imports a book of business.
//!     #[graphql(guard = "RoleGuard::new(Role::Admin)")]
//!     async fn import_book(&self, ctx: &Context<'_>, input: ImportInput) -> Result<ImportReport> { … }
//! }
//! ```
//!
//! A caller below the role gets `FORBIDDEN` naming the role needed, and the resolver never runs.
//! Roles: VIEWER (queries), CSM (+ opportunities, reminders, negotiations, usage and health
//! records, closing renewals), ADMIN (+ clients, contacts, contracts, products, revenue events,
//! imports, webhooks; its token's word approves guardrail exceptions). Do not check roles in
//! resolvers or services: put the guard on the field, so the rule is visible where the field is.
use super::context::ContextExt;
use crate::error::Error;
use async_graphql::{Context, Guard, Result};

pub use crate::domain::Role;

/// Lets a field run only for actors with at least `needed`.
pub struct RoleGuard {
    needed: Role,
}

impl RoleGuard {
    /// A guard requiring `needed` (or a higher role).
    pub fn new(needed: Role) -> RoleGuard {
        RoleGuard { needed }
    }
}

impl Guard for RoleGuard {
    async fn check(&self, ctx: &Context<'_>) -> Result<()> {
        let actor = &ctx.request().actor;
        if actor.may(self.needed) {
            return Ok(());
        }
        let field = ctx.item.node.name.node.as_str();
        Err(Error::Forbidden(format!(
            "{field} needs the {} role; this token has {}",
            shown(self.needed),
            shown(actor.role)
        ))
        .into())
    }
}

fn shown(role: Role) -> String {
    role.as_str().to_ascii_uppercase()
}
