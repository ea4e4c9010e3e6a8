//! Parsing and printing: periods, spans and granularity words.
use super::{date, end_day, message, period, span};
use crate::core::period::{Granularity, Period, Span, date_from_day_number, day_number};

#[test]
fn parses_every_form_and_spelling() {
    use Granularity::*;
    // (text, canonical, first day, exclusive end, kind)
    let cases = [
        ("2024", "2024", "2024-01-01", "2025-01-01", Some(Year)),
        ("0001", "0001", "0001-01-01", "0002-01-01", Some(Year)),
        ("9998", "9998", "9998-01-01", "9999-01-01", Some(Year)),
        ("9999", "9999", "9999-01-01", "10000-01-01", Some(Year)),
        ("2024-H1", "2024-H1", "2024-01-01", "2024-07-01", Some(Half)),
        ("2024H1", "2024-H1", "2024-01-01", "2024-07-01", Some(Half)),
        ("2024-h1", "2024-H1", "2024-01-01", "2024-07-01", Some(Half)),
        ("2024h1", "2024-H1", "2024-01-01", "2024-07-01", Some(Half)),
        ("2024-H2", "2024-H2", "2024-07-01", "2025-01-01", Some(Half)),
        ("9999-H1", "9999-H1", "9999-01-01", "9999-07-01", Some(Half)),
        (
            "9999-H2",
            "9999-H2",
            "9999-07-01",
            "10000-01-01",
            Some(Half),
        ),
        (
            "2024-Q1",
            "2024-Q1",
            "2024-01-01",
            "2024-04-01",
            Some(Quarter),
        ),
        (
            "2024-Q2",
            "2024-Q2",
            "2024-04-01",
            "2024-07-01",
            Some(Quarter),
        ),
        (
            "2024Q2",
            "2024-Q2",
            "2024-04-01",
            "2024-07-01",
            Some(Quarter),
        ),
        (
            "2024-q2",
            "2024-Q2",
            "2024-04-01",
            "2024-07-01",
            Some(Quarter),
        ),
        (
            "2024q2",
            "2024-Q2",
            "2024-04-01",
            "2024-07-01",
            Some(Quarter),
        ),
        (
            "2024-Q3",
            "2024-Q3",
            "2024-07-01",
            "2024-10-01",
            Some(Quarter),
        ),
        (
            "2024-Q4",
            "2024-Q4",
            "2024-10-01",
            "2025-01-01",
            Some(Quarter),
        ),
        (
            "9999-Q4",
            "9999-Q4",
            "9999-10-01",
            "10000-01-01",
            Some(Quarter),
        ),
        (
            "9999q4",
            "9999-Q4",
            "9999-10-01",
            "10000-01-01",
            Some(Quarter),
        ),
        (
            "2024-06",
            "2024-06",
            "2024-06-01",
            "2024-07-01",
            Some(Month),
        ),
        (
            "2024-01",
            "2024-01",
            "2024-01-01",
            "2024-02-01",
            Some(Month),
        ),
        (
            "2024-02",
            "2024-02",
            "2024-02-01",
            "2024-03-01",
            Some(Month),
        ),
        (
            "2023-02",
            "2023-02",
            "2023-02-01",
            "2023-03-01",
            Some(Month),
        ),
        (
            "2024-12",
            "2024-12",
            "2024-12-01",
            "2025-01-01",
            Some(Month),
        ),
        (
            "9999-11",
            "9999-11",
            "9999-11-01",
            "9999-12-01",
            Some(Month),
        ),
        (
            "9999-12",
            "9999-12",
            "9999-12-01",
            "10000-01-01",
            Some(Month),
        ),
        (
            "2024-W23",
            "2024-W23",
            "2024-06-03",
            "2024-06-10",
            Some(Week),
        ),
        (
            "2024W23",
            "2024-W23",
            "2024-06-03",
            "2024-06-10",
            Some(Week),
        ),
        (
            "2024-w23",
            "2024-W23",
            "2024-06-03",
            "2024-06-10",
            Some(Week),
        ),
        (
            "2024w23",
            "2024-W23",
            "2024-06-03",
            "2024-06-10",
            Some(Week),
        ),
        (
            "2024-w05",
            "2024-W05",
            "2024-01-29",
            "2024-02-05",
            Some(Week),
        ),
        (
            "2024-W01",
            "2024-W01",
            "2024-01-01",
            "2024-01-08",
            Some(Week),
        ),
        (
            "2025-W01",
            "2025-W01",
            "2024-12-30",
            "2025-01-06",
            Some(Week),
        ),
        (
            "2021-W01",
            "2021-W01",
            "2021-01-04",
            "2021-01-11",
            Some(Week),
        ),
        (
            "2020-W53",
            "2020-W53",
            "2020-12-28",
            "2021-01-04",
            Some(Week),
        ),
        (
            "2026-W53",
            "2026-W53",
            "2026-12-28",
            "2027-01-04",
            Some(Week),
        ),
        (
            "2015-W53",
            "2015-W53",
            "2015-12-28",
            "2016-01-04",
            Some(Week),
        ),
        (
            "0001-W01",
            "0001-W01",
            "0001-01-01",
            "0001-01-08",
            Some(Week),
        ),
        // ISO 9999 starts on Monday 9999-01-04 and has 52 weeks; its W52
        // (9999-12-27 to 10000-01-02) runs past the last day.
        (
            "9999-W01",
            "9999-W01",
            "9999-01-04",
            "9999-01-11",
            Some(Week),
        ),
        (
            "9999-W51",
            "9999-W51",
            "9999-12-20",
            "9999-12-27",
            Some(Week),
        ),
        (
            "2024-06-12",
            "2024-06-12",
            "2024-06-12",
            "2024-06-13",
            Some(Day),
        ),
        (
            "2024-02-29",
            "2024-02-29",
            "2024-02-29",
            "2024-03-01",
            Some(Day),
        ),
        (
            "2000-02-29",
            "2000-02-29",
            "2000-02-29",
            "2000-03-01",
            Some(Day),
        ),
        (
            "2023-12-31",
            "2023-12-31",
            "2023-12-31",
            "2024-01-01",
            Some(Day),
        ),
        (
            "0001-01-01",
            "0001-01-01",
            "0001-01-01",
            "0001-01-02",
            Some(Day),
        ),
        (
            "9999-12-30",
            "9999-12-30",
            "9999-12-30",
            "9999-12-31",
            Some(Day),
        ),
        (
            "9999-12-31",
            "9999-12-31",
            "9999-12-31",
            "10000-01-01",
            Some(Day),
        ),
        (
            " 2024-06 ",
            "2024-06",
            "2024-06-01",
            "2024-07-01",
            Some(Month),
        ),
    ];
    for (text, canonical, start, end, kind) in cases {
        let p = period(text);
        assert_eq!(p.to_string(), canonical, "{text}");
        assert_eq!(p.start(), date(start), "{text}");
        assert_eq!(
            (p.start_day(), p.end_day()),
            (day_number(p.start()), end_day(end))
        );
        assert_eq!(
            p.last_day(),
            date_from_day_number(end_day(end) - 1).unwrap()
        );
        assert_eq!(p.granularity(), kind, "{text}");
    }
}

