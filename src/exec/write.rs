//! Data commands: `metric`, `insert`, `revise`, `delete`.
use crate::core::command::{MetricDef, PeriodArg, Write};
use crate::core::labels::SeriesKey;
use crate::core::period::Period;
use crate::store::{MetricRow, SeriesId, SeriesRow};

use super::{ExecError, Executor, Outcome, Result};

impl Executor {
    pub(super) fn define_metric(&mut self, def: &MetricDef) -> Result<Outcome> {
        let kind = def.kind;
        let unit = def.unit.as_deref();
        let description = def.description.as_deref();
        let note = if def.is_pattern() {
            let matching = self.store.metrics_matching(Some(&def.name))?;
            if matching.is_empty() {
                return Err(ExecError::NoMetricMatches(def.name.clone()));
            }
            for metric in &matching {
                self.store
                    .update_metric(metric.id, kind, unit, description)?;
                self.metrics.remove(&metric.name);
            }
            let count = matching.len();
            let plural = if count == 1 { "" } else { "s" };
            format!("updated {count} metric{plural} matching {}", def.name)
        } else {
            match self.store.metric(&def.name)? {
                Some(existing) => {
                    self.store
                        .update_metric(existing.id, kind, unit, description)?;
                    format!("updated metric {}", def.name)
                }
                None => {
                    self.store
                        .create_metric(&def.name, kind, unit, description)?;
                    format!("defined metric {}", def.name)
                }
            }
        };
        self.metrics.remove(&def.name);
        Ok(Outcome {
            rows: None,
            notes: vec![note],
            chart: None,
        })
    }

    /// `insert`, of `period`: the days of `write.period`. `known` is the
    /// series of its one value, when the caller found it cached.
    pub(super) fn insert(
        &mut self,
        write: &Write,
        period: &Period,
        now: i64,
        known: Option<Slot>,
    ) -> Result<Outcome> {
        let mut notes = Vec::new();
        let (mut inserted, mut unchanged) = (0, 0);
        for (key, value) in &write.values {
            let mut series = match known {
                Some(slot) if write.values.len() == 1 => slot,
                _ => self.series_for_writing(key, period.days(), &mut notes)?,
            };
            let new = self.insert_value(
                key,
                &mut series,
                period,
                *value,
                write.source.as_deref(),
                write.note.as_deref(),
                now,
            )?;
            if new {
                inserted += 1;
            } else {
                unchanged += 1;
            }
        }
        if self.confirmations {
            notes.push(summary(
                &write.period as &dyn std::fmt::Display,
                &[("inserted", inserted), ("unchanged", unchanged)],
            ));
        }
        Ok(Outcome {
            rows: None,
            notes,
            chart: None,
        })
    }

