//! Properties of the pure core over generated inputs: whatever is printed
//! reads back as the same thing, resolution never panics, and `over` shifts
//! are exact wherever the calendar allows.
use std::collections::BTreeMap;

use growthdb::core::command::{
    CalendarSettings, ChartGrowthQuery, ChartQuery, Command, Direction, Endpoint, GrowthField,
    GrowthQuery, GrowthRange, Kind, MetricDef, PeriodArg, Selector, SeriesQuery, Sort, Write,
};
use growthdb::core::labels::{LabelSet, SeriesKey};
use growthdb::core::parser::{parse_command, parse_series};
use growthdb::core::period::{
    FiscalCalendar, FiscalLabel, FiscalPeriod, Granularity, Period, Span, date_from_day_number,
    day_number,
};
use growthdb::core::resolve::{Requested, Subject, resolve_recorded, resolve_stale};
use growthdb::core::value::{format_value, parse_value};
use jiff::civil::{Date, date};
use proptest::prelude::*;
use proptest::sample::select;

// ---- generators -----------------------------------------------------------

const UNITS: [Granularity; 6] = [
    Granularity::Year,
    Granularity::Half,
    Granularity::Quarter,
    Granularity::Month,
    Granularity::Week,
    Granularity::Day,
];

fn first_day() -> i32 {
    day_number(date(1, 1, 1))
}

fn last_day() -> i32 {
    day_number(date(9999, 12, 31))
}

fn any_date() -> impl Strategy<Value = Date> {
    (first_day()..=last_day()).prop_map(|n| date_from_day_number(n).expect("a supported day"))
}

/// Mostly recent dates, where data lives, sometimes anywhere in 0001..9999.
fn a_date() -> impl Strategy<Value = Date> {
    let recent = (day_number(date(1990, 1, 1))..=day_number(date(2040, 12, 31)))
        .prop_map(|n| date_from_day_number(n).expect("a supported day"));
    prop_oneof![4 => recent, 1 => any_date()]
}

/// A named period of any granularity, or a range of days.
fn a_period() -> impl Strategy<Value = Period> {
    let named =
        (select(&Granularity::CALENDAR[..]), a_date()).prop_map(|(g, d)| Period::containing(g, d));
    let range = (a_date(), 0..800i32).prop_filter_map("inside 0001..9999", |(start, len)| {
        let start = day_number(start);
        Period::from_day_numbers(start, start.checked_add(len)?).ok()
    });
    prop_oneof![3 => named, 1 => range]
}

fn a_value() -> impl Strategy<Value = f64> {
    use proptest::num::f64::{NEGATIVE, NORMAL, POSITIVE, SUBNORMAL, ZERO};
    let special = select(vec![
        0.0,
        -0.0,
        1.0,
        0.1,
        1e300,
        5e-324,
        f64::MAX,
        -f64::MAX,
    ]);
    let small = (-1_000_000_000i64..1_000_000_000).prop_map(|n| n as f64 / 100.0);
    prop_oneof![
        special,
        small,
        (POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO).prop_filter("finite", |v| v.is_finite()),
    ]
}

fn a_metric_name() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9_.-]{0,10}"
}

fn a_pattern() -> impl Strategy<Value = String> {
    prop_oneof![
        a_metric_name(),
        Just("*".to_string()),
        a_metric_name().prop_map(|name| format!("{name}.*")),
        "[A-Za-z*][A-Za-z0-9_.*-]{0,6}",
    ]
}

fn a_label_key() -> impl Strategy<Value = String> {
    "[a-z_][a-z0-9_]{0,6}"
}

/// Any text a string may hold: everything but control characters (tab allowed).
fn a_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9_.-]{1,8}",
        "([^\\p{Cc}]|\t){0,12}",
        "[\"\\\\ ,={}#;]{0,6}",
    ]
}

fn a_label_set() -> impl Strategy<Value = LabelSet> {
    prop::collection::btree_map(a_label_key(), a_text(), 0..4).prop_map(|map| {
        let mut labels = LabelSet::new();
        for (key, value) in map {
            labels.insert(key, value);
        }
        labels
    })
}

fn a_series() -> impl Strategy<Value = SeriesKey> {
    (a_metric_name(), a_label_set()).prop_map(|(name, labels)| SeriesKey::new(name, labels))
}

