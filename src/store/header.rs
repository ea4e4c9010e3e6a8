//! A file's identity read from its bytes, before SQLite opens it: SQLite
//! applies a pending `-wal` or rolls back a hot `-journal` as soon as it
//! reads a file, which would change a file that is not ours.
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use super::APPLICATION_ID;

const MAGIC: &[u8; 16] = b"SQLite format 3\0";
const HEADER: usize = 100;
/// The first bytes of a rollback journal that SQLite would play back.
const JOURNAL_MAGIC: [u8; 8] = [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];
const WAL_HEADER: usize = 32;
const FRAME_HEADER: usize = 24;
/// WAL files with more frames than this are not searched for page 1
/// beyond it (a store's -wal holds far fewer between checkpoints).
const MAX_FRAMES: u64 = 1 << 20;

/// What page 1 says about a database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Page1 {
    application_id: u32,
    schema_cookie: u32,
    user_version: u32,
}

impl Page1 {
    fn read(bytes: &[u8]) -> Option<Page1> {
        if bytes.len() < HEADER || &bytes[..16] != MAGIC {
            return None;
        }
        let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
        Some(Page1 {
            schema_cookie: word(40),
            user_version: word(60),
            application_id: word(68),
        })
    }

    /// Ours, or a SQLite file with nothing in it yet (a store being made).
    fn may_be_ours(self) -> bool {
        self.application_id == APPLICATION_ID as u32
            || (self.application_id == 0 && self.schema_cookie == 0 && self.user_version == 0)
    }
}

/// Why SQLite must not open `path` at all: it is another program's SQLite
/// database with a pending `-wal` or a hot `-journal`, which SQLite would
/// apply or roll back on first reading it. None when it may be opened (the
/// usual checks of identity follow once it is).
pub fn pending_foreign_changes(path: &str) -> Option<String> {
    let mut file = File::open(path).ok()?;
    let mut header = [0u8; HEADER];
    if file.read_exact(&mut header).is_err() {
        return None;
    }
    // Not a SQLite file at all: SQLite reads it as damaged, and changes
    // nothing.
    let main = Page1::read(&header)?;
    if main.application_id == APPLICATION_ID as u32 {
        return None;
    }
    // The newest page 1 may still be in the -wal (a store whose first
    // commit was never checkpointed).
    let wal = format!("{path}-wal");
    if latest_wal_page1(Path::new(&wal))
        .unwrap_or(main)
        .may_be_ours()
    {
        return None;
    }
    if non_empty(&wal) {
        return Some(format!(
            "it is another program's SQLite database with changes pending in {wal}, which opening it would apply"
        ));
    }
    let journal = format!("{path}-journal");
    if is_hot_journal(&journal) {
        return Some(format!(
            "it is another program's SQLite database with an unfinished transaction in {journal}, which opening it would roll back"
        ));
    }
    None
}

fn non_empty(path: &str) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.len() > 0)
}

fn is_hot_journal(path: &str) -> bool {
    let mut magic = [0u8; 8];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok_and(|()| magic == JOURNAL_MAGIC)
}

/// Page 1 as the newest frame of the `-wal` that holds it has it, if any
/// frame of the WAL's current generation (its salts) does.
fn latest_wal_page1(wal: &Path) -> Option<Page1> {
    let mut file = File::open(wal).ok()?;
    let mut header = [0u8; WAL_HEADER];
    file.read_exact(&mut header).ok()?;
    let word = |bytes: &[u8], at: usize| {
        u32::from_be_bytes(bytes[at..at + 4].try_into().expect("4 bytes"))
    };
    if !matches!(word(&header, 0), 0x377f_0682 | 0x377f_0683) {
        return None;
    }
    let page_size = u64::from(word(&header, 8));
    let salts = &header[16..24];
    let frame = FRAME_HEADER as u64 + page_size;
    let frames = (file
        .metadata()
        .ok()?
        .len()
        .saturating_sub(WAL_HEADER as u64)
        / frame)
        .min(MAX_FRAMES);
    let mut latest = None;
    let mut frame_header = [0u8; FRAME_HEADER];
    let mut page = [0u8; HEADER];
    for index in 0..frames {
        let at = WAL_HEADER as u64 + index * frame;
        file.seek(SeekFrom::Start(at)).ok()?;
        file.read_exact(&mut frame_header).ok()?;
        if &frame_header[8..16] != salts {
            // Frames of an earlier generation: the rest is stale too.
            break;
        }
        if word(&frame_header, 0) == 1 {
            file.read_exact(&mut page).ok()?;
            latest = Page1::read(&page).or(latest);
        }
    }
    latest
}
