//! The demo book round-trips through a real schema on SQLite and, when `TEST_DATABASE_URL` is
//! set, on a fresh PostgreSQL database.
use super::insert_book;
use crate::demo::{generate, DemoBook, DemoParams};
use chrono::NaiveDate;
use entity::{
    client, contact, contract, contract_item, health_snapshot, id_sequence, opportunity, product, renewal,
    revenue_event, usage_snapshot,
};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, EntityTrait, PaginatorTrait, Statement};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

fn book() -> DemoBook {
    generate(&DemoParams {
        clients: 60,
        seed: 11,
        as_of: NaiveDate::from_ymd_opt(2026, 3, 15).unwrap(),
    })
}

/// Inserts a 60-client book into the migrated database `db` and checks what landed.
async fn inserts_the_whole_book_consistently(db: &DatabaseConnection) {
    Migrator::up(db, None).await.unwrap();
    // Existing counters: one behind the book (moved up), one ahead of it (kept).
    db.execute_unprepared("INSERT INTO id_sequence (name, next_value) VALUES ('contract', 1), ('negotiation', 7)")
        .await
        .unwrap();
    let book = book();
    let calls = AtomicU64::new(0);
    let last = Mutex::new((0u64, 0u64));
    insert_book(db, &book, &|done, total| {
        calls.fetch_add(1, Ordering::Relaxed);
        *last.lock().expect("lock") = (done, total);
    })
    .await
    .unwrap();

    let total = book.total_rows() as u64 + 4;
    assert_eq!(
        *last.lock().expect("lock"),
        (total, total),
        "progress ends at the total"
    );
    assert!(calls.load(Ordering::Relaxed) >= 10, "progress after every statement");
    let counts = [
        (product::Entity::find().count(db).await.unwrap(), book.products.len()),
        (client::Entity::find().count(db).await.unwrap(), book.clients.len()),
        (contact::Entity::find().count(db).await.unwrap(), book.contacts.len()),
        (contract::Entity::find().count(db).await.unwrap(), book.contracts.len()),
        (
            contract_item::Entity::find().count(db).await.unwrap(),
            book.contract_items.len(),
        ),
        (
            usage_snapshot::Entity::find().count(db).await.unwrap(),
            book.usage.len(),
        ),
        (
            health_snapshot::Entity::find().count(db).await.unwrap(),
            book.health.len(),
        ),
        (renewal::Entity::find().count(db).await.unwrap(), book.renewals.len()),
        (
            opportunity::Entity::find().count(db).await.unwrap(),
            book.opportunities.len(),
        ),
        (
            revenue_event::Entity::find().count(db).await.unwrap(),
            book.revenue_events.len(),
        ),
    ];
    for (stored, generated) in counts {
        assert_eq!(stored, generated as u64);
    }
    assert!(book.usage.len() > 1_000, "a 60-client book has years of snapshots");

    // The ledger equals the active contract's items for every client, counted by the database.
    let mismatches = scalar(
        db,
        "SELECT COUNT(*) AS n FROM client c WHERE \
           COALESCE((SELECT SUM(e.arr_delta_cents) FROM revenue_event e WHERE e.client_id = c.id), 0) <> \
           COALESCE((SELECT SUM(i.arr_cents) FROM contract_item i JOIN contract k ON k.id = i.contract_id \
                     WHERE k.client_id = c.id AND k.status = 'active'), 0)",
    )
    .await;
    assert_eq!(mismatches, 0);
    let open_renewals = scalar(db, "SELECT COUNT(*) AS n FROM renewal WHERE status = 'open'").await;
    let active_contracts = scalar(db, "SELECT COUNT(*) AS n FROM contract WHERE status = 'active'").await;
    assert_eq!(open_renewals, active_contracts);

    let sequences = id_sequence::Entity::find().all(db).await.unwrap();
    let next = |name: &str| sequences.iter().find(|s| s.name == name).map(|s| s.next_value);
    assert_eq!(next("contract"), Some(book.contracts.len() as i64 + 1));
    assert_eq!(next("renewal"), Some(book.renewals.len() as i64 + 1));
    assert_eq!(next("opportunity"), Some(book.opportunities.len() as i64 + 1));
    assert_eq!(
        next("negotiation"),
        Some(7),
        "a sequence further along is never lowered"
    );

    // Autoincrement ids were left to the database, so the next plain insert gets a fresh one.
    let max_event = scalar(db, "SELECT MAX(id) AS n FROM revenue_event").await;
    assert_eq!(max_event, book.revenue_events.len() as i64);
}

