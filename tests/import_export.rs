//! SPEC §6 Import and export (`.import FILE [--wide]`, `.export FILE
//! [SELECTOR] [--history]`) and the §4 insert conflict rules they follow,
//! end to end through the real binary.
//!
//! Every data set is generated here, deterministically (a fixed-seed
//! generator, no new crates), so a failure reproduces exactly.
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Output, Sandbox, dump};

const FORMATS: [&str; 3] = ["csv", "tsv", "jsonl"];

// ---------------------------------------------------------------------------
// Helpers

/// A fixed-seed linear congruential generator: the same numbers every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A positive value with two decimals, up to `scale` * 10_000.
    fn value(&mut self, scale: f64) -> f64 {
        (self.next() % 1_000_000 + 1) as f64 / 100.0 * scale
    }
}

/// Value text the command language reads back exactly (`1e300`, `0.1`).
fn v(value: f64) -> String {
    format!("{value:?}")
}

/// Runs `commands` (`-c`) on the sandbox's store, quietly.
fn run(sandbox: &Sandbox, command: &str) -> Output {
    sandbox.run_db(&["-q", "-c", command], "")
}

/// Runs `command` on the sandbox's store, with its notes on stderr.
fn run_loud(sandbox: &Sandbox, command: &str) -> Output {
    sandbox.run_db(&["-c", command], "")
}

/// A file of the sandbox, as text.
#[track_caller]
fn read(sandbox: &Sandbox, name: &str) -> String {
    std::fs::read_to_string(sandbox.path(name)).unwrap_or_else(|e| panic!("read {name}: {e}"))
}

/// The records of a csv export (`--history` or not) of the whole store,
/// as (series, period, revision or value, ...) fields. Read through the
/// binary rather than the tables, so that it does not depend on the schema.
fn exported_records(sandbox: &Sandbox, history: bool) -> Vec<csv::StringRecord> {
    let flag = if history { " --history" } else { "" };
    run(sandbox, &format!(".export records-dump.csv{flag}")).clean();
    let text = read(sandbox, "records-dump.csv");
    std::fs::remove_file(sandbox.path("records-dump.csv")).unwrap();
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// What a store holds, two ways: its tables, and its history export.
fn state(sandbox: &Sandbox) -> (String, String) {
    run(sandbox, ".export state-dump.csv --history").clean();
    let export = read(sandbox, "state-dump.csv");
    std::fs::remove_file(sandbox.path("state-dump.csv")).unwrap();
    (dump(&sandbox.db()), export)
}

// ---------------------------------------------------------------------------
// The generated data set

/// Metric definitions; an export does not carry them (its columns are
/// series,period,value,source,note), so a store that imports an export
/// runs these first to answer growth questions the same way.
const METRICS: &str = r#"metric users kind=stock unit=people desc="Registered users, \"all\" lines"
metric revenue kind=flow unit=CNY
metric share.daily-use kind=ratio
metric extreme kind=average
"#;

/// Labels whose values need quoting, written in a non-canonical key order.
const COUNTRIES: [&str; 4] = [
    r#"pop{country="Korea, Dem. Rep.",continent=Asia}"#,
    r#"pop{country="Quote \"Q\" \\ Land",continent="North America"}"#,
    r#"pop{country="Côte d'Ivoire",continent=Africa}"#,
    r#"pop{country=China,continent=Asia}"#,
];

/// Values at the edges of what a double holds.
const EXTREMES: [f64; 12] = [
    1e300,
    5e-324,
    -0.5,
    0.0,
    f64::MAX,
    f64::MIN,
    -1e-300,
    0.30000000000000004,
    1.0 / 3.0,
    123_456_789_012_345_680_000.0,
    f64::MIN_POSITIVE,
    1e-7,
];

/// The inserts of the data set: several metrics, labels, every period form
/// (some written in their non-canonical input forms), sources and notes
/// with commas, quotes and backslashes.
fn inserts() -> String {
    let mut rng = Lcg(20_240_612);
    let mut s = String::from(METRICS);
    for year in 2015..=2024 {
        let (pay, non) = (rng.value(1e3), rng.value(1e3));
        writeln!(
            s,
            r#"insert {year} users={} users{{line=payment}}={} users{{line=non-payment}}={} source="Annual report {year}, p. 3""#,
            v(pay + non),
            v(pay),
            v(non)
        )
        .unwrap();
    }
    for year in 2019..=2024 {
        for q in 1..=4 {
            let (pay, non) = (rng.value(1e3), rng.value(1e3));
            // `2019Q1` is an accepted input form of `2019-Q1`.
            let period = if q == 1 {
                format!("{year}Q{q}")
            } else {
                format!("{year}-Q{q}")
            };
            writeln!(
                s,
                r#"insert {period} users={} users{{line=payment}}={} users{{line=non-payment}}={} note="quarterly, \"unaudited\"""#,
                v(pay + non),
                v(pay),
                v(non)
            )
            .unwrap();
        }
    }
    for year in 2023..=2024 {
        for month in 1..=12 {
            writeln!(s, "insert {year}-{month:02} users={}", v(rng.value(1e3))).unwrap();
        }
    }
    for year in 2022..=2024 {
        for q in 1..=4 {
            let (cn, hk) = (rng.value(10.0), rng.value(1.0));
            writeln!(
                s,
                r#"insert {year}-q{q} revenue={} revenue{{region=cn}}={} revenue{{region="Hong Kong, SAR"}}={} source="10-Q, \\\\server\\share""#,
                v(cn + hk),
                v(cn),
                v(hk)
            )
            .unwrap();
        }
    }
    for week in 1..=10 {
        let period = if week % 2 == 0 {
            format!("2024W{week:02}")
        } else {
            format!("2024-W{week:02}")
        };
        writeln!(
            s,
            "insert {period} revenue{{channel=app}}={}",
            v(rng.value(0.1))
        )
        .unwrap();
    }
    writeln!(s, "insert 2020-w53 revenue{{channel=app}}=12.5").unwrap();
    for day in 1..=20 {
        writeln!(
            s,
            "insert 2024-03-{day:02} revenue{{channel=web}}={}",
            v(rng.value(0.01))
        )
        .unwrap();
    }
    for year in 2023..=2024 {
        for month in 1..=12 {
            let percent = 40.0 + (rng.next() % 400) as f64 / 10.0;
            // Half as percents, half as fractions: both are stored as fractions.
            let value = if month % 2 == 0 {
                format!("{percent}%")
            } else {
                v(percent / 100.0)
            };
            writeln!(s, "insert {year}-{month:02} share.daily-use={value}").unwrap();
        }
    }
    for year in 2000..=2024 {
        let mut line = format!("insert {year}");
        let mut total = 0.0;
        for country in COUNTRIES {
            let value = rng.value(1e2).round();
            total += value;
            write!(line, " {country}={}", v(value)).unwrap();
        }
        write!(
            line,
            r#" pop={} source="World Bank, WDI \"{year}\"" note="estimate; see \\notes\\""#,
            v(total)
        )
        .unwrap();
        writeln!(s, "{line}").unwrap();
    }
    for (day, value) in EXTREMES.iter().enumerate() {
        writeln!(s, "insert 2020-01-{:02} extreme={}", day + 1, v(*value)).unwrap();
    }
    // Ranges: in days, in months, in weeks, one equal to a half, one equal
    // to a year; halves and weeks in their other input forms.
    s.push_str(
        "insert 2021-01-05..2021-02-17 extreme=1.5
insert 2022-01..2022-02 extreme=2.5
insert 2021-W01..2021-W03 extreme=3.5
insert 2020-Q1..2020-Q2 extreme{kind=range}=4.5
insert 2019-01-01..2019-12-31 extreme{kind=range}=5.5
insert 2023-H2 extreme=-6
insert 2023h1 extreme=7
insert 2024-12-30..2025-01-02 extreme{kind=range}=1e-10
",
    );
    s
}

/// Notes and sources that the command language cannot write (newlines,
/// tabs, a carriage return, edge spaces) come in through a CSV file.
const NOTES_CSV: &str = "series,period,value,source,note
notes.test,2024-01,1,\"src, with comma\",\"line one
line two\"
notes.test,2024-02,2,\"say \"\"hi\"\"\",\"tab\there\"
notes.test,2024-03,3,,\"crlf\r\nline\"
notes.test,2024-04,4,\"back\\slash\",\"  leading and trailing spaces  \"
notes.test,2024-06,6,,to be deleted
\"notes.test{k=\"\"v, w\"\"}\",2024-05,5,\"multi
line
source\",
";

/// Revisions (some twice) and deletions, after the inserts.
fn changes() -> String {
    let mut rng = Lcg(7);
    let mut s = String::new();
    writeln!(
        s,
        r#"revise 2024 users={} note="restated, see \"10-K\"""#,
        v(rng.value(2e3))
    )
    .unwrap();
    writeln!(s, "revise 2024 users{{line=payment}}={}", v(rng.value(1e3))).unwrap();
    for round in 1..=2 {
        writeln!(
            s,
            r#"revise 2023-Q4 users={} source="restatement {round}""#,
            v(rng.value(1e3))
        )
        .unwrap();
    }
    writeln!(s, "revise 2010 {}={}", COUNTRIES[0], v(rng.value(1e2))).unwrap();
    writeln!(s, "revise 2020-01-03 extreme=7e-300 note=\"was -0.5\"").unwrap();
    writeln!(s, "revise 2024-06 share.daily-use=0.5").unwrap();
    writeln!(
        s,
        "revise 2024-01 notes.test=1.5 note=\"revised, \\\"twice\\\"\""
    )
    .unwrap();
    writeln!(s, "revise 2022-Q1 revenue{{region=cn}}=1").unwrap();
    s.push_str(&format!(
        "delete revenue{{channel=app}} 2024-W05
delete {} 2001
delete extreme 2020-01-04
delete revenue{{region=cn}} 2022-Q1
delete notes.test 2024-06
",
        COUNTRIES[3]
    ));
    s
}

/// A sandbox whose store holds the whole data set.
fn original() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.load(&inserts());
    sandbox.write("notes.csv", NOTES_CSV);
    run(&sandbox, ".import notes.csv").clean();
    sandbox.load(&changes());
    sandbox
}

