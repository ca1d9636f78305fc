//! The lesson format: a folder `NN-slug/` holding `lesson.md` (front matter,
//! an introduction, `## Step: ...` sections, an optional `## Recap`) and an
//! optional `start/` project. Reading never panics: every problem is a
//! [`LessonError`] with its file and line, and a lesson with errors is left
//! out of the course.
//!
//! Inside a step: a ```` ```check ```` block (one check per line, see
//! `checks`), a ```` ```solution ```` block (the [`Action`]s that complete
//! the step), `Hint:` paragraphs (shown one at a time), one `Why:`
//! paragraph, and the text the learner reads. The introduction may hold a
//! ```` ```setup ```` block (actions that put the project in its starting
//! state); the recap a ```` ```check ```` block (the lesson's end state).

use std::collections::BTreeMap;

use crate::engine::project::Project;

use super::checks::{parse_check, CheckLine};
use super::markdown::{self, closes_fence, opening_fence, TextBlock};

/// The lesson format this engine reads (front matter `format: 1`).
pub const FORMAT_VERSION: u32 = 1;

/// A problem in a lesson, at its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonError {
    /// The file, as the course's files name it (`03-the-empty-migration/lesson.md`).
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for LessonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Where a lesson's project comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Start {
    /// The starter project (`starter::project()`): `start: starter`.
    Starter,
    /// The starter project with the lesson's `start/` folder laid over it.
    Files(Project),
    /// Where the previous lesson ended (no `start/`).
    Previous,
}

/// One thing a solution or a setup does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionKind {
    /// `$ COMMAND LINE`: typed at the terminal.
    Run(String),
    /// `@ ctrl-c`: Ctrl+C in the terminal (stops the running app).
    Interrupt,
    /// `@ replace PATH` / old lines / `@ with` / new lines / `@ end`: an
    /// edit in the editor, saved.
    Replace { path: String, old: String, new: String },
    /// `@ write PATH` / lines / `@ end`: the whole file, saved.
    Write { path: String, content: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// Line number in `lesson.md`.
    pub line: usize,
    pub kind: ActionKind,
}

/// One step of a lesson.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub title: String,
    /// Line of the `## Step:` heading.
    pub line: usize,
    /// The text the learner reads (markdown), without the check, solution,
    /// hints and why.
    pub text: String,
    pub blocks: Vec<TextBlock>,
    pub hints: Vec<String>,
    pub why: String,
    pub checks: Vec<CheckLine>,
    pub solution: Vec<Action>,
}

/// A lesson as read.
#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    /// The folder name, `03-the-empty-migration`.
    pub slug: String,
    /// The folder's number, `3`.
    pub number: u32,
    pub title: String,
    pub summary: String,
    /// The file `lesson.md` as the course names it, for messages.
    pub file: String,
    pub intro: String,
    pub intro_blocks: Vec<TextBlock>,
    pub start: Start,
    pub setup: Vec<Action>,
    pub steps: Vec<Step>,
    /// The recap's text, shown when every step is done.
    pub recap: String,
    pub recap_blocks: Vec<TextBlock>,
    /// The lesson's end state (the recap's check block).
    pub end_checks: Vec<CheckLine>,
}

/// Splits a folder name `NN-slug` into its number.
pub fn folder_number(folder: &str) -> Option<u32> {
    let (digits, rest) = folder.split_once('-')?;
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) || rest.is_empty() {
        return None;
    }
    if !rest.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return None;
    }
    digits.parse().ok()
}

/// `base` with a lesson's `start/` files laid over it (added or replaced).
fn overlay(mut project: Project, start_files: &[(&String, &Vec<u8>)]) -> Project {
    for (path, bytes) in start_files {
        let inner = &path["start/".len()..];
        if inner.ends_with('/') || inner.is_empty() {
            project.create_dir_all(inner.trim_end_matches('/'));
        } else if inner.rsplit('/').next() == Some(".keep") {
            // An empty folder on disk is kept with a `.keep` file.
            project.create_dir_all(inner.rsplit_once('/').map_or("", |(d, _)| d));
        } else {
            project.write(inner, (*bytes).clone());
        }
    }
    project
}

