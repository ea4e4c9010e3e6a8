//! Rows written as they come, for results too large to hold: the machine
//! formats need nothing but the row at hand (`table` and `markdown` size
//! their columns from every row, so they take a whole [`Rows`]).
use std::io::{self, Write};

use super::Format;
use super::machine::{JsonRow, csv_io, csv_writer, write_row};
use crate::core::rows::Cell;

enum Sink<'a> {
    Delimited(Box<csv::Writer<&'a mut dyn Write>>),
    Json { out: &'a mut dyn Write, rows: u64 },
    Jsonl(&'a mut dyn Write),
}

/// One result's rows, written one at a time in a machine format.
pub struct RowStream<'a> {
    columns: Vec<String>,
    sink: Sink<'a>,
}

impl<'a> RowStream<'a> {
    /// A stream in `format`, or None when the format needs every row first.
    pub fn new(
        format: Format,
        columns: Vec<String>,
        out: &'a mut dyn Write,
    ) -> Option<io::Result<RowStream<'a>>> {
        let sink = match format {
            Format::Table | Format::Markdown => return None,
            Format::Csv | Format::Tsv => {
                let delimiter = if format == Format::Csv { b',' } else { b'\t' };
                let mut writer = csv_writer(delimiter, out);
                if let Err(e) = writer.write_record(&columns).map_err(csv_io) {
                    return Some(Err(e));
                }
                Sink::Delimited(Box::new(writer))
            }
            Format::Json => Sink::Json { out, rows: 0 },
            Format::Jsonl => Sink::Jsonl(out),
        };
        Some(Ok(RowStream { columns, sink }))
    }

    pub fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        match &mut self.sink {
            Sink::Delimited(writer) => write_row(writer, cells).map_err(csv_io),
            Sink::Json { out, rows } => {
                out.write_all(if *rows == 0 { b"[\n  " } else { b",\n  " })?;
                *rows += 1;
                serde_json::to_writer(&mut **out, &JsonRow(&self.columns, cells))?;
                Ok(())
            }
            Sink::Jsonl(out) => {
                serde_json::to_writer(&mut **out, &JsonRow(&self.columns, cells))?;
                out.write_all(b"\n")
            }
        }
    }

    /// Ends the result as [`super::render`] would have.
    pub fn finish(self) -> io::Result<()> {
        match self.sink {
            Sink::Delimited(mut writer) => writer.flush(),
            Sink::Json { out, rows: 0 } => out.write_all(b"[]\n"),
            Sink::Json { out, .. } => out.write_all(b"\n]\n"),
            Sink::Jsonl(out) => out.flush(),
        }
    }
}
