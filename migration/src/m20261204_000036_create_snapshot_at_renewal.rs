use crate::support::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Days before its renewal date at which a renewal's training snapshot is read: the forecast's
/// `TRAINING_LEAD_DAYS` (a test in the server checks that the two agree).
pub const SNAPSHOT_AT_RENEWAL_LEAD_DAYS: i64 = 30;

/// `usage_snapshot_at_renewal` and `health_snapshot_at_renewal`: for every renewal, a copy of its
/// client's newest snapshot dated on or before renewal_date − 30 days (the snapshot columns in
/// their order, then `renewal_id` as the key; no row when the client had none by then). The
/// renewal forecast trains on every closed renewal's features read at that cutoff; this is that
/// read, kept ready, instead of one index seek per closed renewal into each history on every
/// forecast (66,581 seeks per table on a 50k-client book: ~430 ms of PostgreSQL per table).
///
/// The cutoff does not depend on the asOf asked, so one copy serves every asOf: a closed renewal
/// trains only when it is dated before asOf, and its cutoff is then before asOf as well.
///
/// Triggers keep the copies in the same transaction as every write to renewals or snapshots,
/// whatever code path makes it: statement-level ones over the changed rows on PostgreSQL,
/// row-level ones on SQLite. No foreign key: a renewal's copy row is removed with it.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let postgres = manager.get_database_backend() == sea_orm::DbBackend::Postgres;
        for copy in COPIES {
            manager.create_table((copy.table_definition)()).await?;
            let db = manager.get_connection();
            let backfill = copy.refill(postgres, "SELECT id FROM renewal");
            db.execute_unprepared(&backfill).await?;
            let triggers = match postgres {
                true => copy.postgres_triggers(),
                false => copy.sqlite_triggers(),
            };
            for sql in triggers {
                db.execute_unprepared(&sql).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let postgres = manager.get_database_backend() == sea_orm::DbBackend::Postgres;
        for copy in COPIES {
            let db = manager.get_connection();
            for sql in copy.drop_triggers(postgres) {
                db.execute_unprepared(&sql).await?;
            }
            drop(manager, &copy.copy()).await?;
        }
        Ok(())
    }
}

/// One snapshot table and its copy of each renewal's training snapshot.
struct SnapshotAtRenewal {
    /// The snapshot table.
    table: &'static str,
    /// Its date column (unique per client with `client_id`).
    date: &'static str,
    /// The copy's definition: the snapshot's columns in their order, then `renewal_id` as the key.
    table_definition: fn() -> TableCreateStatement,
}

const COPIES: [SnapshotAtRenewal; 2] = [
    SnapshotAtRenewal {
        table: "usage_snapshot",
        date: "period_start",
        table_definition: usage_at_renewal,
    },
    SnapshotAtRenewal {
        table: "health_snapshot",
        date: "as_of",
        table_definition: health_at_renewal,
    },
];

fn usage_at_renewal() -> TableCreateStatement {
    Table::create()
        .table(id("usage_snapshot_at_renewal"))
        .col(big_integer(id("id")))
        .col(string_len(id("client_id"), 100))
        .col(date(id("period_start")))
        .col(integer(id("seats_licensed")))
        .col(integer(id("active_users")))
        .col(double(id("usage_rate")))
        .col(double(id("feature_adoption")))
        .col(big_integer(id("api_calls")))
        .col(big_integer(id("logins")))
        .col(big_integer(id("reports_exported")))
        .col(string_len(id("renewal_id"), 40).primary_key())
        .to_owned()
}

fn health_at_renewal() -> TableCreateStatement {
    Table::create()
        .table(id("health_snapshot_at_renewal"))
        .col(big_integer(id("id")))
        .col(string_len(id("client_id"), 100))
        .col(date(id("as_of")))
        .col(integer(id("usage_score")))
        .col(integer(id("engagement_score")))
        .col(integer(id("support_score")))
        .col(integer(id("satisfaction_score")))
        .col(integer(id("payment_score")))
        .col(double(id("overall_score")))
        .col(string_len(id("trend"), 20))
        .col(string_len(id("renewal_id"), 40).primary_key())
        .to_owned()
}

/// A renewal's cutoff (renewal_date − lead days) as each backend writes date arithmetic.
fn cutoff(postgres: bool, renewal: &str) -> String {
    let days = SNAPSHOT_AT_RENEWAL_LEAD_DAYS;
    match postgres {
        true => format!("{renewal}.renewal_date - {days}"),
        false => format!("date({renewal}.renewal_date, '-{days} days')"),
    }
}

impl SnapshotAtRenewal {
    fn copy(&self) -> String {
        format!("{}_at_renewal", self.table)
    }

