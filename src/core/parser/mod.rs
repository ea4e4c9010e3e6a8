//! Parses lexed lines into [`Command`]s.
//!
//! The grammar is positional and small, so this is a hand-written recursive
//! descent over a token slice: each command reads its parts in order, then
//! loops over its optional clauses, rejecting repeats.
//!
//! [`parse_line`] and [`parse_command`] split the tokens into statements and
//! dispatch on the first word; the `Parser` cursor over one statement is
//! defined here, and its command-specific methods live beside it:
//!
//! - `names`: metric names, patterns and label sets (`users{line=payment}`).
//! - `data`: `metric`, `insert` and `revise`.
//! - `query`: `growth`, `series` and `metrics`, with their clauses.
//! - `asof`: [`parse_asof`], the time after `asof`.
//!
//! Bulk input parses millions of lines, so the happy path allocates only
//! what the resulting command owns: tokens borrow from the line, keywords
//! are lowercased on the stack ([`Keyword`]), and the "expected ..." parts
//! of messages are passed as [`fmt::Display`] (often `format_args!`), to be
//! formatted only when an error is actually reported.
use std::fmt;
use std::ops::Deref;

use super::command::{Command, PeriodArg, Selector};
use super::labels::SeriesKey;
use super::lexer::{Statement, Token, TokenKind, lex, split_statements};
use super::period::{FiscalPeriod, Period};

mod asof;
mod calendar;
mod data;
pub mod keywords;
mod names;
mod query;
mod registry;
#[cfg(test)]
mod tests;

pub use asof::{AsofError, parse_asof};
pub use calendar::CALENDAR_SETTINGS;
pub use names::NameError;
pub use registry::{COMMAND_NAMES, LANGUAGE, LanguageCommand, Topic};

/// Checks a metric name written outside a command (an `.import` option).
pub fn check_metric(name: &str) -> Result<(), NameError> {
    names::check_metric_name(name, false)
}

pub use super::parse_error::ParseError;

/// The commands, as messages list them.
const COMMANDS: registry::CommandList = registry::CommandList;

/// Parses every command on a line (`;` separates commands). Blank and
/// comment-only statements are skipped; errors give columns in the line.
pub fn parse_line(line: &str) -> Vec<Result<Command, ParseError>> {
    split_statements(line)
        .into_iter()
        .map(parse_statement_at)
        .collect()
}

/// Parses one statement of a line, with error columns counted in the line.
pub fn parse_statement_at(statement: Statement) -> Result<Command, ParseError> {
    parse_command(statement.text).map_err(|e| e.shifted(statement.column - 1))
}

/// Parses a series written on its own, as in an import file:
/// `users{line=payment}`. No patterns.
pub fn parse_series(text: &str) -> Result<SeriesKey, ParseError> {
    let tokens = lex(text)?;
    let mut parser = Parser {
        tokens: &tokens,
        pos: 0,
    };
    let key = parser.series_key("a series such as users{line=payment}")?;
    parser.expect_end()?;
    Ok(key)
}

/// Parses a selector written on its own, as after `.export FILE`:
/// `users{line=payment}`, `creators.*`, `*{region=cn}`.
pub fn parse_selector(text: &str) -> Result<Selector, ParseError> {
    let tokens = lex(text)?;
    let mut parser = Parser {
        tokens: &tokens,
        pos: 0,
    };
    let selector = parser.selector("a series or pattern such as users{line=payment}")?;
    parser.expect_end()?;
    Ok(selector)
}

/// Parses text that must hold exactly one command.
pub fn parse_command(text: &str) -> Result<Command, ParseError> {
    let tokens = lex(text)?;
    let mut statements = statements(&tokens);
    let Some(first) = statements.next() else {
        return Err(ParseError::new(
            1,
            format!("empty command; expected {COMMANDS}"),
        ));
    };
    if let Some(second) = statements.next() {
        return Err(ParseError::new(
            second[0].column,
            format!(
                "expected a single command, found another starting at \"{}\"",
                second[0].source()
            ),
        ));
    }
    parse_statement(first)
}

/// The non-empty `;`-separated statements of a line.
fn statements<'a>(tokens: &'a [Token<'a>]) -> impl Iterator<Item = &'a [Token<'a>]> {
    tokens
        .split(|t| t.kind == TokenKind::Semi)
        .filter(|s| !s.is_empty())
}

fn parse_statement(tokens: &[Token]) -> Result<Command, ParseError> {
    let mut p = Parser { tokens, pos: 0 };
    let first = &tokens[0];
    if first.kind != TokenKind::Word {
        return Err(error_at(
            first,
            format!("expected a command ({COMMANDS}), found {}", describe(first)),
        ));
    }
    p.pos = 1;
    let Some(entry) = LanguageCommand::find(&keyword_of(first)) else {
        let guess = crate::core::suggest::closest(&first.text, COMMAND_NAMES)
            .map(|name| format!(" (did you mean \"{name}\"?)"))
            .unwrap_or_default();
        return Err(ParseError::unknown_command(
            first.column,
            format!(
                "unknown command \"{}\"{guess}; expected {COMMANDS}",
                first.text
            ),
        ));
    };
    let command = entry.parse(&mut p)?;
    p.expect_end()?;
    Ok(command)
}

fn error_at(token: &Token, message: impl Into<String>) -> ParseError {
    ParseError::new(token.column, message)
}

/// `unexpected "x"; expected <expected>`.
/// A mistyped keyword among the expected ones gets a guess.
fn unexpected(token: &Token, expected: impl fmt::Display) -> ParseError {
    let expected = expected.to_string();
    let guess = match token.kind {
        TokenKind::Word => crate::core::suggest::closest(
            &token.text,
            crate::core::suggest::expected_words(&expected),
        )
        .map(|word| format!(" (did you mean \"{word}\"?)"))
        .unwrap_or_default(),
        _ => String::new(),
    };
    error_at(
        token,
        format!("unexpected {}{guess}; expected {expected}", describe(token)),
    )
}

/// A word's text lowercased, for matching keywords; empty for other tokens.
fn keyword_of(token: &Token) -> Keyword {
    match token.kind {
        TokenKind::Word => Keyword::lowercase(&token.text),
        _ => Keyword::EMPTY,
    }
}

/// A word lowercased into a buffer on the stack, to be compared with
/// keywords (which are case-insensitive) without allocating a `String`.
/// A word too long to be any keyword is kept as the empty keyword, which
/// matches none either.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Keyword {
    bytes: [u8; Keyword::CAPACITY],
    len: usize,
}