/// A selector's labels: any values, or values with `*` wildcards.
fn a_selector_label_set() -> impl Strategy<Value = LabelSet> {
    let value = prop_oneof![a_text(), "[A-Za-z0-9*]{0,3}\\*[A-Za-z0-9 ,*]{0,4}"];
    prop::collection::btree_map(a_label_key(), value, 0..4).prop_map(|map| {
        let mut labels = LabelSet::new();
        for (key, value) in map {
            labels.insert(key, value);
        }
        labels
    })
}

fn a_selector() -> impl Strategy<Value = Selector> {
    let more = prop::collection::vec((a_pattern(), a_selector_label_set()), 0..3);
    (a_pattern(), a_selector_label_set(), more).prop_map(|(metric, labels, more)| Selector {
        metric,
        labels,
        more,
    })
}

fn a_span() -> impl Strategy<Value = Span> {
    (1..=Span::MAX_COUNT, select(&UNITS[..])).prop_map(|(count, unit)| Span { count, unit })
}

fn an_endpoint() -> impl Strategy<Value = Endpoint> {
    prop_oneof![
        a_period().prop_map(Endpoint::Period),
        Just(Endpoint::Earliest),
        Just(Endpoint::Latest),
    ]
}

fn a_fiscal_period() -> impl Strategy<Value = FiscalPeriod> {
    (1i16..=9999, select(&Granularity::FISCAL[..]), 1u8..=4).prop_map(|(year, grain, part)| {
        let parts = match grain {
            Granularity::FiscalYear => 1,
            Granularity::FiscalHalf => 2,
            _ => 4,
        };
        FiscalPeriod {
            year,
            grain,
            part: (part - 1) % parts + 1,
        }
    })
}

/// A period as a command holds it: days, or a fiscal period.
fn a_period_arg() -> impl Strategy<Value = PeriodArg> {
    prop_oneof![
        3 => a_period().prop_map(PeriodArg::Days),
        1 => a_fiscal_period().prop_map(PeriodArg::Fiscal),
    ]
}

/// Any endpoint a command may hold: also fiscal periods and to-date words.
fn a_written_endpoint() -> impl Strategy<Value = Endpoint> {
    let to_date: Vec<Granularity> = Granularity::ALL
        .into_iter()
        .filter(|g| g.to_date().is_some())
        .collect();
    prop_oneof![
        3 => an_endpoint(),
        1 => a_fiscal_period().prop_map(Endpoint::Fiscal),
        1 => select(to_date).prop_map(Endpoint::ToDate),
    ]
}

fn a_time() -> impl Strategy<Value = jiff::Timestamp> {
    let first = -62_135_596_800i64; // 0001-01-01T00:00:00Z
    let last = 253_402_300_799i64; // 9999-12-31T23:59:59Z
    (first..=last, 0..1_000_000_000i32)
        .prop_map(|(s, ns)| jiff::Timestamp::new(s, ns).expect("a time in 0001..9999"))
}

fn a_write() -> impl Strategy<Value = Write> {
    (
        a_period_arg(),
        prop::collection::btree_map(a_series(), a_value(), 1..4),
        prop::option::of(a_text()),
        prop::option::of(a_text()),
    )
        .prop_map(|(period, values, source, note)| Write {
            period,
            values: values.into_iter().collect(),
            source,
            note,
        })
}

fn a_series_query() -> impl Strategy<Value = SeriesQuery> {
    (
        a_selector(),
        prop::option::of(a_period_arg()),
        prop::option::of(a_period_arg()),
        prop::option::of(select(&Granularity::ALL[..])),
        prop::option::of(a_span()),
        prop::option::of(a_time()),
    )
        .prop_map(|(selector, from, to, every, trailing, asof)| SeriesQuery {
            selector,
            from,
            to,
            every,
            // `trailing` needs `every`.
            trailing: every.and(trailing),
            asof,
        })
}

