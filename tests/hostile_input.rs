//! Hostile input: a table of bad commands and bad import files, each run
//! through stdin (batch mode) in its own process on a copy of one
//! pre-loaded store.
//!
//! For every case the binary must (SPEC §1, §3, §5, §6, §7):
//! - exit with status 1 and print nothing on stdout;
//! - print exactly the expected number of `error:` lines on stderr (one
//!   for a single bad command) and nothing else, each naming the offending
//!   text and, where the case says so, what was expected;
//! - never panic;
//! - leave the store byte-for-byte unchanged (the main file's bytes, no
//!   leftover write-ahead log, and a dump of every table in key order) and
//!   create no file in its directory.
//!
//! Expected texts are substrings of the error line; `a|b` accepts either.
//! Inputs that were once mishandled stay in [`fixed_cases`]. Failures are
//! collected and reported together, so one bad case does not hide the others.
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use crate::common::Sandbox;
use rusqlite::Connection;
use rusqlite::types::Value;

// ---------------------------------------------------------------------------
// Cases

/// One hostile input and what the binary must say about it.
struct Case {
    /// What the failure report calls the case (the input, abbreviated).
    label: String,
    stdin: Vec<u8>,
    /// Files written into the sandbox before the run.
    files: Vec<(String, Vec<u8>)>,
    /// Extra arguments after `--db STORE`.
    args: Vec<&'static str>,
    /// One entry per expected error line, in order: the text the line must
    /// start with, and substrings it must contain (`a|b`: either).
    errors: Vec<(String, Vec<String>)>,
    /// Substrings no error line may contain.
    forbid: Vec<String>,
}

fn strings(needles: &[&str]) -> Vec<String> {
    needles.iter().map(|s| s.to_string()).collect()
}

/// Shortens long or binary input for failure reports.
fn label_of(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_end_matches('\n');
    let mut label: String = text.chars().take(90).collect();
    if text.chars().count() > 90 {
        label.push_str(&format!("... ({} bytes)", bytes.len()));
    }
    format!("{label:?}")
}

/// A single command on line 1 of stdin: one error, `error: line 1: ...`.
fn c(command: &str, needles: &[&str]) -> Case {
    raw(command.as_bytes().to_vec(), needles)
}

/// Raw bytes as line 1 of stdin (a newline is added).
fn raw(mut bytes: Vec<u8>, needles: &[&str]) -> Case {
    let label = label_of(&bytes);
    bytes.push(b'\n');
    Case {
        label,
        stdin: bytes,
        files: Vec::new(),
        args: Vec::new(),
        errors: vec![("error: line 1: ".to_string(), strings(needles))],
        forbid: Vec::new(),
    }
}

/// A script that yields several error lines: (prefix, needles) for each.
/// Run with `-q`, so confirmations of the commands that worked before a
/// rollback do not count as stderr lines.
fn script(text: &str, errors: &[(&str, &[&str])]) -> Case {
    Case {
        label: label_of(text.as_bytes()),
        stdin: text.as_bytes().to_vec(),
        files: Vec::new(),
        args: vec!["-q"],
        errors: errors
            .iter()
            .map(|(prefix, needles)| (prefix.to_string(), strings(needles)))
            .collect(),
        forbid: Vec::new(),
    }
}

/// `.import NAME FLAGS` of a file with `content`; the one error must name
/// `NAME:LINE:` (given in `needles`) and the rest of `needles`.
fn imp(name: &str, content: &[u8], flags: &str, needles: &[&str]) -> Case {
    let command = format!(".import {name} {flags}").trim_end().to_string();
    Case {
        label: format!("{command} of {}", label_of(content)),
        stdin: format!("{command}\n").into_bytes(),
        files: vec![(name.to_string(), content.to_vec())],
        args: Vec::new(),
        errors: vec![("error: line 1: ".to_string(), strings(needles))],
        forbid: Vec::new(),
    }
}

impl Case {
    fn forbid(mut self, text: &str) -> Case {
        self.forbid.push(text.to_string());
        self
    }

    /// Sets what the (single) error line must start with.
    fn prefix(mut self, prefix: &str) -> Case {
        self.errors[0].0 = prefix.to_string();
        self
    }

    fn with_file(mut self, name: &str, content: &[u8]) -> Case {
        self.files.push((name.to_string(), content.to_vec()));
        self
    }
}

/// A line of `len` bytes made of `unit` repeated, between `head` and `tail`.
fn long(head: &str, unit: &str, len: usize, tail: &str) -> Vec<u8> {
    let mut bytes = head.as_bytes().to_vec();
    while bytes.len() < len {
        bytes.extend_from_slice(unit.as_bytes());
    }
    bytes.extend_from_slice(tail.as_bytes());
    bytes
}

const PERIOD_FORMS: &str = "2024, 2024-H1, 2024-Q2, 2024-06, 2024-W23, 2024-06-12";
const UNKNOWN_COMMAND: &str = "expected metric, insert, revise, delete, growth";

#[rustfmt::skip]
fn period_cases() -> Vec<Case> {
    vec![
        c("insert 2024-02-30 x=1", &["\"2024-02-30\"", "29 days"]),
        c("insert 2023-02-29 x=1", &["\"2023-02-29\"", "28 days"]),
        c("insert 2024-06-31 x=1", &["\"2024-06-31\"", "30 days"]),
        c("insert 2024-06-00 x=1", &["\"2024-06-00\"", "01 to 31"]),
        c("insert 2024-13 x=1", &["\"2024-13\"", "01 to 12"]),
        c("insert 2024-00 x=1", &["\"2024-00\"", "01 to 12"]),
        c("insert 24-06 x=1", &["\"24-06\"", "four digits"]),
        c("insert 02024 x=1", &["\"02024\"", "four digits"]),
        c("insert 10000 x=1", &["\"10000\"", "four digits"]),
        c("insert 0000 x=1", &["\"0000\"", "0001 to 9999"]),
        c("insert -2024 x=1", &["\"-2024\"", PERIOD_FORMS]),
        c("insert 2024-6-1 x=1", &["\"2024-6-1\"", "two digits"]),
        c("insert 2024-06-1 x=1", &["\"2024-06-1\"", "two digits"]),
        c("insert 2024-x x=1", &["\"2024-x\"", "expected a period"]),
        c("insert 2023-W53 x=1", &["\"2023-W53\"", "52 weeks"]),
        c("insert 2024-W53 x=1", &["\"2024-W53\"", "52 weeks"]),
        c("insert 2024-W00 x=1", &["\"2024-W00\"", "W01 to W53"]),
        c("insert 2024-W54 x=1", &["\"2024-W54\"", "W01 to W53"]),
        c("insert 2024-W5 x=1", &["\"2024-W5\"", "two digits"]),
        c("insert 2024-Q0 x=1", &["\"2024-Q0\"", "Q1 to Q4"]),
        c("insert 2024-Q5 x=1", &["\"2024-Q5\"", "Q1 to Q4"]),
        c("insert 2024q5 x=1", &["\"2024q5\"", "Q1 to Q4"]),
        c("insert 2024-Q x=1", &["\"2024-Q\"", "Q1 to Q4"]),
        c("insert 2024-H3 x=1", &["\"2024-H3\"", "H1 or H2"]),
        c("insert 2024-H0 x=1", &["\"2024-H0\"", "H1 or H2"]),
        c("insert 2024-03..2024-01 x=1", &["\"2024-03..2024-01\"", "empty"]),
        c("insert 2024-06-12..2024-06-11 x=1", &["2024-06-12..2024-06-11", "empty"]),
        c("insert 2024-W02..2024-W01 x=1", &["\"2024-W02..2024-W01\"", "empty"]),
        c("insert .. x=1", &["\"..\"", "a period on each side"]),
        c("insert 2024.. x=1", &["\"2024..\"", "a period on each side"]),
        c("insert ..2024 x=1", &["\"..2024\"", "a period on each side"]),
        c("insert 2024...2025 x=1", &["\"2024...2025\"", "\".2025\""]),
        c("insert 2024..2024..2025 x=1", &["\"2024..2024..2025\"", "a single .."]),
        c("insert 2024-13..2024-14 x=1", &["\"2024-13\"", "01 to 12"]),
        c("insert 2020-W53..2021-W53 x=1", &["\"2021-W53\"", "52 weeks"]),
        c("insert 9999-12-31..10000 x=1", &["\"10000\"", "four digits"]),
        c("insert 2024-06-12T10:00:00Z x=1", &["\"2024-06-12T10:00:00Z\""]),
        c("insert latest x=1", &["\"latest\"", "four digits"]),
        c("insert earliest x=1", &["\"earliest\"", "four digits"]),
        // Bad periods in every command that takes one.
        c("delete users 2023-02-30", &["\"2023-02-30\"", "28 days"]),
        c("history users 2023-13", &["\"2023-13\"", "01 to 12"]),
        c("history users 2024-Q1..2023-Q4", &["\"2024-Q1..2023-Q4\"", "empty"]),
        c("revise 2023-Q5 users=1", &["\"2023-Q5\"", "Q1 to Q4"]),
        c("growth users from 2022-13 to 2023", &["\"2022-13\"", "01 to 12"]),
        c("growth users from 2022 to 2023-W53", &["\"2023-W53\"", "52 weeks"]),
        c("growth users from 2022..2021 to 2023", &["\"2022..2021\"", "empty"]),
        c("growth users from 2021-W53 to 2023", &["\"2021-W53\"", "52 weeks"]),
        c("growth users over 1y to 2023-Q5", &["\"2023-Q5\"", "Q1 to Q4"]),
        c("growth users from earliest to earliestt", &["\"earliestt\""]),
        c("series users from 2024-02-30", &["\"2024-02-30\"", "29 days"]),
        c("series users to 2024-13", &["\"2024-13\"", "01 to 12"]),
        c("series users every week from 2023-W53", &["\"2023-W53\"", "52 weeks"]),
        c("series users from 2024 to 2023", &["2024", "2023", "empty"]),
    ]
}

