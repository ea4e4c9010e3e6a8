//! A bulk write in SQLite: values are gathered into runs of bounded size,
//! each run sorted by key and written through the statements held on the
//! connection, as `insert` writes one.
//!
//! Written in the order given, rows that change series on every line (a
//! file sorted by day) land on a different b-tree page each, and once the
//! store outgrows the page cache every row reads and rewrites a page; in
//! key order a run fills each page in turn. Only rows of the same snapshot
//! depend on each other, and sorting keeps those in the order given, so
//! each value meets the same store as it would have in file order: it is
//! new, unchanged or a conflict alike. Of a run's conflicts the one given
//! first is reported, and the runs before it had none.
//!
//! While values come in key order (a file sorted by series), each run is
//! written as it fills. Once they do not, every run from then on is sorted
//! into a temporary file instead, and at the end the runs are merged and
//! written in key order as one: a file sorted by day then writes each
//! series' pages once, where runs written one by one reach every series'
//! last page in each run, more pages than the page cache holds once there
//! are thousands of series. The first conflict given is still the one
//! reported: a run written as it filled had none, and the merged runs are
//! all written before their first conflict is chosen.
use rusqlite::OptionalExtension;

use super::Store;
use super::held::BATCH;
use super::write::Bound;
use crate::runs::{self, Merge};
use crate::store::bulk_spill::Spilled;
use crate::store::{BulkConflict, BulkCounts, BulkValue, Result, SeriesId, StoreError};

/// Values per run: at 56 bytes each, 7 MiB beside the page cache.
const RUN: usize = 1 << 17;

/// One value waiting in a run.
struct Pending {
    series: SeriesId,
    start_day: i32,
    end_day: i32,
    value: f64,
    place: (u64, u32),
    /// Its position among all the values given, which breaks ties in key
    /// order and finds the first conflict.
    order: u64,
    /// Its source and note in `texts`, or `NO_TEXT`.
    texts: u32,
}

const NO_TEXT: u32 = u32::MAX;

type Texts = (Option<Box<str>>, Option<Box<str>>);

pub struct Bulk {
    revise: bool,
    now: i64,
    /// A new snapshot is added without reading it first; after one that
    /// was there, values are read first until one is new, so that
    /// re-importing a file does not pay for a failed write each.
    read_first: bool,
    /// New values written one by one since a value that was not, or a
    /// batch that failed: batches are tried again only after [`BATCH`] of
    /// them, so that a file of new and known values mixed does not pay
    /// for a failed batch every few values.
    new_in_a_row: usize,
    /// Values found unchanged one by one since one that was not, or a
    /// batch that was not all unchanged: the same for reading back.
    unchanged_in_a_row: usize,
    counts: BulkCounts,
    run: Vec<Pending>,
    /// Values in a run at most ([`RUN`]).
    run_limit: usize,
    /// Values given so far.
    given: u64,
    /// The key of the value given last, and whether every value so far
    /// came in key order.
    last_key: (SeriesId, i32, i32),
    in_key_order: bool,
    /// The runs sorted into temporary files, once values came out of key
    /// order.
    spilled: Vec<std::fs::File>,
    /// Sources and notes of the run; consecutive values with the same
    /// share one entry.
    texts: Vec<Texts>,
    bound: Bound,
}

impl Bulk {
    pub fn new(revise: bool, now: i64) -> Bulk {
        Bulk::with_runs_of(RUN, revise, now)
    }

    /// A bulk write whose runs hold `run_limit` values.
    pub(in crate::store) fn with_runs_of(run_limit: usize, revise: bool, now: i64) -> Bulk {
        Bulk {
            revise,
            now,
            read_first: false,
            new_in_a_row: BATCH,
            unchanged_in_a_row: 0,
            counts: BulkCounts::default(),
            run: Vec::new(),
            run_limit: run_limit.max(1),
            given: 0,
            last_key: (SeriesId::MIN, i32::MIN, i32::MIN),
            in_key_order: true,
            spilled: Vec::new(),
            texts: Vec::new(),
            bound: Bound::default(),
        }
    }

    /// Adds one value to the run, writing the run when it is full: the
    /// run's first conflict, if any.
    pub fn add(&mut self, store: &Store, v: &BulkValue) -> Result<Option<BulkConflict>> {
        let key = (v.series, v.start_day, v.end_day);
        self.in_key_order &= key >= self.last_key;
        self.last_key = key;
        self.push(v, self.given);
        self.given += 1;
        if self.run.len() >= self.run_limit {
            if self.in_key_order {
                return Ok(self.write_run(store)?.map(|(_, conflict)| conflict));
            }
            self.spill()?;
        }
        Ok(None)
    }

