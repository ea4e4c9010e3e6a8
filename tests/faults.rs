//! Faults from outside the program: store files and directories that cannot
//! be written, a store locked by another process past the busy timeout, a
//! full disk, and truncated or overwritten store files. Whatever goes wrong,
//! the binary must print one clear `error:` line, exit with status 1, not
//! panic, and leave the store's bytes as they were.
//!
//! Foreign SQLite files, newer stores and `--readonly` itself are covered in
//! `spec_store.rs`.
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{BIN, DAY_2000, Output, Sandbox, day_text};
use rusqlite::Connection;

/// The binary with piped stdin and stderr, as a second process working on
/// the store meanwhile.
fn spawn(sandbox: &Sandbox, args: &[&str]) -> std::process::Child {
    sandbox
        .growthdb()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start growthdb")
}

/// Runs the binary in the sandbox as `Sandbox::run` does, but through
/// `wrapper` (a command that ends by running the binary with the rest of
/// its arguments) and with `stdin` from a file when given.
fn run_wrapped(sandbox: &Sandbox, wrapper: &[&str], args: &[&str], stdin: Option<&str>) -> Output {
    let (program, leading) = match wrapper.split_first() {
        Some((program, rest)) => (*program, [rest, &[BIN]].concat()),
        None => (BIN, Vec::new()),
    };
    let stdin = match stdin {
        Some(path) => Stdio::from(fs::File::open(path).expect("the input file")),
        None => Stdio::null(),
    };
    let out = sandbox
        .process(program)
        .args(leading)
        .args(args)
        .stdin(stdin)
        .output()
        .expect("run growthdb");
    Output {
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        code: out.status.code().unwrap_or(-1),
    }
}

/// What a store holds on disk: the main file and its WAL. A missing WAL and
/// an empty one hold the same (nothing), so both read as empty.
#[derive(PartialEq)]
struct StoreBytes {
    db: Vec<u8>,
    wal: Vec<u8>,
}

fn store_bytes(db: &str) -> StoreBytes {
    StoreBytes {
        db: fs::read(db).expect("the store file"),
        wal: fs::read(format!("{db}-wal")).unwrap_or_default(),
    }
}

#[track_caller]
fn assert_unchanged(db: &str, before: &StoreBytes, what: &str) {
    let after = store_bytes(db);
    assert!(after.db == before.db, "{what}: the store file changed");
    assert!(after.wal == before.wal, "{what}: the -wal file changed");
}

fn chmod(path: impl AsRef<Path>, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod");
}

/// The wrapper under which permission bits bind the binary, or None when
/// they cannot be made to. Tests usually run as root, whom the kernel lets
/// write anything (CAP_DAC_OVERRIDE); `setpriv` can drop that capability
/// from the binary's bounding set while it stays root.
fn permission_wrapper(sandbox: &Sandbox) -> Option<Vec<&'static str>> {
    const DROP: [&str; 3] = [
        "setpriv",
        "--bounding-set=-dac_override,-dac_read_search,-fowner",
        "--",
    ];
    let probe = sandbox.path("probe");
    fs::write(&probe, "").unwrap();
    chmod(&probe, 0o444);
    let bits_bind_us = fs::OpenOptions::new().write(true).open(&probe).is_err();
    let bits_bind_setpriv = || {
        Command::new(DROP[0])
            .args(&DROP[1..])
            .args(["sh", "-c", ": >> \"$0\"", probe.to_str().unwrap()])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| !status.success())
    };
    let wrapper = if bits_bind_us {
        Some(Vec::new())
    } else if bits_bind_setpriv() {
        Some(DROP.to_vec())
    } else {
        None
    };
    fs::remove_file(&probe).unwrap();
    wrapper
}

/// Lines of the form `insert DAY m=N` for days 0, 1, ... after 2000-01-01,
/// each a new snapshot of one series: the cheapest writes there are.
fn daily_inserts(count: i64) -> String {
    (0..count)
        .map(|n| format!("insert {} m={n}\n", day_text(DAY_2000 + n)))
        .collect()
}