const NUMBER_EXAMPLE: &str = "expected a number such as 12M";

#[rustfmt::skip]
fn value_cases() -> Vec<Case> {
    vec![
        c("insert 2024 x=1e400", &["\"1e400\"", "out of range"]),
        c("insert 2024 x=-1e400", &["\"-1e400\"", "out of range"]),
        c("insert 2024 x=1.5e308k", &["\"1.5e308k\"", "out of range"]),
        c("insert 2024 x=1e99999999999999999999", &["\"1e99999999999999999999\"", "out of range"]),
        c("insert 2024 x=1e-400", &["\"1e-400\"", "rounds to zero"]),
        c("insert 2024 x=1..2", &["\"1..2\"", "\".2\""]),
        c("insert 2024 x=1.2.3", &["\"1.2.3\"", "\".3\""]),
        c("insert 2024 x=1e5.5", &["\"1e5.5\"", "\".5\""]),
        c("insert 2024 x=1e", &["\"1e\"", "digits after the exponent"]),
        c("insert 2024 x=1e+", &["\"1e+\"", "digits after the exponent"]),
        c("insert 2024 x=--5", &["\"--5\"", NUMBER_EXAMPLE]),
        c("insert 2024 x=1_", &["\"1_\"", "only between digits"]),
        c("insert 2024 x=_1", &["\"_1\"", "only between digits"]),
        c("insert 2024 x=1__0", &["\"1__0\"", "only between digits"]),
        c("insert 2024 x=0x10", &["\"0x10\"", "unknown suffix"]),
        c("insert 2024 x=1,000", &["\"1,000\"", "1_000"]),
        c("insert 2024 x=1,000,000", &["\"1,000,000\"", "1_000"]),
        c("insert 2024 x=NaN", &["\"NaN\"", "not a finite number"]),
        c("insert 2024 x=nan", &["\"nan\"", "not a finite number"]),
        c("insert 2024 x=inf", &["\"inf\"", "not a finite number"]),
        c("insert 2024 x=-inf", &["\"-inf\"", "not a finite number"]),
        c("insert 2024 x=Infinity", &["\"Infinity\"", "not a finite number"]),
        c("insert 2024 x=", &["a value after \"x=\""]),
        c("insert 2024 x= ", &["a value after \"x=\""]),
        c("insert 2024 x=5m", &["\"5m\"", "use M for millions"]),
        c("insert 2024 x=5X", &["\"5X\"", "unknown suffix \"X\"", "k, M, B, G, T or %"]),
        c("insert 2024 x=5%%", &["\"5%%\"", "\"%%\""]),
        c("insert 2024 x=5kk", &["\"5kk\"", "unknown suffix"]),
        c("insert 2024 x=5M%", &["\"5M%\"", "unknown suffix"]),
        c("insert 2024 x=5%k", &["\"5%k\""]),
        c("insert 2024 x=%", &["\"%\"", NUMBER_EXAMPLE]),
        c("insert 2024 x=.", &["\".\"", NUMBER_EXAMPLE]),
        c("insert 2024 x=-", &["\"-\"", NUMBER_EXAMPLE]),
        c("insert 2024 x=+", &["\"+\"", NUMBER_EXAMPLE]),
        c("insert 2024 x=abc", &["\"abc\"", NUMBER_EXAMPLE]),
        c("insert 2024 x=1:2", &["\"1:2\""]),
        c("insert 2024 x=1*", &["\"1*\""]),
        c("insert 2024 x=\"5\"", &["the string \"5\"", "a value after \"x=\""]),
        c("insert 2024 x==5", &["a value after \"x=\"", "found \"=\""]),
        c("insert 2024 x=5=6", &["SERIES=VALUE", "\"=\""]),
        c("insert 2024 x=5 k", &["\"k\"", "expected \"=\""]),
        c("insert 2024 x=1 ,000", &["SERIES=VALUE", "\",\""]),
        c("revise 2023 users=NaN", &["\"NaN\"", "not a finite number"]),
        c("revise 2023 users=1,010,000,000", &["\"1,010,000,000\"", "1_000"]),
        raw(long("insert 2024 x=", "9", 100_000, ""), &["out of range"]),
        raw(long("insert 2024 x=0.", "0", 100_000, "1e-1"), &["rounds to zero"]),
        raw(long("insert 2024 x=1e", "9", 100_000, ""), &["out of range"]),
        raw(long("insert 2024 x=", "1_", 100_000, ""), &["only between digits"]),
    ]
}

const LABEL_KEY_RULE: &str = "lowercase letters, digits and \"_\", not starting with a digit";

#[rustfmt::skip]
fn name_label_string_cases() -> Vec<Case> {
    vec![
        c("insert 2024 1x=1", &["\"1x\"", "starts with a letter"]),
        c("insert 2024 _x=1", &["\"_x\"", "starts with a letter"]),
        c("insert 2024 .x=1", &["\".x\"", "starts with a letter"]),
        c("insert 2024 -x=1", &["\"-x\"", "starts with a letter"]),
        c("insert 2024 café=1", &["\"é\"", "U+00E9", "outside quotes"]),
        c("insert 2024 x=1 ünits=2", &["\"ü\"", "U+00FC"]),
        c("insert 2024 x{a=é}=1", &["\"é\"", "outside quotes"]),
        c("insert 2024 \"x\"=1", &["SERIES=VALUE", "the string \"x\""]),
        c("insert 2024 x{a=b=1", &["label \"a\"", "\",\" or \"}\""]),
        c("insert 2024 x{a=b", &["unterminated label set", "\"{a=b\"", "\"}\""]),
        c("insert 2024 x{=1", &["a label key", "\"=\""]),
        c("insert 2024 x{a=}=1", &["a label value after \"a=\"", "\"}\""]),
        c("insert 2024 x{a}=1", &["\"=\" after label key \"a\""]),
        c("insert 2024 x{a=b,}=1", &["a label key", "\"}\""]),
        c("insert 2024 x{,a=b}=1", &["a label key", "\",\""]),
        c("insert 2024 x{a=b,a=c}=1", &["label \"a\" given twice"]),
        c("insert 2024 x{a=b,a=b}=1", &["label \"a\" given twice"]),
        c("insert 2024 x{Line=x}=1", &["\"Line\"", LABEL_KEY_RULE]),
        c("insert 2024 x{1a=x}=1", &["\"1a\"", LABEL_KEY_RULE]),
        c("insert 2024 x{a-b=x}=1", &["\"a-b\"", LABEL_KEY_RULE]),
        c("insert 2024 x{a.b=x}=1", &["\"a.b\"", LABEL_KEY_RULE]),
        c("insert 2024 x{a=b c}=1", &["\"c\"", "\",\" or \"}\""]),
        c("insert 2024 x{a=\"b}=1", &["unterminated string"]),
        c("insert 2024 x{a=\"b\\\"}=1", &["unterminated string"]),
        c("insert 2024 x{a=\"\\n\"}=1", &["\"\\n\"", "only \\\" and \\\\"]),
        c("insert 2024 x{a=\"\\q\"}=1", &["\"\\q\"", "only \\\" and \\\\"]),
        c("insert 2024 x{a=b*}=1", &["\"b*\"", "double-quoted"]),
        c("insert 2024 x{a=b%}=1", &["\"b%\"", "double-quoted"]),
        c("insert 2024 x{a=b}{c=d}=1", &["\"x{a=b}\"", "\"{\""]),
        c("insert 2024 x {a=b}=1", &["space before \"{\"", "x{...}"]),
        c("insert 2024 x}=1", &["\"x\"", "\"}\""]),
        c("insert 2024 x=1 source=\"abc", &["unterminated string"]),
        c("insert 2024 x=1 source=\"a\\", &["unterminated string"]),
        c("insert 2024 x=1 source=\"a\\nb\"", &["\"\\n\"", "only \\\" and \\\\"]),
        c("insert 2024 x=1 source=\"a\\qb\"", &["\"\\q\"", "only \\\" and \\\\"]),
        c("insert 2024 x=1 source=\"a\" source=\"b\"", &["\"source\" given twice"]),
        c("insert 2024 x=1 SOURCE=\"a\" source=\"b\"", &["\"source\" given twice"]),
        c("insert 2024 x=1 note=\"a\" note=\"b\"", &["\"note\" given twice"]),
        c("insert 2024 x=1 source=abc", &["source=", "quoted string", "\"abc\""]),
        c("insert 2024 x=1 source=", &["a value after \"source=\""]),
        c("insert 2024 x=1 x=2", &["series \"x\" given twice"]),
        c("insert 2024 x=1 x=1", &["series \"x\" given twice"]),
        c("insert 2024 x=1 source=\"a\" x=2", &["series \"x\" given twice"]),
        c("insert 2024 x{a=b}=1 x{a=b}=2", &["series \"x{a=b}\" given twice"]),
        c("insert 2024 x=1 \"oops\"", &["SERIES=VALUE", "the string \"oops\""]),
        c("metric users desc=\"\\x\"", &["\"\\x\"", "only \\\" and \\\\"]),
        // Line continuations join into one command, whose error is on line 1.
        c("insert 2024 \\\n  x=1x", &["\"1x\"", "unknown suffix"]),
        c("insert 2024 x=1 \\\nnote=\"a\" \\\nnote=\"b\"", &["\"note\" given twice"]),
        raw(long("insert 2024 ", "x", 100_000, "=1z"), &["a name has at most 256"]),
        raw(long("insert 2024 x=1 note=\"", "a", 100_000, "\" junk"), &["\"junk\""]),
        raw(long("insert 2024 x=1 note=\"", "a", 100_000, ""), &["unterminated string"]),
        raw(
            {
                let labels: Vec<String> = (0..10_000).map(|i| format!("k{i}=v")).collect();
                format!("insert 2024 x{{{}}}=1x", labels.join(",")).into_bytes()
            },
            &["a series has at most 64 labels"],
        ),
        raw(long("growth users over 1y ", " ", 100_000, "junk"), &["\"junk\""]),
    ]
}

