//! Completion candidates for a table of partial lines, against a small
//! store built with the language itself.
use super::{Completion, complete};
use crate::core::parser::parse_line;
use crate::exec::{Catalog, Executor};
use crate::store::Store;

const STORE: &str = r#"
metric users kind=stock
metric creators.monthly_active kind=average
metric creators.posts kind=flow
insert 2022 users=800M users{line=payment}=560M users{line="mini programs"}=240M
insert 2023 users=1B users{line=payment}=700M users{line="mini programs"}=300M
insert 2024-05 creators.monthly_active=500k creators.posts{region=cn}=10k
insert 2024-04 creators.monthly_active=400k
"#;

fn catalog() -> Catalog {
    let mut exec = Executor::new(Store::open(":memory:", false).unwrap());
    for line in STORE.lines() {
        for command in parse_line(line) {
            exec.execute(&command.unwrap(), None).unwrap();
        }
    }
    exec.catalog()
}

/// The candidates' displays, or `FILE` for a file name.
fn offered(catalog: &Catalog, line: &str) -> Vec<String> {
    match complete(line, line.len(), catalog) {
        Completion::Words { candidates, .. } => candidates.into_iter().map(|c| c.display).collect(),
        Completion::FileName(_) => vec!["FILE".to_string()],
    }
}

