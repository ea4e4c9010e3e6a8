//! Inserts held back in batch input, to be written many to a statement.
//!
//! Piped bulk input is mostly `insert`s of one new value each into a
//! series already written. One statement apiece, each pays for its
//! statement's start, cursor and end; held back until
//! [`FIRST_REVISIONS`] are waiting, they are written by one statement,
//! which SQLite undoes whole if any of them is there already. Then each is
//! run again as it was given, in order, so that the outcome, and each
//! failure with its line, is what running them one at a time gives.
//!
//! Nothing else runs while inserts are held: the session writes them
//! before any other command or session command, before it waits for
//! input, and before the batch's group is committed, so no command and no
//! other process sees the store without them. They are held only where
//! nothing would be printed for them (`--quiet`), as their confirmations
//! could not be given before they are written.
use jiff::Timestamp;

use crate::core::command::{Command, PeriodArg};
use crate::store::{FIRST_REVISIONS, SeriesId};

use super::{Executor, Gather, Outcome, Place, Result};

/// The inserts held back, in the order given.
#[derive(Default)]
pub(super) struct Deferred {
    commands: Vec<(Command, usize)>,
    /// Each command's row: series, first day, end, value.
    rows: Vec<(SeriesId, i32, i32, f64)>,
    /// The series of the last insert offered: rows are held only from the
    /// second in a row of one series, so that input sorted by day, each
    /// row another series, is run row by row without holding any.
    last_series: Option<SeriesId>,
}

impl Executor {
    /// Holds back an `insert` of batch input on `line` when it can be
    /// written with others: one new value, with the fields of those held
    /// already, into a series this session knows, in the batch's group.
    /// Gives the command back when it is not held: it is to be run as
    /// usual, once those held are written.
    pub fn defer(&mut self, command: Command, line: usize) -> Option<Command> {
        let row = self.row_to_defer(&command);
        let last_series = std::mem::replace(&mut self.deferred.last_series, row.map(|r| r.0));
        let row = row.filter(|r| !self.deferred.is_empty() || last_series == Some(r.0));
        match row {
            Some(row) if self.join_open_group() => {
                self.deferred.rows.push(row);
                self.deferred.commands.push((command, line));
                None
            }
            _ => Some(command),
        }
    }

    /// Whether as many inserts are held as one statement writes.
    pub fn deferred_full(&self) -> bool {
        self.deferred.rows.len() >= FIRST_REVISIONS
    }

    /// Whether any inserts are held back.
    pub fn has_deferred(&self) -> bool {
        !self.deferred.is_empty()
    }

    /// Writes the inserts held back. Gives the outcome of each that failed
    /// or has notes, with its line, in the order given; with
    /// `stop_at_failure` (`--bail`), none after the first failure is run.
    pub fn write_deferred(&mut self, stop_at_failure: bool) -> Vec<(usize, Result<Outcome>)> {
        if self.deferred.is_empty() {
            return Vec::new();
        }
        let last_series = self.deferred.last_series;
        let Deferred {
            commands, mut rows, ..
        } = std::mem::take(&mut self.deferred);
        let (source, note) = match &commands[0].0 {
            Command::Insert(write) => (write.source.as_deref(), write.note.as_deref()),
            _ => unreachable!("only inserts are held"),
        };
        // A failed statement changes nothing; each insert is then run on
        // its own and meets the same trouble, reported at its line.
        let written = rows.len() == FIRST_REVISIONS && {
            let now = Timestamp::now().as_microsecond();
            matches!(
                self.store.add_first_revisions(&rows, now, source, note),
                Ok(true)
            )
        };
        let mut outcomes = Vec::new();
        if !written {
            for (command, line) in &commands {
                let place = Place {
                    file: None,
                    line: *line,
                    batch: true,
                };
                let result = self.run(command, None, place, &mut Gather::default());
                let failed = result.is_err();
                if failed || result.as_ref().is_ok_and(|o| !o.notes.is_empty()) {
                    outcomes.push((*line, result));
                }
                if failed && stop_at_failure {
                    break;
                }
            }
        }
        // The buffers are kept for the next inserts.
        rows.clear();
        let mut commands = commands;
        commands.clear();
        self.deferred = Deferred {
            commands,
            rows,
            last_series,
        };
        outcomes
    }

    /// The row of `command` if it is an insert that could be held back,
    /// given what is held already: series, first day, end, value.
    fn row_to_defer(&self, command: &Command) -> Option<(SeriesId, i32, i32, f64)> {
        let Command::Insert(write) = command else {
            return None;
        };
        let (PeriodArg::Days(period), [(key, value)]) = (&write.period, write.values.as_slice())
        else {
            return None;
        };
        if self.confirmations || self.probe_first || !self.store.statements_fail_alone() {
            return None;
        }
        // Only a series whose longest period covers this one: widening it
        // would be a write of its own.
        let slot = self
            .series
            .get(key)
            .filter(|s| period.days() <= s.max_days)?;
        // The held rows are of one series, so that the statement writing
        // them changes a page or two: SQLite keeps a copy of each page a
        // statement of many rows changes, to undo it alone.
        if let (Some((Command::Insert(first), _)), Some(row)) =
            (self.deferred.commands.first(), self.deferred.rows.first())
            && (row.0 != slot.id || first.source != write.source || first.note != write.note)
        {
            return None;
        }
        Some((slot.id, period.start_day(), period.end_day(), *value))
    }
}

impl Deferred {
    pub(super) fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }
}
