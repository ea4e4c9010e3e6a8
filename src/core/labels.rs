//! Label sets and series keys, with their canonical text.
use std::fmt;

/// Labels of a series. Kept sorted by key, which is the canonical order.
/// A series has a few labels at most, which a sorted vector holds in one
/// allocation (a map takes a node of a dozen entries for one label).
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LabelSet(Vec<(String, String)>);

impl fmt::Debug for LabelSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Map<'a>(&'a [(String, String)]);
        impl fmt::Debug for Map<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_map()
                    .entries(self.0.iter().map(|(k, v)| (k, v)))
                    .finish()
            }
        }
        f.debug_tuple("LabelSet").field(&Map(&self.0)).finish()
    }
}

impl LabelSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a label; returns the previous value when the key was already set.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<String>) -> Option<String> {
        let key = key.into();
        match self.position(&key) {
            Ok(at) => Some(std::mem::replace(&mut self.0[at].1, value.into())),
            Err(at) => {
                self.0.insert(at, (key, value.into()));
                None
            }
        }
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.position(key).ok().map(|at| self.0[at].1.as_str())
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

    /// Whether `other` has every key here with a value that matches this
    /// one, where `*` in a value here stands for any run of characters.
    pub fn matches(&self, other: &LabelSet) -> bool {
        self.iter()
            .all(|(k, v)| other.get(k).is_some_and(|value| glob_match(v, value)))
    }

    /// Whether a value here holds a `*` wildcard.
    pub fn has_wildcard(&self) -> bool {
        self.0.iter().any(|(_, v)| v.contains('*'))
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
        let mut labels = LabelSet::new();
        for (key, value) in iter {
            labels.insert(key, value);
        }
        labels
    }
}

/// Whether `text` matches `pattern`, in which `*` stands for any run of
/// characters (none included) and everything else for itself.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let Some(last) = parts.next_back() else {
        return rest.is_empty();
    };
    // Each middle part at its leftmost place leaves the most room after it.
    for middle in parts {
        match rest.find(middle) {
            Some(at) => rest = &rest[at + middle.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
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
        self.write(f, false)
    }
}

impl LabelSet {
    /// The canonical text; with `wildcards` (a selector's labels), values
    /// whose only other character is `*` stay bare: `{symbol=A*}`.
    pub fn write(&self, f: &mut impl fmt::Write, wildcards: bool) -> fmt::Result {
        if self.is_empty() {
            return Ok(());
        }
        f.write_str("{")?;
        for (i, (key, value)) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{key}=")?;
            let bare = if wildcards {
                is_bare_label_value(&value.replace('*', "x"))
            } else {
                is_bare_label_value(value)
            };
            if bare {
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

    #[test]
    fn wildcards_in_label_values() {
        for (pattern, text, expected) in [
            ("A*", "AAPL", true),
            ("A*", "A", true),
            ("A*", "MSFT", false),
            ("*", "", true),
            ("Korea*", "Korea, Dem. Rep.", true),
            ("*Rep.", "Korea, Rep.", true),
            ("K*a*p", "Korea, Dem. Rep", true),
            ("a*a", "a", false),
            ("a*b*c", "abc", true),
            ("a*b*c", "acb", false),
            ("exact", "exact", true),
            ("exact", "exactly", false),
        ] {
            assert_eq!(glob_match(pattern, text), expected, "{pattern} ~ {text}");
        }
        let pattern = labels(&[("country", "Korea*")]);
        assert!(pattern.matches(&labels(&[("country", "Korea, Rep."), ("x", "y")])));
        assert!(!pattern.matches(&labels(&[("region", "Korea")])));
        assert!(pattern.has_wildcard() && !labels(&[("a", "b")]).has_wildcard());
    }

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
