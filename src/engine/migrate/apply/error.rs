//! How applying ops fails, and what Alembic prints when it does: a Python
//! traceback (exit code 1) for exceptions raised by SQLite, SQLAlchemy or
//! Alembic while a migration runs, or `FAILED: ...` (exit code 255) for
//! Alembic's own `CommandError`.
//!
//! The traceback is printed without its frame lines (`  File "...", line N`
//! and the source lines under them): the oracle's replay compares only the
//! `Traceback (most recent call last):` headers, the exception lines, the
//! `[SQL: ...]` blocks and the lines that chain exceptions together.

use std::fmt;

/// SQLAlchemy's version token in its error links (`https://sqlalche.me/e/21/...`).
const SQLALCHEMY_ERROR_VERSION: &str = "21";

/// How an exception in a chain is tied to the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chain {
    /// `raise ... from e`
    DirectCause,
    /// raised inside an `except` block without `from`
    DuringHandling,
}

impl Chain {
    fn separator(self) -> &'static str {
        match self {
            Chain::DirectCause => "The above exception was the direct cause of the following exception:",
            Chain::DuringHandling => "During handling of the above exception, another exception occurred:",
        }
    }
}

/// One exception as Python prints it after the frames: `module.Class: message`
/// and any further lines (`[SQL: ...]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PythonException {
    /// How it is tied to the exception before it in the chain (ignored for the first).
    pub chain: Chain,
    pub text: String,
}

/// SQLite refused a statement: what the driver raised, as data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqliteRefusal {
    /// The `sqlite3` exception class (`OperationalError`, `IntegrityError`, ...).
    pub class: &'static str,
    /// SQLite's message (`near "ALTER": syntax error`).
    pub message: String,
    /// The statement as SQLAlchemy sent it (leading newline of `\nDROP TABLE` included).
    pub statement: String,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// A Python exception escaped the migration: a traceback on stderr, exit
    /// code 1. The chain starts with the innermost cause.
    Exception(Vec<PythonException>),
    /// Alembic's `CommandError`: `FAILED: <message>` on stdout, exit code 255.
    Command(String),
    /// Something real Alembic can run but driftlab cannot (a Python
    /// expression in `op.execute()`).
    Unsupported(String),
}

/// Why `apply_ops` / `offline_sql` stopped, and what had been done by then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplyError {
    pub failure: Failure,
    /// The statements that ran before the failure (online: SQLite DDL is
    /// not transactional here, so those before the first data change stay
    /// applied), or that were rendered before it (`--sql`).
    pub statements: Vec<String>,
    /// Set when SQLite itself refused a statement.
    pub sqlite: Option<SqliteRefusal>,
}

impl ApplyError {
    pub(crate) fn new(failure: Failure) -> Self {
        ApplyError { failure, statements: Vec::new(), sqlite: None }
    }

    /// What Alembic prints on stderr after its INFO lines: the traceback
    /// without frames, or the `ERROR [alembic.util.messaging]` line of a
    /// `CommandError`.
    pub fn python_error_text(&self) -> String {
        match &self.failure {
            Failure::Exception(chain) => {
                let mut text = String::new();
                for (i, exception) in chain.iter().enumerate() {
                    if i > 0 {
                        text.push('\n');
                        text.push_str(exception.chain.separator());
                        text.push_str("\n\n");
                    }
                    text.push_str("Traceback (most recent call last):\n");
                    text.push_str(&exception.text);
                    text.push('\n');
                }
                text
            }
            Failure::Command(message) => format!("ERROR [alembic.util.messaging] {message}\n"),
            Failure::Unsupported(message) => format!("driftlab: {message}\n"),
        }
    }

    /// What Alembic prints on stdout for the failure (only a `CommandError`
    /// prints there).
    pub fn stdout_text(&self) -> String {
        match &self.failure {
            Failure::Command(message) => format!("FAILED: {message}\n"),
            _ => String::new(),
        }
    }

    /// The process's exit code: 1 for a Python exception, 255 for a `CommandError`.
    pub fn exit_code(&self) -> i32 {
        match self.failure {
            Failure::Command(_) => 255,
            Failure::Exception(_) | Failure::Unsupported(_) => 1,
        }
    }
}

