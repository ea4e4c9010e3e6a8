//! `.import` and `.export`: snapshots in and out of files, one record at a
//! time. Reading and writing the file formats is the front end's (through
//! the render layer); this module knows what the columns mean.
use std::rc::Rc;

use crate::core::labels::SeriesKey;
use crate::core::parser::parse_series;
use crate::core::period::Period;
use crate::core::rows::{Cell, NumberStyle};
use crate::core::value::{format_value, parse_value};
use crate::store::{Bulk, BulkConflict, BulkValue, RevisionRow, SeriesRow, Store};

use super::listing::{HISTORY_FIELDS, history_cells};
use super::seen::{Seen, SeenSeries};
use super::write::Slot;
use super::{DryRunConflicts, ExecError, Executor, Outcome, RecordError, Result, timestamp_text};

/// The columns of an export of current values, and of a plain import.
pub const SNAPSHOT_FIELDS: [&str; 5] = ["series", "period", "value", "source", "note"];

/// Every key an import record may have (a history export has them all).
pub const IMPORT_KEYS: [&str; 8] = [
    "series",
    "period",
    "value",
    "source",
    "note",
    "revision",
    "status",
    "recorded_at",
];

/// The columns `.export` writes: current values, or every revision.
pub fn export_columns(history: bool) -> &'static [&'static str] {
    if history {
        &HISTORY_FIELDS
    } else {
        &SNAPSHOT_FIELDS
    }
}

/// The records of a file being imported.
pub trait RecordSource {
    /// Column names, one per field of each record.
    fn header(&self) -> &[String];
    /// Reads the next record into `fields`; its line number, or None at the end.
    fn next_record(
        &mut self,
        fields: &mut Vec<Option<String>>,
    ) -> Result<Option<u64>, (u64, String)>;
}

/// What an import did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ImportSummary {
    pub records: u64,
    pub inserted: u64,
    pub unchanged: u64,
    pub revised: u64,
}

/// How to import a snapshot file.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SnapshotImport {
    /// The header is `period,SERIES,SERIES,...`.
    pub wide: bool,
    /// The source of every snapshot, over the file's own.
    pub source: Option<String>,
    /// Changed values become new revisions instead of errors.
    pub revise: bool,
    /// Nothing is kept; rows say what would have been.
    pub dry_run: bool,
}

/// What became of one series' snapshots, for `--dry-run`.
struct SeriesStats {
    snapshots: i64,
    first: Period,
    last: Period,
    new: i64,
    unchanged: i64,
    revised: i64,
    conflicts: i64,
}

impl SeriesStats {
    fn new(period: Period) -> SeriesStats {
        SeriesStats {
            snapshots: 0,
            first: period,
            last: period,
            new: 0,
            unchanged: 0,
            revised: 0,
            conflicts: 0,
        }
    }

    fn add_period(&mut self, period: Period) {
        self.snapshots += 1;
        if (period.start_day(), period.end_day()) < (self.first.start_day(), self.first.end_day()) {
            self.first = period;
        }
        if (period.end_day(), period.start_day()) > (self.last.end_day(), self.last.start_day()) {
            self.last = period;
        }
    }
}

/// What one record's import reads and adds to.
struct Context<'a> {
    options: &'a SnapshotImport,
    now: i64,
    summary: &'a mut ImportSummary,
    /// Per series, for `--dry-run` only.
    stats: Option<&'a mut std::collections::BTreeMap<SeriesKey, SeriesStats>>,
    /// Where values go when the store writes them as one (see `import`).
    bulk: Option<&'a mut Bulk>,
    line: u64,
}

/// How a file's columns map to snapshots.
enum Layout {
    /// `series,period,value[,source,note]`, plus `revision,status,recorded_at`
    /// in a history export.
    Long(Columns),
    /// `period,SERIES,SERIES,...`: one value per series per row.
    Wide { series: Vec<String> },
}

