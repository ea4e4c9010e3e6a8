//! A bulk write in PostgreSQL: values are copied (text COPY, in chunks)
//! into a temporary table of this session, each with its place in the
//! order given, then merged into `snapshot` by one statement. Window
//! functions over each snapshot's values, in the order given, find what
//! each value is measured against (the store's latest revision for the
//! first, the value before it for the others), so that the outcome is
//! what writing them one by one gives.
//!
//! Most large imports bring snapshots the store does not hold yet, each
//! once: every value is then a first revision recorded at `now`, so they
//! are first written with one plain `INSERT`, whose unique key refuses a
//! snapshot that is already stored or named twice; the merge runs only
//! when it does.
use std::io::Write;

use postgres::error::SqlState;

use super::{Store, store_error};
use crate::store::{BulkConflict, BulkCounts, BulkValue, Result, StoreError};

/// Values are sent once this many bytes of them are waiting.
const CHUNK: usize = 4 << 20;

pub struct Bulk {
    revise: bool,
    now: i64,
    /// Values added so far: each one's place in the order given.
    seq: i64,
    /// COPY text not sent yet.
    waiting: Vec<u8>,
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

/// Every staged value as the first revision of a new snapshot, recorded
/// at `now`, in the key's order (which makes the index grow at its end).
const ALL_NEW: &str = "
    INSERT INTO growthdb.snapshot
      (series_id, start_day, end_day, revision, value, recorded_at, source, note)
    SELECT series_id, start_day, end_day, 1, value, $1::bigint, source, note
    FROM pg_temp.import_stage
    ORDER BY series_id, start_day, end_day";

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

/// `text` as a field of COPY's text format.
fn copy_text(out: &mut Vec<u8>, text: Option<&str>) {
    let Some(text) = text else {
        out.extend_from_slice(b"\\N");
        return;
    };
    for byte in text.bytes() {
        match byte {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            other => out.push(other),
        }
    }
}

impl Bulk {
    fn add(&mut self, v: &BulkValue) {
        self.seq += 1;
        // Rust prints the shortest text that reads back as the same double.
        let _ = write!(
            self.waiting,
            "{}\t{}\t{}\t{}\t{:?}\t",
            self.seq, v.series, v.start_day, v.end_day, v.value
        );
        copy_text(&mut self.waiting, v.source);
        self.waiting.push(b'\t');
        copy_text(&mut self.waiting, v.note);
        let _ = writeln!(self.waiting, "\t{}\t{}", v.place.0, v.place.1);
    }
}

impl Store {
    /// Makes the session's staging table, empty.
    pub fn bulk(&self, revise: bool, now: i64) -> Result<Bulk> {
        // The merge's sorts fit in memory, and compiling its plan (JIT)
        // would take longer than running it.
        self.batch(
            "SET LOCAL jit = off; SET LOCAL work_mem = '256MB';
             DROP TABLE IF EXISTS pg_temp.import_stage;
             CREATE TEMP TABLE import_stage (
                 seq bigint NOT NULL, series_id bigint NOT NULL,
                 start_day integer NOT NULL, end_day integer NOT NULL,
                 value double precision NOT NULL, source text, note text,
                 line bigint NOT NULL, col bigint NOT NULL
             )",
        )?;
        Ok(Bulk {
            revise,
            now,
            seq: 0,
            waiting: Vec::new(),
        })
    }

    /// Sends the values waiting, when there are enough of them or `all`.
    fn bulk_send(&self, bulk: &mut Bulk, all: bool) -> Result<()> {
        if bulk.waiting.is_empty() || (!all && bulk.waiting.len() < CHUNK) {
            return Ok(());
        }
        let mut client = self.client.borrow_mut();
        let mut writer = client
            .copy_in("COPY pg_temp.import_stage FROM STDIN")
            .map_err(store_error)?;
        writer
            .write_all(&bulk.waiting)
            .map_err(|e| StoreError::Postgres(e.to_string()))?;
        writer.finish().map_err(store_error)?;
        bulk.waiting.clear();
        Ok(())
    }

    pub(in crate::store) fn bulk_add(&self, bulk: &mut Bulk, v: &BulkValue) -> Result<()> {
        bulk.add(v);
        self.bulk_send(bulk, false)
    }

    pub fn bulk_conflict(&self, bulk: &mut Bulk) -> Result<Option<BulkConflict>> {
        if bulk.revise {
            return Ok(None);
        }
        self.bulk_send(bulk, true)?;
        // Nothing is written: `now` is only named, as every parameter must be.
        let sql = format!(
            "WITH {} {OUTCOME} WHERE $1::bigint IS NOT NULL",
            planned(bulk)
        );
        let row = self.bulk_outcome(&sql, bulk)?;
        Ok(row.1)
    }

    pub fn bulk_finish(&self, mut bulk: Bulk) -> Result<Result<BulkCounts, BulkConflict>> {
        self.bulk_send(&mut bulk, true)?;
        let (counts, conflict) = match self.bulk_all_new(&bulk)? {
            Some(new) => (
                BulkCounts {
                    new,
                    unchanged: 0,
                    revised: 0,
                },
                None,
            ),
            None => {
                let sql = format!("WITH {}{WRITTEN} {OUTCOME}", planned(&bulk));
                self.bulk_outcome(&sql, &bulk)?
            }
        };
        self.batch("DROP TABLE pg_temp.import_stage")?;
        Ok(match conflict {
            Some(conflict) => Err(conflict),
            None => Ok(counts),
        })
    }

    /// Writes every staged value as a new snapshot, as the merge would
    /// when the store holds none of them and none is named twice; None,
    /// having written nothing, when one is.
    fn bulk_all_new(&self, bulk: &Bulk) -> Result<Option<u64>> {
        self.batch("SAVEPOINT bulk_all_new")?;
        let inserted = self.client.borrow_mut().execute(ALL_NEW, &[&bulk.now]);
        match inserted {
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

    fn bulk_outcome(&self, sql: &str, bulk: &Bulk) -> Result<(BulkCounts, Option<BulkConflict>)> {
        let row = self
            .client
            .borrow_mut()
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
