//! Runs commands against the store and returns rows as data; never prints.
//!
//! Every command is atomic: outside a transaction a data command runs in its
//! own, inside one (a batch or a `begin` block) under a savepoint, so that a
//! failing command leaves no trace.

mod calendar;
mod catalog;
mod deferred;
mod error;
mod every;
mod fiscal;
mod grid;
mod growth;
mod listing;
mod loaded;
mod rollup;
mod seen;
mod select;
mod sink;
mod table_import;
mod table_sort;
mod transaction;
mod transfer;
mod write;

use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

use jiff::Timestamp;

use crate::core::chart::Chart;
use crate::core::command::Command;
use crate::core::labels::SeriesKey;
use crate::core::period::{FiscalCalendar, Period};
use crate::core::resolve::{Requested, Resolved, Subject, resolve_recorded, resolve_stale};
use crate::core::rows::Rows;
use crate::store::{MetricRow, Observation, SeriesRow, Store};

pub use calendar::CALENDAR_FIELDS;
pub use catalog::Catalog;
pub use table_import::{DRY_RUN_FIELDS, IN_MEMORY, TableImport, TableOutcome, TableRows};
pub use transfer::{
    IMPORT_KEYS, ImportSummary, RecordSource, SNAPSHOT_FIELDS, SnapshotImport, export_columns,
};

pub use error::{DryRunConflicts, ExecError, RecordError};
pub use sink::{Gather, RowSink};
pub use transaction::{BlockError, GroupCause, Place};

pub type Result<T, E = ExecError> = std::result::Result<T, E>;

/// What a command produced: rows for stdout, and confirmations and notes
/// for stderr.
#[derive(Debug, Default)]
pub struct Outcome {
    pub rows: Option<Rows>,
    pub notes: Vec<String>,
    /// A chart to draw, and the file it goes to (`chart`).
    pub chart: Option<(Chart, String)>,
}

/// A recorded time as people and files see it: RFC 3339 UTC with
/// microseconds, as the store keeps it (microseconds since 1970).
pub fn timestamp_text(micros: i64) -> String {
    match Timestamp::from_microsecond(micros) {
        Ok(ts) => ts.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
        Err(_) => format!("{micros} microseconds since 1970"),
    }
}

pub struct Executor {
    /// Shared with the [`Catalog`] the prompt completes from.
    store: Rc<Store>,
    /// Rows read or written in this session, by name; dropped whenever a
    /// command is rolled back, since they may name rows that no longer exist.
    metrics: HashMap<String, MetricRow>,
    /// Looked up on every written row: hashed with a fast hasher, as these
    /// keys come from the store's own users, not from an adversary.
    series: foldhash::HashMap<SeriesKey, write::Slot>,
    /// Whether data commands say what they did (`inserted 1`); off with
    /// `--quiet`, where nobody reads it and bulk input need not build it.
    confirmations: bool,
    /// The transaction the next command runs in.
    scope: transaction::Scope,
    /// Series read whole for the query running now (see `loaded`).
    loaded: loaded::LoadedSeries,
    /// Whether `insert` reads a snapshot before writing it: after a
    /// snapshot turned out to be recorded already, until one is new.
    probe_first: bool,
    /// Inserts of batch input held back, to be written together.
    deferred: deferred::Deferred,
    /// Whether a query is running, and the calendar once it has read it
    /// (see `calendar`).
    query_calendar: Cell<(bool, Option<FiscalCalendar>)>,
}

impl Executor {
    pub fn new(store: Store) -> Executor {
        Executor {
            store: Rc::new(store),
            metrics: HashMap::new(),
            series: foldhash::HashMap::default(),
            confirmations: true,
            scope: transaction::Scope::Auto,
            loaded: loaded::LoadedSeries::default(),
            probe_first: false,
            deferred: deferred::Deferred::default(),
            query_calendar: Cell::new((false, None)),
        }
    }

    /// `.sql QUERY`: one read-only SQL statement on the store.
    pub fn sql(&self, query: &str) -> Result<Rows> {
        Ok(self.store.query_sql(query)?)
    }

    /// `.sql QUERY` with its rows handed to `sink` as they are read.
    pub fn sql_each(&self, query: &str, sink: &mut dyn crate::store::SqlRows) -> Result<()> {
        Ok(self.store.stream_sql(query, sink)?)
    }

