//! SPEC §4, version 2: `by KEY` over averages and ratios without a recorded
//! total, and roll-ups of series that carry KEY among other labels.
use crate::common::{Sandbox, cell, csv, num, query, query_error, series_of};

/// Population by country under continents: no series is split by
/// continent alone.
const COUNTRIES: &str = r#"metric pop kind=stock
insert 2000 pop{continent=Asia,country=Japan}=127M pop{continent=Asia,country="Korea, Rep."}=47M pop{continent=Oceania,country=Australia}=19M
insert 2010 pop{continent=Asia,country=Japan}=128M pop{continent=Asia,country="Korea, Rep."}=49M pop{continent=Oceania,country=Australia}=22M
"#;

#[test]
fn by_over_averages_and_ratios_without_a_total_gives_segments_and_no_shares() {
    for kind in ["average", "ratio"] {
        let rows = query(&[
            &format!("metric m kind={kind}"),
            "insert 2023 m{app=a}=0.5 m{app=b}=0.1",
            "insert 2024 m{app=a}=0.6 m{app=b}=0.3",
            "growth m from 2023 to 2024 by app",
        ]);
        assert_eq!(series_of(&rows), ["m{app=a}", "m{app=b}"], "{kind}");
        for row in &rows {
            assert_eq!(cell(row, "share_pct"), "", "{kind}: {row:?}");
        }
    }
}

#[test]
fn by_over_averages_with_a_recorded_total_keeps_total_shares_and_unattributed() {
    let rows = query(&[
        "metric m kind=average",
        "insert 2023 m=10 m{app=a}=4 m{app=b}=6",
        "insert 2024 m=20 m{app=a}=8 m{app=b}=10",
        "growth m from 2023 to 2024 by app",
    ]);
    assert_eq!(
        series_of(&rows),
        ["m{app=a}", "m{app=b}", "m (unattributed)", "m"]
    );
    assert_eq!(num(&rows[0], "share_pct"), Some(40.0));
    assert_eq!(num(&rows[2], "share_pct"), Some(20.0));
    assert_eq!(num(&rows[3], "share_pct"), Some(100.0));
}

#[test]
fn by_rolls_up_series_that_carry_the_key_among_other_labels() {
    let sandbox = Sandbox::new();
    sandbox.load(COUNTRIES);
    let out = sandbox.csv("growth pop from 2000 to 2010 by continent");
    out.clean();
    let rows = out.rows();
    assert_eq!(
        series_of(&rows),
        ["pop{continent=Asia}", "pop{continent=Oceania}", "pop"]
    );
    let asia = &rows[0];
    assert_eq!(num(asia, "from_value"), Some(174e6));
    assert_eq!(num(asia, "to_value"), Some(177e6));
    assert_eq!(cell(asia, "metric"), "pop");
    assert_eq!(cell(asia, "note"), "sum of 2 series");
    assert_eq!(cell(&rows[1], "note"), "sum of 1 series");
    assert_eq!(num(asia, "share_pct"), Some(50.0));
    assert_eq!(num(&rows[1], "share_pct"), Some(50.0));
    let total = &rows[2];
    assert_eq!(num(total, "change"), Some(6e6));
    assert_eq!(num(total, "share_pct"), Some(100.0));
    assert_eq!(cell(total, "note"), "sum of the segments");

    // A recorded total: an (unattributed) row carries the rest.
    sandbox.load("insert 2000 pop=200M\ninsert 2010 pop=210M\n");
    let rows = sandbox.csv("growth pop over 10y by continent").rows();
    assert_eq!(
        series_of(&rows),
        [
            "pop{continent=Asia}",
            "pop{continent=Oceania}",
            "pop (unattributed)",
            "pop"
        ]
    );
    assert_eq!(num(&rows[2], "to_value"), Some(11e6));
    assert_eq!(num(&rows[3], "share_pct"), Some(100.0));

    // Under selector labels, and with sort and limit on the segments.
    let rows = sandbox
        .csv("growth pop{continent=Asia} from 2000 to 2010 by country sort change desc limit 1")
        .rows();
    assert_eq!(
        series_of(&rows),
        [
            r#"pop{continent=Asia,country="Korea, Rep."}"#,
            "pop{continent=Asia}"
        ]
    );
}

