//! A bound on the length of a line of input, so that a file without line
//! ends (`/dev/zero`, a corrupt export) fails with one clear error instead
//! of filling memory.
use std::io::{self, BufRead, Read};

/// The longest line of a command file or of a CSV, TSV or JSON Lines
/// record, in bytes: 16 MiB.
pub const MAX_LINE: usize = 16 << 20;

/// The message for a line past [`MAX_LINE`].
pub fn too_long(line: u64) -> String {
    format!(
        "line {line} is longer than 16 MiB ({MAX_LINE} bytes); the rest of the input was not read"
    )
}

/// Reads through `inner`, failing once a line grows past [`MAX_LINE`].
pub struct LineCap<R> {
    inner: R,
    /// Bytes since the last line end, and the number of that line.
    run: usize,
    line: u64,
}

impl<R: BufRead> LineCap<R> {
    pub fn new(inner: R) -> LineCap<R> {
        LineCap::starting_at(inner, 1)
    }

    /// A reader whose first line is line `line` of its file (after lines
    /// skipped).
    pub fn starting_at(inner: R, line: u64) -> LineCap<R> {
        LineCap {
            inner,
            run: 0,
            line,
        }
    }
}

impl<R: BufRead> Read for LineCap<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for LineCap<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let available = self.inner.fill_buf()?;
        let line_part = available
            .iter()
            .position(|&b| b == b'\n')
            .unwrap_or(available.len());
        if self.run + line_part > MAX_LINE {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                too_long(self.line),
            ));
        }
        Ok(available)
    }

    fn consume(&mut self, amount: usize) {
        if let Ok(available) = self.inner.fill_buf() {
            let bytes = &available[..amount.min(available.len())];
            match bytes.iter().rposition(|&b| b == b'\n') {
                Some(last) => {
                    self.line += newlines(bytes);
                    self.run = bytes.len() - last - 1;
                }
                None => self.run += bytes.len(),
            }
        }
        self.inner.consume(amount);
    }
}

/// The `\n` bytes of `bytes`, counted in byte-wide sums of up to 255
/// bytes, which the compiler turns into wide compares: a whole buffer is
/// counted on every read.
fn newlines(bytes: &[u8]) -> u64 {
    bytes
        .chunks(255)
        .map(|chunk| {
            let sum = chunk.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n'));
            u64::from(sum)
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_past_the_bound_is_an_error_naming_it() {
        let mut text = b"short\n".to_vec();
        text.extend(std::iter::repeat_n(b'x', MAX_LINE + 10));
        let mut out = Vec::new();
        let err = LineCap::new(&text[..]).read_to_end(&mut out).unwrap_err();
        assert_eq!(err.to_string(), too_long(2));
        let fine = b"a\nb\n".repeat(1000);
        let mut out = Vec::new();
        LineCap::new(&fine[..]).read_to_end(&mut out).unwrap();
        assert_eq!(out, fine);
    }

    #[test]
    fn newlines_are_counted_across_chunks() {
        let text: Vec<u8> = (0..2000)
            .map(|i| if i % 3 == 0 { b'\n' } else { b'x' })
            .collect();
        for len in [0, 1, 254, 255, 256, 765, 2000] {
            let bytes = &text[..len];
            let naive = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
            assert_eq!(newlines(bytes), naive, "{len}");
        }
    }
}
