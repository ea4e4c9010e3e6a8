//! `calendar [fiscal_year_start=MONTH] [fiscal_year_label=end|start]`.
use super::*;
use crate::core::command::CalendarSettings;
use crate::core::period::FiscalLabel;

fn settings(start_month: Option<i8>, label: Option<FiscalLabel>) -> Command {
    Command::Calendar(CalendarSettings { start_month, label })
}

#[test]
fn calendar_forms() {
    assert_parses(vec![
        ("calendar", settings(None, None)),
        ("CALENDAR", settings(None, None)),
        ("calendar fiscal_year_start=4", settings(Some(4), None)),
        ("calendar fiscal_year_start=04", settings(Some(4), None)),
        ("calendar fiscal_year_start=april", settings(Some(4), None)),
        ("calendar fiscal_year_start=Apr", settings(Some(4), None)),
        (
            "calendar FISCAL_YEAR_START=SEPTEMBER",
            settings(Some(9), None),
        ),
        ("calendar fiscal_year_start=12", settings(Some(12), None)),
        (
            "calendar fiscal_year_label=start",
            settings(None, Some(FiscalLabel::Start)),
        ),
        (
            "calendar fiscal_year_label=END fiscal_year_start=jul",
            settings(Some(7), Some(FiscalLabel::End)),
        ),
    ]);
    assert!(!parse("calendar").writes());
    assert!(parse("calendar fiscal_year_label=end").writes());
}

#[test]
fn calendar_errors() {
    assert_errors(&[
        (
            "calendar fiscal_year_start=13",
            28,
            "invalid month \"13\" after \"fiscal_year_start=\"; expected 1 to 12, or an English month name or its three-letter abbreviation (april, apr)",
        ),
        (
            "calendar fiscal_year_start=ap",
            28,
            "invalid month \"ap\" after \"fiscal_year_start=\"; expected 1 to 12, or an English month name or its three-letter abbreviation (april, apr)",
        ),
        (
            "calendar fiscal_year_start=0",
            28,
            "invalid month \"0\" after \"fiscal_year_start=\"; expected 1 to 12, or an English month name or its three-letter abbreviation (april, apr)",
        ),
        (
            "calendar fiscal_year_start",
            27,
            "unexpected end of command; expected \"=\" after \"fiscal_year_start\"",
        ),
        (
            "calendar fiscal_year_start=",
            28,
            "unexpected end of command; expected a month after \"fiscal_year_start=\" (1 to 12, or a name such as april or apr)",
        ),
        (
            "calendar fiscal_year_label=middle",
            28,
            "unknown fiscal year label \"middle\"; expected end (the year in which the fiscal year ends) or start",
        ),
        (
            "calendar fiscal_year_start=1 fiscal_year_start=2",
            30,
            "\"fiscal_year_start\" given twice",
        ),
        (
            "calendar start=4",
            10,
            "unexpected \"start\"; expected fiscal_year_start=MONTH or fiscal_year_label=end|start",
        ),
    ]);
}
