//! `chart ... to FILE.svg`: a line chart of series as SVG, checked by its
//! structure: the ticks along each axis, the lines, the legend and where
//! each stands.
use crate::chart_golden::orders_script;
use crate::common::{Sandbox, alipay};

/// What a drawn chart shows, read back from its SVG.
#[derive(Debug)]
struct Drawn {
    /// Every text in document order.
    texts: Vec<String>,
    /// The labels under the period axis, left to right.
    x_ticks: Vec<String>,
    /// The labels beside the value axis, bottom to top.
    y_ticks: Vec<String>,
    /// The left-aligned texts right of the plot: the legend.
    legend: Vec<String>,
    /// How many data lines (width 2) were drawn.
    lines: usize,
    /// The plot's rectangle (left, top, right, bottom), from its grid.
    plot: (f64, f64, f64, f64),
    /// Where the legend's texts start, leftmost.
    legend_left: f64,
}

fn number(node: roxmltree::Node, name: &str) -> f64 {
    node.attribute(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

fn read(svg: &str) -> Drawn {
    let doc = roxmltree::Document::parse(svg).expect("the chart is well-formed XML");
    let mut plot = (
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    );
    for grid in doc
        .descendants()
        .filter(|n| n.has_tag_name("line") && n.attribute("stroke") == Some("#E4E4E4"))
    {
        for (x, y) in [("x1", "y1"), ("x2", "y2")] {
            let (x, y) = (number(grid, x), number(grid, y));
            plot = (plot.0.min(x), plot.1.min(y), plot.2.max(x), plot.3.max(y));
        }
    }
    let texts: Vec<(roxmltree::Node, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| (n, n.text().unwrap_or_default().trim().to_string()))
        .collect();
    let anchored = |anchor: &'static str| {
        texts
            .iter()
            .filter(move |(n, _)| {
                n.attribute("text-anchor") == Some(anchor) && n.attribute("transform").is_none()
            })
            .cloned()
    };
    let mut x_ticks: Vec<(f64, String)> = anchored("middle")
        .filter(|(n, _)| number(*n, "y") < 520.0)
        .map(|(n, t)| (number(n, "x"), t))
        .collect();
    x_ticks.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut y_ticks: Vec<(f64, String)> =
        anchored("end").map(|(n, t)| (number(n, "y"), t)).collect();
    y_ticks.sort_by(|a, b| b.0.total_cmp(&a.0));
    let legend: Vec<(f64, String)> = anchored("start")
        .filter(|(n, _)| number(*n, "x") > plot.2)
        .map(|(n, t)| (number(n, "x"), t))
        .collect();
    Drawn {
        texts: texts.into_iter().map(|(_, t)| t).collect(),
        x_ticks: x_ticks.into_iter().map(|(_, t)| t).collect(),
        y_ticks: y_ticks.into_iter().map(|(_, t)| t).collect(),
        legend_left: legend.iter().map(|l| l.0).fold(f64::INFINITY, f64::min),
        legend: legend.into_iter().map(|(_, t)| t).collect(),
        lines: doc
            .descendants()
            .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke-width") == Some("2"))
            .count(),
        plot,
    }
}

/// Runs a chart command on the sandbox and reads the file it wrote.
fn chart(sandbox: &Sandbox, command: &str, file: &str) -> Drawn {
    sandbox.run_db(&["-q", "-c", command], "").clean();
    read(&std::fs::read_to_string(sandbox.path(file)).expect("the chart was written"))
}

/// A value axis label as `table` would write a number: thousands
/// separators or a k/M/B/T suffix, or a percent, never a bare long number.
fn formatted(label: &str) -> bool {
    let body = label
        .trim_start_matches(['-', '+'])
        .trim_end_matches(['k', 'M', 'B', 'T', '%']);
    let int = body.split('.').next().unwrap_or_default();
    let groups: Vec<&str> = int.split(',').collect();
    !body.is_empty()
        && groups[0].len() <= 3
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
}

/// Every period-axis tick once, in time order (canonical period names
/// sort as text in time order within one unit).
#[track_caller]
fn check_ticks(drawn: &Drawn) {
    let mut sorted = drawn.x_ticks.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, drawn.x_ticks, "unique and ordered");
    assert!(drawn.x_ticks.len() >= 2, "{drawn:?}");
    assert!(drawn.y_ticks.len() >= 2, "{drawn:?}");
    assert!(
        drawn.y_ticks.iter().all(|t| formatted(t)),
        "{:?}",
        drawn.y_ticks
    );
}

