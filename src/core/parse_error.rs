//! The error of the lexer and the parser: a message located by its column.
//!
//! It lives apart from both so that the lexer needs nothing of the parser.
use super::error::ErrorKind;

/// A syntax or value error, located by its 1-based column (in characters).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column {column}: {message}")]
pub struct ParseError {
    pub column: usize,
    pub message: String,
    /// [`ErrorKind::Syntax`], [`ErrorKind::InvalidValue`] or
    /// [`ErrorKind::UnknownCommand`].
    kind: ErrorKind,
}

impl ParseError {
    /// A syntax error: the words are not a command as written.
    pub fn new(column: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            column,
            message: message.into(),
            kind: ErrorKind::Syntax,
        }
    }

    /// A word in the right place that is not a valid value (a period, a
    /// number, a name).
    pub fn invalid_value(column: usize, error: impl std::fmt::Display) -> ParseError {
        ParseError {
            kind: ErrorKind::InvalidValue,
            ..ParseError::new(column, error.to_string())
        }
    }

    pub fn unknown_command(column: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            kind: ErrorKind::UnknownCommand,
            ..ParseError::new(column, message)
        }
    }

    /// The same error, `by` columns further right (a statement's column
    /// within its line).
    pub fn shifted(self, by: usize) -> ParseError {
        ParseError {
            column: self.column + by,
            ..self
        }
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
}
