//! The read-eval loop shared by the prompt, batch mode, files and `-c`.
//!
//! One loop reads lines from a [`LineSource`], joins `\` continuations,
//! runs session commands (`.mode`, `.read`, ...) itself and hands the rest
//! to the parser and the executor. Rows go to the output, errors and notes
//! to stderr.

pub mod complete;
mod dot;
mod error;
mod help;
mod highlight;
pub mod input;
mod progress;
pub mod prompt;
mod rows_out;
mod session_commands;
pub mod signals;
mod transfer;

use std::io::{self, BufWriter, Write};
use std::time::Instant;

use jiff::Timestamp;

use crate::core::command::Command;
use crate::core::lexer::{Statement, find_control, is_plain, split_statements};
use crate::core::parser::{ParseError, parse_statement_at};
use crate::exec::{ExecError, Executor, Outcome, Place};
use crate::render::{ErrorLocation, Format, error_line, render};
use crate::store::Store;
pub use error::SessionError;
use input::{Line, LineSource};
use rows_out::{RowsOut, Written};

/// Where the lines being run come from, which decides how errors name
/// their place.
#[derive(Debug, Clone)]
pub enum Origin {
    /// The interactive prompt, `-c` text or command words: `error: MESSAGE`.
    Direct,
    /// Piped stdin or `-f`: `error: line N: MESSAGE`.
    Batch,
    /// `.read FILE` or `--init FILE`: `error: FILE:N: MESSAGE`.
    File(String),
}

/// One statement of a logical line, ready to run.
enum Prepared {
    /// A session command (`.mode csv`), run by the front end.
    Session(String),
    Command(Result<Command, ParseError>),
}

/// The statements of a logical line: most lines hold one, kept without
/// a vector and parsed only when taken, as bulk input has millions of
/// them and a parsed command is large to move about.
enum Statements<'a> {
    One(Option<Statement<'a>>),
    Prepared(Option<Prepared>),
    Many(std::vec::IntoIter<Prepared>),
}

impl Iterator for Statements<'_> {
    type Item = Prepared;

    fn next(&mut self) -> Option<Prepared> {
        match self {
            Statements::One(one) => one.take().map(prepare_one),
            Statements::Prepared(one) => one.take(),
            Statements::Many(many) => many.next(),
        }
    }
}

/// Splits a logical line into statements at `;` and parses the commands
/// among them.
fn prepare(text: &str) -> Statements<'_> {
    // Comments are dropped before the lexer sees them, so control
    // characters are refused here, wherever they stand.
    if let Some((column, c)) = find_control(text) {
        let message = format!("control character U+{:04X} is not allowed", u32::from(c));
        return Statements::Prepared(Some(Prepared::Command(Err(ParseError::new(
            column, message,
        )))));
    }
    // A line without `;`, `#` or `"` is the one statement split_statements
    // would give, `.sql` included (it takes the whole line either way).
    if is_plain(text) {
        let statement = Statement { text, column: 1 };
        return Statements::One((!text.trim().is_empty()).then_some(statement));
    }
    // `.sql` takes the rest of its line as written: SQL has quotes and
    // semicolons of its own.
    let statements = split_statements(text);
    if let Some(at) = statements
        .iter()
        .position(|s| dot::sql_query(s.text).is_some())
    {
        let start = text
            .char_indices()
            .nth(statements[at].column - 1)
            .map_or(text.len(), |(i, _)| i);
        let mut prepared: Vec<Prepared> =
            statements[..at].iter().map(|s| prepare_one(*s)).collect();
        prepared.push(Prepared::Session(text[start..].trim().to_string()));
        return Statements::Many(prepared.into_iter());
    }
    let prepared: Vec<Prepared> = statements.into_iter().map(prepare_one).collect();
    Statements::Many(prepared.into_iter())
}

fn prepare_one(statement: Statement) -> Prepared {
    if statement.text.trim_start().starts_with('.') {
        Prepared::Session(statement.text.trim().to_string())
    } else {
        Prepared::Command(parse_statement_at(statement))
    }
}

/// What the caller should do after a run of lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// `.quit`, `--bail` after a failure, or a closed output pipe.
    Stop,
}

/// `.read` may nest, but not forever.
const MAX_READ_DEPTH: usize = 16;

