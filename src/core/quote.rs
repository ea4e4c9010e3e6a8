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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_at_a_character_boundary() {
        assert_eq!(bounded("short"), "short");
        let exact = "é".repeat(QUOTED_CHARS);
        assert_eq!(bounded(&exact), exact);
        let long = "é".repeat(QUOTED_CHARS + 1);
        assert_eq!(bounded(&long), format!("{}…", "é".repeat(QUOTED_CHARS)));
    }
}
