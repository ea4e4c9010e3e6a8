//! Growth for every period (`growth ... over SPAN every GRAIN`) and
//! trailing windows (`trailing SPAN` on growth, series and chart), end to end.
use crate::common::{Row, Sandbox, cell, column, csv, num, query};

/// `revenue` (a flow) recorded monthly from 2022-01 to 2024-05, the n-th
/// month worth n: sums over any months are easy to check by hand.
fn revenue() -> String {
    let mut lines = vec!["metric revenue kind=flow".to_string()];
    let mut n = 0;
    for year in 2022..=2024 {
        for month in 1..=12 {
            if year == 2024 && month > 5 {
                break;
            }
            n += 1;
            lines.push(format!("insert {year}-{month:02} revenue={n}"));
        }
    }
    lines.join("\n")
}

fn with_revenue(command: &str) -> Vec<Row> {
    query(&[&revenue(), command])
}

/// The one error of `command` run after the revenue script, without its
/// `error: line N: ` prefix.
fn revenue_error(command: &str) -> String {
    let out = csv(&format!("{}\n{command}", revenue()));
    let line = out.only_error();
    let prefix = format!("error: line {}: ", revenue().lines().count() + 1);
    line.strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("expected {prefix:?} in {line:?}"))
        .to_string()
}

/// (from_period, to_period, from_value, to_value) of each row.
fn ends(rows: &[Row]) -> Vec<(String, String, Option<f64>, Option<f64>)> {
    rows.iter()
        .map(|r| {
            (
                cell(r, "from_period").to_string(),
                cell(r, "to_period").to_string(),
                num(r, "from_value"),
                num(r, "to_value"),
            )
        })
        .collect()
}

fn end(from: &str, to: &str, a: f64, b: f64) -> (String, String, Option<f64>, Option<f64>) {
    (from.to_string(), to.to_string(), Some(a), Some(b))
}

#[test]
fn every_month_by_default_runs_from_the_first_month_with_a_year_ago_to_the_last() {
    let rows = with_revenue("growth revenue over 1y every month");
    // 2023-01 is the first month whose year-ago month is recorded; 2024-05
    // the last recorded month.
    assert_eq!(rows.len(), 17);
    assert_eq!(rows[0]["from_period"], "2022-01");
    assert_eq!(rows[0]["to_period"], "2023-01");
    assert_eq!(num(&rows[0], "change"), Some(12.0));
    assert_eq!(rows[16]["to_period"], "2024-05");
    assert_eq!(num(&rows[16], "multiple"), Some(29.0 / 17.0));
    assert!(rows.iter().all(|r| cell(r, "note").is_empty()), "{rows:?}");
}

#[test]
fn each_row_is_the_over_growth_to_its_period() {
    let every = with_revenue("growth revenue over 1q every quarter from 2023-Q2 to 2023-Q3");
    let q2 = with_revenue("growth revenue over 1q to 2023-Q2");
    let q3 = with_revenue("growth revenue over 1q to 2023-Q3");
    assert_eq!(every, vec![q2[0].clone(), q3[0].clone()]);
}

#[test]
fn from_and_to_are_converted_to_the_grain() {
    // The quarter holding the first day of 2023-05-17, and the one holding
    // the last day of 2023-08.
    let rows = with_revenue("growth revenue over 1y every quarter from 2023-05-17 to 2023-08");
    assert_eq!(
        ends(&rows),
        vec![
            end("2022-Q2", "2023-Q2", 4.0 + 5.0 + 6.0, 16.0 + 17.0 + 18.0),
            end("2022-Q3", "2023-Q3", 7.0 + 8.0 + 9.0, 19.0 + 20.0 + 21.0),
        ]
    );
    let rows = with_revenue("growth revenue over 1y every year from earliest to latest");
    // 2022 has no year-ago year: an empty row; 2024 is only partly recorded.
    assert_eq!(column(&rows, "to_period"), ["2022", "2023", "2024"]);
    assert_eq!(
        num(&rows[1], "to_value"),
        Some((13..=24).sum::<i32>().into())
    );
    for row in [&rows[0], &rows[2]] {
        assert_eq!(num(row, "to_value"), None, "{row:?}");
        assert!(!cell(row, "note").is_empty(), "{row:?}");
    }
}

#[test]
fn by_default_the_last_step_ends_within_the_data() {
    // Monthly data to 2024-05: the last whole quarter is 2024-Q1.
    let rows = with_revenue("growth revenue over 1y every quarter");
    assert_eq!(column(&rows, "to_period").first().unwrap(), "2023-Q1");
    assert_eq!(column(&rows, "to_period").last().unwrap(), "2024-Q1");
    assert_eq!(rows.len(), 5);
}

