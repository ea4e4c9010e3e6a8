//! The cells of a table gathered per series and period: several cells on
//! one series and period (daily closes under `--grain month`) are combined
//! as the metric's kind says.
use std::collections::HashMap;

use crate::core::command::Kind;
use crate::core::error::ErrorKind;
use crate::core::labels::{LabelSet, SeriesKey};
use crate::core::limits::{MAX_LABELS, MAX_NAME};
use crate::core::period::Period;

/// Where a cell came from, as the reader counts: a row and a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub row: u64,
    pub column: u32,
}

/// The series of the cells gathered so far; the cells themselves are kept
/// in a [`CellStore`], in memory or elsewhere.
pub struct Collector {
    metrics: Vec<(String, Option<Kind>)>,
    keys: Vec<String>,
    /// Each distinct tuple of label texts, by index.
    label_sets: HashMap<Vec<String>, u32>,
    /// Series by (metric, label tuple).
    series: HashMap<(u32, u32), u32>,
    names: Vec<SeriesKey>,
    /// Each series' metric, by index.
    series_metric: Vec<u32>,
    sources: Vec<String>,
}

/// A series (by index) and a period (its first day and end, as day numbers).
pub type CellKey = (u32, i32, i32);

/// One series and period's cells, combined so far.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gathered {
    /// The stock's latest value, or the flow's sum, or the sum of value
    /// times days of a mean.
    pub value: f64,
    /// Days summed, for a mean.
    pub days: i64,
    /// The end of the latest cell, for a stock.
    pub latest_end: i32,
    /// The first day and end of the cells' days.
    pub first_start: i32,
    pub last_end: i32,
    pub count: u32,
    pub place: Place,
    pub source: Option<u32>,
}

/// Where gathered cells are kept while a file is read.
pub trait CellStore {
    /// Why the cells could not be kept or read back.
    type Error;
    fn get(&mut self, key: CellKey) -> Result<Option<Gathered>, Self::Error>;
    fn put(&mut self, key: CellKey, cell: Gathered) -> Result<(), Self::Error>;
}

impl CellStore for HashMap<CellKey, Gathered> {
    type Error = std::convert::Infallible;

    fn get(&mut self, key: CellKey) -> Result<Option<Gathered>, Self::Error> {
        Ok(HashMap::get(self, &key).copied())
    }

    fn put(&mut self, key: CellKey, cell: Gathered) -> Result<(), Self::Error> {
        self.insert(key, cell);
        Ok(())
    }
}

/// Why a cell could not be gathered: it does not combine with the cells
/// before it, or the cells' store failed (`E`).
#[derive(Debug, thiserror::Error)]
pub enum GatherError<E> {
    #[error(transparent)]
    Combine(#[from] CombineError),
    #[error(transparent)]
    Cells(E),
}

/// A cell that cannot join the cells gathered before it, or that starts a
/// series no store can hold. Each is an invalid value of the table.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(transparent)]
pub struct CombineError(Detail);

impl CombineError {
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::InvalidValue
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
enum Detail {
    #[error("a series has at most {MAX_LABELS} labels")]
    TooManyLabels,
    #[error(
        "the label value \"{value}\" is {} bytes long; a label value has at most {MAX_NAME}",
        value.len()
    )]
    LongLabel { value: String },
    /// Two cells of a stock on one date, with different values.
    #[error("two cells of {series} for the same date ({date}) differ: {first} and {second}")]
    StockDiffers {
        series: SeriesKey,
        date: String,
        first: String,
        second: String,
    },
    #[error(
        "several cells fall on {series} for {period}, and {metric} is a distinct count, \
         which cannot be combined from parts; import one cell per period"
    )]
    Distinct {
        series: SeriesKey,
        period: Period,
        metric: String,
    },
    #[error(
        "several cells fall on {series} for {period}, and metric {metric} has no kind to combine them by; \
         set one first with: metric {metric} kind=stock|flow|average|ratio"
    )]
    NoKind {
        series: SeriesKey,
        period: Period,
        metric: String,
    },
}

