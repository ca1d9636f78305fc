//! The engine: everything driftlab does, with no browser in it.
//!
//! Invariant: nothing under `engine` imports leptos, web-sys, gloo or
//! wasm-bindgen, and nothing here touches the disk or the clock of the host.
//! It takes a [`project::Project`] (text files and SQLite database bytes) and
//! command lines, and returns values. The page and the native CLI are thin
//! edges around it.

pub mod alembic;
pub mod app;
pub mod db;
pub mod ddl;
pub mod host;
pub mod metadata;
pub mod migrate;
pub mod models;
pub mod output;
pub mod project;
pub mod python;
pub mod pyrepr;
pub mod reflect;
pub mod schema;
pub mod session;
pub mod shell;
pub mod shell_words;
pub mod sqlite_cli;
pub mod sqltypes;
pub mod starter;
pub mod webapp;

pub use output::CommandOutput;
pub use project::Project;
pub use session::Session;