/// Queries whose answers must not depend on how the data got in.
const QUERIES: [&str; 10] = [
    "series *",
    "series users every year",
    "growth users from 2023 to 2024 by line",
    "growth users from 2019-Q4 to 2024-Q4 by line sort share_pct desc",
    "growth revenue from 2023 to 2024 by region",
    "growth share.daily-use from 2023-06 to 2024-06",
    "growth pop* from 2000 to 2024 sort change desc",
    r#"growth pop{continent=Asia,country="Korea, Dem. Rep."} over 10y"#,
    "growth notes.test from 2024-01 to 2024-04",
    "growth extreme from 2023-H1 to 2023-H2",
];

/// The csv answers to [`QUERIES`] (plus `extra`), each checked to succeed.
#[track_caller]
fn answers(sandbox: &Sandbox, extra: &[&str]) -> Vec<String> {
    QUERIES
        .iter()
        .chain(extra)
        .map(|query| {
            let out = sandbox.csv(query);
            out.clean();
            assert!(
                out.stdout.lines().count() > 1,
                "{query} answered no rows:\n{}",
                out.stdout
            );
            out.stdout
        })
        .collect()
}

/// Every series with a revision, in export order.
fn series_names(sandbox: &Sandbox) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for record in exported_records(sandbox, true) {
        if names.last().map(String::as_str) != Some(&record[0]) {
            names.push(record[0].to_string());
        }
    }
    names
}

/// `history SERIES` of every series, in csv.
fn histories(sandbox: &Sandbox, names: &[String]) -> Vec<String> {
    names
        .iter()
        .map(|name| {
            let out = sandbox.csv(&format!("history {name}"));
            out.clean();
            out.stdout
        })
        .collect()
}

// ---------------------------------------------------------------------------
// 1. Round trip

#[test]
fn the_generated_data_set_covers_what_it_should() {
    let sandbox = original();
    run(&sandbox, ".export all.csv").clean();
    let text = read(&sandbox, "all.csv");
    for expected in [
        // Canonical labels, quoted as CSV.
        r#""pop{continent=Asia,country=""Korea, Dem. Rep.""}""#,
        r#""pop{continent=""North America"",country=""Quote \""Q\"" \\ Land""}""#,
        // Every period form, canonical.
        ",2015,",
        ",2019-Q1,",
        ",2024-06,",
        ",2024-W02,",
        ",2020-W53,",
        ",2024-03-07,",
        ",2023-H1,",
        ",2020-H1,",
        ",2019,",
        ",2021-01-05..2021-02-17,",
        ",2022-01-01..2022-02-28,",
        ",2021-01-04..2021-01-24,",
        // Ratio values are fractions; a revision's note.
        "share.daily-use,2024-06,0.5,",
        "restated, see",
        "\"multi\nline\nsource\"",
        "crlf",
    ] {
        assert!(text.contains(expected), "{expected:?} in\n{text}");
    }
    // Deleted snapshots are not current.
    assert!(!text.contains("notes.test,2024-06,"), "{text}");
    assert!(!text.contains("revenue{channel=app},2024-W05,"), "{text}");
}

/// Exports the data set as `source`, imports that into an empty store,
/// and checks that the copy exports every format byte for byte as the
/// original does and answers every query the same.
fn round_trip(source: &str) {
    let original = original();
    for format in FORMATS {
        run(&original, &format!(".export original.{format}")).clean();
    }
    let expected_answers = answers(&original, &[]);
    let exports: Vec<String> = FORMATS
        .iter()
        .map(|f| read(&original, &format!("original.{f}")))
        .collect();
    let snapshots = exported_records(&original, false).len();
    assert!(snapshots > 200, "the data set is not trivial");

    let copy = Sandbox::new();
    copy.load(METRICS);
    let file = original.path(&format!("original.{source}"));
    let out = run_loud(&copy, &format!(".import \"{}\"", file.display()));
    out.ok();
    assert!(
        out.stderr.ends_with(&format!(
            "original.{source}: {snapshots} records, inserted {snapshots}, unchanged 0\n"
        )),
        "{}",
        out.stderr
    );
    for (format, expected) in FORMATS.iter().zip(&exports) {
        run(&copy, &format!(".export copy.{format}")).clean();
        let actual = read(&copy, &format!("copy.{format}"));
        assert!(
            actual == *expected,
            "import {source}, export {format} differs:\n{}",
            first_difference(expected, &actual)
        );
    }
    assert_eq!(answers(&copy, &[]), expected_answers, "import {source}");
}

