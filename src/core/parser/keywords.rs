//! The keywords of the language's clauses and settings, each written once:
//! the parser matches these constants, the command registry names each
//! command's clauses with them, and highlighting colours [`KEYWORDS`].
//! Keywords are matched in any case; these are their lowercase forms.

pub const FROM: &str = "from";
pub const TO: &str = "to";
pub const OVER: &str = "over";
pub const EVERY: &str = "every";
pub const TRAILING: &str = "trailing";
pub const BY: &str = "by";
pub const SORT: &str = "sort";
pub const LIMIT: &str = "limit";
pub const ASOF: &str = "asof";
/// Endpoints of a growth range.
pub const EARLIEST: &str = "earliest";
pub const LATEST: &str = "latest";
/// Directions of `sort`.
pub const ASC: &str = "asc";
pub const DESC: &str = "desc";
/// Settings of `metric` (with [`DESC`]).
pub const KIND: &str = "kind";
pub const UNIT: &str = "unit";
/// Options of `insert` and `revise`.
pub const SOURCE: &str = "source";
pub const NOTE: &str = "note";
/// Settings of `calendar`.
pub const FISCAL_YEAR_START: &str = "fiscal_year_start";
pub const FISCAL_YEAR_LABEL: &str = "fiscal_year_label";

/// Every keyword that may follow a command's name.
pub const KEYWORDS: [&str; 19] = [
    FROM,
    TO,
    OVER,
    EVERY,
    TRAILING,
    BY,
    SORT,
    LIMIT,
    ASOF,
    EARLIEST,
    LATEST,
    ASC,
    DESC,
    KIND,
    UNIT,
    SOURCE,
    NOTE,
    FISCAL_YEAR_START,
    FISCAL_YEAR_LABEL,
];
