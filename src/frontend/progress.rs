//! A progress line for long imports and batches, at a terminal only.
use std::io::{self, IsTerminal};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Work shorter than this shows no progress at all.
const QUIET_PERIOD: Duration = Duration::from_secs(1);

/// Counts work and, once it has run for a second, shows the count and the
/// rate on stderr. Shows nothing when stderr is not a terminal.
pub struct Progress {
    what: &'static str,
    enabled: bool,
    started: Instant,
    bar: Option<ProgressBar>,
}

impl Progress {
    /// `what` names the unit counted: "records", "commands".
    pub fn new(what: &'static str, quiet: bool) -> Progress {
        Progress {
            what,
            enabled: !quiet && io::stderr().is_terminal(),
            started: Instant::now(),
            bar: None,
        }
    }

    pub fn update(&mut self, count: u64) {
        if !self.enabled {
            return;
        }
        if self.bar.is_none() && self.started.elapsed() >= QUIET_PERIOD {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            let template = format!("{{spinner}} {{human_pos}} {} ({{per_sec}})", self.what);
            if let Ok(style) = ProgressStyle::with_template(&template) {
                bar.set_style(style);
            }
            self.bar = Some(bar);
        }
        if let Some(bar) = &self.bar {
            bar.set_position(count);
        }
    }

    /// Removes the line, leaving the terminal as it was.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
