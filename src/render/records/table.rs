//! Tables of any of `.import`'s formats, read row by row as [`TableCell`]s:
//! CSV and TSV, JSON Lines and JSON arrays (all streamed, and gzipped when
//! the name ends in `.gz`), and the sheets of `.xlsx`, `.xls` and `.ods`
//! workbooks.
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};

use calamine::{Data, Ods, Range, Reader, Sheets, StyleRange, Xls, Xlsx, open_workbook_from_rs};
use serde::Deserialize;

use super::{Entries, FileFormat, RecordError, RecordReader};
use crate::core::table::TableCell;

/// Files are read in large blocks.
const BUFFER: usize = 1 << 16;

/// The kinds of file a table may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    Csv,
    Tsv,
    Jsonl,
    Json,
    Xlsx,
    Xls,
    Ods,
}

impl TableFormat {
    /// The format a file name says, and whether it is gzipped; `None` for
    /// a name no format has.
    pub fn from_path(path: &str) -> Option<(TableFormat, bool)> {
        let lower = path.to_ascii_lowercase();
        let (name, gz) = match lower.strip_suffix(".gz") {
            Some(name) => (name, true),
            None => (lower.as_str(), false),
        };
        let format = match name.rsplit_once('.')?.1 {
            "csv" => TableFormat::Csv,
            "tsv" => TableFormat::Tsv,
            "jsonl" => TableFormat::Jsonl,
            "json" => TableFormat::Json,
            "xlsx" | "xlsm" => TableFormat::Xlsx,
            "xls" => TableFormat::Xls,
            "ods" => TableFormat::Ods,
            _ => return None,
        };
        if gz && format.is_spreadsheet() {
            return None;
        }
        Some((format, gz))
    }

    pub fn is_spreadsheet(self) -> bool {
        matches!(
            self,
            TableFormat::Xlsx | TableFormat::Xls | TableFormat::Ods
        )
    }
}

/// A problem at a place of the file: `12` (a line) or `Data!B17` (a cell).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError {
    pub place: String,
    pub message: String,
}

impl TableError {
    fn line(line: u64, message: impl Into<String>) -> TableError {
        TableError {
            place: line.to_string(),
            message: message.into(),
        }
    }
}

impl From<RecordError> for TableError {
    fn from(e: RecordError) -> TableError {
        TableError::line(e.line, e.message)
    }
}

/// A table being read: its header, then its rows.
pub struct TableReader {
    header: Vec<String>,
    source: TableSource,
    /// Rows that look like notes under the table (`Data from database:
    /// ...` with nothing after it), held back until a row of data shows
    /// that they were not at the end after all.
    held: std::collections::VecDeque<HeldRow>,
    /// Whether held rows are being handed out.
    releasing: bool,
}

/// A row held back: its row number, cells and, for a line of a CSV or TSV
/// file, its number of fields.
struct HeldRow {
    row: u64,
    cells: Vec<TableCell>,
    fields: usize,
}

enum TableSource {
    Delimited {
        reader: Box<RecordReader<Box<dyn BufRead>>>,
        fields: Vec<Option<String>>,
    },
    Json(Box<JsonObjects>),
    Sheet(Box<SheetRows>),
}

impl TableReader {
    /// Opens `file`, named `path`, as `format`: `--sheet` picks a sheet of
    /// a workbook, `skip` lines (or rows) come before the header.
    pub fn open(
        file: File,
        format: TableFormat,
        gz: bool,
        sheet: Option<&str>,
        skip: u64,
    ) -> Result<TableReader, TableError> {
        if format.is_spreadsheet() {
            let rows = SheetRows::open(file, format, sheet, skip)?;
            return Ok(TableReader::new(
                rows.header.clone(),
                TableSource::Sheet(Box::new(rows)),
            ));
        }
        let input = open_text(file, gz, skip)?;
        // A JSON array may well be one long line; its records are bounded
        // by the objects they are.
        let input: Box<dyn BufRead> = match format {
            TableFormat::Json => input,
            _ => Box::new(super::cap::LineCap::starting_at(input, skip + 1)),
        };
        TableReader::from_text(input, format)
    }

