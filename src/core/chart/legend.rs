//! The words on a chart: title, subtitle, value axis title and legend.
use crate::core::period::Period;

use super::{Chart, ChartLine, MOST_LINES, period_name};

/// Legend entries longer than this are cut with `…`.
const LONGEST_ENTRY: usize = 40;

pub(super) struct Texts {
    pub title: String,
    pub subtitle: String,
    pub y_title: String,
    pub legend_title: Option<String>,
    /// One per shown line, in order.
    pub legends: Vec<String>,
}

/// The lines to draw, highest last value first (the order their ends
/// stand in, which the legend follows): all of them up to
/// [`MOST_LINES`], else the top ones.
pub(super) fn top_lines<'a>(drawn: &[&'a ChartLine]) -> Vec<&'a ChartLine> {
    let last = |line: &ChartLine| line.points.last().map_or(f64::NEG_INFINITY, |p| p.1);
    let mut lines = drawn.to_vec();
    // Stable: equal last values keep the series order.
    lines.sort_by(|a, b| last(b).total_cmp(&last(a)));
    lines.truncate(MOST_LINES);
    lines
}

pub(super) fn texts(
    chart: &Chart,
    drawn: &[&ChartLine],
    shown: &[&ChartLine],
    (first, last): (&Period, &Period),
) -> Texts {
    let metrics: Vec<_> = chart
        .metrics
        .iter()
        .filter(|m| shown.iter().any(|l| l.metric == m.name))
        .collect();
    let title = match metrics.as_slice() {
        [one] => one.description.clone().unwrap_or_else(|| one.name.clone()),
        several if several.len() <= 3 => several
            .iter()
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        _ => chart.selector.clone(),
    };
    // A chart of changes says what changed over what: `...: change over 1y, %`.
    let title = match chart.change {
        Some(change) => format!("{title}: change over {}, {}", change.span, change.unit()),
        None => title,
    };
    let mut units: Vec<&str> = Vec::new();
    for unit in metrics.iter().filter_map(|m| m.unit.as_deref()) {
        if !units.contains(&unit) {
            units.push(unit);
        }
    }
    let y_title = match (chart.change, chart.percent, units.is_empty()) {
        (Some(change), _, _) if change.points => "change, percentage points".to_string(),
        (Some(_), _, _) => "change, percent".to_string(),
        (None, percent, none) => match (percent, none) {
            (true, true) => "percent".to_string(),
            (true, false) => format!("{} (percent)", units.join(", ")),
            (false, true) => "value".to_string(),
            (false, false) => units.join(", "),
        },
    };

    let (common, differing) = split_labels(shown);
    let metric_differs = metrics.len() > 1;
    let legends = shown
        .iter()
        .map(|line| {
            let mut parts = Vec::new();
            if metric_differs {
                parts.push(line.metric.clone());
            }
            for key in &differing {
                let value = line.labels.iter().find(|(k, _)| k == key);
                parts.push(value.map_or_else(|| format!("(no {key})"), |(_, v)| v.clone()));
            }
            cut(&parts.join(", "))
        })
        .collect();
    let legend_title = (shown.len() > 1).then(|| {
        let mut names: Vec<&str> = Vec::new();
        if metric_differs {
            names.push("metric");
        }
        names.extend(differing.iter().map(String::as_str));
        names.join(", ")
    });

    let mut subtitle = Vec::new();
    if !common.is_empty() {
        let pairs: Vec<String> = common.iter().map(|(k, v)| format!("{k}={v}")).collect();
        subtitle.push(pairs.join(", "));
    }
    let (first, last) = (
        period_name(first, chart.fiscal),
        period_name(last, chart.fiscal),
    );
    subtitle.push(if first == last {
        first
    } else {
        format!("{first} to {last}")
    });
    if drawn.len() > shown.len() {
        subtitle.push(format!(
            "top {} of {} series by last value, {} others not shown",
            shown.len(),
            drawn.len(),
            drawn.len() - shown.len()
        ));
    }
    Texts {
        title,
        subtitle: subtitle.join(" · "),
        y_title,
        legend_title,
        legends,
    }
}

/// The labels every line has alike, and the keys whose values differ
/// between lines (or that some lines lack), each in first-seen order.
fn split_labels(lines: &[&ChartLine]) -> (Vec<(String, String)>, Vec<String>) {
    let mut keys: Vec<&str> = Vec::new();
    for (key, _) in lines.iter().flat_map(|l| &l.labels) {
        if !keys.contains(&key.as_str()) {
            keys.push(key);
        }
    }
    let value = |line: &ChartLine, key: &str| {
        line.labels
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    let (mut common, mut differing) = (Vec::new(), Vec::new());
    for key in keys {
        let first = value(lines[0], key);
        match first {
            Some(v) if lines.iter().all(|l| value(l, key).as_ref() == Some(&v)) => {
                common.push((key.to_string(), v));
            }
            _ => differing.push(key.to_string()),
        }
    }
    (common, differing)
}

/// `text` cut to [`LONGEST_ENTRY`] characters, with `…` when cut.
fn cut(text: &str) -> String {
    if text.chars().count() <= LONGEST_ENTRY {
        return text.to_string();
    }
    let kept: String = text.chars().take(LONGEST_ENTRY - 1).collect();
    format!("{kept}…")
}
