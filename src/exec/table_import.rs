//! `.import FILE --period ...` and `--period-columns`: tables as they come,
//! read through a [`Plan`], put in series and period order (in memory up
//! to a bound, beyond it in sorted runs on disk), combined per series and
//! period, then recorded in one transaction (or, with `--dry-run`, only
//! counted).
use std::rc::Rc;

use crate::core::labels::SeriesKey;
use crate::core::period::{Granularity, Period};
use crate::core::rows::{Cell, Rows};

use crate::core::table::combine::{Collector, Place, Snapshot};
use crate::core::table::plan::{Plan, PlannedCell};
use crate::core::table::{TableCell, TableSpec};
use crate::core::value::format_value;
use crate::store::{Bulk, BulkConflict, BulkValue};

use super::error::TableProblem;
use super::table_sort::{CellSort, ReadCell, Sorted};
use super::write::Slot;
use super::{DryRunConflicts, ExecError, Executor, Outcome, Result};

/// Cells are held in memory up to this many (unless the import says
/// otherwise), then sorted in runs on disk, so that memory does not grow
/// with the file.
pub const IN_MEMORY: usize = 200_000;

/// The rows of a table file, as its reader gives them.
pub trait TableRows {
    fn header(&self) -> &[String];
    /// Reads the next row into `cells`; its row (a line or a sheet's row),
    /// `None` at the end, or the place and message of a problem.
    fn next_row(&mut self, cells: &mut Vec<TableCell>) -> Result<Option<u64>, (String, String)>;
    /// Where a row's cell is: `12` or `Data!B17`.
    fn place(&self, row: u64, column: usize) -> String;
    /// Where a column's header is.
    fn header_place(&self, column: usize) -> String;
}

/// What `.import` was asked to do with a table.
#[derive(Debug, Clone, Copy)]
pub struct TableImport<'a> {
    pub spec: &'a TableSpec,
    pub source: Option<&'a str>,
    pub revise: bool,
    pub dry_run: bool,
    /// How many cells to hold in memory before sorting them into a run on
    /// disk ([`IN_MEMORY`]).
    pub in_memory: usize,
}

/// The fields `--dry-run` prints, one row per series.
pub const DRY_RUN_FIELDS: [&str; 8] = [
    "series",
    "snapshots",
    "first",
    "last",
    "new",
    "unchanged",
    "revised",
    "conflicts",
];

/// What became (or would become) of one series' snapshots.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    snapshots: i64,
    new: i64,
    unchanged: i64,
    revised: i64,
    conflicts: i64,
}

/// What an import of a table did or would do; `failure` is set when a dry
/// run found what would fail the import.
pub struct TableOutcome {
    pub outcome: Outcome,
    pub failure: Option<DryRunConflicts>,
}

impl Executor {
    /// Reads every row of `rows` as `import` says, then records the
    /// snapshots in one transaction, or with `dry_run` counts them.
    pub fn import_table(
        &mut self,
        rows: &mut dyn TableRows,
        import: TableImport,
        file: &str,
        progress: &mut dyn FnMut(u64),
    ) -> Result<TableOutcome> {
        let mut staged = self.gather(rows, import, file, progress)?;
        if import.dry_run {
            self.dry_run(&mut staged, &*rows, import, file)
        } else {
            self.record(&mut staged, &*rows, import, file)
        }
    }

