//! Session commands (lines starting with `.`), parsed once into a
//! [`SessionCommand`] before anything runs.
//!
//! Words are split by the language's own scanner ([`words`]), so strings
//! quote and escape the same way in `.read "my file"` as in
//! `note="a \"b\""`. Each command takes the rest of its line; `.sql` takes
//! it as written, since SQL has quotes and semicolons of its own.
mod import_args;
mod options;

use jiff::Timestamp;

use crate::core::command::Selector;
use crate::core::error::ErrorKind;
use crate::core::lexer::{Word, words};
use crate::core::parser::{AsofError, ParseError, parse_asof, parse_selector};
use crate::render::{Format, UnknownFormat};

use super::help;
use crate::core::parser::Topic;
pub use import_args::{ImportArgs, ImportArgsError, OPTIONS as IMPORT_OPTIONS};
use options::{Opt, OptionError};

/// One session command, with its arguments checked.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionCommand {
    /// `.help [COMMAND]`: the list, or one command's page.
    Help(Option<&'static Topic>),
    Mode(Format),
    /// `.output FILE|stdout`: `None` is stdout.
    Output(Option<String>),
    Read(String),
    Import(ImportArgs),
    Export(ExportArgs),
    /// `.asof T|off`: `None` is off.
    Asof(Option<Timestamp>),
    Timer(bool),
    Schema,
    Sql(String),
    Check,
    /// `.print TEXT`: a line of text to the output, such as a caption.
    Print(String),
    Quit,
}

/// `.export FILE [SELECTOR] [--history]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportArgs {
    pub path: String,
    pub selector: Option<Selector>,
    /// Every revision rather than the current snapshots.
    pub history: bool,
}

const EXPORT_OPTIONS: &[Opt] = &[Opt::flag("--history")];

/// Why a session command line is not a valid command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SessionCommandError {
    #[error("unknown session command \"{0}\"; type .help for the list")]
    Unknown(String),
    /// Missing words, or one too many (`extra`).
    #[error("{}usage: {usage}", extra.as_ref().map(|e| format!("unexpected \"{e}\"; ")).unwrap_or_default())]
    Usage {
        usage: &'static str,
        extra: Option<String>,
    },
    #[error("{source}; usage: {usage}")]
    Option {
        source: OptionError,
        usage: &'static str,
    },
    /// A string that does not end, or a bad escape.
    #[error("{} in \"{text}\"", .source.message)]
    Scan { text: String, source: ParseError },
    #[error("no help for \"{0}\"; type .help for the list of commands")]
    NoHelp(String),
    #[error(transparent)]
    Format(#[from] UnknownFormat),
    #[error(transparent)]
    Asof(#[from] AsofError),
    /// `.import` options that do not go together, or a bad option value.
    #[error(transparent)]
    Import(ImportArgsError),
    #[error("expected on or off, found \"{0}\"")]
    OnOff(String),
    #[error("invalid selector \"{text}\": {}", .source.message)]
    Selector { text: String, source: ParseError },
}

impl SessionCommandError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            SessionCommandError::Unknown(_) => ErrorKind::UnknownCommand,
            SessionCommandError::Usage { .. } | SessionCommandError::Option { .. } => {
                ErrorKind::Usage
            }
            SessionCommandError::Scan { .. } => ErrorKind::Syntax,
            SessionCommandError::NoHelp(_) => ErrorKind::NotFound,
            SessionCommandError::Format(_)
            | SessionCommandError::Asof(_)
            | SessionCommandError::Import(_)
            | SessionCommandError::OnOff(_)
            | SessionCommandError::Selector { .. } => ErrorKind::InvalidValue,
        }
    }
}

type Result<T, E = SessionCommandError> = std::result::Result<T, E>;

/// The SQL of a `.sql QUERY` line, taken as written (quotes, `;` and all).
pub fn sql_query(text: &str) -> Option<&str> {
    let rest = text.trim_start();
    let head = rest.get(..4)?;
    let after = &rest[4..];
    (head.eq_ignore_ascii_case(".sql")
        && (after.is_empty() || after.starts_with(char::is_whitespace)))
    .then(|| after.trim())
}

