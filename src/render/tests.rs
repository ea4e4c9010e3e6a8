//! Output of every format for the same rows, byte for byte, plus round trips.

use super::*;
use crate::core::error::ErrorKind;
use crate::core::rows::{Cell, NumberStyle::*, Rows};

fn render_to_string(rows: &Rows, format: Format) -> String {
    let mut out = Vec::new();
    render(rows, format, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Every cell kind and number style, negatives, zeros, nulls and an all-null column.
fn sample() -> Rows {
    let mut rows = Rows::new(&[
        "metric",
        "count",
        "value",
        "change",
        "ratio",
        "ratio_change",
        "growth",
        "points",
        "multiple",
        "years",
        "note",
    ]);
    rows.push(vec![
        Cell::text("users"),
        Cell::Int(1234567),
        Cell::Number(1e9, Plain),
        Cell::Number(1234.0, Change),
        Cell::Number(0.7, Fraction),
        Cell::Number(0.05, FractionChange),
        Cell::Number(900.0, Percent),
        Cell::Number(5.0, PercentPoints),
        Cell::Number(10.0, Multiple),
        Cell::Number(1.0, Years),
        Cell::Null,
    ]);
    rows.push(vec![
        Cell::text("revenue"),
        Cell::Int(-5),
        Cell::Number(0.000123, Plain),
        Cell::Number(-0.5, Change),
        Cell::Number(0.725, Fraction),
        Cell::Null,
        Cell::Number(-12.5, Percent),
        Cell::Number(0.0, PercentPoints),
        Cell::Number(0.5, Multiple),
        Cell::Number(-0.5, Years),
        Cell::Null,
    ]);
    rows.push(vec![
        Cell::Null,
        Cell::Int(0),
        Cell::Number(9.000000000000002, Plain),
        Cell::Number(0.0, Change),
        Cell::Null,
        Cell::Number(-0.05, FractionChange),
        Cell::Number(1234.0, Percent),
        Cell::Null,
        Cell::Number(1234.0, Multiple),
        Cell::Null,
        Cell::Null,
    ]);
    rows
}

const SAMPLE_CSV: &str = "\
metric,count,value,change,ratio,ratio_change,growth,points,multiple,years,note
users,1234567,1000000000,1234,0.7,0.05,900,5,10,1,
revenue,-5,0.000123,-0.5,0.725,,-12.5,0,0.5,-0.5,
,0,9.000000000000002,0,,-0.05,1234,,1234,,
";

const SAMPLE_JSONL: &str = r#"{"metric":"users","count":1234567,"value":1000000000,"change":1234,"ratio":0.7,"ratio_change":0.05,"growth":900,"points":5,"multiple":10,"years":1,"note":null}
{"metric":"revenue","count":-5,"value":0.000123,"change":-0.5,"ratio":0.725,"ratio_change":null,"growth":-12.5,"points":0,"multiple":0.5,"years":-0.5,"note":null}
{"metric":null,"count":0,"value":9.000000000000002,"change":0,"ratio":null,"ratio_change":-0.05,"growth":1234,"points":null,"multiple":1234,"years":null,"note":null}
"#;

const SAMPLE_MARKDOWN: &str = "\
| metric | count | value | change | ratio | ratio_change | growth | points | multiple | years |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
| users | 1,234,567 | 1,000,000,000 | +1,234 | 70.0% | +5.0pp | +900.0% | +5.0pp | 10.00x | 1.00 |
| revenue | -5 | 0.000123 | -0.5 | 72.5% |  | -12.5% | 0.0pp | 0.50x | -0.50 |
|  | 0 | 9 | 0 |  | -5.0pp | +1,234.0% |  | 1,234.00x |  |
";

const SAMPLE_TABLE: &str = "\
+---------+-----------+---------------+--------+-------+--------------+-----------+--------+-----------+-------+
| metric  |     count |         value | change | ratio | ratio_change |    growth | points |  multiple | years |
+---------+-----------+---------------+--------+-------+--------------+-----------+--------+-----------+-------+
| users   | 1,234,567 | 1,000,000,000 | +1,234 | 70.0% |       +5.0pp |   +900.0% | +5.0pp |    10.00x |  1.00 |
| revenue |        -5 |      0.000123 |   -0.5 | 72.5% |              |    -12.5% |  0.0pp |     0.50x | -0.50 |
|         |         0 |             9 |      0 |       |       -5.0pp | +1,234.0% |        | 1,234.00x |       |
+---------+-----------+---------------+--------+-------+--------------+-----------+--------+-----------+-------+
";

#[test]
fn sample_in_every_format() {
    let json_array = format!(
        "[\n{}\n]\n",
        SAMPLE_JSONL
            .lines()
            .map(|line| format!("  {line}"))
            .collect::<Vec<_>>()
            .join(",\n")
    );
    let cases = [
        (Format::Csv, SAMPLE_CSV.to_string()),
        (Format::Tsv, SAMPLE_CSV.replace(',', "\t")),
        (Format::Jsonl, SAMPLE_JSONL.to_string()),
        (Format::Markdown, SAMPLE_MARKDOWN.to_string()),
        (Format::Table, SAMPLE_TABLE.to_string()),
        (Format::Json, json_array),
    ];
    for (format, want) in cases {
        assert_eq!(render_to_string(&sample(), format), want, "{format:?}");
    }
}

#[test]
fn no_rows_prints_header_or_empty_array() {
    let rows = Rows::new(&["metric", "value"]);
    let table = "\
+--------+-------+
| metric | value |
+--------+-------+
+--------+-------+
";
    let cases = [
        (Format::Csv, "metric,value\n"),
        (Format::Tsv, "metric\tvalue\n"),
        (Format::Json, "[]\n"),
        (Format::Jsonl, ""),
        (Format::Markdown, "| metric | value |\n|---|---|\n"),
        (Format::Table, table),
    ];
    for (format, want) in cases {
        assert_eq!(render_to_string(&rows, format), want, "{format:?}");
    }
}

#[test]
fn all_null_columns_hidden_for_people_only() {
    let mut rows = Rows::new(&["metric", "gone", "value"]);
    rows.push(vec![Cell::text("a"), Cell::Null, Cell::Number(1.5, Plain)]);
    rows.push(vec![
        Cell::text("b"),
        Cell::Number(f64::NAN, Plain),
        Cell::Null,
    ]);
    let cases = [
        (Format::Csv, "metric,gone,value\na,,1.5\nb,,\n"),
        (
            Format::Jsonl,
            "{\"metric\":\"a\",\"gone\":null,\"value\":1.5}\n\
             {\"metric\":\"b\",\"gone\":null,\"value\":null}\n",
        ),
        (
            Format::Markdown,
            "| metric | value |\n|---|---:|\n| a | 1.5 |\n| b |  |\n",
        ),
    ];
    for (format, want) in cases {
        assert_eq!(render_to_string(&rows, format), want, "{format:?}");
    }
    let table = render_to_string(&rows, Format::Table);
    assert!(
        table.contains("| metric | value |") && !table.contains("gone"),
        "{table}"
    );
}

#[test]
fn columns_all_null_everywhere_stay_shown() {
    let mut rows = Rows::new(&["a", "b"]);
    rows.push(vec![Cell::Null, Cell::Null]);
    assert_eq!(
        render_to_string(&rows, Format::Markdown),
        "| a | b |\n|---|---|\n|  |  |\n"
    );
}

/// Texts that need quoting or escaping somewhere.
const AWKWARD: [&str; 8] = [
    "a,b",
    "say \"hi\"",
    "tab\there",
    "two\nlines",
    "pipe|here",
    " padded ",
    "naïve 数据",
    "",
];

fn awkward_rows() -> Rows {
    let mut rows = Rows::new(&["text", "n"]);
    for (i, text) in AWKWARD.iter().enumerate() {
        rows.push(vec![Cell::text(*text), Cell::Int(i as i64)]);
    }
    rows
}

#[test]
fn csv_and_tsv_quote_only_what_they_must() {
    let csv = "text,n\n\"a,b\",0\n\"say \"\"hi\"\"\",1\ntab\there,2\n\"two\nlines\",3\n\
               pipe|here,4\n padded ,5\nnaïve 数据,6\n,7\n";
    let tsv = "text\tn\na,b\t0\n\"say \"\"hi\"\"\"\t1\n\"tab\there\"\t2\n\"two\nlines\"\t3\n\
               pipe|here\t4\n padded \t5\nnaïve 数据\t6\n\t7\n";
    assert_eq!(render_to_string(&awkward_rows(), Format::Csv), csv);
    assert_eq!(render_to_string(&awkward_rows(), Format::Tsv), tsv);
}

#[test]
fn csv_and_tsv_read_back_unchanged() {
    for (format, delimiter) in [(Format::Csv, b','), (Format::Tsv, b'\t')] {
        let text = render_to_string(&awkward_rows(), format);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let texts: Vec<String> = reader
            .records()
            .map(|record| record.unwrap()[0].to_string())
            .collect();
        assert_eq!(texts, AWKWARD, "{format:?}");
    }
}

#[test]
fn json_texts_read_back_unchanged() {
    for format in [Format::Json, Format::Jsonl] {
        let text = render_to_string(&awkward_rows(), format);
        let values: Vec<serde_json::Value> = match format {
            Format::Json => serde_json::from_str(&text).unwrap(),
            _ => text
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect(),
        };
        let texts: Vec<&str> = values.iter().map(|v| v["text"].as_str().unwrap()).collect();
        assert_eq!(texts, AWKWARD, "{format:?}");
    }
}

#[test]
fn markdown_escapes_pipes_and_newlines() {
    let text = render_to_string(&awkward_rows(), Format::Markdown);
    assert!(text.contains("| pipe\\|here | 4 |\n"), "{text}");
    assert!(text.contains("| two<br>lines | 3 |\n"), "{text}");
    // Every row is one line with the same number of unescaped pipes.
    for line in text.lines() {
        assert_eq!(line.replace("\\|", "").matches('|').count(), 3, "{line}");
    }
}

#[test]
fn table_aligns_numbers_right_and_text_left() {
    let mut rows = Rows::new(&["name", "n"]);
    rows.push(vec![Cell::text("a"), Cell::Int(5)]);
    rows.push(vec![Cell::text("long name"), Cell::Int(12345)]);
    let want = "\
+-----------+--------+
| name      |      n |
+-----------+--------+
| a         |      5 |
| long name | 12,345 |
+-----------+--------+
";
    assert_eq!(render_to_string(&rows, Format::Table), want);
}

/// Values whose shortest decimal form is long, huge, tiny or just past 2^53.
const HARD_NUMBERS: [f64; 16] = [
    1e9,
    0.7,
    9.000000000000002,
    0.1 + 0.2,
    -0.0,
    -1234.5678,
    1e300,
    -1e-300,
    5e-324,
    f64::MAX,
    f64::MIN,
    f64::MIN_POSITIVE,
    9_007_199_254_740_992.0,
    9_007_199_254_740_994.0,
    123_456_789.123_456_79,
    2.0 / 3.0,
];

fn number_rows() -> Rows {
    let mut rows = Rows::new(&["v"]);
    for v in HARD_NUMBERS {
        rows.push(vec![Cell::Number(v, Fraction)]);
    }
    rows
}

#[test]
fn numbers_round_trip_exactly_in_csv_and_tsv() {
    for format in [Format::Csv, Format::Tsv] {
        let text = render_to_string(&number_rows(), format);
        let read: Vec<f64> = text.lines().skip(1).map(|l| l.parse().unwrap()).collect();
        assert_eq!(read, HARD_NUMBERS, "{format:?}");
    }
}

#[test]
fn numbers_round_trip_exactly_in_json() {
    // serde_json's default float parser may be off by one ulp, so the number
    // text is parsed by Rust; serde_json only checks that the JSON is valid.
    let jsonl = render_to_string(&number_rows(), Format::Jsonl);
    let read: Vec<f64> = jsonl
        .lines()
        .map(|line| {
            assert!(serde_json::from_str::<serde_json::Value>(line).unwrap()["v"].is_number());
            let number = line
                .strip_prefix("{\"v\":")
                .unwrap()
                .strip_suffix('}')
                .unwrap();
            number.parse().unwrap()
        })
        .collect();
    assert_eq!(read, HARD_NUMBERS);
    // The array holds the same objects, one per line.
    let json = render_to_string(&number_rows(), Format::Json);
    let lines: Vec<String> = jsonl.lines().map(|l| format!("  {l}")).collect();
    assert_eq!(json, format!("[\n{}\n]\n", lines.join(",\n")));
}

#[test]
fn json_numbers_integral_when_exact() {
    let cases = [
        (Cell::Number(1e9, Plain), "1000000000"),
        (Cell::Number(-3.0, Change), "-3"),
        (Cell::Number(-0.0, Change), "0"),
        (
            Cell::Number(9_007_199_254_740_991.0, Plain),
            "9007199254740991",
        ),
        (
            Cell::Number(9_007_199_254_740_992.0, Plain),
            "9007199254740992.0",
        ),
        (Cell::Number(1e300, Plain), "1e+300"),
        (Cell::Number(0.7, Fraction), "0.7"),
        (Cell::Number(f64::NAN, Plain), "null"),
        (Cell::Number(f64::NEG_INFINITY, Plain), "null"),
        (Cell::Int(i64::MIN), "-9223372036854775808"),
        (Cell::Null, "null"),
        (Cell::text("a\"b\\c\n"), r#""a\"b\\c\n""#),
    ];
    for (cell, want) in cases {
        let mut rows = Rows::new(&["v"]);
        rows.push(vec![cell.clone()]);
        let line = render_to_string(&rows, Format::Jsonl);
        assert_eq!(line, format!("{{\"v\":{want}}}\n"), "{cell:?}");
    }
}

#[test]
fn non_finite_numbers_are_empty_in_csv() {
    let mut rows = Rows::new(&["a", "b"]);
    rows.push(vec![
        Cell::Number(f64::NAN, Plain),
        Cell::Number(f64::INFINITY, Plain),
    ]);
    assert_eq!(render_to_string(&rows, Format::Csv), "a,b\n,\n");
}

#[test]
fn error_lines_in_every_format_and_location() {
    let msg = "unknown metric \"x\"";
    let none = ErrorLocation::None;
    let line = ErrorLocation::Line(3);
    let file = ErrorLocation::File("q.gdb", 12);
    let json_none = r#"{"error":"unknown metric \"x\"","line":0,"kind":"not_found"}"#;
    let json_line = r#"{"error":"unknown metric \"x\"","line":3,"kind":"not_found"}"#;
    let json_file =
        r#"{"error":"unknown metric \"x\"","line":12,"kind":"not_found","file":"q.gdb"}"#;
    for format in Format::ALL {
        let want = match format {
            Format::Json | Format::Jsonl => [json_none, json_line, json_file].map(String::from),
            _ => [
                format!("error: {msg}"),
                format!("error: line 3: {msg}"),
                format!("error: q.gdb:12: {msg}"),
            ],
        };
        for (location, want) in [none, line, file].into_iter().zip(want) {
            assert_eq!(
                error_line(format, msg, ErrorKind::NotFound, location),
                want,
                "{format:?} {location:?}"
            );
        }
    }
}

#[test]
fn error_json_stays_one_line() {
    let location = ErrorLocation::File("a\nb", 1);
    let line = error_line(Format::Jsonl, "bad\nthing", ErrorKind::Io, location);
    assert_eq!(
        line,
        r#"{"error":"bad\nthing","line":1,"kind":"io","file":"a\nb"}"#
    );
}

#[test]
fn format_names() {
    let names = ["table", "csv", "tsv", "json", "jsonl", "markdown"];
    for (format, name) in Format::ALL.into_iter().zip(names) {
        assert_eq!(format.name(), name);
        assert_eq!(Format::parse(name), Some(format));
        assert_eq!(Format::parse(&name.to_uppercase()), Some(format));
    }
    assert_eq!(Format::parse("Json"), Some(Format::Json));
    for bad in ["", "md", "json ", "xml"] {
        assert_eq!(Format::parse(bad), None, "{bad:?}");
    }
    let machine: Vec<&str> = Format::ALL
        .into_iter()
        .filter(|f| f.is_machine())
        .map(Format::name)
        .collect();
    assert_eq!(machine, ["csv", "tsv", "json", "jsonl"]);
}

#[test]
fn format_names_and_unknown_format_message() {
    assert_eq!(Format::names(), "table|csv|tsv|json|jsonl|markdown");
    assert_eq!(Format::parse_named("JSONL"), Ok(Format::Jsonl));
    assert_eq!(
        Format::parse_named("xml").unwrap_err().to_string(),
        "unknown format \"xml\"; expected table, csv, tsv, json, jsonl or markdown"
    );
}

#[test]
fn fields_borrow_text_and_write_numbers_into_one_buffer() {
    let mut number = String::new();
    let cell = Cell::Text("a,b".to_string());
    let field = machine::field(&cell, &mut number);
    let Cell::Text(inner) = &cell else {
        unreachable!()
    };
    assert!(std::ptr::eq(field, inner.as_str()));
    assert_eq!(machine::field(&Cell::Null, &mut number), "");
    assert_eq!(machine::field(&Cell::Int(-3), &mut number), "-3");
    let cell = Cell::Number(1.5, Plain);
    assert_eq!(machine::field(&cell, &mut number), "1.5");
    assert_eq!(number, "1.5");
}
