//! `series`, `metrics` and `history`.
use crate::core::chart::{Change, Chart, ChartLine, ChartMetric};
use crate::core::command::{
    ChartQuery, GrowthField, GrowthQuery, GrowthRange, PeriodArg, SeriesQuery,
};
use crate::core::growth::change_pct;
use crate::core::labels::SeriesKey;
use crate::core::period::{FiscalCalendar, Granularity, Period, Span, supported_days};
use crate::core::resolve::Requested;
use crate::core::rows::{Cell, NumberStyle, Rows};
use crate::core::sparkline::sparkline;
use crate::store::{MetricRow, RevisionRow, SeriesRow};

use super::grid::Grid;
use super::growth::{field_value, trail};
use super::select::Selected;
use super::sink::{Held, RowSink};
use super::{ExecError, Executor, Result, recorded};

pub const SERIES_FIELDS: [&str; 8] = [
    "series",
    "period",
    "start",
    "end",
    "value",
    "change",
    "change_pct",
    "note",
];
pub const METRICS_FIELDS: [&str; 8] = [
    "metric",
    "kind",
    "unit",
    "series",
    "snapshots",
    "first",
    "last",
    "description",
];
pub const HISTORY_FIELDS: [&str; 8] = [
    "series",
    "period",
    "revision",
    "value",
    "status",
    "recorded_at",
    "source",
    "note",
];

/// The step grid of a listing with `every`, none without.
fn step_grid(command: &'static str, query: &SeriesQuery) -> Option<Grid> {
    query
        .every
        .map(|g| Grid::new(command, query.selector.to_string(), g))
}

/// One point of a `series` listing.
struct Point {
    period: Period,
    /// How the period is shown (see [`period_name`]).
    name: String,
    value: Option<f64>,
    note: Option<String>,
    /// Why a step has no value, kept typed for the command's own error
    /// when no step resolves.
    failure: Option<ExecError>,
    /// What `change` compares with: the previous point of the same step
    /// (with `every`, every point; a trailing window that happens to be a
    /// named period included), else of the same granularity.
    step: Option<Granularity>,
}

/// The days a listing covers, from `from` and `to` as written, and the
/// calendar its fiscal periods are in.
struct Window {
    from: Option<Period>,
    to: Option<Period>,
    calendar: FiscalCalendar,
    /// `trailing SPAN`: each step stands for the SPAN-long range ending
    /// where it ends.
    trailing: Option<Span>,
}

impl Executor {
    fn window(&self, query: &SeriesQuery) -> Result<Window> {
        let days = |arg: Option<PeriodArg>| arg.map(|p| self.days_of(&p)).transpose();
        let (from, to) = (days(query.from)?, days(query.to)?);
        if let (Some(from), Some(to)) = (from, to)
            && to.end_day() <= from.start_day()
        {
            return Err(ExecError::EmptyRange { from, to });
        }
        Ok(Window {
            from,
            to,
            calendar: self.calendar()?,
            trailing: query.trailing,
        })
    }

    /// `series`: each series' rows go to `sink` as they are made, with
    /// its sparkline as a footer line.
    pub(super) fn series_rows(
        &self,
        query: &SeriesQuery,
        asof: Option<i64>,
        sink: &mut dyn RowSink,
    ) -> Result<()> {
        let window = self.window(query)?;
        let mut out = Held::new(sink, &SERIES_FIELDS);
        let (mut count, mut first_failure) = (0, None);
        let mut grid = step_grid("series", query);
        self.each_selected(&query.selector, &mut |metric, s| {
            let ratio = metric.is_ratio();
            let style = (NumberStyle::value(ratio), NumberStyle::change(ratio));
            let mut points = self.points(&s, metric, query, &window, asof, grid.as_mut())?;
            count += 1;
            if first_failure.is_none() {
                first_failure = points.iter_mut().find_map(|p| p.failure.take());
            }
            push_points(&mut out, &s.name, &points, style)?;
            if points.len() >= 2 {
                let values: Vec<Option<f64>> = points.iter().map(|p| p.value).collect();
                out.footer(format!("{}  {}", s.name, sparkline(&values)));
            }
            Ok(true)
        })?;
        // Steps that all failed are a failed command, not empty rows.
        if let Some(first) = first_failure.filter(|_| !out.resolved) {
            return Err(ExecError::AllFailed {
                count,
                first: Box::new(first),
            });
        }
        Ok(())
    }