/// The first line where two texts differ, for a readable failure.
fn first_difference(expected: &str, actual: &str) -> String {
    let (mut e, mut a) = (expected.lines(), actual.lines());
    for number in 1.. {
        match (e.next(), a.next()) {
            (None, None) => return "the texts differ only in line ends".to_string(),
            (x, y) if x != y => {
                return format!("line {number}:\n  expected {x:?}\n  actual   {y:?}");
            }
            _ => {}
        }
    }
    unreachable!()
}

#[test]
fn a_csv_export_imported_into_an_empty_store_gives_the_same_state() {
    round_trip("csv");
}

#[test]
fn a_tsv_export_imported_into_an_empty_store_gives_the_same_state() {
    round_trip("tsv");
}

#[test]
fn a_jsonl_export_imported_into_an_empty_store_gives_the_same_state() {
    round_trip("jsonl");
}

/// splitmix64: 64 random bits from a fixed seed.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The extremes, then doubles with random bits (any exponent, subnormals
/// included), each stored under its own day and read back through a
/// `format` export and import: every bit must survive.
fn exact_values(format: &str) {
    let mut values = EXTREMES.to_vec();
    let mut seed = 42;
    while values.len() < 400 {
        let value = f64::from_bits(splitmix(&mut seed));
        if value.is_finite() && value != 0.0 {
            values.push(value);
        }
    }
    let day = |i: usize| {
        jiff::civil::date(2000, 1, 1)
            .checked_add(jiff::Span::new().days(i as i64))
            .unwrap()
    };
    let mut script = String::new();
    for (i, value) in values.iter().enumerate() {
        writeln!(script, "insert {} x={}", day(i), v(*value)).unwrap();
    }
    let original = Sandbox::new();
    original.load(&script);
    run(&original, &format!(".export x.{format}")).clean();
    let copy = Sandbox::new();
    let file = original.path(&format!("x.{format}"));
    run(&copy, &format!(".import \"{}\"", file.display())).clean();
    let out = copy.csv("series x");
    out.clean();
    let rows = out.rows();
    assert_eq!(rows.len(), values.len());
    let wrong: Vec<String> = rows
        .iter()
        .zip(&values)
        .filter(|(row, value)| {
            let got: f64 = crate::common::cell(row, "value").parse().unwrap();
            got.to_bits() != value.to_bits()
        })
        .map(|(row, value)| {
            format!(
                "{value:?} came back as {}",
                crate::common::cell(row, "value")
            )
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "{} of {} values changed through {format}:\n{}",
        wrong.len(),
        values.len(),
        wrong[..wrong.len().min(5)].join("\n")
    );
}

#[test]
fn every_double_survives_csv_exactly() {
    exact_values("csv");
}

#[test]
fn every_double_survives_tsv_exactly() {
    exact_values("tsv");
}

#[test]
fn every_double_survives_jsonl_exactly() {
    exact_values("jsonl");
}

// ---------------------------------------------------------------------------
// 2. History

/// Exports the data set's history as `source`, imports it into an empty
/// store: `history` of every series, `asof` answers and the history
/// exports in every format are the original's; importing again is a no-op.
fn history_round_trip(source: &str) {
    let original = original();
    let names = series_names(&original);
    let expected_histories = histories(&original, &names);
    // A time between the inserts and the revisions: when the first
    // revision of users for 2024 was recorded.
    let records = exported_records(&original, true);
    let first = records
        .iter()
        .find(|r| (&r[0], &r[1], &r[2]) == ("users", "2024", "1"))
        .expect("users 2024 revision 1");
    let inserted_at = first[5].to_string();
    let asof = [
        format!("series users asof {inserted_at}"),
        format!("growth users from 2023 to 2024 by line asof {inserted_at}"),
    ];
    let asof: Vec<&str> = asof.iter().map(String::as_str).collect();
    let expected_answers = answers(&original, &asof);
    // The revisions show: the asof answers are not the current ones.
    assert_ne!(expected_answers[QUERIES.len()], expected_answers[1]);
    assert_ne!(expected_answers[QUERIES.len() + 1], expected_answers[2]);
    let mut exports = Vec::new();
    for format in FORMATS {
        run(&original, &format!(".export history.{format} --history")).clean();
        exports.push(read(&original, &format!("history.{format}")));
    }
    let revisions = records.len();
    for status in [",current,", ",superseded,", ",deleted,"] {
        assert!(exports[0].contains(status), "{status}");
    }

    let copy = Sandbox::new();
    copy.load(METRICS);
    let file = original.path(&format!("history.{source}"));
    let import = format!(".import \"{}\"", file.display());
    let out = run_loud(&copy, &import);
    out.ok();
    assert!(
        out.stderr.ends_with(&format!(
            "history.{source}: {revisions} records, inserted {revisions}, unchanged 0\n"
        )),
        "{}",
        out.stderr
    );
    assert_eq!(series_names(&copy), names);
    for (name, (expected, actual)) in names
        .iter()
        .zip(expected_histories.iter().zip(histories(&copy, &names)))
    {
        assert!(
            actual == *expected,
            "history {name}:\n{}",
            first_difference(expected, &actual)
        );
    }
    assert_eq!(answers(&copy, &asof), expected_answers);
    for (format, expected) in FORMATS.iter().zip(&exports) {
        run(&copy, &format!(".export copy.{format} --history")).clean();
        let actual = read(&copy, &format!("copy.{format}"));
        assert!(
            actual == *expected,
            "import {source}, export {format} --history:\n{}",
            first_difference(expected, &actual)
        );
    }

    // Again: nothing changes, and the summary says so.
    let before = state(&copy);
    let out = run_loud(&copy, &import);
    out.ok();
    assert_eq!(
        out.stderr,
        format!(
            "{}: {revisions} records, inserted 0, unchanged {revisions}\n",
            file.display()
        )
    );
    assert_eq!(state(&copy), before, "a second import changed the store");
}

#[test]
fn a_csv_history_export_replays_history_exactly_and_again_is_a_no_op() {
    history_round_trip("csv");
}

#[test]
fn a_tsv_history_export_replays_history_exactly_and_again_is_a_no_op() {
    history_round_trip("tsv");
}

#[test]
fn a_jsonl_history_export_replays_history_exactly_and_again_is_a_no_op() {
    history_round_trip("jsonl");
}

#[test]
fn a_history_import_that_contradicts_the_store_fails_and_changes_nothing() {
    let sandbox = Sandbox::new();
    sandbox.load("insert 2024 a=1\nrevise 2024 a=2\ninsert 2024 b=1");
    run(&sandbox, ".export h.csv --history").clean();
    let export = read(&sandbox, "h.csv");
    let recorded = export
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .nth(5)
        .unwrap()
        .to_string();
    let before = state(&sandbox);
    // (file, line, what the message says)
    let cases = [
        (
            // Same revision, another value.
            format!(
                "series,period,revision,value,status,recorded_at,source,note\nc,2024,1,1,current,{recorded},,\na,2024,1,5,superseded,{recorded},,\n"
            ),
            3,
            "revision 1 of a for 2024 is already recorded differently",
        ),
        (
            // A gap in the revisions.
            format!(
                "series,period,revision,value,status,recorded_at,source,note\nc,2024,1,1,current,{recorded},,\nb,2024,3,5,current,{recorded},,\n"
            ),
            3,
            "revision 3 of b for 2024 cannot follow revision 1",
        ),
        (
            format!(
                "series,period,revision,value,status,recorded_at,source,note\nc,2024,0,1,current,{recorded},,\n"
            ),
            2,
            "invalid revision \"0\"",
        ),
        (
            format!(
                "series,period,revision,value,status,recorded_at,source,note\nc,2024,1,1,current,{recorded},,\nd,2024,1,1,gone,{recorded},,\n"
            ),
            3,
            "invalid status \"gone\"",
        ),
        (
            "series,period,revision,value,status,recorded_at,source,note\nc,2024,1,1,current,yesterday,,\n".to_string(),
            2,
            "invalid recorded_at \"yesterday\"",
        ),
        (
            format!(
                "series,period,revision,value,status,recorded_at,source,note\nc,2024,1,1,deleted,{recorded},,\n"
            ),
            2,
            "a deleted revision has no value",
        ),
    ];
    for (text, line, message) in cases {
        sandbox.write("bad.csv", &text);
        let out = run(&sandbox, ".import bad.csv");
        let error = out.only_error();
        assert!(
            error.starts_with(&format!("error: bad.csv:{line}: ")) && error.contains(message),
            "{text}\n{error}"
        );
        assert_eq!(state(&sandbox), before, "{text}");
    }
}

// ---------------------------------------------------------------------------
// 3. Re-import and conflicts

/// Imports the data set's own `format` export back into it: nothing
/// changes, and the summary counts every record unchanged.
fn identical_reimport(format: &str) {
    let sandbox = original();
    let snapshots = exported_records(&sandbox, false).len();
    run(&sandbox, &format!(".export again.{format}")).clean();
    let before = state(&sandbox);
    let out = run_loud(&sandbox, &format!(".import again.{format}"));
    assert_eq!(
        out.stderr,
        format!("again.{format}: {snapshots} records, inserted 0, unchanged {snapshots}\n"),
    );
    out.ok();
    assert_eq!(state(&sandbox), before);
}

#[test]
fn an_identical_csv_re_import_is_a_no_op() {
    identical_reimport("csv");
}

#[test]
fn an_identical_tsv_re_import_is_a_no_op() {
    identical_reimport("tsv");
}

#[test]
fn an_identical_jsonl_re_import_is_a_no_op() {
    identical_reimport("jsonl");
}

#[test]
fn a_conflicting_value_fails_like_insert_and_changes_nothing() {
    let sandbox = Sandbox::new();
    sandbox.load("metric share kind=ratio\ninsert 2024 users=100 share=70%\nrevise 2024 users=120");
    // The message insert gives, for each conflict.
    let conflicts = [
        ("users", "2024", "130"),
        ("share", "2024", "0.5"),
        ("share", "2024", "50%"),
    ];
    for (series, period, value) in conflicts {
        let insert = run(&sandbox, &format!("insert {period} {series}={value}"));
        let insert_error = insert
            .only_error()
            .strip_prefix("error: ")
            .unwrap()
            .to_string();
        assert!(insert_error.contains("revise"), "{insert_error}");
        let recorded = if series == "users" { "120" } else { "0.7" };
        assert!(insert_error.contains(recorded), "{insert_error}");
        for format in FORMATS {
            let name = format!("conflict.{format}");
            let text = match format {
                "csv" => format!(
                    "series,period,value\nnew,2024,1\nusers,2024,120\n{series},{period},{value}\nnew,2025,2\n"
                ),
                "tsv" => format!(
                    "series\tperiod\tvalue\nnew\t2024\t1\nusers\t2024\t120\n{series}\t{period}\t{value}\nnew\t2025\t2\n"
                ),
                _ => format!(
                    "{{\"series\":\"new\",\"period\":\"2024\",\"value\":1}}\n{{\"series\":\"users\",\"period\":\"2024\",\"value\":120}}\n{{\"series\":\"{series}\",\"period\":\"{period}\",\"value\":\"{value}\"}}\n{{\"series\":\"new\",\"period\":\"2025\",\"value\":2}}\n"
                ),
            };
            sandbox.write(&name, &text);
            let line = if format == "jsonl" { 3 } else { 4 };
            let before = state(&sandbox);
            let out = run(&sandbox, &format!(".import {name}"));
            assert_eq!(
                out.only_error(),
                format!("error: {name}:{line}: {insert_error}"),
                "{format}"
            );
            assert_eq!(state(&sandbox), before, "{format}");
        }
    }
    // A conflict inside the file itself.
    sandbox.write(
        "twice.csv",
        "series,period,value\nfresh,2024,1\nfresh,2024,2\n",
    );
    let before = state(&sandbox);
    let error = run(&sandbox, ".import twice.csv").only_error().to_string();
    assert!(
        error.starts_with("error: twice.csv:3: ") && error.contains("revise"),
        "{error}"
    );
    assert_eq!(state(&sandbox), before);
    // The same row twice is fine: the second is unchanged.
    sandbox.write(
        "same.csv",
        "series,period,value\nfresh,2024,1\nfresh,2024,1_000e-3\n",
    );
    let out = run_loud(&sandbox, ".import same.csv");
    out.ok();
    assert!(
        out.stderr
            .ends_with("same.csv: 2 records, inserted 1, unchanged 1\n"),
        "{}",
        out.stderr
    );
}

// ---------------------------------------------------------------------------
// 4. Bad rows

/// A store with some data, and the state it must keep.
fn store_for_bad_rows() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.load("insert 2020 a=1 source=\"x\"\nrevise 2020 a=2\ninsert 2020-Q1 b{k=v}=3");
    sandbox
}

