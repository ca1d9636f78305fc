//! The engine: everything driftlab does, with no browser in it.
//!
//! Invariant: nothing under `engine` imports leptos, web-sys, gloo or
//! wasm-bindgen, and nothing here touches the disk or the clock of the host.
//! It takes a [`project::Project`] (text files and SQLite database bytes) and
//! command lines, and returns values. The page and the native CLI are thin
//! edges around it.

pub mod alembic;
pub mod app;
pub mod completion;
pub mod db;
pub mod ddl;
pub mod diagram;
pub mod export;
pub mod editing;
pub mod environ;
pub mod host;
pub mod insight;
pub mod lesson;
pub mod metadata;
pub mod migrate;
pub mod models;
pub mod output;
pub mod project;
pub mod python;
pub mod pyrepr;
pub mod reflect;
pub mod saved;
pub mod schema;
pub mod session;
pub mod share;
pub mod shell;
pub mod shell_words;
pub mod sqlite_cli;
pub mod sqltypes;
pub mod starter;
pub mod undo;
pub mod webapp;
pub mod zip;

pub use output::CommandOutput;
pub use project::Project;
pub use session::Session;
