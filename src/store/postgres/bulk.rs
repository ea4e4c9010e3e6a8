//! A bulk write in PostgreSQL: the values are gathered on this side in
//! runs, sorted by key (into temporary files once there are many, see
//! [`crate::runs`]), and sent in key order by binary COPY.
//!
//! Most large imports bring snapshots the store does not hold yet, each
//! once: every value is then a first revision recorded at `now`, so they
//! are first copied straight into `snapshot`, whose unique key refuses a
//! snapshot that is already stored or named twice. In key order the
//! key's index grows at its end, and the server need not sort them. Into
//! a store that holds no snapshot yet, the key is dropped and built again
//! at the end (see [`UNKEY`]), and each run is copied as soon as it fills,
//! by a thread of its own, while the next is read.
//!
//! When the key refuses one, that copy is undone and the values are
//! copied again, into a temporary table of this session, each with its
//! place in the order given, then merged into `snapshot` by one
//! statement. Window functions over each snapshot's values, in the order
//! given, find what each value is measured against (the store's latest
//! revision for the first, the value before it for the others), so that
//! the outcome is what writing them one by one gives.
use std::fs::File;
use std::io::{Seek, SeekFrom, Write};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use postgres::error::SqlState;
use postgres::{Client, CopyInWriter};

use super::{Store, lock, store_error};
use crate::runs::{self, Merge};
use crate::store::bulk_spill::Spilled;
use crate::store::{BulkConflict, BulkCounts, BulkValue, Result, StoreError};

/// Values per run held in memory (about 80 bytes each).
const RUN: usize = 1 << 17;

/// COPY data is handed to the connection in pieces of about this size.
const PIECE: usize = 64 << 10;

pub struct Bulk {
    revise: bool,
    now: i64,
    /// Values added so far: each one's place in the order given.
    seq: i64,
    /// The values not in a run on disk, in the order given.
    run: Vec<Spilled>,
    /// The runs sorted into temporary files.
    spilled: Vec<File>,
    /// Whether the staging table holds every value.
    staged: bool,
    load: Load,
}

/// Each value against the one before it (`prev`: NULL when the snapshot
/// is new or was deleted), and `k`, how many of its snapshot's values up to
/// it are written, which numbers its revision.
fn planned(bulk: &Bulk) -> String {
    let current = if bulk.seq < MANY { LOOKED_UP } else { JOINED };
    format!(
        "
    ordered AS (
        SELECT st.*, lag(st.value) OVER w AS file_prev, row_number() OVER w AS nth
        FROM pg_temp.import_stage st
        WINDOW w AS (PARTITION BY st.series_id, st.start_day, st.end_day ORDER BY st.seq)
    ), based AS (
        SELECT o.*, CASE WHEN o.nth = 1 THEN cur.value ELSE o.file_prev END AS prev,
               cur.revision AS store_revision, cur.recorded_at AS store_recorded
        FROM ordered o LEFT JOIN {current}
    ), planned AS (
        SELECT b.*,
               sum(CASE WHEN b.prev = b.value THEN 0 ELSE 1 END) OVER w AS k,
               coalesce(first_value(b.store_revision) OVER w, 0) AS base_revision,
               first_value(b.store_recorded) OVER w AS base_recorded
        FROM based b
        WINDOW w AS (PARTITION BY b.series_id, b.start_day, b.end_day ORDER BY b.seq)
    )"
    )
}

/// The store's latest revision of each value's snapshot, for the first
/// value of each: looked up one by one for a few values, ...
const LOOKED_UP: &str = "LATERAL (
        SELECT s.value, s.revision, s.recorded_at FROM growthdb.snapshot s
        WHERE o.nth = 1 AND s.series_id = o.series_id
          AND s.start_day = o.start_day AND s.end_day = o.end_day
        ORDER BY s.revision DESC LIMIT 1) cur ON true";

