//! `growth SELECTOR over SPAN every GRAIN`: the `over` growth of each
//! GRAIN period T in a range, per series, each step resolved on its own.
use crate::core::command::{Endpoint, GrowthField, GrowthQuery, GrowthRange};
use crate::core::period::{FiscalCalendar, Granularity, Period, PeriodError, Span};
use crate::store::{MetricRow, SeriesRow};

use super::grid::{Grid, MAX_STEPS};
use super::growth::{GrowthRow, by_field, row_cells, trail};
use super::select::{Breakdown, Segment};
use super::sink::{Held, RowSink};
use super::{ExecError, Executor, Result, recorded};

/// What stays the same from step to step.
#[derive(Clone, Copy)]
struct Plan {
    span: Span,
    grain: Granularity,
    trailing: Option<Span>,
    calendar: FiscalCalendar,
    from: Option<Endpoint>,
    to: Option<Endpoint>,
}

/// The recorded periods of a series (or of a `by` group of them) that the
/// defaults and `earliest`/`latest` are taken from: the first one's start
/// and the last one's last day.
#[derive(Clone, Copy)]
struct Edges {
    first: Period,
    last: Period,
}

impl Plan {
    /// The GRAIN period holding `day`.
    fn step_at(&self, day: jiff::civil::Date) -> Period {
        Period::containing_in(self.calendar, self.grain, day)
    }

    fn next(&self, step: &Period) -> Option<Period> {
        step.following_in(self.calendar, self.grain)
    }

    /// Step `t` as an endpoint: a fiscal step is asked in fiscal form.
    fn endpoint(&self, t: Period) -> Endpoint {
        match self.calendar.fiscal_of(&t) {
            Some(fiscal) if self.grain.is_fiscal() && fiscal.grain == self.grain => {
                Endpoint::Fiscal(fiscal)
            }
            _ => Endpoint::Period(t),
        }
    }

    /// The earlier end of step `t`, as `over` moves it (before `trailing`):
    /// a fiscal period stays fiscal.
    fn shifted_end(&self, t: Period) -> Result<Endpoint> {
        Ok(match self.endpoint(t) {
            Endpoint::Fiscal(fiscal) => Endpoint::Fiscal(fiscal.shift_back(self.span)?),
            _ => Endpoint::Period(t.shift_back(self.span)?),
        })
    }

    /// The days of an endpoint of a step.
    fn days(&self, end: Endpoint) -> Result<Period> {
        Ok(match end {
            Endpoint::Fiscal(fiscal) => fiscal.period(self.calendar)?,
            Endpoint::Period(period) => period,
            _ => unreachable!("steps are periods"),
        })
    }

    /// [`Plan::shifted_end`] as days.
    fn shifted(&self, t: &Period) -> Result<Period> {
        self.days(self.shifted_end(*t)?)
    }

    /// How an end of a step that could not be resolved is shown: as asked
    /// (fiscal in fiscal form), or the trailing window's calendar name.
    fn asked_name(&self, end: Endpoint) -> Option<String> {
        let days = self.days(end).ok()?;
        match (self.trailing, end) {
            (Some(span), _) => days.trailing(span).ok().map(|w| self.calendar.name(&w)),
            (None, Endpoint::Fiscal(fiscal)) => Some(fiscal.to_string()),
            (None, _) => Some(self.calendar.name(&days)),
        }
    }

