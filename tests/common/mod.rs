//! Helpers shared by the end-to-end tests: they run the real `growthdb`
//! binary with piped stdin inside a scratch directory and look at what it
//! printed and how it exited.
//!
//! Every run gets its own [`Sandbox`]: a temporary directory that is the
//! current directory, `HOME` and `XDG_STATE_HOME`, with `GROWTHDB_DB`
//! removed, so no test depends on the machine it runs on or on another test.
#![allow(dead_code)]

pub mod postgres;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_growthdb");

/// What one run printed, and its exit code (-1 when killed by a signal).
#[derive(Debug)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl Output {
    /// Asserts exit status 0 and an empty stderr (use with `-q`).
    #[track_caller]
    pub fn clean(&self) -> &Output {
        assert_eq!(self.code, 0, "expected success\n{self:#?}");
        assert_eq!(self.stderr, "", "expected nothing on stderr\n{self:#?}");
        self
    }

    /// Asserts exit status 0.
    #[track_caller]
    pub fn ok(&self) -> &Output {
        assert_eq!(self.code, 0, "expected success\n{self:#?}");
        self
    }

    /// Asserts exit status 1 and returns the stderr lines.
    #[track_caller]
    pub fn failed(&self) -> Vec<&str> {
        assert_eq!(self.code, 1, "expected exit status 1\n{self:#?}");
        self.stderr.lines().collect()
    }

    /// The one error line on stderr.
    #[track_caller]
    pub fn only_error(&self) -> &str {
        let lines = self.failed();
        assert_eq!(lines.len(), 1, "expected exactly one error line\n{self:#?}");
        lines[0]
    }

    /// The rows of the last result printed in csv.
    #[track_caller]
    pub fn rows(&self) -> Vec<Row> {
        csv_results(&self.stdout).pop().unwrap_or_default()
    }

    /// Every result printed in csv, in order.
    pub fn results(&self) -> Vec<Vec<Row>> {
        csv_results(&self.stdout)
    }
}

/// One output row: field name to cell text (empty for null).
pub type Row = HashMap<String, String>;

pub const GROWTH_FIELDS: &[&str] = &[
    "series",
    "metric",
    "from_period",
    "from_value",
    "to_period",
    "to_value",
    "change",
    "change_pct",
    "multiple",
    "years",
    "cagr_pct",
    "change_pp",
    "share_pct",
    "note",
];
pub const SERIES_FIELDS: &[&str] = &[
    "series",
    "period",
    "start",
    "end",
    "value",
    "change",
    "change_pct",
    "note",
];
pub const METRICS_FIELDS: &[&str] = &[
    "metric",
    "kind",
    "unit",
    "series",
    "snapshots",
    "first",
    "last",
    "description",
];
pub const HISTORY_FIELDS: &[&str] = &[
    "series",
    "period",
    "revision",
    "value",
    "status",
    "recorded_at",
    "source",
    "note",
];
pub const CALENDAR_FIELDS: &[&str] = &["fiscal_year_start", "fiscal_year_label"];
pub const ALL_FIELDS: [&[&str]; 5] = [
    GROWTH_FIELDS,
    SERIES_FIELDS,
    METRICS_FIELDS,
    HISTORY_FIELDS,
    CALENDAR_FIELDS,
];

/// Splits csv output of several commands into results: a record equal to
/// one of the four headers starts a new result.
pub fn csv_results(text: &str) -> Vec<Vec<Row>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut results: Vec<Vec<Row>> = Vec::new();
    let mut header: Vec<String> = Vec::new();
    for record in reader.records() {
        let record: Vec<String> = record
            .expect("stdout is valid csv")
            .iter()
            .map(str::to_string)
            .collect();
        if ALL_FIELDS.iter().any(|fields| *fields == record.as_slice()) {
            header = record;
            results.push(Vec::new());
            continue;
        }
        assert!(
            !header.is_empty(),
            "a csv row before any header: {record:?}"
        );
        assert_eq!(record.len(), header.len(), "row width: {record:?}");
        let row = header.iter().cloned().zip(record).collect();
        results.last_mut().expect("a header came first").push(row);
    }
    results
}

