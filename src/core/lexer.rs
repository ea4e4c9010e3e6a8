//! Splits one line of the command language into tokens.
//!
//! Periods, values, names, keywords, spans and timestamps all lex as one
//! [`TokenKind::Word`]; the parser interprets words in context, because the
//! same text (`2024`, `1y`, `users`) means different things in different places.
//!
//! Bulk input runs every line through here, so tokens borrow from the line
//! instead of owning their text: lexing allocates only the token vector and,
//! for a string with escapes, its decoded content.
use std::borrow::Cow;

use super::parse_error::ParseError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A bare run of [`is_word_char`] characters.
    Word,
    /// A double-quoted string; the token's text is the decoded content.
    Str,
    LBrace,
    RBrace,
    Eq,
    Comma,
    Semi,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    pub kind: TokenKind,
    /// The source text, except for [`TokenKind::Str`]: the decoded content,
    /// which is owned only when the string has escapes.
    pub text: Cow<'a, str>,
    /// The token as written in the line; see [`Token::source`].
    source: &'a str,
    /// 1-based, in characters.
    pub column: usize,
    /// Whether whitespace comes right before the token. The parser needs it
    /// because labels must follow the metric name directly (`users{a=b}`) and
    /// because `1,000` (no spaces) is a mistyped number, not a list.
    pub spaced: bool,
}

impl<'a> Token<'a> {
    /// The token as it was written: for a string, quotes and escapes included.
    pub fn source(&self) -> &'a str {
        self.source
    }

    /// The number of characters the token occupies in the line.
    pub fn width(&self) -> usize {
        self.source.chars().count()
    }

    /// The column right after the token.
    pub fn end_column(&self) -> usize {
        self.column + self.width()
    }
}

/// One `;`-separated statement of a line, without its comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Statement<'a> {
    pub text: &'a str,
    /// Where the statement starts in the line: 1-based, in characters.
    pub column: usize,
}

/// Follows a scan of text in and out of double-quoted strings, whose `\"`
/// and `\\` escapes do not end them.
#[derive(Debug, Default, Clone, Copy)]
pub struct Quotes {
    inside: bool,
    escaped: bool,
}

impl Quotes {
    /// Takes the next character; true when it is part of a string, its
    /// quotes included.
    pub fn step(&mut self, c: char) -> bool {
        if self.inside {
            match c {
                _ if self.escaped => self.escaped = false,
                '\\' => self.escaped = true,
                '"' => self.inside = false,
                _ => {}
            }
            true
        } else {
            self.inside = c == '"';
            self.inside
        }
    }

    /// Whether the text so far ends inside a string.
    pub fn inside(&self) -> bool {
        self.inside
    }
}

/// Splits a line at each `;` outside double quotes and drops what follows a
/// `#` outside quotes, skipping blank statements. Session commands
/// (`.mode csv; metrics # note`) split the same way as commands.
pub fn split_statements(line: &str) -> Vec<Statement<'_>> {
    // `;`, `#`, `"` and `\` are ASCII, and a byte of a longer character is
    // never ASCII: scanning bytes finds the same places as scanning
    // characters, and columns are counted only where a statement starts.
    // Most lines have none of the first three, which one pass without
    // branches shows.
    if is_plain(line) {
        return if line.trim().is_empty() {
            Vec::new()
        } else {
            vec![Statement {
                text: line,
                column: 1,
            }]
        };
    }
    let mut statements = Vec::with_capacity(1);
    let mut start = 0;
    let mut quotes = Quotes::default();
    let mut end = line.len();
    for (at, &byte) in line.as_bytes().iter().enumerate() {
        if quotes.step(char::from(byte)) {
            continue;
        }
        match byte {
            b'#' => {
                end = at;
                break;
            }
            b';' => {
                statements.push(Statement {
                    text: &line[start..at],
                    column: column_at(line, start),
                });
                start = at + 1;
            }
            _ => {}
        }
    }
    statements.push(Statement {
        text: &line[start..end],
        column: column_at(line, start),
    });
    statements.retain(|s| !s.text.trim().is_empty());
    statements
}

/// Whether a line has no `;`, `#` or `"`: then it is one statement (or a
/// blank one), which [`split_statements`] gives as the whole line.
pub fn is_plain(line: &str) -> bool {
    line.bytes()
        .fold(true, |plain, b| plain & !matches!(b, b';' | b'#' | b'"'))
}

