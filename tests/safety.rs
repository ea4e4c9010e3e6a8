//! Data-loss and security guards: what a hostile or unlucky user may try
//! must neither destroy the store nor write where it should not.
use std::fs;
use std::os::unix::fs::symlink;

use crate::common::Sandbox;

#[test]
fn output_and_export_never_write_over_the_store_or_its_journals() {
    if crate::common::sqlite_only("SQLite's store file and journals") {
        return;
    }
    let sandbox = Sandbox::new();
    sandbox.load("insert 2023 users=1\ninsert 2024 users=2\n");
    symlink(sandbox.db(), sandbox.path("link.csv")).unwrap();
    fs::hard_link(sandbox.db(), sandbox.path("hard.csv")).unwrap();
    let db = sandbox.db();
    let targets = [
        db.clone(),
        format!("{db}-wal"),
        format!("{db}-shm"),
        // Not there yet: SQLite would take it for a journal to roll back.
        format!("{db}-journal"),
        "store.db".to_string(),
        "./store.db-wal".to_string(),
        "link.csv".to_string(),
        "hard.csv".to_string(),
    ];
    for target in &targets {
        for command in [format!(".output {target}"), format!(".export {target}")] {
            let out = sandbox.run_db(&["-q", "-c", &command, "-c", "insert 2025 users=3"], "");
            let error = out.only_error();
            assert!(
                error.contains("it is the store or one of its -wal, -shm or -journal files"),
                "{command}: {error}"
            );
            assert!(
                !sandbox.path("store.db-journal").exists(),
                "{command} made a journal"
            );
        }
    }
    // A link to a journal that does not exist yet.
    symlink(format!("{db}-journal"), sandbox.path("dangling.csv")).unwrap();
    let out = sandbox.run_db(&["-q", "-c", ".export dangling.csv"], "");
    assert!(out.only_error().contains("it is the store"), "{out:?}");
    assert!(!sandbox.path("store.db-journal").exists());
    // A batch: the refusal fails one line, the store keeps everything.
    let out = sandbox.run_db(
        &["-q"],
        &format!("insert 2026 users=4\n.output {db}-wal\ninsert 2027 users=5\n"),
    );
    assert_eq!(out.failed().len(), 1, "{out:?}");
    let out = sandbox.csv("series users");
    out.clean();
    assert_eq!(out.rows().len(), 5, "{out:?}");
    // A store named like an export is refused as an export target too.
    let other = Sandbox::new();
    let csv_store = other.path("s.csv").to_string_lossy().into_owned();
    other
        .run(&["--db", &csv_store, "-q", "-c", "insert 2024 a=1"], "")
        .clean();
    let before = fs::read(&csv_store).unwrap();
    let out = other.run(&["--db", &csv_store, "-q", "-c", ".export s.csv"], "");
    assert!(out.only_error().contains("it is the store"), "{out:?}");
    assert_eq!(fs::read(&csv_store).unwrap(), before);
    // Other files are written as before.
    let out = sandbox.run_db(&["-q", "-c", ".output rows.csv", "-c", "metrics"], "");
    out.clean();
    assert!(
        fs::read_to_string(sandbox.path("rows.csv"))
            .unwrap()
            .contains("users")
    );
}

#[test]
fn sql_runs_only_statements_that_read() {
    if crate::common::sqlite_only("SQLite's SQL (tests/postgres.rs sql_only_reads is PostgreSQL's)")
    {
        return;
    }
    let sandbox = Sandbox::new();
    sandbox.load("insert 2023 users=1\n");
    let refused = [
        "PRAGMA journal_mode=OFF",
        "PRAGMA journal_mode=DELETE",
        "PRAGMA busy_timeout=0",
        "PRAGMA locking_mode=EXCLUSIVE",
        "PRAGMA synchronous=OFF",
        "PRAGMA hard_heap_limit=1000",
        "PRAGMA secure_delete=1",
        "PRAGMA wal_checkpoint(TRUNCATE)",
        "ATTACH DATABASE 'attached.db' AS other",
        "ATTACH DATABASE 'file:uri.db?mode=rwc' AS other",
        "DETACH main",
        "VACUUM INTO 'vacuumed.db'",
        "VACUUM",
        "BEGIN",
        "CREATE TEMP TABLE t(x)",
        "DELETE FROM snapshot",
    ];
    for statement in refused {
        let script = format!(".sql {statement}\n");
        // On its own, and inside a batch's transaction.
        for stdin in [script.clone(), format!("insert 2024 other=1\n{script}")] {
            let out = sandbox.run_db(&["-q"], &stdin);
            let error = out.only_error();
            assert!(
                error.contains("readonly to .sql: it runs only statements that read"),
                "{statement}: {error}"
            );
        }
    }
    for file in [
        "attached.db",
        "uri.db",
        "vacuumed.db",
        "file:uri.db?mode=rwc",
    ] {
        assert!(!sandbox.path(file).exists(), "{file} was created");
    }
    // Every write went through the store's own settings: still WAL.
    let mode = crate::common::texts(&sandbox.db(), "PRAGMA journal_mode");
    assert_eq!(mode, ["wal"]);
    // Reading pragmas and queries still work, in a batch too.
    let out = sandbox.csv(
        "insert 2025 users=3\n.sql SELECT count(*) AS n FROM snapshot\n.sql PRAGMA table_info(metric)\n",
    );
    out.clean();
    assert!(out.stdout.starts_with("n\n3\n"), "{out:?}");
    // A :memory: store is guarded the same way.
    let out = crate::common::memory(&["-q", "-c", ".sql PRAGMA journal_mode=OFF"], "");
    assert!(out.only_error().contains("readonly to .sql"), "{out:?}");
}