/// ... and for many, read in order for the series they name and joined.
const JOINED: &str = "(
        SELECT DISTINCT ON (s.series_id, s.start_day, s.end_day)
               s.series_id, s.start_day, s.end_day, s.value, s.revision, s.recorded_at
        FROM growthdb.snapshot s
        WHERE s.series_id IN (SELECT DISTINCT series_id FROM pg_temp.import_stage)
        ORDER BY s.series_id, s.start_day, s.end_day, s.revision DESC) cur
        ON o.nth = 1 AND cur.series_id = o.series_id
          AND cur.start_day = o.start_day AND cur.end_day = o.end_day";

/// From how many values the store's revisions are joined rather than
/// looked up.
const MANY: i64 = 20_000;

/// Writes the new revisions: a revision is recorded at `now`, or just
/// after the one before it, as `add_revision` records one.
const WRITTEN: &str = ",
    written AS (
        INSERT INTO growthdb.snapshot
          (series_id, start_day, end_day, revision, value, recorded_at, source, note)
        SELECT series_id, start_day, end_day, base_revision + k, value,
               greatest($1::bigint + k - 1, base_recorded + k), source, note
        FROM planned
        WHERE prev IS NULL OR ($2::boolean AND prev <> value)
    )";

/// Every value as the first revision of a new snapshot, recorded at
/// `now`: the columns of [`put_new`].
const ALL_NEW: &str = "COPY growthdb.snapshot
    (series_id, start_day, end_day, revision, value, recorded_at, source, note)
    FROM STDIN (FORMAT binary)";

/// A store that holds no snapshot yet is loaded as a restore loads a
/// table: without its key, built at the end in one pass, which takes
/// about half as long as adding each row to it, and lets runs be copied
/// in any order. This needs the table to itself until the import commits;
/// while a reader holds it, the rows are copied with the key in place
/// instead.
const UNKEY: &str = "
    LOCK TABLE growthdb.snapshot IN ACCESS EXCLUSIVE MODE NOWAIT;
    ALTER TABLE growthdb.snapshot DROP CONSTRAINT snapshot_pkey";
/// The key again, as the schema makes it; a snapshot named twice makes it
/// fail as the copy would have.
const REKEY: &str = "
    SET LOCAL maintenance_work_mem = '256MB';
    ALTER TABLE growthdb.snapshot ADD CONSTRAINT snapshot_pkey
        PRIMARY KEY (series_id, start_day, end_day, revision)";

/// Every value with its place in the order given: the columns of
/// [`put_staged`].
const STAGE: &str = "
    DROP TABLE IF EXISTS pg_temp.import_stage;
    CREATE TEMP TABLE import_stage (
        seq bigint NOT NULL, series_id bigint NOT NULL,
        start_day integer NOT NULL, end_day integer NOT NULL,
        value double precision NOT NULL, source text, note text,
        line bigint NOT NULL, col bigint NOT NULL
    )";
const STAGED: &str = "COPY pg_temp.import_stage FROM STDIN (FORMAT binary)";

/// The counts, and the first conflict when not revising.
const OUTCOME: &str = "
    SELECT t.new, t.unchanged, t.differs,
           c.series, c.start_day, c.end_day, c.prev, c.revision, c.value, c.line, c.col
    FROM (SELECT count(*) FILTER (WHERE prev IS NULL) AS new,
                 count(*) FILTER (WHERE prev = value) AS unchanged,
                 count(*) FILTER (WHERE prev <> value) AS differs
          FROM planned) t
    LEFT JOIN (
        SELECT s.name AS series, p.start_day, p.end_day, p.prev,
               p.base_revision + p.k - 1 AS revision, p.value, p.line, p.col
        FROM planned p JOIN growthdb.series s ON s.id = p.series_id
        WHERE NOT $2::boolean AND p.prev <> p.value
        ORDER BY p.seq LIMIT 1) c ON true";

/// The header of binary COPY data: its signature, no flags, no extension.
const COPY_HEADER: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";
/// The trailer: a row of -1 fields.
const COPY_TRAILER: &[u8] = &[0xff, 0xff];

/// Fields of binary COPY: each its length, then its bytes in network order.
fn put_i64(out: &mut Vec<u8>, n: i64) {
    out.extend_from_slice(&8i32.to_be_bytes());
    out.extend_from_slice(&n.to_be_bytes());
}