    /// The points of one series in a listing: the recorded snapshots, or
    /// one per `every` period.
    fn points(
        &self,
        series: &SeriesRow,
        metric: &MetricRow,
        query: &SeriesQuery,
        window: &Window,
        asof: Option<i64>,
        grid: Option<&mut Grid>,
    ) -> Result<Vec<Point>> {
        match (query.every, grid) {
            (Some(g), Some(grid)) => self.with_loaded(&[series], asof, || {
                self.stepped_points(series, metric, g, window, asof, grid)
            }),
            _ => self.recorded_points(series, window, asof),
        }
    }

    /// The recorded snapshots within the range, as they are.
    fn recorded_points(
        &self,
        series: &SeriesRow,
        window: &Window,
        asof: Option<i64>,
    ) -> Result<Vec<Point>> {
        let from = window.from.map_or(i32::MIN, |p| p.start_day());
        let to = window.to.map_or(i32::MAX, |p| p.end_day());
        self.store
            .snapshots_within(series.id, from, to, asof)?
            .into_iter()
            .map(|obs| {
                let (period, value) = recorded(obs)?;
                Ok(Point {
                    step: period.granularity(),
                    period,
                    name: window.calendar.name(&period),
                    value: Some(value),
                    note: None,
                    failure: None,
                })
            })
            .collect()
    }

    /// One point per `g`-period across the range (by default, the series'
    /// recorded span), each resolved like a growth endpoint; a period that
    /// cannot be resolved has no value and a note saying why. Fiscal steps
    /// follow the store's calendar and are shown in fiscal form.
    fn stepped_points(
        &self,
        series: &SeriesRow,
        metric: &MetricRow,
        g: Granularity,
        window: &Window,
        asof: Option<i64>,
        grid: &mut Grid,
    ) -> Result<Vec<Point>> {
        let calendar = window.calendar;
        let first = match window.from {
            Some(p) => p.start(),
            None => match self.store.earliest(series.id, asof)? {
                Some(obs) => recorded(obs)?.0.start(),
                None => return Ok(Vec::new()),
            },
        };
        let last = match window.to {
            Some(p) => p.last_day(),
            None => match self.store.latest(series, asof)? {
                Some(obs) => recorded(obs)?.0.last_day(),
                None => return Ok(Vec::new()),
            },
        };
        let (first, last) = (
            Period::containing_in(calendar, g, first),
            Period::containing_in(calendar, g, last),
        );
        if first.start() > last.start() {
            return Ok(Vec::new());
        }
        // The cap holds for the whole result, all its series together.
        grid.take(first, last)?;
        let mut points = Vec::new();
        let mut next = Some(first);
        while let Some(period) = next.filter(|p| p.start() <= last.start()) {
            let fiscal = calendar.fiscal_of(&period).filter(|_| g.is_fiscal());
            let name = match fiscal {
                Some(fiscal) => fiscal.to_string(),
                None => calendar.name(&period),
            };
            // With `trailing`, the step stands for the range ending with it,
            // shown by its own name.
            let range = trail(period, window.trailing);
            let (shown, name, fiscal) = match &range {
                Ok(range) if window.trailing.is_some() => (*range, calendar.name(range), None),
                _ => (period, name, fiscal),
            };
            let resolved = range.and_then(|period| {
                let requested = Requested {
                    period,
                    fiscal,
                    calendar,
                };
                self.resolve_period(series, metric, &requested, asof)
            });
            points.push(match resolved {
                Ok(r) => Point {
                    note: r.note.or_else(|| {
                        (r.period != shown).then(|| format!("from {}", calendar.name(&r.period)))
                    }),
                    period: shown,
                    name,
                    value: Some(r.value),
                    failure: None,
                    step: Some(g),
                },
                Err(err @ (ExecError::Resolve(_) | ExecError::Period(_))) => Point {
                    period: shown,
                    name,
                    value: None,
                    note: Some(err.to_string()),
                    step: Some(g),
                    failure: Some(err),
                },
                Err(err) => return Err(err),
            });
            next = period.following_in(calendar, g);
        }
        Ok(points)
    }

