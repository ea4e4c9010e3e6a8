//! Metrics, series, snapshots and their revisions, and the calendar, in
//! PostgreSQL: the same rows and answers as the SQLite store's.
//!
//! New metrics and series take the next id after the highest, as SQLite's
//! rowids do, which the write lock makes safe: both stores number alike.
//! A live snapshot is the latest revision of its period recorded by the
//! time asked for, unless a deletion: `DISTINCT ON` picks it.
use postgres::Row;
use postgres::fallible_iterator::FallibleIterator;

use super::{Store, store_error};
use crate::core::command::Kind;
use crate::core::labels::LabelSet;
use crate::core::period::{FiscalCalendar, FiscalLabel};
use crate::store::{
    MetricId, MetricRow, MetricStats, Observation, Result, RevisionRow, SeriesId, SeriesRow,
    StoreError,
};

/// The live snapshots of one series whose start day is in `[$2, $3)`, as
/// of `$4` (every revision when NULL), by period.
const LIVE: &str = "SELECT start_day, end_day, value FROM (
       SELECT DISTINCT ON (start_day, end_day) start_day, end_day, value
       FROM snapshot
       WHERE series_id = $1 AND start_day >= $2 AND start_day < $3
         AND ($4::bigint IS NULL OR recorded_at <= $4)
       ORDER BY start_day, end_day, revision DESC) live
     WHERE value IS NOT NULL ORDER BY start_day, end_day";

/// The live snapshot of one series ending last on or before `$2` (the
/// shortest of those ending then), as of `$3`.
const LAST_ENDING: &str = "SELECT start_day, end_day, value FROM (
       SELECT DISTINCT ON (start_day, end_day) start_day, end_day, value
       FROM snapshot
       WHERE series_id = $1 AND end_day <= $2
         AND ($3::bigint IS NULL OR recorded_at <= $3)
       ORDER BY start_day, end_day, revision DESC) live
     WHERE value IS NOT NULL ORDER BY end_day DESC, start_day DESC LIMIT 1";

const REVISIONS: &str =
    "SELECT start_day, end_day, revision, value, recorded_at, source, note FROM snapshot
     WHERE series_id = $1 AND ($2::integer IS NULL OR (start_day = $2 AND end_day = $3))
     ORDER BY start_day, end_day, revision";

fn observation(row: &Row) -> Observation {
    Observation {
        start_day: row.get(0),
        end_day: row.get(1),
        value: row.get(2),
    }
}

fn revision_row(row: &Row) -> RevisionRow {
    RevisionRow {
        start_day: row.get(0),
        end_day: row.get(1),
        revision: row.get(2),
        value: row.get(3),
        recorded_at: row.get(4),
        source: row.get(5),
        note: row.get(6),
        current: false,
    }
}

fn metric_row(row: &Row) -> Result<MetricRow> {
    let kind: Option<String> = row.get(2);
    let kind = match kind {
        // The schema allows only the kinds' names.
        Some(name) => Some(
            Kind::parse(&name)
                .ok_or_else(|| StoreError::Postgres(format!("unknown metric kind {name:?}")))?,
        ),
        None => None,
    };
    Ok(MetricRow {
        id: row.get(0),
        name: row.get(1),
        kind,
        unit: row.get(3),
        description: row.get(4),
    })
}

/// A `*` pattern (SQLite's GLOB, as the SQLite store matches) as a LIKE
/// pattern with `\` escaping.
fn like_pattern(glob: &str) -> String {
    let mut like = String::with_capacity(glob.len());
    for c in glob.chars() {
        match c {
            '*' => like.push('%'),
            '?' => like.push('_'),
            '%' | '_' | '\\' => {
                like.push('\\');
                like.push(c);
            }
            c => like.push(c),
        }
    }
    like
}

impl Store {
    pub fn metric(&self, name: &str) -> Result<Option<MetricRow>> {
        self.query_opt(
            "SELECT id, name, kind, unit, description FROM metric WHERE name = $1",
            &[&name],
        )?
        .as_ref()
        .map(metric_row)
        .transpose()
    }