#[test]
fn trailing_moves_the_first_default_step() {
    // The earlier end of 2023-12 over 1y trailing 12m is 2022-01..2022-12,
    // the first whose start is within the data.
    let rows = with_revenue("growth revenue over 1y every month trailing 12m");
    assert_eq!(rows[0]["from_period"], "2022");
    assert_eq!(rows[0]["to_period"], "2023");
    assert_eq!(
        num(&rows[0], "from_value"),
        Some((1..=12).sum::<i32>().into())
    );
    assert_eq!(
        num(&rows[0], "to_value"),
        Some((13..=24).sum::<i32>().into())
    );
    let last = rows.last().unwrap();
    assert_eq!(last["from_period"], "2022-06-01..2023-05-31");
    assert_eq!(last["to_period"], "2023-06-01..2024-05-31");
    assert_eq!(num(last, "to_value"), Some((18..=29).sum::<i32>().into()));
    assert_eq!(rows.len(), 6);
}

#[test]
fn a_step_that_cannot_be_resolved_is_an_empty_row_that_says_why() {
    let rows = with_revenue("growth revenue over 1y every month from 2022-11 to 2023-02");
    assert_eq!(
        column(&rows, "to_period"),
        ["2022-11", "2022-12", "2023-01", "2023-02"]
    );
    // As asked: the year-ago month that is missing, and the month.
    assert_eq!(
        column(&rows, "from_period"),
        ["2021-11", "2021-12", "2022-01", "2022-02"]
    );
    for row in &rows[..2] {
        assert_eq!(num(row, "from_value"), None);
        assert_eq!(num(row, "change"), None);
        assert!(cell(row, "note").contains("no data"), "{row:?}");
    }
    assert_eq!(num(&rows[2], "change"), Some(12.0));
}

#[test]
fn a_shift_that_cannot_be_made_leaves_the_earlier_period_empty() {
    let script = "metric visits kind=flow
insert 2020-W01 visits=3
insert 2020-W52 visits=4
insert 2020-W53 visits=5
insert 2021-W01 visits=6";
    let rows = query(&[
        script,
        "growth visits over 1y every week from 2020-W52 to 2021-W01",
    ]);
    assert_eq!(
        column(&rows, "to_period"),
        ["2020-W52", "2020-W53", "2021-W01"]
    );
    // 2019 has no week 53: nothing to shift 2020-W53 to.
    assert_eq!(rows[1]["from_period"], "");
    assert!(cell(&rows[1], "note").contains("2020-W53"), "{rows:?}");
    assert_eq!(num(&rows[2], "change"), Some(3.0));
}

#[test]
fn the_command_fails_only_when_no_step_of_any_series_resolves() {
    let message = revenue_error("growth revenue over 1y every month from 2021-01 to 2021-06");
    assert!(
        message.starts_with("1 series failed; first: no data for revenue"),
        "{message}"
    );
    // One step of 20 is enough.
    let rows = with_revenue("growth revenue over 1y every month from 2021-06 to 2023-01");
    assert_eq!(rows.len(), 20);
    assert_eq!(
        rows.iter().filter(|r| num(r, "change").is_some()).count(),
        1
    );
}

#[test]
fn from_after_to_every_without_over_and_limit_without_sort_are_errors() {
    let error = revenue_error;
    assert_eq!(
        error("growth revenue over 1y every quarter from 2024-02 to 2023-12"),
        "the range from 2024-Q1 to 2023-Q4 is empty"
    );
    assert!(
        error("growth revenue from 2022 to 2023 every month")
            .contains("\"every\" needs \"over SPAN\""),
    );
    assert!(error("growth revenue over 1y every month limit 2").contains("add \"sort FIELD\""));
    assert_eq!(
        error("growth revenue over 1m every fiscal_quarter"),
        "over 1m cannot step every fiscal_quarter: a fiscal quarter moves in whole fiscal quarters or longer units"
    );
}

const SHOPS: &str = "metric sales kind=flow
insert 2023-01 sales{shop=a}=10 sales{shop=b}=20 sales=30
insert 2023-02 sales{shop=a}=12 sales{shop=b}=19 sales=31
insert 2023-03 sales{shop=a}=15 sales{shop=b}=30 sales=45";

#[test]
fn rows_go_by_series_then_step_and_with_sort_by_step_then_the_field() {
    let rows = query(&[SHOPS, "growth sales* over 1m every month"]);
    let order: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (cell(r, "series"), cell(r, "to_period")))
        .collect();
    assert_eq!(
        order,
        [
            ("sales", "2023-02"),
            ("sales", "2023-03"),
            ("sales{shop=a}", "2023-02"),
            ("sales{shop=a}", "2023-03"),
            ("sales{shop=b}", "2023-02"),
            ("sales{shop=b}", "2023-03"),
        ]
    );
    let rows = query(&[
        SHOPS,
        "growth sales* over 1m every month sort change desc limit 2",
    ]);
    let order: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (cell(r, "series"), cell(r, "to_period")))
        .collect();
    assert_eq!(
        order,
        [
            ("sales{shop=a}", "2023-02"),
            ("sales", "2023-02"),
            ("sales", "2023-03"),
            ("sales{shop=b}", "2023-03"),
        ]
    );
}

