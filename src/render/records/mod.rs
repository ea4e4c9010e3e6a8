//! Snapshot files for `.import` and `.export`: CSV, TSV and JSON Lines,
//! read and written one record at a time so that files of any size stream.
use std::io::{self, BufRead, Write};

use super::machine::{JsonRow, csv_io, csv_writer, write_row};
use crate::core::rows::Cell;

/// The file formats of `.import` and `.export`, chosen by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Tsv,
    Jsonl,
}

impl FileFormat {
    /// `.csv`, `.tsv` or `.jsonl`, in any case.
    pub fn from_path(path: &str) -> Option<FileFormat> {
        let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Some(FileFormat::Csv),
            "tsv" => Some(FileFormat::Tsv),
            "jsonl" => Some(FileFormat::Jsonl),
            _ => None,
        }
    }
}

/// A problem with one line of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    pub line: u64,
    pub message: String,
}

impl RecordError {
    fn new(line: u64, message: impl Into<String>) -> RecordError {
        RecordError {
            line,
            message: message.into(),
        }
    }
}

pub mod cap;
mod lines;
pub mod table;
#[cfg(test)]
mod tests;

use lines::LineCounter;

/// Reads a header, then records of optional fields (an empty cell or a JSON
/// null is `None`), each with its line number.
pub struct RecordReader<R: BufRead> {
    source: Source<R>,
    header: Vec<String>,
}

enum Source<R: BufRead> {
    Delimited {
        reader: Box<csv::Reader<LineCounter<R>>>,
        record: csv::StringRecord,
    },
    Jsonl {
        input: R,
        line: u64,
        text: String,
    },
}

impl<R: BufRead> RecordReader<R> {
    /// A reader of `input`. CSV and TSV take their columns from the header
    /// line; JSON Lines objects may use any of `json_keys`, in any order.
    pub fn new(format: FileFormat, input: R, json_keys: &[&str]) -> Result<Self, RecordError> {
        Self::with_lengths(format, input, json_keys, false)
    }

    /// A reader that, when `flexible`, lets records have fewer or more
    /// fields than the header (the caller checks them).
    pub fn with_lengths(
        format: FileFormat,
        input: R,
        json_keys: &[&str],
        flexible: bool,
    ) -> Result<Self, RecordError> {
        let delimiter = match format {
            FileFormat::Csv => b',',
            FileFormat::Tsv => b'\t',
            FileFormat::Jsonl => {
                return Ok(RecordReader {
                    source: Source::Jsonl {
                        input,
                        line: 0,
                        text: String::new(),
                    },
                    header: json_keys.iter().map(|k| k.to_string()).collect(),
                });
            }
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(true)
            .flexible(flexible)
            .from_reader(LineCounter::new(input, delimiter));
        let headers = reader.headers().map_err(|e| csv_error(&e, 1)).cloned();
        let end = reader.position().byte();
        if let Some(problem) = reader.get_ref().problem_before(end) {
            return Err(problem);
        }
        let header = headers?.iter().map(|h| h.trim().to_string()).collect();
        Ok(RecordReader {
            source: Source::Delimited {
                reader: Box::new(reader),
                record: csv::StringRecord::new(),
            },
            header,
        })
    }

    /// The column names, in the order of each record's fields.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// Reads the next record into `fields` (one per header column) and
    /// returns its line number, or `None` at the end of the file.
    pub fn next_record(
        &mut self,
        fields: &mut Vec<Option<String>>,
    ) -> Result<Option<u64>, RecordError> {
        match &mut self.source {
            Source::Delimited { reader, record } => {
                let result = reader.read_record(record);
                if !matches!(result, Ok(true)) {
                    fields.clear();
                }
                let end = match result {
                    Ok(false) => u64::MAX,
                    _ => reader.position().byte(),
                };
                if let Some(problem) = reader.get_ref().problem_before(end) {
                    fields.clear();
                    return Err(problem);
                }
                match result {
                    Ok(false) => Ok(None),
                    Ok(true) => {
                        let offset = record.position().map_or(0, |p| p.byte());
                        let line = reader.get_mut().line_at(offset);
                        // The texts of the record before are written over,
                        // not allocated again for every field of every row.
                        fields.truncate(record.len());
                        for (at, field) in record.iter().enumerate() {
                            match fields.get_mut(at) {
                                Some(slot) if field.is_empty() => *slot = None,
                                Some(Some(text)) => {
                                    text.clear();
                                    text.push_str(field);
                                }
                                Some(slot) => *slot = Some(field.to_string()),
                                None => fields.push((!field.is_empty()).then(|| field.to_string())),
                            }
                        }
                        Ok(Some(line))
                    }
                    Err(err) => {
                        let offset = err.position().map_or(0, |p| p.byte());
                        let line = reader.get_mut().line_at(offset);
                        Err(csv_error(&err, line))
                    }
                }
            }
            Source::Jsonl { input, line, text } => loop {
                fields.clear();
                text.clear();
                *line += 1;
                match input.read_line(text) {
                    Ok(0) => return Ok(None),
                    Ok(_) if text.trim().is_empty() => continue,
                    Ok(_) => {
                        json_fields(text, &self.header, fields)
                            .map_err(|error| RecordError::new(*line, error.to_string()))?;
                        return Ok(Some(*line));
                    }
                    Err(err) => return Err(RecordError::new(*line, format!("cannot read: {err}"))),
                }
            },
        }
    }
}

fn csv_error(err: &csv::Error, line: u64) -> RecordError {
    let message = match err.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields where the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => table::NOT_UTF8.replace("the text", "the line"),
        _ => err.to_string(),
    };
    RecordError::new(line, message)
}