/// A cell as a number; None for an empty (null) cell.
#[track_caller]
pub fn num(row: &Row, field: &str) -> Option<f64> {
    let text = row.get(field).unwrap_or_else(|| panic!("no field {field}"));
    if text.is_empty() {
        None
    } else {
        Some(
            text.parse()
                .unwrap_or_else(|_| panic!("{field} is not a number: {text:?}")),
        )
    }
}

/// A cell's text.
#[track_caller]
pub fn cell<'a>(row: &'a Row, field: &str) -> &'a str {
    row.get(field)
        .unwrap_or_else(|| panic!("no field {field} in {row:?}"))
}

/// Whether two numbers agree to within rounding.
pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[track_caller]
pub fn assert_close(actual: Option<f64>, expected: Option<f64>, what: &str) {
    match (actual, expected) {
        (Some(a), Some(e)) => assert!(close(a, e), "{what}: {a} != {e}"),
        (a, e) => assert_eq!(a, e, "{what}"),
    }
}

/// The row whose `series` cell is `series`.
#[track_caller]
pub fn row_of<'a>(rows: &'a [Row], series: &str) -> &'a Row {
    rows.iter()
        .find(|r| r.get("series").map(String::as_str) == Some(series))
        .unwrap_or_else(|| panic!("no row for {series} in {rows:#?}"))
}

/// One field of every row, in order.
pub fn column(rows: &[Row], field: &str) -> Vec<String> {
    rows.iter().map(|r| cell(r, field).to_string()).collect()
}

/// The series cells of rows, in order.
pub fn series_of(rows: &[Row]) -> Vec<&str> {
    rows.iter().map(|r| cell(r, "series")).collect()
}

/// The single growth row of a query.
#[track_caller]
pub fn growth_row(lines: &[&str]) -> Row {
    let mut rows = query(lines);
    assert_eq!(rows.len(), 1, "{rows:#?}");
    rows.remove(0)
}

/// (from_period, from_value, to_period, to_value, note) of a growth row.
pub fn ends(row: &Row) -> (&str, &str, &str, &str, &str) {
    (
        cell(row, "from_period"),
        cell(row, "from_value"),
        cell(row, "to_period"),
        cell(row, "to_value"),
        cell(row, "note"),
    )
}

/// Whether the sandboxes' stores are PostgreSQL databases rather than
/// SQLite files: `GROWTHDB_TEST_BACKEND=postgres`, with which CI runs the
/// end-to-end tests a second time against the server `GROWTHDB_TEST_POSTGRES`
/// names. The stores the tests name themselves (`--db :memory:`, a file)
/// stay SQLite's.
pub fn on_postgres() -> bool {
    std::env::var("GROWTHDB_TEST_BACKEND").as_deref() == Ok("postgres")
}

/// True, after saying so, when the stores are PostgreSQL's and the test is
/// about SQLite's file (`what`), which a PostgreSQL store does not have.
pub fn sqlite_only(what: &str) -> bool {
    if on_postgres() {
        println!("skipped on PostgreSQL: the test is about {what}");
        return true;
    }
    false
}

/// A temporary directory standing for the user's world.
pub struct Sandbox {
    dir: TempDir,
    /// The sandbox's store when the stores are PostgreSQL's.
    database: Option<postgres::Database>,
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("a temporary directory");
        std::fs::create_dir(dir.path().join("home")).expect("a home directory");
        let database = on_postgres().then(|| {
            postgres::Database::new()
                .expect("GROWTHDB_TEST_BACKEND=postgres needs GROWTHDB_TEST_POSTGRES")
        });
        Sandbox { dir, database }
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The sandbox's store: the path of `store.db`, or the address of
    /// its own PostgreSQL database (see [`on_postgres`]).
    pub fn db(&self) -> String {
        match &self.database {
            Some(database) => database.url.clone(),
            None => self.path("store.db").to_string_lossy().into_owned(),
        }
    }

    /// Writes a file in the sandbox and returns its path.
    pub fn write(&self, name: &str, text: &str) -> String {
        let path = self.path(name);
        std::fs::write(&path, text).expect("write a scratch file");
        path.to_string_lossy().into_owned()
    }

