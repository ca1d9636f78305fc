//! What the SQLite dialect recovers from a table's `CREATE TABLE` text with
//! regular expressions: the primary key's name, foreign key clauses with
//! their names and actions, `UNIQUE` clauses, and `CHECK` constraints. The
//! patterns are SQLAlchemy's own, verbatim, so they find exactly what it
//! finds (and miss what it misses).

use std::sync::OnceLock;

use super::pattern::{is_space, Pattern, Subject, IGNORECASE};

/// `get_pk_constraint`'s pattern for the primary key's name.
const PK_PATTERN: &str = r#"CONSTRAINT\s+(?:"(.+?)"|(\w+))\s+PRIMARY\s+KEY"#;

/// `get_foreign_keys`' pattern for a table-level `FOREIGN KEY` clause.
const FK_PATTERN: &str = concat!(
    r#"(?:CONSTRAINT\s+(?:"(.+?)"|(\w+))\s+)?"#,
    r"FOREIGN\s+KEY\s*\(\s*(.+?)\s*\)\s+",
    r#"REFERENCES\s+(?:(?:"(.+?)")|([a-z0-9_]+))\s*\(\s*((?:(?:"[^"]+"|[a-z0-9_]+)\s*(?:,\s*)?)+)\)\s*"#,
    r"((?:ON\s+(?:DELETE|UPDATE)\s+",
    r"(?:SET\s+NULL|SET\s+DEFAULT|CASCADE|RESTRICT|",
    r"NO\s+ACTION)\s*)*)",
    r"((?:NOT\s+)?DEFERRABLE)?",
    r"(?:\s+INITIALLY\s+(DEFERRED|IMMEDIATE))?",
);

/// `_find_cols_in_sig`: the names in a column list.
const COLUMN_NAME_PATTERN: &str = r#"(?:"(.+?)")|([a-z0-9_]+)"#;

/// `get_unique_constraints`' pattern for a table-level `UNIQUE (...)`.
const UNIQUE_PATTERN: &str = r#"(?:CONSTRAINT\s+(?:"(.+?)"|(\w+))\s+)?UNIQUE\s*\((.+?)\)"#;

/// `get_unique_constraints`' pattern for a column-level `UNIQUE`: a column
/// name, at least one more word (the type), and `UNIQUE`, all separated by
/// spaces or tabs. A type with parentheses (`VARCHAR(50)`) or no type at all
/// does not match, so those inline constraints are not reflected.
const INLINE_UNIQUE_PATTERN: &str =
    r#"(?:(".+?")|(?:[\[`])?([a-z0-9_]+)(?:[\]`])?)[\t ]+[a-z0-9_]+(?:[\t ]+[a-z0-9_]+)*?[\t ]+UNIQUE"#;

/// `get_check_constraints`' pattern (written verbose in SQLAlchemy) for the
/// start of a `[CONSTRAINT name] CHECK (`; the text runs to the matching `)`.
const CHECK_PATTERN: &str = concat!(
    r"(?<![A-Za-z0-9_])",
    r"(?:CONSTRAINT\s+(",
    r#""(?:[^"]|"")+""#,
    r"|'(?:[^']|'')+'",
    r"|\[(?:[^\]]|\]\])+\]",
    r"|`(?:[^`]|``)+`",
    r"|\S+",
    r")\s+)?",
    r"CHECK\s*\(",
);

fn compiled(cell: &'static OnceLock<Pattern>, source: &str) -> &'static Pattern {
    cell.get_or_init(|| Pattern::new(source, IGNORECASE))
}

/// False only when none of the patterns needing `keyword` (lower-case ASCII,
/// matched case-insensitively) can match `text`: ASCII text without it. A
/// non-ASCII character can match an ASCII letter under `IGNORECASE` (the
/// Kelvin sign is a `k`), so text with any is always searched.
fn may_contain(text: &str, keyword: &str) -> bool {
    if !text.is_ascii() {
        return true;
    }
    let (text, keyword) = (text.as_bytes(), keyword.as_bytes());
    let Some((&first, rest)) = keyword.split_first() else { return true };
    (0..text.len().saturating_sub(rest.len())).any(|i| {
        text[i].to_ascii_lowercase() == first && text[i + 1..i + 1 + rest.len()].eq_ignore_ascii_case(rest)
    })
}

/// A `FOREIGN KEY` clause as `get_foreign_keys` parses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedForeignKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub referred_table: String,
    pub referred_columns: Vec<String>,
    pub ondelete: Option<String>,
    pub onupdate: Option<String>,
    pub deferrable: Option<bool>,
    pub initially: Option<String>,
}

