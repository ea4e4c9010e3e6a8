//! `chart`: a line chart of series as SVG, drawn with plotters.
use plotters::prelude::*;

use crate::core::chart::Chart;
use crate::core::period::date_from_day_number;

const SIZE: (u32, u32) = (960, 540);

/// Why a chart could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChartError {
    #[error("cannot draw the chart: no values")]
    NoValues,
    /// plotters' own words.
    #[error("cannot draw the chart: {0}")]
    Drawing(String),
}

/// The chart as an SVG document: a title, axes labelled with periods and
/// the unit, one line per series with a legend; ratios in percent.
pub fn chart_svg(chart: &Chart) -> Result<String, ChartError> {
    let fail = |e: &dyn std::fmt::Display| ChartError::Drawing(e.to_string());
    let scale = if chart.percent { 100.0 } else { 1.0 };
    let points = chart.lines.iter().flat_map(|line| &line.points);
    let (mut x_low, mut x_high) = (f64::INFINITY, f64::NEG_INFINITY);
    let (mut y_low, mut y_high) = (f64::INFINITY, f64::NEG_INFINITY);
    for (period, value) in points {
        x_low = x_low.min(f64::from(period.start_day()));
        x_high = x_high.max(f64::from(period.end_day()));
        y_low = y_low.min(value * scale);
        y_high = y_high.max(value * scale);
    }
    if !x_low.is_finite() || !y_low.is_finite() {
        return Err(ChartError::NoValues);
    }
    // Room above and below the lines, and a range even for one value.
    let pad = ((y_high - y_low) * 0.08).max(y_high.abs().max(1.0) * 0.01);
    let (y_low, y_high) = (y_low - pad, y_high + pad);
    let y_desc = match (&chart.unit, chart.percent) {
        (_, true) => "percent".to_string(),
        (Some(unit), false) => unit.clone(),
        (None, false) => "value".to_string(),
    };

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(&e))?;
        let mut plot = ChartBuilder::on(&root)
            .caption(&chart.title, ("sans-serif", 24))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(96)
            .build_cartesian_2d(x_low..x_high, y_low..y_high)
            .map_err(|e| fail(&e))?;
        // Ticks name the period they fall in, as coarse as the span allows.
        let tick_format = match x_high - x_low {
            days if days > 3.0 * 365.0 => "%Y",
            days if days > 90.0 => "%Y-%m",
            _ => "%Y-%m-%d",
        };
        let day = |x: &f64| {
            date_from_day_number(x.round() as i32)
                .map_or_else(String::new, |d| d.strftime(tick_format).to_string())
        };
        let value = |y: &f64| {
            if chart.percent {
                format!("{y:.1}%")
            } else {
                format!("{y}")
            }
        };
        plot.configure_mesh()
            .x_desc("period")
            .y_desc(y_desc)
            .x_labels(8)
            .x_label_formatter(&day)
            .y_label_formatter(&value)
            .draw()
            .map_err(|e| fail(&e))?;
        for (index, line) in chart.lines.iter().enumerate() {
            let color = Palette99::pick(index).to_rgba();
            let points = line
                .points
                .iter()
                .map(|(period, v)| (period.midpoint(), v * scale));
            plot.draw_series(LineSeries::new(points, color.stroke_width(2)))
                .map_err(|e| fail(&e))?
                .label(line.name.as_str())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 4), (x + 16, y + 4)], color.filled())
                });
        }
        plot.configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .draw()
            .map_err(|e| fail(&e))?;
        root.present().map_err(|e| fail(&e))?;
    }
    Ok(svg)
}
