//! Syntax errors in commands, clauses, selectors and label sets.
use super::{COMMANDS, assert_errors};

#[test]
fn syntax_errors() {
    let commands =
        format!("unknown command \"grwth\" (did you mean \"growth\"?); expected {COMMANDS}");
    assert_errors(&[
        ("grwth users", 1, &commands),
        (
            "{a=b}",
            1,
            &format!("expected a command ({COMMANDS}), found \"{{\""),
        ),
        (
            "\"growth\"",
            1,
            &format!("expected a command ({COMMANDS}), found the string \"growth\""),
        ),
        // growth
        (
            "growth users form 2023 to 2024",
            14,
            "expected \"from\" or \"over\" after the selector, found \"form\"",
        ),
        (
            "growth users",
            13,
            "unexpected end of command; expected \"from\" or \"over\" after the selector",
        ),
        (
            "growth",
            7,
            "unexpected end of command; expected a metric name or pattern after \"growth\"",
        ),
        (
            "growth users from",
            18,
            "unexpected end of command; expected a period, earliest or latest after \"from\"",
        ),
        (
            "growth users from earliest",
            27,
            "unexpected end of command; expected \"to\" after the start of the range",
        ),
        (
            "growth users from earliest latest",
            28,
            "expected \"to\" after the start of the range, found \"latest\"",
        ),
        (
            "growth users from earliest to",
            30,
            "unexpected end of command; expected a period, earliest or latest after \"to\"",
        ),
        (
            "growth users from earliest to latest limit 5 limit 6",
            46,
            "\"limit\" given twice",
        ),
        (
            "growth users from earliest to latest by a BY b",
            43,
            "\"by\" given twice",
        ),
        (
            "growth users from earliest to latest sort change sort years",
            50,
            "\"sort\" given twice",
        ),
        (
            "growth users from earliest to latest asof 2024-01-01 asof 2024-01-02",
            54,
            "\"asof\" given twice",
        ),
        (
            "growth users from earliest to latest to latest",
            38,
            "\"to\" given twice",
        ),
        (
            "growth users from earliest to latest from earliest",
            38,
            "\"from\" given twice",
        ),
        (
            "growth users from earliest to latest over 1y",
            38,
            "\"over\" cannot be combined with \"from\"",
        ),
        (
            "growth users from earliest to latest limit",
            43,
            "unexpected end of command; expected a number after \"limit\"",
        ),
        (
            "growth users from earliest to latest limit -1",
            44,
            "invalid limit \"-1\"; expected a non-negative integer",
        ),
        (
            "growth users from earliest to latest limit 1e3",
            44,
            "invalid limit \"1e3\"; expected a non-negative integer",
        ),
        (
            "growth users from earliest to latest limit 18446744073709551616",
            44,
            "invalid limit \"18446744073709551616\"; expected a non-negative integer",
        ),
        (
            "growth users from earliest to latest sort growth",
            43,
            "unknown sort field \"growth\"; expected one of from_value, to_value, change, change_pct, multiple, years, cagr_pct, change_pp, share_pct",
        ),
        (
            "growth users from earliest to latest sort",
            42,
            "unexpected end of command; expected a field after \"sort\"",
        ),
        (
            "growth users from earliest to latest sort change up",
            50,
            "unexpected \"up\"; expected by, sort, limit, trailing or asof",
        ),
        (
            "growth users from earliest to latest by Line",
            41,
            "invalid label key \"Line\" after \"by\"; expected lowercase letters, digits and \"_\", not starting with a digit",
        ),
        (
            "growth users from earliest to latest by",
            40,
            "unexpected end of command; expected a label key after \"by\"",
        ),
        (
            "growth users from earliest to latest asof",
            42,
            "unexpected end of command; expected a time after \"asof\"",
        ),
        (
            "growth users from earliest to latest asof {",
            43,
            "expected a time after \"asof\", found \"{\"",
        ),
        (
            "growth users from earliest to latest asof 2024-02-30",
            43,
            "invalid asof time \"2024-02-30\": 2024-02 has 29 days",
        ),
        (
            "growth users from earliest to latest whatever",
            38,
            "unexpected \"whatever\"; expected by, sort, limit, trailing or asof",
        ),
        (
            "growth users from earliest to latest \"x\"",
            38,
            "unexpected the string \"x\"; expected by, sort, limit, trailing or asof",
        ),
        (
            "growth users from earliest to latest = 5",
            38,
            "unexpected \"=\"; expected by, sort, limit, trailing or asof",
        ),
        // selectors and labels
        (
            "growth users {a=b} from earliest to latest",
            14,
            "unexpected space before \"{\"; labels must follow the metric name directly, as in users{...}",
        ),
        (
            "growth users{line=payment",
            13,
            "unterminated label set \"{line=payment\"; expected \"}\"",
        ),
        (
            "growth users{ line = \"a b\" ,",
            13,
            "unterminated label set \"{ line = \"a b\" ,\"; expected \"}\"",
        ),
        (
            "growth users{line=payment from earliest to latest",
            27,
            "expected \",\" or \"}\" after label \"line\", found \"from\"",
        ),
        (
            "growth users{a=1,} from earliest to latest",
            18,
            "expected a label key, found \"}\"",
        ),
        (
            "growth users{a=1,a=2} from earliest to latest",
            18,
            "label \"a\" given twice",
        ),
        (
            "growth users{A=1} from earliest to latest",
            14,
            "invalid label key \"A\"; expected lowercase letters, digits and \"_\", not starting with a digit",
        ),
        (
            "growth users{1a=1} from earliest to latest",
            14,
            "invalid label key \"1a\"; expected lowercase letters, digits and \"_\", not starting with a digit",
        ),
        (
            "growth users{a b} from earliest to latest",
            16,
            "expected \"=\" after label key \"a\", found \"b\"",
        ),
        (
            "growth users{a=} from earliest to latest",
            16,
            "expected a label value after \"a=\", found \"}\"",
        ),
        (
            "growth users{a=x:y} from earliest to latest",
            16,
            "invalid label value \"x:y\"; a value with characters other than letters, digits, \"_\", \".\" and \"-\" must be double-quoted",
        ),
        (
            "growth users{a=1}{b=2} from earliest to latest",
            18,
            "expected \"from\" or \"over\" after the selector, found \"{\"",
        ),
        (
            "growth 2024 from earliest to latest",
            8,
            "invalid metric name \"2024\": a metric name starts with a letter",
        ),
        (
            "growth us%ers from earliest to latest",
            8,
            "invalid metric name \"us%ers\": \"%\" is not allowed; use letters, digits, \"_\", \".\" or \"-\"",
        ),
        (
            "growth \"users\" from earliest to latest",
            8,
            "expected a metric name or pattern after \"growth\", found the string \"users\"",
        ),
        // series
        (
            "series users every fortnight",
            20,
            "unknown granularity \"fortnight\"; expected year, half, quarter, month, week, day, fiscal_year, fiscal_half or fiscal_quarter",
        ),
        (
            "series users from 2020 trailing 12m",
            24,
            "\"trailing\" needs \"every\": series SELECTOR every GRAIN trailing SPAN",
        ),
        (
            "series users every month trailing 0m",
            35,
            "invalid span \"0m\": a span must be at least 1",
        ),
        (
            "series users every month trailing 1m trailing 2m",
            38,
            "\"trailing\" given twice",
        ),
        (
            "growth users from 2020 to 2024 every month",
            32,
            "\"every\" needs \"over SPAN\": growth SELECTOR over SPAN every GRAIN [from PERIOD] [to PERIOD]",
        ),
        (
            "growth users over 1y every month limit 3",
            34,
            "\"limit\" with \"every\" keeps the first rows of each step by the sort field; add \"sort FIELD\"",
        ),
        (
            "growth users over 1y every month every day",
            34,
            "\"every\" given twice",
        ),
        (
            "growth users over 1y every month from 2020 from 2021",
            44,
            "\"from\" given twice",
        ),
        (
            "growth users over 1y to 2024 every month to 2024",
            42,
            "\"to\" given twice",
        ),
        (
            "growth users over 1y trailing",
            30,
            "unexpected end of command; expected a span such as 1y or 3m after \"trailing\"",
        ),
        (
            "series users every day every week",
            24,
            "\"every\" given twice",
        ),
        (
            "series users from earliest",
            19,
            "\"earliest\" is allowed only in growth; leave out \"from\" to include every period",
        ),
        (
            "series users to LATEST",
            17,
            "\"LATEST\" is allowed only in growth; leave out \"to\" to include every period",
        ),
        (
            "series users by line",
            14,
            "unexpected \"by\"; expected from, to, every, trailing or asof",
        ),
        (
            "series users asof",
            18,
            "unexpected end of command; expected a time after \"asof\"",
        ),
        (
            "series users{",
            13,
            "unterminated label set \"{\"; expected \"}\"",
        ),
        // metrics
        (
            "metrics users{a=b}",
            14,
            "labels are not allowed after \"metrics\"; it lists metrics, not series",
        ),
        (
            "metrics a b",
            11,
            "unexpected \"b\"; expected end of command",
        ),
        (
            "metrics 1x",
            9,
            "invalid metric name \"1x\": a metric name starts with a letter",
        ),
        // metric
        (
            "metric",
            7,
            "unexpected end of command; expected a metric name or pattern after \"metric\"",
        ),
        (
            "metric creators.*",
            18,
            "unexpected end of command; expected kind=, unit= or desc= to set on every metric matching \"creators.*\"",
        ),
        (
            "metric 1* kind=stock",
            8,
            "invalid metric name \"1*\": a metric name starts with a letter",
        ),
        (
            "metric users{a=b}",
            13,
            "labels are not allowed after \"metric\"; a metric covers all its series",
        ),
        (
            "metric users kind=level",
            19,
            "unknown kind \"level\"; expected stock, flow, average, ratio or distinct",
        ),
        (
            "metric users kind=flow KIND=stock",
            24,
            "\"kind\" given twice",
        ),
        ("metric users kind=flow kind", 24, "\"kind\" given twice"),
        (
            "growth users from earliest to latest limit 1 limit",
            46,
            "\"limit\" given twice",
        ),
        ("series users from 2020 FROM", 24, "\"from\" given twice"),
        ("metric users unit=a unit=b", 21, "\"unit\" given twice"),
        (
            "metric users desc=word",
            19,
            "expected a quoted string after \"desc=\", found \"word\"",
        ),
        (
            "metric users colour=red",
            14,
            "unexpected \"colour\"; expected kind=, unit= or desc=",
        ),
        (
            "metric users kind",
            18,
            "unexpected end of command; expected \"=\" after \"kind\"",
        ),
        (
            "metric users kind=",
            19,
            "unexpected end of command; expected a kind after \"kind=\"",
        ),
        (
            "metric users unit={",
            19,
            "expected a unit after \"unit=\", found \"{\"",
        ),
    ]);
}