    fn record(
        &mut self,
        staged: &mut Staged,
        rows: &dyn TableRows,
        import: TableImport,
        file: &str,
    ) -> Result<TableOutcome> {
        let now = jiff::Timestamp::now().as_microsecond();
        let grain = import.spec.grain.is_some();
        // A bulk write checks its own series ids.
        let store = Rc::clone(&self.store);
        let _unchecked = store.unchecked_series_keys();
        self.atomically("import", |exec| {
            let store = Rc::clone(&exec.store);
            let mut bulk = store.bulk(import.revise, now)?;
            // An error behind a conflict is reported as the conflict, which
            // writing the snapshots one by one would have stopped at first.
            let earlier = |bulk: &mut Bulk, error: ExecError| match store.bulk_conflict(bulk) {
                Ok(Some(conflict)) => table_conflict(conflict, rows, file),
                _ => error,
            };
            let mut notes = Vec::new();
            let mut tally = Tally::new();
            let mut current: Option<(SeriesKey, Slot, SeriesTally)> = None;
            loop {
                let snapshot = match staged.next(rows, file) {
                    Ok(Some(snapshot)) => snapshot,
                    Ok(None) => break,
                    Err(error) => return Err(earlier(&mut bulk, error)),
                };
                if current
                    .as_ref()
                    .is_none_or(|(_, _, t)| t.series != snapshot.series)
                {
                    if let Some((_, _, done)) = current.take() {
                        tally.add(done, grain);
                    }
                    let key = staged.collector.name(snapshot.series);
                    let slot = match exec.series_for_writing(&key, 0, &mut notes) {
                        Ok(slot) => slot,
                        Err(error) => return Err(earlier(&mut bulk, error)),
                    };
                    current = Some((key, slot, SeriesTally::new(&snapshot)));
                }
                let Some((key, slot, t)) = current.as_mut() else {
                    unreachable!("a series was just started")
                };
                t.see(&snapshot);
                let source = snapshot
                    .source
                    .map(|s| staged.collector.sources()[s as usize].as_str())
                    .or(import.source);
                exec.widen(key, slot, snapshot.period.days())?;
                let value = BulkValue {
                    series: slot.id,
                    start_day: snapshot.period.start_day(),
                    end_day: snapshot.period.end_day(),
                    value: snapshot.value,
                    source,
                    note: None,
                    place: (snapshot.place.row, snapshot.place.column),
                };
                if let Some(conflict) = store.bulk_add(&mut bulk, &value)? {
                    return Err(table_conflict(conflict, rows, file));
                }
            }
            if let Some((_, _, done)) = current {
                tally.add(done, grain);
            }
            let counts = store
                .bulk_finish(bulk)?
                .map_err(|conflict| table_conflict(conflict, rows, file))?;
            tally.counts.new = counts.new as i64;
            tally.counts.unchanged = counts.unchanged as i64;
            tally.counts.revised = counts.revised as i64;
            notes.extend(tally.summary(file, grain, &staged.collector));
            Ok(TableOutcome {
                outcome: Outcome {
                    rows: None,
                    notes,
                    chart: None,
                },
                failure: None,
            })
        })
    }

