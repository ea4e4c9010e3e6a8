use super::*;
use crate::core::lexer::words;

fn args(text: &str) -> Result<ImportArgs, ImportArgsError> {
    let line = format!(".import {text}");
    let words = words(&line).unwrap();
    ImportArgs::parse(&line, &words[1..])
}

fn pairs(items: &[(&str, Option<&str>)]) -> Vec<(String, Option<String>)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.map(str::to_string)))
        .collect()
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

#[test]
fn names_quoted_on_their_own_or_the_whole_value() {
    let expected = pairs(&[
        ("Country Name", Some("country")),
        ("Country Code", Some("iso3")),
    ]);
    for text in [
        r#"wb.csv --period-columns --metric gdp --labels "Country Name"=country,"Country Code"=iso3"#,
        r#"wb.csv --period-columns --metric gdp --labels "Country Name=country,Country Code=iso3""#,
        r#"wb.csv --period-columns --metric gdp --labels="Country Name"=country,"Country Code"=iso3"#,
    ] {
        assert_eq!(args(text).unwrap().labels, expected, "{text}");
    }
    let a = args(r#"g.csv --period year --values pop=pop,"life, exp"=life_exp,gdp --labels continent,country --missing NA,..,- --source "World Bank, 2024" --period-format "%b %d %Y" --grain Month --skip 4 --sheet "Data 1" --percent --revise --dry-run"#).unwrap();
    assert_eq!(a.period.as_deref(), Some("year"));
    assert_eq!(
        a.values,
        [
            ("pop".to_string(), "pop".to_string()),
            ("life, exp".to_string(), "life_exp".to_string()),
            ("gdp".to_string(), "gdp".to_string())
        ]
    );
    assert_eq!(a.labels, pairs(&[("continent", None), ("country", None)]));
    assert_eq!(a.missing, ["NA", "..", "-"]);
    assert_eq!(a.source.as_deref(), Some("World Bank, 2024"));
    assert_eq!(a.period_format.as_deref(), Some("%b %d %Y"));
    assert_eq!(a.grain, Some(Granularity::Month));
    assert_eq!((a.skip, a.sheet.as_deref()), (4, Some("Data 1")));
    assert!(a.percent && a.revise && a.dry_run);
    assert_eq!(
        args("t.csv --period-columns --metric m --missing \"n=a\"")
            .unwrap()
            .missing,
        ["n=a"]
    );
}

#[test]
fn options_that_do_not_go_together() {
    let cases = [
        ("a.csv --period y", "--period needs --values"),
        ("a.csv --values a=b", "--values goes with --period"),
        ("a.csv --period-columns", "--period-columns needs --metric"),
        ("a.csv --metric m", "--metric goes with --period-columns"),
        (
            "a.csv --period y --values v --period-columns --metric m",
            "two layouts",
        ),
        ("a.csv --grain month", "--grain reads a table"),
        ("a.csv --wide --period y --values v", "--wide reads"),
        (
            "a.csv --period y --values v --grain fortnight",
            "--grain takes year",
        ),
        (
            "a.csv --period y --values v --skip -1",
            "--skip takes a number",
        ),
        ("a.csv --period y --values v --labels a,,b", "an empty name"),
        (
            r#"a.csv --period y --values "a"b=c"#,
            "after the closing quote",
        ),
        ("a.csv --period y --values v --skip", "--skip needs a value"),
    ];
    for (text, expected) in cases {
        let error = args(text).unwrap_err().to_string();
        assert!(error.contains(expected), "{text}: {error}");
    }
}
