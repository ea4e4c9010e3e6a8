//! Data-loss and security guards: what a hostile or unlucky user may try
//! must neither destroy the store nor write where it should not.
use std::fs;
use std::os::unix::fs::symlink;

use crate::common::Sandbox;

#[test]
fn output_and_export_never_write_over_the_store_or_its_journals() {
    let sandbox = Sandbox::new();
    sandbox.load("insert 2023 users=1\ninsert 2024 users=2\n");
    symlink(sandbox.db(), sandbox.path("link.csv")).unwrap();
    fs::hard_link(sandbox.db(), sandbox.path("hard.csv")).unwrap();
    let db = sandbox.db();
    let targets = [
        db.clone(),
        format!("{db}-wal"),
        format!("{db}-shm"),
        // Not there yet: SQLite would take it for a journal to roll back.
        format!("{db}-journal"),
        "store.db".to_string(),
        "./store.db-wal".to_string(),
        "link.csv".to_string(),
        "hard.csv".to_string(),
    ];
    for target in &targets {
        for command in [format!(".output {target}"), format!(".export {target}")] {
            let out = sandbox.run_db(&["-q", "-c", &command, "-c", "insert 2025 users=3"], "");
            let error = out.only_error();
            assert!(
                error.contains("it is the store or one of its -wal, -shm or -journal files"),
                "{command}: {error}"
            );
            assert!(
                !sandbox.path("store.db-journal").exists(),
                "{command} made a journal"
            );
        }
    }
    // A link to a journal that does not exist yet.
    symlink(format!("{db}-journal"), sandbox.path("dangling.csv")).unwrap();
    let out = sandbox.run_db(&["-q", "-c", ".export dangling.csv"], "");
    assert!(out.only_error().contains("it is the store"), "{out:?}");
    assert!(!sandbox.path("store.db-journal").exists());
    // A batch: the refusal fails one line, the store keeps everything.
    let out = sandbox.run_db(
        &["-q"],
        &format!("insert 2026 users=4\n.output {db}-wal\ninsert 2027 users=5\n"),
    );
    assert_eq!(out.failed().len(), 1, "{out:?}");
    let out = sandbox.csv("series users");
    out.clean();
    assert_eq!(out.rows().len(), 5, "{out:?}");
    // A store named like an export is refused as an export target too.
    let other = Sandbox::new();
    let csv_store = other.path("s.csv").to_string_lossy().into_owned();
    other
        .run(&["--db", &csv_store, "-q", "-c", "insert 2024 a=1"], "")
        .clean();
    let before = fs::read(&csv_store).unwrap();
    let out = other.run(&["--db", &csv_store, "-q", "-c", ".export s.csv"], "");
    assert!(out.only_error().contains("it is the store"), "{out:?}");
    assert_eq!(fs::read(&csv_store).unwrap(), before);
    // Other files are written as before.
    let out = sandbox.run_db(&["-q", "-c", ".output rows.csv", "-c", "metrics"], "");
    out.clean();
    assert!(
        fs::read_to_string(sandbox.path("rows.csv"))
            .unwrap()
            .contains("users")
    );
}
