//! The typed command AST that the parser produces and the executor runs.
use jiff::Timestamp;

use super::labels::{LabelSet, SeriesKey};
use super::period::{FiscalLabel, FiscalPeriod, Granularity, Period, Span};

/// How sub-periods of a metric combine into a coarser period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Stock,
    Flow,
    Average,
    Ratio,
    Distinct,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Stock,
        Kind::Flow,
        Kind::Average,
        Kind::Ratio,
        Kind::Distinct,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Stock => "stock",
            Kind::Flow => "flow",
            Kind::Average => "average",
            Kind::Ratio => "ratio",
            Kind::Distinct => "distinct",
        }
    }

    /// Case-insensitive, like every keyword.
    pub fn parse(word: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(word))
    }
}

/// One command of the language (session commands such as `.mode` are handled
/// by the front end, not here).
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Metric(MetricDef),
    Insert(Write),
    Revise(Write),
    Delete {
        series: SeriesKey,
        period: PeriodArg,
    },
    Growth(GrowthQuery),
    Series(SeriesQuery),
    /// `chart SELECTOR [from P] [to P] [every G] to FILE.svg|FILE.png`
    Chart(ChartQuery),
    /// `chart growth SELECTOR over SPAN every GRAIN ... to FILE.svg|FILE.png`:
    /// the growth of each step drawn as a line chart.
    ChartGrowth(ChartGrowthQuery),
    Metrics {
        pattern: Option<String>,
    },
    History {
        series: SeriesKey,
        period: Option<PeriodArg>,
    },
    /// `calendar [fiscal_year_start=MONTH] [fiscal_year_label=end|start]`:
    /// sets the store's fiscal calendar, or without settings prints it.
    Calendar(CalendarSettings),
    /// `begin`, `commit`, `rollback`: a block of commands that is all or
    /// nothing. The session runs these; the executor never sees them.
    Begin,
    Commit,
    Rollback,
}

impl Command {
    /// Whether the command changes the store.
    pub fn writes(&self) -> bool {
        matches!(
            self,
            Command::Metric(_) | Command::Insert(_) | Command::Revise(_) | Command::Delete { .. }
        ) || matches!(self, Command::Calendar(settings) if !settings.is_empty())
    }
}

/// `metric NAME [kind=K] [unit=TEXT] [desc=STRING]`: only the given
/// attributes change. A NAME with `*` is a pattern: every defined metric
/// that matches is updated, and none is created.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricDef {
    pub name: String,
    pub kind: Option<Kind>,
    pub unit: Option<String>,
    pub description: Option<String>,
}

impl MetricDef {
    pub fn is_pattern(&self) -> bool {
        self.name.contains('*')
    }
}

/// The settings `calendar` changes; the others stay as they were.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CalendarSettings {
    /// The fiscal year's first month, 1 to 12.
    pub start_month: Option<i8>,
    pub label: Option<FiscalLabel>,
}

impl CalendarSettings {
    /// No setting: `calendar` alone, which prints the calendar.
    pub fn is_empty(&self) -> bool {
        self.start_month.is_none() && self.label.is_none()
    }
}

/// The body of `insert` and `revise`.
#[derive(Debug, Clone, PartialEq)]
pub struct Write {
    pub period: PeriodArg,
    pub values: Vec<(SeriesKey, f64)>,
    pub source: Option<String>,
    pub note: Option<String>,
}

/// A metric name or `*` pattern, plus labels that selected series must
/// carry; and any further ones written after it, comma-separated
/// (`price{symbol=AAPL}, price{symbol=MSFT}`), whose series join its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    pub metric: String,
    pub labels: LabelSet,
    /// The selectors after the first, each a metric (or pattern) and labels.
    pub more: Vec<(String, LabelSet)>,
}

impl Selector {
    /// One metric (or pattern) and its labels.
    pub fn one(metric: impl Into<String>, labels: LabelSet) -> Selector {
        Selector {
            metric: metric.into(),
            labels,
            more: Vec::new(),
        }
    }

    /// Whether it may pick several series: a `*` in the metric or in a
    /// label value, or a list of selectors.
    pub fn is_pattern(&self) -> bool {
        self.metric.contains('*') || self.labels.has_wildcard() || !self.more.is_empty()
    }

    /// Each selector of a list on its own, the first first.
    pub fn each(&self) -> Vec<Selector> {
        std::iter::once((self.metric.clone(), self.labels.clone()))
            .chain(self.more.iter().cloned())
            .map(|(metric, labels)| Selector::one(metric, labels))
            .collect()
    }
}

impl std::fmt::Display for Selector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.metric)?;
        self.labels.write(f, true)?;
        for (metric, labels) in &self.more {
            write!(f, ", {metric}")?;
            labels.write(f, true)?;
        }
        Ok(())
    }
}

/// A period as written: days, or a fiscal period (`FY2024-Q1`) whose days
/// the store's fiscal calendar gives when the command runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodArg {
    Days(Period),
    Fiscal(FiscalPeriod),
}

