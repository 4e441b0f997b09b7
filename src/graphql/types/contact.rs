//! `Contact`.
use super::{load_client, Client};
use crate::domain;
use crate::graphql::enums::ContactRole;
use async_graphql::{Context, Object, Result, ID};

/// A person at a client.
pub struct Contact(pub domain::Contact);

/// A person at a client.
#[Object]
impl Contact {
    /// Internal id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Full name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Email address.
    async fn email(&self) -> &str {
        &self.0.email
    }
    /// Role in buying decisions.
    async fn role(&self) -> ContactRole {
        self.0.role.into()
    }
    /// The client's main contact.
    async fn is_primary(&self) -> bool {
        self.0.is_primary
    }
    /// The client.
    async fn client(&self, ctx: &Context<'_>) -> Result<Client> {
        load_client(ctx, &self.0.client_id).await
    }
}
