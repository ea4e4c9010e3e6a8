//! Definitions and writes: `metric`, `insert` and `revise`.
use std::borrow::Cow;

use super::keywords::{DESC, KIND, NOTE, SOURCE, UNIT};
use super::names::check_metric_name;
use super::{
    ParseError, Parser, error_at, first_time, given_twice, invalid_at, keyword_of, unexpected,
};
use crate::core::command::{Command, Kind, MetricDef, Write};
use crate::core::lexer::TokenKind;
use crate::core::limits::MAX_VALUES;
use crate::core::value::parse_value;

/// Up to this many pairs, a series given twice is found by comparing them.
const FEW_VALUES: usize = 16;

impl Parser<'_> {
    /// `metric NAME [kind=K] [unit=TEXT] [desc=STRING]`; with a `*`
    /// pattern for NAME, at least one attribute, which every defined
    /// metric that matches takes.
    pub(super) fn metric(&mut self) -> Result<Command, ParseError> {
        let name_token = self.word("a metric name or pattern after \"metric\"")?;
        check_metric_name(&name_token.text, true).map_err(|e| invalid_at(name_token, e))?;
        if let Some(t) = self.peek().filter(|t| t.kind == TokenKind::LBrace) {
            return Err(error_at(
                t,
                "labels are not allowed after \"metric\"; a metric covers all its series",
            ));
        }
        let mut def = MetricDef {
            name: name_token.text.to_string(),
            kind: None,
            unit: None,
            description: None,
        };
        let mut seen = Vec::new();
        while let Some(option) = self.next() {
            let keyword = keyword_of(option);
            if !matches!(keyword.as_str(), KIND | UNIT | DESC) {
                return Err(unexpected(option, "kind=, unit= or desc="));
            }
            first_time(&mut seen, option)?;
            self.take(&[TokenKind::Eq], format_args!("\"=\" after \"{keyword}\""))?;
            match keyword.as_str() {
                KIND => {
                    let t = self.word("a kind after \"kind=\"")?;
                    let Some(kind) = Kind::parse(&t.text) else {
                        let kinds = Kind::ALL.map(Kind::name);
                        let (last, rest) = kinds.split_last().expect("five kinds");
                        let message = format!(
                            "unknown kind \"{}\"; expected {} or {last}",
                            t.text,
                            rest.join(", ")
                        );
                        return Err(error_at(t, message));
                    };
                    def.kind = Some(kind);
                }
                UNIT => {
                    let t =
                        self.take(&[TokenKind::Word, TokenKind::Str], "a unit after \"unit=\"")?;
                    def.unit = Some(t.text.to_string());
                }
                _ => {
                    let t = self.take(&[TokenKind::Str], "a quoted string after \"desc=\"")?;
                    def.description = Some(t.text.to_string());
                }
            }
        }
        // A pattern defines nothing, so without an attribute it would do
        // nothing at all.
        if def.is_pattern() && seen.is_empty() {
            return Err(self.unexpected_end(format_args!(
                "kind=, unit= or desc= to set on every metric matching \"{}\"",
                def.name
            )));
        }
        Ok(Command::Metric(def))
    }

    /// The body of `insert`/`revise`: `PERIOD SERIES=VALUE ... [source=S] [note=S]`.
    pub(super) fn write(&mut self, command: &str) -> Result<Write, ParseError> {
        let period = self.period(format_args!("a period after \"{command}\""))?;
        let mut write = Write {
            period,
            values: Vec::new(),
            source: None,
            note: None,
        };
        // Series already given, to find one given twice without comparing
        // every pair; a short command (most are one pair) compares them, as
        // filling a set would cost each line more than its parsing.
        let mut given = std::collections::HashSet::new();
        while let Some(name) = self.peek() {
            let series = self.series_key("SERIES=VALUE")?;
            // Messages quote the series in its canonical text; `format_args!`
            // formats it only if one of them is reported.
            self.take(&[TokenKind::Eq], format_args!("\"=\" after \"{series}\""))?;
            let Some(value) = self.peek() else {
                return Err(self.unexpected_end(format_args!("a value after \"{series}=\"")));
            };
            // `source="x"` is an option; `source=5` is a series named source.
            let option = keyword_of(name);
            if value.kind == TokenKind::Str
                && series.labels.is_empty()
                && matches!(option.as_str(), SOURCE | NOTE)
            {
                self.pos += 1;
                let slot = if option.as_str() == SOURCE {
                    &mut write.source
                } else {
                    &mut write.note
                };
                if slot.is_some() {
                    return Err(given_twice(name));
                }
                *slot = Some(value.text.to_string());
                continue;
            }
            if value.kind != TokenKind::Word {
                return Err(Self::expected(
                    value,
                    format_args!("a value after \"{series}=\""),
                ));
            }
            let number = self.number().map_err(|e| {
                // `source=bare` is far likelier a missing pair of quotes
                // than a series named source.
                if series.labels.is_empty() && matches!(option.as_str(), SOURCE | NOTE) {
                    error_at(
                        value,
                        format!("{option}= takes a quoted string, e.g. {option}=\"annual report\"; found \"{}\"", value.text),
                    )
                } else {
                    e
                }
            })?;
            let twice = if write.values.len() < FEW_VALUES {
                write.values.iter().any(|(key, _)| *key == series)
            } else {
                if given.is_empty() {
                    given.extend(write.values.iter().map(|(key, _)| key.clone()));
                }
                !given.insert(series.clone())
            };
            if twice {
                return Err(error_at(name, format!("series \"{series}\" given twice")));
            }
            if write.values.len() == MAX_VALUES {
                let message = format!(
                    "one {command} takes at most {MAX_VALUES} SERIES=VALUE pairs; split it into several"
                );
                return Err(error_at(name, message));
            }
            write.values.push((series, number));
        }
        if write.values.is_empty() {
            return Err(self.unexpected_end("at least one SERIES=VALUE, such as users=12M"));
        }
        Ok(write)
    }

    /// A value, the next token being a word. `,digits` written right after it
    /// is read as part of the value, so that `1,000` gets parse_value's hint
    /// about `_` instead of a confusing "unexpected ,".
    fn number(&mut self) -> Result<f64, ParseError> {
        let first = self.next().expect("caller saw a word");
        // Borrowed unless digit groups are appended, which is an error anyway.
        let mut text = Cow::Borrowed(&*first.text);
        while let [comma, digits, ..] = &self.tokens[self.pos.min(self.tokens.len())..] {
            let grouped = comma.kind == TokenKind::Comma
                && digits.kind == TokenKind::Word
                && !comma.spaced
                && !digits.spaced
                && digits.text.starts_with(|c: char| c.is_ascii_digit());
            if !grouped {
                break;
            }
            let text = text.to_mut();
            text.push(',');
            text.push_str(&digits.text);
            self.pos += 2;
        }
        parse_value(&text).map_err(|e| invalid_at(first, e))
    }
}
