//! `.import` of tables as they come (long, periods across, every format):
//! the values recorded, the options, and errors that name the place and
//! leave the store's bytes as they were.
use crate::common::{Output, Sandbox};

/// A sandbox holding the project's fixtures under `fixtures/`.
fn sandbox() -> Sandbox {
    let sandbox = Sandbox::new();
    std::fs::create_dir_all(sandbox.path("fixtures")).unwrap();
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
    for entry in std::fs::read_dir(fixtures).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_owned();
        std::fs::copy(&path, sandbox.path("fixtures").join(name)).unwrap();
    }
    sandbox.load("metric seed kind=stock\ninsert 2000 seed=1");
    sandbox
}

/// Runs lines with `--format csv`, notes on stderr.
fn run(sandbox: &Sandbox, script: &str) -> Output {
    sandbox.run_db(&["--format", "csv"], script)
}

/// The store's current snapshots as `series,period,value,source` lines.
fn snapshots(sandbox: &Sandbox) -> Vec<String> {
    sandbox
        .run_db(&["-q", "-c", ".export dump.csv"], "")
        .clean();
    let text = std::fs::read_to_string(sandbox.path("dump.csv")).unwrap();
    std::fs::remove_file(sandbox.path("dump.csv")).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.starts_with("seed,"))
        .map(|l| l.trim_end_matches(',').to_string())
        .collect()
}

/// The store's files, byte for byte.
fn bytes(sandbox: &Sandbox) -> Vec<Vec<u8>> {
    ["store.db", "store.db-wal"]
        .iter()
        .map(|name| std::fs::read(sandbox.path(name)).unwrap_or_default())
        .collect()
}

/// Runs `.import ARGS`, which must fail with exactly `expected` (after
/// `error: `) and leave the store's bytes as they were.
#[track_caller]
fn fails(sandbox: &Sandbox, args: &str, expected: &str) {
    let before = bytes(sandbox);
    let out = sandbox.run_db(&["-q", "-c", &format!(".import {args}")], "");
    assert_eq!(out.only_error(), format!("error: {expected}"), "{args}");
    assert_eq!(bytes(sandbox), before, "{args} changed the store");
}

#[test]
fn a_tidy_table_records_each_value_column_under_its_metric() {
    let s = sandbox();
    let out = run(
        &s,
        ".import fixtures/gapminder.csv --period year --labels continent,country --values pop=pop,lifeExp=life_exp",
    );
    out.ok();
    assert!(out.stderr.contains(
        "fixtures/gapminder.csv: 6 series, 18 snapshots (new 18, unchanged 0, revised 0), periods 1952 to 2007"
    ), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("created metric pop without a kind; set one with: metric pop kind=")
    );
    let all = snapshots(&s);
    assert_eq!(all.len(), 18);
    for line in [
        r#""life_exp{continent=Africa,country=""Cote d'Ivoire""}",1952,40.477"#,
        r#""pop{continent=Asia,country=""Korea, Dem. Rep.""}",2007,23301725"#,
        r#""pop{continent=Asia,country=Afghanistan}",1957,9240934"#,
    ] {
        assert!(all.contains(&line.to_string()), "{line} in {all:#?}");
    }
    // An identical import changes nothing.
    let again = run(
        &s,
        ".import fixtures/gapminder.csv --period year --labels continent,country --values pop=pop,lifeExp=life_exp",
    );
    assert!(
        again.stderr.contains("(new 0, unchanged 18, revised 0)"),
        "{}",
        again.stderr
    );
}

#[test]
fn periods_across_from_csv_and_xlsx_give_the_same_snapshots() {
    let labels = r#"--labels "Country Name"=country,"Country Code"=iso3,"Indicator Name"=indicator,"Indicator Code"=code"#;
    let csv = sandbox();
    run(
        &csv,
        &format!(".import fixtures/wdi_gdp.csv --skip 4 --period-columns --metric gdp {labels}"),
    )
    .ok();
    let xlsx = sandbox();
    run(
        &xlsx,
        &format!(".import fixtures/wdi_gdp.xlsx --period-columns --metric gdp {labels}"),
    )
    .ok();
    let all = snapshots(&csv);
    assert_eq!(all, snapshots(&xlsx));
    assert_eq!(all.len(), 7);
    // NA is Namibia's code, not a missing value; an empty cell is skipped.
    assert!(all.contains(
        &r#""gdp{code=NY.GDP.MKTP.CD,country=Namibia,indicator=""GDP (current US$)"",iso3=NA}",2002,3360126221.86788"#.to_string()
    ), "{all:#?}");
    assert!(
        !all.iter()
            .any(|l| l.contains("Namibia") && l.contains(",2003,"))
    );
}

