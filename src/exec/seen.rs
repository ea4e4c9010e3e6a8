//! What an import has read before: the series and periods of a file's
//! rows, by their text, so that a large file parses and looks up each
//! distinct text once. Looked up on every row, so hashed with a fast
//! hasher; the text of the row before is compared first, as files sorted
//! by series repeat the series on most rows and files sorted by period the
//! period.
use crate::core::labels::SeriesKey;
use crate::core::parser::parse_series;
use crate::core::period::Period;

use super::transfer::missing;
use super::write::Slot;
use super::{Executor, RecordError, Result};

/// Series texts kept at most. An entry is the text and where the series
/// is written (about 80 bytes), not its parsed name, so that files whose
/// consecutive rows cycle through tens of thousands of series (sorted by
/// period) find each one here rather than in the store: 65,536 entries
/// take about 5 MB.
const SERIES_TEXTS: usize = 65_536;
/// Period texts kept at most.
const PERIOD_TEXTS: usize = 4_096;

pub(super) struct Seen {
    /// Series texts kept at most ([`SERIES_TEXTS`]).
    series_limit: usize,
    /// Where each series text's slot is in `slots`.
    series: foldhash::HashMap<Box<str>, usize>,
    slots: Vec<Slot>,
    /// The series text of the row before, and its slot's index.
    last_series: Option<(String, usize)>,
    /// The name of one series (by its slot's index), parsed when a write
    /// needs it: files sorted by series ask for one name many times over.
    parsed: Option<(usize, SeriesKey)>,
    periods: foldhash::HashMap<String, Period>,
    last_period: Option<(String, Period)>,
}

impl Seen {
    pub fn new() -> Seen {
        Seen::keeping(SERIES_TEXTS)
    }

    fn keeping(series_limit: usize) -> Seen {
        Seen {
            series_limit,
            series: Default::default(),
            slots: Vec::new(),
            last_series: None,
            parsed: None,
            periods: Default::default(),
            last_period: None,
        }
    }
}

/// One row's series: where it is written, and its name on demand.
pub(super) struct SeenSeries<'s> {
    text: &'s str,
    at: usize,
    pub slot: &'s mut Slot,
    parsed: &'s mut Option<(usize, SeriesKey)>,
}

impl SeenSeries<'_> {
    /// The series' name and slot, parsing the name unless it was the last
    /// one parsed.
    pub fn parts(&mut self) -> Result<(&SeriesKey, &mut Slot)> {
        if self.parsed.as_ref().is_none_or(|(at, _)| *at != self.at) {
            *self.parsed = Some((self.at, parse(self.text)?));
        }
        let Some((_, key)) = self.parsed.as_ref() else {
            unreachable!("the name was just parsed")
        };
        Ok((key, &mut *self.slot))
    }
}

fn parse(text: &str) -> Result<SeriesKey> {
    parse_series(text).map_err(|e| {
        RecordError::Series {
            text: text.to_string(),
            source: e,
        }
        .into()
    })
}

impl Executor {
    /// The period a file's text names, parsed once per text; an error when
    /// the record has none.
    pub(super) fn seen_period(&self, seen: &mut Seen, text: Option<&str>) -> Result<Period> {
        let text = text.ok_or_else(|| missing("period"))?;
        if let Some((last, period)) = &seen.last_period
            && last == text
        {
            return Ok(*period);
        }
        let period = match seen.periods.get(text) {
            Some(period) => *period,
            None => {
                let period = Period::parse(text)?;
                if seen.periods.len() >= PERIOD_TEXTS {
                    seen.periods.clear();
                }
                seen.periods.insert(text.to_string(), period);
                period
            }
        };
        match &mut seen.last_period {
            Some((last, last_period)) => {
                last.clear();
                last.push_str(text);
                *last_period = period;
            }
            None => seen.last_period = Some((text.to_string(), period)),
        }
        Ok(period)
    }

    /// The series a file's text names, parsed and looked up once per text
    /// (and created when new, to hold periods of `days` days).
    pub(super) fn seen_series<'s>(
        &mut self,
        seen: &'s mut Seen,
        text: &'s str,
        days: i32,
        notes: &mut Vec<String>,
    ) -> Result<SeenSeries<'s>> {
        let at = match &seen.last_series {
            Some((last, at)) if last == text => *at,
            _ => {
                let at = match seen.series.get(text) {
                    Some(&at) => at,
                    None => {
                        let key = parse(text)?;
                        let slot = self.series_for_writing(&key, days, notes)?;
                        if seen.slots.len() >= seen.series_limit {
                            seen.series.clear();
                            seen.slots.clear();
                        }
                        let at = seen.slots.len();
                        seen.series.insert(text.into(), at);
                        seen.slots.push(slot);
                        seen.parsed = Some((at, key));
                        at
                    }
                };
                match &mut seen.last_series {
                    Some((last, last_at)) => {
                        last.clear();
                        last.push_str(text);
                        *last_at = at;
                    }
                    None => seen.last_series = Some((text.to_string(), at)),
                }
                at
            }
        };
        Ok(SeenSeries {
            text,
            at,
            slot: &mut seen.slots[at],
            parsed: &mut seen.parsed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn series_cycling_past_the_bound_keep_their_own_slots_and_names() {
        let mut exec = Executor::new(Store::open(":memory:", false).unwrap());
        let texts: Vec<String> = (0..5).map(|i| format!("m{{k=s{i}}}")).collect();
        let mut seen = Seen::keeping(3);
        let mut notes = Vec::new();
        let mut ids = Vec::new();
        // Rows cycle through five series with room for three: every
        // lookup after the first round misses, and the texts that repeat
        // (the row before's) hit.
        for round in 0..3 {
            for text in texts.iter().flat_map(|t| [t, t]) {
                let mut series = exec.seen_series(&mut seen, text, 0, &mut notes).unwrap();
                let id = series.slot.id;
                let (key, _) = series.parts().unwrap();
                assert_eq!(&key.to_string(), text);
                if round == 0 {
                    ids.push(id);
                } else {
                    let first = texts.iter().position(|t| t == text).unwrap();
                    assert_eq!(id, ids[first * 2]);
                }
            }
        }
        assert!(seen.slots.len() <= 3);
        assert_eq!(
            exec.store.series_by_name("m{k=s4}").unwrap().unwrap().id,
            ids[8]
        );
    }

    #[test]
    fn a_series_name_is_parsed_again_only_for_another_series() {
        let mut exec = Executor::new(Store::open(":memory:", false).unwrap());
        let mut seen = Seen::new();
        let mut notes = Vec::new();
        for text in ["a{k=x}", "b", "a{k=x}"] {
            exec.seen_series(&mut seen, text, 0, &mut notes).unwrap();
        }
        // "a{k=x}" was last parsed when it was new; "b" after it.
        assert_eq!(seen.parsed.as_ref().map(|(at, _)| *at), Some(1));
        let mut series = exec
            .seen_series(&mut seen, "a{k=x}", 0, &mut notes)
            .unwrap();
        assert_eq!(series.parts().unwrap().0.to_string(), "a{k=x}");
        assert_eq!(seen.parsed.as_ref().map(|(at, _)| *at), Some(0));
        assert_eq!(
            notes,
            [
                "created metric a without a kind; set one with: metric a kind=stock|flow|average|ratio|distinct",
                "created metric b without a kind; set one with: metric b kind=stock|flow|average|ratio|distinct"
            ]
        );
    }
}
