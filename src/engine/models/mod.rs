//! Reads a project's SQLAlchemy models without a Python interpreter: the
//! `MetaData` that `Base.metadata` would hold after `import models`, built
//! the way SQLAlchemy builds it (1.x `declarative_base()` + `Column` and 2.0
//! `DeclarativeBase` + `Mapped[...]`), and every mistake explained with its
//! place (`models.py:12:17: NameError: name 'Intger' is not defined. Did you
//! mean: 'Integer'?`). Reading never changes the project.

mod interp;
mod known;
mod naming;
mod tables;
pub mod value;

use std::fmt;

use super::metadata::MetaData;
use super::project::Project;

pub use interp::{parse_dotenv, Reader};

/// A problem in the project's Python, at a place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub col: usize,
    /// What Python or SQLAlchemy would say (`NameError: name 'x' is not defined`).
    pub message: String,
    /// driftlab's advice, when a common mistake is likely.
    pub hint: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.col, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// What reading a models module gave: the metadata of its `Base` and every problem found.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelsResult {
    pub metadata: MetaData,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads `module` (e.g. `models.py`) and everything it imports from the
/// project, and returns the metadata of the declarative base its models use
/// (the `Base` it defines or imports).
pub fn read_models(project: &Project, module: &str) -> ModelsResult {
    let mut reader = Reader::new(project);
    let scope = reader.load_module(module);
    let metadata = match scope.as_ref().and_then(|s| s.get("Base")) {
        Some(value::Value::Base(i)) => reader.metadata(*i),
        _ => reader.only_metadata().unwrap_or_default(),
    };
    ModelsResult { metadata, diagnostics: reader.into_diagnostics() }
}

#[cfg(test)]
mod tests;