#[test]
fn headers_with_text_after_the_period_and_missing_markers() {
    let s = sandbox();
    let import = r#".import fixtures/wdi_extract.csv --period-columns --metric population --labels "Country Name=country,Country Code=iso3,Series Name=indicator,Series Code=code""#;
    fails(
        &s,
        &import[8..],
        r#"fixtures/wdi_extract.csv:4: column "2023 [YR2023]": ".." is not a value; if it marks a missing value add --missing .."#,
    );
    run(&s, &format!("{import} --missing ..")).ok();
    let all = snapshots(&s);
    assert_eq!(all.len(), 11);
    assert!(
        all.iter()
            .any(|l| l.contains("country=India") && l.ends_with(",2023,1438069596"))
    );
}

#[test]
fn daily_prices_become_monthly_closes_by_the_metric_kind() {
    let s = sandbox();
    let import = r#".import fixtures/prices.csv --period Date --period-format "%b %d %Y" --grain month --values Close=close,Volume=volume"#;
    fails(
        &s,
        &import[8..],
        "fixtures/prices.csv:3: several cells fall on close for 2000-01, and metric close has no kind to combine them by; set one first with: metric close kind=stock|flow|average|ratio",
    );
    let out = run(
        &s,
        &format!("metric close kind=stock\nmetric volume kind=flow\n{import}"),
    );
    out.ok();
    assert!(
        out.stderr
            .contains("close: first period 2000-01 only partly covered by the file's cells"),
        "{}",
        out.stderr
    );
    assert_eq!(
        snapshots(&s),
        [
            "close,2000-01,3.216518",
            "close,2000-02,4.008929",
            "close,2000-03,4.84375",
            "volume,2000-01,583086000",
            "volume,2000-02,240989200",
            "volume,2000-03,463735200",
        ]
    );
    // The gzipped file is the same table.
    let gz = sandbox();
    run(
        &gz,
        &format!(
            "metric close kind=stock\nmetric volume kind=flow\n{}",
            import.replace("prices.csv", "prices.csv.gz")
        ),
    )
    .ok();
    assert_eq!(snapshots(&gz), snapshots(&s));
}

#[test]
fn averages_and_ratios_combine_weighted_by_days() {
    let s = sandbox();
    s.write(
        "rates.csv",
        "month,rate\n2024-01,10\n2024-02,40\n2024-03,70\n",
    );
    let out = run(
        &s,
        "metric rate kind=ratio\n.import rates.csv --period month --grain quarter --values rate=rate --percent",
    );
    out.ok();
    let expected = (0.1 * 31.0 + 0.4 * 29.0 + 0.7 * 31.0) / 91.0;
    let all = snapshots(&s);
    assert_eq!(all.len(), 1);
    let value: f64 = all[0].rsplit(',').next().unwrap().parse().unwrap();
    assert!((value - expected).abs() < 1e-15, "{value} {expected}");
}

#[test]
fn month_start_dates_stay_days_unless_a_grain_is_given() {
    let s = sandbox();
    let out = run(
        &s,
        ".import fixtures/payems.csv --period observation_date --values PAYEMS=jobs",
    );
    out.ok();
    assert!(out.stderr.contains("every period is the first day of a month; if they stand for months, import with --grain month"));
    assert!(snapshots(&s).contains(&"jobs,2006-01-01,135264".to_string()));
    let m = sandbox();
    let out = run(
        &m,
        ".import fixtures/payems.csv --period observation_date --grain month --values PAYEMS=jobs\nmetric jobs kind=stock\ngrowth jobs from 2006-Q4 to 2007-Q4",
    );
    out.ok();
    assert!(!out.stderr.contains("partly"), "{}", out.stderr);
    assert!(
        out.stdout
            .contains("jobs,jobs,2006-Q4,137083,2007-Q4,138173,1090,"),
        "{}",
        out.stdout
    );
}