    pub fn metrics_matching(&self, pattern: Option<&str>) -> Result<Vec<MetricRow>> {
        let like = pattern.map(like_pattern);
        self.query(
            "SELECT id, name, kind, unit, description FROM metric
             WHERE $1::text IS NULL OR name LIKE $1 ORDER BY name",
            &[&like],
        )?
        .iter()
        .map(metric_row)
        .collect()
    }

    pub fn create_metric(
        &self,
        name: &str,
        kind: Option<Kind>,
        unit: Option<&str>,
        description: Option<&str>,
    ) -> Result<MetricRow> {
        self.require_writable("metric")?;
        let row = self.query_one(
            "INSERT INTO metric (id, name, kind, unit, description)
             VALUES ((SELECT coalesce(max(id), 0) + 1 FROM metric), $1, $2, $3, $4)
             RETURNING id",
            &[&name, &kind.map(Kind::name), &unit, &description],
        )?;
        Ok(MetricRow {
            id: row.get(0),
            name: name.to_string(),
            kind,
            unit: unit.map(str::to_string),
            description: description.map(str::to_string),
        })
    }

    pub fn update_metric(
        &self,
        id: MetricId,
        kind: Option<Kind>,
        unit: Option<&str>,
        description: Option<&str>,
    ) -> Result<()> {
        self.require_writable("metric")?;
        self.execute(
            "UPDATE metric SET kind = coalesce($2, kind), unit = coalesce($3, unit),
                    description = coalesce($4, description)
             WHERE id = $1",
            &[&id, &kind.map(Kind::name), &unit, &description],
        )?;
        Ok(())
    }

