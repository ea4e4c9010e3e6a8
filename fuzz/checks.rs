//! What the fuzz targets assert about one input. Shared with
//! `tests/fuzz_corpus.rs`, which replays the kept corpus on stable Rust.
#![allow(dead_code)] // each fuzz target uses only one of these
use growthdb::core::parser::{parse_command, parse_line as parse};
use growthdb::core::period::Granularity;
use growthdb::core::table::{Shape, TableCell, TableSpec};
use growthdb::exec::{Executor, IMPORT_KEYS, IN_MEMORY, SnapshotImport, TableImport, TableRows};
use growthdb::render::{FileFormat, RecordReader, TableFormat, TableReader};
use growthdb::store::Store;

/// Any line: parsing never panics, error columns fall within the line (or
/// just past its end), and every command that parses prints as text that
/// parses back to the same command.
pub fn parse_line(data: &[u8]) {
    let Ok(line) = std::str::from_utf8(data) else {
        return;
    };
    let past_end = line.chars().count() + 1;
    for parsed in parse(line) {
        match parsed {
            Ok(command) => {
                let printed = command.to_string();
                match parse_command(&printed) {
                    Ok(again) => assert_eq!(again, command, "{line:?} printed as {printed:?}"),
                    Err(e) => panic!("{line:?} printed as {printed:?}, which fails: {e}"),
                }
            }
            Err(e) => assert!(
                (1..=past_end).contains(&e.column),
                "{line:?}: column {} outside 1..={past_end}: {}",
                e.column,
                e.message
            ),
        }
    }
}

/// Any file: the first byte picks CSV, TSV or JSON Lines and `--wide`, the
/// rest is the file. Importing never panics; a file that imports leaves a
/// store whose `.check` is clean, and importing it again changes nothing.
pub fn import_records(data: &[u8]) {
    let Some((&selector, file)) = data.split_first() else {
        return;
    };
    let format = match selector % 3 {
        0 => FileFormat::Csv,
        1 => FileFormat::Tsv,
        _ => FileFormat::Jsonl,
    };
    let wide = selector & 0x80 != 0 && format != FileFormat::Jsonl;
    let store = Store::open(":memory:", false).expect("an in-memory store opens");
    let mut exec = Executor::new(store);
    let import = |exec: &mut Executor| {
        let Ok(mut reader) = RecordReader::new(format, file, &IMPORT_KEYS) else {
            return None;
        };
        let options = SnapshotImport {
            wide,
            ..SnapshotImport::default()
        };
        exec.import(&mut reader, &options, "fuzz", &mut |_| {}).ok()
    };
    if import(&mut exec).is_none() {
        return;
    }
    let (findings, problems) = exec.check().expect("the check runs");
    assert_eq!(problems, 0, "an imported file left problems: {findings:?}");
    let (again, ..) = import(&mut exec).expect("an imported file imports again");
    assert_eq!(
        again.inserted, 0,
        "importing the same file twice changed the store"
    );
}

/// A table file as the importer reads it.
struct Table(TableReader);

impl TableRows for Table {
    fn header(&self) -> &[String] {
        self.0.header()
    }

    fn next_row(&mut self, cells: &mut Vec<TableCell>) -> Result<Option<u64>, (String, String)> {
        self.0.next_row(cells).map_err(|e| (e.place, e.message))
    }

    fn place(&self, row: u64, column: usize) -> String {
        self.0.place(row, column)
    }

    fn header_place(&self, column: usize) -> String {
        self.0.header_place(column)
    }
}

/// Any table: the first byte picks CSV, TSV, JSON Lines or a JSON array,
/// a long table (the first column holds periods, the others values) or
/// periods across (the first column a label), `--grain month` or none, and
/// how many snapshots are gathered in memory; the rest is the file.
/// Importing never panics; a table that imports leaves a store whose
/// `.check` is clean, and a dry run of it again finds every snapshot
/// unchanged.
pub fn import_tables(data: &[u8]) {
    let Some((&selector, file)) = data.split_first() else {
        return;
    };
    let format = match selector % 4 {
        0 => TableFormat::Csv,
        1 => TableFormat::Tsv,
        2 => TableFormat::Jsonl,
        _ => TableFormat::Json,
    };
    let across = selector & 0x10 != 0;
    let grain = (selector & 0x20 != 0).then_some(Granularity::Month);
    let in_memory = if selector & 0x40 != 0 { 1 } else { IN_MEMORY };
    let store = Store::open(":memory:", false).expect("an in-memory store opens");
    let mut exec = Executor::new(store);
    for metric in ["m", "m1", "m2", "m3"] {
        let line = format!("metric {metric} kind=flow");
        exec.execute(&parse_command(&line).expect("a metric command"), None)
            .expect("a metric is defined");
    }
    let open =
        || TableReader::from_text(Box::new(std::io::Cursor::new(file.to_vec())), format).ok();
    let Some(reader) = open() else {
        return;
    };
    let header = reader.header().to_vec();
    let Some(first) = header.first() else {
        return;
    };
    let spec = TableSpec {
        shape: if across {
            Shape::Across {
                metric: "m".to_string(),
            }
        } else {
            Shape::Long {
                period: first.clone(),
                values: header
                    .iter()
                    .skip(1)
                    .take(3)
                    .enumerate()
                    .map(|(i, column)| (column.clone(), format!("m{}", i + 1)))
                    .collect(),
            }
        },
        labels: if across {
            vec![(first.clone(), Some("k".to_string()))]
        } else {
            Vec::new()
        },
        period_format: None,
        grain,
        missing: vec!["NA".to_string()],
        percent: false,
    };
    let mut import = TableImport {
        spec: &spec,
        source: None,
        revise: false,
        dry_run: false,
        in_memory,
    };
    let mut table = Table(reader);
    if exec
        .import_table(&mut table, import, "fuzz", &mut |_| {})
        .is_err()
    {
        return;
    }
    let (findings, problems) = exec.check().expect("the check runs");
    assert_eq!(problems, 0, "an imported table left problems: {findings:?}");
    import.dry_run = true;
    let mut again = Table(open().expect("the table opens again"));
    let outcome = exec
        .import_table(&mut again, import, "fuzz", &mut |_| {})
        .expect("an imported table reads again");
    let rows = outcome.outcome.rows.expect("a dry run's rows");
    for field in ["new", "revised", "conflicts"] {
        let column = rows.column(field).expect("a dry-run field");
        for row in &rows.rows {
            assert_eq!(
                row[column].as_f64(),
                Some(0.0),
                "{field} after importing the same table"
            );
        }
    }
}
