//! The PostgreSQL backend: a store in the schema `growthdb` of a database,
//! through the synchronous `postgres` client.
//!
//! The schema lives in `schema/postgres/*.sql`, applied in order; the
//! table `growthdb.meta` records growthdb's application id and the number
//! of files applied, so that a `growthdb` schema made by anything else is
//! refused and never modified, and a newer store is refused.
//!
//! Writers take one lock per database (a transaction-level advisory
//! lock) as their transaction begins, as SQLite's `BEGIN IMMEDIATE` does:
//! writers queue rather than fail on each other, every statement of a
//! write sees what the writers before it committed, and of two commands
//! inserting one snapshot exactly one wins. Reads outside a transaction
//! take a snapshot of their own (repeatable read).

mod address;
mod bulk;
mod data;
mod order;
mod query;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use postgres::error::SqlState;
use postgres::types::ToSql;
use postgres::{Client, NoTls, Row, Statement};

use super::{BUSY_TIMEOUT, Result, StoreError};

pub use address::is_address;
pub use bulk::Bulk;

/// The numbered schema files, in order; `growthdb.meta.schema_version` is
/// the number of them applied. Append only: never edit a released file.
const MIGRATIONS: &[&str] = &[
    include_str!("../../../schema/postgres/0001_initial.sql"),
    include_str!("../../../schema/postgres/0002_snapshot_series_unchecked.sql"),
];

/// "GrDb" in ASCII, as in a SQLite store's application_id.
const APPLICATION_ID: i64 = 0x4772_4462;

/// The advisory lock a writer holds for its transaction.
const WRITE_LOCK: i64 = APPLICATION_ID;

/// A store in a PostgreSQL database.
pub struct Store {
    /// Shared with the thread that copies a bulk write's run while the
    /// next one is read (see [`bulk`]): a statement waits for the copy.
    client: Arc<Mutex<Client>>,
    /// Statements prepared once per connection, by their text.
    prepared: RefCell<HashMap<&'static str, Statement>>,
    /// The address without a password.
    address: String,
    readonly: bool,
    in_transaction: Cell<bool>,
    /// The schema version found or made at open.
    version: usize,
}

/// How a PostgreSQL error reads to people, and which kind it is.
pub(super) fn store_error(err: postgres::Error) -> StoreError {
    let code = err.code().cloned();
    match code {
        Some(SqlState::T_R_SERIALIZATION_FAILURE) | Some(SqlState::T_R_DEADLOCK_DETECTED) => {
            StoreError::Contended
        }
        Some(SqlState::LOCK_NOT_AVAILABLE) => StoreError::Locked,
        Some(SqlState::DISK_FULL) => StoreError::Unwritable("the server's disk is full".into()),
        _ => StoreError::Postgres(match err.as_db_error() {
            Some(db) => db.message().to_string(),
            None => err.to_string(),
        }),
    }
}