#[test]
fn ranges_take_the_left_start_and_the_right_end() {
    // (text, canonical, kind)
    let cases = [
        ("2024-01..2024-03", "2024-Q1", Some(Granularity::Quarter)),
        ("2024-01-01..2024-12-31", "2024", Some(Granularity::Year)),
        ("2024..2024", "2024", Some(Granularity::Year)),
        ("2024-H1..2024-H2", "2024", Some(Granularity::Year)),
        ("2024-Q1..2024-Q4", "2024", Some(Granularity::Year)),
        ("2024-W01..2024-12-31", "2024", Some(Granularity::Year)),
        ("2024-01..2024-06", "2024-H1", Some(Granularity::Half)),
        ("2024-Q1..2024-Q2", "2024-H1", Some(Granularity::Half)),
        ("2024-07-01..2024-Q4", "2024-H2", Some(Granularity::Half)),
        (
            "2024-04-01..2024-06-30",
            "2024-Q2",
            Some(Granularity::Quarter),
        ),
        ("2024-06..2024-06", "2024-06", Some(Granularity::Month)),
        (
            "2024-06-01..2024-06-30",
            "2024-06",
            Some(Granularity::Month),
        ),
        (
            "2024-02-01..2024-02-29",
            "2024-02",
            Some(Granularity::Month),
        ),
        (
            "2024-06-10..2024-06-16",
            "2024-W24",
            Some(Granularity::Week),
        ),
        ("2024-W23..2024-W23", "2024-W23", Some(Granularity::Week)),
        (
            "2024-12-30..2025-01-05",
            "2025-W01",
            Some(Granularity::Week),
        ),
        (
            "2020-12-28..2021-01-03",
            "2020-W53",
            Some(Granularity::Week),
        ),
        (
            "2024-06-12..2024-06-12",
            "2024-06-12",
            Some(Granularity::Day),
        ),
        ("2024-06..2024-06-01", "2024-06-01", Some(Granularity::Day)),
        ("2024-01-15..2024-02-14", "2024-01-15..2024-02-14", None),
        ("2024-01..2024-03-15", "2024-01-01..2024-03-15", None),
        ("2024-W23..2024-06", "2024-06-03..2024-06-30", None),
        ("2024-q1..2024w10", "2024-01-01..2024-03-10", None),
        ("2023..2024", "2023-01-01..2024-12-31", None),
        ("2024-06-15..2024-06", "2024-06-15..2024-06-30", None),
        ("2024-06-12..2024-06-13", "2024-06-12..2024-06-13", None),
        ("2024-06-11..2024-06-17", "2024-06-11..2024-06-17", None),
        ("2024-01 .. 2024-03", "2024-Q1", Some(Granularity::Quarter)),
        // Up to the last supported day.
        ("9999-01..9999-12", "9999", Some(Granularity::Year)),
        ("9999-Q3..9999-12-31", "9999-H2", Some(Granularity::Half)),
        ("9999-10..9999-12", "9999-Q4", Some(Granularity::Quarter)),
        (
            "9999-12-01..9999-12-31",
            "9999-12",
            Some(Granularity::Month),
        ),
        (
            "9999-12-31..9999-12-31",
            "9999-12-31",
            Some(Granularity::Day),
        ),
        ("9999-12-30..9999-12-31", "9999-12-30..9999-12-31", None),
        ("9999-12-27..9999-12-31", "9999-12-27..9999-12-31", None),
        ("2024..9999", "2024-01-01..9999-12-31", None),
        ("0001..9999", "0001-01-01..9999-12-31", None),
    ];
    for (text, canonical, kind) in cases {
        let p = period(text);
        assert_eq!(p.to_string(), canonical, "{text}");
        assert_eq!(p.granularity(), kind, "{text}");
        assert_eq!(p.granularity().is_none(), kind.is_none(), "{text}");
    }
    // A range naming a period is that very period.
    assert_eq!(period("2024-01..2024-03"), period("2024-Q1"));
    assert_eq!(period("2024-06-10..2024-06-16"), period("2024-W24"));
}