/// Reads one lesson folder: `files` maps paths inside the folder
/// (`lesson.md`, `start/models.py`) to their bytes. `label` prefixes paths
/// in messages (`lessons/03-the-empty-migration`). `start_of` gives the
/// start project of an earlier lesson, for `start: NN-slug`.
pub fn read_lesson(
    folder: &str,
    label: &str,
    files: &BTreeMap<String, Vec<u8>>,
    start_of: &dyn Fn(&str) -> Option<Project>,
) -> Result<Lesson, Vec<LessonError>> {
    let file = format!("{label}/lesson.md");
    let mut errors = Vec::new();
    let error = |errors: &mut Vec<LessonError>, line: Option<usize>, message: String| {
        errors.push(LessonError { file: file.clone(), line, message })
    };
    let Some(number) = folder_number(folder) else {
        return Err(vec![LessonError {
            file: label.to_string(),
            line: None,
            message: format!("a lesson folder is named NN-slug (digits, a dash, lowercase words joined by dashes), not `{folder}`"),
        }]);
    };
    let Some(bytes) = files.get("lesson.md") else {
        return Err(vec![LessonError { file, line: None, message: "lesson.md is missing".into() }]);
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(vec![LessonError { file, line: None, message: "lesson.md is not UTF-8 text".into() }]);
    };
    let text = text.replace("\r\n", "\n");
    let lines: Vec<&str> = text.split('\n').collect();

    // Front matter.
    let mut meta: BTreeMap<String, (String, usize)> = BTreeMap::new();
    let mut body_start = 0;
    if lines.first().map(|l| l.trim_end()) == Some("---") {
        let mut closed = false;
        for (i, line) in lines.iter().enumerate().skip(1) {
            if line.trim_end() == "---" {
                body_start = i + 1;
                closed = true;
                break;
            }
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            match line.split_once(':') {
                Some((key, value)) => {
                    let key = key.trim().to_string();
                    if meta.contains_key(&key) {
                        error(&mut errors, Some(i + 1), format!("`{key}` is given twice in the front matter"));
                    }
                    meta.insert(key, (unquote(value.trim()).to_string(), i + 1));
                }
                None => error(&mut errors, Some(i + 1), format!("a front matter line is `key: value`, not `{}`", line.trim())),
            }
        }
        if !closed {
            error(&mut errors, Some(1), "the front matter is not closed (a line `---` is missing)".into());
            return Err(errors);
        }
    } else {
        error(&mut errors, Some(1), "lesson.md starts with front matter: `---`, then format, title and summary, then `---`".into());
        return Err(errors);
    }
    for (key, (_, line)) in &meta {
        if !["format", "title", "summary", "start"].contains(&key.as_str()) {
            error(&mut errors, Some(*line), format!("unknown front matter key `{key}` (known: format, title, summary, start)"));
        }
    }
    match meta.get("format") {
        None => error(&mut errors, Some(1), "the front matter has no `format` (this engine reads format 1)".into()),
        Some((v, line)) if v.parse::<u32>().ok() != Some(FORMAT_VERSION) => error(
            &mut errors,
            Some(*line),
            format!("format `{v}` is not one this engine reads (it reads format {FORMAT_VERSION})"),
        ),
        Some(_) => {}
    }
    let required = |key: &str, errors: &mut Vec<LessonError>| match meta.get(key) {
        Some((v, _)) if !v.is_empty() => v.clone(),
        Some((_, line)) => {
            error(errors, Some(*line), format!("`{key}` is empty"));
            String::new()
        }
        None => {
            error(errors, Some(1), format!("the front matter has no `{key}`"));
            String::new()
        }
    };
    let title = required("title", &mut errors);
    let summary = required("summary", &mut errors);

    // The start project.
    let start_files: Vec<(&String, &Vec<u8>)> = files.iter().filter(|(p, _)| p.starts_with("start/")).collect();
    let start = match meta.get("start") {
        Some((v, line)) if v == "starter" => {
            if !start_files.is_empty() {
                error(&mut errors, Some(*line), "`start: starter` and a start/ folder: choose one".into());
            }
            Start::Starter
        }
        Some((v, line)) if v == "previous" => {
            if !start_files.is_empty() {
                error(&mut errors, Some(*line), "`start: previous` and a start/ folder: choose one".into());
            }
            Start::Previous
        }
        // Another lesson's start, with this lesson's start/ laid over it.
        Some((v, line)) => match start_of(v) {
            Some(base) => Start::Files(overlay(base, &start_files)),
            None => {
                error(
                    &mut errors,
                    Some(*line),
                    format!("`start: {v}`: start is `starter`, `previous`, or an earlier lesson's folder name whose start is the starter or a start/ folder"),
                );
                Start::Previous
            }
        },
        None if start_files.is_empty() => Start::Previous,
        // Only what differs from the starter: `start/` adds files to it
        // or replaces them (as Svelte's tutorial stores a start state).
        None => Start::Files(overlay(crate::engine::starter::project(), &start_files)),
    };
    for path in files.keys() {
        if path != "lesson.md" && !path.starts_with("start/") {
            errors.push(LessonError {
                file: format!("{label}/{path}"),
                line: None,
                message: "a lesson folder holds lesson.md and start/ only".into(),
            });
        }
    }

    // The body: sections.
    let mut sections: Vec<Section> = vec![Section { kind: SectionKind::Intro, title: String::new(), line: body_start + 1, lines: Vec::new() }];
    let mut fence: Option<(char, usize)> = None;
    for (i, line) in lines.iter().enumerate().skip(body_start) {
        let number = i + 1;
        if let Some((c, len)) = fence {
            if closes_fence(line, c, len) {
                fence = None;
            }
        } else if let Some((c, len, _)) = opening_fence(line) {
            fence = Some((c, len));
        } else if let Some(rest) = line.strip_prefix("## ") {
            let heading = rest.trim();
            let kind = if let Some(t) = heading.strip_prefix("Step:") {
                if t.trim().is_empty() {
                    error(&mut errors, Some(number), "a step needs a title: `## Step: Start the app`".into());
                }
                SectionKind::Step
            } else if heading == "Recap" {
                SectionKind::Recap
            } else {
                error(
                    &mut errors,
                    Some(number),
                    format!("`## {heading}`: a lesson's sections are `## Step: TITLE` and `## Recap` (use ### inside a step)"),
                );
                SectionKind::Unknown
            };
            let title = heading.strip_prefix("Step:").unwrap_or(heading).trim().to_string();
            sections.push(Section { kind, title, line: number, lines: Vec::new() });
            continue;
        } else if line.starts_with("# ") {
            error(&mut errors, Some(number), "the lesson's title is in the front matter; use ## Step: and ### headings in the text".into());
        }
        if let Some(section) = sections.last_mut() {
            section.lines.push((number, line));
        }
    }
    if fence.is_some() {
        error(&mut errors, Some(lines.len()), "a code block is not closed (its closing ``` is missing)".into());
    }

    let mut intro = String::new();
    let mut setup = Vec::new();
    let mut steps = Vec::new();
    let mut recap = String::new();
    let mut end_checks = Vec::new();
    let mut seen_recap = false;
    for section in &sections {
        let parts = split_section(section, &mut |line, message| error(&mut errors, Some(line), message));
        match section.kind {
            SectionKind::Unknown => {}
            SectionKind::Intro => {
                intro = parts.text;
                for (line, _) in parts.checks_at {
                    error(&mut errors, Some(line), "a check block belongs in a step or the recap".into());
                }
                for (line, _) in parts.solutions_at {
                    error(&mut errors, Some(line), "a solution block belongs in a step".into());
                }
                for (line, _) in parts.hints.iter().chain(&parts.whys) {
                    error(&mut errors, Some(*line), "Hint: and Why: paragraphs belong in a step".into());
                }
                for (line, body) in &parts.setups_at {
                    setup.extend(parse_actions(body, *line, &mut |l, m| error(&mut errors, Some(l), m)));
                }
            }
            SectionKind::Recap => {
                if seen_recap {
                    error(&mut errors, Some(section.line), "a lesson has one ## Recap".into());
                }
                seen_recap = true;
                recap = parts.text;
                for (line, body) in &parts.checks_at {
                    end_checks.extend(parse_checks(body, *line, &mut |l, m| error(&mut errors, Some(l), m)));
                }
                for (line, _) in parts.solutions_at.iter().chain(&parts.setups_at) {
                    error(&mut errors, Some(*line), "the recap has only text and a check block (the end state)".into());
                }
                for (line, _) in parts.hints.iter().chain(&parts.whys) {
                    error(&mut errors, Some(*line), "Hint: and Why: paragraphs belong in a step".into());
                }
            }
            SectionKind::Step => {
                if seen_recap {
                    error(&mut errors, Some(section.line), "steps come before the ## Recap".into());
                }
                let step_name = format!("step \"{}\"", section.title);
                let mut checks = Vec::new();
                for (line, body) in &parts.checks_at {
                    checks.extend(parse_checks(body, *line, &mut |l, m| error(&mut errors, Some(l), m)));
                }
                let mut solution = Vec::new();
                for (line, body) in &parts.solutions_at {
                    solution.extend(parse_actions(body, *line, &mut |l, m| error(&mut errors, Some(l), m)));
                }
                for (line, _) in &parts.setups_at {
                    error(&mut errors, Some(*line), "a setup block belongs in the introduction, before the first step".into());
                }
                if parts.checks_at.is_empty() {
                    error(&mut errors, Some(section.line), format!("{step_name} has no ```check block"));
                } else if checks.is_empty() && !errors.iter().any(|e| e.line.is_some_and(|l| l > section.line)) {
                    error(&mut errors, Some(parts.checks_at[0].0), format!("{step_name}'s check block is empty"));
                }
                if parts.solutions_at.is_empty() {
                    error(&mut errors, Some(section.line), format!("{step_name} has no ```solution block"));
                } else if solution.is_empty() && !errors.iter().any(|e| e.line.is_some_and(|l| l > section.line)) {
                    error(&mut errors, Some(parts.solutions_at[0].0), format!("{step_name}'s solution block is empty"));
                }
                if parts.hints.is_empty() {
                    error(&mut errors, Some(section.line), format!("{step_name} has no Hint: paragraph"));
                }
                match parts.whys.as_slice() {
                    [] => error(&mut errors, Some(section.line), format!("{step_name} has no Why: paragraph")),
                    [_] => {}
                    [_, (line, _), ..] => error(&mut errors, Some(*line), format!("{step_name} has more than one Why: paragraph")),
                }
                if parts.text.trim().is_empty() {
                    error(&mut errors, Some(section.line), format!("{step_name} has no text for the learner"));
                }
                steps.push(Step {
                    title: section.title.clone(),
                    line: section.line,
                    blocks: markdown::blocks(&parts.text),
                    text: parts.text,
                    hints: parts.hints.into_iter().map(|(_, h)| h).collect(),
                    why: parts.whys.into_iter().next().map(|(_, w)| w).unwrap_or_default(),
                    checks,
                    solution,
                });
            }
        }
    }
    if steps.is_empty() && !sections.iter().any(|s| s.kind == SectionKind::Step) {
        error(&mut errors, None, "a lesson has at least one `## Step: TITLE`".into());
    }
    let mut titles: BTreeMap<&str, usize> = BTreeMap::new();
    for step in &steps {
        if let Some(first) = titles.insert(step.title.as_str(), step.line) {
            error(&mut errors, Some(step.line), format!("two steps are titled \"{}\" (also line {first})", step.title));
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| (e.file != file, e.line));
        return Err(errors);
    }
    Ok(Lesson {
        slug: folder.to_string(),
        number,
        title,
        summary,
        file,
        intro_blocks: markdown::blocks(&intro),
        intro,
        start,
        setup,
        steps,
        recap_blocks: markdown::blocks(&recap),
        recap,
        end_checks,
    })
}

