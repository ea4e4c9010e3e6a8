//! `.import` and `.export`: files in the render layer's formats, meaning in
//! the executor's.
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use crate::core::table::TableCell;
use crate::exec::{
    IMPORT_KEYS, IN_MEMORY, RecordSource, SnapshotImport, TableImport, TableOutcome, TableRows,
    export_columns,
};
use crate::render::{
    FileFormat, LineCap, RecordReader, RecordWriter, TableError, TableFormat, TableReader,
    open_text,
};

use super::dot::{ExportArgs, ImportArgs};
use super::error::ImportOptionsError;
use super::progress::Progress;
use super::{Flow, Session, SessionError};

/// How an export's temporary file ends, so that one left by an export
/// that was killed can be told apart (and deleted).
pub const PARTIAL_SUFFIX: &str = ".partial";

/// How many random letters and digits an export's temporary file has
/// between the target's name and [`PARTIAL_SUFFIX`].
const PARTIAL_RANDOM: usize = 6;

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

/// A table file as the executor reads it.
struct TableFile<'a>(&'a mut TableReader);

impl TableRows for TableFile<'_> {
    fn header(&self) -> &[String] {
        self.0.header()
    }

    fn next_row(&mut self, cells: &mut Vec<TableCell>) -> Result<Option<u64>, (String, String)> {
        self.0.next_row(cells).map_err(|e| (e.place, e.message))
    }

    fn place(&self, row: u64, column: usize) -> String {
        self.0.place(row, column)
    }

    fn header_place(&self, column: usize) -> String {
        self.0.header_place(column)
    }
}

/// A JSON array or a sheet read as the records of a snapshot file: a cell
/// is its text (a whole number without its fraction, a date as a day).
struct TableRecords {
    reader: TableReader,
    cells: Vec<TableCell>,
}

impl RecordSource for TableRecords {
    fn header(&self) -> &[String] {
        self.reader.header()
    }

    fn next_record(
        &mut self,
        fields: &mut Vec<Option<String>>,
    ) -> Result<Option<u64>, (u64, String)> {
        fields.clear();
        let row = self.reader.next_row(&mut self.cells).map_err(|e| {
            let line = e.place.parse().unwrap_or(0);
            (line, e.message)
        })?;
        fields.extend(self.cells.iter().map(TableCell::text));
        Ok(row)
    }
}

fn format_of(path: &str) -> Result<FileFormat, SessionError> {
    FileFormat::from_path(path).ok_or_else(|| SessionError::FileFormat {
        path: path.to_string(),
        known: ".csv, .tsv or .jsonl",
    })
}

/// A file reader's refusal, placed in the file.
fn table_error(path: &str, e: TableError) -> SessionError {
    SessionError::File {
        place: format!("{path}:{}", e.place),
        message: e.message,
    }
}

impl Session {
    pub(super) fn import(&mut self, args: &ImportArgs) -> Result<Flow, SessionError> {
        let path = args.path.as_str();
        let (format, gz) =
            TableFormat::from_path(path).ok_or_else(|| SessionError::FileFormat {
                path: path.to_string(),
                known: ".csv, .tsv or .jsonl (or .json, .xlsx, .xls, .ods, and .gz of the text ones)",
            })?;
        if args.sheet.is_some() && !format.is_spreadsheet() {
            let path = path.to_string();
            return Err(ImportOptionsError::SheetOfText { path }.into());
        }
        let Some(spec) = args.table_spec() else {
            return self.import_snapshots(args, format, gz);
        };
        let at = |e: TableError| table_error(path, e);
        let file = super::input::open_input(path)?;
        let mut reader =
            TableReader::open(file, format, gz, args.sheet.as_deref(), args.skip).map_err(at)?;
        let import = TableImport {
            spec: &spec,
            source: args.source.as_deref(),
            revise: args.revise,
            dry_run: args.dry_run,
            // Tests set a small bound to sort cells through runs on disk.
            in_memory: std::env::var("GROWTHDB_IMPORT_IN_MEMORY")
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(IN_MEMORY),
        };
        let mut progress = Progress::new("rows", self.quiet);
        let result =
            self.exec
                .import_table(&mut TableFile(&mut reader), import, path, &mut |count| {
                    progress.update(count)
                });
        progress.finish();
        let TableOutcome { outcome, failure } = result?;
        let flow = self.show(outcome)?;
        match failure {
            Some(conflicts) => Err(conflicts.into()),
            None => Ok(flow),
        }
    }

