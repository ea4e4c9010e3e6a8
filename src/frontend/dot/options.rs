//! The `--name [VALUE]` options of session commands, separated from their
//! other words. Flags are matched ignoring case; a quoted word is never a
//! flag, so `"--odd name.csv"` is a path. A value follows its flag as the
//! next word or after `=`: `--period Year` or `--period=Year`, quoted when
//! it has spaces: `--source "annual report"`.
use crate::core::lexer::Word;

/// An option a command knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opt {
    /// With its dashes: `--wide`.
    pub name: &'static str,
    /// What its value is called in usage lines (`COL`), or `None` for a
    /// flag without a value.
    pub value: Option<&'static str>,
}

impl Opt {
    pub const fn flag(name: &'static str) -> Opt {
        Opt { name, value: None }
    }

    pub const fn valued(name: &'static str, value: &'static str) -> Opt {
        Opt {
            name,
            value: Some(value),
        }
    }
}

/// What is wrong with a command's options.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OptionError {
    #[error("unknown option \"{0}\"")]
    Unknown(String),
    #[error("{0} needs a value: {0} {1}")]
    MissingValue(&'static str, &'static str),
    #[error("{0} takes no value; found \"{1}\"")]
    UnexpectedValue(&'static str, String),
    #[error("{0} is given twice")]
    GivenTwice(&'static str),
}

/// A command's words: the positional ones in order, and the options given
/// with their values.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub positional: Vec<String>,
    pub options: Vec<(&'static str, Option<String>)>,
}

impl Parsed {
    /// Whether a flag was given.
    pub fn has(&self, name: &str) -> bool {
        self.options.iter().any(|(n, _)| *n == name)
    }

    /// The value given to an option, if it was.
    #[allow(dead_code, reason = "no option takes a value yet; tests cover it")]
    pub fn value(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v.as_deref())
    }
}

/// Splits `words` into positional words and the options in `known`.
pub fn parse(words: &[Word], known: &[Opt]) -> Result<Parsed, OptionError> {
    let mut parsed = Parsed::default();
    let mut words = words.iter();
    while let Some(word) = words.next() {
        let text = word.text.as_ref();
        if word.quoted || !text.starts_with("--") {
            parsed.positional.push(text.to_string());
            continue;
        }
        let (name, inline) = match text.split_once('=') {
            Some((name, value)) => (name, Some(value.to_string())),
            None => (text, None),
        };
        let opt = known
            .iter()
            .find(|opt| opt.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| OptionError::Unknown(text.to_string()))?;
        if parsed.has(opt.name) {
            return Err(OptionError::GivenTwice(opt.name));
        }
        let value = match (opt.value, inline) {
            (None, None) => None,
            (None, Some(value)) => return Err(OptionError::UnexpectedValue(opt.name, value)),
            (Some(_), Some(value)) => Some(value),
            (Some(what), None) => match words.next() {
                Some(next) => Some(next.text.to_string()),
                None => return Err(OptionError::MissingValue(opt.name, what)),
            },
        };
        parsed.options.push((opt.name, value));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::lexer::words;

    const KNOWN: &[Opt] = &[Opt::flag("--wide"), Opt::valued("--source", "TEXT")];

    fn parsed(text: &str) -> Result<Parsed, OptionError> {
        parse(&words(text).unwrap(), KNOWN)
    }

    #[test]
    fn flags_values_and_positional_words() {
        let p = parsed(r#"a.csv --WIDE --source "annual report""#).unwrap();
        assert_eq!(p.positional, ["a.csv"]);
        assert!(p.has("--wide"));
        assert_eq!(p.value("--source"), Some("annual report"));
        let p = parsed(r#"--source=web "--odd.csv""#).unwrap();
        assert_eq!(p.value("--source"), Some("web"));
        assert_eq!(p.positional, ["--odd.csv"]);
    }

    #[test]
    fn mistakes_are_named() {
        let cases = [
            ("a.csv --narrow", OptionError::Unknown("--narrow".into())),
            (
                "a.csv --source",
                OptionError::MissingValue("--source", "TEXT"),
            ),
            (
                "--wide=yes",
                OptionError::UnexpectedValue("--wide", "yes".into()),
            ),
            ("--wide a --wide", OptionError::GivenTwice("--wide")),
        ];
        for (text, expected) in cases {
            assert_eq!(parsed(text), Err(expected), "{text}");
        }
    }
}
