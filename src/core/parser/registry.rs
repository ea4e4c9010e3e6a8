//! The commands of the language, one entry each: the name the parser
//! dispatches on, what `.help` shows (usage, summary, examples), the
//! clauses completion offers, and the function that parses the rest of
//! the statement. Help, completion and highlighting all read [`LANGUAGE`].
use std::fmt;

use super::keywords::{
    ASOF, BY, DESC, EVERY, FROM, KIND, LIMIT, NOTE, OVER, SORT, SOURCE, TO, TRAILING, UNIT,
};
use super::{CALENDAR_SETTINGS, ParseError, Parser};
use crate::core::command::Command;

/// What help shows of a command.
#[derive(Debug, PartialEq, Eq)]
pub struct Topic {
    pub name: &'static str,
    /// One line per form; the lines after the first are indented to line
    /// up under the first.
    pub usage: &'static str,
    pub summary: &'static str,
    /// Each parses (a test makes sure), so help never shows a stale one.
    pub examples: &'static [&'static str],
}

type Parse = fn(&mut Parser<'_>) -> Result<Command, ParseError>;

/// One command of the language.
pub struct LanguageCommand {
    pub topic: Topic,
    /// The keywords of its clauses or settings, in the order completion
    /// offers them.
    pub clauses: &'static [&'static str],
    /// Parses what follows the name.
    parse: Parse,
}

impl LanguageCommand {
    pub fn name(&self) -> &'static str {
        self.topic.name
    }

    /// The entry of a lowercased command name.
    pub(super) fn find(name: &str) -> Option<&'static LanguageCommand> {
        LANGUAGE.iter().find(|c| c.topic.name == name)
    }

    pub(super) fn parse(&self, parser: &mut Parser<'_>) -> Result<Command, ParseError> {
        (self.parse)(parser)
    }
}

/// Every command of the language, in the order help lists them.
pub const COMMAND_NAMES: [&str; LANGUAGE.len()] = {
    let mut names = [""; LANGUAGE.len()];
    let mut i = 0;
    while i < LANGUAGE.len() {
        names[i] = LANGUAGE[i].topic.name;
        i += 1;
    }
    names
};

/// The command names as messages list them: `metric, insert, ... or rollback`.
pub struct CommandList;

impl fmt::Display for CommandList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (last, rest) = COMMAND_NAMES.split_last().expect("there are commands");
        write!(f, "{} or {last}", rest.join(", "))
    }
}