#[test]
fn by_gives_the_breakdown_step_after_step() {
    let rows = query(&[SHOPS, "growth sales over 1m every month by shop"]);
    let order: Vec<(&str, &str, Option<f64>)> = rows
        .iter()
        .map(|r| (cell(r, "series"), cell(r, "to_period"), num(r, "share_pct")))
        .collect();
    assert_eq!(
        order,
        [
            ("sales{shop=a}", "2023-02", Some(200.0)),
            ("sales{shop=b}", "2023-02", Some(-100.0)),
            ("sales", "2023-02", Some(100.0)),
            ("sales{shop=a}", "2023-03", Some(3.0 / 14.0 * 100.0)),
            ("sales{shop=b}", "2023-03", Some(11.0 / 14.0 * 100.0)),
            ("sales", "2023-03", Some(100.0)),
        ]
    );
    // A step whose segments cannot all be resolved is one empty row.
    let rows = query(&[
        SHOPS,
        "insert 2023-04 sales{shop=a}=16 sales=50",
        "growth sales over 1m every month by shop from 2023-03",
    ]);
    assert_eq!(rows.len(), 4, "{rows:?}");
    let april = &rows[3];
    assert_eq!(
        (
            cell(april, "series"),
            cell(april, "from_period"),
            cell(april, "to_period")
        ),
        ("sales", "2023-03", "2023-04")
    );
    assert_eq!(num(april, "change"), None);
    assert!(cell(april, "note").contains("sales{shop=b}"), "{april:?}");
}

#[test]
fn trailing_growth_compares_two_trailing_windows() {
    let rows = with_revenue("growth revenue over 1y to 2024-05 trailing 12m");
    assert_eq!(
        ends(&rows),
        vec![end(
            "2022-06-01..2023-05-31",
            "2023-06-01..2024-05-31",
            (6..=17).sum::<i32>().into(),
            (18..=29).sum::<i32>().into(),
        )]
    );
    // Without `to`, the window ends where the latest period ends.
    assert_eq!(
        with_revenue("growth revenue over 1y trailing 12m"),
        rows,
        "latest is 2024-05"
    );
}

/// (period, value, change) of each row of a series listing.
fn listing(rows: &[Row]) -> Vec<(String, Option<f64>, Option<f64>)> {
    rows.iter()
        .map(|r| {
            (
                cell(r, "period").to_string(),
                num(r, "value"),
                num(r, "change"),
            )
        })
        .collect()
}

#[test]
fn series_every_trailing_sums_a_flow_and_changes_row_after_row() {
    let rows = with_revenue("series revenue every month from 2023-11 to 2024-02 trailing 12m");
    let sum = |a: i32, b: i32| f64::from((a..=b).sum::<i32>());
    // The December window is the year 2023: the next row's change still
    // compares with it.
    assert_eq!(
        listing(&rows),
        [
            (
                "2022-12-01..2023-11-30".to_string(),
                Some(sum(12, 23)),
                None
            ),
            ("2023".to_string(), Some(sum(13, 24)), Some(12.0)),
            (
                "2023-02-01..2024-01-31".to_string(),
                Some(sum(14, 25)),
                Some(12.0)
            ),
            (
                "2023-03-01..2024-02-29".to_string(),
                Some(sum(15, 26)),
                Some(12.0)
            ),
        ]
    );
    assert_eq!(rows[1]["start"], "2023-01-01");
    assert_eq!(rows[1]["end"], "2023-12-31");
}

#[test]
fn trailing_windows_take_the_mean_by_days_and_the_last_stock() {
    let script = "metric dau kind=average\nmetric staff kind=stock
insert 2024-01 dau=31 staff=10
insert 2024-02 dau=58 staff=11
insert 2024-03 dau=62 staff=12";
    let rows = query(&[script, "series dau every month from 2024-03 trailing 3m"]);
    let mean = (31.0 * 31.0 + 58.0 * 29.0 + 62.0 * 31.0) / 91.0;
    assert_eq!(rows[0]["period"], "2024-Q1");
    assert_eq!(num(&rows[0], "value"), Some(mean));
    let rows = query(&[script, "series staff every month from 2024-02 trailing 2m"]);
    assert_eq!(
        listing(&rows),
        [
            ("2024-01-01..2024-02-29".to_string(), Some(11.0), None),
            ("2024-02-01..2024-03-31".to_string(), Some(12.0), Some(1.0)),
        ]
    );
}