    /// A reader of the text of a CSV, TSV, JSON Lines or JSON file.
    pub fn from_text(
        input: Box<dyn BufRead>,
        format: TableFormat,
    ) -> Result<TableReader, TableError> {
        match format {
            TableFormat::Csv | TableFormat::Tsv => {
                let records = if format == TableFormat::Csv {
                    FileFormat::Csv
                } else {
                    FileFormat::Tsv
                };
                let reader = RecordReader::with_lengths(records, input, &[], true)?;
                Ok(TableReader::new(
                    reader.header().to_vec(),
                    TableSource::Delimited {
                        reader: Box::new(reader),
                        fields: Vec::new(),
                    },
                ))
            }
            TableFormat::Xlsx | TableFormat::Xls | TableFormat::Ods => Err(TableError::line(
                1,
                "a workbook is not text; open it as a file",
            )),
            TableFormat::Jsonl | TableFormat::Json => {
                let mut objects = JsonObjects::new(input, format == TableFormat::Json)?;
                let header = objects.read_header()?;
                Ok(TableReader::new(
                    header,
                    TableSource::Json(Box::new(objects)),
                ))
            }
        }
    }

    /// The column names, one per cell of each row.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    fn new(header: Vec<String>, source: TableSource) -> TableReader {
        TableReader {
            header,
            source,
            held: std::collections::VecDeque::new(),
            releasing: false,
        }
    }

    /// Reads the next row into `cells` (one per column) and returns its
    /// row: a line number, or a sheet's row number; `None` at the end.
    /// Rows with no value are skipped, and so are rows at the end of the
    /// table whose only text is in the first column (the notes that
    /// statistics offices put under their tables).
    pub fn next_row(&mut self, cells: &mut Vec<TableCell>) -> Result<Option<u64>, TableError> {
        loop {
            if self.releasing {
                if let Some(held) = self.held.pop_front() {
                    self.check_length(held.row, held.fields)?;
                    *cells = held.cells;
                    return Ok(Some(held.row));
                }
                self.releasing = false;
            }
            let mut fields = self.header.len();
            let Some(row) = self.next_raw(cells, &mut fields)? else {
                self.held.clear();
                return Ok(None);
            };
            if cells.iter().all(TableCell::is_empty) {
                continue;
            }
            let note = fields <= self.header.len()
                && self.header.len() > 1
                && cells.iter().skip(1).all(TableCell::is_empty);
            if note {
                self.held.push_back(HeldRow {
                    row,
                    cells: std::mem::take(cells),
                    fields,
                });
                continue;
            }
            if self.held.is_empty() {
                self.check_length(row, fields)?;
                return Ok(Some(row));
            }
            self.held.push_back(HeldRow {
                row,
                cells: std::mem::take(cells),
                fields,
            });
            self.releasing = true;
        }
    }

    /// A line of a CSV or TSV file must have as many fields as the header.
    fn check_length(&self, row: u64, fields: usize) -> Result<(), TableError> {
        if fields == self.header.len() {
            return Ok(());
        }
        Err(TableError::line(
            row,
            format!("{fields} fields where the header has {}", self.header.len()),
        ))
    }

    fn next_raw(
        &mut self,
        cells: &mut Vec<TableCell>,
        fields: &mut usize,
    ) -> Result<Option<u64>, TableError> {
        cells.clear();
        match &mut self.source {
            TableSource::Delimited {
                reader,
                fields: text,
            } => {
                let Some(line) = reader.next_record(text)? else {
                    return Ok(None);
                };
                *fields = text.len();
                cells.extend(text.drain(..).map(|f| match f {
                    Some(text) => TableCell::Text(text),
                    None => TableCell::Empty,
                }));
                cells.resize(self.header.len().max(cells.len()), TableCell::Empty);
                Ok(Some(line))
            }
            TableSource::Json(objects) => objects.next(cells),
            TableSource::Sheet(rows) => Ok(rows.next(cells)),
        }
    }

    /// Where a row's cell is: its line, or `SHEET!CELL` in a workbook.
    pub fn place(&self, row: u64, column: usize) -> String {
        match &self.source {
            TableSource::Sheet(rows) => rows.place(row, column),
            _ => row.to_string(),
        }
    }

    /// Where the header (or a column of it) is.
    pub fn header_place(&self, column: usize) -> String {
        match &self.source {
            TableSource::Sheet(rows) => rows.place(rows.header_row, column),
            _ => "1".to_string(),
        }
    }
}

