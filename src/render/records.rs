//! Snapshot files for `.import` and `.export`: CSV, TSV and JSON Lines,
//! read and written one record at a time so that files of any size stream.
use std::io::{self, BufRead, Write};

use super::machine::{JsonRow, field};
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

/// Counts the lines of what a reader has read, so that a record's byte
/// offset can be turned into its line number however its lines end
/// (LF or CRLF) and whatever blank lines came before it. It keeps only the
/// line ends not yet asked about, a buffer's worth at most.
///
/// It also checks the quotes of every byte read, as RFC 4180 has them,
/// because the csv crate is lenient: it reads a quoted field that is never
/// closed to the end of the file, and glues text after a closing quote onto
/// the field (`"1"2` is `12`). The checker mirrors the csv crate's parser
/// (a field opens with a quote only at its start, `""` is a quote inside
/// one, `\r` and `\n` end records) and keeps the first problem it finds.
struct LineCounter<R> {
    inner: R,
    read: u64,
    /// Offsets of `\r` and `\n` bytes, and whether each is a `\n`.
    line_ends: std::collections::VecDeque<(u64, bool)>,
    lines_before: u64,
    /// The field delimiter: `,` or a tab.
    delimiter: u8,
    quoting: Quoting,
    /// `\n` bytes read so far.
    newlines: u64,
    /// The offset and line of the opening quote of the last quoted field.
    quote_offset: u64,
    quote_line: u64,
    /// The first quoting problem, and the offset of the byte that shows it.
    problem: Option<(u64, RecordError)>,
}

/// Where the quote checker is, byte by byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    /// At the start of a field (or of a record, or in blank lines).
    FieldStart,
    /// In a field that did not start with a quote: quotes are text.
    Unquoted,
    /// In a quoted field.
    Quoted,
    /// Just after a quote in a quoted field: it either closes the field
    /// or, followed by another quote, is a quote in the text.
    Closed,
    /// After a problem: the rest is not checked.
    Stopped,
}

const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

impl<R> LineCounter<R> {
    fn new(inner: R, delimiter: u8) -> Self {
        LineCounter {
            inner,
            read: 0,
            line_ends: std::collections::VecDeque::new(),
            lines_before: 0,
            delimiter,
            quoting: Quoting::FieldStart,
            newlines: 0,
            quote_offset: 0,
            quote_line: 0,
            problem: None,
        }
    }

    /// The 1-based line of the first byte at or after `offset` that does
    /// not end a line: csv positions a record where the previous one's line
    /// end or the blank lines before it start. Offsets must not go back.
    fn line_at(&mut self, offset: u64) -> u64 {
        let mut at = offset;
        while let Some(&(position, lf)) = self.line_ends.front() {
            if position < at {
                self.line_ends.pop_front();
                self.lines_before += u64::from(lf);
            } else if position == at {
                self.line_ends.pop_front();
                self.lines_before += u64::from(lf);
                at += 1;
            } else {
                break;
            }
        }
        self.lines_before + 1
    }

    /// The first quoting problem, if it lies before byte `end`: the csv
    /// reader reads ahead, and a problem belongs to the record that holds
    /// it, after any error of the records before.
    fn problem_before(&self, end: u64) -> Option<RecordError> {
        match &self.problem {
            Some((offset, problem)) if *offset < end => Some(problem.clone()),
            _ => None,
        }
    }