/// Checks that importing `bytes` as `name` fails at `line` with `message`
/// and changes nothing.
#[track_caller]
fn check_bad_file(sandbox: &Sandbox, name: &str, bytes: &[u8], line: u64, message: &str) {
    check_bad_import(sandbox, name, "", bytes, line, message);
}

/// [`check_bad_file`], with `flags` after the file name.
#[track_caller]
fn check_bad_import(
    sandbox: &Sandbox,
    name: &str,
    flags: &str,
    bytes: &[u8],
    line: u64,
    message: &str,
) {
    std::fs::write(sandbox.path(name), bytes).unwrap();
    let before = state(sandbox);
    let out = run(sandbox, &format!(".import {name} {flags}"));
    assert_eq!(
        out.code,
        1,
        "{name}: {}\n{out:#?}",
        String::from_utf8_lossy(bytes)
    );
    let error = out.only_error();
    let prefix = format!("error: {name}:{line}: ");
    assert!(
        error.starts_with(&prefix) && error.contains(message),
        "{name}: expected {prefix}...{message}...\n  got {error}\nfile:\n{}",
        String::from_utf8_lossy(bytes)
    );
    assert_eq!(state(sandbox), before, "{name} changed the store");
}

const CSV_HEAD: &str = "series,period,value,source,note\n";
/// Valid rows around a bad one: new series, new periods, an unchanged one.
const CSV_GOOD: &str =
    "c,2021,1,,\na,2020,2,,\n\"c{k=\"\"x, y\"\"}\",2021-Q1,3,\"s, t\",\"n\"\"o\"\n";

