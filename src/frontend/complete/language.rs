//! Completion inside a command of the language, by command and position.
use crate::core::command::{GrowthField, Kind, Selector};
use crate::core::labels::LabelSet;
use crate::core::parser::keywords::{
    ASC, ASOF, BY, DESC, EARLIEST, EVERY, FISCAL_YEAR_LABEL, FISCAL_YEAR_START, FROM, LATEST,
    LIMIT, OVER, SORT, TO, TRAILING,
};
use crate::core::parser::{CALENDAR_SETTINGS, COMMAND_NAMES, LANGUAGE, parse_selector};
use crate::core::period::{FiscalLabel, FiscalPeriod, Granularity, MONTH_NAMES, Period};

use super::{
    Candidate, Completion, FileSyntax, Vocabulary, Word, current_word, finished, matching,
    names_then_series, selectors, unfinished, words, words_completion,
};
use crate::frontend::session_commands::SESSION_COMMANDS;

const SPAN_UNITS: [char; 6] = ['y', 'h', 'q', 'm', 'w', 'd'];
const COMMON_SPANS: [&str; 8] = ["1y", "2y", "3y", "5y", "1h", "1q", "1m", "1w"];

/// A command of the language being typed.
pub(super) struct Context<'a> {
    all: Vec<Word<'a>>,
    index: usize,
    current: Word<'a>,
    vocabulary: &'a dyn Vocabulary,
}

