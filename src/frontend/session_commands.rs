//! Running session commands: lines starting with `.`, which act on the
//! session rather than the store's data. [`super::dot`] parses them.
use std::fs::File;
use std::io::{self, BufWriter};

use super::dot::{self, SessionCommand};
use super::help;
use super::{Flow, MAX_READ_DEPTH, Origin, Session, SessionError};

/// Every session command, in the order help lists them.
pub const SESSION_COMMANDS: [&str; 14] = [
    ".help", ".mode", ".output", ".read", ".import", ".export", ".asof", ".timer", ".schema",
    ".sql", ".check", ".print", ".quit", ".exit",
];

impl Session {
    /// Runs one session command; an `Err` is the message for the user.
    pub(super) fn session_command(&mut self, text: &str) -> Result<Flow, SessionError> {
        let command = dot::parse(text)?;
        match command {
            SessionCommand::Help(topic) => self.write_output(&help::help(topic)),
            SessionCommand::Mode(format) => self.format = format,
            SessionCommand::Output(path) => {
                if let Some(path) = &path {
                    self.refuse_store_file(path)?;
                }
                self.flush();
                self.close_workbook()?;
                self.output = match path {
                    Some(path) if crate::render::is_workbook_path(&path) => {
                        // Checked now, so that a bad path fails here rather
                        // than when the session ends.
                        File::create(&path).map_err(|source| SessionError::Unwritable {
                            path: path.clone(),
                            source,
                        })?;
                        self.workbook = Some(crate::render::Workbook::new(&path));
                        Box::new(BufWriter::new(io::stdout()))
                    }
                    None => Box::new(BufWriter::new(io::stdout())),
                    Some(path) => {
                        Box::new(BufWriter::new(File::create(&path).map_err(|source| {
                            SessionError::Unwritable {
                                path: path.clone(),
                                source,
                            }
                        })?))
                    }
                };
            }
            SessionCommand::Read(path) => return self.read(&path),
            SessionCommand::Import(args) => {
                self.command_name = "import";
                return self.import(&args);
            }
            SessionCommand::Export(args) => return self.export(&args),
            SessionCommand::Asof(asof) => self.asof = asof,
            SessionCommand::Timer(on) => self.timer = on,
            SessionCommand::Schema => {
                let statements = self.exec.store().schema_sql()?;
                let text: String = statements.iter().map(|s| format!("{s};\n")).collect();
                self.write_output(&text);
            }
            SessionCommand::Sql(query) => {
                self.command_name = "sql";
                if self.workbook.is_none() && self.format.is_machine() {
                    return self.stream_sql(&query);
                }
                let rows = self.exec.sql(&query)?;
                return Ok(self.write_rows(&rows));
            }
            SessionCommand::Check => {
                self.command_name = "check";
                let (rows, problems) = self.exec.check()?;
                if self.write_rows(&rows) == Flow::Stop {
                    return Ok(Flow::Stop);
                }
                if problems > 0 {
                    return Err(SessionError::CheckFailed(problems));
                }
            }
            SessionCommand::Print(text) => self.write_output(&format!("{text}\n")),
            SessionCommand::Quit => return Ok(Flow::Stop),
        }
        Ok(Flow::Continue)
    }

    fn read(&mut self, path: &str) -> Result<Flow, SessionError> {
        if self.read_depth >= MAX_READ_DEPTH {
            return Err(SessionError::TooDeep {
                path: path.to_string(),
                max: MAX_READ_DEPTH,
            });
        }
        let file = super::input::open_input(path)?;
        self.read_depth += 1;
        let mut source = super::input::ReaderSource::new(io::BufReader::new(file));
        let flow = self.run_lines(&mut source, &Origin::File(path.to_string()));
        self.read_depth -= 1;
        Ok(flow)
    }

    /// `.sql` in a machine format: each row is written as SQLite makes it,
    /// so memory stays bounded whatever the result's size, and a closed
    /// output stops the query.
    fn stream_sql(&mut self, query: &str) -> Result<Flow, SessionError> {
        let mut sink = StreamSink {
            format: self.format,
            out: Some(&mut *self.output),
            stream: None,
            error: None,
        };
        self.exec.sql_each(query, &mut sink)?;
        let written = match (sink.error.take(), sink.stream.take()) {
            (Some(err), _) => Err(err),
            (None, Some(stream)) => stream.finish(),
            (None, None) => Ok(()),
        };
        drop(sink);
        match written.and_then(|()| self.output.flush()) {
            Ok(()) => Ok(Flow::Continue),
            Err(err) => Ok(self.output_failed(err)),
        }
    }

    /// Text for people that belongs with query output (help, schema).
    fn write_output(&mut self, text: &str) {
        if let Err(err) = self.output.write_all(text.as_bytes()) {
            self.output_failed(err);
        }
    }
}

use std::io::Write as _;

/// `.sql` rows on their way to the output.
struct StreamSink<'a> {
    format: crate::render::Format,
    out: Option<&'a mut dyn io::Write>,
    stream: Option<crate::render::RowStream<'a>>,
    error: Option<io::Error>,
}

impl crate::store::SqlRows for StreamSink<'_> {
    fn columns(&mut self, names: Vec<String>) -> bool {
        let Some(out) = self.out.take() else {
            return false;
        };
        match crate::render::RowStream::new(self.format, names, out) {
            Some(Ok(stream)) => {
                self.stream = Some(stream);
                true
            }
            Some(Err(err)) => {
                self.error = Some(err);
                false
            }
            None => false,
        }
    }

    fn row(&mut self, cells: Vec<crate::core::rows::Cell>) -> bool {
        let Some(stream) = &mut self.stream else {
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
}