/// (day number, value) of every snapshot of series `m`, read as sqlite3
/// would, in day order.
fn daily_snapshots(db: &str) -> Vec<(i64, f64)> {
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT start_day, value FROM snapshot
             JOIN series ON series.id = snapshot.series_id
             WHERE series.name = 'm' ORDER BY start_day",
        )
        .unwrap();
    stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// Runs `.check` and asserts that every check passed.
#[track_caller]
fn assert_check_passes(sandbox: &Sandbox) {
    let out = sandbox.csv(".check");
    out.clean();
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    let results: Vec<(String, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[1].to_string())
        })
        .collect();
    assert!(!results.is_empty(), "{out:#?}");
    for (check, result) in &results {
        assert_eq!(result, "ok", "{check}");
    }
}

/// Under a file size limit of `blocks` of 512 bytes, with SIGXFSZ ignored
/// so that a write past the limit fails with EFBIG as on a full disk
/// instead of killing the process.
fn size_limit(blocks: u32) -> Vec<String> {
    vec![
        "sh".into(),
        "-c".into(),
        format!("trap '' XFSZ; ulimit -f {blocks}; exec \"$0\" \"$@\""),
    ]
}

// ------------------------------------------------------------ permissions

#[test]
fn a_store_file_without_write_permission_answers_queries_and_refuses_data_commands() {
    if crate::common::sqlite_only("faults of SQLite's file") {
        return;
    }
    let sandbox = Sandbox::new();
    sandbox.load("metric m kind=stock\ninsert 2020 m=1\ninsert 2021 m=2\n");
    let db = sandbox.db();
    sandbox.write("more.csv", "series,period,value\nm,2022,3\n");
    let before = store_bytes(&db);
    chmod(&db, 0o444);
    let Some(wrapper) = permission_wrapper(&sandbox) else {
        // Permission bits cannot bind the binary here: the nearest path is
        // the one `--readonly` takes, where data commands are refused the
        // same way and queries still answer.
        eprintln!("permission bits do not bind growthdb here: testing --readonly instead");
        let out = sandbox.run_db(&["--readonly", "-c", "insert 2022 m=3"], "");
        assert!(out.only_error().contains("read-only"), "{out:#?}");
        let out = sandbox.run_db(&["--readonly", "--format", "csv", "-c", "series m"], "");
        assert_eq!(out.clean().rows().len(), 2);
        assert_unchanged(&db, &before, "--readonly");
        return;
    };
    // SQLite quietly opens a file it may not write read-only; the first
    // write must then say which file and why, not "attempt to write a
    // readonly database".
    for command in ["insert 2022 m=3", "revise 2021 m=5", ".import more.csv"] {
        let out = run_wrapped(&sandbox, &wrapper, &["--db", &db, "-c", command], None);
        let error = out.only_error();
        assert!(error.contains("read-only"), "{command}: {error}");
        assert!(error.contains(&db), "{command} names the file: {error}");
        assert!(
            error.contains("ermission denied"),
            "{command} says why: {error}"
        );
        assert_unchanged(&db, &before, command);
    }
    // Piped, every data command fails alike and the queries between them
    // answer.
    let script = sandbox.write(
        "script.growth",
        "insert 2022 m=3\nseries m\ndelete m 2020\n",
    );
    let args = ["--db", &db, "--format", "csv", "-q"];
    let out = run_wrapped(&sandbox, &wrapper, &args, Some(&script));
    let errors = out.failed();
    assert_eq!(errors.len(), 2, "{out:#?}");
    assert!(errors[0].starts_with("error: line 1: store "), "{errors:?}");
    assert!(errors[1].starts_with("error: line 3: store "), "{errors:?}");
    assert_eq!(crate::common::column(&out.rows(), "value"), ["1", "2"]);
    let query = [
        "--db",
        &db,
        "--format",
        "csv",
        "-c",
        "growth m from 2020 to 2021",
    ];
    let out = run_wrapped(&sandbox, &wrapper, &query, None);
    assert_eq!(crate::common::cell(&out.clean().rows()[0], "multiple"), "2");
    assert_unchanged(&db, &before, "queries");
}

