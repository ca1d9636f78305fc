//! `uv add` and `uv sync` (`uv run` is the session's), as uv prints them
//! when the packages are already in the environment: both need the project's
//! `pyproject.toml` (found in the current folder or a parent) with a
//! `[project]` table; `uv add` writes the requirement into
//! `[project].dependencies` as uv does (`"alembic>=1.20.1"`, the list one
//! per line, kept sorted if it was), then both say how many packages the
//! project resolves to and audit.
//!
//! Choices where the playground differs: the timings are fixed; `uv.lock` is
//! not written (a `driftlab:` line says so); a package that isn't installed
//! would be downloaded, which driftlab can't ([`packages::NO_NETWORK`]).

use super::packages::{self, canonical_name, Requirement};
use super::Context;
use crate::engine::output::CommandOutput;

/// What driftlab adds after a resolution, which real uv records in `uv.lock`.
const NO_LOCK: &str = "driftlab: uv.lock is not written here; the playground keeps no lock file\n";

/// `uv COMMAND ...`.
pub fn uv(ctx: &mut Context<'_>, args: &[String]) -> CommandOutput {
    match args.first().map(String::as_str) {
        Some("add") => add(ctx, &args[1..]),
        Some("sync") => sync(ctx, &args[1..]),
        Some("run") => CommandOutput::error("error: `uv run` needs a command, e.g. `uv run alembic current`\n", 2),
        _ => CommandOutput::error("uv: driftlab has `uv run COMMAND...`, `uv add PACKAGE...` and `uv sync`\n", 2),
    }
}

fn not_available(option: &str) -> CommandOutput {
    CommandOutput::error(format!("uv: option '{option}' is not available in driftlab (see 'help')\n"), 2)
}

/// `uv add PACKAGE...`.
fn add(ctx: &mut Context<'_>, args: &[String]) -> CommandOutput {
    if let Some(option) = args.iter().find(|a| a.starts_with('-')) {
        return not_available(option);
    }
    if args.is_empty() {
        return CommandOutput::error(
            "error: the following required arguments were not provided:\n  \
             <PACKAGES|--requirements <REQUIREMENTS>>\n\n\
             Usage: uv add <PACKAGES|--requirements <REQUIREMENTS>>\n\n\
             For more information, try '--help'.\n",
            2,
        );
    }
    let mut wanted = Vec::new();
    for text in args {
        match Requirement::parse(text) {
            Ok(req) => wanted.push(req),
            Err(_) => return CommandOutput::error(format!("uv: driftlab can't read the requirement '{text}'\n"), 2),
        }
    }
    let (path, text) = match project_file(ctx) {
        Ok(found) => found,
        Err(output) => return output,
    };
    let Some(dependencies) = Dependencies::find(&text) else {
        return CommandOutput::error(
            format!("uv: driftlab can't edit the `dependencies` of {}; edit it in the editor\n", ctx.absolute(&path)),
            2,
        );
    };
    let mut items = dependencies.items.clone();
    for req in &wanted {
        let Some(dist) = packages::installed(&req.name).filter(|d| req.contains(d.version)) else {
            return CommandOutput::error(packages::NO_NETWORK, 1);
        };
        let entry = dependency_entry(req, dist.version);
        let name = canonical_name(&req.name);
        match items.iter().position(|item| item_name(item) == name) {
            // A bare name leaves an existing requirement as it is.
            Some(i) if !req.is_free() || !req.extras.is_empty() => items[i] = entry,
            Some(_) => {}
            None => {
                let sorted = items.windows(2).all(|pair| item_name(&pair[0]) <= item_name(&pair[1]));
                let at = if sorted {
                    items.iter().position(|item| item_name(item) > name).unwrap_or(items.len())
                } else {
                    items.len()
                };
                items.insert(at, entry);
            }
        }
    }
    let Some(summary) = resolution(&items) else { return CommandOutput::error(packages::NO_NETWORK, 1) };
    ctx.project.write(&path, dependencies.replaced(&text, &items));
    CommandOutput::error(summary, 0)
}

/// `uv sync`.
fn sync(ctx: &mut Context<'_>, args: &[String]) -> CommandOutput {
    if let Some(option) = args.first() {
        return not_available(option);
    }
    let text = match project_file(ctx) {
        Ok((_, text)) => text,
        Err(output) => return output,
    };
    let items = Dependencies::find(&text).map(|d| d.items).unwrap_or_default();
    match resolution(&items) {
        Some(summary) => CommandOutput::error(summary, 0),
        None => CommandOutput::error(packages::NO_NETWORK, 1),
    }
}