#[test]
fn a_bad_row_anywhere_fails_the_whole_import_naming_its_line() {
    let sandbox = store_for_bad_rows();
    // (what is bad, the bad row, what the message says)
    let rows: [(&str, &[u8], &str); 16] = [
        (
            "a day that does not exist",
            b"c,2024-02-30,1,,",
            "invalid period \"2024-02-30\"",
        ),
        (
            "a week that does not exist",
            b"c,2023-W53,1,,",
            "invalid period \"2023-W53\"",
        ),
        (
            "a quarter that does not exist",
            b"c,2024-Q5,1,,",
            "invalid period \"2024-Q5\"",
        ),
        (
            "an empty range",
            b"c,2024-03..2024-01,1,,",
            "invalid period \"2024-03..2024-01\"",
        ),
        ("no period", b"c,,1,,", "no period given"),
        (
            "a word for a value",
            b"c,2024,abc,,",
            "invalid value \"abc\"",
        ),
        ("a comma in a value", b"c,2024,\"1,000\",,", "1_000"),
        ("NaN", b"c,2024,NaN,,", "invalid value \"NaN\""),
        ("inf", b"c,2024,inf,,", "invalid value \"inf\""),
        ("no value", b"c,2024,,,", "no value given"),
        (
            "an unterminated label set",
            b"c{x,2024,1,,",
            "invalid series \"c{x\"",
        ),
        ("a bad metric name", b"1c,2024,1,,", "invalid series \"1c\""),
        (
            "a bad label key",
            b"c{Key=1},2024,1,,",
            "invalid series \"c{Key=1}\"",
        ),
        (
            "a missing field",
            b"c,2024,1,",
            "4 fields where the header has 5",
        ),
        (
            "an extra field",
            b"c,2024,1,,,",
            "6 fields where the header has 5",
        ),
        ("invalid UTF-8", b"c,2024,1,\xff\xfe,", "UTF-8"),
    ];
    for (what, row, message) in rows {
        // The bad row first, in the middle, and last without a newline.
        let mut first = CSV_HEAD.as_bytes().to_vec();
        first.extend_from_slice(row);
        first.push(b'\n');
        first.extend_from_slice(CSV_GOOD.as_bytes());
        check_bad_file(&sandbox, "first.csv", &first, 2, message);

        let mut middle = CSV_HEAD.as_bytes().to_vec();
        middle.extend_from_slice(CSV_GOOD.as_bytes());
        middle.extend_from_slice(row);
        middle.push(b'\n');
        middle.extend_from_slice(CSV_GOOD.as_bytes());
        check_bad_file(&sandbox, "middle.csv", &middle, 5, message);

        let mut last = CSV_HEAD.as_bytes().to_vec();
        last.extend_from_slice(CSV_GOOD.as_bytes());
        last.extend_from_slice(CSV_GOOD.as_bytes());
        last.extend_from_slice(row);
        check_bad_file(&sandbox, "last.csv", &last, 8, message);

        // The same row as TSV.
        let tsv: Vec<u8> = row
            .iter()
            .map(|&b| if b == b',' { b'\t' } else { b })
            .collect();
        let mut file = CSV_HEAD.replace(',', "\t").into_bytes();
        file.extend_from_slice(b"c\t2021\t1\t\t\n");
        file.extend_from_slice(&tsv);
        file.push(b'\n');
        if what != "a comma in a value" {
            check_bad_file(&sandbox, "bad.tsv", &file, 3, message);
        }
    }
}

#[test]
fn a_bad_line_counts_the_physical_lines_of_quoted_fields_before_it() {
    let sandbox = store_for_bad_rows();
    let text = format!(
        "{CSV_HEAD}c,2021,1,\"two\nlines\",\"and\nthree\nlines\"\nc,2022,2,,\nc,2023,x,,\n"
    );
    check_bad_file(
        &sandbox,
        "quoted.csv",
        text.as_bytes(),
        7,
        "invalid value \"x\"",
    );
}

#[test]
fn an_error_about_a_series_with_a_newline_is_one_line() {
    let sandbox = store_for_bad_rows();
    let text = format!("{CSV_HEAD}c,2021,1,,\n\"c\nd\",2021,1,,\n");
    check_bad_file(&sandbox, "series.csv", text.as_bytes(), 3, "invalid series");
}

#[test]
fn a_bad_header_fails_at_line_1() {
    let sandbox = store_for_bad_rows();
    // (header, what the message says)
    let cases = [
        ("series,period\n", "no \"value\" column"),
        ("series,value\n", "no \"period\" column"),
        ("period,value\n", "no \"series\" column"),
        ("series,period,value,foo\n", "unknown column \"foo\""),
        (
            "series,period,value,period\n",
            "column \"period\" appears twice",
        ),
        ("", "no \"series\" column"),
    ];
    for (header, message) in cases {
        let text = format!("{header}c,2021,1,2\n");
        let text = if header.is_empty() {
            String::new()
        } else {
            text
        };
        check_bad_file(&sandbox, "header.csv", text.as_bytes(), 1, message);
    }
    check_bad_file(
        &sandbox,
        "header.csv",
        b"series,\xffperiod,value\n",
        1,
        "UTF-8",
    );
}

#[test]
fn a_bad_json_line_fails_the_whole_import_naming_its_line() {
    let sandbox = store_for_bad_rows();
    let good = "{\"series\":\"c\",\"period\":\"2021\",\"value\":1}\n{\"value\":\"2\",\"period\":\"2020\",\"series\":\"a\",\"source\":null}\n\n{\"series\":\"c{k=\\\"x, y\\\"}\",\"period\":\"2021-Q1\",\"value\":3,\"source\":\"s, t\",\"note\":\"n\\\"o\"}\n";
    // (bad line, what the message says)
    let lines: [(&[u8], &str); 12] = [
        (b"{\"series\":\"c\",\"period\":\"2024\",", "invalid JSON"),
        (b"series,period,value", "invalid JSON"),
        (b"[\"c\",\"2024\",1]", "expected a JSON object"),
        (
            b"{\"series\":\"c\",\"period\":\"2024\",\"value\":1,\"foo\":2}",
            "unknown key \"foo\"",
        ),
        (
            b"{\"series\":\"c\",\"period\":\"2024\",\"value\":true}",
            "\"value\" must be a string or a number",
        ),
        (
            b"{\"series\":\"c\",\"period\":\"2024\",\"value\":NaN}",
            "invalid JSON",
        ),
        (
            b"{\"series\":\"c\",\"period\":\"2024\",\"value\":\"1,000\"}",
            "1_000",
        ),
        (
            b"{\"series\":\"c\",\"period\":\"2024-13\",\"value\":1}",
            "invalid period \"2024-13\"",
        ),
        (
            b"{\"series\":\"c{\",\"period\":\"2024\",\"value\":1}",
            "invalid series \"c{\"",
        ),
        (b"{\"series\":\"c\",\"value\":1}", "no period given"),
        (b"{\"series\":\"c\",\"period\":\"2024\"}", "no value given"),
        (
            b"{\"series\":\"c\",\"period\":\"2024\",\"value\":\"\xff\"}",
            "UTF-8",
        ),
    ];
    for (line, message) in lines {
        let mut first = line.to_vec();
        first.push(b'\n');
        first.extend_from_slice(good.as_bytes());
        check_bad_file(&sandbox, "first.jsonl", &first, 1, message);
        // After the good lines, one of them blank: physical line 5.
        let mut after = good.as_bytes().to_vec();
        after.extend_from_slice(line);
        after.push(b'\n');
        after.extend_from_slice(good.as_bytes());
        check_bad_file(&sandbox, "after.jsonl", &after, 5, message);
    }
}

