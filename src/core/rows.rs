//! Query results as plain data: named columns and typed cells.
//!
//! Cells carry what a number *means* (a fraction, a percentage, a multiple),
//! so that each output format can show it its own way: machine formats print
//! the full-precision value, `table` and `markdown` print `+900.0%` or `10.00x`.

use std::borrow::Cow;

/// How a number is meant, which decides how people see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberStyle {
    /// A plain quantity: thousands separators for people.
    Plain,
    /// A signed difference of quantities: `+1,234`.
    Change,
    /// A ratio metric's value, stored as a fraction: `70.0%` for people.
    Fraction,
    /// A difference of fractions: `+5.0pp`-style for people (shown as percent points).
    FractionChange,
    /// Already a percentage: `+900.0%` for people.
    Percent,
    /// Percentage points: `+5.0pp` for people.
    PercentPoints,
    /// A multiple: `10.00x` for people.
    Multiple,
    /// A number of years: `1.00` for people.
    Years,
}

impl NumberStyle {
    /// The style of a metric's value: a fraction for a ratio metric.
    pub fn value(ratio: bool) -> NumberStyle {
        if ratio {
            NumberStyle::Fraction
        } else {
            NumberStyle::Plain
        }
    }

    /// The style of a difference of a metric's values.
    pub fn change(ratio: bool) -> NumberStyle {
        if ratio {
            NumberStyle::FractionChange
        } else {
            NumberStyle::Change
        }
    }
}

/// Inserts `,` every three digits of an unsigned integer's digits.
pub fn group_digits(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Text(String),
    Int(i64),
    Number(f64, NumberStyle),
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell::Text(text.into())
    }

    /// A number, or null when absent or not finite (JSON has no NaN).
    pub fn number(value: Option<f64>, style: NumberStyle) -> Cell {
        match value {
            Some(v) if v.is_finite() => Cell::Number(v, style),
            _ => Cell::Null,
        }
    }

    /// Text, or null when absent or empty.
    pub fn opt_text(text: Option<impl Into<String>>) -> Cell {
        match text.map(Into::into) {
            Some(t) if !t.is_empty() => Cell::Text(t),
            _ => Cell::Null,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Cell::Null)
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Cell::Int(i) => Some(*i as f64),
            Cell::Number(v, _) => Some(*v),
            _ => None,
        }
    }
}

/// The rows one command returns.
#[derive(Debug, Clone, PartialEq)]
pub struct Rows {
    /// Column names: the fixed fields of a command, or the names a `.sql`
    /// query gave its columns.
    pub columns: Vec<Cow<'static, str>>,
    pub rows: Vec<Vec<Cell>>,
    /// Lines for people shown after the rows in `table` and `markdown`
    /// (a sparkline per series); machine formats leave them out.
    pub footer: Vec<String>,
}

impl Rows {
    /// Rows with columns named at run time (`.sql`).
    pub fn named(columns: Vec<String>) -> Rows {
        Rows {
            columns: columns.into_iter().map(Cow::Owned).collect(),
            rows: Vec::new(),
            footer: Vec::new(),
        }
    }

    pub fn new(columns: &[&'static str]) -> Rows {
        Rows {
            columns: columns.iter().map(|c| Cow::Borrowed(*c)).collect(),
            rows: Vec::new(),
            footer: Vec::new(),
        }
    }

    /// Adds a row; it must have one cell per column.
    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }
}