#[test]
fn a_store_path_is_a_path_never_a_uri() {
    let sandbox = Sandbox::new();
    let out = sandbox.run(
        &[
            "--db",
            "file:u.db?mode=memory",
            "-q",
            "-c",
            "insert 2024 a=1",
        ],
        "",
    );
    out.clean();
    assert!(sandbox.path("file:u.db?mode=memory").exists());
    let out = sandbox.run(
        &[
            "--db",
            "file:u.db?mode=memory",
            "--format",
            "csv",
            "-q",
            "-c",
            "series a",
        ],
        "",
    );
    out.clean();
    assert_eq!(out.rows().len(), 1, "{out:?}");
    sandbox
        .run(&["--db", "file:x.db", "-q", "-c", "insert 2024 a=1"], "")
        .clean();
    assert!(sandbox.path("file:x.db").exists());
    assert!(!sandbox.path("x.db").exists());
}

#[test]
fn revision_times_never_go_backwards() {
    let sandbox = Sandbox::new();
    sandbox.load("insert 2024 users=1\n");
    // As if the clock had been an hour ahead then, or is set back now.
    let ahead = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1);
    crate::common::backdate(&sandbox.db(), "users", 1, &ahead.to_string());
    sandbox.load("revise 2024 users=2\ndelete users 2024\n");
    let times = crate::common::texts(
        &sandbox.db(),
        "SELECT CAST(recorded_at AS TEXT) FROM snapshot ORDER BY revision",
    );
    let times: Vec<i64> = times.iter().map(|t| t.parse().unwrap()).collect();
    assert_eq!(times.len(), 3);
    assert!(times[0] < times[1] && times[1] < times[2], "{times:?}");
    assert_eq!(times[1], times[0] + 1, "{times:?}");
    sandbox.run_db(&["-q", "-c", ".check"], "").clean();

    // A history file whose times go backwards within a snapshot is
    // refused, naming its line, and nothing of it is kept.
    let history = "series,period,revision,value,status,recorded_at,source,note\n\
        visits,2024,1,1,superseded,2024-03-01T00:00:00Z,,\n\
        visits,2023,1,5,current,2024-01-01T00:00:00Z,,\n\
        visits,2024,2,2,current,2024-02-01T00:00:00Z,,\n";
    sandbox.write("backwards.csv", history);
    let out = sandbox.run_db(&["-q", "-c", ".import backwards.csv"], "");
    let error = out.only_error();
    assert!(error.contains("backwards.csv:4"), "{error}");
    assert!(
        error.contains("before the revision it follows (2024-03-01T00:00:00.000000Z)"),
        "{error}"
    );
    // A time still to come is refused too.
    let future = format!(
        "series,period,revision,value,status,recorded_at,source,note\nvisits,2024,1,1,current,{},,\n",
        jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24)
    );
    sandbox.write("future.csv", &future);
    let out = sandbox.run_db(&["-q", "-c", ".import future.csv"], "");
    let error = out.only_error();
    assert!(
        error.contains("future.csv:2") && error.contains("in the future"),
        "{error}"
    );
    let out = sandbox.csv("metrics");
    out.clean();
    assert_eq!(crate::common::column(&out.rows(), "metric"), ["users"]);
}

