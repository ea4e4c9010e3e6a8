//! Session commands: lines starting with `.`, which act on the session
//! rather than the store's data. Each takes the rest of its line.
use std::fs::File;
use std::io::{self, BufWriter};

use crate::core::parser::{parse_asof, parse_selector};
use crate::render::Format;

use super::help;
use super::{Flow, MAX_READ_DEPTH, Origin, Session};

/// Every session command, in the order help lists them.
pub const SESSION_COMMANDS: [&str; 13] = [
    ".help", ".mode", ".output", ".read", ".import", ".export", ".asof", ".timer", ".schema",
    ".sql", ".check", ".quit", ".exit",
];

impl Session {
    /// Runs one session command; an `Err` is the message for the user.
    pub(super) fn session_command(&mut self, text: &str) -> Result<Flow, String> {
        if let Some(query) = sql_query(text) {
            if query.is_empty() {
                return Err("usage: .sql QUERY (one read-only SQL statement)".into());
            }
            let rows = self.exec.sql(query).map_err(|e| e.to_string())?;
            return Ok(self.write_rows(&rows));
        }
        let words = split_words(text)?;
        let (name, args) = words.split_first().expect("text starts with a dot");
        let arg = |i: usize| args.get(i).map(String::as_str);
        let expect_args = |min: usize, max: usize, usage: &str| match args.get(max) {
            Some(extra) => Err(format!("unexpected \"{extra}\"; usage: {usage}")),
            None if args.len() < min => Err(format!("usage: {usage}")),
            None => Ok(()),
        };
        match name.to_ascii_lowercase().as_str() {
            ".help" => {
                expect_args(0, 1, ".help [COMMAND]")?;
                let text = help::help(arg(0))?;
                self.write_output(&text);
            }
            ".mode" => {
                expect_args(1, 1, &format!(".mode {}", Format::names()))?;
                self.format = Format::parse_named(arg(0).unwrap_or_default())?;
            }
            ".output" => {
                expect_args(0, 1, ".output FILE|stdout")?;
                self.flush();
                self.output = match arg(0) {
                    None => Box::new(BufWriter::new(io::stdout())),
                    Some(word) if word.eq_ignore_ascii_case("stdout") => {
                        Box::new(BufWriter::new(io::stdout()))
                    }
                    Some(path) => Box::new(BufWriter::new(
                        File::create(path).map_err(|e| format!("cannot write {path}: {e}"))?,
                    )),
                };
            }
            ".read" => {
                expect_args(1, 1, ".read FILE")?;
                return self.read(arg(0).unwrap_or_default());
            }
            ".asof" => {
                expect_args(1, 1, ".asof T|off (T: RFC 3339 time or a day)")?;
                let word = arg(0).unwrap_or_default();
                self.asof = if word.eq_ignore_ascii_case("off") {
                    None
                } else {
                    Some(parse_asof(word)?)
                };
            }
            ".timer" => {
                expect_args(1, 1, ".timer on|off")?;
                self.timer = on_off(arg(0).unwrap_or_default())?;
            }
            ".schema" => {
                expect_args(0, 0, ".schema")?;
                let statements = self.exec.store().schema_sql().map_err(|e| e.to_string())?;
                let text: String = statements.iter().map(|s| format!("{s};\n")).collect();
                self.write_output(&text);
            }
            ".import" => {
                let (paths, flags) = split_flags(args, &["--wide"]);
                let path = match paths.as_slice() {
                    [path] => path,
                    [_, extra, ..] => {
                        return Err(format!(
                            "unexpected \"{extra}\"; usage: .import FILE [--wide]"
                        ));
                    }
                    [] => return Err("usage: .import FILE [--wide]".into()),
                };
                return self.import(path, flags.contains(&"--wide"));
            }
            ".export" => {
                let (words, flags) = split_flags(args, &["--history"]);
                let (path, selector) = match words.as_slice() {
                    [path] => (path, None),
                    [path, selector] => (path, Some(selector)),
                    [_, _, extra, ..] => {
                        return Err(format!(
                            "unexpected \"{extra}\"; usage: .export FILE [SELECTOR] [--history]"
                        ));
                    }
                    _ => return Err("usage: .export FILE [SELECTOR] [--history]".into()),
                };
                let selector = selector
                    .map(|text| {
                        parse_selector(text)
                            .map_err(|e| format!("invalid selector \"{text}\": {}", e.message))
                    })
                    .transpose()?;
                return self.export(path, selector.as_ref(), flags.contains(&"--history"));
            }
            ".check" => {
                expect_args(0, 0, ".check")?;
                let (rows, problems) = self.exec.check().map_err(|e| e.to_string())?;
                if self.write_rows(&rows) == Flow::Stop {
                    return Ok(Flow::Stop);
                }
                if problems > 0 {
                    return Err(format!("the store check found {problems} problem(s)"));
                }
            }
            ".quit" | ".exit" => {
                expect_args(0, 0, name)?;
                return Ok(Flow::Stop);
            }
            _ => {
                return Err(format!(
                    "unknown session command \"{name}\"; type .help for the list"
                ));
            }
        }
        Ok(Flow::Continue)
    }

