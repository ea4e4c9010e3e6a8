//! Parses lexed lines into [`Command`]s.
//!
//! The grammar is positional and small, so this is a hand-written recursive
//! descent over a token slice: each command reads its parts in order, then
//! loops over its optional clauses, rejecting repeats.
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::command::{
    Command, Direction, Endpoint, GrowthQuery, GrowthRange, Kind, MetricDef, SORTABLE_FIELDS,
    Selector, SeriesQuery, Sort, Write,
};
use super::labels::{LabelSet, SeriesKey, is_bare_label_value, is_label_key};
use super::lexer::{Token, TokenKind, lex};
use super::period::{Granularity, Period, Span};
use super::value::parse_value;

/// A syntax or value error, located by its 1-based column (in characters).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column {column}: {message}")]
pub struct ParseError {
    pub column: usize,
    pub message: String,
}

impl ParseError {
    pub fn new(column: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            column,
            message: message.into(),
        }
    }
}

const COMMANDS: &str = "metric, insert, revise, delete, growth, series, metrics or history";

/// Parses every command on a line (`;` separates commands). Blank and
/// comment-only statements are skipped; a lexer error is the line's only result.
pub fn parse_line(line: &str) -> Vec<Result<Command, ParseError>> {
    match lex(line) {
        Ok(tokens) => statements(&tokens).map(parse_statement).collect(),
        Err(e) => vec![Err(e)],
    }
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
fn statements(tokens: &[Token]) -> impl Iterator<Item = &[Token]> {
    tokens
        .split(|t| t.kind == TokenKind::Semi)
        .filter(|s| !s.is_empty())
}

/// Parses an `asof` time: an RFC 3339 timestamp with offset, or a day
/// `YYYY-MM-DD`, which means the last instant of that day in UTC, so that
/// everything recorded during the day is included.
pub fn parse_asof(text: &str) -> Result<Timestamp, String> {
    let invalid = |why: String| format!("invalid asof time \"{text}\": {why}");
    let b = text.as_bytes();
    let is_day = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if is_day {
        // Only ASCII digits and dashes, so these slices and parses succeed.
        let number = |range: std::ops::Range<usize>| text[range].parse::<i16>().unwrap_or(0);
        let (year, month, day) = (number(0..4), number(5..7), number(8..10));
        if !(1..=12).contains(&month) {
            return Err(invalid("month must be 01 to 12".into()));
        }
        let first = Date::new(year, month as i8, 1).map_err(|e| invalid(e.to_string()))?;
        if day < 1 || day > i16::from(first.days_in_month()) {
            return Err(invalid(format!(
                "{year:04}-{month:02} has {} days",
                first.days_in_month()
            )));
        }
        let date = Date::new(year, month as i8, day as i8).map_err(|e| invalid(e.to_string()))?;
        return TimeZone::UTC
            .to_timestamp(date.at(23, 59, 59, 999_999_999))
            .map_err(|e| invalid(e.to_string()));
    }
    text.parse::<Timestamp>().map_err(|e| {
        let expected = "expected an RFC 3339 timestamp such as 2024-06-12T10:00:00Z or a day such as 2024-06-12";
        // jiff's detail helps with a near miss (`T25:00`), not with `yesterday`.
        if text.starts_with(|c: char| c.is_ascii_digit()) {
            invalid(format!("{expected} ({e})"))
        } else {
            invalid(expected.to_string())
        }
    })
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
    let command = match first.text.to_ascii_lowercase().as_str() {
        "metric" => p.metric()?,
        "insert" => Command::Insert(p.write("insert")?),
        "revise" => Command::Revise(p.write("revise")?),
        "delete" => {
            let series = p.series_key("a series after \"delete\"")?;
            let period = p.period("a period after the series")?;
            Command::Delete { series, period }
        }
        "growth" => Command::Growth(p.growth()?),
        "series" => Command::Series(p.series()?),
        "metrics" => p.metrics()?,
        "history" => {
            let series = p.series_key("a series after \"history\"")?;
            let period = match p.peek() {
                Some(_) => Some(p.period("a period after the series")?),
                None => None,
            };
            Command::History { series, period }
        }
        _ => {
            return Err(error_at(
                first,
                format!("unknown command \"{}\"; expected {COMMANDS}", first.text),
            ));
        }
    };
    p.expect_end()?;
    Ok(command)
}

/// What a label key looks like, for messages.
const LABEL_KEY_FORM: &str =
    "expected lowercase letters, digits and \"_\", not starting with a digit";

fn error_at(token: &Token, message: impl Into<String>) -> ParseError {
    ParseError::new(token.column, message)
}

/// `unexpected "x"; expected <expected>`.
fn unexpected(token: &Token, expected: &str) -> ParseError {
    error_at(
        token,
        format!("unexpected {}; expected {expected}", describe(token)),
    )
}

/// A word's text lowercased, for matching keywords; empty for other tokens.
fn keyword_of(token: &Token) -> String {
    match token.kind {
        TokenKind::Word => token.text.to_ascii_lowercase(),
        _ => String::new(),
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
fn first_time(seen: &mut Vec<String>, keyword: &Token) -> Result<(), ParseError> {
    let word = keyword.text.to_ascii_lowercase();
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

/// Checks a metric name (`[A-Za-z][A-Za-z0-9_.-]*`) or, where allowed, a
/// pattern that may also use `*` (first character included).
fn check_metric_name(name: &str, allow_pattern: bool) -> Result<(), String> {
    let invalid = |why: &str| format!("invalid metric name \"{name}\": {why}");
    if name.contains('*') && !allow_pattern {
        return Err(invalid(
            "wildcards (*) are allowed only in growth, series and metrics",
        ));
    }
    let first = name.chars().next().unwrap_or(' ');
    if !(first.is_ascii_alphabetic() || first == '*') {
        return Err(invalid("a metric name starts with a letter"));
    }
    if let Some(bad) = name
        .chars()
        .find(|&c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '*')))
    {
        return Err(invalid(&format!(
            "\"{bad}\" is not allowed; use letters, digits, \"_\", \".\" or \"-\""
        )));
    }
    Ok(())
}

struct Parser<'a> {
    /// One statement, never empty, without `;`.
    tokens: &'a [Token],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&'a Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<&'a Token> {
        let token = self.tokens.get(self.pos);
        self.pos += 1;
        token
    }

    /// The next token's text, lowercased, when it is a word.
    fn peek_keyword(&self) -> Option<String> {
        self.peek()
            .filter(|t| t.kind == TokenKind::Word)
            .map(|t| t.text.to_ascii_lowercase())
    }

    /// The column right after the statement, where a missing part would go.
    fn end_column(&self) -> usize {
        self.tokens.last().map_or(1, Token::end_column)
    }

    fn unexpected_end(&self, expected: &str) -> ParseError {
        ParseError::new(
            self.end_column(),
            format!("unexpected end of command; expected {expected}"),
        )
    }

    fn expected(token: &Token, expected: &str) -> ParseError {
        error_at(
            token,
            format!("expected {expected}, found {}", describe(token)),
        )
    }

    /// The next token, which must be of one of `kinds`.
    fn take(&mut self, kinds: &[TokenKind], expected: &str) -> Result<&'a Token, ParseError> {
        match self.next() {
            Some(t) if kinds.contains(&t.kind) => Ok(t),
            Some(t) => Err(Self::expected(t, expected)),
            None => Err(self.unexpected_end(expected)),
        }
    }

    fn word(&mut self, expected: &str) -> Result<&'a Token, ParseError> {
        self.take(&[TokenKind::Word], expected)
    }

    fn expect_end(&self) -> Result<(), ParseError> {
        match self.peek() {
            None => Ok(()),
            Some(t) => Err(unexpected(t, "end of command")),
        }
    }

    fn period(&mut self, expected: &str) -> Result<Period, ParseError> {
        let token = self.word(expected)?;
        period_of(token)
    }

    fn endpoint(&mut self, expected: &str) -> Result<Endpoint, ParseError> {
        let token = self.word(expected)?;
        match token.text.to_ascii_lowercase().as_str() {
            "earliest" => Ok(Endpoint::Earliest),
            "latest" => Ok(Endpoint::Latest),
            _ => period_of(token).map(Endpoint::Period),
        }
    }

    fn asof(&mut self) -> Result<Timestamp, ParseError> {
        let token = self.take(&[TokenKind::Word, TokenKind::Str], "a time after \"asof\"")?;
        parse_asof(&token.text).map_err(|e| error_at(token, e))
    }

    /// A metric name (or, with `allow_pattern`, a pattern) and its labels.
    fn name_and_labels(
        &mut self,
        allow_pattern: bool,
        expected: &str,
    ) -> Result<(String, LabelSet), ParseError> {
        let token = self.word(expected)?;
        check_metric_name(&token.text, allow_pattern).map_err(|e| error_at(token, e))?;
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
                self.labels()?
            }
            _ => LabelSet::new(),
        };
        Ok((token.text.clone(), labels))
    }

    fn selector(&mut self, after: &str) -> Result<Selector, ParseError> {
        let (metric, labels) =
            self.name_and_labels(true, &format!("a metric name or pattern after \"{after}\""))?;
        Ok(Selector { metric, labels })
    }

    fn series_key(&mut self, expected: &str) -> Result<SeriesKey, ParseError> {
        let (metric, labels) = self.name_and_labels(false, expected)?;
        Ok(SeriesKey::new(metric, labels))
    }

    /// `{key=value,...}`, the next token being `{`. `{}` is the empty set.
    fn labels(&mut self) -> Result<LabelSet, ParseError> {
        let open = self.pos;
        self.pos += 1;
        let mut labels = LabelSet::new();
        if self.peek().is_some_and(|t| t.kind == TokenKind::RBrace) {
            self.pos += 1;
            return Ok(labels);
        }
        loop {
            let key = self.label_token(open)?;
            if key.kind != TokenKind::Word {
                return Err(Self::expected(key, "a label key"));
            }
            if !is_label_key(&key.text) {
                let message = format!("invalid label key \"{}\"; {LABEL_KEY_FORM}", key.text);
                return Err(error_at(key, message));
            }
            let eq = self.label_token(open)?;
            if eq.kind != TokenKind::Eq {
                let expected = format!("\"=\" after label key \"{}\"", key.text);
                return Err(Self::expected(eq, &expected));
            }
            let value = self.label_token(open)?;
            match value.kind {
                TokenKind::Str => {}
                TokenKind::Word if is_bare_label_value(&value.text) => {}
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
            if labels.insert(&key.text, &value.text).is_some() {
                return Err(error_at(key, format!("label \"{}\" given twice", key.text)));
            }
            let separator = self.label_token(open)?;
            match separator.kind {
                TokenKind::Comma => {}
                TokenKind::RBrace => return Ok(labels),
                _ => {
                    let expected = format!("\",\" or \"}}\" after label \"{}\"", key.text);
                    return Err(Self::expected(separator, &expected));
                }
            }
        }
    }

    /// The next token inside the label set opened at `tokens[open]`; the
    /// statement ending first is an unterminated set, quoted as written.
    fn label_token(&mut self, open: usize) -> Result<&'a Token, ParseError> {
        self.next().ok_or_else(|| {
            let mut text = String::new();
            for t in &self.tokens[open..] {
                if t.spaced && !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(&t.source());
            }
            let message = format!("unterminated label set \"{text}\"; expected \"}}\"");
            error_at(&self.tokens[open], message)
        })
    }

    /// `metric NAME [kind=K] [unit=TEXT] [desc=STRING]`.
    fn metric(&mut self) -> Result<Command, ParseError> {
        let name_token = self.word("a metric name after \"metric\"")?;
        check_metric_name(&name_token.text, false).map_err(|e| error_at(name_token, e))?;
        if let Some(t) = self.peek().filter(|t| t.kind == TokenKind::LBrace) {
            return Err(error_at(
                t,
                "labels are not allowed after \"metric\"; a metric covers all its series",
            ));
        }
        let mut def = MetricDef {
            name: name_token.text.clone(),
            kind: None,
            unit: None,
            description: None,
        };
        let mut seen = Vec::new();
        while let Some(option) = self.next() {
            let keyword = keyword_of(option);
            if !matches!(keyword.as_str(), "kind" | "unit" | "desc") {
                return Err(unexpected(option, "kind=, unit= or desc="));
            }
            first_time(&mut seen, option)?;
            self.take(&[TokenKind::Eq], &format!("\"=\" after \"{keyword}\""))?;
            match keyword.as_str() {
                "kind" => {
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
                "unit" => {
                    let t =
                        self.take(&[TokenKind::Word, TokenKind::Str], "a unit after \"unit=\"")?;
                    def.unit = Some(t.text.clone());
                }
                _ => {
                    let t = self.take(&[TokenKind::Str], "a quoted string after \"desc=\"")?;
                    def.description = Some(t.text.clone());
                }
            }
        }
        Ok(Command::Metric(def))
    }

    /// The body of `insert`/`revise`: `PERIOD SERIES=VALUE ... [source=S] [note=S]`.
    fn write(&mut self, command: &str) -> Result<Write, ParseError> {
        let period = self.period(&format!("a period after \"{command}\""))?;
        let mut write = Write {
            period,
            values: Vec::new(),
            source: None,
            note: None,
        };
        while let Some(name) = self.peek() {
            let series = self.series_key("SERIES=VALUE")?;
            let written = series.to_string();
            self.take(&[TokenKind::Eq], &format!("\"=\" after \"{written}\""))?;
            let expected_value = format!("a value after \"{written}=\"");
            let Some(value) = self.peek() else {
                return Err(self.unexpected_end(&expected_value));
            };
            // `source="x"` is an option; `source=5` is a series named source.
            let option = name.text.to_ascii_lowercase();
            if value.kind == TokenKind::Str
                && series.labels.is_empty()
                && matches!(option.as_str(), "source" | "note")
            {
                self.pos += 1;
                let slot = if option == "source" {
                    &mut write.source
                } else {
                    &mut write.note
                };
                if slot.is_some() {
                    return Err(given_twice(name));
                }
                *slot = Some(value.text.clone());
                continue;
            }
            if value.kind != TokenKind::Word {
                return Err(Self::expected(value, &expected_value));
            }
            let number = self.number()?;
            if write.values.iter().any(|(s, _)| *s == series) {
                return Err(error_at(name, format!("series \"{written}\" given twice")));
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
        let mut text = first.text.clone();
        while let [comma, digits, ..] = &self.tokens[self.pos.min(self.tokens.len())..] {
            let grouped = comma.kind == TokenKind::Comma
                && digits.kind == TokenKind::Word
                && !comma.spaced
                && !digits.spaced
                && digits.text.starts_with(|c: char| c.is_ascii_digit());
            if !grouped {
                break;
            }
            text.push(',');
            text.push_str(&digits.text);
            self.pos += 2;
        }
        parse_value(&text).map_err(|e| error_at(first, e))
    }

    /// `growth SELECTOR (from E to E | over SPAN [to E]) [CLAUSES]`.
    fn growth(&mut self) -> Result<GrowthQuery, ParseError> {
        let selector = self.selector("growth")?;
        let keyword = self.word("\"from\" or \"over\" after the selector")?;
        let range = match keyword.text.to_ascii_lowercase().as_str() {
            "from" => {
                let from = self.endpoint("a period, earliest or latest after \"from\"")?;
                let to_keyword = self.word("\"to\" after the start of the range")?;
                if !to_keyword.text.eq_ignore_ascii_case("to") {
                    return Err(Self::expected(
                        to_keyword,
                        "\"to\" after the start of the range",
                    ));
                }
                let to = self.endpoint("a period, earliest or latest after \"to\"")?;
                GrowthRange::FromTo { from, to }
            }
            "over" => {
                let t = self.word("a span such as 1y or 3m after \"over\"")?;
                let span =
                    Span::parse(&t.text).map_err(|e| embed_error(t, "span", &e.to_string()))?;
                let to = if self.peek_keyword().as_deref() == Some("to") {
                    self.pos += 1;
                    Some(self.endpoint("a period, earliest or latest after \"to\"")?)
                } else {
                    None
                };
                GrowthRange::Over { span, to }
            }
            _ => {
                return Err(Self::expected(
                    keyword,
                    "\"from\" or \"over\" after the selector",
                ));
            }
        };
        let mut query = GrowthQuery {
            selector,
            range,
            by: None,
            sort: None,
            limit: None,
            asof: None,
        };
        let mut seen = Vec::new();
        while let Some(clause) = self.next() {
            let keyword = keyword_of(clause);
            if matches!(keyword.as_str(), "by" | "sort" | "limit" | "asof") {
                first_time(&mut seen, clause)?;
            }
            match keyword.as_str() {
                "by" => {
                    let t = self.word("a label key after \"by\"")?;
                    if !is_label_key(&t.text) {
                        return Err(error_at(
                            t,
                            format!(
                                "invalid label key \"{}\" after \"by\"; {LABEL_KEY_FORM}",
                                t.text
                            ),
                        ));
                    }
                    query.by = Some(t.text.clone());
                }
                "sort" => {
                    let t = self.word("a field after \"sort\"")?;
                    let field = t.text.to_ascii_lowercase();
                    if !SORTABLE_FIELDS.contains(&field.as_str()) {
                        return Err(error_at(
                            t,
                            format!(
                                "unknown sort field \"{}\"; expected one of {}",
                                t.text,
                                SORTABLE_FIELDS.join(", ")
                            ),
                        ));
                    }
                    let direction = match self.peek_keyword().as_deref() {
                        Some("desc") => {
                            self.pos += 1;
                            Direction::Desc
                        }
                        Some("asc") => {
                            self.pos += 1;
                            Direction::Asc
                        }
                        _ => Direction::Asc,
                    };
                    query.sort = Some(Sort { field, direction });
                }
                "limit" => {
                    let t = self.word("a number after \"limit\"")?;
                    // Digits only: u64's parser would also take a leading "+".
                    let digits = t.text.bytes().all(|b| b.is_ascii_digit());
                    let Some(limit) = t.text.parse().ok().filter(|_| digits) else {
                        let message = format!(
                            "invalid limit \"{}\"; expected a non-negative integer",
                            t.text
                        );
                        return Err(error_at(t, message));
                    };
                    query.limit = Some(limit);
                }
                "asof" => query.asof = Some(self.asof()?),
                "from" | "to" | "over" => {
                    return Err(misplaced_range_keyword(clause, &keyword, &query.range));
                }
                _ => return Err(unexpected(clause, "by, sort, limit or asof")),
            }
        }
        Ok(query)
    }

    /// `series SELECTOR [from P] [to P] [every G] [asof T]`, parts in any order.
    fn series(&mut self) -> Result<SeriesQuery, ParseError> {
        let selector = self.selector("series")?;
        let mut query = SeriesQuery {
            selector,
            from: None,
            to: None,
            every: None,
            asof: None,
        };
        let mut seen = Vec::new();
        while let Some(part) = self.next() {
            let keyword = keyword_of(part);
            if matches!(keyword.as_str(), "from" | "to" | "every" | "asof") {
                first_time(&mut seen, part)?;
            }
            match keyword.as_str() {
                "from" | "to" => {
                    let t = self.word(&format!("a period after \"{keyword}\""))?;
                    let word = t.text.to_ascii_lowercase();
                    if word == "earliest" || word == "latest" {
                        return Err(error_at(
                            t,
                            format!(
                                "\"{}\" is allowed only in growth; leave out \"{keyword}\" to include every period",
                                t.text
                            ),
                        ));
                    }
                    let period = period_of(t)?;
                    let slot = if keyword == "from" {
                        &mut query.from
                    } else {
                        &mut query.to
                    };
                    *slot = Some(period);
                }
                "every" => {
                    let t = self.word("a granularity after \"every\"")?;
                    let g = Granularity::parse(&t.text).ok_or_else(|| {
                        error_at(t, format!(
                                "unknown granularity \"{}\"; expected year, half, quarter, month, week or day",
                                t.text
                            ),
                        )
                    })?;
                    query.every = Some(g);
                }
                "asof" => query.asof = Some(self.asof()?),
                _ => return Err(unexpected(part, "from, to, every or asof")),
            }
        }
        Ok(query)
    }

    /// `metrics [PATTERN]`.
    fn metrics(&mut self) -> Result<Command, ParseError> {
        let Some(t) = self.next() else {
            return Ok(Command::Metrics { pattern: None });
        };
        if t.kind != TokenKind::Word {
            return Err(Self::expected(
                t,
                "a metric name or pattern after \"metrics\"",
            ));
        }
        check_metric_name(&t.text, true).map_err(|e| error_at(t, e))?;
        if let Some(brace) = self.peek().filter(|b| b.kind == TokenKind::LBrace) {
            return Err(error_at(
                brace,
                "labels are not allowed after \"metrics\"; it lists metrics, not series",
            ));
        }
        Ok(Command::Metrics {
            pattern: Some(t.text.clone()),
        })
    }
}

fn period_of(token: &Token) -> Result<Period, ParseError> {
    Period::parse(&token.text).map_err(|e| embed_error(token, "period", &e.to_string()))
}

/// period.rs's messages already read `invalid period "TEXT": why`; add that
/// frame only to a message that does not name the text.
fn embed_error(token: &Token, what: &str, message: &str) -> ParseError {
    let quoted = format!("\"{}\"", token.text);
    let message = if message.contains(&quoted) {
        message.to_string()
    } else {
        format!("invalid {what} {quoted}: {message}")
    };
    error_at(token, message)
}

/// The error for `from`, `to` or `over` where growth expects a clause.
fn misplaced_range_keyword(token: &Token, keyword: &str, range: &GrowthRange) -> ParseError {
    let message: &str = match (range, keyword) {
        (GrowthRange::FromTo { .. }, "over") => "\"over\" cannot be combined with \"from\"",
        (GrowthRange::Over { .. }, "from") => "\"from\" cannot be combined with \"over\"",
        (GrowthRange::Over { to: None, .. }, "to") => {
            "\"to\" must come directly after the span of \"over\""
        }
        _ => return given_twice(token),
    };
    error_at(token, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::period::SpanUnit;

    fn period(text: &str) -> Period {
        Period::parse(text).unwrap()
    }

    fn labels(pairs: &[(&str, &str)]) -> LabelSet {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn key(metric: &str, pairs: &[(&str, &str)]) -> SeriesKey {
        SeriesKey::new(metric, labels(pairs))
    }

    fn selector(metric: &str, pairs: &[(&str, &str)]) -> Selector {
        Selector {
            metric: metric.to_string(),
            labels: labels(pairs),
        }
    }

    fn ts(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn parse(text: &str) -> Command {
        parse_command(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn growth(metric: &str, range: GrowthRange) -> GrowthQuery {
        GrowthQuery {
            selector: selector(metric, &[]),
            range,
            by: None,
            sort: None,
            limit: None,
            asof: None,
        }
    }

    const ALL_TIME: GrowthRange = GrowthRange::FromTo {
        from: Endpoint::Earliest,
        to: Endpoint::Latest,
    };

    fn sort(field: &str, direction: Direction) -> Option<Sort> {
        Some(Sort {
            field: field.to_string(),
            direction,
        })
    }

    fn assert_parses(cases: Vec<(&str, Command)>) {
        for (text, expected) in cases {
            assert_eq!(parse(text), expected, "{text}");
        }
    }

    /// Checks every case, then reports all mismatches at once.
    fn assert_errors(cases: &[(&str, usize, &str)]) {
        let failures: Vec<String> = cases
            .iter()
            .filter_map(|&(text, column, message)| {
                let got = parse_command(text);
                (got != Err(ParseError::new(column, message)))
                    .then(|| format!("{text}\n  got {got:?}\n want column {column}: {message}"))
            })
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn error_display() {
        let e = ParseError::new(14, "expected x");
        assert_eq!(e.to_string(), "column 14: expected x");
    }

    #[test]
    fn metric_definitions() {
        let def = |name: &str, kind, unit: Option<&str>, desc: Option<&str>| {
            Command::Metric(MetricDef {
                name: name.to_string(),
                kind,
                unit: unit.map(str::to_string),
                description: desc.map(str::to_string),
            })
        };
        assert_parses(vec![
            ("metric users", def("users", None, None, None)),
            ("METRIC Users", def("Users", None, None, None)),
            (
                "metric creators.video-views_2 kind=flow",
                def("creators.video-views_2", Some(Kind::Flow), None, None),
            ),
            (
                r#"metric mau kind=STOCK unit=users desc="Monthly \"active\" users""#,
                def(
                    "mau",
                    Some(Kind::Stock),
                    Some("users"),
                    Some(r#"Monthly "active" users"#),
                ),
            ),
            (
                r#"metric churn Desc="share lost" UNIT="%" kind = ratio"#,
                def("churn", Some(Kind::Ratio), Some("%"), Some("share lost")),
            ),
            ("metric x unit=%", def("x", None, Some("%"), None)),
            (
                "metric x kind=average",
                def("x", Some(Kind::Average), None, None),
            ),
            (
                "metric x kind=Distinct",
                def("x", Some(Kind::Distinct), None, None),
            ),
            (r#"metric x desc="""#, def("x", None, None, Some(""))),
        ]);
    }

    #[test]
    fn metrics_listing() {
        let metrics = |p: Option<&str>| Command::Metrics {
            pattern: p.map(str::to_string),
        };
        assert_parses(vec![
            ("metrics", metrics(None)),
            ("Metrics   # all of them", metrics(None)),
            ("metrics creators.*", metrics(Some("creators.*"))),
            ("metrics *", metrics(Some("*"))),
            ("metrics Users", metrics(Some("Users"))),
        ]);
    }

    #[test]
    fn growth_clauses_in_any_order() {
        let base = || growth("users", ALL_TIME);
        assert_parses(vec![
            (
                "growth users from earliest to latest",
                Command::Growth(base()),
            ),
            (
                "GROWTH users FROM Earliest TO LATEST",
                Command::Growth(base()),
            ),
            (
                "growth users from latest to earliest",
                Command::Growth(growth(
                    "users",
                    GrowthRange::FromTo {
                        from: Endpoint::Latest,
                        to: Endpoint::Earliest,
                    },
                )),
            ),
            (
                "growth users from earliest to latest by line",
                Command::Growth(GrowthQuery {
                    by: Some("line".into()),
                    ..base()
                }),
            ),
            (
                "growth users from earliest to latest sort change_pct",
                Command::Growth(GrowthQuery {
                    sort: sort("change_pct", Direction::Asc),
                    ..base()
                }),
            ),
            (
                "growth users from earliest to latest SORT CAGR_PCT DESC",
                Command::Growth(GrowthQuery {
                    sort: sort("cagr_pct", Direction::Desc),
                    ..base()
                }),
            ),
            (
                "growth users from earliest to latest sort share_pct asc limit 0",
                Command::Growth(GrowthQuery {
                    sort: sort("share_pct", Direction::Asc),
                    limit: Some(0),
                    ..base()
                }),
            ),
            (
                "growth users from earliest to latest limit 5 asof 2024-06-12T10:00:00Z sort change desc by region",
                Command::Growth(GrowthQuery {
                    by: Some("region".into()),
                    sort: sort("change", Direction::Desc),
                    limit: Some(5),
                    asof: Some(ts("2024-06-12T10:00:00Z")),
                    ..base()
                }),
            ),
            (
                r#"growth users from earliest to latest asof "2024-06-12" by _x1 limit 18446744073709551615"#,
                Command::Growth(GrowthQuery {
                    by: Some("_x1".into()),
                    limit: Some(u64::MAX),
                    asof: Some(ts("2024-06-12T23:59:59.999999999Z")),
                    ..base()
                }),
            ),
            (
                "growth creators.*{region=eu} from earliest to latest",
                Command::Growth(GrowthQuery {
                    selector: selector("creators.*", &[("region", "eu")]),
                    ..base()
                }),
            ),
            (
                r#"growth *{ z="a b" , a = x } from earliest to latest"#,
                Command::Growth(GrowthQuery {
                    selector: selector("*", &[("a", "x"), ("z", "a b")]),
                    ..base()
                }),
            ),
            // A keyword in the selector's place is a metric name.
            (
                "growth from from earliest to latest",
                Command::Growth(growth("from", ALL_TIME)),
            ),
        ]);
        for field in SORTABLE_FIELDS {
            let text = format!("growth users from earliest to latest sort {field}");
            let Command::Growth(q) = parse(&text) else {
                panic!("{text}")
            };
            assert_eq!(q.sort, sort(field, Direction::Asc));
        }
    }

    #[test]
    fn growth_ranges() {
        let from_to = |from, to| GrowthRange::FromTo { from, to };
        let span = |count, unit| Span { count, unit };
        assert_parses(vec![
            (
                "growth users from 2022 to 2024",
                Command::Growth(growth(
                    "users",
                    from_to(
                        Endpoint::Period(period("2022")),
                        Endpoint::Period(period("2024")),
                    ),
                )),
            ),
            (
                "growth users from 2024-q1 to latest",
                Command::Growth(growth(
                    "users",
                    from_to(Endpoint::Period(period("2024-Q1")), Endpoint::Latest),
                )),
            ),
            (
                "growth users from earliest to 2024-01..2024-03",
                Command::Growth(growth(
                    "users",
                    from_to(
                        Endpoint::Earliest,
                        Endpoint::Period(period("2024-01..2024-03")),
                    ),
                )),
            ),
            (
                "growth users over 1y",
                Command::Growth(growth(
                    "users",
                    GrowthRange::Over {
                        span: span(1, SpanUnit::Year),
                        to: None,
                    },
                )),
            ),
            (
                "growth users OVER 3M TO 2024-06 limit 2",
                Command::Growth(GrowthQuery {
                    limit: Some(2),
                    ..growth(
                        "users",
                        GrowthRange::Over {
                            span: span(3, SpanUnit::Month),
                            to: Some(Endpoint::Period(period("2024-06"))),
                        },
                    )
                }),
            ),
            (
                "growth users over 2w to latest by line",
                Command::Growth(GrowthQuery {
                    by: Some("line".into()),
                    ..growth(
                        "users",
                        GrowthRange::Over {
                            span: span(2, SpanUnit::Week),
                            to: Some(Endpoint::Latest),
                        },
                    )
                }),
            ),
        ]);
    }

    #[test]
    fn series_queries() {
        let base = |metric: &str| SeriesQuery {
            selector: selector(metric, &[]),
            from: None,
            to: None,
            every: None,
            asof: None,
        };
        assert_parses(vec![
            ("series users", Command::Series(base("users"))),
            (
                "series users{line=payment} every quarter",
                Command::Series(SeriesQuery {
                    selector: selector("users", &[("line", "payment")]),
                    every: Some(Granularity::Quarter),
                    ..base("users")
                }),
            ),
            (
                "SERIES creators.* EVERY Month asof 2024-01-01T00:00:00+02:00",
                Command::Series(SeriesQuery {
                    every: Some(Granularity::Month),
                    asof: Some(ts("2023-12-31T22:00:00Z")),
                    ..base("creators.*")
                }),
            ),
            (
                "series users from 2020 to 2024-H1",
                Command::Series(SeriesQuery {
                    from: Some(period("2020")),
                    to: Some(period("2024-H1")),
                    ..base("users")
                }),
            ),
            (
                "series users asof 2024-06-12 every week to 2024-W23 from 2024-W01",
                Command::Series(SeriesQuery {
                    from: Some(period("2024-W01")),
                    to: Some(period("2024-W23")),
                    every: Some(Granularity::Week),
                    asof: Some(ts("2024-06-12T23:59:59.999999999Z")),
                    ..base("users")
                }),
            ),
            (
                "series users to 2024-06-12 every day",
                Command::Series(SeriesQuery {
                    to: Some(period("2024-06-12")),
                    every: Some(Granularity::Day),
                    ..base("users")
                }),
            ),
        ]);
        for g in Granularity::ALL {
            let text = format!("series x every {}", g.name().to_uppercase());
            let Command::Series(q) = parse(&text) else {
                panic!("{text}")
            };
            assert_eq!(q.every, Some(g), "{text}");
        }
    }

    #[test]
    fn writes() {
        let write = |p: &str,
                     values: Vec<(SeriesKey, f64)>,
                     source: Option<&str>,
                     note: Option<&str>| Write {
            period: period(p),
            values,
            source: source.map(str::to_string),
            note: note.map(str::to_string),
        };
        assert_parses(vec![
            (
                "insert 2024 users=12M",
                Command::Insert(write("2024", vec![(key("users", &[]), 12e6)], None, None)),
            ),
            (
                "INSERT 2024-q2 users{line=non-payment}=210M users{line=payment}=1.5e6 Users=70%",
                Command::Insert(write(
                    "2024-Q2",
                    vec![
                        (key("users", &[("line", "non-payment")]), 210e6),
                        (key("users", &[("line", "payment")]), 1.5e6),
                        (key("Users", &[]), 0.7),
                    ],
                    None,
                    None,
                )),
            ),
            (
                r#"revise 2024-06 arpu = -3.5k note="restated" source="10-K p. 4""#,
                Command::Revise(write(
                    "2024-06",
                    vec![(key("arpu", &[]), -3500.0)],
                    Some("10-K p. 4"),
                    Some("restated"),
                )),
            ),
            (
                r#"insert 2024 SOURCE="annual report" x{b=2,a="1 1"}=+4 y=1_000"#,
                Command::Insert(write(
                    "2024",
                    vec![
                        (key("x", &[("a", "1 1"), ("b", "2")]), 4.0),
                        (key("y", &[]), 1000.0),
                    ],
                    Some("annual report"),
                    None,
                )),
            ),
            // A number after source= or note= makes them series names.
            (
                "insert 2024 source=5 note{k=v}=6",
                Command::Insert(write(
                    "2024",
                    vec![(key("source", &[]), 5.0), (key("note", &[("k", "v")]), 6.0)],
                    None,
                    None,
                )),
            ),
            // Same metric, different labels: different series.
            (
                "insert 2024 a{k=1}=1 a{k=2}=2 a=3",
                Command::Insert(write(
                    "2024",
                    vec![
                        (key("a", &[("k", "1")]), 1.0),
                        (key("a", &[("k", "2")]), 2.0),
                        (key("a", &[]), 3.0),
                    ],
                    None,
                    None,
                )),
            ),
        ]);
    }

    #[test]
    fn delete_and_history() {
        assert_parses(vec![
            (
                "delete users{line=payment} 2024-Q2",
                Command::Delete {
                    series: key("users", &[("line", "payment")]),
                    period: period("2024-Q2"),
                },
            ),
            (
                "DELETE Users 2024",
                Command::Delete {
                    series: key("Users", &[]),
                    period: period("2024"),
                },
            ),
            (
                "history users",
                Command::History {
                    series: key("users", &[]),
                    period: None,
                },
            ),
            (
                r#"History users{country="Korea, Dem. Rep.",continent=Asia} 2024-06-12"#,
                Command::History {
                    series: key(
                        "users",
                        &[("continent", "Asia"), ("country", "Korea, Dem. Rep.")],
                    ),
                    period: Some(period("2024-06-12")),
                },
            ),
        ]);
    }

    #[test]
    fn labels_are_canonical_and_case_sensitive() {
        let Command::History { series, .. } = parse(r#"history m{z=1, b="x y",a=A-b.c_d}"#) else {
            panic!()
        };
        assert_eq!(series.to_string(), r#"m{a=A-b.c_d,b="x y",z=1}"#);
        let Command::History { series, .. } = parse(r#"history m{a="plain",b="q\"\\"}"#) else {
            panic!()
        };
        assert_eq!(series.to_string(), r#"m{a=plain,b="q\"\\"}"#);
        assert_eq!(series.labels.get("b"), Some(r#"q"\"#));
        let Command::History { series, .. } = parse("history m{}") else {
            panic!()
        };
        assert_eq!(series, key("m", &[]));
        assert_ne!(parse("history m{a=X}"), parse("history m{a=x}"));
        assert_ne!(parse("history M"), parse("history m"));
    }

    #[test]
    fn lines_hold_several_commands() {
        let metrics = Command::Metrics { pattern: None };
        let history = Command::History {
            series: key("x", &[]),
            period: None,
        };
        assert_eq!(parse_line(""), vec![]);
        assert_eq!(parse_line("   # nothing here"), vec![]);
        assert_eq!(parse_line(" ; ;;"), vec![]);
        assert_eq!(parse_line("metrics"), vec![Ok(metrics.clone())]);
        assert_eq!(
            parse_line("metrics; history x ;metrics # done; history y"),
            vec![
                Ok(metrics.clone()),
                Ok(history.clone()),
                Ok(metrics.clone())
            ]
        );
        assert_eq!(
            parse_line(r#"metric a desc="x;y" ; history x"#)[1],
            Ok(history.clone())
        );
        // Each statement fails or succeeds on its own.
        assert_eq!(
            parse_line("metrics; grwth; history x"),
            vec![
                Ok(metrics.clone()),
                Err(ParseError::new(
                    10,
                    format!("unknown command \"grwth\"; expected {COMMANDS}")
                )),
                Ok(history),
            ]
        );
        assert_eq!(
            parse_line("growth users{line=payment; metrics"),
            vec![
                Err(ParseError::new(
                    13,
                    "unterminated label set \"{line=payment\"; expected \"}\""
                )),
                Ok(metrics.clone()),
            ]
        );
        // A lexer error is the line's only result.
        assert_eq!(
            parse_line("metrics; history \"x"),
            vec![Err(ParseError::new(
                18,
                "unterminated string starting here"
            ))]
        );
    }

    #[test]
    fn parse_command_wants_exactly_one() {
        assert_eq!(
            parse_command("metrics;"),
            Ok(Command::Metrics { pattern: None })
        );
        assert_errors(&[
            ("", 1, &format!("empty command; expected {COMMANDS}")),
            (
                " # just a comment",
                1,
                &format!("empty command; expected {COMMANDS}"),
            ),
            (";", 1, &format!("empty command; expected {COMMANDS}")),
            (
                "metrics; metrics x",
                10,
                "expected a single command, found another starting at \"metrics\"",
            ),
        ]);
    }

    #[test]
    fn asof_times() {
        let cases = [
            ("2024-06-12T10:00:00Z", "2024-06-12T10:00:00Z"),
            ("2024-06-12t10:00:00z", "2024-06-12T10:00:00Z"),
            ("2024-06-12T10:00:00+02:00", "2024-06-12T08:00:00Z"),
            ("2024-06-12T10:00:00.25-05:30", "2024-06-12T15:30:00.25Z"),
            ("2024-06-12", "2024-06-12T23:59:59.999999999Z"),
            ("2024-02-29", "2024-02-29T23:59:59.999999999Z"),
            ("1970-01-01", "1970-01-01T23:59:59.999999999Z"),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_asof(text), Ok(ts(expected)), "{text}");
        }
        for (text, message) in [
            (
                "2023-02-29",
                "invalid asof time \"2023-02-29\": 2023-02 has 28 days",
            ),
            (
                "2024-04-31",
                "invalid asof time \"2024-04-31\": 2024-04 has 30 days",
            ),
            (
                "2024-06-00",
                "invalid asof time \"2024-06-00\": 2024-06 has 30 days",
            ),
            (
                "2024-13-01",
                "invalid asof time \"2024-13-01\": month must be 01 to 12",
            ),
        ] {
            assert_eq!(parse_asof(text), Err(message.to_string()), "{text}");
        }
        let expected = "expected an RFC 3339 timestamp such as 2024-06-12T10:00:00Z or a day such as 2024-06-12";
        for text in ["", "x", "yesterday", "T10:00:00Z"] {
            assert_eq!(
                parse_asof(text),
                Err(format!("invalid asof time \"{text}\": {expected}")),
            );
        }
        for text in [
            "2024",
            "2024-06",
            "2024-06-12T10:00:00",
            "2024-6-12",
            "2024-06-12Z",
            "2024-06-12T25:00:00Z",
        ] {
            let err = parse_asof(text).unwrap_err();
            let prefix = format!("invalid asof time \"{text}\": {expected} (");
            assert!(err.starts_with(&prefix), "{text}: {err}");
        }
        assert!(parse_asof("9999-12-31").is_err());
    }

    #[test]
    fn syntax_errors() {
        let commands = format!("unknown command \"grwth\"; expected {COMMANDS}");
        assert_errors(&[
            ("grwth users", 1, &commands),
            (
                "{a=b}",
                1,
                &format!("expected a command ({COMMANDS}), found \"{{\""),
            ),
            (
                "\"growth\"",
                1,
                &format!("expected a command ({COMMANDS}), found the string \"growth\""),
            ),
            // growth
            (
                "growth users form 2023 to 2024",
                14,
                "expected \"from\" or \"over\" after the selector, found \"form\"",
            ),
            (
                "growth users",
                13,
                "unexpected end of command; expected \"from\" or \"over\" after the selector",
            ),
            (
                "growth",
                7,
                "unexpected end of command; expected a metric name or pattern after \"growth\"",
            ),
            (
                "growth users from",
                18,
                "unexpected end of command; expected a period, earliest or latest after \"from\"",
            ),
            (
                "growth users from earliest",
                27,
                "unexpected end of command; expected \"to\" after the start of the range",
            ),
            (
                "growth users from earliest latest",
                28,
                "expected \"to\" after the start of the range, found \"latest\"",
            ),
            (
                "growth users from earliest to",
                30,
                "unexpected end of command; expected a period, earliest or latest after \"to\"",
            ),
            (
                "growth users from earliest to latest limit 5 limit 6",
                46,
                "\"limit\" given twice",
            ),
            (
                "growth users from earliest to latest by a BY b",
                43,
                "\"by\" given twice",
            ),
            (
                "growth users from earliest to latest sort change sort years",
                50,
                "\"sort\" given twice",
            ),
            (
                "growth users from earliest to latest asof 2024-01-01 asof 2024-01-02",
                54,
                "\"asof\" given twice",
            ),
            (
                "growth users from earliest to latest to latest",
                38,
                "\"to\" given twice",
            ),
            (
                "growth users from earliest to latest from earliest",
                38,
                "\"from\" given twice",
            ),
            (
                "growth users from earliest to latest over 1y",
                38,
                "\"over\" cannot be combined with \"from\"",
            ),
            (
                "growth users from earliest to latest limit",
                43,
                "unexpected end of command; expected a number after \"limit\"",
            ),
            (
                "growth users from earliest to latest limit -1",
                44,
                "invalid limit \"-1\"; expected a non-negative integer",
            ),
            (
                "growth users from earliest to latest limit 1e3",
                44,
                "invalid limit \"1e3\"; expected a non-negative integer",
            ),
            (
                "growth users from earliest to latest limit 18446744073709551616",
                44,
                "invalid limit \"18446744073709551616\"; expected a non-negative integer",
            ),
            (
                "growth users from earliest to latest sort growth",
                43,
                "unknown sort field \"growth\"; expected one of from_value, to_value, change, change_pct, multiple, years, cagr_pct, change_pp, share_pct",
            ),
            (
                "growth users from earliest to latest sort",
                42,
                "unexpected end of command; expected a field after \"sort\"",
            ),
            (
                "growth users from earliest to latest sort change up",
                50,
                "unexpected \"up\"; expected by, sort, limit or asof",
            ),
            (
                "growth users from earliest to latest by Line",
                41,
                "invalid label key \"Line\" after \"by\"; expected lowercase letters, digits and \"_\", not starting with a digit",
            ),
            (
                "growth users from earliest to latest by",
                40,
                "unexpected end of command; expected a label key after \"by\"",
            ),
            (
                "growth users from earliest to latest asof",
                42,
                "unexpected end of command; expected a time after \"asof\"",
            ),
            (
                "growth users from earliest to latest asof {",
                43,
                "expected a time after \"asof\", found \"{\"",
            ),
            (
                "growth users from earliest to latest asof 2024-02-30",
                43,
                "invalid asof time \"2024-02-30\": 2024-02 has 29 days",
            ),
            (
                "growth users from earliest to latest whatever",
                38,
                "unexpected \"whatever\"; expected by, sort, limit or asof",
            ),
            (
                "growth users from earliest to latest \"x\"",
                38,
                "unexpected the string \"x\"; expected by, sort, limit or asof",
            ),
            (
                "growth users from earliest to latest = 5",
                38,
                "unexpected \"=\"; expected by, sort, limit or asof",
            ),
            // selectors and labels
            (
                "growth users {a=b} from earliest to latest",
                14,
                "unexpected space before \"{\"; labels must follow the metric name directly, as in users{...}",
            ),
            (
                "growth users{line=payment",
                13,
                "unterminated label set \"{line=payment\"; expected \"}\"",
            ),
            (
                "growth users{ line = \"a b\" ,",
                13,
                "unterminated label set \"{ line = \"a b\" ,\"; expected \"}\"",
            ),
            (
                "growth users{line=payment from earliest to latest",
                27,
                "expected \",\" or \"}\" after label \"line\", found \"from\"",
            ),
            (
                "growth users{a=1,} from earliest to latest",
                18,
                "expected a label key, found \"}\"",
            ),
            (
                "growth users{a=1,a=2} from earliest to latest",
                18,
                "label \"a\" given twice",
            ),
            (
                "growth users{A=1} from earliest to latest",
                14,
                "invalid label key \"A\"; expected lowercase letters, digits and \"_\", not starting with a digit",
            ),
            (
                "growth users{1a=1} from earliest to latest",
                14,
                "invalid label key \"1a\"; expected lowercase letters, digits and \"_\", not starting with a digit",
            ),
            (
                "growth users{a b} from earliest to latest",
                16,
                "expected \"=\" after label key \"a\", found \"b\"",
            ),
            (
                "growth users{a=} from earliest to latest",
                16,
                "expected a label value after \"a=\", found \"}\"",
            ),
            (
                "growth users{a=x:y} from earliest to latest",
                16,
                "invalid label value \"x:y\"; a value with characters other than letters, digits, \"_\", \".\" and \"-\" must be double-quoted",
            ),
            (
                "growth users{a=1}{b=2} from earliest to latest",
                18,
                "expected \"from\" or \"over\" after the selector, found \"{\"",
            ),
            (
                "growth 2024 from earliest to latest",
                8,
                "invalid metric name \"2024\": a metric name starts with a letter",
            ),
            (
                "growth us%ers from earliest to latest",
                8,
                "invalid metric name \"us%ers\": \"%\" is not allowed; use letters, digits, \"_\", \".\" or \"-\"",
            ),
            (
                "growth \"users\" from earliest to latest",
                8,
                "expected a metric name or pattern after \"growth\", found the string \"users\"",
            ),
            // series
            (
                "series users every fortnight",
                20,
                "unknown granularity \"fortnight\"; expected year, half, quarter, month, week or day",
            ),
            (
                "series users every day every week",
                24,
                "\"every\" given twice",
            ),
            (
                "series users from earliest",
                19,
                "\"earliest\" is allowed only in growth; leave out \"from\" to include every period",
            ),
            (
                "series users to LATEST",
                17,
                "\"LATEST\" is allowed only in growth; leave out \"to\" to include every period",
            ),
            (
                "series users by line",
                14,
                "unexpected \"by\"; expected from, to, every or asof",
            ),
            (
                "series users asof",
                18,
                "unexpected end of command; expected a time after \"asof\"",
            ),
            (
                "series users{",
                13,
                "unterminated label set \"{\"; expected \"}\"",
            ),
            // metrics
            (
                "metrics users{a=b}",
                14,
                "labels are not allowed after \"metrics\"; it lists metrics, not series",
            ),
            (
                "metrics a b",
                11,
                "unexpected \"b\"; expected end of command",
            ),
            (
                "metrics 1x",
                9,
                "invalid metric name \"1x\": a metric name starts with a letter",
            ),
            // metric
            (
                "metric",
                7,
                "unexpected end of command; expected a metric name after \"metric\"",
            ),
            (
                "metric creators.*",
                8,
                "invalid metric name \"creators.*\": wildcards (*) are allowed only in growth, series and metrics",
            ),
            (
                "metric users{a=b}",
                13,
                "labels are not allowed after \"metric\"; a metric covers all its series",
            ),
            (
                "metric users kind=level",
                19,
                "unknown kind \"level\"; expected stock, flow, average, ratio or distinct",
            ),
            (
                "metric users kind=flow KIND=stock",
                24,
                "\"kind\" given twice",
            ),
            ("metric users kind=flow kind", 24, "\"kind\" given twice"),
            (
                "growth users from earliest to latest limit 1 limit",
                46,
                "\"limit\" given twice",
            ),
            ("series users from 2020 FROM", 24, "\"from\" given twice"),
            ("metric users unit=a unit=b", 21, "\"unit\" given twice"),
            (
                "metric users desc=word",
                19,
                "expected a quoted string after \"desc=\", found \"word\"",
            ),
            (
                "metric users colour=red",
                14,
                "unexpected \"colour\"; expected kind=, unit= or desc=",
            ),
            (
                "metric users kind",
                18,
                "unexpected end of command; expected \"=\" after \"kind\"",
            ),
            (
                "metric users kind=",
                19,
                "unexpected end of command; expected a kind after \"kind=\"",
            ),
            (
                "metric users unit={",
                19,
                "expected a unit after \"unit=\", found \"{\"",
            ),
        ]);
    }

    #[test]
    fn syntax_errors_with_periods() {
        assert_errors(&[
            (
                "insert",
                7,
                "unexpected end of command; expected a period after \"insert\"",
            ),
            (
                "insert 2024",
                12,
                "unexpected end of command; expected at least one SERIES=VALUE, such as users=12M",
            ),
            (
                r#"revise 2024 source="x""#,
                23,
                "unexpected end of command; expected at least one SERIES=VALUE, such as users=12M",
            ),
            (
                "insert 2024 users",
                18,
                "unexpected end of command; expected \"=\" after \"users\"",
            ),
            (
                "insert 2024 users=",
                19,
                "unexpected end of command; expected a value after \"users=\"",
            ),
            (
                "insert 2024 users 5",
                19,
                "expected \"=\" after \"users\", found \"5\"",
            ),
            (
                "insert 2024 users=1,000",
                19,
                "invalid value \"1,000\": use _ to group digits, e.g. 1_000",
            ),
            (
                "insert 2024 users=1,000,000 b=2",
                19,
                "invalid value \"1,000,000\": use _ to group digits, e.g. 1_000",
            ),
            (
                "insert 2024 users=12m",
                19,
                "invalid value \"12m\": unknown suffix \"m\"; use M for millions (lowercase m is not a suffix)",
            ),
            (
                "insert 2024 users=12x",
                19,
                "invalid value \"12x\": unknown suffix \"x\"; expected k, M, B, G, T or %",
            ),
            (
                "insert 2024 users=NaN",
                19,
                "invalid value \"NaN\": not a finite number",
            ),
            (
                "insert 2024 users=1e400",
                19,
                "invalid value \"1e400\": out of range",
            ),
            (
                "insert 2024 users=\"5\"",
                19,
                "expected a value after \"users=\", found the string \"5\"",
            ),
            (
                "insert 2024 users{b=1,a=2}=\"5\"",
                28,
                "expected a value after \"users{a=2,b=1}=\", found the string \"5\"",
            ),
            (
                "insert 2024 users=1,b=2",
                20,
                "expected SERIES=VALUE, found \",\"",
            ),
            (
                "insert 2024 users=1 , b=2",
                21,
                "expected SERIES=VALUE, found \",\"",
            ),
            (
                "insert 2024 users{a=1,b=2}=1 users{b=2,a=1}=2",
                30,
                "series \"users{a=1,b=2}\" given twice",
            ),
            ("insert 2024 x=1 x=2", 17, "series \"x\" given twice"),
            (
                r#"insert 2024 x=1 source="a" Source="b""#,
                28,
                "\"source\" given twice",
            ),
            (
                r#"insert 2024 x=1 note="a" note="b""#,
                26,
                "\"note\" given twice",
            ),
            (
                "insert 2024 creators.*=5",
                13,
                "invalid metric name \"creators.*\": wildcards (*) are allowed only in growth, series and metrics",
            ),
            (
                "insert 2024 users {a=b}=5",
                19,
                "unexpected space before \"{\"; labels must follow the metric name directly, as in users{...}",
            ),
            (
                "insert 2024 \"users\"=5",
                13,
                "expected SERIES=VALUE, found the string \"users\"",
            ),
            // delete and history
            (
                "delete users",
                13,
                "unexpected end of command; expected a period after the series",
            ),
            (
                "delete users 2024 2025",
                19,
                "unexpected \"2025\"; expected end of command",
            ),
            (
                "delete users.* 2024",
                8,
                "invalid metric name \"users.*\": wildcards (*) are allowed only in growth, series and metrics",
            ),
            (
                "history",
                8,
                "unexpected end of command; expected a series after \"history\"",
            ),
            (
                "history users 2024 x",
                20,
                "unexpected \"x\"; expected end of command",
            ),
            (
                "history users \"2024\"",
                15,
                "expected a period after the series, found the string \"2024\"",
            ),
            // growth ranges
            (
                "growth users over",
                18,
                "unexpected end of command; expected a span such as 1y or 3m after \"over\"",
            ),
            (
                "growth users over 1y limit 2 to latest",
                30,
                "\"to\" must come directly after the span of \"over\"",
            ),
            (
                "growth users over 1y to latest to latest",
                32,
                "\"to\" given twice",
            ),
            (
                "growth users over 1y from 2020",
                22,
                "\"from\" cannot be combined with \"over\"",
            ),
            ("growth users over 1y over 2y", 22, "\"over\" given twice"),
        ]);
    }

    #[test]
    fn period_errors_embed_the_period_message() {
        assert_errors(&[(
            "insert 2024-02-30 x=1",
            8,
            "invalid period \"2024-02-30\": 2024-02 has 29 days",
        )]);
        // The wording is period.rs's; check the column and that it is used as is.
        let cases = [
            ("delete x 2024-Q5", 10, "2024-Q5"),
            ("history x 20x4", 11, "20x4"),
            ("growth x from 2024-13 to latest", 15, "2024-13"),
            ("growth x from earliest to soon", 27, "soon"),
            ("growth x over 1y to 2024-W54", 21, "2024-W54"),
            ("series x from 2024..", 15, "2024.."),
            ("series x to users", 13, "users"),
        ];
        for (text, column, period) in cases {
            let expected = Period::parse(period).unwrap_err().to_string();
            assert_eq!(
                parse_command(text),
                Err(ParseError::new(column, expected)),
                "{text}"
            );
        }
        let expected = Span::parse("1x").unwrap_err().to_string();
        assert_eq!(
            parse_command("growth x over 1x"),
            Err(ParseError::new(15, expected))
        );
        let token = lex("soon").unwrap().remove(0);
        assert_eq!(
            embed_error(&token, "period", "expected a year").message,
            "invalid period \"soon\": expected a year"
        );
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        let mut inputs: Vec<String> = [
            "",
            "\"",
            "\"\"\"",
            "{",
            "}",
            "{{{{",
            "}}}}",
            "=",
            ",",
            ";",
            "\\",
            "#",
            "\u{0}",
            "\u{feff}",
            "😀",
            "growth 😀",
            "\"😀\"",
            "users{😀=1}",
            "'; DROP TABLE x; --",
            "insert 2024 x=1'; DROP TABLE metrics; --",
            "metric x desc=\"\\",
            "growth x{",
            "growth x{a",
            "growth x{a=",
            "growth x{a=\"",
            "growth x{a=b,",
            "insert 2024 =5",
            "insert 2024 x==5",
            "insert ; ; ;",
            "growth * from * to *",
            "growth x over 0y",
            "growth x over 99999999999999999999y",
            "growth x from ..  to ..",
            "series x from -2024",
            "insert 2024 x=1e99999999999999999999999999",
            "insert 2024 x=-",
            "insert 2024 x=%",
            "insert 2024 x=.e5",
            "growth x from earliest to latest asof \"\"",
            "growth x from earliest to latest asof \"2024-06-12T10:00:00Z[Mars/Olympus]\"",
            "growth x from earliest to latest asof -999999-01-01T00:00:00Z",
            "growth x from earliest to latest asof 0000-00-00",
            "history x 0000-00-00",
            "history x 9999-12-31..-9999-01-01",
            "series x every",
            "metrics {",
            "metrics *{}",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        inputs.push("{".repeat(100_000));
        inputs.push(format!("insert 2024 x={}", "9".repeat(100_000)));
        inputs.push(format!(
            "growth {} from earliest to latest",
            "a".repeat(100_000)
        ));
        inputs.push("\"".repeat(10_001));
        inputs.push("metrics;".repeat(10_000));
        inputs.push(format!("history x{{{}}}", "a=b,".repeat(10_000)));
        // Deterministic pseudo-random bytes, read as lossy UTF-8.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let alphabet = b"growth insert 2024-Q1 from to over {}=,;\"\\#*.%+-:0123456789eEkMx ";
        for round in 0..2000 {
            let len = (next() % 80) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    let r = next();
                    if round % 2 == 0 {
                        r as u8
                    } else {
                        alphabet[(r % alphabet.len() as u64) as usize]
                    }
                })
                .collect();
            inputs.push(String::from_utf8_lossy(&bytes).into_owned());
        }
        for input in &inputs {
            let _ = parse_line(input);
            let _ = parse_command(input);
            let _ = parse_asof(input);
            let _ = parse_value(input);
        }
    }
}