    /// Writes what is waiting: the first conflict among every value added.
    pub fn conflict(&mut self, store: &Store) -> Result<Option<BulkConflict>> {
        self.write_waiting(store)
    }

    /// Writes what is waiting; what became of every value, or the first
    /// conflict.
    pub fn finish(mut self, store: &Store) -> Result<Result<BulkCounts, BulkConflict>> {
        Ok(match self.write_waiting(store)? {
            Some(conflict) => Err(conflict),
            None => Ok(self.counts),
        })
    }

    /// Sorts the run into a temporary file of its own.
    fn spill(&mut self) -> Result<()> {
        let mut run = std::mem::take(&mut self.run);
        run.sort_unstable_by_key(|p| (p.series, p.start_day, p.end_day, p.order));
        let texts = &self.texts;
        let values = run.drain(..).map(|p| {
            let (source, note) = match texts.get(p.texts as usize) {
                Some((source, note)) => (source.clone(), note.clone()),
                None => (None, None),
            };
            Spilled {
                series: p.series,
                start_day: p.start_day,
                end_day: p.end_day,
                value: p.value,
                place: p.place,
                order: p.order,
                source,
                note,
            }
        });
        let file = runs::write_run(values).map_err(StoreError::Scratch)?;
        self.spilled.push(file);
        self.run = run;
        self.texts.clear();
        Ok(())
    }

    /// Writes every value waiting, in memory or in runs on disk: the first
    /// conflict given among them.
    fn write_waiting(&mut self, store: &Store) -> Result<Option<BulkConflict>> {
        if self.spilled.is_empty() {
            return Ok(self.write_run(store)?.map(|(_, conflict)| conflict));
        }
        if !self.run.is_empty() {
            self.spill()?;
        }
        let mut merge = Merge::<Spilled>::new(std::mem::take(&mut self.spilled))
            .map_err(StoreError::Scratch)?;
        let mut first: Option<(u64, BulkConflict)> = None;
        loop {
            // A run's worth of the merged values, with their texts, written
            // as a run is; they come in key order already.
            while self.run.len() < self.run_limit {
                let Some(v) = merge.next().map_err(StoreError::Scratch)? else {
                    break;
                };
                let value = BulkValue {
                    series: v.series,
                    start_day: v.start_day,
                    end_day: v.end_day,
                    value: v.value,
                    source: v.source.as_deref(),
                    note: v.note.as_deref(),
                    place: v.place,
                };
                self.push(&value, v.order);
            }
            if self.run.is_empty() {
                return Ok(first.map(|(_, conflict)| conflict));
            }
            if let Some((order, conflict)) = self.write_run(store)?
                && first.as_ref().is_none_or(|(o, _)| order < *o)
            {
                first = Some((order, conflict));
            }
        }
    }

