//! Charts as committed files: the README's charts under `docs/` and one
//! golden SVG per kind of chart under `tests/golden/`, each drawn again
//! and compared byte for byte. After a deliberate change of drawing,
//! `GROWTHDB_BLESS=1 cargo test --test integration chart_golden` rewrites
//! them (and the orders fixture); look at the diff and at the pictures.
use std::path::{Path, PathBuf};

use crate::common::{Sandbox, alipay};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Compares `actual` with the committed file, or rewrites it when blessing.
#[track_caller]
fn golden(path: &Path, actual: &str) {
    if std::env::var_os("GROWTHDB_BLESS").is_some() {
        std::fs::write(path, actual).expect("write the golden file");
        return;
    }
    let expected = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}; bless to create it", path.display()));
    assert!(
        expected == actual,
        "{} differs from what is drawn now; bless and review",
        path.display()
    );
}

/// Draws `command` (whose file is `out.svg`) on the sandbox's store.
fn drawn(sandbox: &Sandbox, command: &str) -> String {
    sandbox.run_db(&["-q", "-c", command], "").clean();
    std::fs::read_to_string(sandbox.path("out.svg")).expect("the chart was written")
}

/// Twelve years of monthly orders in five regions: trend, seasons, a
/// spring 2020 slump in the stores and a jump online, and a little
/// noise from a fixed sequence, so the file is the same on every machine.
pub fn orders_script() -> String {
    // (region, orders in January 2013, yearly growth in percent)
    let regions = [
        ("Americas", 420_000.0, 4.0),
        ("Europe", 380_000.0, 2.5),
        ("Asia Pacific", 250_000.0, 9.0),
        ("Online", 90_000.0, 22.0),
        ("Middle East and Africa", 60_000.0, 6.0),
    ];
    // Busier towards the end of the year.
    let season = [
        0.92, 0.88, 0.97, 0.98, 1.0, 0.99, 0.96, 0.97, 1.01, 1.04, 1.09, 1.19,
    ];
    let mut out = String::from(
        "# Monthly orders by region, 2013 to 2024: made-up figures with the\n\
         # shape of real ones, to show a chart of many years and series.\n\
         metric orders kind=flow unit=orders desc=\"Orders shipped per month, by region\"\n",
    );
    let mut seed: u64 = 20_130_101;
    for month_index in 0..144u32 {
        let (year, month) = (2013 + month_index / 12, month_index % 12 + 1);
        let mut pairs = Vec::new();
        for (region, base, growth) in regions {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let noise = ((seed >> 33) % 1_000) as f64 / 1_000.0 - 0.5;
            let years = f64::from(month_index) / 12.0;
            let mut value =
                base * (1.0 + growth / 100.0_f64).powf(years) * season[month as usize - 1];
            let slump = year == 2020 && (4..=6).contains(&month);
            if slump {
                value *= if region == "Online" { 1.35 } else { 0.7 };
            }
            value *= 1.0 + 0.04 * noise;
            let label = if region.contains(' ') {
                format!("\"{region}\"")
            } else {
                region.to_string()
            };
            pairs.push(format!("orders{{region={label}}}={}", value.round()));
        }
        out.push_str(&format!("insert {year}-{month:02} {}\n", pairs.join(" ")));
    }
    out
}

fn orders_fixture() -> PathBuf {
    root().join("fixtures/orders.growth")
}

#[test]
fn the_orders_fixture_is_what_its_generator_makes() {
    golden(&orders_fixture(), &orders_script());
}

fn orders() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.load(&orders_script());
    sandbox
}

#[test]
fn the_readme_charts_are_drawn_as_committed() {
    golden(
        &root().join("docs/orders.svg"),
        &drawn(&orders(), "chart orders* to out.svg"),
    );
    golden(
        &root().join("docs/creators.svg"),
        &drawn(
            &alipay(),
            "chart creators.monthly_active from 2023-05 to 2024-05 to out.svg",
        ),
    );
    let stocks = Sandbox::new();
    stocks.run_db(
        &[
            "-q",
            "-c",
            "metric price kind=stock unit=USD desc=\"Monthly closing price\"",
            "-c",
            &format!(
                ".import {} --period date --period-format \"%b %d %Y\" --grain month --labels symbol --values price=price",
                root().join("fixtures/stocks.csv").display()
            ),
        ],
        "",
    ).clean();
    golden(
        &root().join("docs/stocks.svg"),
        &drawn(&stocks, "chart price* to out.svg"),
    );
    golden(
        &root().join("docs/orders-growth.svg"),
        &drawn(
            &orders(),
            "chart growth orders* over 1y every quarter to out.svg",
        ),
    );
}

#[test]
fn a_golden_chart_per_kind() {
    let share = alipay();
    share.load(
        "insert 2023-11 services.daily_use_share=64.5%\n\
         insert 2024-02 services.daily_use_share=66.1%\n",
    );
    golden(
        &root().join("tests/golden/chart_ratio.svg"),
        &drawn(&share, "chart services.daily_use_share to out.svg"),
    );

    let many = Sandbox::new();
    let mut script = String::from("metric price unit=USD desc=\"Closing price\"\n");
    for i in 0..33u32 {
        for (month, factor) in [(1, 1.0), (2, 1.1), (3, 1.05), (4, 1.2)] {
            script.push_str(&format!(
                "insert 2024-{month:02} price{{symbol=S{i:02}}}={}\n",
                f64::from(100 + 7 * i) * factor
            ));
        }
    }
    many.load(&script);
    golden(
        &root().join("tests/golden/chart_top_ten.svg"),
        &drawn(&many, "chart price* to out.svg"),
    );
}
