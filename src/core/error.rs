//! The classes of error that scripts can branch on.
//!
//! Every error type of every layer says which class it belongs to
//! (`fn kind(&self) -> ErrorKind`); with `--format json|jsonl` each error
//! object carries the class's word as `"kind"`. The words are part of the
//! contract: never rename one; add new ones at the end.

/// One class of error, named by a stable lowercase word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The line is not a command as written: a misplaced or missing word,
    /// an unterminated string, a bad character.
    Syntax,
    /// No command or session command of that name.
    UnknownCommand,
    /// A session command with missing or extra words or an unknown option.
    Usage,
    /// A value that is not one: a period, number, name, time, format,
    /// selector or file cell.
    InvalidValue,
    /// The series, metric or help topic named does not exist.
    NotFound,
    /// Nothing recorded in or before the period asked for.
    NoData,
    /// Records overlap the period asked for without covering it.
    PartlyRecorded,
    /// Sub-periods cannot be combined for the metric's kind (a distinct
    /// count, or no kind), or series summed in a roll-up (an average, a
    /// ratio, a distinct count).
    CannotCombine,
    /// Two endpoints asked as different periods fall on one recorded
    /// period, so no growth can be measured.
    SamePeriod,
    /// A value differs from the one recorded (use revise), or a metric's
    /// kind disagrees with its values.
    Conflict,
    /// `begin`, `commit` or `rollback` out of place, or a command skipped
    /// because its block failed.
    Block,
    /// A question whose answer would be too large to give (too many rows).
    TooLarge,
    /// A write to a store opened `--readonly` or a read-only file.
    Readonly,
    /// Another process holds the store's write lock.
    Locked,
    /// The store file is damaged, or `.check` found problems.
    Damaged,
    /// The file is not a growthdb store (it is left unchanged).
    ForeignStore,
    /// The store was written by a newer growthdb.
    TooNew,
    /// A file could not be read or written, or the disk is full.
    Io,
    /// Any other failure inside the store (SQLite).
    Store,
    /// A stop signal (SIGINT, SIGTERM, SIGHUP) ended the input early.
    Interrupted,
}

impl ErrorKind {
    /// Every kind, in the order the README lists them.
    pub const ALL: [ErrorKind; 20] = [
        ErrorKind::Syntax,
        ErrorKind::UnknownCommand,
        ErrorKind::Usage,
        ErrorKind::InvalidValue,
        ErrorKind::NotFound,
        ErrorKind::NoData,
        ErrorKind::PartlyRecorded,
        ErrorKind::CannotCombine,
        ErrorKind::SamePeriod,
        ErrorKind::Conflict,
        ErrorKind::Block,
        ErrorKind::TooLarge,
        ErrorKind::Readonly,
        ErrorKind::Locked,
        ErrorKind::Damaged,
        ErrorKind::ForeignStore,
        ErrorKind::TooNew,
        ErrorKind::Io,
        ErrorKind::Store,
        ErrorKind::Interrupted,
    ];

    /// The word scripts see in `"kind"`.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "syntax",
            ErrorKind::UnknownCommand => "unknown_command",
            ErrorKind::Usage => "usage",
            ErrorKind::InvalidValue => "invalid_value",
            ErrorKind::NotFound => "not_found",
            ErrorKind::NoData => "no_data",
            ErrorKind::PartlyRecorded => "partly_recorded",
            ErrorKind::CannotCombine => "cannot_combine",
            ErrorKind::SamePeriod => "same_period",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Block => "block",
            ErrorKind::TooLarge => "too_large",
            ErrorKind::Readonly => "readonly",
            ErrorKind::Locked => "locked",
            ErrorKind::Damaged => "damaged",
            ErrorKind::ForeignStore => "foreign_store",
            ErrorKind::TooNew => "too_new",
            ErrorKind::Io => "io",
            ErrorKind::Store => "store",
            ErrorKind::Interrupted => "interrupted",
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_distinct_lowercase_words() {
        let mut names: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.name()).collect();
        assert!(
            names
                .iter()
                .all(|n| n.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        );
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ErrorKind::ALL.len());
    }
}