/// A connection's lock; a thread that panicked while holding it left no
/// state that the next statement could trip over.
fn lock(client: &Mutex<Client>) -> MutexGuard<'_, Client> {
    client.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Store {
    pub fn open(text: &str, readonly: bool) -> Result<Store> {
        let shown = address::redacted(text);
        let open_error = |reason: String| StoreError::Open {
            path: shown.clone(),
            reason,
        };
        let target = address::Target::parse(text).map_err(|e| open_error(e.to_string()))?;
        let mut client = target
            .config
            .connect(NoTls)
            .map_err(|e| open_error(target.scrub(&e.to_string())))?;
        // The store's tables are found by their names alone, in `.sql`
        // too; lock waits end as SQLite's busy timeout does.
        client
            .batch_execute(&format!(
                "SET search_path = growthdb; SET lock_timeout = '{}s';{}",
                BUSY_TIMEOUT.as_secs(),
                if readonly {
                    " SET default_transaction_read_only = on;"
                } else {
                    ""
                }
            ))
            .map_err(|e| open_error(target.scrub(&e.to_string())))?;
        let mut store = Store {
            client: Arc::new(Mutex::new(client)),
            prepared: RefCell::default(),
            address: target.shown.clone(),
            readonly,
            in_transaction: Cell::new(false),
            version: 0,
        };
        store.version = store.settle()?;
        Ok(store)
    }

    /// Checks that the database's `growthdb` schema is a store, creating
    /// or upgrading it when writable; the schema version it then has.
    fn settle(&self) -> Result<usize> {
        let found = self.identity()?;
        let complete = found.is_some_and(|v| v >= MIGRATIONS.len());
        if complete || self.readonly {
            return found.ok_or_else(|| StoreError::Open {
                path: self.address.clone(),
                reason: "the database holds no growthdb store (--readonly never creates one)"
                    .into(),
            });
        }
        self.begin()?;
        let migrated = self.migrate();
        match migrated {
            Ok(version) => self.commit().map(|()| version),
            Err(err) => {
                let _ = self.rollback();
                Err(err)
            }
        }
    }

    /// Applies the schema files the store lacks, under the write lock,
    /// after reading the version again (another process may have made
    /// the store meanwhile).
    fn migrate(&self) -> Result<usize> {
        let applied = self.identity()?.unwrap_or(0);
        for sql in MIGRATIONS.iter().skip(applied) {
            self.client().batch_execute(sql).map_err(store_error)?;
        }
        self.execute(
            "INSERT INTO growthdb.meta (id, application_id, schema_version) VALUES (1, $1, $2)
             ON CONFLICT (id) DO UPDATE SET schema_version = excluded.schema_version",
            &[&APPLICATION_ID, &(MIGRATIONS.len() as i32)],
        )?;
        Ok(MIGRATIONS.len())
    }

    /// The schema version of the store in this database: None when the
    /// database has no `growthdb` schema; refuses one that growthdb did
    /// not make, or a newer one.
    fn identity(&self) -> Result<Option<usize>> {
        let foreign = |reason: &str| StoreError::Foreign {
            path: self.address.clone(),
            reason: reason.to_string(),
        };
        let row = self.query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'growthdb'),
                    to_regclass('growthdb.meta') IS NOT NULL",
            &[],
        )?;
        let (schema, meta): (bool, bool) = (row.get(0), row.get(1));
        if !schema {
            return Ok(None);
        }
        if !meta {
            return Err(foreign("its schema growthdb has no growthdb.meta table"));
        }
        let marks = self.client()
            .query_opt(
                "SELECT application_id::bigint, schema_version::bigint FROM growthdb.meta WHERE id = 1",
                &[],
            )
            .map_err(|_| foreign("its growthdb.meta table is not growthdb's"))?;
        let Some(marks) = marks else {
            return Err(foreign("its growthdb.meta table is empty"));
        };
        let (application_id, version): (Option<i64>, Option<i64>) = (marks.get(0), marks.get(1));
        if application_id != Some(APPLICATION_ID) {
            return Err(foreign(
                "its application id in growthdb.meta is not growthdb's",
            ));
        }
        let version = version.unwrap_or(-1);
        let Ok(applied) = usize::try_from(version) else {
            return Err(StoreError::Damaged {
                path: self.address.clone(),
                reason: format!("its schema version is {version}"),
            });
        };
        if applied > MIGRATIONS.len() {
            return Err(StoreError::TooNew {
                path: self.address.clone(),
                found: version,
                supported: MIGRATIONS.len(),
            });
        }
        Ok(Some(applied))
    }

    /// The address, without a password.
    pub fn address(&self) -> &str {
        &self.address
    }

    pub fn is_readonly(&self) -> bool {
        self.readonly
    }

    /// The schema version this program writes.
    pub fn schema_version() -> usize {
        MIGRATIONS.len()
    }

    pub fn require_writable(&self, command: &'static str) -> Result<()> {
        if self.readonly {
            Err(StoreError::ReadOnly(command))
        } else {
            Ok(())
        }
    }

    pub fn in_transaction(&self) -> bool {
        self.in_transaction.get()
    }

    /// A read transaction: one snapshot of the database for all its reads.
    pub(super) fn begin_read(&self) -> Result<()> {
        self.batch("BEGIN ISOLATION LEVEL REPEATABLE READ")?;
        self.in_transaction.set(true);
        Ok(())
    }

    /// A write transaction, holding the store's write lock from its start:
    /// read committed, so that each statement sees what the writers before
    /// it committed.
    pub(super) fn begin(&self) -> Result<()> {
        let mut attempt = 0;
        loop {
            self.batch("BEGIN ISOLATION LEVEL READ COMMITTED")?;
            self.in_transaction.set(true);
            let locked = self
                .client()
                .execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK]);
            let Err(err) = locked else {
                return Ok(());
            };
            let _ = self.rollback();
            let retry = matches!(
                err.code(),
                Some(&SqlState::T_R_SERIALIZATION_FAILURE | &SqlState::T_R_DEADLOCK_DETECTED)
            );
            attempt += 1;
            if !retry || attempt >= super::WRITE_TRIES {
                return Err(store_error(err));
            }
        }
    }

    pub(super) fn commit(&self) -> Result<()> {
        let committed = self.batch("COMMIT");
        self.in_transaction.set(false);
        committed
    }

    pub(super) fn rollback(&self) -> Result<()> {
        let rolled = self.batch("ROLLBACK");
        self.in_transaction.set(false);
        rolled
    }

    /// Marks the start of one command inside a larger transaction.
    pub(super) fn savepoint(&self) -> Result<()> {
        self.batch("SAVEPOINT command")
    }

    pub(super) fn release_savepoint(&self) -> Result<()> {
        self.batch("RELEASE command")
    }

    /// Undoes everything since [`Store::savepoint`], a failed statement
    /// included: PostgreSQL refuses all work in a transaction after an
    /// error until then.
    pub(super) fn rollback_to_savepoint(&self) -> Result<()> {
        self.batch("ROLLBACK TO command; RELEASE command")
    }

    /// The connection, once no other thread is using it.
    fn client(&self) -> MutexGuard<'_, Client> {
        lock(&self.client)
    }

    fn batch(&self, sql: &str) -> Result<()> {
        self.client().batch_execute(sql).map_err(store_error)
    }

    /// The statement for `sql`, prepared once per connection.
    fn statement(&self, sql: &'static str) -> Result<Statement> {
        if let Some(statement) = self.prepared.borrow().get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client().prepare(sql).map_err(store_error)?;
        self.prepared.borrow_mut().insert(sql, statement.clone());
        Ok(statement)
    }

    fn query(&self, sql: &'static str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>> {
        let statement = self.statement(sql)?;
        self.client().query(&statement, params).map_err(store_error)
    }

    fn query_opt(&self, sql: &'static str, params: &[&(dyn ToSql + Sync)]) -> Result<Option<Row>> {
        let statement = self.statement(sql)?;
        self.client()
            .query_opt(&statement, params)
            .map_err(store_error)
    }

    fn query_one(&self, sql: &'static str, params: &[&(dyn ToSql + Sync)]) -> Result<Row> {
        let statement = self.statement(sql)?;
        self.client()
            .query_one(&statement, params)
            .map_err(store_error)
    }

    fn execute(&self, sql: &'static str, params: &[&(dyn ToSql + Sync)]) -> Result<u64> {
        let statement = self.statement(sql)?;
        self.client()
            .execute(&statement, params)
            .map_err(store_error)
    }

    /// The SQL that made the store: the schema files applied.
    pub fn schema_sql(&self) -> Result<Vec<String>> {
        Ok(MIGRATIONS[..self.version]
            .iter()
            .map(|sql| sql.trim_end().trim_end_matches(';').to_string())
            .collect())
    }
}
