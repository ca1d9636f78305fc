//! A session as the page keeps it across reloads: the project (text files as
//! text, databases and other binary files as base64), explicit directories,
//! the current directory, the shell's variables (`export`ed or not: a reload
//! keeps the terminal's shell; absent in sessions saved before driftlab had
//! them, which still load), the lines typed, the terminal as it was shown, and
//! two opaque values other parts own (lesson progress, layout) — as JSON with
//! a format version. Reading a saved blob never panics: it tells a damaged
//! blob, one from another driftlab version and one whose content driftlab
//! won't load (paths climbing out of the project, absurd sizes) apart, in
//! words for the learner. Share links and zip import reuse the project checks.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::project::Project;
use super::session::LastCommand;
use super::shell::Variable;

/// What the `format` field of a saved session says.
pub const FORMAT: &str = "driftlab-session";
/// The saved-session format this driftlab writes and reads.
pub const FORMAT_VERSION: u64 = 1;

/// At most this many files in a project (saved, shared or imported)...
pub const MAX_FILES: usize = 500;
/// ...and this many directories...
pub const MAX_DIRS: usize = 500;
/// ...holding at most this many bytes in all.
pub const MAX_PROJECT_BYTES: usize = 20 * 1024 * 1024;
/// The longest path, in bytes, and the deepest.
pub const MAX_PATH_BYTES: usize = 255;
pub const MAX_PATH_DEPTH: usize = 16;
/// The lines typed that are kept (the newest), and the longest line kept whole.
pub const MAX_HISTORY: usize = 1000;
pub const MAX_LINE_BYTES: usize = 16 * 1024;
/// The terminal entries kept (the newest), the output kept of each (its
/// end), and the bytes of all of them together.
pub const MAX_TERMINAL_ENTRIES: usize = 200;
pub const MAX_ENTRY_OUTPUT_BYTES: usize = 16 * 1024;
pub const MAX_TERMINAL_BYTES: usize = 1024 * 1024;
/// The shell variables kept at most, and the bytes of their names and values together.
pub const MAX_VARIABLES: usize = 500;
pub const MAX_VARIABLE_BYTES: usize = 256 * 1024;
/// The largest saved blob read at all (20 MB of files in base64, and the rest).
pub const MAX_JSON_BYTES: usize = 32 * 1024 * 1024;

/// What stands before an output cut to its end when saved.
pub const CUT_MARKER: &str = "[… earlier output not kept]\n";

/// One file's bytes: UTF-8 text as it is, anything else in base64.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileData {
    Text(String),
    Base64(String),
}

/// A project's files and explicit directories, as saved sessions and share
/// links carry them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectData {
    pub files: BTreeMap<String, FileData>,
    #[serde(default)]
    pub dirs: Vec<String>,
}

/// One command line the terminal showed and what it printed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerminalEntry {
    #[serde(default)]
    pub prompt: String,
    pub command: String,
    #[serde(default)]
    pub stdout: String,
    #[serde(default)]
    pub stderr: String,
    #[serde(default)]
    pub exit_code: i32,
}

/// A saved session. Build it with [`crate::engine::Session::save`] and the
/// `with_*` methods; read it with [`SavedSession::from_json`]; put it back
/// with [`crate::engine::Session::restore`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedSession {
    pub format: String,
    pub version: u64,
    pub project: ProjectData,
    #[serde(default)]
    pub cwd: String,
    #[serde(default)]
    pub history: Vec<String>,
    #[serde(default)]
    pub last_command: Option<LastCommand>,
    /// The shell's variables; `None` in sessions saved before driftlab kept them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variables: Option<Vec<Variable>>,
    #[serde(default)]
    pub terminal: Vec<TerminalEntry>,
    /// Lesson progress, as the lesson pane keeps it (driftlab only stores it).
    #[serde(default)]
    pub lesson: Value,
    /// The page's layout, as the UI keeps it (driftlab only stores it).
    #[serde(default)]
    pub layout: Value,
}

