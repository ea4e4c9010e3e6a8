//! Tables as they come: the cells of a long or periods-across table turned
//! into snapshots, without I/O. The readers of file formats (in the render
//! layer) hand over [`TableCell`]s; this module reads periods, labels and
//! values from them ([`periods`], [`plan`]) and combines several cells that
//! fall on one series and period ([`combine`]).
//!
//! - `periods`: a period cell to a [`Period`], `--period-format`, `--grain`.
//! - `plan`: the header and the options to a [`plan::Plan`]; a row to cells.
//! - `combine`: several cells of one series and period, by the metric's kind.
use super::period::Granularity;

pub mod combine;
pub mod periods;
pub mod plan;

/// One cell of a table, as its file format gives it.
#[derive(Debug, Clone, PartialEq)]
pub enum TableCell {
    /// An empty cell, a JSON `null` or a missing key.
    Empty,
    Text(String),
    /// A JSON or spreadsheet number.
    Number(f64),
    /// A spreadsheet number formatted as a percent: already a fraction.
    Percent(f64),
    /// A spreadsheet date cell (its time of day dropped).
    Date(jiff::civil::Date),
}

impl TableCell {
    /// The cell as text: a whole number is its integer text (`1.0` is `1`),
    /// a date `YYYY-MM-DD`; `None` when empty.
    pub fn text(&self) -> Option<String> {
        match self {
            TableCell::Empty => None,
            TableCell::Text(text) => Some(text.clone()),
            TableCell::Number(n) | TableCell::Percent(n) => Some(number_text(*n)),
            TableCell::Date(date) => Some(date.to_string()),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            TableCell::Empty => true,
            TableCell::Text(text) => text.trim().is_empty(),
            _ => false,
        }
    }
}

/// A number as text: whole numbers without a fraction, others in the
/// shortest form that reads back as the same number.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e16 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// How the table is laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// `--period COL --values COL=METRIC,...`: one row per period.
    Long {
        period: String,
        values: Vec<(String, String)>,
    },
    /// `--period-columns --metric METRIC`: one column per period.
    Across { metric: String },
}

/// The options of `.import` that say how to read a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSpec {
    pub shape: Shape,
    /// Label columns, each with its key when given as `COL=KEY`.
    pub labels: Vec<(String, Option<String>)>,
    pub period_format: Option<String>,
    pub grain: Option<Granularity>,
    /// Value texts that mean "no value" (`NA`, `..`).
    pub missing: Vec<String>,
    /// Value cells are percents (`3.7` is 0.037).
    pub percent: bool,
}
