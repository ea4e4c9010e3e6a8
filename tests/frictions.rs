//! Small things a newcomer meets: units and paths with `/`.
use crate::common::Sandbox;

#[test]
fn units_with_a_slash_need_no_quotes() {
    let sandbox = Sandbox::new();
    sandbox.load("metric wind unit=m/s desc=\"Wind speed\"\ninsert 2024-06 wind=4.5\n");
    let out = sandbox.csv("metrics wind");
    out.ok();
    assert!(out.stdout.contains(",m/s,"), "{}", out.stdout);
}

/// The README's block of install lines for completions and the man page.
fn install_lines() -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let start = readme
        .find("```sh\nmkdir -p")
        .expect("the install lines start by making their directories");
    let block = &readme[start + "```sh\n".len()..];
    block[..block.find("```").unwrap()].to_string()
}

#[test]
fn the_readme_install_lines_work_on_a_fresh_home() {
    let home = tempfile::tempdir().unwrap();
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_growthdb"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new("sh")
        .args(["-e", "-c", &install_lines()])
        .env("HOME", home.path())
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for file in [
        ".local/share/bash-completion/completions/growthdb",
        ".zfunc/_growthdb",
        ".local/share/man/man1/growthdb.1",
    ] {
        let written = std::fs::metadata(home.path().join(file)).unwrap();
        assert!(written.len() > 100, "{file}");
    }
}

#[test]
fn label_values_in_selectors_may_use_wildcards() {
    let sandbox = Sandbox::new();
    sandbox.load(
        "insert 2024 pop{country=\"Korea, Rep.\"}=51M pop{country=\"Korea, Dem. Rep.\"}=26M pop{country=Kenya}=55M\n\
         insert 2023 pop{country=\"Korea, Rep.\"}=50M pop{country=\"Korea, Dem. Rep.\"}=25M pop{country=Kenya}=54M\n",
    );
    let out = sandbox.csv("series pop{country=Korea*} from 2024");
    out.ok();
    let lines: Vec<&str> = out.stdout.lines().skip(1).collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    assert!(lines.iter().all(|l| l.contains("Korea")), "{}", out.stdout);
    let out = sandbox.csv("growth pop*{country=K*a} from 2023 to 2024");
    out.ok();
    assert_eq!(out.stdout.lines().count(), 2, "only Kenya: {}", out.stdout);
    assert!(out.stdout.contains("pop{country=Kenya}"), "{}", out.stdout);
    // A quoted value is a pattern too, and a pattern that matches nothing says so.
    let out = sandbox.run_db(&["-c", "series pop{country=Z*}"], "");
    assert!(
        out.only_error().contains("pop{country=Z*}"),
        "{}",
        out.stderr
    );
    // Where a series is named, not selected, a wildcard is no value.
    let out = sandbox.run_db(&["-c", "insert 2024 pop{country=K*}=1"], "");
    assert!(
        out.only_error().contains("invalid label value \"K*\""),
        "{}",
        out.stderr
    );
}

#[test]
fn typos_and_near_misses_get_a_suggestion() {
    let sandbox = Sandbox::new();
    sandbox.load("insert 2024 pop{country=China}=1.4B pop{country=India}=1.4B\n");
    let cases = [
        (
            "grwth pop*",
            "unknown command \"grwth\" (did you mean \"growth\"?)",
        ),
        (
            "growth pop* over 1y srot change",
            "unexpected \"srot\" (did you mean \"sort\"?); expected by, sort, limit",
        ),
        (
            "series pop* evry year",
            "unexpected \"evry\" (did you mean \"every\"?)",
        ),
        (
            "metric pop knd=stock",
            "unexpected \"knd\" (did you mean \"kind\"?)",
        ),
        (
            "series pp{country=China}",
            "no metric named pp; did you mean pop?",
        ),
        (
            "series pop",
            "no recorded series matches pop; try pop* for all 2 series of pop",
        ),
        (
            "growth pop{country=China,x=y} over 1y",
            "pop has pop{country=China}, pop{country=India}",
        ),
        (
            "series pop{country=Korea, Dem. Rep.}",
            "a label value with a space or comma is quoted: country=\"Korea, Dem. Rep.\"",
        ),
        (
            "series pop{country=New Zealand}",
            "a label value with a space or comma is quoted: country=\"New Zealand\"",
        ),
    ];
    for (command, message) in cases {
        let out = sandbox.run_db(&["-c", command], "");
        let error = out.only_error();
        assert!(error.contains(message), "{command}: {error}");
    }
    sandbox.load("metric population\ninsert 2024 pop{country=Chad}=18M\n");
    let out = sandbox.run_db(&["-c", "series pop{sex=f}"], "");
    assert!(out.only_error().contains("pop has"), "{}", out.stderr);
}

#[test]
fn the_quick_start_captions_each_of_its_six_tables() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
    let out = crate::common::run(
        &[
            "--db",
            ":memory:",
            "-q",
            "--format",
            "table",
            "--init",
            &format!("{fixtures}/alipay.growth"),
            "-f",
            &format!("{fixtures}/alipay-figures.growth"),
        ],
        "",
    );
    out.clean();
    let lines: Vec<&str> = out.stdout.lines().collect();
    let captions: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].starts_with(['+', '|']) && lines[i].ends_with(':'))
        .collect();
    assert_eq!(captions.len(), 6, "{}", out.stdout);
    for (n, &at) in captions.iter().enumerate() {
        assert!(
            lines[at + 1].starts_with('+'),
            "caption {n} is followed by its table: {}",
            out.stdout
        );
    }
    for figure in ["10x", "8x", "doubled", "30%", "8,000", "70%"] {
        assert!(
            captions.iter().any(|&i| lines[i].contains(figure)),
            "{figure}: {}",
            out.stdout
        );
    }
}

#[test]
fn several_selectors_separated_by_commas() {
    let sandbox = Sandbox::new();
    sandbox.load(
        "insert 2023 price{symbol=AAPL}=100 price{symbol=MSFT}=200 price{symbol=IBM}=50\n\
         insert 2024 price{symbol=AAPL}=150 price{symbol=MSFT}=300 price{symbol=IBM}=40\n",
    );
    let out = sandbox.csv("growth price{symbol=MSFT}, price{symbol=AAPL} over 1y to 2024");
    out.ok();
    let series: Vec<&str> = out
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(
        series,
        ["price{symbol=AAPL}", "price{symbol=MSFT}"],
        "{}",
        out.stdout
    );
    let out = sandbox.csv("series price{symbol=IBM},price{symbol=AAPL} from 2024");
    out.ok();
    assert_eq!(out.stdout.lines().count(), 3, "{}", out.stdout);
    sandbox
        .run_db(
            &[
                "-q",
                "-c",
                "chart price{symbol=IBM}, price{symbol=MSFT} to two.svg",
            ],
            "",
        )
        .clean();
    let svg = std::fs::read_to_string(sandbox.path("two.svg")).unwrap();
    assert_eq!(svg.matches("stroke-width=\"2\"").count(), 2);
    // Each must pick something; a list is not split by a key.
    let out = sandbox.run_db(&["-c", "series price{symbol=AAPL}, price{symbol=X}"], "");
    assert!(
        out.only_error().contains("price{symbol=X}"),
        "{}",
        out.stderr
    );
    let out = sandbox.run_db(
        &["-c", "growth price{symbol=AAPL}, price* over 1y by symbol"],
        "",
    );
    assert!(
        out.only_error().contains("splits one selector"),
        "{}",
        out.stderr
    );
}
