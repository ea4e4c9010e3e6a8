//! `.import FILE --period ...` and `--period-columns`: tables as they come,
//! read through a [`Plan`], gathered and combined per series and period,
//! then recorded in one transaction (or, with `--dry-run`, only counted).
use crate::core::labels::SeriesKey;
use crate::core::period::{Granularity, Period};
use crate::core::rows::{Cell, Rows};
use std::collections::HashMap;

use crate::core::table::combine::{
    CellKey, CellStore, Collector, GatherError, Gathered, Place, Snapshot,
};
use crate::core::table::plan::{Plan, PlannedCell};
use crate::core::table::{TableCell, TableSpec};
use crate::core::value::format_value;

use crate::store::{StagedCell, Store, StoreError, Transaction};

use super::write::Slot;
use super::{DryRunConflicts, ExecError, Executor, Outcome, Result};

/// Snapshots are gathered in memory up to this many (unless the import
/// says otherwise), then in a scratch table of the store's connection, so
/// that memory does not grow with the file.
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
    /// How many snapshots to gather in memory before using the scratch
    /// table ([`IN_MEMORY`]).
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
        let gathered = self.gather(rows, import, file, progress);
        let result = match gathered {
            Ok(staged) if import.dry_run => self.dry_run(&staged, import, file),
            Ok(staged) => self.record(&staged, &*rows, import, file),
            Err(error) => Err(error),
        };
        // The scratch table goes whatever happened.
        let dropped = self.store.stage_end();
        let outcome = result?;
        dropped?;
        Ok(outcome)
    }

    fn record(
        &mut self,
        staged: &Staged,
        rows: &dyn TableRows,
        import: TableImport,
        file: &str,
    ) -> Result<TableOutcome> {
        let now = jiff::Timestamp::now().as_microsecond();
        let grain = import.spec.grain.is_some();
        self.atomically("import", |exec| {
            let mut notes = Vec::new();
            let mut tally = Tally::new();
            exec.each_series(staged, |exec, key, chunk| {
                let mut slot = exec.series_for_writing(key, &mut notes)?;
                let mut count = Counts::default();
                for snapshot in chunk {
                    let source = snapshot
                        .source
                        .map(|s| staged.collector.sources()[s as usize].as_str())
                        .or(import.source);
                    count.snapshots += 1;
                    match exec.compare(slot, snapshot)? {
                        Compared::Unchanged => count.unchanged += 1,
                        Compared::Differs(recorded, revision) if !import.revise => {
                            let place =
                                rows.place(snapshot.place.row, snapshot.place.column as usize);
                            return Err(ExecError::TableConflict {
                                place: format!("{file}:{place}"),
                                series: key.to_string(),
                                recorded: format_value(recorded),
                                period: snapshot.period,
                                revision,
                                value: format_value(snapshot.value),
                            });
                        }
                        Compared::Differs(_, revision) => {
                            exec.add_snapshot(key, &mut slot, snapshot, revision + 1, source, now)?;
                            count.revised += 1;
                        }
                        Compared::New(revision) => {
                            exec.add_snapshot(key, &mut slot, snapshot, revision + 1, source, now)?;
                            count.new += 1;
                        }
                    }
                }
                tally.add(key, chunk, count, grain);
                Ok(())
            })?;
            notes.extend(tally.summary(file, grain));
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

    /// Reads the whole file, combining cells per series and period.
    fn gather(
        &mut self,
        rows: &mut dyn TableRows,
        import: TableImport,
        file: &str,
        progress: &mut dyn FnMut(u64),
    ) -> Result<Staged> {
        let at = |place: String, message: String| ExecError::InTable {
            place: format!("{file}:{place}"),
            message,
        };
        let plan = Plan::new(import.spec, rows.header())
            .map_err(|(column, message)| at(rows.header_place(column), message))?;
        let mut metrics = Vec::new();
        for name in plan.metrics() {
            let kind = self.store.metric(name)?.and_then(|m| m.kind);
            metrics.push((name.clone(), kind));
        }
        let keys = plan.label_keys().map(str::to_string).collect();
        let mut collector = Collector::new(metrics, keys);
        let mut staging = Staging {
            store: &self.store,
            memory: HashMap::new(),
            spilled: false,
            batch: None,
            limit: import.in_memory,
        };
        let (mut cells, mut labels, mut planned) =
            (Vec::new(), Vec::new(), Vec::<PlannedCell>::new());
        let mut count = 0u64;
        let read = (|| {
            loop {
                let row = match rows.next_row(&mut cells) {
                    Ok(Some(row)) => row,
                    Ok(None) => break,
                    Err((place, message)) => return Err(at(place, message)),
                };
                plan.read_row(&cells, &mut labels, &mut planned)
                    .map_err(|(column, message)| at(rows.place(row, column), message))?;
                let source = match (import.source, plan.source_column()) {
                    (None, Some(column)) => cells
                        .get(column)
                        .and_then(TableCell::text)
                        .filter(|t| !t.trim().is_empty())
                        .map(|t| collector.source(t.trim())),
                    _ => None,
                };
                for cell in &planned {
                    let place = Place {
                        row,
                        column: cell.column as u32,
                    };
                    collector
                        .add(
                            &mut staging,
                            cell.metric,
                            &labels,
                            cell.period,
                            cell.exact,
                            cell.value,
                            place,
                            source,
                        )
                        .map_err(|error| match error {
                            GatherError::Combine(error) => {
                                at(rows.place(row, cell.column), error.to_string())
                            }
                            // The scratch table failed, not the cell.
                            GatherError::Cells(error) => ExecError::Store(error),
                        })?;
                }
                count += 1;
                if count.is_multiple_of(10_000) {
                    progress(count);
                }
            }
            Ok(())
        })();
        // The scratch table's writes are committed whatever happened; it
        // is dropped afterwards anyway.
        if let Some(batch) = staging.batch.take() {
            batch.commit()?;
        }
        read?;
        progress(count);
        let order = collector.order();
        let memory = (!staging.spilled).then(|| {
            let Staging { memory, .. } = staging;
            sorted(&collector, &order, memory)
        });
        Ok(Staged {
            collector,
            order,
            memory,
        })
    }

    /// Calls `visit` with each series, in order, and its snapshots.
    fn each_series(
        &mut self,
        staged: &Staged,
        mut visit: impl FnMut(&mut Executor, &SeriesKey, &[Snapshot]) -> Result<()>,
    ) -> Result<()> {
        let mut next = 0;
        for &series in &staged.order {
            let chunk: Vec<Snapshot> = match &staged.memory {
                Some(all) => {
                    let start = next;
                    while next < all.len() && all[next].series == series {
                        next += 1;
                    }
                    all[start..next].to_vec()
                }
                None => self
                    .store
                    .stage_series(series)?
                    .iter()
                    .map(|c| {
                        staged
                            .collector
                            .snapshot((c.series, c.start, c.end), &gathered(c))
                    })
                    .collect(),
            };
            if !chunk.is_empty() {
                visit(self, &staged.collector.names()[series as usize], &chunk)?;
            }
        }
        Ok(())
    }

    /// How a snapshot compares with what the store holds.
    fn compare(&self, slot: Slot, snapshot: &Snapshot) -> Result<Compared> {
        let (start, end) = (snapshot.period.start_day(), snapshot.period.end_day());
        Ok(match self.store.latest_revision(slot.id, start, end)? {
            Some((Some(recorded), _)) if recorded == snapshot.value => Compared::Unchanged,
            Some((Some(recorded), revision)) => Compared::Differs(recorded, revision),
            Some((None, revision)) => Compared::New(revision),
            None => Compared::New(0),
        })
    }

    fn add_snapshot(
        &mut self,
        key: &SeriesKey,
        slot: &mut Slot,
        snapshot: &Snapshot,
        revision: i64,
        source: Option<&str>,
        now: i64,
    ) -> Result<()> {
        self.widen(key, slot, snapshot.period.days())?;
        self.store.add_revision(
            slot.id,
            snapshot.period.start_day(),
            snapshot.period.end_day(),
            revision,
            Some(snapshot.value),
            now,
            source,
            None,
        )?;
        Ok(())
    }

    /// The rows `--dry-run` prints, without writing anything.
    fn dry_run(
        &mut self,
        staged: &Staged,
        import: TableImport,
        file: &str,
    ) -> Result<TableOutcome> {
        let mut rows = Rows::new(&DRY_RUN_FIELDS);
        let mut conflicts = 0;
        self.each_series(staged, |exec, key, chunk| {
            let slot = exec
                .store
                .series_by_name(&key.to_string())?
                .map(|row| Slot {
                    id: row.id,
                    max_days: row.max_days,
                });
            let mut c = Counts::default();
            for snapshot in chunk {
                c.snapshots += 1;
                match slot.map(|slot| exec.compare(slot, snapshot)).transpose()? {
                    None | Some(Compared::New(_)) => c.new += 1,
                    Some(Compared::Unchanged) => c.unchanged += 1,
                    Some(Compared::Differs(..)) if import.revise => c.revised += 1,
                    Some(Compared::Differs(..)) => c.conflicts += 1,
                }
            }
            conflicts += c.conflicts;
            let (first, last) = (chunk[0].period, chunk[chunk.len() - 1].period);
            rows.push(vec![
                Cell::text(key.to_string()),
                Cell::Int(c.snapshots),
                Cell::text(first.to_string()),
                Cell::text(last.to_string()),
                Cell::Int(c.new),
                Cell::Int(c.unchanged),
                Cell::Int(c.revised),
                Cell::Int(c.conflicts),
            ]);
            Ok(())
        })?;
        let failure = (conflicts > 0).then(|| DryRunConflicts {
            file: file.to_string(),
            conflicts,
        });
        Ok(TableOutcome {
            outcome: Outcome {
                rows: Some(rows),
                notes: Vec::new(),
                chart: None,
            },
            failure,
        })
    }
}

/// A file's gathered snapshots: in memory, sorted, or in the scratch table.
struct Staged {
    collector: Collector,
    /// Series indexes ordered by name.
    order: Vec<u32>,
    memory: Option<Vec<Snapshot>>,
}

/// Cells in memory until there are too many, then in the scratch table.
struct Staging<'s> {
    store: &'s Store,
    memory: HashMap<CellKey, Gathered>,
    spilled: bool,
    /// The transaction of the scratch table's writes, when they need one of
    /// their own.
    batch: Option<Transaction<&'s Store>>,
    limit: usize,
}

impl CellStore for Staging<'_> {
    type Error = StoreError;

    fn get(&mut self, key: CellKey) -> Result<Option<Gathered>, StoreError> {
        if !self.spilled {
            return Ok(self.memory.get(&key).copied());
        }
        let (series, start, end) = key;
        let cell = self.store.stage_get(series, start, end)?;
        Ok(cell.as_ref().map(gathered))
    }

    fn put(&mut self, key: CellKey, cell: Gathered) -> Result<(), StoreError> {
        if self.spilled {
            return self.store.stage_put(&staged(key, &cell));
        }
        self.memory.insert(key, cell);
        if self.memory.len() > self.limit {
            self.store.stage_begin()?;
            self.batch = self.store.stage_batch()?;
            for (key, cell) in std::mem::take(&mut self.memory) {
                self.store.stage_put(&staged(key, &cell))?;
            }
            self.spilled = true;
        }
        Ok(())
    }
}