    /// Reads the whole file into cells in series and period order.
    fn gather(
        &mut self,
        rows: &mut dyn TableRows,
        import: TableImport,
        file: &str,
        progress: &mut dyn FnMut(u64),
    ) -> Result<Staged> {
        let at = |place: String, problem: TableProblem| ExecError::InTable {
            place: format!("{file}:{place}"),
            source: Box::new(problem),
        };
        let plan = Plan::new(import.spec, rows.header())
            .map_err(|e| at(rows.header_place(e.column), e.problem.into()))?;
        let mut metrics = Vec::new();
        for name in plan.metrics() {
            let kind = self.store.metric(name)?.and_then(|m| m.kind);
            metrics.push((name.clone(), kind));
        }
        let keys = plan.label_keys().map(str::to_string).collect();
        let mut collector = Collector::new(metrics, keys);
        let mut sort = CellSort::new(import.in_memory);
        let (mut cells, mut labels, mut planned) =
            (Vec::new(), Vec::new(), Vec::<PlannedCell>::new());
        // The series of the row's labels, by metric, while rows repeat the
        // labels of the row before them.
        let mut row_series: Vec<Option<u32>> = Vec::new();
        let (mut tuple, mut new_labels) = (0, true);
        let (mut count, mut seq) = (0u64, 0u64);
        loop {
            let row = match rows.next_row(&mut cells) {
                Ok(Some(row)) => row,
                Ok(None) => break,
                Err((place, message)) => return Err(at(place, TableProblem::Unreadable(message))),
            };
            new_labels |= plan
                .read_row(&cells, &mut labels, &mut planned)
                .map_err(|e| at(rows.place(row, e.column), e.problem.into()))?;
            count += 1;
            if count.is_multiple_of(10_000) {
                progress(count);
            }
            if planned.is_empty() {
                continue;
            }
            let source = match (import.source, plan.source_column()) {
                (None, Some(column)) => cells
                    .get(column)
                    .and_then(TableCell::text)
                    .filter(|t| !t.trim().is_empty())
                    .map(|t| collector.source(t.trim())),
                _ => None,
            };
            if std::mem::take(&mut new_labels) {
                tuple = collector.label_tuple(&labels);
                row_series.clear();
                row_series.resize(plan.metrics().len(), None);
            }
            for cell in &planned {
                let series = match row_series[cell.metric] {
                    Some(series) => series,
                    None => {
                        let series = collector
                            .series(cell.metric, tuple, &labels)
                            .map_err(|error| at(rows.place(row, cell.column), error.into()))?;
                        *row_series[cell.metric].insert(series)
                    }
                };
                sort.push(ReadCell {
                    series,
                    start: cell.period.start_day(),
                    end: cell.period.end_day(),
                    seq,
                    exact: (cell.exact.start_day(), cell.exact.end_day()),
                    value: cell.value,
                    row,
                    column: cell.column as u32,
                    source,
                })
                .map_err(ExecError::ImportScratch)?;
                seq += 1;
            }
        }
        progress(count);
        Ok(Staged {
            collector,
            sorted: sort.sorted().map_err(ExecError::ImportScratch)?,
            pending: None,
        })
    }

    /// How a snapshot compares with what the store holds.
    fn compare(&self, slot: Slot, snapshot: &Snapshot) -> Result<Compared> {
        let (start, end) = (snapshot.period.start_day(), snapshot.period.end_day());
        Ok(match self.store.latest_revision(slot.id, start, end)? {
            Some((Some(recorded), _)) if recorded == snapshot.value => Compared::Unchanged,
            Some((Some(_), _)) => Compared::Differs,
            Some((None, _)) | None => Compared::New,
        })
    }

    /// The rows `--dry-run` prints, without writing anything.
    fn dry_run(
        &mut self,
        staged: &mut Staged,
        rows: &dyn TableRows,
        import: TableImport,
        file: &str,
    ) -> Result<TableOutcome> {
        // One row per series, put in name order at the end.
        let mut lines: Vec<(u32, Vec<Cell>)> = Vec::new();
        let mut conflicts = 0;
        let mut current: Option<(Option<Slot>, SeriesTally)> = None;
        while let Some(snapshot) = staged.next(rows, file)? {
            if current
                .as_ref()
                .is_none_or(|(_, t)| t.series != snapshot.series)
            {
                if let Some((_, t)) = current.take() {
                    conflicts += t.counts.conflicts;
                    let name = staged.collector.name(t.series).to_string();
                    lines.push((t.series, t.dry_run_line(name)));
                }
                let name = staged.collector.name(snapshot.series).to_string();
                let slot = self.store.series_by_name(&name)?.map(|row| Slot {
                    id: row.id,
                    max_days: row.max_days,
                });
                current = Some((slot, SeriesTally::new(&snapshot)));
            }
            let Some((slot, t)) = current.as_mut() else {
                unreachable!("a series was just started")
            };
            t.see(&snapshot);
            let c = &mut t.counts;
            match slot.map(|slot| self.compare(slot, &snapshot)).transpose()? {
                None | Some(Compared::New) => c.new += 1,
                Some(Compared::Unchanged) => c.unchanged += 1,
                Some(Compared::Differs) if import.revise => c.revised += 1,
                Some(Compared::Differs) => c.conflicts += 1,
            }
        }
        if let Some((_, t)) = current {
            conflicts += t.counts.conflicts;
            let name = staged.collector.name(t.series).to_string();
            lines.push((t.series, t.dry_run_line(name)));
        }
        let collector = &staged.collector;
        lines.sort_by(|a, b| collector.compare(a.0, b.0));
        let mut table = Rows::new(&DRY_RUN_FIELDS);
        for (_, line) in lines {
            table.push(line);
        }
        let failure = (conflicts > 0).then(|| DryRunConflicts {
            file: file.to_string(),
            conflicts,
        });
        Ok(TableOutcome {
            outcome: Outcome {
                rows: Some(table),
                notes: Vec::new(),
                chart: None,
            },
            failure,
        })
    }
}