impl Layout {
    fn of(header: &[String], wide: bool) -> Result<Layout, RecordError> {
        if wide {
            let Some((first, rest)) = header.split_first() else {
                return Err(RecordError::EmptyHeader);
            };
            if !first.eq_ignore_ascii_case("period") || rest.is_empty() {
                return Err(RecordError::WideHeader(header.join(",")));
            }
            // Series names are checked here, so that a bad one is reported
            // at the header even if no row has a value under it.
            let mut named = std::collections::HashSet::new();
            for name in rest {
                let key = parse_series(name).map_err(|e| RecordError::HeaderSeries {
                    name: name.clone(),
                    source: e,
                })?;
                if !named.insert(key.to_string()) {
                    return Err(RecordError::SeriesTwice(key.to_string()));
                }
            }
            return Ok(Layout::Wide {
                series: rest.to_vec(),
            });
        }
        let mut columns = Columns([None; IMPORT_KEYS.len()]);
        for (index, name) in header.iter().enumerate() {
            let Some(at) = IMPORT_KEYS
                .iter()
                .position(|k| k.eq_ignore_ascii_case(name))
            else {
                return Err(RecordError::UnknownColumn(name.clone()));
            };
            if columns.0[at].replace(index).is_some() {
                return Err(RecordError::ColumnTwice(IMPORT_KEYS[at]));
            }
        }
        for required in ["series", "period"] {
            if columns.get(required).is_none() {
                return Err(RecordError::NoColumn(required));
            }
        }
        if columns.get("value").is_none() && columns.get("status").is_none() {
            return Err(RecordError::NoValueColumn);
        }
        Ok(Layout::Long(columns))
    }
}

/// The field of each of [`IMPORT_KEYS`] a file has. Looked up on every
/// row, by position rather than by hashing the name.
struct Columns([Option<usize>; IMPORT_KEYS.len()]);

impl Columns {
    #[inline]
    fn get(&self, key: &str) -> Option<usize> {
        IMPORT_KEYS
            .iter()
            .position(|k| *k == key)
            .and_then(|at| self.0[at])
    }
}

impl Executor {
    /// Imports every record of `source` in one transaction: all of it, or
    /// nothing when any record is bad. `progress` hears the record count now
    /// and then. With `dry_run`, nothing is kept and the outcome's rows say
    /// per series what would have been written; the message is set when the
    /// import would have failed on a conflict.
    pub fn import(
        &mut self,
        source: &mut dyn RecordSource,
        options: &SnapshotImport,
        file: &str,
        progress: &mut dyn FnMut(u64),
    ) -> Result<(ImportSummary, Outcome, Option<DryRunConflicts>)> {
        let at = |line: u64, error: ExecError| ExecError::InFile {
            file: file.to_string(),
            line,
            source: Box::new(error),
        };
        let layout = Layout::of(source.header(), options.wide).map_err(|e| at(1, e.into()))?;
        let now = jiff::Timestamp::now().as_microsecond();
        // Values are handed to the store to write as one, except in a dry
        // run and in a history file, whose revisions are checked one by one
        // against what the store holds.
        let replay = matches!(&layout, Layout::Long(columns) if columns.get("revision").is_some());
        let in_bulk = !options.dry_run && !replay;
        let work = |exec: &mut Executor| {
            let store = Rc::clone(&exec.store);
            let mut bulk = match in_bulk {
                true => Some(store.bulk(options.revise, now)?),
                false => None,
            };
            let mut summary = ImportSummary::default();
            let mut notes = Vec::new();
            let mut seen = Seen::new();
            let mut fields = Vec::new();
            let mut stats = std::collections::BTreeMap::new();
            loop {
                let line = match source.next_record(&mut fields) {
                    Ok(Some(line)) => line,
                    Ok(None) => break,
                    Err((line, message)) => {
                        let error = at(line, RecordError::Unreadable(message).into());
                        return Err(earlier_conflict(&store, bulk.as_mut(), error, &at));
                    }
                };
                let mut context = Context {
                    options,
                    now,
                    summary: &mut summary,
                    stats: options.dry_run.then_some(&mut stats),
                    bulk: bulk.as_mut(),
                    line,
                };
                let done =
                    exec.import_record(&layout, &fields, &mut seen, &mut notes, &mut context);
                if let Err(error) = done {
                    return Err(earlier_conflict(
                        &store,
                        bulk.as_mut(),
                        at(line, error),
                        &at,
                    ));
                }
                summary.records += 1;
                if summary.records.is_multiple_of(10_000) {
                    progress(summary.records);
                }
            }
            progress(summary.records);
            if let Some(bulk) = bulk {
                let counts = store
                    .bulk_finish(bulk)?
                    .map_err(|conflict| at(conflict.place.0, conflict_error(conflict)))?;
                summary.inserted += counts.new;
                summary.unchanged += counts.unchanged;
                summary.revised += counts.revised;
            }
            let records = match summary.records {
                1 => "1 record".to_string(),
                n => format!("{n} records"),
            };
            let revised = match summary.revised {
                0 => String::new(),
                n => format!(", revised {n}"),
            };
            notes.push(format!(
                "{file}: {records}, inserted {}, unchanged {}{revised}",
                summary.inserted, summary.unchanged
            ));
            Ok((summary, notes, stats))
        };
        if !options.dry_run {
            // A bulk write checks its own series ids.
            let store = Rc::clone(&self.store);
            let _unchecked = in_bulk.then(|| store.unchecked_series_keys());
            let (summary, notes, _) = self.atomically("import", work)?;
            let outcome = Outcome {
                rows: None,
                notes,
                chart: None,
            };
            return Ok((summary, outcome, None));
        }
        let (summary, _, stats) = self.trial(work)?;
        let mut rows = crate::core::rows::Rows::new(&super::DRY_RUN_FIELDS);
        let mut conflicts = 0;
        for (key, s) in stats {
            conflicts += s.conflicts;
            rows.push(vec![
                Cell::text(key.to_string()),
                Cell::Int(s.snapshots),
                Cell::text(s.first.to_string()),
                Cell::text(s.last.to_string()),
                Cell::Int(s.new),
                Cell::Int(s.unchanged),
                Cell::Int(s.revised),
                Cell::Int(s.conflicts),
            ]);
        }
        let failure = (conflicts > 0).then(|| DryRunConflicts {
            file: file.to_string(),
            conflicts,
        });
        let outcome = Outcome {
            rows: Some(rows),
            notes: Vec::new(),
            chart: None,
        };
        Ok((summary, outcome, failure))
    }