    /// The steps of one series (or group): `from` and `to` converted to
    /// GRAIN, or the defaults; empty when the defaults leave no step.
    fn steps(&self, edges: Edges) -> Result<Vec<Period>> {
        let endpoint = |endpoint: Endpoint| -> Result<Period> {
            Ok(match endpoint {
                Endpoint::Period(period) => period,
                Endpoint::Fiscal(fiscal) => fiscal.period(self.calendar)?,
                Endpoint::Earliest => edges.first,
                Endpoint::Latest => edges.last,
                Endpoint::ToDate(g) => Period::to_date(self.calendar, g, edges.last.last_day()),
            })
        };
        let last = match self.to {
            Some(to) => self.step_at(endpoint(to)?.last_day()),
            None => {
                // The last GRAIN period ending on or before the data's last day.
                let holding = self.step_at(edges.last.last_day());
                if holding.last_day() == edges.last.last_day() {
                    holding
                } else {
                    match holding.start().yesterday() {
                        Ok(day) => self.step_at(day),
                        Err(_) => return Ok(Vec::new()),
                    }
                }
            }
        };
        let first = match self.from {
            Some(from) => {
                let first = self.step_at(endpoint(from)?.start());
                if self.to.is_some() && first.start() > last.start() {
                    return Err(ExecError::EmptyRange {
                        from: first,
                        to: last,
                    });
                }
                first
            }
            None => {
                // The first step whose earlier end starts within the data.
                let mut step = Some(self.step_at(edges.first.start()));
                loop {
                    match step {
                        Some(t) if t.start() <= last.start() => {
                            let earlier = self.shifted(&t).and_then(|p| trail(p, self.trailing));
                            if earlier.is_ok_and(|p| p.start() >= edges.first.start()) {
                                break t;
                            }
                            step = self.next(&t);
                        }
                        _ => return Ok(Vec::new()),
                    }
                }
            }
        };
        let mut steps = Vec::new();
        let mut step = Some(first);
        while let Some(t) = step.filter(|t| t.start() <= last.start()) {
            // More than a result may list: its grid refuses them.
            if steps.len() > MAX_STEPS {
                break;
            }
            steps.push(t);
            step = self.next(&t);
        }
        Ok(steps)
    }
}

/// Whether a failure belongs to one step (a row that says why) rather
/// than to the command.
fn step_failure(err: &ExecError) -> bool {
    matches!(err, ExecError::Resolve(_) | ExecError::Period(_))
}

impl Executor {
    /// `growth ... every`: rows go to `sink` as they are made, except
    /// with `sort` (and no `by`), which orders each step's rows across
    /// every series and so needs them all first.
    pub(super) fn growth_every(
        &self,
        query: &GrowthQuery,
        asof: Option<i64>,
        calendar: FiscalCalendar,
        sink: &mut dyn RowSink,
    ) -> Result<()> {
        let mut out = Held::new(sink, &GrowthField::names());
        if query.by.is_some() || query.sort.is_none() {
            return self.growth_every_each(query, asof, &mut |_, row| {
                let resolved = row.ends.is_some();
                out.row(row_cells(row, calendar), resolved)
            });
        }
        for (_, row) in self.growth_every_steps(query, asof)? {
            out.row(row_cells(row, calendar), true)?;
        }
        Ok(())
    }

    /// The rows of `growth ... every`, each with its step period, sorted
    /// and limited within each step when the query says so.
    pub(super) fn growth_every_steps(
        &self,
        query: &GrowthQuery,
        asof: Option<i64>,
    ) -> Result<Vec<(Period, GrowthRow)>> {
        let mut steps: Vec<(Period, GrowthRow)> = Vec::new();
        self.growth_every_each(query, asof, &mut |t, row| {
            steps.push((t, row));
            Ok(())
        })?;
        if query.by.is_none()
            && let Some(sort) = &query.sort
        {
            steps.sort_by(|(a, x), (b, y)| {
                a.start()
                    .cmp(&b.start())
                    .then_with(|| by_field(x, y, sort.field, sort.direction))
            });
            if let Some(limit) = query.limit {
                let limit = usize::try_from(limit).unwrap_or(usize::MAX);
                let mut kept = 0;
                let mut current = None;
                steps.retain(|(t, _)| {
                    if current != Some(*t) {
                        current = Some(*t);
                        kept = 0;
                    }
                    kept += 1;
                    kept <= limit
                });
            }
        }
        Ok(steps)
    }

