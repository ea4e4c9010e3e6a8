//! SPEC §4 and §5, the rules version 2 changed: row order by label values
//! as plain text, `by` over averages and ratios, roll-ups, two ends on one
//! recorded period, commands whose every row failed, and `metric PATTERN`.
use crate::common::{Sandbox, query, series_of};

// ------------------------------------------------------------ row order

/// Countries whose canonical names quote some values: quoted text would
/// sort `"New Zealand"` and `"Korea, Rep."` before `Australia`.
const COUNTRIES: &str = r#"metric pop kind=stock
insert 2000 pop{continent=Oceania,country="New Zealand"}=3.9M pop{continent=Oceania,country=Australia}=19M pop{continent=Asia,country="Korea, Rep."}=47M pop{continent=Asia,country=Japan}=127M
insert 2010 pop{continent=Oceania,country="New Zealand"}=4.4M pop{continent=Oceania,country=Australia}=22M pop{continent=Asia,country="Korea, Rep."}=49M pop{continent=Asia,country=Japan}=128M
"#;

const IN_PLAIN_TEXT_ORDER: [&str; 4] = [
    r#"pop{continent=Asia,country=Japan}"#,
    r#"pop{continent=Asia,country="Korea, Rep."}"#,
    r#"pop{continent=Oceania,country=Australia}"#,
    r#"pop{continent=Oceania,country="New Zealand"}"#,
];

#[test]
fn rows_of_several_series_are_ordered_by_label_values_as_plain_text() {
    let sandbox = Sandbox::new();
    sandbox.load(COUNTRIES);
    let growth = sandbox.csv("growth pop* from 2000 to 2010");
    growth.clean();
    assert_eq!(series_of(&growth.rows()), IN_PLAIN_TEXT_ORDER);

    let series = sandbox.csv("series pop*");
    series.clean();
    let rows = series.rows();
    let mut names: Vec<&str> = series_of(&rows);
    names.dedup();
    assert_eq!(names, IN_PLAIN_TEXT_ORDER);

    sandbox.load(".export all.csv");
    let exported = std::fs::read_to_string(sandbox.path("all.csv")).expect("the export");
    let mut reader = ::csv::Reader::from_reader(exported.as_bytes());
    let mut names: Vec<String> = reader
        .records()
        .map(|r| r.expect("a csv record")[0].to_string())
        .collect();
    names.dedup();
    assert_eq!(names, IN_PLAIN_TEXT_ORDER);

    let oceania = sandbox.csv("growth pop{continent=Oceania} from 2000 to 2010 by country");
    oceania.clean();
    assert_eq!(
        series_of(&oceania.rows()),
        [
            IN_PLAIN_TEXT_ORDER[2],
            IN_PLAIN_TEXT_ORDER[3],
            "pop{continent=Oceania}"
        ]
    );
}

#[test]
fn metrics_come_before_their_labels_and_the_total_first() {
    let rows = query(&[
        "metric a kind=stock",
        "metric b kind=stock",
        "insert 2000 b{x=Z}=1 b=2 a{x=\"y z\"}=3 a{x=y}=4 b{x=a}=5",
        "insert 2001 b{x=Z}=1 b=2 a{x=\"y z\"}=3 a{x=y}=4 b{x=a}=5",
        "growth * from 2000 to 2001",
    ]);
    // Plain text compares code points: upper case before lower case.
    assert_eq!(
        series_of(&rows),
        ["a{x=y}", "a{x=\"y z\"}", "b", "b{x=Z}", "b{x=a}"]
    );
}
