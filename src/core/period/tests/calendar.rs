//! Bounds, day numbers, containment, splitting and shifting.
use jiff::civil::Date;

use super::{date, end_day, message, period, span};
use crate::core::period::{Granularity, Period, Span, date_from_day_number, day_number};

#[test]
fn from_bounds_names_the_range() {
    // (start, exclusive end, canonical)
    let cases = [
        ("2024-01-01", "2025-01-01", "2024"),
        ("2024-07-01", "2025-01-01", "2024-H2"),
        ("2024-04-01", "2024-07-01", "2024-Q2"),
        ("2024-06-01", "2024-07-01", "2024-06"),
        ("2024-06-10", "2024-06-17", "2024-W24"),
        ("2024-06-12", "2024-06-13", "2024-06-12"),
        ("2024-06-12", "2024-06-14", "2024-06-12..2024-06-13"),
        ("2024-01-15", "2024-02-15", "2024-01-15..2024-02-14"),
        ("9999-12-01", "9999-12-31", "9999-12-01..9999-12-30"),
    ];
    for (start, end, canonical) in cases {
        let p = Period::from_bounds(date(start), date(end)).unwrap();
        assert_eq!(p.to_string(), canonical);
        assert_eq!(p, period(canonical));
    }
    let errors = [
        (
            "2024-06-12",
            "2024-06-12",
            r#"invalid period "2024-06-12..2024-06-11": the range is empty (it ends before it starts)"#,
        ),
        (
            "2024-06-12",
            "2024-01-01",
            r#"invalid period "2024-06-12..2023-12-31": the range is empty (it ends before it starts)"#,
        ),
        (
            "0000-12-31",
            "0001-01-02",
            r#"invalid period "0000-12-31..0001-01-01": it starts before 0001-01-01, the first supported day"#,
        ),
    ];
    for (start, end, expected) in errors {
        let error = Period::from_bounds(date(start), date(end)).unwrap_err();
        assert_eq!(message(error), expected);
    }
    // The earliest date jiff has, whose yesterday it has not.
    assert!(Period::from_bounds(Date::MIN, Date::MIN).is_err());
}

#[test]
fn from_day_numbers_matches_from_bounds() {
    let cases = [
        (19723, 19723 + 366, "2024"),
        (0, 1, "1970-01-01"),
        (-1, 0, "1969-12-31"),
        (-365, 0, "1969"),
        (19723, 19723 + 7, "2024-W01"),
        (-719_162, -719_162 + 365, "0001"),
    ];
    // Periods ending on 9999-12-31, whose exclusive end is no date.
    let end = end_day("10000-01-01");
    let last_days = [
        (day_number(date("9999-01-01")), end, "9999"),
        (day_number(date("9999-07-01")), end, "9999-H2"),
        (day_number(date("9999-10-01")), end, "9999-Q4"),
        (day_number(date("9999-12-01")), end, "9999-12"),
        (end - 1, end, "9999-12-31"),
        (end - 2, end, "9999-12-30..9999-12-31"),
        (end - 5, end, "9999-12-27..9999-12-31"),
        (-719_162, end, "0001-01-01..9999-12-31"),
    ];
    for (start, end, canonical) in cases.into_iter().chain(last_days) {
        let p = Period::from_day_numbers(start, end).unwrap();
        assert_eq!(p.to_string(), canonical);
        assert_eq!((p.start_day(), p.end_day()), (start, end));
    }
    let errors = [
        (
            5,
            5,
            r#"invalid period "days 5..5": the range is empty (it ends before it starts)"#,
        ),
        (
            6,
            5,
            r#"invalid period "days 6..5": the range is empty (it ends before it starts)"#,
        ),
        (
            0,
            i32::MAX,
            r#"invalid period "days 0..2147483647": day number 2147483647 is outside the supported days"#,
        ),
        (
            i32::MIN,
            0,
            r#"invalid period "days -2147483648..0": day number -2147483648 is outside the supported days"#,
        ),
        (
            2_932_896,
            2_932_898,
            r#"invalid period "days 2932896..2932898": day number 2932898 is outside the supported days"#,
        ),
        (
            2_932_897,
            2_932_898,
            r#"invalid period "days 2932897..2932898": day number 2932897 is outside the supported days"#,
        ),
        (
            -719_163,
            -719_162,
            r#"invalid period "0000-12-31..0000-12-31": it starts before 0001-01-01, the first supported day"#,
        ),
    ];
    for (start, end, expected) in errors {
        let error = Period::from_day_numbers(start, end).unwrap_err();
        assert_eq!(message(error), expected);
    }
    // In jiff's range but before year 1.
    let year_zero = day_number(date("0000-06-01"));
    assert!(Period::from_day_numbers(year_zero, year_zero + 1).is_err());
}

