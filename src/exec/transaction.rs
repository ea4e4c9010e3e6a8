//! The transactions commands run in. At the prompt each command commits on
//! its own; batch input groups its commands into larger transactions; a
//! `begin` block is one transaction the user ends. Every command inside a
//! group or a block runs under a savepoint of its own, so that a failing
//! one leaves no trace. Whatever rolls back here also forgets the rows
//! cached from the store, which may no longer exist.
use std::fmt;
use std::rc::Rc;
use std::time::{Duration, Instant};

use jiff::Timestamp;

use crate::core::command::Command;
use crate::store::{Atomic, Store, StoreError, Transaction, WRITE_TRIES};

use super::{ExecError, Executor, Outcome, Result};

/// A batch groups its commands into transactions of this many commands,
/// or this much time, whichever comes first; the time bound lets other
/// processes write in between. Each group ends with a pause of
/// [`LOCK_GAP`], which fast input pays once per group.
const GROUP_COMMANDS: usize = 100_000;
const GROUP_TIME: Duration = Duration::from_millis(500);

/// How long a batch leaves the write lock free between its groups.
const LOCK_GAP: Duration = Duration::from_millis(3);

/// Where a command of the input stands, for the transaction it runs in.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    /// The file it was read from (`.read`, `--init`), if any.
    pub file: Option<&'a str>,
    pub line: usize,
    /// Whether its writes may be grouped with the next ones (batch input).
    pub batch: bool,
}

impl fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.file {
            Some(file) => write!(f, "{file}:{}", self.line),
            None => write!(f, "line {}", self.line),
        }
    }
}

/// `begin`, `commit` and `rollback` out of place, or their failures.
#[derive(Debug, thiserror::Error)]
pub enum BlockError {
    #[error(
        "skipped: the block begun at line {0} failed and was rolled back; end it with rollback"
    )]
    Skipped(usize),
    #[error(
        "a block is already open (begun at line {0}); blocks do not nest: commit or roll it back first"
    )]
    Nested(usize),
    #[error("no block is open; {0} ends a block opened by begin")]
    NoneOpen(&'static str),
    #[error("the block begun at line {0} failed and was rolled back; nothing was committed")]
    CommitFailed(usize),
    #[error("the input ended inside the block begun at line {0}; it was rolled back")]
    InputEnded(usize),
    #[error("cannot {verb}: {source}")]
    Store {
        verb: &'static str,
        #[source]
        source: StoreError,
    },
}

/// Why a batch group was lost.
#[derive(Debug, thiserror::Error)]
pub enum GroupCause {
    #[error("cannot commit: {0}")]
    Commit(#[source] StoreError),
    #[error("SQLite rolled back its transaction")]
    RolledBack,
}

/// The transaction the next command runs in.
#[derive(Default)]
pub(super) enum Scope {
    /// None open: each command commits on its own.
    #[default]
    Auto,
    /// Batch input: commands share one transaction until it is full.
    Group {
        tx: Transaction<Rc<Store>>,
        commands: usize,
        started: Instant,
        /// Where the group began (`line 12`), for the error that loses it.
        began: String,
    },
    /// `begin`: one transaction until `commit` or `rollback`. It has none
    /// on a read-only store, or once a command in it failed.
    Block {
        tx: Option<Transaction<Rc<Store>>>,
        line: usize,
        failed: bool,
    },
    /// A group was lost: nothing more may run, or the store would hold the
    /// input with a hole in it.
    Halted,
}

impl Executor {
    /// Runs one command of the input: `begin`, `commit` and `rollback`
    /// open and end a block; other commands run in the block, in the
    /// batch's group, or on their own.
    pub fn run(
        &mut self,
        command: &Command,
        default_asof: Option<Timestamp>,
        place: Place,
        sink: &mut dyn super::RowSink,
    ) -> Result<Outcome> {
        debug_assert!(self.deferred.is_empty(), "held inserts are written first");
        self.check_group()?;
        match command {
            Command::Begin => return self.begin_block(place.line),
            Command::Commit => return self.end_block(true),
            Command::Rollback => return self.end_block(false),
            _ => {}
        }
        match &self.scope {
            Scope::Block {
                line, failed: true, ..
            } => return Err(BlockError::Skipped(*line).into()),
            Scope::Block { .. } => {}
            Scope::Group { .. } => self.join_group(command.writes(), place)?,
            Scope::Auto if place.batch => self.join_group(command.writes(), place)?,
            Scope::Auto | Scope::Halted => {}
        }
        let mut tries = 1;
        loop {
            let result = self.execute_into(command, default_asof, sink);
            match result {
                Err(ExecError::Store(StoreError::Contended))
                    if command.writes() && tries < WRITE_TRIES && self.try_again(place) =>
                {
                    tries += 1;
                }
                other => return other,
            }
        }
    }

