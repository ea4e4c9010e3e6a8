//! `.help` and `.help COMMAND`.

#[derive(Debug, PartialEq, Eq)]
pub struct Topic {
    name: &'static str,
    usage: &'static str,
    summary: &'static str,
    examples: &'static [&'static str],
}

const TOPICS: &[Topic] = &[
    Topic {
        name: "metric",
        usage: "metric NAME [kind=stock|flow|average|ratio|distinct] [unit=TEXT] [desc=STRING]\n       metric PATTERN [kind=...] [unit=TEXT] [desc=STRING]",
        summary: "define a metric, or change the attributes given (of every defined metric a pattern matches)",
        examples: &[
            "metric users kind=stock unit=people desc=\"Registered users\"",
            "metric services.daily_use_share kind=ratio",
            "metric content.* unit=minutes",
        ],
    },
    Topic {
        name: "insert",
        usage: "insert PERIOD SERIES=VALUE [SERIES=VALUE ...] [source=STRING] [note=STRING]",
        summary: "record values for one period (identical values are unchanged; different ones need revise)",
        examples: &[
            "insert 2023 users=1B users{line=non-payment}=210M source=\"annual report\"",
            "insert 2024-05 creators.monthly_active=500k",
        ],
    },
    Topic {
        name: "revise",
        usage: "revise PERIOD SERIES=VALUE [SERIES=VALUE ...] [source=STRING] [note=STRING]",
        summary: "replace recorded values, keeping the old revisions",
        examples: &[
            "revise 2023 users=1.02B note=\"restated\"",
            "revise 2024-05 creators.monthly_active=505k source=\"corrected release\"",
        ],
    },
    Topic {
        name: "delete",
        usage: "delete SERIES PERIOD",
        summary: "hide a snapshot from queries (history keeps it)",
        examples: &[
            "delete users{line=payment} 2022",
            "delete creators.monthly_active 2024-05",
        ],
    },
    Topic {
        name: "growth",
        usage: "growth SELECTOR from ENDPOINT to ENDPOINT [by KEY] [sort FIELD [asc|desc]] [limit N] [trailing SPAN] [asof T]\n       growth SELECTOR over SPAN [to ENDPOINT] [by KEY] [sort FIELD [asc|desc]] [limit N] [trailing SPAN] [asof T]\n       growth SELECTOR over SPAN every GRANULARITY [from ENDPOINT] [to ENDPOINT] [by KEY] [sort FIELD [asc|desc] [limit N]] [trailing SPAN] [asof T]",
        summary: "change, percent, multiple, CAGR and shares between two periods; with every, for each period of a granularity (limit then keeps N rows per period); trailing SPAN compares the SPAN-long windows ending where the periods end",
        examples: &[
            "growth creators.monthly_active over 1y",
            "growth users from 2022 to 2023 by line",
            "growth * over 1y sort change_pct desc limit 5",
            "growth consumers.daily_avg over 1q to qtd",
            "growth users from FY2022 to FY2023",
            "growth creators.monthly_active over 1y every month",
            "growth c* over 1m every month from 2024-01 sort change_pct desc limit 1",
            "growth consumers.daily_avg over 3m to 2024-05 trailing 3m",
            "growth content.* over 6m trailing 6m",
        ],
    },
    Topic {
        name: "series",
        usage: "series SELECTOR [from PERIOD] [to PERIOD] [every GRANULARITY [trailing SPAN]] [asof T]",
        summary: "values over time, with the change from one to the next; every GRANULARITY is year, half, quarter, month, week, day, fiscal_year, fiscal_half or fiscal_quarter, and trailing SPAN takes each as the SPAN-long window ending with it",
        examples: &[
            "series creators.monthly_active from 2023-05 to 2024-05",
            "series consumers.daily_avg every quarter",
            "series consumers.daily_avg every fiscal_quarter from FY2023",
            "series consumers.daily_avg every month from 2024-01 trailing 3m",
            "series content.minutes_per_user every month from 2024-04 trailing 1y",
        ],
    },
    Topic {
        name: "chart",
        usage: "chart SELECTOR [from PERIOD] [to PERIOD] [every GRANULARITY [trailing SPAN]] [asof T] to FILE.svg|FILE.png\n       chart growth SELECTOR over SPAN every GRANULARITY [from PERIOD] [to PERIOD] [trailing SPAN] [asof T] to FILE.svg|FILE.png",
        summary: "draw the series as a line chart in an SVG or PNG file",
        examples: &[
            "chart creators.* from 2023-05 to 2024-05 to creators.svg",
            "chart consumers.daily_avg every quarter to charts/consumers.svg",
            "chart users* from 2022 to 2023 to users.png",
            "chart consumers.daily_avg every month trailing 3m to consumers-3m.svg",
            "chart content.* every month from 2023-10 trailing 6m to content-6m.png",
            "chart growth creators.monthly_active over 1y every month to creators-growth.svg",
        ],
    },
    Topic {
        name: "metrics",
        usage: "metrics [PATTERN]",
        summary: "list metrics with their kind, unit, series and recorded span",
        examples: &["metrics", "metrics creators.*"],
    },
    Topic {
        name: "history",
        usage: "history SERIES [PERIOD]",
        summary: "every revision of a series, deleted and superseded ones included",
        examples: &["history users", "history users 2023"],
    },
    Topic {
        name: "calendar",
        usage: "calendar [fiscal_year_start=MONTH] [fiscal_year_label=end|start]",
        summary: "set the store's fiscal calendar (MONTH: 1-12, april or apr), or print it; FY2024 is labelled by the year it ends in unless fiscal_year_label=start",
        examples: &[
            "calendar fiscal_year_start=april",
            "calendar fiscal_year_start=4 fiscal_year_label=start",
            "calendar",
        ],
    },
    Topic {
        name: "begin",
        usage: "begin ... commit  (or rollback)",
        summary: "make the commands up to commit all or nothing (blocks do not nest)",
        examples: &[
            "begin; insert 2024 users=1.1B; revise 2023 users=1.01B; commit",
            "begin",
            "rollback",
        ],
    },
    Topic {
        name: "commit",
        usage: "commit",
        summary: "keep what the open block did; a block that had a failure was rolled back already",
        examples: &["begin; insert 2024 users=1.1B; commit", "commit"],
    },
    Topic {
        name: "rollback",
        usage: "rollback",
        summary: "undo what the open block did",
        examples: &["begin; delete users 2023; rollback", "rollback"],
    },
    Topic {
        name: ".help",
        usage: ".help [COMMAND]",
        summary: "list the commands, or show one with examples",
        examples: &[".help", ".help growth", ".help .import"],
    },
    Topic {
        name: ".mode",
        usage: ".mode table|csv|tsv|json|jsonl|markdown",
        summary: "choose the output format",
        examples: &[".mode csv", ".mode table"],
    },
    Topic {
        name: ".output",
        usage: ".output FILE|stdout",
        summary: "send query output to a file, or back to stdout",
        examples: &[".output growth.csv", ".output stdout"],
    },
    Topic {
        name: ".read",
        usage: ".read FILE",
        summary: "run the commands in a file",
        examples: &[
            ".read fixtures/alipay.growth",
            ".read \"my queries.growth\"",
        ],
    },
    Topic {
        name: ".import",
        usage: ".import FILE [--wide] [OPTIONS] (see .help .import)",
        summary: "load a table from CSV, TSV, JSON Lines, JSON, a workbook or gzip, all or nothing",
        examples: &[
            ".import snapshots.csv",
            ".import sheet.csv --wide",
            ".import fixtures/gapminder.csv --period year --labels continent,country --values pop=pop,lifeExp=life_exp",
            ".import fixtures/wdi_gdp.csv --skip 4 --period-columns --metric gdp --labels \"Country Name\"=country,\"Country Code\"=iso3,\"Indicator Name\"=indicator,\"Indicator Code\"=code --source \"World Bank\"",
            ".import fixtures/wdi_extract.csv --period-columns --metric population --labels \"Country Name=country,Country Code=iso3,Series Name=indicator,Series Code=code\" --missing ..",
            ".import fixtures/prices.csv --period Date --period-format \"%b %d %Y\" --values Close=close --dry-run",
            "metric close kind=stock; .import fixtures/prices.csv.gz --period Date --period-format \"%b %d %Y\" --grain month --values Close=close",
            ".import fixtures/payems.csv --period observation_date --grain month --values PAYEMS=jobs",
            ".import fixtures/book.xlsx --sheet Rates --period Month --values Participation=participation --percent",
            ".import fixtures/countries.json --period year --labels country,iso3 --values population=population,unemployment=unemployment",
            ".import fixtures/weather.csv --period date --period-format %Y/%m/%d --values precipitation=rain --revise",
        ],
    },
    Topic {
        name: ".export",
        usage: ".export FILE [SELECTOR] [--history]",
        summary: "write current snapshots (or every revision) to CSV, TSV or JSON Lines",
        examples: &[
            ".export all.csv",
            ".export users.jsonl users*",
            ".export history.csv --history",
        ],
    },
    Topic {
        name: ".asof",
        usage: ".asof T|off",
        summary: "answer queries from the revisions recorded up to T (RFC 3339 or a day)",
        examples: &[
            ".asof 2024-06-12",
            ".asof 2024-06-12T10:00:00Z",
            ".asof off",
        ],
    },
    Topic {
        name: ".timer",
        usage: ".timer on|off",
        summary: "show how long each command takes",
        examples: &[".timer on", ".timer off"],
    },
    Topic {
        name: ".schema",
        usage: ".schema",
        summary: "show the store's SQL schema",
        examples: &[".schema"],
    },
    Topic {
        name: ".sql",
        usage: ".sql QUERY",
        summary: "run one read-only SQL statement on the store (the rest of the line, as written)",
        examples: &[
            ".sql SELECT series, first_day, value FROM current_snapshot LIMIT 5",
            ".sql SELECT name, kind FROM metric WHERE kind IS NULL",
        ],
    },
    Topic {
        name: ".check",
        usage: ".check",
        summary: "check the store: SQLite's integrity check and growthdb's own invariants",
        examples: &[".check"],
    },
    Topic {
        name: ".print",
        usage: ".print TEXT",
        summary: "write a line of text to the output, such as a caption before a query in a script",
        examples: &[
            ".print \"Monthly active creators, 2023-05 to 2024-05:\"",
            ".print Daily use of services",
        ],
    },
    Topic {
        name: ".quit",
        usage: ".quit  (or .exit)",
        summary: "leave growthdb",
        examples: &[".quit", ".exit"],
    },
];

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
    let wanted = if wanted == ".exit" { ".quit" } else { &wanted };
    TOPICS
        .iter()
        .find(|t| t.name == wanted || t.name.trim_start_matches('.') == wanted)
}

/// A command's usage line, for errors: `.import FILE [--wide]`.
pub fn usage(name: &str) -> &'static str {
    topic(name).map_or("", |t| t.usage)
}

/// The help text for `.help` (no topic) or `.help TOPIC`.
pub fn help(topic: Option<&Topic>) -> String {
    let Some(found) = topic else {
        let width = TOPICS.iter().map(|t| t.name.len()).max().unwrap_or(0);
        let mut text = String::from("Commands (one per line, or separated by ;):\n");
        for t in TOPICS {
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
    use crate::core::parser::{COMMAND_NAMES, parse_line};
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
            TOPICS.len(),
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

    /// The examples are real: each command's examples parse.
    #[test]
    fn language_examples_parse() {
        for topic in TOPICS.iter().filter(|t| !t.name.starts_with('.')) {
            assert!(
                topic.examples.len() >= 2,
                "{} needs two examples",
                topic.name
            );
            for example in topic.examples {
                for parsed in parse_line(example) {
                    if let Err(e) = parsed {
                        panic!("{}: {example}: {e}", topic.name);
                    }
                }
            }
        }
    }
}
