//! Input quoted back in messages: bounded, so that a huge word or field
//! does not make a huge error line.

use std::borrow::Cow;

/// At most this many characters of offending text are quoted.
pub const QUOTED_CHARS: usize = 80;

/// `text` whole when short, else its first [`QUOTED_CHARS`] characters
/// and `…`.
pub fn bounded(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(QUOTED_CHARS) {
        None => Cow::Borrowed(text),
        Some((end, _)) => Cow::Owned(format!("{}…", &text[..end])),
    }
}

/// Text for a terminal with its control characters made visible (`\n`,
/// `\r`, `\u{1b}`), so that text from files, the store or the command
/// line cannot move the cursor, change colours or split a line. Tabs stay.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// [`escape_controls`] for a table cell, whose format shows line ends
/// itself (as a line break in a table, `<br>` in markdown).
pub fn escape_controls_in_cell(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

fn escape(text: &str, keep_line_ends: bool) -> Cow<'_, str> {
    let kept = |c: char| c == '\t' || (keep_line_ends && matches!(c, '\n' | '\r'));
    if !text.chars().any(|c| c.is_control() && !kept(c)) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if kept(c) => escaped.push(c),
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            c if c.is_control() => escaped.extend(c.escape_unicode()),
            c => escaped.push(c),
        }
    }
    Cow::Owned(escaped)
}

/// Unquoted runs of text without spaces (a number, a path) are cut later.
const UNQUOTED_CHARS: usize = 200;
/// A whole message is cut after this many characters.
const MESSAGE_CHARS: usize = 2_000;

/// A message with every quoted part (`"..."`) cut to [`QUOTED_CHARS`]
/// characters, every other run without spaces to 200, and the whole to
/// 2,000, each cut marked with `…`: whatever input a message quotes, its
/// line stays short.
pub fn bound_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(MESSAGE_CHARS + 8));
    let (mut in_quote, mut escaped, mut skipping) = (false, false, false);
    let (mut count, mut total) = (0usize, 0usize);
    for c in message.chars() {
        if total >= MESSAGE_CHARS {
            out.push('…');
            break;
        }
        let boundary = !escaped && (c == '"' || (!in_quote && c.is_whitespace()));
        escaped = in_quote && !escaped && c == '\\';
        if boundary {
            in_quote ^= c == '"';
            count = 0;
            skipping = false;
        } else if skipping {
            continue;
        } else {
            count += 1;
            let limit = if in_quote {
                QUOTED_CHARS
            } else {
                UNQUOTED_CHARS
            };
            if count > limit {
                out.push('…');
                skipping = true;
                continue;
            }
        }
        out.push(c);
        total += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_quote_a_bounded_part_of_their_input() {
        let word = "x".repeat(1000);
        let cut = format!("{}…", "x".repeat(QUOTED_CHARS));
        assert_eq!(
            bound_message(&format!("unknown command \"{word}\"; expected")),
            format!("unknown command \"{cut}\"; expected")
        );
        let spaced = "a b ".repeat(100);
        let message = bound_message(&format!("bad \"{spaced}\" here"));
        assert!(message.ends_with("…\" here"), "{message}");
        let digits = "9".repeat(300);
        assert_eq!(
            bound_message(&format!("a has {digits} for 2024")),
            format!("a has {}… for 2024", "9".repeat(200))
        );
        let escaped = bound_message(r#"value "a\"b" after"#);
        assert_eq!(escaped, r#"value "a\"b" after"#);
        assert_eq!(bound_message("short \"ok\""), "short \"ok\"");
        let many = "ab ".repeat(5000);
        assert_eq!(bound_message(&many).chars().count(), MESSAGE_CHARS + 1);
    }

    #[test]
    fn control_characters_are_made_visible() {
        assert_eq!(escape_controls("a\tb"), "a\tb");
        assert_eq!(escape_controls("a\u{1b}[31mb\nc\r"), "a\\u{1b}[31mb\\nc\\r");
        assert_eq!(escape_controls("\u{9b}x"), "\\u{9b}x");
    }

    #[test]
    fn long_text_is_cut_at_a_character_boundary() {
        assert_eq!(bounded("short"), "short");
        let exact = "é".repeat(QUOTED_CHARS);
        assert_eq!(bounded(&exact), exact);
        let long = "é".repeat(QUOTED_CHARS + 1);
        assert_eq!(bounded(&long), format!("{}…", "é".repeat(QUOTED_CHARS)));
    }
}