    /// Records one value as `insert` does: true when it is new, false when
    /// the same value is already current, an error when another value is.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn insert_value(
        &mut self,
        key: &SeriesKey,
        series: &mut Slot,
        period: &Period,
        value: f64,
        source: Option<&str>,
        note: Option<&str>,
        now: i64,
    ) -> Result<bool> {
        let (start, end) = (period.start_day(), period.end_day());
        // A new snapshot is written without looking first; only when one is
        // already there is it read. After such a conflict the next rows are
        // read first, as a re-import of rows already recorded would otherwise
        // pay for a failed write on each of them.
        if !self.probe_first {
            self.widen(key, series, period.days())?;
            if self
                .store
                .add_first_revision(series.id, start, end, value, now, source, note)?
            {
                return Ok(true);
            }
            self.probe_first = true;
        }
        let latest = self.store.latest_revision(series.id, start, end)?;
        self.probe_first = latest.is_some();
        match latest {
            Some((Some(recorded), _)) if recorded == value => Ok(false),
            Some((Some(recorded), revision)) => Err(ExecError::Conflict {
                series: key.to_string(),
                recorded: crate::core::value::format_value(recorded),
                period: *period,
                revision,
            }),
            // New, or deleted before: the next revision. The bound on period
            // lengths widens first: left wider by a failed insert, it is
            // still a true bound, so the insert itself is the last write.
            _ => {
                self.widen(key, series, period.days())?;
                let revision = latest.map_or(1, |(_, revision)| revision + 1);
                self.store.add_revision(
                    series.id,
                    start,
                    end,
                    revision,
                    Some(value),
                    now,
                    source,
                    note,
                )?;
                Ok(true)
            }
        }
    }

    /// Records that a series now holds a period of `days` days.
    pub(super) fn widen(&mut self, key: &SeriesKey, series: &mut Slot, days: i32) -> Result<()> {
        if days > series.max_days {
            self.store
                .note_period_length(series.id, &mut series.max_days, days)?;
            if let Some(cached) = self.series.get_mut(key) {
                *cached = *series;
            }
        }
        Ok(())
    }

    /// `revise`, of `period`: the days of `write.period`.
    pub(super) fn revise(&mut self, write: &Write, period: &Period, now: i64) -> Result<Outcome> {
        let (mut revised, mut unchanged) = (0, 0);
        for (key, value) in &write.values {
            let (series, current) = self.current_snapshot(key, period, "revise", "insert")?;
            if current.0 == *value {
                unchanged += 1;
                continue;
            }
            let (start, end) = (period.start_day(), period.end_day());
            self.store.add_revision(
                series.id,
                start,
                end,
                current.1 + 1,
                Some(*value),
                now,
                write.source.as_deref(),
                write.note.as_deref(),
            )?;
            revised += 1;
        }
        let note = summary(
            &write.period as &dyn std::fmt::Display,
            &[("revised", revised), ("unchanged", unchanged)],
        );
        Ok(Outcome {
            rows: None,
            notes: vec![note],
            chart: None,
        })
    }

    /// `delete`, of `period`: the days of `asked`.
    pub(super) fn delete(
        &mut self,
        key: &SeriesKey,
        period: &Period,
        asked: &PeriodArg,
        now: i64,
    ) -> Result<Outcome> {
        let (series, current) = self.current_snapshot(key, period, "delete", "history")?;
        let (start, end) = (period.start_day(), period.end_day());
        self.store
            .add_revision(series.id, start, end, current.1 + 1, None, now, None, None)?;
        Ok(Outcome {
            rows: None,
            notes: vec![format!("deleted {key} for {asked}")],
            chart: None,
        })
    }

    /// The live snapshot that `revise` or `delete` acts on, or an error
    /// pointing to `hint`.
    fn current_snapshot(
        &mut self,
        key: &SeriesKey,
        period: &Period,
        verb: &'static str,
        hint: &'static str,
    ) -> Result<(SeriesRow, (f64, i64))> {
        let name = key.to_string();
        let missing = || ExecError::NoSnapshot {
            series: name.clone(),
            period: *period,
            verb,
            hint,
        };
        let Some(series) = self.store.series_by_name(&name)? else {
            return Err(missing());
        };
        match self
            .store
            .latest_revision(series.id, period.start_day(), period.end_day())?
        {
            Some((Some(value), revision)) => Ok((series, (value, revision))),
            _ => Err(missing()),
        }
    }

    /// The series to write to, creating it (and its metric, without a kind)
    /// when new, to hold periods of `days` days (the one about to be
    /// written, or 0).
    pub(super) fn series_for_writing(
        &mut self,
        key: &SeriesKey,
        days: i32,
        notes: &mut Vec<String>,
    ) -> Result<Slot> {
        if let Some(series) = self.series.get(key) {
            return Ok(*series);
        }
        let name = key.to_string();
        let slot = match self.store.series_by_name(&name)? {
            Some(series) => Slot::of(&series),
            None => {
                let metric = self.metric_for_writing(&key.metric, notes)?;
                Slot::of(
                    &self
                        .store
                        .create_series(metric.id, &name, &key.labels, days)?,
                )
            }
        };
        // A bounded cache: importing a million series must not hold them
        // all (the store has each one, and finds it again by name).
        if self.series.len() >= SERIES_CACHE {
            self.series.clear();
        }
        self.series.insert(key.clone(), slot);
        Ok(slot)
    }

    fn metric_for_writing(&mut self, name: &str, notes: &mut Vec<String>) -> Result<MetricRow> {
        if let Some(metric) = self.metrics.get(name) {
            return Ok(metric.clone());
        }
        let metric = match self.store.metric(name)? {
            Some(metric) => metric,
            None => {
                notes.push(format!(
                    "created metric {name} without a kind; set one with: metric {name} kind=stock|flow|average|ratio|distinct"
                ));
                self.store.create_metric(name, None, None, None)?
            }
        };
        self.metrics.insert(name.to_string(), metric.clone());
        Ok(metric)
    }
}

/// "2024-05: inserted 2, unchanged 1", leaving out zero counts.
fn summary(period: &dyn std::fmt::Display, counts: &[(&str, usize)]) -> String {
    let parts: Vec<String> = counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(what, n)| format!("{what} {n}"))
        .collect();
    format!("{period}: {}", parts.join(", "))
}

/// Series kept in the session's cache at most. Each entry holds a parsed
/// name (its labels in a map of their own): at 16,384 entries, with an
/// import's own cache of parsed names as it was, they took about 25 MB,
/// which with SQLite's 32 MB page cache put an import of a million series
/// past 64 MB. An import now keeps series by their text (`seen.rs`).
pub(super) const SERIES_CACHE: usize = 4_096;

/// What the write path keeps of a series: its id and longest period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Slot {
    pub id: SeriesId,
    pub max_days: i32,
}

impl Slot {
    fn of(series: &SeriesRow) -> Slot {
        Slot {
            id: series.id,
            max_days: series.max_days,
        }
    }
}
