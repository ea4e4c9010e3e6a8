//! `--completions SHELL`, `--manpage` and `--help`: printed, and no store touched.
use crate::common::Sandbox;

#[test]
fn completions_for_every_shell_name_the_options() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let sandbox = Sandbox::new();
        let out = sandbox.run(&["--completions", shell], "");
        out.clean();
        // fish spells long options `-l db`; the other shells `--db`.
        for option in ["db", "format", "readonly"] {
            let named = out.stdout.contains(&format!("--{option}"))
                || out.stdout.contains(&format!("-l {option}"));
            assert!(named, "{shell} completes --{option}: {}", out.stdout);
        }
        assert!(
            !sandbox.path("growth.db").exists(),
            "{shell}: no store is created"
        );
    }
    let out = Sandbox::new().run(&["--completions", "nosh"], "");
    assert_eq!(out.code, 2, "{out:?}");
}

#[test]
fn the_man_page_documents_options_and_examples() {
    let sandbox = Sandbox::new();
    let out = sandbox.run(&["--manpage"], "");
    out.clean();
    for expected in [".TH growthdb 1", "\\-\\-db", "\\-\\-readonly", "Examples"] {
        assert!(
            out.stdout.contains(expected),
            "{expected} in\n{}",
            out.stdout
        );
    }
    assert!(!sandbox.path("growth.db").exists(), "no store is created");
}

/// `--help` ends with examples, and each one works as written (run on the
/// fixture in a sandbox, with the store and fixture paths it names).
#[test]
fn help_shows_examples_that_work() {
    let sandbox = Sandbox::new();
    let out = sandbox.run(&["--help"], "");
    out.clean();
    let examples: Vec<&str> = out
        .stdout
        .split_once("Examples:")
        .expect("an Examples section")
        .1
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with("growthdb "))
        .collect();
    assert!(examples.len() >= 3, "{}", out.stdout);
    let fixtures = sandbox.path("fixtures");
    std::fs::create_dir_all(&fixtures).unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/alipay.growth"),
        fixtures.join("alipay.growth"),
    )
    .unwrap();
    for example in examples {
        let status = sandbox
            .process("sh")
            .arg("-c")
            .arg(example.replacen("growthdb", crate::common::BIN, 1))
            .output()
            .expect("sh runs");
        assert!(status.status.success(), "{example}: {status:?}");
    }
}