/// The text of a file, decompressed when `gz`, after `skip` lines.
pub fn open_text(file: File, gz: bool, skip: u64) -> Result<Box<dyn BufRead>, TableError> {
    let mut input: Box<dyn BufRead> = if gz {
        Box::new(BufReader::with_capacity(
            BUFFER,
            flate2::read::MultiGzDecoder::new(BufReader::with_capacity(BUFFER, file)),
        ))
    } else {
        Box::new(BufReader::with_capacity(BUFFER, file))
    };
    // A byte-order mark at the start of a file is not part of its text.
    let bom = input
        .fill_buf()
        .map_err(|e| TableError::line(1, format!("cannot read: {e}")))?
        .starts_with(b"\xef\xbb\xbf");
    if bom {
        input.consume(3);
    }
    let mut line = Vec::new();
    for skipped in 1..=skip {
        line.clear();
        let read = input
            .read_until(b'\n', &mut line)
            .map_err(|e| TableError::line(skipped, format!("cannot read: {e}")))?;
        if read == 0 {
            return Err(TableError::line(
                skipped,
                format!("--skip {skip} skips past the end of the file"),
            ));
        }
    }
    Ok(input)
}

/// The advice for text that is not UTF-8.
pub const NOT_UTF8: &str = "the text is not valid UTF-8; convert the file first, e.g. with \
                            iconv -f WINDOWS-1252 -t UTF-8";

/// Counts the lines of what passes through it.
struct Counting {
    inner: Box<dyn BufRead>,
    newlines: u64,
}

impl Read for Counting {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.newlines += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
        Ok(n)
    }
}

/// An object's line and its entries in the order written.
type JsonObject = (u64, Vec<(String, serde_json::Value)>);

/// JSON objects one at a time: the elements of an array (never read into
/// memory whole) or the lines of JSON Lines.
struct JsonObjects {
    input: Counting,
    array: bool,
    /// Whether the array's `[` (or the first line) has been read.
    first: bool,
    done: bool,
    columns: HashMap<String, usize>,
    pending: Option<JsonObject>,
}

impl JsonObjects {
    fn new(input: Box<dyn BufRead>, array: bool) -> Result<JsonObjects, TableError> {
        let mut objects = JsonObjects {
            input: Counting {
                inner: input,
                newlines: 0,
            },
            array,
            first: true,
            done: false,
            columns: HashMap::new(),
            pending: None,
        };
        // A byte-order mark may open the text.
        let start = objects
            .input
            .inner
            .fill_buf()
            .map_err(|e| TableError::line(1, e.to_string()))?;
        if start.starts_with(b"\xef\xbb\xbf") {
            objects.input.inner.consume(3);
        }
        Ok(objects)
    }

    /// The keys of the first object, which every object may use.
    fn read_header(&mut self) -> Result<Vec<String>, TableError> {
        let Some((line, entries)) = self.next_object()? else {
            return Err(TableError::line(
                self.input.newlines + 1,
                if self.array {
                    "the array holds no objects"
                } else {
                    "the file holds no objects"
                },
            ));
        };
        let mut header = Vec::new();
        for (key, _) in &entries {
            if self.columns.insert(key.clone(), header.len()).is_some() {
                return Err(TableError::line(line, format!("key \"{key}\" given twice")));
            }
            header.push(key.clone());
        }
        self.pending = Some((line, entries));
        Ok(header)
    }

    fn next(&mut self, cells: &mut Vec<TableCell>) -> Result<Option<u64>, TableError> {
        let (line, entries) = match self.pending.take() {
            Some(object) => object,
            None => match self.next_object()? {
                Some(object) => object,
                None => return Ok(None),
            },
        };
        cells.resize(self.columns.len(), TableCell::Empty);
        let mut given = vec![false; self.columns.len()];
        for (key, value) in entries {
            let Some(&column) = self.columns.get(&key) else {
                return Err(TableError::line(
                    line,
                    format!(
                        "key \"{key}\" is not in the first object; the first object names every column"
                    ),
                ));
            };
            if std::mem::replace(&mut given[column], true) {
                return Err(TableError::line(line, format!("key \"{key}\" given twice")));
            }
            cells[column] = match value {
                serde_json::Value::Null => TableCell::Empty,
                serde_json::Value::String(s) => TableCell::Text(s),
                serde_json::Value::Number(n) => TableCell::Number(n.as_f64().unwrap_or(f64::NAN)),
                serde_json::Value::Bool(b) => TableCell::Text(b.to_string()),
                other => {
                    let kind = if other.is_array() {
                        "an array"
                    } else {
                        "an object"
                    };
                    return Err(TableError::line(
                        line,
                        format!("key \"{key}\" holds {kind}; expected a string, a number or null"),
                    ));
                }
            };
        }
        Ok(Some(line))
    }