#[test]
fn a_trailing_window_at_a_month_end_starts_on_the_shorter_months_last_day() {
    // One hit a day through February and March 2024: a window's value is
    // its length in days.
    let mut script = vec!["metric hits kind=flow".to_string()];
    for month in 2..=3 {
        for day in 1..=if month == 2 { 29 } else { 31 } {
            script.push(format!("insert 2024-{month:02}-{day:02} hits=1"));
        }
    }
    let script = script.join("\n");
    // 2024-03-30 back one month from its exclusive end (2024-03-31) is
    // 2024-02-31, which February lacks: 2024-02-29.
    let rows = query(&[
        &script,
        "growth hits from 2024-03-30 to 2024-03-31 trailing 1m",
    ]);
    assert_eq!(
        ends(&rows),
        vec![end("2024-02-29..2024-03-30", "2024-03", 31.0, 31.0)]
    );
    let rows = query(&[
        &script,
        "series hits every day from 2024-02-29 to 2024-03-01 trailing 1m",
    ]);
    assert_eq!(
        listing(&rows),
        [
            ("2024-02".to_string(), Some(29.0), None),
            ("2024-02-02..2024-03-01".to_string(), Some(29.0), Some(0.0)),
        ]
    );
}

#[test]
fn trailing_on_series_needs_every() {
    let out = csv(&format!("{}\nseries revenue trailing 12m", revenue()));
    assert_eq!(
        out.only_error(),
        "error: line 31: column 16: \"trailing\" needs \"every\": series SELECTOR every GRAIN trailing SPAN"
    );
}

#[test]
fn chart_draws_trailing_windows() {
    let sandbox = Sandbox::new();
    sandbox.load(&revenue());
    sandbox
        .run_db(&["-q"], "chart revenue every month trailing 12m to ttm.svg")
        .clean();
    let svg = std::fs::read_to_string(sandbox.path("ttm.svg")).expect("the chart");
    assert!(svg.contains("<svg"), "{svg}");
}

#[test]
fn to_in_every_names_the_last_step() {
    let rows = query(&[
        "metric m kind=flow",
        "insert 2024-01 m=1",
        "insert 2024-02 m=2",
        "growth m over 1m every month to 2024-02 trailing 1m",
    ]);
    assert_eq!(rows.len(), 1);
    assert_eq!(num(&rows[0], "change"), Some(1.0));
}

#[test]
fn a_step_whose_ends_fall_on_one_recorded_period_is_an_empty_row() {
    let rows = query(&[
        "metric staff kind=stock",
        "insert 2023 staff=10",
        "insert 2024-01 staff=12",
        "growth staff over 1m every month from 2023-12 to 2024-01",
    ]);
    assert_eq!(column(&rows, "to_period"), ["2023-12", "2024-01"]);
    // 2023-11 and 2023-12 both stand on the recorded year 2023.
    assert_eq!(rows[0]["from_period"], "2023-11");
    assert_eq!(num(&rows[0], "change"), None);
    assert!(cell(&rows[0], "note").contains("2023"), "{rows:?}");
    assert_eq!(rows[1]["from_period"], "2023");
    assert_eq!(num(&rows[1], "change"), Some(2.0));
}

#[test]
fn fiscal_steps_are_shown_in_fiscal_form() {
    let rows = query(&[
        &revenue(),
        "calendar fiscal_year_start=4",
        "growth revenue over 1y every fiscal_quarter",
    ]);
    // The data starts with FY2022-Q4 (2022-01..2022-03): the first step is
    // the quarter a year later, FY2023-Q4.
    assert_eq!(rows[0]["from_period"], "FY2022-Q4");
    assert_eq!(rows[0]["to_period"], "FY2023-Q4");
    assert_eq!(num(&rows[0], "to_value"), Some(f64::from(13 + 14 + 15)));
    assert_eq!(rows.last().unwrap()["to_period"], "FY2024-Q4");
}

#[test]
fn the_help_examples_of_growth_series_and_chart_run() {
    let sandbox = crate::common::alipay();
    std::fs::create_dir_all(sandbox.path("charts")).unwrap();
    for command in ["growth", "series", "chart"] {
        let help = sandbox.run_db(&["-c", &format!(".help {command}")], "");
        help.clean();
        let (_, examples) = help.stdout.split_once("Examples:").unwrap();
        let examples: Vec<&str> = examples
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        assert!(
            examples.iter().filter(|e| e.contains(" every ")).count() >= 2,
            "{examples:?}"
        );
        assert!(
            examples.iter().filter(|e| e.contains(" trailing ")).count() >= 2,
            "{examples:?}"
        );
        for example in examples {
            sandbox.run_db(&["-q"], &format!("{example}\n")).clean();
        }
    }
}