#[rustfmt::skip]
fn control_and_encoding_cases() -> Vec<Case> {
    vec![
        c("insert 2024 x=1\u{1}", &["U+0001", "not allowed"]),
        c("insert 2024 x=\u{7f}1", &["U+007F", "not allowed"]),
        c("insert 2024\tx=1\u{1b}", &["U+001B", "not allowed"]),
        c("insert 2024 x=1 note=\"a\u{1}b\"", &["U+0001", "not allowed"]),
        c("insert 2024 x=1 note=\"\u{85}\"", &["U+0085", "not allowed"]),
        c("\u{0}", &["U+0000", "not allowed"]),
        c("metrics\u{8}", &["U+0008", "not allowed"]),
        raw(b"insert 2024 x=1 \xff".to_vec(), &["not valid UTF-8", "column 17"]),
        raw(b"insert 2024 x=1 note=\"\xff\"".to_vec(), &["not valid UTF-8"]),
        raw(b"insert 2024 x=1 note=\"\xe2\x80\"".to_vec(), &["not valid UTF-8"]),
        raw(b"\xfe\xff".to_vec(), &["not valid UTF-8", "column 1"]),
        raw(b"\xc0\xafmetrics".to_vec(), &["not valid UTF-8"]),
        raw(b"growth users over 1y asof \xed\xa0\x80".to_vec(), &["not valid UTF-8"]),
    ]
}

#[rustfmt::skip]
fn sql_looking_cases() -> Vec<Case> {
    vec![
        c("insert 2024 \"users'; DROP TABLE snapshot; --\"=1", &["SERIES=VALUE", "\"users'; DROP TABLE snapshot; --\""]),
        c("growth \"users'; DROP TABLE snapshot; --\" over 1y", &["metric name or pattern", "\"users'; DROP TABLE snapshot; --\""]),
        c("history users{line=\"x'; DROP TABLE metric; --\"}", &["no recorded series", "x'; DROP TABLE metric; --"]),
        c("history users{line=\"); DELETE FROM series; --\"} 2024", &["no recorded series", "); DELETE FROM series; --"]),
        c("delete users{line=\"'); DROP TABLE series; --\"} 2023", &["'); DROP TABLE series; --", "no snapshot"]),
        c("revise 2023 users{line=\"1' OR '1'='1\"}=1", &["1' OR '1'='1", "no snapshot", "revise"]),
        c("insert 2024 \"); DELETE FROM series; --=1", &["unterminated string"]),
        c("history \"); DELETE FROM series; --", &["unterminated string"]),
        c("metrics users' OR '1'='1", &["\"'\"", "double quotes"]),
        c("insert 2024 users'=1", &["\"'\"", "double quotes"]),
        c("insert 2024 x=NaN note=\"'; DROP TABLE snapshot; --\"", &["\"NaN\"", "not a finite number"]),
        c("metric x kind=\"stock'); DROP TABLE metric; --\"", &["kind", "stock'); DROP TABLE metric; --"]),
        // `;` separates commands (SPEC §3), so each piece fails on its own.
        script(
            "insert 2024 users'; DROP TABLE snapshot; --=1\n",
            &[
                ("error: line 1: ", &["\"'\"", "double quotes"]),
                (
                    "error: line 1: ",
                    &["unknown command \"DROP\"", UNKNOWN_COMMAND],
                ),
                ("error: line 1: ", &["unknown command \"--\""]),
            ],
        ),
    ]
}

