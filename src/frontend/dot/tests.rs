use super::*;

fn err(text: &str) -> String {
    parse(text).unwrap_err().to_string()
}

#[test]
fn commands_parse_once_into_values() {
    let cases = [
        (".MODE csv", SessionCommand::Mode(Format::Csv)),
        (".output stdout", SessionCommand::Output(None)),
        (
            ".output \"a b.csv\"",
            SessionCommand::Output(Some("a b.csv".into())),
        ),
        (".read x.growth", SessionCommand::Read("x.growth".into())),
        (".asof off", SessionCommand::Asof(None)),
        (".timer ON", SessionCommand::Timer(true)),
        (".schema", SessionCommand::Schema),
        (".check", SessionCommand::Check),
        (".print", SessionCommand::Print(String::new())),
        (
            ".print \"Creators: 10x\"  in a year",
            SessionCommand::Print("Creators: 10x in a year".into()),
        ),
        (".exit", SessionCommand::Quit),
        (".sql SELECT ';' ", SessionCommand::Sql("SELECT ';'".into())),
        (".help", SessionCommand::Help(None)),
        (
            ".import a.csv --wide",
            SessionCommand::Import(ImportArgs {
                path: "a.csv".into(),
                wide: true,
                ..ImportArgs::default()
            }),
        ),
        (
            ".export o.csv --history",
            SessionCommand::Export(ExportArgs {
                path: "o.csv".into(),
                selector: None,
                history: true,
            }),
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(parse(text), Ok(expected), "{text}");
    }
    assert!(matches!(
        parse(".help .import"),
        Ok(SessionCommand::Help(Some(_)))
    ));
    assert!(matches!(
        parse(".export o.csv users{a=\"b c\"}"),
        Ok(SessionCommand::Export(ExportArgs {
            selector: Some(_),
            ..
        }))
    ));
}

#[test]
fn mistakes_name_the_text_and_the_usage() {
    let cases = [
        (
            ".frob",
            "unknown session command \".frob\"; type .help for the list",
        ),
        (".mode", "usage: .mode table|csv|tsv|json|jsonl|markdown"),
        (
            ".mode csv tsv",
            "unexpected \"tsv\"; usage: .mode table|csv|tsv|json|jsonl|markdown",
        ),
        (
            ".import",
            "usage: .import FILE [--wide] [OPTIONS] (see .help .import)",
        ),
        (
            ".import a.csv --narrow",
            "unknown option \"--narrow\"; usage: .import FILE [--wide] [OPTIONS] (see .help .import)",
        ),
        (
            ".export o.csv --wide",
            "unknown option \"--wide\"; usage: .export FILE [SELECTOR] [--history]",
        ),
        (".exit 1", "unexpected \"1\"; usage: .exit"),
        (".sql", "usage: .sql QUERY"),
        (".timer maybe", "expected on or off, found \"maybe\""),
        (
            ".help nosuch",
            "no help for \"nosuch\"; type .help for the list of commands",
        ),
        (
            ".read \"open",
            "unterminated string starting here in \".read \"open\"",
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(err(text), expected, "{text}");
    }
}
