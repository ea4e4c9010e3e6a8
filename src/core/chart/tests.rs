use super::*;
use crate::core::period::{FiscalCalendar, FiscalLabel, Period};

fn day(text: &str) -> i32 {
    Period::parse(text).unwrap().start_day()
}

fn labels(ticks: &[Tick]) -> Vec<&str> {
    ticks.iter().map(|t| t.label.as_str()).collect()
}

#[test]
fn period_ticks_fall_on_boundaries_of_a_unit_chosen_for_the_span() {
    let cases: &[(&str, &str, &[&str])] = &[
        // A decade of months: every year, none skipped.
        (
            "2000-01",
            "2010-01",
            &[
                "2000", "2001", "2002", "2003", "2004", "2005", "2006", "2007", "2008", "2009",
            ],
        ),
        // Four years of months: years, each once.
        ("2012-01", "2016-01", &["2012", "2013", "2014", "2015"]),
        // Thirteen months: every other month.
        (
            "2023-05",
            "2024-06",
            &[
                "2023-05", "2023-07", "2023-09", "2023-11", "2024-01", "2024-03", "2024-05",
            ],
        ),
        // Two years: quarters.
        (
            "2022-01",
            "2024-01",
            &[
                "2022-Q1", "2022-Q2", "2022-Q3", "2022-Q4", "2023-Q1", "2023-Q2", "2023-Q3",
                "2023-Q4",
            ],
        ),
        // A month of days: ISO weeks.
        (
            "2024-06-01",
            "2024-07-01",
            &["2024-W23", "2024-W24", "2024-W25", "2024-W26"],
        ),
        // A week: days.
        (
            "2024-06-03",
            "2024-06-08",
            &[
                "2024-06-03",
                "2024-06-04",
                "2024-06-05",
                "2024-06-06",
                "2024-06-07",
            ],
        ),
        // A century: every ten years.
        (
            "1921-01",
            "2021-01",
            &[
                "1930", "1940", "1950", "1960", "1970", "1980", "1990", "2000", "2010", "2020",
            ],
        ),
    ];
    for (from, to, expected) in cases {
        let ticks = period_ticks(day(from), day(to), None, None);
        assert_eq!(labels(&ticks), *expected, "{from}..{to}");
        assert!(ticks.windows(2).all(|w| w[0].at < w[1].at));
    }
}

#[test]
fn ticks_are_unique_ordered_and_fit_for_every_span() {
    let start = day("1990-01-01");
    for days in [
        1, 2, 5, 10, 20, 40, 90, 200, 400, 800, 1500, 4000, 9000, 40_000,
    ] {
        let ticks = period_ticks(start, start + days, None, None);
        assert!(!ticks.is_empty() && ticks.len() <= 12, "{days}: {ticks:?}");
        assert!(ticks.windows(2).all(|w| w[0].at < w[1].at), "{days}");
        let mut names = labels(&ticks);
        names.dedup();
        assert_eq!(names.len(), ticks.len(), "{days}");
        assert!(ticks.iter().all(|t| Period::parse(&t.label).is_ok()));
    }
}

#[test]
fn fiscal_charts_tick_fiscal_years_and_quarters() {
    let april = FiscalCalendar::new(4, FiscalLabel::End).unwrap();
    let ticks = period_ticks(day("2020-04"), day("2024-04"), None, Some(april));
    assert_eq!(
        labels(&ticks),
        ["FY2021", "FY2022", "FY2023", "FY2024"],
        "fiscal years starting in April, named by their end"
    );
    let ticks = period_ticks(day("2023-04"), day("2024-04"), None, Some(april));
    assert_eq!(
        labels(&ticks),
        ["FY2024-Q1", "FY2024-Q2", "FY2024-Q3", "FY2024-Q4"]
    );
}

