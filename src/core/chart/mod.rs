//! What a chart shows and how it reads, decided without drawing: the
//! lines of values over periods ([`Chart`]), and from them a [`ChartPlan`]
//! with the title, subtitle, ticks on both axes with their labels, and the
//! legend, for the render layer to draw as it is.
//!
//! - `ticks`: period ticks on period boundaries, chosen for the span.
//! - `numbers`: value ticks on round steps, labelled like `table` numbers.
//! - `legend`: the title, subtitle and legend texts.
mod legend;
mod numbers;
#[cfg(test)]
mod tests;
mod ticks;

use super::period::{FiscalCalendar, Period, Span};

pub use numbers::{number_label, value_ticks};
pub use ticks::{period_name, period_ticks};

/// The most lines a chart draws; beyond them the subtitle says how many
/// others were left out.
pub const MOST_LINES: usize = 10;

/// A line chart of one or more series.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// What was asked for, as written: the title when no metric names it.
    pub selector: String,
    /// The metrics the lines are of, in order.
    pub metrics: Vec<ChartMetric>,
    /// Ratio metrics: values are fractions, drawn as percents.
    pub percent: bool,
    /// Set when the steps are fiscal ones: ticks and the subtitle then
    /// name periods in this calendar's fiscal form.
    pub fiscal: Option<FiscalCalendar>,
    /// Set when the values are changes over a span (`chart growth`), one
    /// per step: drawn around a zero line, with a gap for a step that has
    /// no value.
    pub change: Option<Change>,
    pub lines: Vec<ChartLine>,
}

/// What a chart of changes shows: `change_pct` per step, or `change_pp`
/// (percentage points) for ratio metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub span: Span,
    /// Percentage points rather than percent.
    pub points: bool,
}

impl Change {
    /// The unit of the value axis, as its labels end.
    pub fn unit(self) -> &'static str {
        if self.points { "pp" } else { "%" }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChartMetric {
    pub name: String,
    pub description: Option<String>,
    pub unit: Option<String>,
}

/// One series: its metric, its labels and its values in period order.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartLine {
    pub metric: String,
    pub labels: Vec<(String, String)>,
    pub points: Vec<(Period, f64)>,
}

/// A chart decided: every text and position the drawing needs. Positions
/// are day numbers across and values (percents times 100) up.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartPlan {
    pub title: String,
    pub subtitle: String,
    /// The value axis's title: the unit, or `percent`.
    pub y_title: String,
    pub x_range: (f64, f64),
    pub x_ticks: Vec<Tick>,
    pub y_range: (f64, f64),
    pub y_ticks: Vec<Tick>,
    /// What the legend entries name (the labels that differ); `None` when
    /// there is one line and so no legend.
    pub legend_title: Option<String>,
    /// The lines to draw, in legend order.
    pub lines: Vec<PlotLine>,
    /// Whether a horizontal line is drawn at zero (charts of changes).
    pub zero_line: bool,
}

/// A tick and its label.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub at: f64,
    pub label: String,
}

/// One line to draw: its legend entry and its points, each period drawn at
/// its midpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct PlotLine {
    pub legend: String,
    pub points: Vec<(f64, f64)>,
    /// The indices of the points that start a new piece of the line: a
    /// step without a value before them leaves a gap.
    pub breaks: Vec<usize>,
}

impl Chart {
    /// The chart as it will be drawn; `None` when no line has a value.
    pub fn plan(&self) -> Option<ChartPlan> {
        // Changes come as percents or points already.
        let scale = if self.percent && self.change.is_none() {
            100.0
        } else {
            1.0
        };
        let drawn: Vec<&ChartLine> = self
            .lines
            .iter()
            .filter(|line| !line.points.is_empty())
            .collect();
        let mut periods = drawn.iter().flat_map(|l| l.points.iter().map(|p| p.0));
        let first = periods.next()?;
        let (first, last) = periods.fold((first, first), |(lo, hi), p| {
            (
                if p.start_day() < lo.start_day() {
                    p
                } else {
                    lo
                },
                if p.end_day() > hi.end_day() { p } else { hi },
            )
        });
        let shown = legend::top_lines(&drawn);
        let texts = legend::texts(self, &drawn, &shown, (&first, &last));

        let values = shown
            .iter()
            .flat_map(|l| l.points.iter().map(|p| p.1 * scale));
        let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        let (y_range, y_ticks) = match self.change {
            // Zero stays in view: the line the changes are read against.
            Some(change) => change_ticks(low.min(0.0), high.max(0.0), change),
            None => value_ticks(low, high, self.percent, false),
        };
        let x_range = (f64::from(first.start_day()), f64::from(last.end_day()));
        // The unit of the shortest period drawn, if it has one.
        let data = shown
            .iter()
            .flat_map(|l| l.points.iter().map(|p| p.0))
            .min_by_key(Period::days)
            .and_then(|p| match self.fiscal.and_then(|c| c.fiscal_of(&p)) {
                Some(fiscal) => Some(fiscal.grain),
                None => p.granularity(),
            });
        let x_ticks = period_ticks(first.start_day(), last.end_day(), data, self.fiscal);
        let lines = shown
            .iter()
            .zip(texts.legends)
            .map(|(line, legend)| PlotLine {
                legend,
                points: line
                    .points
                    .iter()
                    .map(|(p, v)| (p.midpoint(), v * scale))
                    .collect(),
                breaks: match self.change {
                    Some(_) => gaps(&line.points),
                    None => Vec::new(),
                },
            })
            .collect();
        Some(ChartPlan {
            title: texts.title,
            subtitle: texts.subtitle,
            y_title: texts.y_title,
            x_range,
            x_ticks,
            y_range,
            y_ticks,
            legend_title: texts.legend_title,
            lines,
            zero_line: self.change.is_some(),
        })
    }
}

/// Value ticks for changes: signed, in percent or in points (`+5 pp`).
fn change_ticks(low: f64, high: f64, change: Change) -> ((f64, f64), Vec<Tick>) {
    let (range, mut ticks) = value_ticks(low, high, true, true);
    if change.points {
        for tick in &mut ticks {
            let number = tick.label.trim_end_matches('%');
            tick.label = format!("{number} {}", change.unit());
        }
    }
    (range, ticks)
}

/// Where a line of steps breaks: before each point whose period does not
/// follow the previous one's directly (a step between had no value).
fn gaps(points: &[(Period, f64)]) -> Vec<usize> {
    points
        .windows(2)
        .enumerate()
        .filter(|(_, pair)| pair[0].0.end_day() != pair[1].0.start_day())
        .map(|(i, _)| i + 1)
        .collect()
}
