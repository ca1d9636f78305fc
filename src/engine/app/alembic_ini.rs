//! Reads `alembic.ini` the way Python's `configparser.ConfigParser` does
//! (sections, `key = value` / `key: value`, indented continuation lines,
//! `#`/`;` comment lines and no inline comments, `%(name)s` interpolation
//! with `%%` for a literal `%`, and Alembic's `%(here)s`), and exposes the
//! `[alembic]` keys Alembic uses. Every malformed line is reported with its place.

use std::collections::BTreeMap;

use crate::engine::project;

use super::source::python_repr;
use super::Diagnostic;

/// Alembic's file name template when `file_template` is not set. (The ini
/// writes it `%%(rev)s_%%(slug)s` because ConfigParser turns `%%` into `%`.)
pub const DEFAULT_FILE_TEMPLATE: &str = "%(rev)s_%(slug)s";

/// The section Alembic reads its own options from.
pub const MAIN_SECTION: &str = "alembic";

/// What `alembic.ini` configures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlembicIni {
    pub path: String,
    /// `script_location`, interpolated (`%(here)s/alembic` → `./alembic`).
    pub script_location: Option<String>,
    pub sqlalchemy_url: Option<String>,
    /// `file_template` when set, interpolated (so `%%(rev)s` reads `%(rev)s`);
    /// `None` means [`DEFAULT_FILE_TEMPLATE`].
    pub file_template: Option<String>,
    pub prepend_sys_path: Option<String>,
    pub path_separator: Option<String>,
    pub version_path_separator: Option<String>,
    pub version_locations: Option<String>,
    /// The other keys of `[alembic]`, in file order, interpolated when possible.
    pub other: Vec<(String, String)>,
    /// Every section, in file order (`DEFAULT` excluded).
    pub sections: Vec<IniSection>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IniSection {
    pub name: String,
    pub line: usize,
    pub entries: Vec<IniEntry>,
}

/// One `key = value`, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IniEntry {
    /// Lower-cased, as ConfigParser stores keys.
    pub key: String,
    /// The value before interpolation; continuation lines joined with `\n`.
    pub raw: String,
    pub line: usize,
    pub col: usize,
}

impl AlembicIni {
    /// The file template Alembic uses.
    pub fn effective_file_template(&self) -> &str {
        self.file_template.as_deref().unwrap_or(DEFAULT_FILE_TEMPLATE)
    }

    /// The project folder `script_location` names (`alembic`), if it stays inside the project.
    pub fn script_folder(&self) -> Option<String> {
        let location = self.script_location.as_deref()?;
        project::resolve("", location)
    }

    pub fn section(&self, name: &str) -> Option<&IniSection> {
        self.sections.iter().find(|s| s.name == name)
    }

    /// `ConfigParser.items(section)` as Alembic's `Config` builds it: the
    /// `here` default first, then the section's keys, interpolated (`None`
    /// for a value whose interpolation fails). `None` without the section.
    pub fn items(&self, section: &str, here: &str) -> Option<Vec<(String, Option<String>)>> {
        let found = self.section(section)?;
        let mut lookup = BTreeMap::new();
        lookup.insert("here".to_string(), here.to_string());
        for entry in &found.entries {
            lookup.insert(entry.key.clone(), entry.raw.clone());
        }
        let mut items = vec![("here".to_string(), Some(here.to_string()))];
        for entry in &found.entries {
            let value = interpolate(&lookup, &entry.raw).ok();
            match items.iter_mut().find(|(k, _)| *k == entry.key) {
                Some(slot) => slot.1 = value,
                None => items.push((entry.key.clone(), value)),
            }
        }
        Some(items)
    }
}

/// Keys of `[alembic]` that Alembic reads on every command: their
/// interpolation errors would stop it.
const READ_BY_ALEMBIC: &[&str] = &[
    "script_location", "sqlalchemy.url", "file_template", "prepend_sys_path", "path_separator",
    "version_path_separator", "version_locations", "truncate_slug_length", "timezone",
    "revision_environment", "sourceless", "output_encoding", "recursive_version_locations",
];

/// ConfigParser gives up substituting after this many nested references.
const MAX_INTERPOLATION_DEPTH: usize = 10;

