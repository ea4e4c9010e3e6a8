//! Roll-ups for `by KEY`: a segment that sums, endpoint by endpoint, every
//! selected series carrying one value of KEY among other labels.
use crate::core::command::Endpoint;
use crate::core::period::{FiscalCalendar, Period};
use crate::core::resolve::{Requested, ResolveError, Resolved};
use crate::store::{MetricRow, SeriesRow};

use super::{Executor, Result, recorded};

impl Executor {
    /// The period a summed segment's endpoint stands for. A period is taken
    /// as given. `latest` is the latest period of any of its series (the
    /// others are resolved for it, a stock's laggards as stale); `earliest`
    /// is the latest of their earliest periods, since no value is carried
    /// backwards: from it on, every summed series has begun.
    pub(super) fn sum_endpoint(
        &self,
        series: &[SeriesRow],
        endpoint: Endpoint,
        asof: Option<i64>,
    ) -> Result<Period> {
        // Earliest: the latest start; latest: the latest end (the shortest
        // period, as for one series, when several end together).
        let rank = |p: &Period| match endpoint {
            Endpoint::Earliest => (p.start_day(), p.end_day()),
            _ => (p.end_day(), p.start_day()),
        };
        let mut chosen: Option<Period> = None;
        for s in series {
            let edge = match endpoint {
                Endpoint::Period(period) => return Ok(period),
                Endpoint::Fiscal(fiscal) => return Ok(fiscal.period(self.calendar()?)?),
                Endpoint::Earliest => self.store.earliest(s.id, asof)?,
                // To date: up to the last day of the latest period of any.
                Endpoint::Latest | Endpoint::ToDate(_) => self.store.latest(s, asof)?,
            };
            let Some(observation) = edge else { continue };
            let period = recorded(observation)?.0;
            if chosen.is_none_or(|c| rank(&period) > rank(&c)) {
                chosen = Some(period);
            }
        }
        let chosen = chosen.ok_or_else(|| ResolveError::NoRecords {
            series: series.first().map_or_else(String::new, |s| s.name.clone()),
        })?;
        match endpoint {
            Endpoint::ToDate(g) => {
                let calendar = if g.is_fiscal() {
                    self.calendar()?
                } else {
                    FiscalCalendar::default()
                };
                Ok(Period::to_date(calendar, g, chosen.last_day()))
            }
            _ => Ok(chosen),
        }
    }

    /// The sum of the values standing for `period` in every series. Its
    /// period is the one they all resolved to, else `period` itself; its
    /// note is the rule every series was resolved by when it is one and not
    /// the first, else it names the first series resolved by another rule
    /// than the first.
    /// A series that cannot be resolved fails the sum: a sum with a hole
    /// in it is not the segment's value.
    pub(super) fn resolve_sum(
        &self,
        metric: &MetricRow,
        series: &[SeriesRow],
        requested: &Requested,
        asof: Option<i64>,
    ) -> Result<Resolved> {
        let period = &requested.period;
        let mut sum = 0.0;
        let mut periods = Vec::with_capacity(series.len());
        let mut noted: Vec<(&str, String)> = Vec::new();
        for s in series {
            let resolved = self.resolve_period(s, metric, requested, asof)?;
            sum += resolved.value;
            periods.push(resolved.period);
            if let Some(note) = resolved.note {
                noted.push((&s.name, note));
            }
        }
        let common = periods
            .first()
            .filter(|first| periods.iter().all(|p| p == *first))
            .copied();
        let note = noted.first().map(|(name, note)| {
            let others = noted.len() - 1;
            if noted.len() == series.len() && noted.iter().all(|(_, n)| n == note) {
                // Every series by the same rule: say it once.
                note.clone()
            } else if others == 0 {
                format!("{name}: {note}")
            } else {
                format!("{name}: {note} (and {others} more)")
            }
        });
        Ok(Resolved {
            period: common.unwrap_or(*period),
            value: sum,
            note,
        })
    }
}
