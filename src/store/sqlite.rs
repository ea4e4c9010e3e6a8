//! The SQLite backend: a store in one file, through rusqlite.
//!
//! The schema lives in `schema/sqlite/*.sql`, applied in order and recorded
//! in `PRAGMA user_version`; `PRAGMA application_id` marks a file as a
//! growthdb store so that any other SQLite file is refused and never
//! modified. Its parts keep their files beside this one.

#[path = "bulk_rows.rs"]
mod bulk_rows;
#[path = "calendar.rs"]
mod calendar;
#[path = "check.rs"]
mod check;
#[path = "files.rs"]
mod files;
#[path = "header.rs"]
mod header;
#[path = "held.rs"]
pub(super) mod held;
#[path = "immutable.rs"]
mod immutable;
#[path = "order.rs"]
mod order;
#[path = "read.rs"]
mod read;
#[path = "sql.rs"]
mod sql;
#[path = "write.rs"]
mod write;

use std::fs::OpenOptions;
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use rusqlite::config::DbConfig;
use rusqlite::{Connection, MAIN_DB, OpenFlags};

use super::{BUSY_TIMEOUT, MetricId, MetricRow, Result, SeriesId, SeriesRow, StoreError};

pub use bulk_rows::Bulk;
pub use check::Finding;
pub use read::{MetricStats, Observation, RevisionRow};
pub use sql::{Refused, SqlRows};

/// "GrDb" in ASCII: marks a SQLite file as a growthdb store.
pub const APPLICATION_ID: i64 = 0x4772_4462;

/// The numbered schema files, in order; the store's `user_version` is the
/// number of them applied. Append only: never edit a released file.
const MIGRATIONS: &[&str] = &[
    include_str!("../../schema/sqlite/0001_initial.sql"),
    include_str!("../../schema/sqlite/0002_calendar.sql"),
];

/// Why SQLite would mishandle a path, if it would: it takes "" for a private
/// temporary database, drops a trailing slash and makes a file of the
/// directory's name, opens a directory read-only only to fail on the first
/// read, and reads a FIFO or a device as if it were a store.
fn unusable_path(path: &str) -> Option<String> {
    if path.is_empty() {
        return Some("the path is empty (from --db or GROWTHDB_DB); name a file, or :memory: for a throw-away store".into());
    }
    if path.ends_with(std::path::MAIN_SEPARATOR) {
        return Some(format!(
            "a store is a file; name one in that directory, such as {path}growth.db"
        ));
    }
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Some("it is a directory".into()),
        Ok(meta) if !meta.is_file() => Some("it is not a regular file".into()),
        _ => None,
    }
}

/// The name SQLite is given for a store path: SQLite reads a name that
/// starts with `file:` as a URI (with options such as `mode=memory`), so
/// such a relative path is given as `./file:...`, which names the same file.
fn sqlite_path(path: &str) -> std::borrow::Cow<'_, str> {
    match path.get(..5) {
        Some(scheme) if scheme.eq_ignore_ascii_case("file:") => format!("./{path}").into(),
        _ => path.into(),
    }
}

/// How a store is opened as immutable: read-only, by URI.
fn immutable_flags() -> OpenFlags {
    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX
}

/// The directory a store file lies in, as the user would name it.
fn directory_of(path: &str) -> String {
    match Path::new(path).parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.display().to_string(),
        _ => "the current directory".to_string(),
    }
}