    /// Hands each row of `growth ... every` to `each` with its step, series
    /// by series (or group by group), as it is made. Fails when no step of
    /// any series resolves, after the rows were handed on, and before the
    /// rows of a series (or group) whose steps would make the result's
    /// grid longer than [`MAX_STEPS`] periods.
    fn growth_every_each(
        &self,
        query: &GrowthQuery,
        asof: Option<i64>,
        each: &mut dyn FnMut(Period, GrowthRow) -> Result<()>,
    ) -> Result<()> {
        let GrowthRange::Every {
            span,
            every,
            from,
            to,
        } = query.range
        else {
            unreachable!("growth_every runs every ranges");
        };
        let plan = Plan {
            span,
            grain: every,
            trailing: query.trailing,
            calendar: self.calendar()?,
            from,
            to,
        };
        if every.is_fiscal() {
            // A span a fiscal period cannot move by fails every step alike:
            // say so once.
            let sample = plan.step_at(jiff::civil::date(2000, 6, 1));
            if let Err(ExecError::Period(PeriodError::FiscalShift { reason, .. })) =
                plan.shifted(&sample)
            {
                return Err(ExecError::EverySpan {
                    span,
                    every: every.name(),
                    reason,
                });
            }
        }
        let mut series_count = 0;
        let mut grid = Grid::new("growth", query.selector.to_string(), every);
        let mut resolved = false;
        // Why the first step that failed did: the command's error when none resolves.
        let mut first_failure = None;
        let mut budget = |steps: &[Period]| match (steps.first(), steps.last()) {
            (Some(first), Some(last)) => grid.take(*first, *last),
            _ => Ok(()),
        };
        match &query.by {
            None => {
                self.each_selected(&query.selector, &mut |metric, s| {
                    series_count += 1;
                    self.with_loaded(&[&s], asof, || {
                        let Some(edges) = self.edges(&[&s], asof)? else {
                            return Ok(());
                        };
                        let steps = plan.steps(edges)?;
                        budget(&steps)?;
                        for t in steps {
                            let row =
                                self.step_row(&plan, metric, &s, t, asof, &mut first_failure)?;
                            resolved |= row.ends.is_some();
                            each(t, row)?;
                        }
                        Ok(())
                    })?;
                    Ok(true)
                })?;
            }
            Some(key) => {
                for breakdown in self.select_by(&query.selector, key)? {
                    let members: Vec<&SeriesRow> = breakdown
                        .segments
                        .iter()
                        .flat_map(|segment| match segment {
                            Segment::Series(s) => std::slice::from_ref(s),
                            Segment::Sum { series, .. } => series.as_slice(),
                        })
                        .chain(breakdown.total.as_ref())
                        .collect();
                    series_count += members.len();
                    self.with_loaded(&members, asof, || {
                        let Some(edges) = self.edges(&members, asof)? else {
                            return Ok(());
                        };
                        let steps = plan.steps(edges)?;
                        budget(&steps)?;
                        for t in steps {
                            let rows = self.step_by(
                                &plan,
                                query,
                                &breakdown,
                                t,
                                asof,
                                &mut first_failure,
                            )?;
                            for row in rows {
                                resolved |= row.ends.is_some();
                                each(t, row)?;
                            }
                        }
                        Ok(())
                    })?;
                }
            }
        }
        if !resolved {
            return Err(match first_failure {
                Some(first) => ExecError::AllFailed {
                    count: series_count,
                    first: Box::new(first),
                },
                None => ExecError::NoSteps {
                    every: every.name(),
                    span,
                },
            });
        }
        Ok(())
    }