    fn import_record(
        &mut self,
        layout: &Layout,
        fields: &[Option<String>],
        seen: &mut Seen,
        notes: &mut Vec<String>,
        context: &mut Context,
    ) -> Result<()> {
        let field = |index: usize| fields.get(index).and_then(|f| f.as_deref());
        match layout {
            Layout::Wide { series } => {
                // The period is the first column, the series follow it.
                let period = self.seen_period(seen, field(0))?;
                for (offset, name) in series.iter().enumerate() {
                    // Empty cells are gaps in the spreadsheet, not values.
                    if let Some(text) = field(offset + 1) {
                        let value = parse_number(text)?;
                        let series = self.seen_series(seen, name, period.days(), notes)?;
                        let source = context.options.source.as_deref();
                        self.import_value(series, &period, value, source, None, context)?;
                    }
                }
                Ok(())
            }
            Layout::Long(columns) => {
                let get = |name: &str| columns.get(name).and_then(field);
                let name = get("series").ok_or_else(|| missing("series"))?;
                let period = self.seen_period(seen, get("period"))?;
                let mut series = self.seen_series(seen, name, period.days(), notes)?;
                match get("revision") {
                    Some(revision) => {
                        let now = context.now;
                        let (key, slot) = series.parts()?;
                        let new = self.replay_revision(key, slot, &period, revision, &get, now)?;
                        count(context.summary, new);
                    }
                    None => {
                        let value = parse_number(get("value").ok_or_else(|| missing("value"))?)?;
                        let source = context.options.source.as_deref().or(get("source"));
                        let note = get("note");
                        for (column, text) in [("source", source), ("note", note)] {
                            refuse_control_characters(column, text)?;
                        }
                        self.import_value(series, &period, value, source, note, context)?;
                    }
                }
                Ok(())
            }
        }
    }