#[rustfmt::skip]
fn command_cases() -> Vec<Case> {
    vec![
        c("frobnicate", &["unknown command \"frobnicate\"", UNKNOWN_COMMAND]),
        c("FROB 2024", &["unknown command \"FROB\"", UNKNOWN_COMMAND]),
        c("select * from snapshot", &["unknown command \"select\""]),
        c("DROP TABLE snapshot", &["unknown command \"DROP\""]),
        c("2024 insert x=1", &["unknown command \"2024\""]),
        c("{a=b}", &["\"{\""]),
        c("=", &["\"=\""]),
        c("x(1)", &["unexpected character \"(\""]),
        c("a/b", &["unknown command \"a/b\""]),
        // insert and revise
        c("insert", &["end of command", "a period after \"insert\""]),
        c("insert 2024", &["end of command", "SERIES=VALUE"]),
        c("insert 2024 source=\"x\"", &["end of command", "SERIES=VALUE"]),
        c("insert x=1", &["invalid period \"x\""]),
        c("insert 2024 x", &["end of command", "\"=\" after \"x\""]),
        c("insert 2024 x=1 2025", &["\"2025\"", "starts with a letter"]),
        c("insert 2024 a*=1", &["\"a*\"", "wildcards"]),
        c("insert 2024 *=1", &["\"*\"", "wildcards"]),
        c("insert 2024 *{line=x}=1", &["\"*\"", "wildcards"]),
        c("revise", &["end of command", "a period after \"revise\""]),
        c("revise 2024", &["end of command", "SERIES=VALUE"]),
        c("revise 2024 users=5 junk", &["\"junk\""]),
        c("revise 2023 u*=5", &["\"u*\"", "wildcards"]),
        c("revise 2099 users=5", &["users", "2099", "no snapshot", "insert"]),
        c("revise 2024 nosuch=5", &["nosuch", "no snapshot"]),
        c("revise 2023 users=2B users=3B", &["series \"users\" given twice"]),
        // A command with one bad part changes nothing (SPEC §4).
        c("insert 2023 x=5 users=1.1B", &["users already has 1010000000 for 2023", "revise"]),
        c("insert 2023 users{line=payment}=540M users=1.1B newm=3", &["users already has", "revise"]),
        c("revise 2023 users=2B nosuch=1", &["nosuch", "no snapshot"]),
        // delete
        c("delete", &["end of command", "a series after \"delete\""]),
        c("delete users", &["end of command", "a period"]),
        c("delete users{line=payment}", &["end of command", "a period"]),
        c("delete users 2023 2024", &["\"2024\"", "end of command"]),
        c("delete users 2023 source=\"x\"", &["\"source\"", "end of command"]),
        c("delete 2023 users", &["\"2023\"", "starts with a letter"]),
        c("delete \"users\" 2023", &["a series after \"delete\"", "the string \"users\""]),
        c("delete users* 2023", &["\"users*\"", "wildcards"]),
        c("delete nosuch 2023", &["nosuch", "no snapshot", "2023"]),
        c("delete users 2099", &["users", "no snapshot", "2099"]),
        c("delete users{line=x} 2023", &["users{line=x}", "no snapshot"]),
        c("delete gone 2024-06", &["gone", "no snapshot", "2024-06"]),
        // metric
        c("metric", &["end of command", "a metric name or pattern after \"metric\""]),
        c("metric 1x", &["\"1x\"", "starts with a letter"]),
        c("metric users*", &["\"users*\"", "kind=, unit= or desc="]),
        c("metric nobody* kind=flow", &["nobody*", "no defined metric matches"]),
        c("metric users{line=x}", &["labels are not allowed after \"metric\""]),
        c("metric a b", &["\"b\"", "kind=, unit= or desc="]),
        c("metric users colour=red", &["\"colour\"", "kind=, unit= or desc="]),
        c("metric users kind=bogus", &["\"bogus\"", "stock, flow, average, ratio or distinct"]),
        c("metric users kind=STOCK2", &["\"STOCK2\"", "stock, flow"]),
        c("metric users kind=", &["end of command", "a kind after \"kind=\""]),
        c("metric users unit=", &["end of command", "a unit after \"unit=\""]),
        c("metric users kind=stock kind=flow", &["\"kind\" given twice"]),
        c("metric users unit=a unit=b", &["\"unit\" given twice"]),
        c("metric users desc=\"a\" desc=\"b\"", &["\"desc\" given twice"]),
        c("metric users desc=abc", &["quoted string after \"desc=\"", "\"abc\""]),
        c("metric users kind=stock unit=people desc=\"ok\" extra=1", &["\"extra\"", "kind=, unit= or desc="]),
        // metrics and history
        c("metrics users extra", &["\"extra\"", "end of command"]),
        c("metrics 1x", &["\"1x\"", "starts with a letter"]),
        c("metrics \"x\"", &["metric name or pattern", "the string \"x\""]),
        c("metrics users{line=x}", &["labels are not allowed after \"metrics\""]),
        c("metrics *{a=b}", &["labels are not allowed after \"metrics\""]),
        c("metrics {line=x}", &["metric name or pattern", "\"{\""]),
        c("history", &["end of command", "a series after \"history\""]),
        c("history a*", &["\"a*\"", "wildcards"]),
        c("history *", &["\"*\"", "wildcards"]),
        c("history users 2023 2024", &["\"2024\"", "end of command"]),
        c("history users{line=payment} 2023 2023", &["\"2023\"", "end of command"]),
        c("history users from 2023", &["invalid period \"from\""]),
        c("history 2023 users", &["\"2023\"", "starts with a letter"]),
        c("history nosuch", &["no recorded series nosuch"]),
        c("history users{line=x}", &["no recorded series users{line=x}"]),
        // blocks
        c("begin extra", &["\"extra\"", "end of command"]),
        c("commit extra", &["\"extra\"", "end of command"]),
        c("rollback extra", &["\"extra\"", "end of command"]),
        c("commit", &["no block is open", "begin"]),
        c("rollback", &["no block is open", "begin"]),
        script("begin\ninsert 2024 x=1\n", &[("error: ", &["the input ended inside the block begun at line 1", "rolled back"])]),
        script("begin\ninsert 2024 x=1\nbegin\nrollback\n", &[("error: line 3: ", &["already open", "begun at line 1", "do not nest"])]),
        script(
            "begin\ninsert 2024 x=1\ninsert 2023 users=2B\ncommit\n",
            &[
                ("error: line 3: ", &["users already has", "rolled back"]),
                (
                    "error: line 4: ",
                    &["begun at line 1", "rolled back", "nothing was committed"],
                ),
            ],
        ),
        script(
            "begin;insert 2024 x=1;insert 2024 x=2;commit\n",
            &[
                (
                    "error: line 1: ",
                    &["x already has 1 for 2024", "rolled back"],
                ),
                ("error: line 1: ", &["nothing was committed"]),
            ],
        ),
        script(
            "begin\ninsert 2024 x=1\nfrob\n",
            &[
                ("error: line 3: ", &["unknown command \"frob\""]),
                (
                    "error: ",
                    &["the input ended inside the block", "rolled back"],
                ),
            ],
        ),
    ]
}

const SORT_FIELDS: &str =
    "from_value, to_value, change, change_pct, multiple, years, cagr_pct, change_pp, share_pct";
const CLAUSES: &str = "expected by, sort, limit, trailing or asof";
const OVER_CLAUSES: &str = "expected by, sort, limit, every, trailing or asof";
const ASOF_FORMS: &str =
    "RFC 3339 timestamp such as 2024-06-12T10:00:00Z or a day such as 2024-06-12";
const SPAN_FORMS: &str = "y, h, q, m, w or d";

