//! The canonical text of a command: what the parser reads back as the same
//! [`Command`]. Keywords are lower case, labels sorted, periods canonical,
//! strings quoted, values in their shortest round-trip form.
use std::fmt::{self, Display, Formatter, Write as _};

use super::command::{
    ChartGrowthQuery, ChartQuery, Command, Direction, Endpoint, GrowthQuery, GrowthRange,
    MetricDef, PeriodArg, SeriesQuery, Write,
};
use super::labels::write_quoted;
use super::value::format_value;

impl Display for Command {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Command::Metric(def) => write_metric(f, def),
            Command::Insert(write) => write_data(f, "insert", write),
            Command::Revise(write) => write_data(f, "revise", write),
            Command::Delete { series, period } => write!(f, "delete {series} {period}"),
            Command::Growth(query) => write_growth(f, query),
            Command::Series(query) => {
                f.write_str("series ")?;
                write_series_clauses(f, query)
            }
            Command::Chart(ChartQuery { series, file }) => {
                f.write_str("chart ")?;
                write_series_clauses(f, series)?;
                f.write_str(" to ")?;
                write_quoted(f, file)
            }
            Command::ChartGrowth(ChartGrowthQuery { growth, file }) => {
                f.write_str("chart ")?;
                write_growth(f, growth)?;
                f.write_str(" to ")?;
                write_quoted(f, file)
            }
            Command::Metrics { pattern: None } => f.write_str("metrics"),
            Command::Metrics {
                pattern: Some(pattern),
            } => write!(f, "metrics {pattern}"),
            Command::History { series, period } => {
                write!(f, "history {series}")?;
                match period {
                    Some(period) => write!(f, " {period}"),
                    None => Ok(()),
                }
            }
            Command::Calendar(settings) => {
                f.write_str("calendar")?;
                if let Some(month) = settings.start_month {
                    write!(f, " fiscal_year_start={month}")?;
                }
                if let Some(label) = settings.label {
                    write!(f, " fiscal_year_label={}", label.name())?;
                }
                Ok(())
            }
            Command::Begin => f.write_str("begin"),
            Command::Commit => f.write_str("commit"),
            Command::Rollback => f.write_str("rollback"),
        }
    }
}

fn write_metric(f: &mut Formatter<'_>, def: &MetricDef) -> fmt::Result {
    write!(f, "metric {}", def.name)?;
    if let Some(kind) = def.kind {
        write!(f, " kind={}", kind.name())?;
    }
    if let Some(unit) = &def.unit {
        f.write_str(" unit=")?;
        write_quoted(f, unit)?;
    }
    if let Some(description) = &def.description {
        f.write_str(" desc=")?;
        write_quoted(f, description)?;
    }
    Ok(())
}

fn write_data(f: &mut Formatter<'_>, command: &str, write: &Write) -> fmt::Result {
    write!(f, "{command} {}", write.period)?;
    for (series, value) in &write.values {
        write!(f, " {series}={}", format_value(*value))?;
    }
    for (option, text) in [("source", &write.source), ("note", &write.note)] {
        if let Some(text) = text {
            write!(f, " {option}=")?;
            write_quoted(f, text)?;
        }
    }
    Ok(())
}

impl Display for PeriodArg {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            PeriodArg::Days(period) => period.fmt(f),
            PeriodArg::Fiscal(fiscal) => fiscal.fmt(f),
        }
    }
}

impl Display for Endpoint {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Endpoint::Period(period) => period.fmt(f),
            Endpoint::Fiscal(fiscal) => fiscal.fmt(f),
            Endpoint::ToDate(g) => f.write_str(g.to_date().unwrap_or("latest")),
            Endpoint::Earliest => f.write_str("earliest"),
            Endpoint::Latest => f.write_str("latest"),
        }
    }
}

fn write_growth(f: &mut Formatter<'_>, query: &GrowthQuery) -> fmt::Result {
    write!(f, "growth {}", query.selector)?;
    match query.range {
        GrowthRange::FromTo { from, to } => write!(f, " from {from} to {to}")?,
        GrowthRange::Over { span, to } => {
            write!(f, " over {span}")?;
            if let Some(to) = to {
                write!(f, " to {to}")?;
            }
        }
        GrowthRange::Every {
            span,
            every,
            from,
            to,
        } => {
            write!(f, " over {span} every {}", every.name())?;
            if let Some(from) = from {
                write!(f, " from {from}")?;
            }
            if let Some(to) = to {
                write!(f, " to {to}")?;
            }
        }
    }
    if let Some(trailing) = query.trailing {
        write!(f, " trailing {trailing}")?;
    }
    if let Some(key) = &query.by {
        write!(f, " by {key}")?;
    }
    if let Some(sort) = &query.sort {
        let direction = match sort.direction {
            Direction::Asc => "asc",
            Direction::Desc => "desc",
        };
        write!(f, " sort {} {direction}", sort.field)?;
    }
    if let Some(limit) = query.limit {
        write!(f, " limit {limit}")?;
    }
    write_asof(f, query.asof)
}

