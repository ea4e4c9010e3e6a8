//! Runs the README's `console` examples in order, in one shell, in a fresh
//! directory holding the fixtures, and checks that each command prints what
//! the README shows (stdout and stderr together). After a deliberate change
//! of output, `GROWTHDB_BLESS=1 cargo test --test integration readme` rewrites the
//! README's outputs; review the diff.
use std::path::Path;
use std::process::Command;

/// One `$ command` line and the output shown under it.
struct Example {
    command: String,
    expected: String,
}

fn examples(readme: &str) -> Vec<Example> {
    let mut examples: Vec<Example> = Vec::new();
    let mut in_console = false;
    for line in readme.lines() {
        if !in_console {
            in_console = line.trim_end() == "```console";
            continue;
        }
        if line.trim_end() == "```" {
            in_console = false;
        } else if let Some(command) = line.strip_prefix("$ ") {
            examples.push(Example {
                command: command.to_string(),
                expected: String::new(),
            });
        } else if let Some(example) = examples.last_mut() {
            example.expected.push_str(line);
            example.expected.push('\n');
        }
    }
    examples
}

const MARK: &str = "@@ end of example @@";

/// Commands whose program this machine lacks are left out (the README
/// shows `sqlite3`, which a fresh machine may not have).
fn available(command: &str, path: &str) -> bool {
    let program = command.split_whitespace().next().unwrap_or_default();
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .env("PATH", path)
        .output()
        .is_ok_and(|out| out.status.success())
}

#[test]
fn readme_examples_print_what_the_readme_shows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let all = examples(&readme);

    let bin_dir = Path::new(env!("CARGO_BIN_EXE_growthdb")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let examples: Vec<&Example> = all
        .iter()
        .filter(|e| available(&e.command, &path))
        .collect();
    assert!(
        examples.len() >= 10,
        "the README should have console examples"
    );

    let dir = tempfile::tempdir().expect("temp dir");
    std::os::unix::fs::symlink(root.join("fixtures"), dir.path().join("fixtures")).unwrap();
    // Each command keeps `$?` for the next, as in a terminal.
    let script: String = examples
        .iter()
        .map(|e| format!("{} 2>&1; s=$?; echo '{MARK}'; (exit $s)\n", e.command))
        .collect();
    let output = Command::new("sh")
        .args(["-c", &script])
        .current_dir(dir.path())
        .env("PATH", path)
        .env_remove("GROWTHDB_DB")
        .env("HOME", dir.path())
        .output()
        .expect("sh runs");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");

    let actual: Vec<&str> = stdout.split(&format!("{MARK}\n")).collect();
    if std::env::var_os("GROWTHDB_BLESS").is_some() {
        let ran: Vec<(&str, &str)> = examples
            .iter()
            .zip(&actual)
            .map(|(e, a)| (e.command.as_str(), *a))
            .collect();
        std::fs::write(root.join("README.md"), blessed(&readme, &ran)).expect("write README.md");
        return;
    }
    for (example, actual) in examples.iter().zip(&actual) {
        assert_eq!(
            *actual, example.expected,
            "README example `{}` printed something else",
            example.command
        );
    }
    assert_eq!(actual.len(), examples.len() + 1, "every example ran");
}

/// The README with the output under each example that ran replaced.
fn blessed(readme: &str, ran: &[(&str, &str)]) -> String {
    let mut out = String::new();
    let mut ran = ran.iter().peekable();
    let (mut in_console, mut replacing) = (false, false);
    for line in readme.lines() {
        if !in_console {
            in_console = line.trim_end() == "```console";
        } else if line.trim_end() == "```" {
            in_console = false;
            replacing = false;
        } else if let Some(command) = line.strip_prefix("$ ") {
            replacing = false;
            out.push_str(line);
            out.push('\n');
            if let Some((_, actual)) = ran.next_if(|(c, _)| *c == command) {
                out.push_str(actual);
                replacing = true;
            }
            continue;
        } else if replacing {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}
