//! Which column is what: the header read against the options, then each
//! row read into labels and value cells.
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

use super::periods::{PeriodCellError, PeriodReader};
use super::{Shape, TableCell, TableSpec};
use crate::core::labels::is_label_key;
use crate::core::parser::{NameError, check_metric};
use crate::core::period::Period;
use crate::core::value::parse_value;

/// How to read each row of one table.
#[derive(Debug, Clone)]
pub struct Plan {
    header: Vec<String>,
    /// The period column of a long table.
    period: Option<usize>,
    /// The value columns and the index of each one's metric.
    values: Vec<ValueColumn>,
    metrics: Vec<String>,
    /// Label columns and their keys, in the order given.
    labels: Vec<(usize, String)>,
    /// A `source` column not otherwise named.
    source: Option<usize>,
    /// A last column without a header, whose cells must all be empty.
    blank_last: Option<usize>,
    periods: PeriodReader,
    /// Period texts read before, with what they read as: a long table
    /// repeats the same few periods on every row.
    period_texts: RefCell<HashMap<String, (Period, Period)>>,
    missing: Vec<String>,
    percent: bool,
}

/// How many period texts [`Plan::read_row`] remembers.
const PERIOD_TEXTS: usize = 4096;

#[derive(Debug, Clone)]
struct ValueColumn {
    column: usize,
    metric: usize,
    /// The period of a periods-across column: as named, and as recorded.
    period: Option<(Period, Period)>,
}

/// One value a row holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlannedCell {
    /// The column it came from.
    pub column: usize,
    /// Its metric, an index into [`Plan::metrics`].
    pub metric: usize,
    /// The period it is recorded as (after `--grain`).
    pub period: Period,
    /// The period the cell itself names.
    pub exact: Period,
    pub value: f64,
}

/// A problem with one cell or header: its column, and what is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{problem}")]
pub struct CellError {
    pub column: usize,
    #[source]
    pub problem: CellProblem,
}

/// What is wrong with a header against the options, or with a row's cell.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CellProblem {
    /// `--period-format` or `--grain` that cannot be used.
    #[error(transparent)]
    Periods(PeriodCellError),
    #[error(
        "\"{0}\" is not a label key; a key is lowercase letters, digits and _, starting with a letter or _"
    )]
    NotAKey(String),
    #[error(
        "column \"{header}\" is not a label key; name one with --labels {}={}",
        quote_name(header),
        suggest_key(header)
    )]
    HeaderNotAKey { header: String },
    #[error("label key \"{0}\" is given twice")]
    KeyTwice(String),
    #[error(transparent)]
    Metric(#[from] NameError),
    /// A header cell left empty, counted from 1.
    #[error("column {0} has no header; name it, or remove it")]
    NoHeader(usize),
    #[error(
        "column \"{header}\" is neither a period nor named in --labels; add it to --labels{}",
        label_hint(header)
    )]
    NeitherPeriodNorLabel { header: String },
    /// A periods-across header whose period does not fit `--grain`.
    #[error("column \"{header}\": {source}")]
    HeaderPeriod {
        header: String,
        source: PeriodCellError,
    },
    #[error("no column header reads as a period; expected headers such as 2000 or 2000 [YR2000]")]
    NoPeriodHeader,
    #[error(
        "no column \"{name}\" in the header; its columns are {}",
        shown_columns(columns)
    )]
    NoColumn { name: String, columns: Vec<String> },
    #[error("column \"{0}\" is named twice in the options")]
    NamedTwice(String),
    #[error("column \"{0}\" appears twice in the header")]
    HeaderTwice(String),
    /// A row's cell, under its column's header.
    #[error("column \"{header}\": {source}")]
    InColumn { header: String, source: BadCell },
    /// A cell under the blank last header, counted from 1.
    #[error("column {column} has no header but holds \"{text}\"")]
    Unheaded { column: usize, text: String },
}

/// What is wrong with one cell of a row.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BadCell {
    #[error("the label is empty")]
    EmptyLabel,
    #[error(transparent)]
    Period(#[from] PeriodCellError),
    #[error("the date {0} is not a value")]
    Date(jiff::civil::Date),
    #[error("{}", not_a_value(text))]
    NotAValue { text: String },
}

