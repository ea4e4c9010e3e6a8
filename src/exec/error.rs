//! The executor's error: what a command could not do, as one line for
//! people and an [`ErrorKind`] for scripts.
use crate::core::command::{Kind, Selector};
use crate::core::error::ErrorKind;
use crate::core::parse_error::ParseError;
use crate::core::period::{Period, PeriodError, Reason, Span};
use crate::core::resolve::ResolveError;
use crate::core::table::combine::CombineError;
use crate::core::table::plan::CellProblem;
use crate::core::value::ValueError;
use crate::store::StoreError;

use super::transaction::{BlockError, GroupCause};

#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Resolve(#[from] ResolveError),
    /// A period that does not exist, such as the start of `over` before
    /// the first supported day.
    #[error(transparent)]
    Period(#[from] PeriodError),
    #[error(transparent)]
    Value(#[from] ValueError),
    /// A row of the store that no valid command could have written.
    #[error("the store holds an invalid period: {0}")]
    StoredPeriod(#[source] PeriodError),
    /// A selector that matches no series.
    #[error(transparent)]
    NothingMatches(Box<NoMatch>),
    #[error("no recorded series {0}")]
    NoSeries(String),
    /// `metric PATTERN ...` when no defined metric matches.
    #[error(
        "no defined metric matches {0}; a pattern updates existing metrics (define one with: metric NAME)"
    )]
    NoMetricMatches(String),
    /// Every row of a query failed to resolve: the first reason stands
    /// for them all (and gives the error its kind).
    #[error("{} failed; first: {first}", if *count == 1 { "1 series".to_string() } else { format!("all {count} series") })]
    AllFailed { count: usize, first: Box<ExecError> },
    /// A roll-up of a metric whose values cannot be summed.
    #[error(
        "cannot roll {metric} up by {key}: it is {}, and {}; only stock, flow and kind-less metrics are summed, so record {metric}{{{key}=...}} itself",
        article(kind.name()),
        unsummable(*kind)
    )]
    CannotRollUp {
        metric: String,
        key: String,
        kind: Kind,
    },
    #[error("cannot break {selector} down by {key}: the selector already fixes {key}")]
    ByFixedKey { selector: String, key: String },
    #[error(
        "no series of {selector} carries the label {key}; recorded: {}",
        recorded.join(", ")
    )]
    NotSplitBy {
        selector: String,
        key: String,
        recorded: Vec<String>,
    },
    /// `insert` of a value different from the one recorded.
    #[error(
        "{series} already has {recorded} for {period} (revision {revision}); use revise to change it"
    )]
    Conflict {
        series: String,
        recorded: String,
        period: Period,
        revision: i64,
    },
    /// `revise` or `delete` of a snapshot that does not exist; `hint` is
    /// the command to look with.
    #[error("{series} has no snapshot for {period} to {verb}; see {hint}")]
    NoSnapshot {
        series: String,
        period: Period,
        verb: &'static str,
        hint: &'static str,
    },
    /// `begin`, `commit` and `rollback` handed to the executor.
    #[error("{0} is run by the session, not the executor")]
    SessionOnly(&'static str),
    #[error("the range from {from} to {to} is empty")]
    EmptyRange { from: Period, to: Period },
    /// The step grid of a result of `every`, all its series together.
    #[error(
        "{command} {selector} every {every} would list more than {max} periods; narrow it with from and to"
    )]
    TooManyPeriods {
        command: &'static str,
        selector: String,
        every: &'static str,
        max: usize,
    },
    /// `over SPAN every GRAIN` with a span that GRAIN's periods cannot move by.
    #[error("over {span} cannot step every {every}: {reason}")]
    EverySpan {
        span: Span,
        every: &'static str,
        reason: Reason,
    },
    /// `growth ... every` without a step: no GRAIN period of any selected
    /// series has its earlier end within the recorded data.
    #[error(
        "no {every} has its end {span} earlier within the recorded data; name the periods with from and to"
    )]
    NoSteps { every: &'static str, span: Span },
    /// `chart growth` without `every`, which the parser refuses as well.
    #[error(
        "a growth chart steps through periods: chart growth SELECTOR over SPAN every GRAIN [from PERIOD] [to PERIOD] to FILE.svg"
    )]
    ChartWithoutSteps,
    #[error("nothing to chart: {0} has no values in that range")]
    NothingToChart(String),
    /// A bad record of an imported file.
    #[error(transparent)]
    Record(#[from] RecordError),
    /// Where in an imported file the error is.
    #[error("{file}:{line}: {source}")]
    InFile {
        file: String,
        line: u64,
        source: Box<ExecError>,
    },
    /// A table's value differs from the one recorded (and `--revise` was
    /// not given).
    #[error(
        "{place}: {series} already has {recorded} for {period} (revision {revision}), the file {value}; add --revise to record the file's values as new revisions"
    )]
    TableConflict {
        place: String,
        series: String,
        recorded: String,
        period: Period,
        revision: i64,
        value: String,
    },
    /// A cell or header of an imported table that cannot be read as asked;
    /// `place` is `FILE:ROW` or `FILE:CELL`.
    #[error("{place}: {source}")]
    InTable {
        place: String,
        source: Box<TableProblem>,
    },
    #[error(transparent)]
    Block(#[from] BlockError),
    /// A batch group that could not be committed: the batch stops.
    #[error("{cause}; the commands from {began} on were rolled back and no later command was run")]
    GroupLost { cause: GroupCause, began: String },
    /// A command after a lost group.
    #[error("a group of earlier commands was lost; no later command runs")]
    Halted,
    /// The export's writer failed.
    #[error("{0}")]
    Emit(#[source] std::io::Error),
    /// The temporary files that sort a large table import's cells failed.
    #[error("the import's temporary files failed: {0}")]
    ImportScratch(#[source] std::io::Error),
    /// The sink of a query's rows took no more (its output failed, and
    /// says why itself).
    #[error("the output took no more rows")]
    Stopped,
}

/// A selector that matches no recorded series, and what exists instead.
#[derive(Debug, Clone, thiserror::Error)]
#[error("no recorded series matches {selector}{reason}")]
pub struct NoMatch {
    pub selector: Selector,
    pub reason: NoMatchReason,
}

/// What the store holds near a selector that matched nothing; each shows
/// as the rest of [`NoMatch`]'s sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoMatchReason {
    /// No metric has the selector's name; `guess` is the nearest one.
    NoMetric {
        metric: String,
        guess: Option<String>,
    },
    /// A pattern that matched no series of the metrics it names.
    Pattern,
    /// Series carry the selector's labels among others: a pattern picks them.
    TryPattern {
        pattern: Selector,
        metric: String,
        carrying: usize,
    },
    /// No series carries the labels; `known` lists up to eight that exist.
    Others { metric: String, known: Vec<String> },
}

impl std::fmt::Display for NoMatchReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoMatchReason::NoMetric { metric, guess } => {
                write!(f, ": no metric named {metric}")?;
                match guess {
                    Some(guess) => write!(f, "; did you mean {guess}?"),
                    None => Ok(()),
                }
            }
            NoMatchReason::Pattern => Ok(()),
            NoMatchReason::TryPattern {
                pattern,
                metric,
                carrying,
            } => {
                write!(f, "; try {pattern} for ")?;
                match carrying {
                    _ if pattern.labels.is_empty() => {
                        write!(f, "all {carrying} series of {metric}")
                    }
                    1 => f.write_str("the one series with these labels"),
                    _ => write!(f, "the {carrying} series with these labels"),
                }
            }
            NoMatchReason::Others { metric, known } if known.is_empty() => {
                write!(f, ": {metric} has no data yet")
            }
            NoMatchReason::Others { metric, known } => {
                write!(f, "; {metric} has {}", known.join(", "))
            }
        }
    }
}