/// One snapshot to record, after combining.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub series: u32,
    pub period: Period,
    pub value: f64,
    /// Where its (first) cell is.
    pub place: Place,
    pub source: Option<u32>,
    /// Whether its cells leave part of the period uncovered, at its start
    /// and at its end.
    pub gap_before: bool,
    pub gap_after: bool,
    /// How many cells it combines.
    pub cells: u32,
}

/// Everything gathered, ordered by series name and period.
pub struct Gathering {
    pub series: Vec<SeriesKey>,
    pub sources: Vec<String>,
    /// Ordered by series (by name) and period start.
    pub snapshots: Vec<Snapshot>,
}

impl Collector {
    /// A collector for `metrics` (each with its kind), whose series carry
    /// the label `keys` in the order rows give them.
    pub fn new(metrics: Vec<(String, Option<Kind>)>, keys: Vec<String>) -> Collector {
        Collector {
            metrics,
            keys,
            label_sets: HashMap::new(),
            series: HashMap::new(),
            names: Vec::new(),
            series_metric: Vec::new(),
            sources: Vec::new(),
        }
    }

    /// The index of a source text, kept once.
    pub fn source(&mut self, text: &str) -> u32 {
        match self.sources.iter().rposition(|s| s == text) {
            Some(i) => i as u32,
            None => {
                self.sources.push(text.to_string());
                (self.sources.len() - 1) as u32
            }
        }
    }

    /// Adds a cell of `metric` with `labels` (in key order), recorded as
    /// `period` and covering `exact`. The error says why it cannot be
    /// combined with a cell before it.
    #[allow(clippy::too_many_arguments)]
    pub fn add<C: CellStore + ?Sized>(
        &mut self,
        cells: &mut C,
        metric: usize,
        labels: &[String],
        period: Period,
        exact: Period,
        value: f64,
        place: Place,
        source: Option<u32>,
    ) -> Result<(), GatherError<C::Error>> {
        let tuple = match self.label_sets.get(labels) {
            Some(&i) => i,
            None => {
                let i = self.label_sets.len() as u32;
                self.label_sets.insert(labels.to_vec(), i);
                i
            }
        };
        let series = match self.series.get(&(metric as u32, tuple)) {
            Some(&s) => s,
            None => {
                if self.keys.len() > MAX_LABELS {
                    return Err(CombineError(Detail::TooManyLabels).into());
                }
                if let Some(long) = labels.iter().find(|text| text.len() > MAX_NAME) {
                    let value = long.clone();
                    return Err(CombineError(Detail::LongLabel { value }).into());
                }
                let s = self.names.len() as u32;
                let mut set = LabelSet::new();
                for (key, text) in self.keys.iter().zip(labels) {
                    set.insert(key.clone(), text.clone());
                }
                self.names
                    .push(SeriesKey::new(self.metrics[metric].0.clone(), set));
                self.series_metric.push(metric as u32);
                self.series.insert((metric as u32, tuple), s);
                s
            }
        };
        let (start, end) = (exact.start_day(), exact.end_day());
        let days = i64::from(end - start);
        let kind = self.metrics[metric].1;
        let key = (series, period.start_day(), period.end_day());
        let Some(mut gathered) = cells.get(key).map_err(GatherError::Cells)? else {
            let value = match kind {
                Some(Kind::Average | Kind::Ratio) => value * days as f64,
                _ => value,
            };
            return cells
                .put(
                    key,
                    Gathered {
                        value,
                        days,
                        latest_end: end,
                        first_start: start,
                        last_end: end,
                        count: 1,
                        place,
                        source,
                    },
                )
                .map_err(GatherError::Cells);
        };
        let name = || self.names[series as usize].clone();
        let metric_name = || self.metrics[metric].0.clone();
        match kind {
            Some(Kind::Stock) => {
                if end > gathered.latest_end {
                    gathered.value = value;
                    gathered.latest_end = end;
                } else if end == gathered.latest_end && value != gathered.value {
                    let detail = Detail::StockDiffers {
                        series: name(),
                        date: Period::from_day_numbers(end - 1, end)
                            .map(|p| p.to_string())
                            .unwrap_or_default(),
                        first: crate::core::value::format_value(gathered.value),
                        second: crate::core::value::format_value(value),
                    };
                    return Err(CombineError(detail).into());
                }
            }
            Some(Kind::Flow) => gathered.value += value,
            Some(Kind::Average | Kind::Ratio) => {
                gathered.value += value * days as f64;
                gathered.days += days;
            }
            Some(Kind::Distinct) => {
                let detail = Detail::Distinct {
                    series: name(),
                    period,
                    metric: metric_name(),
                };
                return Err(CombineError(detail).into());
            }
            None => {
                let detail = Detail::NoKind {
                    series: name(),
                    period,
                    metric: metric_name(),
                };
                return Err(CombineError(detail).into());
            }
        }
        gathered.first_start = gathered.first_start.min(start);
        gathered.last_end = gathered.last_end.max(end);
        gathered.count += 1;
        if source.is_some() {
            gathered.source = source;
        }
        cells.put(key, gathered).map_err(GatherError::Cells)
    }

