//! What the editor shows about a file and the edits it makes, without a
//! browser: syntax highlighting from our Python tokenizer
//! ([`highlight`]), every problem the project's readers find, placed and
//! ranged for underlining ([`diagnostics`], [`project_diagnostics`]), the
//! overlay runs that combine the two ([`runs`]), open-file buffers with
//! undo/redo ([`Buffer`]), Tab/Shift+Tab/Enter edits ([`indent`],
//! [`dedent`], [`newline`]) and the file tree ([`file_tree`]).

mod buffer;
mod highlight;
mod overlay;
mod problems;
mod text;
mod tree;

pub use buffer::{Buffer, EditKind, History, Snapshot};
pub use highlight::{highlight, highlight_file, Span, SpanKind};
pub use overlay::{runs, Run};
pub use problems::{diagnostics, project_diagnostics, project_diagnostics_in, project_diagnostics_with, FileProblems, Problem, Severity};
pub use text::{byte_to_utf16, dedent, indent, newline, utf16_to_byte, Edited, INDENT};
pub use tree::{file_kind, file_tree, EntryKind, TreeEntry};

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
