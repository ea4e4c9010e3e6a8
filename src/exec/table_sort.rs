//! The cells of a table import put in series and period order: held in
//! memory up to a bound, beyond it sorted in runs written to temporary
//! files (deleted when closed) and merged, so that memory does not grow
//! with the file.
use std::fs::File;
use std::io::{self, Read, Write};

use crate::runs::{self, RunRecord};

/// One cell as read, before it is combined with the others of its series
/// and period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReadCell {
    pub series: u32,
    /// The period it is recorded as: first day and end, as day numbers.
    pub start: i32,
    pub end: i32,
    /// Its number in the file's order, so that the cells of one series and
    /// period combine in the order the file gives them.
    pub seq: u64,
    /// The days it covers (its own date under `--grain`).
    pub exact: (i32, i32),
    pub value: f64,
    pub row: u64,
    pub column: u32,
    pub source: Option<u32>,
}

type Key = (u32, i32, i32, u64);

/// Bytes of one cell in a run file.
const SIZE: usize = 52;

impl RunRecord for ReadCell {
    type Key = Key;

    fn key(&self) -> Key {
        (self.series, self.start, self.end, self.seq)
    }

    fn write_to(&self, out: &mut impl Write) -> io::Result<()> {
        out.write_all(&self.encode())
    }

    fn read_from(input: &mut impl Read) -> io::Result<Option<ReadCell>> {
        let mut bytes = [0u8; SIZE];
        match input.read_exact(&mut bytes) {
            Ok(()) => Ok(Some(ReadCell::decode(&bytes))),
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(None),
            Err(e) => Err(e),
        }
    }
}

impl ReadCell {
    fn encode(&self) -> [u8; SIZE] {
        let mut out = [0u8; SIZE];
        let fields: [&[u8]; 10] = [
            &self.series.to_le_bytes(),
            &self.start.to_le_bytes(),
            &self.end.to_le_bytes(),
            &self.seq.to_le_bytes(),
            &self.exact.0.to_le_bytes(),
            &self.exact.1.to_le_bytes(),
            &self.value.to_le_bytes(),
            &self.row.to_le_bytes(),
            &self.column.to_le_bytes(),
            &self.source.unwrap_or(u32::MAX).to_le_bytes(),
        ];
        let mut at = 0;
        for field in fields {
            out[at..at + field.len()].copy_from_slice(field);
            at += field.len();
        }
        out
    }

    fn decode(bytes: &[u8; SIZE]) -> ReadCell {
        let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
        let i32_at = |at: usize| i32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
        let u64_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap());
        let source = u32_at(48);
        ReadCell {
            series: u32_at(0),
            start: i32_at(4),
            end: i32_at(8),
            seq: u64_at(12),
            exact: (i32_at(20), i32_at(24)),
            value: f64::from_bits(u64_at(28)),
            row: u64_at(36),
            column: u32_at(44),
            source: (source != u32::MAX).then_some(source),
        }
    }
}

/// Cells gathered for sorting.
pub struct CellSort {
    cells: Vec<ReadCell>,
    /// How many cells are held in memory before a run is written.
    limit: usize,
    runs: Vec<File>,
}

impl CellSort {
    pub fn new(limit: usize) -> CellSort {
        CellSort {
            cells: Vec::new(),
            limit: limit.max(1),
            runs: Vec::new(),
        }
    }

    pub fn push(&mut self, cell: ReadCell) -> io::Result<()> {
        self.cells.push(cell);
        if self.cells.len() >= self.limit {
            self.spill()?;
        }
        Ok(())
    }

    /// Writes the cells in memory, sorted, as one run.
    fn spill(&mut self) -> io::Result<()> {
        self.cells.sort_unstable_by_key(ReadCell::key);
        self.runs.push(runs::write_run(self.cells.iter().copied())?);
        self.cells.clear();
        Ok(())
    }

    /// Every cell pushed, ordered by series, period and then the file's
    /// order.
    pub fn sorted(mut self) -> io::Result<Sorted> {
        if self.runs.is_empty() {
            self.cells.sort_unstable_by_key(ReadCell::key);
            return Ok(Sorted::Memory(self.cells.into_iter()));
        }
        if !self.cells.is_empty() {
            self.spill()?;
        }
        let merge = runs::Merge::new(self.runs)?;
        Ok(Sorted::Merge(merge))
    }
}

/// Cells in order, from memory or merged from runs.
pub enum Sorted {
    Memory(std::vec::IntoIter<ReadCell>),
    Merge(runs::Merge<ReadCell>),
}

impl Sorted {
    pub fn next(&mut self) -> io::Result<Option<ReadCell>> {
        match self {
            Sorted::Memory(cells) => Ok(cells.next()),
            Sorted::Merge(merge) => merge.next(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(series: u32, start: i32, seq: u64) -> ReadCell {
        ReadCell {
            series,
            start,
            end: start + 1,
            seq,
            exact: (start, start + 1),
            value: seq as f64 * 0.5 - 3.0,
            row: seq + 2,
            column: (seq % 3) as u32,
            source: seq.is_multiple_of(2).then_some(seq as u32),
        }
    }

    fn all(sort: CellSort) -> Vec<ReadCell> {
        let mut sorted = sort.sorted().unwrap();
        let mut out = Vec::new();
        while let Some(c) = sorted.next().unwrap() {
            out.push(c);
        }
        out
    }

    #[test]
    fn cells_round_trip_through_a_run() {
        let c = cell(7, -40_000, 9);
        assert_eq!(ReadCell::decode(&c.encode()), c);
        let none = cell(7, 3, 1);
        assert_eq!(ReadCell::decode(&none.encode()).source, None);
    }

    #[test]
    fn runs_merge_into_the_order_memory_gives() {
        // Series and periods in a scrambled order, several cells per key.
        let cells: Vec<ReadCell> = (0..1000u64)
            .map(|seq| cell((seq * 7 % 13) as u32, (seq * 11 % 17) as i32, seq))
            .collect();
        let (mut small, mut large) = (CellSort::new(37), CellSort::new(10_000));
        for c in &cells {
            small.push(*c).unwrap();
            large.push(*c).unwrap();
        }
        assert!(small.runs.len() > 20);
        assert!(large.runs.is_empty());
        let (merged, memory) = (all(small), all(large));
        assert_eq!(merged, memory);
        assert!(merged.windows(2).all(|w| w[0].key() < w[1].key()));
        assert_eq!(merged.len(), cells.len());
    }

    #[test]
    fn more_runs_than_one_merge_takes_come_out_in_order() {
        let cells: Vec<ReadCell> = (0..2000u64)
            .map(|seq| cell((seq * 7 % 13) as u32, (seq * 11 % 17) as i32, seq))
            .collect();
        let mut expected = cells.clone();
        expected.sort_by_key(ReadCell::key);
        let mut sort = CellSort::new(5);
        for c in &cells {
            sort.push(*c).unwrap();
        }
        // Merged in passes (the passes themselves are tested in `runs`).
        assert_eq!(sort.runs.len(), 400);
        assert_eq!(all(sort), expected);
    }
}
