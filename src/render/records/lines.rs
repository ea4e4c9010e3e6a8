//! Line numbers and RFC 4180 quoting of what a CSV or TSV reader reads.
use std::io;

use super::RecordError;

/// Counts the lines of what a reader has read, so that a record's byte
/// offset can be turned into its line number however its lines end
/// (LF or CRLF) and whatever blank lines came before it. It keeps only the
/// line ends not yet asked about, a buffer's worth at most.
///
/// It also checks the quotes of every byte read, as RFC 4180 has them,
/// because the csv crate is lenient: it reads a quoted field that is never
/// closed to the end of the file, and glues text after a closing quote onto
/// the field (`"1"2` is `12`). The checker mirrors the csv crate's parser
/// (a field opens with a quote only at its start, `""` is a quote inside
/// one, `\r` and `\n` end records) and keeps the first problem it finds.
pub(super) struct LineCounter<R> {
    inner: R,
    read: u64,
    /// Offsets of `\r` and `\n` bytes, and whether each is a `\n`.
    line_ends: std::collections::VecDeque<(u64, bool)>,
    lines_before: u64,
    /// The field delimiter: `,` or a tab.
    delimiter: u8,
    quoting: Quoting,
    /// `\n` bytes read so far.
    newlines: u64,
    /// The offset and line of the opening quote of the last quoted field.
    quote_offset: u64,
    quote_line: u64,
    /// The first quoting problem, and the offset of the byte that shows it.
    problem: Option<(u64, RecordError)>,
}

/// Where the quote checker is, byte by byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    /// At the start of a field (or of a record, or in blank lines).
    FieldStart,
    /// In a field that did not start with a quote: quotes are text.
    Unquoted,
    /// In a quoted field.
    Quoted,
    /// Just after a quote in a quoted field: it either closes the field
    /// or, followed by another quote, is a quote in the text.
    Closed,
    /// After a problem: the rest is not checked.
    Stopped,
}

const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

impl<R> LineCounter<R> {
    pub(super) fn new(inner: R, delimiter: u8) -> Self {
        LineCounter {
            inner,
            read: 0,
            line_ends: std::collections::VecDeque::new(),
            lines_before: 0,
            delimiter,
            quoting: Quoting::FieldStart,
            newlines: 0,
            quote_offset: 0,
            quote_line: 0,
            problem: None,
        }
    }

    /// The 1-based line of the first byte at or after `offset` that does
    /// not end a line: csv positions a record where the previous one's line
    /// end or the blank lines before it start. Offsets must not go back.
    pub(super) fn line_at(&mut self, offset: u64) -> u64 {
        let mut at = offset;
        while let Some(&(position, lf)) = self.line_ends.front() {
            if position < at {
                self.line_ends.pop_front();
                self.lines_before += u64::from(lf);
            } else if position == at {
                self.line_ends.pop_front();
                self.lines_before += u64::from(lf);
                at += 1;
            } else {
                break;
            }
        }
        self.lines_before + 1
    }

    /// The first quoting problem, if it lies before byte `end`: the csv
    /// reader reads ahead, and a problem belongs to the record that holds
    /// it, after any error of the records before.
    pub(super) fn problem_before(&self, end: u64) -> Option<RecordError> {
        match &self.problem {
            Some((offset, problem)) if *offset < end => Some(problem.clone()),
            _ => None,
        }
    }

    /// Checks the quotes of `bytes`, read at offset `self.read`, and notes
    /// their line ends. Inside a field, only the bytes that can end it are
    /// looked at one by one.
    fn check(&mut self, bytes: &[u8]) {
        let delimiter = self.delimiter;
        let mut quoting = self.quoting;
        let mut newlines = self.newlines;
        // The csv crate skips a byte order mark at the start of its first
        // buffer, which is the first read.
        let mut i = if self.read == 0 && bytes.starts_with(UTF8_BOM) {
            UTF8_BOM.len()
        } else {
            0
        };
        while i < bytes.len() {
            match quoting {
                Quoting::Unquoted => {
                    i = field_end(bytes, i, delimiter);
                }
                Quoting::Quoted => {
                    while i < bytes.len() && !matches!(bytes[i], b'"' | b'\n' | b'\r') {
                        i += 1;
                    }
                }
                _ => {}
            }
            let Some(&byte) = bytes.get(i) else { break };
            let line_end = byte == b'\n' || byte == b'\r';
            if line_end {
                let lf = byte == b'\n';
                self.line_ends.push_back((self.read + i as u64, lf));
                newlines += u64::from(lf);
            }
            quoting = match quoting {
                Quoting::FieldStart => {
                    if byte == b'"' {
                        self.quote_offset = self.read + i as u64;
                        self.quote_line = newlines + 1;
                        Quoting::Quoted
                    } else if byte == delimiter || line_end {
                        Quoting::FieldStart
                    } else {
                        Quoting::Unquoted
                    }
                }
                // The delimiter or a line end.
                Quoting::Unquoted => Quoting::FieldStart,
                Quoting::Quoted => {
                    if byte == b'"' {
                        Quoting::Closed
                    } else {
                        Quoting::Quoted
                    }
                }
                Quoting::Closed => {
                    if byte == b'"' {
                        Quoting::Quoted
                    } else if byte == delimiter || line_end {
                        Quoting::FieldStart
                    } else {
                        let open = self
                            .quote_offset
                            .checked_sub(self.read)
                            .map(|open| open as usize);
                        let field = glued_field(bytes, i, open, delimiter);
                        let message = format!(
                            "text after the closing quote of {field}; a quoted field ends at \
                             its closing quote (write a quote inside one as \"\")"
                        );
                        let offset = self.read + i as u64;
                        self.problem = Some((offset, RecordError::new(newlines + 1, message)));
                        Quoting::Stopped
                    }
                }
                Quoting::Stopped => Quoting::Stopped,
            };
            i += 1;
        }
        self.quoting = quoting;
        self.newlines = newlines;
    }