fn unquote(value: &str) -> &str {
    if value.len() >= 2 && ((value.starts_with('"') && value.ends_with('"')) || (value.starts_with('\'') && value.ends_with('\''))) {
        &value[1..value.len() - 1]
    } else {
        value
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SectionKind {
    Intro,
    Step,
    Recap,
    /// A `## heading` the format doesn't know (reported once, content skipped).
    Unknown,
}

struct Section<'t> {
    kind: SectionKind,
    title: String,
    line: usize,
    lines: Vec<(usize, &'t str)>,
}

/// A section taken apart: its special blocks and paragraphs, and the rest as text.
#[derive(Default)]
struct SectionParts<'t> {
    text: String,
    /// Each block's first content line and its lines.
    checks_at: Vec<(usize, Vec<(usize, &'t str)>)>,
    solutions_at: Vec<(usize, Vec<(usize, &'t str)>)>,
    setups_at: Vec<(usize, Vec<(usize, &'t str)>)>,
    hints: Vec<(usize, String)>,
    whys: Vec<(usize, String)>,
}

fn split_section<'t>(section: &Section<'t>, error: &mut dyn FnMut(usize, String)) -> SectionParts<'t> {
    let mut parts = SectionParts::default();
    let mut text: Vec<&str> = Vec::new();
    let lines = &section.lines;
    let mut i = 0;
    while i < lines.len() {
        let (number, line) = lines[i];
        if let Some((c, len, info)) = opening_fence(line) {
            let mut end = i + 1;
            while end < lines.len() && !closes_fence(lines[end].1, c, len) {
                end += 1;
            }
            let body: Vec<(usize, &str)> = lines[i + 1..end.min(lines.len())].to_vec();
            let first = body.first().map_or(number + 1, |(n, _)| *n);
            let kind = info.split_whitespace().next().unwrap_or("");
            let target = match kind {
                "check" => Some(&mut parts.checks_at),
                "solution" => Some(&mut parts.solutions_at),
                "setup" => Some(&mut parts.setups_at),
                _ => None,
            };
            match target {
                Some(target) => {
                    if info.split_whitespace().nth(1).is_some() {
                        error(number, format!("```{kind} takes nothing after its name"));
                    }
                    target.push((first, body));
                }
                None => text.extend(lines[i..(end + 1).min(lines.len())].iter().map(|(_, l)| *l)),
            }
            i = end + 1;
            continue;
        }
        // A paragraph: Hint: / Why: or text.
        if !line.trim().is_empty() {
            let start = i;
            while i < lines.len() && !lines[i].1.trim().is_empty() && (i == start || opening_fence(lines[i].1).is_none()) {
                i += 1;
            }
            let paragraph: Vec<&str> = lines[start..i].iter().map(|(_, l)| *l).collect();
            let first = paragraph[0].trim_start();
            if let Some(rest) = first.strip_prefix("Hint:") {
                parts.hints.push((number, join_paragraph(rest, &paragraph[1..])));
            } else if let Some(rest) = first.strip_prefix("Why:") {
                parts.whys.push((number, join_paragraph(rest, &paragraph[1..])));
            } else {
                text.extend(paragraph);
            }
            continue;
        }
        text.push(line);
        i += 1;
    }
    // Collapse runs of blank lines left where blocks were taken out.
    let mut out = String::new();
    let mut blank = true;
    for line in text {
        if line.trim().is_empty() {
            if !blank {
                out.push('\n');
            }
            blank = true;
        } else {
            out.push_str(line);
            out.push('\n');
            blank = false;
        }
    }
    parts.text = out.trim_end().to_string();
    parts
}

fn join_paragraph(first: &str, rest: &[&str]) -> String {
    std::iter::once(first.trim()).chain(rest.iter().map(|l| l.trim())).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
}

fn parse_checks(body: &[(usize, &str)], _first: usize, error: &mut dyn FnMut(usize, String)) -> Vec<CheckLine> {
    let mut checks = Vec::new();
    for (line, text) in body {
        let text = text.trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        match parse_check(text) {
            Ok(check) => checks.push(CheckLine { line: *line, text: text.to_string(), check }),
            Err(message) => error(*line, format!("check `{text}`: {message}")),
        }
    }
    checks
}

/// Reads a solution or setup block's lines into actions.
fn parse_actions(body: &[(usize, &str)], _first: usize, error: &mut dyn FnMut(usize, String)) -> Vec<Action> {
    let mut actions = Vec::new();
    let mut i = 0;
    while i < body.len() {
        let (line, raw) = body[i];
        let text = raw.trim();
        i += 1;
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        if let Some(command) = text.strip_prefix("$ ") {
            actions.push(Action { line, kind: ActionKind::Run(command.trim().to_string()) });
            continue;
        }
        if text == "$" {
            error(line, "`$` is followed by the command line to type".into());
            continue;
        }
        let Some(directive) = text.strip_prefix("@ ") else {
            error(line, format!("a solution line is `$ COMMAND`, `@ replace PATH`, `@ write PATH` or `@ ctrl-c`, not `{text}`"));
            continue;
        };
        let mut words = directive.split_whitespace();
        let name = words.next().unwrap_or("");
        let path = words.next().map(str::to_string);
        let extra = words.next();
        match name {
            "ctrl-c" => {
                if path.is_some() {
                    error(line, "`@ ctrl-c` takes nothing after it".into());
                }
                actions.push(Action { line, kind: ActionKind::Interrupt });
            }
            "replace" | "write" => {
                let Some(path) = path else {
                    error(line, format!("`@ {name}` needs a file path"));
                    continue;
                };
                if extra.is_some() {
                    error(line, format!("`@ {name} PATH` takes one path (no spaces)"));
                }
                // The body runs to `@ end`; `@ with` splits a replace.
                let mut first: Vec<&str> = Vec::new();
                let mut second: Option<Vec<&str>> = None;
                let mut closed = false;
                while i < body.len() {
                    let (_, l) = body[i];
                    i += 1;
                    match l.trim() {
                        "@ end" => {
                            closed = true;
                            break;
                        }
                        "@ with" if name == "replace" && second.is_none() => second = Some(Vec::new()),
                        _ => match &mut second {
                            Some(s) => s.push(l),
                            None => first.push(l),
                        },
                    }
                }
                if !closed {
                    error(line, format!("`@ {name} {path}` has no `@ end`"));
                    continue;
                }
                if name == "write" {
                    let mut content = first.join("\n");
                    content.push('\n');
                    actions.push(Action { line, kind: ActionKind::Write { path, content } });
                } else {
                    let Some(second) = second else {
                        error(line, format!("`@ replace {path}` needs `@ with` between the old and the new text"));
                        continue;
                    };
                    let old = first.join("\n");
                    if old.trim().is_empty() {
                        error(line, format!("`@ replace {path}`: the text to replace is empty"));
                        continue;
                    }
                    actions.push(Action { line, kind: ActionKind::Replace { path, old, new: second.join("\n") } });
                }
            }
            "with" | "end" => error(line, format!("`@ {name}` without an `@ replace` or `@ write` before it")),
            other => error(line, format!("unknown `@ {other}`: use `@ replace PATH`, `@ write PATH` or `@ ctrl-c`")),
        }
    }
    actions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_names_an_earlier_lesson_and_lays_start_over_it() {
        let text = "---\nformat: 1\ntitle: T\nsummary: S\nstart: 01-base\n---\n\n## Step: One\n\nText.\n\n```check\nfile a.txt exists\n```\n\n```solution\n$ touch a.txt\n```\n\nHint: h.\n\nWhy: w.\n";
        let files = BTreeMap::from([
            ("lesson.md".to_string(), text.as_bytes().to_vec()),
            ("start/mine.txt".to_string(), b"mine\n".to_vec()),
            ("start/shared.txt".to_string(), b"replaced\n".to_vec()),
        ]);
        let base = |slug: &str| {
            (slug == "01-base").then(|| {
                let mut p = Project::new();
                p.write("shared.txt", b"base\n".to_vec());
                p.write("only-in-base.txt", b"kept\n".to_vec());
                p
            })
        };
        let lesson = read_lesson("02-sample", "lessons/02-sample", &files, &base).unwrap();
        let Start::Files(project) = &lesson.start else { panic!("{:?}", lesson.start) };
        assert_eq!(project.read_text("only-in-base.txt").as_deref(), Some("kept\n"));
        assert_eq!(project.read_text("shared.txt").as_deref(), Some("replaced\n"));
        assert_eq!(project.read_text("mine.txt").as_deref(), Some("mine\n"));
        let errors = read_lesson("02-sample", "lessons/02-sample", &files, &|_| None).unwrap_err();
        assert!(errors[0].message.contains("`start: 01-base`"), "{errors:?}");
    }

    fn read(text: &str) -> Result<Lesson, Vec<LessonError>> {
        let files = BTreeMap::from([("lesson.md".to_string(), text.as_bytes().to_vec())]);
        read_lesson("02-sample", "lessons/02-sample", &files, &|_| None)
    }

    const GOOD: &str = "---\nformat: 1\ntitle: Sample\nsummary: A sample.\nstart: starter\n---\n\nIntro text.\n\n```setup\n$ uvicorn main:app\n@ ctrl-c\n```\n\n## Step: Look\n\nRun `ls`.\n\n```bash\nls\n```\n\n```check\nran \"ls\"\n```\n\n```solution\n$ ls\n@ replace models.py\na\n@ with\nb\n\nc\n@ end\n```\n\nHint: type `ls`\nand Enter.\n\nHint: really.\n\nWhy: files are\nthe project.\n\n## Recap\n\nDone.\n\n```check\nfile models.py exists\n```\n";

    #[test]
    fn reads_a_lesson() {
        let lesson = read(GOOD).unwrap();
        assert_eq!((lesson.number, lesson.title.as_str(), lesson.start.clone()), (2, "Sample", Start::Starter));
        assert_eq!(lesson.intro, "Intro text.");
        assert_eq!(lesson.setup.iter().map(|a| a.kind.clone()).collect::<Vec<_>>(), vec![ActionKind::Run("uvicorn main:app".into()), ActionKind::Interrupt]);
        let step = &lesson.steps[0];
        assert_eq!(step.title, "Look");
        assert_eq!(step.text, "Run `ls`.\n\n```bash\nls\n```");
        assert_eq!(step.hints, vec!["type `ls` and Enter.".to_string(), "really.".to_string()]);
        assert_eq!(step.why, "files are the project.");
        assert_eq!(step.checks[0].line, 24);
        assert_eq!(step.solution[1].kind, ActionKind::Replace { path: "models.py".into(), old: "a".into(), new: "b\n\nc".into() });
        assert_eq!(lesson.recap, "Done.");
        assert_eq!(lesson.end_checks.len(), 1);
    }

    #[test]
    fn errors_have_lines() {
        let bad = GOOD.replace("format: 1", "format: 2").replace("ran \"ls\"", "rna \"ls\"").replace("@ with\n", "");
        let errors: Vec<String> = read(&bad).unwrap_err().iter().map(|e| e.to_string()).collect();
        assert_eq!(errors.len(), 3, "{errors:#?}");
        assert!(errors[0].starts_with("lessons/02-sample/lesson.md:2: format `2`"), "{errors:#?}");
        assert!(errors[1].starts_with("lessons/02-sample/lesson.md:24: check `rna \"ls\"`: unknown check"), "{errors:#?}");
        assert!(errors[2].starts_with("lessons/02-sample/lesson.md:29: `@ replace models.py` needs `@ with`"), "{errors:#?}");
    }

    #[test]
    fn never_panics_on_fragments() {
        for cut in 0..GOOD.len() {
            if GOOD.is_char_boundary(cut) {
                let _ = read(&GOOD[..cut]);
            }
        }
    }
}
