//! The arguments of `.import FILE [OPTIONS]`, parsed once into a struct.
//!
//! To add an option: list it in [`OPTIONS`] (and in the usage line of
//! `.import`), give it a field, and read it in [`ImportArgs::parse`].
//!
//! Option values may quote each name on its own or the whole value:
//! `--labels "Country Name"=country,"Country Code"=iso3` and
//! `--labels "Country Name=country"` both work, so a word here is the text
//! up to the next space outside quotes, even where the language's scanner
//! would end a string.
use crate::core::lexer::Word;
use crate::core::period::Granularity;
use crate::core::table::{Shape, TableSpec};

use super::options::{Opt, OptionError};

/// Every option `.import` takes.
pub const OPTIONS: &[Opt] = &[
    Opt::flag("--wide"),
    Opt::valued("--period", "COL"),
    Opt::valued("--values", "COL=METRIC,..."),
    Opt::valued("--labels", "COL[=KEY],..."),
    Opt::flag("--period-columns"),
    Opt::valued("--metric", "METRIC"),
    Opt::valued("--period-format", "FMT"),
    Opt::valued("--grain", "GRAIN"),
    Opt::valued("--missing", "TEXT,..."),
    Opt::flag("--percent"),
    Opt::valued("--sheet", "NAME"),
    Opt::valued("--skip", "N"),
    Opt::valued("--source", "TEXT"),
    Opt::flag("--revise"),
    Opt::flag("--dry-run"),
];

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportArgs {
    pub path: String,
    /// The header is `period,SERIES,SERIES,...`.
    pub wide: bool,
    /// `--period COL`: a long table.
    pub period: Option<String>,
    /// `--values COL=METRIC,...`.
    pub values: Vec<(String, String)>,
    /// `--labels COL[=KEY],...`.
    pub labels: Vec<(String, Option<String>)>,
    /// `--period-columns`: one column per period.
    pub period_columns: bool,
    pub metric: Option<String>,
    pub period_format: Option<String>,
    pub grain: Option<Granularity>,
    pub missing: Vec<String>,
    pub percent: bool,
    pub sheet: Option<String>,
    pub skip: u64,
    pub source: Option<String>,
    pub revise: bool,
    pub dry_run: bool,
}

/// Why `.import`'s words are not a valid import.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportArgsError {
    #[error(transparent)]
    Option(#[from] OptionError),
    #[error("no file to import")]
    NoPath,
    #[error("unexpected \"{0}\"")]
    Extra(String),
    #[error("--grain takes year, half, quarter, month, week or day; found \"{0}\"")]
    Grain(String),
    #[error("--skip takes a number of lines; found \"{0}\"")]
    Skip(String),
    /// Two options that do not go together.
    #[error(transparent)]
    Clash(#[from] OptionClash),
    #[error("unexpected text after the closing quote in {0}")]
    AfterQuote(String),
    #[error("a quote inside {text}: quote the whole name, as in \"{}\"", .text.replace('"', ""))]
    QuoteInside { text: String },
    #[error("invalid escape \"\\{escape}\" in {quoted}; expected \\\" or \\\\")]
    Escape { escape: String, quoted: String },
    #[error(
        "an empty name in a list; separate names with , and no spaces, quoting names that have spaces"
    )]
    EmptyName,
}

/// Options of `.import` that do not go together, or one that needs another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OptionClash {
    #[error("--period and --period-columns are two layouts; give one")]
    TwoLayouts,
    #[error(
        "--wide reads period,SERIES,... files; it does not go with --period or --period-columns"
    )]
    WideWithTable,
    #[error("--period needs --values COL=METRIC,... to say which columns hold values")]
    PeriodWithoutValues,
    #[error("--values goes with --period COL, the column of periods")]
    ValuesWithoutPeriod,
    #[error("--period-columns needs --metric METRIC, the metric of its values")]
    AcrossWithoutMetric,
    #[error("--metric goes with --period-columns")]
    MetricWithoutAcross,
    #[error(
        "{0} reads a table: give --period COL --values COL=METRIC,... or --period-columns --metric METRIC"
    )]
    TableOnly(&'static str),
}

/// A word as written (`raw`) and as meant (`text`: a quoted word decoded).
struct RawWord {
    raw: String,
    text: String,
    quoted: bool,
}

