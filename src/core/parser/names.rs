//! Metric names, patterns and label sets: the series part of a command.
use std::fmt;

use super::{ParseError, Parser, error_at, invalid_at};
use crate::core::command::Selector;
use crate::core::labels::{LabelSet, SeriesKey, is_bare_label_value, is_label_key};
use crate::core::lexer::{Token, TokenKind};
use crate::core::limits::{MAX_LABELS, MAX_NAME};

/// What a label key looks like, for messages.
pub(super) const LABEL_KEY_FORM: &str =
    "expected lowercase letters, digits and \"_\", not starting with a digit";

/// A metric name or pattern that is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid metric name \"{name}\": {reason}")]
pub struct NameError {
    name: String,
    reason: NameReason,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum NameReason {
    #[error("wildcards (*) are allowed only in growth, series, chart, metrics and metric")]
    Wildcard,
    #[error("a metric name starts with a letter")]
    FirstLetter,
    #[error("\"{0}\" is not allowed; use letters, digits, \"_\", \".\" or \"-\"")]
    Character(char),
    #[error("it is {0} bytes long; a name has at most {MAX_NAME}")]
    TooLong(usize),
}

/// Checks a metric name (`[A-Za-z][A-Za-z0-9_.-]*`) or, where allowed, a
/// pattern that may also use `*` (first character included).
pub(super) fn check_metric_name(name: &str, allow_pattern: bool) -> Result<(), NameError> {
    let invalid = |reason| NameError {
        name: name.to_string(),
        reason,
    };
    if name.len() > MAX_NAME {
        return Err(invalid(NameReason::TooLong(name.len())));
    }
    // Most names are plain (`users`, `bench.m3`): one pass over their
    // bytes says so; the checks below find what is wrong with the others.
    let plain = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-');
    if name.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        && name.bytes().all(|b| plain(&b))
    {
        return Ok(());
    }
    if name.contains('*') && !allow_pattern {
        return Err(invalid(NameReason::Wildcard));
    }
    let first = name.chars().next().unwrap_or(' ');
    if !(first.is_ascii_alphabetic() || first == '*') {
        return Err(invalid(NameReason::FirstLetter));
    }
    if let Some(bad) = name
        .chars()
        .find(|&c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '*')))
    {
        return Err(invalid(NameReason::Character(bad)));
    }
    Ok(())
}

impl<'a> Parser<'a> {
    /// A metric name (or, with `allow_pattern`, a pattern) and its labels.
    fn name_and_labels(
        &mut self,
        allow_pattern: bool,
        expected: impl fmt::Display,
    ) -> Result<(String, LabelSet), ParseError> {
        let token = self.word(expected)?;
        check_metric_name(&token.text, allow_pattern).map_err(|e| invalid_at(token, e))?;
        let labels = match self.peek() {
            Some(t) if t.kind == TokenKind::LBrace => {
                // Labels belong to the name; `users {a=b}` is rejected so
                // that a stray space cannot split one series into two words.
                if t.spaced {
                    return Err(error_at(
                        t,
                        format!(
                            "unexpected space before \"{{\"; labels must follow the metric name directly, as in {}{{...}}",
                            token.text
                        ),
                    ));
                }
                self.labels(allow_pattern)?
            }
            _ => LabelSet::new(),
        };
        Ok((token.text.to_string(), labels))
    }

    /// A selector, or several separated by commas.
    pub(super) fn selector(&mut self, after: &str) -> Result<Selector, ParseError> {
        let (metric, labels) = self.name_and_labels(
            true,
            format_args!("a metric name or pattern after \"{after}\""),
        )?;
        let mut selector = Selector::one(metric, labels);
        while self.peek().is_some_and(|t| t.kind == TokenKind::Comma) {
            self.pos += 1;
            let more = self.name_and_labels(true, "another metric name or pattern after \",\"")?;
            selector.more.push(more);
        }
        Ok(selector)
    }

    pub(super) fn series_key(
        &mut self,
        expected: impl fmt::Display,
    ) -> Result<SeriesKey, ParseError> {
        let (metric, labels) = self.name_and_labels(false, expected)?;
        Ok(SeriesKey::new(metric, labels))
    }