#[test]
fn value_ticks_are_round_and_read_like_table_numbers() {
    let cases: &[(f64, f64, bool, &[&str])] = &[
        (
            50_000.0,
            500_000.0,
            false,
            &["0", "100k", "200k", "300k", "400k", "500k"],
        ),
        (
            1.2e9,
            1.4e9,
            false,
            &["1.20B", "1.25B", "1.30B", "1.35B", "1.40B"],
        ),
        (
            0.0,
            2_600.0,
            false,
            &["0", "500", "1,000", "1,500", "2,000", "2,500", "3,000"],
        ),
        (
            15.0,
            30.0,
            false,
            &["15.0", "17.5", "20.0", "22.5", "25.0", "27.5", "30.0"],
        ),
        (
            64.5,
            70.0,
            true,
            &["64%", "65%", "66%", "67%", "68%", "69%", "70%"],
        ),
        (
            0.1,
            0.35,
            false,
            &["0.10", "0.15", "0.20", "0.25", "0.30", "0.35"],
        ),
        (-12.0, 8.0, false, &["-15", "-10", "-5", "0", "5", "10"]),
        (25e6, 200e6, false, &["0", "50M", "100M", "150M", "200M"]),
    ];
    for (low, high, percent, expected) in cases {
        let (range, ticks) = value_ticks(*low, *high, *percent, false);
        assert_eq!(labels(&ticks), *expected, "{low}..{high}");
        assert!(range.0 <= *low && range.1 >= *high);
        assert_eq!((range.0, range.1), (ticks[0].at, ticks.last().unwrap().at));
    }
    let (_, ticks) = value_ticks(-10.0, 10.0, true, true);
    assert_eq!(labels(&ticks), ["-10%", "-5%", "0%", "+5%", "+10%"]);
    // One value: a range around it.
    let (range, ticks) = value_ticks(7.0, 7.0, false, false);
    assert!(range.0 < 7.0 && range.1 > 7.0 && ticks.len() >= 2);
}

fn line(metric: &str, labels: &[(&str, &str)], values: &[(&str, f64)]) -> ChartLine {
    ChartLine {
        metric: metric.to_string(),
        labels: labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        points: values
            .iter()
            .map(|(p, v)| (Period::parse(p).unwrap(), *v))
            .collect(),
    }
}

fn metric(name: &str, description: Option<&str>, unit: Option<&str>) -> ChartMetric {
    ChartMetric {
        name: name.to_string(),
        description: description.map(str::to_string),
        unit: unit.map(str::to_string),
    }
}

#[test]
fn titles_say_what_the_metric_is_and_legends_only_what_differs() {
    let chart = Chart {
        selector: "pop*".to_string(),
        metrics: vec![metric("pop", Some("Population"), Some("people"))],
        percent: false,
        fiscal: None,
        change: None,
        lines: vec![
            line(
                "pop",
                &[("country", "China"), ("sex", "all")],
                &[("2000", 1.26e9), ("2020", 1.41e9)],
            ),
            line(
                "pop",
                &[("country", "India"), ("sex", "all")],
                &[("2000", 1.05e9), ("2020", 1.40e9)],
            ),
            line("pop", &[("country", "Chad"), ("sex", "all")], &[]),
        ],
    };
    let plan = chart.plan().unwrap();
    assert_eq!(plan.title, "Population");
    let ticks: Vec<&str> = plan.x_ticks.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(
        ticks[..3],
        ["2000", "2002", "2004"],
        "no ticks finer than a year"
    );
    assert_eq!(plan.subtitle, "sex=all · 2000 to 2020");
    assert_eq!(plan.y_title, "people");
    assert_eq!(plan.legend_title.as_deref(), Some("country"));
    let legends: Vec<&str> = plan.lines.iter().map(|l| l.legend.as_str()).collect();
    assert_eq!(legends, ["China", "India"]);
    assert_eq!(plan.lines[0].points.len(), 2);

    let one = Chart {
        lines: chart.lines[..1].to_vec(),
        metrics: vec![metric("pop", None, None)],
        ..chart.clone()
    };
    let plan = one.plan().unwrap();
    assert_eq!(
        (plan.title.as_str(), plan.subtitle.as_str()),
        ("pop", "country=China, sex=all · 2000 to 2020")
    );
    assert_eq!((plan.legend_title, plan.y_title.as_str()), (None, "value"));

    let empty = Chart {
        lines: chart.lines[2..].to_vec(),
        ..chart
    };
    assert_eq!(empty.plan(), None);
}

