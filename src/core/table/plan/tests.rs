use super::*;
use crate::core::period::Granularity;

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn text(t: &str) -> TableCell {
    if t.is_empty() {
        TableCell::Empty
    } else {
        TableCell::Text(t.to_string())
    }
}

fn long(period: &str, values: &[(&str, &str)], labels: &[(&str, Option<&str>)]) -> TableSpec {
    TableSpec {
        shape: Shape::Long {
            period: period.to_string(),
            values: values
                .iter()
                .map(|(c, m)| (c.to_string(), m.to_string()))
                .collect(),
        },
        labels: labels
            .iter()
            .map(|(c, k)| (c.to_string(), k.map(str::to_string)))
            .collect(),
        period_format: None,
        grain: None,
        missing: vec![],
        percent: false,
    }
}

fn across(labels: &[(&str, Option<&str>)]) -> TableSpec {
    let mut spec = long("", &[], labels);
    spec.shape = Shape::Across {
        metric: "gdp".to_string(),
    };
    spec
}

/// The row's labels and cells as `metric@period=value` texts.
/// A cell error as its column and its message.
fn shown(error: CellError) -> (usize, String) {
    (error.column, error.to_string())
}

fn read(plan: &Plan, row: &[&str]) -> Result<(Vec<String>, Vec<String>), (usize, String)> {
    let row: Vec<TableCell> = row.iter().map(|t| text(t)).collect();
    let (mut labels, mut cells) = (Vec::new(), Vec::new());
    plan.read_row(&row, &mut labels, &mut cells)
        .map_err(shown)?;
    let cells = cells
        .iter()
        .map(|c| format!("{}@{}={}", plan.metrics()[c.metric], c.period, c.value))
        .collect();
    Ok((labels, cells))
}

#[test]
fn long_tables() {
    let header = strings(&["country", "continent", "year", "pop", "lifeExp", "note"]);
    let spec = long(
        "year",
        &[("pop", "pop"), ("lifeExp", "life_exp")],
        &[("continent", None), ("country", None)],
    );
    let plan = Plan::new(&spec, &header).unwrap();
    assert_eq!(
        plan.label_keys().collect::<Vec<_>>(),
        ["continent", "country"]
    );
    let (labels, cells) = read(
        &plan,
        &["Korea, Dem. Rep.", "Asia", "1952", "8865488", "50.056", "x"],
    )
    .unwrap();
    assert_eq!(labels, ["Asia", "Korea, Dem. Rep."]);
    assert_eq!(cells, ["pop@1952=8865488", "life_exp@1952=50.056"]);
    let (_, cells) = read(&plan, &["A", "B", "1957", "", "51"]).unwrap();
    assert_eq!(cells, ["life_exp@1957=51"]);
}

#[test]
fn row_errors_name_the_leftmost_bad_cell() {
    let header = strings(&["country", "year", "pop", "gdp"]);
    let mut spec = long(
        "year",
        &[("gdp", "gdp"), ("pop", "pop")],
        &[("country", None)],
    );
    spec.missing = vec!["NA".to_string(), "..".to_string()];
    let plan = Plan::new(&spec, &header).unwrap();
    let cases: [(&[&str], (usize, &str)); 6] = [
        (
            &["", "2000", "1", "2"],
            (0, "column \"country\": the label is empty"),
        ),
        (
            &["NA", "1/31/2000", "x", "y"],
            (
                1,
                "column \"year\": \"1/31/2000\" is not a period; for month/day/year add --period-format %m/%d/%Y",
            ),
        ),
        (
            &["NA", "2000", "1,234", "y"],
            (
                2,
                "column \"pop\": \"1,234\" is not a value; remove the thousands separators (1234)",
            ),
        ),
        (
            &["NA", "2000", "1", "n/a"],
            (
                3,
                "column \"gdp\": \"n/a\" is not a value; if it marks a missing value add --missing n/a",
            ),
        ),
        (
            &["NA", "2000", "1", "-"],
            (
                3,
                "column \"gdp\": \"-\" is not a value; if it marks a missing value add --missing -",
            ),
        ),
        (
            &["NA", "", "1", "2"],
            (1, "column \"year\": the period is empty"),
        ),
    ];
    for (row, (column, message)) in cases {
        assert_eq!(
            read(&plan, row).unwrap_err(),
            (column, message.to_string()),
            "{row:?}"
        );
    }
    // NA is a label (Namibia), and a missing value.
    let (labels, cells) = read(&plan, &["NA", "2000", "..", " NA "]).unwrap();
    assert_eq!((labels, cells.len()), (vec!["NA".to_string()], 0));
}