fn write_series_clauses(f: &mut Formatter<'_>, query: &SeriesQuery) -> fmt::Result {
    write!(f, "{}", query.selector)?;
    if let Some(from) = query.from {
        write!(f, " from {from}")?;
    }
    if let Some(to) = query.to {
        write!(f, " to {to}")?;
    }
    if let Some(every) = query.every {
        write!(f, " every {}", every.name())?;
    }
    if let Some(trailing) = query.trailing {
        write!(f, " trailing {trailing}")?;
    }
    write_asof(f, query.asof)
}

/// Times print in UTC to the nanosecond, quoted because `:` is not part of
/// a word.
fn write_asof(f: &mut Formatter<'_>, asof: Option<jiff::Timestamp>) -> fmt::Result {
    match asof {
        Some(time) => {
            f.write_str(" asof ")?;
            let mut text = String::new();
            write!(text, "{time}")?;
            write_quoted(f, &text)
        }
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use crate::core::parser::parse_command;

    /// Each line reads back as the same command, and prints as the second text.
    #[test]
    fn commands_print_canonically() {
        let cases = [
            (
                "METRIC users KIND=Stock unit=people",
                "metric users kind=stock unit=\"people\"",
            ),
            (
                "metric share kind=ratio desc=\"a \\\"quoted\\\" \\\\ text\"",
                "metric share kind=ratio desc=\"a \\\"quoted\\\" \\\\ text\"",
            ),
            (
                "insert 2024h1 users{b=2,a=\"x y\"}=1.5M users=-0 note=\"n\" source=\"s\"",
                "insert 2024-H1 users{a=\"x y\",b=2}=1500000 users=0 source=\"s\" note=\"n\"",
            ),
            (
                "revise 2024-01..2024-03 share=70%",
                "revise 2024-Q1 share=0.7",
            ),
            ("delete users 2024-w01", "delete users 2024-W01"),
            (
                "growth users{line=pay} from 2020 to latest by region sort CAGR_PCT desc limit 3",
                "growth users{line=pay} from 2020 to latest by region sort cagr_pct desc limit 3",
            ),
            (
                "growth * over 3q to earliest asof 2024-06-12",
                "growth * over 3q to earliest asof \"2024-06-12T23:59:59.999999999Z\"",
            ),
            (
                "series a.b-c from 2024-01-05..2024-02-03 every WEEK",
                "series a.b-c from 2024-01-05..2024-02-03 every week",
            ),
            (
                "chart creators from 2020 to \"my chart.svg\"",
                "chart creators from 2020 to \"my chart.svg\"",
            ),
            (
                "growth c over 1Y EVERY Fiscal_Quarter to 2024 From earliest trailing 2Q",
                "growth c over 1y every fiscal_quarter from earliest to 2024 trailing 2q",
            ),
            (
                "growth * over 1m to latest every day sort change desc limit 2 by k",
                "growth * over 1m every day to latest by k sort change desc limit 2",
            ),
            (
                "growth users over 1y to 2024-05 trailing 12m",
                "growth users over 1y to 2024-05 trailing 12m",
            ),
            (
                "series r trailing 12m every month from 2023-06",
                "series r from 2023-06 every month trailing 12m",
            ),
            (
                "chart r every week trailing 4w to r.svg",
                "chart r every week trailing 4w to \"r.svg\"",
            ),
            ("metrics creators.*", "metrics creators.*"),
            ("history users{a=b} 2024", "history users{a=b} 2024"),
            ("Begin", "begin"),
        ];
        for (input, canonical) in cases {
            let command = parse_command(input).unwrap_or_else(|e| panic!("{input}: {e:?}"));
            let printed = command.to_string();
            assert_eq!(printed, canonical, "printing {input}");
            let again = parse_command(&printed).unwrap_or_else(|e| panic!("{printed}: {e:?}"));
            assert_eq!(again, command, "re-reading {printed}");
        }
    }
}