#[test]
fn day_numbers_count_from_1970() {
    let cases = [
        ("1970-01-01", 0),
        ("1970-01-02", 1),
        ("1969-12-31", -1),
        ("2000-03-01", 11_017),
        ("2024-01-01", 19_723),
        ("0001-01-01", -719_162),
    ];
    for (text, number) in cases {
        assert_eq!(day_number(date(text)), number, "{text}");
        assert_eq!(date_from_day_number(number), Some(date(text)), "{text}");
    }
    assert_eq!(day_number(date("9999-12-31")), 2_932_896);
    assert_eq!(end_day("10000-01-01"), 2_932_897);
    for d in [Date::MIN, Date::MAX] {
        assert_eq!(date_from_day_number(day_number(d)), Some(d));
    }
    assert_eq!(date_from_day_number(day_number(Date::MAX) + 1), None);
    assert_eq!(date_from_day_number(day_number(Date::MIN) - 1), None);
    assert_eq!(date_from_day_number(i32::MAX), None);
    assert_eq!(date_from_day_number(i32::MIN), None);
}

#[test]
fn containing_finds_the_period_of_a_day() {
    use Granularity::*;
    let cases = [
        (Year, "2024-06-12", "2024"),
        (Year, "2024-12-31", "2024"),
        (Half, "2024-06-30", "2024-H1"),
        (Half, "2024-07-01", "2024-H2"),
        (Quarter, "2024-06-30", "2024-Q2"),
        (Quarter, "2024-10-01", "2024-Q4"),
        (Month, "2024-02-29", "2024-02"),
        (Week, "2024-06-12", "2024-W24"),
        (Week, "2024-06-10", "2024-W24"),
        (Week, "2024-06-16", "2024-W24"),
        (Week, "2024-12-30", "2025-W01"),
        (Week, "2021-01-03", "2020-W53"),
        (Week, "2027-01-03", "2026-W53"),
        (Week, "0001-01-01", "0001-W01"),
        (Day, "2024-06-12", "2024-06-12"),
        // Up to the last supported day.
        (Year, "9999-06-01", "9999"),
        (Year, "9999-12-31", "9999"),
        (Half, "9999-12-31", "9999-H2"),
        (Quarter, "9999-12-31", "9999-Q4"),
        (Month, "9999-12-31", "9999-12"),
        (Week, "9999-12-26", "9999-W51"),
        (Day, "9999-12-31", "9999-12-31"),
        (Day, "9999-12-30", "9999-12-30"),
        // Cut short or moved into the supported days rather than failing:
        // 9999-W52 runs to 10000-01-02.
        (Week, "9999-12-27", "9999-12-27..9999-12-31"),
        (Week, "9999-12-31", "9999-12-27..9999-12-31"),
        (Year, "0000-06-01", "0001"),
    ];
    for (g, day, canonical) in cases {
        let p = Period::containing(g, date(day));
        assert_eq!(p.to_string(), canonical, "{g:?} {day}");
    }
    assert_eq!(Period::containing(Year, Date::MIN).to_string(), "0001");
    assert_eq!(
        Period::containing(Week, Date::MAX).to_string(),
        "9999-12-27..9999-12-31"
    );
    assert_eq!(Period::containing(Day, Date::MAX).to_string(), "9999-12-31");
    assert_eq!(Period::containing(Year, Date::MAX).end_day(), 2_932_897);
}