/// What is wrong at one place of an imported table.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TableProblem {
    /// The file's reader could not read it (its format's own message).
    #[error("{0}")]
    Unreadable(String),
    #[error(transparent)]
    Cell(#[from] CellProblem),
    #[error(transparent)]
    Combine(#[from] CombineError),
}

/// A dry run of an import found values that differ from the store's: the
/// import itself would fail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{file}: {conflicts} snapshot(s) conflict with recorded values; add --revise to record the file's values as new revisions"
)]
pub struct DryRunConflicts {
    pub file: String,
    pub conflicts: i64,
}

impl DryRunConflicts {
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::Conflict
    }
}

/// What is wrong with an imported file's header or one of its records.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// The file reader's own message (a CSV or JSON error).
    #[error("{0}")]
    Unreadable(String),
    #[error("the header is empty; expected period,SERIES,SERIES,...")]
    EmptyHeader,
    #[error("a wide file's header is period,SERIES,SERIES,...; found \"{0}\"")]
    WideHeader(String),
    #[error("invalid series {name:?} in the header: {}", .source.message)]
    HeaderSeries { name: String, source: ParseError },
    #[error("series \"{0}\" appears twice in the header")]
    SeriesTwice(String),
    #[error(
        "unknown column \"{0}\"; expected series,period,value[,source,note] (or --wide for period,SERIES,...)"
    )]
    UnknownColumn(String),
    #[error("column \"{0}\" appears twice")]
    ColumnTwice(&'static str),
    #[error("the header has no \"{0}\" column; expected series,period,value[,source,note]")]
    NoColumn(&'static str),
    #[error("the header has no \"value\" column")]
    NoValueColumn,
    #[error("no {0} given")]
    Missing(&'static str),
    #[error("invalid series {text:?}: {}", .source.message)]
    Series { text: String, source: ParseError },
    #[error("invalid revision \"{0}\"; expected 1, 2, ...")]
    Revision(String),
    #[error("a deleted revision has no value, found \"{0}\"")]
    DeletedValue(String),
    #[error("invalid status \"{0}\"; expected current, superseded or deleted")]
    Status(String),
    #[error("invalid recorded_at \"{0}\"; expected an RFC 3339 time such as 2024-06-12T10:00:00Z")]
    RecordedAt(String),
    #[error("{column} holds control character U+{code:04X}, which is not allowed")]
    ControlCharacter { column: &'static str, code: u32 },
    #[error("revision {revision} of {series} for {period} is already recorded differently")]
    RevisionDiffers {
        revision: i64,
        series: String,
        period: Period,
    },
    #[error(
        "revision {revision} of {series} for {period} cannot follow revision {last}; revisions come in order"
    )]
    RevisionOrder {
        revision: i64,
        series: String,
        period: Period,
        last: i64,
    },
    #[error(
        "revision {revision} of {series} for {period} was recorded at {recorded_at}, before the revision it follows ({previous}); revision times only go forward"
    )]
    TimeBackwards {
        revision: i64,
        series: String,
        period: Period,
        recorded_at: String,
        previous: String,
    },
    #[error("recorded_at {0} is in the future; history holds only what was recorded until now")]
    FutureTime(String),
}

