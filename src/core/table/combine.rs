//! The cells of a table gathered per series and period: several cells on
//! one series and period (daily closes under `--grain month`) are combined
//! as the metric's kind says.
use std::cmp::Ordering;
use std::collections::HashMap;
use std::rc::Rc;

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

/// The series of the cells gathered so far, and how cells combine; the
/// cells themselves are kept by the caller.
pub struct Collector {
    metrics: Vec<(String, Option<Kind>)>,
    keys: Vec<String>,
    /// The positions of `keys` in key order, the order of a series' labels.
    key_order: Vec<usize>,
    /// Each distinct tuple of label texts, and its index.
    label_sets: HashMap<Rc<[String]>, u32>,
    tuples: Vec<Rc<[String]>>,
    /// Series by (metric, label tuple).
    series: HashMap<(u32, u32), u32>,
    /// Each series' metric and label tuple, by index: a series' name is
    /// made when asked for, as a table of many series would otherwise hold
    /// a map of labels for each.
    series_metric: Vec<u32>,
    series_tuple: Vec<u32>,
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
        period: String,
        metric: String,
    },
    #[error(
        "several cells fall on {series} for {period}, and metric {metric} has no kind to combine them by; \
         set one first with: metric {metric} kind=stock|flow|average|ratio"
    )]
    NoKind {
        series: SeriesKey,
        period: String,
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

impl Collector {
    /// A collector for `metrics` (each with its kind), whose series carry
    /// the label `keys` in the order rows give them.
    pub fn new(metrics: Vec<(String, Option<Kind>)>, keys: Vec<String>) -> Collector {
        let mut key_order: Vec<usize> = (0..keys.len()).collect();
        key_order.sort_by(|a, b| keys[*a].cmp(&keys[*b]));
        Collector {
            metrics,
            keys,
            key_order,
            label_sets: HashMap::new(),
            tuples: Vec::new(),
            series: HashMap::new(),
            series_metric: Vec::new(),
            series_tuple: Vec::new(),
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

    /// The index of a tuple of label texts (in key order), kept once.
    pub fn label_tuple(&mut self, labels: &[String]) -> u32 {
        match self.label_sets.get(labels) {
            Some(&i) => i,
            None => {
                let i = self.tuples.len() as u32;
                let tuple: Rc<[String]> = labels.into();
                self.tuples.push(Rc::clone(&tuple));
                self.label_sets.insert(tuple, i);
                i
            }
        }
    }

    /// The series of `metric` with the label tuple `tuple` (whose texts are
    /// `labels`), numbered in the order first seen. The error says why the
    /// series cannot be.
    pub fn series(
        &mut self,
        metric: usize,
        tuple: u32,
        labels: &[String],
    ) -> Result<u32, CombineError> {
        if let Some(&s) = self.series.get(&(metric as u32, tuple)) {
            return Ok(s);
        }
        if self.keys.len() > MAX_LABELS {
            return Err(CombineError(Detail::TooManyLabels));
        }
        if let Some(long) = labels.iter().find(|text| text.len() > MAX_NAME) {
            let value = long.clone();
            return Err(CombineError(Detail::LongLabel { value }));
        }
        let s = self.series_metric.len() as u32;
        self.series_metric.push(metric as u32);
        self.series_tuple.push(tuple);
        self.series.insert((metric as u32, tuple), s);
        Ok(s)
    }

    fn kind(&self, series: u32) -> Option<Kind> {
        self.metrics[self.series_metric[series as usize] as usize].1
    }

    /// The first cell of a series and period, covering the days `exact`
    /// (first day and end).
    pub fn first(
        &self,
        series: u32,
        (start, end): (i32, i32),
        value: f64,
        place: Place,
        source: Option<u32>,
    ) -> Gathered {
        let days = i64::from(end - start);
        let value = match self.kind(series) {
            Some(Kind::Average | Kind::Ratio) => value * days as f64,
            _ => value,
        };
        Gathered {
            value,
            days,
            latest_end: end,
            first_start: start,
            last_end: end,
            count: 1,
            place,
            source,
        }
    }

    /// Combines one more cell, covering the days `exact`, into the cells
    /// gathered on `key`, as the series' metric's kind says. The error
    /// says why it cannot be combined with the cells before it.
    pub fn combine(
        &self,
        key: CellKey,
        gathered: &mut Gathered,
        (start, end): (i32, i32),
        value: f64,
        source: Option<u32>,
    ) -> Result<(), CombineError> {
        let (series, period_start, period_end) = key;
        let days = i64::from(end - start);
        let name = || self.name(series);
        let metric_name = || {
            self.metrics[self.series_metric[series as usize] as usize]
                .0
                .clone()
        };
        let period = || {
            Period::from_day_numbers(period_start, period_end)
                .map(|p| p.to_string())
                .unwrap_or_default()
        };
        match self.kind(series) {
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
                    return Err(CombineError(detail));
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
                    period: period(),
                    metric: metric_name(),
                };
                return Err(CombineError(detail));
            }
            None => {
                let detail = Detail::NoKind {
                    series: name(),
                    period: period(),
                    metric: metric_name(),
                };
                return Err(CombineError(detail));
            }
        }
        gathered.first_start = gathered.first_start.min(start);
        gathered.last_end = gathered.last_end.max(end);
        gathered.count += 1;
        if source.is_some() {
            gathered.source = source;
        }
        Ok(())
    }

    /// The name of a series, by index.
    pub fn name(&self, series: u32) -> SeriesKey {
        let metric = &self.metrics[self.series_metric[series as usize] as usize].0;
        let labels = &self.tuples[self.series_tuple[series as usize] as usize];
        let mut set = LabelSet::new();
        for (key, text) in self.keys.iter().zip(labels.iter()) {
            set.insert(key.clone(), text.clone());
        }
        SeriesKey::new(metric.clone(), set)
    }

    /// Two series in the order of their names, without making them: every
    /// series of a table has the same label keys, so names compare as
    /// their metrics and then their label texts in key order.
    pub fn compare(&self, a: u32, b: u32) -> Ordering {
        let metric = |s: u32| &self.metrics[self.series_metric[s as usize] as usize].0;
        let tuple = |s: u32| &self.tuples[self.series_tuple[s as usize] as usize];
        metric(a).cmp(metric(b)).then_with(|| {
            let (a, b) = (tuple(a), tuple(b));
            self.key_order
                .iter()
                .map(|&k| a[k].cmp(&b[k]))
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        })
    }

    /// The sources of cells, by index.
    pub fn sources(&self) -> &[String] {
        &self.sources
    }

    /// The series' indexes, ordered by name.
    pub fn order(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.series_metric.len() as u32).collect();
        order.sort_by(|a, b| self.compare(*a, *b));
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

    type Cells = HashMap<CellKey, Gathered>;

    /// Adds a cell as the importer does: combined with the cells of its
    /// series and period before it.
    #[allow(clippy::too_many_arguments)]
    fn add(
        c: &mut Collector,
        cells: &mut Cells,
        metric: usize,
        labels: &[String],
        period: Period,
        exact: Period,
        value: f64,
        place: Place,
    ) -> Result<(), CombineError> {
        let tuple = c.label_tuple(labels);
        let series = c.series(metric, tuple, labels)?;
        let key = (series, period.start_day(), period.end_day());
        let exact = (exact.start_day(), exact.end_day());
        match cells.get_mut(&key) {
            Some(gathered) => c.combine(key, gathered, exact, value, None),
            None => {
                cells.insert(key, c.first(series, exact, value, place, None));
                Ok(())
            }
        }
    }

    /// The snapshots of `cells`, ordered by series name and period.
    fn finish(c: &Collector, cells: &Cells) -> Vec<Snapshot> {
        let order = c.order();
        let mut snapshots: Vec<Snapshot> = cells.iter().map(|(k, g)| c.snapshot(*k, g)).collect();
        snapshots.sort_by_key(|s| {
            let rank = order.iter().position(|&o| o == s.series);
            (rank, s.period.start_day(), s.period.end_day())
        });
        snapshots
    }

    /// Combines `(day, value)` cells of one series into months.
    fn combine(
        kind: Option<Kind>,
        cells: &[(&str, f64)],
    ) -> Result<Vec<(String, f64, bool, bool)>, CombineError> {
        let mut c = Collector::new(vec![("m".to_string(), kind)], vec!["k".to_string()]);
        let mut store = HashMap::new();
        for (row, (d, v)) in cells.iter().enumerate() {
            add(
                &mut c,
                &mut store,
                0,
                &["a".to_string()],
                month_of(d),
                day(d),
                *v,
                place(row as u64),
            )?;
        }
        let g = finish(&c, &store);
        Ok(g.iter()
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
        let none = combine(None, &cells).unwrap_err().to_string();
        assert_eq!(
            none,
            "several cells fall on m{k=a} for 2000-01, and metric m has no kind to combine them by; \
             set one first with: metric m kind=stock|flow|average|ratio"
        );
        assert!(
            combine(Some(Kind::Distinct), &cells)
                .unwrap_err()
                .to_string()
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
        add(&mut c, &mut store, 0, &[], q, day("2000-01"), 0.1, place(1)).unwrap();
        add(&mut c, &mut store, 0, &[], q, day("2000-02"), 0.4, place(2)).unwrap();
        let g = finish(&c, &store);
        let expected = (0.1 * 31.0 + 0.4 * 29.0) / 60.0;
        assert_eq!(g[0].value, expected);
        assert!(g[0].gap_after);
    }

    #[test]
    fn stock_cells_of_one_date_must_agree() {
        let same = [("2000-01-03", 1.0), ("2000-01-03", 1.0)];
        assert_eq!(combine(Some(Kind::Stock), &same).unwrap()[0].1, 1.0);
        let differ = [("2000-01-03", 1.0), ("2000-01-03", 2.0)];
        assert_eq!(
            combine(Some(Kind::Stock), &differ).unwrap_err().to_string(),
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
            add(
                &mut c,
                &mut store,
                metric,
                &[label.to_string()],
                period,
                period,
                1.0,
                place(0),
            )
            .unwrap();
        }
        let g = finish(&c, &store);
        let order: Vec<String> = g
            .iter()
            .map(|s| format!("{} {}", c.name(s.series), s.period))
            .collect();
        assert_eq!(
            order,
            ["a{k=x} 2000", "a{k=x} 2001", "a{k=z} 2000", "b{k=y} 2001"]
        );
    }

    #[test]
    fn series_compare_as_their_names_do() {
        // Keys given out of key order, texts that sort differently by
        // column than by key, and metrics that are prefixes of each other.
        let keys = vec!["zone".to_string(), "area".to_string(), "m".to_string()];
        let metrics = ["users", "users.paid", "user"];
        let mut c = Collector::new(
            metrics.iter().map(|m| (m.to_string(), None)).collect(),
            keys,
        );
        let texts = [
            ["b", "x", "1"],
            ["a", "y", "1"],
            ["a", "x", "2"],
            ["a b", "x", ""],
        ];
        let mut all = Vec::new();
        for metric in 0..metrics.len() {
            for labels in &texts {
                let labels: Vec<String> = labels.iter().map(|t| t.to_string()).collect();
                let tuple = c.label_tuple(&labels);
                all.push(c.series(metric, tuple, &labels).unwrap());
            }
        }
        for &a in &all {
            for &b in &all {
                assert_eq!(
                    c.compare(a, b),
                    c.name(a).cmp(&c.name(b)),
                    "{} and {}",
                    c.name(a),
                    c.name(b)
                );
            }
        }
    }
}