    /// Skips white space (and, in an array, the separators) to the next
    /// object; the line it starts on and its entries.
    fn next_object(&mut self) -> Result<Option<JsonObject>, TableError> {
        if self.done {
            return Ok(None);
        }
        let expected = if !self.array {
            None
        } else if self.first {
            Some(b'[')
        } else {
            Some(b',')
        };
        let mut separator_seen = false;
        loop {
            let byte = self.peek()?;
            let line = self.input.newlines + 1;
            match byte {
                None if self.array => {
                    return Err(TableError::line(
                        line,
                        "the JSON array is not closed with ]",
                    ));
                }
                None => {
                    self.done = true;
                    return Ok(None);
                }
                Some(b' ' | b'\t' | b'\r' | b'\n') => self.input.inner.consume(1),
                Some(b) if Some(b) == expected && !separator_seen => {
                    self.input.inner.consume(1);
                    separator_seen = true;
                    if b == b'[' {
                        // An empty array.
                        self.first = false;
                    }
                }
                Some(b']') if self.array && (separator_seen || !self.first) => {
                    if separator_seen && expected == Some(b',') {
                        return Err(TableError::line(line, "a comma before ] ends the array"));
                    }
                    self.input.inner.consume(1);
                    self.done = true;
                    self.trailing()?;
                    return Ok(None);
                }
                Some(_) if self.array && !separator_seen => {
                    let what = if expected == Some(b'[') {
                        "a .json file holds an array of objects: expected ["
                    } else {
                        "expected , or ] after an object"
                    };
                    return Err(TableError::line(line, what));
                }
                Some(_) => {
                    self.first = false;
                    let mut de = serde_json::Deserializer::from_reader(&mut self.input);
                    let entries = Entries::deserialize(&mut de).map_err(|e| {
                        let at = line + e.line().saturating_sub(1) as u64;
                        TableError::line(at, json_message(&e))
                    })?;
                    return Ok(Some((line, entries.0)));
                }
            }
        }
    }

    /// After the array's `]` only white space may follow.
    fn trailing(&mut self) -> Result<(), TableError> {
        loop {
            match self.peek()? {
                None => return Ok(()),
                Some(b' ' | b'\t' | b'\r' | b'\n') => self.input.inner.consume(1),
                Some(_) => {
                    return Err(TableError::line(
                        self.input.newlines + 1,
                        "text after the end of the JSON array",
                    ));
                }
            }
        }
    }

    fn peek(&mut self) -> Result<Option<u8>, TableError> {
        let line = self.input.newlines + 1;
        let buffer = self
            .input
            .inner
            .fill_buf()
            .map_err(|e| TableError::line(line, format!("cannot read: {e}")))?;
        let byte = buffer.first().copied();
        if byte == Some(b'\n') {
            self.input.newlines += 1;
        }
        Ok(byte)
    }
}

fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    if text.contains("unicode") || text.contains("UTF-8") {
        return NOT_UTF8.to_string();
    }
    // serde_json ends its messages with the place, which is given already.
    let text = match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    };
    if text.starts_with("invalid type") {
        return "expected a JSON object".to_string();
    }
    format!("invalid JSON: {text}")
}

/// The rows of one sheet of a workbook.
struct SheetRows {
    name: String,
    range: Range<Data>,
    styles: StyleRange,
    header: Vec<String>,
    /// The header's row and the next row to read, counted from 1.
    header_row: u64,
    next: u64,
    /// The first row and column of the range, counted from 0.
    first_row: u32,
    first_column: u32,
}