pub struct Settings {
    pub format: Format,
    pub bail: bool,
    pub quiet: bool,
}

pub struct Session {
    exec: Executor,
    format: Format,
    bail: bool,
    quiet: bool,
    timer: bool,
    asof: Option<Timestamp>,
    /// Query rows go here: stdout, or a file after `.output FILE`.
    output: Box<dyn Write>,
    /// Query rows go here instead after `.output FILE.xlsx`.
    workbook: Option<crate::render::Workbook>,
    /// The command whose rows are written next, naming a workbook's sheet.
    command_name: &'static str,
    errors: BufWriter<io::Stderr>,
    /// Whether any command has failed (the exit status).
    failed: bool,
    /// Whether stdout was closed under us (`| head -1`): stop quietly.
    broken_pipe: bool,
    /// The stop signal that ended the input early.
    interrupted: Option<signals::Signal>,
    /// Whether a batch group was lost (it could not be committed): nothing
    /// more runs, so that the store holds an exact prefix of the input.
    halted: bool,
    /// Whether an insert held back failed and stopped the batch
    /// (`--bail`), when written while waiting for input.
    deferred_stopped: bool,
    read_depth: usize,
}

impl Session {
    pub fn new(store: Store, settings: Settings) -> Session {
        let mut exec = Executor::new(store);
        exec.set_confirmations(!settings.quiet);
        Session {
            exec,
            format: settings.format,
            bail: settings.bail,
            quiet: settings.quiet,
            timer: false,
            asof: None,
            output: Box::new(BufWriter::new(io::stdout())),
            workbook: None,
            command_name: "rows",
            errors: BufWriter::new(io::stderr()),
            failed: false,
            broken_pipe: false,
            interrupted: None,
            halted: false,
            deferred_stopped: false,
            read_depth: 0,
        }
    }

    /// The store's names, for completing at the prompt.
    fn catalog(&self) -> crate::exec::Catalog {
        self.exec.catalog()
    }

    pub fn failed(&self) -> bool {
        self.failed
    }

    pub fn broken_pipe(&self) -> bool {
        self.broken_pipe
    }

    /// The stop signal that ended the input early, if one did.
    pub fn interrupted(&self) -> Option<signals::Signal> {
        self.interrupted
    }

    /// Runs every line from `source`. Batch origins group writes into
    /// larger transactions, committed before this returns.
    pub fn run(&mut self, source: &mut dyn LineSource, origin: &Origin) -> Flow {
        let flow = self.run_lines(source, origin);
        self.commit_group();
        self.flush();
        if self.halted { Flow::Stop } else { flow }
    }

    fn run_lines(&mut self, source: &mut dyn LineSource, origin: &Origin) -> Flow {
        let mut line_number = 0;
        // A long batch shows its pace at a terminal; the prompt does not.
        let mut progress =
            matches!(origin, Origin::Batch).then(|| progress::Progress::new("lines", self.quiet));
        loop {
            if let Some(signal) = signals::received() {
                return self.interrupt(signal, origin, line_number + 1);
            }
            if let Some(progress) = &mut progress
                && line_number % 1024 == 0
            {
                progress.update(line_number as u64);
            }
            let first = line_number + 1;
            let mut text = String::new();
            let mut continuation = false;
            loop {
                let line = source.next_line(continuation, &mut || {
                    // Nothing is buffered: commit before waiting for more.
                    self.commit_group();
                    self.flush();
                });
                match line {
                    Line::Text(line) => {
                        line_number += 1;
                        // A trailing `\` joins the next line to this one.
                        match line.strip_suffix('\\') {
                            Some(head) => {
                                text.push_str(head);
                                text.push(' ');
                                continuation = true;
                            }
                            // Most lines stand alone: keep them, not a copy.
                            None if text.is_empty() => {
                                text = line;
                                break;
                            }
                            None => {
                                text.push_str(&line);
                                break;
                            }
                        }
                    }
                    Line::Unreadable(reason) => {
                        line_number += 1;
                        if self.write_deferred() == Flow::Stop {
                            return Flow::Stop;
                        }
                        self.report(&SessionError::Input(reason), origin, line_number);
                        if self.failed && self.bail {
                            return Flow::Stop;
                        }
                        text.clear();
                        break;
                    }
                    Line::Interrupted => {
                        text.clear();
                        break;
                    }
                    Line::Signalled => {
                        let signal = signals::received().expect("a signal");
                        return self.interrupt(signal, origin, first);
                    }
                    Line::Eof if continuation => break,
                    Line::Eof => return Flow::Continue,
                }
            }
            // An insert held back failed under --bail while the input was
            // awaited.
            if self.deferred_stopped {
                return Flow::Stop;
            }
            if self.run_prepared(prepare(&text), origin, first) == Flow::Stop {
                return Flow::Stop;
            }
        }
    }