    /// The layouts `series,period,value` and `--wide`, from any format.
    fn import_snapshots(
        &mut self,
        args: &ImportArgs,
        format: TableFormat,
        gz: bool,
    ) -> Result<Flow, SessionError> {
        let (path, wide) = (args.path.as_str(), args.wide);
        let options = SnapshotImport {
            wide,
            source: args.source.clone(),
            revise: args.revise,
            dry_run: args.dry_run,
        };
        let at = |e: TableError| table_error(path, e);
        let file = super::input::open_input(path)?;
        let mut progress = Progress::new("records", self.quiet);
        let mut update = |count| progress.update(count);
        let result = match format {
            TableFormat::Csv | TableFormat::Tsv | TableFormat::Jsonl => {
                let records = match format {
                    TableFormat::Csv => FileFormat::Csv,
                    TableFormat::Tsv => FileFormat::Tsv,
                    _ => FileFormat::Jsonl,
                };
                if wide && records == FileFormat::Jsonl {
                    return Err(ImportOptionsError::WideJsonLines.into());
                }
                let input = open_text(file, gz, args.skip).map_err(at)?;
                let input = LineCap::starting_at(input, args.skip + 1);
                let mut reader = RecordReader::new(records, input, &IMPORT_KEYS).map_err(|e| {
                    SessionError::File {
                        place: format!("{path}:{}", e.line),
                        message: e.message,
                    }
                })?;
                self.exec.import(&mut reader, &options, path, &mut update)
            }
            _ => {
                let reader = TableReader::open(file, format, gz, args.sheet.as_deref(), args.skip)
                    .map_err(at)?;
                let mut records = TableRecords {
                    reader,
                    cells: Vec::new(),
                };
                self.exec.import(&mut records, &options, path, &mut update)
            }
        };
        progress.finish();
        let (_, outcome, failure) = result?;
        let flow = self.show(outcome)?;
        match failure {
            Some(conflicts) => Err(conflicts.into()),
            None => Ok(flow),
        }
    }

    /// Writes to a new file of its own beside the target, then renames it
    /// into place, so that a failed export leaves whatever was at `path`
    /// untouched and two exports to one path never mix.
    pub(super) fn export(&mut self, args: &ExportArgs) -> Result<Flow, SessionError> {
        let (path, selector, history) = (args.path.as_str(), args.selector.as_ref(), args.history);
        self.refuse_store_file(path)?;
        let format = format_of(path)?;
        let unwritable = |source: std::io::Error| SessionError::Unwritable {
            path: path.to_string(),
            source,
        };
        let target = export_target(path).map_err(unwritable)?;
        remove_stale_partials(&target);
        let partial = partial_file(&target).map_err(unwritable)?;
        let written = (|| {
            let out = BufWriter::with_capacity(BUFFER, partial.as_file());
            let mut writer = RecordWriter::new(format, export_columns(history), out)?;
            let count = self
                .exec
                .export(selector, history, &mut |row| writer.write(row))?;
            writer.finish()?;
            // The file is whole on the disk before it takes the target's name.
            partial.as_file().sync_all()?;
            Ok::<_, SessionError>(count)
        })();
        // Dropping the temporary file on failure removes it.
        let written = written.and_then(|count| {
            partial
                .persist(&target)
                .map_err(|e| SessionError::from(e.error))?;
            Ok(count)
        });
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
            Err(source) => Err(SessionError::Export {
                path: path.to_string(),
                source: Box::new(source),
            }),
        }
    }
}

