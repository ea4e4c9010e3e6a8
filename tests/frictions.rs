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
