//! `api_token`: bearer tokens, stored as the SHA-256 of their secret, with a role.
use crate::domain::Role;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use entity::api_token::{self, Column, Entity};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// A stored token, without anything that would let one use it.
#[derive(Clone, Debug, PartialEq)]
pub struct TokenRecord {
    pub id: i64,
    pub name: String,
    /// Hex SHA-256 of the secret.
    pub token_hash: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
}

fn record(model: api_token::Model) -> Result<TokenRecord> {
    Ok(TokenRecord {
        role: Role::parse("api_token.role", &model.role)?,
        id: model.id,
        name: model.name,
        token_hash: model.token_hash,
        created_at: model.created_at,
        revoked_at: model.revoked_at,
        last_used_at: model.last_used_at,
        expires_at: model.expires_at,
    })
}

/// Stores a new token's hash; a name already taken is a `CONFLICT`.
pub async fn insert(
    db: &impl ConnectionTrait,
    name: &str,
    token_hash: &str,
    role: Role,
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<TokenRecord> {
    if Entity::find().filter(Column::Name.eq(name)).one(db).await?.is_some() {
        return Err(Error::Conflict(format!("a token named {name} already exists")));
    }
    let model = api_token::ActiveModel {
        name: Set(name.to_owned()),
        token_hash: Set(token_hash.to_owned()),
        role: Set(role.as_str().to_owned()),
        created_at: Set(now),
        expires_at: Set(expires_at),
        ..Default::default()
    };
    record(Entity::insert(model).exec_with_returning(db).await?)
}

/// The token whose secret hashes to `token_hash`, revoked or not.
pub async fn by_hash(db: &impl ConnectionTrait, token_hash: &str) -> Result<Option<TokenRecord>> {
    Entity::find()
        .filter(Column::TokenHash.eq(token_hash))
        .one(db)
        .await?
        .map(record)
        .transpose()
}

/// Has any token ever been created? (Revoked ones count: revoking every token does not reopen
/// the server to anonymous callers.)
pub async fn any_exist(db: &impl ConnectionTrait) -> Result<bool> {
    let first = Entity::find()
        .select_only()
        .column(Column::Id)
        .limit(1)
        .into_tuple::<i64>()
        .one(db)
        .await?;
    Ok(first.is_some())
}

/// Every token, oldest first.
pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<TokenRecord>> {
    let models = Entity::find().order_by_asc(Column::Id).all(db).await?;
    models.into_iter().map(record).collect()
}

/// Revokes the token with this name or id (an id is tried when `name_or_id` is a number); returns
/// the token, `NOT_FOUND` when there is none. Revoking twice keeps the first time.
pub async fn revoke(db: &impl ConnectionTrait, name_or_id: &str, now: DateTime<Utc>) -> Result<TokenRecord> {
    let by_name = Entity::find().filter(Column::Name.eq(name_or_id)).one(db).await?;
    let found = match (by_name, name_or_id.parse::<i64>()) {
        (Some(model), _) => Some(model),
        (None, Ok(id)) => Entity::find_by_id(id).one(db).await?,
        (None, Err(_)) => None,
    };
    let model = found.ok_or_else(|| Error::not_found("token", name_or_id))?;
    Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::value(now))
        .filter(Column::Id.eq(model.id))
        .filter(Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    let model = Entity::find_by_id(model.id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("token", name_or_id))?;
    record(model)
}

/// Notes that the token was used now.
pub async fn touch(db: &impl ConnectionTrait, id: i64, now: DateTime<Utc>) -> Result<()> {
    Entity::update_many()
        .col_expr(Column::LastUsedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
