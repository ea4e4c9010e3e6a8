//! growthdb: historical metric snapshots in SQLite, and growth questions about them.
//!
//! Layers, each usable alone:
//! - [`core`]: pure types and functions (periods, values, labels, the command
//!   language, growth measures, endpoint resolution). No I/O.
//! - [`store`]: the SQLite store; the only module that names rusqlite.
//! - [`exec`]: runs a [`core::command::Command`] against a store and returns rows.
//! - [`render`]: turns rows into text in any output format.
//! - [`frontend`]: the read-eval loop shared by the prompt and batch mode.
//!
//! `runs` (sorted runs on disk and their merge) serves the store's bulk
//! writes and the executor's table imports alike.

pub mod core;
pub mod exec;
pub mod frontend;
pub mod render;
mod runs;
pub mod store;