/// The names of the files in a sandbox's directory, sorted.
fn files_in(sandbox: &Sandbox) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(sandbox.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn exports_to_one_path_at_once_each_write_a_whole_file() {
    let sandbox = Sandbox::new();
    let (a, b) = (sandbox.path("a.db"), sandbox.path("b.db"));
    for (db, metric) in [(&a, "alpha"), (&b, "beta")] {
        let script: String = (0..20_000)
            .map(|i| format!("insert {} {metric}{{n={}}}=1\n", 2000 + i % 20, i / 20))
            .collect();
        sandbox
            .run(&["--db", &db.to_string_lossy(), "-q"], &script)
            .clean();
    }
    let spawn = |db: &std::path::Path| {
        sandbox
            .growthdb()
            .args([
                "--db",
                &db.to_string_lossy(),
                "-q",
                "-c",
                ".export both.csv",
            ])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    for _ in 0..3 {
        let (first, second) = (spawn(&a), spawn(&b));
        for child in [first, second] {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{out:?}");
        }
        let text = fs::read_to_string(sandbox.path("both.csv")).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 20_001, "a whole export");
        let one = lines[1]
            .split(',')
            .next()
            .unwrap()
            .split('{')
            .next()
            .unwrap();
        assert!(
            lines[1..]
                .iter()
                .all(|l| l.starts_with(&format!("{one}{{"))),
            "two exports mixed"
        );
    }
    assert_eq!(files_in(&sandbox), ["a.db", "b.db", "both.csv", "home"]);
}

#[test]
fn export_touches_nothing_it_did_not_create_and_keeps_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let sandbox = Sandbox::new();
    sandbox.load("insert 2024 users=1\n");
    // A user's own file named like a temporary, and a planted link.
    sandbox.write("mine.csv.partial", "my notes\n");
    sandbox.write("victim.txt", "precious\n");
    symlink(sandbox.path("victim.txt"), sandbox.path("out.csv.partial")).unwrap();
    for target in ["mine.csv", "out.csv"] {
        sandbox
            .run_db(&["-q", "-c", &format!(".export {target}")], "")
            .clean();
        assert!(
            fs::read_to_string(sandbox.path(target))
                .unwrap()
                .contains("users,2024,1")
        );
    }
    assert_eq!(
        fs::read_to_string(sandbox.path("mine.csv.partial")).unwrap(),
        "my notes\n"
    );
    assert_eq!(
        fs::read_to_string(sandbox.path("victim.txt")).unwrap(),
        "precious\n"
    );
    assert!(
        fs::symlink_metadata(sandbox.path("out.csv.partial"))
            .unwrap()
            .is_symlink()
    );

    // Re-exporting over a private file keeps it private.
    fs::set_permissions(sandbox.path("mine.csv"), fs::Permissions::from_mode(0o600)).unwrap();
    sandbox
        .run_db(&["-q", "-c", ".export mine.csv"], "")
        .clean();
    let mode = fs::metadata(sandbox.path("mine.csv"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);

    // Exporting to a link writes the file it points to; the link stays.
    fs::create_dir(sandbox.path("real")).unwrap();
    sandbox.write("real/data.csv", "old\n");
    symlink("real/data.csv", sandbox.path("link.csv")).unwrap();
    sandbox
        .run_db(&["-q", "-c", ".export link.csv"], "")
        .clean();
    assert!(
        fs::symlink_metadata(sandbox.path("link.csv"))
            .unwrap()
            .is_symlink()
    );
    let text = fs::read_to_string(sandbox.path("real/data.csv")).unwrap();
    assert!(text.contains("users,2024,1"), "{text}");
    // A link to nothing is refused and stays as it was.
    symlink("nowhere/x.csv", sandbox.path("dangling.csv")).unwrap();
    let out = sandbox.run_db(&["-q", "-c", ".export dangling.csv"], "");
    assert!(
        out.only_error().contains("it is a link to nowhere/x.csv"),
        "{out:?}"
    );
    // No temporary is left behind, failed or not.
    let out = sandbox.run_db(&["-q", "-c", ".export fails.csv nosuch"], "");
    out.only_error();
    let partials: Vec<String> = files_in(&sandbox)
        .into_iter()
        .filter(|n| n.ends_with(".partial") && n != "mine.csv.partial" && n != "out.csv.partial")
        .collect();
    assert!(partials.is_empty(), "{partials:?}");
    assert!(!sandbox.path("fails.csv").exists());
}

/// The bytes of each of `files` (None for a file that is not there).
fn snapshot_of(sandbox: &Sandbox, files: &[&str]) -> Vec<Option<Vec<u8>>> {
    files
        .iter()
        .map(|f| fs::read(sandbox.path(f)).ok())
        .collect()
}

#[test]
fn foreign_databases_with_pending_changes_are_left_exactly_as_they_were() {
    let sandbox = Sandbox::new();
    // Another program's WAL database, its last commits still in the -wal.
    let wal_db = sandbox.path("app.db");
    let conn = rusqlite::Connection::open(&wal_db).unwrap();
    conn.pragma_update(None, "journal_mode", "wal").unwrap();
    conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    conn.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2);")
        .unwrap();
    // Never closed, so never checkpointed: as after a crash.
    std::mem::forget(conn);
    // Another's rollback-journal database, caught inside a transaction.
    let journal_db = sandbox.path("live.db");
    let mut conn = rusqlite::Connection::open(&journal_db).unwrap();
    conn.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (randomblob(1000));")
        .unwrap();
    conn.pragma_update(None, "cache_size", 1).unwrap();
    let tx = conn.transaction().unwrap();
    tx.execute_batch("INSERT INTO t SELECT randomblob(1000) FROM t; UPDATE t SET x = 0;")
        .unwrap();
    fs::copy(&journal_db, sandbox.path("hot.db")).unwrap();
    fs::copy(
        sandbox.path("live.db-journal"),
        sandbox.path("hot.db-journal"),
    )
    .unwrap();
    drop(tx);
    for (db, files) in [
        ("app.db", ["app.db", "app.db-wal", "app.db-shm"]),
        ("hot.db", ["hot.db", "hot.db-journal", "hot.db-wal"]),
    ] {
        let before = snapshot_of(&sandbox, &files);
        assert!(before[1].is_some(), "{db}: no pending changes to keep");
        for readonly in [false, true] {
            let mut args = vec!["--db", db, "-c", "metrics"];
            if readonly {
                args.push("--readonly");
            }
            let out = sandbox.run(&args, "");
            let error = out.only_error();
            assert!(error.contains("is not a growthdb store"), "{db}: {error}");
            assert!(snapshot_of(&sandbox, &files) == before, "{db} was changed");
        }
    }
}