    /// Turns the confirmations of data commands on or off.
    pub fn set_confirmations(&mut self, on: bool) {
        self.confirmations = on;
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Runs one command atomically, its rows gathered in the outcome.
    /// `default_asof` applies to queries that do not name their own `asof`.
    pub fn execute(
        &mut self,
        command: &Command,
        default_asof: Option<Timestamp>,
    ) -> Result<Outcome> {
        let mut rows = Gather::default();
        let outcome = self.execute_into(command, default_asof, &mut rows)?;
        Ok(Outcome {
            rows: rows.0,
            ..outcome
        })
    }

    /// Runs one command atomically, handing its rows to `sink` as they are
    /// made.
    pub fn execute_into(
        &mut self,
        command: &Command,
        default_asof: Option<Timestamp>,
        sink: &mut dyn RowSink,
    ) -> Result<Outcome> {
        if !command.writes() {
            return self.snapshot(|exec| {
                exec.query_calendar.set((true, None));
                let outcome = exec.read(command, default_asof, sink);
                exec.query_calendar.set((false, None));
                outcome
            });
        }
        if self.store.in_transaction()
            && self.store.statements_fail_alone()
            && let Some(known) = self.writes_at_most_one_row(command)
        {
            // A single INSERT is atomic by itself: no savepoint needed
            // where a failed statement does not spoil the transaction.
            self.store.require_writable(command_name(command))?;
            return self.write(command, Some(known));
        }
        self.atomically(command_name(command), |exec| exec.write(command, None))
    }

    /// Whether a command can only fail before its one write or in it: an
    /// `insert` of one value into a series this session already knows,
    /// given with the series as cached. Bulk input is made of these, so
    /// they skip the savepoint, and their series is looked up once.
    fn writes_at_most_one_row(&self, command: &Command) -> Option<write::Slot> {
        match command {
            Command::Insert(write) => match write.values.as_slice() {
                [(key, _)] => self.series.get(key).copied(),
                _ => None,
            },
            _ => None,
        }
    }

    /// Called whenever work is rolled back.
    fn forget_cached_rows(&mut self) {
        self.metrics.clear();
        self.series.clear();
    }

    /// Runs a data command; `known` is the cached series of an `insert`
    /// of one value, found already.
    fn write(&mut self, command: &Command, known: Option<write::Slot>) -> Result<Outcome> {
        let now = Timestamp::now().as_microsecond();
        match command {
            Command::Metric(def) => self.define_metric(def),
            Command::Insert(w) => {
                let period = self.days_of(&w.period)?;
                self.insert(w, &period, now, known)
            }
            Command::Revise(w) => {
                let period = self.days_of(&w.period)?;
                self.revise(w, &period, now)
            }
            Command::Delete { series, period } => {
                let days = self.days_of(period)?;
                self.delete(series, &days, period, now)
            }
            Command::Calendar(settings) => self.set_calendar(settings),
            _ => unreachable!("only data commands write"),
        }
    }

    fn read(
        &mut self,
        command: &Command,
        default_asof: Option<Timestamp>,
        sink: &mut dyn RowSink,
    ) -> Result<Outcome> {
        let asof = |own: &Option<Timestamp>| own.or(default_asof).map(|t| t.as_microsecond());
        let rows = match command {
            Command::Growth(q) => {
                self.growth(q, asof(&q.asof), sink)?;
                return Ok(Outcome::default());
            }
            Command::Series(q) => {
                self.series_rows(q, asof(&q.asof), sink)?;
                return Ok(Outcome::default());
            }
            Command::Chart(q) => {
                let chart = self.chart(q, asof(&q.series.asof))?;
                return Ok(Outcome {
                    chart: Some((chart, q.file.clone())),
                    ..Outcome::default()
                });
            }
            Command::ChartGrowth(q) => {
                let chart = self.growth_chart(&q.growth, asof(&q.growth.asof))?;
                return Ok(Outcome {
                    chart: Some((chart, q.file.clone())),
                    ..Outcome::default()
                });
            }
            Command::Metrics { pattern } => self.metrics_rows(pattern.as_deref())?,
            Command::History { series, period } => {
                let days = period.as_ref().map(|p| self.days_of(p)).transpose()?;
                self.history_rows(series, days.as_ref())?
            }
            Command::Calendar(_) => self.calendar_rows()?,
            Command::Begin | Command::Commit | Command::Rollback => {
                return Err(ExecError::SessionOnly(command_name(command)));
            }
            _ => unreachable!("data commands are written"),
        };
        sink::emit(rows, sink)?;
        Ok(Outcome::default())
    }

    /// The value standing for a period in one series (resolution rules 1–6);
    /// notes and errors name it as it was asked.
    fn resolve_period(
        &self,
        series: &SeriesRow,
        metric: &MetricRow,
        requested: &Requested,
        asof: Option<i64>,
    ) -> Result<Resolved> {
        let period = &requested.period;
        let kind = metric.kind;
        let subject = Subject {
            series: &series.name,
            metric: &metric.name,
        };
        let (start, end) = (period.start_day(), period.end_day());
        if let Some(Some(value)) = self.loaded(series, asof, |l| l.exact(start, end)) {
            // Rule 1 from memory: what resolve_recorded finds first.
            return Ok(Resolved {
                period: *period,
                value,
                note: None,
            });
        }
        let overlapping = match self.loaded(series, asof, |l| l.overlapping(start, end)) {
            Some(found) => found,
            None => self.store.overlapping(series, start, end, asof)?,
        }
        .into_iter()
        .map(recorded)
        .collect::<Result<Vec<_>>>()?;
        if let Some(resolved) = resolve_recorded(subject, requested, &overlapping, kind)? {
            return Ok(resolved);
        }
        let before = match self.loaded(series, asof, |l| l.latest_ending_by(start)) {
            Some(found) => found,
            None => self.store.latest_ending_by(series, start, asof)?,
        }
        .map(recorded)
        .transpose()?;
        Ok(resolve_stale(&series.name, requested, before, kind)?)
    }
}

/// A stored snapshot as a period and value.
fn recorded(obs: Observation) -> Result<(Period, f64)> {
    let period =
        Period::from_day_numbers(obs.start_day, obs.end_day).map_err(ExecError::StoredPeriod)?;
    Ok((period, obs.value))
}

fn command_name(command: &Command) -> &'static str {
    match command {
        Command::Metric(_) => "metric",
        Command::Insert(_) => "insert",
        Command::Revise(_) => "revise",
        Command::Delete { .. } => "delete",
        Command::Growth(_) => "growth",
        Command::Series(_) => "series",
        Command::Chart(_) | Command::ChartGrowth(_) => "chart",
        Command::Metrics { .. } => "metrics",
        Command::History { .. } => "history",
        Command::Calendar(_) => "calendar",
        Command::Begin => "begin",
        Command::Commit => "commit",
        Command::Rollback => "rollback",
    }
}

#[cfg(test)]
mod tests;
