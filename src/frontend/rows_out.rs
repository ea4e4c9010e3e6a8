//! A query's rows on their way to the output: written as they come in the
//! machine formats, so that memory does not grow with the result; gathered
//! for `table`, `markdown` and workbooks, which need every row first.
use std::borrow::Cow;
use std::io::{self, Write};

use crate::core::rows::{Cell, Rows};
use crate::exec::RowSink;
use crate::render::{Format, RowStream};

pub(super) struct RowsOut<'a> {
    format: Format,
    out: Option<&'a mut dyn Write>,
    /// The columns, until the first row starts the stream: a command that
    /// fails before its first row writes nothing, not even a header.
    columns: Option<Vec<String>>,
    stream: Option<RowStream<'a>>,
    gathered: Option<Rows>,
    /// Gather whatever the format (rows for a workbook).
    gather: bool,
    error: Option<io::Error>,
}

/// What became of a command's rows.
pub(super) enum Written {
    /// The command made none.
    Nothing,
    /// They were written as they came; the output is still to be flushed.
    Streamed,
    /// They are all here, to be written whole.
    Gathered(Rows),
}

impl<'a> RowsOut<'a> {
    pub fn new(format: Format, gather: bool, out: &'a mut dyn Write) -> RowsOut<'a> {
        RowsOut {
            format,
            out: Some(out),
            columns: None,
            stream: None,
            gathered: None,
            gather,
            error: None,
        }
    }

    /// Ends the rows, also of a command that failed after its first rows
    /// were written (a JSON array is closed). A command that `succeeded`
    /// without rows still writes its header (or `[]`).
    pub fn finish(mut self, succeeded: bool) -> io::Result<Written> {
        if succeeded && self.stream.is_none() {
            self.start();
        }
        if let Some(err) = self.error {
            return Err(err);
        }
        if let Some(stream) = self.stream {
            stream.finish()?;
            return Ok(Written::Streamed);
        }
        Ok(match self.gathered {
            Some(rows) => Written::Gathered(rows),
            None => Written::Nothing,
        })
    }
}

impl RowsOut<'_> {
    /// Starts the stream with the columns given, writing its header.
    fn start(&mut self) {
        let (Some(columns), Some(out)) = (self.columns.take(), self.out.take()) else {
            return;
        };
        match RowStream::new(self.format, columns, out) {
            Some(Ok(stream)) => self.stream = Some(stream),
            Some(Err(err)) => self.error = Some(err),
            None => {}
        }
    }
}

impl RowSink for RowsOut<'_> {
    fn columns(&mut self, columns: &[Cow<'static, str>]) {
        let gathered = || Rows {
            columns: columns.to_vec(),
            rows: Vec::new(),
            footer: Vec::new(),
        };
        // Only the machine formats stream.
        if self.gather || !self.format.is_machine() {
            self.gathered = Some(gathered());
            return;
        }
        self.columns = Some(columns.iter().map(|c| c.to_string()).collect());
    }

    fn row(&mut self, cells: Vec<Cell>) -> bool {
        if let Some(rows) = &mut self.gathered {
            rows.push(cells);
            return true;
        }
        if self.stream.is_none() {
            self.start();
        }
        let Some(stream) = self.stream.as_mut().filter(|_| self.error.is_none()) else {
            return false;
        };
        match stream.row(&cells) {
            Ok(()) => true,
            Err(err) => {
                self.error = Some(err);
                false
            }
        }
    }

    /// Footers are for people, in the gathered formats only.
    fn footer(&mut self, line: String) {
        if let Some(rows) = &mut self.gathered {
            rows.footer.push(line);
        }
    }
}