    pub(super) fn metrics_rows(&self, pattern: Option<&str>) -> Result<Rows> {
        let mut out = Rows::new(&METRICS_FIELDS);
        let calendar = self.calendar()?;
        for metric in self.store.metrics_matching(pattern)? {
            let stats = self.store.metric_stats(metric.id)?;
            let period = |bounds: Option<(i32, i32)>| -> Result<Option<String>> {
                bounds
                    .map(|(start, end)| {
                        Period::from_day_numbers(start, end)
                            .map(|p| calendar.name(&p))
                            .map_err(ExecError::StoredPeriod)
                    })
                    .transpose()
            };
            out.push(vec![
                Cell::text(metric.name.clone()),
                Cell::opt_text(metric.kind.map(|k| k.name().to_string())),
                Cell::opt_text(metric.unit.clone()),
                Cell::Int(stats.series),
                Cell::Int(stats.snapshots),
                Cell::opt_text(period(stats.first)?),
                Cell::opt_text(period(stats.last)?),
                Cell::opt_text(metric.description.clone()),
            ]);
        }
        Ok(out)
    }

    pub(super) fn history_rows(&self, key: &SeriesKey, period: Option<&Period>) -> Result<Rows> {
        let name = key.to_string();
        let Some(series) = self.store.series_by_name(&name)? else {
            return Err(ExecError::NoSeries(name));
        };
        let ratio = self
            .store
            .metric(&key.metric)?
            .is_some_and(|m| m.is_ratio());
        let style = NumberStyle::value(ratio);
        let mut out = Rows::new(&HISTORY_FIELDS);
        let calendar = self.calendar()?;
        let bounds = period.map(|p| (p.start_day(), p.end_day()));
        for rev in self.store.history(series.id, bounds)? {
            out.push(history_cells(&name, rev, style, Some(calendar))?);
        }
        Ok(out)
    }
}

/// One revision as a row of [`HISTORY_FIELDS`], as `history` lists it
/// (periods named in the store's `calendar`) and a history export writes it
/// (`None`: calendar names and days only, which mean the same in any store).
pub(super) fn history_cells(
    series: &str,
    rev: RevisionRow,
    style: NumberStyle,
    calendar: Option<FiscalCalendar>,
) -> Result<Vec<Cell>> {
    let period =
        Period::from_day_numbers(rev.start_day, rev.end_day).map_err(ExecError::StoredPeriod)?;
    let name = calendar.map_or_else(|| period.to_string(), |c| c.name(&period));
    Ok(vec![
        Cell::text(series),
        Cell::text(name),
        Cell::Int(rev.revision),
        Cell::number(rev.value, style),
        Cell::text(status_of(&rev)),
        Cell::text(super::timestamp_text(rev.recorded_at)),
        Cell::opt_text(rev.source),
        Cell::opt_text(rev.note),
    ])
}

/// Adds points as rows; change is against the previous point of the same
/// kind of period, so a year is never compared with a month.
fn push_points(
    out: &mut Held,
    series: &str,
    points: &[Point],
    (value_style, change_style): (NumberStyle, NumberStyle),
) -> Result<()> {
    let mut previous: Vec<(Option<Granularity>, f64)> = Vec::new();
    for point in points {
        let kind = point.step;
        let before = previous.iter().find(|(k, _)| *k == kind).map(|(_, v)| *v);
        let change = point.value.zip(before).map(|(v, b)| v - b);
        let change_pct = point.value.zip(before).and_then(|(v, b)| change_pct(b, v));
        if let Some(v) = point.value {
            previous.retain(|(k, _)| *k != kind);
            previous.push((kind, v));
        }
        let cells = vec![
            Cell::text(series),
            Cell::text(point.name.clone()),
            Cell::text(point.period.start().to_string()),
            Cell::text(point.period.last_day().to_string()),
            Cell::number(point.value, value_style),
            Cell::number(change, change_style),
            Cell::number(change_pct, NumberStyle::Percent),
            Cell::opt_text(point.note.clone()),
        ];
        out.row(cells, point.value.is_some())?;
    }
    Ok(())
}

/// `current`, `superseded` or `deleted`, as `history` shows a revision.
fn status_of(revision: &RevisionRow) -> &'static str {
    match (revision.value, revision.current) {
        (None, _) => "deleted",
        (Some(_), true) => "current",
        (Some(_), false) => "superseded",
    }
}

pub const CHECK_FIELDS: [&str; 3] = ["check", "result", "detail"];

