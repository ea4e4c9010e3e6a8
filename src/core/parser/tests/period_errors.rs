//! Errors in commands that take periods, spans and values, and how the
//! period module's own messages are embedded.
use super::assert_errors;
use crate::core::parser::{ParseError, parse_command};
use crate::core::period::{Period, Span};

#[test]
fn syntax_errors_with_periods() {
    assert_errors(&[
        (
            "insert",
            7,
            "unexpected end of command; expected a period after \"insert\"",
        ),
        (
            "insert 2024",
            12,
            "unexpected end of command; expected at least one SERIES=VALUE, such as users=12M",
        ),
        (
            r#"revise 2024 source="x""#,
            23,
            "unexpected end of command; expected at least one SERIES=VALUE, such as users=12M",
        ),
        (
            "insert 2024 users",
            18,
            "unexpected end of command; expected \"=\" after \"users\"",
        ),
        (
            "insert 2024 users=",
            19,
            "unexpected end of command; expected a value after \"users=\"",
        ),
        (
            "insert 2024 users 5",
            19,
            "expected \"=\" after \"users\", found \"5\"",
        ),
        (
            "insert 2024 users=1,000",
            19,
            "invalid value \"1,000\": use _ to group digits, e.g. 1_000",
        ),
        (
            "insert 2024 users=1,000,000 b=2",
            19,
            "invalid value \"1,000,000\": use _ to group digits, e.g. 1_000",
        ),
        (
            "insert 2024 users=12m",
            19,
            "invalid value \"12m\": unknown suffix \"m\"; use M for millions (lowercase m is not a suffix)",
        ),
        (
            "insert 2024 users=12x",
            19,
            "invalid value \"12x\": unknown suffix \"x\"; expected k, M, B, G, T or %",
        ),
        (
            "insert 2024 users=NaN",
            19,
            "invalid value \"NaN\": not a finite number",
        ),
        (
            "insert 2024 users=1e400",
            19,
            "invalid value \"1e400\": out of range",
        ),
        (
            "insert 2024 users=\"5\"",
            19,
            "expected a value after \"users=\", found the string \"5\"",
        ),
        (
            "insert 2024 users{b=1,a=2}=\"5\"",
            28,
            "expected a value after \"users{a=2,b=1}=\", found the string \"5\"",
        ),
        (
            "insert 2024 users=1,b=2",
            20,
            "expected SERIES=VALUE, found \",\"",
        ),
        (
            "insert 2024 users=1 , b=2",
            21,
            "expected SERIES=VALUE, found \",\"",
        ),
        (
            "insert 2024 users{a=1,b=2}=1 users{b=2,a=1}=2",
            30,
            "series \"users{a=1,b=2}\" given twice",
        ),
        ("insert 2024 x=1 x=2", 17, "series \"x\" given twice"),
        (
            r#"insert 2024 x=1 source="a" Source="b""#,
            28,
            "\"source\" given twice",
        ),
        (
            r#"insert 2024 x=1 note="a" note="b""#,
            26,
            "\"note\" given twice",
        ),
        (
            "insert 2024 creators.*=5",
            13,
            "invalid metric name \"creators.*\": wildcards (*) are allowed only in growth, series, chart, metrics and metric",
        ),
        (
            "insert 2024 users {a=b}=5",
            19,
            "unexpected space before \"{\"; labels must follow the metric name directly, as in users{...}",
        ),
        (
            "insert 2024 \"users\"=5",
            13,
            "expected SERIES=VALUE, found the string \"users\"",
        ),
        // delete and history
        (
            "delete users",
            13,
            "unexpected end of command; expected a period after the series",
        ),
        (
            "delete users 2024 2025",
            19,
            "unexpected \"2025\"; expected end of command",
        ),
        (
            "delete users.* 2024",
            8,
            "invalid metric name \"users.*\": wildcards (*) are allowed only in growth, series, chart, metrics and metric",
        ),
        (
            "history",
            8,
            "unexpected end of command; expected a series after \"history\"",
        ),
        (
            "history users 2024 x",
            20,
            "unexpected \"x\"; expected end of command",
        ),
        (
            "history users \"2024\"",
            15,
            "expected a period after the series, found the string \"2024\"",
        ),
        // growth ranges
        (
            "growth users over",
            18,
            "unexpected end of command; expected a span such as 1y or 3m after \"over\"",
        ),
        (
            "growth users over 1y limit 2 to latest",
            30,
            "\"to\" must come directly after the span of \"over\"",
        ),
        (
            "growth users over 1y to latest to latest",
            32,
            "\"to\" given twice",
        ),
        (
            "growth users over 1y from 2020",
            22,
            "\"from\" cannot be combined with \"over\" unless \"every\" steps through periods",
        ),
        ("growth users over 1y over 2y", 22, "\"over\" given twice"),
    ]);
}

#[test]
fn period_errors_embed_the_period_message() {
    assert_errors(&[(
        "insert 2024-02-30 x=1",
        8,
        "invalid period \"2024-02-30\": 2024-02 has 29 days",
    )]);
    // The wording is `core::period`'s; check the column and that it is used as is.
    let cases = [
        ("delete x 2024-Q5", 10, "2024-Q5"),
        ("history x 20x4", 11, "20x4"),
        ("growth x from 2024-13 to latest", 15, "2024-13"),
        ("growth x from earliest to soon", 27, "soon"),
        ("growth x over 1y to 2024-W54", 21, "2024-W54"),
        ("series x from 2024..", 15, "2024.."),
        ("series x to users", 13, "users"),
    ];
    for (text, column, period) in cases {
        let expected = Period::parse(period).unwrap_err().to_string();
        assert_eq!(
            parse_command(text),
            Err(ParseError::invalid_value(column, expected)),
            "{text}"
        );
    }
    let expected = Span::parse("1x").unwrap_err().to_string();
    assert_eq!(
        parse_command("growth x over 1x"),
        Err(ParseError::invalid_value(15, expected))
    );
}

#[test]
fn a_series_given_twice_is_found_among_few_pairs_and_many() {
    for pairs in [2, 15, 16, 17, 40] {
        let mut line = "insert 2024".to_string();
        for i in 0..pairs {
            line.push_str(&format!(" s{i}=1"));
        }
        let column = line.len() + 2;
        line.push_str(" s1=2");
        let error = parse_command(&line).unwrap_err();
        assert_eq!(
            (error.column, error.message.as_str()),
            (column, "series \"s1\" given twice"),
            "{line}"
        );
    }
}