/// Why a saved session can't be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// Larger than [`MAX_JSON_BYTES`]: not even parsed.
    TooLarge { bytes: usize, max: usize },
    /// Not JSON, or not the shape of a saved session; where serde stopped.
    Corrupt { line: usize, column: usize, message: String },
    /// JSON, but not a driftlab saved session.
    NotASession,
    /// A saved session of another format version.
    Incompatible { found: u64, supported: u64 },
    /// Well-formed, but holding something driftlab won't load.
    Invalid(String),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::TooLarge { bytes, max } => write!(
                f,
                "The saved session is too large to load ({}; the limit is {}).",
                human_size(*bytes),
                human_size(*max)
            ),
            LoadError::Corrupt { line, column, message } => write!(
                f,
                "The saved session is damaged and can't be read ({message} at line {line}, column {column})."
            ),
            LoadError::NotASession => {
                write!(f, "This is not a driftlab saved session (it has no \"format\": \"{FORMAT}\").")
            }
            LoadError::Incompatible { found, supported } if found > supported => write!(
                f,
                "The saved session comes from a newer driftlab (format version {found}); this page reads \
                 version {supported}. Reload to get the newest driftlab."
            ),
            LoadError::Incompatible { found, supported } => write!(
                f,
                "The saved session comes from an older driftlab (format version {found}) that this version \
                 no longer reads (it reads version {supported})."
            ),
            LoadError::Invalid(reason) => write!(f, "The saved session holds something driftlab won't load: {reason}."),
        }
    }
}

impl std::error::Error for LoadError {}

/// `1.5 MB`, `512 KB`, `12 bytes`.
pub fn human_size(bytes: usize) -> String {
    const KB: usize = 1024;
    const MB: usize = 1024 * KB;
    if bytes >= MB {
        format!("{:.1} MB", bytes as f64 / MB as f64).replace(".0 ", " ")
    } else if bytes >= KB {
        format!("{} KB", bytes.div_ceil(KB))
    } else {
        format!("{bytes} bytes")
    }
}

/// A serde error as [`LoadError::Corrupt`]'s parts: the message without
/// serde's own " at line L column C".
pub(crate) fn serde_position(e: &serde_json::Error) -> (usize, usize, String) {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = text.strip_suffix(&suffix).unwrap_or(&text).to_string();
    (e.line(), e.column(), message)
}

// ------------------------------------------------------------------ paths