/// The 1-based column (in characters) of byte `at` of `line`.
fn column_at(line: &str, at: usize) -> usize {
    line[..at].chars().count() + 1
}

/// The first control character of `text` other than tab, and its 1-based
/// column (in characters): the language allows none, anywhere.
pub fn find_control(text: &str) -> Option<(usize, char)> {
    // Most lines are printable ASCII throughout, which a byte test shows;
    // only a line with something else is walked character by character.
    if printable_ascii(text.as_bytes()) {
        return None;
    }
    text.chars()
        .enumerate()
        .find(|&(_, c)| c.is_control() && c != '\t')
        .map(|(i, c)| (i + 1, c))
}

/// Whether every byte is printable ASCII or a tab: eight bytes at a time,
/// as every line of bulk input is looked at.
fn printable_ascii(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGHS: u64 = ONES << 7;
    let mut words = bytes.chunks_exact(8);
    for chunk in &mut words {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        // A byte below 0x20 borrows into its high bit when 0x20 is taken
        // from it, a byte of 0x7f carries into it when 1 is added, and
        // non-ASCII has it set: any of them, or a tab, takes the byte
        // by byte test (which a borrow or carry may also send there).
        let below = word.wrapping_sub(ONES * 0x20);
        let delete = word.wrapping_add(ONES);
        if (word | below | delete) & HIGHS != 0 {
            return bytes.iter().all(|&b| matches!(b, b' '..=b'~' | b'\t'));
        }
    }
    words
        .remainder()
        .iter()
        .all(|&b| matches!(b, b' '..=b'~' | b'\t'))
}

/// What a line leaves open at its end, outside comments: `"` for a string,
/// `{` for a label set. The prompt reads on until it is closed.
pub fn unclosed(line: &str) -> Option<char> {
    let mut quotes = Quotes::default();
    let mut brace = false;
    for c in line.chars() {
        if quotes.step(c) {
            continue;
        }
        match c {
            '#' => break,
            '{' => brace = true,
            '}' | ';' => brace = false,
            _ => {}
        }
    }
    if quotes.inside() {
        Some('"')
    } else if brace {
        Some('{')
    } else {
        None
    }
}

/// Characters of a bare word: names, keywords, numbers with suffixes,
/// periods (`2024-Q1..2024-Q3`), spans, patterns (`creators.*`),
/// timestamps (`2024-06-12T10:00:00+02:00`), units (`m/s`) and a chart's
/// file (`charts/x.svg`).
pub fn is_word_char(c: char) -> bool {
    u8::try_from(c).is_ok_and(is_word_byte)
}

/// [`is_word_char`] of one byte, looked up: the lexer asks it of nearly
/// every byte of bulk input.
fn is_word_byte(byte: u8) -> bool {
    WORD_BYTES[usize::from(byte)]
}

const WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric()
            || matches!(c, b'_' | b'.' | b'*' | b'%' | b'+' | b':' | b'-' | b'/');
        b += 1;
    }
    table
};

/// Lexes one line. `#` outside quotes starts a comment; `;` is a token (the
/// parser splits statements on it).
pub fn lex(line: &str) -> Result<Vec<Token<'_>>, ParseError> {
    // Control characters are errors anywhere, comments and strings included,
    // so check the whole line before anything else.
    if let Some((column, c)) = find_control(line) {
        return Err(ParseError::new(
            column,
            format!("control character U+{:04X} is not allowed", c as u32),
        ));
    }

    // Room for a typical insert line's tokens, so the vector is allocated once.
    let mut tokens = Vec::with_capacity(16);
    let bytes = line.as_bytes();
    // `at` is a byte offset and `column` the 1-based column (in characters)
    // of the same place; they part only inside strings, the one place
    // where non-ASCII is allowed.
    let (mut at, mut column) = (0, 1);
    let mut spaced = false;
    while let Some(&byte) = bytes.get(at) {
        let kind = match byte {
            b' ' | b'\t' => {
                spaced = true;
                at += 1;
                column += 1;
                continue;
            }
            b'#' => {
                // The rest of the line is a comment, but the spec forbids
                // non-ASCII outside quotes, comments not excepted.
                check_ascii(&line[at..], column)?;
                break;
            }
            b'{' => TokenKind::LBrace,
            b'}' => TokenKind::RBrace,
            b'=' => TokenKind::Eq,
            b',' => TokenKind::Comma,
            b';' => TokenKind::Semi,
            b'"' => TokenKind::Str,
            _ if is_word_byte(byte) => TokenKind::Word,
            _ => return Err(unexpected_character(&line[at..], column)),
        };
        let start = at;
        let text = match kind {
            TokenKind::Str => {
                let (text, end) = lex_string(line, start, column)?;
                at = end;
                text
            }
            TokenKind::Word => {
                at += bytes[at..].iter().take_while(|&&b| is_word_byte(b)).count();
                Cow::Borrowed(&line[start..at])
            }
            _ => {
                at += 1;
                Cow::Borrowed(&line[start..at])
            }
        };
        let source = &line[start..at];
        tokens.push(Token {
            kind,
            text,
            source,
            column,
            spaced,
        });
        column += match kind {
            TokenKind::Str => source.chars().count(),
            _ => source.len(),
        };
        spaced = false;
    }
    Ok(tokens)
}

