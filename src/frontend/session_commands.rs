//! Running session commands: lines starting with `.`, which act on the
//! session rather than the store's data. [`super::dot`] parses them.
//!
//! [`SESSION`] is their registry: each one's name, what `.help` shows and
//! the kinds of its arguments, which completion and highlighting read.
//! Parsing stays a `match` in [`super::dot`], since each command builds a
//! [`SessionCommand`] of its own shape.
use std::fs::File;
use std::io::{self, BufWriter};

use super::dot::{self, SessionCommand};
use super::help;
use super::{Flow, MAX_READ_DEPTH, Origin, Session, SessionError};
use crate::core::parser::Topic;

/// What a session command's argument is, for completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    /// A command to show help for.
    Topic,
    /// An output format.
    Format,
    /// A file name.
    File,
    /// One of these words.
    Words(&'static [&'static str]),
    /// A selector, which may be left out: the next argument's words are
    /// offered with it.
    Selector,
    /// The options of `.import`, as many as are given.
    ImportOptions,
    /// Free text, taken as written.
    Text,
}

/// One session command.
pub struct SessionSpec {
    pub topic: Topic,
    /// Other names it answers to.
    pub aliases: &'static [&'static str],
    /// Its arguments, in order.
    pub args: &'static [Arg],
}

/// The session commands, in the order help lists them.
pub const SESSION: &[SessionSpec] = &[
    SessionSpec {
        topic: Topic {
            name: ".help",
            usage: ".help [COMMAND]",
            summary: "list the commands, or show one with examples",
            examples: &[".help", ".help growth", ".help .import"],
        },
        aliases: &[],
        args: &[Arg::Topic],
    },
    SessionSpec {
        topic: Topic {
            name: ".mode",
            usage: ".mode table|csv|tsv|json|jsonl|markdown",
            summary: "choose the output format",
            examples: &[".mode csv", ".mode table"],
        },
        aliases: &[],
        args: &[Arg::Format],
    },
    SessionSpec {
        topic: Topic {
            name: ".output",
            usage: ".output FILE|stdout",
            summary: "send query output to a file, or back to stdout",
            examples: &[".output growth.csv", ".output stdout"],
        },
        aliases: &[],
        args: &[Arg::File],
    },
    SessionSpec {
        topic: Topic {
            name: ".read",
            usage: ".read FILE",
            summary: "run the commands in a file",
            examples: &[
                ".read fixtures/alipay.growth",
                ".read \"my queries.growth\"",
            ],
        },
        aliases: &[],
        args: &[Arg::File],
    },
    SessionSpec {
        topic: Topic {
            name: ".import",
            usage: ".import FILE [--wide] [OPTIONS] (see .help .import)",
            summary: "load a table from CSV, TSV, JSON Lines, JSON, a workbook or gzip, all or nothing",
            examples: &[
                ".import snapshots.csv",
                ".import sheet.csv --wide",
                ".import fixtures/gapminder.csv --period year --labels continent,country --values pop=pop,lifeExp=life_exp",
                ".import fixtures/wdi_gdp.csv --skip 4 --period-columns --metric gdp --labels \"Country Name\"=country,\"Country Code\"=iso3,\"Indicator Name\"=indicator,\"Indicator Code\"=code --source \"World Bank\"",
                ".import fixtures/wdi_extract.csv --period-columns --metric population --labels \"Country Name=country,Country Code=iso3,Series Name=indicator,Series Code=code\" --missing ..",
                ".import fixtures/prices.csv --period Date --period-format \"%b %d %Y\" --values Close=close --dry-run",
                "metric close kind=stock; .import fixtures/prices.csv.gz --period Date --period-format \"%b %d %Y\" --grain month --values Close=close",
                ".import fixtures/payems.csv --period observation_date --grain month --values PAYEMS=jobs",
                ".import fixtures/book.xlsx --sheet Rates --period Month --values Participation=participation --percent",
                ".import fixtures/countries.json --period year --labels country,iso3 --values population=population,unemployment=unemployment",
                ".import fixtures/weather.csv --period date --period-format %Y/%m/%d --values precipitation=rain --revise",
            ],
        },
        aliases: &[],
        args: &[Arg::File, Arg::ImportOptions],
    },
    SessionSpec {
        topic: Topic {
            name: ".export",
            usage: ".export FILE [SELECTOR] [--history]",
            summary: "write current snapshots (or every revision) to CSV, TSV or JSON Lines",
            examples: &[
                ".export all.csv",
                ".export users.jsonl users*",
                ".export history.csv --history",
            ],
        },
        aliases: &[],
        args: &[Arg::File, Arg::Selector, Arg::Words(&["--history"])],
    },
    SessionSpec {
        topic: Topic {
            name: ".asof",
            usage: ".asof T|off",
            summary: "answer queries from the revisions recorded up to T (RFC 3339 or a day)",
            examples: &[
                ".asof 2024-06-12",
                ".asof 2024-06-12T10:00:00Z",
                ".asof off",
            ],
        },
        aliases: &[],
        args: &[Arg::Words(&["off"])],
    },
    SessionSpec {
        topic: Topic {
            name: ".timer",
            usage: ".timer on|off",
            summary: "show how long each command takes",
            examples: &[".timer on", ".timer off"],
        },
        aliases: &[],
        args: &[Arg::Words(&["on", "off"])],
    },
    SessionSpec {
        topic: Topic {
            name: ".schema",
            usage: ".schema",
            summary: "show the store's SQL schema",
            examples: &[".schema"],
        },
        aliases: &[],
        args: &[],
    },
    SessionSpec {
        topic: Topic {
            name: ".sql",
            usage: ".sql QUERY",
            summary: "run one read-only SQL statement on the store (the rest of the line, as written)",
            examples: &[
                ".sql SELECT series, first_day, value FROM current_snapshot LIMIT 5",
                ".sql SELECT name, kind FROM metric WHERE kind IS NULL",
            ],
        },
        aliases: &[],
        args: &[Arg::Text],
    },
    SessionSpec {
        topic: Topic {
            name: ".check",
            usage: ".check",
            summary: "check the store: the database's own check (SQLite's integrity check, or PostgreSQL's amcheck where installed) and growthdb's invariants",
            examples: &[".check"],
        },
        aliases: &[],
        args: &[],
    },
    SessionSpec {
        topic: Topic {
            name: ".print",
            usage: ".print TEXT",
            summary: "write a line of text to the output, such as a caption before a query in a script",
            examples: &[
                ".print \"Monthly active creators, 2023-05 to 2024-05:\"",
                ".print Daily use of services",
            ],
        },
        aliases: &[],
        args: &[Arg::Text],
    },
    SessionSpec {
        topic: Topic {
            name: ".quit",
            usage: ".quit  (or .exit)",
            summary: "leave growthdb",
            examples: &[".quit", ".exit"],
        },
        aliases: &[".exit"],
        args: &[],
    },
];

