//! Reads: metrics, series, and snapshots as they are now or were at a time.
use rusqlite::types::ToSql;
use rusqlite::{OptionalExtension, params};

use super::write::metric_row;
use super::{MetricId, MetricRow, Result, SeriesId, SeriesRow, Store, StoreError};

/// One live snapshot: a period in day numbers and its value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    pub start_day: i32,
    pub end_day: i32,
    pub value: f64,
}

/// One row of a series' history.
#[derive(Debug, Clone, PartialEq)]
pub struct RevisionRow {
    pub start_day: i32,
    pub end_day: i32,
    pub revision: i64,
    /// None for a deletion.
    pub value: Option<f64>,
    pub recorded_at: String,
    pub source: Option<String>,
    pub note: Option<String>,
    /// Whether this revision is the snapshot's current value.
    pub current: bool,
}

/// Counts for `metrics`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MetricStats {
    pub series: i64,
    pub snapshots: i64,
    /// The first-starting and last-ending live periods, as day numbers.
    pub first: Option<(i32, i32)>,
    pub last: Option<(i32, i32)>,
}

/// The live snapshots, now (from `snapshot`) or as of a time, as a table
/// expression with columns series_id, start_day, end_day, value. As of a
/// time, each snapshot's latest revision recorded by then counts, unless
/// it is a deletion.
fn live(asof: Option<&str>) -> &'static str {
    match asof {
        None => {
            "(SELECT series_id, start_day, end_day, value FROM snapshot WHERE value IS NOT NULL)"
        }
        Some(_) => {
            "(SELECT r.series_id, r.start_day, r.end_day, r.value FROM revision r
              WHERE r.value IS NOT NULL AND r.revision = (
                  SELECT max(x.revision) FROM revision x
                  WHERE x.series_id = r.series_id AND x.start_day = r.start_day
                    AND x.end_day = r.end_day AND x.recorded_at <= :asof))"
        }
    }
}

fn revision_row(row: &rusqlite::Row) -> rusqlite::Result<RevisionRow> {
    Ok(RevisionRow {
        start_day: row.get(0)?,
        end_day: row.get(1)?,
        revision: row.get(2)?,
        value: row.get(3)?,
        recorded_at: row.get(4)?,
        source: row.get(5)?,
        note: row.get(6)?,
        current: row.get(7)?,
    })
}

fn observation(row: &rusqlite::Row) -> rusqlite::Result<Observation> {
    Ok(Observation {
        start_day: row.get(0)?,
        end_day: row.get(1)?,
        value: row.get(2)?,
    })
}