    /// Writes the copies of the renewals `renewals_sql` selects, each its client's newest snapshot
    /// dated on or before its cutoff (one index seek per renewal). A renewal without one gets no
    /// row; an existing row is replaced (PostgreSQL: followed by the caller's `ON CONFLICT`).
    fn refill(&self, postgres: bool, renewals_sql: &str) -> String {
        let (table, date, copy, cutoff) = (self.table, self.date, self.copy(), cutoff(postgres, "r"));
        match postgres {
            true => format!(
                "INSERT INTO {copy} SELECT s.*, r.id FROM renewal r JOIN LATERAL (SELECT n.* FROM {table} n \
                 WHERE n.client_id = r.client_id AND n.{date} <= {cutoff} ORDER BY n.{date} DESC LIMIT 1) s ON TRUE \
                 WHERE r.id IN ({renewals_sql})"
            ),
            false => format!(
                "INSERT OR REPLACE INTO {copy} SELECT s.*, r.id FROM renewal r JOIN {table} s ON s.id = \
                 (SELECT n.id FROM {table} n WHERE n.client_id = r.client_id AND n.{date} <= {cutoff} \
                 ORDER BY n.{date} DESC LIMIT 1) WHERE r.id IN ({renewals_sql})"
            ),
        }
    }

    /// `ON CONFLICT (renewal_id) DO UPDATE SET` every other column from the row offered, `when` the
    /// condition holds (always, without one).
    fn on_conflict_replace(&self, when: Option<&str>) -> String {
        let definition = (self.table_definition)();
        let set = definition
            .get_columns()
            .iter()
            .map(|c| c.get_column_name())
            .filter(|name| name != "renewal_id")
            .map(|name| format!("{name} = EXCLUDED.{name}"))
            .collect::<Vec<_>>()
            .join(", ");
        let when = when.map(|w| format!(" WHERE {w}")).unwrap_or_default();
        format!("ON CONFLICT (renewal_id) DO UPDATE SET {set}{when}")
    }

    /// Renewals: an inserted one gets its copy; one whose date or client changed gets it again; a
    /// deleted one loses it. Snapshots: an insert offers each renewal of the client whose cutoff it
    /// falls on or before the newest such row, which replaces an older copy; an update or delete
    /// finds the copies of the touched clients' renewals again.
    ///
    /// Every trigger on the snapshots and on renewals first locks the client rows it touches, so
    /// that writers of one client's renewals and snapshots take turns: otherwise a renewal inserted
    /// beside a snapshot of its client could be copied without that snapshot (neither transaction
    /// seeing the other's row). Each statement after the lock sees what the other committed (READ
    /// COMMITTED); the upsert of an insert keeps the newer row whatever the order.
    fn postgres_triggers(&self) -> Vec<String> {
        let (table, date, copy) = (self.table, self.date, self.copy());
        let function = |name: &str, body: String| {
            format!(
                "CREATE FUNCTION {copy}_{name}() RETURNS trigger LANGUAGE plpgsql AS $body$ \
                 BEGIN {body}; RETURN NULL; END $body$"
            )
        };
        let lock = |clients_sql: &str| {
            format!("PERFORM 1 FROM client WHERE id IN ({clients_sql}) ORDER BY id FOR NO KEY UPDATE")
        };
        let replace = |renewals_sql: &str, when: Option<&str>| {
            format!("{} {}", self.refill(true, renewals_sql), self.on_conflict_replace(when))
        };
        let renewals_of =
            |clients_sql: &str| format!("SELECT r.id FROM renewal r WHERE r.client_id IN ({clients_sql})");
        let moved = "SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id \
                     WHERE n.renewal_date <> o.renewal_date OR n.client_id <> o.client_id";
        let touched = "SELECT client_id FROM old_rows UNION SELECT client_id FROM new_rows";
        let offered = format!(
            "SELECT r.id FROM renewal r JOIN (SELECT client_id, MIN({date}) AS earliest FROM new_rows GROUP BY client_id) m \
             ON m.client_id = r.client_id WHERE m.earliest <= {}",
            cutoff(true, "r")
        );
        vec![
            function(
                "renewal_insert",
                format!(
                    "{}; {}",
                    lock("SELECT client_id FROM new_rows"),
                    replace("SELECT id FROM new_rows", None)
                ),
            ),
            function(
                "renewal_update",
                format!(
                    "{}; DELETE FROM {copy} WHERE renewal_id IN ({moved}); {}",
                    lock(touched),
                    replace(moved, None)
                ),
            ),
            function(
                "renewal_delete",
                format!("DELETE FROM {copy} WHERE renewal_id IN (SELECT id FROM old_rows)"),
            ),
            function(
                "snapshot_insert",
                format!(
                    "{}; {}",
                    lock("SELECT client_id FROM new_rows"),
                    replace(&offered, Some(&format!("EXCLUDED.{date} >= {copy}.{date}")))
                ),
            ),
            function(
                "snapshot_update",
                format!(
                    "{}; DELETE FROM {copy} WHERE renewal_id IN ({}); {}",
                    lock(touched),
                    renewals_of(touched),
                    replace(&renewals_of(touched), None)
                ),
            ),
            function(
                "snapshot_delete",
                format!(
                    "{}; DELETE FROM {copy} WHERE renewal_id IN ({}); {}",
                    lock("SELECT client_id FROM old_rows"),
                    renewals_of("SELECT client_id FROM old_rows"),
                    replace(&renewals_of("SELECT client_id FROM old_rows"), None)
                ),
            ),
            format!(
                "CREATE TRIGGER {copy}_renewal_insert AFTER INSERT ON renewal REFERENCING NEW TABLE AS new_rows \
                 FOR EACH STATEMENT EXECUTE FUNCTION {copy}_renewal_insert()"
            ),
            format!(
                "CREATE TRIGGER {copy}_renewal_update AFTER UPDATE ON renewal REFERENCING OLD TABLE AS old_rows \
                 NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {copy}_renewal_update()"
            ),
            format!(
                "CREATE TRIGGER {copy}_renewal_delete AFTER DELETE ON renewal REFERENCING OLD TABLE AS old_rows \
                 FOR EACH STATEMENT EXECUTE FUNCTION {copy}_renewal_delete()"
            ),
            format!(
                "CREATE TRIGGER {copy}_snapshot_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows \
                 FOR EACH STATEMENT EXECUTE FUNCTION {copy}_snapshot_insert()"
            ),
            format!(
                "CREATE TRIGGER {copy}_snapshot_update AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows \
                 NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {copy}_snapshot_update()"
            ),
            format!(
                "CREATE TRIGGER {copy}_snapshot_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows \
                 FOR EACH STATEMENT EXECUTE FUNCTION {copy}_snapshot_delete()"
            ),
        ]
    }