/// Reads the ini file `path` with text `text`. The diagnostics are
/// ConfigParser's and Alembic's errors, with the line they are about.
pub fn read_alembic_ini(path: &str, text: &str) -> (AlembicIni, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let (defaults, sections) = parse(path, text, &mut diagnostics);
    let folder = path.rsplit_once('/').map_or(".", |(dir, _)| dir);
    let mut ini = AlembicIni {
        path: path.to_string(),
        script_location: None,
        sqlalchemy_url: None,
        file_template: None,
        prepend_sys_path: None,
        path_separator: None,
        version_path_separator: None,
        version_locations: None,
        other: Vec::new(),
        sections,
    };
    let Some(main) = ini.section(MAIN_SECTION).cloned() else {
        if diagnostics.is_empty() {
            diagnostics.push(diagnostic(path, 1, 1, "alembic.util.exc.CommandError: No 'script_location' key found in configuration.", Some(format!("{path} needs an [alembic] section with script_location = %(here)s/alembic"))));
        }
        return (ini, diagnostics);
    };
    // What `%(name)s` may name: Alembic's `here`, the file's [DEFAULT], then the section's own keys.
    let mut lookup: BTreeMap<String, String> = BTreeMap::new();
    lookup.insert("here".into(), folder.to_string());
    lookup.extend(defaults);
    lookup.extend(main.entries.iter().map(|e| (e.key.clone(), e.raw.clone())));
    for entry in &main.entries {
        let value = match interpolate(&lookup, &entry.raw) {
            Ok(value) => value,
            Err(error) => {
                if READ_BY_ALEMBIC.contains(&entry.key.as_str()) {
                    let message = error.message(&entry.key, MAIN_SECTION, &entry.raw);
                    diagnostics.push(diagnostic(path, entry.line, entry.col, message, None));
                }
                if !READ_BY_ALEMBIC.contains(&entry.key.as_str()) {
                    ini.other.push((entry.key.clone(), entry.raw.clone()));
                }
                continue;
            }
        };
        if READ_BY_ALEMBIC.contains(&entry.key.as_str()) && has_inline_comment(&entry.raw) {
            diagnostics.push(diagnostic(
                path,
                entry.line,
                entry.col,
                format!("driftlab: the value of {} includes a comment: {}", entry.key, python_repr(&value)),
                Some("comments in .ini files must be on their own line".into()),
            ));
        }
        let slot = match entry.key.as_str() {
            "script_location" => &mut ini.script_location,
            "sqlalchemy.url" => &mut ini.sqlalchemy_url,
            "file_template" => &mut ini.file_template,
            "prepend_sys_path" => &mut ini.prepend_sys_path,
            "path_separator" => &mut ini.path_separator,
            "version_path_separator" => &mut ini.version_path_separator,
            "version_locations" => &mut ini.version_locations,
            _ => {
                ini.other.push((entry.key.clone(), value));
                continue;
            }
        };
        *slot = Some(value);
    }
    if ini.script_location.is_none() && !main.entries.iter().any(|e| e.key == "script_location") {
        diagnostics.push(diagnostic(
            path,
            main.line,
            1,
            "alembic.util.exc.CommandError: No 'script_location' key found in configuration.",
            Some("add script_location = %(here)s/alembic to the [alembic] section".into()),
        ));
    }
    (ini, diagnostics)
}

fn diagnostic(file: &str, line: usize, col: usize, message: impl Into<String>, hint: Option<String>) -> Diagnostic {
    Diagnostic { file: file.to_string(), line, col, message: message.into(), hint }
}

/// ` # ...` or ` ; ...` inside a value: ConfigParser keeps it as part of the value.
fn has_inline_comment(raw: &str) -> bool {
    raw.contains(" #") || raw.contains(" ;") || raw.contains("\t#")
}

/// Sections and `[DEFAULT]` entries. Stops, as ConfigParser does, at a
/// missing section header or a duplicate section or key; other bad lines are
/// all reported and skipped.
fn parse(path: &str, text: &str, diagnostics: &mut Vec<Diagnostic>) -> (BTreeMap<String, String>, Vec<IniSection>) {
    let mut defaults: Vec<IniEntry> = Vec::new();
    let mut sections: Vec<IniSection> = Vec::new();
    // Which section the keys go to: `None` before any header, `Some(None)` for [DEFAULT].
    let mut current: Option<Option<usize>> = None;
    // The key continuation lines extend, and its pending blank lines.
    let mut option: Option<(Option<usize>, usize)> = None;
    let mut blanks = 0usize;
    let mut indent_level = 0usize;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (index, raw_line) in text.split_inclusive('\n').enumerate() {
        let line_number = index + 1;
        let line = raw_line.trim_end_matches(['\n', '\r']);
        let value = line.trim();
        if value.starts_with('#') || value.starts_with(';') {
            continue;
        }
        if value.is_empty() {
            if option.is_some() {
                blanks += 1;
            }
            continue;
        }
        let indent = line.chars().take_while(|c| c.is_whitespace()).count();
        let col = indent + 1;
        if let (Some(_), Some((section, entry))) = (current, option) {
            if indent > indent_level {
                let entries = match section {
                    Some(i) => &mut sections[i].entries,
                    None => &mut defaults,
                };
                if let Some(e) = entries.get_mut(entry) {
                    for _ in 0..blanks {
                        e.raw.push('\n');
                    }
                    e.raw.push('\n');
                    e.raw.push_str(value);
                }
                blanks = 0;
                continue;
            }
        }
        blanks = 0;
        indent_level = indent;
        if let Some(header) = section_header(value) {
            option = None;
            if header == "DEFAULT" {
                current = Some(None);
                continue;
            }
            if sections.iter().any(|s| s.name == header) {
                diagnostics.push(diagnostic(
                    path,
                    line_number,
                    col,
                    format!("configparser.DuplicateSectionError: While reading from '{path}' [line {line_number:2}]: section '{header}' already exists"),
                    Some("merge the two sections into one".into()),
                ));
                break;
            }
            sections.push(IniSection { name: header.to_string(), line: line_number, entries: Vec::new() });
            current = Some(Some(sections.len() - 1));
            continue;
        }
        let Some(section) = current else {
            diagnostics.push(diagnostic(
                path,
                line_number,
                col,
                format!("configparser.MissingSectionHeaderError: File contains no section headers. file: '{path}', line: {line_number} {}", python_repr(raw_line)),
                Some("the file must start with a section header such as [alembic]".into()),
            ));
            break;
        };
        let Some((key, raw)) = option_line(value) else {
            diagnostics.push(diagnostic(
                path,
                line_number,
                col,
                format!("configparser.ParsingError: Source contains parsing errors: '{path}' [line {line_number:2}]: {}", python_repr(raw_line)),
                Some("each line must be `key = value`, a [section] header, or a comment starting with # or ;".into()),
            ));
            continue;
        };
        let entries = match section {
            Some(i) => &mut sections[i].entries,
            None => &mut defaults,
        };
        if entries.iter().any(|e| e.key == key) {
            let section_name = section.map_or("DEFAULT", |i| sections[i].name.as_str());
            diagnostics.push(diagnostic(
                path,
                line_number,
                col,
                format!("configparser.DuplicateOptionError: While reading from '{path}' [line {line_number:2}]: option '{key}' in section '{section_name}' already exists"),
                Some("keep only one of the two lines".into()),
            ));
            break;
        }
        entries.push(IniEntry { key, raw, line: line_number, col });
        option = Some((section, entries.len() - 1));
    }
    let defaults = defaults.into_iter().map(|e| (e.key, e.raw)).collect();
    (defaults, sections)
}

