//! `growth`: measures between two endpoints, per series, with `by` breakdowns.
use std::cmp::Ordering;

use crate::core::command::{
    Direction, Endpoint, GrowthField, GrowthQuery, GrowthRange, Kind, Selector, Sort,
};
use crate::core::growth::{Measures, differs, measures, overflow_note, share_pct};
use crate::core::period::{FiscalCalendar, FiscalPeriod, Period, Span};
use crate::core::resolve::{Requested, ResolveError, Resolved};
use crate::core::rows::{Cell, NumberStyle};
use crate::store::{MetricRow, SeriesRow};

use super::fiscal::period_name;
use super::select::{Breakdown, Segment};
use super::sink::{Held, RowSink};
use super::{ExecError, Executor, Result, recorded};

/// One output row before formatting. `ends` is None for a series whose
/// endpoints could not be resolved (its note says why).
pub(super) struct GrowthRow {
    pub series: String,
    pub metric: String,
    pub ratio: bool,
    pub ends: Option<Ends>,
    /// The periods asked for, by name, shown when `ends` is None (a step
    /// of `every` that could not be resolved); the start is None when
    /// `over` could not shift the end.
    pub asked: Option<(Option<String>, String)>,
    pub share: Option<f64>,
    pub note: Option<String>,
}

#[derive(Clone, Copy)]
pub(super) struct Ends {
    from: (Period, f64),
    to: (Period, f64),
    measures: Measures,
    /// The endpoints asked for in fiscal form, which are shown so.
    asked: [Option<FiscalPeriod>; 2],
}

impl Ends {
    fn new(from: (Period, f64), to: (Period, f64), ratio: bool) -> Ends {
        Ends {
            from,
            to,
            measures: measures(from.1, to.1, &from.0, &to.0, ratio),
            asked: [None, None],
        }
    }

    fn asked(self, asked: [Option<FiscalPeriod>; 2]) -> Ends {
        Ends { asked, ..self }
    }
}

impl Executor {
    /// `growth`: its rows go to `sink` as they are made, except with
    /// `sort`, which needs every row first.
    pub(super) fn growth(
        &self,
        query: &GrowthQuery,
        asof: Option<i64>,
        sink: &mut dyn RowSink,
    ) -> Result<()> {
        let calendar = self.calendar()?;
        if let GrowthRange::Every { .. } = query.range {
            return self.growth_every(query, asof, calendar, sink);
        }
        match &query.by {
            None if query.sort.is_some() => {
                let mut rows = Vec::new();
                self.growth_of_each(query, asof, &mut |row| {
                    rows.push(row);
                    Ok(true)
                })?;
                sort_and_limit(&mut rows, query.sort.as_ref(), query.limit);
                let mut out = Held::new(sink, &GrowthField::names());
                for row in rows {
                    out.row(row_cells(row, calendar), true)?;
                }
                Ok(())
            }
            None => {
                let mut out = Held::new(sink, &GrowthField::names());
                let limit = query.limit;
                self.growth_of_each(query, asof, &mut |row| {
                    let resolved = row.ends.is_some();
                    if limit.is_some_and(|limit| out.count >= limit) {
                        // Past the limit only to learn whether any row has values.
                        if resolved {
                            out.release()?;
                        }
                        return Ok(!resolved);
                    }
                    out.row(row_cells(row, calendar), resolved)?;
                    Ok(true)
                })
            }
            Some(key) => {
                let mut out = Held::new(sink, &GrowthField::names());
                for breakdown in self.select_by(&query.selector, key)? {
                    for row in self.growth_by(query, &breakdown, asof)? {
                        out.row(row_cells(row, calendar), true)?;
                    }
                }
                Ok(())
            }
        }
    }

    /// One row per selected series, handed to `each` until it returns
    /// false. A single series' failure is the command's; among many, it
    /// becomes a row whose note says why, and when every row failed, the
    /// command fails with the first reason.
    fn growth_of_each(
        &self,
        query: &GrowthQuery,
        asof: Option<i64>,
        each: &mut dyn FnMut(GrowthRow) -> Result<bool>,
    ) -> Result<()> {
        let (mut count, mut failed) = (0, 0);
        let mut first_failure = None;
        self.each_selected(&query.selector, &mut |metric, s| {
            count += 1;
            let row = match self.growth_row(metric, &s, &query.range, query.trailing, asof) {
                Ok(row) => row,
                Err(err) => {
                    failed += 1;
                    let row = GrowthRow {
                        series: s.name.clone(),
                        metric: metric.name.clone(),
                        ratio: metric.is_ratio(),
                        ends: None,
                        asked: None,
                        share: None,
                        note: Some(err.to_string()),
                    };
                    first_failure.get_or_insert(err);
                    row
                }
            };
            each(row)
        })?;
        if let Some(first) = first_failure
            && failed == count
        {
            if count == 1 {
                return Err(first);
            }
            return Err(ExecError::AllFailed {
                count: failed,
                first: Box::new(first),
            });
        }
        Ok(())
    }