    /// After another process's transaction got in the way of a write (in
    /// PostgreSQL), whether the whole transaction it ran in is rolled back
    /// and begun again for it: only when nothing else had run in it, that
    /// is a command on its own or the first of a batch's group. A command
    /// inside a `begin` block, or after others in its group, is not: the
    /// ones before it were confirmed already.
    fn try_again(&mut self, place: Place) -> bool {
        match &self.scope {
            Scope::Auto => !self.store.in_transaction(),
            Scope::Group { commands: 1, .. } => {
                // Dropped, the group's transaction rolls back.
                self.scope = Scope::Auto;
                self.forget_cached_rows();
                self.join_group(true, place).is_ok()
            }
            _ => false,
        }
    }

    /// Something on the line failed: the open block, if it had not failed
    /// already, is rolled back whole. Gives the line the block began on.
    pub fn fail_block(&mut self) -> Option<usize> {
        let Scope::Block { tx, line, failed } = &mut self.scope else {
            return None;
        };
        if *failed {
            return None;
        }
        *failed = true;
        let line = *line;
        if let Some(tx) = tx.take() {
            let _ = tx.rollback();
        }
        self.forget_cached_rows();
        Some(line)
    }

    /// Commits what the batch's group holds, so that every command
    /// confirmed so far is durable: at the end of the input, before
    /// waiting for more, and when the process is told to stop.
    pub fn commit_group(&mut self) -> Result<()> {
        debug_assert!(self.deferred.is_empty(), "held inserts are written first");
        if matches!(self.scope, Scope::Halted) {
            // Said when the group was lost.
            return Ok(());
        }
        self.check_group()?;
        if !matches!(self.scope, Scope::Group { .. }) {
            return Ok(());
        }
        let Scope::Group { tx, began, .. } = std::mem::take(&mut self.scope) else {
            unreachable!("a group")
        };
        tx.commit()
            .map_err(|err| self.lose_group(began, GroupCause::Commit(err)))
    }

    /// The input ended: the group is committed, and a block still open is
    /// rolled back, as if interrupted.
    pub fn finish(&mut self) -> Result<()> {
        self.commit_group()?;
        if let Scope::Block { line, failed, .. } = self.scope {
            // The guard rolls the block back.
            self.scope = Scope::Auto;
            if !failed {
                self.forget_cached_rows();
            }
            return Err(BlockError::InputEnded(line).into());
        }
        Ok(())
    }

    /// `begin`: what follows, up to `commit`, is one transaction.
    fn begin_block(&mut self, line: usize) -> Result<Outcome> {
        if let Scope::Block { line, .. } = self.scope {
            return Err(BlockError::Nested(line).into());
        }
        self.commit_group()?;
        let tx = if self.store.is_readonly() {
            None
        } else {
            let tx =
                Transaction::write(Rc::clone(&self.store)).map_err(|source| BlockError::Store {
                    verb: "begin",
                    source,
                })?;
            Some(tx)
        };
        self.scope = Scope::Block {
            tx,
            line,
            failed: false,
        };
        Ok(Outcome::default())
    }

    /// `commit` (or `rollback`): ends the open block.
    fn end_block(&mut self, commit: bool) -> Result<Outcome> {
        let verb = if commit { "commit" } else { "rollback" };
        if !matches!(self.scope, Scope::Block { .. }) {
            return Err(BlockError::NoneOpen(verb).into());
        }
        let Scope::Block { tx, line, failed } = std::mem::take(&mut self.scope) else {
            unreachable!("a block")
        };
        if failed && commit {
            return Err(BlockError::CommitFailed(line).into());
        }
        let Some(tx) = tx else {
            // Failed, or on a read-only store: nothing to end.
            return Ok(Outcome::default());
        };
        let ended = if commit { tx.commit() } else { tx.rollback() };
        if !commit || ended.is_err() {
            self.forget_cached_rows();
        }
        ended.map_err(|source| BlockError::Store { verb, source })?;
        let note = if commit { "committed" } else { "rolled back" };
        Ok(Outcome {
            notes: vec![note.to_string()],
            ..Outcome::default()
        })
    }