#[test]
fn a_decade_of_months_is_ticked_by_year_with_a_legend_outside_the_plot() {
    let sandbox = Sandbox::new();
    sandbox.load(&orders_script());
    let drawn = chart(&sandbox, "chart orders* to charts.svg", "charts.svg");
    check_ticks(&drawn);
    assert_eq!(
        drawn.x_ticks,
        [
            "2013", "2014", "2015", "2016", "2017", "2018", "2019", "2020", "2021", "2022", "2023",
            "2024"
        ]
    );
    assert_eq!(drawn.y_ticks.first().map(String::as_str), Some("0"));
    assert!(drawn.y_ticks.iter().any(|t| t.ends_with('M')), "{drawn:?}");
    assert_eq!(drawn.lines, 5, "one line per series");
    assert_eq!(
        drawn.legend,
        [
            "region",
            "Online",
            "Asia Pacific",
            "Americas",
            "Europe",
            "Middle East and Africa"
        ],
        "only the label that differs, highest last value first"
    );
    assert!(drawn.legend_left > drawn.plot.2, "{drawn:?}");
    for expected in [
        "Orders shipped per month, by region",
        "2013-01 to 2024-12",
        "orders",
    ] {
        assert!(
            drawn.texts.iter().any(|t| t == expected),
            "{expected}: {drawn:?}"
        );
    }
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
    let drawn = read(&std::fs::read_to_string(sandbox.path("growth.svg")).unwrap());
    check_ticks(&drawn);
    assert_eq!(drawn.lines, 3, "one line per series");
    assert_eq!(
        drawn.x_ticks,
        [
            "2023-05", "2023-07", "2023-09", "2023-11", "2024-01", "2024-03", "2024-05"
        ]
    );
    assert_eq!(
        drawn.legend,
        [
            "metric",
            "consumers.daily_avg",
            "creators.monthly_active",
            "content.minutes_per_user"
        ]
    );
    for expected in ["period", "people, minutes, creators", "2023-05 to 2024-05"] {
        assert!(
            drawn.texts.iter().any(|t| t == expected),
            "{expected}: {drawn:?}"
        );
    }
}

#[test]
fn one_series_is_titled_by_its_description_with_no_legend() {
    let sandbox = alipay();
    let drawn = chart(&sandbox, "chart users{line=payment} to one.svg", "one.svg");
    check_ticks(&drawn);
    assert_eq!(drawn.lines, 1);
    assert!(drawn.legend.is_empty(), "{drawn:?}");
    assert!(
        drawn
            .texts
            .iter()
            .any(|t| t == "Users, in total and by line of business")
    );
    assert!(
        drawn
            .texts
            .iter()
            .any(|t| t == "line=payment · 2022 to 2023"),
        "{drawn:?}"
    );
    assert_eq!(
        drawn.x_ticks,
        ["2022", "2023"],
        "yearly values, yearly ticks"
    );
    assert!(drawn.y_ticks.iter().any(|t| t.ends_with('M')), "{drawn:?}");
}

#[test]
fn ratios_are_drawn_in_percent_and_units_label_the_value_axis() {
    let sandbox = alipay();
    sandbox.load("insert 2023-05 services.daily_use_share=64.5%\n");
    let drawn = chart(
        &sandbox,
        "chart services.daily_use_share to \"share.svg\"",
        "share.svg",
    );
    check_ticks(&drawn);
    assert_eq!(drawn.lines, 1);
    assert!(drawn.texts.iter().any(|t| t == "percent"), "{drawn:?}");
    assert!(drawn.y_ticks.iter().all(|t| t.ends_with('%')), "{drawn:?}");
    let drawn = chart(
        &sandbox,
        "chart consumers.daily_avg every quarter from 2023-07 to 2024-03 to q.svg",
        "q.svg",
    );
    assert_eq!(drawn.lines, 1);
    assert_eq!(drawn.x_ticks, ["2023-Q3", "2023-Q4", "2024-Q1"]);
    assert!(drawn.texts.iter().any(|t| t == "people"), "{drawn:?}");
}

