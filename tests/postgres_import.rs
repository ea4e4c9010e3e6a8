//! `.import` into PostgreSQL copies the file's values straight into the
//! store when they are all new, else into a staging table merged in one
//! statement; these check that the outcome is, to
//! the byte, what SQLite's value-by-value writes give: duplicates within
//! the file, conflicts (the first in the file's order, even when a later
//! line cannot be read), revisions numbered and timed in order, values
//! after a deletion, sources and notes with tabs, newlines and
//! backslashes, wide files and tables, and nothing kept when one fails.
//!
//! These need `GROWTHDB_TEST_POSTGRES`; without it each prints that it
//! was skipped.
use crate::postgres::Pair;

impl Pair {
    /// Writes `name` in both sandboxes.
    fn file(&self, name: &str, text: &str) {
        self.sqlite.write(name, text);
        self.postgres.write(name, text);
    }

    /// Both stores' revisions of every series, and their consistency.
    #[track_caller]
    fn same_contents(&self) {
        self.same(&["--format", "jsonl", "-c", "history *"], "");
        self.same(&["--format", "csv", "-c", "metrics"], "");
        // Each store's own checks (SQLite's include its file's integrity).
        let url = self.database.url.as_str();
        for checked in [
            self.sqlite.run_db(&["--format", "csv", "-c", ".check"], ""),
            self.postgres
                .run(&["--db", url, "--format", "csv", "-c", ".check"], ""),
        ] {
            let fine = checked.stdout.lines().skip(1).all(|l| l.ends_with(",ok,"));
            assert!(fine && checked.code == 0, "{}", checked.stdout);
        }
    }
}

#[test]
fn plain_imports_give_what_writing_each_value_gives() {
    let Some(pair) = Pair::new() else { return };
    pair.file(
        "a.csv",
        "series,period,value,source,note\n\
         users,2024-01,10,,\n\
         users,2024-02,20,crm,\"tab\there, back\\\\slash\"\n\
         users,2024-01,10,,\n\
         users{line=b},2024-W03,0.25,,\"two\nlines\r\n\"\n\
         revenue,2024-Q1,1e9,,\\N\n",
    );
    pair.same(&["-c", ".import a.csv"], "");
    pair.same_contents();
    // Again: every value unchanged, nothing written.
    pair.same(&["-c", ".import a.csv"], "");
    // The first conflict in the file is reported, not the unreadable
    // value after it, and nothing is kept.
    pair.file(
        "conflict.csv",
        "series,period,value\nusers,2024-03,5\nusers,2024-01,11\nusers,2024-04,many\n",
    );
    pair.same(&["-c", ".import conflict.csv"], "");
    pair.same(&["--format", "jsonl", "-c", ".import conflict.csv"], "");
    // An unreadable value before a conflict is reported instead.
    pair.file(
        "unreadable.csv",
        "series,period,value\nusers,2024-03,5\nusers,2024-04,many\nusers,2024-01,11\n",
    );
    pair.same(&["-c", ".import unreadable.csv"], "");
    // Two values for one snapshot within the file conflict.
    pair.file(
        "twice.csv",
        "series,period,value\nsessions,2024-01,1\nsessions,2024-01,2\n",
    );
    pair.same(&["-c", ".import twice.csv"], "");
    pair.same_contents();
    // With --revise each differing value is the next revision, in order.
    pair.file(
        "revise.csv",
        "series,period,value\nusers,2024-01,12\nusers,2024-01,13\nusers,2024-01,13\n\
         users,2024-06,1\nsessions,2024-01,2\nsessions,2024-01,3\n",
    );
    pair.same(&["-c", ".import revise.csv --revise"], "");
    pair.same(&["-c", ".import revise.csv --revise --dry-run"], "");
    // After a deletion a value is new again.
    pair.same(&["-c", "delete users 2024-02"], "");
    pair.same(&["-c", ".import a.csv --source restated"], "");
    pair.same_contents();
    // Revisions recorded one after another are a microsecond apart.
    pair.same(
        &["--format", "csv", "-c", ".sql SELECT series_id, start_day, revision, CASE recorded_at - lag(recorded_at) OVER (PARTITION BY series_id, start_day, end_day ORDER BY revision) WHEN 1 THEN 'just after' ELSE 'later' END AS recorded FROM snapshot ORDER BY 1, 2, 3"],
        "",
    );
}

#[test]
fn wide_files_tables_and_batches_give_the_same() {
    let Some(pair) = Pair::new() else { return };
    pair.file(
        "wide.csv",
        "period,visits,visits{app=b}\n2024-01,1,2\n2024-02,,4\n2024-01,1,3\n",
    );
    pair.same(&["-c", ".import wide.csv --wide"], "");
    pair.same(&["-c", ".import wide.csv --wide --revise"], "");
    pair.file("t.csv", "year,v,source\n2000,1,first\n2001,2,\n");
    pair.same(&["-c", ".import t.csv --period year --values v=v"], "");
    pair.file("u.csv", "year,v\n2000,1\n2001,3\n2002,4\n");
    pair.same(&["-c", ".import u.csv --period year --values v=v"], "");
    pair.same(
        &["-c", ".import u.csv --period year --values v=v --dry-run"],
        "",
    );
    pair.same(
        &[
            "-c",
            ".import u.csv --period year --values v=v --revise --source x",
        ],
        "",
    );
    pair.same_contents();
    // Inside a transaction two imports stage one after the other, and
    // a failed one is undone alone.
    pair.file("c.csv", "series,period,value\nc,2024-01,1\n");
    pair.file(
        "twice.csv",
        "series,period,value\nd,2024-01,1\nd,2024-01,2\n",
    );
    pair.same(
        &["-q"],
        ".begin\n.import c.csv\n.import wide.csv --wide --revise\n.commit\n",
    );
    pair.same(
        &[],
        ".begin\n.import c.csv\n.import twice.csv\n.import u.csv --period year --values v=v --revise\n.commit\n",
    );
    pair.same_contents();
}

