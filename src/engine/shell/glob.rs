//! Pathname expansion as bash does it before a command runs: unquoted `*`,
//! `?` and `[...]` match names in the project, results come out sorted, a
//! leading `.` must be matched by a literal `.`, `.` and `..` never match
//! (bash 5.2's `globskipdots`), and a pattern that matches nothing stays as
//! typed (quotes removed). Also `fnmatch`, which `find -name` uses without
//! the leading-dot rule. In a pattern a backslash makes the next character
//! literal: that is how a word's quoted characters take part.

use super::fs::{self, Kind};
use crate::engine::project::{self, Project};
use crate::engine::shell_words::Word;

/// The characters special in a pattern.
const SPECIAL: &[char] = &['*', '?', '[', ']', '\\'];

/// The pattern a word stands for: its quoted special characters escaped
/// (`'*'.py` → `\*.py`), so only what was typed unquoted matches names.
pub fn pattern(word: &Word) -> String {
    let mut pattern = String::new();
    for (c, quoted) in word.chars() {
        if quoted && SPECIAL.contains(&c) {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern
}

/// `text` as a pattern that matches just itself.
fn escape(text: &str) -> String {
    pattern(&Word::literal(text))
}

/// A pattern's text with its escapes removed.
fn unescape(pattern: &str) -> String {
    let mut text = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        text.push(if c == '\\' { chars.next().unwrap_or(c) } else { c });
    }
    text
}

/// Whether bash would treat `pattern` as one: an unescaped `*` or `?`, or an
/// unescaped `[` closed later by an unescaped `]`.
pub fn is_pattern(pattern: &str) -> bool {
    let mut open = false;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '*' | '?' => return true,
            '[' => open = true,
            ']' if open => return true,
            _ => {}
        }
    }
    false
}

/// Expands one word against the project: the sorted matches, or the word's
/// text when it is no pattern or nothing matches.
pub fn expand(project: &Project, root: &str, cwd: &str, word: &Word) -> Vec<String> {
    let pattern = pattern(word);
    if !is_pattern(&pattern) {
        return vec![word.text().to_string()];
    }
    let mut matches = matches(project, root, cwd, &pattern);
    if matches.is_empty() {
        return vec![word.text().to_string()];
    }
    matches.sort();
    matches
}

/// One way through the pattern so far: the text to print and the project path it names.
struct Candidate {
    text: String,
    path: String,
}

fn matches(project: &Project, root: &str, cwd: &str, pattern: &str) -> Vec<String> {
    // Where the walk starts: the current directory, or the root for an
    // absolute pattern under it (other absolute patterns match nothing here).
    let root_pattern = escape(root.trim_start_matches('/'));
    let (start_text, start_path, pattern) = match pattern.strip_prefix('/') {
        Some(absolute) => {
            let Some(rest) = absolute.strip_prefix(root_pattern.as_str()).and_then(|r| r.strip_prefix('/')) else {
                return Vec::new();
            };
            (format!("{root}/"), String::new(), rest)
        }
        None => (String::new(), cwd.to_string(), pattern),
    };
    let segments: Vec<&str> = pattern.split('/').collect();
    let mut candidates = vec![Candidate { text: start_text, path: start_path }];
    for (index, segment) in segments.iter().enumerate() {
        let last = index + 1 == segments.len();
        let mut next = Vec::new();
        for candidate in candidates {
            if segment.is_empty() {
                // `a//b` or a trailing `/`: only directories go on.
                if fs::kind(project, &candidate.path) == Some(Kind::Dir) {
                    next.push(Candidate { text: format!("{}/", candidate.text), path: candidate.path });
                }
                continue;
            }
            let separator = if candidate.text.is_empty() || candidate.text.ends_with('/') { "" } else { "/" };
            let literal = unescape(segment);
            if is_pattern(segment) {
                for (name, _) in fs::children(project, &candidate.path) {
                    if name.starts_with('.') && !literal.starts_with('.') {
                        continue;
                    }
                    if fnmatch(segment, &name) {
                        next.push(Candidate {
                            text: format!("{}{separator}{name}", candidate.text),
                            path: fs::join(&candidate.path, &name),
                        });
                    }
                }
            } else if let Some(path) = project::resolve(&candidate.path, &literal) {
                let exists = fs::kind(project, &path).is_some();
                if exists || !last {
                    next.push(Candidate { text: format!("{}{separator}{literal}", candidate.text), path });
                }
            }
        }
        candidates = next;
    }
    candidates.into_iter().filter(|c| fs::kind(project, &c.path).is_some()).map(|c| c.text).collect()
}

