//! The problems the editor underlines, gathered from the readers that
//! already judge each file: the Python parser (any `.py`), the models reader
//! (the models modules, what they import, and env.py's module level as
//! Alembic runs it), the project readers in `app/` (`main.py`,
//! `database.py`, `env.py`, `alembic.ini`) and the revision-script reader
//! (migration files in `versions/`). Each problem gets the range to
//! underline: the token at its place, or the rest of the line for non-Python.

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::alembic::env::load_config;
use crate::engine::app;
use crate::engine::environ::{Environ, PythonEnv};
use crate::engine::migrate::script::read_script;
use crate::engine::models::{self, Diagnostic};
use crate::engine::project::Project;
use crate::engine::python::{self, TokenKind};
use crate::engine::session::DEFAULT_ROOT;

/// How bad a problem is: an error (Python or SQLAlchemy would raise it) or
/// driftlab's warning or advice (`driftlab: ...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem in one file, with the range to underline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line and column (in characters) where it starts, as the reader reported it.
    pub line: usize,
    pub col: usize,
    /// Where the underline ends (exclusive). Equal to the start only at the
    /// end of a line or of the file (e.g. "expected ':'").
    pub end_line: usize,
    pub end_col: usize,
    /// The same range as byte offsets into the file's text.
    pub start: usize,
    pub end: usize,
    pub message: String,
    pub hint: Option<String>,
    pub severity: Severity,
}

/// The problems of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblems {
    pub path: String,
    pub problems: Vec<Problem>,
}

/// The problems in the file `path`, sorted by place.
pub fn diagnostics(project: &Project, path: &str) -> Vec<Problem> {
    project_diagnostics(project).into_iter().find(|f| f.path == path).map(|f| f.problems).unwrap_or_default()
}

/// The problems in every file of the project, files in path order (files
/// without problems are left out). The readers run once for all files.
pub fn project_diagnostics(project: &Project) -> Vec<FileProblems> {
    project_diagnostics_in(project, &Environ::default())
}

/// The same, for a terminal whose exported variables are `environ`: the
/// project's Python reads them before `.env` (a `DATABASE_URL` exported in
/// the terminal is not "missing").
pub fn project_diagnostics_in(project: &Project, environ: &Environ) -> Vec<FileProblems> {
    let mut found: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    let mut add = |d: Diagnostic| found.entry(d.file.clone()).or_default().push(d);

    let facts = app::read_project_with(project, &PythonEnv::new(project, environ));
    // Syntax errors in every Python file; the readers repeat some (deduplicated below).
    for (path, bytes) in project.files() {
        if path.ends_with(".py") && !Project::is_database(path, bytes) {
            let text = String::from_utf8_lossy(bytes);
            for error in python::parse_module(&text).errors {
                add(Diagnostic {
                    file: path.to_string(),
                    line: error.line,
                    col: error.col,
                    message: format!("SyntaxError: {}", error.message),
                    hint: None,
                });
            }
        }
    }
    facts.diagnostics.iter().cloned().for_each(&mut add);

    // The models as SQLAlchemy builds them (foreign keys resolved):
    // `models.py`, the modules env.py names as holding models, and env.py
    // itself (what `alembic revision --autogenerate` imports).
    let mut roots: Vec<String> = vec!["models.py".to_string()];
    if let Some(env) = &facts.env {
        roots.extend(env.model_modules.iter().map(|m| m.path.clone()));
        roots.push(env.path.clone());
    }
    roots.dedup();
    for root in roots.iter().filter(|root| project.is_file(root)) {
        models::read_models(project, root).diagnostics.into_iter().for_each(&mut add);
    }

    // Migration scripts, as Alembic loads them.
    let versions = load_config(project, "", DEFAULT_ROOT, None)
        .map(|config| config.versions_dir())
        .unwrap_or_else(|_| "alembic/versions".to_string());
    let prefix = format!("{versions}/");
    for (path, bytes) in project.files() {
        let in_versions = path.strip_prefix(&prefix).is_some_and(|name| !name.contains('/') && name.ends_with(".py"));
        if in_versions {
            read_script(path, &String::from_utf8_lossy(bytes)).diagnostics.into_iter().for_each(&mut add);
        }
    }

    found
        .into_iter()
        .filter_map(|(path, diagnostics)| {
            let text = project.read_text(&path)?;
            let problems = to_problems(&path, &text, diagnostics);
            (!problems.is_empty()).then_some(FileProblems { path, problems })
        })
        .collect()
}

/// Like [`project_diagnostics`], with some files' text replaced by what
/// the editor holds (unsaved buffers): the problems of what is on screen.
pub fn project_diagnostics_with(project: &Project, buffers: &[(&str, &str)], environ: &Environ) -> Vec<FileProblems> {
    let differs = buffers.iter().any(|(path, text)| project.read(path) != Some(text.as_bytes()));
    if !differs {
        return project_diagnostics_in(project, environ);
    }
    let mut edited = project.clone();
    for (path, text) in buffers {
        edited.write(path, text.as_bytes());
    }
    project_diagnostics_in(&edited, environ)
}

