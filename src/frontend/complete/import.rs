//! Completion of `.import FILE ...`: its options, and after `--period`,
//! `--values` and `--labels` the column names of the file's header.
use crate::core::table::plan::quote_name;
use crate::frontend::dot::IMPORT_OPTIONS;
use crate::render::{TableFormat, TableReader};

use super::{Candidate, Completion, Word, finished, matching, unfinished, words_completion};

/// Candidates for the word `current` (at index `index`) of an `.import`
/// line whose words are `all`.
pub(super) fn complete(all: &[Word], index: usize, current: &Word) -> Completion {
    let previous = index
        .checked_sub(1)
        .and_then(|i| all.get(i))
        .map(|w| w.text);
    let option = previous.map(|p| p.to_ascii_lowercase());
    let columns_after = matches!(
        option.as_deref(),
        Some("--period" | "--values" | "--labels")
    );
    if !columns_after {
        let options = IMPORT_OPTIONS.iter().map(|o| finished(o.name)).collect();
        return words_completion(current.start, matching(current.text, true, options));
    }
    let header = all
        .get(1)
        .map_or_else(Vec::new, |path| header_of(path.text, all));
    // In a list, only the text after the last comma is completed.
    let (start, prefix) = match current.text.rfind(',') {
        Some(comma) => (current.start + comma + 1, &current.text[comma + 1..]),
        None => (current.start, current.text),
    };
    let candidates: Vec<Candidate> = header
        .iter()
        .filter(|name| !name.is_empty())
        .map(|name| {
            let written = quote_name(name);
            match option.as_deref() {
                Some("--values") => unfinished(&format!("{written}=")),
                Some("--labels") => unfinished(&written),
                _ => finished(&written),
            }
        })
        .collect();
    let prefix = prefix.trim_start_matches('"');
    let kept = candidates
        .into_iter()
        .filter(|c| c.display.trim_start_matches('"').starts_with(prefix))
        .collect();
    words_completion(start, kept)
}

/// The header of the file at `path` (as written on the line), read with
/// the `--sheet` and `--skip` already typed; empty when it cannot be read.
fn header_of(path: &str, all: &[Word]) -> Vec<String> {
    let path = path.trim_matches('"');
    let value = |name: &str| {
        all.windows(2)
            .find(|pair| pair[0].text.eq_ignore_ascii_case(name))
            .map(|pair| pair[1].text.trim_matches('"').to_string())
    };
    let sheet = value("--sheet");
    let skip = value("--skip").and_then(|n| n.parse().ok()).unwrap_or(0);
    let Some((format, gz)) = TableFormat::from_path(path) else {
        return Vec::new();
    };
    let Ok(file) = std::fs::File::open(path) else {
        return Vec::new();
    };
    match TableReader::open(file, format, gz, sheet.as_deref(), skip) {
        Ok(reader) => reader.header().to_vec(),
        Err(_) => Vec::new(),
    }
}