/// Whether `name` matches the shell `pattern` (no special rule for a leading
/// dot; a backslash makes the next character literal).
pub fn fnmatch(pattern: &str, name: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    matches_from(&pattern, &name)
}

fn matches_from(pattern: &[char], name: &[char]) -> bool {
    let Some((&first, rest)) = pattern.split_first() else {
        return name.is_empty();
    };
    match first {
        '*' => (0..=name.len()).any(|skip| matches_from(rest, &name[skip..])),
        '?' => !name.is_empty() && matches_from(rest, &name[1..]),
        '\\' if !rest.is_empty() => name.first() == Some(&rest[0]) && matches_from(&rest[1..], &name[1..]),
        '[' => match bracket(rest) {
            Some((set, after)) => name.first().is_some_and(|&c| set.contains(c)) && matches_from(after, &name[1..]),
            // An unclosed `[` is an ordinary character.
            None => name.first() == Some(&'[') && matches_from(rest, &name[1..]),
        },
        literal => name.first() == Some(&literal) && matches_from(rest, &name[1..]),
    }
}

/// A bracket expression: `[abc]`, `[a-z]`, `[!x]`/`[^x]`, `[[:digit:]]`.
struct CharSet {
    negated: bool,
    ranges: Vec<(char, char)>,
    classes: Vec<String>,
}

impl CharSet {
    fn contains(&self, c: char) -> bool {
        let in_ranges = self.ranges.iter().any(|&(low, high)| low <= c && c <= high);
        let in_classes = self.classes.iter().any(|class| match class.as_str() {
            "alpha" => c.is_alphabetic(),
            "digit" => c.is_ascii_digit(),
            "alnum" => c.is_alphanumeric(),
            "upper" => c.is_uppercase(),
            "lower" => c.is_lowercase(),
            "space" => c.is_whitespace(),
            "punct" => c.is_ascii_punctuation(),
            "xdigit" => c.is_ascii_hexdigit(),
            _ => false,
        });
        (in_ranges || in_classes) != self.negated
    }
}

