//! Writes: metrics, series, and revisions of snapshots. Rows of `revision`
//! are only ever added; `snapshot` follows the latest of them.
use rusqlite::{OptionalExtension, params};

use crate::core::command::Kind;
use crate::core::labels::LabelSet;

use super::held::{BATCH, Held, bind_batch};
use super::{MetricId, MetricRow, Result, SeriesId, SeriesRow, Store};

impl Store {
    pub fn metric(&self, name: &str) -> Result<Option<MetricRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, kind, unit, description FROM metric WHERE name = ?1",
        )?;
        Ok(stmt.query_row([name], metric_row).optional()?)
    }

    /// Creates a metric with the attributes given.
    pub fn create_metric(
        &self,
        name: &str,
        kind: Option<Kind>,
        unit: Option<&str>,
        description: Option<&str>,
    ) -> Result<MetricRow> {
        self.require_writable("metric")?;
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO metric (name, kind, unit, description) VALUES (?1, ?2, ?3, ?4)",
        )?;
        stmt.execute(params![name, kind.map(Kind::name), unit, description])?;
        Ok(MetricRow {
            id: self.conn.last_insert_rowid(),
            name: name.to_string(),
            kind,
            unit: unit.map(str::to_string),
            description: description.map(str::to_string),
        })
    }

    /// Changes only the attributes given (`Some`).
    pub fn update_metric(
        &self,
        id: MetricId,
        kind: Option<Kind>,
        unit: Option<&str>,
        description: Option<&str>,
    ) -> Result<()> {
        self.require_writable("metric")?;
        let mut stmt = self.conn.prepare_cached(
            "UPDATE metric SET kind = coalesce(?2, kind), unit = coalesce(?3, unit),
                    description = coalesce(?4, description)
             WHERE id = ?1",
        )?;
        stmt.execute(params![id, kind.map(Kind::name), unit, description])?;
        Ok(())
    }

    /// The series with this canonical name, if recorded.
    pub fn series_by_name(&self, name: &str) -> Result<Option<SeriesRow>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, metric_id, name, max_days FROM series WHERE name = ?1")?;
        let row = stmt
            .query_row([name], |row| {
                Ok(SeriesRow {
                    id: row.get(0)?,
                    metric_id: row.get(1)?,
                    name: row.get(2)?,
                    labels: LabelSet::new(),
                    max_days: row.get(3)?,
                })
            })
            .optional()?;
        match row {
            Some(mut series) => {
                series.labels = self.labels_of(series.id)?;
                Ok(Some(series))
            }
            None => Ok(None),
        }
    }

    pub fn create_series(
        &self,
        metric_id: MetricId,
        name: &str,
        labels: &LabelSet,
        max_days: i32,
    ) -> Result<SeriesRow> {
        self.require_writable("insert")?;
        self.conn
            .prepare_cached("INSERT INTO series (metric_id, name, max_days) VALUES (?1, ?2, ?3)")?
            .execute(params![metric_id, name, max_days])?;
        let id = self.conn.last_insert_rowid();
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO series_label (series_id, key, value) VALUES (?1, ?2, ?3)",
        )?;
        for (key, value) in labels.iter() {
            stmt.execute(params![id, key, value])?;
        }
        Ok(SeriesRow {
            id,
            metric_id,
            name: name.to_string(),
            labels: labels.clone(),
            max_days,
        })
    }

    /// Widens a series' longest-period bound (`max_days`, as the caller
    /// last knew it) when `days` exceeds it.
    pub fn note_period_length(
        &self,
        series: SeriesId,
        max_days: &mut i32,
        days: i32,
    ) -> Result<()> {
        if days > *max_days {
            self.conn.with(Held::NotePeriodLength, |stmt| {
                stmt.execute(params![series, days])
            })?;
            *max_days = days;
        }
        Ok(())
    }

    /// The latest revision number of one snapshot and its value (None
    /// once deleted); None when the snapshot was never recorded.
    pub fn latest_revision(
        &self,
        series: SeriesId,
        start_day: i32,
        end_day: i32,
    ) -> Result<Option<(Option<f64>, i64)>> {
        let (value, revision): (Option<f64>, Option<i64>) =
            self.conn.with(Held::LatestRevision, |stmt| {
                stmt.query_row(params![series, start_day, end_day], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })
            })?;
        Ok(revision.map(|revision| (value, revision)))
    }

    /// Adds the first revision of a snapshot, unless the snapshot has
    /// one already: true when it was added. With no revision before it, it
    /// is recorded at `recorded_at` as given.
    #[allow(clippy::too_many_arguments)]
    pub fn add_first_revision(
        &self,
        series: SeriesId,
        start_day: i32,
        end_day: i32,
        value: f64,
        recorded_at: i64,
        source: Option<&str>,
        note: Option<&str>,
    ) -> Result<bool> {
        self.require_writable("insert")?;
        // SQLite keeps a statement's values from one run to the next: the
        // series of consecutive inserts, and their NULL source and note,
        // are mostly bound already. Unknown until the statement has run.
        let bound = self.first_revision_bound.take();
        let no_texts = source.is_none() && note.is_none();
        let added = self.conn.with(Held::AddFirstRevision, |stmt| {
            if bound.is_none_or(|(bound, _)| bound != series) {
                stmt.raw_bind_parameter(1, series)?;
            }
            stmt.raw_bind_parameter(2, start_day)?;
            stmt.raw_bind_parameter(3, end_day)?;
            stmt.raw_bind_parameter(4, value)?;
            stmt.raw_bind_parameter(5, recorded_at)?;
            if !(no_texts && bound.is_some_and(|(_, none)| none)) {
                stmt.raw_bind_parameter(6, source)?;
                stmt.raw_bind_parameter(7, note)?;
            }
            stmt.raw_execute()
        })?;
        self.first_revision_bound.set(Some((series, no_texts)));
        Ok(added == 1)
    }

    /// Adds one revision of a snapshot; `value` None records a deletion.
    /// `recorded_at` is in microseconds since 1970-01-01 UTC. A revision is
    /// never recorded before the one it follows, whatever the clock says
    /// (it may have been set back): it takes at least the previous
    /// revision's time plus one microsecond.
    #[allow(clippy::too_many_arguments)]
    pub fn add_revision(
        &self,
        series: SeriesId,
        start_day: i32,
        end_day: i32,
        revision: i64,
        value: Option<f64>,
        recorded_at: i64,
        source: Option<&str>,
        note: Option<&str>,
    ) -> Result<()> {
        self.require_writable(if value.is_some() { "insert" } else { "delete" })?;
        self.conn.with(Held::AddRevision, |stmt| {
            stmt.execute(params![
                series,
                start_day,
                end_day,
                revision,
                value,
                recorded_at,
                source,
                note
            ])
        })?;
        Ok(())
    }

    /// [`Store::add_first_revision`] for the next value of a bulk write:
    /// binds only what differs from the value before it, as SQLite keeps a
    /// statement's values from one run to the next. `bound` says what the
    /// statement holds; a fresh one (nothing known) binds everything.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn add_next_first_revision(
        &self,
        bound: &mut Bound,
        series: SeriesId,
        start_day: i32,
        end_day: i32,
        value: f64,
        recorded_at: i64,
        texts: (u32, Option<&str>, Option<&str>),
    ) -> Result<bool> {
        // What `add_first_revision` knows of the statement is lost.
        self.first_revision_bound.set(None);
        let added = self.conn.with(Held::AddFirstRevision, |stmt| {
            let (texts_at, source, note) = texts;
            let known = bound.known;
            // Marked unknown until the statement has run with them.
            bound.known = false;
            if !known || bound.series != series {
                stmt.raw_bind_parameter(1, series)?;
            }
            stmt.raw_bind_parameter(2, start_day)?;
            stmt.raw_bind_parameter(3, end_day)?;
            stmt.raw_bind_parameter(4, value)?;
            if !known || bound.recorded_at != recorded_at {
                stmt.raw_bind_parameter(5, recorded_at)?;
            }
            if !known || bound.texts != texts_at {
                stmt.raw_bind_parameter(6, source)?;
                stmt.raw_bind_parameter(7, note)?;
            }
            let added = stmt.raw_execute()?;
            *bound = Bound {
                known: true,
                series,
                recorded_at,
                texts: texts_at,
            };
            Ok(added)
        })?;
        Ok(added == 1)
    }
}