impl CellError {
    fn new(column: usize, problem: impl Into<CellProblem>) -> CellError {
        CellError {
            column,
            problem: problem.into(),
        }
    }
}

impl Plan {
    /// The plan for a table with `header`; an error names the column.
    pub fn new(spec: &TableSpec, header: &[String]) -> Result<Plan, CellError> {
        let header: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
        let periods = PeriodReader::new(spec.period_format.as_deref(), spec.grain)
            .map_err(|e| CellError::new(0, CellProblem::Periods(e)))?;
        let mut plan = Plan {
            header: header.clone(),
            period: None,
            values: Vec::new(),
            metrics: Vec::new(),
            labels: Vec::new(),
            source: None,
            blank_last: None,
            periods,
            period_texts: RefCell::new(HashMap::new()),
            missing: spec.missing.iter().map(|m| m.trim().to_string()).collect(),
            percent: spec.percent,
        };
        let mut used = vec![false; header.len()];
        for (name, key) in &spec.labels {
            let column = find_column(&header, name)?;
            let key = match key {
                Some(key) if is_label_key(key) => key.clone(),
                Some(key) => {
                    return Err(CellError::new(column, CellProblem::NotAKey(key.clone())));
                }
                None if is_label_key(&header[column]) => header[column].clone(),
                None => {
                    let header = header[column].clone();
                    return Err(CellError::new(
                        column,
                        CellProblem::HeaderNotAKey { header },
                    ));
                }
            };
            if plan.labels.iter().any(|(_, k)| *k == key) {
                return Err(CellError::new(column, CellProblem::KeyTwice(key)));
            }
            use_column(&mut used, column, &header)?;
            plan.labels.push((column, key));
        }
        match &spec.shape {
            Shape::Long { period, values } => {
                let column = find_column(&header, period)?;
                use_column(&mut used, column, &header)?;
                plan.period = Some(column);
                for (name, metric) in values {
                    let column = find_column(&header, name)?;
                    use_column(&mut used, column, &header)?;
                    let metric = plan
                        .metric_index(metric)
                        .map_err(|e| CellError::new(column, e))?;
                    plan.values.push(ValueColumn {
                        column,
                        metric,
                        period: None,
                    });
                }
            }
            Shape::Across { metric } => {
                let metric = plan
                    .metric_index(metric)
                    .map_err(|e| CellError::new(0, e))?;
                for (column, name) in header.iter().enumerate() {
                    if used[column] {
                        continue;
                    }
                    if name.eq_ignore_ascii_case("source") {
                        continue;
                    }
                    if name.is_empty() {
                        if column + 1 == header.len() {
                            plan.blank_last = Some(column);
                            continue;
                        }
                        return Err(CellError::new(column, CellProblem::NoHeader(column + 1)));
                    }
                    let Some(exact) = plan.header_period(name) else {
                        return Err(CellError::new(
                            column,
                            CellProblem::NeitherPeriodNorLabel {
                                header: name.clone(),
                            },
                        ));
                    };
                    let period = plan.periods.to_grain(exact).map_err(|source| {
                        let header = name.clone();
                        CellError::new(column, CellProblem::HeaderPeriod { header, source })
                    })?;
                    used[column] = true;
                    plan.values.push(ValueColumn {
                        column,
                        metric,
                        period: Some((exact, period)),
                    });
                }
                if plan.values.is_empty() {
                    return Err(CellError::new(0, CellProblem::NoPeriodHeader));
                }
            }
        }
        plan.source = header
            .iter()
            .enumerate()
            .find(|(i, h)| !used[*i] && h.eq_ignore_ascii_case("source"))
            .map(|(i, _)| i);
        if let Shape::Long { .. } = spec.shape {
            plan.values.sort_by_key(|v| v.column);
        }
        Ok(plan)
    }

    fn metric_index(&mut self, metric: &str) -> Result<usize, NameError> {
        check_metric(metric)?;
        Ok(match self.metrics.iter().position(|m| m == metric) {
            Some(index) => index,
            None => {
                self.metrics.push(metric.to_string());
                self.metrics.len() - 1
            }
        })
    }