/// Why a line of JSON Lines is not a record.
#[derive(Debug, thiserror::Error)]
enum JsonLineError {
    #[error("invalid JSON: {0}")]
    Invalid(#[source] serde_json::Error),
    #[error("expected a JSON object on each line")]
    NotObject,
    #[error("unknown key \"{key}\"; expected {}", expected.join(", "))]
    UnknownKey { key: String, expected: Vec<String> },
    #[error("key \"{0}\" given twice")]
    KeyTwice(String),
    #[error("\"{key}\" must be a string or a number, found {found}")]
    NotScalar {
        key: String,
        found: serde_json::Value,
    },
}

/// One JSON object's values, placed by key; numbers keep their digits.
fn json_fields(
    text: &str,
    keys: &[String],
    fields: &mut Vec<Option<String>>,
) -> Result<(), JsonLineError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(JsonLineError::Invalid)?;
    if !value.is_object() {
        return Err(JsonLineError::NotObject);
    }
    // A second parse keeps every entry in order, so that a key given twice
    // is an error rather than silently the last one.
    let Entries(entries) = serde_json::from_str(text).map_err(JsonLineError::Invalid)?;
    fields.resize(keys.len(), None);
    let mut given = vec![false; keys.len()];
    for (key, value) in entries {
        let Some(index) = keys.iter().position(|k| *k == key) else {
            return Err(JsonLineError::UnknownKey {
                key,
                expected: keys.to_vec(),
            });
        };
        if std::mem::replace(&mut given[index], true) {
            return Err(JsonLineError::KeyTwice(key));
        }
        fields[index] = match value {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(s),
            serde_json::Value::Number(n) => Some(n.to_string()),
            found => return Err(JsonLineError::NotScalar { key, found }),
        };
    }
    Ok(())
}

/// A JSON object's entries in the order written, duplicates kept.
pub(super) struct Entries(pub(super) Vec<(String, serde_json::Value)>);

impl<'de> serde::Deserialize<'de> for Entries {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

/// Writes a header, then one record at a time.
pub struct RecordWriter<W: Write> {
    sink: Sink<W>,
    columns: Vec<&'static str>,
}

enum Sink<W: Write> {
    Delimited(Box<csv::Writer<W>>),
    Jsonl(W),
}

impl<W: Write> RecordWriter<W> {
    pub fn new(format: FileFormat, columns: &[&'static str], out: W) -> io::Result<Self> {
        let sink = match format {
            FileFormat::Jsonl => Sink::Jsonl(out),
            FileFormat::Csv | FileFormat::Tsv => {
                let delimiter = if format == FileFormat::Csv {
                    b','
                } else {
                    b'\t'
                };
                let mut writer = csv_writer(delimiter, out);
                writer.write_record(columns).map_err(csv_io)?;
                Sink::Delimited(Box::new(writer))
            }
        };
        Ok(RecordWriter {
            sink,
            columns: columns.to_vec(),
        })
    }

    pub fn write(&mut self, row: &[Cell]) -> io::Result<()> {
        match &mut self.sink {
            Sink::Delimited(writer) => write_row(writer, row).map_err(csv_io),
            Sink::Jsonl(out) => {
                serde_json::to_writer(&mut *out, &JsonRow(&self.columns, row))?;
                out.write_all(b"\n")
            }
        }
    }

    pub fn finish(self) -> io::Result<()> {
        match self.sink {
            Sink::Delimited(mut writer) => writer.flush(),
            Sink::Jsonl(mut out) => out.flush(),
        }
    }
}
