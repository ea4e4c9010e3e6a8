//! SPEC §5 Output: the fields of every command in every format, machine and
//! people formatting, and where errors, confirmations and notes go.
use crate::common::{ALL_FIELDS, Sandbox, alipay, cell, memory};
use serde_json::Value;

/// One query per command, in the order of [`ALL_FIELDS`].
const QUERIES: [&str; 5] = [
    "growth users from 2022 to 2023 by line",
    "series creators.monthly_active from 2024-04",
    "metrics services.*",
    "history services.daily_use_share",
    "calendar",
];

#[test]
fn every_command_has_its_fields_in_every_format() {
    let store = alipay();
    for (query, fields) in QUERIES.iter().zip(ALL_FIELDS) {
        let first_line = |format: &str| {
            let out = store.run_db(&["--format", format, "-c", query], "");
            out.clean();
            out.stdout.lines().next().unwrap_or_default().to_string()
        };
        assert_eq!(first_line("csv"), fields.join(","), "{query}");
        assert_eq!(first_line("tsv"), fields.join("\t"), "{query}");
        // Markdown may hide columns that are empty in every row; the rest
        // keep the fields' names and order.
        let shown: Vec<String> = first_line("markdown")
            .split('|')
            .map(|h| h.trim().to_string())
            .filter(|h| !h.is_empty())
            .collect();
        let mut remaining = fields.iter();
        for name in &shown {
            assert!(remaining.any(|f| f == name), "{query}: markdown {shown:?}");
        }
        assert_eq!(shown[0], fields[0], "{query}");
        for format in ["json", "jsonl"] {
            let out = store.run_db(&["--format", format, "-c", query], "");
            for object in json_objects(&out.stdout, format) {
                let keys: Vec<&str> = object
                    .as_object()
                    .unwrap()
                    .keys()
                    .map(String::as_str)
                    .collect();
                let mut expected = fields.to_vec();
                expected.sort();
                let mut keys = keys;
                keys.sort();
                assert_eq!(keys, expected, "{format}: {query}");
            }
        }
        // Table headers name the fields too (it may hide empty columns).
        let out = store.run_db(&["--format", "table", "-c", query], "");
        out.clean();
        assert!(out.stdout.contains(fields[0]), "{query}");
    }
}

/// The objects of a json (one array) or jsonl (one object a line) output.
fn json_objects(text: &str, format: &str) -> Vec<Value> {
    match format {
        "json" => match serde_json::from_str(text).expect("one JSON document") {
            Value::Array(items) => items,
            other => panic!("json output is an array, not {other}"),
        },
        _ => text
            .lines()
            .map(|line| serde_json::from_str(line).expect("one JSON object a line"))
            .collect(),
    }
}

#[test]
fn json_is_one_array_per_command_and_jsonl_one_object_per_line() {
    let store = alipay();
    let args = ["--format", "json", "-c", QUERIES[0], "-c", QUERIES[2]];
    let out = store.run_db(&args, "");
    out.clean();
    let documents: Vec<Value> = serde_json::Deserializer::from_str(&out.stdout)
        .into_iter::<Value>()
        .map(|v| v.expect("valid JSON"))
        .collect();
    assert_eq!(documents.len(), 2, "{}", out.stdout);
    assert_eq!(documents[0].as_array().unwrap().len(), 4);
    assert_eq!(documents[1].as_array().unwrap().len(), 2);

    let out = store.run_db(&["--format", "jsonl", "-c", QUERIES[0]], "");
    out.clean();
    assert_eq!(out.stdout.lines().count(), 4);

    // No rows: an empty array, and no lines.
    let out = store.run_db(&["--format", "json", "-c", "series users from 2030"], "");
    out.clean();
    assert_eq!(
        serde_json::from_str::<Value>(&out.stdout).unwrap(),
        Value::Array(vec![])
    );
    let out = store.run_db(&["--format", "jsonl", "-c", "series users from 2030"], "");
    out.clean();
    assert_eq!(out.stdout, "");
}

