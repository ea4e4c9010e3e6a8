//! Ticks along the value axis: round steps, labelled as people read
//! numbers (`2,500`, `50k`, `1.4B`, `12.5%`).
use crate::core::rows::group_digits;

use super::Tick;

/// The most steps the value axis is cut into.
const MOST_STEPS: f64 = 6.0;

/// The value axis: its range widened to round ticks, and the ticks.
/// `low..=high` are values as drawn (percents already times 100); `percent`
/// labels them with `%`, `signed` with `+` on positive ones (changes).
pub fn value_ticks(low: f64, high: f64, percent: bool, signed: bool) -> ((f64, f64), Vec<Tick>) {
    let (low, high) = if high > low {
        (low, high)
    } else {
        // One value: a range around it.
        let half = (low.abs() * 0.05).max(1.0);
        (low - half, high + half)
    };
    let step = round_step(low, high);
    let (first, last) = ((low / step).floor(), (high / step).ceil());
    let (divisor, suffix) = if percent {
        (1.0, "%")
    } else {
        magnitude(first.abs().max(last.abs()) * step)
    };
    let decimals = decimals_for(step / divisor);
    let ticks = (0..=(last - first) as i64)
        .map(|i| {
            let at = (first + i as f64) * step;
            let label = match number_label(at / divisor, decimals, signed) {
                zero if zero == "0" && !percent => zero,
                number => format!("{number}{suffix}"),
            };
            Tick { at, label }
        })
        .collect();
    ((first * step, last * step), ticks)
}

/// The smallest step of 1, 2, 2.5 or 5 times a power of ten that cuts
/// `low..high`, widened to multiples of it, into at most [`MOST_STEPS`].
fn round_step(low: f64, high: f64) -> f64 {
    let mut power = 10f64.powf(((high - low) / 20.0).log10().floor());
    loop {
        for m in [1.0, 2.0, 2.5, 5.0] {
            let step = m * power;
            if (high / step).ceil() - (low / step).floor() <= MOST_STEPS {
                return step;
            }
        }
        power *= 10.0;
    }
}

/// The divisor and suffix the largest tick calls for: thousands
/// separators below 10,000, then `k`, `M`, `B`, `T`.
fn magnitude(largest: f64) -> (f64, &'static str) {
    [
        (1e12, 1e12, "T"),
        (1e9, 1e9, "B"),
        (1e6, 1e6, "M"),
        (1e4, 1e3, "k"),
    ]
    .into_iter()
    .find(|&(from, _, _)| largest >= from)
    .map_or((1.0, ""), |(_, divisor, suffix)| (divisor, suffix))
}

/// The fewest decimals that show every multiple of `step` exactly.
fn decimals_for(step: f64) -> usize {
    (0..=9)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6 * scaled.abs().max(1.0)
        })
        .unwrap_or(9)
}

/// `value` with `decimals` places and thousands separators; zero is `0`.
pub fn number_label(value: f64, decimals: usize, signed: bool) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    if text.bytes().all(|b| b == b'0' || b == b'.') {
        return "0".to_string();
    }
    let (int, frac) = text.split_at(text.find('.').unwrap_or(text.len()));
    let sign = match (value < 0.0, signed) {
        (true, _) => "-",
        (false, true) => "+",
        (false, false) => "",
    };
    format!("{sign}{}{frac}", group_digits(int))
}