fn put_i32(out: &mut Vec<u8>, n: i32) {
    out.extend_from_slice(&4i32.to_be_bytes());
    out.extend_from_slice(&n.to_be_bytes());
}

fn put_f64(out: &mut Vec<u8>, x: f64) {
    out.extend_from_slice(&8i32.to_be_bytes());
    out.extend_from_slice(&x.to_bits().to_be_bytes());
}

/// A text as it is, or -1 for NULL. Texts are far below 2 GiB: a line
/// of a file is capped long before.
fn put_text(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        Some(text) => {
            out.extend_from_slice(&(text.len() as i32).to_be_bytes());
            out.extend_from_slice(text.as_bytes());
        }
        None => out.extend_from_slice(&(-1i32).to_be_bytes()),
    }
}

/// A value as the first revision of a new snapshot (see [`ALL_NEW`]).
fn put_new(out: &mut Vec<u8>, v: &Spilled, now: i64) {
    out.extend_from_slice(&8i16.to_be_bytes());
    put_i64(out, v.series);
    put_i32(out, v.start_day);
    put_i32(out, v.end_day);
    put_i64(out, 1);
    put_f64(out, v.value);
    put_i64(out, now);
    put_text(out, v.source.as_deref());
    put_text(out, v.note.as_deref());
}

/// A value with its place in the order given (see [`STAGE`]).
fn put_staged(out: &mut Vec<u8>, v: &Spilled) {
    out.extend_from_slice(&9i16.to_be_bytes());
    put_i64(out, v.order as i64 + 1);
    put_i64(out, v.series);
    put_i32(out, v.start_day);
    put_i32(out, v.end_day);
    put_f64(out, v.value);
    put_text(out, v.source.as_deref());
    put_text(out, v.note.as_deref());
    put_i64(out, v.place.0 as i64);
    put_i64(out, i64::from(v.place.1));
}

fn scratch(err: std::io::Error) -> StoreError {
    StoreError::Scratch(err)
}

/// Binary COPY data on its way, handed to the connection in pieces: the
/// server works through each piece while the next is encoded here.
struct Copying<'a> {
    writer: CopyInWriter<'a>,
    out: Vec<u8>,
}

impl<'a> Copying<'a> {
    fn start(client: &'a mut Client, copy: &str) -> Result<Copying<'a>, postgres::Error> {
        let mut out = Vec::with_capacity(PIECE + 1024);
        out.extend_from_slice(COPY_HEADER);
        Ok(Copying {
            writer: client.copy_in(copy)?,
            out,
        })
    }

    /// Adds one row, as `put` writes it.
    fn row(&mut self, put: impl FnOnce(&mut Vec<u8>)) -> Result<()> {
        put(&mut self.out);
        if self.out.len() >= PIECE {
            self.send()?;
        }
        Ok(())
    }

    fn send(&mut self) -> Result<()> {
        let sent = self.writer.write_all(&self.out);
        self.out.clear();
        sent.map_err(|e| StoreError::Postgres(e.to_string()))
    }

    /// Ends the data: the rows copied, or what the server refused.
    fn finish(mut self) -> Result<Result<u64, postgres::Error>> {
        self.out.extend_from_slice(COPY_TRAILER);
        self.send()?;
        Ok(self.writer.finish())
    }
}

/// How the values reach `snapshot` when they are all new.
enum Load {
    /// Not decided yet: no run has filled.
    Undecided,
    /// In one copy at the end, in key order.
    AtEnd,
    /// The store held no snapshot: its key is dropped (see [`UNKEY`]) under
    /// the savepoint `bulk_all_new`, and each run is copied into it by a
    /// thread of its own as soon as it fills, while the next is read.
    Unkeyed {
        copying: Option<JoinHandle<Copied>>,
        new: u64,
    },
}

/// What a run's thread gives back: the run sorted into its file (for the
/// merge, should the key refuse a value), and the rows it copied.
type Copied = (std::io::Result<File>, Result<u64>);

/// Sorts a run, copies it into `snapshot` and writes it to its file.
fn copy_run(client: &Mutex<Client>, mut run: Vec<Spilled>, now: i64) -> Copied {
    run.sort_unstable_by_key(runs::RunRecord::key);
    let copied = (|| {
        let mut client = lock(client);
        let mut copying = Copying::start(&mut client, ALL_NEW).map_err(store_error)?;
        for v in &run {
            copying.row(|out| put_new(out, v, now))?;
        }
        copying.finish()?.map_err(store_error)
    })();
    (runs::write_run(run), copied)
}

impl Bulk {
    fn add(&mut self, v: &BulkValue) {
        self.run.push(Spilled {
            series: v.series,
            start_day: v.start_day,
            end_day: v.end_day,
            value: v.value,
            place: v.place,
            order: self.seq as u64,
            source: v.source.map(Box::from),
            note: v.note.map(Box::from),
        });
        self.seq += 1;
    }

