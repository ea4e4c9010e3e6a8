//! `chart ... to FILE.svg`: a line chart of series as SVG.
use crate::common::{Sandbox, alipay};

/// The drawn lines of a chart: the polylines of width 2 (axes and ticks
/// are width 1), and every text in it.
fn lines_and_texts(svg: &str) -> (usize, Vec<String>) {
    let doc = roxmltree::Document::parse(svg).expect("the chart is well-formed XML");
    let lines = doc
        .descendants()
        .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke-width") == Some("2"))
        .count();
    let texts = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(|t| t.trim().to_string()))
        .collect();
    (lines, texts)
}

#[test]
fn a_chart_has_a_title_axes_and_one_line_per_series_with_a_legend() {
    let sandbox = alipay();
    let out = sandbox.run_db(
        &["-c", "chart c* from 2023-05 to 2024-05 to growth.svg"],
        "",
    );
    out.ok();
    assert!(out.stderr.contains("wrote growth.svg"), "{}", out.stderr);
    let svg = std::fs::read_to_string(sandbox.path("growth.svg")).unwrap();
    let (lines, texts) = lines_and_texts(&svg);
    assert_eq!(lines, 3, "one line per series");
    for expected in [
        "c*",
        "period",
        "consumers.daily_avg",
        "content.minutes_per_user",
        "creators.monthly_active",
        "2023-07",
        "people, minutes, creators",
    ] {
        assert!(
            texts.iter().any(|t| t.contains(expected)),
            "{expected} in {texts:?}"
        );
    }
}

#[test]
fn ratios_are_drawn_in_percent_and_units_label_the_value_axis() {
    let sandbox = alipay();
    sandbox.load("insert 2023-05 services.daily_use_share=64.5%\n");
    sandbox
        .run_db(
            &[
                "-q",
                "-c",
                "chart services.daily_use_share to \"share.svg\"",
            ],
            "",
        )
        .clean();
    let (lines, texts) =
        lines_and_texts(&std::fs::read_to_string(sandbox.path("share.svg")).unwrap());
    assert_eq!(lines, 1);
    assert!(texts.iter().any(|t| t == "percent"), "{texts:?}");
    assert!(texts.iter().any(|t| t.ends_with('%')), "{texts:?}");
    sandbox
        .run_db(
            &[
                "-q",
                "-c",
                "chart consumers.daily_avg every quarter from 2023-07 to 2024-03 to q.svg",
            ],
            "",
        )
        .clean();
    let (lines, texts) = lines_and_texts(&std::fs::read_to_string(sandbox.path("q.svg")).unwrap());
    assert_eq!(lines, 1);
    assert!(texts.iter().any(|t| t == "people"), "{texts:?}");
}

#[test]
fn bad_charts_are_one_clear_error_and_write_nothing() {
    let sandbox = alipay();
    let cases = [
        (
            "chart users to out.txt",
            "a chart ends with \"to FILE.svg\", found \"out.txt\"",
        ),
        ("chart users", "to FILE.svg"),
        ("chart nosuch to x.svg", "no recorded series matches nosuch"),
        ("chart users from 2030 to x.svg", "nothing to chart"),
        ("chart users to \"nodir/x.svg\"", "cannot write nodir/x.svg"),
    ];
    for (command, message) in cases {
        let out = sandbox.run_db(&["-c", command], "");
        let error = out.only_error();
        assert!(error.contains(message), "{command}: {error}");
    }
    assert!(!sandbox.path("x.svg").exists());
    let empty = Sandbox::new();
    assert_eq!(empty.run_db(&["-c", "chart x to x.svg"], "").code, 1);
}