/// A conflict as a table import reports it: at the cell of the value.
fn table_conflict(conflict: BulkConflict, rows: &dyn TableRows, file: &str) -> ExecError {
    let place = rows.place(conflict.place.0, conflict.place.1 as usize);
    match Period::from_day_numbers(conflict.start_day, conflict.end_day) {
        Ok(period) => ExecError::TableConflict {
            place: format!("{file}:{place}"),
            series: conflict.series,
            recorded: format_value(conflict.recorded),
            period,
            revision: conflict.revision,
            value: format_value(conflict.value),
        },
        Err(error) => ExecError::StoredPeriod(error),
    }
}

/// A file's cells in series and period order, and their series.
struct Staged {
    collector: Collector,
    sorted: Sorted,
    /// The first cell of the next snapshot, read past the one before.
    pending: Option<ReadCell>,
}

impl Staged {
    /// The next snapshot, its cells combined; snapshots come ordered by
    /// series (as first seen in the file) and period.
    fn next(&mut self, rows: &dyn TableRows, file: &str) -> Result<Option<Snapshot>> {
        let first = match self.pending.take() {
            Some(cell) => cell,
            None => match self.sorted.next().map_err(ExecError::ImportScratch)? {
                Some(cell) => cell,
                None => return Ok(None),
            },
        };
        let key = (first.series, first.start, first.end);
        let place = Place {
            row: first.row,
            column: first.column,
        };
        let mut gathered =
            self.collector
                .first(first.series, first.exact, first.value, place, first.source);
        while let Some(cell) = self.sorted.next().map_err(ExecError::ImportScratch)? {
            if (cell.series, cell.start, cell.end) != key {
                self.pending = Some(cell);
                break;
            }
            self.collector
                .combine(key, &mut gathered, cell.exact, cell.value, cell.source)
                .map_err(|error| ExecError::InTable {
                    place: format!("{file}:{}", rows.place(cell.row, cell.column as usize)),
                    source: Box::new(error.into()),
                })?;
        }
        Ok(Some(self.collector.snapshot(key, &gathered)))
    }
}

/// One series' snapshots as they pass, in period order.
struct SeriesTally {
    series: u32,
    counts: Counts,
    head: Period,
    gap_before: bool,
    tail: Period,
    gap_after: bool,
    /// The period that ends last.
    last: Period,
    month_starts: bool,
    /// Whether some snapshot combines several cells.
    several: bool,
}

impl SeriesTally {
    fn new(first: &Snapshot) -> SeriesTally {
        SeriesTally {
            series: first.series,
            counts: Counts::default(),
            head: first.period,
            gap_before: first.gap_before,
            tail: first.period,
            gap_after: first.gap_after,
            last: first.period,
            month_starts: true,
            several: false,
        }
    }

    fn see(&mut self, s: &Snapshot) {
        self.counts.snapshots += 1;
        self.tail = s.period;
        self.gap_after = s.gap_after;
        if (s.period.end_day(), s.period.start_day()) > (self.last.end_day(), self.last.start_day())
        {
            self.last = s.period;
        }
        self.month_starts &=
            s.period.granularity() == Some(Granularity::Day) && s.period.start().day() == 1;
        self.several |= s.cells > 1;
    }