    /// `program` run in the sandbox: its directory is the current
    /// directory, HOME and XDG_STATE_HOME; GROWTHDB_DB is unset.
    pub fn process(&self, program: impl AsRef<std::ffi::OsStr>) -> std::process::Command {
        let mut cmd = std::process::Command::new(program);
        cmd.current_dir(self.dir())
            .env("HOME", self.path("home"))
            .env("XDG_STATE_HOME", self.path("home"))
            .env("XDG_DATA_HOME", self.path("home"))
            .env_remove("GROWTHDB_DB");
        cmd
    }

    /// The binary as a plain process, for tests that spawn, signal or
    /// drive it through a terminal.
    pub fn growthdb(&self) -> std::process::Command {
        self.process(BIN)
    }

    /// The binary, run in the sandbox (see [`Sandbox::process`]).
    pub fn command(&self) -> Command {
        Command::from_std(self.growthdb())
    }

    /// Runs the binary with `args` and `stdin`.
    pub fn run(&self, args: &[&str], stdin: &str) -> Output {
        output(self.command().args(args).write_stdin(stdin))
    }

    /// Runs the binary on the sandbox's store, `--db` first.
    pub fn run_db(&self, args: &[&str], stdin: &str) -> Output {
        let db = self.db();
        let mut all = vec!["--db", db.as_str()];
        all.extend_from_slice(args);
        self.run(&all, stdin)
    }

    /// Runs a script quietly on the sandbox's store; it must succeed.
    #[track_caller]
    pub fn load(&self, script: &str) -> &Sandbox {
        self.run_db(&["-q"], script).clean();
        self
    }

    /// Runs a script on the sandbox's store with `--format csv -q`.
    pub fn csv(&self, script: &str) -> Output {
        self.run_db(&["--format", "csv", "-q"], script)
    }
}

fn output(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("run growthdb");
    Output {
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        code: out.status.code().unwrap_or(-1),
    }
}

/// Runs the binary in a fresh sandbox.
pub fn run(args: &[&str], stdin: &str) -> Output {
    Sandbox::new().run(args, stdin)
}

/// Runs a script on a throw-away `:memory:` store (or a fresh PostgreSQL
/// database, see [`on_postgres`]) with extra `args`.
pub fn memory(args: &[&str], stdin: &str) -> Output {
    let sandbox = Sandbox::new();
    if on_postgres() {
        return sandbox.run_db(args, stdin);
    }
    let mut all = vec!["--db", ":memory:"];
    all.extend_from_slice(args);
    sandbox.run(&all, stdin)
}

/// Runs a script on a `:memory:` store with `--format csv -q`.
pub fn csv(script: &str) -> Output {
    memory(&["--format", "csv", "-q"], script)
}

/// Runs lines whose last is a query that must succeed, and returns that
/// query's rows.
#[track_caller]
pub fn query(lines: &[&str]) -> Vec<Row> {
    let out = csv(&lines.join("\n"));
    out.clean();
    out.rows()
}

/// Runs lines of which only the last must fail, and returns its error
/// message without the `error: line N: ` prefix.
#[track_caller]
pub fn query_error(lines: &[&str]) -> String {
    let out = csv(&lines.join("\n"));
    let line = out.only_error();
    let prefix = format!("error: line {}: ", lines.len());
    line.strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("expected {prefix:?} in {line:?}"))
        .to_string()
}

/// The Alipay fixture shipped with the project.
pub fn alipay_fixture() -> String {
    format!("{}/fixtures/alipay.growth", env!("CARGO_MANIFEST_DIR"))
}

/// A sandbox whose store holds the Alipay fixture.
pub fn alipay() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.run_db(&["-q", "-f", &alipay_fixture()], "").clean();
    sandbox
}

/// Rewrites when a revision was recorded, straight in the store's
/// documented schema, so that `asof` can be tested without waiting.
pub fn backdate(db: &str, series: &str, revision: i64, recorded_at: &str) {
    let micros = recorded_at
        .parse::<jiff::Timestamp>()
        .expect("an RFC 3339 time")
        .as_microsecond();
    let changed = if db.starts_with("postgres") {
        let mut client = ::postgres::Client::connect(db, ::postgres::NoTls).expect("connect");
        client
            .execute(
                "UPDATE growthdb.snapshot SET recorded_at = $1
                 WHERE revision = $2
                   AND series_id = (SELECT id FROM growthdb.series WHERE name = $3)",
                &[&micros, &revision, &series],
            )
            .expect("update a revision") as usize
    } else {
        let conn = rusqlite::Connection::open(db).expect("open the store");
        conn.execute(
            "UPDATE snapshot SET recorded_at = ?1
             WHERE revision = ?2 AND series_id = (SELECT id FROM series WHERE name = ?3)",
            rusqlite::params![micros, revision, series],
        )
        .expect("update a revision")
    };
    assert!(changed > 0, "no revision {revision} of {series}");
}

