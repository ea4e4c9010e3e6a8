//! SPEC §2 Data model and §3 Lexical rules: periods, values, labels, names,
//! strings, spans, comments, separators and case.
use crate::common::{Row, cell, column, csv, memory, query, row_of};

/// Inserts `m{i=N}=1` for each period text and returns the `series` rows
/// by period text, checking that every insert succeeded.
fn stored_periods(inputs: &[&str]) -> Vec<Row> {
    let mut lines: Vec<String> = inputs
        .iter()
        .enumerate()
        .map(|(i, p)| format!("insert {p} m{{i=p{i:02}}}=1"))
        .collect();
    lines.push("series m*".into());
    let rows = query(&lines.iter().map(String::as_str).collect::<Vec<_>>());
    inputs
        .iter()
        .enumerate()
        .map(|(i, _)| row_of(&rows, &format!("m{{i=p{i:02}}}")).clone())
        .collect()
}

#[test]
fn periods_in_every_form_print_canonically_with_inclusive_days() {
    // (input, canonical, first day, last day)
    let cases = [
        ("2024", "2024", "2024-01-01", "2024-12-31"),
        ("2024-H1", "2024-H1", "2024-01-01", "2024-06-30"),
        ("2024H2", "2024-H2", "2024-07-01", "2024-12-31"),
        ("2024-h2", "2024-H2", "2024-07-01", "2024-12-31"),
        ("2024-Q2", "2024-Q2", "2024-04-01", "2024-06-30"),
        ("2024q2", "2024-Q2", "2024-04-01", "2024-06-30"),
        ("2024-06", "2024-06", "2024-06-01", "2024-06-30"),
        ("2024-02", "2024-02", "2024-02-01", "2024-02-29"),
        ("2024-W23", "2024-W23", "2024-06-03", "2024-06-09"),
        ("2024w23", "2024-W23", "2024-06-03", "2024-06-09"),
        ("2020-W53", "2020-W53", "2020-12-28", "2021-01-03"),
        ("2025-W01", "2025-W01", "2024-12-30", "2025-01-05"),
        ("2024-06-12", "2024-06-12", "2024-06-12", "2024-06-12"),
        ("2024-02-29", "2024-02-29", "2024-02-29", "2024-02-29"),
        // Ranges equal to a named period are shown by that name.
        ("2024-01..2024-03", "2024-Q1", "2024-01-01", "2024-03-31"),
        ("2024-Q1..2024-Q2", "2024-H1", "2024-01-01", "2024-06-30"),
        ("2024-01-01..2024-12-31", "2024", "2024-01-01", "2024-12-31"),
        (
            "2024-06-03..2024-06-09",
            "2024-W23",
            "2024-06-03",
            "2024-06-09",
        ),
        (
            "2024-06-12..2024-06-12",
            "2024-06-12",
            "2024-06-12",
            "2024-06-12",
        ),
        ("2024-07..2024-07", "2024-07", "2024-07-01", "2024-07-31"),
        // Other ranges are shown in days.
        (
            "2024-01..2024-02",
            "2024-01-01..2024-02-29",
            "2024-01-01",
            "2024-02-29",
        ),
        (
            "2023-12-25..2024-01-07",
            "2023-12-25..2024-01-07",
            "2023-12-25",
            "2024-01-07",
        ),
        (
            "2023..2024",
            "2023-01-01..2024-12-31",
            "2023-01-01",
            "2024-12-31",
        ),
    ];
    let inputs: Vec<&str> = cases.iter().map(|c| c.0).collect();
    for (row, (input, canonical, start, end)) in stored_periods(&inputs).iter().zip(cases) {
        assert_eq!(cell(row, "period"), canonical, "{input}");
        assert_eq!(cell(row, "start"), start, "{input}");
        assert_eq!(cell(row, "end"), end, "{input}");
    }
}