impl<'a> Context<'a> {
    pub(super) fn new(
        statement: &'a str,
        offset: usize,
        vocabulary: &'a dyn Vocabulary,
    ) -> Context<'a> {
        let all = words(statement, offset);
        let (index, current) = current_word(statement, offset, &all);
        Context {
            all,
            index,
            current,
            vocabulary,
        }
    }

    /// The selector or series the command names (its second word).
    fn selector(&self) -> Option<Selector> {
        self.all.get(1).and_then(|w| parse_selector(w.text).ok())
    }

    /// The words before the current one, lowercased.
    fn earlier(&self) -> Vec<String> {
        self.all[..self.index.min(self.all.len())]
            .iter()
            .map(|w| w.text.to_ascii_lowercase())
            .collect()
    }

    pub(super) fn complete(&self) -> Completion {
        let prefix = self.current.text;
        if self.index == 0 {
            // On an empty line, the session commands too: a newcomer sees
            // `.help` among the first things offered.
            let names = COMMAND_NAMES
                .iter()
                .chain(&SESSION_COMMANDS)
                .map(|n| finished(n))
                .collect();
            return words_completion(self.current.start, matching(prefix, true, names));
        }
        let earlier = self.earlier();
        if self.index > 2 && earlier[0] == "chart" && earlier[1] == "growth" {
            return self.chart_growth();
        }
        let command = earlier[0].as_str();
        let previous = earlier[self.index - 1].as_str();
        let (any_case, candidates) = match command {
            "metric" => self.metric(&earlier),
            "insert" | "revise" => self.write(),
            "delete" | "history" if self.index == 1 => (false, selectors(self.vocabulary, false)),
            "delete" | "history" if self.index == 2 => (true, self.periods_of_selector(false)),
            "growth" if self.index == 1 => (false, selectors(self.vocabulary, true)),
            "growth" => (true, self.growth(&earlier, previous)),
            "chart" if self.index == 1 => {
                // `chart growth SELECTOR ...` charts changes.
                let mut candidates = selectors(self.vocabulary, true);
                candidates.insert(0, finished("growth"));
                (false, candidates)
            }
            "chart" if self.index == 2 && earlier[1] == "growth" => {
                (false, selectors(self.vocabulary, true))
            }
            "series" if self.index == 1 => (false, selectors(self.vocabulary, true)),
            "series" | "chart" => {
                if command == "chart"
                    && previous == TO
                    && !prefix.starts_with(|c: char| c.is_ascii_digit())
                    && !prefix.is_empty()
                {
                    return Completion::FileName(FileSyntax::LanguageWord);
                }
                (true, self.series(&earlier, previous))
            }
            "metrics" if self.index == 1 => (false, selectors(self.vocabulary, true)),
            "calendar" => (true, self.calendar(&earlier)),
            _ => (false, Vec::new()),
        };
        words_completion(self.current.start, matching(prefix, any_case, candidates))
    }

    /// `chart growth SELECTOR ... to FILE`: the words after `chart` complete
    /// as a `growth` command; after `to`, a word that starts no endpoint
    /// is the chart's file.
    fn chart_growth(&self) -> Completion {
        let growth = Context {
            all: self.all[1..].to_vec(),
            index: self.index - 1,
            current: self.current,
            vocabulary: self.vocabulary,
        };
        let completion = growth.complete();
        let after_to = self.all[self.index - 1].text.eq_ignore_ascii_case(TO);
        match &completion {
            Completion::Words { candidates, .. }
                if after_to && candidates.is_empty() && !self.current.text.is_empty() =>
            {
                Completion::FileName(FileSyntax::LanguageWord)
            }
            _ => completion,
        }
    }

    /// `metric NAME|PATTERN [kind=K] [unit=TEXT] [desc=STRING]`
    fn metric(&self, earlier: &[String]) -> (bool, Vec<Candidate>) {
        if self.index == 1 {
            // Patterns of dotted groups first, as `metrics` offers them.
            let names = self.vocabulary.metric_names();
            let mut candidates: Vec<Candidate> = Vec::new();
            for name in &names {
                if let Some(dot) = name.find('.') {
                    let pattern = format!("{}*", &name[..=dot]);
                    if !candidates.iter().any(|c| c.display == pattern) {
                        candidates.push(finished(&pattern));
                    }
                }
            }
            candidates.extend(names.iter().map(|n| finished(n)));
            return (false, candidates);
        }
        if self.current.text.starts_with("kind=") {
            let kinds = Kind::ALL
                .iter()
                .map(|k| finished(&format!("kind={}", k.name())));
            return (true, kinds.collect());
        }
        let unused = clauses("metric")
            .iter()
            .map(|option| format!("{option}="))
            .filter(|option| !earlier.iter().any(|w| w.starts_with(option.as_str())))
            .map(|option| unfinished(&option));
        (true, unused.collect())
    }

    /// `calendar [fiscal_year_start=MONTH] [fiscal_year_label=end|start]`:
    /// month names after `fiscal_year_start=`, the labels after
    /// `fiscal_year_label=`, else the settings not given yet.
    fn calendar(&self, earlier: &[String]) -> Vec<Candidate> {
        let typed = self.current.text.to_ascii_lowercase();
        let setting = |name: &str, values: &mut dyn Iterator<Item = &str>| {
            values
                .map(|value| finished(&format!("{name}={value}")))
                .collect()
        };
        if typed.starts_with("fiscal_year_start=") {
            return setting(FISCAL_YEAR_START, &mut MONTH_NAMES.iter().copied());
        }
        if typed.starts_with("fiscal_year_label=") {
            return setting(
                FISCAL_YEAR_LABEL,
                &mut FiscalLabel::ALL.iter().map(|l| l.name()),
            );
        }
        CALENDAR_SETTINGS
            .iter()
            .filter(|option| !earlier.iter().any(|w| w.starts_with(*option)))
            .map(|option| unfinished(&format!("{option}=")))
            .collect()
    }

    /// `insert PERIOD SERIES=VALUE ... [source=S] [note=S]`
    fn write(&self) -> (bool, Vec<Candidate>) {
        if self.index == 1 {
            // Periods already recorded for any series: the likeliest next ones.
            let periods = self.vocabulary.periods("*", &LabelSet::new());
            return (
                true,
                periods
                    .iter()
                    .rev()
                    .map(|p| finished(&p.to_string()))
                    .collect(),
            );
        }
        if self.current.text.contains('=') {
            return (false, Vec::new());
        }
        let mut candidates: Vec<Candidate> = names_then_series(self.vocabulary)
            .into_iter()
            .map(|(text, _)| unfinished(&format!("{text}=")))
            .collect();
        candidates.extend(
            clauses("insert")
                .iter()
                .map(|option| unfinished(&format!("{option}=\""))),
        );
        (false, candidates)
    }

    /// The periods recorded for the selector (the command's second word),
    /// most recent first, and `earliest`/`latest` where they are allowed.
    fn periods_of_selector(&self, endpoints: bool) -> Vec<Candidate> {
        let mut candidates = Vec::new();
        if endpoints {
            candidates.extend([EARLIEST, LATEST].map(finished));
            candidates.extend(
                Granularity::ALL
                    .iter()
                    .filter_map(|g| g.to_date())
                    .map(finished),
            );
        }
        let Some(selector) = self.selector() else {
            return candidates;
        };
        let periods = self.vocabulary.periods(&selector.metric, &selector.labels);
        candidates.extend(periods.iter().rev().map(|p| finished(&p.to_string())));
        // Fiscal periods holding recorded data, once `FY` is being typed
        // (they would crowd the calendar names out otherwise).
        let typed = self.current.text.to_ascii_lowercase();
        if !typed.is_empty() && (typed.starts_with("fy") || "fy".starts_with(&typed)) {
            let calendar = self.vocabulary.calendar();
            let mut fiscal: Vec<FiscalPeriod> = Vec::new();
            for period in periods.iter().rev() {
                for g in Granularity::FISCAL {
                    let holding = Period::containing_in(calendar, g, period.start());
                    if let Some(f) = calendar.fiscal_of(&holding)
                        && !fiscal.contains(&f)
                    {
                        fiscal.push(f);
                    }
                }
            }
            candidates.extend(fiscal.iter().map(|f| finished(&f.to_string())));
        }
        candidates
    }

    fn growth(&self, earlier: &[String], previous: &str) -> Vec<Candidate> {
        let used = |word: &str| earlier.iter().skip(2).any(|w| w == word);
        match previous {
            FROM | TO => return self.periods_of_selector(true),
            OVER | TRAILING => return spans(self.current.text),
            EVERY => return granularities(),
            BY => return self.label_keys(),
            SORT => {
                return GrowthField::sortable()
                    .map(|f| finished(f.name()))
                    .collect();
            }
            LIMIT | ASOF => return Vec::new(),
            _ => {}
        }
        if !used(FROM) && !used(OVER) {
            return [FROM, OVER].map(finished).to_vec();
        }
        if used(FROM) && !used(TO) {
            return vec![finished(TO)];
        }
        let mut candidates: Vec<Candidate> = Vec::new();
        let before_previous = earlier.get(self.index.wrapping_sub(2)).map(String::as_str);
        if (before_previous == Some(OVER) || used(EVERY)) && !used(TO) {
            candidates.push(finished(TO));
        }
        if used(EVERY) && !used(FROM) {
            candidates.push(finished(FROM));
        }
        if before_previous == Some(SORT) {
            candidates.extend([ASC, DESC].map(finished));
        }
        candidates.extend(
            clauses("growth")
                .iter()
                // The range's words were offered above.
                .filter(|c| ![FROM, OVER, TO].contains(c))
                // `every` steps an `over` growth only.
                .filter(|c| !used(c) && (**c != EVERY || used(OVER)))
                .map(|c| finished(c)),
        );
        candidates
    }

    fn series(&self, earlier: &[String], previous: &str) -> Vec<Candidate> {
        let used = |word: &str| earlier.iter().skip(2).any(|w| w == word);
        match previous {
            FROM | TO => return self.periods_of_selector(false),
            EVERY => return granularities(),
            TRAILING => return spans(self.current.text),
            ASOF => return Vec::new(),
            _ => {}
        }
        let chart = earlier[0] == "chart";
        clauses("series")
            .iter()
            .filter(|c| !used(c) || (chart && **c == TO))
            // `trailing` needs `every`.
            .filter(|c| **c != TRAILING || used(EVERY))
            .map(|c| finished(c))
            .collect()
    }

    /// Label keys of the selected series, for `by`.
    fn label_keys(&self) -> Vec<Candidate> {
        let Some(selector) = self.selector() else {
            return Vec::new();
        };
        let mut keys: Vec<String> = Vec::new();
        for series in self.vocabulary.series(&selector.metric) {
            if selector.labels.is_subset_of(&series.labels) {
                for (key, _) in series.labels.iter() {
                    if selector.labels.get(key).is_none() && !keys.iter().any(|k| k == key) {
                        keys.push(key.to_string());
                    }
                }
            }
        }
        keys.sort();
        keys.iter().map(|k| finished(k)).collect()
    }
}

/// The clauses of a command of the language, from its registry entry.
fn clauses(command: &str) -> &'static [&'static str] {
    LANGUAGE
        .iter()
        .find(|c| c.name() == command)
        .map_or(&[], |c| c.clauses)
}

/// The granularities after `every`, fiscal ones included.
fn granularities() -> Vec<Candidate> {
    Granularity::ALL
        .iter()
        .map(|g| finished(g.name()))
        .collect()
}

/// Spans after `over` and `trailing`: the common ones, or every unit
/// after typed digits.
fn spans(prefix: &str) -> Vec<Candidate> {
    let digits: String = prefix.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return COMMON_SPANS.map(finished).to_vec();
    }
    SPAN_UNITS
        .iter()
        .map(|unit| finished(&format!("{digits}{unit}")))
        .collect()
}
