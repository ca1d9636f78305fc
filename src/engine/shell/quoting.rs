//! How GNU coreutils quote file names in messages, so that `rm: cannot remove
//! 'a b'` and `mkdir: cannot create directory ‘d’` match the real tools in a
//! UTF-8 locale.

/// Characters that make coreutils quote a name anywhere in it.
const SPECIAL: &[char] =
    &[' ', '\t', '\n', '!', '"', '$', '&', '\'', '(', ')', '*', ':', ';', '<', '=', '>', '?', '[', '\\', '^', '`', '|'];
/// Characters that make coreutils quote a name only when they come first.
const SPECIAL_FIRST: &[char] = &['#', '~'];
/// Characters a double-quoted shell word would still interpret.
const ACTIVE_IN_DOUBLE_QUOTES: &[char] = &['"', '$', '`', '\\', '!'];

fn needs_quotes(name: &str) -> bool {
    name.is_empty() || name.contains(SPECIAL) || name.starts_with(SPECIAL_FIRST)
}

/// Shell-quotes a name always (`'x'`), as `rm`, `ls`, `cp`, `mv` and `touch`
/// do in their messages (`quoteaf`): a name with a `'` in it gets double quotes
/// when that is safe.
pub fn always(name: &str) -> String {
    if !name.contains('\'') {
        return format!("'{name}'");
    }
    if !name.contains(ACTIVE_IN_DOUBLE_QUOTES) {
        return format!("\"{name}\"");
    }
    format!("'{}'", name.replace('\'', "'\\''"))
}

/// Shell-quotes a name only when the shell would need it, as `cat` does (`quotef`).
pub fn if_needed(name: &str) -> String {
    if needs_quotes(name) {
        always(name)
    } else {
        name.to_string()
    }
}

/// Quotes a name with the locale's quotation marks (`‘x’` in a UTF-8 locale),
/// as `mkdir` and `find` do in their error messages (`quote`).
pub fn locale(name: &str) -> String {
    format!("‘{name}’")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_matches_coreutils() {
        assert_eq!(always("a"), "'a'");
        assert_eq!(always("it's"), "\"it's\"");
        assert_eq!(always("it's $x"), "'it'\\''s $x'");
        assert_eq!(if_needed("a,b"), "a,b");
        assert_eq!(if_needed("a:b"), "'a:b'");
        assert_eq!(if_needed("#a"), "'#a'");
        assert_eq!(if_needed("a#"), "a#");
        assert_eq!(locale("d"), "‘d’");
    }
}
