//! The store: the only module that names rusqlite or postgres.
//!
//! Two backends keep the same data under the same rules: a SQLite file
//! ([`sqlite`], the default) and a schema `growthdb` in a PostgreSQL
//! database ([`postgres`], for a `postgres://` address). Each has its own
//! numbered schema files in `schema/sqlite/` and `schema/postgres/`, applied
//! in order, and refuses a store it did not make or one newer than itself.
//! [`Store`] holds one of them, chosen once at open, and hands every
//! operation to it: the executor never knows which it talks to.
//!
//! # The operations a backend provides
//!
//! The executor needs exactly these, in domain terms (a metric's [`Kind`],
//! a series' [`LabelSet`], periods as day ranges `[start, end)`); each
//! backend implements the same set:
//!
//! - opening and identity: [`Store::open`], [`Store::is_readonly`],
//!   [`Store::require_writable`], [`Store::owns_file`],
//!   [`Store::schema_version`], [`Store::schema_sql`];
//! - transactions, only through guards that roll back when dropped:
//!   [`Transaction`] (write, or a read snapshot), [`Savepoint`], and
//!   [`Atomic`] (a transaction of its own, or a savepoint in the open one);
//! - metrics: `metric`, `metrics_matching`, `create_metric`,
//!   `update_metric`, `metric_stats`;
//! - series: `series_by_name`, `series_of_metric`,
//!   `each_series_of_metric` (streamed), `create_series`,
//!   `note_period_length`;
//! - snapshots as they are now or were at a time: `overlapping`,
//!   `latest_ending_by`, `earliest`, `latest`, `snapshots_within`;
//! - revisions: `latest_revision`, `add_first_revision`, `add_revision`,
//!   `revision`, `history`, `for_each_revision` (streamed);
//! - the fiscal calendar: `fiscal_calendar`, `set_fiscal_calendar`;
//! - an import's many values written as one (`bulk`, `bulk_add`,
//!   `bulk_conflict`, `bulk_finish`), the consistency check (`check`) and
//!   read-only SQL (`query_sql`, `stream_sql`), which each backend does in
//!   its own database's terms.

mod bulk;
mod bulk_spill;
mod invariants;
mod postgres;
mod sqlite;
mod transaction;

use std::path::Path;
use std::time::Duration;

use crate::core::command::Kind;
use crate::core::error::ErrorKind;
use crate::core::labels::LabelSet;
use crate::core::period::FiscalCalendar;
use crate::core::rows::Rows;

pub use bulk::{Bulk, BulkConflict, BulkCounts, BulkValue, UncheckedSeriesKeys};
pub use sqlite::{Finding, MetricStats, Observation, Refused, RevisionRow, SqlRows};
pub use transaction::{Atomic, Savepoint, Transaction};

/// How many first revisions [`Store::add_first_revisions`] writes at once.
pub const FIRST_REVISIONS: usize = sqlite::held::BATCH;

