//! Reading records: line numbers, quoting, JSON Lines.
use super::*;

/// Reads every record of `input`, `chunk` bytes per read at most: each
/// record as `LINE:field|field|...` (an empty field is empty), then the
/// error that stopped the reading, if any.
fn read_all(format: FileFormat, input: &[u8], chunk: usize) -> (Vec<String>, Option<RecordError>) {
    let trickle = io::BufReader::with_capacity(1, Trickle(input, chunk));
    let mut reader = match RecordReader::new(format, trickle, &["series", "period", "value"]) {
        Ok(reader) => reader,
        Err(err) => return (Vec::new(), Some(err)),
    };
    let mut records = vec![format!("1:{}", reader.header().join("|"))];
    let mut fields = Vec::new();
    loop {
        match reader.next_record(&mut fields) {
            Ok(Some(line)) => {
                let texts: Vec<&str> = fields.iter().map(|f| f.as_deref().unwrap_or("")).collect();
                records.push(format!("{line}:{}", texts.join("|")));
            }
            Ok(None) => return (records, None),
            Err(err) => return (records, Some(err)),
        }
    }
}

/// Gives out at most `.1` bytes per read, to split the input anywhere.
struct Trickle<'a>(&'a [u8], usize);

impl io::Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.1).min(self.0.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

const WHOLE: usize = usize::MAX;

/// Well-quoted CSV and TSV: the records read, line by line.
#[rustfmt::skip]
const VALID: &[(FileFormat, &str, &[&str])] = &[
    (FileFormat::Csv, "a,b\n\"say \"\"hi\"\"\",\"\"\"\"\n", &["1:a|b", "2:say \"hi\"|\""]),
    (FileFormat::Csv, "a,b\nx,\"two\nlines\"\ny,\"three\n\nlines\"\nz,1\n",
        &["1:a|b", "2:x|two\nlines", "4:y|three\n\nlines", "7:z|1"]),
    (FileFormat::Csv, "a,b\r\n\"x\",\"1,2\"\r\ny,\"CR\r\nLF\"\r\nz,3\r\n",
        &["1:a|b", "2:x|1,2", "3:y|CR\r\nLF", "5:z|3"]),
    (FileFormat::Csv, "a,b,c\n\"\",\"\",\"\"\n,\"\",\n", &["1:a|b|c", "2:||", "3:||"]),
    (FileFormat::Csv, "a,b\n5\" screen,a\"b\"c\n x \"y\",\"\"\n", &["1:a|b", "2:5\" screen|a\"b\"c", "3: x \"y\"|"]),
    (FileFormat::Csv, "a,b\n\nx,\"end\"\n\n\ny,\"eof\"", &["1:a|b", "3:x|end", "6:y|eof"]),
    (FileFormat::Csv, "\"a\",\"b\"\nx,1", &["1:a|b", "2:x|1"]),
    (FileFormat::Csv, "\u{feff}\"a\",b\n\"x\",\"数据 \"\"ü\"\"\"\n", &["1:a|b", "2:x|数据 \"ü\""]),
    (FileFormat::Csv, "a,b\n\"a\tb\",c\td\n", &["1:a|b", "2:a\tb|c\td"]),
    (FileFormat::Tsv, "a\tb\n\"say \"\"hi\"\"\"\t\"1\t2\"\n\"two\nlines\"\t\"\"\n5\" screen\t,\"x\"\n",
        &["1:a|b", "2:say \"hi\"|1\t2", "3:two\nlines|", "5:5\" screen|,\"x\""]),
    (FileFormat::Tsv, "a\tb\r\n\"x\"\t\"y\"\r\n", &["1:a|b", "2:x|y"]),
];

#[test]
fn well_quoted_files_read_as_written() {
    for &(format, input, expected) in VALID {
        // csv skips a byte order mark only when its first read has it.
        let chunks: &[usize] = match input.starts_with('\u{feff}') {
            true => &[WHOLE],
            false => &[WHOLE, 1, 2, 3, 5],
        };
        for &chunk in chunks {
            let (records, error) = read_all(format, input.as_bytes(), chunk);
            assert_eq!(error, None, "{format:?} {input:?} in reads of {chunk}");
            assert_eq!(
                records, expected,
                "{format:?} {input:?} in reads of {chunk}"
            );
        }
    }
}

/// Badly quoted CSV and TSV: the records read before the error, the
/// error's line and substrings of its message.
#[rustfmt::skip]
const INVALID: &[(FileFormat, &str, usize, u64, &[&str])] = &[
    // A quote never closed swallows the rest of the file.
    (FileFormat::Csv, "series,period,value,note\nx,2024,1,\"abc\nx,2025,2,def\n", 0, 2,
        &["unterminated quote", "never closed"]),
    (FileFormat::Csv, "series,period,value\nx,2024,1\nusers,2025,\"1", 1, 3, &["unterminated quote"]),
    (FileFormat::Csv, "a,b\nx,1\ny,\"two\nthree\nfour\n\nsix\n", 1, 3, &["unterminated quote"]),
    (FileFormat::Csv, "a,b\nx,\"a\"\"\n", 0, 2, &["unterminated quote"]),
    (FileFormat::Csv, "a,b\r\nx,1\r\n\"y,2\r\nz,3\r\n", 1, 3, &["unterminated quote"]),
    (FileFormat::Csv, "\"a,b\nx,1\n", 0, 1, &["unterminated quote"]),
    (FileFormat::Tsv, "a\tb\nx\t1\ny\t\"2\n", 1, 3, &["unterminated quote"]),
    // Text glued after a closing quote.
    (FileFormat::Csv, "series,period,value\nx,2024,\"1\"2\n", 0, 2,
        &["text after the closing quote of \"1\"2;", "write a quote inside one as \"\""]),
    (FileFormat::Csv, "a,b\nx,1\ny,\"a\"b,c\n", 1, 3, &["closing quote of \"a\"b;"]),
    (FileFormat::Csv, "a,b\nx,\"say \"hi\" now\"\n", 0, 2, &["closing quote of \"say \"hi\" now\";"]),
    (FileFormat::Csv, "a,b\nx,\"a\" \n", 0, 2, &["closing quote of \"a\" ;"]),
    (FileFormat::Csv, "a,b\nx,\"a\nb\n\"c\n", 0, 4, &["closing quote of \"a\\nb\\n\"c;"]),
    (FileFormat::Csv, "a,b\r\nx,\"1\"\"\"x\r\n", 0, 2, &["closing quote of \"1\"\"\"x;"]),
    (FileFormat::Csv, "\"a\"b,c\nx,1\n", 0, 1, &["closing quote of \"a\"b;"]),
    (FileFormat::Tsv, "a\tb\nx\t\"1\"2\t\n", 0, 2, &["closing quote of \"1\"2;"]),
    (FileFormat::Csv, "a,b\n\"a\tb\"\tc,d\n", 0, 2, &["closing quote of \"a\\tb\"\\tc;"]),
    // Long fields are shortened.
    (FileFormat::Csv,
        "a,b\nx,\"0123456789012345678901234567890123456789012345\"678901234567890123456789\n", 0, 2,
        &["closing quote of ...789012345678901234567890123456789012345\"67890123456789012345...;"]),
    // An earlier error comes first, though the quote problem is read ahead.
    (FileFormat::Csv, "a,b\nx\ny,\"1\"2\n", 0, 2, &["1 fields where the header has 2"]),
    (FileFormat::Csv, "a,b\nx,1\ny,\"1\"2\nz,\"3\n", 1, 3, &["closing quote of \"1\"2;"]),
];

#[test]
fn badly_quoted_files_fail_at_the_line_of_the_problem() {
    for &(format, input, good, line, needles) in INVALID {
        for chunk in [WHOLE, 1, 2, 3, 5] {
            let context = format!("{format:?} {input:?} in reads of {chunk}");
            let (records, error) = read_all(format, input.as_bytes(), chunk);
            let error = error.unwrap_or_else(|| panic!("{context}: no error"));
            // The header, then the good records.
            assert_eq!(
                records.len(),
                good + usize::from(line > 1),
                "{context}: {records:?}"
            );
            assert_eq!(error.line, line, "{context}: {}", error.message);
            if chunk == WHOLE {
                for needle in needles {
                    assert!(
                        error.message.contains(needle),
                        "{context}: {}",
                        error.message
                    );
                }
            }
        }
    }
}

#[test]
fn json_lines_ignore_csv_quoting() {
    let input = b"{\"series\":\"x\\\"\",\"period\":\"2024\",\"value\":\"1\\\"2\"}\n\"abc\n";
    let (records, error) = read_all(FileFormat::Jsonl, input, WHOLE);
    assert_eq!(records, ["1:series|period|value", "1:x\"|2024|1\"2"]);
    let error = error.unwrap();
    assert_eq!(error.line, 2);
    assert!(error.message.contains("invalid JSON"), "{}", error.message);
}