/// The language's commands.
pub const LANGUAGE: &[LanguageCommand] = &[
    LanguageCommand {
        topic: Topic {
            name: "metric",
            usage: "metric NAME [kind=stock|flow|average|ratio|distinct] [unit=TEXT] [desc=STRING]\n       metric PATTERN [kind=...] [unit=TEXT] [desc=STRING]",
            summary: "define a metric, or change the attributes given (of every defined metric a pattern matches)",
            examples: &[
                "metric users kind=stock unit=people desc=\"Registered users\"",
                "metric services.daily_use_share kind=ratio",
                "metric content.* unit=minutes",
            ],
        },
        clauses: &[KIND, UNIT, DESC],
        parse: |p| p.metric(),
    },
    LanguageCommand {
        topic: Topic {
            name: "insert",
            usage: "insert PERIOD SERIES=VALUE [SERIES=VALUE ...] [source=STRING] [note=STRING]",
            summary: "record values for one period (identical values are unchanged; different ones need revise)",
            examples: &[
                "insert 2023 users=1B users{line=non-payment}=210M source=\"annual report\"",
                "insert 2024-05 creators.monthly_active=500k",
            ],
        },
        clauses: &[SOURCE, NOTE],
        parse: |p| Ok(Command::Insert(p.write("insert")?)),
    },
    LanguageCommand {
        topic: Topic {
            name: "revise",
            usage: "revise PERIOD SERIES=VALUE [SERIES=VALUE ...] [source=STRING] [note=STRING]",
            summary: "replace recorded values, keeping the old revisions",
            examples: &[
                "revise 2023 users=1.02B note=\"restated\"",
                "revise 2024-05 creators.monthly_active=505k source=\"corrected release\"",
            ],
        },
        clauses: &[SOURCE, NOTE],
        parse: |p| Ok(Command::Revise(p.write("revise")?)),
    },
    LanguageCommand {
        topic: Topic {
            name: "delete",
            usage: "delete SERIES PERIOD",
            summary: "hide a snapshot from queries (history keeps it)",
            examples: &[
                "delete users{line=payment} 2022",
                "delete creators.monthly_active 2024-05",
            ],
        },
        clauses: &[],
        parse: |p| {
            let series = p.series_key("a series after \"delete\"")?;
            let period = p.period("a period after the series")?;
            Ok(Command::Delete { series, period })
        },
    },
    LanguageCommand {
        topic: Topic {
            name: "growth",
            usage: "growth SELECTOR from ENDPOINT to ENDPOINT [by KEY] [sort FIELD [asc|desc]] [limit N] [trailing SPAN] [asof T]\n       growth SELECTOR over SPAN [to ENDPOINT] [by KEY] [sort FIELD [asc|desc]] [limit N] [trailing SPAN] [asof T]\n       growth SELECTOR over SPAN every GRANULARITY [from ENDPOINT] [to ENDPOINT] [by KEY] [sort FIELD [asc|desc] [limit N]] [trailing SPAN] [asof T]",
            summary: "change, percent, multiple, CAGR and shares between two periods; with every, for each period of a granularity (limit then keeps N rows per period); trailing SPAN compares the SPAN-long windows ending where the periods end; every lists at most 100,000 periods in all",
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
        // The range (`from`/`over`, then `to`) first, then the clauses
        // that come in any order.
        clauses: &[FROM, OVER, TO, EVERY, BY, SORT, LIMIT, TRAILING, ASOF],
        parse: |p| Ok(Command::Growth(p.growth()?)),
    },
    LanguageCommand {
        topic: Topic {
            name: "series",
            usage: "series SELECTOR [from PERIOD] [to PERIOD] [every GRANULARITY [trailing SPAN]] [asof T]",
            summary: "values over time, with the change from one to the next; every GRANULARITY is year, half, quarter, month, week, day, fiscal_year, fiscal_half or fiscal_quarter, and trailing SPAN takes each as the SPAN-long window ending with it; every lists at most 100,000 periods in all",
            examples: &[
                "series creators.monthly_active from 2023-05 to 2024-05",
                "series consumers.daily_avg every quarter",
                "series consumers.daily_avg every fiscal_quarter from FY2023",
                "series consumers.daily_avg every month from 2024-01 trailing 3m",
                "series content.minutes_per_user every month from 2024-04 trailing 1y",
            ],
        },
        clauses: SERIES_CLAUSES,
        parse: |p| Ok(Command::Series(p.series()?)),
    },
    LanguageCommand {
        topic: Topic {
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
        // A series' clauses (`chart growth` takes growth's).
        clauses: SERIES_CLAUSES,
        parse: |p| p.chart(),
    },
    LanguageCommand {
        topic: Topic {
            name: "metrics",
            usage: "metrics [PATTERN]",
            summary: "list metrics with their kind, unit, series and recorded span",
            examples: &["metrics", "metrics creators.*"],
        },
        clauses: &[],
        parse: |p| p.metrics(),
    },
    LanguageCommand {
        topic: Topic {
            name: "history",
            usage: "history SERIES [PERIOD]",
            summary: "every revision of a series, deleted and superseded ones included",
            examples: &["history users", "history users 2023"],
        },
        clauses: &[],
        parse: |p| {
            let series = p.series_key("a series after \"history\"")?;
            let period = match p.peek() {
                Some(_) => Some(p.period("a period after the series")?),
                None => None,
            };
            Ok(Command::History { series, period })
        },
    },
    LanguageCommand {
        topic: Topic {
            name: "calendar",
            usage: "calendar [fiscal_year_start=MONTH] [fiscal_year_label=end|start]",
            summary: "set the store's fiscal calendar (MONTH: 1-12, april or apr), or print it; FY2024 is labelled by the year it ends in unless fiscal_year_label=start; output, notes and errors name a period without a calendar name by its fiscal name",
            examples: &[
                "calendar fiscal_year_start=april",
                "calendar fiscal_year_start=4 fiscal_year_label=start",
                "calendar",
            ],
        },
        clauses: &CALENDAR_SETTINGS,
        parse: |p| Ok(Command::Calendar(p.calendar()?)),
    },
    LanguageCommand {
        topic: Topic {
            name: "begin",
            usage: "begin ... commit  (or rollback)",
            summary: "make the commands up to commit all or nothing (blocks do not nest)",
            examples: &[
                "begin; insert 2024 users=1.1B; revise 2023 users=1.01B; commit",
                "begin",
                "rollback",
            ],
        },
        clauses: &[],
        parse: |_| Ok(Command::Begin),
    },
    LanguageCommand {
        topic: Topic {
            name: "commit",
            usage: "commit",
            summary: "keep what the open block did; a block that had a failure was rolled back already",
            examples: &["begin; insert 2024 users=1.1B; commit", "commit"],
        },
        clauses: &[],
        parse: |_| Ok(Command::Commit),
    },
    LanguageCommand {
        topic: Topic {
            name: "rollback",
            usage: "rollback",
            summary: "undo what the open block did",
            examples: &["begin; delete users 2023; rollback", "rollback"],
        },
        clauses: &[],
        parse: |_| Ok(Command::Rollback),
    },
];

const SERIES_CLAUSES: &[&str] = &[FROM, TO, EVERY, TRAILING, ASOF];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::parser::parse_line;

    /// The examples are real: each command's examples parse, and there
    /// are at least two.
    #[test]
    fn every_example_parses() {
        for command in LANGUAGE {
            let topic = &command.topic;
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

    /// Each entry's examples include the command itself, and each clause
    /// is a keyword of the language.
    #[test]
    fn entries_name_their_own_command_and_known_keywords() {
        for command in LANGUAGE {
            assert!(
                command.topic.examples.iter().any(|e| e
                    .split(';')
                    .any(|s| s.split_whitespace().next() == Some(command.name()))),
                "{}",
                command.name()
            );
            for clause in command.clauses {
                assert!(
                    super::super::keywords::KEYWORDS.contains(clause),
                    "{clause}"
                );
            }
        }
        assert_eq!(
            CommandList.to_string(),
            "metric, insert, revise, delete, growth, series, chart, metrics, history, calendar, begin, commit or rollback"
        );
    }
}
