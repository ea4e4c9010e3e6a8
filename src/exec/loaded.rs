//! A series' live snapshots read once, for commands that resolve many
//! periods of the same series (`every` steps, trailing windows): each
//! resolution then filters memory instead of querying the store twice.
use std::cell::RefCell;
use std::collections::HashMap;

use crate::core::period::supported_days;
use crate::store::{Observation, SeriesRow};

use super::{Executor, Result};

/// The live snapshots of one series as of one time, by start then end day
/// (the order the store's scans give).
pub(super) struct Loaded {
    asof: Option<i64>,
    snapshots: Vec<Observation>,
    /// The longest snapshot, in days: how far before a period a snapshot
    /// overlapping it can start.
    max_days: i32,
}

/// Loaded series by id; empty outside the commands that fill it.
#[derive(Default)]
pub(super) struct LoadedSeries(RefCell<HashMap<i64, Loaded>>);

impl Loaded {
    /// What [`crate::store::Store::overlapping`] gives: the snapshots
    /// sharing a day with `[start_day, end_day)`.
    pub fn overlapping(&self, start_day: i32, end_day: i32) -> Vec<Observation> {
        let low = start_day.saturating_sub(self.max_days.saturating_sub(1));
        let first = self.snapshots.partition_point(|o| o.start_day < low);
        let past = self.snapshots.partition_point(|o| o.start_day < end_day);
        self.snapshots[first..past.max(first)]
            .iter()
            .filter(|o| o.end_day > start_day)
            .copied()
            .collect()
    }

    /// The value of the snapshot of exactly `[start_day, end_day)` (rule 1
    /// of resolution), read without gathering what overlaps it; `None`
    /// when there is none, or when a snapshot overlapping it is not a
    /// period (resolution then reads them all, and says which).
    pub fn exact(&self, start_day: i32, end_day: i32) -> Option<f64> {
        let (first_day, past_last_day) = supported_days();
        let low = start_day.saturating_sub(self.max_days.saturating_sub(1));
        let first = self.snapshots.partition_point(|o| o.start_day < low);
        let past = self.snapshots.partition_point(|o| o.start_day < end_day);
        let mut found = None;
        for o in self.snapshots[first..past.max(first)]
            .iter()
            .filter(|o| o.end_day > start_day)
        {
            if o.start_day < first_day || o.end_day <= o.start_day || o.end_day > past_last_day {
                return None;
            }
            if (o.start_day, o.end_day) == (start_day, end_day) {
                found.get_or_insert(o.value);
            }
        }
        found
    }

    /// What [`crate::store::Store::latest_ending_by`] gives: the snapshot
    /// ending last on or before `day`, the shortest of those ending then.
    pub fn latest_ending_by(&self, day: i32) -> Option<Observation> {
        let past = self.snapshots.partition_point(|o| o.start_day < day);
        let mut best: Option<Observation> = None;
        for o in self.snapshots[..past].iter().rev() {
            if let Some(b) = best
                && i64::from(o.start_day) + i64::from(self.max_days) < i64::from(b.end_day)
            {
                // It and everything before it end earlier than `best`.
                break;
            }
            let better = best.is_none_or(|b| (o.end_day, o.start_day) > (b.end_day, b.start_day));
            if o.end_day <= day && better {
                best = Some(*o);
            }
        }
        best
    }

    /// The snapshot starting first (the shortest of those starting then).
    pub fn earliest(&self) -> Option<Observation> {
        self.snapshots.first().copied()
    }

    /// The snapshot ending last (the shortest of those ending then).
    pub fn latest(&self) -> Option<Observation> {
        self.latest_ending_by(i32::MAX)
    }
}

impl Executor {
    /// Reads `series` whole (as of `asof`), so that the resolutions of
    /// `work` read memory; forgotten when `work` ends.
    pub(super) fn with_loaded<T>(
        &self,
        series: &[&SeriesRow],
        asof: Option<i64>,
        work: impl FnOnce() -> Result<T>,
    ) -> Result<T> {
        for s in series {
            let snapshots = self
                .store
                .snapshots_within(s.id, i32::MIN, i32::MAX, asof)?;
            let max_days = snapshots
                .iter()
                .map(|o| o.end_day - o.start_day)
                .max()
                .unwrap_or(1);
            let loaded = Loaded {
                asof,
                snapshots,
                max_days,
            };
            self.loaded.0.borrow_mut().insert(s.id, loaded);
        }
        let result = work();
        self.loaded.0.borrow_mut().clear();
        result
    }

    /// `f` of the loaded snapshots of `series` as of `asof`, if loaded.
    pub(super) fn loaded<T>(
        &self,
        series: &SeriesRow,
        asof: Option<i64>,
        f: impl FnOnce(&Loaded) -> T,
    ) -> Option<T> {
        let map = self.loaded.0.borrow();
        map.get(&series.id).filter(|l| l.asof == asof).map(f)
    }
}

#[cfg(test)]
mod tests {
    use super::Loaded;
    use crate::store::Observation;

    fn loaded(spans: &[(i32, i32)]) -> Loaded {
        let snapshots: Vec<Observation> = spans
            .iter()
            .map(|&(start_day, end_day)| Observation {
                start_day,
                end_day,
                value: f64::from(start_day * 10 + end_day),
            })
            .collect();
        let max_days = snapshots
            .iter()
            .map(|o| o.end_day - o.start_day)
            .max()
            .unwrap_or(1);
        Loaded {
            asof: None,
            snapshots,
            max_days,
        }
    }

    #[test]
    fn exact_finds_the_snapshot_of_exactly_the_days() {
        // A year, its first month and the two months after it, by start.
        let l = loaded(&[(0, 365), (0, 31), (31, 59), (59, 90)]);
        assert_eq!(l.exact(31, 59), Some(369.0));
        assert_eq!(l.exact(0, 365), Some(365.0));
        assert_eq!(l.exact(0, 31), Some(31.0));
        assert_eq!(l.exact(31, 90), None);
        assert_eq!(l.exact(90, 120), None);
    }

    #[test]
    fn exact_leaves_an_overlapping_non_period_to_resolution() {
        // An empty stored range overlapping nothing is not read; one that
        // ends before it starts and reaches into the days is.
        let l = loaded(&[(31, 59), (40, 35)]);
        assert_eq!(l.exact(31, 59), None);
        let l = loaded(&[(10, 10), (31, 59)]);
        assert_eq!(l.exact(31, 59), Some(369.0));
    }
}