    /// Segment rows, then the unattributed difference if any, then the total.
    pub(super) fn growth_by(
        &self,
        query: &GrowthQuery,
        breakdown: &Breakdown,
        asof: Option<i64>,
    ) -> Result<Vec<GrowthRow>> {
        let Breakdown {
            metric,
            segments,
            total: recorded_total,
        } = breakdown;
        let recorded_total = recorded_total.as_ref();
        let ratio = metric.is_ratio();
        let mut rows = segments
            .iter()
            .map(|segment| match segment {
                Segment::Series(s) => {
                    self.growth_row(metric, s, &query.range, query.trailing, asof)
                }
                Segment::Sum { name, series } => {
                    self.sum_row(metric, name, series, &query.range, query.trailing, asof)
                }
            })
            .collect::<Result<Vec<_>>>()?;
        // A sum of averages or ratios means nothing: without a recorded
        // total, the segments stand alone, and no share can be taken.
        if recorded_total.is_none() && matches!(metric.kind, Some(Kind::Average | Kind::Ratio)) {
            sort_and_limit(&mut rows, query.sort.as_ref(), query.limit);
            return Ok(rows);
        }
        let ends: Vec<Ends> = rows.iter().filter_map(|r| r.ends).collect();
        let sum_from: f64 = ends.iter().map(|e| e.from.1).sum();
        let sum_to: f64 = ends.iter().map(|e| e.to.1).sum();
        let selector = query.selector.to_string();
        let selector_name = if query.selector.is_pattern() {
            Selector::one(metric.name.clone(), query.selector.labels.clone()).to_string()
        } else {
            selector
        };

        let total = match recorded_total {
            Some(series) => self.growth_row(metric, series, &query.range, query.trailing, asof)?,
            None => {
                let same =
                    |pick: fn(&Ends) -> Period| ends.iter().all(|e| pick(e) == pick(&ends[0]));
                let from = (ends[0].from.0, sum_from);
                let to = (ends[0].to.0, sum_to);
                GrowthRow {
                    series: selector_name.clone(),
                    metric: metric.name.clone(),
                    ratio,
                    ends: Some(Ends::new(from, to, ratio).asked(ends[0].asked)),
                    asked: None,
                    share: None,
                    note: Some(if same(|e| e.from.0) && same(|e| e.to.0) {
                        "sum of the segments".to_string()
                    } else {
                        "sum of the segments, whose periods differ".to_string()
                    }),
                }
            }
        };
        let total_ends = total.ends.expect("a total row has endpoints");
        let unattributed = (recorded_total.is_some()
            && (differs(total_ends.from.1, sum_from) || differs(total_ends.to.1, sum_to)))
        .then(|| GrowthRow {
            series: format!("{selector_name} (unattributed)"),
            metric: metric.name.clone(),
            ratio,
            ends: Some(
                Ends::new(
                    (total_ends.from.0, total_ends.from.1 - sum_from),
                    (total_ends.to.0, total_ends.to.1 - sum_to),
                    ratio,
                )
                .asked(total_ends.asked),
            ),
            asked: None,
            share: None,
            note: Some("recorded total minus the sum of the segments".to_string()),
        });

        rows.extend(unattributed);
        rows.push(total);
        let total_change = total_ends.measures.change;
        for row in &mut rows {
            row.share = row
                .ends
                .and_then(|e| share_pct(e.measures.change, total_change));
        }
        // Shares first, so that they can be sorted by; the unattributed
        // and total rows stay last.
        let fixed = rows.split_off(segments.len());
        sort_and_limit(&mut rows, query.sort.as_ref(), query.limit);
        rows.extend(fixed);
        Ok(rows)
    }

