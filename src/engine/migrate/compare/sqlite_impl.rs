//! The rules Alembic's `SQLiteImpl` (and the `DefaultImpl` it inherits) applies
//! when autogenerate compares a reflected column with a models column: how a
//! type's DDL is tokenized and compared, how server defaults are normalised,
//! and how reflected defaults are parenthesised (`autogen_column_reflect`).

use std::borrow::Cow;

use crate::engine::metadata::{MetaData, ServerDefault};
use crate::engine::sqltypes::SqlType;

/// A type's DDL split the way `DefaultImpl._tokenize_column_type` splits it:
/// `varchar(50) collate "nocase"` → `varchar`, `[collate, nocase]`, `[50]`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TypeTokens {
    first: String,
    rest: Vec<String>,
    args: Vec<String>,
}

/// Splits like `re.findall(r"[\w\-_]+|\(.+?\)", definition)` does.
fn find_tokens(definition: &str) -> Vec<String> {
    let chars: Vec<char> = definition.chars().collect();
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_word(c) {
            let start = i;
            while i < chars.len() && is_word(chars[i]) {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect());
        } else if c == '(' {
            // `\(.+?\)`: at least one character, then the nearest `)`.
            match chars.iter().skip(i + 2).position(|&c| c == ')') {
                Some(offset) => {
                    let end = i + 2 + offset;
                    tokens.push(chars[i..=end].iter().collect());
                    i = end + 1;
                }
                None => i += 1,
            }
        } else {
            i += 1;
        }
    }
    tokens
}

fn tokenize(ddl: &str) -> TypeTokens {
    let definition = ddl.to_lowercase();
    let mut words = Vec::new();
    let mut paren_term = None;
    for token in find_tokens(&definition) {
        if token.starts_with('(') && token.ends_with(')') {
            paren_term = Some(token);
        } else {
            words.push(token);
        }
    }
    let mut args = Vec::new();
    if let Some(term) = paren_term {
        // `re.findall("[^(),]+", paren_term)`; `key=value` terms are kwargs, not args.
        for piece in term.split(['(', ')', ',']).filter(|p| !p.is_empty()) {
            if !piece.contains('=') {
                args.push(piece.trim().to_string());
            }
        }
    }
    let mut words = words.into_iter();
    TypeTokens { first: words.next().unwrap_or_default(), rest: words.collect(), args }
}

/// `impl.type_synonyms`: type names the database treats as one.
const TYPE_SYNONYMS: &[&[&str]] = &[&["numeric", "decimal"]];

fn types_match(inspected: &TypeTokens, metadata: &TypeTokens) -> bool {
    if inspected.first == metadata.first {
        return true;
    }
    let all_terms = |t: &TypeTokens| {
        std::iter::once(t.first.clone()).chain(t.rest.iter().cloned()).collect::<Vec<_>>().join(" ")
    };
    let (inspected_all, metadata_all) = (all_terms(inspected), all_terms(metadata));
    TYPE_SYNONYMS.iter().any(|batch| {
        (batch.contains(&inspected_all.as_str()) && batch.contains(&metadata_all.as_str()))
            || (batch.contains(&inspected.first.as_str()) && batch.contains(&metadata.first.as_str()))
    })
}

/// Arguments are compared only where both sides give the same number of them
/// (`VARCHAR` matches `VARCHAR(50)`; `VARCHAR(50)` does not match `VARCHAR(100)`).
fn args_match(inspected: &TypeTokens, metadata: &TypeTokens) -> bool {
    let differ = |a: &Vec<String>, b: &Vec<String>| a.len() == b.len() && a != b;
    !differ(&metadata.rest, &inspected.rest) && !differ(&metadata.args, &inspected.args)
}

/// `DefaultImpl.compare_type`: whether the types' SQLite DDL differ. This is
/// why an `Enum` change shows only when its `VARCHAR` length changes.
pub fn types_differ(inspected: &SqlType, metadata: &SqlType) -> bool {
    let (inspected, metadata) = (inspected.sqlite_ddl(), metadata.sqlite_ddl());
    // The same DDL tokenizes the same, and equal tokens match.
    if inspected == metadata {
        return false;
    }
    let inspected = tokenize(&inspected);
    let metadata = tokenize(&metadata);
    !types_match(&inspected, &metadata) || !args_match(&inspected, &metadata)
}

/// `_render_server_default_for_compare` for a models column: a string
/// default is taken as is, an expression as the SQL it compiles to.
pub fn rendered_metadata_default(default: &ServerDefault) -> String {
    match default {
        ServerDefault::Literal(s) => s.clone(),
        other => other.sql(),
    }
}

/// `re.sub(r"^\((.+)\)$", r"\1", ...)` then `re.sub(r"^\"?'(.+)'\"?$", r"\1", ...)`.
fn normalise_default(text: &str) -> String {
    // `.` does not match a newline, so multi-line text is left alone.
    let single_line = !text.contains('\n');
    let mut text = text.to_string();
    if single_line && text.len() >= 3 && text.starts_with('(') && text.ends_with(')') {
        text = text[1..text.len() - 1].to_string();
    }
    if single_line {
        let inner = text.strip_prefix('"').unwrap_or(&text);
        let inner = inner.strip_suffix('"').unwrap_or(inner);
        if inner.len() >= 3 && inner.starts_with('\'') && inner.ends_with('\'') {
            text = inner[1..inner.len() - 1].to_string();
        }
    }
    text
}