    /// A stop signal: what was confirmed is committed, and nothing more
    /// is read.
    fn interrupt(&mut self, signal: signals::Signal, origin: &Origin, line: usize) -> Flow {
        self.interrupted = Some(signal);
        self.commit_group();
        let from = match origin {
            Origin::File(name) => format!("{name}:{line}"),
            _ => format!("line {line}"),
        };
        let error = SessionError::Interrupted {
            signal: signal.name(),
            from,
        };
        self.report(&error, &Origin::Direct, 0);
        Flow::Stop
    }

    /// Runs the statements of one logical line.
    fn run_prepared(&mut self, statements: Statements<'_>, origin: &Origin, line: usize) -> Flow {
        for statement in statements {
            if self.halted {
                return Flow::Stop;
            }
            let flow = match statement {
                Prepared::Command(Ok(command)) => self.run_or_defer(command, origin, line),
                // Inserts held back are written before anything else runs,
                // and before any other failure is reported.
                _ if self.write_deferred() == Flow::Stop => Flow::Stop,
                Prepared::Session(text) => match self.session_command(&text) {
                    Ok(flow) => flow,
                    Err(error) => self.fail(error, origin, line),
                },
                Prepared::Command(Err(err)) => self.fail(err.into(), origin, line),
            };
            if flow == Flow::Stop || self.halted {
                return Flow::Stop;
            }
        }
        Flow::Continue
    }

    /// Runs a command, or holds back an `insert` of batch input to be
    /// written with the next ones (see `exec::deferred`).
    fn run_or_defer(&mut self, command: Command, origin: &Origin, line: usize) -> Flow {
        let mut command = command;
        // Timed commands are run one by one, to time each.
        while matches!(origin, Origin::Batch) && !self.timer {
            let held_before = self.exec.has_deferred();
            match self.exec.defer(command, line) {
                None if self.exec.deferred_full() => return self.write_deferred(),
                None => return Flow::Continue,
                // It may start the next rows held, once those are written.
                Some(declined) if held_before => {
                    if self.write_deferred() == Flow::Stop {
                        return Flow::Stop;
                    }
                    command = declined;
                }
                Some(declined) => {
                    command = declined;
                    break;
                }
            }
        }
        if self.write_deferred() == Flow::Stop {
            return Flow::Stop;
        }
        self.run_command(&command, origin, line)
    }

    /// Writes the inserts held back, reporting any that failed at its line.
    fn write_deferred(&mut self) -> Flow {
        for (line, outcome) in self.exec.write_deferred(self.bail) {
            self.command_name = "insert";
            let flow = match outcome
                .map_err(SessionError::from)
                .and_then(|o| self.show(o))
            {
                Ok(flow) => flow,
                // Only batch input holds inserts back.
                Err(error) => self.fail(error, &Origin::Batch, line),
            };
            if flow == Flow::Stop || self.halted {
                self.deferred_stopped = true;
                return Flow::Stop;
            }
        }
        Flow::Continue
    }

