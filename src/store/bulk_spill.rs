//! The runs of a bulk write whose values do not come in key order, kept
//! sorted in temporary files (deleted when closed) and merged back in key
//! order, so that a file sorted by day is written as one sorted by series
//! while memory does not grow with it.
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use crate::store::SeriesId;

/// Buffer of each run while runs are merged.
const MERGE_BUFFER: usize = 16 * 1024;
/// At most this many runs are merged at once; more are merged in passes
/// (256 runs of 131,072 values are 33 million values).
const FAN_IN: usize = 256;

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

pub type Key = (SeriesId, i32, i32, u64);

impl Spilled {
    pub fn key(&self) -> Key {
        (self.series, self.start_day, self.end_day, self.order)
    }

    fn encode(&self, out: &mut impl Write) -> io::Result<()> {
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

    /// The next value of a run, or None at its end.
    fn decode(input: &mut impl Read) -> io::Result<Option<Spilled>> {
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

/// Writes values, already in key order, as a run file ready to be read.
pub fn write_run(values: impl Iterator<Item = Spilled>) -> io::Result<File> {
    let mut out = BufWriter::with_capacity(256 * 1024, tempfile::tempfile()?);
    for value in values {
        value.encode(&mut out)?;
    }
    let mut file = out.into_inner().map_err(|e| e.into_error())?;
    file.seek(SeekFrom::Start(0))?;
    Ok(file)
}

/// The values of every run, in key order.
pub struct Merge {
    runs: Vec<BufReader<File>>,
    heads: Vec<Option<Spilled>>,
    heap: BinaryHeap<Reverse<(Key, usize)>>,
}

impl Merge {
    /// Merges `runs`, first in passes of [`FAN_IN`] runs when there are
    /// more.
    pub fn new(mut runs: Vec<File>) -> io::Result<Merge> {
        while runs.len() > FAN_IN {
            runs = merge_in_groups(runs, FAN_IN)?;
        }
        Merge::of(runs)
    }

    fn of(runs: Vec<File>) -> io::Result<Merge> {
        let mut merge = Merge {
            runs: runs
                .into_iter()
                .map(|file| BufReader::with_capacity(MERGE_BUFFER, file))
                .collect(),
            heads: Vec::new(),
            heap: BinaryHeap::new(),
        };
        for run in 0..merge.runs.len() {
            let head = Spilled::decode(&mut merge.runs[run])?;
            if let Some(value) = &head {
                merge.heap.push(Reverse((value.key(), run)));
            }
            merge.heads.push(head);
        }
        Ok(merge)
    }

    pub fn next(&mut self) -> io::Result<Option<Spilled>> {
        let Some(Reverse((_, run))) = self.heap.pop() else {
            return Ok(None);
        };
        let next = Spilled::decode(&mut self.runs[run])?;
        if let Some(value) = &next {
            self.heap.push(Reverse((value.key(), run)));
        }
        Ok(std::mem::replace(&mut self.heads[run], next))
    }
}

/// Merges each `fan_in` runs into one.
fn merge_in_groups(runs: Vec<File>, fan_in: usize) -> io::Result<Vec<File>> {
    let mut merged = Vec::with_capacity(runs.len().div_ceil(fan_in));
    let mut runs = runs.into_iter().peekable();
    while runs.peek().is_some() {
        let mut group = Merge::of(runs.by_ref().take(fan_in).collect())?;
        let mut out = BufWriter::with_capacity(256 * 1024, tempfile::tempfile()?);
        while let Some(value) = group.next()? {
            value.encode(&mut out)?;
        }
        let mut file = out.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        merged.push(file);
    }
    Ok(merged)
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
                .then(|| format!("src é {order}").into_boxed_str()),
            note: order.is_multiple_of(3).then(|| "".into()),
        }
    }

    fn all(mut merge: Merge) -> Vec<Spilled> {
        let mut out = Vec::new();
        while let Some(v) = merge.next().unwrap() {
            out.push(v);
        }
        out
    }

    /// `values` in runs of `run`, each sorted and written.
    fn runs(values: &[Spilled], run: usize) -> Vec<File> {
        values
            .chunks(run)
            .map(|chunk| {
                let mut chunk = chunk.to_vec();
                chunk.sort_by_key(Spilled::key);
                write_run(chunk.into_iter()).unwrap()
            })
            .collect()
    }

    #[test]
    fn values_merge_back_in_key_order_with_their_texts() {
        let values: Vec<Spilled> = (0..2000u64)
            .map(|o| {
                value(
                    (o * 7 % 13) as SeriesId - 3,
                    (o * 11 % 17) as i32 - 40_000,
                    o,
                )
            })
            .collect();
        let mut expected = values.clone();
        expected.sort_by_key(Spilled::key);
        assert_eq!(all(Merge::new(runs(&values, 37)).unwrap()), expected);
        // More runs than one merge takes: merged in passes.
        let many = runs(&values, 5);
        assert_eq!(many.len(), 400);
        assert_eq!(all(Merge::new(many).unwrap()), expected);
        let mut grouped = runs(&values, 5);
        while grouped.len() > 7 {
            grouped = merge_in_groups(grouped, 7).unwrap();
        }
        assert_eq!(all(Merge::of(grouped).unwrap()), expected);
        // No runs, or empty ones.
        assert_eq!(all(Merge::new(Vec::new()).unwrap()), []);
        let empty = write_run(std::iter::empty()).unwrap();
        assert_eq!(all(Merge::new(vec![empty]).unwrap()), []);
    }
}
