//! Which column is what: the header read against the options, then each
//! row read into labels and value cells.
use super::periods::PeriodReader;
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
    missing: Vec<String>,
    percent: bool,
}

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

/// A problem with one cell: its column, and what is wrong.
pub type CellError = (usize, String);

impl Plan {
    /// The plan for a table with `header`; an error names the column.
    pub fn new(spec: &TableSpec, header: &[String]) -> Result<Plan, CellError> {
        let header: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
        let periods = PeriodReader::new(spec.period_format.as_deref(), spec.grain)
            .map_err(|e| (0, e.to_string()))?;
        let mut plan = Plan {
            header: header.clone(),
            period: None,
            values: Vec::new(),
            metrics: Vec::new(),
            labels: Vec::new(),
            source: None,
            blank_last: None,
            periods,
            missing: spec.missing.iter().map(|m| m.trim().to_string()).collect(),
            percent: spec.percent,
        };
        let mut used = vec![false; header.len()];
        for (name, key) in &spec.labels {
            let column = find_column(&header, name)?;
            let key = match key {
                Some(key) if is_label_key(key) => key.clone(),
                Some(key) => {
                    return Err((
                        column,
                        format!(
                            "\"{key}\" is not a label key; a key is lowercase letters, digits and _, starting with a letter or _"
                        ),
                    ));
                }
                None if is_label_key(&header[column]) => header[column].clone(),
                None => {
                    return Err((
                        column,
                        format!(
                            "column \"{}\" is not a label key; name one with --labels {}={}",
                            header[column],
                            quote_name(&header[column]),
                            suggest_key(&header[column])
                        ),
                    ));
                }
            };
            if plan.labels.iter().any(|(_, k)| *k == key) {
                return Err((column, format!("label key \"{key}\" is given twice")));
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
                        .map_err(|e| (column, e.to_string()))?;
                    plan.values.push(ValueColumn {
                        column,
                        metric,
                        period: None,
                    });
                }
            }
            Shape::Across { metric } => {
                let metric = plan.metric_index(metric).map_err(|e| (0, e.to_string()))?;
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
                        return Err((
                            column,
                            format!("column {} has no header; name it, or remove it", column + 1),
                        ));
                    }
                    let Some(exact) = plan.header_period(name) else {
                        return Err((
                            column,
                            format!(
                                "column \"{name}\" is neither a period nor named in --labels; add it to --labels{}",
                                if is_label_key(name) {
                                    format!(" as {name}")
                                } else {
                                    format!(", as {}={}", quote_name(name), suggest_key(name))
                                }
                            ),
                        ));
                    };
                    let period = plan
                        .periods
                        .to_grain(exact)
                        .map_err(|e| (column, format!("column \"{name}\": {e}")))?;
                    used[column] = true;
                    plan.values.push(ValueColumn {
                        column,
                        metric,
                        period: Some((exact, period)),
                    });
                }
                if plan.values.is_empty() {
                    return Err((
                        0,
                        "no column header reads as a period; expected headers such as 2000 or 2000 [YR2000]"
                            .to_string(),
                    ));
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
    /// into `cells`. Of several bad cells, the leftmost is reported.
    pub fn read_row(
        &self,
        row: &[TableCell],
        labels: &mut Vec<String>,
        cells: &mut Vec<PlannedCell>,
    ) -> Result<(), CellError> {
        labels.clear();
        cells.clear();
        let empty = TableCell::Empty;
        let cell = |column: usize| row.get(column).unwrap_or(&empty);
        let mut first_error: Option<CellError> = None;
        let mut fail = |column: usize, message: String| {
            if first_error.as_ref().is_none_or(|(c, _)| column < *c) {
                first_error = Some((column, message));
            }
        };
        let named = |column: usize, message: String| {
            let header = &self.header[column];
            format!("column \"{header}\": {message}")
        };
        for &(column, _) in &self.labels {
            match cell(column).text().map(|t| t.trim().to_string()) {
                Some(text) if !text.is_empty() => labels.push(text),
                _ => fail(column, named(column, "the label is empty".to_string())),
            }
        }
        let row_period = match self.period {
            Some(column) => match self
                .periods
                .read_exact(cell(column))
                .and_then(|exact| self.periods.to_grain(exact).map(|period| (exact, period)))
            {
                Ok(periods) => Some(periods),
                Err(error) => {
                    fail(column, named(column, error.to_string()));
                    None
                }
            },
            None => None,
        };
        if let Some(column) = self.blank_last
            && let Some(text) = cell(column).text().filter(|t| !t.trim().is_empty())
        {
            fail(
                column,
                format!("column {} has no header but holds \"{text}\"", column + 1),
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
                Err(message) => fail(column, named(column, message)),
            }
        }
        match first_error {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// A value cell's number, `None` for an empty or missing one.
    fn value(&self, cell: &TableCell) -> Result<Option<f64>, String> {
        match cell {
            TableCell::Empty => Ok(None),
            // The decimal digits, shifted: 10.8 is exactly the double nearest 0.108.
            TableCell::Number(n) if self.percent => Ok(Some(
                parse_value(&format!("{}%", super::number_text(*n))).unwrap_or(n / 100.0),
            )),
            TableCell::Number(n) => Ok(Some(*n)),
            TableCell::Percent(n) => Ok(Some(*n)),
            TableCell::Date(date) => Err(format!("the date {date} is not a value")),
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
                parsed.map(Some).map_err(|_| not_a_value(text))
            }
        }
    }
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
    const SHOWN: usize = 12;
    let mut list: Vec<String> = header.iter().take(SHOWN).map(|h| quote_name(h)).collect();
    if header.len() > SHOWN {
        list.push("...".to_string());
    }
    Err((
        0,
        format!(
            "no column \"{name}\" in the header; its columns are {}",
            list.join(", ")
        ),
    ))
}

fn use_column(used: &mut [bool], column: usize, header: &[String]) -> Result<(), CellError> {
    if std::mem::replace(&mut used[column], true) {
        return Err((
            column,
            format!(
                "column \"{}\" is named twice in the options",
                header[column]
            ),
        ));
    }
    if header.iter().filter(|h| **h == header[column]).count() > 1 {
        return Err((
            column,
            format!("column \"{}\" appears twice in the header", header[column]),
        ));
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