#[test]
fn a_store_cannot_be_created_where_no_file_can_be_made() {
    let sandbox = Sandbox::new();
    sandbox.write("plain", "a regular file\n");
    // (path, what the error must say): a parent that is a file, and one
    // that does not exist, fail for anyone, root included.
    let mut cases = vec![
        ("plain/store.db".to_string(), "not a directory"),
        ("missing/store.db".to_string(), "No such file or directory"),
    ];
    let wrapper = permission_wrapper(&sandbox);
    if wrapper.is_some() {
        fs::create_dir(sandbox.path("locked")).unwrap();
        chmod(sandbox.path("locked"), 0o555);
        cases.push(("locked/store.db".to_string(), "ermission denied"));
    } else {
        eprintln!("permission bits do not bind growthdb here: skipping the 0555 directory");
    }
    let wrapper = wrapper.unwrap_or_default();
    for (path, reason) in &cases {
        for command in ["insert 2020 a=1", "metrics"] {
            let out = run_wrapped(&sandbox, &wrapper, &["--db", path, "-c", command], None);
            let error = out.only_error();
            assert!(
                error.contains(&format!("cannot open store {path}")),
                "{error}"
            );
            assert!(error.contains(reason), "{path}: {error}");
        }
    }
    assert_eq!(
        fs::read_to_string(sandbox.path("plain")).unwrap(),
        "a regular file\n"
    );
    assert!(!sandbox.path("missing").exists());
    if sandbox.path("locked").exists() {
        assert_eq!(fs::read_dir(sandbox.path("locked")).unwrap().count(), 0);
    }
}

/// A store in WAL mode is read through -wal and -shm files that SQLite
/// creates beside it: in a directory that cannot be written a session that
/// may write fails at once, and must say so rather than call the store
/// foreign.
#[test]
fn a_store_in_a_directory_that_cannot_be_written_names_the_directory() {
    let sandbox = Sandbox::new();
    let Some(wrapper) = permission_wrapper(&sandbox) else {
        eprintln!("permission bits do not bind growthdb here: nothing to test");
        return;
    };
    let db = shelved_store(&sandbox);
    chmod(sandbox.path("shelf"), 0o555);
    let before = store_bytes(&db);
    for command in ["metrics", "insert 2021 a=2"] {
        let out = run_wrapped(&sandbox, &wrapper, &["--db", &db, "-c", command], None);
        let error = out.only_error();
        assert!(
            error.contains(&format!("cannot open store {db}")),
            "{error}"
        );
        assert!(error.contains("-wal and -shm"), "{error}");
        assert!(error.contains("shelf writable"), "{error}");
        assert!(error.contains("--readonly"), "{error}");
        assert!(!error.contains("not a growthdb store"), "{error}");
    }
    chmod(sandbox.path("shelf"), 0o755);
    assert_unchanged(&db, &before, "a store in a read-only directory");
}

/// A store `shelf/store.db` with two snapshots of `a`, closed (so whole
/// in its file, without -wal or -shm).
fn shelved_store(sandbox: &Sandbox) -> String {
    fs::create_dir(sandbox.path("shelf")).unwrap();
    let db = sandbox
        .path("shelf/store.db")
        .to_string_lossy()
        .into_owned();
    sandbox
        .run(
            &["--db", &db, "-q"],
            "metric a kind=stock\ninsert 2020 a=1\ninsert 2021 a=3\n",
        )
        .clean();
    db
}