    fn read(&mut self, path: &str) -> Result<Flow, String> {
        if self.read_depth >= MAX_READ_DEPTH {
            return Err(format!(
                ".read {path}: files nest more than {MAX_READ_DEPTH} deep"
            ));
        }
        let file = super::input::open_input(path)?;
        self.read_depth += 1;
        let mut source = super::input::ReaderSource::new(io::BufReader::new(file));
        let flow = self.run_lines(&mut source, &Origin::File(path.to_string()));
        self.read_depth -= 1;
        Ok(flow)
    }

    /// Text for people that belongs with query output (help, schema).
    fn write_output(&mut self, text: &str) {
        if let Err(err) = self.output.write_all(text.as_bytes()) {
            self.output_failed(err);
        }
    }
}

use std::io::Write as _;

/// The SQL of a `.sql QUERY` line, taken as written (quotes, `;` and all).
pub(super) fn sql_query(text: &str) -> Option<&str> {
    let rest = text.trim_start();
    let head = rest.get(..4)?;
    let after = &rest[4..];
    (head.eq_ignore_ascii_case(".sql")
        && (after.is_empty() || after.starts_with(char::is_whitespace)))
    .then(|| after.trim())
}

fn on_off(word: &str) -> Result<bool, String> {
    match word.to_ascii_lowercase().as_str() {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(format!("expected on or off, found \"{word}\"")),
    }
}

/// Splits a session command line into words. A word that starts with a
/// double quote is a string (`.read "my file.growth"`, with `\"` and `\\`
/// escapes); a quote inside a bare word is kept as written, so that a
/// selector such as `pop{country="Korea, Dem. Rep."}` stays one word.
fn split_words(text: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut chars = text.trim().chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut word = String::new();
        if c == '"' {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') => break,
                    Some('\\') => match chars.next() {
                        Some(e @ ('"' | '\\')) => word.push(e),
                        other => {
                            return Err(format!(
                                "invalid escape \"\\{}\"; expected \\\" or \\\\",
                                other.map(String::from).unwrap_or_default()
                            ));
                        }
                    },
                    Some(other) => word.push(other),
                    None => return Err(format!("unterminated string in \"{}\"", text.trim())),
                }
            }
        } else {
            let mut quoted = false;
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() && !quoted {
                    break;
                }
                if c == '"' && !word.ends_with('\\') {
                    quoted = !quoted;
                }
                word.push(c);
                chars.next();
            }
        }
        words.push(word);
    }
    Ok(words)
}

/// Separates the flags a command knows from its other words.
fn split_flags<'a>(
    args: &'a [String],
    known: &[&'static str],
) -> (Vec<&'a str>, Vec<&'static str>) {
    let mut words = Vec::new();
    let mut flags = Vec::new();
    for arg in args {
        match known.iter().find(|flag| arg.eq_ignore_ascii_case(flag)) {
            Some(flag) => flags.push(*flag),
            None => words.push(arg.as_str()),
        }
    }
    (words, flags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_quotes() {
        let cases: [(&str, &[&str]); 4] = [
            (".mode csv", &[".mode", "csv"]),
            ("  .read   a.growth ", &[".read", "a.growth"]),
            (r#".read "my file.growth""#, &[".read", "my file.growth"]),
            (r#".output "a\"b\\c""#, &[".output", r#"a"b\c"#]),
        ];
        for (text, expected) in cases {
            assert_eq!(split_words(text).unwrap(), expected, "{text}");
        }
        assert!(split_words(r#".read "open"#).is_err());
        assert!(split_words(r#".read "a\n""#).is_err());
    }

    #[test]
    fn on_and_off() {
        assert_eq!(on_off("ON"), Ok(true));
        assert_eq!(on_off("off"), Ok(false));
        assert!(on_off("yes").is_err());
    }
}
