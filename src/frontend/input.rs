//! Where lines come from: a reader (stdin, a file, `-c` text) or the prompt.
use std::io::BufRead;
use std::path::PathBuf;

use rustyline::DefaultEditor;
use rustyline::error::ReadlineError;

/// One physical line of input.
pub enum Line {
    Text(String),
    /// The line could not be read as text (e.g. invalid UTF-8); the
    /// message says why. Reading goes on with the next line.
    Unreadable(String),
    /// Ctrl-C at the prompt: drop the line being typed.
    Interrupted,
    Eof,
}

/// A source of lines; `continuation` is set while a command spans lines.
pub trait LineSource {
    fn next_line(&mut self, continuation: bool) -> Line;
}

/// Lines from any buffered reader, without the line terminator.
pub struct ReaderSource<R> {
    reader: R,
    buffer: Vec<u8>,
}

impl<R: BufRead> ReaderSource<R> {
    pub fn new(reader: R) -> Self {
        ReaderSource {
            reader,
            buffer: Vec::new(),
        }
    }
}

impl<R: BufRead> LineSource for ReaderSource<R> {
    fn next_line(&mut self, _continuation: bool) -> Line {
        self.buffer.clear();
        match self.reader.read_until(b'\n', &mut self.buffer) {
            Ok(0) => Line::Eof,
            Ok(_) => {
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
            Err(err) => Line::Unreadable(format!("cannot read input: {err}")),
        }
    }
}

const PROMPT: &str = "growthdb> ";
const CONTINUATION_PROMPT: &str = "     ...> ";

/// The interactive prompt, with a history file kept between sessions.
pub struct PromptSource {
    editor: DefaultEditor,
    history: Option<PathBuf>,
}

impl PromptSource {
    pub fn new() -> Result<PromptSource, String> {
        let mut editor =
            DefaultEditor::new().map_err(|e| format!("cannot start the prompt: {e}"))?;
        let history = history_path();
        if let Some(path) = &history {
            // A missing history file is normal on the first run.
            let _ = editor.load_history(path);
        }
        Ok(PromptSource { editor, history })
    }
}

impl LineSource for PromptSource {
    fn next_line(&mut self, continuation: bool) -> Line {
        let prompt = if continuation {
            CONTINUATION_PROMPT
        } else {
            PROMPT
        };
        match self.editor.readline(prompt) {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = self.editor.add_history_entry(line.as_str());
                }
                Line::Text(line)
            }
            Err(ReadlineError::Interrupted) => Line::Interrupted,
            Err(ReadlineError::Eof) => Line::Eof,
            Err(err) => Line::Unreadable(format!("cannot read the prompt: {err}")),
        }
    }
}

impl Drop for PromptSource {
    fn drop(&mut self) {
        if let Some(path) = &self.history {
            if let Some(dir) = path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let _ = self.editor.save_history(path);
        }
    }
}

/// `$XDG_STATE_HOME/growthdb/history` or the platform's data directory.
fn history_path() -> Option<PathBuf> {
    dirs::state_dir()
        .or_else(dirs::data_dir)
        .map(|dir| dir.join("growthdb").join("history"))
}