impl Executor {
    /// `.check`: SQLite's integrity check and the store's invariants, one
    /// row each, and how many found a problem.
    pub fn check(&self) -> Result<(Rows, usize)> {
        let findings = self.store.check(supported_days())?;
        let problems = findings.iter().filter(|f| f.problem.is_some()).count();
        let mut out = Rows::new(&CHECK_FIELDS);
        for finding in findings {
            let result = if finding.problem.is_some() {
                "problem"
            } else {
                "ok"
            };
            out.push(vec![
                Cell::text(finding.check),
                Cell::text(result),
                Cell::opt_text(finding.problem),
            ]);
        }
        Ok((out, problems))
    }
}

impl Executor {
    /// `chart`: the points `series` would list, as lines to draw.
    pub(super) fn chart(&self, query: &ChartQuery, asof: Option<i64>) -> Result<Chart> {
        let series_query = &query.series;
        let window = self.window(series_query)?;
        let mut lines = Vec::new();
        let mut metrics = Vec::new();
        let mut percent = true;
        let mut grid = step_grid("chart", series_query);
        for Selected { metric, series } in self.select(&series_query.selector)? {
            percent &= metric.is_ratio();
            for s in &series {
                let points = self.points(s, &metric, series_query, &window, asof, grid.as_mut())?;
                let points = points
                    .into_iter()
                    .filter_map(|p| p.value.map(|v| (p.period, v)));
                lines.push(chart_line(&metric, s, points.collect()));
            }
            metrics.push(chart_metric(metric));
        }
        if lines.iter().all(|line| line.points.is_empty()) {
            return Err(ExecError::NothingToChart(series_query.selector.to_string()));
        }
        // Fiscal steps are named in fiscal form, in the store's calendar.
        let fiscal = series_query
            .every
            .filter(|g| g.is_fiscal())
            .map(|_| window.calendar);
        Ok(Chart {
            selector: series_query.selector.to_string(),
            metrics,
            percent,
            fiscal,
            change: None,
            lines,
        })
    }
}

impl Executor {
    /// `chart growth`: the change of each step of `growth ... every`, per
    /// series: `change_pct`, or `change_pp` for a ratio metric. A step
    /// without a value is left out, which the chart draws as a gap.
    pub(super) fn growth_chart(&self, query: &GrowthQuery, asof: Option<i64>) -> Result<Chart> {
        // The parser makes growth charts with steps only; a command built
        // otherwise gets the parser's message.
        let GrowthRange::Every { span, every, .. } = query.range else {
            return Err(ExecError::ChartWithoutSteps);
        };
        let steps = self.growth_every_steps(query, asof)?;
        let mut lines = Vec::new();
        let mut metrics = Vec::new();
        let selected = self.select(&query.selector)?;
        // Points only when every line is of a ratio: one unit on the axis.
        let points = selected.iter().all(|s| s.metric.is_ratio());
        let field = if points {
            GrowthField::ChangePp
        } else {
            GrowthField::ChangePct
        };
        for Selected { metric, series } in selected {
            for s in &series {
                let points = steps
                    .iter()
                    .filter(|(_, row)| row.series == s.name)
                    .filter_map(|(t, row)| field_value(row, field).map(|v| (*t, v)))
                    .filter(|(_, v)| v.is_finite());
                lines.push(chart_line(&metric, s, points.collect()));
            }
            metrics.push(chart_metric(metric));
        }
        if lines.iter().all(|line| line.points.is_empty()) {
            return Err(ExecError::NothingToChart(query.selector.to_string()));
        }
        let fiscal = every.is_fiscal().then_some(self.calendar()?);
        Ok(Chart {
            selector: query.selector.to_string(),
            metrics,
            percent: points,
            fiscal,
            change: Some(Change { span, points }),
            lines,
        })
    }
}

/// The line of series `s` of `metric` through `points`.
fn chart_line(metric: &MetricRow, s: &SeriesRow, points: Vec<(Period, f64)>) -> ChartLine {
    ChartLine {
        metric: metric.name.clone(),
        labels: s
            .labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        points,
    }
}

/// What a chart says of a metric: its name, description and unit.
fn chart_metric(metric: MetricRow) -> ChartMetric {
    ChartMetric {
        name: metric.name,
        description: metric.description,
        unit: metric.unit,
    }
}