#[rustfmt::skip]
fn query_cases() -> Vec<Case> {
    vec![
        // growth: shape
        c("growth", &["end of command", "metric name or pattern after \"growth\""]),
        c("growth users", &["end of command", "\"from\" or \"over\""]),
        c("growth users to 2023", &["\"from\" or \"over\"", "found \"to\""]),
        c("growth users from 2022", &["end of command", "\"to\""]),
        c("growth users from 2022 to", &["end of command", "a period, earliest or latest after \"to\""]),
        c("growth users from to 2023", &["invalid period \"to\""]),
        c("growth users from 2022 from 2023 to 2023", &["\"to\"", "found \"from\""]),
        c("growth users from 2022 to 2023 over 1y", &["\"over\" cannot be combined with \"from\""]),
        c("growth users from 2022 to 2023 to 2024", &["\"to\" given twice"]),
        c("growth * over 1y to latest to 2023", &["\"to\" given twice"]),
        c("growth users over 1y over 2y", &["\"over\" given twice"]),
        c("growth users from 2022 to 2023 where x", &["\"where\"", CLAUSES]),
        c("growth users from 2022 to 2023 junk", &["\"junk\"", CLAUSES]),
        c("growth users from latest to 2023 extra", &["\"extra\"", CLAUSES]),
        c("growth 1x over 1y", &["\"1x\"", "starts with a letter"]),
        c("growth _x over 1y", &["\"_x\"", "starts with a letter"]),
        c("growth users{Line=x} over 1y", &["\"Line\"", LABEL_KEY_RULE]),
        c("growth users{line=x over 1y", &["\"over\"", "\",\" or \"}\""]),
        c("growth users{line=a,line=b} over 1y", &["label \"line\" given twice"]),
        // growth: spans
        c("growth users over", &["end of command", "a span such as 1y or 3m"]),
        c("growth users over 0y", &["\"0y\"", "at least 1"]),
        c("GROWTH users OVER 0Y", &["\"0Y\"", "at least 1"]),
        c("growth users over 1x", &["\"1x\"", SPAN_FORMS]),
        c("growth users over y", &["\"y\"", SPAN_FORMS]),
        c("growth users over -1y", &["\"-1y\"", SPAN_FORMS]),
        c("growth users over 1.5y", &["\"1.5y\"", SPAN_FORMS]),
        c("growth users over 1y1m", &["\"1y1m\"", SPAN_FORMS]),
        c("growth users over 1", &["\"1\"", SPAN_FORMS]),
        c("growth users over 99999999999999999999y", &["\"99999999999999999999y\"", "at most"]),
        c("growth users over 1y to", &["end of command", "a period, earliest or latest"]),
        c("growth users over 1q to 2023", &["2023", "1q", "whole years"]),
        // growth: by
        c("growth users from 2022 to 2023 by", &["end of command", "a label key after \"by\""]),
        c("growth users* over 1y by", &["end of command", "a label key after \"by\""]),
        c("growth users from 2022 to 2023 by line by line", &["\"by\" given twice"]),
        c("growth users from 2022 to 2023 by Line", &["\"Line\"", LABEL_KEY_RULE]),
        c("growth users from 2022 to 2023 by LINE", &["\"LINE\"", LABEL_KEY_RULE]),
        c("growth users from 2022 to 2023 by nosuch", &["nosuch", "recorded: users"]),
        c("growth users{line=payment} over 1y by line", &["users{line=payment}", "already fixes line"]),
        c("growth users over 1y by line sort share_pct limit 1 asof 2999-01-01 by line", &["\"by\" given twice"]),
        // growth: sort
        c("growth users from 2022 to 2023 sort", &["end of command", "a field after \"sort\""]),
        c("growth users from 2022 to 2023 limit 1 sort", &["end of command", "a field after \"sort\""]),
        c("growth users from 2022 to 2023 sort nosuch", &["\"nosuch\"", SORT_FIELDS]),
        c("growth users from 2022 to 2023 sort series", &["\"series\"", SORT_FIELDS]),
        c("growth users from 2022 to 2023 sort metric", &["\"metric\"", SORT_FIELDS]),
        c("growth users from 2022 to 2023 sort note", &["\"note\"", SORT_FIELDS]),
        c("growth users from 2022 to 2023 sort from_period", &["\"from_period\"", SORT_FIELDS]),
        c("growth users from 2022 to 2023 sort to_period", &["\"to_period\"", SORT_FIELDS]),
        c("growth users from 2022 to 2023 sort \"change\"", &["change"]),
        c("growth users from 2022 to 2023 sort change sideways", &["\"sideways\"", CLAUSES]),
        c("growth users from 2022 to 2023 sort change asc desc", &["\"desc\"", CLAUSES]),
        c("growth users over 1y sort change DESC desc", &["\"desc\"", OVER_CLAUSES]),
        c("growth users from 2022 to 2023 sort change sort change", &["\"sort\" given twice"]),
        c("growth users from 2022 to 2023 by line sort share_pct sort change", &["\"sort\" given twice"]),
        // growth: limit
        c("growth users from 2022 to 2023 limit", &["end of command", "a number after \"limit\""]),
        c("growth users over 1y by line limit", &["end of command", "a number after \"limit\""]),
        c("growth users from 2022 to 2023 limit -1", &["\"-1\"", "non-negative integer"]),
        c("growth users from 2022 to 2023 limit 1.5", &["\"1.5\"", "non-negative integer"]),
        c("growth users from 2022 to 2023 limit x", &["\"x\"", "non-negative integer"]),
        c("growth users from 2022 to 2023 limit 1k", &["\"1k\"", "non-negative integer"]),
        c("growth users from 2022 to 2023 limit 1e3", &["\"1e3\"", "non-negative integer"]),
        c("growth users from 2022 to 2023 limit 99999999999999999999999", &["\"99999999999999999999999\"", "non-negative integer"]),
        c("growth users from 2022 to 2023 limit 1 limit 2", &["\"limit\" given twice"]),
        c("growth users over 1y LIMIT 1 limit 2", &["\"limit\" given twice"]),
        // growth: asof
        c("growth users from 2022 to 2023 asof", &["end of command", "a time after \"asof\""]),
        c("growth users from 2022 to 2023 asof garbage", &["\"garbage\"", ASOF_FORMS]),
        c("growth users from 2022 to 2023 asof 2024-02-30", &["\"2024-02-30\"", "29 days"]),
        c("growth users from 2022 to 2023 asof 2024-13-01", &["\"2024-13-01\"", "01 to 12"]),
        c("growth users from 2022 to 2023 asof 2024-13-01T00:00:00Z", &["\"2024-13-01T00:00:00Z\"", ASOF_FORMS]),
        c("growth users from 2022 to 2023 asof 2024-06-12T25:00:00Z", &["\"2024-06-12T25:00:00Z\"", ASOF_FORMS]),
        c("growth users from 2022 to 2023 asof 2024-06-12T10:00:00", &["\"2024-06-12T10:00:00\"", ASOF_FORMS]),
        c("growth users from 2022 to 2023 asof 2024", &["\"2024\"", ASOF_FORMS]),
        c("growth users over 1y asof 99999-06-12", &["\"99999-06-12\"", ASOF_FORMS]),
        c("growth users over 1y asof 2024-06-12X", &["\"2024-06-12X\"", ASOF_FORMS]),
        c("growth users over 1y asof -1", &["\"-1\"", ASOF_FORMS]),
        c("growth users over 1y asof 2999-06-12 10:00:00Z", &["\"10:00:00Z\"", OVER_CLAUSES]),
        c("growth users from 2022 to 2023 asof 2024-06-12 asof 2024-06-13", &["\"asof\" given twice"]),
        // growth: selectors that match nothing
        c("growth nosuch over 1y", &["no recorded series matches nosuch"]),
        c("growth nosuch* over 1y", &["nosuch*"]),
        c("growth users{line=nosuch} over 1y", &["users{line=nosuch}", "users{line=payment}"]),
        // series
        c("series", &["end of command", "metric name or pattern after \"series\""]),
        c("series users every", &["end of command", "a granularity after \"every\""]),
        c("series users every fortnight", &["\"fortnight\"", "year, half, quarter, month, week, day, fiscal_year, fiscal_half or fiscal_quarter"]),
        c("series users every years", &["\"years\"", "year, half, quarter, month, week, day, fiscal_year, fiscal_half or fiscal_quarter"]),
        c("series users every year every month", &["\"every\" given twice"]),
        c("series users from", &["end of command", "a period after \"from\""]),
        c("series users from 2022 from 2023", &["\"from\" given twice"]),
        c("series users asof never", &["\"never\"", ASOF_FORMS]),
        c("series users by line", &["\"by\"", "from, to, every, trailing or asof"]),
        c("series users over 1y", &["\"over\"", "from, to, every, trailing or asof"]),
        c("series users limit 1", &["\"limit\"", "from, to, every, trailing or asof"]),
        c("series users sort value", &["\"sort\"", "from, to, every, trailing or asof"]),
        c("series users 2023", &["\"2023\"", "from, to, every, trailing or asof"]),
        c("series users from latest", &["\"latest\"", "only in growth"]),
        c("series nosuch", &["no recorded series matches nosuch"]),
    ]
}

#[rustfmt::skip]
fn session_cases() -> Vec<Case> {
    vec![
        c(".frob", &["unknown session command \".frob\"", ".help"]),
        c(".", &["unknown session command \".\""]),
        c(".DROP TABLE snapshot", &["unknown session command \".DROP\""]),
        c(".help nosuch", &["\"nosuch\"", ".help"]),
        c(".help .nosuch", &["\".nosuch\""]),
        c(".mode", &["usage: .mode table|csv|tsv|json|jsonl|markdown"]),
        c(".mode xml", &["\"xml\"", "table, csv, tsv, json, jsonl or markdown"]),
        c(".MODE xml", &["\"xml\"", "table, csv, tsv, json, jsonl or markdown"]),
        c(".output /nonexistent/dir/x.csv", &["cannot write /nonexistent/dir/x.csv"]),
        c(".output \"a\\q\"", &["\"\\q\""]),
        c(".read", &["usage: .read FILE"]),
        c(".read nosuch.growth", &["cannot read nosuch.growth"]),
        c(".read \"unterminated.growth", &["unterminated string", "unterminated.growth"]),
        c(".import", &["usage: .import FILE [--wide]"]),
        c(".import nosuch.csv", &["cannot read nosuch.csv"]),
        c(".import x.xml", &["\"x.xml\"", ".csv, .tsv or .jsonl"]),
        c(".import \"unterminated.csv", &["unterminated string", "unterminated.csv"]),
        c(".import a.jsonl --wide", &["--wide", "CSV or TSV"]).with_file("a.jsonl", b"{}\n"),
        c(".export", &["usage: .export FILE [SELECTOR] [--history]"]),
        c(".export out.xml", &["\"out.xml\"", ".csv, .tsv or .jsonl"]),
        c(".export out.csv nosuch", &["out.csv", "no recorded series matches nosuch"]),
        c(".export out.csv 1x", &["\"1x\"", "starts with a letter"]),
        c(".export out.csv --wide", &["\"--wide\""]),
        c(".export /nonexistent/dir/out.csv", &["cannot write /nonexistent/dir/out.csv"]),
        c(".asof", &["usage: .asof T|off"]),
        c(".asof garbage", &["\"garbage\"", ASOF_FORMS]),
        c(".asof 2024-02-30", &["\"2024-02-30\"", "29 days"]),
        c(".asof on", &["\"on\"", ASOF_FORMS]),
        c(".timer", &["usage: .timer on|off"]),
        c(".timer maybe", &["\"maybe\"", "on or off"]),
        // Extra words: the usage line.
        c(".help insert extra", &["usage: .help [COMMAND]"]),
        c(".mode csv tsv", &["usage: .mode"]),
        c(".output a b", &["usage: .output FILE|stdout"]),
        c(".read a.growth b.growth", &["usage: .read FILE"]),
        c(".import x.csv --wide extra", &["usage: .import"]),
        c(".import x.csv --narrow", &["usage: .import"]),
        c(".export out.csv users --history extra", &["usage: .export"]),
        c(".asof off extra", &["usage: .asof"]),
        c(".timer on later", &["usage: .timer"]),
        c(".schema extra", &["usage: .schema"]),
        c(".check extra", &["usage: .check"]),
        c(".quit now", &["usage: .quit"]),
        c(".exit 1", &["usage: .exit"]),
        // A file run by .read fails with its own name and line (SPEC §5).
        c(".read bad.growth", &["\"NaN\"", "not a finite number"])
            .with_file("bad.growth", b"# ok\ninsert 2024 x=NaN\n")
            .prefix("error: bad.growth:2: "),
    ]
}

