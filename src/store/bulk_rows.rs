//! A bulk write in SQLite: each value is written as it comes, through the
//! statements held on the connection, as `insert` writes one.
use rusqlite::OptionalExtension;

use super::Store;
use crate::store::{BulkConflict, BulkCounts, BulkValue, Result};

pub struct Bulk {
    revise: bool,
    now: i64,
    /// A new snapshot is added without reading it first; after one that
    /// was there, values are read first until one is new, so that
    /// re-importing a file does not pay for a failed write each.
    read_first: bool,
    counts: BulkCounts,
}

impl Bulk {
    pub fn new(revise: bool, now: i64) -> Bulk {
        Bulk {
            revise,
            now,
            read_first: false,
            counts: BulkCounts::default(),
        }
    }

    pub fn counts(&self) -> BulkCounts {
        self.counts
    }

    pub fn add(&mut self, store: &Store, v: &BulkValue) -> Result<Option<BulkConflict>> {
        let (series, start, end) = (v.series, v.start_day, v.end_day);
        if !self.read_first {
            let added = store
                .add_first_revision(series, start, end, v.value, self.now, v.source, v.note)?;
            if added {
                self.counts.new += 1;
                return Ok(None);
            }
            self.read_first = true;
        }
        let latest = store.latest_revision(series, start, end)?;
        self.read_first = latest.is_some();
        match latest {
            Some((Some(recorded), _)) if recorded == v.value => self.counts.unchanged += 1,
            Some((Some(recorded), revision)) if !self.revise => {
                let name = store
                    .conn
                    .prepare_cached("SELECT name FROM series WHERE id = ?1")?
                    .query_row([series], |row| row.get(0))
                    .optional()?;
                return Ok(Some(BulkConflict {
                    series: name.unwrap_or_default(),
                    start_day: start,
                    end_day: end,
                    recorded,
                    revision,
                    value: v.value,
                    place: v.place,
                }));
            }
            // Another value is revised; after a deletion the value is new.
            _ => {
                let revision = latest.map_or(1, |(_, revision)| revision + 1);
                store.add_revision(
                    series,
                    start,
                    end,
                    revision,
                    Some(v.value),
                    self.now,
                    v.source,
                    v.note,
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