impl ImportArgs {
    /// The words after `.import`, from `line` (the whole command line, which
    /// the words' columns count in).
    pub fn parse(line: &str, words: &[Word]) -> Result<ImportArgs, ImportArgsError> {
        let words = raw_words(line, words);
        let mut args = ImportArgs::default();
        let mut positional = Vec::new();
        let mut given: Vec<&'static str> = Vec::new();
        let mut words = words.into_iter();
        while let Some(word) = words.next() {
            if word.quoted || !word.raw.starts_with("--") {
                positional.push(word.text);
                continue;
            }
            let (name, inline) = match word.raw.split_once('=') {
                Some((name, value)) => (name.to_string(), Some(value.to_string())),
                None => (word.raw.clone(), None),
            };
            let opt = OPTIONS
                .iter()
                .find(|opt| opt.name.eq_ignore_ascii_case(&name))
                .ok_or_else(|| OptionError::Unknown(word.raw.clone()))?;
            if given.contains(&opt.name) {
                return Err(OptionError::GivenTwice(opt.name).into());
            }
            given.push(opt.name);
            let raw = match (opt.value, inline) {
                (None, None) => None,
                (None, Some(value)) => {
                    return Err(OptionError::UnexpectedValue(opt.name, value).into());
                }
                (Some(_), Some(value)) => Some(value),
                (Some(what), None) => match words.next() {
                    Some(next) => Some(next.raw),
                    None => return Err(OptionError::MissingValue(opt.name, what).into()),
                },
            };
            args.set(opt.name, raw.as_deref())?;
        }
        let mut positional = positional.into_iter();
        args.path = positional.next().ok_or(ImportArgsError::NoPath)?;
        if let Some(extra) = positional.next() {
            return Err(ImportArgsError::Extra(extra));
        }
        args.check()?;
        Ok(args)
    }

    fn set(&mut self, name: &str, raw: Option<&str>) -> Result<(), ImportArgsError> {
        let raw = raw.unwrap_or_default();
        match name {
            "--wide" => self.wide = true,
            "--period-columns" => self.period_columns = true,
            "--percent" => self.percent = true,
            "--revise" => self.revise = true,
            "--dry-run" => self.dry_run = true,
            "--period" => self.period = Some(single(raw)?),
            "--metric" => self.metric = Some(single(raw)?),
            "--period-format" => self.period_format = Some(single(raw)?),
            "--sheet" => self.sheet = Some(single(raw)?),
            "--source" => self.source = Some(single(raw)?),
            "--grain" => {
                let word = single(raw)?;
                match Granularity::parse(&word) {
                    Some(grain) => self.grain = Some(grain),
                    None => return Err(ImportArgsError::Grain(word)),
                }
            }
            "--skip" => {
                let word = single(raw)?;
                match word.parse() {
                    Ok(n) => self.skip = n,
                    Err(_) => return Err(ImportArgsError::Skip(word)),
                }
            }
            "--missing" => {
                self.missing = list(raw, false)?
                    .into_iter()
                    .map(|(text, _)| text)
                    .collect();
            }
            "--labels" => self.labels = list(raw, true)?,
            "--values" => {
                for (column, metric) in list(raw, true)? {
                    let metric = metric.unwrap_or_else(|| column.clone());
                    self.values.push((column, metric));
                }
            }
            _ => unreachable!("every option of OPTIONS is set here"),
        }
        Ok(())
    }

    /// Options that do not go together.
    fn check(&self) -> Result<(), OptionClash> {
        let table = self.period.is_some() || self.period_columns;
        if self.period.is_some() && self.period_columns {
            return Err(OptionClash::TwoLayouts);
        }
        if self.wide && table {
            return Err(OptionClash::WideWithTable);
        }
        if self.period.is_some() && self.values.is_empty() {
            return Err(OptionClash::PeriodWithoutValues);
        }
        if !self.values.is_empty() && self.period.is_none() {
            return Err(OptionClash::ValuesWithoutPeriod);
        }
        if self.period_columns && self.metric.is_none() {
            return Err(OptionClash::AcrossWithoutMetric);
        }
        if self.metric.is_some() && !self.period_columns {
            return Err(OptionClash::MetricWithoutAcross);
        }
        if !table {
            let table_only = [
                ("--labels", !self.labels.is_empty()),
                ("--period-format", self.period_format.is_some()),
                ("--grain", self.grain.is_some()),
                ("--missing", !self.missing.is_empty()),
                ("--percent", self.percent),
            ];
            if let Some((name, _)) = table_only.iter().find(|(_, given)| *given) {
                return Err(OptionClash::TableOnly(name));
            }
        }
        Ok(())
    }

    /// How to read the table, for `--period` and `--period-columns`.
    pub fn table_spec(&self) -> Option<TableSpec> {
        let shape = match (&self.period, &self.metric) {
            (Some(period), _) => Shape::Long {
                period: period.clone(),
                values: self.values.clone(),
            },
            (None, Some(metric)) if self.period_columns => Shape::Across {
                metric: metric.clone(),
            },
            _ => return None,
        };
        Some(TableSpec {
            shape,
            labels: self.labels.clone(),
            period_format: self.period_format.clone(),
            grain: self.grain,
            missing: self.missing.clone(),
            percent: self.percent,
        })
    }
}

