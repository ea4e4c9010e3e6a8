//! Fiscal periods (`FY2024-Q3`) wherever a period is accepted, and the
//! to-date endpoints (`ytd` ... `fqtd`) wherever `latest` is.
use super::*;
use crate::core::command::{PeriodArg, SeriesQuery};
use crate::core::period::Span;
use crate::core::period::{FiscalPeriod, Granularity};

fn fiscal(text: &str) -> FiscalPeriod {
    FiscalPeriod::parse(text).unwrap()
}

fn fy(text: &str) -> PeriodArg {
    PeriodArg::Fiscal(fiscal(text))
}

#[test]
fn fiscal_periods_in_every_place_a_period_goes() {
    let series = |from, to| {
        Command::Series(SeriesQuery {
            selector: selector("revenue", &[]),
            from,
            to,
            every: Some(Granularity::FiscalQuarter),
            trailing: None,
            asof: None,
        })
    };
    assert_parses(vec![
        (
            "growth revenue from FY2023 to fy2024",
            Command::Growth(growth(
                "revenue",
                GrowthRange::FromTo {
                    from: Endpoint::Fiscal(fiscal("FY2023")),
                    to: Endpoint::Fiscal(fiscal("FY2024")),
                },
            )),
        ),
        (
            "growth revenue over 1q to FY2024Q1",
            Command::Growth(growth(
                "revenue",
                GrowthRange::Over {
                    span: Span::parse("1q").unwrap(),
                    to: Some(Endpoint::Fiscal(fiscal("FY2024-Q1"))),
                },
            )),
        ),
        (
            "series revenue from fy2023-h2 to FY2024-q4 every FISCAL_QUARTER",
            series(Some(fy("FY2023-H2")), Some(fy("FY2024-Q4"))),
        ),
        (
            "history revenue FY2024",
            Command::History {
                series: key("revenue", &[]),
                period: Some(fy("FY2024")),
            },
        ),
        (
            "delete revenue FY2024-H1",
            Command::Delete {
                series: key("revenue", &[]),
                period: fy("FY2024-H1"),
            },
        ),
    ]);
    match parse("insert FY2024 revenue=941B") {
        Command::Insert(write) => assert_eq!(write.period, fy("FY2024")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn to_date_endpoints_go_where_latest_goes() {
    for (word, g) in [
        ("ytd", Granularity::Year),
        ("HTD", Granularity::Half),
        ("qtd", Granularity::Quarter),
        ("Mtd", Granularity::Month),
        ("wtd", Granularity::Week),
        ("fytd", Granularity::FiscalYear),
        ("fhtd", Granularity::FiscalHalf),
        ("FQTD", Granularity::FiscalQuarter),
    ] {
        assert_eq!(
            parse(&format!("growth revenue over 1y to {word}")),
            Command::Growth(growth(
                "revenue",
                GrowthRange::Over {
                    span: Span::parse("1y").unwrap(),
                    to: Some(Endpoint::ToDate(g)),
                },
            )),
            "{word}"
        );
        assert_eq!(
            parse(&format!("growth revenue from {word} to latest")),
            Command::Growth(growth(
                "revenue",
                GrowthRange::FromTo {
                    from: Endpoint::ToDate(g),
                    to: Endpoint::Latest,
                },
            )),
            "{word}"
        );
        // Printed back as the lowercase word.
        let printed = parse(&format!("growth revenue over 1y to {word}")).to_string();
        assert_eq!(
            printed,
            format!("growth revenue over 1y to {}", word.to_ascii_lowercase())
        );
    }
}

#[test]
fn fiscal_and_to_date_errors() {
    assert_errors(&[
        (
            "growth revenue over 1y to FY2024-Q5",
            27,
            "invalid period \"FY2024-Q5\": fiscal quarter must be Q1 to Q4",
        ),
        (
            "series revenue from ytd",
            21,
            "\"ytd\" is allowed only in growth; leave out \"from\" to include every period",
        ),
        (
            "series revenue every fiscal_month",
            22,
            "unknown granularity \"fiscal_month\"; expected year, half, quarter, month, week, day, fiscal_year, fiscal_half or fiscal_quarter",
        ),
    ]);
}