    /// At the end of the input: a quoted field still open is unterminated.
    fn finish(&mut self) {
        if self.quoting == Quoting::Quoted {
            let message =
                "unterminated quote: the quoted field that opens on this line is never closed";
            let problem = RecordError::new(self.quote_line, message);
            self.problem = Some((self.quote_offset, problem));
        }
        if self.quoting != Quoting::FieldStart {
            self.quoting = Quoting::Stopped;
        }
    }
}

/// The offset of the first delimiter, `\r` or `\n` at or after `from`, or
/// the length of `bytes`: eight bytes at a time, as most of a file is the
/// text of unquoted fields.
fn field_end(bytes: &[u8], mut from: usize, delimiter: u8) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGHS: u64 = ONES << 7;
    // The high bit of each byte of `word` that equals `byte` (and perhaps
    // of bytes after the first that does, which are not looked at).
    let equal = |word: u64, byte: u8| {
        let x = word ^ (ONES * u64::from(byte));
        x.wrapping_sub(ONES) & !x & HIGHS
    };
    while let Some(chunk) = bytes.get(from..from + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let found = equal(word, delimiter) | equal(word, b'\n') | equal(word, b'\r');
        if found != 0 {
            return from + (found.trailing_zeros() / 8) as usize;
        }
        from += 8;
    }
    while from < bytes.len() && !matches!(bytes[from], b'\n' | b'\r') && bytes[from] != delimiter {
        from += 1;
    }
    from
}

/// The quoted field whose closing quote `bytes[at]` follows, from its
/// opening quote at `open` (when in `bytes`) through the text glued on, on
/// one line and shortened.
fn glued_field(bytes: &[u8], at: usize, open: Option<usize>, delimiter: u8) -> String {
    const BEFORE: usize = 40;
    const AFTER: usize = 20;
    let continues = |byte: u8| byte & 0xc0 == 0x80;
    let mut text = String::new();
    let mut start = match open {
        Some(open) if at - open <= BEFORE => open,
        _ => {
            text.push_str("...");
            at.saturating_sub(BEFORE)
        }
    };
    if at == 0 {
        // The closing quote ended the previous read.
        text.push('"');
    }
    while start < at && continues(bytes[start]) {
        start += 1;
    }
    let ends = |byte: u8| byte == delimiter || byte == b'\n' || byte == b'\r';
    let mut end = at;
    while end < bytes.len() && end - at < AFTER && !ends(bytes[end]) {
        end += 1;
    }
    while end < bytes.len() && continues(bytes[end]) {
        end += 1;
    }
    for c in String::from_utf8_lossy(&bytes[start..end]).chars() {
        if c.is_control() {
            text.extend(c.escape_debug());
        } else {
            text.push(c);
        }
    }
    if end < bytes.len() && !ends(bytes[end]) {
        text.push_str("...");
    }
    text
}

impl<R: io::Read> io::Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.finish();
        }
        self.check(&buf[..n]);
        self.read += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_field_ends_where_a_byte_by_byte_search_finds_its_end() {
        let text = "héllo wörld,2021-01-01\r\n\"a\"\tb,,x\u{e9}\u{1f600}\n,\r";
        let bytes = text.as_bytes();
        for delimiter in [b',', b'\t'] {
            for from in 0..=bytes.len() {
                let naive = (from..bytes.len())
                    .find(|&i| matches!(bytes[i], b'\n' | b'\r') || bytes[i] == delimiter)
                    .unwrap_or(bytes.len());
                assert_eq!(
                    super::field_end(bytes, from, delimiter),
                    naive,
                    "from {from}"
                );
            }
        }
    }
}
