//! Turns rows into text in any output format; the single place that prints results.
//!
//! Machine formats (`csv`, `tsv`, `json`, `jsonl`) carry every value at full
//! precision; `table` and `markdown` format numbers for people by their
//! [`NumberStyle`](crate::core::rows::NumberStyle) and hide all-null columns.
//! This module is the only one that names prettytable, csv or serde_json.

mod chart;
mod decimal;
mod machine;
mod people;
mod png;
mod records;
mod stream;
mod tables;
#[cfg(test)]
mod tests;
mod xlsx;

use std::io::{self, Write};

use crate::core::error::ErrorKind;
use crate::core::rows::Rows;

pub use chart::{ChartError, chart_file, chart_png, chart_svg, is_png_path};
pub use records::cap::{LineCap, MAX_LINE, too_long};
pub use records::table::{NOT_UTF8, TableError, TableFormat, TableReader, open_text};
pub use records::{FileFormat, RecordError, RecordReader, RecordWriter};
pub use stream::RowStream;
pub use xlsx::{Workbook, WorkbookError, is_workbook_path};

/// An output format, chosen per session or per command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Csv,
    Tsv,
    Json,
    Jsonl,
    Markdown,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Table,
        Format::Csv,
        Format::Tsv,
        Format::Json,
        Format::Jsonl,
        Format::Markdown,
    ];

    /// The name users type, e.g. `--format jsonl`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Markdown => "markdown",
        }
    }

    /// The format with this name, ignoring case.
    pub fn parse(text: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|format| format.name().eq_ignore_ascii_case(text))
    }

    /// Like [`Format::parse`], with the message users see for an unknown name.
    pub fn parse_named(text: &str) -> Result<Format, UnknownFormat> {
        Format::parse(text).ok_or_else(|| UnknownFormat(text.to_string()))
    }

    /// Every name for messages: `table, csv, tsv, json, jsonl or markdown`.
    pub fn listed() -> String {
        let names: Vec<&str> = Format::ALL.iter().map(|format| format.name()).collect();
        let (last, rest) = names.split_last().expect("Format::ALL is not empty");
        format!("{} or {last}", rest.join(", "))
    }

    /// Every name in [`Format::ALL`] order, for usage lines: `table|csv|...|markdown`.
    pub fn names() -> String {
        Format::ALL.map(Format::name).join("|")
    }

    /// Whether the format is meant for programs (full precision, nothing hidden).
    pub fn is_machine(self) -> bool {
        matches!(
            self,
            Format::Csv | Format::Tsv | Format::Json | Format::Jsonl
        )
    }
}

/// A format name that is not one of [`Format::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format \"{0}\"; expected {listed}", listed = Format::listed())]
pub struct UnknownFormat(pub String);

/// Renders one command's rows to `out`. The single output function for every command.
pub fn render(rows: &Rows, format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Table => tables::table(rows, out),
        Format::Csv => machine::delimited(rows, b',', out),
        Format::Tsv => machine::delimited(rows, b'\t', out),
        Format::Json => machine::json(rows, out),
        Format::Jsonl => machine::jsonl(rows, out),
        Format::Markdown => tables::markdown(rows, out),
    }
}

/// Where an error happened, for its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorLocation<'a> {
    None,
    /// A line of the prompt session or of standard input.
    Line(usize),
    /// A line of a named file.
    File(&'a str, usize),
}

/// One error line (no trailing newline) as printed on stderr.
///
/// JSON formats get a JSON object, so a program reading the output can parse
/// errors too; the others get `error: ...`.
pub fn error_line(
    format: Format,
    message: &str,
    kind: ErrorKind,
    location: ErrorLocation,
) -> String {
    match (format, location) {
        (Format::Json | Format::Jsonl, _) => machine::error_object(message, kind, location),
        (_, ErrorLocation::None) => format!("error: {message}"),
        (_, ErrorLocation::Line(line)) => format!("error: line {line}: {message}"),
        (_, ErrorLocation::File(file, line)) => {
            let file = crate::core::quote::escape_controls(file);
            format!("error: {file}:{line}: {message}")
        }
    }
}
