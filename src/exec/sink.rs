//! Where a query's rows go as they are made. The executor hands each row
//! on once it is whole, so that a result of any size needs no more memory
//! than its widest group of rows (a series, a `by` group); the front end
//! writes them out, or gathers them when its format needs every row first.
use std::borrow::Cow;

use crate::core::rows::{Cell, Rows};

use super::{ExecError, Result};

pub trait RowSink {
    /// The result's columns, before its first row.
    fn columns(&mut self, columns: &[Cow<'static, str>]);
    /// One row; false when the sink takes no more (its output failed or
    /// was closed), which stops the command.
    fn row(&mut self, cells: Vec<Cell>) -> bool;
    /// A line for people after the rows (`table` and `markdown`).
    fn footer(&mut self, line: String);
}

/// A whole result, gathered.
#[derive(Debug, Default)]
pub struct Gather(pub Option<Rows>);

impl RowSink for Gather {
    fn columns(&mut self, columns: &[Cow<'static, str>]) {
        self.0 = Some(Rows {
            columns: columns.to_vec(),
            rows: Vec::new(),
            footer: Vec::new(),
        });
    }

    fn row(&mut self, cells: Vec<Cell>) -> bool {
        if let Some(rows) = &mut self.0 {
            rows.push(cells);
        }
        true
    }

    fn footer(&mut self, line: String) {
        if let Some(rows) = &mut self.0 {
            rows.footer.push(line);
        }
    }
}

/// Hands a whole result on.
pub(super) fn emit(rows: Rows, sink: &mut dyn RowSink) -> Result<()> {
    sink.columns(&rows.columns);
    for row in rows.rows {
        send(sink, row)?;
    }
    for line in rows.footer {
        sink.footer(line);
    }
    Ok(())
}

fn send(sink: &mut dyn RowSink, cells: Vec<Cell>) -> Result<()> {
    if sink.row(cells) {
        Ok(())
    } else {
        Err(ExecError::Stopped)
    }
}

/// Rows on their way to a sink, held while none of them has values: a
/// result whose every row failed is the command's error instead.
pub(super) struct Held<'a> {
    sink: &'a mut dyn RowSink,
    held: Vec<Vec<Cell>>,
    /// Whether a row with values has been made.
    pub resolved: bool,
    /// Rows made so far, handed on or held.
    pub count: u64,
}

impl<'a> Held<'a> {
    pub fn new(sink: &'a mut dyn RowSink, columns: &[&'static str]) -> Held<'a> {
        let columns: Vec<Cow<'static, str>> = columns.iter().map(|c| Cow::Borrowed(*c)).collect();
        sink.columns(&columns);
        Held {
            sink,
            held: Vec::new(),
            resolved: false,
            count: 0,
        }
    }

    /// A row, which has values when `resolved`.
    pub fn row(&mut self, cells: Vec<Cell>, resolved: bool) -> Result<()> {
        self.count += 1;
        if resolved && !self.resolved {
            self.release()?;
        }
        if self.resolved {
            send(self.sink, cells)
        } else {
            self.held.push(cells);
            Ok(())
        }
    }

    /// Hands on the rows held: a row with values was made, though not
    /// one to show (past a `limit`).
    pub fn release(&mut self) -> Result<()> {
        self.resolved = true;
        for row in std::mem::take(&mut self.held) {
            send(self.sink, row)?;
        }
        Ok(())
    }

    pub fn footer(&mut self, line: String) {
        self.sink.footer(line);
    }
}