    /// The row of one series; with `trailing`, each endpoint stands for
    /// the range of that length ending where it ends.
    pub(super) fn growth_row(
        &self,
        metric: &MetricRow,
        series: &SeriesRow,
        range: &GrowthRange,
        trailing: Option<Span>,
        asof: Option<i64>,
    ) -> Result<GrowthRow> {
        // With `trailing`, each end is the window ending where the period
        // asked for ends: a range, named by the calendar.
        let window = |endpoint| -> Result<(Period, Resolved)> {
            let span = trailing.expect("windows only with trailing");
            let requested = match endpoint {
                Endpoint::Period(period) => period,
                Endpoint::Fiscal(fiscal) => fiscal.period(self.calendar()?)?,
                _ => self.resolve_endpoint(series, metric, endpoint, asof)?.0,
            };
            let window = requested.trailing(span)?;
            Ok((
                window,
                self.resolve_period(
                    series,
                    metric,
                    &Requested::new(window, self.calendar()?),
                    asof,
                )?,
            ))
        };
        let end = |endpoint| match trailing {
            None => self.resolve_endpoint(series, metric, endpoint, asof),
            Some(_) => window(endpoint),
        };
        let fiscal = |endpoint| fiscal_of(endpoint).filter(|_| trailing.is_none());
        let (asked, from, to, fiscal) = match *range {
            GrowthRange::FromTo { from, to } => (
                Asked::new(from, to),
                end(from)?.1,
                end(to)?.1,
                [fiscal(from), fiscal(to)],
            ),
            GrowthRange::Over { span, to } => {
                let to_endpoint = to.unwrap_or(Endpoint::Latest);
                let (requested, to_asked, to) = match trailing {
                    None => {
                        let (requested, to) =
                            self.resolve_endpoint(series, metric, to_endpoint, asof)?;
                        (requested, requested, to)
                    }
                    Some(_) => {
                        let requested = match to_endpoint {
                            Endpoint::Period(period) => period,
                            Endpoint::Fiscal(fiscal) => fiscal.period(self.calendar()?)?,
                            _ => self.resolve_endpoint(series, metric, to_endpoint, asof)?.0,
                        };
                        let (asked, to) = window(Endpoint::Period(requested))?;
                        (requested, asked, to)
                    }
                };
                let (from_period, from_fiscal) = self.shifted(to_endpoint, requested, span)?;
                let from_period = trail(from_period, trailing)?;
                let from_fiscal = from_fiscal.filter(|_| trailing.is_none());
                let from = Requested {
                    period: from_period,
                    fiscal: from_fiscal,
                    calendar: self.calendar()?,
                };
                let from = self.resolve_period(series, metric, &from, asof)?;
                (
                    Asked::shifted(from_period, to_asked),
                    from,
                    to,
                    [from_fiscal, fiscal(to_endpoint)],
                )
            }
            GrowthRange::Every { .. } => unreachable!("every is run step by step"),
        };
        let mut row = measured(
            &series.name,
            metric,
            asked,
            (from, to),
            None,
            self.calendar()?,
        )?;
        row.ends = row.ends.map(|ends| ends.asked(fiscal));
        Ok(row)
    }

    /// The earlier end of `over`: `to`'s period moved back by `span`. A
    /// fiscal period stays fiscal (and is returned to be shown so); a
    /// to-date range moves end by end, staying the same part of its year.
    fn shifted(
        &self,
        to: Endpoint,
        requested: Period,
        span: Span,
    ) -> Result<(Period, Option<FiscalPeriod>)> {
        Ok(match to {
            Endpoint::Fiscal(fiscal) => {
                let shifted = fiscal.shift_back(span)?;
                (shifted.period(self.calendar()?)?, Some(shifted))
            }
            Endpoint::ToDate(_) => (requested.shift_ends_back(span)?, None),
            _ => (requested.shift_back(span)?, None),
        })
    }

    /// The row of a rolled-up segment: each endpoint is the sum of what it
    /// resolves to in every series of the segment.
    fn sum_row(
        &self,
        metric: &MetricRow,
        name: &str,
        series: &[SeriesRow],
        range: &GrowthRange,
        trailing: Option<Span>,
        asof: Option<i64>,
    ) -> Result<GrowthRow> {
        let (asked, from_period, to_period, fiscal) = match *range {
            GrowthRange::FromTo { from, to } => (
                Asked::new(from, to),
                self.sum_endpoint(series, from, asof)?,
                self.sum_endpoint(series, to, asof)?,
                [fiscal_of(from), fiscal_of(to)],
            ),
            GrowthRange::Over { span, to } => {
                let to_endpoint = to.unwrap_or(Endpoint::Latest);
                let to = self.sum_endpoint(series, to_endpoint, asof)?;
                let (from, from_fiscal) = self.shifted(to_endpoint, to, span)?;
                (
                    Asked::shifted(from, to),
                    from,
                    to,
                    [from_fiscal, fiscal_of(to_endpoint)],
                )
            }
            GrowthRange::Every { .. } => unreachable!("every is run step by step"),
        };
        let (from_period, to_period) = (trail(from_period, trailing)?, trail(to_period, trailing)?);
        let calendar = self.calendar()?;
        let from = Requested {
            period: from_period,
            fiscal: fiscal[0].filter(|_| trailing.is_none()),
            calendar,
        };
        let to = Requested {
            period: to_period,
            fiscal: fiscal[1].filter(|_| trailing.is_none()),
            calendar,
        };
        let from = self.resolve_sum(metric, series, &from, asof)?;
        let to = self.resolve_sum(metric, series, &to, asof)?;
        let lead = format!("sum of {} series", series.len());
        measured(name, metric, asked, (from, to), Some(lead), calendar)
    }

