//! Where lines come from: a reader (stdin, a file, `-c` text) or the prompt.
use std::io::{self, BufRead};
use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError, sync_channel};
use std::thread;
use std::time::Duration;

use super::SessionError;
use crate::render::MAX_LINE;

/// One physical line of input.
pub enum Line {
    Text(String),
    /// The line could not be read as text (e.g. invalid UTF-8); the
    /// message says why. Reading goes on with the next line.
    Unreadable(String),
    /// Ctrl-C at the prompt: drop the line being typed.
    Interrupted,
    /// A stop signal arrived while waiting for input.
    Signalled,
    Eof,
}

/// A source of lines; `continuation` is set while a command spans lines.
pub trait LineSource {
    /// The next line. A source that has to wait for it (a pipe, a person)
    /// calls `before_waiting` first, so that nothing is held open while
    /// nobody is typing.
    fn next_line(&mut self, continuation: bool, before_waiting: &mut dyn FnMut()) -> Line;
}

/// Lines from any buffered reader, without the line terminator.
pub struct ReaderSource<R> {
    reader: R,
    buffer: Vec<u8>,
    /// Set by a read error: what follows cannot be trusted to be lines,
    /// and a reader that failed once (a directory, a broken device) tends
    /// to fail forever, so the source ends.
    failed: bool,
    /// Whether a line has been read (a byte-order mark may only start
    /// the first).
    started: bool,
}

impl<R: BufRead> ReaderSource<R> {
    pub fn new(reader: R) -> Self {
        ReaderSource {
            reader,
            buffer: Vec::new(),
            failed: false,
            started: false,
        }
    }
}

impl<R: BufRead> ReaderSource<R> {
    fn read_line(&mut self) -> Line {
        if self.failed {
            return Line::Eof;
        }
        self.buffer.clear();
        match read_bounded_line(&mut self.reader, &mut self.buffer) {
            Ok(None) => {
                // Whatever follows cannot be split into lines safely.
                self.failed = true;
                Line::Unreadable(format!(
                    "the line is longer than 16 MiB ({MAX_LINE} bytes); the rest of the input was not read"
                ))
            }
            Ok(Some(0)) => Line::Eof,
            Ok(Some(_)) => {
                if !std::mem::replace(&mut self.started, true)
                    && self.buffer.starts_with(b"\xef\xbb\xbf")
                {
                    self.buffer.drain(..3);
                }
                if self.buffer.ends_with(b"\n") {
                    self.buffer.pop();
                    if self.buffer.ends_with(b"\r") {
                        self.buffer.pop();
                    }
                }
                match std::str::from_utf8(&self.buffer) {
                    Ok(text) => Line::Text(text.to_string()),
                    Err(err) => Line::Unreadable(format!(
                        "the line is not valid UTF-8 (bad byte at column {})",
                        err.valid_up_to() + 1
                    )),
                }
            }
            Err(err) => {
                self.failed = true;
                Line::Unreadable(format!("cannot read input: {err}"))
            }
        }
    }
}

/// Reads up to and including the next `\n` into `buffer`, as `read_until`
/// does, but never more than [`MAX_LINE`] bytes: None when the line is
/// longer (a file without line ends, such as `/dev/zero`).
fn read_bounded_line(reader: &mut impl BufRead, buffer: &mut Vec<u8>) -> io::Result<Option<usize>> {
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(Some(buffer.len()));
        }
        let (take, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        if buffer.len() + take > MAX_LINE + 1 {
            return Ok(None);
        }
        buffer.extend_from_slice(&available[..take]);
        reader.consume(take);
        if done {
            return Ok(Some(buffer.len()));
        }
    }
}

/// Opens a file of commands or records to read, refusing a directory
/// (which opens, then fails every read).
pub fn open_input(path: &str) -> Result<std::fs::File, SessionError> {
    let unreadable = |reason: String| SessionError::Unreadable {
        path: path.to_string(),
        reason,
    };
    let file = std::fs::File::open(path).map_err(|e| unreadable(e.to_string()))?;
    match file.metadata() {
        Ok(meta) if meta.is_dir() => Err(unreadable("it is a directory".into())),
        _ => Ok(file),
    }
}

/// Files and in-memory text never keep a reader waiting.
impl<R: BufRead> LineSource for ReaderSource<R> {
    fn next_line(&mut self, _continuation: bool, _before_waiting: &mut dyn FnMut()) -> Line {
        self.read_line()
    }
}

/// The stdin reader hands lines over in chunks of up to this many (fewer
/// when the input pauses), and may run this many chunks ahead.
const CHUNK_LINES: usize = 1024;
const CHUNKS_AHEAD: usize = 8;

/// How long stdin may stay silent before the loop counts it as waiting.
const PAUSE: Duration = Duration::from_millis(20);

/// How often a loop waiting for input looks for a stop signal.
const SIGNAL_POLL: Duration = Duration::from_millis(50);

/// Lines from stdin, read by a thread of its own so that the loop can tell
/// when the next line is not there yet (a slow producer upstream) and commit
/// its open transaction before waiting.
pub struct StdinSource {
    chunks: Receiver<Vec<Line>>,
    chunk: std::vec::IntoIter<Line>,
}

impl StdinSource {
    pub fn new() -> StdinSource {
        let (sender, chunks) = sync_channel(CHUNKS_AHEAD);
        thread::spawn(move || {
            let mut reader = ReaderSource::new(io::BufReader::new(io::stdin()));
            let mut chunk = Vec::with_capacity(CHUNK_LINES);
            loop {
                let line = reader.read_line();
                let last = matches!(line, Line::Eof);
                chunk.push(line);
                // Hand over what there is whenever reading on would block.
                if last || chunk.len() == CHUNK_LINES || reader.reader.buffer().is_empty() {
                    let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK_LINES));
                    if sender.send(full).is_err() || last {
                        break;
                    }
                }
            }
        });
        StdinSource {
            chunks,
            chunk: Vec::new().into_iter(),
        }
    }

    fn next_chunk(&mut self, before_waiting: &mut dyn FnMut()) -> Option<Vec<Line>> {
        match self.chunks.try_recv() {
            Ok(chunk) => Some(chunk),
            // The reader thread may just be behind: only a pause in the
            // input counts as waiting.
            Err(TryRecvError::Empty) => match self.chunks.recv_timeout(PAUSE) {
                Ok(chunk) => Some(chunk),
                Err(RecvTimeoutError::Timeout) => {
                    before_waiting();
                    self.wait()
                }
                Err(RecvTimeoutError::Disconnected) => None,
            },
            Err(TryRecvError::Disconnected) => None,
        }
    }
}

impl StdinSource {
    /// Waits for the next chunk, or for a stop signal: the thread reading
    /// stdin may be blocked for good.
    fn wait(&mut self) -> Option<Vec<Line>> {
        loop {
            match self.chunks.recv_timeout(SIGNAL_POLL) {
                Ok(chunk) => return Some(chunk),
                Err(RecvTimeoutError::Timeout) if super::signals::received().is_some() => {
                    return Some(vec![Line::Signalled]);
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
    }
}

impl Default for StdinSource {
    fn default() -> Self {
        Self::new()
    }
}

impl LineSource for StdinSource {
    fn next_line(&mut self, _continuation: bool, before_waiting: &mut dyn FnMut()) -> Line {
        loop {
            if let Some(line) = self.chunk.next() {
                return line;
            }
            match self.next_chunk(before_waiting) {
                Some(chunk) => self.chunk = chunk.into_iter(),
                None => return Line::Eof,
            }
        }
    }
}
