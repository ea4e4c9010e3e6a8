//! `--completions SHELL` and `--manpage`: printed, and no store touched.
mod common;

use common::Sandbox;

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
