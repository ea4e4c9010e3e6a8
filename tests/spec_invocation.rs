//! SPEC §1 Invocation: options, modes, the order commands run in, exit codes.
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::common::{Sandbox, memory, run};

#[test]
fn exit_status_is_0_1_or_2() {
    let sandbox = Sandbox::new();
    let missing_dir = sandbox.path("no/such/dir/x.db");
    let missing_dir = missing_dir.to_str().unwrap();
    // (args, stdin, exit status)
    let cases: &[(&[&str], &str, i32)] = &[
        (&["--db", ":memory:", "-c", "metrics"], "", 0),
        (&["--db", ":memory:"], "insert 2020 a=1\nseries a\n", 0),
        (&["--db", ":memory:", "-c", "growth nosuch over 1y"], "", 1),
        (&["--db", ":memory:"], "insert 2020 a=1\nbogus\n", 1),
        // The store cannot be opened.
        (&["--db", missing_dir, "-c", "metrics"], "", 1),
        // Invalid command-line usage.
        (&["--no-such-option"], "", 2),
        (
            &["--db", ":memory:", "--format", "xml", "-c", "metrics"],
            "",
            2,
        ),
        (&["--db"], "", 2),
        (&["--db", ":memory:", "-c"], "", 2),
        (&["--db", ":memory:", "--init"], "", 2),
    ];
    for (args, stdin, code) in cases {
        let out = sandbox.run(args, stdin);
        assert_eq!(out.code, *code, "{args:?}\n{out:#?}");
        if *code == 2 {
            assert!(out.stdout.is_empty(), "{args:?}: {out:#?}");
            assert!(!out.stderr.is_empty(), "{args:?}: usage errors say why");
        }
    }
}

#[test]
fn version_and_help() {
    let out = run(&["--version"], "");
    out.ok();
    assert!(out.stdout.contains("growthdb"), "{out:#?}");
    assert!(out.stdout.contains(env!("CARGO_PKG_VERSION")), "{out:#?}");
    let out = run(&["--help"], "");
    out.ok();
    for option in [
        "--db",
        "--init",
        "--file",
        "--command",
        "--format",
        "--bail",
        "--readonly",
        "--quiet",
        "--version",
    ] {
        assert!(out.stdout.contains(option), "--help names {option}");
    }
}

#[test]
fn a_failing_piped_command_prints_one_error_line_and_exits_1() {
    let out = memory(&[], "growth nosuch over 1y\n");
    assert_eq!(out.stdout, "");
    let line = out.only_error();
    assert!(line.starts_with("error: line 1: "), "{line}");
    assert!(line.contains("nosuch"), "{line}");
}

#[test]
fn batch_mode_prints_no_banner_and_no_prompt() {
    // Only the result rows reach stdout: no banner, no prompt, no echo.
    let out = memory(&["-q"], "insert 2020 a=1\nseries a\n");
    out.clean();
    assert_eq!(
        out.stdout,
        "series\tperiod\tstart\tend\tvalue\tchange\tchange_pct\tnote\n\
         a\t2020\t2020-01-01\t2020-12-31\t1\t\t\t\n"
    );
    let out = memory(&["-q"], "insert 2020 a=1\n");
    out.clean();
    assert_eq!(out.stdout, "");
}

#[test]
fn default_format_is_tsv_when_stdout_is_not_a_terminal() {
    let out = memory(&["-c", "metrics"], "");
    out.clean();
    assert_eq!(
        out.stdout,
        "metric\tkind\tunit\tseries\tsnapshots\tfirst\tlast\tdescription\n"
    );
}

#[test]
fn the_store_defaults_to_growth_db_in_the_current_directory() {
    let sandbox = Sandbox::new();
    sandbox.run(&["-q", "-c", "insert 2020 a=1"], "").clean();
    assert!(sandbox.path("growth.db").exists());
    let out = sandbox.run(&["-c", "series a"], "");
    out.clean();
    assert!(out.stdout.contains("a\t2020\t"), "{out:#?}");
}