#[test]
fn a_roll_up_names_the_selector_labels_plus_the_key() {
    let rows = query(&[
        "metric jobs kind=flow",
        "insert 2000 jobs{region=n,sector=a,sex=f}=1 jobs{region=n,sector=b,sex=f}=2 jobs{region=n,sector=a,sex=m}=4 jobs{region=s,sector=a,sex=m}=100",
        "insert 2010 jobs{region=n,sector=a,sex=f}=2 jobs{region=n,sector=b,sex=f}=4 jobs{region=n,sector=a,sex=m}=8 jobs{region=s,sector=a,sex=m}=100",
        "growth jobs{region=n} from 2000 to 2010 by sex",
    ]);
    assert_eq!(
        series_of(&rows),
        [
            "jobs{region=n,sex=f}",
            "jobs{region=n,sex=m}",
            "jobs{region=n}"
        ]
    );
    assert_eq!(num(&rows[0], "to_value"), Some(6.0));
    assert_eq!(num(&rows[2], "to_value"), Some(14.0));
}

#[test]
fn a_roll_up_of_averages_ratios_or_distinct_counts_is_refused_saying_why() {
    let cases = [
        ("average", "a sum of averages means nothing"),
        ("ratio", "a sum of ratios means nothing"),
        ("distinct", "counts twice whoever is in several series"),
    ];
    for (kind, why) in cases {
        let script = COUNTRIES.replace("kind=stock", &format!("kind={kind}"));
        let out = csv(&format!(
            "{script}growth pop from 2000 to 2010 by continent\n"
        ));
        let line = out.only_error();
        assert!(line.contains(why), "{kind}: {line}");
        assert!(
            line.contains("cannot roll pop up by continent"),
            "{kind}: {line}"
        );
        assert!(line.contains("stock, flow"), "{kind}: {line}");
    }
    let script = COUNTRIES.replace("kind=stock", "kind=ratio");
    let out = crate::common::memory(
        &["--format", "json", "-q"],
        &format!("{script}growth pop from 2000 to 2010 by continent\n"),
    );
    let error: serde_json::Value = serde_json::from_str(out.only_error()).expect("JSON");
    assert_eq!(error["kind"], "cannot_combine");
}

#[test]
fn a_roll_up_sums_each_endpoint_as_every_series_resolves_it() {
    let script = [
        "metric pop kind=stock",
        "insert 2000 pop{continent=Asia,country=Japan}=127 pop{continent=Asia,country=Korea}=47",
        "insert 2010 pop{continent=Asia,country=Japan}=128",
        "insert 2009 pop{continent=Asia,country=Korea}=48",
    ];
    // Korea's 2010 is its stale 2009; the segment shows the period asked.
    let mut lines = script.to_vec();
    lines.push("growth pop from 2000 to 2010 by continent");
    let rows = query(&lines);
    assert_eq!(num(&rows[0], "to_value"), Some(176.0));
    assert_eq!(cell(&rows[0], "to_period"), "2010");
    assert_eq!(
        cell(&rows[0], "note"),
        "sum of 2 series; to: pop{continent=Asia,country=Korea}: stale: 2010 as of 2009"
    );
    // latest: the latest period of any summed series.
    let mut lines = script.to_vec();
    lines.push("growth pop over 10y by continent");
    let rows = query(&lines);
    assert_eq!(cell(&rows[0], "from_period"), "2000");
    assert_eq!(cell(&rows[0], "to_period"), "2010");

    // A flow is never carried forward: a segment with a hole fails.
    let message = query_error(&[
        "metric sales kind=flow",
        "insert 2000 sales{region=n,shop=a}=1 sales{region=n,shop=b}=2",
        "insert 2010 sales{region=n,shop=a}=3",
        "growth sales from 2000 to 2010 by region",
    ]);
    assert_eq!(
        message,
        "no data for sales{region=n,shop=b} in 2010 (a flow is never carried forward from an earlier period)"
    );
}