    /// Checks the quotes of `bytes`, read at offset `self.read`, and notes
    /// their line ends. Inside a field, only the bytes that can end it are
    /// looked at one by one.
    fn check(&mut self, bytes: &[u8]) {
        let delimiter = self.delimiter;
        let mut quoting = self.quoting;
        let mut newlines = self.newlines;
        // The csv crate skips a byte order mark at the start of its first
        // buffer, which is the first read.
        let mut i = if self.read == 0 && bytes.starts_with(UTF8_BOM) {
            UTF8_BOM.len()
        } else {
            0
        };
        while i < bytes.len() {
            match quoting {
                Quoting::Unquoted => {
                    while i < bytes.len()
                        && !matches!(bytes[i], b'\n' | b'\r')
                        && bytes[i] != delimiter
                    {
                        i += 1;
                    }
                }
                Quoting::Quoted => {
                    while i < bytes.len() && !matches!(bytes[i], b'"' | b'\n' | b'\r') {
                        i += 1;
                    }
                }
                _ => {}
            }
            let Some(&byte) = bytes.get(i) else { break };
            let line_end = byte == b'\n' || byte == b'\r';
            if line_end {
                let lf = byte == b'\n';
                self.line_ends.push_back((self.read + i as u64, lf));
                newlines += u64::from(lf);
            }
            quoting = match quoting {
                Quoting::FieldStart => {
                    if byte == b'"' {
                        self.quote_offset = self.read + i as u64;
                        self.quote_line = newlines + 1;
                        Quoting::Quoted
                    } else if byte == delimiter || line_end {
                        Quoting::FieldStart
                    } else {
                        Quoting::Unquoted
                    }
                }
                // The delimiter or a line end.
                Quoting::Unquoted => Quoting::FieldStart,
                Quoting::Quoted => {
                    if byte == b'"' {
                        Quoting::Closed
                    } else {
                        Quoting::Quoted
                    }
                }
                Quoting::Closed => {
                    if byte == b'"' {
                        Quoting::Quoted
                    } else if byte == delimiter || line_end {
                        Quoting::FieldStart
                    } else {
                        let open = self
                            .quote_offset
                            .checked_sub(self.read)
                            .map(|open| open as usize);
                        let field = glued_field(bytes, i, open, delimiter);
                        let message = format!(
                            "text after the closing quote of {field}; a quoted field ends at \
                             its closing quote (write a quote inside one as \"\")"
                        );
                        let offset = self.read + i as u64;
                        self.problem = Some((offset, RecordError::new(newlines + 1, message)));
                        Quoting::Stopped
                    }
                }
                Quoting::Stopped => Quoting::Stopped,
            };
            i += 1;
        }
        self.quoting = quoting;
        self.newlines = newlines;
    }

    /// At the end of the input: a quoted field still open is unterminated.
    fn finish(&mut self) {
        if self.quoting == Quoting::Quoted {
            let message =
                "unterminated quote: the quoted field that opens on this line is never closed";
            let problem = RecordError::new(self.quote_line, message);
            self.problem = Some((self.quote_offset, problem));
        }
        if self.quoting != Quoting::FieldStart {
            self.quoting = Quoting::Stopped;
        }
    }
}

/// The quoted field whose closing quote `bytes[at]` follows, from its
/// opening quote at `open` (when in `bytes`) through the text glued on, on
/// one line and shortened.
fn glued_field(bytes: &[u8], at: usize, open: Option<usize>, delimiter: u8) -> String {
    const BEFORE: usize = 40;
    const AFTER: usize = 20;
    let continues = |byte: u8| byte & 0xc0 == 0x80;
    let mut text = String::new();
    let mut start = match open {
        Some(open) if at - open <= BEFORE => open,
        _ => {
            text.push_str("...");
            at.saturating_sub(BEFORE)
        }
    };
    if at == 0 {
        // The closing quote ended the previous read.
        text.push('"');
    }
    while start < at && continues(bytes[start]) {
        start += 1;
    }
    let ends = |byte: u8| byte == delimiter || byte == b'\n' || byte == b'\r';
    let mut end = at;
    while end < bytes.len() && end - at < AFTER && !ends(bytes[end]) {
        end += 1;
    }
    while end < bytes.len() && continues(bytes[end]) {
        end += 1;
    }
    for c in String::from_utf8_lossy(&bytes[start..end]).chars() {
        if c.is_control() {
            text.extend(c.escape_debug());
        } else {
            text.push(c);
        }
    }
    if end < bytes.len() && !ends(bytes[end]) {
        text.push_str("...");
    }
    text
}