#[test]
fn machine_formats_carry_full_precision_nulls_and_fractions() {
    let store = alipay();
    let query = "growth users from 2022 to 2023";
    let out = store.run_db(&["--format", "json", "-c", query], "");
    out.clean();
    let row = &json_objects(&out.stdout, "json")[0];
    assert_eq!(row["from_value"], 900_000_000.0);
    assert_eq!(row["to_value"], 1_000_000_000.0);
    assert_eq!(
        row["multiple"].as_f64(),
        Some(1_000_000_000.0 / 900_000_000.0)
    );
    assert_eq!(row["years"].as_f64(), Some(365.0 / 365.2425));
    assert_eq!(row["change_pp"], Value::Null);
    assert_eq!(row["share_pct"], Value::Null);
    assert_eq!(row["note"], Value::Null);

    let out = store.run_db(&["--format", "csv", "-c", query], "");
    let rows = out.rows();
    assert_eq!(cell(&rows[0], "multiple"), "1.1111111111111112");
    assert_eq!(cell(&rows[0], "change_pp"), "");

    // Ratio values are fractions in machine formats.
    for format in ["csv", "tsv", "jsonl"] {
        let out = store.run_db(
            &["--format", format, "-c", "series services.daily_use_share"],
            "",
        );
        out.clean();
        let last = out.stdout.lines().last().unwrap();
        assert!(last.contains("0.7"), "{format}: {last}");
        assert!(!last.contains("70"), "{format}: {last}");
    }
}

#[test]
fn dates_are_days_with_an_inclusive_end_and_timestamps_are_rfc3339_utc() {
    let store = alipay();
    let out = store.run_db(&["--format", "csv", "-c", "series users{line=payment}"], "");
    let rows = out.rows();
    assert_eq!(
        (cell(&rows[0], "start"), cell(&rows[0], "end")),
        ("2022-01-01", "2022-12-31")
    );
    let out = store.run_db(&["--format", "csv", "-c", "history users"], "");
    for row in out.rows() {
        let recorded = cell(&row, "recorded_at");
        assert!(recorded.ends_with('Z'), "UTC: {recorded}");
        recorded
            .parse::<jiff::Timestamp>()
            .unwrap_or_else(|e| panic!("RFC 3339: {recorded}: {e}"));
    }
}