impl fmt::Display for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.failure {
            Failure::Exception(chain) => match chain.last() {
                Some(last) => f.write_str(&last.text),
                None => f.write_str("exception"),
            },
            Failure::Command(message) | Failure::Unsupported(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for ApplyError {}

/// A single Python exception (no chain).
pub(crate) fn exception(class: &str, message: &str) -> Failure {
    Failure::Exception(vec![PythonException { chain: Chain::DirectCause, text: format!("{class}: {message}") }])
}

/// An exception raised while handling a `KeyError` (Alembic's
/// `except KeyError: raise ValueError(...)`).
pub(crate) fn exception_after_key_error(key: &str, class: &str, message: &str) -> Failure {
    Failure::Exception(vec![
        PythonException { chain: Chain::DirectCause, text: format!("KeyError: {}", python_str_repr(key)) },
        PythonException { chain: Chain::DuringHandling, text: format!("{class}: {message}") },
    ])
}

/// `NotImplementedError` from the SQLite impl for any ALTER of a constraint.
pub(crate) fn no_constraint_alter() -> Failure {
    exception(
        "NotImplementedError",
        "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode feature which allows \
         for SQLite migrations using a copy-and-move strategy.",
    )
}

/// `KeyError: 'name'`.
pub(crate) fn key_error(key: &str) -> Failure {
    exception("KeyError", &python_str_repr(key))
}

/// The link SQLAlchemy appends to its exceptions.
pub(crate) fn background(code: &str) -> String {
    format!("(Background on this error at: https://sqlalche.me/e/{SQLALCHEMY_ERROR_VERSION}/{code})")
}

/// A driver error as SQLAlchemy wraps it: the `sqlite3` exception, then
/// `sqlalchemy.exc.<Class>` with the statement and its parameters.
pub(crate) fn database_error(refusal: &SqliteRefusal, parameters: Option<&str>) -> Failure {
    let mut wrapped = format!(
        "sqlalchemy.exc.{class}: (sqlite3.{class}) {message}\n[SQL: {statement}]",
        class = refusal.class,
        message = refusal.message,
        statement = refusal.statement
    );
    if let Some(parameters) = parameters {
        wrapped.push_str(&format!("\n[parameters: {parameters}]"));
    }
    wrapped.push('\n');
    wrapped.push_str(&background(sqlalchemy_error_code(refusal.class)));
    Failure::Exception(vec![
        PythonException { chain: Chain::DirectCause, text: format!("sqlite3.{}: {}", refusal.class, refusal.message) },
        PythonException { chain: Chain::DirectCause, text: wrapped },
    ])
}

/// `StatementError` for a bound parameter without a value.
pub(crate) fn missing_bind_value(message: &str, statement: &str, parameters: &str) -> Failure {
    let code = "cd3x";
    Failure::Exception(vec![
        PythonException {
            chain: Chain::DirectCause,
            text: format!("sqlalchemy.exc.InvalidRequestError: {message} {}", background(code)),
        },
        PythonException {
            chain: Chain::DirectCause,
            text: format!(
                "sqlalchemy.exc.StatementError: (sqlalchemy.exc.InvalidRequestError) {message}\n[SQL: {statement}]\n\
                 [parameters: {parameters}]\n{}",
                background(code)
            ),
        },
    ])
}

/// The `sqlite3` exception class Python 3.11 raises for an SQLite result code.
pub(crate) fn sqlite3_exception_class(primary_code: i32) -> &'static str {
    use rusqlite::ffi;
    match primary_code {
        ffi::SQLITE_INTERNAL | ffi::SQLITE_NOTFOUND => "InternalError",
        ffi::SQLITE_ERROR
        | ffi::SQLITE_PERM
        | ffi::SQLITE_ABORT
        | ffi::SQLITE_BUSY
        | ffi::SQLITE_LOCKED
        | ffi::SQLITE_READONLY
        | ffi::SQLITE_INTERRUPT
        | ffi::SQLITE_IOERR
        | ffi::SQLITE_FULL
        | ffi::SQLITE_CANTOPEN
        | ffi::SQLITE_PROTOCOL
        | ffi::SQLITE_EMPTY
        | ffi::SQLITE_SCHEMA => "OperationalError",
        ffi::SQLITE_TOOBIG => "DataError",
        ffi::SQLITE_CONSTRAINT | ffi::SQLITE_MISMATCH => "IntegrityError",
        ffi::SQLITE_MISUSE | ffi::SQLITE_RANGE => "InterfaceError",
        _ => "DatabaseError",
    }
}

/// The code of SQLAlchemy's error page for a DBAPI exception class.
fn sqlalchemy_error_code(class: &str) -> &'static str {
    match class {
        "InterfaceError" => "rvf5",
        "DataError" => "9h9h",
        "OperationalError" => "e3q8",
        "IntegrityError" => "gkpj",
        "InternalError" => "2j85",
        "ProgrammingError" => "f405",
        "NotSupportedError" => "tw8g",
        _ => "4xp6",
    }
}

/// A string as Python's `repr()` writes it.
pub(crate) fn python_str_repr(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// A float as Python's `repr()` writes it (`1.0`, `0.1`, `1e+16`).
pub(crate) fn python_float_repr(value: f64) -> String {
    if value.is_nan() {
        return "nan".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let magnitude = value.abs();
    if magnitude != 0.0 && !(1e-4..1e16).contains(&magnitude) {
        // Python switches to exponent notation here: `1e+16`, `1.5e-05`.
        let text = format!("{value:e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let exponent: i32 = exponent.parse().unwrap_or(0);
        let sign = if exponent < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exponent.abs());
    }
    let text = format!("{value}");
    if text.contains('.') {
        text
    } else {
        format!("{text}.0")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_error_prints_like_sqlalchemy() {
        let refusal = SqliteRefusal {
            class: "OperationalError",
            message: "no such table: legacy".into(),
            statement: "\nDROP TABLE legacy".into(),
        };
        let mut error = ApplyError::new(database_error(&refusal, None));
        error.sqlite = Some(refusal);
        assert_eq!(
            error.python_error_text(),
            "Traceback (most recent call last):\nsqlite3.OperationalError: no such table: legacy\n\n\
             The above exception was the direct cause of the following exception:\n\n\
             Traceback (most recent call last):\n\
             sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) no such table: legacy\n\
             [SQL: \nDROP TABLE legacy]\n(Background on this error at: https://sqlalche.me/e/21/e3q8)\n"
        );
        assert_eq!(error.exit_code(), 1);
    }

    #[test]
    fn command_errors_go_to_stdout_with_255() {
        let error = ApplyError::new(Failure::Command("boom".into()));
        assert_eq!(error.stdout_text(), "FAILED: boom\n");
        assert_eq!(error.python_error_text(), "ERROR [alembic.util.messaging] boom\n");
        assert_eq!(error.exit_code(), 255);
    }

    #[test]
    fn python_reprs() {
        assert_eq!(python_str_repr("it's"), "\"it's\"");
        assert_eq!(python_float_repr(1.0), "1.0");
        assert_eq!(python_float_repr(0.1), "0.1");
        assert_eq!(python_float_repr(1e16), "1e+16");
        assert_eq!(python_float_repr(1.5e-5), "1.5e-05");
    }
}
