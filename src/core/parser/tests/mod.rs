//! Tests of the parser, by concern: successful parses in `commands`,
//! `asof` times, and the errors in `errors` and `period_errors`.
use jiff::Timestamp;

use super::{COMMAND_NAMES, COMMANDS, ParseError, parse_asof, parse_command, parse_line};
use crate::core::command::{
    Command, Direction, Endpoint, GrowthQuery, GrowthRange, Selector, Sort,
};
use crate::core::error::ErrorKind;
use crate::core::labels::{LabelSet, SeriesKey};
use crate::core::period::Period;
use crate::core::value::parse_value;

mod asof;
mod calendar;
mod commands;
mod errors;
mod fiscal;
mod period_errors;

fn period(text: &str) -> Period {
    Period::parse(text).unwrap()
}

/// A period written in calendar form, as commands hold it.
fn days(text: &str) -> crate::core::command::PeriodArg {
    crate::core::command::PeriodArg::Days(period(text))
}

fn labels(pairs: &[(&str, &str)]) -> LabelSet {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn key(metric: &str, pairs: &[(&str, &str)]) -> SeriesKey {
    SeriesKey::new(metric, labels(pairs))
}

fn selector(metric: &str, pairs: &[(&str, &str)]) -> Selector {
    Selector::one(metric, labels(pairs))
}

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn parse(text: &str) -> Command {
    parse_command(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn growth(metric: &str, range: GrowthRange) -> GrowthQuery {
    GrowthQuery {
        selector: selector(metric, &[]),
        range,
        by: None,
        sort: None,
        limit: None,
        trailing: None,
        asof: None,
    }
}

const ALL_TIME: GrowthRange = GrowthRange::FromTo {
    from: Endpoint::Earliest,
    to: Endpoint::Latest,
};

fn sort(field: &str, direction: Direction) -> Option<Sort> {
    Some(Sort {
        field: crate::core::command::GrowthField::parse(field).expect("a growth field"),
        direction,
    })
}

fn assert_parses(cases: Vec<(&str, Command)>) {
    for (text, expected) in cases {
        assert_eq!(parse(text), expected, "{text}");
    }
}

/// Checks every case, then reports all mismatches at once.
fn assert_errors(cases: &[(&str, usize, &str)]) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|&(text, column, message)| {
            let got = parse_command(text);
            // The kind is checked where it is the point (kinds_of_errors).
            let located = got.as_ref().map_err(|e| (e.column, e.message.as_str()));
            (located != Err((column, message)))
                .then(|| format!("{text}\n  got {got:?}\n want column {column}: {message}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn kinds_of_errors() {
    let cases = [
        ("grwth users", ErrorKind::UnknownCommand),
        ("growth users from", ErrorKind::Syntax),
        ("insert 2024 x=1 note=\"open", ErrorKind::Syntax),
        ("insert 2024-13 x=1", ErrorKind::InvalidValue),
        ("insert 2024 x=1,000", ErrorKind::InvalidValue),
        ("insert 2024 1x=1", ErrorKind::InvalidValue),
        ("growth x over 0y", ErrorKind::InvalidValue),
        ("series x asof yesterday", ErrorKind::InvalidValue),
    ];
    for (text, kind) in cases {
        assert_eq!(parse_command(text).unwrap_err().kind(), kind, "{text}");
    }
}

#[test]
fn error_display() {
    let e = ParseError::new(14, "expected x");
    assert_eq!(e.to_string(), "column 14: expected x");
}

#[test]
fn lines_hold_several_commands() {
    let metrics = Command::Metrics { pattern: None };
    let history = Command::History {
        series: key("x", &[]),
        period: None,
    };
    assert_eq!(parse_line(""), vec![]);
    assert_eq!(parse_line("   # nothing here"), vec![]);
    assert_eq!(parse_line(" ; ;;"), vec![]);
    assert_eq!(parse_line("metrics"), vec![Ok(metrics.clone())]);
    assert_eq!(
        parse_line("metrics; history x ;metrics # done; history y"),
        vec![
            Ok(metrics.clone()),
            Ok(history.clone()),
            Ok(metrics.clone())
        ]
    );
    assert_eq!(
        parse_line(r#"metric a desc="x;y" ; history x"#)[1],
        Ok(history.clone())
    );
    // Each statement fails or succeeds on its own.
    assert_eq!(
        parse_line("metrics; grwth; history x"),
        vec![
            Ok(metrics.clone()),
            Err(ParseError::unknown_command(
                10,
                format!(
                    "unknown command \"grwth\" (did you mean \"growth\"?); expected {COMMANDS}"
                )
            )),
            Ok(history),
        ]
    );
    assert_eq!(
        parse_line("growth users{line=payment; metrics"),
        vec![
            Err(ParseError::new(
                13,
                "unterminated label set \"{line=payment\"; expected \"}\""
            )),
            Ok(metrics.clone()),
        ]
    );
    // A lexer error fails its own statement; an open quote runs to the end
    // of the line, so nothing after it is a separate statement.
    assert_eq!(
        parse_line("metrics; history \"x; metrics"),
        vec![
            Ok(metrics.clone()),
            Err(ParseError::new(18, "unterminated string starting here")),
        ]
    );
    // `;` and `#` inside quotes are text; `#` outside them ends the line.
    assert_eq!(parse_line("metrics # ; history x").len(), 1);
    assert_eq!(
        parse_line("history \"a;#b\"").len(),
        1,
        "quoted ; and # do not split"
    );
}

#[test]
fn parse_command_wants_exactly_one() {
    assert_eq!(
        parse_command("metrics;"),
        Ok(Command::Metrics { pattern: None })
    );
    assert_errors(&[
        ("", 1, &format!("empty command; expected {COMMANDS}")),
        (
            " # just a comment",
            1,
            &format!("empty command; expected {COMMANDS}"),
        ),
        (";", 1, &format!("empty command; expected {COMMANDS}")),
        (
            "metrics; metrics x",
            10,
            "expected a single command, found another starting at \"metrics\"",
        ),
    ]);
}

#[test]
fn hostile_inputs_do_not_panic() {
    let mut inputs: Vec<String> = [
        "",
        "\"",
        "\"\"\"",
        "{",
        "}",
        "{{{{",
        "}}}}",
        "=",
        ",",
        ";",
        "\\",
        "#",
        "\u{0}",
        "\u{feff}",
        "😀",
        "growth 😀",
        "\"😀\"",
        "users{😀=1}",
        "'; DROP TABLE x; --",
        "insert 2024 x=1'; DROP TABLE metrics; --",
        "metric x desc=\"\\",
        "growth x{",
        "growth x{a",
        "growth x{a=",
        "growth x{a=\"",
        "growth x{a=b,",
        "insert 2024 =5",
        "insert 2024 x==5",
        "insert ; ; ;",
        "growth * from * to *",
        "growth x over 0y",
        "growth x over 99999999999999999999y",
        "growth x from ..  to ..",
        "series x from -2024",
        "insert 2024 x=1e99999999999999999999999999",
        "insert 2024 x=-",
        "insert 2024 x=%",
        "insert 2024 x=.e5",
        "growth x from earliest to latest asof \"\"",
        "growth x from earliest to latest asof \"2024-06-12T10:00:00Z[Mars/Olympus]\"",
        "growth x from earliest to latest asof -999999-01-01T00:00:00Z",
        "growth x from earliest to latest asof 0000-00-00",
        "history x 0000-00-00",
        "history x 9999-12-31..-9999-01-01",
        "series x every",
        "metrics {",
        "metrics *{}",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    inputs.push("{".repeat(100_000));
    inputs.push(format!("insert 2024 x={}", "9".repeat(100_000)));
    inputs.push(format!(
        "growth {} from earliest to latest",
        "a".repeat(100_000)
    ));
    inputs.push("\"".repeat(10_001));
    inputs.push("metrics;".repeat(10_000));
    inputs.push(format!("history x{{{}}}", "a=b,".repeat(10_000)));
    // Deterministic pseudo-random bytes, read as lossy UTF-8.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let alphabet = b"growth insert 2024-Q1 from to over {}=,;\"\\#*.%+-:0123456789eEkMx ";
    for round in 0..2000 {
        let len = (next() % 80) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                let r = next();
                if round % 2 == 0 {
                    r as u8
                } else {
                    alphabet[(r % alphabet.len() as u64) as usize]
                }
            })
            .collect();
        inputs.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    for input in &inputs {
        let _ = parse_line(input);
        let _ = parse_command(input);
        let _ = parse_asof(input);
        let _ = parse_value(input);
    }
}

/// The list that help and completion use is the parser's own.
#[test]
fn command_names_are_the_commands_the_parser_knows() {
    let (last, rest) = COMMAND_NAMES.split_last().unwrap();
    assert_eq!(
        COMMANDS.to_string(),
        format!("{} or {last}", rest.join(", "))
    );
    for name in COMMAND_NAMES {
        if let Err(e) = parse_command(name) {
            assert!(!e.message.contains("unknown command"), "{name}: {e}");
        }
    }
    assert!(
        parse_command("nosuch")
            .unwrap_err()
            .message
            .contains("unknown command")
    );
}