    /// The requested period of an endpoint and the value standing for it.
    fn resolve_endpoint(
        &self,
        series: &SeriesRow,
        metric: &MetricRow,
        endpoint: Endpoint,
        asof: Option<i64>,
    ) -> Result<(Period, Resolved)> {
        let edge = match endpoint {
            Endpoint::Period(period) => {
                return Ok((
                    period,
                    self.resolve_period(
                        series,
                        metric,
                        &Requested::new(period, self.calendar()?),
                        asof,
                    )?,
                ));
            }
            Endpoint::Fiscal(fiscal) => {
                let period = fiscal.period(self.calendar()?)?;
                let requested = Requested {
                    period,
                    fiscal: Some(fiscal),
                    calendar: self.calendar()?,
                };
                return Ok((
                    period,
                    self.resolve_period(series, metric, &requested, asof)?,
                ));
            }
            Endpoint::ToDate(g) => {
                let period = self.to_date_range(series, g, asof)?;
                return Ok((
                    period,
                    self.resolve_period(
                        series,
                        metric,
                        &Requested::new(period, self.calendar()?),
                        asof,
                    )?,
                ));
            }
            Endpoint::Earliest => self.store.earliest(series.id, asof)?,
            Endpoint::Latest => self.store.latest(series, asof)?,
        };
        let Some(observation) = edge else {
            return Err(ResolveError::NoRecords {
                series: series.name.clone(),
            }
            .into());
        };
        let (period, value) = recorded(observation)?;
        Ok((
            period,
            Resolved {
                period,
                value,
                note: None,
            },
        ))
    }
}

/// How the two ends of a row were asked: both are named in the error when
/// ends asked as different periods stand on one recorded period.
struct Asked {
    from: Endpoint,
    to: Endpoint,
    different: bool,
}

impl Asked {
    fn new(from: Endpoint, to: Endpoint) -> Asked {
        Asked {
            from,
            to,
            different: from != to,
        }
    }

    /// `over`: the earlier end is the later one shifted back.
    fn shifted(from: Period, to: Period) -> Asked {
        Asked {
            from: Endpoint::Period(from),
            to: Endpoint::Period(to),
            different: true,
        }
    }
}

/// The row between two resolved ends; `lead` goes first in its note.
fn measured(
    series: &str,
    metric: &MetricRow,
    asked: Asked,
    (from, to): (Resolved, Resolved),
    lead: Option<String>,
    calendar: FiscalCalendar,
) -> Result<GrowthRow> {
    if asked.different && from.period == to.period {
        return Err(ResolveError::SamePeriod {
            series: series.to_string(),
            from: asked.from,
            to: asked.to,
            period: from.period,
            calendar,
        }
        .into());
    }
    let notes: Vec<String> = lead
        .into_iter()
        .chain(
            [("from", &from.note), ("to", &to.note)]
                .into_iter()
                .filter_map(|(end, note)| note.as_ref().map(|n| format!("{end}: {n}"))),
        )
        .collect();
    let ratio = metric.is_ratio();
    Ok(GrowthRow {
        series: series.to_string(),
        metric: metric.name.clone(),
        ratio,
        ends: Some(Ends::new(
            (from.period, from.value),
            (to.period, to.value),
            ratio,
        )),
        asked: None,
        share: None,
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    })
}

/// `period`, or with `trailing` the range of that length ending where it ends.
pub(super) fn trail(period: Period, trailing: Option<Span>) -> Result<Period> {
    Ok(match trailing {
        Some(span) => period.trailing(span)?,
        None => period,
    })
}

