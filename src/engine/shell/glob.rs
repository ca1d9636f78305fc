//! Pathname expansion as bash does it before a command runs: `*`, `?` and
//! `[...]` match names in the project, results come out sorted, a leading `.`
//! must be matched by a literal `.`, `.` and `..` never match (bash 5.2's
//! `globskipdots`), and a pattern that matches nothing stays as typed. Also
//! `fnmatch`, which `find -name` uses without the leading-dot rule.

use super::fs::{self, Kind};
use crate::engine::project::{self, Project};

/// Whether bash would treat `word` as a pattern.
pub fn is_pattern(word: &str) -> bool {
    word.contains(['*', '?']) || word.find('[').is_some_and(|open| word[open + 1..].contains(']'))
}

/// Expands one word against the project: the sorted matches, or the word
/// itself when it is no pattern or nothing matches.
pub fn expand(project: &Project, root: &str, cwd: &str, word: &str) -> Vec<String> {
    if !is_pattern(word) {
        return vec![word.to_string()];
    }
    let mut matches = matches(project, root, cwd, word);
    if matches.is_empty() {
        return vec![word.to_string()];
    }
    matches.sort();
    matches
}

/// One way through the pattern so far: the text to print and the project path it names.
struct Candidate {
    text: String,
    path: String,
}

fn matches(project: &Project, root: &str, cwd: &str, word: &str) -> Vec<String> {
    // Where the walk starts: the current directory, or the root for an
    // absolute pattern under it (other absolute patterns match nothing here).
    let (start_text, start_path, pattern) = match word.strip_prefix('/') {
        Some(absolute) => {
            let Some(rest) = absolute.strip_prefix(root.trim_start_matches('/')).and_then(|r| r.strip_prefix('/'))
            else {
                return Vec::new();
            };
            (format!("{root}/"), String::new(), rest)
        }
        None => (String::new(), cwd.to_string(), word),
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
            if is_pattern(segment) {
                for (name, _) in fs::children(project, &candidate.path) {
                    if name.starts_with('.') && !segment.starts_with('.') {
                        continue;
                    }
                    if fnmatch(segment, &name) {
                        next.push(Candidate {
                            text: format!("{}{separator}{name}", candidate.text),
                            path: fs::join(&candidate.path, &name),
                        });
                    }
                }
            } else if let Some(path) = project::resolve(&candidate.path, segment) {
                let exists = fs::kind(project, &path).is_some();
                if exists || !last {
                    next.push(Candidate { text: format!("{}{separator}{segment}", candidate.text), path });
                }
            }
        }
        candidates = next;
    }
    candidates.into_iter().filter(|c| fs::kind(project, &c.path).is_some()).map(|c| c.text).collect()
}

/// Whether `name` matches the shell `pattern` (no special rule for a leading dot).
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
        if pattern.get(i + 1) == Some(&'-') && pattern.get(i + 2).is_some_and(|&high| high != ']') {
            set.ranges.push((c, pattern[i + 2]));
            i += 3;
        } else {
            set.ranges.push((c, c));
            i += 1;
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

    #[test]
    fn expansion_sorts_skips_dotfiles_and_keeps_misses_literal() {
        let p = project();
        assert_eq!(expand(&p, ROOT, "", "*"), ["B", "Zed", "_u", "a", "a-b", "alembic"]);
        assert_eq!(expand(&p, ROOT, "", "*/*.py"), ["B/y.py", "a-b/x.py", "a/z.py"]);
        assert_eq!(expand(&p, ROOT, "", "a*/"), ["a-b/", "a/", "alembic/"]);
        assert_eq!(expand(&p, ROOT, "", ".*"), [".hidden"]);
        assert_eq!(expand(&p, ROOT, "", "nope/*.py"), ["nope/*.py"]);
        assert_eq!(expand(&p, ROOT, "alembic", "versions/*.py"), ["versions/0001_init.py"]);
        assert_eq!(expand(&p, ROOT, "alembic", "../a/*"), ["../a/z.py"]);
        assert_eq!(expand(&p, ROOT, "", "/home/learner/todo-app/a/*"), ["/home/learner/todo-app/a/z.py"]);
        assert_eq!(expand(&p, ROOT, "", "/etc/*"), ["/etc/*"]);
    }
}
