//! `asof` times: timestamps, days, and what is wrong with the rest.
use super::ts;
use crate::core::parser::parse_asof;

#[test]
fn asof_times() {
    let cases = [
        ("2024-06-12T10:00:00Z", "2024-06-12T10:00:00Z"),
        ("2024-06-12t10:00:00z", "2024-06-12T10:00:00Z"),
        ("2024-06-12T10:00:00+02:00", "2024-06-12T08:00:00Z"),
        ("2024-06-12T10:00:00.25-05:30", "2024-06-12T15:30:00.25Z"),
        ("2024-06-12", "2024-06-12T23:59:59.999999999Z"),
        ("2024-02-29", "2024-02-29T23:59:59.999999999Z"),
        ("1970-01-01", "1970-01-01T23:59:59.999999999Z"),
    ];
    for (text, expected) in cases {
        assert_eq!(parse_asof(text), Ok(ts(expected)), "{text}");
    }
    for (text, message) in [
        (
            "2023-02-29",
            "invalid asof time \"2023-02-29\": 2023-02 has 28 days",
        ),
        (
            "2024-04-31",
            "invalid asof time \"2024-04-31\": 2024-04 has 30 days",
        ),
        (
            "2024-06-00",
            "invalid asof time \"2024-06-00\": 2024-06 has 30 days",
        ),
        (
            "2024-13-01",
            "invalid asof time \"2024-13-01\": month must be 01 to 12",
        ),
        (
            "0000-01-01",
            "invalid asof time \"0000-01-01\": the year must be 0001 to 9999",
        ),
    ] {
        assert_eq!(
            parse_asof(text).map_err(|e| e.to_string()),
            Err(message.to_string()),
            "{text}"
        );
    }
    let expected =
        "expected an RFC 3339 timestamp such as 2024-06-12T10:00:00Z or a day such as 2024-06-12";
    for text in ["", "x", "yesterday", "T10:00:00Z"] {
        assert_eq!(
            parse_asof(text).map_err(|e| e.to_string()),
            Err(format!("invalid asof time \"{text}\": {expected}")),
        );
    }
    for text in [
        "2024",
        "2024-06",
        "2024-06-12T10:00:00",
        "2024-6-12",
        "2024-06-12Z",
        "2024-06-12T25:00:00Z",
    ] {
        let err = parse_asof(text).unwrap_err().to_string();
        let prefix = format!("invalid asof time \"{text}\": {expected} (");
        assert!(err.starts_with(&prefix), "{text}: {err}");
    }
    // The end of the last day lies past the last instant there is.
    assert_eq!(parse_asof("9999-12-31"), Ok(jiff::Timestamp::MAX));
    assert_eq!(parse_asof("9999-12-30"), Ok(jiff::Timestamp::MAX));
    let err = parse_asof("9999-12-31T10:00:00Z").unwrap_err().to_string();
    assert_eq!(
        err,
        "invalid asof time \"9999-12-31T10:00:00Z\": times run up to 9999-12-30T22:00:00.999999999Z; a day such as 9999-12-31 means everything recorded"
    );
    // jiff reads offsets up to 25:59; RFC 3339 stops at 23:59.
    assert_eq!(
        parse_asof("2024-06-12T10:00:00-23:59"),
        Ok(ts("2024-06-13T09:59:00Z"))
    );
    for (text, hours) in [
        ("2999-06-12T10:00:00+25:00", "25"),
        ("2999-06-12T10:00:00+24:00", "24"),
        ("2024-06-12T10:00:00.5-24:30", "24"),
    ] {
        let err = parse_asof(text).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!(
                "invalid asof time \"{text}\": the offset +/-{hours}:MM"
            )),
            "{err}"
        );
        assert!(err.contains("-23:59 to +23:59"), "{err}");
    }
}