#[test]
fn growthdb_db_names_the_default_store_and_db_overrides_it() {
    let sandbox = Sandbox::new();
    let from_env = sandbox.path("env.db");
    let mut cmd = sandbox.command();
    cmd.env("GROWTHDB_DB", &from_env)
        .args(["-q", "-c", "insert 2020 a=1"])
        .assert()
        .success();
    assert!(from_env.exists());
    assert!(!sandbox.path("growth.db").exists());

    // --db wins over the variable.
    let flag = sandbox.db();
    let mut cmd = sandbox.command();
    cmd.env("GROWTHDB_DB", &from_env)
        .args(["--db", &flag, "-q", "-c", "insert 2020 b=1"])
        .assert()
        .success();
    let out = sandbox.run(&["--db", &flag, "-c", "metrics"], "");
    assert!(out.stdout.contains("\nb\t") && !out.stdout.contains("\na\t"));
}

#[test]
fn memory_store_writes_no_file() {
    let sandbox = Sandbox::new();
    sandbox
        .run(&["--db", ":memory:", "-q", "-c", "insert 2020 a=1"], "")
        .clean();
    let names: Vec<_> = std::fs::read_dir(sandbox.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["home"]);
}

#[test]
fn init_then_file_then_commands_in_order_then_words() {
    let sandbox = Sandbox::new();
    let init = sandbox.write("init.growth", "insert 2020 a=1\n");
    let file = sandbox.write("main.growth", "revise 2020 a=2\n");
    let db = sandbox.db();
    // Given in a scrambled order on purpose: options mean the same in any order.
    let out = sandbox.run(
        &[
            "-c",
            "revise 2020 a=3",
            "-q",
            "-c",
            "revise 2020 a=4",
            "-f",
            &file,
            "--db",
            &db,
            "--init",
            &init,
            "revise",
            "2020",
            "a=5",
        ],
        "",
    );
    out.clean();
    let out = sandbox.csv("history a");
    let values = crate::common::column(&out.rows(), "value");
    assert_eq!(values, ["1", "2", "3", "4", "5"]);
}

#[test]
fn with_commands_given_stdin_is_not_read() {
    let sandbox = Sandbox::new();
    let cases: &[&[&str]] = &[&["-c", "metrics"], &["metrics"]];
    for args in cases {
        let out = sandbox.run_db(args, "insert 2020 from_stdin=1\n");
        out.clean();
        assert!(!out.stdout.contains("from_stdin"), "{args:?}: {out:#?}");
    }
}

#[test]
fn file_dash_reads_stdin() {
    let out = memory(&["-q", "-f", "-"], "insert 2020 a=7\nseries a\n");
    out.clean();
    assert!(out.stdout.contains("a\t2020\t2020-01-01\t2020-12-31\t7"));
}

#[test]
fn init_runs_before_piped_stdin() {
    let sandbox = Sandbox::new();
    let init = sandbox.write("init.growth", "insert 2020 a=1\n");
    let out = sandbox.run(&["--db", ":memory:", "-q", "--init", &init], "series a\n");
    out.clean();
    assert!(out.stdout.contains("a\t2020\t"), "{out:#?}");
}

#[test]
fn init_errors_name_the_file_and_line() {
    let sandbox = Sandbox::new();
    let init = sandbox.write("init.growth", "# setup\ninsert 2020 a=1\nbogus here\n");
    let out = sandbox.run(
        &["--db", ":memory:", "-q", "--init", &init, "-c", "series a"],
        "",
    );
    let line = out.only_error();
    assert!(line.starts_with(&format!("error: {init}:3: ")), "{line}");
    // Without --bail the rest still runs.
    assert!(out.stdout.contains("a\t2020\t"), "{out:#?}");
}

#[test]
fn command_text_splits_on_semicolons_and_newlines() {
    let out = memory(
        &[
            "-q",
            "-c",
            "insert 2020 a=1; insert 2021 a=2\ninsert 2022 a=3",
            "-c",
            "series a",
        ],
        "",
    );
    out.clean();
    assert_eq!(out.stdout.lines().count(), 4, "{out:#?}");
}

