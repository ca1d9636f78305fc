//! Statements as SQLAlchemy compiles them for the SQLite driver: `text()`
//! with its `:name` bind parameters turned into `?`, values bound as the
//! driver gets them, literal values for `--sql` (the generic `env.py`
//! renders offline SQL with `literal_binds=True`), and the `[parameters: ...]`
//! text SQLAlchemy shows when a statement fails.

use rusqlite::types::Value;

use super::error::{python_float_repr, python_str_repr};
use crate::engine::migrate::ops::Literal;

/// The values sent with a statement.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Params {
    None,
    /// `cursor.execute(sql, params)`
    Single(Vec<Value>),
    /// `cursor.executemany(sql, rows)`
    Many(Vec<Vec<Value>>),
}

/// One statement as SQLAlchemy sends it, and as `--sql` prints it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Statement {
    /// The compiled text, exactly (SQLAlchemy's `\nDROP TABLE x` keeps its
    /// leading newline); `[SQL: ...]` shows it.
    pub sql: String,
    pub params: Params,
    /// The same statement with literal values in place of parameters.
    pub offline: String,
}

impl Statement {
    /// A statement without parameters (DDL).
    pub fn plain(sql: impl Into<String>) -> Self {
        let sql = sql.into();
        Statement { offline: sql.clone(), sql, params: Params::None }
    }

    /// The text `apply_ops` reports for a statement that ran.
    pub fn reported(&self) -> String {
        self.sql.trim().to_string()
    }

    /// What Alembic writes for it in `--sql` mode: tabs as four spaces,
    /// stripped, with the `;` terminator.
    pub fn offline_text(&self) -> String {
        format!("{};", self.offline.replace('\t', "    ").trim())
    }
}

/// Whether Python's `sqlite3` module opens a transaction before running
/// this statement (3.11: it starts with INSERT, UPDATE, DELETE or REPLACE
/// after blanks; comments are not skipped).
pub(crate) fn is_dml(sql: &str) -> bool {
    let start = sql.trim_start_matches([' ', '\r', '\n', '\t']);
    ["insert", "update", "delete", "replace"]
        .iter()
        .any(|keyword| start.get(..keyword.len()).is_some_and(|head| head.eq_ignore_ascii_case(keyword)))
}

/// The syntax error SQLite 3.40 (the oracle's, and Python 3.11's of that
/// time) gives for the ALTER TABLE forms later SQLite versions learned
/// (`ALTER COLUMN ... SET/DROP NOT NULL`, `ADD CONSTRAINT`, `ADD CHECK`,
/// `DROP CONSTRAINT`): Alembic emits the first, and must keep failing the
/// way it failed there.
pub(crate) fn sqlite_3_40_syntax_error(sql: &str) -> Option<String> {
    let tokens = leading_tokens(sql, 8);
    let word = |i: usize| tokens.get(i).map(String::as_str).unwrap_or_default();
    let is = |i: usize, keyword: &str| word(i).eq_ignore_ascii_case(keyword);
    if !(is(0, "ALTER") && is(1, "TABLE")) {
        return None;
    }
    // The table name, maybe `schema.table`.
    let action = if word(3) == "." { 5 } else { 3 };
    let rejected = if is(action, "ALTER") {
        action
    } else if (is(action, "ADD") && (is(action + 1, "CONSTRAINT") || is(action + 1, "CHECK")))
        || (is(action, "DROP") && is(action + 1, "CONSTRAINT"))
    {
        action + 1
    } else {
        return None;
    };
    Some(format!("near \"{}\": syntax error", word(rejected)))
}

/// The first `limit` SQL tokens as written (comments and blanks skipped).
fn leading_tokens(sql: &str, limit: usize) -> Vec<String> {
    let chars: Vec<char> = sql.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() && tokens.len() < limit {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
        } else if let Some(close) = match c {
            '"' => Some('"'),
            '\'' => Some('\''),
            '`' => Some('`'),
            '[' => Some(']'),
            _ => None,
        } {
            let start = i;
            i += 1;
            while i < chars.len() {
                if chars[i] == close {
                    // A doubled quote is an escaped one (not inside brackets).
                    if close != ']' && chars.get(i + 1) == Some(&close) {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            i = (i + 1).min(chars.len());
            tokens.push(chars[start..i].iter().collect());
        } else if c.is_alphanumeric() || c == '_' || c == '$' || !c.is_ascii() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$' || !chars[i].is_ascii())
            {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect());
        } else {
            tokens.push(c.to_string());
            i += 1;
        }
    }
    tokens
}

/// A piece of a `text()` construct after SQLAlchemy's bind parameter scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TextPiece {
    Sql(String),
    /// `:name`
    Bind(String),
}