#[test]
fn candidates_fit_the_position() {
    let catalog = catalog();
    let cases: &[(&str, &[&str])] = &[
        // Command names, case-insensitively.
        ("gr", &["growth"]),
        ("M", &["metric", "metrics"]),
        (
            "",
            &[
                "metric", "insert", "revise", "delete", "growth", "series", "chart", "metrics",
                "history", "calendar", "begin", "commit", "rollback", ".help", ".mode", ".output",
                ".read", ".import", ".export", ".asof", ".timer", ".schema", ".sql", ".check",
                ".print", ".quit", ".exit",
            ],
        ),
        // Metric names, patterns and labelled series.
        (
            "growth cr",
            &[
                "creators.*",
                "creators.monthly_active",
                "creators.posts",
                "creators.posts{region=cn}",
            ],
        ),
        (
            "growth us",
            &[
                "users",
                "users{line=\"mini programs\"}",
                "users{line=payment}",
            ],
        ),
        ("history users{line=p", &["payment"]),
        ("growth *", &["*"]),
        (
            "metrics c",
            &[
                "creators.*",
                "creators.monthly_active",
                "creators.posts",
                "creators.posts{region=cn}",
            ],
        ),
        // Label keys and values inside braces, for the metric at hand.
        ("growth users{", &["line="]),
        ("growth users{line=", &["\"mini programs\"", "payment"]),
        ("growth users{line=\"mi", &["\"mini programs\""]),
        ("growth creators.posts{", &["region="]),
        ("growth creators.posts{region=cn,", &[]),
        // Range keywords, then recorded periods of the series at hand.
        ("growth users ", &["from", "over"]),
        (
            "growth users from ",
            &[
                "earliest", "latest", "ytd", "htd", "qtd", "mtd", "wtd", "fytd", "fhtd", "fqtd",
                "2023", "2022",
            ],
        ),
        ("growth users from 2022 ", &["to"]),
        ("growth users from 2022 to 20", &["2023", "2022"]),
        (
            "growth creators.monthly_active from 2024-0",
            &["2024-05", "2024-04"],
        ),
        (
            "growth users{line=payment} from ",
            &[
                "earliest", "latest", "ytd", "htd", "qtd", "mtd", "wtd", "fytd", "fhtd", "fqtd",
                "2023", "2022",
            ],
        ),
        // Spans after over, then clauses not yet used.
        (
            "growth users over ",
            &["1y", "2y", "3y", "5y", "1h", "1q", "1m", "1w"],
        ),
        ("growth users over 3", &["3y", "3h", "3q", "3m", "3w", "3d"]),
        (
            "growth users over 1y ",
            &["to", "every", "by", "sort", "limit", "trailing", "asof"],
        ),
        (
            "growth users over 1y every ",
            &[
                "year",
                "half",
                "quarter",
                "month",
                "week",
                "day",
                "fiscal_year",
                "fiscal_half",
                "fiscal_quarter",
            ],
        ),
        (
            "growth users over 1y every month ",
            &["to", "from", "by", "sort", "limit", "trailing", "asof"],
        ),
        (
            "growth users over 1y trailing 1",
            &["1y", "1h", "1q", "1m", "1w", "1d"],
        ),
        ("growth users over 1y by ", &["line"]),
        (
            "growth users from 2022 to 2023 by line ",
            &["sort", "limit", "trailing", "asof"],
        ),
        ("growth users from 2022 to 2023 sort sh", &["share_pct"]),
        (
            "growth users from 2022 to 2023 sort share_pct ",
            &["asc", "desc", "by", "limit", "trailing", "asof"],
        ),
        // series and chart.
        ("series users ", &["from", "to", "every", "asof"]),
        (
            "series users every ",
            &[
                "year",
                "half",
                "quarter",
                "month",
                "week",
                "day",
                "fiscal_year",
                "fiscal_half",
                "fiscal_quarter",
            ],
        ),
        ("series users from 2022 t", &["to"]),
        (
            "series users every month ",
            &["from", "to", "trailing", "asof"],
        ),
        (
            "series users every month trailing 1",
            &["1y", "1h", "1q", "1m", "1w", "1d"],
        ),
        ("chart users from ", &["2023", "2022"]),
        ("growth users over 1y to y", &["ytd"]),
        (
            "growth users over 1y to F",
            &[
                "fytd",
                "fhtd",
                "fqtd",
                "FY2023",
                "FY2023-H1",
                "FY2023-Q1",
                "FY2022",
                "FY2022-H1",
                "FY2022-Q1",
            ],
        ),
        (
            "history users fy2023",
            &["FY2023", "FY2023-H1", "FY2023-Q1"],
        ),
        ("chart users to c", &["FILE"]),
        // `chart growth` takes growth's clauses, then a file after `to`.
        ("chart growth users ", &["from", "over"]),
        ("chart growth users over 1y e", &["every"]),
        ("chart growth users over 1y every y", &["year"]),
        (
            "chart growth users over 1y every year t",
            &["to", "trailing"],
        ),
        ("chart growth users over 1y every year to c", &["FILE"]),
        ("chart growth users over 1y every year to la", &["latest"]),
        ("chart users to 2", &["2023", "2022"]),
        // metric options and kinds.
        (
            "metric ",
            &[
                "creators.*",
                "creators.monthly_active",
                "creators.posts",
                "users",
            ],
        ),
        ("metric creators.* ", &["kind=", "unit=", "desc="]),
        ("metric users ", &["kind=", "unit=", "desc="]),
        ("calendar ", &["fiscal_year_start=", "fiscal_year_label="]),
        ("calendar fiscal_year_start=4 ", &["fiscal_year_label="]),
        (
            "calendar fiscal_year_label=",
            &["fiscal_year_label=end", "fiscal_year_label=start"],
        ),
        (
            "calendar fiscal_year_start=ju",
            &["fiscal_year_start=june", "fiscal_year_start=july"],
        ),
        (
            "CALENDAR FISCAL_YEAR_START=A",
            &["fiscal_year_start=april", "fiscal_year_start=august"],
        ),
        (
            "metric users kind=",
            &[
                "kind=stock",
                "kind=flow",
                "kind=average",
                "kind=ratio",
                "kind=distinct",
            ],
        ),
        ("metric users kind=r", &["kind=ratio"]),
        ("metric users kind=ratio ", &["unit=", "desc="]),
        // Writes: recorded periods, then series with =, then options.
        ("insert 2024-0", &["2024-05", "2024-04"]),
        (
            "insert 2024 us",
            &[
                "users=",
                "users{line=\"mini programs\"}=",
                "users{line=payment}=",
            ],
        ),
        ("insert 2024 users=5 so", &["source=\""]),
        ("insert 2024 users=", &[]),
        ("delete creators.monthly_active ", &["2024-05", "2024-04"]),
        // Session commands and their arguments.
        (".mo", &[".mode"]),
        (".mode j", &["json", "jsonl"]),
        (".help gr", &["growth"]),
        (".timer ", &["on", "off"]),
        (".read ", &["FILE"]),
        (".import data.csv --w", &["--wide"]),
        (
            ".import data.csv --per",
            &[
                "--period",
                "--period-columns",
                "--period-format",
                "--percent",
            ],
        ),
        (
            ".export out.csv u",
            &[
                "users",
                "users{line=\"mini programs\"}",
                "users{line=payment}",
            ],
        ),
        // The statement after a `;` is completed on its own.
        ("begin; gro", &["growth"]),
        // File names inside a quoted path; nothing inside other strings or comments.
        (".read \"my q", &["FILE"]),
        ("chart users to \"charts/c", &["FILE"]),
        ("insert 2024 users=1 note=\"gr", &[]),
        ("growth users # gr", &[]),
    ];
    for (line, expected) in cases {
        assert_eq!(offered(&catalog, line), *expected, "completing {line:?}");
    }
}

#[test]
fn replacements_finish_words_and_start_where_the_word_starts() {
    let catalog = catalog();
    let Completion::Words { start, candidates } = complete("GROWTH users fr", 15, &catalog) else {
        panic!("words expected");
    };
    assert_eq!(start, 13);
    assert_eq!(candidates[0].replacement, "from ");
    // A metric name waits for labels; a labelled series is finished.
    let Completion::Words { start, candidates } = complete("history users{line=pay", 22, &catalog)
    else {
        panic!("words expected");
    };
    assert_eq!((start, candidates[0].replacement.as_str()), (19, "payment"));
    let Completion::Words { candidates, .. } = complete("growth users", 12, &catalog) else {
        panic!("words expected");
    };
    assert_eq!(candidates[0].replacement, "users");
    assert_eq!(candidates[1].replacement, "users{line=\"mini programs\"} ");
}

