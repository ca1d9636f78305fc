//! Python 3.11 tracebacks of the app's failures: the project's own frames
//! with their source lines and `^^^^` under the failing call, the frames
//! inside the libraries left out (and said so), then the exception.

/// One entry of a traceback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A frame of the project's code.
    Frame { path: String, line: usize, function: String, source: String },
    /// Frames inside libraries, named but not shown.
    LeftOut(&'static str),
}

impl Entry {
    /// A frame of a project file, `path` absolute; `source` is the whole line as written.
    pub fn frame(path: String, line: usize, function: &str, source: &str) -> Entry {
        Entry::Frame { path, line, function: function.to_string(), source: source.to_string() }
    }
}

/// `Traceback (most recent call last):`, the entries, and the exception text.
pub fn render(entries: &[Entry], exception: &str) -> String {
    let mut out = String::from("Traceback (most recent call last):\n");
    for entry in entries {
        match entry {
            Entry::Frame { path, line, function, source } => {
                out.push_str(&format!("  File \"{path}\", line {line}, in {function}\n"));
                let stripped = source.trim();
                if !stripped.is_empty() {
                    out.push_str(&format!("    {stripped}\n"));
                    if let Some((start, end)) = failing_call(stripped) {
                        // 3.11 marks the failing expression unless it is the whole line.
                        if end - start < stripped.chars().count() {
                            out.push_str(&format!("    {}{}\n", " ".repeat(start), "^".repeat(end - start)));
                        }
                    }
                }
            }
            Entry::LeftOut(what) => out.push_str(&format!("  (driftlab: the frames inside {what} are left out)\n")),
        }
    }
    out.push_str(exception.trim_end_matches('\n'));
    out.push('\n');
    out
}

/// Where the database call of a line is (`db.query(Todo).filter(...).first()`),
/// in characters: the receiver chain and every method call after it.
fn failing_call(line: &str) -> Option<(usize, usize)> {
    let chars: Vec<char> = line.chars().collect();
    let text: String = chars.iter().collect();
    let anchor = [".query(", ".execute(", ".scalars(", ".scalar(", ".get(", ".commit(", "select("]
        .iter()
        .filter_map(|needle| text.find(needle))
        .min()?;
    let anchor = text[..anchor].chars().count();
    let is_name = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    let mut start = anchor;
    while start > 0 && is_name(chars[start - 1]) {
        start -= 1;
    }
    let mut end = anchor;
    loop {
        while end < chars.len() && is_name(chars[end]) {
            end += 1;
        }
        if end < chars.len() && chars[end] == '(' {
            let mut depth = 0;
            while end < chars.len() {
                match chars[end] {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            end += 1;
                            break;
                        }
                    }
                    _ => {}
                }
                end += 1;
            }
        }
        if end < chars.len() && chars[end] == '.' {
            continue;
        }
        break;
    }
    (end > start).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carets_under_the_query_as_python_3_11() {
        let text = render(
            &[
                Entry::frame("/app/main.py".into(), 19, "lifespan", "    seed_db()"),
                Entry::frame("/app/database.py".into(), 36, "seed_db", "        if db.query(Todo).count() == 0:"),
                Entry::LeftOut("sqlalchemy"),
            ],
            "X: y",
        );
        assert_eq!(
            text,
            "Traceback (most recent call last):\n  File \"/app/main.py\", line 19, in lifespan\n    seed_db()\n  File \"/app/database.py\", line 36, in seed_db\n    if db.query(Todo).count() == 0:\n       ^^^^^^^^^^^^^^^^^^^^^^\n  (driftlab: the frames inside sqlalchemy are left out)\nX: y\n"
        );
    }

    #[test]
    fn no_carets_when_the_call_is_the_whole_line() {
        assert_eq!(failing_call("db.commit()"), Some((0, 11)));
        let text = render(&[Entry::frame("/a.py".into(), 1, "f", "db.commit()")], "E");
        assert!(!text.contains('^'));
        assert_eq!(failing_call("todo = db.query(Todo).filter(Todo.id == todo_id).first()"), Some((7, 56)));
    }
}