#[test]
fn following_steps_to_the_next_period_until_the_last_day() {
    use Granularity::*;
    let cases = [
        ("2024-06", Month, Some("2024-07")),
        ("2024-12", Month, Some("2025-01")),
        ("2024-12", Year, Some("2025")),
        ("2024-W01", Month, Some("2024-01")),
        ("2024-06-12", Week, Some("2024-W24")),
        ("2024-01-15..2024-02-14", Day, Some("2024-02-15")),
        ("9998", Year, Some("9999")),
        ("9999-Q3", Quarter, Some("9999-Q4")),
        ("9999-11", Month, Some("9999-12")),
        ("9999-12-30", Day, Some("9999-12-31")),
        ("9999-W51", Week, Some("9999-12-27..9999-12-31")),
        ("9999-W51", Year, Some("9999")),
        ("9999", Year, None),
        ("9999-H2", Half, None),
        ("9999-Q4", Day, None),
        ("9999-12", Month, None),
        ("9999-12-31", Day, None),
        ("9999-12-27..9999-12-31", Week, None),
        ("2024-06-12..9999-12-31", Month, None),
    ];
    for (text, g, expected) in cases {
        let next = period(text).following(g).map(|p| p.to_string());
        assert_eq!(next.as_deref(), expected, "{text} following {g:?}");
    }
    // Stepping by months through 9999 visits each month once, then stops.
    let mut steps = Vec::new();
    let mut next = Some(period("9999-01"));
    while let Some(p) = next {
        steps.push(p.to_string());
        next = p.following(Month);
    }
    assert_eq!(steps.len(), 12);
    assert_eq!(steps.last().map(String::as_str), Some("9999-12"));
}

#[test]
fn accessors() {
    let p = period("2024-06");
    assert_eq!(p.last_day(), date("2024-06-30"));
    assert_eq!(p.days(), 30);
    assert_eq!(p.granularity(), Some(Granularity::Month));
    assert_eq!(period("2024-01-15..2024-02-14").granularity(), None);
    assert_eq!(period("2024").days(), 366);
    assert_eq!(period("2023").days(), 365);
    assert_eq!(period("2024-W23").last_day(), date("2024-06-09"));
    assert_eq!(period("1970-01-01").midpoint(), 0.5);
    assert_eq!(period("1970-01-01..1970-01-02").midpoint(), 1.0);
    assert_eq!(period("1969-12-31").midpoint(), -0.5);
    assert_eq!(period("2024").midpoint(), 19_723.0 + 183.0);
    // The last day's exclusive end is a day number only.
    let last = period("9999-12-31");
    assert_eq!(last.last_day(), date("9999-12-31"));
    assert_eq!((last.start_day(), last.end_day()), (2_932_896, 2_932_897));
    assert_eq!(last.days(), 1);
    assert_eq!(last.midpoint(), 2_932_896.5);
    let year = period("9999");
    assert_eq!(year.start(), date("9999-01-01"));
    assert_eq!(year.last_day(), date("9999-12-31"));
    assert_eq!(year.days(), 365);
    assert_eq!(year.end_day(), 2_932_897);
    assert_eq!(year.midpoint(), (2_932_897.0 - 365.0 + 2_932_897.0) / 2.0);
    assert_eq!(period("9999-12").days(), 31);
    assert_eq!(period("9999-H2").days(), 184);
    assert_eq!(period("0001..9999").days(), 2_932_897 + 719_162);
}