    /// The series, by index.
    pub fn names(&self) -> &[SeriesKey] {
        &self.names
    }

    /// The sources of cells, by index.
    pub fn sources(&self) -> &[String] {
        &self.sources
    }

    /// The series' indexes, ordered by name.
    pub fn order(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.names.len() as u32).collect();
        order.sort_by(|a, b| self.names[*a as usize].cmp(&self.names[*b as usize]));
        order
    }

    /// The snapshot that gathered cells make.
    pub fn snapshot(&self, (series, start, end): CellKey, g: &Gathered) -> Snapshot {
        let period = Period::from_day_numbers(start, end).expect("a recorded period");
        let kind = self.metrics[self.series_metric[series as usize] as usize].1;
        let value = match kind {
            Some(Kind::Average | Kind::Ratio) => g.value / g.days as f64,
            _ => g.value,
        };
        Snapshot {
            series,
            period,
            value,
            place: g.place,
            source: g.source,
            gap_before: g.first_start > start,
            gap_after: g.last_end < end,
            cells: g.count,
        }
    }

    /// The snapshots of cells kept in memory, ordered by series name and
    /// period.
    pub fn finish(self, cells: HashMap<CellKey, Gathered>) -> Gathering {
        let order = self.order();
        let mut rank = vec![0u32; self.names.len()];
        for (position, &series) in order.iter().enumerate() {
            rank[series as usize] = position as u32;
        }
        let mut snapshots: Vec<Snapshot> = cells
            .iter()
            .map(|(key, g)| self.snapshot(*key, g))
            .collect();
        snapshots.sort_by_key(|s| {
            (
                rank[s.series as usize],
                s.period.start_day(),
                s.period.end_day(),
            )
        });
        Gathering {
            series: self.names,
            sources: self.sources,
            snapshots,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::period::Granularity;

    fn day(text: &str) -> Period {
        Period::parse(text).unwrap()
    }

    fn month_of(text: &str) -> Period {
        Period::containing(Granularity::Month, day(text).start())
    }

    fn place(row: u64) -> Place {
        Place { row, column: 1 }
    }

    /// Combines `(day, value)` cells of one series into months.
    fn combine(
        kind: Option<Kind>,
        cells: &[(&str, f64)],
    ) -> Result<Vec<(String, f64, bool, bool)>, String> {
        let mut c = Collector::new(vec![("m".to_string(), kind)], vec!["k".to_string()]);
        let mut store = HashMap::new();
        for (row, (d, v)) in cells.iter().enumerate() {
            c.add(
                &mut store,
                0,
                &["a".to_string()],
                month_of(d),
                day(d),
                *v,
                place(row as u64),
                None,
            )
            .map_err(|e| e.to_string())?;
        }
        let g = c.finish(store);
        Ok(g.snapshots
            .iter()
            .map(|s| (s.period.to_string(), s.value, s.gap_before, s.gap_after))
            .collect())
    }

    #[test]
    fn kinds_combine_cells() {
        let cells = [
            ("2000-01-31", 3.0),
            ("2000-01-03", 1.0),
            ("2000-02-01", 5.0),
        ];
        let months = |a: f64, b: f64| {
            vec![
                ("2000-01".to_string(), a, true, false),
                ("2000-02".to_string(), b, false, true),
            ]
        };
        assert_eq!(
            combine(Some(Kind::Stock), &cells).unwrap(),
            months(3.0, 5.0)
        );
        assert_eq!(combine(Some(Kind::Flow), &cells).unwrap(), months(4.0, 5.0));
        assert_eq!(
            combine(Some(Kind::Average), &cells).unwrap(),
            months(2.0, 5.0)
        );
        assert_eq!(
            combine(Some(Kind::Ratio), &cells).unwrap(),
            months(2.0, 5.0)
        );
        let none = combine(None, &cells).unwrap_err();
        assert_eq!(
            none,
            "several cells fall on m{k=a} for 2000-01, and metric m has no kind to combine them by; \
             set one first with: metric m kind=stock|flow|average|ratio"
        );
        assert!(
            combine(Some(Kind::Distinct), &cells)
                .unwrap_err()
                .contains("distinct count")
        );
        // One cell per period needs no kind.
        assert_eq!(combine(None, &cells[..1]).unwrap().len(), 1);
    }

    #[test]
    fn means_weigh_days() {
        let mut c = Collector::new(vec![("r".to_string(), Some(Kind::Ratio))], vec![]);
        let mut store = HashMap::new();
        let q = day("2000-Q1");
        c.add(&mut store, 0, &[], q, day("2000-01"), 0.1, place(1), None)
            .unwrap();
        c.add(&mut store, 0, &[], q, day("2000-02"), 0.4, place(2), None)
            .unwrap();
        let g = c.finish(store);
        let expected = (0.1 * 31.0 + 0.4 * 29.0) / 60.0;
        assert_eq!(g.snapshots[0].value, expected);
        assert!(g.snapshots[0].gap_after);
    }

    #[test]
    fn stock_cells_of_one_date_must_agree() {
        let same = [("2000-01-03", 1.0), ("2000-01-03", 1.0)];
        assert_eq!(combine(Some(Kind::Stock), &same).unwrap()[0].1, 1.0);
        let differ = [("2000-01-03", 1.0), ("2000-01-03", 2.0)];
        assert_eq!(
            combine(Some(Kind::Stock), &differ).unwrap_err(),
            "two cells of m{k=a} for the same date (2000-01-03) differ: 1 and 2"
        );
    }

    #[test]
    fn snapshots_come_in_series_order() {
        let mut c = Collector::new(
            vec![("b".to_string(), None), ("a".to_string(), None)],
            vec!["k".to_string()],
        );
        let mut store = HashMap::new();
        for (metric, label, year) in [
            (0, "y", "2001"),
            (1, "z", "2000"),
            (1, "x", "2001"),
            (1, "x", "2000"),
        ] {
            let period = day(year);
            c.add(
                &mut store,
                metric,
                &[label.to_string()],
                period,
                period,
                1.0,
                place(0),
                None,
            )
            .unwrap();
        }
        let g = c.finish(store);
        let order: Vec<String> = g
            .snapshots
            .iter()
            .map(|s| format!("{} {}", g.series[s.series as usize], s.period))
            .collect();
        assert_eq!(
            order,
            ["a{k=x} 2000", "a{k=x} 2001", "a{k=z} 2000", "b{k=y} 2001"]
        );
    }
}
