//! The pure core: no I/O, no SQLite, no printing.

pub mod aggregate;
pub mod chart;
pub mod command;
pub mod error;
pub mod growth;
pub mod labels;
pub mod lexer;
pub mod limits;
pub mod parse_error;
pub mod parser;
pub mod period;
pub mod print;
pub mod quote;
pub mod resolve;
pub mod rows;
pub mod sparkline;
pub mod suggest;
pub mod table;
pub mod value;