/// Day number (days since 1970-01-01) of 2000-01-01.
pub const DAY_2000: i64 = 10_957;

/// The calendar date of a day number, as `YYYY-MM-DD`.
pub fn day_text(days: i64) -> String {
    jiff::civil::date(1970, 1, 1)
        .checked_add(jiff::Span::new().days(days))
        .expect("a day in jiff's range")
        .to_string()
}

/// The first column of every row an SQL query returns, read straight from
/// a store (as `sqlite3` or `psql` would; in PostgreSQL the store's tables
/// are found without their schema's name).
pub fn texts(db: &str, sql: &str) -> Vec<String> {
    if db.starts_with("postgres") {
        let mut client = ::postgres::Client::connect(db, ::postgres::NoTls).expect("connect");
        client
            .batch_execute("SET search_path TO growthdb")
            .expect("set the search path");
        return client
            .query(sql, &[])
            .expect("query")
            .iter()
            .map(|row| row.get(0))
            .collect();
    }
    let conn = rusqlite::Connection::open(db).expect("open the store");
    let mut stmt = conn.prepare(sql).expect("prepare");
    stmt.query_map([], |row| row.get(0))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows")
}

/// Runs a statement straight on a store's tables, behind growthdb's back
/// (in PostgreSQL, found without their schema's name).
pub fn execute(db: &str, sql: &str) {
    if db.starts_with("postgres") {
        let mut client = ::postgres::Client::connect(db, ::postgres::NoTls).expect("connect");
        client
            .batch_execute(&format!("SET search_path TO growthdb; {sql}"))
            .expect("run a statement");
        return;
    }
    let conn = rusqlite::Connection::open(db).expect("open the store");
    conn.execute_batch(sql).expect("run a statement");
}

/// What must not change when a command fails: an SQLite store's file, byte
/// for byte, or a PostgreSQL store's rows ([`dump`]).
pub fn state(db: &str) -> Vec<u8> {
    if db.starts_with("postgres") {
        return dump(db).into_bytes();
    }
    std::fs::read(db).expect("read the store file")
}

/// Every row of every table of a store, and its schema version: equal
/// dumps mean an unchanged store, in SQLite or in PostgreSQL.
pub fn dump(db: &str) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    if db.starts_with("postgres") {
        let mut client = ::postgres::Client::connect(db, ::postgres::NoTls).expect("connect");
        let tables = client
            .query(
                "SELECT table_name::text FROM information_schema.tables
                 WHERE table_schema = 'growthdb' ORDER BY 1",
                &[],
            )
            .expect("list the tables");
        for table in tables {
            let table: String = table.get(0);
            let sql = format!("SELECT t::text FROM growthdb.\"{table}\" t ORDER BY 1");
            for row in client.query(&sql, &[]).expect("read a table") {
                let row: String = row.get(0);
                writeln!(out, "{table}: {row}").unwrap();
            }
        }
        return out;
    }
    let conn = rusqlite::Connection::open(db).expect("open the store");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    writeln!(out, "user_version {version}").unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for table in tables {
        let columns = conn
            .prepare(&format!("SELECT * FROM \"{table}\""))
            .unwrap()
            .column_count();
        let order: Vec<String> = (1..=columns).map(|i| i.to_string()).collect();
        let sql = format!("SELECT * FROM \"{table}\" ORDER BY {}", order.join(", "));
        let mut statement = conn.prepare(&sql).unwrap();
        let mut rows = statement.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            let cells: Vec<String> = (0..columns)
                .map(|i| match row.get_ref(i).unwrap() {
                    rusqlite::types::ValueRef::Text(t) => {
                        format!("{:?}", String::from_utf8_lossy(t))
                    }
                    other => format!("{other:?}"),
                })
                .collect();
            writeln!(out, "{table}: {}", cells.join(" | ")).unwrap();
        }
    }
    out
}