#[test]
fn invalid_periods_are_errors_that_say_what_is_wrong() {
    // (input, a word the message must contain)
    let cases = [
        ("2024-02-30", "29 days"),
        ("2023-02-29", "28 days"),
        ("2023-W53", "52 weeks"),
        ("2024-Q5", "Q1 to Q4"),
        ("2024-H3", "H1 or H2"),
        ("2024-13", "01 to 12"),
        ("2024-03..2024-01", "empty"),
        ("24", "four digits"),
        ("20240", "2024"),
        ("2024-6", "2024"),
    ];
    let script: String = cases
        .iter()
        .map(|(p, _)| format!("insert {p} m=1\n"))
        .collect();
    let out = csv(&script);
    let errors = out.failed();
    assert_eq!(errors.len(), cases.len(), "{out:#?}");
    for (n, ((input, needle), error)) in cases.iter().zip(errors).enumerate() {
        assert!(
            error.starts_with(&format!("error: line {}: ", n + 1)),
            "{error}"
        );
        assert!(error.contains(input), "{input}: {error}");
        assert!(error.contains(needle), "{input}: {error}");
    }
}

#[test]
fn values_take_signs_exponents_separators_and_suffixes() {
    // (input, stored value)
    let cases = [
        ("12M", "12000000"),
        ("1.2e6", "1200000"),
        ("1_200_000", "1200000"),
        ("70%", "0.7"),
        ("5k", "5000"),
        ("5K", "5000"),
        ("2B", "2000000000"),
        ("2G", "2000000000"),
        ("3T", "3000000000000"),
        ("-1.5", "-1.5"),
        ("+2", "2"),
        ("-2.5M", "-2500000"),
        ("1.5e-3", "0.0015"),
        ("1E6", "1000000"),
        ("1_000.25", "1000.25"),
        ("0", "0"),
    ];
    let mut lines: Vec<String> = cases
        .iter()
        .enumerate()
        .map(|(i, (v, _))| format!("insert 2020 v{{i=v{i:02}}}={v}"))
        .collect();
    lines.push("series v*".into());
    let rows = query(&lines.iter().map(String::as_str).collect::<Vec<_>>());
    for (i, (input, value)) in cases.iter().enumerate() {
        let row = row_of(&rows, &format!("v{{i=v{i:02}}}"));
        assert_eq!(cell(row, "value"), *value, "{input}");
    }
}

/// SPEC §3: "Years have four digits", so all of 9999 is a valid period.
#[test]
fn the_last_days_of_year_9999_are_valid_periods() {
    let rows = stored_periods(&["9999", "9999-H2", "9999-Q4", "9999-12", "9999-12-31"]);
    for row in &rows {
        assert_eq!(cell(row, "end"), "9999-12-31", "{row:?}");
    }
    // Stepping through the last months stops at the last day.
    let rows = query(&[
        "insert 9999-10 x=1",
        "insert 9999-11 x=2",
        "insert 9999-12 x=3",
        "series x from 9999-10 to 9999-12 every month",
    ]);
    assert_eq!(column(&rows, "period"), ["9999-10", "9999-11", "9999-12"]);
    assert_eq!(
        column(&rows, "end"),
        ["9999-10-31", "9999-11-30", "9999-12-31"]
    );
    assert_eq!(column(&rows, "value"), ["1", "2", "3"]);
}

#[test]
fn invalid_values_are_errors() {
    let cases = [
        ("1,000", "1_000"),
        ("NaN", "NaN"),
        ("inf", "inf"),
        ("1m", "1m"),
        ("1__0", "1__0"),
        ("1e", "1e"),
        ("\"12\"", "value"),
    ];
    for (input, needle) in cases {
        let error = crate::common::query_error(&[&format!("insert 2020 m={input}")]);
        assert!(error.contains(needle), "{input}: {error}");
    }
    let error = crate::common::query_error(&["insert 2020 m="]);
    assert!(error.contains("value"), "{error}");
}