/// The command line's words after `.import`, each up to the next space
/// outside quotes.
fn raw_words(line: &str, words: &[Word]) -> Vec<RawWord> {
    let mut raw_words = Vec::new();
    let mut end = 0;
    for word in words {
        let start = line
            .char_indices()
            .nth(word.column - 1)
            .map_or(line.len(), |(i, _)| i);
        if start < end {
            // Part of the word before it, glued on by quotes.
            continue;
        }
        end = raw_end(line, start);
        let raw = line[start..end].to_string();
        let whole_string = word.quoted && start + quoted_len(&line[start..]) == end;
        raw_words.push(RawWord {
            text: if whole_string {
                word.text.to_string()
            } else {
                raw.clone()
            },
            raw,
            quoted: whole_string,
        });
    }
    raw_words
}

/// The end of the word at `start`: the first space outside quotes.
fn raw_end(line: &str, start: usize) -> usize {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in line[start..].char_indices() {
        if escaped {
            escaped = false;
        } else if quoted && c == '\\' {
            escaped = true;
        } else if c == '"' {
            quoted = !quoted;
        } else if c.is_whitespace() && !quoted {
            return start + i;
        }
    }
    line.len()
}

/// The length of the string that `text` starts with, quotes included.
fn quoted_len(text: &str) -> usize {
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '"' {
            return i + 1;
        }
    }
    text.len()
}

/// Splits `raw` at `sep` outside quotes.
fn split_outside_quotes(raw: &str, sep: char, limit: usize) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut quoted, mut escaped, mut from) = (false, false, 0);
    for (i, c) in raw.char_indices() {
        if escaped {
            escaped = false;
        } else if quoted && c == '\\' {
            escaped = true;
        } else if c == '"' {
            quoted = !quoted;
        } else if c == sep && !quoted && parts.len() + 1 < limit {
            parts.push(&raw[from..i]);
            from = i + c.len_utf8();
        }
    }
    parts.push(&raw[from..]);
    parts
}

/// One name or text: a quoted string decoded, else the text as written.
fn single(raw: &str) -> Result<String, ImportArgsError> {
    let raw = raw.trim();
    if raw.starts_with('"') {
        if quoted_len(raw) == raw.len() && raw.len() >= 2 && raw.ends_with('"') {
            return decode(raw);
        }
        return Err(ImportArgsError::AfterQuote(raw.to_string()));
    }
    if raw.contains('"') {
        return Err(ImportArgsError::QuoteInside {
            text: raw.to_string(),
        });
    }
    Ok(raw.to_string())
}

fn decode(quoted: &str) -> Result<String, ImportArgsError> {
    let inner = &quoted[1..quoted.len() - 1];
    let mut text = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(e @ ('"' | '\\')) => text.push(e),
                other => {
                    return Err(ImportArgsError::Escape {
                        escape: other.map(String::from).unwrap_or_default(),
                        quoted: quoted.to_string(),
                    });
                }
            }
        } else {
            text.push(c);
        }
    }
    Ok(text)
}

/// `A[=B],...` (or, without `pairs`, `A,...`), each name quoted on its own
/// or the whole value quoted.
fn list(raw: &str, pairs: bool) -> Result<Vec<(String, Option<String>)>, ImportArgsError> {
    let raw = raw.trim();
    // The whole value quoted: its text is the list.
    if raw.starts_with('"') && quoted_len(raw) == raw.len() && raw.len() >= 2 {
        let inner = decode(raw)?;
        if !inner.contains('"') {
            let items = inner
                .split(',')
                .map(|item| match item.split_once('=').filter(|_| pairs) {
                    Some((a, b)) => (a.trim().to_string(), Some(b.trim().to_string())),
                    None => (item.trim().to_string(), None),
                })
                .collect();
            return check_items(items);
        }
    }
    let mut items = Vec::new();
    for item in split_outside_quotes(raw, ',', usize::MAX) {
        let parts = split_outside_quotes(item, '=', if pairs { 2 } else { 1 });
        let name = single(parts[0])?;
        let value = parts.get(1).map(|v| single(v)).transpose()?;
        items.push((name, value));
    }
    check_items(items)
}

fn check_items(
    items: Vec<(String, Option<String>)>,
) -> Result<Vec<(String, Option<String>)>, ImportArgsError> {
    if items
        .iter()
        .any(|(a, b)| a.is_empty() || b.as_ref().is_some_and(|b| b.is_empty()))
    {
        return Err(ImportArgsError::EmptyName);
    }
    Ok(items)
}

#[cfg(test)]
mod tests;
