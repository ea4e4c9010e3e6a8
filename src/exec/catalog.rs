//! What the store holds, by name: the words the prompt completes (metric
//! names, series and their labels, recorded periods). Read fresh on every
//! call, so that what a session has just written is offered at once.
use std::collections::BTreeSet;
use std::rc::Rc;

use crate::core::labels::{LabelSet, SeriesKey};
use crate::core::period::{FiscalCalendar, Period};
use crate::store::Store;

use super::{Executor, Result};

/// Read access to the store that shares the session's connection (and so
/// sees its open transaction). Never writes.
#[derive(Clone)]
pub struct Catalog {
    store: Rc<Store>,
}

/// Completion reads at most this many snapshots for the periods it offers
/// (more only to finish a series), so that Tab answers at once even in a
/// store of millions.
const MAX_SCANNED: usize = 100_000;

impl Catalog {
    /// Every metric name, sorted.
    pub fn metric_names(&self) -> Result<Vec<String>> {
        let metrics = self.store.metrics_matching(None)?;
        Ok(metrics.into_iter().map(|m| m.name).collect())
    }

    /// Every recorded series of the metrics a name or `*` pattern matches.
    pub fn series(&self, pattern: &str) -> Result<Vec<SeriesKey>> {
        let mut keys = Vec::new();
        for metric in self.store.metrics_matching(Some(pattern))? {
            for series in self.store.series_of_metric(metric.id)? {
                keys.push(SeriesKey::new(metric.name.clone(), series.labels.clone()));
            }
        }
        Ok(keys)
    }

    /// The distinct periods with a live snapshot in the series that carry
    /// `labels`, of the metrics `pattern` matches, in time order.
    pub fn periods(&self, pattern: &str, labels: &LabelSet) -> Result<Vec<Period>> {
        let mut days = BTreeSet::new();
        let mut scanned = 0;
        'metrics: for metric in self.store.metrics_matching(Some(pattern))? {
            for series in self.store.series_of_metric(metric.id)? {
                if !labels.is_subset_of(&series.labels) {
                    continue;
                }
                let snapshots = self
                    .store
                    .snapshots_within(series.id, i32::MIN, i32::MAX, None)?;
                scanned += snapshots.len();
                days.extend(snapshots.iter().map(|obs| (obs.start_day, obs.end_day)));
                if scanned >= MAX_SCANNED {
                    break 'metrics;
                }
            }
        }
        Ok(days
            .into_iter()
            .filter_map(|(start, end)| Period::from_day_numbers(start, end).ok())
            .collect())
    }
}

impl Catalog {
    /// The store's fiscal calendar, which names fiscal periods.
    pub fn calendar(&self) -> Result<FiscalCalendar> {
        Ok(self.store.fiscal_calendar()?)
    }
}

impl Executor {
    /// The names in the store, for completion.
    pub fn catalog(&self) -> Catalog {
        Catalog {
            store: Rc::clone(&self.store),
        }
    }
}