    /// Records one value as `insert` does, or with `--revise` as a new
    /// revision; counts what became of it.
    #[allow(clippy::too_many_arguments)]
    fn import_value(
        &mut self,
        mut series: SeenSeries,
        period: &Period,
        value: f64,
        source: Option<&str>,
        note: Option<&str>,
        context: &mut Context,
    ) -> Result<()> {
        let (start, end) = (period.start_day(), period.end_day());
        if let Some(bulk) = context.bulk.as_deref_mut() {
            // Only a longer period than the series has had needs its name.
            if period.days() > series.slot.max_days {
                let (key, slot) = series.parts()?;
                self.widen(key, slot, period.days())?;
            }
            let value = BulkValue {
                series: series.slot.id,
                start_day: start,
                end_day: end,
                value,
                source,
                note,
                place: (context.line, 0),
            };
            return match self.store.bulk_add(bulk, &value)? {
                Some(conflict) => Err(conflict_error(conflict)),
                None => Ok(()),
            };
        }
        let (key, slot) = series.parts()?;
        // A plain import writes as `insert` does, which reads the snapshot
        // only when it cannot simply be added.
        let plain = !context.options.revise && !context.options.dry_run;
        let latest = if plain {
            None
        } else {
            self.store.latest_revision(slot.id, start, end)?
        };
        // Only a dry run reports per series; a plain import skips the sums.
        let listed = context.stats.is_some();
        let mut scratch = SeriesStats::new(*period);
        let stats = match context.stats.as_mut() {
            Some(all) => all
                .entry(key.clone())
                .or_insert_with(|| SeriesStats::new(*period)),
            None => &mut scratch,
        };
        if listed {
            stats.add_period(*period);
        }
        match latest {
            Some((Some(recorded), revision)) if recorded != value => {
                if context.options.revise {
                    self.widen(key, slot, period.days())?;
                    self.store.add_revision(
                        slot.id,
                        start,
                        end,
                        revision + 1,
                        Some(value),
                        context.now,
                        source,
                        note,
                    )?;
                    stats.revised += 1;
                    context.summary.revised += 1;
                } else if context.options.dry_run {
                    stats.conflicts += 1;
                } else {
                    self.insert_value(key, slot, period, value, source, note, context.now)?;
                }
            }
            _ => {
                let new = self.insert_value(key, slot, period, value, source, note, context.now)?;
                if new {
                    stats.new += 1;
                } else {
                    stats.unchanged += 1;
                }
                count(context.summary, new);
            }
        }
        Ok(())
    }

    /// Adds a revision from a history export as it was recorded, or checks
    /// that the store already holds it unchanged.
    fn replay_revision<'a>(
        &mut self,
        name: &SeriesKey,
        series: &mut Slot,
        period: &Period,
        revision_text: &str,
        get: &dyn Fn(&str) -> Option<&'a str>,
        now: i64,
    ) -> Result<bool> {
        let revision: i64 = revision_text
            .parse()
            .ok()
            .filter(|r| *r >= 1)
            .ok_or_else(|| RecordError::Revision(revision_text.to_string()))?;
        let status = get("status").unwrap_or("current");
        let value = match (status, get("value")) {
            ("deleted", None) => None,
            ("deleted", Some(v)) => {
                return Err(RecordError::DeletedValue(v.to_string()).into());
            }
            ("current" | "superseded", Some(v)) => Some(parse_number(v)?),
            ("current" | "superseded", None) => return Err(missing("value")),
            (other, _) => {
                return Err(RecordError::Status(other.to_string()).into());
            }
        };
        let recorded_at = match get("recorded_at") {
            Some(text) => recorded_time(text)?,
            None => return Err(missing("recorded_at")),
        };
        // History is what was recorded up to now, in order: a time to come
        // would make `asof` answers change by themselves.
        if recorded_at > now {
            return Err(RecordError::FutureTime(timestamp_text(recorded_at)).into());
        }
        let wanted = RevisionRow {
            start_day: period.start_day(),
            end_day: period.end_day(),
            revision,
            value,
            recorded_at,
            source: get("source").map(str::to_string),
            note: get("note").map(str::to_string),
            current: false,
        };
        let (start, end) = (period.start_day(), period.end_day());
        if let Some(existing) = self.store.revision(series.id, start, end, revision)? {
            let same = existing.value == wanted.value
                && existing.recorded_at == wanted.recorded_at
                && existing.source == wanted.source
                && existing.note == wanted.note;
            return if same {
                Ok(false)
            } else {
                Err(RecordError::RevisionDiffers {
                    revision,
                    series: name.to_string(),
                    period: *period,
                }
                .into())
            };
        }
        let last = self
            .store
            .latest_revision(series.id, start, end)?
            .map_or(0, |(_, r)| r);
        if revision != last + 1 {
            return Err(RecordError::RevisionOrder {
                revision,
                series: name.to_string(),
                period: *period,
                last,
            }
            .into());
        }
        if let Some(previous) = self.store.revision(series.id, start, end, last)?
            && wanted.recorded_at < previous.recorded_at
        {
            return Err(RecordError::TimeBackwards {
                revision,
                series: name.to_string(),
                period: *period,
                recorded_at: timestamp_text(wanted.recorded_at),
                previous: timestamp_text(previous.recorded_at),
            }
            .into());
        }
        self.store.add_revision(
            series.id,
            start,
            end,
            revision,
            value,
            wanted.recorded_at,
            wanted.source.as_deref(),
            wanted.note.as_deref(),
        )?;
        self.widen(name, series, period.days())?;
        Ok(true)
    }

    /// Streams the current snapshots (or every revision) of the selected
    /// series to `emit`, one row of [`export_columns`] at a time, ordered by
    /// series and period. Returns how many rows went out.
    pub fn export(
        &mut self,
        selector: Option<&crate::core::command::Selector>,
        history: bool,
        emit: &mut dyn FnMut(&[Cell]) -> std::io::Result<()>,
    ) -> Result<u64> {
        let series: Vec<(SeriesRow, bool)> = match selector {
            Some(selector) => self
                .select(selector)?
                .into_iter()
                .flat_map(|s| {
                    let ratio = s.metric.is_ratio();
                    s.series.into_iter().map(move |row| (row, ratio))
                })
                .collect(),
            None => {
                let mut all = Vec::new();
                for metric in self.store.metrics_matching(None)? {
                    let ratio = metric.is_ratio();
                    for row in self.store.series_of_metric(metric.id)? {
                        all.push((row, ratio));
                    }
                }
                all
            }
        };
        let mut written = 0;
        let mut cells = Vec::with_capacity(8);
        for (row, ratio) in &series {
            let style = NumberStyle::value(*ratio);
            self.store
                .for_each_revision(row.id, None, !history, |rev| {
                    if history {
                        emit(&history_cells(&row.name, rev, style, None)?)
                            .map_err(ExecError::Emit)?;
                    } else {
                        let period = Period::from_day_numbers(rev.start_day, rev.end_day)
                            .map_err(ExecError::StoredPeriod)?;
                        cells.clear();
                        cells.push(Cell::text(row.name.clone()));
                        cells.push(Cell::text(period.to_string()));
                        cells.push(Cell::number(rev.value, style));
                        cells.push(Cell::opt_text(rev.source));
                        cells.push(Cell::opt_text(rev.note));
                        emit(&cells).map_err(ExecError::Emit)?;
                    }
                    written += 1;
                    Ok::<_, ExecError>(())
                })?;
        }
        Ok(written)
    }
}