impl Store {
    /// Whether each of [`BATCH`] values, (series, start_day, end_day,
    /// value), is its snapshot's current value already.
    pub(super) fn all_unchanged(
        &self,
        rows: impl ExactSizeIterator<Item = (SeriesId, i32, i32, f64)>,
    ) -> Result<bool> {
        let unchanged: i64 = self.conn.with(Held::CountUnchanged, |stmt| {
            bind_batch(stmt, 1, rows)?;
            let mut rows = stmt.raw_query();
            match rows.next()? {
                Some(row) => row.get(0),
                None => Ok(0),
            }
        })?;
        Ok(unchanged == BATCH as i64)
    }

    /// Adds the first revisions of [`BATCH`] snapshots, all or none: false
    /// when one of them is there already (or given twice), and nothing was
    /// added. `rows` are (series, start_day, end_day, value).
    pub(in crate::store) fn add_first_revisions(
        &self,
        rows: impl ExactSizeIterator<Item = (SeriesId, i32, i32, f64)>,
        recorded_at: i64,
        source: Option<&str>,
        note: Option<&str>,
    ) -> Result<bool> {
        let added = self.conn.with(Held::AddFirstRevisions, |stmt| {
            stmt.raw_bind_parameter(1, recorded_at)?;
            stmt.raw_bind_parameter(2, source)?;
            stmt.raw_bind_parameter(3, note)?;
            bind_batch(stmt, 4, rows)?;
            match stmt.raw_execute() {
                Ok(_) => Ok(true),
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    Ok(false)
                }
                Err(e) => Err(e),
            }
        })?;
        Ok(added)
    }
}

/// What the held statement adding first revisions was last run with, in
/// a bulk write (see [`Store::add_next_first_revision`]).
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Bound {
    /// False until the statement has run in this bulk write, and after
    /// anything else may have run it.
    pub known: bool,
    pub series: SeriesId,
    pub recorded_at: i64,
    /// Which source and note, as the bulk write numbers them.
    pub texts: u32,
}

pub(super) fn metric_row(row: &rusqlite::Row) -> rusqlite::Result<MetricRow> {
    Ok(MetricRow {
        id: row.get(0)?,
        name: row.get(1)?,
        kind: match row.get::<_, Option<String>>(2)? {
            // The schema allows only the kinds' names.
            Some(name) => Some(Kind::parse(&name).ok_or_else(|| {
                rusqlite::Error::FromSqlConversionFailure(
                    2,
                    rusqlite::types::Type::Text,
                    format!("unknown metric kind {name:?}").into(),
                )
            })?),
            None => None,
        },
        unit: row.get(3)?,
        description: row.get(4)?,
    })
}