#[test]
fn a_bad_row_in_batch_mode_names_the_command_line_and_the_file_line() {
    let sandbox = store_for_bad_rows();
    sandbox.write("bad.csv", &format!("{CSV_HEAD}{CSV_GOOD}c,2024,zz,,\n"));
    let before = state(&sandbox);
    let out = sandbox.run_db(&["-q"], "series a\n.import bad.csv\n");
    assert_eq!(
        out.only_error(),
        "error: line 2: bad.csv:5: invalid value \"zz\": expected a number such as 12M, 1.2e6, 1_200_000 or 70%"
    );
    let out = sandbox.run_db(&["-q", "--format", "jsonl"], ".import bad.csv\n");
    assert_eq!(out.code, 1);
    let error: serde_json::Value = serde_json::from_str(out.stderr.trim()).unwrap();
    assert_eq!(error["line"], 1);
    assert!(
        error["error"]
            .as_str()
            .unwrap()
            .starts_with("bad.csv:5: invalid value")
    );
    assert_eq!(state(&sandbox), before);
}

#[test]
fn importing_what_cannot_be_read_is_a_clear_error() {
    let sandbox = store_for_bad_rows();
    let before = state(&sandbox);
    std::fs::create_dir(sandbox.path("folder.csv")).unwrap();
    // (command, what the message says)
    let cases = [
        (".import missing.csv", "cannot read missing.csv"),
        (".import folder.csv", "folder.csv"),
        (".import data.txt", "name the file .csv, .tsv or .jsonl"),
        (".import", "usage: .import FILE [--wide]"),
        (".import a.csv b.csv", "usage: .import FILE [--wide]"),
    ];
    for (command, message) in cases {
        let out = run(&sandbox, command);
        let error = out.only_error();
        assert!(error.contains(message), "{command}: {error}");
    }
    sandbox.write("x.csv", "series,period,value\nc,2021,1\n");
    let out = sandbox.run_db(&["--readonly", "-c", ".import x.csv"], "");
    assert!(out.only_error().contains("read-only"), "{out:#?}");
    assert_eq!(state(&sandbox), before);
}

#[test]
fn a_bad_row_after_blank_lines_names_its_physical_line() {
    let sandbox = store_for_bad_rows();
    let cases: [(&str, u64); 3] = [
        ("series,period,value\n\nc,2021,1\n\n\nc,2022,x\n", 6),
        ("series,period,value\nc,2021,1\n\nc,2022,x\n", 4),
        (
            "series,period,value,note\nc,2021,1,\"x\n\ny\"\n\nc,2022,x,\n",
            6,
        ),
    ];
    for (text, line) in cases {
        check_bad_file(
            &sandbox,
            "blank.csv",
            text.as_bytes(),
            line,
            "invalid value \"x\"",
        );
    }
}

#[test]
fn a_bad_row_in_a_crlf_file_names_its_line() {
    let sandbox = store_for_bad_rows();
    let cases: [(&str, u64); 3] = [
        ("series,period,value\r\nc,2021,1\r\nc,2022,x\r\n", 3),
        (
            "series,period,value\r\nc,2021,1\r\nc,2021,1\r\nc,2021,1\r\nc,2022,x\r\n",
            5,
        ),
        ("series\tperiod\tvalue\r\nc\t2021\t1\r\nc\t2022\tx\r\n", 3),
    ];
    for (text, line) in cases {
        let name = if text.contains('\t') {
            "crlf.tsv"
        } else {
            "crlf.csv"
        };
        check_bad_file(&sandbox, name, text.as_bytes(), line, "invalid value \"x\"");
    }
}

#[test]
fn a_crlf_file_with_a_byte_order_mark_imports() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "excel.csv",
        "\u{feff}Series,Period,Value,Note\r\nusers,2024,1,\"a\r\nb\"\r\nusers,2023-q4,2,\r\n",
    );
    run(&sandbox, ".import excel.csv").clean();
    run(&sandbox, ".export out.csv").clean();
    assert_eq!(
        read(&sandbox, "out.csv"),
        "series,period,value,source,note\nusers,2023-Q4,2,,\nusers,2024,1,,\"a\r\nb\"\n"
    );
}

// ---------------------------------------------------------------------------
// 5. Wide files

