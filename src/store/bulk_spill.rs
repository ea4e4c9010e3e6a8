//! The values of a bulk write as the runs on disk hold them (see
//! [`crate::runs`]), once they come out of key order: sorted into
//! temporary files and merged back in key order, so that a file sorted by
//! day is written as one sorted by series while memory does not grow with
//! it.
use std::io::{self, Read, Write};

use crate::runs::RunRecord;
use crate::store::SeriesId;

/// One value as a run file holds it: its texts with it, as a run's table
/// of texts does not outlive the run.
#[derive(Debug, Clone, PartialEq)]
pub struct Spilled {
    pub series: SeriesId,
    pub start_day: i32,
    pub end_day: i32,
    pub value: f64,
    pub place: (u64, u32),
    pub order: u64,
    pub source: Option<Box<str>>,
    pub note: Option<Box<str>>,
}

type Key = (SeriesId, i32, i32, u64);

impl RunRecord for Spilled {
    type Key = Key;

    fn key(&self) -> Key {
        (self.series, self.start_day, self.end_day, self.order)
    }

    fn write_to(&self, out: &mut impl Write) -> io::Result<()> {
        out.write_all(&self.series.to_le_bytes())?;
        out.write_all(&self.start_day.to_le_bytes())?;
        out.write_all(&self.end_day.to_le_bytes())?;
        out.write_all(&self.value.to_bits().to_le_bytes())?;
        out.write_all(&self.place.0.to_le_bytes())?;
        out.write_all(&self.place.1.to_le_bytes())?;
        out.write_all(&self.order.to_le_bytes())?;
        for text in [&self.source, &self.note] {
            // The length plus one, or 0 for no text.
            let len = text.as_ref().map_or(0, |t| t.len() as u64 + 1);
            out.write_all(&len.to_le_bytes())?;
            if let Some(text) = text {
                out.write_all(text.as_bytes())?;
            }
        }
        Ok(())
    }

    fn read_from(input: &mut impl Read) -> io::Result<Option<Spilled>> {
        let mut fixed = [0u8; 44];
        match input.read_exact(&mut fixed) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e),
        }
        let bytes = |at: usize, n: usize| &fixed[at..at + n];
        let u64_at = |at| u64::from_le_bytes(bytes(at, 8).try_into().expect("8 bytes"));
        let u32_at = |at| u32::from_le_bytes(bytes(at, 4).try_into().expect("4 bytes"));
        let mut text = || -> io::Result<Option<Box<str>>> {
            let mut len = [0u8; 8];
            input.read_exact(&mut len)?;
            match u64::from_le_bytes(len) {
                0 => Ok(None),
                n => {
                    let mut text = vec![0u8; (n - 1) as usize];
                    input.read_exact(&mut text)?;
                    String::from_utf8(text)
                        .map(|t| Some(t.into_boxed_str()))
                        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
                }
            }
        };
        let (source, note) = (text()?, text()?);
        Ok(Some(Spilled {
            series: u64_at(0) as SeriesId,
            start_day: u32_at(8) as i32,
            end_day: u32_at(12) as i32,
            value: f64::from_bits(u64_at(16)),
            place: (u64_at(24), u32_at(32)),
            order: u64_at(36),
            source,
            note,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(series: SeriesId, day: i32, order: u64) -> Spilled {
        Spilled {
            series,
            start_day: day,
            end_day: day + 1,
            value: order as f64 * -0.25,
            place: (order + 1, (order % 3) as u32),
            order,
            source: order
                .is_multiple_of(2)
                .then(|| format!("src é,\n\"{order}\"").into_boxed_str()),
            note: order.is_multiple_of(3).then(|| "".into()),
        }
    }

    #[test]
    fn values_read_back_as_written_with_their_texts() {
        let values: Vec<Spilled> = (0..50u64)
            .map(|o| value(o as SeriesId - 25, (o * 11 % 17) as i32 - 40_000, o))
            .collect();
        let mut bytes = Vec::new();
        for v in &values {
            v.write_to(&mut bytes).unwrap();
        }
        let mut input = bytes.as_slice();
        let mut read = Vec::new();
        while let Some(v) = Spilled::read_from(&mut input).unwrap() {
            read.push(v);
        }
        assert_eq!(read, values);
        // A run cut short inside a value is an error, not its end.
        let mut cut = &bytes[..bytes.len() - 3];
        let mut result = Ok(None);
        for _ in 0..=values.len() {
            result = Spilled::read_from(&mut cut);
            if !matches!(result, Ok(Some(_))) {
                break;
            }
        }
        assert!(result.is_err());
    }
}