/// Reads a bracket expression after its `[`; the set and the pattern after
/// the closing `]`, or `None` when it never closes.
fn bracket(pattern: &[char]) -> Option<(CharSet, &[char])> {
    let mut set = CharSet { negated: false, ranges: Vec::new(), classes: Vec::new() };
    let mut i = 0;
    if matches!(pattern.first(), Some('!' | '^')) {
        set.negated = true;
        i = 1;
    }
    let body_start = i;
    while i < pattern.len() {
        let c = pattern[i];
        if c == ']' && i > body_start {
            return Some((set, &pattern[i + 1..]));
        }
        if c == '[' && pattern.get(i + 1) == Some(&':') {
            let rest: String = pattern[i + 2..].iter().collect();
            if let Some(end) = rest.find(":]") {
                set.classes.push(rest[..end].to_string());
                i += 2 + rest[..end].chars().count() + 2;
                continue;
            }
        }
        // A backslash makes the next character (even `]`) a member.
        let (low, width) = match (c, pattern.get(i + 1)) {
            ('\\', Some(&escaped)) => (escaped, 2),
            _ => (c, 1),
        };
        let after = i + width;
        if pattern.get(after) == Some(&'-') && pattern.get(after + 1).is_some_and(|&high| high != ']') {
            let (high, high_width) = match (pattern[after + 1], pattern.get(after + 2)) {
                ('\\', Some(&escaped)) => (escaped, 2),
                (high, _) => (high, 1),
            };
            set.ranges.push((low, high));
            i = after + 1 + high_width;
        } else {
            set.ranges.push((low, low));
            i = after;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str = "/home/learner/todo-app";

    fn project() -> Project {
        let mut project = Project::new();
        for file in ["a/z.py", "a-b/x.py", "B/y.py", "Zed", "_u", ".hidden", "alembic/versions/0001_init.py"] {
            project.write(file, "");
        }
        project
    }

    #[test]
    fn fnmatch_handles_stars_questions_and_brackets() {
        assert!(fnmatch("*.py", "env.py"));
        assert!(!fnmatch("*.py", "env.pyc"));
        assert!(fnmatch("?ed", "Zed"));
        assert!(fnmatch("[!a]*", "b"));
        assert!(fnmatch("[[:digit:]]*_init.py", "0001_init.py"));
        assert!(fnmatch("a[", "a["));
        assert!(fnmatch("[]]", "]"));
    }

    /// A word as typed, quotes and all, as the line splitter reads it.
    fn word(typed: &str) -> Word {
        let commands = crate::engine::shell_words::split_commands(typed).unwrap();
        match &commands[0].tokens[0] {
            crate::engine::shell_words::Token::Word(word) => word.clone(),
            other => panic!("not a word: {other:?}"),
        }
    }

    fn expand(p: &Project, cwd: &str, typed: &str) -> Vec<String> {
        super::expand(p, ROOT, cwd, &word(typed))
    }

    #[test]
    fn quoted_characters_match_only_themselves() {
        let mut p = project();
        p.write("*.py", "");
        assert_eq!(pattern(&word(r#"a'*'b"?"\[x]"#)), r"a\*b\?\[x]");
        assert!(!is_pattern(r"\*.py") && !is_pattern(r"[a\]") && is_pattern(r"\**"));
        assert_eq!(expand(&p, "", "'*.py'"), ["*.py"]);
        assert_eq!(expand(&p, "", "\"*\".py"), ["*.py"]);
        assert_eq!(expand(&p, "", "'*'*"), ["*.py"]);
        assert_eq!(expand(&p, "", "a'*'"), ["a*"]);
        assert_eq!(expand(&p, "", "'a'/*"), ["a/z.py"]);
        assert!(fnmatch(r"\*", "*") && !fnmatch(r"\*", "x"));
        assert!(fnmatch(r"[\]a]", "]") && fnmatch(r"[\]a]", "a"));
    }

    #[test]
    fn expansion_sorts_skips_dotfiles_and_keeps_misses_literal() {
        let p = project();
        assert_eq!(expand(&p, "", "*"), ["B", "Zed", "_u", "a", "a-b", "alembic"]);
        assert_eq!(expand(&p, "", "*/*.py"), ["B/y.py", "a-b/x.py", "a/z.py"]);
        assert_eq!(expand(&p, "", "a*/"), ["a-b/", "a/", "alembic/"]);
        assert_eq!(expand(&p, "", ".*"), [".hidden"]);
        assert_eq!(expand(&p, "", "nope/*.py"), ["nope/*.py"]);
        assert_eq!(expand(&p, "alembic", "versions/*.py"), ["versions/0001_init.py"]);
        assert_eq!(expand(&p, "alembic", "../a/*"), ["../a/z.py"]);
        assert_eq!(expand(&p, "", "/home/learner/todo-app/a/*"), ["/home/learner/todo-app/a/z.py"]);
        assert_eq!(expand(&p, "", "/etc/*"), ["/etc/*"]);
    }
}
