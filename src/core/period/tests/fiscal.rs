//! The fiscal calendar, to-date and trailing ranges.
use super::{date, period, span};
use crate::core::period::{FiscalCalendar, FiscalLabel, FiscalPeriod, Granularity, Period};

fn calendar(start_month: i8, label: FiscalLabel) -> FiscalCalendar {
    FiscalCalendar::new(start_month, label).unwrap()
}

fn fiscal(text: &str) -> FiscalPeriod {
    FiscalPeriod::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// The days of a fiscal period as `START..LAST`.
fn days(text: &str, cal: FiscalCalendar) -> String {
    let p = fiscal(text).period(cal).unwrap();
    format!("{}..{}", p.start(), p.last_day())
}

#[test]
fn fiscal_years_for_every_start_month_and_both_labels() {
    for month in 1..=12i8 {
        for label in FiscalLabel::ALL {
            let cal = calendar(month, label);
            let p = fiscal("FY2024").period(cal).unwrap();
            let start_year = match label {
                FiscalLabel::End if month > 1 => 2023,
                _ => 2024,
            };
            assert_eq!(p.start(), date(&format!("{start_year}-{month:02}-01")));
            assert_eq!(
                p.days(),
                if month <= 2 && start_year == 2024 || month > 2 && start_year == 2023 {
                    366
                } else {
                    365
                },
                "{month} {label:?}"
            );
            // Every quarter and half lies in its year, in order, and names itself back.
            let mut next = p.start();
            for q in 1..=4 {
                let text = format!("FY2024-Q{q}");
                let quarter = fiscal(&text).period(cal).unwrap();
                assert_eq!(quarter.start(), next, "{text} {month} {label:?}");
                assert_eq!(cal.fiscal_of(&quarter).unwrap().to_string(), text);
                next = quarter.last_day().tomorrow().unwrap();
            }
            assert_eq!(next, p.last_day().tomorrow().unwrap());
            for h in 1..=2 {
                let text = format!("FY2024-H{h}");
                let half = fiscal(&text).period(cal).unwrap();
                assert_eq!(cal.fiscal_of(&half).unwrap().to_string(), text);
                assert!(p.contains(&half));
            }
            assert_eq!(cal.fiscal_of(&p).unwrap().to_string(), "FY2024");
        }
    }
}

#[test]
fn fiscal_periods_across_year_ends() {
    let april = calendar(4, FiscalLabel::End);
    let cases = [
        ("FY2024", "2023-04-01..2024-03-31"),
        ("FY2024-H1", "2023-04-01..2023-09-30"),
        ("FY2024-H2", "2023-10-01..2024-03-31"),
        ("FY2024-Q1", "2023-04-01..2023-06-30"),
        ("FY2024-Q3", "2023-10-01..2023-12-31"),
        ("FY2024-Q4", "2024-01-01..2024-03-31"),
    ];
    for (text, expected) in cases {
        assert_eq!(days(text, april), expected, "{text}");
    }
    let start = calendar(4, FiscalLabel::Start);
    assert_eq!(days("FY2024", start), "2024-04-01..2025-03-31");
    assert_eq!(days("FY2024-Q4", start), "2025-01-01..2025-03-31");
    // A year starting in November: its second quarter spans New Year.
    let november = calendar(11, FiscalLabel::End);
    assert_eq!(days("FY2024-Q1", november), "2023-11-01..2024-01-31");
    assert_eq!(days("FY2024-H2", november), "2024-05-01..2024-10-31");
    // Leap years: the February in the fiscal year decides its length.
    let march = calendar(3, FiscalLabel::End);
    assert_eq!(days("FY2025", march), "2024-03-01..2025-02-28");
    assert_eq!(days("FY2024", march), "2023-03-01..2024-02-29");
    // January: fiscal periods are calendar ones, whatever the label.
    for label in FiscalLabel::ALL {
        assert_eq!(
            days("FY2024-Q2", calendar(1, label)),
            "2024-04-01..2024-06-30"
        );
    }
}

#[test]
fn fiscal_text_forms() {
    let cases = [
        ("FY2024", "FY2024"),
        ("fy2024", "FY2024"),
        ("FY2024-H1", "FY2024-H1"),
        ("FY2024h2", "FY2024-H2"),
        ("fy2024-q3", "FY2024-Q3"),
        ("FY2024Q4", "FY2024-Q4"),
        (" FY0001 ", "FY0001"),
    ];
    for (text, canonical) in cases {
        assert_eq!(fiscal(text).to_string(), canonical, "{text}");
        assert!(FiscalPeriod::looks_fiscal(text));
    }
    for text in [
        "FY24",
        "FY2024-Q5",
        "FY2024-H3",
        "FY0000",
        "FY2024-",
        "FY2024-W01",
        "FY2024-06",
        "FY",
        "FY2024Q",
    ] {
        assert!(FiscalPeriod::parse(text).is_err(), "{text}");
    }
    assert!(!FiscalPeriod::looks_fiscal("2024"));
    // Out of the supported days in some calendars.
    let april = calendar(4, FiscalLabel::End);
    assert!(fiscal("FY0001").period(april).is_err());
    assert!(
        fiscal("FY9999")
            .period(calendar(4, FiscalLabel::Start))
            .is_err()
    );
    assert!(fiscal("FY9999").period(april).is_ok());
}

#[test]
fn over_keeps_fiscal_periods_fiscal() {
    let cases = [
        ("FY2024-Q1", "1q", "FY2023-Q4"),
        ("FY2024-Q1", "1y", "FY2023-Q1"),
        ("FY2024-Q1", "1h", "FY2023-Q3"),
        ("FY2024-Q3", "5q", "FY2023-Q2"),
        ("FY2024-H1", "1h", "FY2023-H2"),
        ("FY2024-H2", "2y", "FY2022-H2"),
        ("FY2024", "1y", "FY2023"),
        ("FY2024", "24m", "FY2022"),
    ];
    for (text, over, expected) in cases {
        let shifted = fiscal(text).shift_back(span(over)).unwrap();
        assert_eq!(shifted.to_string(), expected, "{text} over {over}");
    }
    for (text, over) in [
        ("FY2024-Q1", "1m"),
        ("FY2024", "1q"),
        ("FY2024-H1", "1q"),
        ("FY2024", "52w"),
        ("FY2024-Q1", "90d"),
        ("FY0001-Q1", "1q"),
    ] {
        assert!(
            fiscal(text).shift_back(span(over)).is_err(),
            "{text} over {over}"
        );
    }
    // Across a fiscal-year boundary in an April calendar: days follow.
    let april = calendar(4, FiscalLabel::End);
    let q1 = fiscal("FY2024-Q1").shift_back(span("1q")).unwrap();
    assert_eq!(days(&q1.to_string(), april), "2023-01-01..2023-03-31");
}

#[test]
fn periods_are_named_calendar_first_then_fiscal_then_range() {
    let april = calendar(4, FiscalLabel::End);
    let cases = [
        ("2024-04..2024-06", "2024-Q2"),
        ("2023-04..2024-03", "FY2024"),
        ("2023-04..2023-09", "FY2024-H1"),
        ("2023-04-01..2023-05-15", "2023-04-01..2023-05-15"),
        ("2024", "2024"),
    ];
    for (text, name) in cases {
        assert_eq!(april.name(&period(text)), name, "{text}");
    }
    // Quarters of a February calendar are not calendar quarters.
    let february = calendar(2, FiscalLabel::Start);
    assert_eq!(february.name(&period("2024-02..2024-04")), "FY2024-Q1");
    assert_eq!(february.name(&period("2025-01")), "2025-01");
}

#[test]
fn months_as_fiscal_year_start_takes_them() {
    let cases = [
        ("4", Some(4)),
        ("12", Some(12)),
        ("04", Some(4)),
        ("april", Some(4)),
        ("Apr", Some(4)),
        ("SEPTEMBER", Some(9)),
        ("sep", Some(9)),
        ("0", None),
        ("13", None),
        ("apri", None),
        ("", None),
        ("-1", None),
        ("ma", None),
    ];
    for (text, month) in cases {
        assert_eq!(FiscalCalendar::parse_month(text), month, "{text}");
    }
}

#[test]
fn stepping_through_fiscal_quarters() {
    let april = calendar(4, FiscalLabel::End);
    let mut p = Period::containing_in(april, Granularity::FiscalQuarter, date("2024-02-14"));
    let mut names = Vec::new();
    for _ in 0..5 {
        names.push(april.fiscal_of(&p).unwrap().to_string());
        p = p.following_in(april, Granularity::FiscalQuarter).unwrap();
    }
    assert_eq!(
        names,
        [
            "FY2024-Q4",
            "FY2025-Q1",
            "FY2025-Q2",
            "FY2025-Q3",
            "FY2025-Q4"
        ]
    );
}

#[test]
fn to_date_ranges() {
    let april = calendar(4, FiscalLabel::End);
    // (unit, last day D, range)
    let cases = [
        (Granularity::Year, "2024-05-15", "2024-01-01..2024-05-15"),
        (Granularity::Year, "2024-05-31", "2024-01-01..2024-05-31"),
        (Granularity::Year, "2024-12-31", "2024"),
        (Granularity::Half, "2024-05-31", "2024-01-01..2024-05-31"),
        (Granularity::Half, "2024-09-30", "2024-Q3"),
        (Granularity::Quarter, "2024-05-31", "2024-04-01..2024-05-31"),
        (Granularity::Quarter, "2024-06-30", "2024-Q2"),
        (Granularity::Month, "2024-05-15", "2024-05-01..2024-05-15"),
        (Granularity::Month, "2024-02-29", "2024-02"),
        // A Wednesday; and a Sunday that ends its ISO week.
        (Granularity::Week, "2024-06-12", "2024-06-10..2024-06-12"),
        (Granularity::Week, "2024-06-16", "2024-W24"),
        (Granularity::Week, "2024-01-03", "2024-01-01..2024-01-03"),
        (
            Granularity::FiscalYear,
            "2024-05-15",
            "2024-04-01..2024-05-15",
        ),
        (Granularity::FiscalYear, "2024-03-31", "FY2024"),
        (
            Granularity::FiscalHalf,
            "2024-02-29",
            "2023-10-01..2024-02-29",
        ),
        (
            Granularity::FiscalQuarter,
            "2024-02-29",
            "2024-01-01..2024-02-29",
        ),
        (Granularity::FiscalQuarter, "2024-06-30", "2024-Q2"),
    ];
    for (g, day, expected) in cases {
        let range = Period::to_date(april, g, date(day));
        assert_eq!(april.name(&range), expected, "{g:?} {day}");
    }
    // Shifted end by end: the same part of the year before.
    let ytd = Period::to_date(april, Granularity::Year, date("2024-05-31"));
    assert_eq!(
        ytd.shift_ends_back(span("1y")).unwrap().to_string(),
        "2023-01-01..2023-05-31"
    );
    let leap = Period::to_date(april, Granularity::Year, date("2024-02-29"));
    assert_eq!(
        leap.shift_ends_back(span("1y")).unwrap().to_string(),
        "2023-01-01..2023-02-28"
    );
    let mtd = Period::to_date(april, Granularity::Month, date("2024-03-15"));
    assert_eq!(
        mtd.shift_ends_back(span("1m")).unwrap().to_string(),
        "2024-02-01..2024-02-15"
    );
}

#[test]
fn trailing_ranges_at_month_ends() {
    let cases = [
        ("2024-03-31", "1m", "2024-03"),
        ("2024-03-30", "1m", "2024-02-29..2024-03-30"),
        ("2023-03-30", "1m", "2023-02-28..2023-03-30"),
        ("2024-02-29", "1m", "2024-02"),
        ("2024-03-29", "1m", "2024-02-29..2024-03-29"),
        ("2024-02-28", "1y", "2023-02-28..2024-02-28"),
        ("2024-02-29", "1y", "2023-03-01..2024-02-29"),
        ("2024-05", "12m", "2023-06-01..2024-05-31"),
        ("2024-05", "1y", "2023-06-01..2024-05-31"),
        ("2024-Q2", "1h", "2024-H1"),
        ("2024-12", "12m", "2024"),
        ("2024-06-16", "1w", "2024-W24"),
        ("2024-06-12", "7d", "2024-06-06..2024-06-12"),
        ("2024", "2y", "2023-01-01..2024-12-31"),
    ];
    for (text, trailing, expected) in cases {
        let range = period(text).trailing(span(trailing)).unwrap();
        assert_eq!(range.to_string(), expected, "{text} trailing {trailing}");
    }
    assert!(period("0001-06").trailing(span("1y")).is_err());
}

#[test]
fn over_across_fiscal_year_boundaries_in_days() {
    use FiscalLabel::{End, Start};
    // (first month, label, period, span, shifted back, the shifted days)
    let cases = [
        (
            4,
            End,
            "FY2024-Q1",
            "1q",
            "FY2023-Q4",
            "2023-01-01..2023-03-31",
        ),
        (
            4,
            Start,
            "FY2024-Q1",
            "1q",
            "FY2023-Q4",
            "2024-01-01..2024-03-31",
        ),
        (
            11,
            End,
            "FY2024-Q1",
            "1q",
            "FY2023-Q4",
            "2023-08-01..2023-10-31",
        ),
        (
            11,
            End,
            "FY2024-Q2",
            "2q",
            "FY2023-Q4",
            "2023-08-01..2023-10-31",
        ),
        // Leap years: the shifted quarter and half keep their own February.
        (
            3,
            End,
            "FY2024-Q4",
            "1y",
            "FY2023-Q4",
            "2022-12-01..2023-02-28",
        ),
        (
            3,
            End,
            "FY2025-H1",
            "1h",
            "FY2024-H2",
            "2023-09-01..2024-02-29",
        ),
        (7, End, "FY2024", "2y", "FY2022", "2021-07-01..2022-06-30"),
        (
            7,
            Start,
            "FY2024-H1",
            "3h",
            "FY2022-H2",
            "2023-01-01..2023-06-30",
        ),
    ];
    for (month, label, text, over, shifted, expected) in cases {
        let cal = calendar(month, label);
        let back = fiscal(text).shift_back(span(over)).unwrap();
        assert_eq!(back.to_string(), shifted, "{text} over {over}");
        assert_eq!(
            days(shifted, cal),
            expected,
            "{shifted} from {month} {label:?}"
        );
    }
}

#[test]
fn fiscal_of_is_the_fiscal_unit_period_a_range_equals() {
    // Ranges of whole months and a few others, in calendars starting in
    // every month: fiscal_of finds the fiscal unit whose period holding
    // the range's start is exactly it, and names it back to those days.
    for month in 1..=12i8 {
        for label in FiscalLabel::ALL {
            let cal = calendar(month, label);
            for first in 0..30 {
                let start = date("2022-01-01")
                    .checked_add(jiff::Span::new().months(first))
                    .unwrap();
                for months in 1..=13 {
                    let end = start.checked_add(jiff::Span::new().months(months)).unwrap();
                    for end in [end, end.tomorrow().unwrap()] {
                        let p = Period::from_bounds(start, end).unwrap();
                        let expected = Granularity::FISCAL.into_iter().find(|&g| {
                            let unit = Period::containing_in(cal, g, start);
                            unit.start() == start && unit.last_day() == p.last_day()
                        });
                        let found = cal.fiscal_of(&p);
                        assert_eq!(found.map(|f| f.grain), expected, "{p} in {cal:?}");
                        if let Some(fiscal) = found {
                            assert_eq!(fiscal.period(cal).unwrap(), p, "{fiscal} in {cal:?}");
                        }
                    }
                }
            }
        }
    }
}