    /// The period a periods-across header names: the whole header, or its
    /// first word (`2000 [YR2000]`).
    fn header_period(&self, name: &str) -> Option<Period> {
        let cell = |text: &str| TableCell::Text(text.to_string());
        if let Ok(period) = self.periods.read_exact(&cell(name)) {
            return Some(period);
        }
        let first = name.split_whitespace().next()?;
        self.periods.read_exact(&cell(first)).ok()
    }

    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The metrics the table records, in the order first named.
    pub fn metrics(&self) -> &[String] {
        &self.metrics
    }

    /// The label keys, in the order the labels of [`Plan::read_row`] come.
    pub fn label_keys(&self) -> impl Iterator<Item = &str> {
        self.labels.iter().map(|(_, k)| k.as_str())
    }

    /// The column of per-row sources, if the file has one.
    pub fn source_column(&self) -> Option<usize> {
        self.source
    }

    /// Reads one row: the label texts into `labels` and the values it holds
    /// into `cells`. Of several bad cells, the leftmost is reported. The
    /// label texts are written over the previous row's, and the answer says
    /// whether they differ from them (rows of one series run in a row).
    pub fn read_row(
        &self,
        row: &[TableCell],
        labels: &mut Vec<String>,
        cells: &mut Vec<PlannedCell>,
    ) -> Result<bool, CellError> {
        cells.clear();
        let empty = TableCell::Empty;
        let cell = |column: usize| row.get(column).unwrap_or(&empty);
        let mut first_error: Option<CellError> = None;
        let mut fail = |column: usize, problem: CellProblem| {
            if first_error.as_ref().is_none_or(|e| column < e.column) {
                first_error = Some(CellError::new(column, problem));
            }
        };
        let named = |column: usize, source: BadCell| CellProblem::InColumn {
            header: self.header[column].clone(),
            source,
        };
        let mut changed = labels.len() != self.labels.len();
        labels.resize(self.labels.len(), String::new());
        for (&(column, _), label) in self.labels.iter().zip(labels.iter_mut()) {
            match label_text(cell(column)) {
                Some(text) if !text.is_empty() => {
                    if *label != *text {
                        label.clear();
                        label.push_str(&text);
                        changed = true;
                    }
                }
                _ => fail(column, named(column, BadCell::EmptyLabel)),
            }
        }
        let row_period = match self.period {
            Some(column) => match self.read_period(cell(column)) {
                Ok(periods) => Some(periods),
                Err(error) => {
                    fail(column, named(column, BadCell::Period(error)));
                    None
                }
            },
            None => None,
        };
        if let Some(column) = self.blank_last
            && let Some(text) = cell(column).text().filter(|t| !t.trim().is_empty())
        {
            let column_number = column + 1;
            fail(
                column,
                CellProblem::Unheaded {
                    column: column_number,
                    text,
                },
            );
        }
        for value_column in &self.values {
            let column = value_column.column;
            match self.value(cell(column)) {
                Ok(None) => {}
                Ok(Some(value)) => {
                    let Some((exact, period)) = value_column.period.or(row_period) else {
                        continue;
                    };
                    cells.push(PlannedCell {
                        column,
                        metric: value_column.metric,
                        period,
                        exact,
                        value,
                    });
                }
                Err(bad) => fail(column, named(column, bad)),
            }
        }
        match first_error {
            Some(error) => Err(error),
            None => Ok(changed),
        }
    }

    /// A period cell: the period it names and the period it is recorded as.
    fn read_period(&self, cell: &TableCell) -> Result<(Period, Period), PeriodCellError> {
        let read = |cell: &TableCell| {
            let exact = self.periods.read_exact(cell)?;
            Ok((exact, self.periods.to_grain(exact)?))
        };
        let TableCell::Text(text) = cell else {
            return read(cell);
        };
        let text = text.trim();
        if let Some(&periods) = self.period_texts.borrow().get(text) {
            return Ok(periods);
        }
        let periods = read(cell)?;
        let mut known = self.period_texts.borrow_mut();
        if known.len() >= PERIOD_TEXTS {
            known.clear();
        }
        known.insert(text.to_string(), periods);
        Ok(periods)
    }

