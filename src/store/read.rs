//! Reads: metrics, series, and snapshots as they are now or were at a time.
//!
//! The `snapshot` table holds every revision. A query reads the revisions
//! of one series within a range of start days, in key order, and keeps per
//! period the latest revision recorded by the time asked for (the latest
//! of all, by default), unless that one is a deletion: see [`LiveScan`].
use rusqlite::{OptionalExtension, params};

use crate::core::labels::LabelSet;

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
    /// Microseconds since 1970-01-01 UTC.
    pub recorded_at: i64,
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

/// Which way a scan reads the key: revisions of a period come in the same
/// direction as the periods.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Up,
    Down,
}

/// Folds revisions, read in key order, into live snapshots: of each
/// period's revisions recorded by `asof`, the latest, unless a deletion.
struct LiveScan {
    asof: Option<i64>,
    direction: Direction,
    period: Option<(i32, i32)>,
    pick: Option<Option<f64>>,
}

impl LiveScan {
    fn new(asof: Option<i64>, direction: Direction) -> LiveScan {
        LiveScan {
            asof,
            direction,
            period: None,
            pick: None,
        }
    }

    /// Takes the next revision; returns the live snapshot of the period
    /// that this revision's period ends, if any.
    fn push(
        &mut self,
        start_day: i32,
        end_day: i32,
        value: Option<f64>,
        recorded_at: i64,
    ) -> Option<Observation> {
        let done = if self.period != Some((start_day, end_day)) {
            let done = self.finish();
            self.period = Some((start_day, end_day));
            done
        } else {
            None
        };
        if self.asof.is_none_or(|t| recorded_at <= t) {
            // Going up, later revisions replace earlier ones; going down,
            // the first one seen is the latest.
            if self.direction == Direction::Up || self.pick.is_none() {
                self.pick = Some(value);
            }
        }
        done
    }

    /// The live snapshot of the period read last, if any.
    fn finish(&mut self) -> Option<Observation> {
        let (start_day, end_day) = self.period.take()?;
        let value = self.pick.take()??;
        Some(Observation {
            start_day,
            end_day,
            value,
        })
    }
}

/// One series' revisions within a range of start days, in either order.
macro_rules! scan_sql {
    ($order:literal) => {
        concat!(
            "SELECT start_day, end_day, value, recorded_at FROM snapshot
             WHERE series_id = ?1 AND start_day >= ?2 AND start_day < ?3 ORDER BY ",
            $order
        )
    };
}
const SCAN_UP: &str = scan_sql!("start_day, end_day, revision");
const SCAN_DOWN: &str = scan_sql!("start_day DESC, end_day DESC, revision DESC");

fn revision_row(row: &rusqlite::Row) -> rusqlite::Result<RevisionRow> {
    Ok(RevisionRow {
        start_day: row.get(0)?,
        end_day: row.get(1)?,
        revision: row.get(2)?,
        value: row.get(3)?,
        recorded_at: row.get(4)?,
        source: row.get(5)?,
        note: row.get(6)?,
        current: false,
    })
}

impl Store {
    /// Feeds the live snapshots of a series to `visit`, reading revisions
    /// whose start day is in `[low, high)` in the given direction, until
    /// `visit` returns false.
    fn scan(
        &self,
        series: SeriesId,
        (low, high): (i32, i32),
        direction: Direction,
        asof: Option<i64>,
        mut visit: impl FnMut(Observation) -> bool,
    ) -> Result<()> {
        let sql = match direction {
            Direction::Up => SCAN_UP,
            Direction::Down => SCAN_DOWN,
        };
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query(params![series, low, high])?;
        let mut live = LiveScan::new(asof, direction);
        while let Some(row) = rows.next()? {
            if let Some(observation) = live.push(row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)
                && !visit(observation)
            {
                return Ok(());
            }
        }
        if let Some(observation) = live.finish() {
            visit(observation);
        }
        Ok(())
    }

    fn collect(
        &self,
        series: SeriesId,
        range: (i32, i32),
        asof: Option<i64>,
        keep: impl Fn(&Observation) -> bool,
    ) -> Result<Vec<Observation>> {
        let mut found = Vec::new();
        self.scan(series, range, Direction::Up, asof, |obs| {
            if keep(&obs) {
                found.push(obs);
            }
            true
        })?;
        Ok(found)
    }

    /// The live snapshot ending last among those the scan from `before`
    /// downwards finds (the shortest of those ending then), considering
    /// only those ending on or before `by`.
    fn last_ending(
        &self,
        series: &SeriesRow,
        before: i32,
        by: i32,
        asof: Option<i64>,
    ) -> Result<Option<Observation>> {
        let mut best: Option<Observation> = None;
        self.scan(
            series.id,
            (i32::MIN, before),
            Direction::Down,
            asof,
            |obs| {
                if let Some(b) = best
                    && i64::from(obs.start_day) + i64::from(series.max_days) < i64::from(b.end_day)
                {
                    // It and everything before it end earlier than `best`.
                    return false;
                }
                let better =
                    best.is_none_or(|b| (obs.end_day, obs.start_day) > (b.end_day, b.start_day));
                if obs.end_day <= by && better {
                    best = Some(obs);
                }
                true
            },
        )?;
        Ok(best)
    }