#[test]
fn the_cursor_may_stand_inside_the_line() {
    let catalog = catalog();
    // Only the text before the cursor counts.
    let line = "growth us from 2022";
    assert_eq!(
        offered_at(&catalog, line, 9),
        [
            "users",
            "users{line=\"mini programs\"}",
            "users{line=payment}"
        ]
    );
    // A cursor inside a multi-byte character does not panic.
    assert_eq!(
        offered_at(&catalog, "insert 2024 x=1 note=\"é", 24),
        Vec::<String>::new()
    );
}

fn offered_at(catalog: &Catalog, line: &str, pos: usize) -> Vec<String> {
    match complete(line, pos, catalog) {
        Completion::Words { candidates, .. } => candidates.into_iter().map(|c| c.display).collect(),
        Completion::FileName(_) => vec!["FILE".to_string()],
    }
}

#[test]
fn fresh_inserts_are_offered_at_once() {
    let mut exec = Executor::new(Store::open(":memory:", false).unwrap());
    let catalog = exec.catalog();
    assert_eq!(offered(&catalog, "growth re"), Vec::<String>::new());
    for command in parse_line("insert 2024 revenue{region=eu}=5") {
        exec.execute(&command.unwrap(), None).unwrap();
    }
    assert_eq!(
        offered(&catalog, "growth re"),
        ["revenue", "revenue{region=eu}"]
    );
    assert_eq!(
        offered(&catalog, "growth revenue{region=eu} from "),
        [
            "earliest", "latest", "ytd", "htd", "qtd", "mtd", "wtd", "fytd", "fhtd", "fqtd", "2024"
        ]
    );
    // Fiscal periods of the recorded data, in the store's calendar.
    for command in parse_line("calendar fiscal_year_start=7") {
        exec.execute(&command.unwrap(), None).unwrap();
    }
    assert_eq!(
        offered(&catalog, "growth revenue{region=eu} from fy"),
        ["fytd", "FY2024", "FY2024-H2", "FY2024-Q3"]
    );
}

#[test]
fn file_names_are_written_as_the_line_reads_them() {
    use super::{FileSyntax::*, write_file_name};
    let cases = [
        ("data.csv", SessionWord, false, "data.csv"),
        ("dir/data.csv", SessionWord, false, "dir/data.csv"),
        (
            "my queries.growth",
            SessionWord,
            false,
            "\"my queries.growth\"",
        ),
        ("a;b#c.csv", SessionWord, false, "\"a;b#c.csv\""),
        (
            "say \"hi\".csv",
            SessionWord,
            false,
            "\"say \\\"hi\\\".csv\"",
        ),
        ("my dir/", SessionWord, false, "\"my dir/"),
        (
            "my queries.growth",
            SessionWord,
            true,
            "my queries.growth\"",
        ),
        ("back\\slash.csv", SessionWord, true, "back\\\\slash.csv\""),
        ("creators.svg", LanguageWord, false, "creators.svg"),
        (
            "charts/creators.svg",
            LanguageWord,
            false,
            "charts/creators.svg",
        ),
        ("charts/", LanguageWord, false, "charts/"),
        ("my charts/", LanguageWord, false, "\"my charts/"),
    ];
    for (path, syntax, opened, expected) in cases {
        assert_eq!(write_file_name(path, syntax, opened), expected, "{path}");
    }
}

#[test]
fn import_completes_the_columns_of_the_file() {
    let catalog = catalog();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.csv");
    std::fs::write(
        &path,
        "Country Name,code,year,pop,pop share\nA,B,2000,1,2\n",
    )
    .unwrap();
    let file = path.to_string_lossy();
    let cases: [(&str, &[&str]); 5] = [
        (
            "--period ",
            &["\"Country Name\"", "code", "year", "pop", "\"pop share\""],
        ),
        ("--period ye", &["year"]),
        ("--values po", &["pop=", "\"pop share\"="]),
        ("--values year=y,po", &["pop=", "\"pop share\"="]),
        ("--labels \"Country Name\"=country,co", &["code"]),
    ];
    for (rest, expected) in cases {
        let line = format!(".import {file} {rest}");
        assert_eq!(offered(&catalog, &line), *expected, "completing {line:?}");
    }
    let line = format!(".import {file} --labels co");
    let Completion::Words { start, candidates } = complete(&line, line.len(), &catalog) else {
        panic!("words");
    };
    assert_eq!(start, line.len() - 2);
    assert_eq!(candidates[0].replacement, "code");
}

/// Tab on an empty line offers exactly the registered commands: the
/// language's, then the session's, then the session's aliases.
#[test]
fn an_empty_line_offers_exactly_the_registered_commands() {
    use crate::core::parser::LANGUAGE;
    use crate::frontend::session_commands::SESSION;
    let registered: Vec<String> = LANGUAGE
        .iter()
        .map(|c| c.name())
        .chain(SESSION.iter().map(|s| s.topic.name))
        .chain(SESSION.iter().flat_map(|s| s.aliases.iter().copied()))
        .map(String::from)
        .collect();
    assert_eq!(offered(&catalog(), ""), registered);
    // `.help` offers the same names as topics.
    assert_eq!(offered(&catalog(), ".help "), registered);
}