/// Places the reported diagnostics of one file in its text: ranges,
/// severities, duplicates removed, sorted by place.
fn to_problems(path: &str, text: &str, diagnostics: Vec<Diagnostic>) -> Vec<Problem> {
    let lines = LineStarts::new(text);
    let tokens = path.ends_with(".py").then(|| python::tokenize(text).0);
    let mut seen = BTreeSet::new();
    let mut problems = Vec::new();
    for d in diagnostics {
        if !seen.insert((d.line, d.col, d.message.clone())) {
            continue;
        }
        let start = lines.offset(text, d.line, d.col);
        let end = match &tokens {
            Some(tokens) => token_end(text, tokens, start),
            None => rest_of_line_end(text, start),
        };
        let end = end.min(lines.line_end(text, start)).max(start);
        let (line, col) = lines.line_col(text, start);
        let (end_line, end_col) = lines.line_col(text, end);
        let severity = if d.message.starts_with("driftlab:") { Severity::Warning } else { Severity::Error };
        problems.push(Problem { line, col, end_line, end_col, start, end, message: d.message, hint: d.hint, severity });
    }
    problems.sort_by_key(|p| (p.start, p.end, p.severity));
    problems
}

/// The end of the token at `offset`; one character (or the word) when no
/// token starts there; `offset` itself at a line break or the end.
fn token_end(text: &str, tokens: &[python::Token], offset: usize) -> usize {
    let visible = |kind: TokenKind| {
        !matches!(
            kind,
            TokenKind::Newline | TokenKind::NonLogicalNewline | TokenKind::Indent | TokenKind::Dedent | TokenKind::EndOfFile
        )
    };
    let at = tokens.partition_point(|t| t.span.end <= offset);
    match tokens.get(at) {
        Some(token) if visible(token.kind) && token.span.start <= offset && offset < token.span.end => {
            if token.kind == TokenKind::Name {
                dotted_name_end(tokens, at)
            } else {
                token.span.end
            }
        }
        _ => word_end(text, offset),
    }
}

/// The end of a dotted name (`op.drop_table`, `sqlalchemy.ormm`) starting at token `at`.
fn dotted_name_end(tokens: &[python::Token], at: usize) -> usize {
    let mut end = tokens[at].span.end;
    let mut i = at + 1;
    while let (Some(dot), Some(name)) = (tokens.get(i), tokens.get(i + 1)) {
        let adjacent = dot.span.start == end && name.span.start == dot.span.end;
        if !(adjacent && dot.kind == TokenKind::Op(python::lexer::Op::Dot) && name.kind == TokenKind::Name) {
            break;
        }
        end = name.span.end;
        i += 2;
    }
    end
}

/// The end of the word at `offset`, or of its one character; `offset` at a line break or the end.
fn word_end(text: &str, offset: usize) -> usize {
    let rest = text.get(offset..).unwrap_or("");
    let Some(first) = rest.chars().next() else { return offset };
    if first == '\n' || first == '\r' {
        return offset;
    }
    if first.is_alphanumeric() || first == '_' {
        let len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
        return offset + len;
    }
    offset + first.len_utf8()
}

/// The end of the line's text from `offset`, trailing spaces left out.
fn rest_of_line_end(text: &str, offset: usize) -> usize {
    let rest = text.get(offset..).unwrap_or("");
    let line = &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())];
    offset + line.trim_end().len()
}

/// Where lines start, for turning line:col into byte offsets and back.
/// Lines end at `\n`, `\r\n` or a lone `\r`, as Python counts them.
struct LineStarts {
    starts: Vec<usize>,
}

impl LineStarts {
    fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        LineStarts { starts }
    }

    /// The byte offset of 1-based `line`:`col` (characters), clamped to the text and the line.
    fn offset(&self, text: &str, line: usize, col: usize) -> usize {
        let Some(&start) = self.starts.get(line.max(1) - 1) else { return text.len() };
        let end = self.line_end(text, start);
        let line_text = text.get(start..end).unwrap_or("");
        let into = line_text.char_indices().nth(col.max(1) - 1).map_or(line_text.len(), |(i, _)| i);
        start + into
    }

    /// The offset of the line break ending the line that holds `offset` (or the text's end).
    fn line_end(&self, text: &str, offset: usize) -> usize {
        let rest = text.get(offset..).unwrap_or("");
        offset + rest.find(['\n', '\r']).unwrap_or(rest.len())
    }

    /// 1-based line and column (characters) of a byte offset.
    fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let index = self.starts.partition_point(|&s| s <= offset).max(1) - 1;
        let start = self.starts[index];
        let col = text.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
        (index + 1, col)
    }
}
