//! Sorted runs in temporary files (deleted when closed), merged back in
//! key order: how a table import's cells and a bulk write's values are put
//! in order without holding them all in memory.
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

/// Buffer of each run while runs are merged.
const MERGE_BUFFER: usize = 16 * 1024;
/// At most this many runs are merged at once. More runs are merged in
/// passes, each writing groups of runs as one, so that neither the open
/// files nor the merge buffers grow with the input.
const FAN_IN: usize = 256;

/// What a run holds: records that know their key and their bytes.
pub trait RunRecord: Sized {
    type Key: Ord + Copy;
    fn key(&self) -> Self::Key;
    fn write_to(&self, out: &mut impl Write) -> io::Result<()>;
    /// The next record of a run, or None at its end.
    fn read_from(input: &mut impl Read) -> io::Result<Option<Self>>;
}

/// Writes records, already in key order, as a run file ready to be read.
pub fn write_run<R: RunRecord>(records: impl IntoIterator<Item = R>) -> io::Result<File> {
    let mut out = run_file()?;
    for record in records {
        record.write_to(&mut out)?;
    }
    ready(out)
}

fn run_file() -> io::Result<BufWriter<File>> {
    Ok(BufWriter::with_capacity(256 * 1024, tempfile::tempfile()?))
}

/// A run written, rewound to be read.
fn ready(out: BufWriter<File>) -> io::Result<File> {
    let mut file = out.into_inner().map_err(|e| e.into_error())?;
    file.seek(SeekFrom::Start(0))?;
    Ok(file)
}

/// The records of every run, in key order; records of equal keys come in
/// the order of their runs.
pub struct Merge<R: RunRecord> {
    runs: Vec<BufReader<File>>,
    /// Each run's next record.
    heads: Vec<Option<R>>,
    heap: BinaryHeap<Reverse<(R::Key, usize)>>,
}

impl<R: RunRecord> Merge<R> {
    /// Merges `runs`, first in passes of [`FAN_IN`] runs when there are
    /// more.
    pub fn new(runs: Vec<File>) -> io::Result<Merge<R>> {
        Merge::in_groups_of(runs, FAN_IN)
    }

    fn in_groups_of(mut runs: Vec<File>, fan_in: usize) -> io::Result<Merge<R>> {
        while runs.len() > fan_in {
            let mut merged = Vec::with_capacity(runs.len().div_ceil(fan_in));
            let mut left = runs.into_iter().peekable();
            while left.peek().is_some() {
                let mut group = Merge::<R>::of(left.by_ref().take(fan_in).collect())?;
                let mut out = run_file()?;
                while let Some(record) = group.next()? {
                    record.write_to(&mut out)?;
                }
                merged.push(ready(out)?);
            }
            runs = merged;
        }
        Merge::of(runs)
    }

    fn of(runs: Vec<File>) -> io::Result<Merge<R>> {
        let mut merge = Merge {
            runs: runs
                .into_iter()
                .map(|file| BufReader::with_capacity(MERGE_BUFFER, file))
                .collect(),
            heads: Vec::new(),
            heap: BinaryHeap::new(),
        };
        for run in 0..merge.runs.len() {
            let head = R::read_from(&mut merge.runs[run])?;
            if let Some(record) = &head {
                merge.heap.push(Reverse((record.key(), run)));
            }
            merge.heads.push(head);
        }
        Ok(merge)
    }

    pub fn next(&mut self) -> io::Result<Option<R>> {
        let Some(Reverse((_, run))) = self.heap.pop() else {
            return Ok(None);
        };
        let next = R::read_from(&mut self.runs[run])?;
        if let Some(record) = &next {
            self.heap.push(Reverse((record.key(), run)));
        }
        Ok(std::mem::replace(&mut self.heads[run], next))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key and the order it was given in, of variable length on disk.
    #[derive(Debug, Clone, PartialEq)]
    struct Item(u32, u64, String);

    impl RunRecord for Item {
        type Key = (u32, u64);
        fn key(&self) -> (u32, u64) {
            (self.0, self.1)
        }
        fn write_to(&self, out: &mut impl Write) -> io::Result<()> {
            out.write_all(&self.0.to_le_bytes())?;
            out.write_all(&self.1.to_le_bytes())?;
            out.write_all(&(self.2.len() as u32).to_le_bytes())?;
            out.write_all(self.2.as_bytes())
        }
        fn read_from(input: &mut impl Read) -> io::Result<Option<Item>> {
            let mut fixed = [0u8; 16];
            match input.read_exact(&mut fixed) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
                Err(e) => return Err(e),
            }
            let mut text = vec![0u8; u32::from_le_bytes(fixed[12..].try_into().unwrap()) as usize];
            input.read_exact(&mut text)?;
            Ok(Some(Item(
                u32::from_le_bytes(fixed[..4].try_into().unwrap()),
                u64::from_le_bytes(fixed[4..12].try_into().unwrap()),
                String::from_utf8(text).unwrap(),
            )))
        }
    }

    fn items() -> Vec<Item> {
        (0..2000u64)
            .map(|seq| Item((seq * 7 % 13) as u32, seq, "é".repeat((seq % 4) as usize)))
            .collect()
    }

    /// `items` in runs of `run`, each sorted and written.
    fn runs(items: &[Item], run: usize) -> Vec<File> {
        items
            .chunks(run)
            .map(|chunk| {
                let mut chunk = chunk.to_vec();
                chunk.sort_by_key(Item::key);
                write_run(chunk).unwrap()
            })
            .collect()
    }

    fn all(mut merge: Merge<Item>) -> Vec<Item> {
        let mut out = Vec::new();
        while let Some(item) = merge.next().unwrap() {
            out.push(item);
        }
        out
    }

    #[test]
    fn runs_merge_back_in_key_order_in_one_pass_or_several() {
        let items = items();
        let mut expected = items.clone();
        expected.sort_by_key(Item::key);
        assert_eq!(all(Merge::new(runs(&items, 37)).unwrap()), expected);
        // 400 runs: more than one merge takes.
        let many = runs(&items, 5);
        assert_eq!(many.len(), 400);
        assert_eq!(all(Merge::new(many).unwrap()), expected);
        // In groups of 7: 58 runs, then 9, then 2.
        let grouped = Merge::in_groups_of(runs(&items, 5), 7).unwrap();
        assert_eq!(grouped.runs.len(), 2);
        assert_eq!(all(grouped), expected);
        // No runs, or an empty one.
        assert_eq!(all(Merge::new(Vec::new()).unwrap()), []);
        let empty = write_run(Vec::<Item>::new()).unwrap();
        assert_eq!(all(Merge::new(vec![empty]).unwrap()), []);
    }
}
