//! The PostgreSQL backend: the same commands print the same on a SQLite
//! store and on a PostgreSQL one (the Alipay golden scripts, the README's
//! tour, scripts over every command), and what only PostgreSQL has: a
//! `growthdb` schema made by something else or by a newer growthdb is
//! refused and left as it was, a password is never shown, `.sql` cannot
//! write, and of two processes inserting one snapshot exactly one wins.
//!
//! These need `GROWTHDB_TEST_POSTGRES` (see `common::postgres`); without
//! it each prints that it was skipped.
use crate::common::postgres::Database;
use crate::common::{Output, Sandbox, alipay_fixture};

/// Timestamps of revisions (`2026-01-02T03:04:05.678901Z`) differ from
/// one run to the next: each becomes `<time>`.
pub fn mask_times(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let shape = |at: usize| -> bool {
        let pattern = b"dddd-dd-ddTdd:dd:dd";
        bytes.len() >= at + pattern.len()
            && pattern.iter().zip(&bytes[at..]).all(|(p, b)| match p {
                b'd' => b.is_ascii_digit(),
                p => p == b,
            })
    };
    while i < bytes.len() {
        if shape(i) {
            let mut end = i + 19;
            while end < bytes.len()
                && (bytes[end].is_ascii_digit() || b".Z+:".contains(&bytes[end]))
            {
                end += 1;
            }
            out.push_str("<time>");
            i = end;
        } else {
            let c = text[i..].chars().next().expect("a character");
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// One SQLite store and one PostgreSQL store, each in its own sandbox.
pub struct Pair {
    pub sqlite: Sandbox,
    pub postgres: Sandbox,
    pub database: Database,
}

impl Pair {
    pub fn new() -> Option<Pair> {
        Some(Pair {
            sqlite: Sandbox::new(),
            postgres: Sandbox::new(),
            database: Database::new()?,
        })
    }

    /// Runs the binary with `args` on both stores and asserts that both
    /// print the same and exit alike; the output.
    #[track_caller]
    pub fn same(&self, args: &[&str], stdin: &str) -> Output {
        let sqlite = self.sqlite.run_db(args, stdin);
        let mut all = vec!["--db", self.database.url.as_str()];
        all.extend_from_slice(args);
        let postgres = self.postgres.run(&all, stdin);
        let sqlite_db = self.sqlite.db();
        let shown = |text: &str, store: &str| mask_times(&text.replace(store, "STORE"));
        assert_eq!(
            (
                shown(&postgres.stdout, &self.database.url),
                shown(&postgres.stderr, &self.database.url),
                postgres.code
            ),
            (
                shown(&sqlite.stdout, &sqlite_db),
                shown(&sqlite.stderr, &sqlite_db),
                sqlite.code
            ),
            "PostgreSQL (left) and SQLite (right) differ on {args:?} with input:\n{stdin}"
        );
        sqlite
    }

    fn load_alipay(&self) -> &Pair {
        self.same(&["-q", "-f", &alipay_fixture()], "").clean();
        self
    }
}

/// The Alipay golden files' commands, and the golden tests' other queries.
const ALIPAY: &[&str] = &[
    "growth creators.monthly_active over 1y",
    "growth consumers.daily_avg over 1y",
    "growth content.minutes_per_user over 1y",
    "growth users from 2022 to 2023 by line",
    "series services.*",
    "series consumers.daily_avg from 2023-07 to 2023-09 every quarter",
    "series creators.monthly_active from 2023-07 to 2023-09 every quarter",
    "growth services.* from earliest to latest",
    "growth creators.monthly_active over 1y every month",
    "growth c* over 1y",
    "metrics",
    "growth c* over 1m every month from 2024-03 sort change_pct desc limit 1",
    "series consumers.daily_avg every month from 2024-01 trailing 3m",
    "growth consumers.daily_avg over 3m to 2024-05 trailing 3m",
    "growth consumers.daily_avg from 2023-H2 to ytd",
    "history users",
    "calendar fiscal_year_start=4\nseries consumers.daily_avg every fiscal_quarter",
    "growth consumers.daily_avg over 1q to FY2024-Q4",
    "calendar",
];

#[test]
fn the_alipay_golden_scripts_print_the_same() {
    let Some(pair) = Pair::new() else { return };
    pair.load_alipay();
    for query in ALIPAY {
        pair.same(&["--format", "csv", "-q"], query);
        pair.same(&["--format", "table"], query);
    }
    for format in ["json", "jsonl", "tsv"] {
        pair.same(
            &["--format", format],
            "growth users from 2022 to 2023 by line",
        );
    }
}

/// Scripts over every command, errors included: each on fresh stores.
const SCRIPTS: &[&str] = &[
    // Inserting, conflicts, revising, deleting and history.
    "metric a kind=stock unit=people desc=\"A\"\ninsert 2020 a=17\ninsert 2020 a=17\ninsert 2020 a=18\n\
     revise 2020 a=19 note=\"fixed\"\ndelete 2020 a\nhistory a\ninsert 2021 a=1 b=2\nmetrics\nseries a\n",
    // Labels, patterns, shares and selectors.
    "insert 2023 users=100 users{line=pay}=60 users{line=\"New Zealand\"}=40\n\
     insert 2024 users=130 users{line=pay}=70 users{line=\"New Zealand\"}=60\n\
     growth users from 2023 to 2024 by line\nseries users*\ngrowth users{line=p*} over 1y\n\
     metric u* kind=stock\nmetrics u*\n",
    // Periods of every grain, overlapping and missing periods.
    "insert 2024-Q1 orders=10\ninsert 2024-04 orders=4\ninsert 2024-05 orders=5\n\
     insert 2024-W23 orders=1\ninsert 2024-06-12 orders=0.5\ninsert 2024-H2 orders=30\n\
     series orders\ngrowth orders from 2024-Q1 to 2024-Q2\ngrowth orders over 1q every quarter\n\
     series orders every month\ngrowth nosuch over 1y\nseries orders from 2025\n",
    // Ratios, averages and kinds.
    "metric share kind=ratio\nmetric avg kind=average\ninsert 2023 share=40% avg=3\n\
     insert 2024 share=45.5% avg=4.5\ngrowth share over 1y\ngrowth avg over 1y\nseries share\n",
    // Blocks: committed, rolled back, and failing.
    "begin\ninsert 2024 blocks=1\ninsert 2025 blocks=2\ncommit\nbegin\ninsert 2026 blocks=3\nrollback\n\
     begin\ninsert 2026 blocks=3\ninsert 2024 blocks=9\ncommit\nseries blocks\nhistory blocks\n",
    // The fiscal calendar.
    "calendar\ncalendar fiscal_year_start=april fiscal_year_label=start\ncalendar\n\
     insert 2024-04 s=1\ninsert 2024-05 s=2\ninsert 2024-06 s=3\nseries s every fiscal_quarter\n\
     calendar fiscal_year_start=13\n",
    // As of a time before and after everything.
    "insert 2024 x=1\nrevise 2024 x=2\n.asof 2000-01-01\nseries x\n.asof 2100-01-01\nseries x\n\
     .asof\ngrowth x from 2024 to 2024\n",
    // Errors of every kind.
    "grwth users\ninsert 2024 users=abc\ninsert 20245 users=1\nmetric x kind=nosuch\nrevise 2024 nosuch=1\n\
     delete 2024 nosuch\ncommit\nrollback\n",
];

/// A pattern's series come from PostgreSQL through a cursor, a batch at a
/// time: thousands of series, labels that sort as text ("10" before "9"),
/// several labels and the total, in the order SQLite gives them, and a
/// command that stops early leaves the next one working.
#[test]
fn a_pattern_over_thousands_of_series_lists_them_in_label_order() {
    let Some(pair) = Pair::new() else { return };
    let mut script = String::new();
    for (year, base) in [(2023, 1), (2024, 2)] {
        script.push_str(&format!("insert {year} m={base}"));
        for i in 0..1_500 {
            script.push_str(&format!(" m{{n={i}}}={}", base + i));
            if i % 7 == 0 {
                script.push_str(&format!(" m{{n={i},z=\"a b\"}}={base}"));
            }
        }
        script.push('\n');
    }
    script.push_str("growth m* over 1y limit 3\nseries m*\ngrowth m* over 1y every year\n");
    let out = pair.same(&["--format", "csv", "-q"], &script);
    out.clean();
    assert_eq!(out.stdout.lines().nth(1).map(|l| &l[..2]), Some("m,"));
}

#[test]
fn scripts_over_every_command_print_the_same() {
    for script in SCRIPTS {
        let Some(pair) = Pair::new() else { return };
        pair.same(&["--format", "csv"], script);
        let pair = Pair::new().expect("a server");
        pair.same(&["--format", "jsonl"], script);
    }
}

#[test]
fn imports_and_exports_print_the_same() {
    let Some(pair) = Pair::new() else { return };
    let fixtures = format!("{}/fixtures", env!("CARGO_MANIFEST_DIR"));
    let gapminder = format!(
        ".import {fixtures}/gapminder.csv --period year --labels continent,country --values pop=pop,lifeExp=life_exp"
    );
    pair.same(&["-c", &gapminder], "");
    pair.same(&["-c", &gapminder], "");
    pair.same(
        &[
            "--format",
            "csv",
            "-c",
            "growth pop from 1952 to 2007 by continent",
        ],
        "",
    );
    let wdi = format!(
        ".import {fixtures}/wdi_gdp.csv --skip 4 --period-columns --metric gdp --labels \"Country Name\"=country,\"Country Code\"=iso3,\"Indicator Name\"=indicator,\"Indicator Code\"=code"
    );
    pair.same(&["-c", &format!("{wdi} --dry-run")], "");
    pair.same(&["-c", &wdi], "");
    pair.same(&["-c", "growth gdp* from 2000 to 2002"], "");
    let prices = format!(
        ".import {fixtures}/prices.csv --period Date --period-format \"%b %d %Y\" --grain month --values Close=close,Volume=volume"
    );
    pair.same(&["-c", &prices], "");
    pair.same(&["-c", "series close"], "");
    pair.same(&["-c", ".export all.csv"], "").ok();
    pair.same(&["-c", ".export all.jsonl --history"], "").ok();
    let exported = |sandbox: &Sandbox, name: &str| {
        mask_times(&std::fs::read_to_string(sandbox.path(name)).expect("exported file"))
    };
    for name in ["all.csv", "all.jsonl"] {
        assert_eq!(
            exported(&pair.postgres, name),
            exported(&pair.sqlite, name),
            "{name}"
        );
    }
    // Exported, then imported into a fresh store of each kind.
    let again = Pair::new().expect("a server");
    let all = pair.sqlite.path("all.csv").display().to_string();
    again.same(&["-c", &format!(".import {all}")], "");
    again.same(&["--format", "csv", "-c", "metrics"], "");
}

/// The README's tour, each `--db NAME.db` a database of its own.
#[test]
fn the_readme_tour_prints_the_same() {
    let Some(first) = Database::new() else { return };
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).expect("README.md");
    let commands: Vec<&str> = readme
        .split("```console\n")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .flat_map(str::lines)
        .filter_map(|line| line.strip_prefix("$ "))
        .filter(|command| command.contains("growthdb --db") || command.starts_with("cp "))
        .collect();
    assert!(commands.len() > 20, "the README's tour: {commands:?}");
    let sqlite = Sandbox::new();
    let postgres = Sandbox::new();
    for sandbox in [&sqlite, &postgres] {
        std::os::unix::fs::symlink(format!("{root}/fixtures"), sandbox.path("fixtures")).unwrap();
    }
    let mut databases: Vec<(String, Database)> = vec![("alipay.db".into(), first)];
    let bin = std::path::Path::new(crate::common::BIN).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let shell = |sandbox: &Sandbox, command: &str| {
        let out = sandbox
            .process("sh")
            .args(["-c", command])
            .env("PATH", &path)
            .output()
            .expect("sh runs");
        (
            mask_times(&String::from_utf8_lossy(&out.stdout)),
            mask_times(&String::from_utf8_lossy(&out.stderr)),
            out.status.code(),
        )
    };
    for command in commands {
        if let Some(copy) = command.strip_prefix("cp ") {
            let (from, to) = copy.split_once(' ').expect("cp FROM TO");
            let source = databases
                .iter()
                .find(|(name, _)| name == from)
                .expect("copied store");
            let copied = source.1.copy();
            databases.push((to.to_string(), copied));
            shell(&sqlite, command);
            continue;
        }
        let name = command
            .split_whitespace()
            .skip_while(|word| *word != "--db")
            .nth(1)
            .expect("--db NAME");
        if !databases.iter().any(|(known, _)| known == name) {
            databases.push((name.to_string(), Database::new().expect("a server")));
        }
        let url = &databases
            .iter()
            .find(|(known, _)| known == name)
            .expect("known")
            .1
            .url;
        let on_postgres = command.replace(&format!("--db {name}"), &format!("--db {url}"));
        assert_eq!(
            shell(&postgres, &on_postgres),
            shell(&sqlite, command),
            "PostgreSQL (left) and SQLite (right) differ on `{command}`"
        );
    }
}

#[test]
fn a_growthdb_schema_made_by_something_else_is_refused_and_left_unchanged() {
    let Some(database) = Database::new() else {
        return;
    };
    let mut admin = database.connect();
    admin
        .batch_execute("CREATE SCHEMA growthdb; CREATE TABLE growthdb.metric (x int); INSERT INTO growthdb.metric VALUES (7)")
        .unwrap();
    let sandbox = Sandbox::new();
    for args in [
        &["-c", "insert 2024 a=1"][..],
        &["--readonly", "-c", "metrics"],
    ] {
        let mut all = vec!["--db", database.url.as_str(), "--format", "jsonl"];
        all.extend_from_slice(args);
        let out = sandbox.run(&all, "");
        let error = out.only_error();
        assert!(error.contains("\"kind\":\"foreign_store\""), "{error}");
        assert!(error.contains("not a growthdb store"), "{error}");
    }
    let tables: Vec<String> = admin
        .query(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'growthdb'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(tables, ["metric"]);
    let x: i32 = admin
        .query_one("SELECT x FROM growthdb.metric", &[])
        .unwrap()
        .get(0);
    assert_eq!(x, 7);
}

#[test]
fn a_store_of_a_newer_growthdb_is_refused() {
    let Some(database) = Database::new() else {
        return;
    };
    let sandbox = Sandbox::new();
    let db = ["--db", database.url.as_str()];
    sandbox
        .run(&[db[0], db[1], "-q", "-c", "insert 2024 a=1"], "")
        .clean();
    let mut admin = database.connect();
    admin
        .batch_execute("UPDATE growthdb.meta SET schema_version = 99")
        .unwrap();
    let out = sandbox.run(&[db[0], db[1], "--format", "jsonl", "-c", "series a"], "");
    let error = out.only_error();
    assert!(error.contains("\"kind\":\"too_new\""), "{error}");
    assert!(error.contains("schema version 99"), "{error}");
    let version: i32 = admin
        .query_one("SELECT schema_version FROM growthdb.meta", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, 99, "left unchanged");
}

#[test]
fn readonly_never_creates_a_store() {
    let Some(database) = Database::new() else {
        return;
    };
    let out = Sandbox::new().run(&["--db", &database.url, "--readonly", "-c", "metrics"], "");
    assert!(
        out.only_error().contains("holds no growthdb store"),
        "{out:?}"
    );
    let schemas = database
        .connect()
        .query("SELECT 1 FROM pg_namespace WHERE nspname = 'growthdb'", &[])
        .unwrap();
    assert!(schemas.is_empty());
}

#[test]
fn a_password_is_never_shown() {
    let Some(database) = Database::new() else {
        return;
    };
    let password = "Pw-never-shown-42";
    let url = database.url_with_password(password);
    let sandbox = Sandbox::new();
    let outputs = [
        sandbox.run(
            &[
                "--db",
                &url,
                "-c",
                "insert 2024 a=1",
                "-c",
                "grwth a",
                "-c",
                ".schema",
            ],
            "",
        ),
        sandbox.run(
            &["--db", &format!("{url}_no_such_database"), "-c", "metrics"],
            "",
        ),
        sandbox.run(
            &[
                "--db",
                &url,
                "--format",
                "jsonl",
                "-c",
                ".sql SELECT nosuch",
            ],
            "",
        ),
    ];
    for out in &outputs {
        assert!(
            !out.stdout.contains(password) && !out.stderr.contains(password),
            "{out:?}"
        );
    }
    let refused = &outputs[1];
    assert!(
        refused.only_error().contains("cannot open store"),
        "{refused:?}"
    );
    // The address as given, less its password, names the store.
    let user_and_host = database.url.split("://").nth(1).unwrap();
    assert!(refused.stderr.contains(user_and_host), "{refused:?}");
    // Through GROWTHDB_DB too.
    let out = sandbox
        .command()
        .env("GROWTHDB_DB", format!("{url}_no_such_database"))
        .args(["-c", "metrics"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains(password) && stderr.contains("cannot open store"),
        "{stderr}"
    );
}

#[test]
fn sql_only_reads() {
    let Some(database) = Database::new() else {
        return;
    };
    let sandbox = Sandbox::new();
    let run = |script: &str| sandbox.run(&["--db", &database.url, "--format", "jsonl"], script);
    run("insert 2024 a=1\n").ok();
    for statement in [
        "DELETE FROM metric",
        "WITH gone AS (DELETE FROM metric RETURNING 1) SELECT * FROM gone",
        "SELECT 1; DELETE FROM metric",
        "SELECT set_config('default_transaction_read_only', 'off', false); DROP TABLE metric",
        "COMMIT",
        "CREATE TABLE growthdb.x (y int)",
    ] {
        let out = run(&format!(".sql {statement}\n"));
        let error = out.only_error();
        assert!(
            error.contains("\"kind\":\"readonly\"") || error.contains("\"kind\":\"usage\""),
            "{statement}: {error}"
        );
    }
    // Inside a block too, where the block's own writes are seen.
    let out = run(
        "begin\ninsert 2025 b=2\n.sql SELECT name FROM metric ORDER BY name\n.sql DELETE FROM metric\ncommit\n.sql SELECT count(*) AS n FROM metric\n",
    );
    assert_eq!(
        out.stdout, "{\"name\":\"a\"}\n{\"name\":\"b\"}\n{\"n\":1}\n",
        "{out:?}"
    );
    let out = run(
        ".sql SELECT name, count(*)::int AS n, 1.5::float8 AS x, true AS t FROM metric GROUP BY name ORDER BY name\n",
    );
    assert_eq!(
        out.stdout, "{\"name\":\"a\",\"n\":1,\"x\":1.5,\"t\":1}\n",
        "{out:?}"
    );
}

#[test]
fn of_two_processes_inserting_one_snapshot_exactly_one_wins() {
    let Some(database) = Database::new() else {
        return;
    };
    let sandbox = Sandbox::new();
    sandbox
        .run(
            &["--db", &database.url, "-q", "-c", "metric race kind=stock"],
            "",
        )
        .clean();
    for round in 0..3 {
        let children: Vec<_> = (0..6)
            .map(|i| {
                sandbox
                    .growthdb()
                    .args(["--db", &database.url, "--format", "jsonl", "-q"])
                    .args(["-c", &format!("insert {} race={}", 2000 + round, i + 1)])
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let outputs: Vec<_> = children
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        let won = outputs.iter().filter(|o| o.status.success()).count();
        assert_eq!(won, 1, "round {round}: {outputs:?}");
        for lost in outputs.iter().filter(|o| !o.status.success()) {
            let stderr = String::from_utf8_lossy(&lost.stderr);
            assert!(stderr.contains("\"kind\":\"conflict\""), "{stderr}");
        }
    }
    let out = sandbox.run(
        &[
            "--db",
            &database.url,
            "--format",
            "csv",
            "-q",
            "-c",
            "series race",
        ],
        "",
    );
    assert_eq!(out.clean().stdout.lines().count(), 4, "{out:?}");
}

#[test]
fn check_and_schema_speak_postgresql() {
    let Some(database) = Database::new() else {
        return;
    };
    let sandbox = Sandbox::new();
    let out = sandbox.run(
        &[
            "--db",
            &database.url,
            "--format",
            "csv",
            "-q",
            "-c",
            "insert 2024 a=1",
            "-c",
            ".check",
            "-c",
            ".schema",
        ],
        "",
    );
    out.clean();
    assert!(
        out.stdout
            .contains("every period is a valid range of days,ok"),
        "{out:?}"
    );
    assert!(!out.stdout.contains("problem"), "{out:?}");
    assert!(out.stdout.contains("CREATE SCHEMA growthdb;"), "{out:?}");
    assert!(out.stdout.contains("double precision"), "{out:?}");
    // A broken invariant is found.
    database
        .connect()
        .batch_execute("UPDATE growthdb.snapshot SET revision = 2")
        .unwrap();
    let out = sandbox.run(
        &["--db", &database.url, "--format", "csv", "-c", ".check"],
        "",
    );
    assert!(
        out.stdout.contains("without gaps\",problem,\"1 found"),
        "{out:?}"
    );
}

#[test]
fn times_are_masked_whole() {
    assert_eq!(
        mask_times("a,2026-12-02T13:04:05.123456Z,b 2024-01-01"),
        "a,<time>,b 2024-01-01"
    );
}