/// While the keys are suspended, a usage row of a client that does not exist goes in; adding the
/// key back must fail the insert and roll all of it back.
async fn a_book_that_breaks_a_foreign_key_writes_nothing(db: &DatabaseConnection) {
    let snapshots = scalar(db, "SELECT COUNT(*) AS n FROM usage_snapshot").await;
    let mut usage = book().usage.swap_remove(0);
    usage.client_id = "cs_nobody".into();
    let orphan = crate::domain::Book {
        usage: vec![usage],
        ..Default::default()
    };
    let err = insert_book(db, &orphan, &|_, _| {})
        .await
        .expect_err("the key is checked");
    assert!(err.to_string().contains("foreign key"), "{err}");
    assert_eq!(scalar(db, "SELECT COUNT(*) AS n FROM usage_snapshot").await, snapshots);
}

async fn scalar(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

#[tokio::test]
async fn a_demo_book_is_inserted_whole_into_sqlite() {
    let db = Database::connect("sqlite::memory:").await.unwrap();
    inserts_the_whole_book_consistently(&db).await;
}

#[tokio::test]
async fn a_demo_book_is_inserted_whole_into_postgres_when_configured() {
    let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("TEST_DATABASE_URL not set: skipping the PostgreSQL run");
        return;
    };
    let admin = Database::connect(&admin_url).await.unwrap();
    let name = format!("bulk_insert_{}", uuid::Uuid::new_v4().simple());
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap();

    let base = admin_url.split('?').next().unwrap_or(&admin_url);
    let url = format!("{}/{name}", &base[..base.rfind('/').unwrap_or(base.len())]);
    let db = Database::connect(&url).await.unwrap();
    let keys_sql = "SELECT COUNT(*) AS n FROM pg_constraint WHERE contype = 'f'";
    Migrator::up(&db, None).await.unwrap();
    let keys = scalar(&db, keys_sql).await;
    assert!(keys >= 10, "the schema has its foreign keys ({keys})");
    inserts_the_whole_book_consistently(&db).await;
    assert_eq!(scalar(&db, keys_sql).await, keys, "every suspended foreign key is back");
    a_book_that_breaks_a_foreign_key_writes_nothing(&db).await;
    assert_eq!(
        scalar(&db, keys_sql).await,
        keys,
        "and still there after a failed insert"
    );
    db.close().await.unwrap();

    admin
        .execute_unprepared(&format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
        .await
        .unwrap();
}

/// Timings of generate + insert on a SQLite file, for the numbers in the docs:
/// `DEMO_BENCH_CLIENTS=500,10000 cargo test --release --lib measure -- --ignored --nocapture`.
#[tokio::test]
#[ignore = "a measurement, not a check"]
async fn measure_generate_and_insert_on_a_sqlite_file() {
    let sizes = std::env::var("DEMO_BENCH_CLIENTS").unwrap_or_else(|_| "500".to_owned());
    for clients in sizes.split(',').map(|n| n.trim().parse::<usize>().unwrap()) {
        let path = std::env::temp_dir().join(format!("demo_bench_{}.db", uuid::Uuid::new_v4().simple()));
        let db = Database::connect(format!("sqlite://{}?mode=rwc", path.display()))
            .await
            .unwrap();
        Migrator::up(&db, None).await.unwrap();

        let started = std::time::Instant::now();
        let params = DemoParams {
            clients,
            seed: 42,
            as_of: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        };
        let book = generate(&params);
        let generated = started.elapsed();
        insert_book(&db, &book, &|_, _| {}).await.unwrap();
        let inserted = started.elapsed() - generated;

        println!(
            "{clients} clients: {} rows, generate {:.2?}, insert {:.2?}, total {:.2?}",
            book.total_rows(),
            generated,
            inserted,
            started.elapsed()
        );
        for table in [
            "product",
            "client",
            "contact",
            "contract",
            "contract_item",
            "usage_snapshot",
            "health_snapshot",
            "renewal",
            "opportunity",
            "revenue_event",
            "id_sequence",
        ] {
            println!(
                "  {table:<16} {:>8}",
                scalar(&db, &format!("SELECT COUNT(*) AS n FROM {table}")).await
            );
        }
        db.close().await.unwrap();
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
}