#[rustfmt::skip]
fn import_cases() -> Vec<Case> {
    const HEADER: &[u8] = b"series,period,value\n";
    let csv = |rows: &str| [HEADER, rows.as_bytes()].concat();
    let jsonl = |second: &str| {
        format!("{{\"series\":\"x\",\"period\":\"2024\",\"value\":1}}\n{second}\n").into_bytes()
    };
    vec![
        // Headers.
        imp("a.csv", b"serie,period,value\nusers,2024,1\n", "", &["a.csv:1:", "\"serie\"", "series,period,value"]),
        imp("a.csv", b"series,period\nusers,2024\n", "", &["a.csv:1:", "no \"value\" column"]),
        imp("a.csv", b"series,value\nusers,1\n", "", &["a.csv:1:", "no \"period\" column"]),
        imp("a.csv", b"period,value\n2024,1\n", "", &["a.csv:1:", "no \"series\" column"]),
        imp("a.csv", b"series,period,value,series\nusers,2024,1,x\n", "", &["a.csv:1:", "\"series\" appears twice"]),
        imp("a.csv", b"series,period,value,value\nx,2024,1,2\n", "", &["a.csv:1:", "\"value\" appears twice"]),
        imp("a.csv", b"series,period,value,colour\nx,2024,1,red\n", "", &["a.csv:1:", "\"colour\""]),
        imp("a.csv", b"", "", &["a.csv:1:", "no \"series\" column"]),
        imp("a.csv", b"\n", "", &["a.csv:1:", "no \"series\" column"]),
        imp("a.tsv", b"series,period,value\nx,2024,1\n", "", &["a.tsv:1:", "\"series,period,value\""]),
        // Rows of the wrong width.
        imp("a.csv", &csv("users,2024\n"), "", &["a.csv:2:", "2 fields where the header has 3"]),
        imp("a.csv", &csv("users,2024,1,extra\n"), "", &["a.csv:2:", "4 fields where the header has 3"]),
        imp("a.csv", &csv("x,2024,1\nusers,2025,1,000\n"), "", &["a.csv:3:", "4 fields"]),
        imp("a.csv", &csv("x,2024,1\n\0\n"), "", &["a.csv:3:", "1 fields where the header has 3"]),
        imp("a.tsv", b"series\tperiod\tvalue\nx\t2024\t1\nx\t2025\n", "", &["a.tsv:3:", "2 fields"]),
        imp("a.tsv", b"series\tperiod\tvalue\nx\t2024\t1\nx\t2025\t1\t2\n", "", &["a.tsv:3:", "4 fields"]),
        // Broken quoting (SPEC §6: a bad row fails the whole import and names
        // its line). An unterminated quote must not swallow the rest of the
        // file into one field, nor text after a closing quote be glued on.
        imp("a.csv", b"series,period,value,note\nx,2024,1,\"abc\nx,2025,2,def\n", "", &["a.csv:2:", "unterminated|quote"]),
        imp("a.csv", b"series,period,value\nx,2024,1\nusers,2025,\"1", "", &["a.csv:3:", "unterminated|quote"]),
        imp("a.csv", b"series,period,value\nx,2024,\"1\"2\n", "", &["a.csv:2:", "quote|\"1\"2"]),
        // Bad periods, values and series, after a good row that must not stay.
        imp("a.csv", &csv("x,2024,1\nusers,2024-13,1\n"), "", &["a.csv:3:", "\"2024-13\"", "01 to 12"]),
        imp("a.csv", &csv("x,2024,1\nx,2024-W53,1\n"), "", &["a.csv:3:", "\"2024-W53\"", "52 weeks"]),
        imp("a.csv", &csv("x,2024,1\n\"x\",2024-02-30,1\n"), "", &["a.csv:3:", "\"2024-02-30\"", "29 days"]),
        imp("a.csv", &csv("x,2024,1\nx,2025..2024,1\n"), "", &["a.csv:3:", "\"2025..2024\"", "empty"]),
        imp("a.csv", &csv("x,2024,1\nusers,2025,NaN\n"), "", &["a.csv:3:", "\"NaN\"", "not a finite number"]),
        imp("a.csv", &csv("x,2024,1\nusers,2025,\"1,000\"\n"), "", &["a.csv:3:", "\"1,000\"", "1_000"]),
        imp("a.csv", &csv("x,2024,1e400\n"), "", &["a.csv:2:", "\"1e400\"", "out of range"]),
        imp("a.csv", &csv("x,2024,5m\n"), "", &["a.csv:2:", "\"5m\"", "use M for millions"]),
        imp("a.csv", &csv("x,2024,1\nusers,2025,\n"), "", &["a.csv:3:", "no value given"]),
        imp("a.csv", &csv("x,2024,1\n,2025,1\n"), "", &["a.csv:3:", "no series given"]),
        imp("a.csv", &csv("x,2024,1\nusers,,1\n"), "", &["a.csv:3:", "no period given"]),
        imp("a.csv", &csv("x,2024,1\n1users,2025,1\n"), "", &["a.csv:3:", "\"1users\"", "starts with a letter"]),
        imp("a.csv", &csv("x,2024,1\nusers*,2025,1\n"), "", &["a.csv:3:", "\"users*\"", "wildcards"]),
        imp("a.csv", &csv("x,2024,1\nusers{Line=x},2025,1\n"), "", &["a.csv:3:", "\"Line\"", LABEL_KEY_RULE]),
        imp("a.csv", &csv("x,2024,1\n\"users{a=b,a=c}\",2025,1\n"), "", &["a.csv:3:", "label \"a\" given twice"]),
        imp("a.csv", &csv("x,2024,1\n\"users'; DROP TABLE snapshot; --\",2025,1\n"), "", &["a.csv:3:", "users'; DROP TABLE snapshot; --"]),
        imp("a.csv", b"series,period,value\r\nx,2024,1\r\nx,2025,1x\r\n", "", &["a.csv:3:", "\"1x\"", "unknown suffix"]),
        imp("a.csv", b"\xef\xbb\xbfseries,period,value\nx,2024,1x\n", "", &["a.csv:2:", "\"1x\""]),
        // Conflicts with the store and within the file (SPEC §6: as insert).
        imp("a.csv", &csv("x,2024,1\nusers,2023,5\n"), "", &["a.csv:3:", "users already has", "revise"]),
        imp("a.csv", &csv("x,2024,1\nx,2024,2\n"), "", &["a.csv:3:", "x already has 1 for 2024", "revise"]),
        // History columns.
        imp("a.csv", b"series,period,value,revision\nx,2024,1,0\n", "", &["a.csv:2:", "\"0\"", "1, 2, ..."]),
        imp(
            "a.csv",
            b"series,period,value,status,revision,recorded_at\nx,2024,1,bogus,1,2024-01-01T00:00:00Z\n",
            "",
            &["a.csv:2:", "\"bogus\"", "current, superseded or deleted"],
        ),
        imp("a.csv", b"series,period,value,revision,recorded_at\nx,2024,1,1,yesterday\n", "", &["a.csv:2:", "\"yesterday\"", "RFC 3339"]),
        // Binary garbage and bad encodings.
        imp("a.csv", &csv("x,2024,1\n\u{fffd}"), "", &["a.csv:3:"]),
        imp("a.csv", b"series,period,value\nx,2024,1\n\xff\xfe,2025,1\n", "", &["a.csv:3:", "not valid UTF-8"]),
        imp("a.csv", b"\x00\x01\x02\xff\xfe\x89PNG\r\n\x1a\n", "", &["a.csv:1:", "not valid UTF-8"]),
        imp("a.jsonl", b"\xff\xfe\x00garbage\n", "", &["a.jsonl:1:", "UTF-8"]),
        imp("a.tsv", b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00", "", &["a.tsv:1:"]),
        // Wide spreadsheets.
        imp("a.csv", b"period,x,y\n2024,1,2\n2025,1,zz\n", "--wide", &["a.csv:3:", "\"zz\"", NUMBER_EXAMPLE]),
        imp("a.csv", b"period,x,1y\n2024,1,2\n", "--wide", &["a.csv:1:", "\"1y\"", "in the header"]),
        imp("a.csv", b"period\n2024\n", "--wide", &["a.csv:1:", "period,SERIES,SERIES", "\"period\""]),
        imp("a.csv", b"series,x\n2024,1\n", "--wide", &["a.csv:1:", "period,SERIES,SERIES", "\"series,x\""]),
        imp("a.csv", b"period,x\n2024-13,1\n", "--wide", &["a.csv:2:", "\"2024-13\""]),
        imp("a.csv", b"period,x\n2024,1,2\n", "--wide", &["a.csv:2:", "3 fields where the header has 2"]),
        imp("a.csv", b"period,x,users\n2024,1,\n2023,1,5\n", "--wide", &["a.csv:3:", "users already has"]),
        // JSON Lines.
        imp("a.jsonl", &jsonl("{\"series\":\"x\",\"period\":\"2025\",\"value\":"), "", &["a.jsonl:2:", "invalid JSON"]),
        imp("a.jsonl", &jsonl("not json"), "", &["a.jsonl:2:", "invalid JSON"]),
        imp("a.jsonl", &jsonl("[1,2,3]"), "", &["a.jsonl:2:", "a JSON object"]),
        imp("a.jsonl", &jsonl("\"series\""), "", &["a.jsonl:2:", "a JSON object"]),
        imp("a.jsonl", &jsonl("{}"), "", &["a.jsonl:2:", "no series given"]),
        imp("a.jsonl", &jsonl("{\"series\":\"x\",\"period\":\"2025\"}"), "", &["a.jsonl:2:", "no value given"]),
        imp("a.jsonl", &jsonl("{\"series\":\"x\",\"period\":\"2025\",\"value\":null}"), "", &["a.jsonl:2:", "no value given"]),
        imp(
            "a.jsonl",
            &jsonl("{\"series\":\"x\",\"period\":\"2025\",\"value\":1,\"colour\":\"red\"}"),
            "",
            &["a.jsonl:2:", "\"colour\"", "series, period, value"],
        ),
        imp("a.jsonl", &jsonl("{\"series\":\"x\",\"period\":\"2025\",\"value\":\"abc\"}"), "", &["a.jsonl:2:", "\"abc\"", NUMBER_EXAMPLE]),
        imp(
            "a.jsonl",
            &jsonl("{\"series\":\"x\",\"period\":\"2025\",\"value\":\"NaN\"}"),
            "",
            &["a.jsonl:2:", "\"NaN\"", "not a finite number"],
        ),
        imp("a.jsonl", &jsonl("{\"series\":\"x\",\"period\":\"2025\",\"value\":1e400}"), "", &["a.jsonl:2:", "out of range"]),
        imp("a.jsonl", &jsonl("{\"series\":\"x\",\"period\":\"2025\",\"value\":true}"), "", &["a.jsonl:2:", "\"value\"", "found true"]),
        imp(
            "a.jsonl",
            &jsonl("{\"series\":\"x\",\"period\":\"2025\",\"value\":1,\"source\":{\"a\":1}}"),
            "",
            &["a.jsonl:2:", "\"source\""],
        ),
        imp("a.jsonl", &jsonl("{\"series\":1,\"period\":\"2025\",\"value\":1}"), "", &["a.jsonl:2:", "\"1\"", "starts with a letter"]),
        imp(
            "a.jsonl",
            &jsonl("{\"series\":\"x\",\"period\":\"2023-02-29\",\"value\":1}"),
            "",
            &["a.jsonl:2:", "\"2023-02-29\"", "28 days"],
        ),
        imp("a.jsonl", &jsonl("{\"series\":\"x\",\"period\":\"2025\",\"value\":1}{\"a\":1}"), "", &["a.jsonl:2:", "trailing characters"]),
        imp("a.jsonl", &jsonl("{\"series\":\"x y\",\"period\":\"2025\",\"value\":1}"), "", &["a.jsonl:2:", "\"x y\""]),
    ]
}

/// Every case that the binary handles as the SPEC says.
fn corpus() -> Vec<Case> {
    [
        period_cases(),
        value_cases(),
        name_label_string_cases(),
        control_and_encoding_cases(),
        sql_looking_cases(),
        command_cases(),
        query_cases(),
        session_cases(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Cases that were once discrepancies and are now handled as they should
/// be; they run with the corpus.
#[rustfmt::skip]
fn fixed_cases() -> Vec<Case> {
    const READ_ONLY: &str = "read-only|readonly|read only|not allowed";
    let wide_dup = |values: &str| {
        imp("a.csv", format!("period,x,x\n{values}\n").as_bytes(), "--wide", &["a.csv:1:", "\"x\"", "twice|duplicate"])
    };
    vec![
        // SPEC §4: asof is RFC 3339, whose offsets run -23:59..+23:59; jiff
        // reads up to ±25:59, which once shifted the time silently.
        c("growth users over 1y asof 2999-06-12T10:00:00+25:00", &["+25:00", "asof", "-23:59 to +23:59"]),
        c(".asof 2999-06-12T10:00:00+24:00", &["+24:00", "asof", "-23:59 to +23:59"]),
        // `.sql QUERY` (SPEC §6) refuses writes and names what is wrong.
        c(".sql DROP TABLE snapshot", &[READ_ONLY]).forbid("unknown session command"),
        c(".sql DELETE FROM series", &[READ_ONLY]).forbid("unknown session command"),
        c(".sql UPDATE metric SET kind=NULL", &[READ_ONLY]).forbid("unknown session command"),
        c(".sql PRAGMA user_version=99", &[READ_ONLY]).forbid("unknown session command"),
        c(".sql SELECT * FROM nosuch", &["nosuch"]).forbid("unknown session command"),
        c(".sql", &["usage: .sql"]).forbid("unknown session command"),
        // SPEC §6: begin/commit make a block all-or-nothing, so a command
        // that fails to parse inside a block rolls it back too.
        script(
            "begin\ninsert 2024 x=1\nfrob\ncommit\n",
            &[
                ("error: line 3: ", &["unknown command \"frob\""]),
                ("error: line 4: ", &["rolled back"]),
            ],
        ),
        script(
            "begin\ninsert 2024 x=1\ninsert 2024 y=NaN\ncommit\n",
            &[
                ("error: line 3: ", &["\"NaN\""]),
                ("error: line 4: ", &["rolled back"]),
            ],
        ),
        script(
            "begin;insert 2024 x=1;insert 2024 y=1..2;commit\n",
            &[
                ("error: line 1: ", &["\"1..2\""]),
                ("error: line 1: ", &["rolled back"]),
            ],
        ),
        // A series twice in a wide header is named at the header, as a
        // repeated column is in the long layout, whatever the values.
        wide_dup("2024,1,1"),
        wide_dup("2024,1,2"),
        // A key twice in a JSON object is an error, as a repeated CSV
        // column is (rather than the last one silently winning).
        imp(
            "a.jsonl",
            b"{\"series\":\"x\",\"series\":\"y\",\"period\":\"2024\",\"value\":1}\n",
            "",
            &["a.jsonl:1:", "\"series\"", "twice|duplicate"],
        ),
        imp(
            "a.jsonl",
            b"{\"series\":\"x\",\"period\":\"2024\",\"value\":1,\"value\":2}\n",
            "",
            &["a.jsonl:1:", "\"value\"", "twice|duplicate"],
        ),
        // Control characters are refused everywhere, comments included, and
        // in imported sources and notes (which `table` output would
        // otherwise write to a terminal).
        c("insert 2024 x=1 # \u{7} bell", &["U+0007", "not allowed"]),
        c("insert 2024 x=1 # \u{1b}[2J", &["U+001B", "not allowed"]),
        imp("a.csv", b"series,period,value,source\nx,2024,1,\"a\x01b\"\n", "", &["a.csv:2:", "U+0001|control"]),
        imp(
            "a.jsonl",
            b"{\"series\":\"x\",\"period\":\"2024\",\"value\":1,\"note\":\"\\u001b[2J\"}\n",
            "",
            &["a.jsonl:1:", "U+001B|control"],
        ),
        // Extra words after a session command are named, as they are after
        // a command (`unexpected "extra"`).
        c(".mode csv tsv", &["\"tsv\""]),
        c(".help insert extra", &["\"extra\""]),
        c(".read a.growth b.growth", &["\"b.growth\""]),
        c(".import x.csv --narrow", &["\"--narrow\""]),
        c(".export out.csv users --history extra", &["\"extra\""]),
        c(".timer on later", &["\"later\""]),
        c(".quit now", &["\"now\""]),
    ]
}

// ---------------------------------------------------------------------------
// The store before every case

/// A script on top of the Alipay fixture, so that the store holds
/// revisions, deletions, quoted labels and odd text in every table.
const EXTRA: &str = r#"
revise 2023 users=1.01B note="restated"
metric revenue kind=flow unit=CNY desc="'; DROP TABLE snapshot; --"
insert 2024-Q1 revenue{region=cn,channel="Online, app"}=12.5M source="it's \"quoted\""
insert 2024-W10 visits=1k
insert 2024-06 gone=1
delete gone 2024-06
"#;

struct Base {
    /// The store file's bytes.
    bytes: Vec<u8>,
    /// [`dump`] of the store.
    dump: String,
}

fn base() -> &'static Base {
    static BASE: OnceLock<Base> = OnceLock::new();
    BASE.get_or_init(|| {
        let sandbox = crate::common::alipay();
        sandbox.load(EXTRA);
        let db = sandbox.path("store.db");
        // Fold any write-ahead log into the file, so that copying the one
        // file copies the whole store.
        let conn = Connection::open(&db).expect("open the base store");
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .expect("checkpoint");
        drop(conn);
        Base {
            bytes: std::fs::read(&db).expect("read the base store"),
            dump: dump(&db),
        }
    })
}

/// Every row of every table of a store in key order, with its schema and
/// the pragmas stored in its header.
fn dump(db: &Path) -> String {
    let conn = Connection::open(db).expect("open a store to dump it");
    let mut out = String::new();
    for pragma in ["user_version", "application_id", "journal_mode"] {
        let value: Value = conn
            .query_row(&format!("PRAGMA {pragma}"), [], |row| row.get(0))
            .expect("read a pragma");
        out.push_str(&format!("{pragma} = {value:?}\n"));
    }
    let mut objects = conn
        .prepare("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
        .expect("list the schema");
    let objects: Vec<(String, String, String, Option<String>)> = objects
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("read the schema")
        .collect::<Result<_, _>>()
        .expect("read the schema");
    for (kind, name, table, sql) in &objects {
        out.push_str(&format!("{kind} {name} on {table}: {sql:?}\n"));
    }
    for (kind, name, _, _) in &objects {
        if kind != "table" || name.starts_with("sqlite_") {
            continue;
        }
        let columns = conn
            .prepare(&format!("SELECT * FROM \"{name}\""))
            .expect("select a table")
            .column_count();
        let order: Vec<String> = (1..=columns).map(|i| i.to_string()).collect();
        let mut stmt = conn
            .prepare(&format!(
                "SELECT * FROM \"{name}\" ORDER BY {}",
                order.join(", ")
            ))
            .expect("select a table in order");
        let rows = stmt
            .query_map([], |row| {
                (0..columns)
                    .map(|i| row.get::<_, Value>(i))
                    .collect::<Result<Vec<_>, _>>()
            })
            .expect("read a table");
        out.push_str(&format!("table {name}\n"));
        for row in rows {
            out.push_str(&format!("  {:?}\n", row.expect("read a row")));
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Running cases

/// The names in a directory, except the store's transient WAL files.
fn listing(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .expect("list the sandbox")
        .map(|e| {
            e.expect("a directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name != "store.db-wal" && name != "store.db-shm")
        .collect()
}

/// Whether `text` contains `needle` or, for `a|b`, any alternative.
fn contains(text: &str, needle: &str) -> bool {
    needle.split('|').any(|alt| text.contains(alt))
}

/// Runs one case; returns what went wrong, if anything.
fn check(case: &Case) -> Vec<String> {
    let base = base();
    let sandbox = Sandbox::new();
    let db = sandbox.path("store.db");
    std::fs::write(&db, &base.bytes).expect("copy the base store");
    for (name, content) in &case.files {
        std::fs::write(sandbox.path(name), content).expect("write a case file");
    }
    let before = listing(sandbox.dir());

    let out = sandbox
        .command()
        .arg("--db")
        .arg(&db)
        .args(&case.args)
        .write_stdin(case.stdin.clone())
        .timeout(Duration::from_secs(60))
        .output()
        .expect("run growthdb");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut problems = Vec::new();

    if stdout.contains("panicked") || stderr.contains("panicked") {
        problems.push("panicked".to_string());
    }
    if std::str::from_utf8(&out.stderr).is_err() {
        problems.push("stderr is not valid UTF-8".to_string());
    }
    match out.status.code() {
        Some(1) => {}
        code => problems.push(format!("exit status {code:?}, expected 1")),
    }
    if !stdout.is_empty() {
        problems.push(format!("stdout is not empty: {:?}", abbreviate(&stdout)));
    }
    let lines: Vec<&str> = stderr.lines().collect();
    if lines.len() != case.errors.len() {
        problems.push(format!(
            "{} stderr line(s), expected {} error line(s)",
            lines.len(),
            case.errors.len()
        ));
    }
    for (i, line) in lines.iter().enumerate() {
        let Some((prefix, needles)) = case.errors.get(i) else {
            break;
        };
        if !line.starts_with(prefix.as_str()) {
            problems.push(format!(
                "stderr line {} does not start with {prefix:?}",
                i + 1
            ));
        }
        for needle in needles {
            if !contains(line, needle) {
                problems.push(format!("stderr line {} does not name {needle:?}", i + 1));
            }
        }
        for bad in &case.forbid {
            if line.contains(bad.as_str()) {
                problems.push(format!("stderr line {} says {bad:?}", i + 1));
            }
        }
    }

    let bytes = std::fs::read(&db).expect("read the store after the run");
    if bytes != base.bytes {
        problems.push("the store file's bytes changed".to_string());
    }
    let wal = sandbox.path("store.db-wal");
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        problems.push("a write-ahead log was left behind".to_string());
    }
    let after = listing(sandbox.dir());
    if after != before {
        let new: Vec<_> = after.symmetric_difference(&before).collect();
        problems.push(format!("files appeared or vanished: {new:?}"));
    }
    let dumped = dump(&db);
    if dumped != base.dump {
        problems.push(format!(
            "the store's contents changed:\n{}",
            diff(&base.dump, &dumped)
        ));
    }

    if !problems.is_empty() {
        problems.push(format!("stderr: {:?}", abbreviate(&stderr)));
    }
    problems
}

fn abbreviate(text: &str) -> String {
    let short: String = text.chars().take(400).collect();
    if short.len() < text.len() {
        format!("{short}... ({} bytes)", text.len())
    } else {
        short
    }
}

/// The lines of `after` that are not in `before`, and the reverse.
fn diff(before: &str, after: &str) -> String {
    let old: BTreeSet<&str> = before.lines().collect();
    let new: BTreeSet<&str> = after.lines().collect();
    let mut out = String::new();
    for line in old.difference(&new) {
        out.push_str(&format!("      - {}\n", abbreviate(line)));
    }
    for line in new.difference(&old) {
        out.push_str(&format!("      + {}\n", abbreviate(line)));
    }
    out
}

/// Runs every case on a few threads and fails once, listing every case
/// that went wrong.
fn run_all(cases: &[Case]) {
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8));
    base();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(case) = cases.get(i) else { break };
                    let problems = check(case);
                    if !problems.is_empty() {
                        failures.lock().unwrap().push((
                            i,
                            format!("{}\n    {}", case.label, problems.join("\n    ")),
                        ));
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    let report: Vec<String> = failures.into_iter().map(|(_, text)| text).collect();
    assert!(
        report.is_empty(),
        "{} of {} hostile inputs were not handled as expected:\n\n{}",
        report.len(),
        cases.len(),
        report.join("\n\n")
    );
}

// ---------------------------------------------------------------------------
// Tests

#[test]
fn the_corpus_is_large_and_every_case_expects_an_error() {
    let cases = corpus();
    let imports = import_cases();
    assert!(
        cases.len() + imports.len() >= 150,
        "{}",
        cases.len() + imports.len()
    );
    let fixed = fixed_cases();
    for case in cases.iter().chain(&imports).chain(&fixed) {
        assert!(!case.errors.is_empty(), "{}", case.label);
        for (_, needles) in &case.errors {
            assert!(!needles.is_empty(), "{}: nothing to look for", case.label);
        }
    }
}

#[test]
fn hostile_commands_fail_with_one_clear_error_and_change_nothing() {
    if crate::common::sqlite_only("the store file's bytes after each hostile input") {
        return;
    }
    run_all(&corpus());
}

#[test]
fn hostile_import_files_fail_with_one_clear_error_and_change_nothing() {
    if crate::common::sqlite_only("the store file's bytes after each hostile input") {
        return;
    }
    run_all(&import_cases());
}

#[test]
fn once_mishandled_inputs_now_fail_with_one_clear_error_and_change_nothing() {
    if crate::common::sqlite_only("the store file's bytes after each hostile input") {
        return;
    }
    run_all(&fixed_cases());
}
