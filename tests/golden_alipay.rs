//! The Alipay fixture's published figures, and whole csv outputs compared
//! with golden files under `tests/golden/`.
//!
//! The golden files were written from the binary once and every number in
//! them checked by hand. To rewrite them after a deliberate change, run
//! `GROWTHDB_BLESS=1 cargo test --test integration golden_alipay` and review the diff.
use crate::common::{Row, alipay, assert_close, cell, num, row_of};

fn growth(query: &str) -> Vec<Row> {
    let out = alipay().csv(query);
    out.clean();
    out.rows()
}

#[test]
fn the_published_multiples_over_one_year() {
    // (metric, multiple: 10x creators, 8x consumers, 2x minutes per user)
    let cases = [
        ("creators.monthly_active", 10.0),
        ("consumers.daily_avg", 8.0),
        ("content.minutes_per_user", 2.0),
    ];
    for (metric, multiple) in cases {
        let rows = growth(&format!("growth {metric} over 1y"));
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!(num(row, "multiple"), Some(multiple), "{metric}");
        assert_eq!(
            (cell(row, "from_period"), cell(row, "to_period")),
            ("2023-05", "2024-05"),
            "{metric}"
        );
        assert_eq!(num(row, "change_pct"), Some((multiple - 1.0) * 100.0));
        assert_eq!(cell(row, "note"), "", "{metric}: exact periods");
    }
}

#[test]
fn thirty_percent_of_user_growth_came_from_non_payment_services() {
    let rows = growth("growth users from 2022 to 2023 by line");
    let non_payment = row_of(&rows, "users{line=non-payment}");
    assert_eq!(num(non_payment, "share_pct"), Some(30.0));
    let total = row_of(&rows, "users");
    assert_eq!(num(total, "share_pct"), Some(100.0));
    assert_eq!(num(total, "to_value"), Some(1e9), "1 billion users");
    assert!(
        rows.iter()
            .all(|r| !cell(r, "series").contains("unattributed")),
        "the segments add up to the recorded total"
    );
}

#[test]
fn the_daily_use_share_and_the_types_of_services() {
    let rows = growth("series services.*");
    assert_eq!(
        num(row_of(&rows, "services.daily_use_share"), "value"),
        Some(0.7)
    );
    assert_eq!(num(row_of(&rows, "services.types"), "value"), Some(8000.0));
}

#[test]
fn quarterly_daily_average_consumers_are_weighted_by_days() {
    let rows = growth("series consumers.daily_avg from 2023-07 to 2024-03 every quarter");
    let q3_2023 = (35_360_000.0 * 31.0 + 42_040_000.0 * 31.0 + 50_000_000.0 * 30.0) / 92.0;
    let q1_2024 = (100_000_000.0 * 31.0 + 118_920_000.0 * 29.0 + 141_420_000.0 * 31.0) / 91.0;
    assert_eq!(rows.len(), 3);
    assert_close(num(&rows[0], "value"), Some(q3_2023), "2023-Q3");
    assert_close(num(&rows[2], "value"), Some(q1_2024), "2024-Q1");
    // A distinct count cannot be derived from months: with no quarter to
    // show, the listing fails, saying why.
    let out = alipay().csv("series creators.monthly_active from 2023-07 to 2023-09 every quarter");
    assert_eq!(
        out.only_error(),
        "error: line 1: 1 series failed; first: creators.monthly_active is a distinct count, so 2023-Q3 cannot be derived from its 3 months; record 2023-Q3 itself"
    );
    assert_eq!(out.stdout, "");
    // Months resolve (June as the stale May, noted).
    let rows = growth("series creators.monthly_active from 2024-04 to 2024-06 every month");
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(cell(&rows[2], "note"), "stale: 2024-06 as of 2024-05");
}

#[test]
fn the_services_figures_were_published_once_so_they_show_no_growth() {
    // Each of the two series has one snapshot: earliest and latest are the
    // same recorded period, so no row resolves and the command fails.
    let out = alipay().csv("growth services.* from earliest to latest");
    assert_eq!(
        out.only_error(),
        "error: line 1: all 2 series failed; first: services.daily_use_share: from earliest and to latest both resolve to 2024-05, so no growth can be measured"
    );
    assert_eq!(out.stdout, "");
}