/// One word of a session command line (`.read "my file.growth"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<'a> {
    /// The decoded content for a quoted word; the text as written otherwise.
    pub text: Cow<'a, str>,
    /// 1-based, in characters.
    pub column: usize,
    /// Whether the word was a double-quoted string (never a flag).
    pub quoted: bool,
}

/// Splits a session command line into words at whitespace. A word that
/// starts with a double quote is a string, decoded exactly as [`lex`]
/// decodes strings; a quote inside a bare word is kept as written, so that
/// a selector such as `pop{country="Korea, Dem. Rep."}` stays one word.
/// Session commands take paths (`data/a.csv`), so a bare word is any run
/// of non-blank characters, not only [`is_word_char`]s.
pub fn words(line: &str) -> Result<Vec<Word<'_>>, ParseError> {
    let mut words = Vec::new();
    let mut chars = line.char_indices().enumerate().peekable();
    while let Some(&(column, (at, c))) = chars.peek() {
        let column = column + 1;
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if c == '"' {
            let (text, end) = lex_string(line, at, column)?;
            words.push(Word {
                text,
                column,
                quoted: true,
            });
            while chars.next_if(|&(_, (i, _))| i < end).is_some() {}
            continue;
        }
        let mut quotes = Quotes::default();
        let mut end = line.len();
        while let Some(&(_, (i, c))) = chars.peek() {
            if !quotes.step(c) && c.is_whitespace() {
                end = i;
                break;
            }
            chars.next();
        }
        words.push(Word {
            text: Cow::Borrowed(&line[at..end]),
            column,
            quoted: false,
        });
    }
    Ok(words)
}

/// The error for the character that `rest` starts with, which starts no token.
fn unexpected_character(rest: &str, column: usize) -> ParseError {
    let c = rest.chars().next().expect("the lexer stops at the end");
    match c {
        _ if !c.is_ascii() => non_ascii(c, column),
        '\'' => ParseError::new(
            column,
            "unexpected character \"'\"; strings use double quotes",
        ),
        _ => ParseError::new(column, format!("unexpected character \"{c}\"")),
    }
}

fn non_ascii(c: char, column: usize) -> ParseError {
    ParseError::new(
        column,
        format!(
            "non-ASCII character \"{c}\" (U+{:04X}) outside quotes",
            c as u32
        ),
    )
}

/// Rejects non-ASCII characters in a comment, which starts at `column`.
fn check_ascii(comment: &str, column: usize) -> Result<(), ParseError> {
    // Up to the first non-ASCII character, bytes and characters agree.
    match comment.char_indices().find(|(_, c)| !c.is_ascii()) {
        Some((offset, c)) => Err(non_ascii(c, column + offset)),
        None => Ok(()),
    }
}

/// Decodes the string whose opening quote is at byte `open` of `line`, in
/// `column`; returns the content and the byte offset after the closing quote.
/// The content borrows from the line unless escapes make it differ.
fn lex_string(line: &str, open: usize, column: usize) -> Result<(Cow<'_, str>, usize), ParseError> {
    let rest = &line[open + 1..];
    // Made at the first escape: the content so far, then each run of
    // source text (from `copied` on) as the next escape or the end shows it.
    let mut decoded: Option<String> = None;
    let mut copied = 0;
    let mut chars = rest.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                let text = match decoded {
                    None => Cow::Borrowed(&rest[..i]),
                    Some(mut text) => {
                        text.push_str(&rest[copied..i]);
                        Cow::Owned(text)
                    }
                };
                return Ok((text, open + 1 + i + 1));
            }
            '\\' => match chars.next() {
                Some((escaped, '"' | '\\')) => {
                    // Drop the backslash; the escaped character starts the next run.
                    decoded
                        .get_or_insert_with(String::new)
                        .push_str(&rest[copied..i]);
                    copied = escaped;
                }
                Some((_, c)) => {
                    let backslash = column + 1 + rest[..i].chars().count();
                    return Err(ParseError::new(
                        backslash,
                        format!(
                            "invalid escape \"\\{c}\" in string; only \\\" and \\\\ are allowed"
                        ),
                    ));
                }
                None => break,
            },
            _ => {}
        }
    }
    Err(ParseError::new(column, "unterminated string starting here"))
}

