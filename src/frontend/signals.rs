//! Stopping cleanly when told to: on SIGINT, SIGTERM or SIGHUP the loop
//! stops before its next line, commits what it has confirmed and says from
//! which line the input was not read. A second signal ends the process at
//! once, for a stop that hangs.
use std::io;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

/// The signal received, or 0.
static RECEIVED: AtomicUsize = AtomicUsize::new(0);
/// Set by the first signal: the next one exits at once.
static ARMED: AtomicBool = AtomicBool::new(false);

/// A stop signal that arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signal(i32);

impl Signal {
    pub fn name(self) -> &'static str {
        match self.0 {
            SIGINT => "SIGINT",
            SIGTERM => "SIGTERM",
            SIGHUP => "SIGHUP",
            _ => "a signal",
        }
    }

    /// The exit status of a process that stopped on this signal, as
    /// shells report one killed by it.
    pub fn exit_status(self) -> u8 {
        u8::try_from(128 + self.0).unwrap_or(1)
    }
}

/// Replaces the default action of the stop signals (ending the process
/// where it stands) with a flag the loop looks at.
pub fn install() -> io::Result<()> {
    for signal in [SIGINT, SIGTERM, SIGHUP] {
        // Registered first, so that it sees the flag of an earlier signal.
        signal_hook::flag::register_conditional_shutdown(signal, 128 + signal, &ARMED)?;
        signal_hook::flag::register_usize(signal, &RECEIVED, usize::try_from(signal).unwrap_or(0))?;
        signal_hook::flag::register(signal, &ARMED)?;
    }
    Ok(())
}

/// The stop signal received so far, if any.
pub fn received() -> Option<Signal> {
    match RECEIVED.load(Ordering::Relaxed) {
        0 => None,
        n => i32::try_from(n).ok().map(Signal),
    }
}