impl RecordError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            RecordError::RevisionDiffers { .. }
            | RecordError::RevisionOrder { .. }
            | RecordError::TimeBackwards { .. } => ErrorKind::Conflict,
            _ => ErrorKind::InvalidValue,
        }
    }
}

impl ExecError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            ExecError::Store(e) => e.kind(),
            ExecError::Resolve(e) => e.kind(),
            ExecError::Period(_)
            | ExecError::EverySpan { .. }
            | ExecError::Value(_)
            | ExecError::ByFixedKey { .. } => ErrorKind::InvalidValue,
            ExecError::EmptyRange { .. } => ErrorKind::InvalidValue,
            ExecError::StoredPeriod(_) => ErrorKind::Damaged,
            ExecError::NothingMatches(_)
            | ExecError::NoSeries(_)
            | ExecError::NoMetricMatches(_)
            | ExecError::NotSplitBy { .. }
            | ExecError::NoSnapshot { .. } => ErrorKind::NotFound,
            ExecError::Conflict { .. } | ExecError::TableConflict { .. } => ErrorKind::Conflict,
            ExecError::InTable { .. } => ErrorKind::InvalidValue,
            ExecError::SessionOnly(_) => ErrorKind::Block,
            ExecError::ChartWithoutSteps => ErrorKind::Syntax,
            ExecError::TooManyPeriods { .. } => ErrorKind::TooLarge,
            ExecError::NothingToChart(_) | ExecError::NoSteps { .. } => ErrorKind::NoData,
            ExecError::Record(e) => e.kind(),
            ExecError::InFile { source, .. } => source.kind(),
            ExecError::AllFailed { first, .. } => first.kind(),
            ExecError::CannotRollUp { .. } => ErrorKind::CannotCombine,
            ExecError::Emit(_) | ExecError::ImportScratch(_) | ExecError::Stopped => ErrorKind::Io,
            ExecError::Block(BlockError::Store { source, .. }) => source.kind(),
            ExecError::Block(_) => ErrorKind::Block,
            ExecError::GroupLost {
                cause: GroupCause::Commit(e),
                ..
            } => e.kind(),
            ExecError::GroupLost { .. } | ExecError::Halted => ErrorKind::Store,
        }
    }
}

/// "a stock", "an average".
fn article(word: &str) -> String {
    let an = word.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {word}", if an { "an" } else { "a" })
}

/// Why the values of a kind do not add up across series.
fn unsummable(kind: Kind) -> &'static str {
    match kind {
        Kind::Average => "a sum of averages means nothing",
        Kind::Ratio => "a sum of ratios means nothing",
        Kind::Distinct => "a sum of distinct counts counts twice whoever is in several series",
        Kind::Stock | Kind::Flow => "its values add up",
    }
}