#[test]
fn period_formats_and_their_hints() {
    let s = sandbox();
    fails(
        &s,
        "fixtures/weather.csv --period date --values precipitation=rain",
        r#"fixtures/weather.csv:2: column "date": "2012/01/01" is not a period; for year/month/day add --period-format %Y/%m/%d"#,
    );
    run(&s, ".import fixtures/weather.csv --period date --period-format %Y/%m/%d --values precipitation=rain").ok();
    assert!(snapshots(&s).contains(&"rain,2012-01-02,10.9".to_string()));
    s.write("us.csv", "Year,v\n12/31/1999,1\n1/31/2000,2\n");
    fails(
        &s,
        "us.csv --period Year --values v=v",
        r#"us.csv:2: column "Year": "12/31/1999" is not a period; for month/day/year add --period-format %m/%d/%Y"#,
    );
    s.write("ym.csv", "ym,v\n200001,1\n200002,2\n");
    run(
        &s,
        ".import ym.csv --period ym --period-format %Y%m --values v=ym",
    )
    .ok();
    assert!(snapshots(&s).contains(&"ym,2000-02,2".to_string()));
}

#[test]
fn a_json_array_streams_its_objects() {
    let s = sandbox();
    let out = run(
        &s,
        ".import fixtures/countries.json --period year --labels country,iso3 --values unemployment=unemployment --percent\n\
         .import fixtures/countries.json --period year --labels country,iso3 --values population=population",
    );
    out.ok();
    let all = snapshots(&s);
    assert!(
        all.contains(&r#""unemployment{country=Chile,iso3=CHL}",2020,0.108"#.to_string()),
        "{all:#?}"
    );
    assert!(
        all.contains(
            &r#""population{country=""Côte d'Ivoire"",iso3=CIV}",2021,27478249"#.to_string()
        ),
        "{all:#?}"
    );
    // null and a missing key are skipped.
    assert_eq!(
        all.iter()
            .filter(|l| l.starts_with("\"unemployment"))
            .count(),
        2
    );
    s.write(
        "bad.json",
        "[\n  {\"year\": 2020, \"v\": 1},\n  {\n    \"year\": 2021,\n    \"v\": \"1,5\"\n  }\n]\n",
    );
    fails(
        &s,
        "bad.json --period year --values v=v",
        r#"bad.json:3: column "v": "1,5" is not a value; if it marks a missing value add --missing "1,5""#,
    );
    s.write(
        "broken.json",
        "[{\"year\": 2020, \"v\": 1},\n{\"year\": 2021 \"v\": 2}]",
    );
    fails(
        &s,
        "broken.json --period year --values v=v",
        "broken.json:2: invalid JSON: expected `,` or `}`",
    );
}

#[test]
fn workbooks_read_date_cells_percent_cells_and_sheets() {
    let s = sandbox();
    let out = run(
        &s,
        ".import fixtures/book.xlsx --sheet Prices --period Date --values Close=close --dry-run",
    );
    out.ok();
    assert_eq!(
        out.stdout,
        "series,snapshots,first,last,new,unchanged,revised,conflicts\nclose,6,2000-01-03,2000-03-31,6,0,0,0\n"
    );
    assert!(snapshots(&s).is_empty());
    run(&s, ".import fixtures/book.xlsx --sheet Rates --period Month --values Unemployment=unemployment,Participation=participation --percent").ok();
    let all = snapshots(&s);
    assert!(
        all.contains(&"unemployment,2024-02,0.039".to_string()),
        "{all:#?}"
    );
    assert!(
        all.contains(&"participation,2024-03,0.627".to_string()),
        "{all:#?}"
    );
    fails(
        &s,
        "fixtures/book.xlsx --sheet Other --period Month --values x=x",
        r#"fixtures/book.xlsx:1: the workbook has no sheet "Other"; its sheets are "Notes", "Prices", "Rates""#,
    );
    fails(
        &s,
        "fixtures/prices.csv --sheet Prices --period Date --values Close=close",
        "--sheet picks a sheet of a workbook (.xlsx, .xls, .ods); fixtures/prices.csv is not one",
    );
}

#[test]
fn a_bad_sheet_cell_is_named_by_sheet_and_cell() {
    let s = sandbox();
    let path = s.path("bad.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet().set_name("Data").unwrap();
    for (row, cells) in [["year", "v"], ["2000", "1"], ["2001", "n/a"]]
        .iter()
        .enumerate()
    {
        for (column, text) in cells.iter().enumerate() {
            match text.parse::<f64>() {
                Ok(n) => sheet.write_number(row as u32, column as u16, n).unwrap(),
                Err(_) => sheet
                    .write_string(row as u32, column as u16, *text)
                    .unwrap(),
            };
        }
    }
    workbook.save(&path).unwrap();
    fails(
        &s,
        "bad.xlsx --period year --values v=v",
        r#"bad.xlsx:Data!B3: column "v": "n/a" is not a value; if it marks a missing value add --missing n/a"#,
    );
    run(
        &s,
        ".import bad.xlsx --period year --values v=v --missing n/a",
    )
    .ok();
    assert_eq!(snapshots(&s), ["v,2000,1"]);
}

#[test]
fn revise_source_and_dry_run() {
    let s = sandbox();
    s.write("a.csv", "year,v,source\n2000,1,first\n2001,2,\n");
    run(&s, ".import a.csv --period year --values v=v").ok();
    let history = s.csv("history v");
    assert!(history.stdout.contains(",first,"), "{}", history.stdout);
    s.write("b.csv", "year,v\n2000,1\n2001,3\n2002,4\n");
    let dry = run(&s, ".import b.csv --period year --values v=v --dry-run");
    assert_eq!(dry.code, 1);
    assert_eq!(
        dry.stdout,
        "series,snapshots,first,last,new,unchanged,revised,conflicts\nv,3,2000,2002,1,1,0,1\n"
    );
    fails(
        &s,
        "b.csv --period year --values v=v",
        "b.csv:3: v already has 2 for 2001 (revision 1), the file 3; add --revise to record the file's values as new revisions",
    );
    let dry = run(
        &s,
        ".import b.csv --period year --values v=v --dry-run --revise",
    );
    dry.ok();
    assert_eq!(
        dry.stdout,
        "series,snapshots,first,last,new,unchanged,revised,conflicts\nv,3,2000,2002,1,1,1,0\n"
    );
    let out = run(
        &s,
        ".import b.csv --period year --values v=v --revise --source \"restated, 2024\"",
    );
    out.ok();
    assert!(
        out.stderr.contains("(new 1, unchanged 1, revised 1)"),
        "{}",
        out.stderr
    );
    let history = s.csv("history v 2001");
    let rows = history.rows();
    assert_eq!(rows.len(), 2);
    assert!(
        history.stdout.contains("\"restated, 2024\""),
        "{}",
        history.stdout
    );
}

#[test]
fn bad_cells_and_options_fail_naming_the_place() {
    let s = sandbox();
    s.write(
        "t.csv",
        "Country Name,code,year,pop\nChile,CHL,2000,\"15,170,387\"\n,CHL,2001,1\n",
    );
    let cases = [
        (
            "t.csv --period year --labels \"Country Name\" --values pop=pop",
            r#"t.csv:1: column "Country Name" is not a label key; name one with --labels "Country Name"=country_name"#,
        ),
        (
            "t.csv --period year --labels \"Country Name\"=country --values pop=pop",
            r#"t.csv:2: column "pop": "15,170,387" is not a value; remove the thousands separators (15170387)"#,
        ),
        (
            "t.csv --period Year --labels code --values population=pop",
            r#"t.csv:1: no column "population" in the header; its columns are "Country Name", code, year, pop"#,
        ),
        (
            "t.csv --period year --labels \"Country Name\"=country --values code=code",
            r#"t.csv:2: column "code": "CHL" is not a value; if it marks a missing value add --missing CHL"#,
        ),
        (
            "t.csv --period year --values pop=pop --grain fortnight",
            "--grain takes year, half, quarter, month, week or day; found \"fortnight\"",
        ),
    ];
    for (args, expected) in cases {
        fails(&s, args, expected);
    }
    s.write("e.csv", "name,year,v\nx,2000,1\n,2001,2\n");
    fails(
        &s,
        "e.csv --period year --labels name --values v=v",
        r#"e.csv:3: column "name": the label is empty"#,
    );
    s.write("w.csv", "week,v\n2024-W05,1\n");
    fails(
        &s,
        "w.csv --period week --grain month --values v=v",
        r#"w.csv:2: column "week": 2024-W05 straddles two months (2024-01 and the next); --grain month cannot hold it"#,
    );
    s.write("s.csv", "day,v\n2024-01-05,1\n2024-01-05,2\n");
    fails(
        &s,
        "s.csv --period day --grain month --values v=seed",
        "s.csv:3: two cells of seed for the same date (2024-01-05) differ: 1 and 2",
    );
    std::fs::write(
        s.path("latin1.csv"),
        b"name,year,v\nS\xe3o Tom\xe9,2000,1\n",
    )
    .unwrap();
    fails(
        &s,
        "latin1.csv --period year --labels name --values v=v",
        "latin1.csv:2: the line is not valid UTF-8; convert the file first, e.g. with iconv -f WINDOWS-1252 -t UTF-8",
    );
}

#[test]
fn section_six_layouts_from_every_format() {
    let s = sandbox();
    s.write(
        "snap.json",
        "[{\"series\": \"users{line=a}\", \"period\": \"2024-01\", \"value\": 5},\n {\"series\": \"users{line=a}\", \"period\": 2024, \"value\": 7.5}]",
    );
    run(&s, ".import snap.json").ok();
    let path = s.path("wide.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "period").unwrap();
    sheet.write_string(0, 1, "signups{app=web}").unwrap();
    sheet.write_string(1, 0, "2024-Q1").unwrap();
    sheet.write_number(1, 1, 3.0).unwrap();
    workbook.save(&path).unwrap();
    run(&s, ".import wide.xlsx --wide").ok();
    assert_eq!(
        snapshots(&s),
        [
            "signups{app=web},2024-Q1,3",
            "users{line=a},2024-01,5",
            "users{line=a},2024,7.5"
        ]
    );
}

#[test]
fn section_six_layouts_take_source_revise_and_dry_run() {
    let s = sandbox();
    s.write(
        "a.csv",
        "series,period,value\nv{k=a},2000,1\nv{k=a},2001,2\n",
    );
    run(&s, ".import a.csv --source \"first file\"").ok();
    assert!(s.csv("history v{k=a} 2000").stdout.contains(",first file,"));
    s.write(
        "b.csv",
        "series,period,value\nv{k=a},2000,1\nv{k=a},2001,3\nv{k=b},2001,4\n",
    );
    let before = bytes(&s);
    let dry = run(&s, ".import b.csv --dry-run");
    assert_eq!(dry.code, 1, "{dry:?}");
    assert_eq!(
        dry.stdout,
        "series,snapshots,first,last,new,unchanged,revised,conflicts\nv{k=a},2,2000,2001,0,1,0,1\nv{k=b},1,2001,2001,1,0,0,0\n"
    );
    assert_eq!(bytes(&s), before, "a dry run writes nothing");
    let out = run(&s, ".import b.csv --revise");
    out.ok();
    assert!(
        out.stderr
            .contains("b.csv: 3 records, inserted 1, unchanged 1, revised 1"),
        "{}",
        out.stderr
    );
    assert_eq!(s.csv("history v{k=a} 2001").rows().len(), 2);
    s.write("w.csv", "period,v{k=a},v{k=c}\n2001,3,5\n");
    let dry = run(&s, ".import w.csv --wide --dry-run");
    dry.ok();
    assert_eq!(
        dry.stdout,
        "series,snapshots,first,last,new,unchanged,revised,conflicts\nv{k=a},1,2001,2001,0,1,0,0\nv{k=c},1,2001,2001,1,0,0,0\n"
    );
}

#[test]
fn notes_under_a_table_are_skipped_but_not_in_the_middle() {
    let s = sandbox();
    // The fixture ends with the notes of a World Bank extract.
    let import = r#"fixtures/wdi_extract.csv --period-columns --metric population --missing .. --labels "Country Name=country,Country Code=iso3,Series Name=indicator,Series Code=code""#;
    run(&s, &format!(".import {import}")).ok();
    assert_eq!(snapshots(&s).len(), 11);
    s.write("mid.csv", "a,b,2000\nx,y,1\n\nnote\nz,w,2\n,,\n");
    fails(
        &s,
        "mid.csv --period-columns --metric m --labels a,b",
        "mid.csv:4: 1 fields where the header has 3",
    );
    s.write("mid2.csv", "a,b,2000\nx,y,1\nnote,,\nz,w,2\n");
    fails(
        &s,
        "mid2.csv --period-columns --metric m --labels a,b",
        r#"mid2.csv:3: column "b": the label is empty"#,
    );
}

#[test]
fn a_large_import_gathers_through_the_scratch_table_with_the_same_result() {
    let imports = "metric close kind=stock\nmetric volume kind=flow\n\
        .import fixtures/prices.csv --period Date --period-format \"%b %d %Y\" --grain month --values Close=close,Volume=volume\n\
        .import fixtures/gapminder.csv --period year --labels continent,country --values pop=pop,lifeExp=life_exp\n\
        .import fixtures/wdi_gdp.csv --skip 4 --period-columns --metric gdp --labels \"Country Name\"=country,\"Country Code\"=iso3,\"Indicator Name\"=indicator,\"Indicator Code\"=code\n";
    let memory = sandbox();
    memory.load(imports);
    let scratch = sandbox();
    let db = scratch.db();
    let out = scratch
        .command()
        .env("GROWTHDB_IMPORT_IN_MEMORY", "2")
        .args(["--db", db.as_str(), "-q"])
        .write_stdin(imports)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(snapshots(&scratch), snapshots(&memory));
    assert_eq!(snapshots(&memory).len(), 6 + 18 + 7);
}