impl Keyword {
    /// More than the longest keyword (`fiscal_year_start`: 17 bytes).
    const CAPACITY: usize = 24;

    const EMPTY: Keyword = Keyword {
        bytes: [0; Keyword::CAPACITY],
        len: 0,
    };

    fn lowercase(word: &str) -> Keyword {
        let mut keyword = Keyword::EMPTY;
        if word.len() <= Keyword::CAPACITY {
            keyword.bytes[..word.len()].copy_from_slice(word.as_bytes());
            keyword.bytes.make_ascii_lowercase();
            keyword.len = word.len();
        }
        keyword
    }

    fn as_str(&self) -> &str {
        // Lowercasing ASCII letters keeps valid UTF-8 valid.
        std::str::from_utf8(&self.bytes[..self.len]).expect("lowercased UTF-8")
    }
}

impl Deref for Keyword {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Keyword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a token is named in messages: `"form"`, or `the string "a b"`.
fn describe(token: &Token) -> String {
    match token.kind {
        TokenKind::Str => format!("the string {}", token.source()),
        _ => format!("\"{}\"", token.text),
    }
}

/// Records a once-only clause keyword, rejecting a repeat before its
/// argument is read (so `limit 1 limit` reports the repeat).
fn first_time(seen: &mut Vec<Keyword>, keyword: &Token) -> Result<(), ParseError> {
    let word = keyword_of(keyword);
    if seen.contains(&word) {
        return Err(given_twice(keyword));
    }
    seen.push(word);
    Ok(())
}

fn given_twice(keyword: &Token) -> ParseError {
    error_at(
        keyword,
        format!("\"{}\" given twice", keyword.text.to_ascii_lowercase()),
    )
}

struct Parser<'a> {
    /// One statement, never empty, without `;`.
    tokens: &'a [Token<'a>],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&'a Token<'a>> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<&'a Token<'a>> {
        let token = self.tokens.get(self.pos);
        self.pos += 1;
        token
    }

    /// The next token's text, lowercased, when it is a word.
    fn peek_keyword(&self) -> Option<Keyword> {
        self.peek()
            .filter(|t| t.kind == TokenKind::Word)
            .map(keyword_of)
    }

    /// The column right after the statement, where a missing part would go.
    fn end_column(&self) -> usize {
        self.tokens.last().map_or(1, Token::end_column)
    }

    fn unexpected_end(&self, expected: impl fmt::Display) -> ParseError {
        ParseError::new(
            self.end_column(),
            format!("unexpected end of command; expected {expected}"),
        )
    }

    fn expected(token: &Token, expected: impl fmt::Display) -> ParseError {
        error_at(
            token,
            format!("expected {expected}, found {}", describe(token)),
        )
    }

    /// The next token, which must be of one of `kinds`.
    fn take(
        &mut self,
        kinds: &[TokenKind],
        expected: impl fmt::Display,
    ) -> Result<&'a Token<'a>, ParseError> {
        match self.next() {
            Some(t) if kinds.contains(&t.kind) => Ok(t),
            Some(t) => Err(Self::expected(t, expected)),
            None => Err(self.unexpected_end(expected)),
        }
    }

    fn word(&mut self, expected: impl fmt::Display) -> Result<&'a Token<'a>, ParseError> {
        self.take(&[TokenKind::Word], expected)
    }

    fn expect_end(&self) -> Result<(), ParseError> {
        match self.peek() {
            None => Ok(()),
            Some(t) => Err(unexpected(t, "end of command")),
        }
    }

    fn period(&mut self, expected: impl fmt::Display) -> Result<PeriodArg, ParseError> {
        let token = self.word(expected)?;
        period_arg_of(token)
    }
}

fn period_of(token: &Token) -> Result<Period, ParseError> {
    Period::parse(&token.text).map_err(|e| invalid_at(token, e))
}

/// A period in calendar or fiscal form (`FY2024-Q3`).
fn period_arg_of(token: &Token) -> Result<PeriodArg, ParseError> {
    if FiscalPeriod::looks_fiscal(&token.text) {
        return FiscalPeriod::parse(&token.text)
            .map(PeriodArg::Fiscal)
            .map_err(|e| invalid_at(token, e));
    }
    period_of(token).map(PeriodArg::Days)
}

/// A value error at `token`, whose message names the text.
fn invalid_at(token: &Token, error: impl fmt::Display) -> ParseError {
    ParseError::invalid_value(token.column, error)
}