    /// `{key=value,...}`, the next token being `{`. `{}` is the empty set.
    /// With `wildcards` (a selector), a bare value may hold `*`.
    fn labels(&mut self, wildcards: bool) -> Result<LabelSet, ParseError> {
        let open = self.pos;
        self.pos += 1;
        let mut labels = LabelSet::new();
        if self.peek().is_some_and(|t| t.kind == TokenKind::RBrace) {
            self.pos += 1;
            return Ok(labels);
        }
        // The last bare value and its key: a "key" that is not one right
        // after it is likelier the rest of an unquoted value.
        let mut bare_value: Option<(usize, &str)> = None;
        loop {
            let key = self.label_token(open)?;
            let tokens = self.tokens;
            let hint = |message: String| match bare_value {
                Some((at, key)) => format!("{message}{}", quote_hint(tokens, key, at)),
                None => message,
            };
            if key.kind != TokenKind::Word {
                return Err(error_at(
                    key,
                    hint(Self::expected(key, "a label key").message),
                ));
            }
            if !is_label_key(&key.text) {
                let message = format!("invalid label key \"{}\"; {LABEL_KEY_FORM}", key.text);
                return Err(error_at(key, hint(message)));
            }
            let eq = self.label_token(open)?;
            if eq.kind != TokenKind::Eq {
                let expected = format!("\"=\" after label key \"{}\"", key.text);
                return Err(error_at(eq, hint(Self::expected(eq, &expected).message)));
            }
            let value_at = self.pos;
            let value = self.label_token(open)?;
            match value.kind {
                TokenKind::Str => {}
                TokenKind::Word if is_bare_label_value(&value.text) => {}
                TokenKind::Word
                    if wildcards && is_bare_label_value(&value.text.replace('*', "x")) => {}
                TokenKind::Word => {
                    return Err(error_at(
                        value,
                        format!(
                            "invalid label value \"{}\"; a value with characters other than letters, digits, \"_\", \".\" and \"-\" must be double-quoted",
                            value.text
                        ),
                    ));
                }
                _ => {
                    let expected = format!("a label value after \"{}=\"", key.text);
                    return Err(Self::expected(value, &expected));
                }
            }
            for (what, token) in [("key", key), ("value", value)] {
                if token.text.len() > MAX_NAME {
                    let message = format!(
                        "the label {what} \"{}\" is {} bytes long; a label {what} has at most {MAX_NAME}",
                        token.text,
                        token.text.len()
                    );
                    return Err(error_at(token, message));
                }
            }
            if labels.insert(&*key.text, &*value.text).is_some() {
                return Err(error_at(key, format!("label \"{}\" given twice", key.text)));
            }
            if labels.len() > MAX_LABELS {
                let message = format!("a series has at most {MAX_LABELS} labels");
                return Err(error_at(key, message));
            }
            bare_value = (value.kind == TokenKind::Word).then_some((value_at, &*key.text));
            let separator = self.label_token(open)?;
            match separator.kind {
                TokenKind::Comma => {}
                TokenKind::RBrace => return Ok(labels),
                _ => {
                    let expected = format!("\",\" or \"}}\" after label \"{}\"", key.text);
                    let message = Self::expected(separator, &expected).message;
                    let message = match bare_value {
                        Some((at, key)) => format!("{message}{}", quote_hint(self.tokens, key, at)),
                        None => message,
                    };
                    return Err(error_at(separator, message));
                }
            }
        }
    }

    /// The next token inside the label set opened at `tokens[open]`; the
    /// statement ending first is an unterminated set, quoted as written.
    fn label_token(&mut self, open: usize) -> Result<&'a Token<'a>, ParseError> {
        self.next().ok_or_else(|| {
            let mut text = String::new();
            for t in &self.tokens[open..] {
                if t.spaced && !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(t.source());
            }
            let message = format!("unterminated label set \"{text}\"; expected \"}}\"");
            error_at(&self.tokens[open], message)
        })
    }
}

/// `; a value with a space or comma is quoted: key="..."`, the value
/// being the text from `tokens[at]` to the set's `}` or to the next
/// `, key=`; nothing when the set is never closed.
fn quote_hint(tokens: &[Token], key: &str, at: usize) -> String {
    let tokens = &tokens[at..];
    let mut text = String::new();
    // Without a `}` after it, the set was left open: no value to quote.
    let mut closed = false;
    for (i, t) in tokens.iter().enumerate() {
        let next_pair = t.kind == TokenKind::Comma
            && matches!(
                (tokens.get(i + 1), tokens.get(i + 2)),
                (Some(k), Some(eq)) if is_label_key(&k.text) && eq.kind == TokenKind::Eq
            );
        if t.kind == TokenKind::Semi {
            return String::new();
        }
        if t.kind == TokenKind::RBrace || next_pair {
            closed = true;
            break;
        }
        if t.spaced && !text.is_empty() {
            text.push(' ');
        }
        text.push_str(t.source());
    }
    // A trailing comma (`{a=1,}`) is a slip, not a value with a comma.
    let split_value = text.contains(' ') || (text.contains(',') && !text.ends_with(','));
    if !closed || !split_value {
        return String::new();
    }
    let mut quoted = String::new();
    // Writing to a String cannot fail.
    let _ = crate::core::labels::write_quoted(&mut quoted, &text);
    format!("; a label value with a space or comma is quoted: {key}={quoted}")
}

#[cfg(test)]
mod tests {
    use super::check_metric_name;

    /// The plain-name shortcut accepts exactly what the full checks accept.
    #[test]
    fn plain_names_pass_as_the_full_checks_pass_them() {
        let full = |name: &str, pattern: bool| {
            let first = name.chars().next().unwrap_or(' ');
            (pattern || !name.contains('*'))
                && (first.is_ascii_alphabetic() || first == '*')
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '*'))
        };
        let pieces = ["", "a", "Z", "0", "_", ".", "-", "*", "é", " ", "m3"];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let name = format!("{a}{b}{c}");
                    for pattern in [false, true] {
                        let ok = check_metric_name(&name, pattern).is_ok();
                        assert_eq!(ok, full(&name, pattern), "{name:?} {pattern}");
                    }
                }
            }
        }
    }
}
