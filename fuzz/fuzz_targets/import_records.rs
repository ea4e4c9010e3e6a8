#![no_main]
//! `.import` on arbitrary CSV, TSV and JSON Lines files.
use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::import_records(data));