    fn run_command(&mut self, command: &Command, origin: &Origin, line: usize) -> Flow {
        // Read only for `.timer`: bulk input need not ask the clock twice a line.
        let started = self.timer.then(Instant::now);
        self.command_name = command_word(command);
        let place = Place {
            file: match origin {
                Origin::File(name) => Some(name),
                _ => None,
            },
            line,
            batch: matches!(origin, Origin::Batch),
        };
        let mut rows = RowsOut::new(self.format, self.workbook.is_some(), &mut *self.output);
        let ran = self.exec.run(command, self.asof, place, &mut rows);
        let written = rows.finish(ran.is_ok());
        let shown = match (ran, written) {
            (Ok(_) | Err(ExecError::Stopped), Err(err)) => self.output_failed(err),
            (Err(err), written) => {
                // The rows written before the failure go out before its error.
                if matches!(written, Ok(Written::Streamed)) {
                    let _ = self.output.flush();
                }
                Err(err.into())
            }
            (Ok(outcome), Ok(written)) => self.show(outcome).and_then(|flow| match written {
                Written::Gathered(rows) if flow == Flow::Continue => self.write_rows(&rows),
                Written::Streamed => match self.output.flush() {
                    Ok(()) => Ok(flow),
                    Err(err) => self.output_failed(err),
                },
                _ => Ok(flow),
            }),
        };
        let flow = match shown {
            Ok(flow) => flow,
            Err(err) => self.fail(err, origin, line),
        };
        if let Some(started) = started {
            // Asked for explicitly, so shown even with --quiet.
            let millis = started.elapsed().as_secs_f64() * 1e3;
            let _ = writeln!(self.errors, "time: {millis:.3} ms");
        }
        flow
    }

    /// Ends the session: a block still open (input ended inside it) is
    /// rolled back, as if interrupted.
    pub fn finish(&mut self) {
        self.write_deferred();
        if let Err(error) = self.exec.finish() {
            self.report_error(&error.into());
        }
        if let Err(error) = self.close_workbook() {
            self.report_error(&error);
        }
        self.flush();
    }

    /// Refuses a file to write that is the store or one of its journals:
    /// writing there would destroy the store.
    fn refuse_store_file(&self, path: &str) -> Result<(), SessionError> {
        if self.exec.store().owns_file(std::path::Path::new(path)) {
            return Err(SessionError::IsStore {
                path: path.to_string(),
            });
        }
        Ok(())
    }

