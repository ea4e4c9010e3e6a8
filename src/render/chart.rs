//! `chart`: a [`ChartPlan`] drawn with plotters, as SVG or PNG.
use std::ops::Range;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::prelude::*;

use crate::core::chart::{Chart, ChartPlan, Tick};

/// The SVG's size; a PNG is drawn twice as large, for slides.
const SIZE: (u32, u32) = (960, 540);
const PNG_SCALE: u32 = 2;
/// Height of the title and subtitle above the plot.
const HEADER: u32 = 64;
const FONT: &str = "sans-serif";
/// The font text is measured with, and drawn with in a PNG: bundled, so
/// that no system font is needed.
static FONT_DATA: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

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

/// The line at zero on a chart of changes: darker than the grid.
const ZERO_LINE: RGBColor = RGBColor(0x44, 0x44, 0x44);

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

/// Whether a chart's file is drawn as PNG (by its name; SVG otherwise).
pub fn is_png_path(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".png")
}

/// The chart as the file named `path` holds it: PNG for a `.png`, SVG
/// otherwise.
pub fn chart_file(chart: &Chart, path: &str) -> Result<Vec<u8>, ChartError> {
    if is_png_path(path) {
        chart_png(chart)
    } else {
        chart_svg(chart).map(String::into_bytes)
    }
}

/// The chart as an SVG document.
pub fn chart_svg(chart: &Chart) -> Result<String, ChartError> {
    let plan = chart.plan().ok_or(ChartError::NoValues)?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        draw(&root, &plan, 1)?;
        root.present().map_err(fail)?;
    }
    Ok(svg)
}

/// The chart as a PNG image, twice the SVG's size.
pub fn chart_png(chart: &Chart) -> Result<Vec<u8>, ChartError> {
    let plan = chart.plan().ok_or(ChartError::NoValues)?;
    let (width, height) = (SIZE.0 * PNG_SCALE, SIZE.1 * PNG_SCALE);
    let mut rgb = vec![0u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (width, height)).into_drawing_area();
        draw(&root, &plan, PNG_SCALE)?;
        root.present().map_err(fail)?;
    }
    super::png::encode_rgb(width, height, &rgb).map_err(fail)
}

/// The bundled font under the name the drawing asks for, once.
fn register_font() {
    static REGISTER: Once = Once::new();
    REGISTER.call_once(|| {
        // The font is a fixed, valid file: a failure here would fail every
        // text drawn, which plotters reports as a drawing error.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, FONT_DATA);
    });
}

/// The plan on `root`, every size times `scale`: title and subtitle on
/// top, the legend (when there is more than one line) in a column right
/// of the plot, outside it.
fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    plan: &ChartPlan,
    scale: u32,
) -> Result<(), ChartError> {
    register_font();
    let px = |n: u32| n * scale;
    let at = |x: i32, y: i32| (x * scale as i32, y * scale as i32);
    let font = |size: u32| (FONT, f64::from(px(size)));
    root.fill(&WHITE).map_err(fail)?;
    let (header, body) = root.split_vertically(px(HEADER));
    header
        .draw(&Text::new(
            plan.title.as_str(),
            at(16, 10),
            font(22).into_font().style(FontStyle::Bold),
        ))
        .map_err(fail)?;
    header
        .draw(&Text::new(
            plan.subtitle.as_str(),
            at(16, 40),
            font(14).into_font().color(&RGBColor(0x55, 0x55, 0x55)),
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
            let (plot, legend) = body.split_horizontally(px(SIZE.0 - width));
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
    let mut plot = ChartBuilder::on(&plot_area)
        .margin_top(px(8))
        .margin_left(px(16))
        .margin_right(px(24))
        .margin_bottom(px(12))
        .x_label_area_size(px(44))
        .y_label_area_size(px(y_label_chars as u32 * 8 + 40))
        .build_cartesian_2d(
            Axis {
                range: x_low..x_high,
                keys: plan.x_ticks.iter().map(|t| t.at).collect(),
            },
            Axis {
                range: y_low..y_high,
                keys: plan.y_ticks.iter().map(|t| t.at).collect(),
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
        .bold_line_style(RGBColor(0xe4, 0xe4, 0xe4).stroke_width(scale))
        .axis_style(BLACK.stroke_width(scale))
        .set_all_tick_mark_size(px(5))
        .label_style(font(13))
        .axis_desc_style(font(14))
        .draw()
        .map_err(fail)?;
    if plan.zero_line {
        plot.draw_series(LineSeries::new(
            [(x_low, 0.0), (x_high, 0.0)],
            ZERO_LINE.stroke_width(scale),
        ))
        .map_err(fail)?;
    }
    for (index, line) in plan.lines.iter().enumerate() {
        let color = PALETTE[index % PALETTE.len()];
        // One piece per run of steps with values: a gap between them.
        let starts = std::iter::once(0).chain(line.breaks.iter().copied());
        let ends = line.breaks.iter().copied().chain([line.points.len()]);
        for (start, end) in starts.zip(ends) {
            plot.draw_series(LineSeries::new(
                line.points[start..end].iter().copied(),
                color.stroke_width(px(2)),
            ))
            .map_err(fail)?;
        }
    }

    if let (Some(area), Some(title)) = (legend_area, &plan.legend_title) {
        area.draw(&Text::new(
            title.as_str(),
            at(8, 12),
            font(13).into_font().style(FontStyle::Bold),
        ))
        .map_err(fail)?;
        for (index, line) in plan.lines.iter().enumerate() {
            let color = PALETTE[index % PALETTE.len()];
            let y = 40 + 22 * index as i32;
            area.draw(&PathElement::new(
                vec![at(8, y), at(28, y)],
                color.stroke_width(px(3)),
            ))
            .map_err(fail)?;
            area.draw(&Text::new(line.legend.as_str(), at(36, y - 7), font(13)))
                .map_err(fail)?;
        }
    }
    Ok(())
}

/// The label of the tick at `at`: plotters hands back the key points it
/// was given.
fn label_at(ticks: &[Tick], at: f64) -> String {
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