#[test]
fn fiscal_quarters_of_daily_average_consumers_from_april() {
    let rows =
        growth("calendar fiscal_year_start=4\nseries consumers.daily_avg every fiscal_quarter");
    let periods: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (cell(r, "period"), cell(r, "start"), cell(r, "end")))
        .collect();
    assert_eq!(
        periods,
        [
            ("FY2024-Q1", "2023-04-01", "2023-06-30"),
            ("FY2024-Q2", "2023-07-01", "2023-09-30"),
            ("FY2024-Q3", "2023-10-01", "2023-12-31"),
            ("FY2024-Q4", "2024-01-01", "2024-03-31"),
            ("FY2025-Q1", "2024-04-01", "2024-06-30"),
        ]
    );
    // The fiscal quarters from April are the calendar quarters, one later
    // in name: FY2024-Q2 is 2023-Q3, weighted by days.
    let q2 = (35_360_000.0 * 31.0 + 42_040_000.0 * 31.0 + 50_000_000.0 * 30.0) / 92.0;
    assert_close(num(&rows[1], "value"), Some(q2), "FY2024-Q2");
    // The first and last are only partly recorded: no value, and why.
    for row in [&rows[0], &rows[4]] {
        assert_eq!(num(row, "value"), None);
        assert!(
            cell(row, "note").contains("only partly recorded"),
            "{row:?}"
        );
    }
}

#[test]
fn creators_grew_year_over_year_every_month_up_to_ten_times() {
    let rows = growth("growth creators.monthly_active over 1y every month");
    // One row per month whose year-ago month is recorded: 2023-06 to 2024-05.
    let months: Vec<&str> = rows.iter().map(|r| cell(r, "to_period")).collect();
    assert_eq!(months.len(), 12, "{months:?}");
    assert_eq!((months[0], months[11]), ("2023-06", "2024-05"));
    assert!(rows.iter().all(|r| cell(r, "note").is_empty()), "{rows:?}");
    assert_eq!(num(&rows[11], "multiple"), Some(10.0));
    assert_eq!(cell(&rows[11], "from_period"), "2023-05");
    // Each multiple is larger than the one before: the curve accelerates.
    let multiples: Vec<f64> = rows.iter().map(|r| num(r, "multiple").unwrap()).collect();
    assert!(multiples.windows(2).all(|w| w[0] < w[1]), "{multiples:?}");
    let table = alipay().run_db(
        &["-q", "--format", "table"],
        "growth creators.monthly_active over 1y every month\n",
    );
    table.clean();
    let last = table.stdout.lines().rev().nth(1).unwrap();
    assert!(
        last.contains("| 2024-05 ") && last.contains("10.00x"),
        "{last}"
    );
}

/// (golden file, commands whose csv output it holds)
const GOLDEN: [(&str, &str); 5] = [
    (
        "alipay_creators_every_month.csv",
        "growth creators.monthly_active over 1y every month",
    ),
    ("alipay_content_over_1y.csv", "growth c* over 1y"),
    (
        "alipay_users_by_line.csv",
        "growth users from 2022 to 2023 by line",
    ),
    ("alipay_metrics.csv", "metrics"),
    // Last: it sets the store's calendar for the queries after it.
    (
        "alipay_fiscal_quarters.csv",
        "calendar fiscal_year_start=4\nseries consumers.daily_avg every fiscal_quarter",
    ),
];

#[test]
fn csv_outputs_match_the_golden_files() {
    let store = alipay();
    let dir = format!("{}/tests/golden", env!("CARGO_MANIFEST_DIR"));
    let bless = std::env::var_os("GROWTHDB_BLESS").is_some();
    for (file, query) in GOLDEN {
        let out = store.csv(query);
        out.clean();
        let path = format!("{dir}/{file}");
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &out.stdout).unwrap();
            continue;
        }
        let golden = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{path}: {e} (GROWTHDB_BLESS=1 writes it)"));
        assert_eq!(out.stdout, golden, "{query} differs from {file}");
    }
}
