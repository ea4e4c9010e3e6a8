//! Commands that parse, one test per command or feature.
use super::{ALL_TIME, assert_parses, days, growth, key, parse, period, selector, sort, ts};
use crate::core::command::{
    Command, Direction, Endpoint, GrowthField, GrowthQuery, GrowthRange, Kind, MetricDef,
    SeriesQuery, Write,
};
use crate::core::labels::SeriesKey;
use crate::core::period::{Granularity, Span};

#[test]
fn metric_definitions() {
    let def = |name: &str, kind, unit: Option<&str>, desc: Option<&str>| {
        Command::Metric(MetricDef {
            name: name.to_string(),
            kind,
            unit: unit.map(str::to_string),
            description: desc.map(str::to_string),
        })
    };
    assert_parses(vec![
        ("metric users", def("users", None, None, None)),
        ("METRIC Users", def("Users", None, None, None)),
        (
            "metric creators.video-views_2 kind=flow",
            def("creators.video-views_2", Some(Kind::Flow), None, None),
        ),
        (
            r#"metric mau kind=STOCK unit=users desc="Monthly \"active\" users""#,
            def(
                "mau",
                Some(Kind::Stock),
                Some("users"),
                Some(r#"Monthly "active" users"#),
            ),
        ),
        (
            r#"metric churn Desc="share lost" UNIT="%" kind = ratio"#,
            def("churn", Some(Kind::Ratio), Some("%"), Some("share lost")),
        ),
        ("metric x unit=%", def("x", None, Some("%"), None)),
        (
            "metric x kind=average",
            def("x", Some(Kind::Average), None, None),
        ),
        (
            "metric x kind=Distinct",
            def("x", Some(Kind::Distinct), None, None),
        ),
        (r#"metric x desc="""#, def("x", None, None, Some(""))),
        // A pattern updates every metric that matches.
        (
            "metric jobs.* kind=stock",
            def("jobs.*", Some(Kind::Stock), None, None),
        ),
        ("metric * unit=people", def("*", None, Some("people"), None)),
        (
            r#"metric *.share DESC="a share""#,
            def("*.share", None, None, Some("a share")),
        ),
    ]);
}

#[test]
fn metrics_listing() {
    let metrics = |p: Option<&str>| Command::Metrics {
        pattern: p.map(str::to_string),
    };
    assert_parses(vec![
        ("metrics", metrics(None)),
        ("Metrics   # all of them", metrics(None)),
        ("metrics creators.*", metrics(Some("creators.*"))),
        ("metrics *", metrics(Some("*"))),
        ("metrics Users", metrics(Some("Users"))),
    ]);
}

#[test]
fn growth_clauses_in_any_order() {
    let base = || growth("users", ALL_TIME);
    assert_parses(vec![
        (
            "growth users from earliest to latest",
            Command::Growth(base()),
        ),
        (
            "GROWTH users FROM Earliest TO LATEST",
            Command::Growth(base()),
        ),
        (
            "growth users from latest to earliest",
            Command::Growth(growth(
                "users",
                GrowthRange::FromTo {
                    from: Endpoint::Latest,
                    to: Endpoint::Earliest,
                },
            )),
        ),
        (
            "growth users from earliest to latest by line",
            Command::Growth(GrowthQuery {
                by: Some("line".into()),
                ..base()
            }),
        ),
        (
            "growth users from earliest to latest sort change_pct",
            Command::Growth(GrowthQuery {
                sort: sort("change_pct", Direction::Asc),
                ..base()
            }),
        ),
        (
            "growth users from earliest to latest SORT CAGR_PCT DESC",
            Command::Growth(GrowthQuery {
                sort: sort("cagr_pct", Direction::Desc),
                ..base()
            }),
        ),
        (
            "growth users from earliest to latest sort share_pct asc limit 0",
            Command::Growth(GrowthQuery {
                sort: sort("share_pct", Direction::Asc),
                limit: Some(0),
                ..base()
            }),
        ),
        (
            "growth users from earliest to latest limit 5 asof 2024-06-12T10:00:00Z sort change desc by region",
            Command::Growth(GrowthQuery {
                by: Some("region".into()),
                sort: sort("change", Direction::Desc),
                limit: Some(5),
                asof: Some(ts("2024-06-12T10:00:00Z")),
                ..base()
            }),
        ),
        (
            r#"growth users from earliest to latest asof "2024-06-12" by _x1 limit 18446744073709551615"#,
            Command::Growth(GrowthQuery {
                by: Some("_x1".into()),
                limit: Some(u64::MAX),
                asof: Some(ts("2024-06-12T23:59:59.999999999Z")),
                ..base()
            }),
        ),
        (
            "growth creators.*{region=eu} from earliest to latest",
            Command::Growth(GrowthQuery {
                selector: selector("creators.*", &[("region", "eu")]),
                ..base()
            }),
        ),
        (
            r#"growth *{ z="a b" , a = x } from earliest to latest"#,
            Command::Growth(GrowthQuery {
                selector: selector("*", &[("a", "x"), ("z", "a b")]),
                ..base()
            }),
        ),
        // A keyword in the selector's place is a metric name.
        (
            "growth from from earliest to latest",
            Command::Growth(growth("from", ALL_TIME)),
        ),
    ]);
    for field in GrowthField::sortable().map(GrowthField::name) {
        let text = format!("growth users from earliest to latest sort {field}");
        let Command::Growth(q) = parse(&text) else {
            panic!("{text}")
        };
        assert_eq!(q.sort, sort(field, Direction::Asc));
    }
}

#[test]
fn growth_ranges() {
    let from_to = |from, to| GrowthRange::FromTo { from, to };
    let span = |count, unit| Span { count, unit };
    assert_parses(vec![
        (
            "growth users from 2022 to 2024",
            Command::Growth(growth(
                "users",
                from_to(
                    Endpoint::Period(period("2022")),
                    Endpoint::Period(period("2024")),
                ),
            )),
        ),
        (
            "growth users from 2024-q1 to latest",
            Command::Growth(growth(
                "users",
                from_to(Endpoint::Period(period("2024-Q1")), Endpoint::Latest),
            )),
        ),
        (
            "growth users from earliest to 2024-01..2024-03",
            Command::Growth(growth(
                "users",
                from_to(
                    Endpoint::Earliest,
                    Endpoint::Period(period("2024-01..2024-03")),
                ),
            )),
        ),
        (
            "growth users over 1y",
            Command::Growth(growth(
                "users",
                GrowthRange::Over {
                    span: span(1, Granularity::Year),
                    to: None,
                },
            )),
        ),
        (
            "growth users OVER 3M TO 2024-06 limit 2",
            Command::Growth(GrowthQuery {
                limit: Some(2),
                ..growth(
                    "users",
                    GrowthRange::Over {
                        span: span(3, Granularity::Month),
                        to: Some(Endpoint::Period(period("2024-06"))),
                    },
                )
            }),
        ),
        (
            "growth users over 2w to latest by line",
            Command::Growth(GrowthQuery {
                by: Some("line".into()),
                ..growth(
                    "users",
                    GrowthRange::Over {
                        span: span(2, Granularity::Week),
                        to: Some(Endpoint::Latest),
                    },
                )
            }),
        ),
        (
            "growth users over 1y every month",
            Command::Growth(growth(
                "users",
                GrowthRange::Every {
                    span: span(1, Granularity::Year),
                    every: Granularity::Month,
                    from: None,
                    to: None,
                },
            )),
        ),
        (
            "growth users over 1y to 2024-12 EVERY fiscal_quarter from earliest",
            Command::Growth(growth(
                "users",
                GrowthRange::Every {
                    span: span(1, Granularity::Year),
                    every: Granularity::FiscalQuarter,
                    from: Some(Endpoint::Earliest),
                    to: Some(Endpoint::Period(period("2024-12"))),
                },
            )),
        ),
        (
            "growth * over 1y from 2024-01 every week to latest sort change desc limit 3",
            Command::Growth(GrowthQuery {
                sort: sort("change", Direction::Desc),
                limit: Some(3),
                ..growth(
                    "*",
                    GrowthRange::Every {
                        span: span(1, Granularity::Year),
                        every: Granularity::Week,
                        from: Some(Endpoint::Period(period("2024-01"))),
                        to: Some(Endpoint::Latest),
                    },
                )
            }),
        ),
        (
            "growth users over 1y to 2024-05 trailing 12m",
            Command::Growth(GrowthQuery {
                trailing: Some(span(12, Granularity::Month)),
                ..growth(
                    "users",
                    GrowthRange::Over {
                        span: span(1, Granularity::Year),
                        to: Some(Endpoint::Period(period("2024-05"))),
                    },
                )
            }),
        ),
        (
            "growth users from 2023 to 2024 TRAILING 2y",
            Command::Growth(GrowthQuery {
                trailing: Some(span(2, Granularity::Year)),
                ..growth(
                    "users",
                    from_to(
                        Endpoint::Period(period("2023")),
                        Endpoint::Period(period("2024")),
                    ),
                )
            }),
        ),
    ]);
}

#[test]
fn series_queries() {
    let base = |metric: &str| SeriesQuery {
        selector: selector(metric, &[]),
        from: None,
        to: None,
        every: None,
        trailing: None,
        asof: None,
    };
    assert_parses(vec![
        ("series users", Command::Series(base("users"))),
        (
            "series users{line=payment} every quarter",
            Command::Series(SeriesQuery {
                selector: selector("users", &[("line", "payment")]),
                every: Some(Granularity::Quarter),
                ..base("users")
            }),
        ),
        (
            "SERIES creators.* EVERY Month asof 2024-01-01T00:00:00+02:00",
            Command::Series(SeriesQuery {
                every: Some(Granularity::Month),
                asof: Some(ts("2023-12-31T22:00:00Z")),
                ..base("creators.*")
            }),
        ),
        (
            "series users from 2020 to 2024-H1",
            Command::Series(SeriesQuery {
                from: Some(days("2020")),
                to: Some(days("2024-H1")),
                ..base("users")
            }),
        ),
        (
            "series users asof 2024-06-12 every week to 2024-W23 from 2024-W01",
            Command::Series(SeriesQuery {
                from: Some(days("2024-W01")),
                to: Some(days("2024-W23")),
                every: Some(Granularity::Week),
                asof: Some(ts("2024-06-12T23:59:59.999999999Z")),
                ..base("users")
            }),
        ),
        (
            "series users to 2024-06-12 every day",
            Command::Series(SeriesQuery {
                to: Some(days("2024-06-12")),
                every: Some(Granularity::Day),
                ..base("users")
            }),
        ),
        (
            "series users trailing 12M every month from 2023-06",
            Command::Series(SeriesQuery {
                from: Some(days("2023-06")),
                every: Some(Granularity::Month),
                trailing: Some(Span {
                    count: 12,
                    unit: Granularity::Month,
                }),
                ..base("users")
            }),
        ),
    ]);
    for g in Granularity::ALL {
        let text = format!("series x every {}", g.name().to_uppercase());
        let Command::Series(q) = parse(&text) else {
            panic!("{text}")
        };
        assert_eq!(q.every, Some(g), "{text}");
    }
}

#[test]
fn writes() {
    let write =
        |p: &str, values: Vec<(SeriesKey, f64)>, source: Option<&str>, note: Option<&str>| Write {
            period: days(p),
            values,
            source: source.map(str::to_string),
            note: note.map(str::to_string),
        };
    assert_parses(vec![
        (
            "insert 2024 users=12M",
            Command::Insert(write("2024", vec![(key("users", &[]), 12e6)], None, None)),
        ),
        (
            "INSERT 2024-q2 users{line=non-payment}=210M users{line=payment}=1.5e6 Users=70%",
            Command::Insert(write(
                "2024-Q2",
                vec![
                    (key("users", &[("line", "non-payment")]), 210e6),
                    (key("users", &[("line", "payment")]), 1.5e6),
                    (key("Users", &[]), 0.7),
                ],
                None,
                None,
            )),
        ),
        (
            r#"revise 2024-06 arpu = -3.5k note="restated" source="10-K p. 4""#,
            Command::Revise(write(
                "2024-06",
                vec![(key("arpu", &[]), -3500.0)],
                Some("10-K p. 4"),
                Some("restated"),
            )),
        ),
        (
            r#"insert 2024 SOURCE="annual report" x{b=2,a="1 1"}=+4 y=1_000"#,
            Command::Insert(write(
                "2024",
                vec![
                    (key("x", &[("a", "1 1"), ("b", "2")]), 4.0),
                    (key("y", &[]), 1000.0),
                ],
                Some("annual report"),
                None,
            )),
        ),
        // A number after source= or note= makes them series names.
        (
            "insert 2024 source=5 note{k=v}=6",
            Command::Insert(write(
                "2024",
                vec![(key("source", &[]), 5.0), (key("note", &[("k", "v")]), 6.0)],
                None,
                None,
            )),
        ),
        // Same metric, different labels: different series.
        (
            "insert 2024 a{k=1}=1 a{k=2}=2 a=3",
            Command::Insert(write(
                "2024",
                vec![
                    (key("a", &[("k", "1")]), 1.0),
                    (key("a", &[("k", "2")]), 2.0),
                    (key("a", &[]), 3.0),
                ],
                None,
                None,
            )),
        ),
    ]);
}

#[test]
fn delete_and_history() {
    assert_parses(vec![
        (
            "delete users{line=payment} 2024-Q2",
            Command::Delete {
                series: key("users", &[("line", "payment")]),
                period: days("2024-Q2"),
            },
        ),
        (
            "DELETE Users 2024",
            Command::Delete {
                series: key("Users", &[]),
                period: days("2024"),
            },
        ),
        (
            "history users",
            Command::History {
                series: key("users", &[]),
                period: None,
            },
        ),
        (
            r#"History users{country="Korea, Dem. Rep.",continent=Asia} 2024-06-12"#,
            Command::History {
                series: key(
                    "users",
                    &[("continent", "Asia"), ("country", "Korea, Dem. Rep.")],
                ),
                period: Some(days("2024-06-12")),
            },
        ),
    ]);
}

#[test]
fn labels_are_canonical_and_case_sensitive() {
    let Command::History { series, .. } = parse(r#"history m{z=1, b="x y",a=A-b.c_d}"#) else {
        panic!()
    };
    assert_eq!(series.to_string(), r#"m{a=A-b.c_d,b="x y",z=1}"#);
    let Command::History { series, .. } = parse(r#"history m{a="plain",b="q\"\\"}"#) else {
        panic!()
    };
    assert_eq!(series.to_string(), r#"m{a=plain,b="q\"\\"}"#);
    assert_eq!(series.labels.get("b"), Some(r#"q"\"#));
    let Command::History { series, .. } = parse("history m{}") else {
        panic!()
    };
    assert_eq!(series, key("m", &[]));
    assert_ne!(parse("history m{a=X}"), parse("history m{a=x}"));
    assert_ne!(parse("history M"), parse("history m"));
}