#[test]
fn rejects_invalid_periods_with_a_reason() {
    let year = "expected a year of four digits, e.g. 2024, 2024-H1, 2024-Q2, 2024-06, \
                2024-W23, 2024-06-12 or a range A..B";
    let form = "expected a period, e.g. 2024, 2024-H1, 2024-Q2, 2024-06, 2024-W23, \
                2024-06-12 or a range A..B";
    let sides = "a range needs a period on each side of .., e.g. 2024-01..2024-03";
    let cases: &[(&str, &str)] = &[
        // Days and leap years.
        ("2024-02-30", "2024-02 has 29 days"),
        ("2023-02-29", "2023-02 has 28 days"),
        ("1900-02-29", "1900-02 has 28 days"),
        ("2100-02-29", "2100-02 has 28 days"),
        ("2024-06-31", "2024-06 has 30 days"),
        ("2024-06-00", "day must be 01 to 31"),
        ("2024-06-32", "day must be 01 to 31"),
        ("2024-06-1", "day must be two digits, 01 to 31"),
        ("2024-06-123", "day must be two digits, 01 to 31"),
        ("2024-06-12x", "day must be two digits, 01 to 31"),
        ("2024-06-", "day must be two digits, 01 to 31"),
        (
            "2024-06-99999999999999999999",
            "day must be two digits, 01 to 31",
        ),
        // Weeks.
        ("2023-W53", "ISO year 2023 has 52 weeks"),
        ("2021-W53", "ISO year 2021 has 52 weeks"),
        ("2024-W00", "week must be W01 to W53"),
        ("2024-W54", "week must be W01 to W53"),
        ("2024-W5", "week must be two digits, W01 to W53"),
        ("2024-W", "week must be two digits, W01 to W53"),
        ("2024-W123", "week must be two digits, W01 to W53"),
        (
            "2024W99999999999999999999",
            "week must be two digits, W01 to W53",
        ),
        // Quarters and halves.
        ("2024-Q5", "quarter must be Q1 to Q4"),
        ("2024-Q0", "quarter must be Q1 to Q4"),
        ("2024Q", "quarter must be Q1 to Q4"),
        ("2024-Q12", "quarter must be Q1 to Q4"),
        ("2024-Qx", "quarter must be Q1 to Q4"),
        ("2024-H3", "half must be H1 or H2"),
        ("2024-H0", "half must be H1 or H2"),
        ("2024h", "half must be H1 or H2"),
        // Months.
        ("2024-13", "month must be 01 to 12"),
        ("2024-00", "month must be 01 to 12"),
        ("2024-6", "month must be two digits, 01 to 12"),
        ("2024-123", "month must be two digits, 01 to 12"),
        ("2024-06x", form),
        ("2024-06-12-01", "day must be two digits, 01 to 31"),
        // Years.
        ("24-06", year),
        ("024", year),
        ("20245", year),
        ("202406", year),
        ("99999999999999999999999", year),
        ("", year),
        ("   ", year),
        ("abc", year),
        ("-2024", year),
        ("+2024", year),
        ("２０２４", year),
        ("2024é", form),
        ("2024-", form),
        ("2024-X1", form),
        ("2024X1", form),
        ("2024 06", form),
        ("2024.06", form),
        ("0000", "the year must be 0001 to 9999"),
        ("0000-06-12", "the year must be 0001 to 9999"),
        // Past the last supported day, 9999-12-31.
        (
            "9999-W52",
            "it runs past 9999-12-31, the last supported day",
        ),
        ("9999-W53", "ISO year 9999 has 52 weeks"),
        ("9999-12-32", "day must be 01 to 31"),
        ("9999-13", "month must be 01 to 12"),
        ("9999-Q5", "quarter must be Q1 to Q4"),
        ("9999-H3", "half must be H1 or H2"),
        ("10000", year),
        ("10000-01", year),
        ("10000-01-01", year),
        ("10000-W01", year),
        // Ranges.
        (
            "2024-03..2024-01",
            "the range is empty (it ends before it starts)",
        ),
        (
            "2024-06..2024-05-31",
            "the range is empty (it ends before it starts)",
        ),
        (
            "2025..2024-12-31",
            "the range is empty (it ends before it starts)",
        ),
        ("..", sides),
        ("2024..", sides),
        ("..2024", sides),
        ("...", sides),
        ("....", sides),
        (
            "2024..2025..2026",
            "a range has a single .., e.g. 2024-01..2024-03",
        ),
        ("2024-01..2024-13", r#""2024-13": month must be 01 to 12"#),
        (
            "2023-W53..2024",
            r#""2023-W53": ISO year 2023 has 52 weeks"#,
        ),
        ("2024-01...2024-03", &format!(r#"".2024-03": {year}"#)),
        ("24..2024", &format!(r#""24": {year}"#)),
        (
            "2024..9999-W52",
            r#""9999-W52": it runs past 9999-12-31, the last supported day"#,
        ),
        ("9999..10000", &format!(r#""10000": {year}"#)),
    ];
    for &(text, reason) in cases {
        let error = Period::parse(text).expect_err(text);
        assert_eq!(message(error), format!("invalid period {text:?}: {reason}"));
    }
}

#[test]
fn never_panics_and_round_trips_whatever_it_accepts() {
    // Every string of up to five characters over an alphabet of the
    // grammar's pieces, plus some that are not.
    let alphabet = ['2', '0', '1', '9', '-', '.', 'W', 'q', 'H', 'é', ' '];
    let mut texts = vec![String::new()];
    let mut accepted = 0;
    for _ in 0..5 {
        texts = texts
            .iter()
            .flat_map(|text| alphabet.iter().map(move |c| format!("{text}{c}")))
            .collect();
        for text in &texts {
            if let Ok(p) = Period::parse(text) {
                accepted += 1;
                assert_eq!(period(&p.to_string()), p, "{text}");
            }
        }
    }
    assert!(accepted > 0);
}

#[test]
fn display_round_trips() {
    let mut periods = Vec::new();
    let mut day = date("1990-01-01");
    while day < date("2031-01-01") {
        for g in Granularity::CALENDAR {
            periods.push(Period::containing(g, day));
        }
        let end = day.checked_add(jiff::Span::new().days(40)).unwrap();
        periods.push(Period::from_bounds(day, end).unwrap());
        day = day.checked_add(jiff::Span::new().days(13)).unwrap();
    }
    for text in [
        "0001",
        "0001-W01",
        "0001-01-01..0001-03-05",
        "9999-12-30",
        "9999-W51",
        "9999",
        "9999-H2",
        "9999-Q4",
        "9999-12",
        "9999-12-31",
        "9999-12-30..9999-12-31",
        "9999-12-27..9999-12-31",
        "2024-06-12..9999-12-31",
    ] {
        periods.push(period(text));
    }
    for p in periods {
        let text = p.to_string();
        assert_eq!(period(&text), p, "{text}");
    }
}

#[test]
fn granularity_words() {
    use Granularity::*;
    let cases = [
        (Year, "year", "years"),
        (Half, "half", "halves"),
        (Quarter, "quarter", "quarters"),
        (Month, "month", "months"),
        (Week, "week", "weeks"),
        (Day, "day", "days"),
        (FiscalYear, "fiscal_year", "fiscal years"),
        (FiscalHalf, "fiscal_half", "fiscal halves"),
        (FiscalQuarter, "fiscal_quarter", "fiscal quarters"),
    ];
    assert_eq!(cases.len(), Granularity::ALL.len());
    for (g, name, plural) in cases {
        assert_eq!(g.name(), name);
        assert_eq!(g.plural(), plural);
        assert_eq!(Granularity::parse(name), Some(g));
        assert_eq!(Granularity::parse(&name.to_uppercase()), Some(g));
    }
    assert_eq!(Granularity::parse("Quarter"), Some(Quarter));
    for word in ["", "years", "halves", "y", "hour", "mónth", " day"] {
        assert_eq!(Granularity::parse(word), None, "{word}");
    }
}

#[test]
fn parses_spans() {
    use Granularity::*;
    let cases = [
        ("1y", 1, Year, "1y"),
        ("1Y", 1, Year, "1y"),
        ("2h", 2, Half, "2h"),
        ("3Q", 3, Quarter, "3q"),
        ("3m", 3, Month, "3m"),
        ("12M", 12, Month, "12m"),
        ("52w", 52, Week, "52w"),
        ("7d", 7, Day, "7d"),
        ("9999d", 9999, Day, "9999d"),
        ("01y", 1, Year, "1y"),
        (" 1y ", 1, Year, "1y"),
    ];
    for (text, count, unit, canonical) in cases {
        let s = span(text);
        assert_eq!(s, Span { count, unit }, "{text}");
        assert_eq!(s.to_string(), canonical);
        assert_eq!(span(canonical), s);
    }
    let form = "expected a number then y, h, q, m, w or d, e.g. 1y or 3m";
    let errors = [
        ("1x", form),
        ("", form),
        ("y", form),
        ("1", form),
        ("1yy", form),
        ("1 y", form),
        ("-1y", form),
        ("+1y", form),
        ("1.5y", form),
        ("y1", form),
        ("٣m", form),
        ("1é", form),
        ("0y", "a span must be at least 1"),
        ("000d", "a span must be at least 1"),
        ("10000y", "a span must be at most 9999"),
        ("99999999999999999999999y", "a span must be at most 9999"),
    ];
    for (text, reason) in errors {
        let error = Span::parse(text).expect_err(text);
        assert_eq!(message(error), format!("invalid span {text:?}: {reason}"));
    }
}

#[test]
fn a_named_period_has_the_kind_its_days_would_be_given() {
    // Parsing names a period by its form; the same days, found as a range,
    // are named by searching the kinds. The two must agree.
    for text in [
        "2024",
        "0001",
        "9999",
        "2024-H2",
        "2023Q4",
        "2024-02",
        "2023-12",
        "2024-W01",
        "2020-W53",
        "2024-02-29",
        "0001-01-01",
        "9999-12-31",
        "2024-01-01..2024-12-31",
        "2024-01..2024-03",
    ] {
        let named = period(text);
        let days = Period::from_day_numbers(named.start_day(), named.end_day()).unwrap();
        assert_eq!(named, days, "{text}");
    }
    // A period's only dots are a range's, wherever the first dot stands.
    assert!(Period::parse("2024.01").is_err());
    assert!(Period::parse("2024.01..2025").is_err());
    assert_eq!(period("2024..2025").to_string(), "2024-01-01..2025-12-31");
}
