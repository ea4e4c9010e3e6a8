//! The arguments of `.import FILE [OPTIONS]`, parsed once into a struct.
//!
//! To add an option: list it in [`OPTIONS`] (and in the usage line of
//! `.import`), give it a field, and read it in [`ImportArgs::parse`].
use crate::core::lexer::Word;

use super::options::{self, Opt, OptionError};

/// Every option `.import` takes.
pub const OPTIONS: &[Opt] = &[Opt::flag("--wide")];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportArgs {
    pub path: String,
    /// The header is `period,SERIES,SERIES,...`.
    pub wide: bool,
}

/// Why `.import`'s words are not a valid import.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportArgsError {
    #[error(transparent)]
    Option(#[from] OptionError),
    #[error("no file to import")]
    NoPath,
    #[error("unexpected \"{0}\"")]
    Extra(String),
}

impl ImportArgs {
    /// The words after `.import`.
    pub fn parse(words: &[Word]) -> Result<ImportArgs, ImportArgsError> {
        let parsed = options::parse(words, OPTIONS)?;
        let mut positional = parsed.positional.iter();
        let path = positional.next().ok_or(ImportArgsError::NoPath)?.clone();
        if let Some(extra) = positional.next() {
            return Err(ImportArgsError::Extra(extra.clone()));
        }
        Ok(ImportArgs {
            path,
            wide: parsed.has("--wide"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::lexer::words;

    fn args(text: &str) -> Result<ImportArgs, ImportArgsError> {
        ImportArgs::parse(&words(text).unwrap())
    }

    #[test]
    fn path_and_flags() {
        let cases = [
            ("a.csv", Ok(("a.csv", false))),
            ("--wide a.csv", Ok(("a.csv", true))),
            (r#""my sheet.csv" --Wide"#, Ok(("my sheet.csv", true))),
            ("", Err(ImportArgsError::NoPath)),
            ("a.csv b.csv", Err(ImportArgsError::Extra("b.csv".into()))),
            (
                "a.csv --narrow",
                Err(ImportArgsError::Option(OptionError::Unknown(
                    "--narrow".into(),
                ))),
            ),
        ];
        for (text, expected) in cases {
            let found = args(text);
            let found = found
                .as_ref()
                .map(|a| (a.path.as_str(), a.wide))
                .map_err(Clone::clone);
            assert_eq!(found, expected, "{text}");
        }
    }
}