/// Why a file SQLite could not open cannot be opened, in the operating
/// system's words: SQLite says only "unable to open database file".
fn open_failure(path: &str, readonly: bool) -> Option<String> {
    let file = Path::new(path);
    if let Ok(target) = std::fs::read_link(file)
        && !file.exists()
    {
        return Some(format!(
            "it is a link to {}, which does not exist and cannot be made",
            target.display()
        ));
    }
    if file.exists() {
        let opened = OpenOptions::new().read(true).write(!readonly).open(file);
        return opened.err().map(|e| e.to_string());
    }
    let parent = match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    match std::fs::metadata(parent) {
        Err(e) => return Some(format!("{}: {e}", parent.display())),
        Ok(meta) if !meta.is_dir() => {
            return Some(format!("{} is not a directory", parent.display()));
        }
        Ok(_) => {}
    }
    // Most likely the directory cannot be written: ask the system, and
    // remove the file should it be created after all.
    match OpenOptions::new().write(true).create_new(true).open(file) {
        Ok(_) => {
            let _ = std::fs::remove_file(file);
            None
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => None,
        Err(e) => Some(format!("cannot create it in {}: {e}", parent.display())),
    }
}

/// How often a waiting process looks for the lock again.
const LOCK_POLL: Duration = Duration::from_millis(1);

/// SQLite's busy handler: waits for another process's lock, looking every
/// millisecond (SQLite's own waits grow to 100 ms, long enough to miss the
/// short gaps a bulk writer leaves between its transactions), for up to
/// [`BUSY_TIMEOUT`].
fn wait_for_lock(attempts: i32) -> bool {
    let waited = LOCK_POLL * u32::try_from(attempts).unwrap_or(0);
    if waited >= BUSY_TIMEOUT {
        return false;
    }
    thread::sleep(LOCK_POLL);
    true
}

/// A store in a SQLite file.
pub struct Store {
    conn: held::HeldConnection,
    readonly: bool,
    /// The path and the reason when the store file itself cannot be
    /// written (SQLite then opens it read-only without a word).
    unwritable: Option<(String, String)>,
    /// The store file and its journals, which no output may overwrite.
    files: files::StoreFiles,
    /// The path the store was opened with (`:memory:` for none).
    path: String,
    /// `.sql`'s authorizer on this connection, off but while `.sql` runs.
    sql_guard: std::sync::Arc<sql::SqlGuard>,
    /// `.sql`'s own read-only connection, opened on first use.
    sql_conn: std::cell::RefCell<Option<sql::SqlConnection>>,
    /// Whether the file is read as immutable, without its `-wal` and
    /// `-shm` (see [`immutable`]).
    immutable: bool,
    /// The series the held statement adding a first revision holds, and
    /// whether its source and note are NULL, when `add_first_revision`
    /// ran it last (see there).
    first_revision_bound: std::cell::Cell<Option<(SeriesId, bool)>>,
}

impl Store {
    /// Opens (or creates, with its schema) the store at `path`; `:memory:`
    /// is a throw-away store.
    pub fn open(path: &str, readonly: bool) -> Result<Store> {
        let in_memory = path == ":memory:";
        let open_error = |reason: String| StoreError::Open {
            path: path.to_string(),
            reason,
        };
        if readonly && !in_memory && !Path::new(path).exists() {
            return Err(open_error(
                "no such file (--readonly never creates one)".into(),
            ));
        }
        if let Some(reason) = unusable_path(path).filter(|_| !in_memory) {
            return Err(open_error(reason));
        }
        if let Some(reason) = header::pending_foreign_changes(path).filter(|_| !in_memory) {
            return Err(StoreError::Foreign {
                path: path.to_string(),
                reason,
            });
        }
        // An in-memory store must be writable to receive its schema; the
        // read-only flag below still refuses data commands.
        let flags = if readonly && !in_memory {
            OpenFlags::SQLITE_OPEN_READ_ONLY
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE
        } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn =
            Connection::open_with_flags(sqlite_path(path).as_ref(), flags).map_err(|e| {
                open_error(open_failure(path, readonly).unwrap_or_else(|| e.to_string()))
            })?;
        conn.busy_handler(Some(wait_for_lock))
            .map_err(|e| open_error(e.to_string()))?;
        let sql_guard = std::sync::Arc::default();
        sql::install(&mut conn, &sql_guard).map_err(|e| open_error(e.to_string()))?;
        let unwritable = (!readonly && !in_memory && conn.is_readonly(MAIN_DB).unwrap_or(false))
            .then(|| {
                let reason = OpenOptions::new().write(true).open(path).err();
                let reason = reason.map_or_else(|| "opened read-only".into(), |e| e.to_string());
                (path.to_string(), reason)
            });
        let readonly = readonly || unwritable.is_some();
        let mut store = Store {
            conn: held::HeldConnection::of(conn),
            readonly,
            unwritable,
            files: files::StoreFiles::of(path),
            path: path.to_string(),
            sql_guard,
            sql_conn: Default::default(),
            immutable: false,
            first_revision_bound: Default::default(),
        };
        match store.settle(path, !readonly || in_memory) {
            // SQLite could not create the -wal and -shm it reads through:
            // a read-only store whole in its file is read without them.
            Err(StoreError::Open { .. })
                if readonly && !in_memory && immutable::whole_in_file(path) =>
            {
                let mut conn = Connection::open_with_flags(immutable::uri(path), immutable_flags())
                    .map_err(|e| open_error(e.to_string()))?;
                sql::install(&mut conn, &store.sql_guard).map_err(|e| open_error(e.to_string()))?;
                store.conn = held::HeldConnection::of(conn);
                store.immutable = true;
                store.settle(path, false)?;
            }
            Err(StoreError::Open { .. }) if readonly && !in_memory => {
                return Err(open_error(format!(
                    "its -wal holds changes that SQLite reads only through a -shm file beside it, which it cannot create; make {} writable",
                    directory_of(path)
                )));
            }
            other => other?,
        }
        // A larger page cache keeps the b-tree pages of bulk inserts in
        // memory between commits (the default is 2 MiB).
        store.conn.pragma_update(None, "cache_size", -32_768)?;
        // Temporary tables (the series order of a large selection, a
        // table import's cells) and large sorts go to a temporary file,
        // not to memory, as SQLite built here would otherwise keep them.
        store.conn.pragma_update(None, "temp_store", "FILE")?;
        // Every statement the store runs stays prepared, and stays valid:
        // with a stable query plan, SQLite does not re-prepare a statement
        // when a new value is bound to it, which it otherwise does for
        // lookups by key.
        store.conn.set_prepared_statement_cache_capacity(64);
        store
            .conn
            .set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        Ok(store)
    }

    /// Checks that the file is a growthdb store and, to write, brings it to
    /// WAL mode and the current schema. Switching a new file to WAL can
    /// fail at once with "locked" while another process creates the same
    /// store (SQLite does not wait there), so that is retried until the
    /// busy timeout.
    fn settle(&self, path: &str, writable: bool) -> Result<()> {
        let deadline = Instant::now() + BUSY_TIMEOUT;
        loop {
            let attempt = self.check_identity(path).and_then(|()| {
                if writable {
                    self.prepare_for_writing(path)
                } else {
                    Ok(())
                }
            });
            match attempt {
                Err(StoreError::Locked) if Instant::now() < deadline => {
                    thread::sleep(Duration::from_millis(5));
                }
                other => return other,
            }
        }
    }

    /// Refuses files that are not growthdb stores, before anything is written.
    fn check_identity(&self, path: &str) -> Result<()> {
        let foreign = |reason: String| StoreError::Foreign {
            path: path.to_string(),
            reason,
        };
        // One statement, so that the three are read from one snapshot even
        // while another process is creating the store.
        let (application_id, version, tables): (i64, i64, i64) = self
            .conn
            .query_row(
                "SELECT (SELECT application_id FROM pragma_application_id),
                        (SELECT user_version FROM pragma_user_version),
                        (SELECT count(*) FROM sqlite_master)",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .map_err(|e| match e.sqlite_error_code() {
                // A truncated or overwritten file may well be a store: say
                // what is wrong with it rather than that it is foreign.
                Some(rusqlite::ErrorCode::DatabaseCorrupt) => StoreError::Damaged {
                    path: path.to_string(),
                    reason: e.to_string(),
                },
                // Reading a store in WAL mode needs its -wal and -shm files,
                // which SQLite creates beside it: a directory that cannot be
                // written makes even a query fail.
                Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen) => {
                    StoreError::Open {
                        path: path.to_string(),
                        reason: format!(
                            "SQLite cannot create or open its -wal and -shm files beside it ({e}); make {} writable, or read the store with --readonly",
                            directory_of(path)
                        ),
                    }
                }
                _ => match StoreError::from(e) {
                    StoreError::Locked => StoreError::Locked,
                    StoreError::Sqlite(reason) => foreign(reason.to_string()),
                    other => foreign(other.to_string()),
                },
            })?;
        if application_id != APPLICATION_ID {
            if application_id != 0 || version != 0 || tables > 0 {
                return Err(foreign("its application_id is not growthdb's".into()));
            }
            if self.readonly && path != ":memory:" {
                return Err(foreign("it is an empty SQLite file".into()));
            }
        }
        if version < 0 {
            // Its application_id is growthdb's, and no growthdb writes it.
            return Err(StoreError::Damaged {
                path: path.to_string(),
                reason: format!("its user_version is {version}"),
            });
        }
        if version > MIGRATIONS.len() as i64 {
            return Err(StoreError::TooNew {
                path: path.to_string(),
                found: version,
                supported: MIGRATIONS.len(),
            });
        }
        Ok(())
    }

    /// WAL lets readers and one writer work at once; `synchronous=NORMAL`
    /// is durable across process crashes in WAL mode and saves an fsync
    /// per commit. Then brings the schema up to date.
    fn prepare_for_writing(&self, path: &str) -> Result<()> {
        if path != ":memory:" {
            self.conn
                .pragma_update_and_check(None, "journal_mode", "wal", |_| Ok(()))?;
        }
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Checkpoints are where WAL mode syncs to disk; the default of one
        // per 1,000 pages makes bulk input wait on the disk every few
        // thousand snapshots.
        self.conn
            .pragma_update(None, "wal_autocheckpoint", 16_384)?;
        self.migrate(path)
    }

    /// Applies the schema files the store lacks, in one transaction, after
    /// re-reading the version under the write lock (another process may
    /// have migrated meanwhile).
    fn migrate(&self, path: &str) -> Result<()> {
        if self.applied_migrations(path)? >= MIGRATIONS.len() {
            return Ok(());
        }
        self.begin()?;
        let migrated = self.apply_migrations(path);
        match migrated {
            Ok(()) => self.commit(),
            Err(err) => {
                let _ = self.rollback();
                Err(err)
            }
        }
    }

    fn apply_migrations(&self, path: &str) -> Result<()> {
        self.check_identity(path)?;
        let applied = self.applied_migrations(path)?;
        for (index, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
            self.conn.execute_batch(sql)?;
            self.conn
                .pragma_update(None, "user_version", index as i64 + 1)?;
        }
        self.conn
            .pragma_update(None, "application_id", APPLICATION_ID)?;
        Ok(())
    }

    /// How many schema files the store has applied: its `user_version`,
    /// which no growthdb writes negative.
    fn applied_migrations(&self, path: &str) -> Result<usize> {
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |row| row.get(0))?;
        usize::try_from(version).map_err(|_| StoreError::Damaged {
            path: path.to_string(),
            reason: format!("its user_version is {version}"),
        })
    }

    /// Whether writing to `path` would write over the store file or one of
    /// SQLite's journals beside it (`-wal`, `-shm`, `-journal`), known by
    /// device and inode, so that neither another name for the same file
    /// nor a link to it gets past.
    pub fn owns_file(&self, path: &Path) -> bool {
        self.files.contains(path)
    }

    /// The path the store was opened with.
    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn is_readonly(&self) -> bool {
        self.readonly
    }

    /// The schema version this program writes.
    pub fn schema_version() -> usize {
        MIGRATIONS.len()
    }

    /// Fails with a clear error when the store was opened read-only.
    pub fn require_writable(&self, command: &'static str) -> Result<()> {
        match &self.unwritable {
            Some((path, reason)) => Err(StoreError::FileReadOnly {
                path: path.clone(),
                reason: reason.clone(),
                command,
            }),
            None if self.readonly => Err(StoreError::ReadOnly(command)),
            None => Ok(()),
        }
    }

    /// Whether a transaction is open on this connection.
    pub fn in_transaction(&self) -> bool {
        !self.conn.is_autocommit()
    }

    /// Switches foreign-key checks on or off, outside a transaction (see
    /// [`super::Store::unchecked_series_keys`]). Setting this pragma does
    /// not fail; were it to, the checks would merely stay as they were.
    pub(super) fn check_foreign_keys(&self, on: bool) {
        let _ = self.conn.pragma_update(None, "foreign_keys", on);
    }

    // Transactions are begun and ended through the guards of
    // [`transaction`], never directly.

    /// Starts a read transaction (see [`super::Transaction::read`]).
    pub(super) fn begin_read(&self) -> Result<()> {
        self.run_cached("BEGIN")
    }

    /// Starts a write transaction, taking the write lock at once so that it
    /// cannot fail later on a lock upgrade.
    pub(super) fn begin(&self) -> Result<()> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|err| match err.sqlite_error_code() {
                // Every write starts here. SQLite names neither the file
                // nor the cause: the store file may be writable while the
                // -wal or -shm file beside it is not.
                Some(rusqlite::ErrorCode::ReadOnly) => StoreError::Unwritable(format!(
                    "a file is read-only ({err}); check the permissions of the store file and of its -wal and -shm files"
                )),
                _ => StoreError::from(err),
            })
    }

    pub(super) fn commit(&self) -> Result<()> {
        Ok(self.conn.execute_batch("COMMIT")?)
    }

    pub(super) fn rollback(&self) -> Result<()> {
        Ok(self.conn.execute_batch("ROLLBACK")?)
    }

    /// Marks the start of one command inside a larger transaction.
    pub(super) fn savepoint(&self) -> Result<()> {
        self.run_cached("SAVEPOINT command")
    }

    pub(super) fn release_savepoint(&self) -> Result<()> {
        self.run_cached("RELEASE command")
    }

    /// Undoes everything since [`Store::savepoint`].
    pub(super) fn rollback_to_savepoint(&self) -> Result<()> {
        self.run_cached("ROLLBACK TO command")?;
        self.run_cached("RELEASE command")
    }

    /// Runs a statement without parameters, prepared once per connection:
    /// savepoints run once per command, where parsing SQL would show.
    fn run_cached(&self, sql: &str) -> Result<()> {
        self.conn.prepare_cached(sql)?.execute([])?;
        Ok(())
    }

    /// The SQL that created the store's tables, indexes and views.
    pub fn schema_sql(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
        )?;
        let rows = stmt.query_map([], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
#[path = "tests/mod.rs"]
mod tests;