/// Parses one session command line (it starts with a dot).
pub fn parse(text: &str) -> Result<SessionCommand> {
    if let Some(query) = sql_query(text) {
        if query.is_empty() {
            return Err(usage(".sql", None));
        }
        return Ok(SessionCommand::Sql(query.to_string()));
    }
    let words = words(text).map_err(|source| SessionCommandError::Scan {
        text: text.trim().to_string(),
        source,
    })?;
    let (name, args) = words.split_first().expect("text starts with a dot");
    let name = name.text.as_ref();
    let lower = name.to_ascii_lowercase();
    let arg = |i: usize| args.get(i).map(|w| w.text.as_ref());
    let expect = |min: usize, max: usize| match args.get(max) {
        Some(extra) => Err(usage(&lower, Some(&extra.text))),
        None if args.len() < min => Err(usage(&lower, None)),
        None => Ok(()),
    };
    let command = match lower.as_str() {
        ".help" => {
            expect(0, 1)?;
            let topic = arg(0)
                .map(|name| {
                    help::topic(name).ok_or_else(|| SessionCommandError::NoHelp(name.into()))
                })
                .transpose()?;
            SessionCommand::Help(topic)
        }
        ".mode" => {
            expect(1, 1)?;
            let name = arg(0).unwrap_or_default();
            SessionCommand::Mode(Format::parse_named(name)?)
        }
        ".output" => {
            expect(0, 1)?;
            SessionCommand::Output(
                arg(0)
                    .filter(|word| !word.eq_ignore_ascii_case("stdout"))
                    .map(String::from),
            )
        }
        ".read" => {
            expect(1, 1)?;
            SessionCommand::Read(arg(0).unwrap_or_default().to_string())
        }
        ".import" => {
            SessionCommand::Import(ImportArgs::parse(text, args).map_err(|e| match e {
                ImportArgsError::Option(source) => SessionCommandError::Option {
                    source,
                    usage: help::usage(".import"),
                },
                ImportArgsError::NoPath => usage(".import", None),
                ImportArgsError::Extra(extra) => usage(".import", Some(&extra)),
                other => SessionCommandError::Import(other),
            })?)
        }
        ".export" => SessionCommand::Export(export_args(args)?),
        ".asof" => {
            expect(1, 1)?;
            let word = arg(0).unwrap_or_default();
            SessionCommand::Asof(if word.eq_ignore_ascii_case("off") {
                None
            } else {
                Some(parse_asof(word)?)
            })
        }
        ".timer" => {
            expect(1, 1)?;
            SessionCommand::Timer(on_off(arg(0).unwrap_or_default())?)
        }
        ".schema" => {
            expect(0, 0)?;
            SessionCommand::Schema
        }
        ".check" => {
            expect(0, 0)?;
            SessionCommand::Check
        }
        // Words as given, quoted ones decoded, one space between them.
        ".print" => SessionCommand::Print(
            args.iter()
                .map(|w| w.text.as_ref())
                .collect::<Vec<_>>()
                .join(" "),
        ),
        ".quit" | ".exit" => {
            if let Some(extra) = args.first() {
                // The usage names the command as typed.
                let usage = if lower == ".exit" { ".exit" } else { ".quit" };
                return Err(SessionCommandError::Usage {
                    usage,
                    extra: Some(extra.text.to_string()),
                });
            }
            SessionCommand::Quit
        }
        _ => return Err(SessionCommandError::Unknown(name.to_string())),
    };
    Ok(command)
}

fn usage(name: &str, extra: Option<&str>) -> SessionCommandError {
    SessionCommandError::Usage {
        usage: help::usage(name),
        extra: extra.map(String::from),
    }
}

fn export_args(args: &[Word]) -> Result<ExportArgs> {
    let parsed =
        options::parse(args, EXPORT_OPTIONS).map_err(|source| SessionCommandError::Option {
            source,
            usage: help::usage(".export"),
        })?;
    let (path, selector) = match parsed.positional.as_slice() {
        [path] => (path, None),
        [path, selector] => (path, Some(selector)),
        [_, _, extra, ..] => return Err(usage(".export", Some(extra))),
        [] => return Err(usage(".export", None)),
    };
    let selector = selector
        .map(|text| {
            parse_selector(text).map_err(|source| SessionCommandError::Selector {
                text: text.clone(),
                source,
            })
        })
        .transpose()?;
    Ok(ExportArgs {
        path: path.clone(),
        selector,
        history: parsed.has("--history"),
    })
}

fn on_off(word: &str) -> Result<bool> {
    match word.to_ascii_lowercase().as_str() {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(SessionCommandError::OnOff(word.to_string())),
    }
}

#[cfg(test)]
mod tests;