/// uv's lines for a project whose dependencies are all installed: the
/// project and its packages resolved, the packages audited.
fn resolution(items: &[String]) -> Option<String> {
    let reqs: Vec<Requirement> = items.iter().map(|item| Requirement::parse(item).ok()).collect::<Option<_>>()?;
    let audited = packages::needed(&reqs)?.len();
    let count = |n: usize| if n == 1 { "1 package".to_string() } else { format!("{n} packages") };
    Some(format!("Resolved {} in 1ms\nAudited {} in 0.05ms\n{NO_LOCK}", count(audited + 1), count(audited)))
}

/// What `uv add` writes for a requirement: the normalised name, its extras,
/// and the specifiers typed or, without any, `>=` the installed version.
fn dependency_entry(req: &Requirement, installed: &str) -> String {
    let mut entry = canonical_name(&req.name);
    if !req.extras.is_empty() {
        let extras: Vec<String> = req.extras.iter().map(|e| canonical_name(e)).collect();
        entry.push_str(&format!("[{}]", extras.join(",")));
    }
    match req.is_free() {
        true => entry.push_str(&format!(">={installed}")),
        false => entry.push_str(&req.specifiers_as_written()),
    }
    entry
}

fn item_name(item: &str) -> String {
    let end = item.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))).unwrap_or(item.len());
    canonical_name(&item[..end])
}

/// The project's `pyproject.toml` (path and text), searched for from the
/// current folder up, with a `[project]` table; or uv's error.
fn project_file(ctx: &Context<'_>) -> Result<(String, String), CommandOutput> {
    let mut dir = ctx.cwd.clone();
    loop {
        let path = if dir.is_empty() { "pyproject.toml".to_string() } else { format!("{dir}/pyproject.toml") };
        if let Some(text) = ctx.project.is_file(&path).then(|| ctx.project.read_text(&path)).flatten() {
            if !text.lines().any(|line| line.trim() == "[project]") {
                let message = format!("error: No `project` table found in: `{}`\n", ctx.absolute(&path));
                return Err(CommandOutput::error(message, 2));
            }
            return Ok((path, text));
        }
        if dir.is_empty() {
            return Err(CommandOutput::error(
                "error: No `pyproject.toml` found in current directory or any parent directory\n",
                2,
            ));
        }
        dir = super::fs::parent(&dir).to_string();
    }
}

/// Where `[project].dependencies` is in a `pyproject.toml`, and its strings.
#[derive(Debug)]
struct Dependencies {
    /// Byte range of the `dependencies = [...]` text (to the end of its last line),
    /// or an empty range where a new one goes (the end of the `[project]` table).
    span: std::ops::Range<usize>,
    items: Vec<String>,
}