/// The file an export replaces: `path`, or the file an existing link
/// there points to (the link stays, as with `cp`). Anything but a regular
/// file is refused.
fn export_target(path: &str) -> std::io::Result<PathBuf> {
    let given = Path::new(path);
    let target = match std::fs::symlink_metadata(given) {
        Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(given).map_err(|e| {
            let link = std::fs::read_link(given).unwrap_or_default();
            std::io::Error::new(
                e.kind(),
                format!(
                    "it is a link to {}, which cannot be followed: {e}",
                    link.display()
                ),
            )
        })?,
        _ => given.to_path_buf(),
    };
    match std::fs::metadata(&target) {
        Ok(meta) if !meta.is_file() => Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "it is not a regular file",
        )),
        _ => Ok(target),
    }
}

/// A new file beside `target` that no one else has: created exclusively
/// under a random name, `NAME.RANDOM.partial`, with the target's
/// permissions (or, for a new file, the usual ones under the umask).
fn partial_file(target: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    use std::os::unix::fs::PermissionsExt;
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let existing = std::fs::metadata(target).ok().map(|m| m.permissions());
    let mut builder = tempfile::Builder::new();
    let prefix = format!("{name}.");
    builder
        .prefix(&prefix)
        .rand_bytes(PARTIAL_RANDOM)
        .suffix(PARTIAL_SUFFIX);
    if existing.is_none() {
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let file = loop {
        let file = builder.tempfile_in(dir)?;
        // Held until the file is renamed or removed: it tells a running
        // export's file from one a killed export left behind.
        file.as_file().lock()?;
        // Another export's clean-up may have taken the file for a stale
        // one between its creation and the lock: then it is gone from the
        // directory, and a new one is made.
        if still_named(&file) {
            break file;
        }
    };
    // Set once the file is ours: an existing file's readers stay the same.
    if let Some(permissions) = existing {
        file.as_file().set_permissions(permissions)?;
    }
    Ok(file)
}

/// Whether the temporary file's name still leads to the file held open.
fn still_named(file: &tempfile::NamedTempFile) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (
        std::fs::symlink_metadata(file.path()),
        file.as_file().metadata(),
    ) {
        (Ok(named), Ok(held)) => named.dev() == held.dev() && named.ino() == held.ino(),
        _ => false,
    }
}

/// Removes what killed exports to `target` left: regular files beside it
/// named `NAME.RANDOM.partial` exactly as [`partial_file`] names them,
/// that no running export holds locked. Links are never followed nor
/// removed, and anything that cannot be checked is left alone.
fn remove_stale_partials(target: &Path) {
    use std::os::unix::fs::MetadataExt;
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let Some(name) = target.file_name().and_then(|n| n.to_str()) else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        if !file_name.to_str().is_some_and(|f| is_partial_of(f, name)) {
            continue;
        }
        let path = entry.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if !meta.file_type().is_file() {
            continue;
        }
        let Ok(file) = std::fs::File::open(&path) else {
            continue;
        };
        // The file opened must be the one looked at, not a link put there since.
        let same = file
            .metadata()
            .is_ok_and(|m| m.dev() == meta.dev() && m.ino() == meta.ino());
        if same && file.try_lock().is_ok() {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Whether `file` is named as an export's temporary file for `target`.
fn is_partial_of(file: &str, target: &str) -> bool {
    file.strip_prefix(target)
        .and_then(|rest| rest.strip_prefix('.'))
        .and_then(|rest| rest.strip_suffix(PARTIAL_SUFFIX))
        .is_some_and(|random| {
            random.len() == PARTIAL_RANDOM && random.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

#[cfg(test)]
mod tests {
    use super::is_partial_of;

    #[test]
    fn only_names_an_export_makes_are_its_temporary_files() {
        assert!(is_partial_of("out.csv.a1B2c3.partial", "out.csv"));
        for other in [
            "out.csv.partial",
            "out.csv.a1B2c.partial",
            "out.csv.a1B2c3d.partial",
            "out.csv.a1-2c3.partial",
            "out.csv.a1B2c3.partial.bak",
            "xout.csv.a1B2c3.partial",
            "out.csvXa1B2c3.partial",
            "other.csv.a1B2c3.partial",
        ] {
            assert!(!is_partial_of(other, "out.csv"), "{other}");
        }
    }
}
