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
mod check;
mod concurrency;
mod crash;
mod faults;
mod fuzz_corpus;
mod golden_alipay;
mod help_examples;
mod hostile_input;
mod import_export;
mod prompt_pty;
mod properties;
mod readme;
mod shell_integration;
mod spec_data_commands;
mod spec_growth;
mod spec_invocation;
mod spec_language;
mod spec_output;
mod spec_resolution;
mod spec_session;
mod spec_store;
mod sql;
