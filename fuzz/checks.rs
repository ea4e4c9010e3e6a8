//! What the fuzz targets assert about one input. Shared with
//! `tests/fuzz_corpus.rs`, which replays the kept corpus on stable Rust.
#![allow(dead_code)] // each fuzz target uses only one of these
use growthdb::core::parser::{parse_command, parse_line as parse};
use growthdb::exec::{Executor, IMPORT_KEYS, SnapshotImport};
use growthdb::render::{FileFormat, RecordReader};
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
