//! Which recorded series a selector names.
use std::collections::BTreeMap;

use crate::core::command::{Kind, Selector};
use crate::core::labels::SeriesKey;
use crate::core::suggest::closest;
use crate::store::{MetricRow, SeriesRow};

use super::error::{NoMatch, NoMatchReason};
use super::{ExecError, Executor, Result};

/// One segment of `by KEY`: a recorded series split by KEY alone, or the
/// sum of the series that carry one value of KEY among other labels.
pub(super) enum Segment {
    Series(SeriesRow),
    Sum {
        /// The canonical name of the segment: the selector's labels plus KEY.
        name: String,
        series: Vec<SeriesRow>,
    },
}

/// What `SELECTOR by KEY` breaks one metric into.
pub(super) struct Breakdown {
    pub metric: MetricRow,
    pub segments: Vec<Segment>,
    /// The recorded series with exactly the selector's labels, if any.
    pub total: Option<SeriesRow>,
}

/// A metric with the series of it that a selector picked.
pub(super) struct Selected {
    pub metric: MetricRow,
    pub series: Vec<SeriesRow>,
}

impl Executor {
    /// The metrics a selector names: one by name, or all matching a pattern.
    fn selected_metrics(&self, selector: &Selector) -> Result<Vec<MetricRow>> {
        if selector.is_pattern() {
            Ok(self.store.metrics_matching(Some(&selector.metric))?)
        } else {
            Ok(self.store.metric(&selector.metric)?.into_iter().collect())
        }
    }

    /// Series picked by a selector: exactly the named series, or for a
    /// pattern every series of the matching metrics that carries the labels.
    pub(super) fn select(&self, selector: &Selector) -> Result<Vec<Selected>> {
        if !selector.more.is_empty() {
            return self.select_each(selector);
        }
        if !selector.is_pattern() {
            // One series by name: a single index probe, however many
            // series the metric has.
            let name = selector.to_string();
            if let (Some(metric), Some(series)) = (
                self.store.metric(&selector.metric)?,
                self.store.series_by_name(&name)?,
            ) {
                return Ok(vec![Selected {
                    metric,
                    series: vec![series],
                }]);
            }
            let metrics = self.selected_metrics(selector)?;
            return Err(ExecError::NothingMatches(
                self.nothing_matches(selector, &metrics)?,
            ));
        }
        let metrics = self.selected_metrics(selector)?;
        let mut picked = Vec::new();
        for metric in &metrics {
            let series: Vec<SeriesRow> = self
                .store
                .series_of_metric(metric.id)?
                .into_iter()
                .filter(|s| selector.labels.matches(&s.labels))
                .collect();
            if !series.is_empty() {
                picked.push(Selected {
                    metric: metric.clone(),
                    series,
                });
            }
        }
        if picked.is_empty() {
            return Err(ExecError::NothingMatches(
                self.nothing_matches(selector, &metrics)?,
            ));
        }
        Ok(picked)
    }

    /// Calls `each` with every series a selector picks, in the order rows
    /// take, until it returns false. A pattern's metrics are read one
    /// series at a time, so that a metric of millions of series is never
    /// held whole.
    pub(super) fn each_selected(
        &self,
        selector: &Selector,
        each: &mut dyn FnMut(&MetricRow, SeriesRow) -> Result<bool>,
    ) -> Result<()> {
        if !selector.more.is_empty() || !selector.is_pattern() {
            for Selected { metric, series } in self.select(selector)? {
                for s in series {
                    if !each(&metric, s)? {
                        return Ok(());
                    }
                }
            }
            return Ok(());
        }
        let metrics = self.selected_metrics(selector)?;
        let mut any = false;
        for metric in &metrics {
            let mut more = true;
            self.store.each_series_of_metric(metric.id, |s| {
                if !selector.labels.matches(&s.labels) {
                    return Ok(true);
                }
                any = true;
                more = each(metric, s)?;
                Ok::<_, ExecError>(more)
            })?;
            if !more {
                return Ok(());
            }
        }
        if !any {
            return Err(ExecError::NothingMatches(
                self.nothing_matches(selector, &metrics)?,
            ));
        }
        Ok(())
    }

    /// Series picked by a list of selectors: each must pick something; a
    /// series picked twice counts once, and the series of one metric
    /// keep their order.
    fn select_each(&self, selector: &Selector) -> Result<Vec<Selected>> {
        let mut picked: Vec<Selected> = Vec::new();
        for one in selector.each() {
            for Selected { metric, series } in self.select(&one)? {
                let at = match picked.iter().position(|p| p.metric.id == metric.id) {
                    Some(at) => at,
                    None => {
                        picked.push(Selected {
                            metric,
                            series: Vec::new(),
                        });
                        picked.len() - 1
                    }
                };
                for s in series {
                    if !picked[at].series.iter().any(|p| p.id == s.id) {
                        picked[at].series.push(s);
                    }
                }
            }
        }
        // The order rows always take: by metric, then by labels as text.
        picked.sort_by(|a, b| a.metric.name.cmp(&b.metric.name));
        for p in &mut picked {
            p.series.sort_by(|a, b| a.labels.cmp(&b.labels));
        }
        Ok(picked)
    }