    /// A value cell's number, `None` for an empty or missing one.
    fn value(&self, cell: &TableCell) -> Result<Option<f64>, BadCell> {
        match cell {
            TableCell::Empty => Ok(None),
            // The decimal digits, shifted: 10.8 is exactly the double nearest 0.108.
            TableCell::Number(n) if self.percent => Ok(Some(
                parse_value(&format!("{}%", super::number_text(*n))).unwrap_or(n / 100.0),
            )),
            TableCell::Number(n) => Ok(Some(*n)),
            TableCell::Percent(n) => Ok(Some(*n)),
            TableCell::Date(date) => Err(BadCell::Date(*date)),
            TableCell::Text(text) => {
                let text = text.trim();
                if text.is_empty() || self.missing.iter().any(|m| m == text) {
                    return Ok(None);
                }
                // `70%` is already a fraction, with --percent or without.
                let percent = self.percent && !text.ends_with('%');
                let parsed = if percent {
                    parse_value(&format!("{text}%"))
                } else {
                    parse_value(text)
                };
                parsed.map(Some).map_err(|_| BadCell::NotAValue {
                    text: text.to_string(),
                })
            }
        }
    }
}

/// A label cell's text, trimmed; `None` when empty.
fn label_text(cell: &TableCell) -> Option<Cow<'_, str>> {
    match cell {
        TableCell::Text(text) => Some(Cow::Borrowed(text.trim())),
        other => other.text().map(|t| Cow::Owned(t.trim().to_string())),
    }
}

/// The hint after a periods-across header that is not a label either.
fn label_hint(name: &str) -> String {
    if is_label_key(name) {
        format!(" as {name}")
    } else {
        format!(", as {}={}", quote_name(name), suggest_key(name))
    }
}

/// The first headers, as they would be written in an option.
fn shown_columns(header: &[String]) -> String {
    const SHOWN: usize = 12;
    let mut list: Vec<String> = header.iter().take(SHOWN).map(|h| quote_name(h)).collect();
    if header.len() > SHOWN {
        list.push("...".to_string());
    }
    list.join(", ")
}

/// The error for a value cell that is not a number, with the likely fix.
fn not_a_value(text: &str) -> String {
    let grouped = text.contains(',')
        && text
            .trim_start_matches(['-', '+'])
            .split(',')
            .enumerate()
            .all(|(i, part)| {
                let digits = part.split('.').next().unwrap_or("");
                !digits.is_empty()
                    && digits.bytes().all(|b| b.is_ascii_digit())
                    && (i == 0 || digits.len() == 3)
            });
    if grouped {
        return format!(
            "\"{text}\" is not a value; remove the thousands separators ({})",
            text.replace(',', "")
        );
    }
    format!(
        "\"{text}\" is not a value; if it marks a missing value add --missing {}",
        quote_name(text)
    )
}

/// A column's index by its header: the exact text, else the one header
/// equal to it ignoring case.
fn find_column(header: &[String], name: &str) -> Result<usize, CellError> {
    if let Some(i) = header.iter().position(|h| h == name) {
        return Ok(i);
    }
    let folded: Vec<usize> = (0..header.len())
        .filter(|&i| header[i].eq_ignore_ascii_case(name.trim()))
        .collect();
    if let [i] = folded.as_slice() {
        return Ok(*i);
    }
    Err(CellError::new(
        0,
        CellProblem::NoColumn {
            name: name.to_string(),
            columns: header.to_vec(),
        },
    ))
}

fn use_column(used: &mut [bool], column: usize, header: &[String]) -> Result<(), CellError> {
    if std::mem::replace(&mut used[column], true) {
        let name = header[column].clone();
        return Err(CellError::new(column, CellProblem::NamedTwice(name)));
    }
    if header.iter().filter(|h| **h == header[column]).count() > 1 {
        let name = header[column].clone();
        return Err(CellError::new(column, CellProblem::HeaderTwice(name)));
    }
    Ok(())
}

/// A column name or text as it must be written in an option.
pub fn quote_name(name: &str) -> String {
    if name.is_empty() || name.contains([' ', ',', '=', ';', '#', '"', '\t']) {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        name.to_string()
    }
}

/// A label key made from a header: `Country Name` gives `country_name`.
fn suggest_key(header: &str) -> String {
    let mut key = String::new();
    for c in header.chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c.to_ascii_lowercase());
        } else if !key.ends_with('_') {
            key.push('_');
        }
    }
    let key = key.trim_matches('_').to_string();
    if key.is_empty() || key.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{key}")
    } else {
        key
    }
}

#[cfg(test)]
mod tests;