    /// Writes the workbook of `.output FILE.xlsx`, if one is open.
    fn close_workbook(&mut self) -> Result<(), SessionError> {
        match self.workbook.take() {
            Some(book) => {
                let path = book.path().to_string();
                book.save()?;
                self.note(&format!("wrote {path}"));
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// Commits what the batch has confirmed so far.
    fn commit_group(&mut self) {
        // A failure under --bail stops the batch at its next line.
        self.write_deferred();
        if let Err(error) = self.exec.commit_group() {
            self.halt(error.into());
        }
    }

    /// A group of commands was lost: the error belongs to no one line, and
    /// nothing more runs.
    fn halt(&mut self, error: SessionError) {
        self.halted = true;
        self.report(&error, &Origin::Direct, 0);
    }

    /// A command's notes, chart and rows; a failure to write them is the
    /// command's, reported at its line.
    fn show(&mut self, outcome: Outcome) -> Result<Flow, SessionError> {
        for note in &outcome.notes {
            self.note(note);
        }
        if let Some((chart, file)) = outcome.chart {
            self.refuse_store_file(&file)?;
            let image = crate::render::chart_file(&chart, &file)?;
            std::fs::write(&file, image).map_err(|source| SessionError::Unwritable {
                path: file.clone(),
                source,
            })?;
            self.note(&format!("wrote {file}"));
            return Ok(Flow::Continue);
        }
        match outcome.rows {
            Some(rows) => self.write_rows(&rows),
            None => Ok(Flow::Continue),
        }
    }

    /// Query rows to the output, in the session's format.
    fn write_rows(&mut self, rows: &crate::core::rows::Rows) -> Result<Flow, SessionError> {
        if let Some(book) = &mut self.workbook {
            book.add(rows, self.command_name)?;
            return Ok(Flow::Continue);
        }
        let written =
            render(rows, self.format, &mut self.output).and_then(|()| self.output.flush());
        match written {
            Ok(()) => Ok(Flow::Continue),
            Err(err) => self.output_failed(err),
        }
    }

    /// A write to the output failed: a closed pipe stops quietly, anything
    /// else is the failing command's error.
    fn output_failed(&mut self, err: io::Error) -> Result<Flow, SessionError> {
        if err.kind() == io::ErrorKind::BrokenPipe {
            self.broken_pipe = true;
            return Ok(Flow::Stop);
        }
        // Said once: what is still buffered would fail again at the end.
        self.output = Box::new(io::sink());
        Err(SessionError::Output(err))
    }

    /// Reports a failed command; with `--bail`, stops.
    fn fail(&mut self, error: SessionError, origin: &Origin, line: usize) -> Flow {
        if error.halts() {
            self.halt(error);
            return Flow::Stop;
        }
        // All or nothing: the first failure inside a block, whatever it
        // is, undoes the whole block.
        if let Some(began) = self.exec.fail_block() {
            let error = SessionError::InBlock {
                source: Box::new(error),
                began,
            };
            self.report(&error, origin, line);
            return if self.bail {
                Flow::Stop
            } else {
                Flow::Continue
            };
        }
        self.report(&error, origin, line);
        if self.bail {
            Flow::Stop
        } else {
            Flow::Continue
        }
    }

    fn report(&mut self, error: &SessionError, origin: &Origin, line: usize) {
        self.failed = true;
        let location = match origin {
            _ if line == 0 => ErrorLocation::None,
            // JSON errors always carry their line (within the `-c` text, or
            // counted from the start of the prompt session).
            Origin::Direct if !matches!(self.format, Format::Json | Format::Jsonl) => {
                ErrorLocation::None
            }
            Origin::Direct => ErrorLocation::Line(line),
            Origin::Batch => ErrorLocation::Line(line),
            Origin::File(name) => ErrorLocation::File(name, line),
        };
        let message = one_line(&error.to_string());
        let text = error_line(self.format, &message, error.kind(), location);
        let _ = writeln!(self.errors, "{text}");
    }

    /// A confirmation or note for people, on stderr unless `--quiet`.
    fn note(&mut self, message: &str) {
        if !self.quiet {
            let message = crate::core::quote::escape_controls(message);
            let _ = writeln!(self.errors, "{message}");
        }
    }

    pub fn flush(&mut self) {
        match self.output.flush() {
            Ok(()) => {}
            Err(err) if err.kind() == io::ErrorKind::BrokenPipe => self.broken_pipe = true,
            Err(err) => {
                // Said once: what is still buffered would fail again.
                self.output = Box::new(io::sink());
                self.report(&SessionError::Output(err), &Origin::Direct, 0);
            }
        }
        let _ = self.errors.flush();
    }

    /// Runs the commands in a file: `--init` names it in errors
    /// ([`Origin::File`]), `-f` numbers its lines ([`Origin::Batch`]).
    pub fn run_file(&mut self, path: &str, origin: &Origin) -> Flow {
        match input::open_input(path) {
            Ok(file) => {
                let mut source = input::ReaderSource::new(io::BufReader::new(file));
                self.run(&mut source, origin)
            }
            Err(error) => {
                self.report_error(&error);
                if self.bail {
                    Flow::Stop
                } else {
                    Flow::Continue
                }
            }
        }
    }

    /// Reports an error that belongs to no line.
    pub fn report_error(&mut self, error: &SessionError) {
        self.report(error, &Origin::Direct, 0);
        let _ = self.errors.flush();
    }

    /// The interactive prompt on the store at `db`: a banner, then lines
    /// typed until `.quit` or Ctrl-D.
    pub fn run_prompt(&mut self) {
        match prompt::PromptSource::new(self.catalog()) {
            Ok(mut prompt) => {
                // A PostgreSQL address is shown without its password.
                let shown = self.exec.store().display_name();
                let db = crate::core::quote::escape_controls(&shown);
                println!(
                    "growthdb {} (store {db}). Type .help for the commands, .quit to leave.",
                    env!("CARGO_PKG_VERSION"),
                );
                self.run(&mut prompt, &Origin::Direct);
            }
            Err(error) => self.report_error(&error),
        }
    }
}

/// An error before any session exists (the store would not open), in the
/// format asked for; in JSON its line is 0, since no line was read.
pub fn report_startup_error(format: Format, error: &SessionError) {
    let message = one_line(&error.to_string());
    eprintln!(
        "{}",
        error_line(format, &message, error.kind(), ErrorLocation::None)
    );
}

/// One line per error, whatever the message quotes.
fn one_line(message: &str) -> String {
    let message = crate::core::quote::bound_message(message);
    crate::core::quote::escape_controls(&message).into_owned()
}

/// A command's name, for the sheet its rows go to.
fn command_word(command: &Command) -> &'static str {
    match command {
        Command::Growth(_) => "growth",
        Command::Series(_) => "series",
        Command::Metrics { .. } => "metrics",
        Command::History { .. } => "history",
        Command::Chart(_) | Command::ChartGrowth(_) => "chart",
        _ => "rows",
    }
}