/// How long a command waits for another process's write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How many times in all a write is tried when another process's
/// transaction got in the way of it ([`StoreError::Contended`]).
pub const WRITE_TRIES: usize = 3;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open store {path}: {reason}")]
    Open { path: String, reason: String },
    #[error("{path} is not a growthdb store ({reason}); it was left unchanged")]
    Foreign { path: String, reason: String },
    #[error(
        "store {path} has schema version {found}, newer than this growthdb supports ({supported}); upgrade growthdb"
    )]
    TooNew {
        path: String,
        found: i64,
        supported: usize,
    },
    #[error("the store is read-only (--readonly): {0} changes nothing")]
    ReadOnly(&'static str),
    #[error("store {path} is read-only ({reason}): {command} changes nothing")]
    FileReadOnly {
        path: String,
        reason: String,
        command: &'static str,
    },
    #[error("store {path} is damaged ({reason}); it was left unchanged")]
    Damaged { path: String, reason: String },
    /// A write failed on the disk: full, over a limit, or read-only.
    #[error("cannot write the store: {0}")]
    Unwritable(String),
    #[error("the store is locked by another process (waited {}s); try again", BUSY_TIMEOUT.as_secs())]
    Locked,
    /// Another process's transaction got in the way of this one: a
    /// serialization failure or a deadlock (PostgreSQL's 40001, 40P01).
    #[error(
        "another process wrote to the store at the same time (tried {} times); try again",
        WRITE_TRIES
    )]
    Contended,
    /// `.sql` refused a statement that would not only read.
    #[error("the store is readonly to .sql: it runs only statements that read, and {0} is not one")]
    SqlWrites(Refused),
    #[error("store error: one SQL statement at a time")]
    OneStatement,
    /// A bulk write could not sort its values in a temporary file.
    #[error("cannot sort the import's values in a temporary file: {0}")]
    Scratch(#[source] std::io::Error),
    #[error("store error: {0}")]
    Sqlite(#[source] rusqlite::Error),
    /// What PostgreSQL said, in its words (never the connection's password).
    #[error("store error: {0}")]
    Postgres(String),
}

impl StoreError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            StoreError::Open { .. } | StoreError::Unwritable(_) | StoreError::Scratch(_) => {
                ErrorKind::Io
            }
            StoreError::Foreign { .. } => ErrorKind::ForeignStore,
            StoreError::TooNew { .. } => ErrorKind::TooNew,
            StoreError::ReadOnly(_)
            | StoreError::FileReadOnly { .. }
            | StoreError::SqlWrites(_) => ErrorKind::Readonly,
            StoreError::Damaged { .. } => ErrorKind::Damaged,
            StoreError::Locked | StoreError::Contended => ErrorKind::Locked,
            StoreError::OneStatement => ErrorKind::Usage,
            // `.sql` refuses writes through SQLite's query_only.
            StoreError::Sqlite(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ReadOnly) =>
            {
                ErrorKind::Readonly
            }
            StoreError::Sqlite(_) | StoreError::Postgres(_) => ErrorKind::Store,
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match err.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Locked,
            Some(ErrorCode::DiskFull) => StoreError::Unwritable("the disk is full".into()),
            // Only ENOSPC becomes "disk is full"; a file size limit (EFBIG)
            // or a quota (EDQUOT) is a bare "disk I/O error".
            Some(ErrorCode::SystemIoFailure) if is_write_failure(&err) => {
                StoreError::Unwritable(format!(
                    "{err} while writing (is the disk full, or a file size limit or quota reached?)"
                ))
            }
            _ => StoreError::Sqlite(err),
        }
    }
}

/// Whether an I/O error happened while writing or syncing a file.
fn is_write_failure(err: &rusqlite::Error) -> bool {
    use rusqlite::ffi;
    matches!(
        err,
        rusqlite::Error::SqliteFailure(e, _) if matches!(
            e.extended_code,
            ffi::SQLITE_IOERR_WRITE
                | ffi::SQLITE_IOERR_FSYNC
                | ffi::SQLITE_IOERR_DIR_FSYNC
                | ffi::SQLITE_IOERR_TRUNCATE
                | ffi::SQLITE_IOERR_SHMSIZE
        )
    )
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Ids of rows in the store.
pub type MetricId = i64;
pub type SeriesId = i64;

/// A metric as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricRow {
    pub id: MetricId,
    pub name: String,
    pub kind: Option<Kind>,
    pub unit: Option<String>,
    pub description: Option<String>,
}

impl MetricRow {
    /// Whether its values are ratios (stored as fractions).
    pub fn is_ratio(&self) -> bool {
        self.kind == Some(Kind::Ratio)
    }
}

/// A series as stored: its id and canonical name.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesRow {
    pub id: SeriesId,
    pub metric_id: MetricId,
    pub name: String,
    pub labels: LabelSet,
    pub max_days: i32,
}

/// The database a store lives in.
enum Backend {
    Sqlite(sqlite::Store),
    Postgres(postgres::Store),
}

/// A store, in whichever database it was opened.
pub struct Store {
    backend: Backend,
}

/// Hands a call to the backend the store was opened with.
macro_rules! dispatch {
    ($self:ident, $store:ident => $call:expr) => {
        match &$self.backend {
            Backend::Sqlite($store) => $call,
            Backend::Postgres($store) => $call,
        }
    };
}