    /// The first-starting and last-ending recorded periods of `series`
    /// taken together; `None` when nothing is recorded.
    fn edges(&self, series: &[&SeriesRow], asof: Option<i64>) -> Result<Option<Edges>> {
        let mut edges: Option<Edges> = None;
        for s in series {
            let ends = match self.loaded(s, asof, |l| (l.earliest(), l.latest())) {
                Some(ends) => ends,
                None => (
                    self.store.earliest(s.id, asof)?,
                    self.store.latest(s, asof)?,
                ),
            };
            let (Some(first), Some(last)) = ends else {
                continue;
            };
            let (first, last) = (recorded(first)?.0, recorded(last)?.0);
            edges = Some(match edges {
                None => Edges { first, last },
                Some(e) => Edges {
                    first: if first.start() < e.first.start() {
                        first
                    } else {
                        e.first
                    },
                    last: if last.last_day() > e.last.last_day() {
                        last
                    } else {
                        e.last
                    },
                },
            });
        }
        Ok(edges)
    }

    /// The row of one series for step `t`: `growth SELECTOR over SPAN to
    /// T`, or an empty-valued row whose note says why it has no values.
    fn step_row(
        &self,
        plan: &Plan,
        metric: &MetricRow,
        series: &SeriesRow,
        t: Period,
        asof: Option<i64>,
        first_failure: &mut Option<ExecError>,
    ) -> Result<GrowthRow> {
        let mut failed =
            |asked, err| empty_row(series.name.clone(), metric, asked, err, first_failure);
        let to = plan.endpoint(t);
        let asked_to = || plan.asked_name(to).unwrap_or_else(|| t.to_string());
        let from = match plan.shifted_end(t) {
            Ok(from) => from,
            Err(err) if step_failure(&err) => return Ok(failed((None, asked_to()), err)),
            Err(err) => return Err(err),
        };
        let range = GrowthRange::FromTo { from, to };
        match self.growth_row(metric, series, &range, plan.trailing, asof) {
            Ok(row) => Ok(row),
            Err(err) if step_failure(&err) => Ok(failed((plan.asked_name(from), asked_to()), err)),
            Err(err) => Err(err),
        }
    }

    /// The `by` rows of one step, or one empty-valued row for the selector
    /// when a segment (or the total) cannot be resolved.
    fn step_by(
        &self,
        plan: &Plan,
        query: &GrowthQuery,
        breakdown: &Breakdown,
        t: Period,
        asof: Option<i64>,
        first_failure: &mut Option<ExecError>,
    ) -> Result<Vec<GrowthRow>> {
        let metric = &breakdown.metric;
        let to = plan.endpoint(t);
        let asked_to = || plan.asked_name(to).unwrap_or_else(|| t.to_string());
        let mut failed = |asked, err| {
            vec![empty_row(
                group_name(query, metric),
                metric,
                asked,
                err,
                first_failure,
            )]
        };
        let from = match plan.shifted_end(t) {
            Ok(from) => from,
            Err(err) if step_failure(&err) => return Ok(failed((None, asked_to()), err)),
            Err(err) => return Err(err),
        };
        let step = GrowthQuery {
            range: GrowthRange::FromTo { from, to },
            ..query.clone()
        };
        match self.growth_by(&step, breakdown, asof) {
            Ok(rows) => Ok(rows),
            Err(err) if step_failure(&err) => Ok(failed((plan.asked_name(from), asked_to()), err)),
            Err(err) => Err(err),
        }
    }
}

/// The selector as the total row of a `by` group names it.
fn group_name(query: &GrowthQuery, metric: &MetricRow) -> String {
    if query.selector.is_pattern() {
        format!("{}{}", metric.name, query.selector.labels)
    } else {
        query.selector.to_string()
    }
}

/// The empty-valued row of a step that cannot be resolved: the ends as
/// asked and the reason in its note. The first reason is kept for the
/// command's error when no step resolves.
fn empty_row(
    series: String,
    metric: &MetricRow,
    asked: (Option<String>, String),
    err: ExecError,
    first_failure: &mut Option<ExecError>,
) -> GrowthRow {
    let note = err.to_string();
    first_failure.get_or_insert(err);
    GrowthRow {
        series,
        metric: metric.name.clone(),
        ratio: metric.is_ratio(),
        ends: None,
        asked: Some(asked),
        share: None,
        note: Some(note),
    }
}