impl Dependencies {
    /// `None` when there is no `[project]` table, or the array holds what
    /// driftlab doesn't edit (comments, values that aren't strings).
    fn find(text: &str) -> Option<Dependencies> {
        let mut offset = 0;
        let mut in_project = false;
        let mut table_end = None;
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim();
            if trimmed.starts_with('[') {
                if in_project {
                    break;
                }
                in_project = trimmed == "[project]";
            } else if in_project {
                if !trimmed.is_empty() && !trimmed.starts_with('#') {
                    table_end = Some(offset + line.len());
                }
                let is_key =
                    trimmed.strip_prefix("dependencies").is_some_and(|rest| rest.trim_start().starts_with('='));
                if is_key {
                    let start = offset + (line.len() - line.trim_start().len());
                    return Self::read_array(text, start, offset + line.find('=')? + 1);
                }
            }
            offset += line.len();
        }
        let at = table_end?;
        Some(Dependencies { span: at..at, items: Vec::new() })
    }

    /// Reads `[ "a", "b", ]` from `from`; the span runs from `start` to the end of the line of `]`.
    fn read_array(text: &str, start: usize, from: usize) -> Option<Dependencies> {
        let rest = &text[from..];
        let open = rest.find(|c: char| !c.is_whitespace())?;
        if !rest[open..].starts_with('[') {
            return None;
        }
        let mut items = Vec::new();
        let mut chars = rest[open + 1..].char_indices();
        let close = loop {
            let (i, c) = chars.next()?;
            match c {
                ']' => break from + open + 1 + i,
                '"' | '\'' => {
                    let mut item = String::new();
                    loop {
                        let (_, d) = chars.next()?;
                        if d == c {
                            break;
                        }
                        item.push(d);
                    }
                    items.push(item);
                }
                ',' => {}
                c if c.is_whitespace() => {}
                _ => return None,
            }
        };
        let line_end = text[close..].find('\n').map_or(text.len(), |i| close + i + 1);
        if !text[close + 1..line_end].trim().is_empty() {
            return None;
        }
        Some(Dependencies { span: start..line_end, items })
    }

    /// The file with the array rewritten as uv writes it: one item a line.
    fn replaced(&self, text: &str, items: &[String]) -> String {
        let mut array = String::from("dependencies = [\n");
        for item in items {
            array.push_str(&format!("    \"{item}\",\n"));
        }
        array.push_str("]\n");
        let before = &text[..self.span.start];
        let separator = if self.span.is_empty() && !before.is_empty() && !before.ends_with('\n') { "\n" } else { "" };
        format!("{before}{separator}{array}{}", &text[self.span.end..])
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::output::CommandOutput;
    use crate::engine::project::Project;
    use crate::engine::session::Session;

    const PYPROJECT: &str = "[project]\nname = \"todo-app\"\nversion = \"0.1.0\"\nrequires-python = \">=3.11\"\n\
                             dependencies = [\n    \"fastapi>=0.165.0\",\n    \"sqlalchemy>=2.1.9\",\n]\n\n\
                             [tool.ruff]\nline-length = 100\n";

    fn session(pyproject: Option<&str>) -> Session {
        let mut project = Project::new();
        project.write("requirements.txt", "alembic\n");
        project.create_dir_all("alembic/versions");
        if let Some(text) = pyproject {
            project.write("pyproject.toml", text);
        }
        Session::new(project)
    }

    #[test]
    fn without_a_pyproject_uv_stops_as_uv_does() {
        let mut s = session(None);
        for line in ["uv add alembic", "uv sync", "uv add nothere"] {
            let out = s.run_line(line);
            let expected = "error: No `pyproject.toml` found in current directory or any parent directory\n";
            assert_eq!(out, CommandOutput::error(expected, 2), "{line}");
        }
        let mut s = session(Some("[tool.ruff]\n"));
        s.run_line("cd alembic/versions");
        assert_eq!(
            s.run_line("uv sync").stderr,
            "error: No `project` table found in: `/home/learner/todo-app/pyproject.toml`\n"
        );
    }

    #[test]
    fn uv_add_records_the_requirement_in_sorted_place() {
        let mut s = session(Some(PYPROJECT));
        let out = s.run_line("uv add Alembic");
        assert_eq!(
            out.stderr,
            format!("Resolved 16 packages in 1ms\nAudited 15 packages in 0.05ms\n{}", super::NO_LOCK)
        );
        assert_eq!(out.exit_code, 0);
        let written = s.project.read_text("pyproject.toml").unwrap();
        assert_eq!(
            written,
            PYPROJECT.replace("    \"fastapi>=0.165.0\",\n", "    \"alembic>=1.20.1\",\n    \"fastapi>=0.165.0\",\n")
        );
        s.run_line("uv add 'uvicorn[standard]' 'sqlalchemy>=2.0, <3'");
        let written = s.project.read_text("pyproject.toml").unwrap();
        assert!(
            written.contains("    \"sqlalchemy>=2.0, <3\",\n    \"uvicorn[standard]>=0.54.0\",\n]\n\n[tool.ruff]"),
            "{written}"
        );
    }

    #[test]
    fn uv_add_makes_the_list_when_there_is_none() {
        let mut s = session(Some("[project]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = []\n"));
        s.run_line("uv add alembic");
        assert_eq!(
            s.project.read_text("pyproject.toml").unwrap(),
            "[project]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\n    \"alembic>=1.20.1\",\n]\n"
        );
        let mut s = session(Some("[project]\nname = \"app\"\n\n[tool.x]\n"));
        s.run_line("uv add alembic");
        assert_eq!(
            s.project.read_text("pyproject.toml").unwrap(),
            "[project]\nname = \"app\"\ndependencies = [\n    \"alembic>=1.20.1\",\n]\n\n[tool.x]\n"
        );
    }

    #[test]
    fn what_is_not_installed_is_not_added() {
        let mut s = session(Some(PYPROJECT));
        let out = s.run_line("uv add requests");
        assert_eq!(out, CommandOutput::error(super::packages::NO_NETWORK, 1));
        assert_eq!(s.project.read_text("pyproject.toml").unwrap(), PYPROJECT);
        assert_eq!(s.run_line("uv sync").stderr.lines().next(), Some("Resolved 13 packages in 1ms"));
        assert_eq!(s.run_line("uv add").exit_code, 2);
        assert_eq!(s.run_line("uv add --dev pytest").exit_code, 2);
    }
}