fn is_bind_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// Splits `text()` SQL the way SQLAlchemy's compiler does: `:name` not
/// preceded by `:`, a word character, `$` or a backslash, and not followed
/// by `:` (`BIND_PARAMS`), is a bind parameter; `\:name` is an escaped colon.
pub(crate) fn text_pieces(sql: &str) -> Vec<TextPiece> {
    let chars: Vec<char> = sql.chars().collect();
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let run_end = |from: usize| {
            let mut end = from;
            while end < chars.len() && is_bind_char(chars[end]) {
                end += 1;
            }
            end
        };
        if c == '\\' && chars.get(i + 1) == Some(&':') {
            let end = run_end(i + 2);
            if chars.get(end) != Some(&':') {
                literal.extend(&chars[i + 1..end]);
                i = end;
                continue;
            }
        }
        if c == ':' {
            let preceded = i > 0 && (chars[i - 1] == ':' || chars[i - 1] == '\\' || is_bind_char(chars[i - 1]));
            let end = run_end(i + 1);
            if !preceded && end > i + 1 && chars.get(end) != Some(&':') {
                if !literal.is_empty() {
                    pieces.push(TextPiece::Sql(std::mem::take(&mut literal)));
                }
                pieces.push(TextPiece::Bind(chars[i + 1..end].iter().collect()));
                i = end;
                continue;
            }
        }
        literal.push(c);
        i += 1;
    }
    if !literal.is_empty() {
        pieces.push(TextPiece::Sql(literal));
    }
    pieces
}

/// The names of the bind parameters, in order of appearance (repeats kept).
pub(crate) fn bind_names(pieces: &[TextPiece]) -> Vec<&str> {
    pieces
        .iter()
        .filter_map(|p| match p {
            TextPiece::Bind(name) => Some(name.as_str()),
            TextPiece::Sql(_) => None,
        })
        .collect()
}

/// The text with each bind rendered by `render`.
pub(crate) fn render_text(pieces: &[TextPiece], mut render: impl FnMut(&str) -> String) -> String {
    pieces
        .iter()
        .map(|p| match p {
            TextPiece::Sql(s) => s.clone(),
            TextPiece::Bind(name) => render(name),
        })
        .collect()
}

/// The value the driver gets for a Python literal (SQLAlchemy's `Boolean`
/// binds `True` as `1` on SQLite).
pub(crate) fn bind_value(literal: &Literal) -> Value {
    match literal {
        Literal::None => Value::Null,
        Literal::Bool(b) => Value::Integer(i64::from(*b)),
        Literal::Int(n) => Value::Integer(*n),
        Literal::Float(f) => Value::Real(*f),
        Literal::Str(s) => Value::Text(s.clone()),
    }
}

/// A literal as the SQLite dialect renders it with `literal_binds=True`.
pub(crate) fn literal_sql(literal: &Literal) -> String {
    match literal {
        Literal::None => "NULL".into(),
        Literal::Bool(b) => if *b { "1" } else { "0" }.into(),
        Literal::Int(n) => n.to_string(),
        Literal::Float(f) => python_float_repr(*f),
        Literal::Str(s) => format!("'{}'", s.replace('\'', "''")),
    }
}

/// A Python literal as `repr()` writes it (in a dict of raw parameters).
pub(crate) fn literal_repr(literal: &Literal) -> String {
    match literal {
        Literal::None => "None".into(),
        Literal::Bool(b) => if *b { "True" } else { "False" }.into(),
        Literal::Int(n) => n.to_string(),
        Literal::Float(f) => python_float_repr(*f),
        Literal::Str(s) => truncated(python_str_repr(s)),
    }
}

/// SQLAlchemy cuts a parameter's repr longer than 300 characters.
fn truncated(repr: String) -> String {
    const MAX_CHARS: usize = 300;
    let chars: Vec<char> = repr.chars().collect();
    if chars.len() <= MAX_CHARS {
        return repr;
    }
    let segment = MAX_CHARS / 2;
    format!(
        "{} ... ({} characters truncated) ... {}",
        chars[..segment].iter().collect::<String>(),
        chars.len() - MAX_CHARS,
        chars[chars.len() - segment..].iter().collect::<String>()
    )
}

/// A driver value as SQLAlchemy's `[parameters: ...]` shows it.
fn value_repr(value: &Value) -> String {
    match value {
        Value::Null => "None".into(),
        Value::Integer(n) => n.to_string(),
        Value::Real(f) => python_float_repr(*f),
        Value::Text(s) => truncated(python_str_repr(s)),
        Value::Blob(b) => {
            let mut out = String::from("b'");
            for byte in b {
                match byte {
                    b'\\' => out.push_str("\\\\"),
                    b'\'' => out.push_str("\\'"),
                    0x20..=0x7e => out.push(*byte as char),
                    b'\n' => out.push_str("\\n"),
                    b'\r' => out.push_str("\\r"),
                    b'\t' => out.push_str("\\t"),
                    _ => out.push_str(&format!("\\x{byte:02x}")),
                }
            }
            out.push('\'');
            truncated(out)
        }
    }
}

