//! What a chart shows, as plain data: lines of values over periods.
use super::period::Period;

/// A line chart of one or more series, for the render layer to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub title: String,
    /// The metrics' unit, for the value axis.
    pub unit: Option<String>,
    /// Ratio metrics: values are fractions, drawn as percents.
    pub percent: bool,
    pub lines: Vec<ChartLine>,
}

/// One series: its values in period order.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartLine {
    pub name: String,
    pub points: Vec<(Period, f64)>,
}