#[test]
fn a_wide_file_puts_each_cell_under_its_series_and_skips_empty_cells() {
    // (file, its text)
    let cases = [
        (
            "wide.csv",
            "period,users,\"pop{country=\"\"Korea, Dem. Rep.\"\",continent=Asia}\",share,users{line=payment}\n\
             2023,1,,0.5,\n\
             2024,2,3,,1.5\n\
             2024-q1,,,70%,\n\
             2024-W05,,,,\n",
        ),
        (
            "wide.tsv",
            "PERIOD\tusers\tpop{country=\"Korea, Dem. Rep.\",continent=Asia}\tshare\tusers{line=payment}\n\
             2023\t1\t\t0.5\t\n\
             2024\t2\t3\t\t1.5\n\
             2024Q1\t\t\t70%\t\n\
             2024-W05\t\t\t\t\n",
        ),
    ];
    for (name, text) in cases {
        let sandbox = Sandbox::new();
        sandbox.load("metric share kind=ratio");
        sandbox.write(name, text);
        let out = run_loud(&sandbox, &format!(".import {name} --wide"));
        out.ok();
        assert!(
            out.stderr
                .ends_with(&format!("{name}: 4 records, inserted 6, unchanged 0\n")),
            "{}",
            out.stderr
        );
        run(&sandbox, ".export out.csv").clean();
        assert_eq!(
            read(&sandbox, "out.csv"),
            "series,period,value,source,note\n\
             \"pop{continent=Asia,country=\"\"Korea, Dem. Rep.\"\"}\",2024,3,,\n\
             share,2023,0.5,,\n\
             share,2024-Q1,0.7,,\n\
             users,2023,1,,\n\
             users,2024,2,,\n\
             users{line=payment},2024,1.5,,\n",
            "{name}"
        );
        // Again, with the flag first: unchanged.
        let out = run_loud(&sandbox, &format!(".import --WIDE {name}"));
        out.ok();
        assert!(
            out.stderr.ends_with("inserted 0, unchanged 6\n"),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn a_bad_wide_file_fails_whole_naming_its_line() {
    let sandbox = store_for_bad_rows();
    // (file, line, what the message says)
    let cases = [
        (
            "period,c,a\n2021,1,\n2020,,5\n",
            3,
            "a already has 2 for 2020",
        ),
        ("period,c\n2021,1\n2022,x\n", 3, "invalid value \"x\""),
        (
            "period,c\n2021,1\n2022,1,2\n",
            3,
            "3 fields where the header has 2",
        ),
        (
            "period,c\n2021,1\n2022-13,1\n",
            3,
            "invalid period \"2022-13\"",
        ),
        ("period,c\n2021,1\n,1\n", 3, "no period given"),
        ("series,period,value\nc,2021,1\n", 1, "period,SERIES,SERIES"),
        ("period\n2021\n", 1, "period,SERIES,SERIES"),
        ("", 1, "period,SERIES,SERIES"),
    ];
    for (text, line, message) in cases {
        check_bad_import(
            &sandbox,
            "wide.csv",
            "--wide",
            text.as_bytes(),
            line,
            message,
        );
    }
    // A JSON Lines file has no header to spread series over.
    sandbox.write(
        "wide.jsonl",
        "{\"series\":\"c\",\"period\":\"2021\",\"value\":1}\n",
    );
    let before = state(&sandbox);
    let error = run(&sandbox, ".import wide.jsonl --wide")
        .only_error()
        .to_string();
    assert!(error.contains("--wide") && error.contains("CSV"), "{error}");
    assert_eq!(state(&sandbox), before);
}

#[test]
fn a_bad_series_in_a_wide_header_fails_at_line_1() {
    let sandbox = store_for_bad_rows();
    for text in [
        "period,c,d{\n2021,1,2\n",
        "period,c,d{\n2021,1,\n",
        "period,c,d{\n",
    ] {
        check_bad_import(
            &sandbox,
            "wide.csv",
            "--wide",
            text.as_bytes(),
            1,
            "invalid series \"d{\"",
        );
    }
}

// ---------------------------------------------------------------------------
// 6. Export with a selector; export errors

/// The series column of an export, in order.
fn exported_series(text: &str, format: &str) -> Vec<String> {
    if format == "jsonl" {
        return text
            .lines()
            .map(|line| {
                let object: serde_json::Value = serde_json::from_str(line).unwrap();
                object["series"].as_str().unwrap().to_string()
            })
            .collect();
    }
    let delimiter = if format == "tsv" { b'\t' } else { b',' };
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect()
}

#[test]
fn export_writes_the_series_a_selector_selects() {
    let sandbox = Sandbox::new();
    sandbox.load(
        r#"insert 2024 users=10 users{line=payment}=4 users{line=non-payment}=6 users.active=5 users.active{line=payment}=2
insert 2024 pop{country="Korea, Dem. Rep.",continent=Asia}=25 pop{country=China,continent=Asia}=1400 pop{continent=Europe,country=France}=68
insert 2023 users=8
"#,
    );
    // (selector, series exported, in order)
    let cases: [(&str, &[&str]); 8] = [
        ("users", &["users", "users"]),
        ("users{line=payment}", &["users{line=payment}"]),
        (
            r#"pop{continent=Asia,country="Korea, Dem. Rep."}"#,
            &[r#"pop{continent=Asia,country="Korea, Dem. Rep."}"#],
        ),
        (
            r#"pop{country="Korea, Dem. Rep.",continent=Asia}"#,
            &[r#"pop{continent=Asia,country="Korea, Dem. Rep."}"#],
        ),
        (
            "users*",
            &[
                "users",
                "users",
                "users{line=non-payment}",
                "users{line=payment}",
                "users.active",
                "users.active{line=payment}",
            ],
        ),
        (
            "*{line=payment}",
            &["users{line=payment}", "users.active{line=payment}"],
        ),
        (
            "pop*{continent=Asia}",
            &[
                "pop{continent=Asia,country=China}",
                r#"pop{continent=Asia,country="Korea, Dem. Rep."}"#,
            ],
        ),
        (
            "*{continent=Europe,country=France}",
            &["pop{continent=Europe,country=France}"],
        ),
    ];
    for (selector, expected) in cases {
        for format in FORMATS {
            let name = format!("sel.{format}");
            run(&sandbox, &format!(".export {name} {selector}")).clean();
            let got = exported_series(&read(&sandbox, &name), format);
            assert_eq!(got, *expected, "{selector} as {format}");
        }
    }
    // A selector with history.
    run(&sandbox, ".export h.csv users{line=payment} --history").clean();
    let text = read(&sandbox, "h.csv");
    assert!(text.starts_with("series,period,revision,value,status,recorded_at,source,note\nusers{line=payment},2024,1,4,current,"), "{text}");
    assert_eq!(text.lines().count(), 2, "{text}");
}

#[test]
fn export_errors_are_clear_and_leave_no_file() {
    let sandbox = Sandbox::new();
    sandbox.load("insert 2024 users=10");
    std::fs::create_dir(sandbox.path("folder.csv")).unwrap();
    // A device is not a file to export to, even through a link: refused
    // before anything is written.
    std::os::unix::fs::symlink("/dev/full", sandbox.path("full.csv")).unwrap();
    // (command, file that must not exist afterwards, what the message says)
    let cases = [
        (
            ".export out.txt",
            "out.txt",
            "name the file .csv, .tsv or .jsonl",
        ),
        (".export out", "out", "name the file .csv, .tsv or .jsonl"),
        (
            ".export out.xlsx users",
            "out.xlsx",
            "name the file .csv, .tsv or .jsonl",
        ),
        (
            ".export nodir/out.csv",
            "nodir/out.csv",
            "cannot write nodir/out.csv",
        ),
        (
            ".export full.csv",
            "",
            "cannot write full.csv: it is not a regular file",
        ),
        (".export none.csv nosuch", "none.csv", "nosuch"),
        (".export bad.csv users{", "bad.csv", "invalid selector"),
        (".export", "", "usage: .export FILE [SELECTOR] [--history]"),
        (
            ".export a.csv users extra",
            "a.csv",
            "usage: .export FILE [SELECTOR] [--history]",
        ),
    ];
    for (command, file, message) in cases {
        let out = run(&sandbox, command);
        let error = out.only_error();
        assert!(error.contains(message), "{command}: {error}");
        if !file.is_empty() {
            assert!(
                std::fs::symlink_metadata(sandbox.path(file)).is_err(),
                "{command} left {file}"
            );
        }
    }
    let out = run(&sandbox, ".export folder.csv");
    assert!(out.only_error().contains("folder.csv"), "{out:#?}");
    assert!(sandbox.path("folder.csv").is_dir());
}

#[test]
fn a_failed_export_keeps_the_file_already_there() {
    let sandbox = Sandbox::new();
    sandbox.load("insert 2024 users=10");
    let kept = sandbox.write("kept.csv", "my own work\n");
    let out = run(&sandbox, ".export kept.csv nosuch");
    assert!(out.only_error().contains("nosuch"));
    assert_eq!(
        std::fs::read_to_string(kept).ok().as_deref(),
        Some("my own work\n")
    );
}

#[test]
fn export_works_on_a_read_only_store_and_into_a_path_with_spaces() {
    let sandbox = Sandbox::new();
    sandbox.load("insert 2024 users=10 source=\"a, b\"");
    let out = sandbox.run_db(
        &["--readonly", "-q", "-c", ".export \"my export.jsonl\""],
        "",
    );
    out.clean();
    assert_eq!(
        read(&sandbox, "my export.jsonl"),
        "{\"series\":\"users\",\"period\":\"2024\",\"value\":10,\"source\":\"a, b\",\"note\":null}\n"
    );
    let copy = Sandbox::new();
    std::fs::copy(
        sandbox.path("my export.jsonl"),
        copy.path("my import.JSONL"),
    )
    .unwrap();
    run(&copy, ".import \"my import.JSONL\"").clean();
    let out = copy.csv("history users");
    out.clean();
    assert_eq!(crate::common::cell(&out.rows()[0], "source"), "a, b");
}

// ---------------------------------------------------------------------------
// 7. Streaming memory

/// Rows of the streaming tests. 300,000 rows take about 6 s to import,
/// 2 s to export and 12 s to insert from stdin in a debug build.
const STREAM_ROWS: usize = 300_000;

/// The peak resident memory a run may reach, in kB.
const MEMORY_LIMIT_KB: u64 = 64 * 1024;

/// The binary, run in the sandbox the way `common` runs it.
fn process(sandbox: &Sandbox, args: &[&str]) -> Command {
    let mut cmd = sandbox.growthdb();
    cmd.arg("--db").arg(sandbox.db()).args(args);
    cmd
}

/// Runs `cmd` (feeding its stdin from `feed`, if any) and polls its
/// `VmHWM` every few ms until it exits. Returns the peak in kB and what it
/// wrote on stderr; the run must succeed.
fn peak_memory(
    sandbox: &Sandbox,
    mut cmd: Command,
    feed: Option<Box<dyn FnOnce(std::process::ChildStdin) + Send>>,
) -> (u64, String) {
    let stderr_path = sandbox.path("stderr.txt");
    let stderr = std::fs::File::create(&stderr_path).unwrap();
    cmd.stdout(Stdio::null())
        .stderr(stderr)
        .stdin(if feed.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    let started = Instant::now();
    let mut child = cmd.spawn().expect("start growthdb");
    let writer = feed.map(|feed| {
        let stdin = child.stdin.take().unwrap();
        std::thread::spawn(move || feed(stdin))
    });
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    let status = loop {
        if let Ok(text) = std::fs::read_to_string(&status_path) {
            let hwm = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok());
            if let Some(kb) = hwm {
                peak = u64::max(peak, kb);
            }
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(300) {
            child.kill().unwrap();
            panic!("growthdb ran for more than 300 s");
        }
        std::thread::sleep(Duration::from_millis(3));
    };
    if let Some(writer) = writer {
        writer.join().unwrap();
    }
    let stderr = std::fs::read_to_string(&stderr_path).unwrap();
    assert!(status.success(), "{status}: {stderr}");
    assert!(peak > 0, "no VmHWM read from {status_path}");
    (peak, stderr)
}

/// The generated stream: 100 series over 3,000 consecutive days.
struct Stream {
    days: Vec<String>,
    series: Vec<String>,
}

impl Stream {
    fn new() -> Stream {
        let start = jiff::civil::date(2000, 1, 1);
        let days = (0..STREAM_ROWS.div_ceil(100) as i64)
            .map(|d| {
                start
                    .checked_add(jiff::Span::new().days(d))
                    .unwrap()
                    .to_string()
            })
            .collect();
        let series = (0..100)
            .map(|s| format!("stream.m{}{{seg=s{s}}}", s % 5))
            .collect();
        Stream { days, series }
    }

    /// Row `i`: (series, period, value).
    fn row(&self, i: usize) -> (&str, &str, f64) {
        (
            &self.series[i % 100],
            &self.days[i / 100],
            (i as f64) * 1.5 + 0.25,
        )
    }
}

#[test]
fn a_large_import_and_export_stream_in_bounded_memory() {
    let sandbox = Sandbox::new();
    {
        let file = std::fs::File::create(sandbox.path("big.csv")).unwrap();
        let mut out = std::io::BufWriter::new(file);
        writeln!(out, "series,period,value,source,note").unwrap();
        let stream = Stream::new();
        for i in 0..STREAM_ROWS {
            let (series, period, value) = stream.row(i);
            writeln!(
                out,
                "{series},{period},{value},generated,\"row {i}, of many\""
            )
            .unwrap();
        }
        out.flush().unwrap();
    }
    let (peak, stderr) = peak_memory(
        &sandbox,
        process(&sandbox, &["-c", ".import big.csv"]),
        None,
    );
    assert!(
        stderr.ends_with(&format!(
            "big.csv: {STREAM_ROWS} records, inserted {STREAM_ROWS}, unchanged 0\n"
        )),
        "{stderr}"
    );
    eprintln!("import: {STREAM_ROWS} rows, peak {peak} kB");
    assert!(peak < MEMORY_LIMIT_KB, "import peaked at {peak} kB");

    let (peak, stderr) = peak_memory(
        &sandbox,
        process(&sandbox, &["-c", ".export out.csv"]),
        None,
    );
    assert_eq!(
        stderr,
        format!("exported {STREAM_ROWS} snapshots to out.csv\n")
    );
    eprintln!("export: {STREAM_ROWS} rows, peak {peak} kB");
    assert!(peak < MEMORY_LIMIT_KB, "export peaked at {peak} kB");
    let exported = std::fs::File::open(sandbox.path("out.csv")).unwrap();
    let lines = std::io::BufRead::lines(std::io::BufReader::new(exported)).count();
    assert_eq!(lines, STREAM_ROWS + 1);
}

#[test]
fn a_large_insert_stream_on_stdin_runs_in_bounded_memory() {
    let sandbox = Sandbox::new();
    let feed = Box::new(|stdin: std::process::ChildStdin| {
        let mut out = std::io::BufWriter::new(stdin);
        let stream = Stream::new();
        for i in 0..STREAM_ROWS {
            let (series, period, value) = stream.row(i);
            // The reader may stop early on an error; the exit status says so.
            if writeln!(out, "insert {period} {series}={value}").is_err() {
                return;
            }
        }
        let _ = out.flush();
    });
    let (peak, stderr) = peak_memory(&sandbox, process(&sandbox, &["-q"]), Some(feed));
    assert_eq!(stderr, "");
    eprintln!("stdin inserts: {STREAM_ROWS} rows, peak {peak} kB");
    assert!(peak < MEMORY_LIMIT_KB, "stdin inserts peaked at {peak} kB");
    let out = sandbox.csv("metrics stream.*");
    out.clean();
    let snapshots: f64 = out
        .rows()
        .iter()
        .map(|row| crate::common::num(row, "snapshots").unwrap())
        .sum();
    assert_eq!(snapshots as usize, STREAM_ROWS);
}

// ---------------------------------------------------------------------------
// Blocks

#[test]
fn an_import_inside_a_block_is_rolled_back_or_committed_with_it() {
    let sandbox = Sandbox::new();
    sandbox.load("insert 2020 a=1");
    sandbox.write("more.csv", "series,period,value\nb,2021,2\nc,2021,3\n");
    let before = state(&sandbox);
    sandbox.load("begin\n.import more.csv\nrollback\n");
    assert_eq!(state(&sandbox), before);
    sandbox.load("begin\n.import more.csv\ncommit\n");
    assert_eq!(exported_records(&sandbox, false).len(), 3);
}