#[test]
fn labels_are_canonical_sorted_and_quoted_only_when_needed() {
    let rows = query(&[
        r#"insert 2020 pop{country="Korea, Dem. Rep.",continent=Asia}=1"#,
        r#"insert 2020 pop{k="plain"}=2 pop{k="a\"b\\c"}=3 pop{k=v.1-x_Y}=4 pop{b=2,a=1}=5"#,
        "series pop*",
    ]);
    let mut series = column(&rows, "series");
    series.sort();
    let mut expected = [
        r#"pop{continent=Asia,country="Korea, Dem. Rep."}"#,
        "pop{k=plain}",
        r#"pop{k="a\"b\\c"}"#,
        "pop{k=v.1-x_Y}",
        "pop{a=1,b=2}",
    ];
    expected.sort();
    assert_eq!(series, expected);
}

#[test]
fn label_order_does_not_matter() {
    let rows = query(&[
        "insert 2020 u{b=2,a=1}=7",
        "insert 2021 u{a=1,b=2}=8",
        "series u{b=2,a=1}",
    ]);
    assert_eq!(column(&rows, "series"), ["u{a=1,b=2}", "u{a=1,b=2}"]);
    assert_eq!(column(&rows, "value"), ["7", "8"]);
}

#[test]
fn invalid_names_and_labels_are_errors() {
    // (command, a word the message must contain)
    let cases = [
        ("insert 2020 1bad=1", "1bad"),
        ("insert 2020 _bad=1", "_bad"),
        ("insert 2020 m{Key=1}=1", "Key"),
        ("insert 2020 m{1k=1}=1", "1k"),
        ("insert 2020 m{k=a b}=1", ""),
        ("insert 2020 m{k=v,k=w}=1", "k"),
        (r#"insert 2020 m{k="open}=1"#, ""),
    ];
    for (command, needle) in cases {
        let error = crate::common::query_error(&[command]);
        assert!(error.contains(needle), "{command}: {error}");
    }
}

#[test]
fn metric_names_take_letters_digits_underscores_dots_and_dashes() {
    let rows = query(&["insert 2020 a.b-c_d9=1 X=2", "metrics"]);
    assert_eq!(column(&rows, "metric"), ["X", "a.b-c_d9"]);
}

#[test]
fn keywords_are_case_insensitive_names_are_not() {
    let rows = query(&[
        "METRIC Users KIND=Stock UNIT=people DESC=\"All\"",
        "Insert 2022 Users=1 users=10 Users{line=A}=2 Users{line=a}=3 SOURCE=\"s\" NOTE=\"n\"",
        "INSERT 2023 Users=2 users=20 Users{line=A}=4 Users{line=a}=3",
        "GROWTH Users* FROM EARLIEST TO LATEST SORT CHANGE DESC LIMIT 5 ASOF 2999-01-01",
    ]);
    assert_eq!(
        column(&rows, "series"),
        ["Users{line=A}", "Users", "Users{line=a}"]
    );
    let rows = query(&[
        "insert 2022 Users=1 users=10",
        "Series users EVERY YEAR FROM 2022 TO 2022",
    ]);
    assert_eq!(column(&rows, "value"), ["10"]);
    let rows = query(&["metric m kind=FLOW unit=x", "Metrics m"]);
    assert_eq!(cell(&rows[0], "kind"), "flow");
}

#[test]
fn label_keys_are_lowercase_so_keys_differing_in_case_are_errors() {
    let error = crate::common::query_error(&["insert 2020 u{line=a}=1", "series u{Line=a}"]);
    assert!(error.contains("Line"), "{error}");
}

#[test]
fn comments_semicolons_and_continuations() {
    let script = "# a comment line\n\
                  insert 2020 a=1 # a trailing comment\n\
                  insert 2021 a=2; insert 2022 a=3 ;; insert 2023 a=4\n\
                  insert 2024 \\\n  a=5 \\\n  source=\"joined\"\n\
                  \n\
                  insert 2025 b=1 note=\"# not a comment; nor a separator\"\n\
                  series a\n\
                  history b\n";
    let out = csv(script);
    out.clean();
    let results = out.results();
    assert_eq!(column(&results[0], "value"), ["1", "2", "3", "4", "5"]);
    assert_eq!(
        cell(&results[1][0], "note"),
        "# not a comment; nor a separator"
    );
}

#[test]
fn errors_in_continued_lines_count_physical_lines() {
    let out = csv("insert 2020 a=1\ninsert 2021 \\\n a=1,000\ninsert 2022 a=x\n");
    let errors = out.failed();
    assert_eq!(errors.len(), 2);
    assert!(errors[0].starts_with("error: line 2: "), "{errors:?}");
    assert!(errors[1].starts_with("error: line 4: "), "{errors:?}");
}

#[test]
fn strings_take_escaped_quotes_and_backslashes() {
    let rows = query(&[
        r#"metric m desc="say \"hi\" \\ ok""#,
        r#"insert 2020 m=1 source="a \"b\"" note="c\\d""#,
        "metrics m",
    ]);
    assert_eq!(cell(&rows[0], "description"), r#"say "hi" \ ok"#);
    let rows = query(&[
        r#"insert 2020 m=1 source="a \"b\"" note="c\\d""#,
        "history m",
    ]);
    assert_eq!(cell(&rows[0], "source"), r#"a "b""#);
    assert_eq!(cell(&rows[0], "note"), r"c\d");
}

#[test]
fn spans_take_every_unit_and_reject_others() {
    let setup = [
        "metric s kind=stock",
        "insert 2000 s=1",
        "insert 2024-06-30 s=2",
    ];
    for span in ["1y", "2h", "3q", "5m", "7w", "30d", "10y"] {
        let mut lines = setup.to_vec();
        let command = format!("growth s over {span} to 2024-06-30");
        lines.push(&command);
        let rows = query(&lines);
        assert_eq!(cell(&rows[0], "to_period"), "2024-06-30", "{span}");
    }
    for span in ["1x", "y", "0y", "-1y", "1.5y", "1"] {
        let command = format!("growth s over {span}");
        let mut lines = setup.to_vec();
        lines.push(&command);
        let error = crate::common::query_error(&lines);
        assert!(error.contains("span"), "{span}: {error}");
    }
}

#[test]
fn metric_defines_and_updates_only_the_attributes_given() {
    let rows = query(&[
        "metric m unit=people desc=\"first\"",
        "metric m kind=flow",
        "metric m desc=\"second\"",
        "metrics m",
    ]);
    let row = &rows[0];
    assert_eq!(
        (
            cell(row, "kind"),
            cell(row, "unit"),
            cell(row, "description")
        ),
        ("flow", "people", "second")
    );
    for kind in ["stock", "flow", "average", "ratio", "distinct"] {
        let rows = query(&[&format!("metric m kind={kind}"), "metrics m"]);
        assert_eq!(cell(&rows[0], "kind"), kind);
    }
    let error = crate::common::query_error(&["metric m kind=bogus"]);
    assert!(error.contains("bogus"), "{error}");
}

#[test]
fn the_series_without_labels_is_the_metrics_total() {
    let rows = query(&["insert 2020 users=10 users{line=a}=4", "metrics users"]);
    assert_eq!(cell(&rows[0], "series"), "2");
    let rows = query(&["insert 2020 users=10 users{line=a}=4", "series users"]);
    assert_eq!(column(&rows, "series"), ["users"]);
}

/// SPEC §3: "`;` also separates commands" — session commands included.
#[test]
fn semicolons_separate_session_commands_too() {
    let out = memory(&["-c", ".mode csv; metrics"], "");
    out.clean();
    assert!(out.stdout.starts_with("metric,kind,"), "{out:#?}");
    let out = memory(&["-c", "metrics; .mode csv; metrics"], "");
    out.clean();
    assert!(out.stdout.contains("metric,kind,"), "{out:#?}");
}

/// SPEC §3: "`#` starts a comment outside quotes" — after session commands too.
#[test]
fn comments_after_session_commands() {
    let out = memory(&[], ".mode csv # machine-readable\nmetrics\n");
    out.clean();
    assert!(out.stdout.starts_with("metric,kind,"), "{out:#?}");
}