impl Store {
    /// Opens (or creates, with its schema) the store at `path`: a SQLite
    /// file (`:memory:` is a throw-away store), or a PostgreSQL database
    /// for a `postgres://` or `postgresql://` address.
    pub fn open(path: &str, readonly: bool) -> Result<Store> {
        let backend = if postgres::is_address(path) {
            Backend::Postgres(postgres::Store::open(path, readonly)?)
        } else {
            Backend::Sqlite(sqlite::Store::open(path, readonly)?)
        };
        Ok(Store { backend })
    }

    /// How the store is named to people: its path, or its PostgreSQL
    /// address without a password.
    pub fn display_name(&self) -> String {
        match &self.backend {
            Backend::Sqlite(store) => store.path().to_string(),
            Backend::Postgres(store) => store.address().to_string(),
        }
    }

    /// Whether writing to `path` would write over one of the store's files
    /// (a PostgreSQL store has none here).
    pub fn owns_file(&self, path: &Path) -> bool {
        match &self.backend {
            Backend::Sqlite(store) => store.owns_file(path),
            Backend::Postgres(_) => false,
        }
    }

    pub fn is_readonly(&self) -> bool {
        dispatch!(self, s => s.is_readonly())
    }

    /// The schema version this program writes for the store's backend.
    pub fn schema_version(&self) -> usize {
        match &self.backend {
            Backend::Sqlite(_) => sqlite::Store::schema_version(),
            Backend::Postgres(_) => postgres::Store::schema_version(),
        }
    }

    /// Fails with a clear error when the store was opened read-only.
    pub fn require_writable(&self, command: &'static str) -> Result<()> {
        dispatch!(self, s => s.require_writable(command))
    }

    /// Whether a transaction is open on this connection.
    pub fn in_transaction(&self) -> bool {
        dispatch!(self, s => s.in_transaction())
    }

    /// Whether a statement that fails leaves its transaction usable:
    /// SQLite undoes the failed statement alone, while PostgreSQL refuses
    /// every later statement of the transaction until a savepoint before
    /// it is rolled back.
    pub fn statements_fail_alone(&self) -> bool {
        matches!(self.backend, Backend::Sqlite(_))
    }

    // Transactions are begun and ended through the guards of
    // [`transaction`], never directly.

    fn begin_read(&self) -> Result<()> {
        dispatch!(self, s => s.begin_read())
    }

    fn begin(&self) -> Result<()> {
        dispatch!(self, s => s.begin())
    }

    fn commit(&self) -> Result<()> {
        dispatch!(self, s => s.commit())
    }

    fn rollback(&self) -> Result<()> {
        dispatch!(self, s => s.rollback())
    }

    fn savepoint(&self) -> Result<()> {
        dispatch!(self, s => s.savepoint())
    }

    fn release_savepoint(&self) -> Result<()> {
        dispatch!(self, s => s.release_savepoint())
    }

    fn rollback_to_savepoint(&self) -> Result<()> {
        dispatch!(self, s => s.rollback_to_savepoint())
    }

    /// The SQL that created the store's tables, indexes and views.
    pub fn schema_sql(&self) -> Result<Vec<String>> {
        dispatch!(self, s => s.schema_sql())
    }

    pub fn metric(&self, name: &str) -> Result<Option<MetricRow>> {
        dispatch!(self, s => s.metric(name))
    }

    /// Metrics whose names match a `*` pattern (or all), by name.
    pub fn metrics_matching(&self, pattern: Option<&str>) -> Result<Vec<MetricRow>> {
        dispatch!(self, s => s.metrics_matching(pattern))
    }

    /// Creates a metric with the attributes given.
    pub fn create_metric(
        &self,
        name: &str,
        kind: Option<Kind>,
        unit: Option<&str>,
        description: Option<&str>,
    ) -> Result<MetricRow> {
        dispatch!(self, s => s.create_metric(name, kind, unit, description))
    }

