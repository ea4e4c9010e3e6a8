//! `.help` and `.help COMMAND`, from the registries of commands
//! ([`LANGUAGE`] and [`SESSION`]).

use crate::core::parser::{LANGUAGE, Topic};

use super::session_commands::SESSION;

/// Every topic, in the order `.help` lists them: the language's commands,
/// then the session's.
fn topics() -> impl Iterator<Item = &'static Topic> {
    LANGUAGE
        .iter()
        .map(|c| &c.topic)
        .chain(SESSION.iter().map(|s| &s.topic))
}

/// More about a command than its usage line says.
const DETAILS: &[(&str, &str)] = &[(".import", IMPORT_DETAILS)];

const IMPORT_DETAILS: &str = "\
  .import FILE [--wide] [--sheet NAME] [--skip N]
  .import FILE --period COL --values COL=METRIC[,...] [--labels COL[=KEY][,...]] [OPTIONS]
  .import FILE --period-columns --metric METRIC [--labels COL[=KEY][,...]] [OPTIONS]
Formats by extension: .csv .tsv .jsonl .json (an array of objects) .xlsx .xls .ods,
and .csv.gz .tsv.gz .jsonl.gz .json.gz. Without --period or --period-columns the
file holds series,period,value[,source,note] (or, with --wide, period,SERIES,...).
  --period COL              the column of periods: a long table, one row per period
  --values COL=METRIC,...   value columns and the metric each records
  --labels COL[=KEY],...    label columns; the key is the header unless =KEY is given
  --period-columns          one column per period (headers such as 2000 or 2000 [YR2000])
  --metric METRIC           the metric of a periods-across table
  --period-format FMT       read periods with strftime directives (%m/%d/%Y, \"%b %d %Y\", %Y%m)
  --grain GRAIN             record each period as the year|half|quarter|month|week|day
                            that holds it; several cells on one period combine by the
                            metric's kind (stock: latest, flow: sum, average/ratio: mean)
  --missing TEXT,...        value texts that mean no value (NA,..,-)
  --percent                 value cells are percents: 3.7 is 0.037
  --sheet NAME              the sheet of a workbook (default: the first)
  --skip N                  skip N lines (rows of a sheet) before the header
  --source TEXT             the source of every snapshot (else the file's source column)
  --revise                  record changed values as new revisions instead of failing
  --dry-run                 check every cell and show per series what would be written
Quote names with spaces, commas or =: --labels \"Country Name\"=country,\"Country Code\"=iso3
or the whole value: --labels \"Country Name=country\". A bad cell fails the whole
import, naming its line (or SHEET!CELL) and column.
";

/// The topic `.help NAME` shows: a command with or without its dot, in
/// any case; `.exit` is `.quit`.
pub fn topic(name: &str) -> Option<&'static Topic> {
    let wanted = name.to_ascii_lowercase();
    if wanted.starts_with('.')
        && let Some(session) = super::session_commands::find(&wanted)
    {
        return Some(&session.topic);
    }
    topics().find(|t| t.name == wanted || t.name.trim_start_matches('.') == wanted)
}

/// A command's usage line, for errors: `.import FILE [--wide]`.
pub fn usage(name: &str) -> &'static str {
    topic(name).map_or("", |t| t.usage)
}

/// The help text for `.help` (no topic) or `.help TOPIC`.
pub fn help(topic: Option<&Topic>) -> String {
    let Some(found) = topic else {
        let width = topics().map(|t| t.name.len()).max().unwrap_or(0);
        let mut text = String::from("Commands (one per line, or separated by ;):\n");
        for t in topics() {
            text.push_str(&format!("  {:width$}  {}\n", t.name, t.summary));
        }
        text.push_str("Type .help COMMAND for its syntax and examples.\n");
        return text;
    };
    let mut text = format!("{}\n  {}\n", found.usage, found.summary);
    if let Some((_, details)) = DETAILS.iter().find(|(name, _)| *name == found.name) {
        text.push('\n');
        text.push_str(details);
    }
    text.push_str("\nExamples:\n");
    for example in found.examples {
        text.push_str(&format!("  {example}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::parser::COMMAND_NAMES;
    use crate::frontend::session_commands::SESSION_COMMANDS;

    #[test]
    fn every_command_has_help_with_examples() {
        let list = help(None);
        for name in COMMAND_NAMES.iter().chain(&SESSION_COMMANDS) {
            let page = help(Some(topic(name).unwrap_or_else(|| panic!("{name}"))));
            assert!(page.contains("Examples:"), "{name}");
            if *name != ".exit" {
                assert!(
                    list.contains(&format!("  {name} ")),
                    "{name} missing from .help"
                );
            }
        }
        assert_eq!(
            topics().count(),
            COMMAND_NAMES.len() + SESSION_COMMANDS.len() - 1
        );
        assert!(help(topic("GROWTH")).starts_with("growth SELECTOR"));
        assert!(help(topic(".exit")).starts_with(".quit"));
        assert_eq!(topic("nosuch"), None);
        assert_eq!(
            usage(".mode"),
            format!(".mode {}", crate::render::Format::names())
        );
    }
}
