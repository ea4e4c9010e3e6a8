//! Endpoint resolution: which recorded value stands for a requested period.
//!
//! The rules, in order:
//! 1. a snapshot of exactly the period;
//! 2. snapshots of one finer granularity that tile it, combined by kind;
//! 3. recorded periods that overlap it without one containing it: an error
//!    naming what is present and what is missing;
//! 4. the shortest recorded period that contains it;
//! 5. for kinds other than `flow`, the latest period ending on or before its
//!    start, noted as stale;
//! 6. otherwise, no data: an error.
//!
//! Rules 1–4 need only the snapshots that overlap the period
//! ([`resolve_recorded`]); rule 5 needs one more lookup ([`resolve_stale`]).
use std::collections::HashMap;

use super::aggregate::{CombineError, combine, describe};
use super::command::{Endpoint, Kind};
use super::error::ErrorKind;
use super::period::{FiscalCalendar, FiscalPeriod, Granularity, Period};

/// Which series is being resolved: its name, and its metric's name for
/// messages that say how to fix the metric.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    pub series: &'a str,
    pub metric: &'a str,
}

/// A period asked for, and the fiscal period it was asked as, if any:
/// notes and errors name it as it was asked, and every other period (a
/// recorded one, a missing range) by the store's calendar: by its calendar
/// name, else its fiscal name, else as a range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Requested {
    pub period: Period,
    pub fiscal: Option<FiscalPeriod>,
    pub calendar: FiscalCalendar,
}

impl Requested {
    /// A period asked for by its days.
    pub fn new(period: Period, calendar: FiscalCalendar) -> Requested {
        Requested {
            period,
            fiscal: None,
            calendar,
        }
    }

    /// How the notes and errors about it name another period.
    pub fn name(&self, period: &Period) -> String {
        self.calendar.name(period)
    }
}

impl std::fmt::Display for Requested {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.fiscal {
            Some(fiscal) => fiscal.fmt(f),
            None => f.write_str(&self.name(&self.period)),
        }
    }
}

/// Why no value stands for a requested period.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ResolveError {
    /// Rule 6: nothing recorded in or before the period.
    #[error("no data for {series} in or before {requested}")]
    NoData {
        series: String,
        requested: Requested,
    },
    /// Rule 5 does not apply to flows.
    #[error(
        "no data for {series} in {requested} (a flow is never carried forward from an earlier period)"
    )]
    FlowNotCarried {
        series: String,
        requested: Requested,
    },
    /// Nothing recorded at all (for `earliest` and `latest`).
    #[error("no data for {series}")]
    NoRecords { series: String },
    /// Rule 3: recorded periods overlap the period without covering it.
    #[error(
        "{requested} is only partly recorded for {series}: present {}; missing {}",
        list(present, requested),
        list(missing, requested)
    )]
    PartlyRecorded {
        series: String,
        requested: Requested,
        present: Vec<Period>,
        missing: Vec<Period>,
    },
    /// Rule 3 when every day is covered, but by periods that neither tile
    /// nor contain the one asked for.
    #[error(
        "{series} has {} overlapping {requested}, but they neither tile it at one granularity nor contain it; ask for a period they tile",
        list(present, requested)
    )]
    Untiled {
        series: String,
        requested: Requested,
        present: Vec<Period>,
    },
    /// Rule 2 for a distinct count.
    #[error(
        "{series} is a distinct count, so {requested} cannot be derived from its {count} {parts}; record {requested} itself"
    )]
    Distinct {
        series: String,
        requested: Requested,
        count: usize,
        parts: &'static str,
    },
    /// Two ends asked as different periods that stand on one recorded
    /// period: no growth can be measured between a period and itself.
    #[error(
        "{series}: from {} and to {} both resolve to {}, so no growth can be measured",
        endpoint_name(from, calendar),
        endpoint_name(to, calendar),
        calendar.name(period)
    )]
    SamePeriod {
        series: String,
        from: Endpoint,
        to: Endpoint,
        period: Period,
        calendar: FiscalCalendar,
    },
    /// Rule 2 for a metric without a kind.
    #[error(
        "{metric} has no kind, so {requested} cannot be combined from its {count} {parts}; set one with: metric {metric} kind=stock|flow|average|ratio"
    )]
    NoKind {
        metric: String,
        requested: Requested,
        count: usize,
        parts: &'static str,
    },
}

impl ResolveError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            ResolveError::NoData { .. }
            | ResolveError::FlowNotCarried { .. }
            | ResolveError::NoRecords { .. } => ErrorKind::NoData,
            ResolveError::PartlyRecorded { .. } | ResolveError::Untiled { .. } => {
                ErrorKind::PartlyRecorded
            }
            ResolveError::Distinct { .. } | ResolveError::NoKind { .. } => ErrorKind::CannotCombine,
            ResolveError::SamePeriod { .. } => ErrorKind::SamePeriod,
        }
    }
}