    /// Sorts the run into a temporary file of its own.
    fn spill(&mut self) -> Result<()> {
        self.run.sort_unstable_by_key(runs::RunRecord::key);
        let file = runs::write_run(self.run.drain(..)).map_err(scratch)?;
        self.spilled.push(file);
        Ok(())
    }

    /// Waits for the run being copied, if any: its file joins the others,
    /// and the rows it copied are counted.
    fn copied(&mut self) -> Result<()> {
        let Load::Unkeyed { copying, new } = &mut self.load else {
            return Ok(());
        };
        let Some(thread) = copying.take() else {
            return Ok(());
        };
        let (file, copied) = thread.join().unwrap_or_else(|_| {
            let gone = || std::io::Error::other("the thread copying values panicked");
            (Err(gone()), Err(StoreError::Postgres(gone().to_string())))
        });
        self.spilled.push(file.map_err(scratch)?);
        *new += copied?;
        Ok(())
    }

    /// Calls `each` with every value in key order (values of one snapshot
    /// in the order given), as often as asked.
    fn each_sorted(&mut self, mut each: impl FnMut(&Spilled) -> Result<()>) -> Result<()> {
        if self.spilled.is_empty() {
            self.run.sort_unstable_by_key(runs::RunRecord::key);
            return self.run.iter().try_for_each(each);
        }
        if !self.run.is_empty() {
            self.spill()?;
        }
        // The runs are read again from their start: the files stay open
        // for another pass.
        let mut files = Vec::with_capacity(self.spilled.len());
        for file in &self.spilled {
            let mut file = file.try_clone().map_err(scratch)?;
            file.seek(SeekFrom::Start(0)).map_err(scratch)?;
            files.push(file);
        }
        let mut merge = Merge::<Spilled>::new(files).map_err(scratch)?;
        while let Some(v) = merge.next().map_err(scratch)? {
            each(&v)?;
        }
        Ok(())
    }
}

impl Drop for Bulk {
    /// A bulk write given up (its transaction is rolled back) waits for its
    /// copy, so that nothing else uses the connection meanwhile.
    fn drop(&mut self) {
        let _ = self.copied();
    }
}

impl Store {
    pub fn bulk(&self, revise: bool, now: i64) -> Result<Bulk> {
        // The merge's sorts fit in memory, and compiling its plan (JIT)
        // would take longer than running it.
        self.batch("SET LOCAL jit = off; SET LOCAL work_mem = '256MB'")?;
        Ok(Bulk {
            revise,
            now,
            seq: 0,
            run: Vec::new(),
            spilled: Vec::new(),
            staged: false,
            load: Load::Undecided,
        })
    }

    pub(in crate::store) fn bulk_add(&self, bulk: &mut Bulk, v: &BulkValue) -> Result<()> {
        bulk.add(v);
        if bulk.run.len() < RUN {
            return Ok(());
        }
        if matches!(bulk.load, Load::Undecided) {
            bulk.load = match self.bulk_unkey()? {
                true => Load::Unkeyed {
                    copying: None,
                    new: 0,
                },
                false => Load::AtEnd,
            };
        }
        match bulk.load {
            Load::Unkeyed { .. } => self.bulk_copy_run(bulk),
            _ => bulk.spill(),
        }
    }