/// A `CHECK` constraint as `get_check_constraints` returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCheck {
    pub name: Option<String>,
    pub sqltext: String,
}

/// Python's `str.strip()`.
fn python_strip(text: &str) -> &str {
    text.trim_matches(is_space)
}

/// `_find_cols_in_sig`: names in double quotes (taken as they are, `""`
/// not unescaped) or runs of `[a-z0-9_]`; anything else separates them, so
/// `[a b]` gives `a` and `b`.
pub fn columns_in_signature(signature: &str) -> Vec<String> {
    static PATTERN: OnceLock<Pattern> = OnceLock::new();
    let subject = Subject::new(signature);
    compiled(&PATTERN, COLUMN_NAME_PATTERN)
        .find_iter(&subject)
        .iter()
        .filter_map(|m| m.group(&subject, 1).or_else(|| m.group(&subject, 2)))
        .collect()
}

/// The primary key constraint's name: the first `CONSTRAINT name PRIMARY KEY`
/// anywhere in the text. There is no word boundary before `CONSTRAINT`, so a
/// column `myconstraint INTEGER PRIMARY KEY` names the key `INTEGER`, as in
/// SQLAlchemy.
pub fn primary_key_name(table_sql: &str) -> Option<String> {
    static PATTERN: OnceLock<Pattern> = OnceLock::new();
    if !may_contain(table_sql, "constraint") {
        return None;
    }
    let subject = Subject::new(table_sql);
    let m = compiled(&PATTERN, PK_PATTERN).search(&subject)?;
    m.group(&subject, 1).or_else(|| m.group(&subject, 2))
}

/// Every table-level `FOREIGN KEY` clause the pattern finds, in text order.
/// Column-level `REFERENCES` clauses are not found (SQLAlchemy keeps those
/// from the PRAGMA alone, unnamed and without ON DELETE/UPDATE).
pub fn foreign_keys(table_sql: &str) -> Vec<ParsedForeignKey> {
    static PATTERN: OnceLock<Pattern> = OnceLock::new();
    let mut found = Vec::new();
    if !may_contain(table_sql, "foreign") {
        return found;
    }
    let subject = Subject::new(table_sql);
    for m in compiled(&PATTERN, FK_PATTERN).find_iter(&subject) {
        let group = |i| m.group(&subject, i);
        let columns = columns_in_signature(&group(3).unwrap_or_default());
        let referred_columns = match group(6) {
            Some(list) if !list.is_empty() => columns_in_signature(&list),
            _ => columns.clone(),
        };
        let (ondelete, onupdate) = referential_actions(&group(7).unwrap_or_default());
        found.push(ParsedForeignKey {
            name: group(1).or_else(|| group(2)),
            columns,
            referred_table: group(4).or_else(|| group(5)).unwrap_or_default(),
            referred_columns,
            ondelete,
            onupdate,
            deferrable: group(8).map(|d| !d.to_uppercase().contains("NOT")),
            initially: group(9).map(|i| i.to_uppercase()),
        });
    }
    found
}

/// The `ON DELETE x ON UPDATE y` text → (ondelete, onupdate), upper-cased,
/// with `NO ACTION` (SQLite's default) reported as none. The text only holds
/// the pattern's keywords, so splitting it into words and starting a clause
/// at every `ON` is what SQLAlchemy's `re.split(r" *\bON\b *", ...)` does.
fn referential_actions(text: &str) -> (Option<String>, Option<String>) {
    let upper = text.to_uppercase();
    let words: Vec<&str> = upper.split(is_space).filter(|w| !w.is_empty()).collect();
    let (mut ondelete, mut onupdate) = (None, None);
    for clause in words.split(|w| *w == "ON") {
        let action = clause.get(1..).unwrap_or_default().join(" ");
        if action.is_empty() || action == "NO ACTION" {
            continue;
        }
        match clause.first() {
            Some(&"DELETE") => ondelete = Some(action),
            Some(&"UPDATE") => onupdate = Some(action),
            _ => {}
        }
    }
    (ondelete, onupdate)
}