/// The value that stands for a requested period, and which period it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The requested period under rules 1 and 2; the containing or stale
    /// period under rules 4 and 5.
    pub period: Period,
    pub value: f64,
    /// Which rule applied, when it was not rule 1.
    pub note: Option<String>,
}

/// Rules 1–4 over the live snapshots overlapping `requested` (in any order).
/// `Ok(None)` means nothing overlaps: rule 5 or 6 decides.
pub fn resolve_recorded(
    subject: Subject,
    requested: &Requested,
    overlapping: &[(Period, f64)],
    kind: Option<Kind>,
) -> Result<Option<Resolved>, ResolveError> {
    if overlapping.is_empty() {
        return Ok(None);
    }
    let days = &requested.period;
    if let Some((_, value)) = overlapping.iter().find(|(p, _)| p == days) {
        return Ok(Some(Resolved {
            period: *days,
            value: *value,
            note: None,
        }));
    }
    if let Some(resolved) = combine_tiling(subject, requested, overlapping, kind)? {
        return Ok(Some(resolved));
    }
    let shortest_container = overlapping
        .iter()
        .filter(|(p, _)| p.contains(days))
        .min_by_key(|(p, _)| (p.days(), std::cmp::Reverse(p.start_day())));
    match shortest_container {
        Some((period, value)) => Ok(Some(Resolved {
            period: *period,
            value: *value,
            note: Some(format!("{} contains {requested}", requested.name(period))),
        })),
        None => Err(partly_recorded(subject.series, requested, overlapping)),
    }
}

/// Rule 2: the coarsest finer granularity whose periods are all recorded.
fn combine_tiling(
    subject: Subject,
    requested: &Requested,
    overlapping: &[(Period, f64)],
    kind: Option<Kind>,
) -> Result<Option<Resolved>, ResolveError> {
    let recorded: HashMap<Period, f64> = overlapping.iter().copied().collect();
    for granularity in Granularity::CALENDAR {
        let Some(parts) = requested.period.split(granularity) else {
            continue;
        };
        if parts.len() < 2 || parts.len() > recorded.len() {
            continue;
        }
        let values: Option<Vec<(Period, f64)>> = parts
            .iter()
            .map(|p| recorded.get(p).map(|v| (*p, *v)))
            .collect();
        let Some(values) = values else { continue };
        let count = values.len();
        let plural = granularity.plural();
        return match combine(kind, &values) {
            Ok(value) => Ok(Some(Resolved {
                period: requested.period,
                value,
                note: kind.map(|k| format!("{requested} = {} {count} {plural}", describe(k))),
            })),
            Err(CombineError::Distinct) => Err(ResolveError::Distinct {
                series: subject.series.to_string(),
                requested: *requested,
                count,
                parts: plural,
            }),
            Err(CombineError::NoKind) => Err(ResolveError::NoKind {
                metric: subject.metric.to_string(),
                requested: *requested,
                count,
                parts: plural,
            }),
        };
    }
    Ok(None)
}

/// Rule 3's error: what overlaps the period, and which days nothing covers.
fn partly_recorded(
    series: &str,
    requested: &Requested,
    overlapping: &[(Period, f64)],
) -> ResolveError {
    let mut present: Vec<Period> = overlapping.iter().map(|(p, _)| *p).collect();
    present.sort_by_key(|p| (p.start_day(), p.end_day()));
    let missing = gaps(&requested.period, &present);
    let (series, requested) = (series.to_string(), *requested);
    if missing.is_empty() {
        ResolveError::Untiled {
            series,
            requested,
            present,
        }
    } else {
        ResolveError::PartlyRecorded {
            series,
            requested,
            present,
            missing,
        }
    }
}

/// The parts of `period` that no period in `present` (sorted by start) covers.
fn gaps(period: &Period, present: &[Period]) -> Vec<Period> {
    let mut missing = Vec::new();
    let mut cursor = period.start_day();
    for p in present {
        if p.start_day() > cursor {
            missing
                .extend(Period::from_day_numbers(cursor, p.start_day().min(period.end_day())).ok());
        }
        cursor = cursor.max(p.end_day());
    }
    if cursor < period.end_day() {
        missing.extend(Period::from_day_numbers(cursor, period.end_day()).ok());
    }
    missing
}

