//! Tab completion: which words fit where the cursor is, from the language
//! and from what the store holds. Pure: the store is reached through
//! [`Vocabulary`], so the rules can be tested against a table of names.
use std::collections::HashMap;

use crate::core::labels::{LabelSet, SeriesKey, is_bare_label_value, write_quoted};
use crate::core::lexer::Quotes;
use crate::core::parser::COMMAND_NAMES;
use crate::core::period::{FiscalCalendar, Period};
use crate::exec::Catalog;
use crate::render::Format;

use super::session_commands::{self, Arg, SESSION_COMMANDS};

/// The names completion offers from the store.
pub trait Vocabulary {
    /// Every metric name.
    fn metric_names(&self) -> Vec<String>;
    /// Every recorded series of the metrics a name or `*` pattern matches.
    fn series(&self, pattern: &str) -> Vec<SeriesKey>;
    /// Periods recorded for the series of `pattern` that carry `labels`.
    fn periods(&self, pattern: &str, labels: &LabelSet) -> Vec<Period>;
    /// The store's fiscal calendar, which names fiscal periods.
    fn calendar(&self) -> FiscalCalendar {
        FiscalCalendar::default()
    }
}

/// Completion never fails out loud: a store that cannot answer offers nothing.
impl Vocabulary for Catalog {
    fn metric_names(&self) -> Vec<String> {
        Catalog::metric_names(self).unwrap_or_default()
    }

    fn series(&self, pattern: &str) -> Vec<SeriesKey> {
        Catalog::series(self, pattern).unwrap_or_default()
    }

    fn periods(&self, pattern: &str, labels: &LabelSet) -> Vec<Period> {
        Catalog::periods(self, pattern, labels).unwrap_or_default()
    }

    fn calendar(&self) -> FiscalCalendar {
        Catalog::calendar(self).unwrap_or_default()
    }
}

/// One word offered: `replacement` goes in place of what was typed (with a
/// space after it when the word is finished), `display` is what the list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub display: String,
    pub replacement: String,
}

/// What fits at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Completion {
    /// These words, replacing the text from byte `start` to the cursor.
    Words {
        start: usize,
        candidates: Vec<Candidate>,
    },
    /// A file name, to be written as `FileSyntax` says.
    FileName(FileSyntax),
}

/// How a file name is written where it is completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileSyntax {
    /// A word of a session command: quoted when it holds whitespace, `;`,
    /// `#` or `"`.
    SessionWord,
    /// A file in a command of the language (a chart's): quoted unless every
    /// character may stand in a bare word.
    LanguageWord,
}

/// `path` as it goes on the line. `opened` says whether the user already
/// typed the opening quote. A directory (ending in `/`) is left open, so
/// that completion can go on inside it.
pub fn write_file_name(path: &str, syntax: FileSyntax, opened: bool) -> String {
    let needs_quotes = match syntax {
        FileSyntax::SessionWord => path
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, ';' | '#' | '"')),
        FileSyntax::LanguageWord => !path.chars().all(crate::core::lexer::is_word_char),
    };
    if !opened && !needs_quotes {
        return path.to_string();
    }
    let mut text = String::new();
    if !opened {
        text.push('"');
    }
    for c in path.chars() {
        if matches!(c, '"' | '\\') {
            text.push('\\');
        }
        text.push(c);
    }
    if !path.ends_with('/') {
        text.push('"');
    }
    text
}

mod import;
mod language;
#[cfg(test)]
mod tests;

use language::Context;

/// The completion for `line` with the cursor at byte `pos`.
pub fn complete(line: &str, pos: usize, vocabulary: &dyn Vocabulary) -> Completion {
    let pos = floor_char_boundary(line, pos);
    let before = &line[..pos];
    let scan = Scan::of(before);
    let nothing = Completion::Words {
        start: pos,
        candidates: Vec::new(),
    };
    if scan.in_comment {
        return nothing;
    }
    let statement = &before[scan.statement_start..];
    let offset = scan.statement_start;
    let completion = if statement.trim_start().starts_with('.') {
        session_command(statement, offset, vocabulary)
    } else if let Some(open) = scan.open_brace {
        // A quoted label value is completed like a bare one.
        return labels(before, open, vocabulary);
    } else {
        Context::new(statement, offset, vocabulary).complete()
    };
    // Inside any other string only a file name is completed.
    match completion {
        Completion::Words { .. } if scan.in_string => nothing,
        completion => completion,
    }
}

/// Where the cursor stands lexically.
struct Scan {
    statement_start: usize,
    /// The byte of the `{` the cursor is inside, if any.
    open_brace: Option<usize>,
    in_string: bool,
    in_comment: bool,
}