/// How many names the session commands answer to, aliases included.
const NAME_COUNT: usize = {
    let mut count = 0;
    let mut i = 0;
    while i < SESSION.len() {
        count += 1 + SESSION[i].aliases.len();
        i += 1;
    }
    count
};

/// Every name of a session command, in the order help lists them, then
/// the aliases.
pub const SESSION_COMMANDS: [&str; NAME_COUNT] = {
    let mut names = [""; NAME_COUNT];
    let mut i = 0;
    while i < SESSION.len() {
        names[i] = SESSION[i].topic.name;
        i += 1;
    }
    let mut next = SESSION.len();
    let mut i = 0;
    while i < SESSION.len() {
        let mut j = 0;
        while j < SESSION[i].aliases.len() {
            names[next] = SESSION[i].aliases[j];
            next += 1;
            j += 1;
        }
        i += 1;
    }
    names
};

/// The entry of a session command's name or alias, in any case.
pub fn find(name: &str) -> Option<&'static SessionSpec> {
    SESSION.iter().find(|s| {
        s.topic.name.eq_ignore_ascii_case(name)
            || s.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    })
}

impl Session {
    /// Runs one session command; an `Err` is the message for the user.
    pub(super) fn session_command(&mut self, text: &str) -> Result<Flow, SessionError> {
        let command = dot::parse(text)?;
        match command {
            SessionCommand::Help(topic) => return self.write_output(&help::help(topic)),
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
                return self.write_output(&text);
            }
            SessionCommand::Sql(query) => {
                self.command_name = "sql";
                if self.workbook.is_none() && self.format.is_machine() {
                    return self.stream_sql(&query);
                }
                let rows = self.exec.sql(&query)?;
                return self.write_rows(&rows);
            }
            SessionCommand::Check => {
                self.command_name = "check";
                let (rows, problems) = self.exec.check()?;
                if self.write_rows(&rows)? == Flow::Stop {
                    return Ok(Flow::Stop);
                }
                if problems > 0 {
                    return Err(SessionError::CheckFailed(problems));
                }
            }
            SessionCommand::Print(text) => return self.write_output(&format!("{text}\n")),
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
            Err(err) => self.output_failed(err),
        }
    }

    /// Text for people that belongs with query output (help, schema).
    fn write_output(&mut self, text: &str) -> Result<Flow, SessionError> {
        // Flushed like rows, so that a failure is this command's.
        let written = self.output.write_all(text.as_bytes());
        match written.and_then(|()| self.output.flush()) {
            Ok(()) => Ok(Flow::Continue),
            Err(err) => self.output_failed(err),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Each session command's examples parse (a language command before
    /// a `;` is left to the parser's own test).
    #[test]
    fn every_example_parses() {
        for spec in SESSION {
            assert!(!spec.topic.examples.is_empty(), "{}", spec.topic.name);
            for example in spec.topic.examples {
                let text = match example.starts_with('.') {
                    true => example,
                    false => example.rsplit_once("; ").map_or(*example, |(_, s)| s),
                };
                if let Err(e) = dot::parse(text) {
                    panic!("{}: {example}: {e}", spec.topic.name);
                }
            }
        }
    }

    #[test]
    fn names_and_aliases_find_their_entry() {
        assert_eq!(SESSION_COMMANDS.len(), SESSION.len() + 1);
        assert_eq!(SESSION_COMMANDS.last(), Some(&".exit"));
        assert_eq!(find(".EXIT").map(|s| s.topic.name), Some(".quit"));
        assert_eq!(find(".Mode").map(|s| s.topic.name), Some(".mode"));
        assert!(find(".frob").is_none());
    }
}
