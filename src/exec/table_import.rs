//! `.import FILE --period ...` and `--period-columns`: tables as they come,
//! read through a [`Plan`], gathered and combined per series and period,
//! then recorded in one transaction (or, with `--dry-run`, only counted).
use crate::core::command::Kind;
use crate::core::labels::SeriesKey;
use crate::core::period::{Granularity, Period};
use crate::core::rows::{Cell, Rows};
use crate::core::table::combine::{Collector, Gathering, Place, Snapshot};
use crate::core::table::plan::{Plan, PlannedCell};
use crate::core::table::{TableCell, TableSpec};
use crate::core::value::format_value;

use super::write::Slot;
use super::{ExecError, Executor, Outcome, Result};

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
    pub failure: Option<String>,
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
        let gathering = self.gather(rows, import, file, progress)?;
        let keys = &gathering.series;
        if import.dry_run {
            return self.dry_run(&gathering, import.revise, file);
        }
        let now = jiff::Timestamp::now().as_microsecond();
        self.atomically("import", |exec| {
            let mut notes = Vec::new();
            let mut slots: Vec<Option<Slot>> = vec![None; keys.len()];
            let mut counts = vec![Counts::default(); keys.len()];
            for snapshot in &gathering.snapshots {
                let index = snapshot.series as usize;
                let key = &keys[index];
                let mut slot = match slots[index] {
                    Some(slot) => slot,
                    None => exec.series_for_writing(key, &mut notes)?,
                };
                let source = snapshot
                    .source
                    .map(|s| gathering.sources[s as usize].as_str())
                    .or(import.source);
                let count = &mut counts[index];
                count.snapshots += 1;
                match exec.compare(slot, snapshot)? {
                    Compared::Unchanged => count.unchanged += 1,
                    Compared::Differs(recorded, revision) if !import.revise => {
                        let place = rows.place(snapshot.place.row, snapshot.place.column as usize);
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
                slots[index] = Some(slot);
            }
            notes.extend(summary(file, &gathering, &counts, import.spec));
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

    /// Reads the whole file into snapshots, combined per series and period.
    fn gather(
        &mut self,
        rows: &mut dyn TableRows,
        import: TableImport,
        file: &str,
        progress: &mut dyn FnMut(u64),
    ) -> Result<Gathering> {
        let at = |place: String, message: String| ExecError::InTable {
            place: format!("{file}:{place}"),
            message,
        };
        let plan = Plan::new(import.spec, rows.header())
            .map_err(|(column, message)| at(rows.header_place(column), message))?;
        let mut metrics = Vec::new();
        for name in plan.metrics() {
            let kind = self
                .store
                .metric(name)?
                .and_then(|m| m.kind)
                .and_then(|k| Kind::parse(&k));
            metrics.push((name.clone(), kind));
        }
        let keys = plan.label_keys().map(str::to_string).collect();
        let mut collector = Collector::new(metrics, keys);
        let (mut cells, mut labels, mut planned) =
            (Vec::new(), Vec::new(), Vec::<PlannedCell>::new());
        let mut count = 0u64;
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
                        cell.metric,
                        &labels,
                        cell.period,
                        cell.exact,
                        cell.value,
                        place,
                        source,
                    )
                    .map_err(|message| at(rows.place(row, cell.column), message))?;
            }
            count += 1;
            if count.is_multiple_of(10_000) {
                progress(count);
            }
        }
        progress(count);
        Ok(collector.finish())
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
    fn dry_run(&mut self, gathering: &Gathering, revise: bool, file: &str) -> Result<TableOutcome> {
        let keys = &gathering.series;
        let mut counts = vec![Counts::default(); keys.len()];
        let mut slots: Vec<Option<Option<Slot>>> = vec![None; keys.len()];
        for snapshot in &gathering.snapshots {
            let index = snapshot.series as usize;
            let slot = match slots[index] {
                Some(slot) => slot,
                None => {
                    let found = self
                        .store
                        .series_by_name(&keys[index].to_string())?
                        .map(|row| Slot {
                            id: row.id,
                            max_days: row.max_days,
                        });
                    slots[index] = Some(found);
                    found
                }
            };
            let count = &mut counts[index];
            count.snapshots += 1;
            match slot.map(|slot| self.compare(slot, snapshot)).transpose()? {
                None | Some(Compared::New(_)) => count.new += 1,
                Some(Compared::Unchanged) => count.unchanged += 1,
                Some(Compared::Differs(..)) if revise => count.revised += 1,
                Some(Compared::Differs(..)) => count.conflicts += 1,
            }
        }
        let mut rows = Rows::new(&DRY_RUN_FIELDS);
        let mut conflicts = 0;
        for (index, (first, last)) in series_spans(gathering) {
            let c = counts[index];
            conflicts += c.conflicts;
            rows.push(vec![
                Cell::text(keys[index].to_string()),
                Cell::Int(c.snapshots),
                Cell::text(first.to_string()),
                Cell::text(last.to_string()),
                Cell::Int(c.new),
                Cell::Int(c.unchanged),
                Cell::Int(c.revised),
                Cell::Int(c.conflicts),
            ]);
        }
        let failure = (conflicts > 0).then(|| {
            format!(
                "{file}: {conflicts} snapshot(s) conflict with recorded values; add --revise to record the file's values as new revisions"
            )
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

enum Compared {
    Unchanged,
    /// The recorded value and its revision.
    Differs(f64, i64),
    /// New; the revision before it (0 when none, else a deletion).
    New(i64),
}

/// Each series (by index, in order) with its first and last periods.
fn series_spans(gathering: &Gathering) -> Vec<(usize, (Period, Period))> {
    let mut spans: Vec<(usize, (Period, Period))> = Vec::new();
    for snapshot in &gathering.snapshots {
        let index = snapshot.series as usize;
        match spans.last_mut() {
            Some((last, (_, end))) if *last == index => *end = snapshot.period,
            _ => spans.push((index, (snapshot.period, snapshot.period))),
        }
    }
    spans
}

/// The lines after an import: what was recorded, partly covered periods,
/// and a hint when days look like months.
fn summary(file: &str, gathering: &Gathering, counts: &[Counts], spec: &TableSpec) -> Vec<String> {
    let total = counts.iter().fold(Counts::default(), |a, c| Counts {
        snapshots: a.snapshots + c.snapshots,
        new: a.new + c.new,
        unchanged: a.unchanged + c.unchanged,
        revised: a.revised + c.revised,
        conflicts: 0,
    });
    let spans = series_spans(gathering);
    let first = gathering
        .snapshots
        .iter()
        .map(|s| s.period)
        .min_by_key(|p| (p.start_day(), p.end_day()));
    let last = gathering
        .snapshots
        .iter()
        .map(|s| s.period)
        .max_by_key(|p| (p.end_day(), p.start_day()));
    let periods = match (first, last) {
        (Some(first), Some(last)) => format!(", periods {first} to {last}"),
        _ => String::new(),
    };
    let plural = |n: i64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut lines = vec![format!(
        "{file}: {}, {} (new {}, unchanged {}, revised {}){periods}",
        plural(spans.len() as i64, "series", "series"),
        plural(total.snapshots, "snapshot", "snapshots"),
        total.new,
        total.unchanged,
        total.revised,
    )];
    if spec.grain.is_some() {
        let mut partial = Vec::new();
        let mut start = 0;
        for (index, _) in &spans {
            let end = start
                + gathering.snapshots[start..]
                    .iter()
                    .take_while(|s| s.series as usize == *index)
                    .count();
            let (head, tail) = (&gathering.snapshots[start], &gathering.snapshots[end - 1]);
            // A series with one cell per period (monthly data dated on the
            // first of each month) has cells that stand for their periods.
            let several = gathering.snapshots[start..end].iter().any(|s| s.cells > 1);
            let mut ends = Vec::new();
            if several && head.gap_before {
                ends.push(format!("first period {}", head.period));
            }
            if several && tail.gap_after {
                ends.push(format!("last period {}", tail.period));
            }
            if !ends.is_empty() {
                partial.push(format!(
                    "{}: {} only partly covered by the file's cells",
                    gathering.series[*index],
                    ends.join(" and ")
                ));
            }
            start = end;
        }
        const SHOWN: usize = 20;
        let more = partial.len().saturating_sub(SHOWN);
        lines.extend(partial.into_iter().take(SHOWN));
        if more > 0 {
            lines.push(format!(
                "... and {more} more series partly covered at an end"
            ));
        }
    } else {
        let month_starts = gathering.snapshots.len() > 1
            && gathering.snapshots.iter().all(|s| {
                s.period.granularity() == Some(Granularity::Day) && s.period.start().day() == 1
            });
        if month_starts {
            lines.push(
                "every period is the first day of a month; if they stand for months, import with --grain month"
                    .to_string(),
            );
        }
    }
    lines
}
