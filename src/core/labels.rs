//! Label sets and series keys, with their canonical text.
use std::collections::BTreeMap;
use std::fmt;

/// Labels of a series. Kept sorted by key, which is the canonical order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LabelSet(BTreeMap<String, String>);

impl LabelSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a label; returns the previous value when the key was already set.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<String>) -> Option<String> {
        self.0.insert(key.into(), value.into())
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether every label here is also in `other` with the same value.
    pub fn is_subset_of(&self, other: &LabelSet) -> bool {
        self.iter().all(|(k, v)| other.get(k) == Some(v))
    }

    /// These labels plus `key=value`.
    pub fn with(&self, key: &str, value: &str) -> LabelSet {
        let mut labels = self.clone();
        labels.insert(key, value);
        labels
    }
}

impl FromIterator<(String, String)> for LabelSet {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Self {
        LabelSet(iter.into_iter().collect())
    }
}

/// Whether a label key has the form `[a-z_][a-z0-9_]*`.
pub fn is_label_key(key: &str) -> bool {
    let mut chars = key.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_lowercase())
        && chars.all(|c| c == '_' || c.is_ascii_lowercase() || c.is_ascii_digit())
}

/// Whether a label value may be written without quotes: `[A-Za-z0-9_.-]+`.
pub fn is_bare_label_value(value: &str) -> bool {
    !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// Writes `text` double-quoted, escaping `"` and `\`.
pub fn write_quoted(f: &mut impl fmt::Write, text: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in text.chars() {
        if c == '"' || c == '\\' {
            f.write_char('\\')?;
        }
        f.write_char(c)?;
    }
    f.write_char('"')
}

/// Canonical text: `{a=b,c="x y"}`, or nothing at all for the empty set.
impl fmt::Display for LabelSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return Ok(());
        }
        f.write_str("{")?;
        for (i, (key, value)) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{key}=")?;
            if is_bare_label_value(value) {
                f.write_str(value)?;
            } else {
                write_quoted(f, value)?;
            }
        }
        f.write_str("}")
    }
}

/// A metric plus a label set: one series. No labels means the metric's total.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SeriesKey {
    pub metric: String,
    pub labels: LabelSet,
}

impl SeriesKey {
    pub fn new(metric: impl Into<String>, labels: LabelSet) -> Self {
        SeriesKey {
            metric: metric.into(),
            labels,
        }
    }

    pub fn total(metric: impl Into<String>) -> Self {
        Self::new(metric, LabelSet::new())
    }
}

impl fmt::Display for SeriesKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.metric, self.labels)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> LabelSet {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn canonical_text_sorts_keys_and_quotes_only_when_needed() {
        let cases = [
            (vec![], ""),
            (vec![("line", "payment")], "{line=payment}"),
            (
                vec![("country", "Korea, Dem. Rep."), ("continent", "Asia")],
                r#"{continent=Asia,country="Korea, Dem. Rep."}"#,
            ),
            (vec![("q", r#"a"b\c"#)], r#"{q="a\"b\\c"}"#),
            (vec![("v", "")], r#"{v=""}"#),
            (vec![("v", "1.5-x_Y")], "{v=1.5-x_Y}"),
        ];
        for (pairs, expected) in cases {
            assert_eq!(labels(&pairs).to_string(), expected);
        }
    }

    #[test]
    fn series_key_text() {
        let key = SeriesKey::new("users", labels(&[("line", "non-payment")]));
        assert_eq!(key.to_string(), "users{line=non-payment}");
        assert_eq!(SeriesKey::total("users").to_string(), "users");
    }

    #[test]
    fn label_keys() {
        for ok in ["a", "_", "line", "a_1", "_x9"] {
            assert!(is_label_key(ok), "{ok}");
        }
        for bad in ["", "A", "1a", "a-b", "a.b", "é"] {
            assert!(!is_label_key(bad), "{bad}");
        }
    }

    #[test]
    fn subsets() {
        let small = labels(&[("region", "cn")]);
        let big = labels(&[("region", "cn"), ("line", "x")]);
        assert!(small.is_subset_of(&big));
        assert!(!big.is_subset_of(&small));
        assert!(LabelSet::new().is_subset_of(&small));
        assert!(!labels(&[("region", "us")]).is_subset_of(&big));
    }
}
