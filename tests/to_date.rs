//! SPEC §8 to date: `ytd htd qtd mtd wtd fytd fhtd fqtd` wherever `latest`
//! goes, per series, moved end by end by `over`, and shown by name when
//! the range is a named period.
use crate::common::{Sandbox, cell, csv};

/// (from_period, from_value, to_period, to_value) of every growth row.
fn rows(script: &str) -> Vec<(String, String, String, String)> {
    let out = csv(script);
    out.clean();
    out.rows()
        .iter()
        .map(|r| {
            (
                r["from_period"].clone(),
                r["from_value"].clone(),
                r["to_period"].clone(),
                r["to_value"].clone(),
            )
        })
        .collect()
}

fn row(from: &str, from_value: &str, to: &str, to_value: &str) -> (String, String, String, String) {
    (
        from.to_string(),
        from_value.to_string(),
        to.to_string(),
        to_value.to_string(),
    )
}

/// Monthly flow data from 2023-01 to 2024-05, each month worth its number.
fn monthly() -> String {
    let mut script = String::from("metric revenue kind=flow\n");
    for year in [2023, 2024] {
        let last = if year == 2023 { 12 } else { 5 };
        for month in 1..=last {
            script.push_str(&format!("insert {year}-{month:02} revenue={month}\n"));
        }
    }
    script
}

#[test]
fn ytd_over_1y_compares_the_same_months_of_the_year_before() {
    // The example of the contract: monthly data up to 2024-05.
    assert_eq!(
        rows(&format!("{}growth revenue over 1y to ytd", monthly())),
        [row(
            "2023-01-01..2023-05-31",
            "15",
            "2024-01-01..2024-05-31",
            "15"
        )]
    );
    // Every calendar unit; months end with their data, so mtd is a month.
    for (word, from, to) in [
        ("htd", "2023-01-01..2023-05-31", "2024-01-01..2024-05-31"),
        ("qtd", "2023-04-01..2023-05-31", "2024-04-01..2024-05-31"),
        ("mtd", "2023-05", "2024-05"),
    ] {
        let got = rows(&format!("{}growth revenue over 1y to {word}", monthly()));
        assert_eq!((got[0].0.as_str(), got[0].2.as_str()), (from, to), "{word}");
    }
}

#[test]
fn fiscal_to_date_follows_the_stores_calendar() {
    let script = format!("{}calendar fiscal_year_start=4\n", monthly());
    for (word, from, to, to_value) in [
        (
            "fytd",
            "2023-04-01..2023-05-31",
            "2024-04-01..2024-05-31",
            "9",
        ),
        (
            "fhtd",
            "2023-04-01..2023-05-31",
            "2024-04-01..2024-05-31",
            "9",
        ),
        (
            "fqtd",
            "2023-04-01..2023-05-31",
            "2024-04-01..2024-05-31",
            "9",
        ),
    ] {
        let got = rows(&format!("{script}growth revenue over 1y to {word}"));
        assert_eq!(
            (got[0].0.as_str(), got[0].2.as_str(), got[0].3.as_str()),
            (from, to, to_value),
            "{word}"
        );
    }
    // A to-date range equal to a fiscal period is shown by its fiscal name:
    // with years from June, the data ends with FY2024.
    let got = rows(&format!(
        "{}calendar fiscal_year_start=6\ngrowth revenue from 2023-06 to fytd",
        monthly()
    ));
    assert_eq!(got[0].2, "FY2024");
}

#[test]
fn to_date_ranges_of_daily_data_ending_mid_month_and_mid_week() {
    // Daily visits (a flow) of 1 from 2024-01-01 to Wednesday 2024-06-12.
    let mut script = String::from("metric visits kind=flow\n");
    let mut day = jiff::civil::date(2024, 1, 1);
    while day <= jiff::civil::date(2024, 6, 12) {
        script.push_str(&format!("insert {day} visits=1\n"));
        day = day.tomorrow().unwrap();
    }
    for (word, to, days) in [
        ("ytd", "2024-01-01..2024-06-12", "164"),
        ("htd", "2024-01-01..2024-06-12", "164"),
        ("qtd", "2024-04-01..2024-06-12", "73"),
        ("mtd", "2024-06-01..2024-06-12", "12"),
        ("wtd", "2024-06-10..2024-06-12", "3"),
    ] {
        let got = rows(&format!("{script}growth visits from {word} to {word}"));
        assert_eq!((got[0].2.as_str(), got[0].3.as_str()), (to, days), "{word}");
    }
    // Over one week, week to date moves by seven days.
    let got = rows(&format!("{script}growth visits over 1w to wtd"));
    assert_eq!(got[0].0, "2024-06-03..2024-06-05");
}

#[test]
fn to_date_ranges_of_weekly_data_end_on_the_weeks_sunday() {
    // Weekly sign-ups (a flow) for the ISO weeks 2024-W01 to 2024-W10,
    // which ends on Sunday 2024-03-10.
    let mut script = String::from("metric signups kind=flow\n");
    for week in 1..=10 {
        script.push_str(&format!("insert 2024-W{week:02} signups={week}\n"));
    }
    let out = csv(&format!("{script}growth signups from wtd to wtd"));
    out.clean();
    assert_eq!(cell(&out.rows()[0], "to_period"), "2024-W10");
    assert_eq!(cell(&out.rows()[0], "to_value"), "10");
    // Month to date: March 1 to 10 is not tiled by weeks (rule 3).
    let out = csv(&format!("{script}growth signups from mtd to mtd"));
    let error = out.only_error();
    assert!(error.contains("2024-03-01..2024-03-10"), "{error}");
}

#[test]
fn each_series_has_its_own_to_date_range() {
    let sandbox = Sandbox::new();
    sandbox.load(
        "metric sales kind=flow\n\
         insert 2024-01 sales{shop=a}=1 sales{shop=b}=10\n\
         insert 2024-02 sales{shop=a}=2 sales{shop=b}=20\n\
         insert 2024-03 sales{shop=a}=3\n",
    );
    let out = sandbox.csv("growth sales* from earliest to ytd");
    out.clean();
    let to: Vec<(String, String)> = out
        .rows()
        .iter()
        .map(|r| (r["series"].clone(), r["to_period"].clone()))
        .collect();
    assert_eq!(
        to,
        [
            ("sales{shop=a}".to_string(), "2024-Q1".to_string()),
            (
                "sales{shop=b}".to_string(),
                "2024-01-01..2024-02-29".to_string()
            ),
        ]
    );
}

#[test]
fn to_date_words_are_refused_where_latest_is() {
    let out = csv("insert 2024 a=1\nseries a from ytd");
    assert_eq!(
        out.only_error(),
        "error: line 2: column 15: \"ytd\" is allowed only in growth; leave out \"from\" to include every period"
    );
}