#[cfg(test)]
mod tests {

    #[test]
    fn printable_ascii_is_told_from_anything_else_at_every_place() {
        for bad in [0u8, b'\t', 0x1f, 0x7f, 0x80, 0xff] {
            for len in 0..20 {
                for at in 0..len {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = bad;
                    let naive = bytes.iter().all(|&b| matches!(b, b' '..=b'~' | b'\t'));
                    assert_eq!(printable_ascii(&bytes), naive, "{bad:#x} at {at} of {len}");
                }
                let edges: Vec<u8> = (0..len).map(|i| [b' ', b'~'][i % 2]).collect();
                assert!(printable_ascii(&edges));
            }
        }
    }
    #[test]
    fn statements_split_at_semicolons_outside_strings() {
        let split = |line| -> Vec<(&str, usize)> {
            super::split_statements(line)
                .into_iter()
                .map(|s| (s.text, s.column))
                .collect()
        };
        assert_eq!(split("insert 2024 a=1"), [("insert 2024 a=1", 1)]);
        assert_eq!(split("  "), []);
        assert_eq!(split("a; b ;;c"), [("a", 1), (" b ", 3), ("c", 8)]);
        assert_eq!(split(r#"a "x;y\";z" # b; c"#), [(r#"a "x;y\";z" "#, 1)]);
        assert_eq!(
            split(r#"a "ü\"; ü"; b"#),
            [(r#"a "ü\"; ü""#, 1), (" b", 12)]
        );
        assert_eq!(split("# all comment; x"), []);
    }

    /// The front end takes a plain line as its one statement without
    /// splitting it: the split must agree on every such line.
    #[test]
    fn a_plain_line_is_its_one_statement() {
        let pieces = [
            "",
            " ",
            "insert",
            "2024",
            "a{b=c}=1",
            ".sql",
            "\\",
            "é",
            "\t",
            ".mode csv",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let line = format!("{a}{b} {c}");
                    assert!(super::is_plain(&line));
                    let expected: Vec<_> = if line.trim().is_empty() {
                        vec![]
                    } else {
                        vec![super::Statement {
                            text: &line,
                            column: 1,
                        }]
                    };
                    assert_eq!(super::split_statements(&line), expected, "{line:?}");
                }
            }
        }
        for line in ["a;b", "a # b", "a \"b\""] {
            assert!(!super::is_plain(line));
        }
    }

    #[test]
    fn control_characters_are_found_by_column() {
        use super::find_control;
        assert_eq!(find_control("insert 2024 a=1\tb"), None);
        assert_eq!(find_control("ü \"x\""), None);
        assert_eq!(find_control("ab\u{7f}"), Some((3, '\u{7f}')));
        assert_eq!(find_control("üé\u{85}"), Some((3, '\u{85}')));
        assert_eq!(find_control("a\rb\n"), Some((2, '\r')));
    }

    #[test]
    fn word_characters() {
        for c in (0..=0x2ff).filter_map(char::from_u32) {
            let expected = c.is_ascii_alphanumeric()
                || matches!(c, '_' | '.' | '*' | '%' | '+' | ':' | '-' | '/');
            assert_eq!(super::is_word_char(c), expected, "{c:?}");
        }
    }

    #[test]
    fn session_words_and_quotes() {
        let cases: [(&str, &[&str]); 6] = [
            (".mode csv", &[".mode", "csv"]),
            ("  .read   a.growth ", &[".read", "a.growth"]),
            (r#".read "my file.growth""#, &[".read", "my file.growth"]),
            (r#".output "a\"b\\c""#, &[".output", r#"a"b\c"#]),
            (
                r#".import "ü x.csv"  --wide"#,
                &[".import", "ü x.csv", "--wide"],
            ),
            (
                r#".export o.csv pop{country="Korea, Dem. Rep."}"#,
                &[".export", "o.csv", r#"pop{country="Korea, Dem. Rep."}"#],
            ),
        ];
        for (text, expected) in cases {
            let found: Vec<String> = words(text)
                .unwrap()
                .into_iter()
                .map(|w| w.text.into_owned())
                .collect();
            assert_eq!(found, expected, "{text}");
        }
        let quoted = words(r#".read "a b" c"#).unwrap();
        assert_eq!(
            quoted
                .iter()
                .map(|w| (w.column, w.quoted))
                .collect::<Vec<_>>(),
            [(1, false), (7, true), (13, false)]
        );
        let err = words(r#".read "open"#).unwrap_err();
        assert_eq!(
            (err.column, err.message.as_str()),
            (7, "unterminated string starting here")
        );
        assert!(
            words(r#".read "a\n""#)
                .unwrap_err()
                .message
                .contains("invalid escape")
        );
    }

    #[test]
    fn unclosed_strings_and_braces() {
        let cases = [
            ("insert 2024 x=1", None),
            ("insert 2024 x=1 note=\"long", Some('"')),
            ("insert 2024 x=1 note=\"a \\\" b", Some('"')),
            ("insert 2024 x=1 note=\"done\"", None),
            ("insert 2024 users{line=pay,", Some('{')),
            ("insert 2024 users{line=\"a}", Some('"')),
            ("insert 2024 users{line=pay}=1", None),
            ("metrics # a \" in a comment {", None),
            ("growth x{a=b; metrics", None),
        ];
        for (line, expected) in cases {
            assert_eq!(unclosed(line), expected, "{line}");
        }
    }

    use super::TokenKind::*;
    use super::*;

    /// (kind, text, column, spaced) for each token.
    fn lexed(line: &str) -> Vec<(TokenKind, String, usize, bool)> {
        lex(line)
            .unwrap_or_else(|e| panic!("{line}: {e}"))
            .into_iter()
            .map(|t| (t.kind, t.text.into_owned(), t.column, t.spaced))
            .collect()
    }

    fn t(
        kind: TokenKind,
        text: &str,
        column: usize,
        spaced: bool,
    ) -> (TokenKind, String, usize, bool) {
        (kind, text.to_string(), column, spaced)
    }

    #[test]
    fn words_and_punctuation() {
        let cases = vec![
            ("", vec![]),
            ("   \t ", vec![]),
            ("metrics", vec![t(Word, "metrics", 1, false)]),
            (
                "  growth creators.* from 2024-Q1..2024-Q3",
                vec![
                    t(Word, "growth", 3, true),
                    t(Word, "creators.*", 10, true),
                    t(Word, "from", 21, true),
                    t(Word, "2024-Q1..2024-Q3", 26, true),
                ],
            ),
            (
                "users{line=non-payment}=210M",
                vec![
                    t(Word, "users", 1, false),
                    t(LBrace, "{", 6, false),
                    t(Word, "line", 7, false),
                    t(Eq, "=", 11, false),
                    t(Word, "non-payment", 12, false),
                    t(RBrace, "}", 23, false),
                    t(Eq, "=", 24, false),
                    t(Word, "210M", 25, false),
                ],
            ),
            (
                "{ a = b , c=d }",
                vec![
                    t(LBrace, "{", 1, false),
                    t(Word, "a", 3, true),
                    t(Eq, "=", 5, true),
                    t(Word, "b", 7, true),
                    t(Comma, ",", 9, true),
                    t(Word, "c", 11, true),
                    t(Eq, "=", 12, false),
                    t(Word, "d", 13, false),
                    t(RBrace, "}", 15, true),
                ],
            ),
            (
                "x=-3.5k y=+4 z=70% t=2024-06-12T10:00:00+02:00",
                vec![
                    t(Word, "x", 1, false),
                    t(Eq, "=", 2, false),
                    t(Word, "-3.5k", 3, false),
                    t(Word, "y", 9, true),
                    t(Eq, "=", 10, false),
                    t(Word, "+4", 11, false),
                    t(Word, "z", 14, true),
                    t(Eq, "=", 15, false),
                    t(Word, "70%", 16, false),
                    t(Word, "t", 20, true),
                    t(Eq, "=", 21, false),
                    t(Word, "2024-06-12T10:00:00+02:00", 22, false),
                ],
            ),
            (
                "1,000",
                vec![
                    t(Word, "1", 1, false),
                    t(Comma, ",", 2, false),
                    t(Word, "000", 3, false),
                ],
            ),
            (
                "a;b ;; c",
                vec![
                    t(Word, "a", 1, false),
                    t(Semi, ";", 2, false),
                    t(Word, "b", 3, false),
                    t(Semi, ";", 5, true),
                    t(Semi, ";", 6, false),
                    t(Word, "c", 8, true),
                ],
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(lexed(line), expected, "{line:?}");
        }
    }

    #[test]
    fn strings_and_escapes() {
        let cases = vec![
            (r#""""#, vec![t(Str, "", 1, false)]),
            (
                r#"desc="a b""#,
                vec![
                    t(Word, "desc", 1, false),
                    t(Eq, "=", 5, false),
                    t(Str, "a b", 6, false),
                ],
            ),
            (r#""say \"hi\"""#, vec![t(Str, r#"say "hi""#, 1, false)]),
            (r#""back\\slash""#, vec![t(Str, r"back\slash", 1, false)]),
            (r##""# ; { } = ,""##, vec![t(Str, "# ; { } = ,", 1, false)]),
            // Non-ASCII and tabs are fine inside quotes; columns count characters.
            (
                "\"café\tété\" x",
                vec![t(Str, "café\tété", 1, false), t(Word, "x", 12, true)],
            ),
            (
                r#""a""b""#,
                vec![t(Str, "a", 1, false), t(Str, "b", 4, false)],
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(lexed(line), expected, "{line:?}");
        }
    }

    #[test]
    fn comments() {
        let cases = vec![
            ("# only a comment", vec![]),
            (
                "metrics # list them; all",
                vec![t(Word, "metrics", 1, false)],
            ),
            ("metrics#x", vec![t(Word, "metrics", 1, false)]),
            (
                r##"x="#not a comment" # but this is"##,
                vec![
                    t(Word, "x", 1, false),
                    t(Eq, "=", 2, false),
                    t(Str, "#not a comment", 3, false),
                ],
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(lexed(line), expected, "{line:?}");
        }
    }

    #[test]
    fn source_restores_the_written_text() {
        let line = r#"metric users desc="a \"q\" \\ b""#;
        let tokens = lex(line).unwrap();
        let last = tokens.last().unwrap();
        assert_eq!(last.source(), r#""a \"q\" \\ b""#);
        assert_eq!(last.end_column(), line.chars().count() + 1);
        assert_eq!(tokens[0].end_column(), 7);
    }

    #[test]
    fn errors() {
        let cases = [
            ("x = \"abc", 5, "unterminated string starting here"),
            ("\"abc\\\"", 1, "unterminated string starting here"),
            ("\"abc\\", 1, "unterminated string starting here"),
            (
                r#"x "a\nb""#,
                5,
                r#"invalid escape "\n" in string; only \" and \\ are allowed"#,
            ),
            (
                r#""\é""#,
                2,
                r#"invalid escape "\é" in string; only \" and \\ are allowed"#,
            ),
            ("abc\u{0}", 4, "control character U+0000 is not allowed"),
            ("\"a\u{7}b\"", 3, "control character U+0007 is not allowed"),
            ("a # b\u{1b}", 6, "control character U+001B is not allowed"),
            ("a\r", 2, "control character U+000D is not allowed"),
            ("a\nb", 2, "control character U+000A is not allowed"),
            ("x\u{85}", 2, "control character U+0085 is not allowed"),
            (
                "growth café",
                11,
                "non-ASCII character \"é\" (U+00E9) outside quotes",
            ),
            (
                "é\"abc",
                1,
                "non-ASCII character \"é\" (U+00E9) outside quotes",
            ),
            (
                "x 😀",
                3,
                "non-ASCII character \"😀\" (U+1F600) outside quotes",
            ),
            (
                "metrics # naïve",
                13,
                "non-ASCII character \"ï\" (U+00EF) outside quotes",
            ),
            (
                "'; DROP TABLE x; --",
                1,
                "unexpected character \"'\"; strings use double quotes",
            ),
            ("a\\b", 2, "unexpected character \"\\\""),
            ("x(1)", 2, "unexpected character \"(\""),
        ];
        for (line, column, message) in cases {
            assert_eq!(lex(line), Err(ParseError::new(column, message)), "{line:?}");
        }
    }
}