    pub(super) fn labels_of(&self, series: SeriesId) -> Result<LabelSet> {
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

    /// Every series of a metric with its labels, in one query, ordered by
    /// label values in key order compared as plain text (the canonical
    /// name's quotes would put `"New Zealand"` before `Australia`).
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
                    labels: LabelSet::new(),
                    max_days: row.get(3)?,
                });
            }
            let label: Option<(String, String)> = match row.get::<_, Option<String>>(4)? {
                Some(key) => Some((key, row.get(5)?)),
                None => None,
            };
            if let (Some((key, value)), Some(last)) = (label, series.last_mut()) {
                last.labels.insert(key, value);
            }
        }
        // Label sets compare key by key, keys then values, as text; the
        // total (no labels) comes first.
        series.sort_by(|a, b| a.labels.cmp(&b.labels));
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
        asof: Option<i64>,
    ) -> Result<Vec<Observation>> {
        let low = start_day.saturating_sub(series.max_days.saturating_sub(1));
        self.collect(series.id, (low, end_day), asof, |obs| {
            obs.end_day > start_day
        })
    }

    /// The live snapshot ending last on or before `day` (the shortest of
    /// those ending then).
    pub fn latest_ending_by(
        &self,
        series: &SeriesRow,
        day: i32,
        asof: Option<i64>,
    ) -> Result<Option<Observation>> {
        self.last_ending(series, day, day, asof)
    }

    /// The live snapshot that starts first (the shortest of those starting then).
    pub fn earliest(&self, series: SeriesId, asof: Option<i64>) -> Result<Option<Observation>> {
        let mut first = None;
        self.scan(series, (i32::MIN, i32::MAX), Direction::Up, asof, |obs| {
            first = Some(obs);
            false
        })?;
        Ok(first)
    }

    /// The live snapshot that ends last (the shortest of those ending then).
    pub fn latest(&self, series: &SeriesRow, asof: Option<i64>) -> Result<Option<Observation>> {
        self.last_ending(series, i32::MAX, i32::MAX, asof)
    }

    /// Live snapshots lying wholly within `[from_day, to_day)`, by start.
    pub fn snapshots_within(
        &self,
        series: SeriesId,
        from_day: i32,
        to_day: i32,
        asof: Option<i64>,
    ) -> Result<Vec<Observation>> {
        self.collect(series, (from_day, to_day), asof, |obs| {
            obs.end_day <= to_day
        })
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
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT start_day, end_day, revision, value, recorded_at, source, note
                 FROM snapshot
                 WHERE series_id = ?1 AND (?2 IS NULL OR (start_day = ?2 AND end_day = ?3))
                 ORDER BY start_day, end_day, revision",
            )
            .map_err(StoreError::from)?;
        let (start, end) = period.unzip();
        let mut rows = stmt
            .query(params![series, start, end])
            .map_err(StoreError::from)?;
        // A revision is current when it is the last of its period and not a
        // deletion, which shows once the next row (or the end) is read.
        let mut held: Option<RevisionRow> = None;
        loop {
            let next = rows
                .next()
                .map_err(StoreError::from)?
                .map(revision_row)
                .transpose()
                .map_err(StoreError::from)?;
            if let Some(mut previous) = held.take() {
                let last = next.as_ref().is_none_or(|n| {
                    (n.start_day, n.end_day) != (previous.start_day, previous.end_day)
                });
                previous.current = last && previous.value.is_some();
                if previous.current || !only_current {
                    f(previous)?;
                }
            }
            match next {
                Some(row) => held = Some(row),
                None => return Ok(()),
            }
        }
    }

    /// One revision of a snapshot, if recorded (`current` is not set).
    pub fn revision(
        &self,
        series: SeriesId,
        start_day: i32,
        end_day: i32,
        revision: i64,
    ) -> Result<Option<RevisionRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT start_day, end_day, revision, value, recorded_at, source, note FROM snapshot
             WHERE series_id = ?1 AND start_day = ?2 AND end_day = ?3 AND revision = ?4",
        )?;
        Ok(stmt
            .query_row(params![series, start_day, end_day, revision], revision_row)
            .optional()?)
    }

    /// How many series and live snapshots a metric has, and their span.
    pub fn metric_stats(&self, metric: MetricId) -> Result<MetricStats> {
        let all = self.series_of_metric(metric)?;
        let mut stats = MetricStats {
            series: all.len() as i64,
            ..MetricStats::default()
        };
        for s in all {
            self.scan(s.id, (i32::MIN, i32::MAX), Direction::Up, None, |obs| {
                stats.snapshots += 1;
                let period = (obs.start_day, obs.end_day);
                if stats.first.is_none_or(|f| period < f) {
                    stats.first = Some(period);
                }
                if stats.last.is_none_or(|l| (period.1, period.0) > (l.1, l.0)) {
                    stats.last = Some(period);
                }
                true
            })?;
        }
        Ok(stats)
    }
}