/// Sources and notes are shown to people, at terminals too: no control
/// characters but tabs and line breaks.
fn refuse_control_characters(column: &'static str, text: Option<&str>) -> Result<()> {
    let bad = text.and_then(|t| {
        t.chars()
            .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    });
    match bad {
        Some(c) => Err(RecordError::ControlCharacter {
            column,
            code: u32::from(c),
        }
        .into()),
        None => Ok(()),
    }
}

/// What an error while reading the values stands behind: the first
/// conflict among the values before it, which writing them one by one
/// would have stopped at.
fn earlier_conflict(
    store: &Store,
    bulk: Option<&mut Bulk>,
    error: ExecError,
    at: &dyn Fn(u64, ExecError) -> ExecError,
) -> ExecError {
    match bulk.map(|bulk| store.bulk_conflict(bulk)) {
        Some(Ok(Some(conflict))) => at(conflict.place.0, conflict_error(conflict)),
        _ => error,
    }
}

/// A conflict as `insert` reports it.
fn conflict_error(conflict: BulkConflict) -> ExecError {
    match Period::from_day_numbers(conflict.start_day, conflict.end_day) {
        Ok(period) => ExecError::Conflict {
            series: conflict.series,
            recorded: format_value(conflict.recorded),
            period,
            revision: conflict.revision,
        },
        Err(error) => ExecError::StoredPeriod(error),
    }
}

fn count(summary: &mut ImportSummary, new: bool) {
    if new {
        summary.inserted += 1;
    } else {
        summary.unchanged += 1;
    }
}

pub(super) fn missing(column: &'static str) -> ExecError {
    RecordError::Missing(column).into()
}

fn parse_number(text: &str) -> Result<f64> {
    Ok(parse_value(text.trim())?)
}

/// A recorded time from a file, in microseconds since 1970.
fn recorded_time(text: &str) -> Result<i64> {
    let ts: jiff::Timestamp = text
        .parse()
        .map_err(|_| RecordError::RecordedAt(text.to_string()))?;
    Ok(ts.as_microsecond())
}
