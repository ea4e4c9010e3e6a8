//! Litestream copies of a store: while growthdb writes a store,
//! `litestream replicate` copies each of its transactions to a replica
//! folder, and `litestream restore` makes from that folder a second store
//! that answers as the first and passes `.check`, read with `--readonly`.
//!
//! Needs the `litestream` binary, named by `GROWTHDB_TEST_LITESTREAM`;
//! without it the test says it was skipped, and fails when
//! `GROWTHDB_TEST_REQUIRE_SERVERS=1`.
use std::io::Write;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::common::{DAY_2000, Sandbox, day_text};

/// The litestream binary to test with, or None after saying why the test
/// is skipped (straight to stderr, which the test harness does not hold
/// back as it does `eprintln!`).
fn litestream() -> Option<String> {
    let path = std::env::var("GROWTHDB_TEST_LITESTREAM").unwrap_or_default();
    if !path.is_empty() {
        return Some(path);
    }
    assert!(
        std::env::var("GROWTHDB_TEST_REQUIRE_SERVERS").as_deref() != Ok("1"),
        "GROWTHDB_TEST_REQUIRE_SERVERS=1 but GROWTHDB_TEST_LITESTREAM (the path of a litestream binary) is not set"
    );
    let _ = writeln!(
        std::io::stderr(),
        "skipped: GROWTHDB_TEST_LITESTREAM (the path of a litestream binary) is not set"
    );
    None
}

/// Stops `litestream replicate` however the test ends.
struct Replicating(Child);

impl Drop for Replicating {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The answers compared between the store and its copy.
const QUERIES: &str = "metrics\nseries revenue{region=east}\ngrowth revenue* over 1y\ngrowth revenue* from 2000-03 to 2001-06 by region\n";

/// What the queries print, errors included: a copy restored before the
/// last batches reached the replica may lack the periods they ask for.
fn answers(sandbox: &Sandbox, db: &str) -> String {
    let out = sandbox.run(
        &["--db", db, "--readonly", "--format", "csv", "-q"],
        QUERIES,
    );
    format!("{}{}", out.stdout, out.stderr)
}

/// Daily inserts for days `first..first + count` after 2000-01-01 of two
/// series, as one batch.
fn batch(first: i64, count: i64) -> String {
    (first..first + count)
        .map(|n| {
            let day = day_text(DAY_2000 + n);
            format!(
                "insert {day} revenue{{region=east}}={n}\ninsert {day} revenue{{region=west}}={}\n",
                2 * n
            )
        })
        .collect()
}

#[test]
fn a_store_copied_by_litestream_while_written_restores_with_the_same_answers() {
    if crate::common::sqlite_only("Litestream, which copies SQLite's file") {
        return;
    }
    let Some(litestream) = litestream() else {
        return;
    };
    let sandbox = Sandbox::new();
    let db = sandbox.db();
    sandbox.load("metric revenue kind=flow\n");
    let replica = format!("file://{}", sandbox.path("replica").display());
    let mut replicating = Replicating(
        sandbox
            .process(&litestream)
            .args(["replicate", &db, &replica])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(sandbox.path("litestream.log")).unwrap())
            .spawn()
            .expect("start litestream replicate"),
    );
    // Batches of one transaction each while litestream copies them.
    for first in (0..800).step_by(100) {
        sandbox.load(&batch(first, 100));
        std::thread::sleep(Duration::from_millis(150));
    }
    let expected = answers(&sandbox, &db);
    assert!(expected.contains("revenue{region=east}"), "{expected}");
    assert!(!expected.contains("error"), "{expected}");
    // The copy follows within litestream's sync interval (a second).
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut round = 0;
    let restored = loop {
        round += 1;
        let restored = sandbox
            .path(&format!("restored-{round}.db"))
            .display()
            .to_string();
        let out = sandbox
            .process(&litestream)
            .args(["restore", "-o", &restored, &replica])
            .output()
            .expect("run litestream restore");
        assert!(
            out.status.success(),
            "litestream restore: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        if answers(&sandbox, &restored) == expected {
            break restored;
        }
        assert!(
            Instant::now() < deadline,
            "the restored copy never caught up"
        );
        std::thread::sleep(Duration::from_millis(500));
    };
    assert!(
        replicating.0.try_wait().unwrap().is_none(),
        "litestream replicate stopped"
    );
    let out = sandbox.run(
        &[
            "--db",
            &restored,
            "--readonly",
            "--format",
            "csv",
            "-c",
            ".check",
        ],
        "",
    );
    out.clean();
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    let results: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(!results.is_empty(), "{out:#?}");
    for result in &results {
        assert_eq!(&result[1], "ok", "{result:?}");
    }
}
