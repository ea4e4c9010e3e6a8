//! Replays the fuzzers' kept inputs (`fuzz/corpus/TARGET` and the crashes
//! once found, `fuzz/regressions/TARGET`) through the same checks the fuzz
//! targets make, so that CI holds every input they ever found interesting.
use std::path::Path;

use crate::fuzz_checks as checks;

fn replay(target: &str, check: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut replayed = 0;
    for folder in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(folder).join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("a readable folder").path();
            let data = std::fs::read(&path).expect("a readable input");
            let outcome = std::panic::catch_unwind(|| check(&data));
            assert!(outcome.is_ok(), "{} fails its check", path.display());
            replayed += 1;
        }
    }
    assert!(replayed > 0, "no kept inputs for {target}");
}

#[test]
fn parser_corpus_replays() {
    replay("parse_line", checks::parse_line);
}

#[test]
fn importer_corpus_replays() {
    replay("import_records", checks::import_records);
}

#[test]
fn table_importer_corpus_replays() {
    replay("import_tables", checks::import_tables);
}