fn staged((series, start, end): CellKey, g: &Gathered) -> StagedCell {
    StagedCell {
        series,
        start,
        end,
        value: g.value,
        days: g.days,
        latest_end: g.latest_end,
        first_start: g.first_start,
        last_end: g.last_end,
        count: g.count,
        row: g.place.row,
        column: g.place.column,
        source: g.source,
    }
}

fn gathered(c: &StagedCell) -> Gathered {
    Gathered {
        value: c.value,
        days: c.days,
        latest_end: c.latest_end,
        first_start: c.first_start,
        last_end: c.last_end,
        count: c.count,
        place: Place {
            row: c.row,
            column: c.column,
        },
        source: c.source,
    }
}

/// The snapshots of cells in memory, ordered by series (as `order` has
/// them) and period.
fn sorted(
    collector: &Collector,
    order: &[u32],
    memory: HashMap<CellKey, Gathered>,
) -> Vec<Snapshot> {
    let mut rank = vec![0u32; collector.names().len()];
    for (position, &series) in order.iter().enumerate() {
        rank[series as usize] = position as u32;
    }
    let mut snapshots: Vec<Snapshot> = memory
        .iter()
        .map(|(key, g)| collector.snapshot(*key, g))
        .collect();
    snapshots.sort_by_key(|s| {
        (
            rank[s.series as usize],
            s.period.start_day(),
            s.period.end_day(),
        )
    });
    snapshots
}

