//! SPEC §6 Session commands: .help .mode .output .read .asof .timer .schema
//! .quit/.exit (the import/export, .sql and transaction commands come later).
use crate::common::{Sandbox, backdate, column, memory};

#[test]
fn help_lists_the_commands_and_shows_one() {
    let out = memory(&[], ".help\n");
    out.clean();
    for name in [
        "metric", "insert", "revise", "delete", "growth", "series", "metrics", "history", ".help",
        ".mode", ".output", ".read", ".asof", ".timer", ".schema", ".quit",
    ] {
        assert!(out.stdout.contains(name), "{name} in .help");
    }
    // (topic, text its help shows)
    let cases = [
        ("growth", "growth SELECTOR from ENDPOINT to ENDPOINT"),
        ("GROWTH", "growth SELECTOR over SPAN"),
        ("insert", "insert PERIOD SERIES=VALUE"),
        ("series", "every"),
        ("history", "history SERIES"),
        (".mode", "markdown"),
        ("mode", "markdown"),
    ];
    for (topic, text) in cases {
        let out = memory(&[], &format!(".help {topic}\n"));
        out.clean();
        assert!(out.stdout.contains(text), ".help {topic}:\n{}", out.stdout);
    }
    let out = memory(&[], ".help nosuch\n");
    assert!(out.only_error().contains("nosuch"));
}

#[test]
fn mode_switches_the_format_for_the_commands_after_it() {
    let out = memory(
        &["-q"],
        "insert 2020 a=1\nmetrics\n.mode csv\nmetrics\n.MODE JSONL\nmetrics\n",
    );
    out.clean();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines[0].starts_with("metric\tkind"), "{lines:?}");
    assert!(lines[2].starts_with("metric,kind"), "{lines:?}");
    assert!(lines[4].starts_with("{\"metric\":\"a\""), "{lines:?}");
    for bad in [".mode xml", ".mode", ".mode csv tsv"] {
        let out = memory(&[], &format!("{bad}\n"));
        assert!(out.only_error().starts_with("error: line 1: "), "{bad}");
    }
}

#[test]
fn mode_json_makes_later_errors_json() {
    let out = memory(&[], ".mode json\nbogus\n");
    assert_eq!(out.code, 1);
    let error: serde_json::Value = serde_json::from_str(out.stderr.trim()).expect("JSON error");
    assert_eq!(error["line"], 2);
}

#[test]
fn output_sends_rows_to_a_file_then_back_to_stdout() {
    let sandbox = Sandbox::new();
    let file = sandbox.path("out.csv");
    let file = file.to_str().unwrap();
    let script = format!(
        ".mode csv\ninsert 2020 a=1\n.output {file}\nseries a\nmetrics\n.output stdout\nseries a\n"
    );
    let out = sandbox.run(&["--db", ":memory:", "-q"], &script);
    out.clean();
    assert_eq!(
        out.stdout,
        "series,period,start,end,value,change,change_pct,note\na,2020,2020-01-01,2020-12-31,1,,,\n"
    );
    let written = std::fs::read_to_string(file).unwrap();
    assert!(written.starts_with("series,period,"), "{written}");
    assert!(written.contains("\nmetric,kind,"), "{written}");

    let out = sandbox.run(
        &["--db", ":memory:"],
        &format!(".output {}\n", sandbox.path("no/such/dir/x").display()),
    );
    assert!(out.only_error().starts_with("error: line 1: "));
}

#[test]
fn read_runs_a_file_and_names_it_in_errors() {
    let sandbox = Sandbox::new();
    let inner = sandbox.write("inner.growth", "insert 2021 a=2\nbogus\n");
    let outer = sandbox.write(
        "outer.growth",
        &format!("insert 2020 a=1\n.read {inner}\ninsert 2022 a=3\n"),
    );
    let out = sandbox.run(
        &["--db", ":memory:", "-q", "--format", "csv"],
        &format!(".read {outer}\nseries a\n"),
    );
    let error = out.only_error();
    assert!(error.starts_with(&format!("error: {inner}:2: ")), "{error}");
    assert_eq!(column(&out.rows(), "value"), ["1", "2", "3"]);

    let out = sandbox.run(&["--db", ":memory:"], ".read nosuch.growth\n");
    let error = out.only_error();
    assert!(error.starts_with("error: line 1: "), "{error}");
    assert!(error.contains("nosuch.growth"), "{error}");
}