/// A Python tuple of reprs: `('a',)`, `(1, 'b')`.
pub(crate) fn tuple_repr(items: &[String]) -> String {
    if items.len() == 1 {
        format!("({},)", items[0])
    } else {
        format!("({})", items.join(", "))
    }
}

/// A list of parameter sets as SQLAlchemy shows it: at most 10, the first
/// eight and the last two around a count.
pub(crate) fn multi_repr(sets: &[String]) -> String {
    const BATCHES: usize = 10;
    if sets.len() > BATCHES {
        format!(
            "[{}  ... displaying {BATCHES} of {} total bound parameter sets ...  {}]",
            sets[..BATCHES - 2].join(", "),
            sets.len(),
            sets[sets.len() - 2..].join(", ")
        )
    } else {
        format!("[{}]", sets.join(", "))
    }
}

/// The `[parameters: ...]` text for what was sent, or `None` when nothing was.
pub(crate) fn params_repr(params: &Params) -> Option<String> {
    let row = |values: &[Value]| tuple_repr(&values.iter().map(value_repr).collect::<Vec<_>>());
    match params {
        Params::None => None,
        Params::Single(values) if values.is_empty() => None,
        Params::Single(values) => Some(row(values)),
        Params::Many(rows) => Some(multi_repr(&rows.iter().map(|r| row(r)).collect::<Vec<_>>())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binds(sql: &str) -> Vec<String> {
        bind_names(&text_pieces(sql)).into_iter().map(String::from).collect()
    }

    #[test]
    fn bind_parameters_are_found_as_sqlalchemy_finds_them() {
        assert_eq!(binds("INSERT INTO user (name) VALUES (:name)"), ["name"]);
        assert_eq!(binds("VALUES ('12:30')"), Vec::<String>::new());
        assert_eq!(binds("SELECT a::int, :x, :y:"), ["x"]);
        let pieces = text_pieces("SELECT '\\:x', :y");
        assert_eq!(render_text(&pieces, |_| "?".into()), "SELECT ':x', ?");
    }

    #[test]
    fn alter_forms_newer_than_sqlite_3_40_are_syntax_errors() {
        let error = |sql: &str| sqlite_3_40_syntax_error(sql);
        assert_eq!(error("ALTER TABLE user ALTER COLUMN name SET NOT NULL").unwrap(), "near \"ALTER\": syntax error");
        assert_eq!(error("alter table main.t /* x */ Alter column a").unwrap(), "near \"Alter\": syntax error");
        assert_eq!(error("alter table \"t\" add check (a>0)").unwrap(), "near \"check\": syntax error");
        assert_eq!(error("ALTER TABLE t DROP CONSTRAINT c").unwrap(), "near \"CONSTRAINT\": syntax error");
        assert_eq!(error("ALTER TABLE t ADD COLUMN x INTEGER"), None);
        assert_eq!(error("ALTER TABLE t DROP COLUMN x"), None);
    }

    #[test]
    fn dml_is_detected_as_python_sqlite3_does() {
        assert!(is_dml("\n  insert into t values (1)"));
        assert!(is_dml("REPLACE INTO t VALUES (1)"));
        assert!(!is_dml("-- x\nUPDATE t SET a = 1"));
        assert!(!is_dml("CREATE TABLE t (a)"));
    }

    #[test]
    fn parameters_are_shown_as_sqlalchemy_shows_them() {
        assert_eq!(params_repr(&Params::Single(vec![Value::Text("guest".into())])).unwrap(), "('guest',)");
        let rows = vec![vec![Value::Text("ann".into()), Value::Null], vec![Value::Integer(2), Value::Real(1.0)]];
        assert_eq!(params_repr(&Params::Many(rows)).unwrap(), "[('ann', None), (2, 1.0)]");
        let many: Vec<String> = (0..12).map(|i| format!("({i},)")).collect();
        assert_eq!(
            multi_repr(&many),
            "[(0,), (1,), (2,), (3,), (4,), (5,), (6,), (7,)  ... displaying 10 of 12 total bound parameter sets ...  \
             (10,), (11,)]"
        );
    }

    #[test]
    fn offline_text_is_alembic_static_output() {
        let statement = Statement::plain("\nCREATE TABLE t (\n\tid INTEGER\n)\n\n");
        assert_eq!(statement.offline_text(), "CREATE TABLE t (\n    id INTEGER\n);");
        assert_eq!(statement.reported(), "CREATE TABLE t (\n\tid INTEGER\n)");
    }
}
