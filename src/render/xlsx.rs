//! `.output FILE.xlsx`: each query's rows on a sheet of their own, for
//! analysts who go on in a spreadsheet. Numbers stay numbers, `start` and
//! `end` become date cells, ratio values are percent-formatted, and each
//! label key of the `series` gets a column of its own after it.
use std::collections::BTreeSet;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook as Book, Worksheet};

use crate::core::labels::SeriesKey;
use crate::core::parser::parse_series;
use crate::core::rows::{Cell, NumberStyle, Rows};

/// Why a workbook could not be filled or written.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    #[error("cannot name sheet \"{name}\": {source}")]
    SheetName {
        name: String,
        #[source]
        source: rust_xlsxwriter::XlsxError,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        #[source]
        source: rust_xlsxwriter::XlsxError,
    },
}

/// A workbook being filled, written to its file by [`Workbook::save`].
pub struct Workbook {
    path: String,
    book: Book,
    sheets: usize,
}

/// Whether `.output PATH` makes a workbook.
pub fn is_workbook_path(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".xlsx")
}

impl Workbook {
    pub fn new(path: &str) -> Workbook {
        Workbook {
            path: path.to_string(),
            book: Book::new(),
            sheets: 0,
        }
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// Adds `rows` on a new sheet named `N COMMAND` (`1 growth`).
    pub fn add(&mut self, rows: &Rows, command: &str) -> Result<(), WorkbookError> {
        self.sheets += 1;
        let name = format!("{} {command}", self.sheets);
        let sheet = self.book.add_worksheet();
        if let Err(source) = sheet.set_name(&name) {
            return Err(WorkbookError::SheetName { name, source });
        }
        write_sheet(sheet, rows).map_err(|source| WorkbookError::Write {
            path: self.path.clone(),
            source,
        })
    }

    /// Writes the file, replacing any earlier one.
    pub fn save(mut self) -> Result<(), WorkbookError> {
        if self.sheets == 0 {
            self.book.add_worksheet();
        }
        let path = self.path;
        self.book
            .save(&path)
            .map_err(|source| WorkbookError::Write { path, source })
    }
}

/// The label keys of a row's series text, if it names a series.
fn series_key(text: &str) -> Option<SeriesKey> {
    let text = text.strip_suffix(" (unattributed)").unwrap_or(text);
    parse_series(text).ok()
}

fn write_sheet(sheet: &mut Worksheet, rows: &Rows) -> Result<(), rust_xlsxwriter::XlsxError> {
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let percent = Format::new().set_num_format("0.0%");
    let series_column = rows.column("series");
    let keys: Vec<String> = match series_column {
        Some(column) => rows
            .rows
            .iter()
            .filter_map(|row| match &row[column] {
                Cell::Text(text) => series_key(text),
                _ => None,
            })
            .flat_map(|key| {
                key.labels
                    .iter()
                    .map(|(k, _)| k.to_string())
                    .collect::<Vec<_>>()
            })
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        None => Vec::new(),
    };
    // Output column of each field, with the label columns after `series`.
    let shift = |field: usize| match series_column {
        Some(column) if field > column => field + keys.len(),
        _ => field,
    } as u16;
    for (field, name) in rows.columns.iter().enumerate() {
        sheet.write_string_with_format(0, shift(field), name.as_ref(), &bold)?;
    }
    if let Some(column) = series_column {
        for (offset, key) in keys.iter().enumerate() {
            sheet.write_string_with_format(0, (column + 1 + offset) as u16, key, &bold)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    for (index, row) in rows.rows.iter().enumerate() {
        let r = index as u32 + 1;
        for (field, cell) in row.iter().enumerate() {
            let c = shift(field);
            let name = rows.columns[field].as_ref();
            match cell {
                Cell::Null => {}
                Cell::Text(text) if matches!(name, "start" | "end") => {
                    match text.parse::<jiff::civil::Date>() {
                        Ok(day) => {
                            let cell = ExcelDateTime::from_ymd(
                                day.year() as u16,
                                day.month() as u8,
                                day.day() as u8,
                            )?;
                            sheet.write_date_with_format(r, c, cell, &date)?;
                        }
                        Err(_) => {
                            sheet.write_string(r, c, text)?;
                        }
                    }
                }
                Cell::Text(text) => {
                    sheet.write_string(r, c, text)?;
                }
                Cell::Int(n) => {
                    sheet.write_number(r, c, *n as f64)?;
                }
                Cell::Number(v, NumberStyle::Fraction | NumberStyle::FractionChange) => {
                    sheet.write_number_with_format(r, c, *v, &percent)?;
                }
                Cell::Number(v, _) => {
                    sheet.write_number(r, c, *v)?;
                }
            }
        }
        if let Some(column) = series_column
            && let Some(Cell::Text(text)) = row.get(column)
            && let Some(key) = series_key(text)
        {
            for (offset, k) in keys.iter().enumerate() {
                if let Some(value) = key.labels.get(k) {
                    sheet.write_string(r, (column + 1 + offset) as u16, value)?;
                }
            }
        }
    }
    Ok(())
}