/// Runs the binary with `args` and closes its stdout after reading at
/// most `keep` bytes, as `| head -c KEEP` would; returns its stderr and
/// exit code.
fn closed_early(sandbox: &Sandbox, args: &[&str], keep: usize) -> (String, Option<i32>) {
    use std::io::Read;
    let mut child = sandbox
        .growthdb()
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut buffer = vec![0u8; keep];
    if keep > 0 {
        stdout.read_exact(&mut buffer).unwrap();
    }
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    (
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

#[test]
fn a_closed_pipe_ends_quietly_with_status_0_in_every_format() {
    let sandbox = Sandbox::new();
    let script: String = (0..6_000)
        .map(|i| format!("insert {} m{{k={}}}={i}\n", 1000 + i % 1000, i / 1000))
        .collect();
    sandbox.load(&script);
    let db = sandbox.db();
    for format in ["table", "csv", "tsv", "json", "jsonl", "markdown"] {
        // Each of these prints far more than a pipe holds.
        for command in ["series m*", ".sql SELECT * FROM snapshot", "history m{k=1}"] {
            let args = ["--db", &db, "--format", format, "-c", command];
            let (stderr, code) = closed_early(&sandbox, &args, 1);
            assert_eq!((stderr.as_str(), code), ("", Some(0)), "{format} {command}");
        }
        // Also through .output stdout, and for what fits in a pipe.
        for command in [".output stdout\nseries m*", ".check", ".help", ".schema"] {
            let args = ["--db", &db, "--format", format, "-c", command];
            let (stderr, code) = closed_early(&sandbox, &args, 0);
            assert_eq!((stderr.as_str(), code), ("", Some(0)), "{format} {command}");
        }
    }
    for args in [["--manpage", ""], ["--completions", "bash"], ["--help", ""]] {
        let args: Vec<&str> = args.into_iter().filter(|a| !a.is_empty()).collect();
        let (stderr, code) = closed_early(&sandbox, &args, 0);
        assert_eq!((stderr.as_str(), code), ("", Some(0)), "{args:?}");
    }
}

#[test]
fn error_lines_quote_a_bounded_part_of_huge_input() {
    let sandbox = Sandbox::new();
    let word = "x".repeat(1 << 20);
    let out = sandbox.run_db(&["-q"], &format!("{word}\n"));
    let error = out.only_error();
    assert!(error.len() < 400, "{} bytes", error.len());
    assert!(
        error.contains(&format!("\"{}…\"", "x".repeat(80))),
        "{error}"
    );
    let out = sandbox.run_db(&["-q", "--format", "json"], &format!("{word}\n"));
    assert!(out.only_error().len() < 400);
    let field = "9".repeat(1 << 20);
    sandbox.write(
        "huge.csv",
        &format!("series,period,value\na,2024,x{field}\n"),
    );
    let out = sandbox.run_db(&["-q", "-c", ".import huge.csv"], "");
    let error = out.only_error();
    assert!(
        error.len() < 400,
        "{} bytes: {}",
        error.len(),
        &error[..200]
    );
    assert!(
        error.contains("huge.csv:2") && error.contains('…'),
        "{error}"
    );
}

#[test]
fn asof_at_the_end_of_time_is_one_answer_in_both_places() {
    let sandbox = Sandbox::new();
    sandbox.load("insert 2024 users=1\n");
    let inline = sandbox.csv("series users asof 9999-12-31");
    let session = sandbox.csv(".asof 9999-12-31\nseries users");
    inline.clean();
    session.clean();
    assert_eq!(inline.stdout, session.stdout);
    assert_eq!(inline.rows().len(), 1);
    let inline = sandbox.csv("series users asof 9999-12-31T12:00:00Z");
    let session = sandbox.csv(".asof 9999-12-31T12:00:00Z");
    let (a, b) = (inline.only_error(), session.only_error());
    for error in [a, b] {
        assert!(
            error.contains("times run up to 9999-12-30T22:00:00"),
            "{error}"
        );
        assert!(!error.contains("Unix timestamp"), "{error}");
    }
}

#[test]
fn measures_too_large_for_a_number_are_explained_in_the_note() {
    use crate::common::{cell, growth_row};
    let b = growth_row(&[
        "insert 2020 b=-1.7e308",
        "insert 2021 b=1.7e308",
        "growth b from 2020 to 2021",
    ]);
    assert_eq!(cell(&b, "change"), "");
    assert_eq!(
        cell(&b, "note"),
        "change and change_pct are too large for a number (beyond ±1.8e308), so left empty"
    );
    let c = growth_row(&[
        "insert 2020 c=5e-324",
        "insert 2021 c=1e308",
        "growth c from 2020 to 2021",
    ]);
    assert_eq!(cell(&c, "multiple"), "");
    assert_eq!(
        cell(&c, "note"),
        "change_pct, multiple and cagr_pct are too large for a number (beyond ±1.8e308), so left empty"
    );
}

#[test]
fn a_byte_order_mark_may_start_every_input_file() {
    let sandbox = Sandbox::new();
    let bom = "\u{feff}";
    sandbox.write("init.growth", &format!("{bom}insert 2020 a=1\n"));
    sandbox.write("cmds.growth", &format!("{bom}insert 2021 a=2\n"));
    sandbox.write("read.growth", &format!("{bom}insert 2022 a=3\n"));
    sandbox.write(
        "rows.jsonl",
        &format!("{bom}{{\"series\":\"a\",\"period\":\"2023\",\"value\":4}}\n"),
    );
    sandbox.write(
        "rows.json",
        &format!("{bom}[{{\"series\":\"a\",\"period\":\"2024\",\"value\":5}}]\n"),
    );
    sandbox
        .run_db(&["-q", "--init", "init.growth", "-f", "cmds.growth"], "")
        .clean();
    sandbox
        .run_db(
            &[
                "-q",
                "-c",
                ".read read.growth",
                "-c",
                ".import rows.jsonl",
                "-c",
                ".import rows.json",
            ],
            "",
        )
        .clean();
    sandbox
        .run_db(&["-q"], &format!("{bom}insert 2025 a=6\n"))
        .clean();
    let out = sandbox.csv("series a");
    out.clean();
    assert_eq!(
        crate::common::column(&out.rows(), "value"),
        ["1", "2", "3", "4", "5", "6"]
    );
}

#[test]
fn control_characters_never_reach_a_terminal_raw() {
    let sandbox = Sandbox::new();
    sandbox.load("insert 2024 users=1 source=\"ok\"\n");
    // A value written by another tool.
    crate::common::execute(&sandbox.db(), "UPDATE snapshot SET source = 'a\u{1b}[2Jb'");
    let init = "missing\u{1b}]0;title\u{7}.growth";
    // The escape character as each backend's SQL writes it.
    let escape = match crate::common::on_postgres() {
        true => "chr(27)",
        false => "char(27)",
    };
    let sql = format!(".sql SELECT {escape} || '[31mred' AS x");
    for format in ["table", "markdown"] {
        let out = sandbox.run_db(
            &[
                "--format",
                format,
                "--init",
                init,
                "-c",
                "history users",
                "-c",
                &sql,
            ],
            "",
        );
        for text in [&out.stdout, &out.stderr] {
            assert!(
                !text.contains('\u{1b}') && !text.contains('\u{7}'),
                "{format}: {text:?}"
            );
        }
        assert!(out.stdout.contains("a\\u{1b}[2Jb"), "{}", out.stdout);
        assert!(out.stdout.contains("\\u{1b}[31mred"), "{}", out.stdout);
        assert!(
            out.stderr.contains("missing\\u{1b}]0;title\\u{7}.growth"),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn check_finds_a_series_whose_name_disagrees_with_its_labels() {
    let sandbox = Sandbox::new();
    sandbox.load("insert 2024 users{line=a}=1\ninsert 2024 users{line=b}=2\n");
    crate::common::execute(
        &sandbox.db(),
        "UPDATE series SET name = 'users{line=c}' WHERE name = 'users{line=a}'",
    );
    let out = sandbox.csv(".check");
    assert_eq!(
        out.only_error(),
        "error: line 1: the store check found 1 problem(s)"
    );
    assert!(
        out.stdout.contains(
            "every series' name is its metric and labels,problem,\"1 found, e.g. users{line=c} has the labels of users{line=a}\""
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn a_line_without_end_is_one_error_not_a_crash() {
    let sandbox = Sandbox::new();
    // A command line past 16 MiB: from stdin, and through .read.
    let zero = fs::File::open("/dev/zero").unwrap();
    let out = sandbox
        .growthdb()
        .args(["--db", ":memory:", "-q"])
        .stdin(zero)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr,
        "error: line 1: the line is longer than 16 MiB (16777216 bytes); the rest of the input was not read\n"
    );
    let out = sandbox.run(&["--db", ":memory:", "-q", "-c", ".read /dev/zero"], "");
    assert_eq!(
        out.only_error(),
        "error: /dev/zero:1: the line is longer than 16 MiB (16777216 bytes); the rest of the input was not read"
    );
    // A CSV or JSON Lines record past 16 MiB.
    let long = "x".repeat((16 << 20) + 10);
    sandbox.write(
        "long.csv",
        &format!("series,period,value\na,2024,1\n{long}\n"),
    );
    sandbox.write(
        "long.jsonl",
        &format!("{{\"series\":\"a\",\"period\":\"2024\",\"value\":1}}\n{long}\n"),
    );
    for file in ["long.csv", "long.jsonl"] {
        let out = sandbox.run_db(&["-q", "-c", &format!(".import {file}")], "");
        let error = out.only_error();
        assert!(error.len() < 300, "{file}: {} bytes", error.len());
        assert!(error.contains("is longer than 16 MiB"), "{file}: {error}");
    }
    let out = sandbox.run_db(
        &[
            "-q",
            "-c",
            ".import long.csv --period period --values value",
        ],
        "",
    );
    assert!(
        out.only_error().contains("line 3 is longer than 16 MiB"),
        "{out:?}"
    );
}

#[test]
fn labels_values_and_names_have_documented_limits() {
    let sandbox = Sandbox::new();
    let pairs = |n: usize| {
        (0..n)
            .map(|i| format!("m{i}=1"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    // 10,000 values in one insert are fine; one more is one clear error.
    sandbox
        .run_db(&["-q"], &format!("insert 2024 {}\n", pairs(10_000)))
        .clean();
    let out = sandbox.run_db(&["-q"], &format!("insert 2025 {}\n", pairs(10_001)));
    assert!(
        out.only_error()
            .contains("one insert takes at most 10000 SERIES=VALUE pairs; split it into several"),
        "{out:?}"
    );
    let labels = |n: usize| {
        (0..n)
            .map(|i| format!("k{i}=v"))
            .collect::<Vec<_>>()
            .join(",")
    };
    sandbox
        .run_db(&["-q"], &format!("insert 2024 l{{{}}}=1\n", labels(64)))
        .clean();
    let out = sandbox.run_db(&["-q"], &format!("insert 2024 l{{{}}}=1\n", labels(65)));
    assert!(
        out.only_error().contains("a series has at most 64 labels"),
        "{out:?}"
    );
    let long = "n".repeat(257);
    let out = sandbox.run_db(&["-q"], &format!("insert 2024 {long}=1\n"));
    assert!(
        out.only_error()
            .contains("it is 257 bytes long; a name has at most 256"),
        "{out:?}"
    );
    let out = sandbox.run_db(&["-q"], &format!("insert 2024 l{{k={long}}}=1\n"));
    assert!(
        out.only_error().contains("a label value has at most 256"),
        "{out:?}"
    );
    sandbox.write("labels.csv", &format!("period,region,x\n2024,{long},1\n"));
    let out = sandbox.run_db(
        &[
            "-q",
            "-c",
            ".import labels.csv --period period --labels region --values x",
        ],
        "",
    );
    assert!(
        out.only_error().contains("a label value has at most 256"),
        "{out:?}"
    );
    // Nothing of the refused commands was kept.
    let out = sandbox.csv(".sql SELECT count(*) AS n FROM series");
    assert_eq!(out.stdout, "n\n10001\n");
}

#[test]
fn json_errors_always_carry_line_and_kind() {
    let sandbox = Sandbox::new();
    // (arguments, the line the error belongs to: 0 for none)
    let cases: [(&[&str], u64); 4] = [
        (&["--db", "nodir/a.db", "-c", "metrics"], 0),
        (&["--db", ":memory:", "-f", "nosuch.growth"], 0),
        (
            &[
                "--db",
                ":memory:",
                "--init",
                "nosuch.growth",
                "-c",
                "metrics",
            ],
            0,
        ),
        (
            // Each -c text counts its own lines.
            &["--db", ":memory:", "-c", ".output /dev/full", "-c", ".help"],
            1,
        ),
    ];
    for (args, line) in cases {
        for format in ["json", "jsonl"] {
            let mut all = vec!["--format", format];
            all.extend_from_slice(args);
            let out = sandbox.run(&all, "");
            let error: serde_json::Value =
                serde_json::from_str(out.only_error()).expect("one JSON object");
            assert_eq!(error["line"], line, "{args:?}: {error}");
            assert_eq!(error["kind"], "io", "{args:?}: {error}");
        }
    }
}

#[test]
fn a_failed_write_is_the_error_of_the_command_that_wrote() {
    let sandbox = Sandbox::new();
    sandbox.load("insert 2023 users=1\ninsert 2024 users=2\n");
    // Each failing command is the third line of a batch.
    let failing = [
        "chart users to nodir/c.svg",
        "chart growth users over 1y every year to nodir/c.svg",
        ".output nodir/out.csv",
        ".export nodir/out.csv",
        ".export out.txt",
    ];
    let written = [
        ".output /dev/full\nseries users",
        ".output /dev/full\n.sql SELECT 1",
        ".output /dev/full\n.print hello",
        ".output /dev/full\n.schema",
        ".output /dev/full\n.check",
        ".output /dev/full\nhistory users",
    ];
    let scripts = failing
        .iter()
        .map(|command| format!("metrics\nmetrics\n{command}\n"))
        .chain(written.iter().map(|two| format!("metrics\n{two}\n")));
    for script in scripts {
        for format in ["json", "jsonl", "csv"] {
            let out = sandbox.run_db(&["--format", format, "-q", "--bail"], &script);
            let error = out.only_error();
            if format == "csv" {
                assert!(error.starts_with("error: line 3: "), "{script:?}: {error}");
                continue;
            }
            let error: serde_json::Value = serde_json::from_str(error).expect("one JSON object");
            assert_eq!(error["line"], 3, "{script:?} in {format}: {error}");
            assert!(error["kind"].is_string(), "{error}");
        }
    }
    // In a file read with .read, the file's line.
    sandbox.write("script.growth", "metrics\nchart users to nodir/c.svg\n");
    let out = sandbox.run_db(
        &["--format", "jsonl", "-q", "-c", ".read script.growth"],
        "",
    );
    let error: serde_json::Value = serde_json::from_str(out.only_error()).unwrap();
    assert_eq!(error["line"], 2, "{error}");
    assert_eq!(error["file"], "script.growth", "{error}");
}

/// The peak resident memory of a running process, in KiB.
fn peak_kib(pid: u32) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).expect("the process status");
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("a VmHWM line");
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn sql_results_stream_in_bounded_memory() {
    use std::io::{BufRead, BufReader, Write};
    let sandbox = Sandbox::new();
    for format in ["csv", "jsonl", "json"] {
        let mut child = sandbox
            .growthdb()
            .args(["--db", ":memory:", "-q", "--format", format])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        writeln!(
            stdin,
            ".sql WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000) \
             SELECT x, 'row number ' || x AS t FROM c"
        )
        .unwrap();
        stdin.flush().unwrap();
        // Read the whole result while the process waits for more input,
        // then look at its peak before it ends.
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let last = "row number 1000000";
        assert!(
            lines.any(|l| l.unwrap().contains(last)),
            "{format}: no last row"
        );
        let peak = peak_kib(child.id());
        drop(stdin);
        assert!(child.wait().unwrap().success());
        assert!(peak < 64 * 1024, "{format}: peak {peak} KiB");
    }
}

/// Runs `commands` on the sandbox's store and returns how many lines they
/// printed, their errors, and the peak resident memory in KiB of the
/// process, read while it waits for more input after them.
fn peak_running(sandbox: &Sandbox, format: &str, commands: &str) -> (usize, String, u64) {
    use std::io::{BufRead, BufReader, Read, Write};
    let db = sandbox.db();
    let mut child = sandbox
        .growthdb()
        .args(["--db", &db, "-q", "--format", format])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{commands}\n.print the end").unwrap();
    stdin.flush().unwrap();
    let mut lines = 0;
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        if line.unwrap() == "the end" {
            break;
        }
        lines += 1;
    }
    let peak = peak_kib(child.id());
    drop(stdin);
    let mut errors = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut errors)
        .unwrap();
    child.wait().unwrap();
    (lines, errors, peak)
}

#[test]
fn big_results_and_imports_stay_in_bounded_memory() {
    // Enough series to take the ordered path through a temporary file
    // (more than 16,384 in one metric), with long names so that the rows
    // of a result, were they gathered, would weigh far more than its
    // streaming peak (from about 56 MiB for `growth` in csv to over 70 MiB
    // for the others, against under 30 MiB streamed). The import peaks at
    // about 35 MiB, 58 MiB when it cached 16,384 series.
    const SERIES: usize = 20_000;
    const BOUND_KIB: u64 = 44 * 1024;
    let sandbox = Sandbox::new();
    let pad = "x".repeat(100);
    let mut csv = String::from("series,period,value\n");
    for i in 0..SERIES {
        csv.push_str(&format!(
            "m{{n={pad}{i}}},2023,{i}\nm{{n={pad}{i}}},2024,{}\n",
            i + 1
        ));
    }
    sandbox.write("big.csv", &csv);
    // The import holds at most its caches and SQLite's page cache.
    let (_, errors, peak) = peak_running(&sandbox, "csv", ".import big.csv");
    assert_eq!(errors, "");
    assert!(peak < BOUND_KIB, ".import: peak {peak} KiB");

    // (command, format, lines printed, what the error says)
    let cases = [
        ("growth m* over 1y", "csv", SERIES + 1, ""),
        ("series m*", "jsonl", 2 * SERIES, ""),
        (
            "series m* from 2022 to 2024 every year",
            "csv",
            3 * SERIES + 1,
            "",
        ),
        (
            "growth m* over 1y every year from 2023 to 2024",
            "jsonl",
            2 * SERIES,
            "",
        ),
        // A grid longer than a result may list fails before its first row.
        (
            "series m* from 0001 to 9999 every day",
            "csv",
            0,
            "series m* every day would list more than 100000 periods",
        ),
    ];
    for (command, format, lines, error) in cases {
        let (printed, errors, peak) = peak_running(&sandbox, format, command);
        assert!(errors.contains(error), "{command}: {errors}");
        if error.is_empty() {
            assert_eq!(errors, "", "{command}");
        }
        assert_eq!(printed, lines, "{command} in {format}");
        assert!(peak < BOUND_KIB, "{command} in {format}: peak {peak} KiB");
    }
    // The same rows held for a table go past the bound: the bound tells
    // streaming from holding.
    let (printed, _, peak) = peak_running(&sandbox, "table", "growth m* over 1y");
    assert!(printed > SERIES);
    assert!(peak > BOUND_KIB, "a table of every row: peak {peak} KiB");
}

/// A grid is the span of every series' steps: series far apart in time
/// together pass the cap though each alone is short. The series listed
/// before the grid grew too long stay written; the command fails.
#[test]
fn the_every_cap_holds_for_the_steps_of_all_series_together() {
    let sandbox = Sandbox::new();
    sandbox.load(
        "insert 1800-01-01 m{n=a}=1 m{n=b}=1\n\
         insert 1800-01-05 m{n=a}=2\n\
         insert 2100-01-05 m{n=b}=2\n",
    );
    let days_of_a = |out: &str| out.lines().filter(|l| l.starts_with("m{n=a},")).count();
    let out = sandbox.csv("series m{n=a} every day");
    assert_eq!(days_of_a(&out.clean().stdout), 5);
    for (command, error, rows_of_a) in [
        (
            "series m* every day",
            "error: line 1: series m* every day would list more than 100000 periods; narrow it with from and to",
            5,
        ),
        (
            "growth m* over 1d every day",
            "error: line 1: growth m* every day would list more than 100000 periods; narrow it with from and to",
            4,
        ),
        // With from and to, every series shares the grid: nothing is written.
        (
            "series m* from 1800-01-01 to 2100-01-05 every day",
            "error: line 1: series m* every day would list more than 100000 periods; narrow it with from and to",
            0,
        ),
    ] {
        let out = sandbox.csv(command);
        assert_eq!(out.only_error(), error, "{command}");
        assert_eq!(days_of_a(&out.stdout), rows_of_a, "{command}");
        assert!(!out.stdout.contains("m{n=b}"), "{command}");
    }
}

#[test]
fn an_export_killed_midway_leaves_a_file_the_next_export_removes() {
    use std::os::unix::process::ExitStatusExt;
    use std::time::{Duration, Instant};
    let sandbox = Sandbox::new();
    let mut csv = String::from("series,period,value\n");
    for i in 0..300_000 {
        csv.push_str(&format!("m{{n={}}},{},{i}\n", i / 30, 1990 + i % 30));
    }
    sandbox.write("in.csv", &csv);
    sandbox.run_db(&["-q", "-c", ".import in.csv"], "").clean();
    // Named like an export's temporary file, but not one: kept.
    sandbox.write("out.csv.notmine.partial", "mine");
    sandbox.write("out.csv.abc.partial", "mine");
    sandbox.write("other.csv.a1B2c3.partial", "mine");
    sandbox.write("kept.txt", "kept");
    symlink(
        sandbox.path("kept.txt"),
        sandbox.path("out.csv.Link01.partial"),
    )
    .unwrap();
    let partials = || -> Vec<String> {
        files_in(&sandbox)
            .into_iter()
            .filter(|f| f.starts_with("out.csv.") && f.len() == "out.csv.123456.partial".len())
            .filter(|f| f != "out.csv.Link01.partial")
            .collect()
    };
    let db = sandbox.db();
    let mut child = sandbox
        .growthdb()
        .args(["--db", &db, "-q", "-c", ".export out.csv"])
        .spawn()
        .unwrap();
    let started = Instant::now();
    while partials().is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no export began"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(9), "the export ended before the kill");
    assert_eq!(partials().len(), 1, "{:?}", files_in(&sandbox));
    assert!(!sandbox.path("out.csv").exists());

    sandbox.run_db(&["-q", "-c", ".export out.csv"], "").clean();
    assert_eq!(partials(), Vec::<String>::new());
    let exported = fs::read_to_string(sandbox.path("out.csv")).unwrap();
    assert_eq!(exported.lines().count(), 300_001);
    for mine in [
        "out.csv.notmine.partial",
        "out.csv.abc.partial",
        "other.csv.a1B2c3.partial",
    ] {
        assert_eq!(fs::read_to_string(sandbox.path(mine)).unwrap(), "mine");
    }
    let link = sandbox.path("out.csv.Link01.partial");
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_to_string(&link).unwrap(), "kept");
}
