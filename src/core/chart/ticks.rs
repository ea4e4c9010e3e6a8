//! Ticks along the period axis: period boundaries of one unit, every so
//! many of it, chosen so the labels fit, each named in canonical form.
use crate::core::period::{FiscalCalendar, Granularity, Period, date_from_day_number};

use super::Tick;

/// Tick steps, finest first: a unit and every how many of it. Halves are
/// left out: a year or a quarter reads better.
const STEPS: &[(Granularity, u32)] = &[
    (Granularity::Day, 1),
    (Granularity::Day, 2),
    (Granularity::Day, 3),
    (Granularity::Week, 1),
    (Granularity::Week, 2),
    (Granularity::Month, 1),
    (Granularity::Month, 2),
    (Granularity::Quarter, 1),
    (Granularity::Year, 1),
    (Granularity::Year, 2),
    (Granularity::Year, 5),
    (Granularity::Year, 10),
    (Granularity::Year, 20),
    (Granularity::Year, 25),
    (Granularity::Year, 50),
    (Granularity::Year, 100),
    (Granularity::Year, 200),
    (Granularity::Year, 250),
    (Granularity::Year, 500),
    (Granularity::Year, 1000),
];

/// At most this many ticks, however short their labels.
const MOST_TICKS: usize = 12;
/// Characters of labels (each with room around it) the axis holds.
const AXIS_CHARS: usize = 90;

/// How many ticks with labels of `len` characters fit on the axis.
fn room_for(len: usize) -> usize {
    (AXIS_CHARS / (len + 3)).clamp(2, MOST_TICKS)
}

/// Ticks on the period boundaries in `[low, high)` (day numbers): the
/// finest step whose labels fit, and no finer than `data`, the unit the
/// values are of (yearly values get no quarter ticks). With a fiscal
/// calendar, years and quarters are fiscal ones, labelled `FY2024`,
/// `FY2024-Q2`.
pub fn period_ticks(
    low: i32,
    high: i32,
    data: Option<Granularity>,
    fiscal: Option<FiscalCalendar>,
) -> Vec<Tick> {
    let finest = data.map_or(0.0, unit_days) * 0.99;
    // Fiscal steps tick fiscal quarters and years first, months and
    // shorter only when the range holds no fiscal boundary that fits.
    let fiscal_steps = STEPS.iter().filter(|(unit, _)| {
        fiscal.is_some() && matches!(unit, Granularity::Quarter | Granularity::Year)
    });
    for &(unit, every) in fiscal_steps.chain(STEPS) {
        let unit = match (fiscal, unit) {
            (Some(_), Granularity::Year) => Granularity::FiscalYear,
            (Some(_), Granularity::Quarter) => Granularity::FiscalQuarter,
            _ => unit,
        };
        if unit_days(unit) < finest {
            continue;
        }
        let room = room_for(label_len(unit));
        // Skip steps far too fine before listing their boundaries.
        let estimate = f64::from(high - low) / (unit_days(unit) * f64::from(every));
        if estimate > (room + 2) as f64 {
            continue;
        }
        let ticks = boundaries(low, high, unit, every, fiscal.unwrap_or_default());
        if !ticks.is_empty() && ticks.len() <= room {
            return ticks;
        }
    }
    // A range too short for any boundary: its first day.
    let label = date_from_day_number(low)
        .map(|day| Period::containing(Granularity::Day, day).to_string())
        .unwrap_or_default();
    vec![Tick {
        at: f64::from(low),
        label,
    }]
}

/// Every `every`-th `unit` period starting in `[low, high)`, counted from
/// a fixed origin so the ticks do not depend on where the range starts.
fn boundaries(
    low: i32,
    high: i32,
    unit: Granularity,
    every: u32,
    calendar: FiscalCalendar,
) -> Vec<Tick> {
    let Some(first) = date_from_day_number(low) else {
        return Vec::new();
    };
    let mut period = Some(Period::containing_in(calendar, unit, first));
    let mut ticks = Vec::new();
    while let Some(p) = period.filter(|p| p.start_day() < high) {
        if p.start_day() >= low && index(&p, unit, calendar).rem_euclid(i64::from(every)) == 0 {
            ticks.push(Tick {
                at: f64::from(p.start_day()),
                label: period_name(&p, unit.is_fiscal().then_some(calendar)),
            });
        }
        period = p.following_in(calendar, unit);
    }
    ticks
}

/// A period's position in a count of its unit, for every-`n`th steps.
fn index(p: &Period, unit: Granularity, calendar: FiscalCalendar) -> i64 {
    let start = p.start();
    match unit {
        Granularity::Day => i64::from(p.start_day()),
        Granularity::Week => i64::from(p.start_day()).div_euclid(7),
        Granularity::Month => i64::from(start.year()) * 12 + i64::from(start.month() - 1),
        // A fiscal year counts by the year in its label.
        _ if unit.is_fiscal() => calendar
            .fiscal_of(p)
            .map_or(i64::from(start.year()), |f| i64::from(f.year)),
        _ => i64::from(start.year()),
    }
}

/// A period's name: canonical, or in fiscal form when a calendar is given
/// and the period is a fiscal one.
pub fn period_name(p: &Period, fiscal: Option<FiscalCalendar>) -> String {
    fiscal
        .and_then(|calendar| calendar.fiscal_of(p))
        .map_or_else(|| p.to_string(), |f| f.to_string())
}

/// The length of a label of `unit`: `2024`, `2024-Q2`, `2024-06`,
/// `2024-W23`, `2024-06-12`, `FY2024`, `FY2024-Q2`.
fn label_len(unit: Granularity) -> usize {
    match unit {
        Granularity::Year => 4,
        Granularity::FiscalYear => 6,
        Granularity::Half | Granularity::Quarter | Granularity::Month => 7,
        Granularity::Week => 8,
        Granularity::FiscalHalf | Granularity::FiscalQuarter => 9,
        Granularity::Day => 10,
    }
}

/// The mean length of a unit in days.
fn unit_days(unit: Granularity) -> f64 {
    match unit {
        Granularity::Day => 1.0,
        Granularity::Week => 7.0,
        Granularity::Month => 30.44,
        Granularity::Quarter | Granularity::FiscalQuarter => 91.31,
        Granularity::Half | Granularity::FiscalHalf => 182.62,
        Granularity::Year | Granularity::FiscalYear => 365.25,
    }
}