/// A row's number in a numeric field; None when empty, and for the text
/// fields, which `sort` does not take.
pub(super) fn field_value(row: &GrowthRow, field: GrowthField) -> Option<f64> {
    let ends = row.ends.as_ref()?;
    let m = &ends.measures;
    match field {
        GrowthField::FromValue => Some(ends.from.1),
        GrowthField::ToValue => Some(ends.to.1),
        GrowthField::Change => Some(m.change),
        GrowthField::ChangePct => m.change_pct,
        GrowthField::Multiple => m.multiple,
        GrowthField::Years => Some(m.years),
        GrowthField::CagrPct => m.cagr_pct,
        GrowthField::ChangePp => m.change_pp,
        GrowthField::SharePct => row.share,
        GrowthField::Series
        | GrowthField::Metric
        | GrowthField::FromPeriod
        | GrowthField::ToPeriod
        | GrowthField::Note => None,
    }
}

/// Two rows by a sort field, nulls last in either direction.
pub(super) fn by_field(
    a: &GrowthRow,
    b: &GrowthRow,
    field: GrowthField,
    direction: Direction,
) -> Ordering {
    match (field_value(a, field), field_value(b, field)) {
        (Some(x), Some(y)) => {
            let order = x.partial_cmp(&y).unwrap_or(Ordering::Equal);
            match direction {
                Direction::Asc => order,
                Direction::Desc => order.reverse(),
            }
        }
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Sorts by a numeric field, nulls last in either direction; ties keep
/// their order (by series name).
fn sort_and_limit(rows: &mut Vec<GrowthRow>, sort: Option<&Sort>, limit: Option<u64>) {
    if let Some(sort) = sort {
        rows.sort_by(|a, b| by_field(a, b, sort.field, sort.direction));
    }
    if let Some(limit) = limit {
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    }
}

/// The fiscal period an endpoint was asked as, if any.
fn fiscal_of(endpoint: Endpoint) -> Option<FiscalPeriod> {
    match endpoint {
        Endpoint::Fiscal(fiscal) => Some(fiscal),
        _ => None,
    }
}

/// A row's cells in [`GrowthField::ALL`] order; its texts move into them.
pub(super) fn row_cells(mut row: GrowthRow, calendar: FiscalCalendar) -> Vec<Cell> {
    GrowthField::ALL
        .map(|field| cell(&mut row, field, calendar))
        .to_vec()
}

/// A row's cell in one field, styled for people; a text field's text is
/// taken from the row (each field is asked for once).
fn cell(row: &mut GrowthRow, field: GrowthField, calendar: FiscalCalendar) -> Cell {
    let e = row.ends.as_ref();
    let m = e.map(|e| &e.measures);
    let value = NumberStyle::value(row.ratio);
    match field {
        GrowthField::Series => Cell::text(std::mem::take(&mut row.series)),
        GrowthField::Metric => Cell::text(std::mem::take(&mut row.metric)),
        // A step without values shows the periods it asked for.
        GrowthField::FromPeriod => Cell::opt_text(match e {
            Some(e) => Some(period_name(calendar, &e.from.0, e.asked[0])),
            None => row.asked.as_ref().and_then(|(from, _)| from.clone()),
        }),
        GrowthField::ToPeriod => Cell::opt_text(match e {
            Some(e) => Some(period_name(calendar, &e.to.0, e.asked[1])),
            None => row.asked.as_ref().map(|(_, to)| to.clone()),
        }),
        GrowthField::FromValue | GrowthField::ToValue => {
            Cell::number(field_value(row, field), value)
        }
        GrowthField::Change => Cell::number(m.map(|m| m.change), NumberStyle::change(row.ratio)),
        GrowthField::ChangePct | GrowthField::CagrPct => {
            Cell::number(field_value(row, field), NumberStyle::Percent)
        }
        GrowthField::SharePct => Cell::number(row.share, NumberStyle::Percent),
        GrowthField::Multiple => Cell::number(field_value(row, field), NumberStyle::Multiple),
        GrowthField::Years => Cell::number(field_value(row, field), NumberStyle::Years),
        GrowthField::ChangePp => Cell::number(field_value(row, field), NumberStyle::PercentPoints),
        GrowthField::Note => {
            // Measures too large for a number show empty: say why.
            let mut overflowed = m.map(|m| m.overflowed()).unwrap_or_default();
            if row.share.is_some_and(|s| !s.is_finite()) {
                overflowed.push("share_pct");
            }
            let note = match (row.note.take(), overflow_note(&overflowed)) {
                (Some(note), Some(over)) => Some(format!("{note}; {over}")),
                (note, over) => note.or(over),
            };
            Cell::opt_text(note)
        }
    }
}
