//! What every resolver may read about the request: when it is, who asks, and its loaders.
use super::loaders::Loaders;
use crate::db::Db;
pub use crate::services::RequestContext;
use async_graphql::Context;
use chrono::NaiveDate;

/// Shorthands for resolvers.
pub trait ContextExt {
    /// The request context.
    fn request(&self) -> &RequestContext;
    /// The request's loaders.
    fn loaders(&self) -> &Loaders;
    /// The database pool.
    fn db(&self) -> &Db;
    /// `as_of` or today.
    fn as_of(&self, as_of: Option<super::scalars::Date>) -> NaiveDate {
        as_of.map(|d| d.0).unwrap_or_else(|| self.request().today())
    }
}

impl ContextExt for Context<'_> {
    fn request(&self) -> &RequestContext {
        self.data_unchecked::<RequestContext>()
    }
    fn loaders(&self) -> &Loaders {
        self.data_unchecked::<Loaders>()
    }
    fn db(&self) -> &Db {
        self.data_unchecked::<Db>()
    }
}
