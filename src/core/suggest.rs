//! "Did you mean ...": the known word nearest a mistyped one.

/// The candidate closest to `word` (ignoring case) by edit distance,
/// counting a swap of two neighbours as one edit, if it is close enough
/// to be a typo: one edit for short words, a third of the length for
/// longer ones. `None` for an exact match, or a tie between two
/// candidates.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_ascii_lowercase();
    let most = (word.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    let mut tie = false;
    for candidate in candidates {
        let distance = edits(&word, &candidate.to_ascii_lowercase());
        if distance == 0 || distance > most {
            continue;
        }
        match best {
            Some((d, _)) if d < distance => {}
            Some((d, c)) if d == distance => tie |= c != candidate,
            _ => {
                best = Some((distance, candidate));
                tie = false;
            }
        }
    }
    best.filter(|_| !tie).map(|(_, c)| c)
}

/// Optimal string alignment distance: insertions, deletions,
/// substitutions and swaps of neighbours.
fn edits(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut rows = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

/// The words of an "expected ..." text that could be typed as they are
/// (`by, sort, limit or asof`; `"to FILE.svg"` gives `to`): the
/// candidates for a mistyped keyword.
pub fn expected_words(expected: &str) -> Vec<&str> {
    expected
        .split([',', ' '])
        .map(|w| w.trim_matches(|c: char| c == '"' || c == '='))
        .filter(|w| w.len() > 1 && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        .filter(|w| !matches!(*w, "or" | "and" | "a" | "an" | "the" | "after" | "expected"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_their_word() {
        let commands = [
            "metric", "insert", "growth", "series", "chart", "metrics", "history",
        ];
        for (typed, expected) in [
            ("grwth", Some("growth")),
            ("GROWHT", Some("growth")),
            ("seris", Some("series")),
            ("chrat", Some("chart")),
            ("hisotry", Some("history")),
            ("insrt", Some("insert")),
            ("metrcs", Some("metrics")),
            ("growth", None),
            ("frobnicate", None),
            ("select", None),
            ("x", None),
        ] {
            assert_eq!(closest(typed, commands), expected, "{typed}");
        }
        // Two equally near: no guess.
        assert_eq!(closest("metricx", ["metrics", "metrica"]), None);
    }

    #[test]
    fn words_of_an_expected_text() {
        assert_eq!(
            expected_words("by, sort, limit or asof"),
            ["by", "sort", "limit", "asof"]
        );
        assert_eq!(
            expected_words("kind=, unit= or desc="),
            ["kind", "unit", "desc"]
        );
        assert_eq!(
            expected_words("a period after \"insert\""),
            ["period", "insert"]
        );
    }
}
