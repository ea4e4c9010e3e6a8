//! Limits on what one command or series may hold, so that no input makes
//! work or memory grow without bound. The README's "Limits" lists them.

/// Labels on one series.
pub const MAX_LABELS: usize = 64;
/// `SERIES=VALUE` pairs in one `insert` or `revise`.
pub const MAX_VALUES: usize = 10_000;
/// Bytes in a metric name, a label key or a label value.
pub const MAX_NAME: usize = 256;