    /// The same rules, row by row (SQLite runs one writer at a time, so no locks are needed).
    fn sqlite_triggers(&self) -> Vec<String> {
        let (table, date, copy) = (self.table, self.date, self.copy());
        let of_client = |clients: &str| format!("SELECT id FROM renewal WHERE client_id IN ({clients})");
        let refill_clients = |clients: &str| {
            format!(
                "DELETE FROM {copy} WHERE renewal_id IN ({}); {}",
                of_client(clients),
                self.refill(false, &of_client(clients))
            )
        };
        vec![
            format!(
                "CREATE TRIGGER {copy}_renewal_insert AFTER INSERT ON renewal BEGIN {}; END",
                self.refill(false, "VALUES (NEW.id)")
            ),
            format!(
                "CREATE TRIGGER {copy}_renewal_update AFTER UPDATE OF renewal_date, client_id ON renewal BEGIN \
                 DELETE FROM {copy} WHERE renewal_id IN (OLD.id, NEW.id); {}; END",
                self.refill(false, "VALUES (NEW.id)")
            ),
            format!("CREATE TRIGGER {copy}_renewal_delete AFTER DELETE ON renewal BEGIN DELETE FROM {copy} WHERE renewal_id = OLD.id; END"),
            format!(
                "CREATE TRIGGER {copy}_snapshot_insert AFTER INSERT ON {table} BEGIN \
                 INSERT OR REPLACE INTO {copy} SELECT s.*, r.id FROM renewal r JOIN {table} s ON s.id = NEW.id \
                 WHERE r.client_id = NEW.client_id AND NEW.{date} <= {} AND NOT EXISTS \
                 (SELECT 1 FROM {copy} c WHERE c.renewal_id = r.id AND c.{date} > NEW.{date}); END",
                cutoff(false, "r")
            ),
            format!(
                "CREATE TRIGGER {copy}_snapshot_update AFTER UPDATE ON {table} BEGIN {}; END",
                refill_clients("OLD.client_id, NEW.client_id")
            ),
            format!(
                "CREATE TRIGGER {copy}_snapshot_delete AFTER DELETE ON {table} BEGIN {}; END",
                refill_clients("OLD.client_id")
            ),
        ]
    }

    fn drop_triggers(&self, postgres: bool) -> Vec<String> {
        let (table, copy) = (self.table, self.copy());
        let triggers = [
            ("renewal_insert", "renewal"),
            ("renewal_update", "renewal"),
            ("renewal_delete", "renewal"),
            ("snapshot_insert", table),
            ("snapshot_update", table),
            ("snapshot_delete", table),
        ];
        let mut sql: Vec<String> = triggers
            .iter()
            .map(|(name, on)| match postgres {
                true => format!("DROP TRIGGER IF EXISTS {copy}_{name} ON {on}"),
                false => format!("DROP TRIGGER IF EXISTS {copy}_{name}"),
            })
            .collect();
        if postgres {
            sql.extend(
                triggers
                    .iter()
                    .map(|(name, _)| format!("DROP FUNCTION IF EXISTS {copy}_{name}()")),
            );
        }
        sql
    }
}
