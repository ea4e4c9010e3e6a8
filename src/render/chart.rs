//! `chart`: a [`ChartPlan`] drawn with plotters, as SVG.
use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::prelude::*;

use crate::core::chart::{Chart, ChartPlan};

const SIZE: (u32, u32) = (960, 540);
/// Height of the title and subtitle above the plot.
const HEADER: u32 = 64;
const FONT: &str = "sans-serif";

/// Ten colours told apart at a glance (the common "category 10" set).
const PALETTE: [RGBColor; 10] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0xd6, 0x27, 0x28),
    RGBColor(0x94, 0x67, 0xbd),
    RGBColor(0x8c, 0x56, 0x4b),
    RGBColor(0xe3, 0x77, 0xc2),
    RGBColor(0x7f, 0x7f, 0x7f),
    RGBColor(0xbc, 0xbd, 0x22),
    RGBColor(0x17, 0xbe, 0xcf),
];

/// Why a chart could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChartError {
    #[error("cannot draw the chart: no values")]
    NoValues,
    /// plotters' own words.
    #[error("cannot draw the chart: {0}")]
    Drawing(String),
}

fn fail(e: impl std::fmt::Display) -> ChartError {
    ChartError::Drawing(e.to_string())
}

/// The chart as an SVG document.
pub fn chart_svg(chart: &Chart) -> Result<String, ChartError> {
    let plan = chart.plan().ok_or(ChartError::NoValues)?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        draw(&root, &plan)?;
        root.present().map_err(fail)?;
    }
    Ok(svg)
}

/// The plan on `root`: title and subtitle on top, the legend (when there
/// is more than one line) in a column right of the plot, outside it.
fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    plan: &ChartPlan,
) -> Result<(), ChartError> {
    root.fill(&WHITE).map_err(fail)?;
    let (header, body) = root.split_vertically(HEADER);
    header
        .draw(&Text::new(
            plan.title.as_str(),
            (16, 10),
            (FONT, 22).into_font().style(FontStyle::Bold),
        ))
        .map_err(fail)?;
    header
        .draw(&Text::new(
            plan.subtitle.as_str(),
            (16, 40),
            (FONT, 14).into_font().color(&RGBColor(0x55, 0x55, 0x55)),
        ))
        .map_err(fail)?;

    let legend_width = plan.legend_title.as_ref().map(|title| {
        let longest = plan
            .lines
            .iter()
            .map(|l| l.legend.chars().count() + 4)
            .chain([title.chars().count()])
            .max()
            .unwrap_or(0);
        (longest as u32 * 7 + 32).clamp(120, 340)
    });
    let (plot_area, legend_area) = match legend_width {
        Some(width) => {
            let (plot, legend) = body.split_horizontally(SIZE.0 - width);
            (plot, Some(legend))
        }
        None => (body.clone(), None),
    };

    let y_label_chars = plan
        .y_ticks
        .iter()
        .map(|t| t.label.len())
        .max()
        .unwrap_or(1);
    let (x_low, x_high) = plan.x_range;
    let (y_low, y_high) = plan.y_range;
    let x_keys: Vec<f64> = plan.x_ticks.iter().map(|t| t.at).collect();
    let y_keys: Vec<f64> = plan.y_ticks.iter().map(|t| t.at).collect();
    let mut plot = ChartBuilder::on(&plot_area)
        .margin_top(8)
        .margin_left(16)
        .margin_right(24)
        .margin_bottom(12)
        .x_label_area_size(44)
        .y_label_area_size(y_label_chars as u32 * 8 + 40)
        .build_cartesian_2d(
            Axis {
                range: x_low..x_high,
                keys: x_keys,
            },
            Axis {
                range: y_low..y_high,
                keys: y_keys,
            },
        )
        .map_err(fail)?;
    let x_label = |at: &f64| label_at(&plan.x_ticks, *at);
    let y_label = |at: &f64| label_at(&plan.y_ticks, *at);
    plot.configure_mesh()
        .x_desc("period")
        .y_desc(plan.y_title.as_str())
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(0xe4, 0xe4, 0xe4))
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 14))
        .draw()
        .map_err(fail)?;
    for (index, line) in plan.lines.iter().enumerate() {
        let color = PALETTE[index % PALETTE.len()];
        plot.draw_series(LineSeries::new(
            line.points.iter().copied(),
            color.stroke_width(2),
        ))
        .map_err(fail)?;
    }

    if let (Some(area), Some(title)) = (legend_area, &plan.legend_title) {
        area.draw(&Text::new(
            title.as_str(),
            (8, 12),
            (FONT, 13).into_font().style(FontStyle::Bold),
        ))
        .map_err(fail)?;
        for (index, line) in plan.lines.iter().enumerate() {
            let color = PALETTE[index % PALETTE.len()];
            let y = 40 + 22 * index as i32;
            area.draw(&PathElement::new(
                vec![(8, y), (28, y)],
                color.stroke_width(3),
            ))
            .map_err(fail)?;
            area.draw(&Text::new(line.legend.as_str(), (36, y - 7), (FONT, 13)))
                .map_err(fail)?;
        }
    }
    Ok(())
}

/// The label of the tick at `at`: plotters hands back the key points it
/// was given.
fn label_at(ticks: &[crate::core::chart::Tick], at: f64) -> String {
    ticks
        .iter()
        .find(|t| t.at == at)
        .map(|t| t.label.clone())
        .unwrap_or_default()
}

/// A linear axis whose ticks are the plan's, not plotters' own.
struct Axis {
    range: Range<f64>,
    keys: Vec<f64>,
}

impl Ranged for Axis {
    type ValueType = f64;
    type FormatOption = DefaultFormatting;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let share = (value - self.range.start) / (self.range.end - self.range.start);
        limit.0 + (f64::from(limit.1 - limit.0) * share).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.keys.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.range.clone()
    }
}