#[test]
fn history_status_is_current_superseded_or_deleted() {
    let out = memory(
        &["--format", "jsonl", "-q"],
        "insert 2020 a=1\nrevise 2020 a=2\ninsert 2021 a=3\ndelete a 2021\nhistory a\n",
    );
    out.clean();
    let statuses: Vec<String> = json_objects(&out.stdout, "jsonl")
        .iter()
        .map(|o| o["status"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(statuses, ["superseded", "current", "superseded", "deleted"]);
}

#[test]
fn table_and_markdown_are_formatted_for_people() {
    let store = alipay();
    for format in ["table", "markdown"] {
        let out = store.run_db(
            &[
                "--format",
                format,
                "-c",
                "growth creators.monthly_active over 1y",
            ],
            "",
        );
        out.clean();
        for text in ["500,000", "+450,000", "+900.0%", "10.00x"] {
            assert!(
                out.stdout.contains(text),
                "{format}: {text}\n{}",
                out.stdout
            );
        }
        let out = store.run_db(
            &["--format", format, "-c", "series services.daily_use_share"],
            "",
        );
        assert!(out.stdout.contains("70.0%"), "{format}: ratio as a percent");
        let out = store.run_db(
            &[
                "--format",
                format,
                "-c",
                "growth users from 2022 to 2023 by line",
            ],
            "",
        );
        assert!(out.stdout.contains("1,000,000,000"), "{format}");
        assert!(out.stdout.contains("+30.0%"), "{format}: share");
    }
    let out = store.run_db(&["--format", "markdown", "-c", "metrics users"], "");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(
        lines[1].starts_with("|---") || lines[1].starts_with("| ---"),
        "{lines:?}"
    );
    assert!(lines.iter().all(|l| l.starts_with('|') && l.ends_with('|')));
}

#[test]
fn errors_name_their_line_in_batch_mode_and_files() {
    let sandbox = Sandbox::new();
    let file = sandbox.write("cmds.growth", "insert 2020 a=1\n\nbogus\n");
    let read = format!(".read {file}\n");
    // (args, stdin, error prefix)
    let cases: Vec<(Vec<&str>, &str, String)> = vec![
        (
            vec![],
            "insert 2020 a=1\n\nbogus\n",
            "error: line 3: ".into(),
        ),
        (vec!["-f", &file], "", "error: line 3: ".into()),
        (vec!["-c", "bogus"], "", "error: ".into()),
        (vec!["bogus", "words"], "", "error: ".into()),
        (vec![], &read, format!("error: {file}:3: ")),
        (
            vec!["--init", &file, "-c", "metrics"],
            "",
            format!("error: {file}:3: "),
        ),
    ];
    for (args, stdin, prefix) in cases {
        let mut all = vec!["--db", ":memory:", "-q"];
        all.extend(&args);
        let out = sandbox.run(&all, stdin);
        let line = out.only_error();
        assert!(line.starts_with(&prefix), "{args:?}: {line}");
        assert!(!line[prefix.len()..].starts_with("line"), "{line}");
        assert!(line.contains("bogus"), "{line}");
    }
}

#[test]
fn json_formats_report_errors_as_json_objects_on_stderr() {
    for format in ["json", "jsonl"] {
        let out = memory(
            &["--format", format],
            "insert 2020 a=1\ngrowth nosuch over 1y\nbogus\n",
        );
        assert_eq!(out.code, 1);
        assert_eq!(out.stdout, "");
        let errors: Vec<Value> = out
            .stderr
            .lines()
            .filter(|l| l.starts_with('{'))
            .map(|l| serde_json::from_str(l).expect("a JSON error object"))
            .collect();
        assert_eq!(errors.len(), 2, "{format}: {}", out.stderr);
        assert!(errors[0]["error"].as_str().unwrap().contains("nosuch"));
        assert_eq!(errors[0]["line"], 2);
        assert!(errors[1]["error"].as_str().unwrap().contains("bogus"));
        assert_eq!(errors[1]["line"], 3);
        assert!(
            !out.stderr.contains("error: "),
            "{format}: no plain error lines: {}",
            out.stderr
        );
    }
}

#[test]
fn confirmations_and_notes_go_to_stderr_never_stdout() {
    let out = memory(
        &[],
        "metric m kind=stock\ninsert 2020 m=1 n=2\ninsert 2020 m=1\nrevise 2020 m=3\ndelete m 2020\n",
    );
    out.ok();
    assert_eq!(out.stdout, "");
    assert!(out.stderr.lines().count() >= 5, "{}", out.stderr);
    assert!(!out.stderr.contains("error"), "{}", out.stderr);
    // Query notes (which rule applied) are in the note field, not on stderr.
    let out = memory(
        &["--format", "csv"],
        "metric s kind=stock\ninsert 2023 s=1\ngrowth s from 2024 to 2024\n",
    );
    let notes: Vec<_> = out
        .rows()
        .iter()
        .map(|r| cell(r, "note").to_string())
        .collect();
    assert!(notes[0].contains("stale"), "{notes:?}");
    assert!(!out.stdout.contains("inserted"));
}

#[test]
fn format_names_are_accepted_in_any_case() {
    let out = memory(&["--format", "CSV", "-c", "metrics"], "");
    out.clean();
    assert!(out.stdout.starts_with("metric,kind,"));
}