/// `SQLiteImpl.compare_server_default`: parentheses and quotes around either
/// side do not count.
pub fn server_defaults_differ(rendered_metadata: Option<&str>, rendered_inspected: Option<&str>) -> bool {
    rendered_metadata.map(normalise_default) != rendered_inspected.map(normalise_default)
}

/// `SQLiteImpl._guess_if_default_is_unparenthesized_sql_expr`.
fn is_unparenthesized_expression(expr: &str) -> bool {
    let single_char_number = expr.chars().count() == 1 && expr.chars().all(|c| c.is_ascii_digit() || c == '.');
    let one_line = !expr.contains('\n');
    let quoted = one_line && expr.len() >= 3 && expr.starts_with('\'') && expr.ends_with('\'');
    let parenthesized = one_line && expr.len() >= 3 && expr.starts_with('(') && expr.ends_with(')');
    !(expr.is_empty() || single_char_number || quoted || parenthesized)
}

/// `SQLiteImpl.autogen_column_reflect`: reflected expression defaults get
/// parentheses (`CURRENT_TIMESTAMP` → `(CURRENT_TIMESTAMP)`, `10` → `(10)`),
/// as autogenerate's reflection of the database has them. Borrowed as it is
/// when no default needs them.
pub fn apply_column_reflect_hook(database: &MetaData) -> Cow<'_, MetaData> {
    let needs_hook = |default: &Option<ServerDefault>| {
        matches!(default, Some(ServerDefault::Reflected(text)) if is_unparenthesized_expression(text))
    };
    if !database.tables.iter().flat_map(|t| &t.columns).any(|c| needs_hook(&c.server_default)) {
        return Cow::Borrowed(database);
    }
    let mut hooked = database.clone();
    for column in hooked.tables.iter_mut().flat_map(|t| t.columns.iter_mut()) {
        if needs_hook(&column.server_default) {
            if let Some(ServerDefault::Reflected(text)) = &mut column.server_default {
                *text = format!("({text})");
            }
        }
    }
    Cow::Owned(hooked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::sqltypes::{EnumSpec, TypeName};

    fn enum_of(values: &[&str]) -> SqlType {
        SqlType {
            enum_spec: Some(EnumSpec { values: values.iter().map(|v| v.to_string()).collect(), ..Default::default() }),
            ..SqlType::new(TypeName::Enum)
        }
    }

    #[test]
    fn type_comparison_follows_the_ddl() {
        let varchar = |n| SqlType::with_length(TypeName::VARCHAR, n);
        assert!(types_differ(&varchar(50), &SqlType::with_length(TypeName::String, 100)));
        assert!(!types_differ(&varchar(50), &SqlType::with_length(TypeName::String, 50)));
        assert!(!types_differ(&SqlType::new(TypeName::VARCHAR), &SqlType::with_length(TypeName::String, 50)));
        assert!(types_differ(&SqlType::new(TypeName::INTEGER), &SqlType::new(TypeName::Float)));
        assert!(types_differ(&varchar(6), &enum_of(&["open", "closed", "in_progress"])));
        assert!(!types_differ(&varchar(1), &enum_of(&["S", "M", "L"])));
        let numeric = SqlType { precision: Some(10), scale: Some(2), ..SqlType::new(TypeName::DECIMAL) };
        let models = SqlType { precision: Some(10), scale: Some(2), ..SqlType::new(TypeName::Numeric) };
        assert!(!types_differ(&numeric, &models));
        assert!(!types_differ(&SqlType::new(TypeName::DATETIME), &SqlType { timezone: true, ..SqlType::new(TypeName::DateTime) }));
    }

    #[test]
    fn tokenizer_matches_the_regex() {
        let t = tokenize("VARCHAR(50) COLLATE \"NOCASE\"");
        assert_eq!((t.first.as_str(), t.rest.clone(), t.args.clone()), ("varchar", vec!["collate".to_string(), "nocase".into()], vec!["50".to_string()]));
        assert_eq!(tokenize("NUMERIC(10, 2)").args, vec!["10", "2"]);
        assert_eq!(tokenize("DOUBLE PRECISION").rest, vec!["precision"]);
    }

    #[test]
    fn server_defaults_ignore_quotes_and_parentheses() {
        assert!(!server_defaults_differ(Some("0"), Some("0")));
        assert!(!server_defaults_differ(Some("CURRENT_TIMESTAMP"), Some("(CURRENT_TIMESTAMP)")));
        assert!(server_defaults_differ(Some("published"), Some("'draft'")));
        assert!(!server_defaults_differ(Some("draft"), Some("'draft'")));
        assert!(server_defaults_differ(None, Some("'draft'")));
        assert!(!server_defaults_differ(None, None));
    }

    #[test]
    fn reflected_expressions_get_parentheses() {
        assert!(is_unparenthesized_expression("CURRENT_TIMESTAMP"));
        assert!(is_unparenthesized_expression("10"));
        assert!(!is_unparenthesized_expression("0"));
        assert!(!is_unparenthesized_expression("'draft'"));
        assert!(!is_unparenthesized_expression("(1 + 2)"));
    }
}
