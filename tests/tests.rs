//! The end-to-end tests, in one test binary so that the helpers in
//! `common` and the library are compiled and linked once rather than once
//! per file. Each module is one former test file, by section of the
//! contract or by kind of attack; run one with
//! `cargo test --test integration MODULE::` (for example `spec_growth::`).

mod common;

/// The checks the fuzz targets make, shared with `fuzz_corpus`.
#[path = "../fuzz/checks.rs"]
mod fuzz_checks;

mod chart;
mod chart_golden;
mod check;
mod concurrency;
mod crash;
mod error_kinds;
mod faults;
mod fiscal;
mod frictions;
mod fuzz_corpus;
mod golden_alipay;
mod growth_every;
mod held_inserts;
mod help_examples;
mod hostile_input;
mod import_export;
mod import_tables;
mod litestream;
mod output_xlsx;
mod postgres;
mod postgres_concurrency;
mod postgres_crash;
mod postgres_import;
mod postgres_retries;
mod prompt_pty;
mod properties;
mod readme;
mod safety;
mod shell_integration;
mod signals;
mod spec_data_commands;
mod spec_growth;
mod spec_invocation;
mod spec_language;
mod spec_output;
mod spec_resolution;
mod spec_session;
mod spec_store;
mod spec_v2_by;
mod spec_v2_rules;
mod sql;
mod to_date;

/// A test file that is not declared above would silently never run (the
/// package turns automatic test discovery off), so every file here must be
/// one of this binary's modules.
#[test]
fn every_test_file_is_a_module_of_this_binary() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let root = std::fs::read_to_string(dir.join("tests.rs")).expect("tests.rs");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("the tests folder") {
        let name = entry.expect("an entry").file_name();
        let name = name.to_string_lossy();
        if let Some(module) = name.strip_suffix(".rs")
            && module != "tests"
            && !root.contains(&format!("\nmod {module};\n"))
        {
            missing.push(name.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "add `mod NAME;` to tests/tests.rs for {missing:?}"
    );
}