    /// The series' row of `--dry-run`.
    fn dry_run_line(&self, name: String) -> Vec<Cell> {
        let c = &self.counts;
        vec![
            Cell::text(name),
            Cell::Int(c.snapshots),
            Cell::text(self.head.to_string()),
            Cell::text(self.tail.to_string()),
            Cell::Int(c.new),
            Cell::Int(c.unchanged),
            Cell::Int(c.revised),
            Cell::Int(c.conflicts),
        ]
    }
}

enum Compared {
    Unchanged,
    Differs,
    /// New, or deleted before.
    New,
}

/// What an import recorded, series by series, for its summary.
struct Tally {
    series: i64,
    counts: Counts,
    first: Option<Period>,
    last: Option<Period>,
    /// Series with a period only partly covered at an end, and what they
    /// say of it.
    partial: Vec<(u32, String)>,
    /// Whether every period so far is a day on the first of a month.
    month_starts: bool,
}

impl Tally {
    fn new() -> Tally {
        Tally {
            series: 0,
            counts: Counts::default(),
            first: None,
            last: None,
            partial: Vec::new(),
            month_starts: true,
        }
    }

    fn add(&mut self, t: SeriesTally, grain: bool) {
        let c = t.counts;
        self.series += 1;
        // What became of the snapshots is counted by the store, as a whole.
        self.counts.snapshots += c.snapshots;
        if self
            .first
            .is_none_or(|p| (t.head.start_day(), t.head.end_day()) < (p.start_day(), p.end_day()))
        {
            self.first = Some(t.head);
        }
        if self
            .last
            .is_none_or(|p| (t.last.end_day(), t.last.start_day()) > (p.end_day(), p.start_day()))
        {
            self.last = Some(t.last);
        }
        self.month_starts &= t.month_starts;
        // A series with one cell per period (monthly data dated on the
        // first of each month) has cells that stand for their periods.
        if grain && t.several {
            let mut ends = Vec::new();
            if t.gap_before {
                ends.push(format!("first period {}", t.head));
            }
            if t.gap_after {
                ends.push(format!("last period {}", t.tail));
            }
            if !ends.is_empty() {
                self.partial.push((t.series, ends.join(" and ")));
            }
        }
    }

    /// The lines after an import: what was recorded, partly covered
    /// periods (series in name order), and a hint when days look like
    /// months.
    fn summary(mut self, file: &str, grain: bool, collector: &Collector) -> Vec<String> {
        let periods = match (self.first, self.last) {
            (Some(first), Some(last)) => format!(", periods {first} to {last}"),
            _ => String::new(),
        };
        let snapshots = match self.counts.snapshots {
            1 => "1 snapshot".to_string(),
            n => format!("{n} snapshots"),
        };
        let mut lines = vec![format!(
            "{file}: {} series, {snapshots} (new {}, unchanged {}, revised {}){periods}",
            self.series, self.counts.new, self.counts.unchanged, self.counts.revised,
        )];
        const SHOWN: usize = 20;
        self.partial.sort_by(|a, b| collector.compare(a.0, b.0));
        let more = self.partial.len().saturating_sub(SHOWN);
        lines.extend(self.partial.iter().take(SHOWN).map(|(series, ends)| {
            format!(
                "{}: {ends} only partly covered by the file's cells",
                collector.name(*series)
            )
        }));
        if more > 0 {
            lines.push(format!(
                "... and {more} more series partly covered at an end"
            ));
        }
        if !grain && self.month_starts && self.counts.snapshots > 1 {
            lines.push(
                "every period is the first day of a month; if they stand for months, import with --grain month"
                    .to_string(),
            );
        }
        lines
    }
}