#[test]
fn large_imports_join_the_stores_revisions_with_the_same_result() {
    let Some(pair) = Pair::new() else { return };
    // Past the size from which the store's revisions are joined at once
    // rather than looked up value by value.
    let mut file = String::from("series,period,value\n");
    for day in 0..6_000 {
        for series in 0..5 {
            file += &format!("m{{s={series}}},day-{day},{}\n", (day * 7 + series) % 100);
        }
    }
    let dated = |text: &str| {
        let start = jiff::civil::date(2001, 1, 1);
        let mut out = String::new();
        for line in text.lines() {
            match line.split_once("day-") {
                Some((head, rest)) => {
                    let (day, tail) = rest.split_once(',').expect("a value");
                    let date = start + jiff::Span::new().days(day.parse::<i64>().expect("a day"));
                    out += &format!("{head}{date},{tail}\n");
                }
                None => out += &format!("{line}\n"),
            }
        }
        out
    };
    pair.file("big.csv", &dated(&file));
    pair.same(&["-c", ".import big.csv"], "");
    pair.same(&["-c", ".import big.csv"], "");
    // One value changed near the end, and one snapshot twice.
    let changed = file.replace("m{s=4},day-5990,", "m{s=4},day-5990,1") + "m{s=0},day-3,22\n";
    pair.file("changed.csv", &dated(&changed));
    pair.same(&["-c", ".import changed.csv"], "");
    pair.same(&["-c", ".import changed.csv --revise"], "");
    pair.same_contents();
}

/// `series` series over `days` days from 2001-01-01, day by day (each line
/// on another series, as a file sorted by day is), then `tail`.
fn by_day(series: usize, days: usize, tail: &str) -> String {
    let start = jiff::civil::date(2001, 1, 1);
    let mut file = String::from("series,period,value\n");
    for day in 0..days {
        let date = start + jiff::Span::new().days(day as i64);
        for s in 0..series {
            file += &format!("m{{s={s}}},{date},{}\n", (day * 7 + s) % 100);
        }
    }
    file + tail
}

/// Whether `snapshot` has its primary key.
#[track_caller]
fn keyed(pair: &Pair) -> bool {
    let row = pair
        .database
        .connect()
        .query_one(
            "SELECT count(*) FROM pg_constraint
             WHERE conrelid = 'growthdb.snapshot'::regclass AND contype = 'p'",
            &[],
        )
        .expect("read the key");
    row.get::<_, i64>(0) == 1
}

#[test]
fn a_first_import_of_many_runs_gives_the_same_whether_its_key_refuses_a_value_or_not() {
    let Some(pair) = Pair::new() else { return };
    // Past a run of values (2^17) into a store with no snapshot: the runs
    // are copied as they fill, without the key, which is built at the end.
    // A snapshot named twice makes building it fail; the values then go
    // through the merge, which reports the conflict at its line.
    pair.file("twice.csv", &by_day(700, 200, "m{s=3},2001-01-02,8\n"));
    pair.same(&["-c", ".import twice.csv"], "");
    // An unreadable value after it: the conflict before it is reported.
    pair.file(
        "unreadable.csv",
        &by_day(700, 200, "m{s=3},2001-01-02,8\nm{s=3},2001-01-03,x\n"),
    );
    pair.same(&["-c", ".import unreadable.csv"], "");
    // An unreadable value alone.
    pair.file("bad.csv", &by_day(700, 200, "m{s=3},2001-01-03,x\n"));
    pair.same(&["-c", ".import bad.csv"], "");
    assert!(keyed(&pair));
    pair.same(&["--format", "csv", "-c", "metrics"], "");
    // The same value again is unchanged: the merge writes the others.
    pair.file("same.csv", &by_day(700, 200, "m{s=3},2001-01-02,10\n"));
    pair.same(&["-c", ".import same.csv"], "");
    assert!(keyed(&pair));
    // Into a store that holds snapshots: copied with the key in place.
    pair.file("more.csv", &by_day(700, 220, ""));
    pair.same(&["-c", ".import more.csv"], "");
    pair.same_contents();
}

#[test]
fn a_first_import_of_many_runs_is_loaded_with_its_key_while_a_reader_holds_the_table() {
    let Some(pair) = Pair::new() else { return };
    pair.file("all.csv", &by_day(700, 200, ""));
    // The stores, with no snapshot yet.
    pair.same(&["-c", "metrics"], "");
    let mut reader = pair.database.connect();
    reader
        .batch_execute("BEGIN; SELECT count(*) FROM growthdb.snapshot")
        .expect("read the table");
    pair.same(&["-c", ".import all.csv"], "");
    reader.batch_execute("COMMIT").expect("end the read");
    assert!(keyed(&pair));
    // Without the reader, into an empty store: the same contents.
    let alone = Pair::new().expect("a second database");
    alone.file("all.csv", &by_day(700, 200, ""));
    alone.same(&["-c", ".import all.csv"], "");
    assert!(keyed(&alone));
    pair.same_contents();
    alone.same_contents();
}
