//! The interactive prompt: rustyline with history kept between sessions,
//! Tab completion from the language and the store, hints from history,
//! colours, and a continuation prompt while a string or label set is open.
use std::borrow::Cow;
use std::collections::VecDeque;
use std::io::IsTerminal;
use std::path::PathBuf;

use rustyline::completion::{Completer, FilenameCompleter, Pair, unescape};
use rustyline::error::ReadlineError;
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::history::DefaultHistory;
use rustyline::validate::Validator;
use rustyline::{CompletionType, Config, Context, Editor, Helper};

use crate::core::lexer::unclosed;
use crate::exec::Catalog;

use super::SessionError;
use super::complete::{Completion, complete, write_file_name};
use super::highlight::{dim, highlight};
use super::input::{Line, LineSource};

const PROMPT: &str = "growthdb> ";
const CONTINUATION_PROMPT: &str = "     ...> ";

/// What rustyline asks of the language while a line is typed.
pub struct LineHelper {
    catalog: Catalog,
    colour: bool,
    hints: HistoryHinter,
    files: FilenameCompleter,
}

impl LineHelper {
    pub fn new(catalog: Catalog, colour: bool) -> LineHelper {
        LineHelper {
            catalog,
            colour,
            hints: HistoryHinter::new(),
            files: FilenameCompleter::new(),
        }
    }
}

/// Colour unless `NO_COLOR` is set (to anything but empty) or the output
/// is not a terminal.
pub fn colour_wanted() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    !no_color && std::io::stdout().is_terminal()
}

impl Completer for LineHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        match complete(line, pos, &self.catalog) {
            Completion::Words { start, candidates } => Ok((
                start,
                candidates
                    .into_iter()
                    .map(|c| Pair {
                        display: c.display,
                        replacement: c.replacement,
                    })
                    .collect(),
            )),
            Completion::FileName(syntax) => {
                let (start, mut pairs) = self.files.complete_path(line, pos)?;
                // rustyline escapes with backslashes, which the language
                // does not read: write each name as the line needs it.
                let opened = line[..start].ends_with('"');
                for pair in &mut pairs {
                    let path = if opened {
                        pair.replacement.clone()
                    } else {
                        unescape(&pair.replacement, Some('\\')).into_owned()
                    };
                    pair.replacement = write_file_name(&path, syntax, opened);
                }
                Ok((start, pairs))
            }
        }
    }
}

impl Hinter for LineHelper {
    type Hint = String;

    /// Without colour a hint would look typed, so there is none.
    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<String> {
        if !self.colour || line.is_empty() {
            return None;
        }
        self.hints.hint(line, pos, ctx)
    }
}

impl Highlighter for LineHelper {
    fn highlight<'l>(&self, line: &'l str, pos: usize) -> Cow<'l, str> {
        if self.colour {
            Cow::Owned(highlight(line, pos))
        } else {
            Cow::Borrowed(line)
        }
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        Cow::Owned(dim(hint))
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        self.colour
    }
}

/// Lines end where the person presses Enter; an open string or label set
/// is continued by the prompt itself (see [`PromptSource`]).
impl Validator for LineHelper {}

impl Helper for LineHelper {}

/// The interactive prompt, with a history file kept between sessions.
pub struct PromptSource {
    editor: Editor<LineHelper, DefaultHistory>,
    history: Option<PathBuf>,
    /// The lines after the first of a pasted block, to run in turn.
    pasted: VecDeque<String>,
}

impl PromptSource {
    pub fn new(catalog: Catalog) -> Result<PromptSource, SessionError> {
        let config = Config::builder()
            .completion_type(CompletionType::List)
            .auto_add_history(false)
            .build();
        let mut editor =
            Editor::with_config(config).map_err(|e| SessionError::Prompt(e.to_string()))?;
        editor.set_helper(Some(LineHelper::new(catalog, colour_wanted())));
        let history = history_path();
        if let Some(path) = &history {
            // A missing history file is normal on the first run.
            let _ = editor.load_history(path);
        }
        Ok(PromptSource {
            editor,
            history,
            pasted: VecDeque::new(),
        })
    }

    /// The next line typed, or the next of a pasted block: a paste of
    /// several lines arrives as one text, and runs as the lines it holds.
    fn read(&mut self, prompt: &str) -> Result<String, Line> {
        if let Some(line) = self.pasted.pop_front() {
            return Ok(line);
        }
        let text = self.editor.readline(prompt).map_err(|err| match err {
            ReadlineError::Interrupted => Line::Interrupted,
            ReadlineError::Eof => Line::Eof,
            err => Line::Unreadable(format!("cannot read the prompt: {err}")),
        })?;
        let mut lines = split_pasted(&text);
        let first = lines.pop_front().unwrap_or_default();
        self.pasted = lines;
        Ok(first)
    }
}