#[test]
fn many_series_draw_the_top_ten_and_say_how_many_others() {
    let sandbox = Sandbox::new();
    let mut script = String::new();
    for i in 0..33 {
        script.push_str(&format!(
            "insert 2024-01 price{{symbol=S{i:02}}}={}\ninsert 2024-02 price{{symbol=S{i:02}}}={}\n",
            1000 + i,
            2000 + i
        ));
    }
    sandbox.load(&script);
    let drawn = chart(&sandbox, "chart price* to many.svg", "many.svg");
    assert_eq!(drawn.lines, 10);
    assert_eq!(drawn.legend.len(), 11, "a title and ten entries: {drawn:?}");
    assert!(
        drawn
            .texts
            .iter()
            .any(|t| t.ends_with("top 10 of 33 series by last value, 23 others not shown")),
        "{drawn:?}"
    );
}

#[test]
fn the_file_may_be_a_bare_path() {
    let sandbox = alipay();
    std::fs::create_dir(sandbox.path("charts")).unwrap();
    let out = sandbox.run_db(&["-c", "chart users* to charts/users.svg"], "");
    out.ok();
    assert!(
        out.stderr.contains("wrote charts/users.svg"),
        "{}",
        out.stderr
    );
    let absolute = sandbox.path("abs.svg");
    let command = format!("chart users* to {}", absolute.display());
    sandbox.run_db(&["-q", "-c", &command], "").clean();
    assert!(absolute.exists());
}