fn a_growth_query() -> impl Strategy<Value = GrowthQuery> {
    let range = prop_oneof![
        (a_written_endpoint(), a_written_endpoint())
            .prop_map(|(from, to)| GrowthRange::FromTo { from, to }),
        (a_span(), prop::option::of(a_written_endpoint()))
            .prop_map(|(span, to)| GrowthRange::Over { span, to }),
        (
            a_span(),
            select(&Granularity::ALL[..]),
            prop::option::of(an_endpoint()),
            prop::option::of(an_endpoint()),
        )
            .prop_map(|(span, every, from, to)| GrowthRange::Every {
                span,
                every,
                from,
                to
            }),
    ];
    let sortable: Vec<GrowthField> = GrowthField::sortable().collect();
    let sort = (select(sortable), any::<bool>()).prop_map(|(field, desc)| Sort {
        field,
        direction: if desc {
            Direction::Desc
        } else {
            Direction::Asc
        },
    });
    (
        a_selector(),
        range,
        prop::option::of(a_label_key()),
        prop::option::of(sort),
        prop::option::of(any::<u64>()),
        prop::option::of(a_span()),
        prop::option::of(a_time()),
    )
        .prop_map(|(mut selector, range, by, sort, limit, trailing, asof)| {
            // `by` splits one selector, never a list.
            if by.is_some() {
                selector.more.clear();
            }
            // With `every`, `limit` keeps rows per step by the sort field.
            let limit = match range {
                GrowthRange::Every { .. } if sort.is_none() => None,
                _ => limit,
            };
            GrowthQuery {
                selector,
                range,
                by,
                sort,
                limit,
                trailing,
                asof,
            }
        })
}

fn a_command() -> impl Strategy<Value = Command> {
    let metric = (
        prop_oneof![a_metric_name(), a_pattern()],
        prop::option::of(select(&Kind::ALL[..])),
        prop::option::of(a_text()),
        prop::option::of(a_text()),
    )
        .prop_map(|(name, kind, unit, description)| MetricDef {
            name,
            kind,
            unit,
            description,
        })
        // A pattern must set something.
        .prop_filter("a pattern with an attribute", |def| {
            !def.is_pattern()
                || def.kind.is_some()
                || def.unit.is_some()
                || def.description.is_some()
        })
        .prop_map(Command::Metric);
    prop_oneof![
        metric,
        a_write().prop_map(Command::Insert),
        a_write().prop_map(Command::Revise),
        (a_series(), a_period_arg())
            .prop_map(|(series, period)| Command::Delete { series, period }),
        a_growth_query().prop_map(Command::Growth),
        a_series_query().prop_map(Command::Series),
        (a_series_query(), a_text())
            .prop_map(|(series, file)| Command::Chart(ChartQuery { series, file })),
        (a_growth_query(), a_text()).prop_map(|(growth, file)| {
            // A growth chart steps through periods, one line per series.
            let growth = GrowthQuery {
                by: None,
                sort: None,
                limit: None,
                ..growth
            };
            match growth.range {
                GrowthRange::Every { .. } => {
                    Command::ChartGrowth(ChartGrowthQuery { growth, file })
                }
                _ => Command::Growth(growth),
            }
        }),
        prop::option::of(a_pattern()).prop_map(|pattern| Command::Metrics { pattern }),
        (a_series(), prop::option::of(a_period_arg()))
            .prop_map(|(series, period)| Command::History { series, period }),
        (
            prop::option::of(1i8..=12),
            prop::option::of(select(&FiscalLabel::ALL[..]))
        )
            .prop_map(|(start_month, label)| Command::Calendar(CalendarSettings {
                start_month,
                label
            })),
        Just(Command::Begin),
        Just(Command::Commit),
        Just(Command::Rollback),
    ]
}

// ---- printing and reading back ------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn a_period_reads_back_from_its_text(period in a_period()) {
        let text = period.to_string();
        prop_assert_eq!(Period::parse(&text), Ok(period), "{}", text);
        // Input is case-insensitive.
        prop_assert_eq!(Period::parse(&text.to_lowercase()), Ok(period));
    }

    #[test]
    fn a_series_reads_back_from_its_text(series in a_series()) {
        let text = series.to_string();
        prop_assert_eq!(parse_series(&text).map_err(|e| e.to_string()), Ok(series), "{}", text);
    }

    #[test]
    fn a_value_reads_back_from_its_text(value in a_value()) {
        let text = format_value(value);
        let back = parse_value(&text);
        // -0 reads as 0; every other value keeps its exact bits.
        let expected = if value == 0.0 { 0.0 } else { value };
        prop_assert_eq!(back.map(f64::to_bits), Ok(expected.to_bits()), "{}", text);
    }

    #[test]
    fn a_value_with_a_suffix_scales(mantissa in -1_000_000i64..1_000_000, suffix in select(vec![("k", 1e3), ("M", 1e6), ("B", 1e9), ("G", 1e9), ("T", 1e12), ("%", 0.01)])) {
        let (letter, scale) = suffix;
        let value = parse_value(&format!("{mantissa}{letter}")).expect("a suffixed integer");
        let expected = mantissa as f64 * scale;
        prop_assert!((value - expected).abs() <= expected.abs() * 1e-15, "{} vs {}", value, expected);
    }

    #[test]
    fn a_command_reads_back_from_its_text(command in a_command()) {
        let text = command.to_string();
        let back = parse_command(&text).map_err(|e| e.to_string());
        prop_assert_eq!(back, Ok(command), "{}", text);
    }
}