/// Every file of a directory with its bytes, by name.
fn directory_state(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            (name, fs::read(entry.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// `--readonly` where SQLite cannot create the -wal and -shm it reads
/// through: the store, whole in its file, is read as immutable, answers
/// every query as it did in a writable directory, and nothing beside it is
/// created or changed.
#[test]
fn readonly_reads_a_store_in_a_directory_that_cannot_be_written_and_leaves_it_untouched() {
    let sandbox = Sandbox::new();
    let Some(wrapper) = permission_wrapper(&sandbox) else {
        eprintln!("permission bits do not bind growthdb here: nothing to test");
        return;
    };
    let db = shelved_store(&sandbox);
    let queries = [
        "growth a from 2020 to 2021",
        "series a",
        "history a",
        ".sql SELECT count(*) FROM snapshot",
        ".check",
    ];
    let answer = |sandbox: &Sandbox, wrapper: &[&str], query: &str| {
        let args = [
            "--db",
            &db,
            "--readonly",
            "--format",
            "csv",
            "-q",
            "-c",
            query,
        ];
        let out = run_wrapped(sandbox, wrapper, &args, None);
        out.clean();
        out.stdout
    };
    let expected: Vec<String> = queries.iter().map(|q| answer(&sandbox, &[], q)).collect();
    assert!(expected[0].contains("200"), "{}", expected[0]);
    let before = directory_state(&sandbox.path("shelf"));
    chmod(sandbox.path("shelf"), 0o555);
    for (query, expected) in queries.iter().zip(&expected) {
        assert_eq!(&answer(&sandbox, &wrapper, query), expected, "{query}");
    }
    // Several queries in one session, and a write refused.
    let out = run_wrapped(
        &sandbox,
        &wrapper,
        &[
            "--db",
            &db,
            "--readonly",
            "-q",
            "-c",
            "series a",
            "-c",
            "insert 2022 a=4",
        ],
        None,
    );
    assert!(out.stdout.contains("2021"), "{out:#?}");
    assert!(out.only_error().contains("read-only"), "{out:#?}");
    chmod(sandbox.path("shelf"), 0o755);
    assert!(
        directory_state(&sandbox.path("shelf")) == before,
        "the directory changed: {:?}",
        fs::read_dir(sandbox.path("shelf"))
            .unwrap()
            .collect::<Vec<_>>()
    );
}

/// A copy of a store taken while its writer was still running keeps
/// changes in its -wal, which SQLite reads only through a -shm: in a
/// directory that cannot be written `--readonly` cannot read it, says so
/// in one line, and creates nothing.
#[test]
fn readonly_refuses_a_store_whose_wal_holds_changes_in_a_directory_that_cannot_be_written() {
    if crate::common::sqlite_only("faults of SQLite's file") {
        return;
    }
    let sandbox = Sandbox::new();
    let Some(wrapper) = permission_wrapper(&sandbox) else {
        eprintln!("permission bits do not bind growthdb here: nothing to test");
        return;
    };
    let db = sandbox.db();
    sandbox.load("metric m kind=stock\n");
    let mut writer = spawn(&sandbox, &["--db", &db, "-q"]);
    let mut stdin = writer.stdin.take().unwrap();
    stdin.write_all(daily_inserts(50).as_bytes()).unwrap();
    stdin.flush().unwrap();
    // The batch commits within half a second of its last command.
    let wal = format!("{db}-wal");
    let deadline = Instant::now() + Duration::from_secs(20);
    while daily_snapshots(&db).len() < 50 {
        assert!(Instant::now() < deadline, "the writer never committed");
        std::thread::sleep(Duration::from_millis(50));
    }
    fs::create_dir(sandbox.path("copy")).unwrap();
    fs::copy(&db, sandbox.path("copy/store.db")).unwrap();
    fs::copy(&wal, sandbox.path("copy/store.db-wal")).unwrap();
    drop(stdin);
    writer.wait().unwrap();
    let copy = sandbox.path("copy/store.db").to_string_lossy().into_owned();
    assert!(fs::metadata(format!("{copy}-wal")).unwrap().len() > 32);
    let before = directory_state(&sandbox.path("copy"));
    chmod(sandbox.path("copy"), 0o555);
    let out = run_wrapped(
        &sandbox,
        &wrapper,
        &["--db", &copy, "--readonly", "-c", "metrics"],
        None,
    );
    let error = out.only_error();
    assert!(
        error.contains(&format!("cannot open store {copy}")),
        "{error}"
    );
    assert!(error.contains("-wal holds changes"), "{error}");
    assert!(error.contains("copy writable"), "{error}");
    chmod(sandbox.path("copy"), 0o755);
    assert!(directory_state(&sandbox.path("copy")) == before);
    // Where it can be written, the same copy reads whole.
    let out = run_wrapped(
        &sandbox,
        &wrapper,
        &[
            "--db",
            &copy,
            "--readonly",
            "--format",
            "csv",
            "-c",
            "series m",
        ],
        None,
    );
    assert_eq!(out.clean().rows().len(), 50);
}

// ------------------------------------------------------------------ locks

#[test]
fn a_writer_gives_up_on_a_store_locked_past_the_busy_timeout() {
    if crate::common::sqlite_only("faults of SQLite's file") {
        return;
    }
    let sandbox = Sandbox::new();
    sandbox.load("insert 2020 a=1\ninsert 2021 a=2\n");
    let db = sandbox.db();
    let before = store_bytes(&db);
    // `begin` takes the write lock at once (BEGIN IMMEDIATE); the insert
    // gives the open block something to lose.
    let mut holder = spawn(&sandbox, &["--db", &db]);
    let mut input = holder.stdin.take().unwrap();
    input.write_all(b"begin\ninsert 2022 a=3\n").unwrap();
    input.flush().unwrap();
    // Its notes are flushed once it waits for more input, block open.
    let mut notes = BufReader::new(holder.stderr.take().unwrap()).lines();
    let inserted = notes.next().expect("a note").unwrap();
    assert_eq!(inserted, "2022: inserted 1");

    let started = Instant::now();
    let out = sandbox.run_db(&["-c", "insert 2023 a=4"], "");
    let waited = started.elapsed();
    let error = out.only_error();
    assert!(error.contains("locked by another process"), "{error}");
    assert!(waited >= Duration::from_secs(9), "gave up after {waited:?}");
    // Readers are not blocked by a writer in WAL mode.
    let out = sandbox.csv("history a\n");
    assert_eq!(
        crate::common::column(&out.clean().rows(), "period"),
        ["2020", "2021"]
    );

    input.write_all(b"rollback\n").unwrap();
    drop(input);
    let rest: Vec<String> = notes.map(Result::unwrap).collect();
    assert_eq!(rest, ["rolled back"]);
    assert!(holder.wait().unwrap().success());
    assert_unchanged(&db, &before, "after the holder rolled back");
}

// -------------------------------------------------------------- full disk

#[test]
fn a_batch_that_fills_the_disk_keeps_an_exact_prefix_and_stops() {
    if crate::common::sqlite_only("faults of SQLite's file") {
        return;
    }
    let sandbox = Sandbox::new();
    sandbox.load("insert 2020 a=1\n");
    let total = 300_000;
    let batch = sandbox.write("batch.growth", &daily_inserts(total));
    // 6 MiB: room for a group of up to 100,000 inserts (about 4 MB of
    // WAL), not for all of them.
    let limit = size_limit(12_288);
    let wrapper: Vec<&str> = limit.iter().map(String::as_str).collect();
    let out = run_wrapped(
        &sandbox,
        &wrapper,
        &["--db", &sandbox.db(), "-q"],
        Some(&batch),
    );
    let error = out.only_error();
    assert!(error.contains("cannot commit"), "{error}");
    assert!(error.contains("cannot write the store"), "{error}");
    assert!(error.contains("no later command was run"), "{error}");

    // Without the limit: a sound store holding the lines before the lost
    // group, each whole, and nothing after them.
    assert_check_passes(&sandbox);
    let kept = daily_snapshots(&sandbox.db());
    let count = kept.len() as i64;
    assert!(0 < count && count < total, "{count} of {total} kept");
    let expected: Vec<(i64, f64)> = (0..count).map(|n| (DAY_2000 + n, n as f64)).collect();
    assert!(kept == expected, "the store holds a prefix of the batch");
    let from = format!("the commands from line {} on were rolled back", count + 1);
    assert!(error.contains(&from), "{error}");
    let out = sandbox.csv("history a\n");
    assert_eq!(out.clean().rows().len(), 1);
}

#[test]
fn an_import_that_fills_the_disk_imports_nothing() {
    if crate::common::sqlite_only("faults of SQLite's file") {
        return;
    }
    let sandbox = Sandbox::new();
    sandbox.load("insert 2020 a=1\n");
    let db = sandbox.db();
    let rows: String = (0..200_000)
        .map(|n| format!("m,{},{n}\n", day_text(DAY_2000 + n)))
        .collect();
    sandbox.write("big.csv", &format!("series,period,value\n{rows}"));
    let before = store_bytes(&db);
    let limit = size_limit(4096);
    let wrapper: Vec<&str> = limit.iter().map(String::as_str).collect();
    let out = run_wrapped(
        &sandbox,
        &wrapper,
        &["--db", &db, "-c", ".import big.csv"],
        None,
    );
    let error = out.only_error();
    // SQLite says "database or disk is full" only for ENOSPC; past a file
    // size limit it says "disk I/O error", which alone names no cause.
    assert!(error.contains("cannot write the store"), "{error}");
    assert!(error.contains("disk"), "{error}");
    assert_unchanged(&db, &before, "import");
    assert_check_passes(&sandbox);
    assert!(daily_snapshots(&db).is_empty());
}

// ---------------------------------------------------------- damaged files

/// A store of one series with `days` daily snapshots, closed, so that its
/// main file holds everything.
fn store_with_days(days: i64) -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.load(&daily_inserts(days));
    assert!(!Path::new(&format!("{}-wal", sandbox.db())).exists());
    sandbox
}

const QUERIES: [&str; 4] = [
    "metrics",
    "growth m from 2000-01-01 to 2000-06-01",
    "series m from 2000-01-01 to 2000-01-07",
    ".check",
];

#[test]
fn a_truncated_store_is_reported_as_damaged_and_left_unchanged() {
    if crate::common::sqlite_only("faults of SQLite's file") {
        return;
    }
    for keep in ["half", "100 bytes"] {
        let sandbox = store_with_days(3000);
        let db = sandbox.db();
        let length = fs::metadata(&db).unwrap().len();
        let file = fs::OpenOptions::new().write(true).open(&db).unwrap();
        file.set_len(if keep == "half" { length / 2 } else { 100 })
            .unwrap();
        drop(file);
        let before = store_bytes(&db);
        for command in QUERIES.iter().chain(&["insert 2030 m=1"]) {
            let out = sandbox.run_db(&["-c", command], "");
            let error = out.only_error();
            // Not "not a growthdb store": it may well be one, damaged.
            assert!(error.contains("is damaged"), "{keep}, {command}: {error}");
            assert!(error.contains("malformed"), "{keep}, {command}: {error}");
            assert_unchanged(&db, &before, command);
        }
    }
}

#[test]
fn an_overwritten_page_fails_the_queries_that_read_it() {
    if crate::common::sqlite_only("faults of SQLite's file") {
        return;
    }
    let sandbox = store_with_days(3000);
    let db = sandbox.db();
    let (root, page_size): (i64, i64) = {
        let conn = Connection::open(&db).unwrap();
        let root = conn
            .query_row(
                "SELECT rootpage FROM sqlite_master WHERE name = 'snapshot'",
                [],
                |row| row.get(0),
            )
            .unwrap();
        let size = conn
            .pragma_query_value(None, "page_size", |row| row.get(0))
            .unwrap();
        (root, size)
    };
    // The snapshots' root page: its cells, packed at the end of the page,
    // are overwritten from the middle on, so every lookup meets garbage.
    let (root, page_size) = (root as usize, page_size as usize);
    let start = (root - 1) * page_size + page_size / 2;
    let mut bytes = fs::read(&db).unwrap();
    bytes[start..start + page_size / 2].fill(0xA5);
    fs::write(&db, bytes).unwrap();
    let before = store_bytes(&db);
    for command in QUERIES {
        let out = sandbox.run_db(&["-c", command], "");
        let error = out.only_error();
        assert!(error.contains("malformed"), "{command}: {error}");
        assert!(out.stdout.is_empty(), "{command}: {out:#?}");
        assert_unchanged(&db, &before, command);
    }
}

#[test]
fn an_empty_file_becomes_a_store_but_not_read_only() {
    if crate::common::sqlite_only("faults of SQLite's file") {
        return;
    }
    // SQLite takes an empty file for a new database, and so does growthdb,
    // as for a path that does not exist yet; read-only, it has nothing to
    // answer from and refuses it, still empty.
    let sandbox = Sandbox::new();
    let db = sandbox.write("store.db", "");
    let out = sandbox.run_db(&["--readonly", "-c", "metrics"], "");
    assert!(out.only_error().contains("empty SQLite file"), "{out:#?}");
    assert_eq!(fs::metadata(&db).unwrap().len(), 0);

    let out = sandbox.csv("metrics\n");
    assert!(out.clean().rows().is_empty());
    sandbox.load("insert 2020 a=1\n");
    assert_check_passes(&sandbox);
    let out = sandbox.run_db(&["--readonly", "--format", "csv", "-c", "history a"], "");
    assert_eq!(out.clean().rows().len(), 1);
}

// ------------------------------------------------------- files beside it

#[test]
fn a_read_only_wal_file_keeps_its_data_readable_and_refuses_writes() {
    if crate::common::sqlite_only("faults of SQLite's file") {
        return;
    }
    let sandbox = Sandbox::new();
    sandbox.load("insert 2020 a=1\n");
    let db = sandbox.db();
    let Some(wrapper) = permission_wrapper(&sandbox) else {
        eprintln!("permission bits do not bind growthdb here: nothing to test");
        return;
    };
    // A process killed after a commit leaves that commit in the -wal file,
    // the only copy of it.
    let mut writer = spawn(&sandbox, &["--db", &db]);
    let mut input = writer.stdin.take().unwrap();
    input.write_all(b"insert 2021 a=2\n").unwrap();
    input.flush().unwrap();
    // The note is flushed after the group is committed.
    let mut notes = BufReader::new(writer.stderr.take().unwrap()).lines();
    assert_eq!(notes.next().expect("a note").unwrap(), "2021: inserted 1");
    writer.kill().unwrap();
    writer.wait().unwrap();
    let wal = format!("{db}-wal");
    assert!(
        fs::metadata(&wal).unwrap().len() > 0,
        "the commit is in the WAL"
    );
    chmod(&wal, 0o444);
    let before = store_bytes(&db);

    let out = run_wrapped(
        &sandbox,
        &wrapper,
        &["--db", &db, "-c", "insert 2022 a=3"],
        None,
    );
    let error = out.only_error();
    assert!(error.contains("read-only"), "{error}");
    assert!(
        error.contains("-wal"),
        "points at the files beside the store: {error}"
    );
    assert_unchanged(&db, &before, "insert");
    let query = ["--db", &db, "--format", "csv", "-c", "history a"];
    let out = run_wrapped(&sandbox, &wrapper, &query, None);
    assert_eq!(
        crate::common::column(&out.clean().rows(), "value"),
        ["1", "2"]
    );
    assert_unchanged(&db, &before, "query");
}

#[test]
fn a_store_path_that_is_a_directory_is_refused() {
    if crate::common::sqlite_only("faults of SQLite's file") {
        return;
    }
    let sandbox = Sandbox::new();
    fs::create_dir(sandbox.path("store.db")).unwrap();
    for args in [
        &["-c", "metrics"][..],
        &["-c", "insert 2020 a=1"][..],
        // Read-only, SQLite opens a directory and fails on the first read
        // with a bare "disk I/O error".
        &["--readonly", "-c", "metrics"][..],
    ] {
        let out = sandbox.run_db(args, "");
        let error = out.only_error();
        assert!(
            error.contains("store.db: it is a directory"),
            "{args:?}: {error}"
        );
    }
    assert_eq!(fs::read_dir(sandbox.path("store.db")).unwrap().count(), 0);
    let leftovers = fs::read_dir(sandbox.dir())
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            name.to_string_lossy().starts_with("store.db-")
        })
        .count();
    assert_eq!(leftovers, 0, "no -wal or -shm files beside it");
}

