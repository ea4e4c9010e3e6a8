//! The front end's error: everything a line can fail with, as one line for
//! people and an [`ErrorKind`] for scripts.
use std::io;

use crate::core::error::ErrorKind;
use crate::core::parser::ParseError;
use crate::exec::{DryRunConflicts, ExecError};
use crate::render::{ChartError, WorkbookError};
use crate::store::StoreError;

use super::dot::SessionCommandError;

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Parse(#[from] ParseError),
    #[error(transparent)]
    SessionCommand(#[from] SessionCommandError),
    #[error(transparent)]
    Exec(#[from] ExecError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Chart(#[from] ChartError),
    /// A file of commands or records that cannot be opened.
    #[error("cannot read {path}: {reason}")]
    Unreadable { path: String, reason: String },
    /// A line of input that is not text, or that could not be read.
    #[error("{0}")]
    Input(String),
    #[error("cannot write {path}: {source}")]
    Unwritable {
        path: String,
        #[source]
        source: io::Error,
    },
    /// An output path that is the store itself or one of its journals.
    #[error(
        "cannot write {path}: it is the store or one of its -wal, -shm or -journal files; name another file"
    )]
    IsStore { path: String },
    #[error("cannot write output: {0}")]
    Output(#[source] io::Error),
    #[error("cannot export to {path}: {source}")]
    Export {
        path: String,
        #[source]
        source: Box<SessionError>,
    },
    /// A workbook (`.output FILE.xlsx`) that could not be filled or saved.
    #[error(transparent)]
    Workbook(#[from] WorkbookError),
    #[error("cannot start the prompt: {0}")]
    Prompt(String),
    #[error(".read {path}: files nest more than {max} deep")]
    TooDeep { path: String, max: usize },
    #[error("the store check found {0} problem(s)")]
    CheckFailed(usize),
    /// A file name whose ending names no format; `known` lists the endings.
    #[error("cannot tell the format of \"{path}\"; name the file {known}")]
    FileFormat { path: String, known: &'static str },
    /// Import options that do not go with this file.
    #[error(transparent)]
    ImportOptions(#[from] ImportOptionsError),
    /// A file's reader refused it: `place` is `FILE:LINE` or `FILE:CELL`.
    #[error("{place}: {message}")]
    File { place: String, message: String },
    /// A dry run of an import found values that differ from the store's.
    #[error(transparent)]
    DryRunConflicts(#[from] DryRunConflicts),
    /// A stop signal ended the input before its end.
    #[error("interrupted by {signal}: input from {from} on was not read")]
    Interrupted { signal: &'static str, from: String },
    /// A failure inside a `begin` block, which rolled the block back.
    #[error("{source}; the block begun at line {began} was rolled back")]
    InBlock {
        source: Box<SessionError>,
        began: usize,
    },
}

impl SessionError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            SessionError::Parse(e) => e.kind(),
            SessionError::SessionCommand(e) => e.kind(),
            SessionError::Exec(e) => e.kind(),
            SessionError::Store(e) => e.kind(),
            SessionError::Chart(ChartError::NoValues) => ErrorKind::NoData,
            SessionError::Chart(ChartError::Drawing(_)) => ErrorKind::Io,
            SessionError::Unreadable { .. }
            | SessionError::Input(_)
            | SessionError::Unwritable { .. }
            | SessionError::IsStore { .. }
            | SessionError::Output(_)
            | SessionError::Workbook(_)
            | SessionError::Prompt(_) => ErrorKind::Io,
            SessionError::Export { source, .. } | SessionError::InBlock { source, .. } => {
                source.kind()
            }
            SessionError::TooDeep { .. } => ErrorKind::TooLarge,
            SessionError::CheckFailed(_) => ErrorKind::Damaged,
            SessionError::Interrupted { .. } => ErrorKind::Interrupted,
            SessionError::FileFormat { .. } | SessionError::File { .. } => ErrorKind::InvalidValue,
            SessionError::ImportOptions(_) => ErrorKind::Usage,
            SessionError::DryRunConflicts(e) => e.kind(),
        }
    }
}

/// Import options that the file's format does not take.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportOptionsError {
    #[error("--sheet picks a sheet of a workbook (.xlsx, .xls, .ods); {path} is not one")]
    SheetOfText { path: String },
    #[error(
        "--wide reads a CSV or TSV file (or a JSON array or a sheet) whose header is period,SERIES,...; JSON Lines have no header"
    )]
    WideJsonLines,
}

impl SessionError {
    /// Whether nothing more may run after this error: a batch lost a
    /// group of commands it had confirmed.
    pub fn halts(&self) -> bool {
        matches!(
            self,
            SessionError::Exec(ExecError::GroupLost { .. } | ExecError::Halted)
        )
    }
}

impl From<io::Error> for SessionError {
    /// An export's own writing.
    fn from(source: io::Error) -> Self {
        SessionError::Output(source)
    }
}