    /// Changes only the attributes given (`Some`).
    pub fn update_metric(
        &self,
        id: MetricId,
        kind: Option<Kind>,
        unit: Option<&str>,
        description: Option<&str>,
    ) -> Result<()> {
        dispatch!(self, s => s.update_metric(id, kind, unit, description))
    }

    /// How many series and live snapshots a metric has, and their span.
    pub fn metric_stats(&self, metric: MetricId) -> Result<MetricStats> {
        dispatch!(self, s => s.metric_stats(metric))
    }

    /// The series with this canonical name, if recorded.
    pub fn series_by_name(&self, name: &str) -> Result<Option<SeriesRow>> {
        dispatch!(self, s => s.series_by_name(name))
    }

    /// Every series of a metric with its labels, ordered by label set.
    pub fn series_of_metric(&self, metric: MetricId) -> Result<Vec<SeriesRow>> {
        dispatch!(self, s => s.series_of_metric(metric))
    }

    /// Calls `each` with every series of `metric` in label order (as
    /// [`Store::series_of_metric`] gives them), one at a time without
    /// holding them all, until it returns false. `each` may use the store.
    pub fn each_series_of_metric<E: From<StoreError>>(
        &self,
        metric: MetricId,
        each: impl FnMut(SeriesRow) -> Result<bool, E>,
    ) -> Result<(), E> {
        dispatch!(self, s => s.each_series_of_metric(metric, each))
    }

    /// Creates a series holding periods of up to `max_days` days (the
    /// period about to be written, or 0), which spares a write of the
    /// bound right after.
    pub fn create_series(
        &self,
        metric_id: MetricId,
        name: &str,
        labels: &LabelSet,
        max_days: i32,
    ) -> Result<SeriesRow> {
        dispatch!(self, s => s.create_series(metric_id, name, labels, max_days))
    }

    /// Widens a series' longest-period bound (`max_days`, as the caller
    /// last knew it) when `days` exceeds it.
    pub fn note_period_length(
        &self,
        series: SeriesId,
        max_days: &mut i32,
        days: i32,
    ) -> Result<()> {
        dispatch!(self, s => s.note_period_length(series, max_days, days))
    }

    /// Live snapshots of a series that share a day with `[start_day, end_day)`,
    /// by start.
    pub fn overlapping(
        &self,
        series: &SeriesRow,
        start_day: i32,
        end_day: i32,
        asof: Option<i64>,
    ) -> Result<Vec<Observation>> {
        dispatch!(self, s => s.overlapping(series, start_day, end_day, asof))
    }

    /// The live snapshot ending last on or before `day` (the shortest of
    /// those ending then).
    pub fn latest_ending_by(
        &self,
        series: &SeriesRow,
        day: i32,
        asof: Option<i64>,
    ) -> Result<Option<Observation>> {
        dispatch!(self, s => s.latest_ending_by(series, day, asof))
    }

    /// The live snapshot that starts first (the shortest of those starting then).
    pub fn earliest(&self, series: SeriesId, asof: Option<i64>) -> Result<Option<Observation>> {
        dispatch!(self, s => s.earliest(series, asof))
    }

    /// The live snapshot that ends last (the shortest of those ending then).
    pub fn latest(&self, series: &SeriesRow, asof: Option<i64>) -> Result<Option<Observation>> {
        dispatch!(self, s => s.latest(series, asof))
    }

    /// Live snapshots lying wholly within `[from_day, to_day)`, by start.
    pub fn snapshots_within(
        &self,
        series: SeriesId,
        from_day: i32,
        to_day: i32,
        asof: Option<i64>,
    ) -> Result<Vec<Observation>> {
        dispatch!(self, s => s.snapshots_within(series, from_day, to_day, asof))
    }

    /// The latest revision number of one snapshot and its value (None
    /// once deleted); None when the snapshot was never recorded.
    pub fn latest_revision(
        &self,
        series: SeriesId,
        start_day: i32,
        end_day: i32,
    ) -> Result<Option<(Option<f64>, i64)>> {
        dispatch!(self, s => s.latest_revision(series, start_day, end_day))
    }

