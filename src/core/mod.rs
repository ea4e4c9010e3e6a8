//! The pure core: no I/O, no SQLite, no printing.

pub mod command;
pub mod labels;
pub mod period;
pub mod rows;