#[test]
fn trailing_command_words_are_joined_and_run_last() {
    let sandbox = Sandbox::new();
    sandbox.load("insert 2022 users=900M\ninsert 2023 users=1B\n");
    let db = sandbox.db();
    // Words before and after options; the words run after -c.
    let out = sandbox.run(
        &[
            "growth",
            "users",
            "from",
            "2022",
            "--format",
            "csv",
            "to",
            "2023",
            "--db",
            &db,
            "-c",
            "revise 2023 users=1.2B",
            "-q",
        ],
        "",
    );
    out.clean();
    let rows = out.rows();
    assert_eq!(rows.len(), 1);
    assert_eq!(crate::common::cell(&rows[0], "to_value"), "1200000000");
}

#[test]
fn bail_stops_at_the_first_failure() {
    // (args, stdin): each fails once, before `after` would be inserted.
    let cases: &[(&[&str], &str)] = &[
        (&[], "insert 2020 before=1\nbogus\ninsert 2020 after=1\n"),
        (
            &[
                "-c",
                "insert 2020 before=1; bogus",
                "-c",
                "insert 2020 after=1",
            ],
            "",
        ),
        (
            &[
                "-c",
                "insert 2020 before=1",
                "-c",
                "bogus",
                "insert 2020 after=1",
            ],
            "",
        ),
        (
            &["-f", "-", "-c", "insert 2020 after=1"],
            "insert 2020 before=1\nbogus\n",
        ),
        (&["--init", "INIT", "-c", "insert 2020 after=1"], ""),
    ];
    for (args, stdin) in cases {
        for bail in [false, true] {
            let sandbox = Sandbox::new();
            let init = sandbox.write("init.growth", "insert 2020 before=1\nbogus\n");
            let mut all: Vec<&str> = vec!["-q"];
            all.extend(
                args.iter()
                    .map(|a| if *a == "INIT" { init.as_str() } else { a }),
            );
            if bail {
                all.push("--bail");
            }
            let out = sandbox.run_db(&all, stdin);
            assert_eq!(out.failed().len(), 1, "{all:?}: {out:#?}");
            let metrics = sandbox.run_db(&["-c", "metrics"], "").stdout;
            assert!(
                metrics.contains("before"),
                "{all:?}: commands before are kept"
            );
            assert_eq!(metrics.contains("after"), !bail, "{all:?}: {metrics}");
        }
    }
}

#[test]
fn quiet_drops_notes_but_not_errors() {
    let script = "insert 2020 a=1\ninsert 2020 a=1\nmetric a kind=stock\n";
    let out = memory(&[], script);
    out.ok();
    assert!(!out.stderr.is_empty(), "confirmations and notes by default");
    for flag in ["-q", "--quiet"] {
        memory(&[flag], script).clean();
        let out = memory(&[flag], "insert 2020 a=1\ninsert 2020 a=2\n");
        assert!(out.only_error().starts_with("error: line 2: "));
    }
}

#[test]
fn readonly_never_creates_a_store() {
    let sandbox = Sandbox::new();
    let out = sandbox.run_db(&["--readonly", "-c", "metrics"], "");
    assert!(out.only_error().starts_with("error: "));
    assert!(!sandbox.path("store.db").exists());
}

/// `growthdb ... | head -1`: the reader goes away after one line; growthdb
/// stops quietly instead of complaining about the closed pipe.
#[test]
fn broken_pipe_exits_quietly() {
    let sandbox = Sandbox::new();
    // Far more output than a pipe buffers.
    let stdin = sandbox.write("many.growth", &".help\n".repeat(5_000));
    let mut child = sandbox
        .growthdb()
        .args(["--db", ":memory:"])
        .stdin(File::open(stdin).unwrap())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start growthdb");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(!first.is_empty());
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr, "", "nothing on stderr after a closed pipe");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}