#[test]
fn periods_across() {
    let header = strings(&[
        "Country Name",
        "Country Code",
        "1960 [YR1960]",
        "1961 [YR1961]",
        "",
    ]);
    let spec = across(&[
        ("Country Name", Some("country")),
        ("Country Code", Some("iso3")),
    ]);
    let plan = Plan::new(&spec, &header).unwrap();
    assert_eq!(
        read(&plan, &["Aruba", "ABW", "..", "3.5e9", ""]).unwrap_err(),
        (2, "column \"1960 [YR1960]\": \"..\" is not a value; if it marks a missing value add --missing ..".to_string())
    );
    let mut missing = spec.clone();
    missing.missing = vec!["..".to_string()];
    let plan = Plan::new(&missing, &header).unwrap();
    let (_, cells) = read(&plan, &["Aruba", "ABW", "..", "3.5e9", ""]).unwrap();
    assert_eq!(cells, ["gdp@1961=3500000000"]);
    assert_eq!(
        read(&plan, &["Aruba", "ABW", "1", "2", "x"]).unwrap_err(),
        (4, "column 5 has no header but holds \"x\"".to_string())
    );
}

#[test]
fn header_errors() {
    let header = strings(&["Country Name", "Indicator", "2000", "2001"]);
    let cases = [
        (
            across(&[("Country Name", None)]),
            (
                0,
                "column \"Country Name\" is not a label key; name one with --labels \"Country Name\"=country_name",
            ),
        ),
        (
            across(&[("Country Name", Some("country"))]),
            (
                1,
                "column \"Indicator\" is neither a period nor named in --labels; add it to --labels, as Indicator=indicator",
            ),
        ),
        (
            across(&[("Country Name", Some("Country"))]),
            (
                0,
                "\"Country\" is not a label key; a key is lowercase letters, digits and _, starting with a letter or _",
            ),
        ),
        (
            long("Year", &[("2000", "x")], &[]),
            (
                0,
                "no column \"Year\" in the header; its columns are \"Country Name\", Indicator, 2000, 2001",
            ),
        ),
        (
            long("2000", &[("2000", "x")], &[]),
            (2, "column \"2000\" is named twice in the options"),
        ),
        (
            long("2000", &[("2001", "1x")], &[]),
            (
                3,
                "invalid metric name \"1x\": a metric name starts with a letter",
            ),
        ),
    ];
    for (spec, (column, message)) in cases {
        assert_eq!(
            shown(Plan::new(&spec, &header).unwrap_err()),
            (column, message.to_string())
        );
    }
}

#[test]
fn grain_and_percent() {
    let header = strings(&["Date", "Close", "Rate"]);
    let mut spec = long("Date", &[("Close", "close"), ("Rate", "rate")], &[]);
    spec.grain = Some(Granularity::Month);
    spec.period_format = Some("%b %d %Y".to_string());
    spec.percent = true;
    let plan = Plan::new(&spec, &header).unwrap();
    let (_, cells) = read(&plan, &["Jan 3 2000", "250", "3.5"]).unwrap();
    assert_eq!(cells, ["close@2000-01=2.5", "rate@2000-01=0.035"]);
    let (_, cells) = read(&plan, &["Jan 4 2000", "", "70%"]).unwrap();
    assert_eq!(cells, ["rate@2000-01=0.7"]);
    let row = [
        TableCell::Text("Jan 4 2000".into()),
        TableCell::Percent(0.25),
    ];
    let (mut labels, mut cells) = (vec![], vec![]);
    plan.read_row(&row, &mut labels, &mut cells).unwrap();
    assert_eq!(cells[0].value, 0.25);
    assert_eq!(cells[0].exact.to_string(), "2000-01-04");
}

#[test]
fn number_cells_as_labels_and_periods() {
    let header = strings(&["id", "year", "v"]);
    let plan = Plan::new(&long("year", &[("v", "v")], &[("id", None)]), &header).unwrap();
    let row = [
        TableCell::Number(7.0),
        TableCell::Number(2001.0),
        TableCell::Number(1.5),
    ];
    let (mut labels, mut cells) = (vec![], vec![]);
    plan.read_row(&row, &mut labels, &mut cells).unwrap();
    assert_eq!(labels, ["7"]);
    assert_eq!(cells[0].period.to_string(), "2001");
}

#[test]
fn keys_suggested_from_headers() {
    for (header, key) in [
        ("Country Name", "country_name"),
        ("GDP (US$)", "gdp_us"),
        ("2000", "_2000"),
    ] {
        assert_eq!(suggest_key(header), key);
    }
}

#[test]
fn rows_say_whether_their_labels_changed() {
    let header = strings(&["id", "year", "v"]);
    let plan = Plan::new(&long("year", &[("v", "v")], &[("id", None)]), &header).unwrap();
    let (mut labels, mut cells) = (vec![], vec![]);
    let mut changed = |row: [&str; 3]| {
        let row: Vec<TableCell> = row.iter().map(|t| text(t)).collect();
        plan.read_row(&row, &mut labels, &mut cells).unwrap()
    };
    assert!(changed(["a", "2000", "1"]));
    assert!(!changed([" a ", "2001", "2"]));
    assert!(changed(["b", "2001", "3"]));
    // Periods read before read the same again.
    assert!(!changed(["b", "2000", "4"]));
    assert_eq!(cells[0].period.to_string(), "2000");
}