impl LineSource for PromptSource {
    /// A line that leaves a string or a label set open goes on on the next
    /// line, joined with a space, as one line of history.
    fn next_line(&mut self, continuation: bool, before_waiting: &mut dyn FnMut()) -> Line {
        before_waiting();
        let prompt = if continuation {
            CONTINUATION_PROMPT
        } else {
            PROMPT
        };
        let mut line = match self.read(prompt) {
            Ok(line) => line,
            Err(other) => return other,
        };
        while unclosed(&line).is_some() {
            match self.read(CONTINUATION_PROMPT) {
                Ok(more) => {
                    line.push(' ');
                    line.push_str(&more);
                }
                // The parser then says what is left open.
                Err(Line::Eof) => break,
                Err(other) => return other,
            }
        }
        if !line.trim().is_empty() {
            let _ = self.editor.add_history_entry(line.as_str());
        }
        Line::Text(line)
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

/// The lines of a pasted text, however they end; a last empty line (the
/// paste's own line end) is dropped.
fn split_pasted(text: &str) -> VecDeque<String> {
    let mut lines: VecDeque<String> = text.lines().map(str::to_string).collect();
    if lines.is_empty() {
        lines.push_back(String::new());
    }
    lines
}

/// `$XDG_STATE_HOME/growthdb/history` or the platform's data directory.
fn history_path() -> Option<PathBuf> {
    dirs::state_dir()
        .or_else(dirs::data_dir)
        .map(|dir| dir.join("growthdb").join("history"))
}

#[cfg(test)]
mod tests {
    use rustyline::history::{DefaultHistory, History};

    use super::*;
    use crate::core::parser::parse_line;
    use crate::exec::Executor;
    use crate::store::Store;

    fn helper(colour: bool) -> LineHelper {
        let mut exec = Executor::new(Store::open(":memory:", false).unwrap());
        for command in parse_line("insert 2024 users{line=payment}=5 users=9") {
            exec.execute(&command.unwrap(), None).unwrap();
        }
        LineHelper::new(exec.catalog(), colour)
    }

    fn replacements(helper: &LineHelper, line: &str) -> (usize, Vec<String>) {
        let history = DefaultHistory::new();
        let (start, pairs) = helper
            .complete(line, line.len(), &Context::new(&history))
            .unwrap();
        (start, pairs.into_iter().map(|p| p.replacement).collect())
    }

    #[test]
    fn tab_offers_words_from_the_language_and_the_store() {
        let helper = helper(false);
        assert_eq!(
            replacements(&helper, "gro"),
            (0, vec!["growth ".to_string()])
        );
        assert_eq!(
            replacements(&helper, "growth us"),
            (7, vec!["users".into(), "users{line=payment} ".into()])
        );
        assert_eq!(
            replacements(&helper, "history users "),
            (14, vec!["2024 ".into()])
        );
    }

    #[test]
    fn file_names_come_from_the_file_system() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("queries.growth"), "metrics\n").unwrap();
        let line = format!(".read {}/que", dir.path().display());
        let (start, found) = replacements(&helper(false), &line);
        assert_eq!(start, ".read ".len());
        assert_eq!(found, [format!("{}/queries.growth", dir.path().display())]);
    }

    #[test]
    fn file_names_with_spaces_are_quoted_not_escaped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("my queries.growth"), "metrics\n").unwrap();
        let shown = dir.path().display();
        let (_, found) = replacements(&helper(false), &format!(".read {shown}/my"));
        assert_eq!(found, [format!("\"{shown}/my queries.growth\"")]);
        let (_, found) = replacements(&helper(false), &format!(".read \"{shown}/my"));
        assert_eq!(found, [format!("{shown}/my queries.growth\"")]);
    }

    #[test]
    fn a_pasted_block_splits_into_its_lines() {
        let cases: [(&str, &[&str]); 5] = [
            ("metrics", &["metrics"]),
            ("", &[""]),
            ("a\nb", &["a", "b"]),
            ("a\r\nb\n", &["a", "b"]),
            ("a\n\nb", &["a", "", "b"]),
        ];
        for (text, lines) in cases {
            assert_eq!(split_pasted(text), lines, "{text:?}");
        }
    }

    #[test]
    fn hints_and_colours_only_with_colour() {
        let mut history = DefaultHistory::new();
        history.add("growth users over 1y").unwrap();
        let context = Context::new(&history);
        let plain = helper(false);
        assert_eq!(plain.hint("growth u", 8, &context), None);
        assert_eq!(plain.highlight("growth users", 12), "growth users");
        let coloured = helper(true);
        assert_eq!(
            coloured.hint("growth u", 8, &context).as_deref(),
            Some("sers over 1y")
        );
        assert!(coloured.highlight("growth users", 12).contains("\x1b["));
    }
}
