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
        usage: "metric NAME [kind=stock|flow|average|ratio|distinct] [unit=TEXT] [desc=STRING]",
        summary: "define a metric, or change the attributes given",
        examples: &[
            "metric users kind=stock unit=people desc=\"Registered users\"",
            "metric services.daily_use_share kind=ratio",
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
        usage: "growth SELECTOR from ENDPOINT to ENDPOINT [by KEY] [sort FIELD [asc|desc]] [limit N] [asof T]\n       growth SELECTOR over SPAN [to ENDPOINT] [by KEY] [sort FIELD [asc|desc]] [limit N] [asof T]",
        summary: "change, percent, multiple, CAGR and shares between two periods",
        examples: &[
            "growth creators.monthly_active over 1y",
            "growth users from 2022 to 2023 by line",
            "growth * over 1y sort change_pct desc limit 5",
        ],
    },
    Topic {
        name: "series",
        usage: "series SELECTOR [from PERIOD] [to PERIOD] [every year|half|quarter|month|week|day] [asof T]",
        summary: "values over time, with the change from one to the next",
        examples: &[
            "series creators.monthly_active from 2023-05 to 2024-05",
            "series consumers.daily_avg every quarter",
        ],
    },
    Topic {
        name: "chart",
        usage: "chart SELECTOR [from PERIOD] [to PERIOD] [every GRANULARITY] [asof T] to FILE.svg",
        summary: "draw the series as a line chart in an SVG file (quote paths with / in them)",
        examples: &[
            "chart creators.* from 2023-05 to 2024-05 to creators.svg",
            "chart consumers.daily_avg every quarter to \"charts/consumers.svg\"",
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
        usage: ".import FILE [--wide]",
        summary: "load snapshots from CSV, TSV or JSON Lines (series,period,value[,source,note]), all or nothing",
        examples: &[".import snapshots.csv", ".import sheet.csv --wide"],
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
        name: ".quit",
        usage: ".quit  (or .exit)",
        summary: "leave growthdb",
        examples: &[".quit", ".exit"],
    },
];

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
    let mut text = format!("{}\n  {}\n\nExamples:\n", found.usage, found.summary);
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