impl Store {
    /// Runs `sql` (which names `:asof` only when `asof` is given) and maps rows.
    fn query_live<T>(
        &self,
        sql: &str,
        params: &[(&str, &dyn ToSql)],
        asof: Option<&str>,
        map: impl FnMut(&rusqlite::Row) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut all: Vec<(&str, &dyn ToSql)> = params.to_vec();
        if let Some(asof) = &asof {
            all.push((":asof", asof));
        }
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(all.as_slice(), map)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub(super) fn labels_of(&self, series: SeriesId) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT key, value FROM series_label WHERE series_id = ?1 ORDER BY key",
        )?;
        let rows = stmt.query_map([series], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Metrics whose names match a `*` pattern (or all), by name.
    pub fn metrics_matching(&self, pattern: Option<&str>) -> Result<Vec<MetricRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, kind, unit, description FROM metric
             WHERE ?1 IS NULL OR name GLOB ?1 ORDER BY name",
        )?;
        let rows = stmt.query_map([pattern], metric_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every series of a metric with its labels, by name, in one query.
    pub fn series_of_metric(&self, metric: MetricId) -> Result<Vec<SeriesRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.id, s.metric_id, s.name, s.max_days, l.key, l.value
             FROM series s LEFT JOIN series_label l ON l.series_id = s.id
             WHERE s.metric_id = ?1 ORDER BY s.name, l.key",
        )?;
        let mut rows = stmt.query([metric])?;
        let mut series: Vec<SeriesRow> = Vec::new();
        while let Some(row) = rows.next()? {
            let id: SeriesId = row.get(0)?;
            if series.last().is_none_or(|s| s.id != id) {
                series.push(SeriesRow {
                    id,
                    metric_id: row.get(1)?,
                    name: row.get(2)?,
                    labels: Vec::new(),
                    max_days: row.get(3)?,
                });
            }
            let label: Option<(String, String)> = match row.get::<_, Option<String>>(4)? {
                Some(key) => Some((key, row.get(5)?)),
                None => None,
            };
            if let (Some(label), Some(last)) = (label, series.last_mut()) {
                last.labels.push(label);
            }
        }
        Ok(series)
    }

    /// Live snapshots of a series that share a day with `[start_day, end_day)`,
    /// by start. One index range: no period starts earlier than the series'
    /// longest period before `start_day`.
    pub fn overlapping(
        &self,
        series: &SeriesRow,
        start_day: i32,
        end_day: i32,
        asof: Option<&str>,
    ) -> Result<Vec<Observation>> {
        let sql = format!(
            "SELECT start_day, end_day, value FROM {} WHERE series_id = :series
               AND start_day > :lowest AND start_day < :end AND end_day > :start
             ORDER BY start_day, end_day",
            live(asof)
        );
        let lowest = start_day - series.max_days;
        self.query_live(
            &sql,
            &[
                (":series", &series.id),
                (":lowest", &lowest),
                (":start", &start_day),
                (":end", &end_day),
            ],
            asof,
            observation,
        )
    }

    /// The live snapshot ending last on or before `day` (the shortest of
    /// those ending then).
    pub fn latest_ending_by(
        &self,
        series: SeriesId,
        day: i32,
        asof: Option<&str>,
    ) -> Result<Option<Observation>> {
        let sql = format!(
            "SELECT start_day, end_day, value FROM {} WHERE series_id = :series AND end_day <= :day
             ORDER BY end_day DESC, start_day DESC LIMIT 1",
            live(asof)
        );
        let rows = self.query_live(
            &sql,
            &[(":series", &series), (":day", &day)],
            asof,
            observation,
        )?;
        Ok(rows.into_iter().next())
    }

    /// The live snapshot that starts first (the shortest of those starting then).
    pub fn earliest(&self, series: SeriesId, asof: Option<&str>) -> Result<Option<Observation>> {
        let sql = format!(
            "SELECT start_day, end_day, value FROM {} WHERE series_id = :series
             ORDER BY start_day, end_day LIMIT 1",
            live(asof)
        );
        let rows = self.query_live(&sql, &[(":series", &series)], asof, observation)?;
        Ok(rows.into_iter().next())
    }

    /// The live snapshot that ends last (the shortest of those ending then).
    pub fn latest(&self, series: SeriesId, asof: Option<&str>) -> Result<Option<Observation>> {
        let sql = format!(
            "SELECT start_day, end_day, value FROM {} WHERE series_id = :series
             ORDER BY end_day DESC, start_day DESC LIMIT 1",
            live(asof)
        );
        let rows = self.query_live(&sql, &[(":series", &series)], asof, observation)?;
        Ok(rows.into_iter().next())
    }

    /// Live snapshots lying wholly within `[from_day, to_day)`, by start.
    pub fn snapshots_within(
        &self,
        series: SeriesId,
        from_day: i32,
        to_day: i32,
        asof: Option<&str>,
    ) -> Result<Vec<Observation>> {
        let sql = format!(
            "SELECT start_day, end_day, value FROM {} WHERE series_id = :series
               AND start_day >= :from AND start_day < :to AND end_day <= :to
             ORDER BY start_day, end_day",
            live(asof)
        );
        self.query_live(
            &sql,
            &[(":series", &series), (":from", &from_day), (":to", &to_day)],
            asof,
            observation,
        )
    }

    /// Every revision of a series, or of one of its periods, in order.
    pub fn history(
        &self,
        series: SeriesId,
        period: Option<(i32, i32)>,
    ) -> Result<Vec<RevisionRow>> {
        let mut rows = Vec::new();
        self.for_each_revision(series, period, false, |row| {
            rows.push(row);
            Ok::<_, StoreError>(())
        })?;
        Ok(rows)
    }

    /// Streams the revisions of a series (of one period, or only the
    /// current ones) in order, without holding them all: exports of any
    /// size run in constant memory.
    pub fn for_each_revision<E: From<StoreError>>(
        &self,
        series: SeriesId,
        period: Option<(i32, i32)>,
        only_current: bool,
        mut f: impl FnMut(RevisionRow) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let read = || -> Result<_> {
            self.conn
                .prepare_cached(
                    "SELECT r.start_day, r.end_day, r.revision, r.value, r.recorded_at, r.source,
                            r.note, r.value IS NOT NULL AND s.revision = r.revision AS current
                     FROM revision r
                     LEFT JOIN snapshot s ON s.series_id = r.series_id
                          AND s.start_day = r.start_day AND s.end_day = r.end_day
                     WHERE r.series_id = ?1 AND (?2 IS NULL OR (r.start_day = ?2 AND r.end_day = ?3))
                       AND (NOT ?4 OR (r.value IS NOT NULL AND s.revision = r.revision))
                     ORDER BY r.start_day, r.end_day, r.revision",
                )
                .map_err(StoreError::from)
        };
        let mut stmt = read()?;
        let (start, end) = period.unzip();
        let mut rows = stmt
            .query(params![series, start, end, only_current])
            .map_err(StoreError::from)?;
        while let Some(row) = rows.next().map_err(StoreError::from)? {
            let revision = revision_row(row).map_err(StoreError::from)?;
            f(revision)?;
        }
        Ok(())
    }

    /// One revision of a snapshot, if recorded.
    pub fn revision(
        &self,
        series: SeriesId,
        start_day: i32,
        end_day: i32,
        revision: i64,
    ) -> Result<Option<RevisionRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.start_day, r.end_day, r.revision, r.value, r.recorded_at, r.source, r.note,
                    r.value IS NOT NULL AND s.revision = r.revision
             FROM revision r
             LEFT JOIN snapshot s ON s.series_id = r.series_id
                  AND s.start_day = r.start_day AND s.end_day = r.end_day
             WHERE r.series_id = ?1 AND r.start_day = ?2 AND r.end_day = ?3 AND r.revision = ?4",
        )?;
        Ok(stmt
            .query_row(params![series, start_day, end_day, revision], revision_row)
            .optional()?)
    }

    /// How many series and live snapshots a metric has, and their span.
    pub fn metric_stats(&self, metric: MetricId) -> Result<MetricStats> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT count(*), (SELECT count(*) FROM snapshot sn JOIN series s2 ON s2.id = sn.series_id
                               WHERE s2.metric_id = ?1 AND sn.value IS NOT NULL)
             FROM series WHERE metric_id = ?1",
        )?;
        let (series, snapshots) = stmt.query_row([metric], |row| Ok((row.get(0)?, row.get(1)?)))?;
        let bound = |order: &str| -> Result<Option<(i32, i32)>> {
            let sql = format!(
                "SELECT sn.start_day, sn.end_day FROM snapshot sn JOIN series s ON s.id = sn.series_id
                 WHERE s.metric_id = ?1 AND sn.value IS NOT NULL ORDER BY {order} LIMIT 1"
            );
            Ok(self
                .conn
                .prepare_cached(&sql)?
                .query_row([metric], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()?)
        };
        Ok(MetricStats {
            series,
            snapshots,
            first: bound("sn.start_day, sn.end_day")?,
            last: bound("sn.end_day DESC, sn.start_day DESC")?,
        })
    }
}
