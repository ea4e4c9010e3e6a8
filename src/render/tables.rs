//! Formats for people: `table` (prettytable) and `markdown` (GitHub pipe table).

use std::io::{self, Write};

use prettytable::format::{Alignment, consts::FORMAT_NO_LINESEP_WITH_TITLE};

use super::people::cell_text;
use crate::core::rows::{Cell, Rows};

/// A bordered table with a rule under the header; plain ASCII so it survives pipes.
pub(super) fn table(rows: &Rows, out: &mut dyn Write) -> io::Result<()> {
    use prettytable::{Cell as TableCell, Row, Table};
    let aligned = |text: &str, right: bool| TableCell::new_align(text, alignment(right));
    let shown = shown_columns(rows);
    let mut table = Table::new();
    table.set_format(*FORMAT_NO_LINESEP_WITH_TITLE);
    table.set_titles(Row::new(
        shown
            .iter()
            .map(|&c| aligned(&rows.columns[c], is_numeric(rows, c)))
            .collect(),
    ));
    for row in &rows.rows {
        table.add_row(Row::new(
            shown
                .iter()
                .map(|&c| aligned(&cell_text(&row[c]), is_number(&row[c])))
                .collect(),
        ));
    }
    table.print(out)?;
    for line in &rows.footer {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// `| a | b |`, then `|---|---:|` (numeric columns right-aligned), then rows.
pub(super) fn markdown(rows: &Rows, out: &mut dyn Write) -> io::Result<()> {
    let shown = shown_columns(rows);
    let line = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
    let header = shown.iter().map(|&c| escape(&rows.columns[c])).collect();
    out.write_all(line(header).as_bytes())?;
    let rules: Vec<&str> = shown
        .iter()
        .map(|&c| if is_numeric(rows, c) { "---:" } else { "---" })
        .collect();
    writeln!(out, "|{}|", rules.join("|"))?;
    for row in &rows.rows {
        let cells = shown.iter().map(|&c| escape(&cell_text(&row[c]))).collect();
        out.write_all(line(cells).as_bytes())?;
    }
    if !rows.footer.is_empty() {
        writeln!(out)?;
        for footer in &rows.footer {
            writeln!(out, "{footer}")?;
        }
    }
    Ok(())
}

/// Keeps a pipe table one line per row: `|` would end the cell, a newline the row.
fn escape(text: &str) -> String {
    text.replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace('\n', "<br>")
}

/// Indexes of the columns to show: those with a value in some row. With no
/// rows every column shows (the header is all there is), and if every column
/// is empty they all show too, so the table keeps its shape.
fn shown_columns(rows: &Rows) -> Vec<usize> {
    let all = 0..rows.columns.len();
    let filled: Vec<usize> = all
        .clone()
        .filter(|&c| rows.rows.iter().any(|row| !is_blank(&row[c])))
        .collect();
    if filled.is_empty() {
        all.collect()
    } else {
        filled
    }
}

/// A column is numeric when it has a number and nothing but numbers and blanks.
fn is_numeric(rows: &Rows, column: usize) -> bool {
    let mut cells = rows
        .rows
        .iter()
        .map(|row| &row[column])
        .filter(|cell| !is_blank(cell));
    let first = cells.next();
    first.is_some_and(is_number) && cells.all(is_number)
}

fn alignment(right: bool) -> Alignment {
    if right {
        Alignment::RIGHT
    } else {
        Alignment::LEFT
    }
}

fn is_number(cell: &Cell) -> bool {
    matches!(cell, Cell::Int(_)) || matches!(cell, Cell::Number(v, _) if v.is_finite())
}

/// Null, or a number that renders as null.
fn is_blank(cell: &Cell) -> bool {
    matches!(cell, Cell::Null) || matches!(cell, Cell::Number(v, _) if !v.is_finite())
}