// ---- resolution -----------------------------------------------------------

fn snapshots_overlapping(requested: Period) -> impl Strategy<Value = Vec<(Period, f64)>> {
    // Periods near the requested one, so that they overlap it often.
    let near = (
        select(&Granularity::CALENDAR[..]),
        -400i32..400,
        any::<bool>(),
        0..120i32,
    )
        .prop_filter_map("a supported day", move |(g, offset, ranged, len)| {
            let day = requested.start_day().checked_add(offset)?;
            let period = if ranged {
                Period::from_day_numbers(day, day.checked_add(len)?).ok()?
            } else {
                Period::containing(g, date_from_day_number(day)?)
            };
            Some(period)
        });
    prop::collection::vec((near, a_value()), 0..8).prop_map(move |snapshots| {
        let mut by_period = BTreeMap::new();
        for (period, value) in snapshots {
            if period.overlaps(&requested) {
                by_period.insert((period.start_day(), period.end_day()), (period, value));
            }
        }
        by_period.into_values().collect()
    })
}

fn a_resolution_case() -> impl Strategy<Value = (Period, Vec<(Period, f64)>, Option<Kind>)> {
    a_period().prop_flat_map(|requested| {
        (
            Just(requested),
            snapshots_overlapping(requested),
            prop::option::of(select(&Kind::ALL[..])),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Rules 1–4 answer for the requested period itself or for one that
    /// contains it, or say why not; never panic.
    #[test]
    fn resolving_recorded_periods_never_panics((requested, snapshots, kind) in a_resolution_case()) {
        let subject = Subject { series: "s", metric: "s" };
        match resolve_recorded(subject, &Requested::new(requested, FiscalCalendar::default()), &snapshots, kind) {
            Ok(Some(resolved)) => prop_assert!(
                resolved.period == requested || resolved.period.contains(&requested),
                "{} resolved to {}", requested, resolved.period
            ),
            Ok(None) => prop_assert!(snapshots.is_empty()),
            Err(error) => prop_assert!(!error.to_string().is_empty()),
        }
    }

    /// Rules 5 and 6: an earlier period stands in, noted as stale, except for flows.
    #[test]
    fn resolving_a_stale_period_never_panics(requested in a_period(), before in prop::option::of((a_period(), a_value())), kind in prop::option::of(select(&Kind::ALL[..]))) {
        match resolve_stale("s", &Requested::new(requested, FiscalCalendar::default()), before, kind) {
            Ok(resolved) => {
                prop_assert!(kind != Some(Kind::Flow));
                prop_assert_eq!(Some(resolved.period), before.map(|(p, _)| p));
                prop_assert!(resolved.note.is_some_and(|n| n.starts_with("stale")));
            }
            Err(message) => prop_assert!(before.is_none() || kind == Some(Kind::Flow), "{}", message),
        }
    }
}

// ---- over ----------------------------------------------------------------

fn jiff_span(span: Span) -> jiff::Span {
    let n = i64::from(span.count);
    match span.unit {
        Granularity::Year => jiff::Span::new().years(n),
        Granularity::Half => jiff::Span::new().months(6 * n),
        Granularity::Quarter => jiff::Span::new().months(3 * n),
        Granularity::Month => jiff::Span::new().months(n),
        Granularity::Week => jiff::Span::new().weeks(n),
        Granularity::Day => jiff::Span::new().days(n),
        fiscal => panic!("spans count calendar units, not {fiscal:?}"),
    }
}

fn months_of(g: Granularity) -> Option<i64> {
    match g {
        Granularity::Year => Some(12),
        Granularity::Half => Some(6),
        Granularity::Quarter => Some(3),
        Granularity::Month => Some(1),
        Granularity::Week | Granularity::Day => None,
        fiscal => panic!("only calendar units are drawn, not {fiscal:?}"),
    }
}

fn span_months(span: Span) -> Option<i64> {
    let n = i64::from(span.count);
    match span.unit {
        Granularity::Year => Some(12 * n),
        Granularity::Half => Some(6 * n),
        Granularity::Quarter => Some(3 * n),
        Granularity::Month => Some(n),
        Granularity::Week | Granularity::Day => None,
        fiscal => panic!("spans count calendar units, not {fiscal:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Shifting a named period back by a span it can move by gives the same
    /// kind of period, and moving that forward by the span gives the
    /// original back, wherever the calendar has the day or week.
    #[test]
    fn over_shifts_round_trip_where_the_calendar_allows(g in select(&Granularity::CALENDAR[..]), day in a_date(), span in (1..=60u32, select(&UNITS[..])).prop_map(|(count, unit)| Span { count, unit })) {
        let period = Period::containing(g, day);
        let Ok(shifted) = period.shift_back(span) else {
            // Refused: the span does not fit the granularity, the week or
            // day is missing from the earlier year, or it is before 0001.
            let fits = match g {
                Granularity::Day => true,
                Granularity::Week => span.unit == Granularity::Year || span.unit == Granularity::Week || (span.unit == Granularity::Day && span.count % 7 == 0),
                _ => span_months(span).is_some_and(|m| m % months_of(g).unwrap() == 0),
            };
            let earlier = period.start().checked_sub(jiff_span(span)).ok();
            let missing_week = g == Granularity::Week && span.unit == Granularity::Year;
            prop_assert!(!fits || missing_week || earlier.is_none_or(|d| d < date(1, 1, 1)), "{} over {} refused", period, span);
            return Ok(());
        };
        prop_assert_eq!(shifted.granularity(), period.granularity());
        prop_assert!(shifted.start() < period.start());
        let forward = shifted.start().checked_add(jiff_span(span)).expect("back within range");
        match (g, span.unit) {
            (Granularity::Week, Granularity::Year) => {
                let (was, now) = (period.start().iso_week_date(), shifted.start().iso_week_date());
                prop_assert_eq!(now.week(), was.week());
                prop_assert_eq!(i64::from(now.year()), i64::from(was.year()) - i64::from(span.count));
            }
            (Granularity::Day, Granularity::Year | Granularity::Half | Granularity::Quarter | Granularity::Month) => {
                // The same date in the earlier month, or its last day when
                // the month is shorter (29 February becomes 28 February).
                if period.start().day() <= shifted.start().days_in_month() {
                    prop_assert_eq!(forward, period.start());
                } else {
                    prop_assert_eq!(shifted.start().day(), shifted.start().days_in_month());
                }
            }
            _ => prop_assert_eq!(forward, period.start(), "{} over {} is {}", period, span, shifted),
        }
        if g != Granularity::Week && g != Granularity::Day {
            prop_assert_eq!(shifted.granularity(), Some(g));
        }
    }
}

// ---- growth through the executor ------------------------------------------

/// A metric's kind, its snapshots, a growth range and a trailing span.
type StoreCase = (Option<Kind>, Vec<(Period, f64)>, GrowthRange, Option<Span>);

fn a_store_case() -> impl Strategy<Value = StoreCase> {
    let snapshots = prop::collection::vec((a_period(), a_value()), 1..10);
    (prop::option::of(select(&Kind::ALL[..])), snapshots).prop_flat_map(|(kind, snapshots)| {
        // Endpoints are mostly recorded periods, or periods around them, so
        // that most queries find data.
        let recorded: Vec<Period> = snapshots.iter().map(|(p, _)| *p).collect();
        let near = (select(recorded.clone()), select(&Granularity::CALENDAR[..]))
            .prop_map(|(p, g)| Period::containing(g, p.start()));
        let endpoint = prop_oneof![
            3 => select(recorded).prop_map(Endpoint::Period),
            2 => near.prop_map(Endpoint::Period),
            1 => an_endpoint(),
        ];
        let range = prop_oneof![
            (endpoint.clone(), endpoint.clone())
                .prop_map(|(from, to)| GrowthRange::FromTo { from, to }),
            (
                (1..=24u32, select(&UNITS[..])),
                prop::option::of(endpoint.clone())
            )
                .prop_map(|((count, unit), to)| GrowthRange::Over {
                    span: Span { count, unit },
                    to
                }),
        ];
        let trailing = prop::option::of((1..=24u32, select(&UNITS[..])))
            .prop_map(|span| span.map(|(count, unit)| Span { count, unit }));
        (Just(kind), Just(snapshots), range, trailing)
    })
}

/// Runs `growth m` over the snapshots: an answer or an error message,
/// never a panic, and never a non-finite number in the answer.
fn growth_never_panics(
    kind: Option<Kind>,
    snapshots: Vec<(Period, f64)>,
    range: GrowthRange,
    trailing: Option<Span>,
) -> Result<(), TestCaseError> {
    use growthdb::exec::Executor;
    use growthdb::store::Store;
    let mut exec = Executor::new(Store::open(":memory:", false).expect("a store"));
    let metric = MetricDef {
        name: "m".into(),
        kind,
        unit: None,
        description: None,
    };
    exec.execute(&Command::Metric(metric), None)
        .expect("a metric");
    for (period, value) in snapshots {
        let write = Write {
            period: PeriodArg::Days(period),
            values: vec![(SeriesKey::total("m"), value)],
            source: None,
            note: None,
        };
        // Overlapping or conflicting snapshots are refused; that is fine.
        let _ = exec.execute(&Command::Insert(write), None);
    }
    let selector = Selector::one("m", LabelSet::new());
    let query = GrowthQuery {
        selector,
        range,
        by: None,
        sort: None,
        limit: None,
        trailing,
        asof: None,
    };
    match exec.execute(&Command::Growth(query), None) {
        Ok(outcome) => {
            for row in outcome.rows.iter().flat_map(|rows| &rows.rows) {
                for cell in row {
                    if let Some(number) = cell.as_f64() {
                        prop_assert!(number.is_finite(), "{:?}", row);
                    }
                }
            }
        }
        Err(e) => prop_assert!(!e.to_string().is_empty()),
    }
    Ok(())
}

/// Snapshots of named periods within 2000..2004, and an `every` range with
/// ends among them: each of its steps is resolved.
fn an_every_case() -> impl Strategy<Value = StoreCase> {
    let a_day = (2000i16..2005, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| date(y, m, d));
    let a_named = (select(&Granularity::CALENDAR[..4]), a_day)
        .prop_map(|(g, day)| Period::containing(g, day));
    let snapshots = prop::collection::vec((a_named.clone(), a_value()), 1..10);
    let endpoint = prop_oneof![
        a_named.prop_map(Endpoint::Period),
        Just(Endpoint::Earliest),
        Just(Endpoint::Latest),
    ];
    let span = (1..=24u32, select(&UNITS[..])).prop_map(|(count, unit)| Span { count, unit });
    let range = (
        span.clone(),
        select(&Granularity::ALL[..]),
        prop::option::of(endpoint.clone()),
        prop::option::of(endpoint),
    )
        .prop_map(|(span, every, from, to)| GrowthRange::Every {
            span,
            every,
            from,
            to,
        });
    (
        prop::option::of(select(&Kind::ALL[..])),
        snapshots,
        range,
        prop::option::of(span),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Any recorded snapshots and any growth range (with or without
    /// `trailing`): an answer or an error
    /// message, never a panic, and never a non-finite number in the answer.
    #[test]
    fn growth_over_any_snapshots_never_panics((kind, snapshots, range, trailing) in a_store_case()) {
        growth_never_panics(kind, snapshots, range, trailing)?;
    }
}

proptest! {
    // Each case resolves up to some two thousand steps.
    #![proptest_config(ProptestConfig::with_cases(60))]

    /// Growth for every period, of any grain, over any snapshots: an
    /// answer or an error message, never a panic.
    #[test]
    fn growth_every_over_any_snapshots_never_panics((kind, snapshots, range, trailing) in an_every_case()) {
        growth_never_panics(kind, snapshots, range, trailing)?;
    }
}