/// `(name, columns)` of every `UNIQUE` the patterns find: table-level
/// clauses first, then column-level ones (never named), in text order.
pub fn unique_constraints(table_sql: &str) -> Vec<(Option<String>, Vec<String>)> {
    static TABLE_LEVEL: OnceLock<Pattern> = OnceLock::new();
    static INLINE: OnceLock<Pattern> = OnceLock::new();
    let mut found = Vec::new();
    if !may_contain(table_sql, "unique") {
        return found;
    }
    let subject = Subject::new(table_sql);
    for m in compiled(&TABLE_LEVEL, UNIQUE_PATTERN).find_iter(&subject) {
        let name = m.group(&subject, 1).or_else(|| m.group(&subject, 2));
        found.push((name, columns_in_signature(&m.group(&subject, 3).unwrap_or_default())));
    }
    for m in compiled(&INLINE, INLINE_UNIQUE_PATTERN).find_iter(&subject) {
        let column = m.group(&subject, 1).or_else(|| m.group(&subject, 2)).unwrap_or_default();
        found.push((None, columns_in_signature(&column)));
    }
    found
}

/// Every `CHECK` constraint, table- or column-level, sorted by name with the
/// unnamed ones last. The text is what lies between the parentheses, found by
/// counting parentheses outside '…' and "…" literals, then stripped.
pub fn check_constraints(table_sql: &str) -> Vec<ParsedCheck> {
    static PATTERN: OnceLock<Pattern> = OnceLock::new();
    let mut checks = Vec::new();
    if !may_contain(table_sql, "check") {
        return checks;
    }
    let subject = Subject::new(table_sql);
    for m in compiled(&PATTERN, CHECK_PATTERN).find_iter(&subject) {
        let name = m.group(&subject, 1).map(|name| unquote_check_name(&name));
        if let Some(close) = find_matching_paren(subject.chars(), m.end - 1) {
            let body = subject.slice(m.end, close);
            checks.push(ParsedCheck { name, sqltext: python_strip(&body).to_string() });
        }
    }
    // `cks.sort(key=lambda d: d["name"] or "~")`: a stable sort by code
    // point, unnamed sorting as "~".
    checks.sort_by(|a, b| a.name.as_deref().unwrap_or("~").cmp(b.name.as_deref().unwrap_or("~")));
    checks
}

/// Removes one pair of surrounding quotes (`"…"`, `'…'`, `` `…` `` or `[…]`)
/// from a CHECK constraint's name. Doubled quotes inside stay doubled, as
/// SQLAlchemy does not unescape them.
fn unquote_check_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    if chars.len() >= 3 {
        let (first, last) = (chars[0], chars[chars.len() - 1]);
        if (matches!(first, '"' | '\'' | '`') && last == first) || (first == '[' && last == ']') {
            return chars[1..chars.len() - 1].iter().collect();
        }
    }
    name.to_string()
}