/// Checks a project path from outside (a saved session, a share link, a zip
/// entry): relative, `/`-separated, normalised, no `..`, no control
/// characters or backslashes, not too long or deep. The reason when not.
pub fn check_path(path: &str) -> Result<(), String> {
    if path.is_empty() {
        return Err("an empty file name".to_string());
    }
    if path.len() > MAX_PATH_BYTES {
        return Err(format!("the path {:?} is longer than {MAX_PATH_BYTES} bytes", shorten(path)));
    }
    if path.starts_with('/') {
        return Err(format!("the path {path:?} is absolute"));
    }
    if path.contains('\\') {
        return Err(format!("the path {path:?} contains a backslash"));
    }
    if path.chars().any(char::is_control) {
        return Err(format!("the path {path:?} contains a control character"));
    }
    let parts: Vec<&str> = path.split('/').collect();
    if parts.contains(&"..") {
        return Err(format!("the path {path:?} climbs out of the project"));
    }
    if parts.iter().any(|p| p.is_empty() || *p == ".") {
        return Err(format!("the path {path:?} is not normalised"));
    }
    if parts.len() > MAX_PATH_DEPTH {
        return Err(format!("the path {:?} is nested deeper than {MAX_PATH_DEPTH} folders", shorten(path)));
    }
    Ok(())
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

// ---------------------------------------------------------------- project

impl ProjectData {
    pub fn from_project(project: &Project) -> ProjectData {
        let files = project
            .files()
            .map(|(path, bytes)| {
                let data = match std::str::from_utf8(bytes) {
                    Ok(text) if !Project::is_database(path, bytes) => FileData::Text(text.to_string()),
                    _ => FileData::Base64(BASE64.encode(bytes)),
                };
                (path.to_string(), data)
            })
            .collect();
        ProjectData { files, dirs: project.dirs().map(str::to_string).collect() }
    }

    /// Checks the paths, the counts, the sizes (from the text, without
    /// decoding) and that no file is where a folder is; the project's
    /// folders (explicit and implied). The reason (for a message) when not.
    pub fn check(&self) -> Result<BTreeSet<&str>, String> {
        if self.files.len() > MAX_FILES {
            return Err(format!("{} files (at most {MAX_FILES})", self.files.len()));
        }
        if self.dirs.len() > MAX_DIRS {
            return Err(format!("{} folders (at most {MAX_DIRS})", self.dirs.len()));
        }
        // base64 holds at most 3 bytes per 4 characters.
        let declared: usize = self
            .files
            .values()
            .map(|data| match data {
                FileData::Text(text) => text.len(),
                FileData::Base64(b64) => b64.len() / 4 * 3,
            })
            .fold(0, usize::saturating_add);
        if declared > MAX_PROJECT_BYTES + 2 * self.files.len() {
            return Err(format!("files of {} in all (at most {})", human_size(declared), human_size(MAX_PROJECT_BYTES)));
        }
        let mut dirs: BTreeSet<&str> = BTreeSet::new();
        for dir in &self.dirs {
            check_path(dir)?;
            dirs.insert(dir);
        }
        for path in self.files.keys().chain(&self.dirs) {
            check_path(path)?;
            dirs.extend(path.match_indices('/').map(|(i, _)| &path[..i]));
        }
        if dirs.len() > MAX_DIRS {
            return Err(format!("{} folders (at most {MAX_DIRS})", dirs.len()));
        }
        if let Some(path) = self.files.keys().find(|p| dirs.contains(p.as_str())) {
            return Err(format!("{path:?} is both a file and a folder"));
        }
        Ok(dirs)
    }

    /// The project, after [`ProjectData::check`] and decoding.
    pub fn to_project(&self) -> Result<Project, String> {
        self.check()?;
        let mut project = Project::new();
        for dir in &self.dirs {
            project.create_dir_all(dir);
        }
        let mut total = 0usize;
        for (path, data) in &self.files {
            let bytes = match data {
                FileData::Text(text) => text.as_bytes().to_vec(),
                FileData::Base64(b64) => {
                    BASE64.decode(b64).map_err(|e| format!("the file {path:?} is not valid base64 ({e})"))?
                }
            };
            total += bytes.len();
            project.write(path, bytes);
        }
        if total > MAX_PROJECT_BYTES {
            return Err(format!("files of {} in all (at most {})", human_size(total), human_size(MAX_PROJECT_BYTES)));
        }
        Ok(project)
    }
}

/// A file where a folder is, or a folder inside a file.
fn check_tree(project: &Project) -> Result<(), String> {
    for (path, _) in project.files() {
        if project.is_dir(path) {
            return Err(format!("{path:?} is both a file and a folder"));
        }
    }
    for dir in project.dirs() {
        if project.is_file(dir) {
            return Err(format!("{dir:?} is both a file and a folder"));
        }
    }
    if project.dirs().count() > MAX_DIRS {
        return Err(format!("more than {MAX_DIRS} folders"));
    }
    Ok(())
}

/// Checks a project built in memory against the same limits (a session
/// about to be saved or shared).
pub fn check_project(project: &Project) -> Result<(), String> {
    let files: Vec<(&str, &[u8])> = project.files().collect();
    if files.len() > MAX_FILES {
        return Err(format!("{} files (at most {MAX_FILES})", files.len()));
    }
    let total: usize = files.iter().map(|(_, b)| b.len()).sum();
    if total > MAX_PROJECT_BYTES {
        return Err(format!("files of {} in all (at most {})", human_size(total), human_size(MAX_PROJECT_BYTES)));
    }
    for (path, _) in &files {
        check_path(path)?;
    }
    for dir in project.dirs() {
        check_path(dir)?;
    }
    check_tree(project)
}

// ----------------------------------------------------------- saved session

/// The end of `text` that fits in `max` bytes (on a character boundary),
/// marked as cut when it was.
fn keep_end(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut start = text.len() - max;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    format!("{CUT_MARKER}{}", &text[start..])
}

fn entry_bytes(e: &TerminalEntry) -> usize {
    e.prompt.len() + e.command.len() + e.stdout.len() + e.stderr.len()
}

impl SavedSession {
    /// A saved session of `project` at `cwd` with the lines typed so far (the
    /// newest [`MAX_HISTORY`] kept) and the last command; no terminal entries
    /// and no lesson or layout yet.
    pub fn new(project: &Project, cwd: &str, history: &[String], last: Option<&LastCommand>) -> SavedSession {
        let dropped = history.len().saturating_sub(MAX_HISTORY);
        let history: Vec<String> = history[dropped..].iter().map(|line| keep_end(line, MAX_LINE_BYTES)).collect();
        let last_command = last.and_then(|last| {
            let index = last.index.checked_sub(dropped)?;
            let mut last = last.clone();
            last.index = index;
            last.line = keep_end(&last.line, MAX_LINE_BYTES);
            last.output.stdout = keep_end(&last.output.stdout, MAX_ENTRY_OUTPUT_BYTES);
            last.output.stderr = keep_end(&last.output.stderr, MAX_ENTRY_OUTPUT_BYTES);
            Some(last)
        });
        SavedSession {
            format: FORMAT.to_string(),
            version: FORMAT_VERSION,
            project: ProjectData::from_project(project),
            cwd: cwd.to_string(),
            history,
            last_command,
            variables: None,
            terminal: Vec::new(),
            lesson: Value::Null,
            layout: Value::Null,
        }
    }

    /// The terminal as shown, bounded: the newest [`MAX_TERMINAL_ENTRIES`],
    /// each output cut to its last [`MAX_ENTRY_OUTPUT_BYTES`], the oldest
    /// dropped until all fit in [`MAX_TERMINAL_BYTES`].
    pub fn with_terminal(mut self, entries: impl IntoIterator<Item = TerminalEntry>) -> SavedSession {
        let mut entries: Vec<TerminalEntry> = entries
            .into_iter()
            .map(|e| TerminalEntry {
                prompt: keep_end(&e.prompt, MAX_LINE_BYTES),
                command: keep_end(&e.command, MAX_LINE_BYTES),
                stdout: keep_end(&e.stdout, MAX_ENTRY_OUTPUT_BYTES),
                stderr: keep_end(&e.stderr, MAX_ENTRY_OUTPUT_BYTES),
                exit_code: e.exit_code,
            })
            .collect();
        let mut drop = entries.len().saturating_sub(MAX_TERMINAL_ENTRIES);
        let mut total: usize = entries[drop..].iter().map(entry_bytes).sum();
        while total > MAX_TERMINAL_BYTES {
            total -= entry_bytes(&entries[drop]);
            drop += 1;
        }
        entries.drain(..drop);
        self.terminal = entries;
        self
    }

    /// The shell's variables (see [`MAX_VARIABLES`]; checked when written and read).
    pub fn with_variables(mut self, variables: Vec<Variable>) -> SavedSession {
        self.variables = Some(variables);
        self
    }

    /// The lesson pane's progress (stored as given).
    pub fn with_lesson(mut self, lesson: Value) -> SavedSession {
        self.lesson = lesson;
        self
    }

    /// The page's layout (stored as given).
    pub fn with_layout(mut self, layout: Value) -> SavedSession {
        self.layout = layout;
        self
    }

    /// Reads a saved session. Never panics; see [`LoadError`].
    pub fn from_json(json: &str) -> Result<SavedSession, LoadError> {
        if json.len() > MAX_JSON_BYTES {
            return Err(LoadError::TooLarge { bytes: json.len(), max: MAX_JSON_BYTES });
        }
        // The marker and version first, so that a session of another version
        // is named as such rather than as a shape serde didn't expect.
        #[derive(Deserialize)]
        struct Header {
            format: Option<Value>,
            version: Option<Value>,
        }
        let corrupt = |e: serde_json::Error| {
            let (line, column, message) = serde_position(&e);
            LoadError::Corrupt { line, column, message }
        };
        let header: Header = serde_json::from_str(json).map_err(corrupt)?;
        if header.format.as_ref().and_then(Value::as_str) != Some(FORMAT) {
            return Err(LoadError::NotASession);
        }
        match header.version.as_ref().and_then(Value::as_u64) {
            Some(FORMAT_VERSION) => {}
            Some(found) => return Err(LoadError::Incompatible { found, supported: FORMAT_VERSION }),
            None => {
                return Err(LoadError::Corrupt {
                    line: 1,
                    column: 1,
                    message: "its format version is missing or not a number".to_string(),
                })
            }
        }
        let saved: SavedSession = serde_json::from_str(json).map_err(corrupt)?;
        saved.check().map_err(LoadError::Invalid)?;
        saved.project.to_project().map_err(LoadError::Invalid)?;
        Ok(saved)
    }

    /// The JSON to store, after checking that [`SavedSession::from_json`]
    /// will read it back (a project over the limits is refused here, when it
    /// is saved, not when the page reloads). Checks without decoding files.
    pub fn to_json(&self) -> Result<String, LoadError> {
        self.check().map_err(LoadError::Invalid)?;
        serde_json::to_string(self).map_err(|e| LoadError::Invalid(e.to_string()))
    }

    /// The project this saved session holds (checked).
    pub fn to_project(&self) -> Result<Project, LoadError> {
        self.project.to_project().map_err(LoadError::Invalid)
    }

    /// Everything but the project's content: limits on the history and the
    /// terminal, the current directory, the last command's place.
    fn check_session(&self) -> Result<(), String> {
        if self.history.len() > MAX_HISTORY {
            return Err(format!("{} lines of history (at most {MAX_HISTORY})", self.history.len()));
        }
        let long_line = self.history.iter().any(|l| l.len() > MAX_LINE_BYTES + CUT_MARKER.len());
        if long_line {
            return Err(format!("a history line longer than {}", human_size(MAX_LINE_BYTES)));
        }
        if self.terminal.len() > MAX_TERMINAL_ENTRIES {
            return Err(format!("{} terminal entries (at most {MAX_TERMINAL_ENTRIES})", self.terminal.len()));
        }
        let terminal: usize = self.terminal.iter().map(entry_bytes).sum();
        if terminal > MAX_TERMINAL_BYTES {
            return Err(format!("{} of terminal output (at most {})", human_size(terminal), human_size(MAX_TERMINAL_BYTES)));
        }
        if let Some(last) = &self.last_command {
            if last.index >= self.history.len() {
                return Err("a last command outside the history".to_string());
            }
        }
        if !self.cwd.is_empty() {
            check_path(&self.cwd).map_err(|e| format!("the current directory: {e}"))?;
        }
        self.check_variables()
    }

    /// Variables: how many, how large, and names a shell accepts.
    fn check_variables(&self) -> Result<(), String> {
        let Some(variables) = &self.variables else { return Ok(()) };
        if variables.len() > MAX_VARIABLES {
            return Err(format!("{} shell variables (at most {MAX_VARIABLES})", variables.len()));
        }
        let bytes: usize = variables.iter().map(|v| v.name.len() + v.value.as_ref().map_or(0, String::len)).sum();
        if bytes > MAX_VARIABLE_BYTES {
            return Err(format!("shell variables of {} (at most {})", human_size(bytes), human_size(MAX_VARIABLE_BYTES)));
        }
        match variables.iter().find(|v| !crate::engine::shell::is_variable_name(&v.name)) {
            Some(bad) => Err(format!("a shell variable named {:?}", shorten(&bad.name))),
            None => Ok(()),
        }
    }

    fn check(&self) -> Result<(), String> {
        if self.format != FORMAT || self.version != FORMAT_VERSION {
            return Err(format!("format {:?} version {} (this driftlab writes {FORMAT:?} version {FORMAT_VERSION})", self.format, self.version));
        }
        self.check_session()?;
        let dirs = self.project.check()?;
        if !self.cwd.is_empty() && !dirs.contains(self.cwd.as_str()) {
            return Err(format!("the current directory {:?} is not a folder of the project", self.cwd));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_from_outside_are_checked() {
        for ok in ["main.py", "alembic/versions/0001_init.py", "<img src=x onerror=alert(1)>.py", "a b/c.db"] {
            assert_eq!(check_path(ok), Ok(()), "{ok}");
        }
        let cases = [
            ("", "empty"),
            ("/etc/passwd", "absolute"),
            ("../x", "climbs out"),
            ("a/../../x", "climbs out"),
            ("a//b", "not normalised"),
            ("./a", "not normalised"),
            ("a/", "not normalised"),
            ("a\\..\\b", "backslash"),
            ("a\nb", "control"),
            ("a\0b", "control"),
        ];
        for (path, why) in cases {
            let err = check_path(path).unwrap_err();
            assert!(err.contains(why), "{path:?}: {err}");
        }
        assert!(check_path("a/".repeat(17).trim_end_matches('/')).unwrap_err().contains("deeper"));
        assert!(check_path(&"x".repeat(256)).unwrap_err().contains("longer"));
    }

    #[test]
    fn outputs_are_cut_to_their_end_on_a_character_boundary() {
        let text = "é".repeat(10);
        let cut = keep_end(&text, 5);
        assert_eq!(cut, format!("{CUT_MARKER}éé"));
        assert_eq!(keep_end("abc", 3), "abc");
    }

    #[test]
    fn sizes_read_like_a_person_writes_them() {
        assert_eq!(human_size(12), "12 bytes");
        assert_eq!(human_size(1536), "2 KB");
        assert_eq!(human_size(20 * 1024 * 1024), "20 MB");
        assert_eq!(human_size(1024 * 1024 * 3 / 2), "1.5 MB");
    }
}