#[test]
fn several_metrics_name_the_metric_in_the_legend() {
    let chart = Chart {
        selector: "c*".to_string(),
        metrics: vec![
            metric("creators", Some("Creators"), Some("creators")),
            metric("consumers", None, Some("people")),
        ],
        percent: false,
        fiscal: None,
        change: None,
        lines: vec![
            line("creators", &[], &[("2024-01", 5.0)]),
            line("consumers", &[], &[("2024-01", 9.0)]),
        ],
    };
    let plan = chart.plan().unwrap();
    assert_eq!(plan.title, "creators, consumers");
    assert_eq!(plan.y_title, "creators, people");
    assert_eq!(plan.legend_title.as_deref(), Some("metric"));
    let legends: Vec<&str> = plan.lines.iter().map(|l| l.legend.as_str()).collect();
    assert_eq!(
        legends,
        ["consumers", "creators"],
        "highest last value first"
    );
    assert_eq!(plan.subtitle, "2024-01");
}

#[test]
fn more_than_ten_lines_keep_the_top_ten_and_say_how_many_others() {
    let lines: Vec<ChartLine> = (0..33)
        .map(|i| {
            let symbol = format!("S{i:02}");
            line(
                "price",
                &[("symbol", &symbol)],
                &[("2024-01", 1.0), ("2024-02", f64::from(i))],
            )
        })
        .collect();
    let chart = Chart {
        selector: "price".to_string(),
        metrics: vec![metric("price", None, Some("USD"))],
        percent: false,
        fiscal: None,
        change: None,
        lines,
    };
    let plan = chart.plan().unwrap();
    assert_eq!(plan.lines.len(), MOST_LINES);
    assert_eq!(plan.lines[0].legend, "S32");
    assert_eq!(plan.lines[9].legend, "S23");
    assert_eq!(
        plan.subtitle,
        "2024-01 to 2024-02 · top 10 of 33 series by last value, 23 others not shown"
    );
}

#[test]
fn ratios_are_percents_and_fiscal_steps_are_named_in_fiscal_form() {
    let april = FiscalCalendar::new(4, FiscalLabel::End).unwrap();
    let quarter = |text: &str| {
        let p = FiscalPeriodText(text);
        p.period(april)
    };
    let chart = Chart {
        selector: "share".to_string(),
        metrics: vec![metric("share", None, None)],
        percent: true,
        fiscal: Some(april),
        change: None,
        lines: vec![ChartLine {
            metric: "share".to_string(),
            labels: vec![],
            points: vec![(quarter("FY2024-Q1"), 0.5), (quarter("FY2024-Q4"), 0.7)],
        }],
    };
    let plan = chart.plan().unwrap();
    assert_eq!(plan.subtitle, "FY2024-Q1 to FY2024-Q4");
    assert_eq!(plan.y_title, "percent");
    assert_eq!(plan.lines[0].points[1].1, 70.0);
    assert!(plan.y_ticks.iter().all(|t| t.label.ends_with('%')));
    assert_eq!(plan.x_ticks[0].label, "FY2024-Q1");
}

struct FiscalPeriodText<'a>(&'a str);

impl FiscalPeriodText<'_> {
    fn period(&self, calendar: FiscalCalendar) -> Period {
        crate::core::period::FiscalPeriod::parse(self.0)
            .unwrap()
            .period(calendar)
            .unwrap()
    }
}