#[test]
fn read_that_includes_itself_stops_with_an_error() {
    let sandbox = Sandbox::new();
    let path = sandbox.path("loop.growth");
    let path = path.to_str().unwrap();
    sandbox.write("loop.growth", &format!(".read {path}\n"));
    let out = sandbox.run(&["--db", ":memory:"], &format!(".read {path}\n"));
    assert_eq!(out.code, 1);
    assert!(!out.stderr.is_empty());
}

#[test]
fn asof_sets_and_clears_the_default_time_for_queries() {
    let sandbox = Sandbox::new();
    sandbox.load("insert 2023 m=10\nrevise 2023 m=12\n");
    backdate(&sandbox.db(), "m", 1, "2020-01-01T00:00:00.000000Z");
    backdate(&sandbox.db(), "m", 2, "2021-01-01T00:00:00.000000Z");
    let out = sandbox.csv(
        "series m\n.asof 2020-06-01\nseries m\n\
         growth m from 2023 to 2023\n\
         growth m from 2023 to 2023 asof 2021-06-01T00:00:00Z\n\
         .asof OFF\nseries m\n",
    );
    out.clean();
    let values: Vec<Vec<String>> = out
        .results()
        .iter()
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    r.get("value")
                        .or_else(|| r.get("to_value"))
                        .unwrap()
                        .clone()
                })
                .collect()
        })
        .collect();
    assert_eq!(values, [["12"], ["10"], ["10"], ["12"], ["12"]]);
    for bad in [".asof bogus", ".asof", ".asof 2020-13-01"] {
        let out = memory(&[], &format!("{bad}\n"));
        assert!(out.only_error().starts_with("error: line 1: "), "{bad}");
    }
}

#[test]
fn timer_reports_on_stderr_only_while_on() {
    // No assertion on the time itself: only on where it goes.
    let out = memory(&[], ".timer on\nmetrics\n");
    out.ok();
    assert!(!out.stderr.is_empty(), "a timing line on stderr");
    assert_eq!(out.stdout.lines().count(), 1, "stdout has only the rows");
    let out = memory(&[], ".timer on\n.timer off\nmetrics\n");
    out.clean();
    for bad in [".timer", ".timer maybe"] {
        let out = memory(&[], &format!("{bad}\n"));
        assert!(out.only_error().starts_with("error: line 1: "), "{bad}");
    }
}

#[test]
fn schema_prints_the_stores_sql() {
    if crate::common::sqlite_only(
        "SQLite's DDL (PostgreSQL's `.schema` prints its own, as README says)",
    ) {
        return;
    }
    let out = memory(&[], ".schema\n");
    out.clean();
    for table in ["metric", "series", "snapshot"] {
        assert!(
            out.stdout.contains(&format!("CREATE TABLE {table} ")),
            "{table}:\n{}",
            out.stdout
        );
    }
}

#[test]
fn quit_and_exit_stop_reading_commands() {
    for command in [".quit", ".exit", ".QUIT"] {
        let out = memory(
            &["-q"],
            &format!("insert 2020 a=1\n{command}\nbogus\nseries a\n"),
        );
        out.clean();
        assert_eq!(out.stdout, "", "{command}");
    }
    // A failure before .quit still sets the exit status.
    let out = memory(&[], "bogus\n.quit\n");
    assert_eq!(out.code, 1);
}

#[test]
fn unknown_session_commands_are_errors() {
    let out = memory(&[], ".nosuch\n");
    assert!(out.only_error().contains(".nosuch"));
}
