//! Colours for the line being typed at the prompt: keywords, periods,
//! numbers, strings, comments, and the word a parse error points at.
//! Only escape codes are added, so the text keeps its width.
use std::ops::Range;

use crate::core::lexer::{Quotes, split_statements};
use crate::core::parser::keywords::KEYWORDS;
use crate::core::parser::{COMMAND_NAMES, parse_statement_at};
use crate::core::period::{FiscalPeriod, Granularity, Period, Span};
use crate::core::value::parse_value;

use super::session_commands::SESSION_COMMANDS;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    Keyword,
    Session,
    Period,
    Number,
    Text,
    Comment,
    Error,
}

impl Style {
    fn code(self) -> &'static str {
        match self {
            Style::Plain => "",
            Style::Keyword => "\x1b[1;34m",
            Style::Session => "\x1b[1;35m",
            Style::Period => "\x1b[36m",
            Style::Number => "\x1b[32m",
            Style::Text => "\x1b[33m",
            Style::Comment => "\x1b[90m",
            Style::Error => "\x1b[4;31m",
        }
    }
}

const RESET: &str = "\x1b[0m";

/// Greyed text, for hints.
pub fn dim(text: &str) -> String {
    format!("{}{text}{RESET}", Style::Comment.code())
}

/// The style of each part of `line`, in order, covering it whole.
pub fn styles(line: &str, cursor: usize) -> Vec<(Range<usize>, Style)> {
    let mut spans = Vec::new();
    let mut first_word = true;
    let mut session = false;
    let mut at = 0;
    while let Some(c) = line[at..].chars().next() {
        let start = at;
        let style = match c {
            '#' => {
                at = line.len();
                Style::Comment
            }
            '"' => {
                at = string_end(line, start);
                Style::Text
            }
            ';' => {
                (first_word, session) = (true, false);
                at += 1;
                Style::Plain
            }
            c if c.is_whitespace() || "{}=,".contains(c) => {
                at += c.len_utf8();
                Style::Plain
            }
            _ => {
                at = line[start..]
                    .find(|c: char| c.is_whitespace() || "{}=,;\"#".contains(c))
                    .map_or(line.len(), |i| start + i);
                let word = &line[start..at];
                let style = if first_word {
                    session = word.starts_with('.');
                    first_word_style(word)
                } else if session {
                    Style::Plain
                } else {
                    word_style(word)
                };
                first_word = false;
                style
            }
        };
        spans.push((start..at, style));
    }
    if let Some(error) = error_span(line, cursor) {
        spans = overlay(spans, error);
    }
    spans
}

/// The byte after the string opening at `start`, or the end of an
/// unterminated one.
fn string_end(line: &str, start: usize) -> usize {
    let mut quotes = Quotes::default();
    for (i, c) in line[start..].char_indices() {
        quotes.step(c);
        if i > 0 && !quotes.inside() {
            return start + i + c.len_utf8();
        }
    }
    line.len()
}

fn first_word_style(word: &str) -> Style {
    let known = |names: &[&str]| names.iter().any(|n| n.eq_ignore_ascii_case(word));
    if known(&COMMAND_NAMES) {
        Style::Keyword
    } else if known(&SESSION_COMMANDS) {
        Style::Session
    } else {
        Style::Plain
    }
}

fn word_style(word: &str) -> Style {
    // Words with a meaning of their own after the command name.
    if KEYWORDS.iter().any(|w| w.eq_ignore_ascii_case(word))
        || Granularity::parse_to_date(word).is_some()
        || Granularity::parse(word).is_some()
    {
        Style::Keyword
    } else if (word.starts_with(|c: char| c.is_ascii_digit())
        && (Period::parse(word).is_ok() || Span::parse(word).is_ok()))
        || (FiscalPeriod::looks_fiscal(word) && FiscalPeriod::parse(word).is_ok())
    {
        Style::Period
    } else if parse_value(word).is_ok() {
        Style::Number
    } else {
        Style::Plain
    }
}

/// The word a parse error points at, unless it is the word being typed
/// (an unfinished word is not yet wrong) or the error is about the end of
/// the line (the rest is not typed yet).
fn error_span(line: &str, cursor: usize) -> Option<Range<usize>> {
    for statement in split_statements(line) {
        if statement.text.trim_start().starts_with('.') {
            continue;
        }
        let Err(error) = parse_statement_at(statement) else {
            continue;
        };
        let (start, _) = line.char_indices().nth(error.column - 1)?;
        let end = line[start..]
            .find(|c: char| c.is_whitespace() || c == ';')
            .map_or(line.len(), |i| start + i);
        if end == start || (start..=end).contains(&cursor) {
            return None;
        }
        return Some(start..end);
    }
    None
}

/// Replaces the styles within `error` by [`Style::Error`].
fn overlay(spans: Vec<(Range<usize>, Style)>, error: Range<usize>) -> Vec<(Range<usize>, Style)> {
    let mut out = Vec::new();
    for (range, style) in spans {
        let (lo, hi) = (range.start.max(error.start), range.end.min(error.end));
        if lo >= hi {
            out.push((range, style));
            continue;
        }
        if range.start < lo {
            out.push((range.start..lo, style));
        }
        out.push((lo..hi, Style::Error));
        if hi < range.end {
            out.push((hi..range.end, style));
        }
    }
    out
}