/// "2024-04, 2024-05", shortened past a handful, named as `requested`
/// names periods.
fn list(periods: &[Period], requested: &Requested) -> String {
    const SHOWN: usize = 6;
    let mut text: Vec<String> = periods
        .iter()
        .take(SHOWN)
        .map(|p| requested.name(p))
        .collect();
    if periods.len() > SHOWN {
        text.push(format!("and {} more", periods.len() - SHOWN));
    }
    text.join(", ")
}

/// An endpoint as an error names it: a period by the store's calendar.
fn endpoint_name(endpoint: &Endpoint, calendar: &FiscalCalendar) -> String {
    match endpoint {
        Endpoint::Period(period) => calendar.name(period),
        other => other.to_string(),
    }
}

/// Rules 5 and 6, for a period that no snapshot overlaps: `before` is the
/// live snapshot ending last on or before its start, if any.
pub fn resolve_stale(
    series: &str,
    requested: &Requested,
    before: Option<(Period, f64)>,
    kind: Option<Kind>,
) -> Result<Resolved, ResolveError> {
    match before {
        Some(_) if kind == Some(Kind::Flow) => Err(ResolveError::FlowNotCarried {
            series: series.to_string(),
            requested: *requested,
        }),
        Some((period, value)) => Ok(Resolved {
            period,
            value,
            note: Some(format!(
                "stale: {requested} as of {}",
                requested.name(&period)
            )),
        }),
        None => Err(ResolveError::NoData {
            series: series.to_string(),
            requested: *requested,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Period {
        Period::parse(text).unwrap()
    }

    fn asked(text: &str) -> Requested {
        Requested::new(p(text), FiscalCalendar::default())
    }

    fn recorded(pairs: &[(&str, f64)]) -> Vec<(Period, f64)> {
        pairs.iter().map(|(t, v)| (p(t), *v)).collect()
    }

    fn resolve(
        requested: &str,
        pairs: &[(&str, f64)],
        kind: Option<Kind>,
    ) -> Result<Option<Resolved>, String> {
        let subject = Subject {
            series: "m{a=b}",
            metric: "m",
        };
        resolve_recorded(subject, &asked(requested), &recorded(pairs), kind)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn rule_1_exact_period() {
        let r = resolve("2024-06", &[("2024", 1.0), ("2024-06", 6.0)], None)
            .unwrap()
            .unwrap();
        assert_eq!((r.period, r.value, r.note), (p("2024-06"), 6.0, None));
    }

    #[test]
    fn rule_2_tiling_by_kind() {
        let quarters = [
            ("2024-Q1", 1.0),
            ("2024-Q2", 2.0),
            ("2024-Q3", 3.0),
            ("2024-Q4", 4.0),
        ];
        let cases = [
            (Kind::Stock, 4.0, "2024 = last of 4 quarters"),
            (Kind::Flow, 10.0, "2024 = sum of 4 quarters"),
        ];
        for (kind, value, note) in cases {
            let r = resolve("2024", &quarters, Some(kind)).unwrap().unwrap();
            assert_eq!(r.period, p("2024"));
            assert_eq!(r.value, value);
            assert_eq!(r.note.as_deref(), Some(note));
        }
        let weekdays: Vec<(String, f64)> =
            (10..=16).map(|d| (format!("2024-06-{d}"), 1.0)).collect();
        let weekdays: Vec<(&str, f64)> = weekdays.iter().map(|(t, v)| (t.as_str(), *v)).collect();
        let r = resolve("2024-W24", &weekdays, Some(Kind::Flow))
            .unwrap()
            .unwrap();
        assert_eq!(r.value, 7.0);
    }

    #[test]
    fn rule_2_refuses_distinct_and_kindless_metrics() {
        let halves = [("2024-H1", 1.0), ("2024-H2", 2.0)];
        let err = resolve("2024", &halves, Some(Kind::Distinct)).unwrap_err();
        assert!(err.contains("distinct count"), "{err}");
        let err = resolve("2024", &halves, None).unwrap_err();
        assert!(err.contains("metric m kind="), "{err}");
    }

    #[test]
    fn rule_3_partial_coverage_names_present_and_missing() {
        let err = resolve(
            "2024-Q2",
            &[("2024-04", 1.0), ("2024-05", 2.0)],
            Some(Kind::Flow),
        )
        .unwrap_err();
        assert!(err.contains("present 2024-04, 2024-05"), "{err}");
        assert!(err.contains("missing 2024-06"), "{err}");
        // An ISO week across two recorded months is covered but neither tiled nor contained.
        let err = resolve(
            "2024-W22",
            &[("2024-05", 1.0), ("2024-06", 2.0)],
            Some(Kind::Stock),
        )
        .unwrap_err();
        assert!(err.contains("neither tile"), "{err}");
    }

    #[test]
    fn rule_4_shortest_containing_period() {
        let r = resolve("2024-06", &[("2024", 1.0), ("2024-H1", 2.0)], None)
            .unwrap()
            .unwrap();
        assert_eq!(r.period, p("2024-H1"));
        assert_eq!(r.value, 2.0);
        assert_eq!(r.note.as_deref(), Some("2024-H1 contains 2024-06"));
    }

    #[test]
    fn nothing_overlapping_defers_to_rule_5() {
        assert_eq!(resolve("2024", &[], None), Ok(None));
    }

    #[test]
    fn rule_5_stale_and_rule_6_no_data() {
        let before = Some((p("2023"), 9.0));
        let r = resolve_stale("m", &asked("2024-06"), before, Some(Kind::Stock)).unwrap();
        assert_eq!((r.period, r.value), (p("2023"), 9.0));
        assert_eq!(r.note.as_deref(), Some("stale: 2024-06 as of 2023"));
        assert!(resolve_stale("m", &asked("2024-06"), before, None).is_ok());
        let err = resolve_stale("m", &asked("2024-06"), before, Some(Kind::Flow)).unwrap_err();
        assert!(err.to_string().contains("flow"), "{err}");
        assert_eq!(err.kind(), ErrorKind::NoData);
        let err = resolve_stale("m", &asked("2024-06"), None, Some(Kind::Stock)).unwrap_err();
        assert_eq!(err.to_string(), "no data for m in or before 2024-06");
    }

    #[test]
    fn a_period_asked_in_fiscal_form_is_named_so() {
        let subject = Subject {
            series: "m",
            metric: "m",
        };
        let fiscal = FiscalPeriod::parse("FY2024-Q1").unwrap();
        let requested = Requested {
            period: p("2023-Q2"),
            fiscal: Some(fiscal),
            calendar: FiscalCalendar::default(),
        };
        let months = recorded(&[("2023-04", 1.0), ("2023-05", 2.0), ("2023-06", 3.0)]);
        let r = resolve_recorded(subject, &requested, &months, Some(Kind::Flow));
        let note = r.unwrap().unwrap().note;
        assert_eq!(note.as_deref(), Some("FY2024-Q1 = sum of 3 months"));
        let err = resolve_recorded(subject, &requested, &months[1..], Some(Kind::Flow));
        assert_eq!(
            err.unwrap_err().to_string(),
            "FY2024-Q1 is only partly recorded for m: present 2023-05, 2023-06; missing 2023-04"
        );
        let err = resolve_stale("m", &requested, None, None).unwrap_err();
        assert_eq!(err.to_string(), "no data for m in or before FY2024-Q1");
    }

    #[test]
    fn recorded_periods_without_a_calendar_name_are_named_fiscal() {
        use crate::core::period::FiscalLabel;
        let subject = Subject {
            series: "m",
            metric: "m",
        };
        // Fiscal years from May: FY2024-Q1 is 2023-05..2023-07.
        let calendar = FiscalCalendar::new(5, FiscalLabel::End).unwrap();
        let quarter = p("2023-05-01..2023-07-31");
        let fq1 = [(quarter, 1.0)];
        let requested = Requested::new(p("2023-06"), calendar);
        let r = resolve_recorded(subject, &requested, &fq1, Some(Kind::Stock));
        assert_eq!(
            r.unwrap().unwrap().note.as_deref(),
            Some("FY2024-Q1 contains 2023-06")
        );
        let requested = Requested::new(p("2023-10"), calendar);
        let r = resolve_stale("m", &requested, Some(fq1[0]), Some(Kind::Stock));
        assert_eq!(
            r.unwrap().note.as_deref(),
            Some("stale: 2023-10 as of FY2024-Q1")
        );
        // A range asked for by its days is named fiscal too, and so are
        // the missing days.
        let requested = Requested::new(p("2023-05-01..2024-04-30"), calendar);
        let err = resolve_recorded(subject, &requested, &fq1, Some(Kind::Flow)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "FY2024 is only partly recorded for m: present FY2024-Q1; missing 2023-08-01..2024-04-30"
        );
        // A period with a calendar name keeps it.
        let requested = Requested::new(p("2023-Q2"), calendar);
        let err = resolve_recorded(subject, &requested, &fq1, Some(Kind::Flow)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "2023-Q2 is only partly recorded for m: present FY2024-Q1; missing 2023-04"
        );
    }

    #[test]
    fn gaps_are_named_periods() {
        let missing = gaps(&p("2024"), &[p("2024-Q2"), p("2024-Q3")]);
        assert_eq!(missing, vec![p("2024-Q1"), p("2024-Q4")]);
        assert!(gaps(&p("2024-W22"), &[p("2024-05"), p("2024-06")]).is_empty());
    }
}