#[test]
fn bad_charts_are_one_clear_error_and_write_nothing() {
    let sandbox = alipay();
    let cases = [
        (
            "chart users to out.txt",
            "a chart ends with \"to FILE.svg\" or \"to FILE.png\", found \"out.txt\"",
        ),
        ("chart users", "to FILE.svg"),
        ("chart nosuch to x.svg", "no recorded series matches nosuch"),
        ("chart users from 2030 to x.svg", "nothing to chart"),
        ("chart users to \"nodir/x.svg\"", "cannot write nodir/x.svg"),
        ("chart users to nodir/x.svg", "cannot write nodir/x.svg"),
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

/// A PNG's size and its pixels (RGB rows), decoded.
fn png_pixels(png: &[u8]) -> ((u32, u32), Vec<[u8; 3]>) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG signature");
    let mut reader = png::Decoder::new(std::io::Cursor::new(png))
        .read_info()
        .expect("a PNG header");
    let mut buffer = vec![0; reader.output_buffer_size().expect("a sane size")];
    let info = reader.next_frame(&mut buffer).expect("the image decodes");
    assert_eq!(
        (info.color_type, info.bit_depth),
        (png::ColorType::Rgb, png::BitDepth::Eight),
        "8-bit RGB"
    );
    let pixels = buffer[..info.buffer_size()]
        .chunks(3)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    ((info.width, info.height), pixels)
}

#[test]
fn a_png_chart_is_drawn_with_the_bundled_font_at_twice_the_size() {
    let sandbox = Sandbox::new();
    sandbox.load(&orders_script());
    let out = sandbox.run_db(&["-c", "chart orders* from 2020 to 2024 to Orders.PNG"], "");
    out.ok();
    assert!(out.stderr.contains("wrote Orders.PNG"), "{}", out.stderr);
    let png = std::fs::read(sandbox.path("Orders.PNG")).unwrap();
    let ((width, height), pixels) = png_pixels(&png);
    assert_eq!((width, height), (1920, 1080));
    assert_eq!(pixels.len(), 1920 * 1080);
    // The five lines' colours, and dark text in the title's band.
    for colour in [[0x1f, 0x77, 0xb4], [0xff, 0x7f, 0x0e], [0x94, 0x67, 0xbd]] {
        let count = pixels.iter().filter(|p| **p == colour).count();
        assert!(count > 500, "{colour:?}: {count} pixels");
    }
    let title_ink = pixels[..1920 * 60]
        .iter()
        .filter(|p| p.iter().all(|&c| c < 80))
        .count();
    assert!(
        title_ink > 1000,
        "the title is drawn: {title_ink} dark pixels"
    );
}

/// The stroke colours of the data lines (width 2), each once: one per
/// series however many pieces gaps cut it into.
fn line_colours(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("the chart is well-formed XML");
    let mut colours: Vec<String> = Vec::new();
    for line in doc
        .descendants()
        .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke-width") == Some("2"))
    {
        let colour = line.attribute("stroke").unwrap_or_default().to_string();
        if !colours.contains(&colour) {
            colours.push(colour);
        }
    }
    colours
}

/// Whether a horizontal zero line (width 1, the zero line's colour) is drawn.
fn has_zero_line(svg: &str) -> bool {
    let doc = roxmltree::Document::parse(svg).expect("the chart is well-formed XML");
    doc.descendants().any(|n| {
        n.has_tag_name("polyline")
            && n.attribute("stroke") == Some("#444444")
            && n.attribute("points").is_some_and(|points| {
                let ys: Vec<&str> = points
                    .split_whitespace()
                    .filter_map(|p| p.split(',').nth(1))
                    .collect();
                ys.len() == 2 && ys[0] == ys[1]
            })
    })
}

/// Tick labels of a change: signed, in order bottom to top, each once.
#[track_caller]
fn check_change_ticks(drawn: &Drawn, unit: &str) {
    let values: Vec<f64> = drawn
        .y_ticks
        .iter()
        .map(|t| {
            let number = t.strip_suffix(unit).expect(t).trim_end();
            assert!(
                number == "0" || number.starts_with(['+', '-']),
                "{:?}",
                drawn.y_ticks
            );
            number.replace(',', "").parse::<f64>().expect(t)
        })
        .collect();
    assert!(
        values.windows(2).all(|w| w[0] < w[1]),
        "{:?}",
        drawn.y_ticks
    );
    assert!(values.contains(&0.0), "{:?}", drawn.y_ticks);
}

#[test]
fn growth_charts_draw_each_steps_change_around_a_zero_line() {
    let sandbox = Sandbox::new();
    sandbox.load(&orders_script());
    let command = "chart growth orders* over 1y every quarter to growth.svg";
    let drawn = chart(&sandbox, command, "growth.svg");
    let svg = std::fs::read_to_string(sandbox.path("growth.svg")).unwrap();
    assert_eq!(line_colours(&svg).len(), 5, "{drawn:?}");
    assert_eq!(drawn.lines, 5, "no step lacks a value");
    assert!(has_zero_line(&svg));
    check_change_ticks(&drawn, "%");
    assert!(
        drawn.y_ticks.iter().any(|t| t.starts_with('-')),
        "the 2020 slump"
    );
    assert!(
        drawn.texts[0].ends_with(": change over 1y, %"),
        "{:?}",
        drawn.texts
    );
}

#[test]
fn growth_charts_of_ratios_are_in_points_and_leave_gaps() {
    let sandbox = Sandbox::new();
    let mut script = String::from("metric share kind=ratio desc=\"Share\"\n");
    // 2021-07 is missing: its step and the one a year on have no value.
    for (i, month) in (1..=12).chain(1..=12).enumerate() {
        let year = 2020 + i / 12;
        if (year, month) != (2021, 7) {
            let value = 0.2 + 0.01 * i as f64;
            script.push_str(&format!("insert {year}-{month:02} share={value}\n"));
        }
    }
    sandbox.load(&script);
    let command = "chart growth share over 1m every month to \"share growth.svg\"";
    let drawn = chart(&sandbox, command, "share growth.svg");
    let svg = std::fs::read_to_string(sandbox.path("share growth.svg")).unwrap();
    assert_eq!(line_colours(&svg).len(), 1);
    assert!(drawn.lines >= 2, "a gap cuts the line: {drawn:?}");
    assert!(has_zero_line(&svg));
    check_change_ticks(&drawn, "pp");
    assert_eq!(drawn.texts[0], "Share: change over 1m, pp");
}

#[test]
fn growth_charts_step_through_periods_one_line_per_series() {
    let sandbox = Sandbox::new();
    sandbox.load(&orders_script());
    for (command, message) in [
        (
            "chart growth orders* over 1y to g.svg",
            "a growth chart steps through periods",
        ),
        (
            "chart growth orders* over 1y every month by region to g.svg",
            "\"by\" is not drawn",
        ),
    ] {
        let out = sandbox.run_db(&["-q", "-c", command], "");
        assert_ne!(out.code, 0, "{command}");
        assert!(out.stderr.contains(message), "{command}: {}", out.stderr);
        assert!(!sandbox.path("g.svg").exists());
    }
}
