//! The prompt through a pseudo-terminal, as a person types: Tab completes
//! a metric, a labelled series, a recorded period and a file name, the
//! query runs and its table comes back; a pasted block runs line by line;
//! an open string continues on a second line; colours come and go with
//! NO_COLOR.
use crate::common::Sandbox;
use rexpect::session::{PtySession, spawn_command};

/// A prompt on the Alipay fixture in a sandboxed home.
fn prompt(sandbox: &Sandbox, colour: bool) -> PtySession {
    sandbox.load(include_str!("../fixtures/alipay.growth"));
    let mut cmd = sandbox.growthdb();
    cmd.args(["--db", &sandbox.db()]).env("TERM", "xterm");
    if colour {
        cmd.env_remove("NO_COLOR");
    } else {
        cmd.env("NO_COLOR", "1");
    }
    let mut session = spawn_command(cmd, Some(10_000)).expect("a prompt in a pty");
    session.exp_string("Type .help").expect("the banner");
    ready(&mut session);
    session
}

/// Types keys without Enter.
fn press(session: &mut PtySession, keys: &str) {
    session.send(keys).expect("keys sent");
    session.flush().expect("keys flushed");
}

/// Waits for the prompt before typing, as a person does: a new prompt,
/// which the line editor begins by turning bracketed paste on, not the
/// last line drawn again as it is accepted. Keys typed before the editor
/// is reading again may be dropped as it takes the terminal back.
fn ready(session: &mut PtySession) {
    session
        .exp_string("\x1b[?2004h")
        .expect("the line editor reading again");
    session.exp_string("growthdb> ").expect("the prompt");
}

#[test]
fn tab_completes_a_metric_and_the_query_answers() {
    let sandbox = Sandbox::new();
    let mut p = prompt(&sandbox, false);
    press(&mut p, "growth creators.mon");
    press(&mut p, "\t");
    p.exp_string("thly_active")
        .expect("the metric name completed");
    p.send_line(" over 1y").unwrap();
    p.exp_string("| creators.monthly_active")
        .expect("the growth table");
    p.exp_string("10.00x").expect("the multiple");
    ready(&mut p);
    p.send_line(".quit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn tab_completes_a_labelled_series_and_a_recorded_period() {
    let sandbox = Sandbox::new();
    let mut p = prompt(&sandbox, false);
    // Label key, then value, from the store.
    press(&mut p, "history users{");
    press(&mut p, "\t");
    p.exp_string("line=").expect("the label key completed");
    press(&mut p, "non");
    press(&mut p, "\t");
    p.exp_string("-payment").expect("the label value completed");
    // Recorded periods of that series: Tab fills what they share, a
    // second Tab lists them.
    press(&mut p, "} 20");
    press(&mut p, "\t\t");
    p.exp_string("2023").expect("recorded periods listed");
    p.exp_string("2022").expect("recorded periods listed");
    p.exp_string("history users{line=non-payment} 202")
        .expect("the common part filled in");
    press(&mut p, "3");
    p.send_line("").unwrap();
    p.exp_string("180,000,000").expect("the history row");
    ready(&mut p);
    p.send_line(".quit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn tab_completes_a_file_name_with_a_space_in_quotes() {
    let sandbox = Sandbox::new();
    sandbox.write("my queries.growth", "metrics users\n");
    let mut p = prompt(&sandbox, false);
    press(&mut p, ".read my");
    press(&mut p, "\t");
    p.exp_string("\"my queries.growth\"")
        .expect("the file name, quoted");
    p.send_line("").unwrap();
    p.exp_string("Users, in total")
        .expect("the file's command ran");
    ready(&mut p);
    p.send_line(".quit").unwrap();
    p.exp_eof().unwrap();
}

/// A block of lines pasted at the prompt (bracketed paste, as terminals
/// send it) runs as those lines, one command each.
#[test]
fn pasted_lines_run_one_after_another() {
    let sandbox = Sandbox::new();
    let mut p = prompt(&sandbox, false);
    press(&mut p, ".mode csv");
    p.send_line("").unwrap();
    ready(&mut p);
    press(
        &mut p,
        "\x1b[200~metrics users\r\nmetrics services.*\n\x1b[201~",
    );
    p.send_line("").unwrap();
    p.exp_string("users,stock,people")
        .expect("the first pasted line ran");
    p.exp_string("services.types,stock")
        .expect("the second pasted line ran");
    ready(&mut p);
    p.send_line(".quit").unwrap();
    let rest = p.exp_eof().unwrap();
    assert!(!rest.contains("control character"), "{rest}");
}

#[test]
fn an_open_string_continues_on_the_next_line() {
    let sandbox = Sandbox::new();
    let mut p = prompt(&sandbox, false);
    p.send_line("insert 2025 users=1.1B note=\"two").unwrap();
    p.exp_string("...> ").expect("the continuation prompt");
    p.send_line("lines\"").unwrap();
    p.exp_string("inserted 1").unwrap();
    ready(&mut p);
    p.send_line(".mode csv").unwrap();
    ready(&mut p);
    p.send_line("history users 2025").unwrap();
    p.exp_string("two lines")
        .expect("the note, joined with a space");
    p.send_line(".quit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn colours_follow_no_color() {
    const KEYWORD: &str = "\x1b[1;34m";
    for colour in [true, false] {
        let sandbox = Sandbox::new();
        let mut p = prompt(&sandbox, colour);
        press(&mut p, "growth users over 1y");
        p.send_line("").unwrap();
        // The line as it was drawn while typed, up to the answer.
        let drawn = p.exp_string("| users").expect("the answer");
        ready(&mut p);
        p.send_line(".quit").unwrap();
        p.exp_eof().unwrap();
        let echoed = drawn.contains(KEYWORD) || drawn.contains("\x1b[1m\x1b[34m");
        assert_eq!(echoed, colour, "colour {colour}: {drawn:?}");
    }
}