    /// In batch input, makes sure a write runs inside the current group's
    /// transaction, starting a new group when the last one is full.
    fn join_group(&mut self, writes: bool, place: Place) -> Result<()> {
        if let Scope::Group {
            commands, started, ..
        } = &self.scope
            && (*commands >= GROUP_COMMANDS || started.elapsed() >= GROUP_TIME)
        {
            self.commit_group()?;
            // Leave the lock free for a moment, so that another process
            // waiting to write (it looks every millisecond) gets its turn.
            std::thread::sleep(LOCK_GAP);
        }
        match &mut self.scope {
            Scope::Group { commands, .. } => *commands += 1,
            Scope::Auto if writes && !self.store.is_readonly() => {
                // If the group cannot start, the command runs on its own
                // and reports the same error itself.
                if let Ok(tx) = Transaction::write(Rc::clone(&self.store)) {
                    self.scope = Scope::Group {
                        tx,
                        commands: 1,
                        started: Instant::now(),
                        began: place.to_string(),
                    };
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Counts a held-back insert in the batch's group, when one is open
    /// and not due to be committed (the clock is read only for the first
    /// insert a statement will hold): false when the insert must run as
    /// usual, which commits the group first if it is due.
    pub(super) fn join_open_group(&mut self) -> bool {
        let first = self.deferred.is_empty();
        match &mut self.scope {
            Scope::Group {
                commands, started, ..
            } if !first || (*commands < GROUP_COMMANDS && started.elapsed() < GROUP_TIME) => {
                *commands += 1;
                true
            }
            _ => false,
        }
    }

    /// A disk error can make SQLite roll back the whole transaction, and
    /// with it the group's earlier commands, though each had succeeded:
    /// then nothing more runs.
    fn check_group(&mut self) -> Result<()> {
        match &self.scope {
            Scope::Halted => Err(ExecError::Halted),
            Scope::Group { tx, .. } if !tx.is_alive() => {
                let Scope::Group { began, .. } = std::mem::take(&mut self.scope) else {
                    unreachable!("a group")
                };
                Err(self.lose_group(began, GroupCause::RolledBack))
            }
            _ => Ok(()),
        }
    }

    fn lose_group(&mut self, began: String, cause: GroupCause) -> ExecError {
        self.forget_cached_rows();
        self.scope = Scope::Halted;
        ExecError::GroupLost { cause, began }
    }

    /// Runs `work` so that it changes all or nothing: in a transaction of
    /// its own, or under a savepoint inside an open one.
    pub(super) fn atomically<T>(
        &mut self,
        what: &'static str,
        work: impl FnOnce(&mut Self) -> Result<T>,
    ) -> Result<T> {
        self.check_group()?;
        self.store.require_writable(what)?;
        let store = Rc::clone(&self.store);
        let atomic = Atomic::begin(&store)?;
        let result = work(self);
        let finished = match &result {
            Ok(_) => atomic.keep(),
            Err(_) => atomic.undo(),
        };
        if result.is_err() || finished.is_err() {
            self.forget_cached_rows();
        }
        let value = result?;
        finished?;
        Ok(value)
    }

    /// Runs `work` in a transaction (or savepoint) that is always rolled
    /// back: what it would do, without keeping it.
    pub(super) fn trial<T>(&mut self, work: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        self.check_group()?;
        self.store.require_writable("import")?;
        let store = Rc::clone(&self.store);
        let atomic = Atomic::begin(&store)?;
        let result = work(self);
        let undone = atomic.undo();
        self.forget_cached_rows();
        let value = result?;
        undone?;
        Ok(value)
    }

    /// Runs `read` on one snapshot of the store: outside a transaction in
    /// a read transaction of its own, so that another process's command is
    /// seen whole or not at all.
    pub(super) fn snapshot<T>(&mut self, read: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        if self.store.in_transaction() {
            return read(self);
        }
        let store = Rc::clone(&self.store);
        let tx = Transaction::read(&*store)?;
        let value = read(self)?;
        tx.commit()?;
        Ok(value)
    }
}
