//! The examples `.help COMMAND` gives for session commands are real: each
//! runs as written on the fixture's store, with the files it names.
use crate::common::Sandbox;

/// Session commands, as `.help` lists them.
fn session_commands(sandbox: &Sandbox) -> Vec<String> {
    let out = sandbox.run_db(&["-c", ".help"], "");
    out.clean();
    out.stdout
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|word| word.starts_with('.'))
        .map(str::to_string)
        .collect()
}

fn examples(sandbox: &Sandbox, command: &str) -> Vec<String> {
    let out = sandbox.run_db(&["-c", &format!(".help {command}")], "");
    out.clean();
    let (usage, examples) = out.stdout.split_once("Examples:").expect("examples");
    let examples: Vec<String> = examples
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    // Two or three examples, unless the command takes no argument.
    let takes_arguments = usage.lines().next().unwrap_or("").trim().contains(' ');
    assert!(
        examples.len() >= if takes_arguments { 2 } else { 1 },
        "{command}: {examples:?}"
    );
    examples
}

#[test]
fn every_session_command_example_runs() {
    let sandbox = crate::common::alipay();
    std::fs::create_dir_all(sandbox.path("fixtures")).unwrap();
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
    for entry in std::fs::read_dir(fixtures).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_owned();
        std::fs::copy(&path, sandbox.path("fixtures").join(name)).unwrap();
    }
    sandbox.write(
        "my queries.growth",
        "metrics\ngrowth users from 2022 to 2023\n",
    );
    sandbox.write(
        "snapshots.csv",
        "series,period,value\nvisits,2024-01,10\nvisits,2024-02,12\n",
    );
    sandbox.write(
        "sheet.csv",
        "period,signups{app=web},signups{app=mobile}\n2024-01,5,7\n",
    );
    let commands = session_commands(&sandbox);
    assert!(commands.len() >= 12, "{commands:?}");
    for command in commands {
        for example in examples(&sandbox, &command) {
            // Each in its own process on a store that holds the fixture.
            let out = sandbox.run_db(&["-q", "-c", &example], "");
            assert_eq!(out.code, 0, "{example}: {out:?}");
            assert!(!out.stderr.contains("error"), "{example}: {out:?}");
        }
    }
}
