//! Queries: `growth`, `series` and `metrics`, and their clauses.
use std::fmt;

use super::keywords::{
    ASC, ASOF, BY, DESC, EARLIEST, EVERY, FROM, LATEST, LIMIT, OVER, SORT, TO, TRAILING,
};
use super::names::{LABEL_KEY_FORM, check_metric_name};
use super::{
    ParseError, Parser, error_at, first_time, given_twice, invalid_at, keyword_of, period_arg_of,
    unexpected,
};
use crate::core::command::{
    ChartGrowthQuery, ChartQuery, Command, Direction, Endpoint, GrowthField, GrowthQuery,
    GrowthRange, PeriodArg, SeriesQuery, Sort,
};
use crate::core::labels::is_label_key;
use crate::core::lexer::{Token, TokenKind};
use crate::core::period::{Granularity, Span};

impl Parser<'_> {
    fn endpoint(&mut self, expected: impl fmt::Display) -> Result<Endpoint, ParseError> {
        let token = self.word(expected)?;
        let keyword = keyword_of(token);
        match keyword.as_str() {
            EARLIEST => Ok(Endpoint::Earliest),
            LATEST => Ok(Endpoint::Latest),
            word => match Granularity::parse_to_date(word) {
                Some(g) => Ok(Endpoint::ToDate(g)),
                None => match period_arg_of(token)? {
                    PeriodArg::Days(period) => Ok(Endpoint::Period(period)),
                    PeriodArg::Fiscal(fiscal) => Ok(Endpoint::Fiscal(fiscal)),
                },
            },
        }
    }

    /// `growth SELECTOR (from E to E | over SPAN [to E]) [CLAUSES]`.
    pub(super) fn growth(&mut self) -> Result<GrowthQuery, ParseError> {
        let selector = self.selector("growth")?;
        let keyword = self.word("\"from\" or \"over\" after the selector")?;
        let range = match keyword_of(keyword).as_str() {
            FROM => {
                let from = self.endpoint("a period, earliest or latest after \"from\"")?;
                let to_keyword = self.word("\"to\" after the start of the range")?;
                if !to_keyword.text.eq_ignore_ascii_case(TO) {
                    return Err(Self::expected(
                        to_keyword,
                        "\"to\" after the start of the range",
                    ));
                }
                let to = self.endpoint("a period, earliest or latest after \"to\"")?;
                GrowthRange::FromTo { from, to }
            }
            OVER => {
                let span = self.span(OVER)?;
                let to = if self.peek_keyword().as_deref() == Some(TO) {
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
            trailing: None,
            asof: None,
        };
        // `every` and the `from` that only it allows, kept until the end
        // since the clauses come in any order.
        let mut every: Option<Granularity> = None;
        let mut every_from: Option<(&Token, Endpoint)> = None;
        let mut limit_token = None;
        let mut seen = Vec::new();
        while let Some(clause) = self.next() {
            let keyword = keyword_of(clause);
            if matches!(
                keyword.as_str(),
                BY | SORT | LIMIT | ASOF | EVERY | TRAILING
            ) {
                first_time(&mut seen, clause)?;
            }
            match keyword.as_str() {
                BY => {
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
                    if !query.selector.more.is_empty() {
                        let message = "\"by\" splits one selector, not a list of them";
                        return Err(error_at(clause, message));
                    }
                    query.by = Some(t.text.to_string());
                }
                SORT => {
                    let t = self.word("a field after \"sort\"")?;
                    let Some(field) = GrowthField::parse(&t.text).filter(|f| f.is_sortable())
                    else {
                        let fields: Vec<&str> =
                            GrowthField::sortable().map(GrowthField::name).collect();
                        return Err(error_at(
                            t,
                            format!(
                                "unknown sort field \"{}\"; expected one of {}",
                                t.text,
                                fields.join(", ")
                            ),
                        ));
                    };
                    let direction = match self.peek_keyword().as_deref() {
                        Some(DESC) => {
                            self.pos += 1;
                            Direction::Desc
                        }
                        Some(ASC) => {
                            self.pos += 1;
                            Direction::Asc
                        }
                        _ => Direction::Asc,
                    };
                    query.sort = Some(Sort { field, direction });
                }
                LIMIT => {
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
                    limit_token = Some(clause);
                }
                ASOF => query.asof = Some(self.asof()?),
                TRAILING => query.trailing = Some(self.span(TRAILING)?),
                EVERY => {
                    if let GrowthRange::FromTo { .. } = query.range {
                        return Err(error_at(
                            clause,
                            "\"every\" needs \"over SPAN\": growth SELECTOR over SPAN every GRAIN [from PERIOD] [to PERIOD]",
                        ));
                    }
                    every = Some(self.granularity()?);
                }
                FROM if matches!(query.range, GrowthRange::Over { .. }) && every_from.is_none() => {
                    let from = self.endpoint("a period, earliest or latest after \"from\"")?;
                    every_from = Some((clause, from));
                }
                TO if matches!(query.range, GrowthRange::Over { to: None, .. })
                    && (every.is_some() || every_from.is_some()) =>
                {
                    let to = self.endpoint("a period, earliest or latest after \"to\"")?;
                    if let GrowthRange::Over { to: slot, .. } = &mut query.range {
                        *slot = Some(to);
                    }
                }
                FROM if every_from.is_some() => return Err(given_twice(clause)),
                FROM | TO | OVER => {
                    return Err(misplaced_range_keyword(clause, &keyword, &query.range));
                }
                _ => {
                    let expected = match query.range {
                        GrowthRange::FromTo { .. } => "by, sort, limit, trailing or asof",
                        _ => "by, sort, limit, every, trailing or asof",
                    };
                    return Err(unexpected(clause, expected));
                }
            }
        }
        match (every, query.range) {
            (Some(every), GrowthRange::Over { span, to }) => {
                if let (Some(limit), None) = (limit_token, &query.sort) {
                    return Err(error_at(
                        limit,
                        "\"limit\" with \"every\" keeps the first rows of each step by the sort field; add \"sort FIELD\"",
                    ));
                }
                query.range = GrowthRange::Every {
                    span,
                    every,
                    from: every_from.map(|(_, from)| from),
                    to,
                };
            }
            (None, _) => {
                if let Some((token, _)) = every_from {
                    return Err(error_at(
                        token,
                        "\"from\" cannot be combined with \"over\" unless \"every\" steps through periods",
                    ));
                }
            }
            _ => {}
        }
        Ok(query)
    }

    /// A span after `keyword` (`over`, `trailing`).
    fn span(&mut self, keyword: &str) -> Result<Span, ParseError> {
        let t = self.word(format_args!("a span such as 1y or 3m after \"{keyword}\""))?;
        Span::parse(&t.text).map_err(|e| invalid_at(t, e))
    }

    /// The granularity after `every`.
    fn granularity(&mut self) -> Result<Granularity, ParseError> {
        let t = self.word("a granularity after \"every\"")?;
        Granularity::parse(&t.text).ok_or_else(|| {
            error_at(
                t,
                format!(
                    "unknown granularity \"{}\"; expected {}",
                    t.text,
                    granularity_names()
                ),
            )
        })
    }

    /// `series SELECTOR [from P] [to P] [every G] [asof T]`, parts in any order.
    /// `chart SELECTOR [from P] [to P] [every G] to FILE.svg|FILE.png`: a
    /// series query whose last clause, `to` then a quoted path or a bare
    /// path ending in `.svg` or `.png`, names the file.
    pub(super) fn chart(&mut self) -> Result<Command, ParseError> {
        let file = self.chart_file()?;
        let clauses = self.tokens.len() - 2;
        let mut within = Parser {
            tokens: &self.tokens[..clauses],
            pos: self.pos,
        };
        let command = if within.starts_growth() {
            within.pos += 1;
            let growth = within.chart_growth()?;
            Command::ChartGrowth(ChartGrowthQuery { growth, file })
        } else {
            let series = within.series_clauses("chart")?;
            Command::Chart(ChartQuery { series, file })
        };
        self.pos = self.tokens.len();
        Ok(command)
    }

    /// Whether the chart's clauses start with `growth` then a selector (a
    /// metric named `growth` is still charted by `chart growth from ...`).
    fn starts_growth(&self) -> bool {
        let rest = &self.tokens[self.pos.min(self.tokens.len())..];
        match rest {
            [first, next, ..] => {
                keyword_of(first).as_str() == "growth"
                    && first.kind == TokenKind::Word
                    && next.kind == TokenKind::Word
                    && !matches!(
                        keyword_of(next).as_str(),
                        FROM | TO | EVERY | TRAILING | ASOF
                    )
            }
            _ => false,
        }
    }

    /// `growth SELECTOR over SPAN every GRAIN [from P] [to P] [trailing
    /// SPAN] [asof T]` after `chart`: one line per series, so no `by`,
    /// `sort` or `limit`.
    fn chart_growth(&mut self) -> Result<GrowthQuery, ParseError> {
        let start = self.pos;
        let growth_token = &self.tokens[start - 1];
        let query = self.growth()?;
        let clause = |word: &str| {
            self.tokens[start..]
                .iter()
                .find(|t| t.kind == TokenKind::Word && keyword_of(t).as_str() == word)
        };
        for (word, given) in [
            (BY, query.by.is_some()),
            (SORT, query.sort.is_some()),
            (LIMIT, query.limit.is_some()),
        ] {
            if let (true, Some(token)) = (given, clause(word)) {
                return Err(error_at(
                    token,
                    format!("\"{word}\" is not drawn: a growth chart has one line per series"),
                ));
            }
        }
        if !matches!(query.range, GrowthRange::Every { .. }) {
            return Err(error_at(
                growth_token,
                "a growth chart steps through periods: chart growth SELECTOR over SPAN every GRAIN [from PERIOD] [to PERIOD] to FILE.svg",
            ));
        }
        Ok(query)
    }

    /// The file a chart ends with, `to` then a quoted path or a bare path
    /// ending in `.svg` or `.png`.
    fn chart_file(&self) -> Result<String, ParseError> {
        let [.., to, target] = &self.tokens[self.pos.min(self.tokens.len())..] else {
            return Err(self.unexpected_end("a selector, then \"to FILE.svg\" or \"to FILE.png\""));
        };
        let names_file = target.kind == TokenKind::Str
            || (target.kind == TokenKind::Word && {
                let name = target.text.to_ascii_lowercase();
                name.ends_with(".svg") || name.ends_with(".png")
            });
        if keyword_of(to).as_str() != TO || !names_file {
            return Err(error_at(
                target,
                format!(
                    "a chart ends with \"to FILE.svg\" or \"to FILE.png\", found \"{}\"",
                    target.source()
                ),
            ));
        }
        Ok(target.text.to_string())
    }

    pub(super) fn series(&mut self) -> Result<SeriesQuery, ParseError> {
        self.series_clauses("series")
    }

    fn series_clauses(&mut self, command: &str) -> Result<SeriesQuery, ParseError> {
        let selector = self.selector(command)?;
        let mut query = SeriesQuery {
            selector,
            from: None,
            to: None,
            every: None,
            trailing: None,
            asof: None,
        };
        let mut trailing_token = None;
        let mut seen = Vec::new();
        while let Some(part) = self.next() {
            let keyword = keyword_of(part);
            if matches!(keyword.as_str(), FROM | TO | EVERY | TRAILING | ASOF) {
                first_time(&mut seen, part)?;
            }
            match keyword.as_str() {
                FROM | TO => {
                    let t = self.word(format_args!("a period after \"{keyword}\""))?;
                    let word = keyword_of(t);
                    if matches!(word.as_str(), EARLIEST | LATEST)
                        || Granularity::parse_to_date(&word).is_some()
                    {
                        return Err(error_at(
                            t,
                            format!(
                                "\"{}\" is allowed only in growth; leave out \"{keyword}\" to include every period",
                                t.text
                            ),
                        ));
                    }
                    let period = period_arg_of(t)?;
                    let slot = if keyword.as_str() == FROM {
                        &mut query.from
                    } else {
                        &mut query.to
                    };
                    *slot = Some(period);
                }
                EVERY => query.every = Some(self.granularity()?),
                TRAILING => {
                    query.trailing = Some(self.span(TRAILING)?);
                    trailing_token = Some(part);
                }
                ASOF => query.asof = Some(self.asof()?),
                _ => return Err(unexpected(part, "from, to, every, trailing or asof")),
            }
        }
        if let (Some(token), None) = (trailing_token, query.every) {
            return Err(error_at(
                token,
                format!(
                    "\"trailing\" needs \"every\": {command} SELECTOR every GRAIN trailing SPAN"
                ),
            ));
        }
        Ok(query)
    }

    /// `metrics [PATTERN]`.
    pub(super) fn metrics(&mut self) -> Result<Command, ParseError> {
        let Some(t) = self.next() else {
            return Ok(Command::Metrics { pattern: None });
        };
        if t.kind != TokenKind::Word {
            return Err(Self::expected(
                t,
                "a metric name or pattern after \"metrics\"",
            ));
        }
        check_metric_name(&t.text, true).map_err(|e| invalid_at(t, e))?;
        if let Some(brace) = self.peek().filter(|b| b.kind == TokenKind::LBrace) {
            return Err(error_at(
                brace,
                "labels are not allowed after \"metrics\"; it lists metrics, not series",
            ));
        }
        Ok(Command::Metrics {
            pattern: Some(t.text.to_string()),
        })
    }
}

/// The error for `from`, `to` or `over` where growth expects a clause.
fn misplaced_range_keyword(token: &Token, keyword: &str, range: &GrowthRange) -> ParseError {
    let message: &str = match (range, keyword) {
        (GrowthRange::FromTo { .. }, OVER) => "\"over\" cannot be combined with \"from\"",
        (GrowthRange::Over { .. }, FROM) => "\"from\" cannot be combined with \"over\"",
        (GrowthRange::Over { to: None, .. }, TO) => {
            "\"to\" must come directly after the span of \"over\""
        }
        _ => return given_twice(token),
    };
    error_at(token, message)
}

/// The granularities `every` takes, for messages.
fn granularity_names() -> String {
    let names: Vec<&str> = Granularity::ALL.iter().map(|g| g.name()).collect();
    let (last, rest) = names.split_last().expect("there are granularities");
    format!("{} or {last}", rest.join(", "))
}