    /// Hands the run to a thread that copies it into `snapshot`, once the
    /// one before it is copied.
    fn bulk_copy_run(&self, bulk: &mut Bulk) -> Result<()> {
        bulk.copied()?;
        let run = std::mem::replace(&mut bulk.run, Vec::with_capacity(RUN));
        let (client, now) = (Arc::clone(&self.client), bulk.now);
        let thread = std::thread::spawn(move || copy_run(&client, run, now));
        if let Load::Unkeyed { copying, .. } = &mut bulk.load {
            *copying = Some(thread);
        }
        Ok(())
    }

    /// Copies every value, in key order, by `copy`: each row as `put`
    /// writes it. The rows copied.
    fn bulk_copy(
        &self,
        bulk: &mut Bulk,
        copy: &str,
        put: impl Fn(&mut Vec<u8>, &Spilled),
    ) -> Result<Result<u64, postgres::Error>> {
        let mut client = self.client();
        let mut copying = match Copying::start(&mut client, copy) {
            Ok(copying) => copying,
            Err(err) => return Ok(Err(err)),
        };
        bulk.each_sorted(|v| copying.row(|out| put(out, v)))?;
        copying.finish()
    }

    /// Copies every value into the staging table, once.
    fn bulk_stage(&self, bulk: &mut Bulk) -> Result<()> {
        if bulk.staged {
            return Ok(());
        }
        self.batch(STAGE)?;
        self.bulk_copy(bulk, STAGED, put_staged)?
            .map_err(store_error)?;
        bulk.staged = true;
        Ok(())
    }

    /// Undoes the runs copied into a store that held no snapshot, and
    /// puts its key back: the values then go through the merge.
    fn bulk_unload(&self, bulk: &mut Bulk) -> Result<()> {
        if !matches!(bulk.load, Load::Unkeyed { .. }) {
            return Ok(());
        }
        let copied = bulk.copied();
        bulk.load = Load::AtEnd;
        self.batch("ROLLBACK TO bulk_all_new; RELEASE bulk_all_new")?;
        copied
    }

    pub fn bulk_conflict(&self, bulk: &mut Bulk) -> Result<Option<BulkConflict>> {
        // The store's own revisions are read as they were before.
        self.bulk_unload(bulk)?;
        if bulk.revise {
            return Ok(None);
        }
        self.bulk_stage(bulk)?;
        // Nothing is written: `now` is only named, as every parameter must be.
        let sql = format!(
            "WITH {} {OUTCOME} WHERE $1::bigint IS NOT NULL",
            planned(bulk)
        );
        let row = self.bulk_outcome(&sql, bulk)?;
        Ok(row.1)
    }

    pub fn bulk_finish(&self, mut bulk: Bulk) -> Result<Result<BulkCounts, BulkConflict>> {
        let all_new = match bulk.load {
            Load::Unkeyed { .. } => self.bulk_rekey(&mut bulk)?,
            _ => self.bulk_all_new(&mut bulk)?,
        };
        let (counts, conflict) = match all_new {
            Some(new) => (
                BulkCounts {
                    new,
                    unchanged: 0,
                    revised: 0,
                },
                None,
            ),
            None => {
                self.bulk_stage(&mut bulk)?;
                let sql = format!("WITH {}{WRITTEN} {OUTCOME}", planned(&bulk));
                self.bulk_outcome(&sql, &bulk)?
            }
        };
        if bulk.staged {
            self.batch("DROP TABLE pg_temp.import_stage")?;
        }
        Ok(match conflict {
            Some(conflict) => Err(conflict),
            None => Ok(counts),
        })
    }