/// `line` with colours.
pub fn highlight(line: &str, cursor: usize) -> String {
    let mut out = String::with_capacity(line.len() * 2);
    for (range, style) in styles(line, cursor) {
        let text = &line[range];
        if style == Style::Plain {
            out.push_str(text);
        } else {
            out.push_str(style.code());
            out.push_str(text);
            out.push_str(RESET);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each case: the line, then its words and their styles (plain
    /// whitespace and punctuation left out).
    #[test]
    fn words_get_their_styles() {
        use Style::*;
        let cases: &[(&str, &[(&str, Style)])] = &[
            (
                "growth users{line=pay} from 2022 to latest by line",
                &[
                    ("growth", Keyword),
                    ("users", Plain),
                    ("line", Plain),
                    ("pay", Plain),
                    ("from", Keyword),
                    ("2022", Period),
                    ("to", Keyword),
                    ("latest", Keyword),
                    ("by", Keyword),
                    ("line", Plain),
                ],
            ),
            (
                "growth x over 1y every Fiscal_Quarter trailing 2q",
                &[
                    ("growth", Keyword),
                    ("x", Plain),
                    ("over", Keyword),
                    ("1y", Period),
                    ("every", Keyword),
                    ("Fiscal_Quarter", Keyword),
                    ("trailing", Keyword),
                    ("2q", Period),
                ],
            ),
            (
                "INSERT 2024-q1 a=1.5M note=\"x \\\" y\" # done",
                &[
                    ("INSERT", Keyword),
                    ("2024-q1", Period),
                    ("a", Plain),
                    ("1.5M", Number),
                    ("note", Keyword),
                    ("\"x \\\" y\"", Text),
                    ("# done", Comment),
                ],
            ),
            (
                ".mode csv; growth x over 3m",
                &[
                    (".mode", Session),
                    ("csv", Plain),
                    ("growth", Keyword),
                    ("x", Plain),
                    ("over", Keyword),
                    ("3m", Period),
                ],
            ),
            (
                "growth revenue over 1y to YTD; growth revenue from fy2024-q1 to FY2025",
                &[
                    ("growth", Keyword),
                    ("revenue", Plain),
                    ("over", Keyword),
                    ("1y", Period),
                    ("to", Keyword),
                    ("YTD", Keyword),
                    ("growth", Keyword),
                    ("revenue", Plain),
                    ("from", Keyword),
                    ("fy2024-q1", Period),
                    ("to", Keyword),
                    ("FY2025", Period),
                ],
            ),
            (
                "calendar fiscal_year_start=4 FISCAL_YEAR_LABEL=end",
                &[
                    ("calendar", Keyword),
                    ("fiscal_year_start", Keyword),
                    ("4", Number),
                    ("FISCAL_YEAR_LABEL", Keyword),
                    ("end", Plain),
                ],
            ),
            (
                "insert 2024 note=\"open",
                &[
                    ("insert", Keyword),
                    ("2024", Period),
                    ("note", Keyword),
                    ("\"open", Text),
                ],
            ),
        ];
        for (line, expected) in cases {
            let got: Vec<(&str, Style)> = styles(line, line.len())
                .into_iter()
                .map(|(range, style)| (&line[range], style))
                .filter(|(text, style)| {
                    !(text.trim().is_empty() || (*style == Plain && "{}=,;".contains(*text)))
                })
                .collect();
            assert_eq!(&got, expected, "{line}");
        }
    }

    #[test]
    fn a_parse_error_marks_its_word_unless_it_is_being_typed() {
        let line = "growth users from 2024-13 to 2025";
        let marked: Vec<&str> = styles(line, line.len())
            .into_iter()
            .filter(|(_, s)| *s == Style::Error)
            .map(|(r, _)| &line[r])
            .collect();
        assert_eq!(marked, ["2024-13"]);
        // The cursor right after the bad word: still being typed.
        let typing = "growth users from 2024-13";
        assert!(
            styles(typing, typing.len())
                .iter()
                .all(|(_, s)| *s != Style::Error)
        );
        // An unfinished command is not an error.
        let unfinished = "growth users from ";
        assert!(
            styles(unfinished, unfinished.len())
                .iter()
                .all(|(_, s)| *s != Style::Error)
        );
    }

    #[test]
    fn highlighting_only_adds_escape_codes() {
        for line in [
            "growth users over 1y",
            "insert 2024 é=\"ü\"; metrics",
            "",
            "\"",
            "{,=}",
            "x # \" y",
        ] {
            let coloured = highlight(line, line.len());
            let mut plain = String::new();
            let mut in_escape = false;
            for c in coloured.chars() {
                match c {
                    '\x1b' => in_escape = true,
                    'm' if in_escape => in_escape = false,
                    _ if in_escape => {}
                    _ => plain.push(c),
                }
            }
            assert_eq!(plain, line);
        }
    }
}
