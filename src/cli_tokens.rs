//! `token create|list|revoke`: dispatch to `services::tokens` and print for a terminal.
use crate::cli::TokenCommand;
use crate::db::{tokens::TokenRecord, Db};
use crate::services::tokens;
use chrono::{DateTime, Utc};

/// Runs one token command.
pub async fn run(db: &Db, command: TokenCommand) -> anyhow::Result<()> {
    let now = Utc::now();
    match command {
        TokenCommand::Create { name, role, expires } => {
            let created = tokens::create(db, &name, role, expires, now).await?;
            eprintln!(
                "created token {} (id {}, role {}, expires {}); it is shown this once:",
                created.record.name,
                created.record.id,
                created.record.role.as_str().to_uppercase(),
                shown(created.record.expires_at)
            );
            println!("{}", created.secret);
        }
        TokenCommand::List => {
            println!(
                "{:<6} {:<24} {:<7} {:<20} {:<20} {:<20} status",
                "id", "name", "role", "created", "last used", "expires"
            );
            for token in tokens::list(db).await? {
                println!("{}", line(&token, now));
            }
        }
        TokenCommand::Revoke { name_or_id } => {
            let token = tokens::revoke(db, &name_or_id, now).await?;
            println!("revoked token {} (id {})", token.name, token.id);
        }
    }
    Ok(())
}

fn line(token: &TokenRecord, now: DateTime<Utc>) -> String {
    let status = match (token.revoked_at, token.expires_at) {
        (Some(_), _) => "revoked",
        (None, Some(at)) if at <= now => "expired",
        _ => "active",
    };
    format!(
        "{:<6} {:<24} {:<7} {:<20} {:<20} {:<20} {status}",
        token.id,
        token.name,
        token.role.as_str().to_uppercase(),
        shown(Some(token.created_at)),
        shown(token.last_used_at),
        shown(token.expires_at),
    )
}

fn shown(at: Option<DateTime<Utc>>) -> String {
    at.map_or_else(|| "never".to_owned(), |at| at.format("%Y-%m-%d %H:%M:%S").to_string())
}
