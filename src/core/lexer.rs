//! Splits one line of the command language into tokens.
//!
//! Periods, values, names, keywords, spans and timestamps all lex as one
//! [`TokenKind::Word`]; the parser interprets words in context, because the
//! same text (`2024`, `1y`, `users`) means different things in different places.
use super::labels::write_quoted;
use super::parser::ParseError;

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
pub struct Token {
    pub kind: TokenKind,
    /// The source text, except for [`TokenKind::Str`]: the decoded content.
    pub text: String,
    /// 1-based, in characters.
    pub column: usize,
    /// Whether whitespace comes right before the token. The parser needs it
    /// because labels must follow the metric name directly (`users{a=b}`) and
    /// because `1,000` (no spaces) is a mistyped number, not a list.
    pub spaced: bool,
}

impl Token {
    fn new(kind: TokenKind, text: impl Into<String>, column: usize, spaced: bool) -> Token {
        Token {
            kind,
            text: text.into(),
            column,
            spaced,
        }
    }

    /// The token as it was written. Strings are re-quoted, which restores the
    /// source exactly since only `"` and `\` are ever escaped.
    pub fn source(&self) -> String {
        match self.kind {
            TokenKind::Str => {
                let mut out = String::new();
                let _ = write_quoted(&mut out, &self.text);
                out
            }
            _ => self.text.clone(),
        }
    }

    /// The number of characters the token occupies in the line.
    pub fn width(&self) -> usize {
        self.source().chars().count()
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

/// Splits a line at each `;` outside double quotes and drops what follows a
/// `#` outside quotes, skipping blank statements. Session commands
/// (`.mode csv; metrics # note`) split the same way as commands.
pub fn split_statements(line: &str) -> Vec<Statement<'_>> {
    let mut statements = Vec::new();
    let (mut start, mut start_column) = (0, 1);
    let (mut in_string, mut escaped) = (false, false);
    let mut end = line.len();
    for (column, (at, c)) in line.char_indices().enumerate() {
        let column = column + 1;
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '#' => {
                end = at;
                break;
            }
            ';' => {
                statements.push(Statement {
                    text: &line[start..at],
                    column: start_column,
                });
                start = at + 1;
                start_column = column + 1;
            }
            _ => {}
        }
    }
    statements.push(Statement {
        text: &line[start..end],
        column: start_column,
    });
    statements.retain(|s| !s.text.trim().is_empty());
    statements
}

/// Characters of a bare word: names, keywords, numbers with suffixes,
/// periods (`2024-Q1..2024-Q3`), spans, patterns (`creators.*`) and
/// timestamps (`2024-06-12T10:00:00+02:00`).
pub fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '*' | '%' | '+' | ':' | '-')
}

/// Lexes one line. `#` outside quotes starts a comment; `;` is a token (the
/// parser splits statements on it).
pub fn lex(line: &str) -> Result<Vec<Token>, ParseError> {
    let chars: Vec<char> = line.chars().collect();
    // Control characters are errors anywhere, comments and strings included,
    // so check the whole line before anything else.
    if let Some(i) = chars.iter().position(|&c| c.is_control() && c != '\t') {
        return Err(ParseError::new(
            i + 1,
            format!("control character U+{:04X} is not allowed", chars[i] as u32),
        ));
    }

    let mut tokens = Vec::new();
    let mut i = 0;
    let mut spaced = false;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        let single = match c {
            '{' => Some(TokenKind::LBrace),
            '}' => Some(TokenKind::RBrace),
            '=' => Some(TokenKind::Eq),
            ',' => Some(TokenKind::Comma),
            ';' => Some(TokenKind::Semi),
            _ => None,
        };
        if let Some(kind) = single {
            tokens.push(Token::new(kind, c, column, spaced));
            i += 1;
            spaced = false;
            continue;
        }
        match c {
            ' ' | '\t' => {
                spaced = true;
                i += 1;
            }
            '#' => {
                // The rest of the line is a comment, but the spec forbids
                // non-ASCII outside quotes, comments not excepted.
                check_ascii(&chars, i)?;
                break;
            }
            '"' => {
                let (text, next) = lex_string(&chars, i)?;
                tokens.push(Token::new(TokenKind::Str, text, column, spaced));
                i = next;
                spaced = false;
            }
            c if is_word_char(c) => {
                let start = i;
                while i < chars.len() && is_word_char(chars[i]) {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                tokens.push(Token::new(TokenKind::Word, text, column, spaced));
                spaced = false;
            }
            c if !c.is_ascii() => return Err(non_ascii(c, column)),
            '\'' => {
                return Err(ParseError::new(
                    column,
                    "unexpected character \"'\"; strings use double quotes",
                ));
            }
            c => {
                return Err(ParseError::new(
                    column,
                    format!("unexpected character \"{c}\""),
                ));
            }
        }
    }
    Ok(tokens)
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

/// Rejects non-ASCII characters in `chars[from..]` (a comment).
fn check_ascii(chars: &[char], from: usize) -> Result<(), ParseError> {
    match chars[from..].iter().position(|c| !c.is_ascii()) {
        Some(offset) => Err(non_ascii(chars[from + offset], from + offset + 1)),
        None => Ok(()),
    }
}

/// Decodes the string whose opening quote is at `chars[open]`; returns the
/// content and the index after the closing quote.
fn lex_string(chars: &[char], open: usize) -> Result<(String, usize), ParseError> {
    let mut text = String::new();
    let mut i = open + 1;
    while i < chars.len() {
        match chars[i] {
            '"' => return Ok((text, i + 1)),
            '\\' => match chars.get(i + 1) {
                Some(&c @ ('"' | '\\')) => {
                    text.push(c);
                    i += 2;
                }
                Some(&c) => {
                    return Err(ParseError::new(
                        i + 1,
                        format!(
                            "invalid escape \"\\{c}\" in string; only \\\" and \\\\ are allowed"
                        ),
                    ));
                }
                None => break,
            },
            c => {
                text.push(c);
                i += 1;
            }
        }
    }
    Err(ParseError::new(
        open + 1,
        "unterminated string starting here",
    ))
}

#[cfg(test)]
mod tests {
    use super::TokenKind::*;
    use super::*;

    /// (kind, text, column, spaced) for each token.
    fn lexed(line: &str) -> Vec<(TokenKind, String, usize, bool)> {
        lex(line)
            .unwrap_or_else(|e| panic!("{line}: {e}"))
            .into_iter()
            .map(|t| (t.kind, t.text, t.column, t.spaced))
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
            ("a/b", 2, "unexpected character \"/\""),
            ("a\\b", 2, "unexpected character \"\\\""),
            ("x(1)", 2, "unexpected character \"(\""),
        ];
        for (line, column, message) in cases {
            assert_eq!(lex(line), Err(ParseError::new(column, message)), "{line:?}");
        }
    }
}
