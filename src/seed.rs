//! Seeding demo data: generate the book (pure, deterministic), insert it in one transaction.
use crate::db::{self, Db};
use crate::demo::{generate, DemoParams};
use crate::progress::Progress;
use chrono::NaiveDate;
use std::time::Instant;

/// How much demo data, from which seed, dated when.
#[derive(Clone, Debug)]
pub struct DemoOptions {
    pub clients: usize,
    pub seed: u64,
    pub as_of: NaiveDate,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            clients: 500,
            seed: 42,
            as_of: chrono::Utc::now().date_naive(),
        }
    }
}

/// Seeds when the database has no clients; an existing book is never touched.
pub async fn seed_demo_if_empty(db: &Db, options: &DemoOptions) -> anyhow::Result<()> {
    if db::clients::count(db).await? > 0 {
        tracing::info!("database already has clients: demo data not seeded");
        return Ok(());
    }
    seed_demo(db, options).await
}

/// Generates and inserts the demo book, showing progress on the terminal.
pub async fn seed_demo(db: &Db, options: &DemoOptions) -> anyhow::Result<()> {
    let started = Instant::now();
    let book = generate(&DemoParams {
        clients: options.clients,
        seed: options.seed,
        as_of: options.as_of,
    });
    let progress = Progress::new("seeding");
    db::bulk::insert_book(db, &book, &|done, total| progress.update(done, total)).await?;
    progress.finish();
    tracing::info!(
        clients = options.clients,
        seed = options.seed,
        as_of = %options.as_of,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "demo data seeded"
    );
    Ok(())
}
