//! SPEC §5: with `--format json|jsonl` every error carries a stable `kind`.
//! Each kind the README lists is produced end to end by the binary, and
//! the README's list is the program's list.
use std::collections::BTreeSet;

use crate::common::Sandbox;
use growthdb::core::error::ErrorKind;
use rusqlite::Connection;

/// The one JSON error object a failing run printed.
#[track_caller]
fn error_of(out: &crate::common::Output) -> serde_json::Value {
    let line = out.only_error();
    serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
}

/// Runs `stdin` in batch mode on the sandbox's store, with jsonl errors.
fn kind_of(sandbox: &Sandbox, args: &[&str], stdin: &str) -> String {
    let mut all = vec!["--format", "jsonl", "-q"];
    all.extend_from_slice(args);
    let out = sandbox.run_db(&all, stdin);
    let error = error_of(&out);
    assert!(error["error"].is_string(), "{error}");
    assert!(error["line"].is_u64(), "{error}");
    error["kind"].as_str().expect("a kind").to_string()
}

/// A fresh store holding `script`.
fn store(script: &str) -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.load(script);
    sandbox
}

#[test]
fn each_kind_is_produced_by_the_binary() {
    if crate::common::sqlite_only("kinds caused by damaging and locking SQLite's file") {
        return;
    }
    let mut produced = BTreeSet::new();
    let mut check = |want: &str, got: String, what: &str| {
        assert_eq!(got, want, "{what}");
        produced.insert(got);
    };
    // (kind, script on a store holding the setup, setup)
    let cases = [
        ("syntax", "growth users from\n", ""),
        ("unknown_command", "grwth users\n", ""),
        ("unknown_command", ".frob\n", ""),
        ("usage", ".mode\n", ""),
        ("invalid_value", "insert 2024-13 x=1\n", ""),
        ("invalid_value", ".mode xml\n", ""),
        ("not_found", "series nosuch\n", ""),
        (
            "no_data",
            "growth u from 2020 to 2024\n",
            "metric u kind=stock\ninsert 2024 u=1\n",
        ),
        (
            "partly_recorded",
            "growth f from 2024-Q2 to 2024-05\n",
            "metric f kind=flow\ninsert 2024-04 f=1\ninsert 2024-05 f=2\n",
        ),
        (
            "cannot_combine",
            "growth d from 2024 to 2024-H2\n",
            "metric d kind=distinct\ninsert 2024-H1 d=1\ninsert 2024-H2 d=2\n",
        ),
        (
            "same_period",
            "growth s from earliest to latest\n",
            "metric s kind=stock\ninsert 2024 s=1\n",
        ),
        ("conflict", "insert 2024 x=2\n", "insert 2024 x=1\n"),
        ("block", "commit\n", ""),
        ("too_large", ".read self.growth\n", ""),
        ("io", ".read nosuch.growth\n", ""),
        ("store", ".sql SELECT * FROM nosuch\n", ""),
        ("readonly", ".sql DELETE FROM metric\n", ""),
    ];
    for (want, script, setup) in cases {
        let sandbox = store(setup);
        sandbox.write("self.growth", ".read self.growth\n");
        check(want, kind_of(&sandbox, &[], script), script);
    }

    let sandbox = store("insert 2024 x=1\n");
    let got = kind_of(&sandbox, &["--readonly"], "insert 2025 x=2\n");
    check("readonly", got, "--readonly");

    // The store will not open: the error belongs to no line.
    let sandbox = store("insert 2024 x=1\n");
    Connection::open(sandbox.db())
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let out = sandbox.run_db(&["--format", "json", "-c", "metrics"], "");
    let error = error_of(&out);
    assert_eq!(error["line"], 0, "{error}");
    check(
        "too_new",
        error["kind"].as_str().unwrap().into(),
        "user_version 99",
    );

    let sandbox = Sandbox::new();
    Connection::open(sandbox.db())
        .unwrap()
        .execute_batch("CREATE TABLE notes (x TEXT)")
        .unwrap();
    check(
        "foreign_store",
        kind_of(&sandbox, &[], "metrics\n"),
        "foreign",
    );

    let sandbox = store(
        &(1..=400)
            .map(|d| format!("insert {} m=1\n", 1600 + d))
            .collect::<String>(),
    );
    let db = sandbox.db();
    let length = std::fs::metadata(&db).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&db)
        .unwrap()
        .set_len(length / 2)
        .unwrap();
    check("damaged", kind_of(&sandbox, &[], "metrics\n"), "truncated");

    // Another process holds the write lock past the busy timeout.
    let sandbox = store("insert 2024 x=1\n");
    let holder = Connection::open(sandbox.db()).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    check(
        "locked",
        kind_of(&sandbox, &[], "insert 2025 x=2\n"),
        "locked",
    );
    holder.execute_batch("ROLLBACK").unwrap();

    // A stop signal ends a batch waiting for more input.
    let sandbox = Sandbox::new();
    let mut child = sandbox
        .growthdb()
        .args(["--db", &sandbox.db(), "--format", "jsonl"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    std::io::Write::write_all(&mut input, b"insert 2024 x=1\n").unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(child.stderr.take().unwrap()));
    // The confirmation comes once the batch waits for more.
    assert!(lines.by_ref().any(|l| l.unwrap().ends_with("inserted 1")));
    crate::signals::send(&child, "INT");
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    child.wait().unwrap();
    drop(input);
    let [error] = rest.as_slice() else {
        panic!("one error line: {rest:?}")
    };
    let error: serde_json::Value = serde_json::from_str(error).unwrap();
    assert_eq!(error["line"], 0, "{error}");
    check(
        "interrupted",
        error["kind"].as_str().unwrap().into(),
        "SIGINT",
    );

    let all: BTreeSet<String> = ErrorKind::ALL
        .iter()
        .map(|k| k.name().to_string())
        .collect();
    let missing: Vec<&String> = all.iter().filter(|k| !produced.contains(*k)).collect();
    assert!(missing.is_empty(), "no case produces {missing:?}");
}

/// The kinds in the README's table, in order.
fn readme_kinds() -> Vec<String> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme
        .split("\n### Error kinds\n")
        .nth(1)
        .expect("a section \"Error kinds\" in the README");
    let section = section.split("\n#").next().unwrap();
    section
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .map(|rest| rest.split('`').next().unwrap().to_string())
        .collect()
}

#[test]
fn the_readme_lists_every_kind_in_order() {
    let code: Vec<String> = ErrorKind::ALL
        .iter()
        .map(|k| k.name().to_string())
        .collect();
    assert_eq!(readme_kinds(), code);
}
