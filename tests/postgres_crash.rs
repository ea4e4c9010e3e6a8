//! A PostgreSQL `.import` killed with SIGKILL at chosen moments (SPEC §7:
//! an import is one transaction), as `crash` does for SQLite: early, while
//! its values are being copied straight into the store (a first import),
//! and, for a file that names each snapshot twice (which the store's key
//! refuses), while its values are copied into the staging table and while
//! the merge writes them. The moments are found by watching what the
//! importing process's server session is doing.
//!
//! After every kill a fresh growthdb opens the store, `.check` passes, and
//! the store holds nothing of the import or all of it: at once, and again
//! once the server has ended the dead client's session.
//!
//! These need `GROWTHDB_TEST_POSTGRES`; without it each prints that it
//! was skipped.
use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;
use std::thread;
use std::time::{Duration, Instant};

use crate::common::postgres::Database;
use crate::common::{DAY_2000, Sandbox, cell, day_text};
use crate::postgres_concurrency::assert_check_clean;

const ROWS: i64 = 100_000;

/// When a round kills the import.
#[derive(Clone, Copy, Debug)]
enum Moment {
    /// This long after the start, whatever it is doing.
    After(u64),
    /// Once its session has started copying values into the staging table
    /// (the file names each snapshot twice).
    Copying,
    /// This long after its session has started copying the values
    /// straight into the store.
    Writing(u64),
    /// This long after its session has started the merge (the file names
    /// each snapshot twice, which the plain insert refuses).
    Merging(u64),
    /// Never: the import runs to its end.
    Never,
}

/// What the other sessions on the test database are running: their
/// current (or last) statements.
fn statements(admin: &mut postgres::Client) -> Vec<String> {
    admin
        .query(
            "SELECT query FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
            &[],
        )
        .expect("read pg_stat_activity")
        .iter()
        .map(|row| row.get::<_, Option<String>>(0).unwrap_or_default())
        .collect()
}

/// Waits until a session's statement satisfies `wanted`; false if the
/// process ended or 60 s went by first.
fn wait_for(
    admin: &mut postgres::Client,
    child: &mut std::process::Child,
    wanted: impl Fn(&str) -> bool,
) -> bool {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if statements(admin).iter().any(|s| wanted(s)) {
            return true;
        }
        if child.try_wait().expect("poll growthdb").is_some() {
            return false;
        }
        thread::sleep(Duration::from_millis(2));
    }
    false
}

/// The CSV of round `round`: ROWS snapshots of `crash{round}{k=K}`, each
/// line twice for a merge.
fn import_file(sandbox: &Sandbox, round: usize, moment: Moment) -> String {
    let mut text = String::from("series,period,value\n");
    let times = if matches!(moment, Moment::Merging(_) | Moment::Copying) {
        2
    } else {
        1
    };
    for i in 0..ROWS {
        let day = day_text(DAY_2000 + i % 1000);
        let line = format!("crash{round}{{k={}}},{day},{i}\n", i / 1000);
        text.push_str(&line.repeat(times));
    }
    sandbox.write(&format!("round{round}.csv"), &text)
}

/// How many series and snapshots of metric `crash{round}` the store holds,
/// as `metrics` reports them; None when it has no such metric.
fn held(sandbox: &Sandbox, url: &str, round: usize) -> Option<(i64, i64)> {
    let out = sandbox.run(&["--db", url, "--format", "csv", "-q", "-c", "metrics"], "");
    out.clean();
    let name = format!("crash{round}");
    out.rows()
        .iter()
        .find(|r| cell(r, "metric") == name)
        .map(|r| {
            let count = |field| cell(r, field).parse::<i64>().expect("a count");
            (count("series"), count("snapshots"))
        })
}