/// Paths SQLite would mishandle are refused before it sees them: an empty
/// one (a private temporary database), one ending in `/` (a file named
/// after the directory), a FIFO or a device (read as if a store), and a
/// link to a place that cannot exist. Nothing is created.
#[test]
fn paths_that_are_no_store_file_are_refused_and_nothing_is_created() {
    let sandbox = Sandbox::new();
    fs::create_dir(sandbox.path("shelf")).unwrap();
    let fifo = sandbox.path("queue.db");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    std::os::unix::fs::symlink("/nonexistent/dir/x.db", sandbox.path("link.db")).unwrap();
    let cases = [
        ("", "the path is empty"),
        (
            "shelf/",
            "a store is a file; name one in that directory, such as shelf/growth.db",
        ),
        ("queue.db", "it is not a regular file"),
        ("/dev/null", "it is not a regular file"),
        ("link.db", "it is a link to /nonexistent/dir/x.db"),
    ];
    let listing = || {
        let mut names: Vec<String> = fs::read_dir(sandbox.dir())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let before = listing();
    for (path, reason) in cases {
        for args in [&["-c", "metrics"][..], &["-c", "insert 2020 a=1"][..]] {
            let out = sandbox.run(&[&["--db", path][..], args].concat(), "");
            let error = out.only_error();
            assert!(
                error.contains(&format!("cannot open store {path}: {reason}")),
                "{path:?}: {error}"
            );
        }
    }
    assert_eq!(listing(), before, "nothing is created");
    assert_eq!(fs::read_dir(sandbox.path("shelf")).unwrap().count(), 0);
}

/// A directory where a file of commands or records is expected opens but
/// fails every read: one error, not one per attempt, and the run ends.
#[test]
fn a_directory_given_as_input_is_one_error() {
    let sandbox = Sandbox::new();
    fs::create_dir(sandbox.path("d")).unwrap();
    fs::create_dir(sandbox.path("d.csv")).unwrap();
    let db = sandbox.db();
    let stdin_dir = || Stdio::from(fs::File::open(sandbox.path("d")).unwrap());
    let cases: [(&[&str], Option<Stdio>, &str); 5] = [
        (&["-c", ".read d"], None, "cannot read d: it is a directory"),
        (&["-f", "d"], None, "cannot read d: it is a directory"),
        (
            &["--init", "d", "-c", "metrics"],
            None,
            "cannot read d: it is a directory",
        ),
        (
            &["-c", ".import d.csv"],
            None,
            "cannot read d.csv: it is a directory",
        ),
        (&[], Some(stdin_dir()), "line 1: cannot read input"),
    ];
    for (args, stdin, expected) in cases {
        let mut command = sandbox.growthdb();
        command.args(["--db", &db]).args(args);
        command.stdin(stdin.unwrap_or_else(Stdio::null));
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "{args:?} never ends"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
        assert_eq!(errors.len(), 1, "{args:?}: {stderr}");
        assert!(errors[0].contains(expected), "{args:?}: {stderr}");
        assert_eq!(output.status.code(), Some(1), "{args:?}");
    }
}
