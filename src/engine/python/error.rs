//! The syntax error value shared by the tokenizer and the parser, and how it prints.

use std::fmt;

use super::position::LineIndex;

/// One problem found while reading Python source. Reading never stops at
/// the first one: every error the reader recovered from is reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// Byte offset of the position, for editors that underline it.
    pub offset: usize,
    /// CPython's wording where CPython has one, e.g. `'(' was never closed`.
    pub message: String,
}

impl SyntaxError {
    pub(crate) fn at(index: &LineIndex<'_>, offset: usize, message: impl Into<String>) -> Self {
        let position = index.line_col(offset);
        SyntaxError { line: position.line, col: position.col, offset, message: message.into() }
    }

    /// `models.py:3:5: message`, the form compilers and linters print.
    pub fn in_file(&self, file_name: &str) -> String {
        format!("{file_name}:{self}")
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

/// One error per line of output, each prefixed with `file_name`.
pub fn format_errors(file_name: &str, errors: &[SyntaxError]) -> String {
    errors.iter().map(|error| error.in_file(file_name) + "\n").collect()
}

/// An error before line:column are known (the parser and tokenizer work in byte offsets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PendingError {
    pub offset: usize,
    pub message: String,
    pub origin: ErrorOrigin,
    /// How many logical lines (NEWLINE tokens) precede the error: at most one
    /// error is shown per logical line, since recovery works line by line.
    pub logical_line: usize,
}

/// Where an error came from; decides which of several errors on one logical line is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ErrorOrigin {
    /// A bad character, string, number or indentation: the most precise report.
    Tokenizer,
    /// A bracket still open at the end of its logical line. CPython prefers this
    /// to the parse error it causes further on.
    UnclosedBracket,
    /// The grammar did not match.
    Parser,
}