#[test]
fn contains_and_overlaps() {
    // (a, b, a contains b, they overlap)
    let cases = [
        ("2024", "2024-06", true, true),
        ("2024-06", "2024", false, true),
        ("2024", "2024", true, true),
        ("2024-W01", "2024-01-07", true, true),
        ("2024-W01", "2024-01-08", false, false),
        ("2024-Q1", "2024-W14", false, false),
        ("2024-Q1", "2024-W13", true, true),
        ("2024-06", "2024-W22", false, true),
        ("2024-05", "2024-06", false, false),
        ("2023", "2024-W01", false, false),
        ("2024", "2025-W01", false, true),
        ("2024-01-15..2024-02-14", "2024-02", false, true),
        ("9999", "9999-12-31", true, true),
        ("9999-12", "9999-W51", true, true),
        ("9999-W51", "9999-12", false, true),
        ("9999-12-30..9999-12-31", "9999-12-31", true, true),
        ("9999-12-30..9999-12-31", "9999-Q4", false, true),
        ("9999-12-30", "9999-12-31", false, false),
        ("9999-W51", "9999-12-27..9999-12-31", false, false),
        ("0001..9999", "9999-12-31", true, true),
    ];
    for (a, b, contains, overlaps) in cases {
        let (a, b) = (period(a), period(b));
        assert_eq!(a.contains(&b), contains, "{a} contains {b}");
        assert_eq!(a.overlaps(&b), overlaps, "{a} overlaps {b}");
        assert_eq!(b.overlaps(&a), overlaps, "{b} overlaps {a}");
    }
}