impl SheetRows {
    fn open(
        file: File,
        format: TableFormat,
        sheet: Option<&str>,
        skip: u64,
    ) -> Result<SheetRows, TableError> {
        let reader = BufReader::new(file);
        let failed = |e: &dyn std::fmt::Display| TableError {
            place: "1".to_string(),
            message: format!("cannot read the workbook: {e}"),
        };
        let mut book: Sheets<BufReader<File>> = match format {
            TableFormat::Xlsx => {
                Sheets::Xlsx(open_workbook_from_rs::<Xlsx<_>, _>(reader).map_err(|e| failed(&e))?)
            }
            TableFormat::Xls => {
                Sheets::Xls(open_workbook_from_rs::<Xls<_>, _>(reader).map_err(|e| failed(&e))?)
            }
            _ => Sheets::Ods(open_workbook_from_rs::<Ods<_>, _>(reader).map_err(|e| failed(&e))?),
        };
        let names = book.sheet_names();
        let name = match sheet {
            Some(wanted) => names
                .iter()
                .find(|n| *n == wanted)
                .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(wanted)))
                .cloned()
                .ok_or_else(|| TableError {
                    place: "1".to_string(),
                    message: format!(
                        "the workbook has no sheet \"{wanted}\"; its sheets are {}",
                        quoted_list(&names)
                    ),
                })?,
            None => names
                .first()
                .cloned()
                .ok_or_else(|| failed(&"it has no sheets"))?,
        };
        let range = book.worksheet_range(&name).map_err(|e| failed(&e))?;
        let styles = book
            .worksheet_style(&name)
            .unwrap_or_else(|_| StyleRange::empty());
        let (first_row, first_column) = range.start().unwrap_or((0, 0));
        let mut rows = SheetRows {
            name,
            range,
            styles,
            header: Vec::new(),
            header_row: 0,
            next: u64::from(first_row) + 1,
            first_row,
            first_column,
        };
        rows.next = rows.next.max(skip + 1);
        let mut cells = Vec::new();
        let Some(header_row) = rows.next(&mut cells) else {
            return Err(TableError {
                place: format!("{}!A{}", rows.name, skip + 1),
                message: "the sheet has no header row".to_string(),
            });
        };
        rows.header_row = header_row;
        rows.header = cells
            .iter()
            .map(|c| c.text().map(|t| t.trim().to_string()).unwrap_or_default())
            .collect();
        Ok(rows)
    }

    /// The next row that is not empty, and its number.
    fn next(&mut self, cells: &mut Vec<TableCell>) -> Option<u64> {
        let width = self.range.width();
        loop {
            let index = self.next.checked_sub(u64::from(self.first_row) + 1)? as usize;
            if index >= self.range.height() {
                return None;
            }
            let row = self.next;
            self.next += 1;
            cells.clear();
            for column in 0..width {
                let data = self.range.get((index, column)).unwrap_or(&Data::Empty);
                let at = (row as u32 - 1, self.first_column + column as u32);
                cells.push(self.cell(data, at));
            }
            if cells.iter().any(|c| !c.is_empty()) {
                return Some(row);
            }
        }
    }

    fn cell(&self, data: &Data, at: (u32, u32)) -> TableCell {
        match data {
            Data::Empty => TableCell::Empty,
            Data::String(s) => TableCell::Text(s.clone()),
            Data::Int(i) => TableCell::Number(*i as f64),
            Data::Float(f) => {
                let percent = self
                    .styles
                    .get(at)
                    .and_then(|s| s.number_format.as_ref())
                    .is_some_and(|f| f.format_code.contains('%'));
                if percent {
                    TableCell::Percent(*f)
                } else {
                    TableCell::Number(*f)
                }
            }
            Data::Bool(b) => TableCell::Text(if *b { "TRUE" } else { "FALSE" }.to_string()),
            Data::DateTime(dt) if dt.is_datetime() => {
                let (y, m, d, ..) = dt.to_ymd_hms_milli();
                match jiff::civil::Date::new(y as i16, m as i8, d as i8) {
                    Ok(date) => TableCell::Date(date),
                    Err(_) => TableCell::Number(dt.as_f64()),
                }
            }
            Data::DateTime(dt) => TableCell::Number(dt.as_f64()),
            Data::DateTimeIso(text) => match text.get(..10).and_then(|d| d.parse().ok()) {
                Some(date) => TableCell::Date(date),
                None => TableCell::Text(text.clone()),
            },
            Data::DurationIso(text) => TableCell::Text(text.clone()),
            Data::Error(e) => TableCell::Text(e.to_string()),
        }
    }

    /// `Data!B17` for a row (from 1) and a column of the range (from 0).
    fn place(&self, row: u64, column: usize) -> String {
        let mut letters = String::new();
        let mut n = self.first_column as usize + column + 1;
        while n > 0 {
            let rem = (n - 1) % 26;
            letters.insert(0, (b'A' + rem as u8) as char);
            n = (n - 1) / 26;
        }
        let name = if self.name.contains([' ', '!', '\'']) {
            format!("'{}'", self.name.replace('\'', "''"))
        } else {
            self.name.clone()
        };
        format!("{name}!{letters}{row}")
    }
}

fn quoted_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    quoted.join(", ")
}