/// SQLAlchemy's `util.find_matching_paren`: the index of the `)` closing the
/// `(` at `open`, skipping '…' and "…" literals (with doubled quotes inside).
pub fn find_matching_paren(text: &[char], open: usize) -> Option<usize> {
    let (mut depth, mut in_single, mut in_double) = (0usize, false, false);
    let mut i = open;
    while i < text.len() {
        let c = text[i];
        if in_single || in_double {
            let quote = if in_single { '\'' } else { '"' };
            if c == quote {
                if text.get(i + 1) == Some(&quote) {
                    i += 2;
                    continue;
                }
                in_single = false;
                in_double = false;
            }
        } else if c == '\'' {
            in_single = true;
        } else if c == '"' {
            in_double = true;
        } else if c == '(' {
            depth += 1;
        } else if c == ')' {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return Some(i);
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_compiles() {
        for source in [PK_PATTERN, FK_PATTERN, COLUMN_NAME_PATTERN, UNIQUE_PATTERN, INLINE_UNIQUE_PATTERN, CHECK_PATTERN] {
            Pattern::new(source, IGNORECASE);
        }
    }

    #[test]
    fn primary_key_names() {
        assert_eq!(primary_key_name("CREATE TABLE t (id INT, CONSTRAINT pk_t PRIMARY KEY (id))").as_deref(), Some("pk_t"));
        assert_eq!(primary_key_name("CREATE TABLE t (id INT, CONSTRAINT \"pk t\"\n PRIMARY KEY (id))").as_deref(), Some("pk t"));
        assert_eq!(primary_key_name("CREATE TABLE t (id INT, PRIMARY KEY (id))"), None);
        assert_eq!(primary_key_name("CREATE TABLE t (myconstraint INTEGER PRIMARY KEY)").as_deref(), Some("INTEGER"));
    }

    #[test]
    fn foreign_key_clauses() {
        let sql = "CREATE TABLE c (\n\tid INTEGER NOT NULL, \n\tp_id INTEGER, \n\tPRIMARY KEY (id), \n\t\
                   CONSTRAINT fk_c_p FOREIGN KEY(p_id) REFERENCES \"parent\" (\"id\") ON DELETE CASCADE ON UPDATE no action DEFERRABLE INITIALLY deferred\n)";
        assert_eq!(
            foreign_keys(sql),
            vec![ParsedForeignKey {
                name: Some("fk_c_p".into()),
                columns: vec!["p_id".into()],
                referred_table: "parent".into(),
                referred_columns: vec!["id".into()],
                ondelete: Some("CASCADE".into()),
                onupdate: None,
                deferrable: Some(true),
                initially: Some("DEFERRED".into()),
            }]
        );
        // Inline REFERENCES and a REFERENCES without columns are not found.
        assert!(foreign_keys("CREATE TABLE c (p_id INTEGER REFERENCES parent(id) ON DELETE CASCADE)").is_empty());
        assert!(foreign_keys("CREATE TABLE c (p_id INTEGER, FOREIGN KEY (p_id) REFERENCES parent)").is_empty());
    }

    #[test]
    fn referential_action_words() {
        assert_eq!(referential_actions("on update set\n null on delete restrict "), (Some("RESTRICT".into()), Some("SET NULL".into())));
        assert_eq!(referential_actions(""), (None, None));
    }

    #[test]
    fn unique_clauses() {
        let sql = "CREATE TABLE t (a INTEGER, b TEXT NOT NULL UNIQUE, c VARCHAR(5) UNIQUE, d UNIQUE, \
                   CONSTRAINT uq_a UNIQUE (a, \"b\"), UNIQUE(c))";
        assert_eq!(
            unique_constraints(sql),
            vec![
                (Some("uq_a".to_string()), vec!["a".to_string(), "b".to_string()]),
                (None, vec!["c".to_string()]),
                (None, vec!["b".to_string()]),
                // `CONSTRAINT uq_a UNIQUE` reads as a column `CONSTRAINT` of type
                // `uq_a`; no auto-index has that signature, so it is dropped later.
                (None, vec!["CONSTRAINT".to_string()]),
            ]
        );
    }

    #[test]
    fn check_clauses() {
        let sql = "CREATE TABLE t (a INTEGER CHECK (a > 0), b TEXT, CONSTRAINT \"ck b\" CHECK (b IN ('(', ')')), \
                   CONSTRAINT [ck_x] CHECK(length(b) < 10), xcheck INTEGER)";
        assert_eq!(
            check_constraints(sql),
            vec![
                ParsedCheck { name: Some("ck b".into()), sqltext: "b IN ('(', ')')".into() },
                ParsedCheck { name: Some("ck_x".into()), sqltext: "length(b) < 10".into() },
                ParsedCheck { name: None, sqltext: "a > 0".into() },
            ]
        );
        assert_eq!(unquote_check_name("\"na\"\"me\""), "na\"\"me");
    }

    #[test]
    fn keyword_checks_only_skip_text_that_cannot_match() {
        assert!(may_contain("x CHECK (a)", "check"));
        assert!(may_contain("check", "check"));
        assert!(!may_contain("CREATE TABLE t (chec INTEGER)", "check"));
        assert!(!may_contain("chec", "check"));
        assert!(!may_contain("", "check"));
        // The Kelvin sign is a `k` to IGNORECASE: non-ASCII text is always searched.
        assert!(may_contain("CHEC\u{212A} (a > 0)", "check"));
        assert_eq!(check_constraints("CREATE TABLE t (a INTEGER CHEC\u{212A} (a > 0))").len(), 1);
        assert_eq!(primary_key_name("CREATE TABLE t (id INT, constraint pk PRIMARY \u{212A}EY (id))").as_deref(), Some("pk"));
        assert_eq!(check_constraints("CREATE TABLE t (a INTEGER)"), vec![]);
    }

    #[test]
    fn matching_parens_skip_literals() {
        let text: Vec<char> = "(a = '(' AND b = \")\")".chars().collect();
        assert_eq!(find_matching_paren(&text, 0), Some(text.len() - 1));
        assert_eq!(find_matching_paren(&['(', 'a'], 0), None);
    }
}