    /// Series picked by `SELECTOR by KEY`, per metric: the segments (the
    /// selector's labels plus KEY) and the recorded total, if any. When no
    /// series of a metric is split by KEY alone, the series that carry KEY
    /// among other labels are summed within each value of KEY (a roll-up),
    /// for the kinds whose values add up.
    pub(super) fn select_by(&self, selector: &Selector, key: &str) -> Result<Vec<Breakdown>> {
        if selector.labels.get(key).is_some() {
            return Err(ExecError::ByFixedKey {
                selector: selector.to_string(),
                key: key.to_string(),
            });
        }
        let metrics = self.selected_metrics(selector)?;
        let mut picked = Vec::new();
        for metric in &metrics {
            let mut total = None;
            let mut segments = Vec::new();
            // By KEY's value, compared as plain text like every row order.
            let mut carriers: BTreeMap<String, Vec<SeriesRow>> = BTreeMap::new();
            for series in self.store.series_of_metric(metric.id)? {
                let labels = series.labels.clone();
                if labels == selector.labels {
                    total = Some(series);
                } else if let Some(value) = labels.get(key)
                    && selector.labels.is_subset_of(&labels)
                {
                    if labels.len() == selector.labels.len() + 1 {
                        segments.push(Segment::Series(series));
                    } else {
                        carriers.entry(value.to_string()).or_default().push(series);
                    }
                }
            }
            if segments.is_empty() && !carriers.is_empty() {
                if let Some(kind) = metric.kind
                    && !matches!(kind, Kind::Stock | Kind::Flow)
                {
                    return Err(ExecError::CannotRollUp {
                        metric: metric.name.clone(),
                        key: key.to_string(),
                        kind,
                    });
                }
                segments = carriers
                    .into_iter()
                    .map(|(value, series)| Segment::Sum {
                        name: SeriesKey::new(
                            metric.name.clone(),
                            selector.labels.with(key, &value),
                        )
                        .to_string(),
                        series,
                    })
                    .collect();
            }
            if !segments.is_empty() {
                picked.push(Breakdown {
                    metric: metric.clone(),
                    segments,
                    total,
                });
            }
        }
        if picked.is_empty() {
            if metrics.is_empty() {
                return Err(ExecError::NothingMatches(
                    self.nothing_matches(selector, &metrics)?,
                ));
            }
            let recorded: Vec<String> = metrics
                .iter()
                .map(|m| self.store.series_of_metric(m.id))
                .collect::<crate::store::Result<Vec<_>>>()?
                .into_iter()
                .flatten()
                .map(|s| s.name)
                .take(8)
                .collect();
            return Err(ExecError::NotSplitBy {
                selector: selector.to_string(),
                key: key.to_string(),
                recorded,
            });
        }
        Ok(picked)
    }

    /// Why a selector matched nothing, with what exists instead: the
    /// nearest metric name to a mistyped one, or the pattern that would
    /// pick the series carrying the labels given.
    fn nothing_matches(&self, selector: &Selector, metrics: &[MetricRow]) -> Result<Box<NoMatch>> {
        let reason = match metrics.first() {
            None => {
                let known = self.store.metrics_matching(None)?;
                let guess = closest(&selector.metric, known.iter().map(|m| m.name.as_str()));
                NoMatchReason::NoMetric {
                    metric: selector.metric.clone(),
                    guess: guess.map(str::to_string),
                }
            }
            Some(_) if selector.is_pattern() => NoMatchReason::Pattern,
            Some(metric) => {
                let series = self.store.series_of_metric(metric.id)?;
                let carrying = series
                    .iter()
                    .filter(|s| selector.labels.is_subset_of(&s.labels))
                    .count();
                if carrying > 0 {
                    NoMatchReason::TryPattern {
                        pattern: Selector::one(
                            format!("{}*", selector.metric),
                            selector.labels.clone(),
                        ),
                        metric: metric.name.clone(),
                        carrying,
                    }
                } else {
                    NoMatchReason::Others {
                        metric: metric.name.clone(),
                        known: series.into_iter().map(|s| s.name).take(8).collect(),
                    }
                }
            }
        };
        Ok(Box::new(NoMatch {
            selector: selector.clone(),
            reason,
        }))
    }
}
