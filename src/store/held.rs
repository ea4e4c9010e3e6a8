//! The connection, with the statements of bulk writes held prepared on it.
//!
//! Every other statement goes through rusqlite's statement cache, which
//! finds a statement by hashing its SQL text on the way out and again on
//! the way back in; for the few statements run once per written row that
//! lookup was about a tenth of an import's instructions. These are
//! prepared on first use and kept for the connection's life.
use std::cell::RefCell;
use std::ops::Deref;

use rusqlite::{Connection, Statement};

use super::SeriesId;

/// The statements held prepared, one per row written or read back.
#[derive(Debug, Clone, Copy)]
pub(super) enum Held {
    AddFirstRevision,
    AddFirstRevisions,
    CountUnchanged,
    AddRevision,
    LatestRevision,
    NotePeriodLength,
}

const HELD: usize = 6;

/// Rows written by one run of [`Held::AddFirstRevisions`].
pub(in crate::store) const BATCH: usize = 64;

/// The first revisions of [`BATCH`] snapshots sharing a time, source and
/// note (`?1` to `?3`), each its series, days and value: one statement's
/// start, cursor and end for them all, and each row appended where the
/// one before it ended. Without `ON CONFLICT`, a row already there fails
/// the whole statement, which SQLite then undoes.
static ADD_FIRST_REVISIONS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "INSERT INTO snapshot
           (series_id, start_day, end_day, revision, value, recorded_at, source, note)
         VALUES {}",
        batch_rows(4, |[s, a, b, v]| format!(
            "(?{s}, ?{a}, ?{b}, 1, ?{v}, ?1, ?2, ?3)"
        ))
    )
});

/// How many of [`BATCH`] values (`?1` to `?4` each: series, days, value)
/// are their snapshot's current value: a file imported again is read back
/// a batch to a statement, as a new one is written.
static COUNT_UNCHANGED: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "WITH given (series_id, start_day, end_day, value) AS (VALUES {})
         SELECT count(*) FROM given
         WHERE value = (SELECT s.value FROM snapshot s
                        WHERE s.series_id = given.series_id AND s.start_day = given.start_day
                          AND s.end_day = given.end_day
                        ORDER BY s.revision DESC LIMIT 1)",
        batch_rows(1, |[s, a, b, v]| format!("(?{s}, ?{a}, ?{b}, ?{v})"))
    )
});

/// [`BATCH`] rows, each `row` of its four parameters (series, first day,
/// end, value), numbered on from `first`, as [`bind_batch`] binds them.
fn batch_rows(first: usize, row: impl Fn([usize; 4]) -> String) -> String {
    let rows: Vec<String> = (0..BATCH)
        .map(|i| {
            let p = first + 4 * i;
            row([p, p + 1, p + 2, p + 3])
        })
        .collect();
    rows.join(", ")
}

/// Binds [`BATCH`] rows of (series, first day, end, value) to the
/// parameters from `first` on, as [`batch_rows`] numbers them.
pub(super) fn bind_batch(
    stmt: &mut Statement,
    first: usize,
    rows: impl ExactSizeIterator<Item = (SeriesId, i32, i32, f64)>,
) -> rusqlite::Result<()> {
    debug_assert_eq!(rows.len(), BATCH);
    for (i, (series, start_day, end_day, value)) in rows.enumerate() {
        let at = first + 4 * i;
        stmt.raw_bind_parameter(at, series)?;
        stmt.raw_bind_parameter(at + 1, start_day)?;
        stmt.raw_bind_parameter(at + 2, end_day)?;
        stmt.raw_bind_parameter(at + 3, value)?;
    }
    Ok(())
}

impl Held {
    fn sql(self) -> &'static str {
        match self {
            Held::AddFirstRevisions => ADD_FIRST_REVISIONS.as_str(),
            Held::CountUnchanged => COUNT_UNCHANGED.as_str(),
            Held::AddFirstRevision => {
                "INSERT INTO snapshot
                   (series_id, start_day, end_day, revision, value, recorded_at, source, note)
                 VALUES (?1, ?2, ?3, 1, ?4, ?5, ?6, ?7)
                 ON CONFLICT DO NOTHING"
            }
            Held::AddRevision => {
                "INSERT INTO snapshot
                   (series_id, start_day, end_day, revision, value, recorded_at, source, note)
                 VALUES (?1, ?2, ?3, ?4, ?5,
                   max(?6, coalesce((SELECT recorded_at + 1 FROM snapshot
                     WHERE series_id = ?1 AND start_day = ?2 AND end_day = ?3
                       AND revision = ?4 - 1), ?6)),
                   ?7, ?8)"
            }
            // With max(), SQLite takes the bare `value` from the row holding
            // the maximum; an aggregate also avoids a plan that SQLite
            // re-prepares on every call (ORDER BY ... LIMIT 1 does).
            Held::LatestRevision => {
                "SELECT value, max(revision) FROM snapshot
                 WHERE series_id = ?1 AND start_day = ?2 AND end_day = ?3"
            }
            Held::NotePeriodLength => {
                "UPDATE series SET max_days = ?2 WHERE id = ?1 AND max_days < ?2"
            }
        }
    }
}

/// Prepared when first used: the store's tables may not exist yet when the
/// connection opens.
#[derive(Default)]
struct Statements<'c> {
    slots: [RefCell<Option<Statement<'c>>>; HELD],
}

self_cell::self_cell!(
    /// A connection and the statements held on it; dereferences to the
    /// connection, and drops the statements before it.
    pub(super) struct HeldConnection {
        owner: Connection,
        #[not_covariant]
        dependent: Statements,
    }
);

impl HeldConnection {
    pub fn of(conn: Connection) -> HeldConnection {
        HeldConnection::new(conn, |_| Statements::default())
    }

    /// Runs `f` on the held statement `which`, preparing it the first time.
    pub fn with<T>(
        &self,
        which: Held,
        f: impl FnOnce(&mut Statement) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        self.with_dependent(|conn, held| {
            let mut slot = held.slots[which as usize].borrow_mut();
            let statement = match &mut *slot {
                Some(statement) => statement,
                None => slot.insert(conn.prepare(which.sql())?),
            };
            f(statement)
        })
    }
}

impl Deref for HeldConnection {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        self.borrow_owner()
    }
}