/// The store holds nothing of round `round`'s import or all of it; true
/// for all.
#[track_caller]
fn all_or_nothing(sandbox: &Sandbox, url: &str, round: usize, moment: Moment) -> bool {
    assert_check_clean(sandbox, url);
    match held(sandbox, url, round) {
        None => false,
        Some(counts) => {
            assert_eq!(
                counts,
                (ROWS / 1000, ROWS),
                "round {round}, killed {moment:?}: part of the import is visible"
            );
            true
        }
    }
}

#[test]
fn a_killed_postgres_import_is_all_or_nothing() {
    let Some(database) = Database::new() else {
        return;
    };
    let url = database.url.as_str();
    let sandbox = Sandbox::new();
    let mut admin = database.connect();
    let moments = [
        Moment::After(0),
        Moment::After(30),
        Moment::After(150),
        Moment::Copying,
        Moment::Writing(0),
        Moment::Writing(300),
        Moment::Merging(0),
        Moment::Merging(300),
        Moment::Never,
    ];
    let started = Instant::now();
    let mut report = Vec::new();
    for (round, &moment) in moments.iter().enumerate() {
        let file = import_file(&sandbox, round, moment);
        let import = format!(".import {file}");
        let mut child = sandbox
            .growthdb()
            .args(["--db", url, "-q", "-c", &import])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn growthdb");
        let round_started = Instant::now();
        let seen = match moment {
            Moment::After(millis) => {
                thread::sleep(Duration::from_millis(millis));
                true
            }
            Moment::Copying => wait_for(&mut admin, &mut child, |s| {
                s.starts_with("COPY pg_temp.import_stage")
            }),
            // The statements that write into the store: the copy of a
            // first import, or the merge (whose text pg_stat_activity cuts
            // before its INSERT).
            Moment::Writing(millis) | Moment::Merging(millis) => {
                let merge = matches!(moment, Moment::Merging(_));
                let seen = wait_for(&mut admin, &mut child, |s| match merge {
                    true => s.starts_with("WITH") && s.contains("import_stage"),
                    false => s.starts_with("COPY growthdb.snapshot"),
                });
                thread::sleep(Duration::from_millis(millis));
                seen
            }
            Moment::Never => true,
        };
        if !matches!(moment, Moment::Never) {
            // An exited child is not reaped yet, so this cannot hit
            // another process.
            let _ = child.kill();
        }
        let ended = child.wait_with_output().expect("wait for growthdb");
        let at = round_started.elapsed();
        let stderr = String::from_utf8_lossy(&ended.stderr).into_owned();
        assert!(
            seen,
            "round {round}: never saw the import {moment:?}\n{stderr}"
        );
        let killed = ended.status.signal() == Some(9);
        match moment {
            Moment::Never => assert!(ended.status.success(), "round {round}\n{stderr}"),
            // Killed as soon as seen, it is still running (a later kill
            // may come after its end).
            Moment::Copying | Moment::Writing(0) | Moment::Merging(0) => {
                assert!(killed, "round {round}: {moment:?} ended first\n{stderr}");
            }
            _ => {}
        }
        let now = all_or_nothing(&sandbox, url, round, moment);
        // The server ends the dead client's session (rolling its
        // transaction back) when it next talks to it.
        let deadline = Instant::now() + Duration::from_secs(60);
        while !statements(&mut admin).is_empty() {
            assert!(Instant::now() < deadline, "round {round}: a session stayed");
            thread::sleep(Duration::from_millis(20));
        }
        let later = all_or_nothing(&sandbox, url, round, moment);
        assert_eq!(now, later, "round {round}, killed {moment:?}");
        // A kill may come after the commit (then all is kept); an import
        // that ended by itself kept all.
        if !killed {
            assert!(ended.status.success() && later, "round {round}\n{stderr}");
        }
        report.push(format!(
            "{moment:?} at {at:?}: {}",
            if later { "all" } else { "nothing" }
        ));
    }
    eprintln!(
        "{} imports of {ROWS} rows in {:?}: {}",
        moments.len(),
        started.elapsed(),
        report.join("; ")
    );
}