/// `[name]` → `name` (between the first `[` and the last `]`).
fn section_header(value: &str) -> Option<&str> {
    let rest = value.strip_prefix('[')?;
    let end = rest.rfind(']')?;
    let header = &rest[..end];
    (!header.is_empty()).then_some(header)
}

/// `key = value` or `key: value` (whichever delimiter comes first): the
/// lower-cased key and the value. `None` for a line with no delimiter or no key.
fn option_line(value: &str) -> Option<(String, String)> {
    let at = value.find(['=', ':'])?;
    let key = value[..at].trim_end();
    if key.is_empty() {
        return None;
    }
    Some((key.to_lowercase(), value[at + 1..].trim().to_string()))
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum InterpolationError {
    Syntax(String),
    Missing(String),
    Depth,
}

impl InterpolationError {
    /// ConfigParser's wording.
    fn message(&self, key: &str, section: &str, raw: &str) -> String {
        match self {
            InterpolationError::Syntax(text) => format!("configparser.InterpolationSyntaxError: {text}"),
            InterpolationError::Missing(name) => format!(
                "configparser.InterpolationMissingOptionError: Bad value substitution: option '{key}' in section '{section}' contains an interpolation key '{name}' which is not a valid option name. Raw value: {}",
                python_repr(raw)
            ),
            InterpolationError::Depth => format!(
                "configparser.InterpolationDepthError: Recursion limit exceeded in value substitution: option '{key}' in section '{section}' contains an interpolation key which cannot be substituted in {MAX_INTERPOLATION_DEPTH} steps. Raw value: {}",
                python_repr(raw)
            ),
        }
    }
}

/// `BasicInterpolation`: `%%` → `%`, `%(name)s` → the value of `name`.
fn interpolate(lookup: &BTreeMap<String, String>, raw: &str) -> Result<String, InterpolationError> {
    let mut out = String::new();
    interpolate_into(lookup, raw, 1, &mut out)?;
    Ok(out)
}

fn interpolate_into(lookup: &BTreeMap<String, String>, raw: &str, depth: usize, out: &mut String) -> Result<(), InterpolationError> {
    if depth > MAX_INTERPOLATION_DEPTH {
        return Err(InterpolationError::Depth);
    }
    let mut rest = raw;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let next = rest[1..].chars().next();
        match next {
            Some('%') => {
                out.push('%');
                rest = &rest[2..];
            }
            Some('(') => {
                // `%(name)s`: a name without `)`, then `)s`.
                let close = rest.find(')');
                let reference = close.filter(|&c| c > 2 && rest[c + 1..].starts_with('s'));
                let Some(close) = reference else {
                    return Err(InterpolationError::Syntax(format!("bad interpolation variable reference {}", python_repr(rest))));
                };
                let name = rest[2..close].to_lowercase();
                let Some(value) = lookup.get(&name) else { return Err(InterpolationError::Missing(name)) };
                if value.contains('%') {
                    interpolate_into(lookup, value, depth + 1, out)?;
                } else {
                    out.push_str(value);
                }
                rest = &rest[close + 2..];
            }
            _ => {
                return Err(InterpolationError::Syntax(format!("'%' must be followed by '%' or '(', found: {}", python_repr(rest))));
            }
        }
    }
    out.push_str(rest);
    Ok(())
}