impl PeriodArg {
    /// The fiscal period, when it was written in fiscal form.
    pub fn fiscal(&self) -> Option<FiscalPeriod> {
        match self {
            PeriodArg::Fiscal(fiscal) => Some(*fiscal),
            PeriodArg::Days(_) => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Period(Period),
    /// A fiscal period, in the store's calendar.
    Fiscal(FiscalPeriod),
    Earliest,
    Latest,
    /// `ytd`, `htd`, `qtd`, `mtd`, `wtd`, `fytd`, `fhtd`, `fqtd`: per
    /// series, from the start of the unit holding the last day of its
    /// latest period to that day.
    ToDate(Granularity),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrowthRange {
    FromTo {
        from: Endpoint,
        to: Endpoint,
    },
    /// `over SPAN [to ENDPOINT]`; without `to`, each series' latest period.
    Over {
        span: Span,
        to: Option<Endpoint>,
    },
    /// `over SPAN every GRAIN [from ENDPOINT] [to ENDPOINT]`: one `over`
    /// growth per `every` period; without `from` or `to`, each series'
    /// own range.
    Every {
        span: Span,
        every: Granularity,
        from: Option<Endpoint>,
        to: Option<Endpoint>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Asc,
    Desc,
}

/// One field of `growth`'s output. The one list of them: the columns, in
/// order, what `sort` accepts (the numeric ones), and where the executor
/// finds each value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GrowthField {
    Series,
    Metric,
    FromPeriod,
    FromValue,
    ToPeriod,
    ToValue,
    Change,
    ChangePct,
    Multiple,
    Years,
    CagrPct,
    ChangePp,
    SharePct,
    Note,
}

impl GrowthField {
    /// Every field, in output order.
    pub const ALL: [GrowthField; 14] = [
        GrowthField::Series,
        GrowthField::Metric,
        GrowthField::FromPeriod,
        GrowthField::FromValue,
        GrowthField::ToPeriod,
        GrowthField::ToValue,
        GrowthField::Change,
        GrowthField::ChangePct,
        GrowthField::Multiple,
        GrowthField::Years,
        GrowthField::CagrPct,
        GrowthField::ChangePp,
        GrowthField::SharePct,
        GrowthField::Note,
    ];

    /// Its column header, as `sort` names it.
    pub fn name(self) -> &'static str {
        match self {
            GrowthField::Series => "series",
            GrowthField::Metric => "metric",
            GrowthField::FromPeriod => "from_period",
            GrowthField::FromValue => "from_value",
            GrowthField::ToPeriod => "to_period",
            GrowthField::ToValue => "to_value",
            GrowthField::Change => "change",
            GrowthField::ChangePct => "change_pct",
            GrowthField::Multiple => "multiple",
            GrowthField::Years => "years",
            GrowthField::CagrPct => "cagr_pct",
            GrowthField::ChangePp => "change_pp",
            GrowthField::SharePct => "share_pct",
            GrowthField::Note => "note",
        }
    }

    /// The field a word names, in any case.
    pub fn parse(word: &str) -> Option<GrowthField> {
        GrowthField::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(word))
    }

    /// Whether `sort` accepts it: the numeric fields do.
    pub fn is_sortable(self) -> bool {
        !matches!(
            self,
            GrowthField::Series
                | GrowthField::Metric
                | GrowthField::FromPeriod
                | GrowthField::ToPeriod
                | GrowthField::Note
        )
    }

    /// The fields `sort` accepts, in output order.
    pub fn sortable() -> impl Iterator<Item = GrowthField> {
        GrowthField::ALL.into_iter().filter(|f| f.is_sortable())
    }

    /// The column headers, in order.
    pub fn names() -> [&'static str; 14] {
        GrowthField::ALL.map(GrowthField::name)
    }
}

impl std::fmt::Display for GrowthField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sort {
    pub field: GrowthField,
    pub direction: Direction,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrowthQuery {
    pub selector: Selector,
    pub range: GrowthRange,
    pub by: Option<String>,
    pub sort: Option<Sort>,
    pub limit: Option<u64>,
    /// `trailing SPAN`: each endpoint becomes the SPAN-long range ending
    /// where it ends.
    pub trailing: Option<Span>,
    pub asof: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesQuery {
    pub selector: Selector,
    pub from: Option<PeriodArg>,
    pub to: Option<PeriodArg>,
    pub every: Option<Granularity>,
    /// `trailing SPAN` (only with `every`): each step period becomes the
    /// SPAN-long range ending where it ends.
    pub trailing: Option<Span>,
    pub asof: Option<Timestamp>,
}

/// A `series` query drawn as a line chart into an SVG file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartQuery {
    pub series: SeriesQuery,
    pub file: String,
}

/// A `growth ... every` query drawn as a line chart of its changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartGrowthQuery {
    pub growth: GrowthQuery,
    pub file: String,
}