    /// Writes the run in key order: its first conflict given, and when it
    /// was given.
    fn write_run(&mut self, store: &Store) -> Result<Option<(u64, BulkConflict)>> {
        let mut run = std::mem::take(&mut self.run);
        // Keys with their order are unique, so an unstable sort keeps the
        // values of one snapshot in the order given, without a buffer.
        run.sort_unstable_by_key(|p| (p.series, p.start_day, p.end_day, p.order));
        // Other statements may have run the held one since the last run.
        self.bound = Bound::default();
        let mut first: Option<(&Pending, (f64, i64))> = None;
        let mut at = 0;
        while at < run.len() {
            // While values are new, a batch of them sharing a source and
            // note is written by one statement; a batch that meets one
            // already there is written value by value, as it would have
            // been without it.
            let mut batch = &run[at..run.len().min(at + BATCH)];
            let texts = batch[0].texts;
            if !self.read_first
                && self.new_in_a_row >= BATCH
                && batch.len() == BATCH
                && batch.iter().all(|p| p.texts == texts)
            {
                let (source, note) = self.texts_of(texts);
                let rows = batch
                    .iter()
                    .map(|p| (p.series, p.start_day, p.end_day, p.value));
                if store.add_first_revisions(rows, self.now, source, note)? {
                    self.counts.new += BATCH as u64;
                    at += BATCH;
                    continue;
                }
                self.new_in_a_row = 0;
            } else if self.read_first && self.unchanged_in_a_row >= BATCH && batch.len() == BATCH {
                // A file imported again: a batch of values already current
                // is read back by one statement.
                let rows = batch
                    .iter()
                    .map(|p| (p.series, p.start_day, p.end_day, p.value));
                if store.all_unchanged(rows)? {
                    self.counts.unchanged += BATCH as u64;
                    at += BATCH;
                    continue;
                }
                self.unchanged_in_a_row = 0;
            } else {
                batch = &batch[..1];
            }
            for p in batch {
                let (new, unchanged) = (self.counts.new, self.counts.unchanged);
                let conflict = self.write(store, p)?;
                self.new_in_a_row = match self.counts.new > new && !self.read_first {
                    true => self.new_in_a_row + 1,
                    false => 0,
                };
                self.unchanged_in_a_row = match self.counts.unchanged > unchanged {
                    true => self.unchanged_in_a_row + 1,
                    false => 0,
                };
                if let Some(recorded) = conflict
                    && first.is_none_or(|(f, _)| p.order < f.order)
                {
                    first = Some((p, recorded));
                }
            }
            at += batch.len();
        }
        let conflict = match first {
            Some((p, (recorded, revision))) => {
                let name = store
                    .conn
                    .prepare_cached("SELECT name FROM series WHERE id = ?1")?
                    .query_row([p.series], |row| row.get(0))
                    .optional()?;
                Some((
                    p.order,
                    BulkConflict {
                        series: name.unwrap_or_default(),
                        start_day: p.start_day,
                        end_day: p.end_day,
                        recorded,
                        revision,
                        value: p.value,
                        place: p.place,
                    },
                ))
            }
            None => None,
        };
        run.clear();
        self.run = run;
        self.texts.clear();
        Ok(conflict)
    }

    /// Adds a value to the run, given `order`-th.
    fn push(&mut self, v: &BulkValue, order: u64) {
        let texts = self.texts_index(v.source, v.note);
        self.run.push(Pending {
            series: v.series,
            start_day: v.start_day,
            end_day: v.end_day,
            value: v.value,
            place: v.place,
            order,
            texts,
        });
    }

    /// The number of a value's source and note in the run's texts, kept
    /// once for consecutive values that share them.
    fn texts_index(&mut self, source: Option<&str>, note: Option<&str>) -> u32 {
        if source.is_none() && note.is_none() {
            return NO_TEXT;
        }
        let same = self
            .texts
            .last()
            .is_some_and(|(s, n)| s.as_deref() == source && n.as_deref() == note);
        if !same {
            self.texts
                .push((source.map(Box::from), note.map(Box::from)));
        }
        (self.texts.len() - 1) as u32
    }

    /// The source and note numbered `texts`.
    fn texts_of(&self, texts: u32) -> (Option<&str>, Option<&str>) {
        match self.texts.get(texts as usize) {
            Some((source, note)) => (source.as_deref(), note.as_deref()),
            None => (None, None),
        }
    }

    /// Writes one value; the value recorded and its revision when it
    /// conflicts.
    fn write(&mut self, store: &Store, p: &Pending) -> Result<Option<(f64, i64)>> {
        let (series, start, end) = (p.series, p.start_day, p.end_day);
        let (source, note) = match self.texts.get(p.texts as usize) {
            Some((source, note)) => (source.as_deref(), note.as_deref()),
            None => (None, None),
        };
        if !self.read_first {
            let texts = (p.texts, source, note);
            let added = store.add_next_first_revision(
                &mut self.bound,
                series,
                start,
                end,
                p.value,
                self.now,
                texts,
            )?;
            if added {
                self.counts.new += 1;
                return Ok(None);
            }
            self.read_first = true;
        }
        let latest = store.latest_revision(series, start, end)?;
        self.read_first = latest.is_some();
        match latest {
            Some((Some(recorded), _)) if recorded == p.value => self.counts.unchanged += 1,
            Some((Some(recorded), revision)) if !self.revise => {
                return Ok(Some((recorded, revision)));
            }
            // Another value is revised; after a deletion the value is new.
            _ => {
                let revision = latest.map_or(1, |(_, revision)| revision + 1);
                store.add_revision(
                    series,
                    start,
                    end,
                    revision,
                    Some(p.value),
                    self.now,
                    source,
                    note,
                )?;
                match latest {
                    Some((Some(_), _)) => self.counts.revised += 1,
                    _ => self.counts.new += 1,
                }
            }
        }
        Ok(None)
    }
}
