//! Formats for programs: csv, tsv, json and jsonl, with full-precision values.

use std::io::{self, Write};

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::ErrorLocation;
use super::decimal::push_shortest;
use crate::core::error::ErrorKind;
use crate::core::rows::{Cell, Rows};

/// CSV or TSV: a header line, then one line per row; quoting as the csv crate does.
pub(super) fn delimited(rows: &Rows, delimiter: u8, out: &mut dyn Write) -> io::Result<()> {
    let mut writer = csv_writer(delimiter, out);
    writer
        .write_record(rows.columns.iter().map(|c| c.as_bytes()))
        .map_err(csv_io)?;
    for row in &rows.rows {
        write_row(&mut writer, row).map_err(csv_io)?;
    }
    writer.flush()
}

/// A csv writer's error as the I/O error it wraps, when it wraps one, so
/// that a closed pipe is still seen as one.
pub(super) fn csv_io(err: csv::Error) -> io::Error {
    if !matches!(err.kind(), csv::ErrorKind::Io(_)) {
        return io::Error::other(err);
    }
    match err.into_kind() {
        csv::ErrorKind::Io(err) => err,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// A CSV (`b','`) or TSV (`b'\t'`) writer with `\n` line ends.
pub(super) fn csv_writer<W: Write>(delimiter: u8, out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out)
}

/// Writes one row as a record, borrowing text cells rather than copying
/// them, and writing numbers through one buffer.
pub(super) fn write_row<W: Write>(writer: &mut csv::Writer<W>, row: &[Cell]) -> csv::Result<()> {
    let mut number = String::with_capacity(32);
    for cell in row {
        writer.write_field(field(cell, &mut number).as_bytes())?;
    }
    // An empty record after the fields just ends the line, as `write_record` would.
    writer.write_record(None::<&[u8]>)
}

/// A cell as a CSV field: shortest round-trip digits, empty for null.
/// Borrows text; numbers are written into `number`.
pub(super) fn field<'a>(cell: &'a Cell, number: &'a mut String) -> &'a str {
    match cell {
        Cell::Null => "",
        Cell::Text(text) => text,
        Cell::Int(i) => {
            number.clear();
            number.push_str(itoa::Buffer::new().format(*i));
            number
        }
        Cell::Number(v, _) if v.is_finite() => {
            number.clear();
            push_shortest(number, *v);
            number
        }
        Cell::Number(..) => "",
    }
}

/// One JSON array for the whole result: `[]` when empty, else one compact
/// object per line, which stays valid JSON yet reads and diffs like jsonl.
pub(super) fn json(rows: &Rows, out: &mut dyn Write) -> io::Result<()> {
    if rows.rows.is_empty() {
        return out.write_all(b"[]\n");
    }
    out.write_all(b"[")?;
    for (i, row) in rows.rows.iter().enumerate() {
        out.write_all(if i == 0 { b"\n  " } else { b",\n  " })?;
        serde_json::to_writer(&mut *out, &JsonRow(&rows.columns, row))?;
    }
    out.write_all(b"\n]\n")
}

/// One compact JSON object per line; nothing at all for no rows.
pub(super) fn jsonl(rows: &Rows, out: &mut dyn Write) -> io::Result<()> {
    for row in &rows.rows {
        serde_json::to_writer(&mut *out, &JsonRow(&rows.columns, row))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// `{"error": ..., "line": ..., "file": ...}` on one line, keys in that order.
pub(super) fn error_object(message: &str, kind: ErrorKind, location: ErrorLocation) -> String {
    // An error before any line was read (or of no line) is on line 0.
    let (line, file) = match location {
        ErrorLocation::None => (0, None),
        ErrorLocation::Line(line) => (line, None),
        ErrorLocation::File(file, line) => (line, Some(file)),
    };
    let mut entries = vec![
        ("error", Value::Text(message)),
        ("line", Value::Count(line)),
        ("kind", Value::Text(kind.name())),
    ];
    entries.extend(file.map(|file| ("file", Value::Text(file))));
    serde_json::to_string(&Object(entries)).expect("strings and integers always serialize")
}

/// A row as a JSON object. serde_json's own map sorts keys (no
/// `preserve_order` feature), so the object is written entry by entry.
pub(super) struct JsonRow<'a, N>(pub(super) &'a [N], pub(super) &'a [Cell]);

impl<N: AsRef<str>> Serialize for JsonRow<'_, N> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, cell) in self.0.iter().zip(self.1) {
            map.serialize_entry(name.as_ref(), &JsonCell(cell))?;
        }
        map.end()
    }
}

struct JsonCell<'a>(&'a Cell);

/// Integral floats that an f64 holds exactly print as integers (`1000000000`,
/// not `1000000000.0`); larger ones keep serde_json's float form (`1e300`).
const EXACT_INTEGER_LIMIT: f64 = 9_007_199_254_740_992.0; // 2^53

impl Serialize for JsonCell<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Cell::Null => serializer.serialize_unit(),
            Cell::Text(text) => serializer.serialize_str(text),
            Cell::Int(i) => serializer.serialize_i64(*i),
            Cell::Number(v, _) if !v.is_finite() => serializer.serialize_unit(),
            Cell::Number(v, _) if v.fract() == 0.0 && v.abs() < EXACT_INTEGER_LIMIT => {
                serializer.serialize_i64(*v as i64)
            }
            Cell::Number(v, _) => serializer.serialize_f64(*v),
        }
    }
}

enum Value<'a> {
    Text(&'a str),
    Count(usize),
}

/// A small JSON object with keys in the order given.
struct Object<'a>(Vec<(&'static str, Value<'a>)>);

impl Serialize for Object<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            match value {
                Value::Text(text) => map.serialize_entry(key, text)?,
                Value::Count(n) => map.serialize_entry(key, n)?,
            }
        }
        map.end()
    }
}
