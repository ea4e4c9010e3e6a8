#![no_main]
//! `.import` of long and periods-across tables from CSV, TSV, JSON Lines
//! and JSON arrays.
use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::import_tables(data));