impl Scan {
    fn of(text: &str) -> Scan {
        let mut scan = Scan {
            statement_start: 0,
            open_brace: None,
            in_string: false,
            in_comment: false,
        };
        let mut quotes = Quotes::default();
        for (i, c) in text.char_indices() {
            if quotes.step(c) {
                continue;
            }
            match c {
                '#' => {
                    scan.in_comment = true;
                    return scan;
                }
                ';' => {
                    scan.statement_start = i + 1;
                    scan.open_brace = None;
                }
                '{' => scan.open_brace = Some(i),
                '}' => scan.open_brace = None,
                _ => {}
            }
        }
        scan.in_string = quotes.inside();
        scan
    }
}

fn floor_char_boundary(text: &str, mut pos: usize) -> usize {
    pos = pos.min(text.len());
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}

/// A word of a statement: its text and where it starts in the line.
#[derive(Debug, Clone, Copy)]
struct Word<'a> {
    text: &'a str,
    start: usize,
}

/// Splits at whitespace outside quotes and braces.
fn words(statement: &str, offset: usize) -> Vec<Word<'_>> {
    let mut words = Vec::new();
    let mut start = None;
    let mut quotes = Quotes::default();
    let mut depth = 0usize;
    for (i, c) in statement.char_indices() {
        if !quotes.step(c) {
            match c {
                c if c.is_whitespace() && depth == 0 => {
                    if let Some(s) = start.take() {
                        words.push(Word {
                            text: &statement[s..i],
                            start: offset + s,
                        });
                    }
                    continue;
                }
                '{' => depth += 1,
                '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        start.get_or_insert(i);
    }
    if let Some(s) = start {
        words.push(Word {
            text: &statement[s..],
            start: offset + s,
        });
    }
    words
}

fn finished(word: &str) -> Candidate {
    Candidate {
        display: word.to_string(),
        replacement: format!("{word} "),
    }
}

fn unfinished(word: &str) -> Candidate {
    Candidate {
        display: word.to_string(),
        replacement: word.to_string(),
    }
}

/// Keeps the candidates whose display starts with `prefix`, ignoring case
/// when `any_case` (keywords, periods), without duplicates.
fn matching(prefix: &str, any_case: bool, candidates: Vec<Candidate>) -> Vec<Candidate> {
    let fits = |text: &str| {
        text.get(..prefix.len()).is_some_and(|head| {
            if any_case {
                head.eq_ignore_ascii_case(prefix)
            } else {
                head == prefix
            }
        })
    };
    let mut kept: Vec<Candidate> = Vec::new();
    for candidate in candidates {
        if fits(&candidate.display) && !kept.iter().any(|k| k.display == candidate.display) {
            kept.push(candidate);
        }
    }
    kept
}

fn words_completion(start: usize, candidates: Vec<Candidate>) -> Completion {
    Completion::Words { start, candidates }
}

/// `.mode`, `.import FILE`, ...
fn session_command(statement: &str, offset: usize, vocabulary: &dyn Vocabulary) -> Completion {
    let all = words(statement, offset);
    let (index, current) = current_word(statement, offset, &all);
    let name = all.first().map(|w| w.text.to_ascii_lowercase());
    let keywords = |list: &[&str]| list.iter().map(|w| finished(w)).collect::<Vec<_>>();
    let args = name
        .as_deref()
        .and_then(session_commands::find)
        .map_or(&[][..], |spec| spec.args);
    let candidates = match (index, argument(args, index)) {
        (0, _) => keywords(&SESSION_COMMANDS),
        (_, Some(Arg::Format)) => Format::ALL.iter().map(|f| finished(f.name())).collect(),
        (_, Some(Arg::Topic)) => {
            let topics: Vec<&str> = COMMAND_NAMES
                .iter()
                .chain(&SESSION_COMMANDS)
                .copied()
                .collect();
            keywords(&topics)
        }
        (_, Some(Arg::Words(words))) => keywords(words),
        (_, Some(Arg::File)) => return Completion::FileName(FileSyntax::SessionWord),
        (_, Some(Arg::ImportOptions)) => return import::complete(&all, index, &current),
        (_, Some(Arg::Selector)) => {
            // The selector may be left out, so the next argument's words
            // fit here too.
            let mut candidates = selectors(vocabulary, true);
            if let Some(Arg::Words(words)) = argument(args, index + 1) {
                candidates.extend(words.iter().map(|w| finished(w)));
            }
            candidates
        }
        (_, Some(Arg::Text) | None) => Vec::new(),
    };
    words_completion(current.start, matching(current.text, true, candidates))
}

/// The argument of a session command at word `index` (1 is the first);
/// `.import`'s options go on to the end of the line.
fn argument(args: &[Arg], index: usize) -> Option<Arg> {
    let i = index.checked_sub(1)?;
    match (args.get(i), args.last()) {
        (Some(arg), _) => Some(*arg),
        (None, Some(Arg::ImportOptions)) => Some(Arg::ImportOptions),
        (None, _) => None,
    }
}

/// The word under the cursor (empty after a space) and its index.
fn current_word<'a>(statement: &'a str, offset: usize, all: &[Word<'a>]) -> (usize, Word<'a>) {
    let after_space = statement.is_empty() || statement.ends_with(char::is_whitespace);
    match all.last() {
        Some(last) if !after_space => (all.len() - 1, *last),
        _ => (
            all.len(),
            Word {
                text: "",
                start: offset + statement.len(),
            },
        ),
    }
}

/// Metric names and patterns, and every labelled series, for a selector or
/// series position. Patterns only where the command takes them.
fn selectors(vocabulary: &dyn Vocabulary, patterns: bool) -> Vec<Candidate> {
    let names = names_then_series(vocabulary);
    let mut candidates = Vec::new();
    if patterns {
        candidates.push(finished("*"));
        // `creators.*` for every dotted group of names.
        for (name, _) in names.iter().filter(|(_, labelled)| !labelled) {
            if let Some(dot) = name.find('.') {
                candidates.push(finished(&format!("{}*", &name[..=dot])));
            }
        }
    }
    // No space after a metric name: labels may follow.
    candidates.extend(names.iter().map(|(text, labelled)| {
        if *labelled {
            finished(text)
        } else {
            unfinished(text)
        }
    }));
    candidates
}

/// Every metric name, each followed by the canonical text of its labelled
/// series (marked `true`), from one read of the store.
fn names_then_series(vocabulary: &dyn Vocabulary) -> Vec<(String, bool)> {
    let mut labelled: HashMap<String, Vec<String>> = HashMap::new();
    for series in vocabulary.series("*") {
        if !series.labels.is_empty() {
            let text = series.to_string();
            labelled.entry(series.metric).or_default().push(text);
        }
    }
    let mut out = Vec::new();
    for name in vocabulary.metric_names() {
        let series = labelled.remove(&name).unwrap_or_default();
        out.push((name, false));
        out.extend(series.into_iter().map(|text| (text, true)));
    }
    out
}

/// Inside `{...}`: label keys, or the values of the key before `=`.
fn labels(before: &str, open: usize, vocabulary: &dyn Vocabulary) -> Completion {
    let metric_start = before[..open]
        .rfind(|c: char| c.is_whitespace() || c == ';')
        .map_or(0, |i| i + 1);
    let metric = &before[metric_start..open];
    let inside = &before[open + 1..];
    // The label being typed starts after the last `,` outside quotes.
    let mut label_start = 0;
    let mut quotes = Quotes::default();
    for (i, c) in inside.char_indices() {
        if !quotes.step(c) && c == ',' {
            label_start = i + 1;
        }
    }
    let typed = &inside[..label_start];
    let label = &inside[label_start..];
    let given: Vec<(&str, &str)> = typed
        .split(',')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.trim(), v.trim().trim_matches('"')))
        .collect();
    let series = vocabulary.series(metric);
    let fits_given = |s: &SeriesKey| given.iter().all(|(k, v)| s.labels.get(k) == Some(v));
    let start = open + 1 + label_start + (label.len() - label.trim_start().len());
    let label = label.trim_start();
    match label.split_once('=') {
        None => {
            let mut keys: Vec<Candidate> = Vec::new();
            for s in series.iter().filter(|s| fits_given(s)) {
                for (key, _) in s.labels.iter() {
                    if !given.iter().any(|(k, _)| *k == key) {
                        keys.push(unfinished(&format!("{key}=")));
                    }
                }
            }
            keys.sort_by(|a, b| a.display.cmp(&b.display));
            words_completion(start, matching(label, false, keys))
        }
        Some((key, value)) => {
            let key = key.trim();
            let mut values: Vec<Candidate> = Vec::new();
            for s in series.iter().filter(|s| fits_given(s)) {
                if let Some(v) = s.labels.get(key) {
                    let mut text = String::new();
                    if is_bare_label_value(v) {
                        text.push_str(v);
                    } else {
                        let _ = write_quoted(&mut text, v);
                    }
                    values.push(unfinished(&text));
                }
            }
            values.sort_by(|a, b| a.display.cmp(&b.display));
            let value_start = start + label.len() - value.len();
            let typed_value = value.trim_start_matches('"');
            let values = values
                .into_iter()
                .filter(|c| c.display.trim_start_matches('"').starts_with(typed_value))
                .collect();
            words_completion(value_start, matching("", false, values))
        }
    }
}