    /// Copies the last run into a store that held no snapshot and builds
    /// its key: the rows copied, or None, having written nothing, when a
    /// snapshot is named twice.
    fn bulk_rekey(&self, bulk: &mut Bulk) -> Result<Option<u64>> {
        let mut copied = Ok(());
        if !bulk.run.is_empty() {
            copied = self.bulk_copy_run(bulk);
        }
        let copied = copied.and_then(|()| bulk.copied());
        if let Err(err) = copied {
            self.bulk_unload(bulk)?;
            return Err(err);
        }
        let rekeyed = self.client().batch_execute(REKEY);
        let Load::Unkeyed { new, .. } = bulk.load else {
            unreachable!("only an unkeyed load is keyed again")
        };
        match rekeyed {
            Ok(()) => {
                self.batch("RELEASE bulk_all_new")?;
                Ok(Some(new))
            }
            Err(err) => {
                self.bulk_unload(bulk)?;
                match err.code() == Some(&SqlState::UNIQUE_VIOLATION) {
                    true => Ok(None),
                    false => Err(store_error(err)),
                }
            }
        }
    }

    /// Writes every value as a new snapshot, as the merge would when the
    /// store holds none of them and none is named twice; None, having
    /// written nothing, when one is.
    fn bulk_all_new(&self, bulk: &mut Bulk) -> Result<Option<u64>> {
        if bulk.seq == 0 {
            return Ok(Some(0));
        }
        let undecided = matches!(bulk.load, Load::Undecided);
        let unkeyed = undecided && bulk.seq >= MANY && self.bulk_unkey()?;
        if !unkeyed {
            self.batch("SAVEPOINT bulk_all_new")?;
        }
        let now = bulk.now;
        let mut copied = self.bulk_copy(bulk, ALL_NEW, |out, v| put_new(out, v, now))?;
        if unkeyed && copied.is_ok() {
            copied = self.client().batch_execute(REKEY).and(copied);
        }
        match copied {
            Ok(new) => {
                self.batch("RELEASE bulk_all_new")?;
                Ok(Some(new))
            }
            Err(err) => {
                self.batch("ROLLBACK TO bulk_all_new; RELEASE bulk_all_new")?;
                if err.code() == Some(&SqlState::UNIQUE_VIOLATION) {
                    Ok(None)
                } else {
                    Err(store_error(err))
                }
            }
        }
    }

    /// Takes the savepoint `bulk_all_new` and drops `snapshot`'s key when
    /// the store holds no snapshot yet and no one is reading it: true when
    /// it did, else false with no savepoint taken.
    fn bulk_unkey(&self) -> Result<bool> {
        let empty = self.query_one("SELECT NOT EXISTS (SELECT 1 FROM growthdb.snapshot)", &[])?;
        if !empty.get::<_, bool>(0) {
            return Ok(false);
        }
        self.batch("SAVEPOINT bulk_all_new")?;
        let dropped = self.client().batch_execute(UNKEY);
        match dropped {
            Ok(()) => Ok(true),
            Err(err) => {
                self.batch("ROLLBACK TO bulk_all_new; RELEASE bulk_all_new")?;
                match err.code() == Some(&SqlState::LOCK_NOT_AVAILABLE) {
                    true => Ok(false),
                    false => Err(store_error(err)),
                }
            }
        }
    }

    fn bulk_outcome(&self, sql: &str, bulk: &Bulk) -> Result<(BulkCounts, Option<BulkConflict>)> {
        let row = self
            .client()
            .query_one(sql, &[&bulk.now, &bulk.revise])
            .map_err(store_error)?;
        let count = |at: usize| u64::try_from(row.get::<_, i64>(at)).unwrap_or(0);
        let counts = BulkCounts {
            new: count(0),
            unchanged: count(1),
            revised: if bulk.revise { count(2) } else { 0 },
        };
        let conflict = row.get::<_, Option<String>>(3).map(|series| BulkConflict {
            series,
            start_day: row.get(4),
            end_day: row.get(5),
            recorded: row.get(6),
            revision: row.get(7),
            value: row.get(8),
            place: (
                u64::try_from(row.get::<_, i64>(9)).unwrap_or(0),
                u32::try_from(row.get::<_, i64>(10)).unwrap_or(0),
            ),
        });
        Ok((counts, conflict))
    }
}