    /// Adds the first revision of a snapshot, unless the snapshot has
    /// one already: true when it was added.
    #[allow(clippy::too_many_arguments)]
    pub fn add_first_revision(
        &self,
        series: SeriesId,
        start_day: i32,
        end_day: i32,
        value: f64,
        recorded_at: i64,
        source: Option<&str>,
        note: Option<&str>,
    ) -> Result<bool> {
        dispatch!(self, s => s.add_first_revision(
            series, start_day, end_day, value, recorded_at, source, note
        ))
    }

    /// Adds the first revisions of [`FIRST_REVISIONS`] snapshots by one
    /// statement, sharing a time, source and note, all or none: false when
    /// one is there already (or given twice) and nothing was added. Rows
    /// are (series, start_day, end_day, value). Only SQLite undoes a failed
    /// statement alone; PostgreSQL adds none, and the caller writes them
    /// one by one.
    pub fn add_first_revisions(
        &self,
        rows: &[(SeriesId, i32, i32, f64)],
        recorded_at: i64,
        source: Option<&str>,
        note: Option<&str>,
    ) -> Result<bool> {
        match &self.backend {
            Backend::Sqlite(s) if rows.len() == FIRST_REVISIONS => {
                s.add_first_revisions(rows.iter().copied(), recorded_at, source, note)
            }
            _ => Ok(false),
        }
    }

    /// Adds one revision of a snapshot; `value` None records a deletion.
    /// A revision is never recorded before the one it follows.
    #[allow(clippy::too_many_arguments)]
    pub fn add_revision(
        &self,
        series: SeriesId,
        start_day: i32,
        end_day: i32,
        revision: i64,
        value: Option<f64>,
        recorded_at: i64,
        source: Option<&str>,
        note: Option<&str>,
    ) -> Result<()> {
        dispatch!(self, s => s.add_revision(
            series, start_day, end_day, revision, value, recorded_at, source, note
        ))
    }

    /// One revision of a snapshot, if recorded (`current` is not set).
    pub fn revision(
        &self,
        series: SeriesId,
        start_day: i32,
        end_day: i32,
        revision: i64,
    ) -> Result<Option<RevisionRow>> {
        dispatch!(self, s => s.revision(series, start_day, end_day, revision))
    }

    /// Every revision of a series, or of one of its periods, in order.
    pub fn history(
        &self,
        series: SeriesId,
        period: Option<(i32, i32)>,
    ) -> Result<Vec<RevisionRow>> {
        dispatch!(self, s => s.history(series, period))
    }

    /// Streams the revisions of a series (of one period, or only the
    /// current ones) in order, without holding them all.
    pub fn for_each_revision<E: From<StoreError>>(
        &self,
        series: SeriesId,
        period: Option<(i32, i32)>,
        only_current: bool,
        f: impl FnMut(RevisionRow) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        dispatch!(self, s => s.for_each_revision(series, period, only_current, f))
    }

    /// The fiscal calendar everyone who uses the store shares.
    pub fn fiscal_calendar(&self) -> Result<FiscalCalendar> {
        dispatch!(self, s => s.fiscal_calendar())
    }

    /// Replaces the fiscal calendar; the caller owns the transaction.
    pub fn set_fiscal_calendar(&self, calendar: FiscalCalendar) -> Result<()> {
        dispatch!(self, s => s.set_fiscal_calendar(calendar))
    }

    /// Runs every consistency check; `days` is the range of day numbers a
    /// period may span, `[first, past_last)`.
    pub fn check(&self, days: (i32, i32)) -> Result<Vec<Finding>> {
        dispatch!(self, s => s.check(days))
    }

    /// Runs one SQL statement that only reads, and returns its rows.
    pub fn query_sql(&self, sql: &str) -> Result<Rows> {
        let mut rows = Rows::named(Vec::new());
        self.stream_sql(sql, &mut rows)?;
        Ok(rows)
    }

    /// Runs one SQL statement that only reads, handing its rows to `sink`
    /// one at a time.
    pub fn stream_sql(&self, sql: &str, sink: &mut dyn SqlRows) -> Result<()> {
        dispatch!(self, s => s.stream_sql(sql, sink))
    }
}