impl<R: io::Read> io::Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.finish();
        }
        self.check(&buf[..n]);
        self.read += n as u64;
        Ok(n)
    }
}

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
        fields.clear();
        match &mut self.source {
            Source::Delimited { reader, record } => {
                let result = reader.read_record(record);
                let end = match result {
                    Ok(false) => u64::MAX,
                    _ => reader.position().byte(),
                };
                if let Some(problem) = reader.get_ref().problem_before(end) {
                    return Err(problem);
                }
                match result {
                    Ok(false) => Ok(None),
                    Ok(true) => {
                        let offset = record.position().map_or(0, |p| p.byte());
                        let line = reader.get_mut().line_at(offset);
                        fields.extend(
                            record
                                .iter()
                                .map(|f| (!f.is_empty()).then(|| f.to_string())),
                        );
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
                text.clear();
                *line += 1;
                match input.read_line(text) {
                    Ok(0) => return Ok(None),
                    Ok(_) if text.trim().is_empty() => continue,
                    Ok(_) => {
                        json_fields(text, &self.header, fields)
                            .map_err(|message| RecordError::new(*line, message))?;
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
        csv::ErrorKind::Utf8 { .. } => "the line is not valid UTF-8".to_string(),
        _ => err.to_string(),
    };
    RecordError::new(line, message)
}

/// One JSON object's values, placed by key; numbers keep their digits.
fn json_fields(
    text: &str,
    keys: &[String],
    fields: &mut Vec<Option<String>>,
) -> Result<(), String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    if !value.is_object() {
        return Err("expected a JSON object on each line".to_string());
    }
    // A second parse keeps every entry in order, so that a key given twice
    // is an error rather than silently the last one.
    let Entries(entries) = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    fields.resize(keys.len(), None);
    let mut given = vec![false; keys.len()];
    for (key, value) in entries {
        let Some(index) = keys.iter().position(|k| *k == key) else {
            return Err(format!(
                "unknown key \"{key}\"; expected {}",
                keys.join(", ")
            ));
        };
        if std::mem::replace(&mut given[index], true) {
            return Err(format!("key \"{key}\" given twice"));
        }
        fields[index] = match value {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(s),
            serde_json::Value::Number(n) => Some(n.to_string()),
            other => {
                return Err(format!(
                    "\"{key}\" must be a string or a number, found {other}"
                ));
            }
        };
    }
    Ok(())
}

/// A JSON object's entries in the order written, duplicates kept.
struct Entries(Vec<(String, serde_json::Value)>);

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
                let mut writer = csv::WriterBuilder::new()
                    .delimiter(if format == FileFormat::Csv {
                        b','
                    } else {
                        b'\t'
                    })
                    .terminator(csv::Terminator::Any(b'\n'))
                    .from_writer(out);
                writer.write_record(columns)?;
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
            Sink::Delimited(writer) => Ok(writer.write_record(row.iter().map(field))?),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads every record of `input`, `chunk` bytes per read at most: each
    /// record as `LINE:field|field|...` (an empty field is empty), then the
    /// error that stopped the reading, if any.
    fn read_all(
        format: FileFormat,
        input: &[u8],
        chunk: usize,
    ) -> (Vec<String>, Option<RecordError>) {
        let trickle = io::BufReader::with_capacity(1, Trickle(input, chunk));
        let mut reader = match RecordReader::new(format, trickle, &["series", "period", "value"]) {
            Ok(reader) => reader,
            Err(err) => return (Vec::new(), Some(err)),
        };
        let mut records = vec![format!("1:{}", reader.header().join("|"))];
        let mut fields = Vec::new();
        loop {
            match reader.next_record(&mut fields) {
                Ok(Some(line)) => {
                    let texts: Vec<&str> =
                        fields.iter().map(|f| f.as_deref().unwrap_or("")).collect();
                    records.push(format!("{line}:{}", texts.join("|")));
                }
                Ok(None) => return (records, None),
                Err(err) => return (records, Some(err)),
            }
        }
    }

    /// Gives out at most `.1` bytes per read, to split the input anywhere.
    struct Trickle<'a>(&'a [u8], usize);

    impl io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.1).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    const WHOLE: usize = usize::MAX;

    /// Well-quoted CSV and TSV: the records read, line by line.
    #[rustfmt::skip]
    const VALID: &[(FileFormat, &str, &[&str])] = &[
        (FileFormat::Csv, "a,b\n\"say \"\"hi\"\"\",\"\"\"\"\n", &["1:a|b", "2:say \"hi\"|\""]),
        (FileFormat::Csv, "a,b\nx,\"two\nlines\"\ny,\"three\n\nlines\"\nz,1\n",
            &["1:a|b", "2:x|two\nlines", "4:y|three\n\nlines", "7:z|1"]),
        (FileFormat::Csv, "a,b\r\n\"x\",\"1,2\"\r\ny,\"CR\r\nLF\"\r\nz,3\r\n",
            &["1:a|b", "2:x|1,2", "3:y|CR\r\nLF", "5:z|3"]),
        (FileFormat::Csv, "a,b,c\n\"\",\"\",\"\"\n,\"\",\n", &["1:a|b|c", "2:||", "3:||"]),
        (FileFormat::Csv, "a,b\n5\" screen,a\"b\"c\n x \"y\",\"\"\n", &["1:a|b", "2:5\" screen|a\"b\"c", "3: x \"y\"|"]),
        (FileFormat::Csv, "a,b\n\nx,\"end\"\n\n\ny,\"eof\"", &["1:a|b", "3:x|end", "6:y|eof"]),
        (FileFormat::Csv, "\"a\",\"b\"\nx,1", &["1:a|b", "2:x|1"]),
        (FileFormat::Csv, "\u{feff}\"a\",b\n\"x\",\"数据 \"\"ü\"\"\"\n", &["1:a|b", "2:x|数据 \"ü\""]),
        (FileFormat::Csv, "a,b\n\"a\tb\",c\td\n", &["1:a|b", "2:a\tb|c\td"]),
        (FileFormat::Tsv, "a\tb\n\"say \"\"hi\"\"\"\t\"1\t2\"\n\"two\nlines\"\t\"\"\n5\" screen\t,\"x\"\n",
            &["1:a|b", "2:say \"hi\"|1\t2", "3:two\nlines|", "5:5\" screen|,\"x\""]),
        (FileFormat::Tsv, "a\tb\r\n\"x\"\t\"y\"\r\n", &["1:a|b", "2:x|y"]),
    ];

    #[test]
    fn well_quoted_files_read_as_written() {
        for &(format, input, expected) in VALID {
            // csv skips a byte order mark only when its first read has it.
            let chunks: &[usize] = match input.starts_with('\u{feff}') {
                true => &[WHOLE],
                false => &[WHOLE, 1, 2, 3, 5],
            };
            for &chunk in chunks {
                let (records, error) = read_all(format, input.as_bytes(), chunk);
                assert_eq!(error, None, "{format:?} {input:?} in reads of {chunk}");
                assert_eq!(
                    records, expected,
                    "{format:?} {input:?} in reads of {chunk}"
                );
            }
        }
    }

    /// Badly quoted CSV and TSV: the records read before the error, the
    /// error's line and substrings of its message.
    #[rustfmt::skip]
    const INVALID: &[(FileFormat, &str, usize, u64, &[&str])] = &[
        // A quote never closed swallows the rest of the file.
        (FileFormat::Csv, "series,period,value,note\nx,2024,1,\"abc\nx,2025,2,def\n", 0, 2,
            &["unterminated quote", "never closed"]),
        (FileFormat::Csv, "series,period,value\nx,2024,1\nusers,2025,\"1", 1, 3, &["unterminated quote"]),
        (FileFormat::Csv, "a,b\nx,1\ny,\"two\nthree\nfour\n\nsix\n", 1, 3, &["unterminated quote"]),
        (FileFormat::Csv, "a,b\nx,\"a\"\"\n", 0, 2, &["unterminated quote"]),
        (FileFormat::Csv, "a,b\r\nx,1\r\n\"y,2\r\nz,3\r\n", 1, 3, &["unterminated quote"]),
        (FileFormat::Csv, "\"a,b\nx,1\n", 0, 1, &["unterminated quote"]),
        (FileFormat::Tsv, "a\tb\nx\t1\ny\t\"2\n", 1, 3, &["unterminated quote"]),
        // Text glued after a closing quote.
        (FileFormat::Csv, "series,period,value\nx,2024,\"1\"2\n", 0, 2,
            &["text after the closing quote of \"1\"2;", "write a quote inside one as \"\""]),
        (FileFormat::Csv, "a,b\nx,1\ny,\"a\"b,c\n", 1, 3, &["closing quote of \"a\"b;"]),
        (FileFormat::Csv, "a,b\nx,\"say \"hi\" now\"\n", 0, 2, &["closing quote of \"say \"hi\" now\";"]),
        (FileFormat::Csv, "a,b\nx,\"a\" \n", 0, 2, &["closing quote of \"a\" ;"]),
        (FileFormat::Csv, "a,b\nx,\"a\nb\n\"c\n", 0, 4, &["closing quote of \"a\\nb\\n\"c;"]),
        (FileFormat::Csv, "a,b\r\nx,\"1\"\"\"x\r\n", 0, 2, &["closing quote of \"1\"\"\"x;"]),
        (FileFormat::Csv, "\"a\"b,c\nx,1\n", 0, 1, &["closing quote of \"a\"b;"]),
        (FileFormat::Tsv, "a\tb\nx\t\"1\"2\t\n", 0, 2, &["closing quote of \"1\"2;"]),
        (FileFormat::Csv, "a,b\n\"a\tb\"\tc,d\n", 0, 2, &["closing quote of \"a\\tb\"\\tc;"]),
        // Long fields are shortened.
        (FileFormat::Csv,
            "a,b\nx,\"0123456789012345678901234567890123456789012345\"678901234567890123456789\n", 0, 2,
            &["closing quote of ...789012345678901234567890123456789012345\"67890123456789012345...;"]),
        // An earlier error comes first, though the quote problem is read ahead.
        (FileFormat::Csv, "a,b\nx\ny,\"1\"2\n", 0, 2, &["1 fields where the header has 2"]),
        (FileFormat::Csv, "a,b\nx,1\ny,\"1\"2\nz,\"3\n", 1, 3, &["closing quote of \"1\"2;"]),
    ];

    #[test]
    fn badly_quoted_files_fail_at_the_line_of_the_problem() {
        for &(format, input, good, line, needles) in INVALID {
            for chunk in [WHOLE, 1, 2, 3, 5] {
                let context = format!("{format:?} {input:?} in reads of {chunk}");
                let (records, error) = read_all(format, input.as_bytes(), chunk);
                let error = error.unwrap_or_else(|| panic!("{context}: no error"));
                // The header, then the good records.
                assert_eq!(
                    records.len(),
                    good + usize::from(line > 1),
                    "{context}: {records:?}"
                );
                assert_eq!(error.line, line, "{context}: {}", error.message);
                if chunk == WHOLE {
                    for needle in needles {
                        assert!(
                            error.message.contains(needle),
                            "{context}: {}",
                            error.message
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn json_lines_ignore_csv_quoting() {
        let input = b"{\"series\":\"x\\\"\",\"period\":\"2024\",\"value\":\"1\\\"2\"}\n\"abc\n";
        let (records, error) = read_all(FileFormat::Jsonl, input, WHOLE);
        assert_eq!(records, ["1:series|period|value", "1:x\"|2024|1\"2"]);
        let error = error.unwrap();
        assert_eq!(error.line, 2);
        assert!(error.message.contains("invalid JSON"), "{}", error.message);
    }
}