    pub fn metric_stats(&self, metric: MetricId) -> Result<MetricStats> {
        let series = self.query_one(
            "SELECT count(*) FROM series WHERE metric_id = $1",
            &[&metric],
        )?;
        let mut stats = MetricStats {
            series: series.get(0),
            ..MetricStats::default()
        };
        let live = self.query(
            "SELECT start_day, end_day FROM (
               SELECT DISTINCT ON (series_id, start_day, end_day) start_day, end_day, value
               FROM snapshot WHERE series_id IN (SELECT id FROM series WHERE metric_id = $1)
               ORDER BY series_id, start_day, end_day, revision DESC) live
             WHERE value IS NOT NULL",
            &[&metric],
        )?;
        for row in live {
            let period: (i32, i32) = (row.get(0), row.get(1));
            stats.snapshots += 1;
            if stats.first.is_none_or(|f| period < f) {
                stats.first = Some(period);
            }
            if stats.last.is_none_or(|l| (period.1, period.0) > (l.1, l.0)) {
                stats.last = Some(period);
            }
        }
        Ok(stats)
    }

    pub fn series_by_name(&self, name: &str) -> Result<Option<SeriesRow>> {
        let Some(row) = self.query_opt(
            "SELECT id, metric_id, name, max_days FROM series WHERE name = $1",
            &[&name],
        )?
        else {
            return Ok(None);
        };
        let id: SeriesId = row.get(0);
        let labels = self
            .query(
                "SELECT key, value FROM series_label WHERE series_id = $1 ORDER BY key",
                &[&id],
            )?
            .iter()
            .map(|label| (label.get(0), label.get(1)))
            .collect();
        Ok(Some(SeriesRow {
            id,
            metric_id: row.get(1),
            name: row.get(2),
            labels,
            max_days: row.get(3),
        }))
    }

    pub fn series_of_metric(&self, metric: MetricId) -> Result<Vec<SeriesRow>> {
        let rows = self.query(
            "SELECT s.id, s.metric_id, s.name, s.max_days, l.key, l.value
             FROM series s LEFT JOIN series_label l ON l.series_id = s.id
             WHERE s.metric_id = $1 ORDER BY s.name, l.key",
            &[&metric],
        )?;
        let mut series: Vec<SeriesRow> = Vec::new();
        for row in rows {
            let id: SeriesId = row.get(0);
            if series.last().is_none_or(|s| s.id != id) {
                series.push(SeriesRow {
                    id,
                    metric_id: row.get(1),
                    name: row.get(2),
                    labels: LabelSet::new(),
                    max_days: row.get(3),
                });
            }
            let key: Option<String> = row.get(4);
            if let (Some(key), Some(last)) = (key, series.last_mut()) {
                last.labels.insert(key, row.get::<_, String>(5));
            }
        }
        series.sort_by(|a, b| a.labels.cmp(&b.labels));
        Ok(series)
    }

    pub fn create_series(
        &self,
        metric_id: MetricId,
        name: &str,
        labels: &LabelSet,
        max_days: i32,
    ) -> Result<SeriesRow> {
        self.require_writable("insert")?;
        // The series and its labels in one round trip: an import of a
        // file naming thousands of series makes each of them.
        let (keys, values): (Vec<&str>, Vec<&str>) = labels.iter().unzip();
        let id: SeriesId = self
            .query_one(
                "WITH made AS (
                     INSERT INTO series (id, metric_id, name, max_days)
                     VALUES ((SELECT coalesce(max(id), 0) + 1 FROM series), $1, $2, $5)
                     RETURNING id
                 ), labelled AS (
                     INSERT INTO series_label (series_id, key, value)
                     SELECT made.id, l.key, l.value
                     FROM made, unnest($3::text[], $4::text[]) AS l (key, value)
                 )
                 SELECT id FROM made",
                &[&metric_id, &name, &keys, &values, &max_days],
            )?
            .get(0);
        Ok(SeriesRow {
            id,
            metric_id,
            name: name.to_string(),
            labels: labels.clone(),
            max_days,
        })
    }

    pub fn note_period_length(
        &self,
        series: SeriesId,
        max_days: &mut i32,
        days: i32,
    ) -> Result<()> {
        if days > *max_days {
            self.execute(
                "UPDATE series SET max_days = $2 WHERE id = $1 AND max_days < $2",
                &[&series, &days],
            )?;
            *max_days = days;
        }
        Ok(())
    }

    fn live(
        &self,
        series: SeriesId,
        (low, high): (i32, i32),
        asof: Option<i64>,
    ) -> Result<Vec<Observation>> {
        Ok(self
            .query(LIVE, &[&series, &low, &high, &asof])?
            .iter()
            .map(observation)
            .collect())
    }

    pub fn overlapping(
        &self,
        series: &SeriesRow,
        start_day: i32,
        end_day: i32,
        asof: Option<i64>,
    ) -> Result<Vec<Observation>> {
        let low = start_day.saturating_sub(series.max_days.saturating_sub(1));
        let mut found = self.live(series.id, (low, end_day), asof)?;
        found.retain(|obs| obs.end_day > start_day);
        Ok(found)
    }

    pub fn latest_ending_by(
        &self,
        series: &SeriesRow,
        day: i32,
        asof: Option<i64>,
    ) -> Result<Option<Observation>> {
        Ok(self
            .query_opt(LAST_ENDING, &[&series.id, &day, &asof])?
            .as_ref()
            .map(observation))
    }

    pub fn earliest(&self, series: SeriesId, asof: Option<i64>) -> Result<Option<Observation>> {
        Ok(self
            .query_opt(
                "SELECT start_day, end_day, value FROM (
                   SELECT DISTINCT ON (start_day, end_day) start_day, end_day, value
                   FROM snapshot WHERE series_id = $1 AND ($2::bigint IS NULL OR recorded_at <= $2)
                   ORDER BY start_day, end_day, revision DESC) live
                 WHERE value IS NOT NULL ORDER BY start_day, end_day LIMIT 1",
                &[&series, &asof],
            )?
            .as_ref()
            .map(observation))
    }

    pub fn latest(&self, series: &SeriesRow, asof: Option<i64>) -> Result<Option<Observation>> {
        self.latest_ending_by(series, i32::MAX, asof)
    }

    pub fn snapshots_within(
        &self,
        series: SeriesId,
        from_day: i32,
        to_day: i32,
        asof: Option<i64>,
    ) -> Result<Vec<Observation>> {
        let mut found = self.live(series, (from_day, to_day), asof)?;
        found.retain(|obs| obs.end_day <= to_day);
        Ok(found)
    }

    pub fn latest_revision(
        &self,
        series: SeriesId,
        start_day: i32,
        end_day: i32,
    ) -> Result<Option<(Option<f64>, i64)>> {
        Ok(self
            .query_opt(
                "SELECT value, revision FROM snapshot
                 WHERE series_id = $1 AND start_day = $2 AND end_day = $3
                 ORDER BY revision DESC LIMIT 1",
                &[&series, &start_day, &end_day],
            )?
            .map(|row| (row.get(0), row.get(1))))
    }

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
        let added = self.execute(
            "INSERT INTO snapshot
               (series_id, start_day, end_day, revision, value, recorded_at, source, note)
             VALUES ($1, $2, $3, 1, $4, $5, $6, $7)
             ON CONFLICT DO NOTHING",
            &[
                &series,
                &start_day,
                &end_day,
                &value,
                &recorded_at,
                &source,
                &note,
            ],
        )?;
        Ok(added == 1)
    }

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
        self.execute(
            "INSERT INTO snapshot
               (series_id, start_day, end_day, revision, value, recorded_at, source, note)
             VALUES ($1::bigint, $2::integer, $3::integer, $4::bigint, $5,
               greatest($6::bigint, coalesce((SELECT recorded_at + 1 FROM snapshot
                 WHERE series_id = $1 AND start_day = $2 AND end_day = $3
                   AND revision = $4 - 1), $6)),
               $7, $8)",
            &[
                &series,
                &start_day,
                &end_day,
                &revision,
                &value,
                &recorded_at,
                &source,
                &note,
            ],
        )?;
        Ok(())
    }

    pub fn revision(
        &self,
        series: SeriesId,
        start_day: i32,
        end_day: i32,
        revision: i64,
    ) -> Result<Option<RevisionRow>> {
        Ok(self
            .query_opt(
                "SELECT start_day, end_day, revision, value, recorded_at, source, note FROM snapshot
                 WHERE series_id = $1 AND start_day = $2 AND end_day = $3 AND revision = $4",
                &[&series, &start_day, &end_day, &revision],
            )?
            .as_ref()
            .map(revision_row))
    }

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

    /// Streams the revisions as the server sends them: memory does not
    /// grow with the series. `f` must not use the store.
    pub fn for_each_revision<E: From<StoreError>>(
        &self,
        series: SeriesId,
        period: Option<(i32, i32)>,
        only_current: bool,
        mut f: impl FnMut(RevisionRow) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let statement = self.statement(REVISIONS)?;
        let (start, end) = period.unzip();
        let params: [&(dyn postgres::types::ToSql + Sync); 3] = [&series, &start, &end];
        let mut client = self.client();
        let mut rows = client
            .query_raw(&statement, params)
            .map_err(|e| E::from(store_error(e)))?;
        // A revision is current when it is the last of its period and not a
        // deletion, which shows once the next row (or the end) is read.
        let mut held: Option<RevisionRow> = None;
        loop {
            let next = rows
                .next()
                .map_err(|e| E::from(store_error(e)))?
                .as_ref()
                .map(revision_row);
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

    pub fn fiscal_calendar(&self) -> Result<FiscalCalendar> {
        let Some(row) = self.query_opt(
            "SELECT fiscal_year_start, fiscal_year_label FROM calendar WHERE id = 1",
            &[],
        )?
        else {
            return Ok(FiscalCalendar::default());
        };
        let (start, label): (i32, String) = (row.get(0), row.get(1));
        let calendar = i8::try_from(start)
            .ok()
            .zip(FiscalLabel::parse(&label))
            .and_then(|(start, label)| FiscalCalendar::new(start, label));
        calendar.ok_or_else(|| StoreError::Damaged {
            path: "the store".into(),
            reason: format!(
                "its calendar row holds fiscal_year_start={start}, fiscal_year_label={label}"
            ),
        })
    }

    pub fn set_fiscal_calendar(&self, calendar: FiscalCalendar) -> Result<()> {
        self.execute(
            "INSERT INTO calendar (id, fiscal_year_start, fiscal_year_label) VALUES (1, $1, $2)
             ON CONFLICT (id) DO UPDATE SET fiscal_year_start = excluded.fiscal_year_start,
                                            fiscal_year_label = excluded.fiscal_year_label",
            &[&i32::from(calendar.start_month()), &calendar.label.name()],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn globs_become_like_patterns() {
        assert_eq!(like_pattern("gmv*"), "gmv%");
        assert_eq!(like_pattern("a_b?%"), "a\\_b_\\%");
    }
}
