//! `.import` and `.export`: files in the render layer's formats, meaning in
//! the executor's.
use std::fs::File;
use std::io::{BufReader, BufWriter};

use crate::exec::{IMPORT_KEYS, RecordSource, export_columns};
use crate::render::{FileFormat, RecordReader, RecordWriter};

use super::dot::{ExportArgs, ImportArgs};
use super::progress::Progress;
use super::{Flow, Session};

/// Files are read and written in large blocks.
const BUFFER: usize = 1 << 16;

impl<R: std::io::BufRead> RecordSource for RecordReader<R> {
    fn header(&self) -> &[String] {
        RecordReader::header(self)
    }

    fn next_record(
        &mut self,
        fields: &mut Vec<Option<String>>,
    ) -> Result<Option<u64>, (u64, String)> {
        RecordReader::next_record(self, fields).map_err(|e| (e.line, e.message))
    }
}

fn format_of(path: &str) -> Result<FileFormat, String> {
    FileFormat::from_path(path).ok_or_else(|| {
        format!("cannot tell the format of \"{path}\"; name the file .csv, .tsv or .jsonl")
    })
}

impl Session {
    pub(super) fn import(&mut self, args: &ImportArgs) -> Result<Flow, String> {
        let (path, wide) = (args.path.as_str(), args.wide);
        let format = format_of(path)?;
        if wide && format == FileFormat::Jsonl {
            return Err("--wide reads a CSV or TSV file whose header is period,SERIES,...".into());
        }
        let file = super::input::open_input(path)?;
        let mut reader =
            RecordReader::new(format, BufReader::with_capacity(BUFFER, file), &IMPORT_KEYS)
                .map_err(|e| format!("{path}:{}: {}", e.line, e.message))?;
        let mut progress = Progress::new("records", self.quiet);
        let result = self
            .exec
            .import(&mut reader, wide, path, &mut |count| progress.update(count));
        progress.finish();
        let (_, outcome) = result.map_err(|e| e.to_string())?;
        Ok(self.show(outcome))
    }

    /// Writes to a file beside `path` and renames it into place, so that a
    /// failed export leaves whatever was at `path` untouched.
    pub(super) fn export(&mut self, args: &ExportArgs) -> Result<Flow, String> {
        let (path, selector, history) = (args.path.as_str(), args.selector.as_ref(), args.history);
        let format = format_of(path)?;
        let partial = format!("{path}.partial");
        let file = File::create(&partial).map_err(|e| format!("cannot write {path}: {e}"))?;
        let written = (|| {
            let out = BufWriter::with_capacity(BUFFER, file);
            let mut writer = RecordWriter::new(format, export_columns(history), out)
                .map_err(|e| e.to_string())?;
            let count = self
                .exec
                .export(selector, history, &mut |row| {
                    writer.write(row).map_err(|e| e.to_string())
                })
                .map_err(|e| e.to_string())?;
            writer.finish().map_err(|e| e.to_string())?;
            std::fs::rename(&partial, path).map_err(|e| e.to_string())?;
            Ok::<_, String>(count)
        })();
        match written {
            Ok(count) => {
                let what = match (count, history) {
                    (1, false) => "snapshot",
                    (1, true) => "revision",
                    (_, false) => "snapshots",
                    (_, true) => "revisions",
                };
                self.note(&format!("exported {count} {what} to {path}"));
                Ok(Flow::Continue)
            }
            Err(message) => {
                let _ = std::fs::remove_file(&partial);
                Err(format!("cannot export to {path}: {message}"))
            }
        }
    }
}