#[test]
fn split_tiles_exactly_or_not_at_all() {
    use Granularity::*;
    let names = |text: &str, g| {
        period(text)
            .split(g)
            .map(|parts| parts.iter().map(ToString::to_string).collect::<Vec<_>>())
    };
    let cases: &[(&str, Granularity, Option<&[&str]>)] = &[
        ("2024", Year, Some(&["2024"])),
        ("2024", Half, Some(&["2024-H1", "2024-H2"])),
        (
            "2024",
            Quarter,
            Some(&["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]),
        ),
        ("2024-H2", Quarter, Some(&["2024-Q3", "2024-Q4"])),
        ("2024-Q2", Month, Some(&["2024-04", "2024-05", "2024-06"])),
        ("2024-06", Month, Some(&["2024-06"])),
        ("2024-01..2024-02", Month, Some(&["2024-01", "2024-02"])),
        (
            "2024-W01..2024-W03",
            Week,
            Some(&["2024-W01", "2024-W02", "2024-W03"]),
        ),
        (
            "2024-12-30..2025-01-12",
            Week,
            Some(&["2025-W01", "2025-W02"]),
        ),
        ("2020-W53", Week, Some(&["2020-W53"])),
        ("2024-06-12", Day, Some(&["2024-06-12"])),
        (
            "2024-W23",
            Day,
            Some(&[
                "2024-06-03",
                "2024-06-04",
                "2024-06-05",
                "2024-06-06",
                "2024-06-07",
                "2024-06-08",
                "2024-06-09",
            ]),
        ),
        ("2024", Week, None),
        ("2021", Week, None),
        ("2024-06", Week, None),
        ("2024-06", Quarter, None),
        ("2024-Q2", Year, None),
        ("2024-Q2", Half, None),
        ("2024-W23", Month, None),
        ("2024-06-12", Week, None),
        ("2024-01-15..2024-02-14", Month, None),
        ("2024-01..2024-03-15", Month, None),
        ("2024-02..2024-03-15", Quarter, None),
        // Up to the last supported day.
        ("9999", Half, Some(&["9999-H1", "9999-H2"])),
        ("9999-H2", Quarter, Some(&["9999-Q3", "9999-Q4"])),
        ("9999-Q4", Month, Some(&["9999-10", "9999-11", "9999-12"])),
        ("9999-12", Month, Some(&["9999-12"])),
        (
            "9999-12-30..9999-12-31",
            Day,
            Some(&["9999-12-30", "9999-12-31"]),
        ),
        ("9999-W50..9999-W51", Week, Some(&["9999-W50", "9999-W51"])),
        // 9999-W52 runs past 9999-12-31, so no week tiles the end of 9999.
        ("9999-12", Week, None),
        ("9999-W51..9999-12-31", Week, None),
        ("9999-12-27..9999-12-31", Week, None),
        ("9999", Week, None),
    ];
    for &(text, g, expected) in cases {
        let expected = expected.map(|names| names.iter().map(ToString::to_string).collect());
        assert_eq!(names(text, g), expected, "{text} split {g:?}");
    }
    let days = period("2024").split(Day).unwrap();
    assert_eq!(days.len(), 366);
    assert_eq!(days[0].to_string(), "2024-01-01");
    assert_eq!(days[365].to_string(), "2024-12-31");
    assert_eq!(period("2024").split(Month).unwrap().len(), 12);
    let days = period("9999").split(Day).unwrap();
    assert_eq!(days.len(), 365);
    assert_eq!(days[364].to_string(), "9999-12-31");
    assert_eq!(days[364].end_day(), 2_932_897);
    assert_eq!(period("0001..9999").split(Year).unwrap().len(), 9999);
    // The pieces are proper periods of their kind.
    for piece in period("2024-Q1").split(Week).unwrap_or_default() {
        assert_eq!(piece.granularity(), Some(Granularity::Week));
    }
    assert!(period("2024-12-30..2025-01-12").split(Week).is_some());
}

#[test]
fn shift_back_keeps_the_kind() {
    let cases = [
        // Years, halves, quarters and months by whole multiples.
        ("2024", "1y", "2023"),
        ("2024", "2h", "2023"),
        ("2024", "4h", "2022"),
        ("2024", "4q", "2023"),
        ("2024", "12m", "2023"),
        ("2024", "24m", "2022"),
        ("2024-H2", "1h", "2024-H1"),
        ("2024-H1", "1h", "2023-H2"),
        ("2024-H1", "1y", "2023-H1"),
        ("2024-H1", "2q", "2023-H2"),
        ("2024-H1", "6m", "2023-H2"),
        ("2024-Q2", "1q", "2024-Q1"),
        ("2024-Q1", "1q", "2023-Q4"),
        ("2024-Q2", "1y", "2023-Q2"),
        ("2024-Q2", "1h", "2023-Q4"),
        ("2024-Q2", "3m", "2024-Q1"),
        ("2024-06", "1y", "2023-06"),
        ("2024-06", "1q", "2024-03"),
        ("2024-06", "1h", "2023-12"),
        ("2024-06", "2h", "2023-06"),
        ("2024-06", "1m", "2024-05"),
        ("2024-01", "1m", "2023-12"),
        ("2024-03", "1m", "2024-02"),
        ("0001-12", "11m", "0001-01"),
        // Weeks keep their ISO week number over years.
        ("2024-W23", "1y", "2023-W23"),
        ("2026-W53", "6y", "2020-W53"),
        ("2024-W01", "1y", "2023-W01"),
        ("2024-W23", "1w", "2024-W22"),
        ("2024-W23", "2w", "2024-W21"),
        ("2024-W01", "1w", "2023-W52"),
        ("2021-W01", "1w", "2020-W53"),
        ("2024-W23", "14d", "2024-W21"),
        ("2024-W23", "7d", "2024-W22"),
        // Days keep their calendar date, clamped to the month's end.
        ("2024-02-29", "1y", "2023-02-28"),
        ("2024-02-29", "4y", "2020-02-29"),
        ("2024-03-31", "1m", "2024-02-29"),
        ("2023-03-31", "1m", "2023-02-28"),
        ("2024-05-31", "1q", "2024-02-29"),
        ("2024-08-31", "1h", "2024-02-29"),
        ("2024-06-12", "1w", "2024-06-05"),
        ("2024-06-12", "12d", "2024-05-31"),
        ("2024-01-01", "1d", "2023-12-31"),
        ("2024-03-01", "1d", "2024-02-29"),
        // Other ranges move both bounds, then are renamed if they can be.
        ("2024-01-15..2024-02-14", "1m", "2023-12-15..2024-01-14"),
        ("2024-01-15..2024-02-14", "1y", "2023-01-15..2023-02-14"),
        ("2024-01-15..2024-02-14", "1w", "2024-01-08..2024-02-07"),
        ("2024-01-02..2024-12-31", "1y", "2023-01-02..2023-12-31"),
        ("2024-02..2024-03-15", "1m", "2024-01-01..2024-02-15"),
        ("2024-03-31..2024-04-29", "1m", "2024-02-29..2024-03-29"),
        ("2024-06-12..2024-06-18", "2d", "2024-W24"),
        ("2024-06-12..2024-06-18", "1q", "2024-03-12..2024-03-18"),
        // From periods ending on the last supported day.
        ("9999", "1y", "9998"),
        ("9999", "9998y", "0001"),
        ("9999-H2", "1h", "9999-H1"),
        ("9999-H2", "1y", "9998-H2"),
        ("9999-Q4", "1q", "9999-Q3"),
        ("9999-Q4", "3m", "9999-Q3"),
        ("9999-12", "1m", "9999-11"),
        ("9999-12", "1y", "9998-12"),
        ("9999-W51", "1y", "9998-W51"),
        ("9999-W51", "1w", "9999-W50"),
        ("9999-12-31", "1d", "9999-12-30"),
        ("9999-12-31", "1m", "9999-11-30"),
        ("9999-12-31", "1y", "9998-12-31"),
        ("9999-12-30..9999-12-31", "1d", "9999-12-29..9999-12-30"),
        ("9999-12-30..9999-12-31", "1w", "9999-12-23..9999-12-24"),
        ("9999-12-30..9999-12-31", "1m", "9999-11-30"),
        ("9999-12-30..9999-12-31", "1q", "9999-09-30"),
        ("9999-12-02..9999-12-31", "1m", "9999-11-02..9999-11-30"),
        ("9999-01-02..9999-12-31", "1y", "9998-01-02..9998-12-31"),
        ("9999-12-27..9999-12-31", "1w", "9999-12-20..9999-12-24"),
        ("9999-12-27..9999-12-31", "5d", "9999-12-22..9999-12-26"),
        ("2024-06-12..9999-12-31", "1d", "2024-06-11..9999-12-30"),
        ("0001-01-02..9999-12-31", "1d", "0001-01-01..9999-12-30"),
    ];
    for (text, over, expected) in cases {
        let shifted = period(text)
            .shift_back(span(over))
            .unwrap_or_else(|e| panic!("{text} over {over}: {e}"));
        assert_eq!(shifted.to_string(), expected, "{text} over {over}");
        if period(text).granularity().is_some() {
            assert_eq!(
                shifted.granularity(),
                period(text).granularity(),
                "{text} over {over}"
            );
        }
    }
}

#[test]
fn shift_back_errors() {
    let year = "a year moves in whole years";
    let half = "a half moves in whole halves";
    let quarter = "a quarter moves in whole quarters";
    let month = "a month moves in whole months";
    let week = "a week moves in whole weeks or ISO years";
    let early = "the result would start before 0001-01-01, the first supported day";
    let cases = [
        ("2024", "1q", year),
        ("2024", "1h", year),
        ("2024", "6m", year),
        ("2024", "1w", year),
        ("2024", "365d", year),
        ("2024-H1", "1q", half),
        ("2024-H1", "3m", half),
        ("2024-H1", "2w", half),
        ("2024-Q2", "1m", quarter),
        ("2024-Q2", "1d", quarter),
        ("2024-06", "1w", month),
        ("2024-06", "30d", month),
        ("2024-W23", "1m", week),
        ("2024-W23", "1q", week),
        ("2024-W23", "1h", week),
        ("2024-W23", "10d", week),
        ("2020-W53", "1y", "ISO year 2019 has no week 53"),
        ("2026-W53", "1y", "ISO year 2025 has no week 53"),
        (
            "2024-03-29..2024-03-30",
            "1m",
            "the shifted range would be empty",
        ),
        ("0001", "1y", early),
        ("0001-H1", "1h", early),
        ("0001-Q1", "1q", early),
        ("0001-06", "1y", early),
        ("0002-01", "13m", early),
        ("0001-06-12", "1y", early),
        ("0001-01-01", "1d", early),
        ("0001-W01", "1w", early),
        ("0001-W10", "1y", early),
        ("0001-01-01..0001-01-05", "1d", early),
        ("2024", "9999y", early),
        ("9999", "9999y", early),
        ("9999-12", "9999y", early),
        ("9999-12-31", "9999y", early),
        ("9999-12-30..9999-12-31", "9999y", early),
        ("0001-01-01..9999-12-31", "1d", early),
    ];
    for (text, over, reason) in cases {
        let error = period(text).shift_back(span(over)).expect_err(text);
        let canonical = period(text);
        assert_eq!(
            message(error),
            format!("cannot shift {canonical} back {over}: {reason}"),
        );
    }
    // Spans built directly, beyond what Span::parse accepts, fail too.
    for unit in [
        Granularity::Year,
        Granularity::Month,
        Granularity::Week,
        Granularity::Day,
    ] {
        let huge = Span {
            count: u32::MAX,
            unit,
        };
        for text in [
            "2024",
            "2024-06",
            "2024-W23",
            "2024-06-12",
            "2024-01-15..2024-02-14",
        ] {
            let _ = period(text).shift_back(huge);
        }
        assert!(period("2024-06-12").shift_back(huge).is_err());
        assert!(period("9999-12-02..9999-12-31").shift_back(huge).is_err());
    }
    // A span of nothing, built directly, leaves a period where it is.
    for unit in [Granularity::Month, Granularity::Day] {
        for text in ["9999-12-02..9999-12-31", "2024-01-15..2024-02-14"] {
            let none = Span { count: 0, unit };
            assert_eq!(period(text).shift_back(none), Ok(period(text)), "{text}");
        }
    }
}

#[test]
fn day_numbers_count_days_from_1970_over_the_whole_range() {
    let epoch = date("1970-01-01");
    let mut day = Date::constant(-9999, 1, 1);
    let last = date("9999-12-31");
    while day < last {
        let by_span = (day.duration_since(epoch).as_secs() / 86_400) as i32;
        assert_eq!(day_number(day), by_span, "{day}");
        assert_eq!(date_from_day_number(by_span), Some(day), "{day}");
        day = day.checked_add(jiff::Span::new().days(97)).unwrap_or(last);
    }
    assert_eq!(day_number(last), 2_932_896);
    assert_eq!(day_number(epoch), 0);
    assert_eq!(day_number(date("1969-12-31")), -1);
    assert_eq!(day_number(date("2000-02-29")), 11_016);
}

#[test]
fn a_range_is_named_by_the_coarsest_unit_period_it_equals() {
    // Every range of 1 to 400 days starting on any day of 2023-2024 (and
    // near the ends of the supported days): its name is that of the first
    // unit, coarsest first, whose period holding its start is exactly it.
    let starts = (day_number(date("2023-01-01"))..day_number(date("2025-01-01")))
        .chain(day_number(date("0001-01-01"))..day_number(date("0001-03-01")))
        .chain(day_number(date("9998-11-01"))..day_number(date("9999-12-01")));
    for start in starts.step_by(3) {
        for days in 1..=400 {
            let Ok(p) = Period::from_day_numbers(start, start + days) else {
                continue;
            };
            let expected = Granularity::CALENDAR.into_iter().find(|&g| {
                let unit = Period::containing(g, p.start());
                unit.start() == p.start() && unit.last_day() == p.last_day()
            });
            assert_eq!(p.granularity(), expected, "{p}");
        }
    }
}