enum Compared {
    Unchanged,
    /// The recorded value and its revision.
    Differs(f64, i64),
    /// New; the revision before it (0 when none, else a deletion).
    New(i64),
}

/// What an import recorded, series by series, for its summary.
struct Tally {
    series: i64,
    counts: Counts,
    first: Option<Period>,
    last: Option<Period>,
    partial: Vec<String>,
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

    fn add(&mut self, key: &SeriesKey, chunk: &[Snapshot], c: Counts, grain: bool) {
        self.series += 1;
        self.counts.snapshots += c.snapshots;
        self.counts.new += c.new;
        self.counts.unchanged += c.unchanged;
        self.counts.revised += c.revised;
        let (head, tail) = (&chunk[0], &chunk[chunk.len() - 1]);
        if self.first.is_none_or(|p| {
            (head.period.start_day(), head.period.end_day()) < (p.start_day(), p.end_day())
        }) {
            self.first = Some(head.period);
        }
        for s in chunk {
            if self.last.is_none_or(|p| {
                (s.period.end_day(), s.period.start_day()) > (p.end_day(), p.start_day())
            }) {
                self.last = Some(s.period);
            }
        }
        self.month_starts &= chunk.iter().all(|s| {
            s.period.granularity() == Some(Granularity::Day) && s.period.start().day() == 1
        });
        // A series with one cell per period (monthly data dated on the
        // first of each month) has cells that stand for their periods.
        let several = chunk.iter().any(|s| s.cells > 1);
        if grain && several {
            let mut ends = Vec::new();
            if head.gap_before {
                ends.push(format!("first period {}", head.period));
            }
            if tail.gap_after {
                ends.push(format!("last period {}", tail.period));
            }
            if !ends.is_empty() {
                self.partial.push(format!(
                    "{key}: {} only partly covered by the file's cells",
                    ends.join(" and ")
                ));
            }
        }
    }

    /// The lines after an import: what was recorded, partly covered
    /// periods, and a hint when days look like months.
    fn summary(self, file: &str, grain: bool) -> Vec<String> {
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
        let more = self.partial.len().saturating_sub(SHOWN);
        lines.extend(self.partial.into_iter().take(SHOWN));
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
