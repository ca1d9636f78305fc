//! `pip` (also `pip3` and `python -m pip`) over the playground's installed
//! packages ([`packages::INSTALLED`]), printing what pip 23.2.1 prints:
//! `install` answers `Requirement already satisfied: ...` for each package,
//! in the order pip's resolver meets them, with the `(from X->Y)` chains;
//! `list`, `freeze`, `show` and `--version` describe the environment.
//!
//! pip's resolver (resolvelib) is followed step by step, as far as the order
//! of those lines depends on it: the requirements typed (then those of `-r`
//! files) are added first; then, round after round, the requirement pip
//! prefers is pinned to its installed version and its dependencies are added,
//! in METADATA order. pip prefers pinned (`==`) requirements, then the least
//! deep, then the order typed, then those with a specifier, then by name. A
//! distribution's line is printed when it is first looked up.
//!
//! Where a real machine would download something (a package not installed, a
//! version not installed, an extra whose packages aren't), driftlab can't: it
//! prints what pip prints when no index has it, and says why
//! ([`packages::NO_NETWORK`]).

use std::collections::{HashMap, HashSet};

use super::fs::{self, Errno, Kind};
use super::packages::{self, canonical_name, Distribution, Requirement, RequirementError, INSTALLED, SITE_PACKAGES};
use super::Context;
use crate::engine::output::CommandOutput;

/// The pip the environment has (Python 3.11.7's `ensurepip`).
const PIP_VERSION: &str = "23.2.1";

/// What `pip` answers for what driftlab's pip doesn't do.
const AVAILABLE: &str =
    "pip: driftlab has `pip install`, `pip list`, `pip freeze`, `pip show` and `pip --version` (see 'help')\n";

/// `pip ARGS...` and `pip3 ARGS...`.
pub fn pip(ctx: &mut Context<'_>, args: &[String]) -> CommandOutput {
    match args.first().map(String::as_str) {
        Some("install") => install(ctx, &args[1..]),
        Some("list") => listing(&args[1..], list),
        Some("freeze") => listing(&args[1..], freeze),
        Some("show") => show(&args[1..]),
        Some("-V" | "--version") => {
            CommandOutput::ok(format!("pip {PIP_VERSION} from {SITE_PACKAGES}/pip (python 3.11)\n"))
        }
        _ => CommandOutput::error(AVAILABLE, 1),
    }
}

/// `python -m pip ARGS...` (the arguments still begin with `-m pip`).
pub fn python_m_pip(ctx: &mut Context<'_>, args: &[String]) -> CommandOutput {
    pip(ctx, args.get(2..).unwrap_or_default())
}

fn not_available(option: &str) -> CommandOutput {
    CommandOutput::error(format!("pip: option '{option}' is not available in driftlab (see 'help')\n"), 2)
}

/// `pip list` and `pip freeze`, which driftlab runs without options.
fn listing(args: &[String], print: fn() -> String) -> CommandOutput {
    match args.first() {
        Some(option) => not_available(option),
        None => CommandOutput::ok(print()),
    }
}

/// `pip list`: a table sorted by normalised name.
fn list() -> String {
    let mut dists: Vec<&Distribution> = INSTALLED.iter().collect();
    dists.sort_by_key(|d| canonical_name(d.name));
    let rows: Vec<(&str, &str)> =
        [("Package", "Version")].into_iter().chain(dists.iter().map(|d| (d.name, d.version))).collect();
    let width = |column: fn(&(&str, &str)) -> usize| rows.iter().map(column).max().unwrap_or(0);
    let (names, versions) = (width(|r| r.0.chars().count()), width(|r| r.1.chars().count()));
    let mut out = String::new();
    for (i, (name, version)) in rows.iter().enumerate() {
        out.push_str(&format!("{name:<names$} {version}\n"));
        if i == 0 {
            out.push_str(&format!("{} {}\n", "-".repeat(names), "-".repeat(versions)));
        }
    }
    out
}

/// `pip freeze`: `Name==version`, sorted by name, without pip's own tools.
fn freeze() -> String {
    let mut dists: Vec<&Distribution> =
        INSTALLED.iter().filter(|d| !matches!(d.name, "pip" | "setuptools" | "wheel" | "distribute")).collect();
    dists.sort_by_key(|d| d.name.to_lowercase());
    dists.iter().map(|d| format!("{}=={}\n", d.name, d.version)).collect()
}

/// `pip show NAME...`: each one's metadata; a warning for those not installed.
fn show(args: &[String]) -> CommandOutput {
    if let Some(option) = args.iter().find(|a| a.starts_with('-')) {
        return not_available(option);
    }
    if args.is_empty() {
        return CommandOutput::error("WARNING: ERROR: Please provide a package name or names.\n", 1);
    }
    let by_name = |names: &mut Vec<&str>| names.sort_by_key(|n| n.to_lowercase());
    let mut records = Vec::new();
    let mut missing = Vec::new();
    for name in args {
        let Some(dist) = packages::installed(name) else {
            missing.push(name.as_str());
            continue;
        };
        let mut requires: Vec<&str> = dist.requires.iter().map(|r| requirement_name(r)).collect();
        by_name(&mut requires);
        let wanted = canonical_name(dist.name);
        let mut required_by: Vec<&str> = INSTALLED
            .iter()
            .filter(|other| other.requires.iter().any(|r| canonical_name(requirement_name(r)) == wanted))
            .map(|other| other.name)
            .collect();
        by_name(&mut required_by);
        let about = &dist.about;
        records.push(format!(
            "Name: {}\nVersion: {}\nSummary: {}\nHome-page: {}\nAuthor: {}\nAuthor-email: {}\nLicense: {}\n\
             Location: {SITE_PACKAGES}\nRequires: {}\nRequired-by: {}\n",
            dist.name,
            dist.version,
            about.summary,
            about.home_page,
            about.author,
            about.author_email,
            about.license,
            requires.join(", "),
            required_by.join(", "),
        ));
    }
    let mut out = CommandOutput::ok(records.join("---\n"));
    if !missing.is_empty() {
        out.stderr = format!("WARNING: Package(s) not found: {}\n", missing.join(", "));
    }
    if records.is_empty() {
        out.exit_code = 1;
    }
    out
}

/// The project name a requirement of the table starts with.
fn requirement_name(requirement: &str) -> &str {
    requirement.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))).next().unwrap_or("")
}

/// `pip install [-U] [-q] [-r FILE]... REQUIREMENT...`.
fn install(ctx: &mut Context<'_>, args: &[String]) -> CommandOutput {
    let options = match InstallOptions::parse(args) {
        Ok(options) => options,
        Err(output) => return output,
    };
    let roots = match options.roots(ctx) {
        Ok(roots) => roots,
        Err(output) => return output,
    };
    let mut resolver = Resolver::default();
    let result = resolver.resolve(roots);
    let mut out = CommandOutput::default();
    if options.quiet == 0 {
        out.stdout = resolver.info.concat();
    }
    if options.quiet < 2 {
        out.stderr = resolver.warnings.concat();
    }
    match result {
        Ok(()) => {}
        Err(Failure::NotFound(requirement)) => {
            out.stderr.push_str(&format!(
                "ERROR: Could not find a version that satisfies the requirement {requirement} (from versions: none)\n\
                 ERROR: No matching distribution found for {requirement}\n{}",
                packages::NO_NETWORK
            ));
            out.exit_code = 1;
        }
        Err(Failure::NeedsNetwork) => {
            out.stderr.push_str(packages::NO_NETWORK);
            out.exit_code = 1;
        }
    }
    out
}

/// `pip install`'s command line, as optparse reads it.
struct InstallOptions {
    /// The requirements typed, in order.
    typed: Vec<String>,
    /// `-r` files, in order.
    files: Vec<String>,
    /// How many `-q`: 1 hides `Requirement already satisfied`, 2 warnings too.
    quiet: usize,
}

impl InstallOptions {
    fn parse(args: &[String]) -> Result<InstallOptions, CommandOutput> {
        let mut options = InstallOptions { typed: Vec::new(), files: Vec::new(), quiet: 0 };
        let missing_file =
            |option: &str| CommandOutput::error(format!("{INSTALL_USAGE}\n{option} option requires 1 argument\n"), 2);
        let mut words = args.iter();
        let mut options_done = false;
        while let Some(word) = words.next() {
            if options_done || !word.starts_with('-') || word == "-" {
                options.typed.push(word.clone());
                continue;
            }
            match word.as_str() {
                "--" => options_done = true,
                "-U" | "--upgrade" => {}
                "-q" | "--quiet" => options.quiet += 1,
                "-r" | "--requirement" => options.files.push(words.next().ok_or_else(|| missing_file(word))?.clone()),
                long if long.starts_with("--requirement=") => options.files.push(long["--requirement=".len()..].into()),
                long if long.starts_with("--") => return Err(not_available(long.split('=').next().unwrap_or(long))),
                short => {
                    // Grouped short options (`-Uq`); `-r` takes the rest of the word, or the next one.
                    let letters = &short[1..];
                    for (i, letter) in letters.char_indices() {
                        match letter {
                            'U' => {}
                            'q' => options.quiet += 1,
                            'r' if i + 1 < letters.len() => {
                                options.files.push(letters[i + 1..].to_string());
                                break;
                            }
                            'r' => options.files.push(words.next().ok_or_else(|| missing_file("-r"))?.clone()),
                            other => return Err(not_available(&format!("-{other}"))),
                        }
                    }
                }
            }
        }
        if options.typed.is_empty() && options.files.is_empty() {
            return Err(CommandOutput::error(
                "ERROR: You must give at least one requirement to install (see \"pip help install\")\n",
                1,
            ));
        }
        Ok(options)
    }

    /// The requirements to resolve: those typed, then each file's, read as pip reads them.
    fn roots(&self, ctx: &Context<'_>) -> Result<Vec<Root>, CommandOutput> {
        let mut roots = Vec::new();
        for text in &self.typed {
            let req = Requirement::parse(text).map_err(|error| unreadable(text, error, None))?;
            roots.push(Root { ireq: Ireq { text: req.to_string(), comes_from: None }, req });
        }
        for file in &self.files {
            for (line_number, line) in logical_lines(&read_requirements_file(ctx, file)?) {
                if line.starts_with('-') {
                    return Err(CommandOutput::error(
                        format!("pip: driftlab reads only requirements in requirement files, not `{line}` ({file}, line {line_number})\n"),
                        2,
                    ));
                }
                let source = format!("line {line_number} of {file}");
                let req = Requirement::parse(&line).map_err(|error| unreadable(&line, error, Some(&source)))?;
                let comes_from = Some(format!("-r {file} (line {line_number})"));
                roots.push(Root { ireq: Ireq { text: req.to_string(), comes_from }, req });
            }
        }
        Ok(roots)
    }
}

/// pip's usage text for `pip install`, printed before an option error.
const INSTALL_USAGE: &str = "
Usage:   
  pip install [options] <requirement specifier> [package-index-options] ...
  pip install [options] -r <requirements file> [package-index-options] ...
  pip install [options] [-e] <vcs project url> ...
  pip install [options] [-e] <local project path> ...
  pip install [options] <archive url/path> ...
";

/// What pip says for a requirement it can't read (`source`: where in a file it was).
fn unreadable(text: &str, error: RequirementError, source: Option<&str>) -> CommandOutput {
    match error {
        RequirementError::Invalid => {
            let from = source.map(|s| format!(" (from {s})")).unwrap_or_default();
            CommandOutput::error(format!("ERROR: Invalid requirement: '{text}'{from}\n"), 1)
        }
        RequirementError::Unsupported(what) => {
            CommandOutput::error(format!("pip: driftlab can't install {what}: '{text}'\n"), 2)
        }
    }
}

/// A requirements file's text, or pip's error for it.
fn read_requirements_file(ctx: &Context<'_>, file: &str) -> Result<String, CommandOutput> {
    let path = ctx.locate(file).and_then(|target| match fs::stat(ctx.project, &target)? {
        Kind::Dir => Err(Errno::IsADirectory),
        Kind::File => Ok(target.path),
    });
    let errno = match path {
        Ok(path) => return Ok(ctx.project.read_text(&path).unwrap_or_default()),
        Err(Errno::IsADirectory) => "[Errno 21] Is a directory".to_string(),
        Err(Errno::NotADirectory) => "[Errno 20] Not a directory".to_string(),
        Err(Errno::Outside) => Errno::Outside.to_string(),
        Err(_) => "[Errno 2] No such file or directory".to_string(),
    };
    Err(CommandOutput::error(format!("ERROR: Could not open requirements file: {errno}: '{file}'\n"), 1))
}

/// A requirements file's requirements with the number of the line each
/// starts on: comments (`#` at the start or after a space) and blank lines
/// dropped, lines ending in `\` joined with the next.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut lines = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        let (start, mut line) = pending.take().unwrap_or((i + 1, String::new()));
        match raw.strip_suffix('\\') {
            Some(continued) => {
                line.push_str(continued);
                pending = Some((start, line));
                continue;
            }
            None => line.push_str(raw),
        }
        let without_comment = match line
            .char_indices()
            .find(|&(j, c)| c == '#' && (j == 0 || line[..j].ends_with(char::is_whitespace)))
        {
            Some((j, _)) => &line[..j],
            None => &line,
        };
        let requirement = without_comment.trim();
        if !requirement.is_empty() {
            lines.push((start, requirement.to_string()));
        }
    }
    if let Some((start, line)) = pending {
        if !line.trim().is_empty() {
            lines.push((start, line.trim().to_string()));
        }
    }
    lines
}

/// A requirement as pip's `InstallRequirement` prints it: the requirement
/// and where it came from (`-r requirements.txt (line 1)`, or the chain of
/// requirements that led to it).
#[derive(Debug, Clone)]
struct Ireq {
    text: String,
    comes_from: Option<String>,
}

impl Ireq {
    /// pip's `from_path()`: `idna>=2.8->anyio>=4.1.0->fastapi`.
    fn chain(&self) -> String {
        match &self.comes_from {
            Some(from) => format!("{}->{from}", self.text),
            None => self.text.clone(),
        }
    }
}

struct Root {
    req: Requirement,
    ireq: Ireq,
}

/// One requirement on an identifier, and which pinned identifier asked for it.
struct Info {
    need: Need,
    parent: Option<String>,
}

enum Need {
    /// A requirement with specifiers (typed, from a file, or a dependency).
    Spec { req: Requirement, ireq: Ireq },
    /// An extras candidate's requirement on its own base distribution.
    Base,
}

/// Why the resolution stops.
enum Failure {
    /// A typed requirement no installed distribution satisfies (as pip prints it).
    NotFound(String),
    /// Something would have to be downloaded.
    NeedsNetwork,
}

/// The state of pip's resolution, as far as what it prints depends on it.
#[derive(Default)]
struct Resolver {
    /// Every identifier met, in order, with its requirements.
    criteria: Vec<(String, Vec<Info>)>,
    pinned: HashSet<String>,
    /// pip's `_known_depths`.
    depths: HashMap<String, u32>,
    /// The identifiers typed (or listed in files), with their first position.
    requested: HashMap<String, usize>,
    /// The installed candidates made so far, by distribution: each is printed once, when made.
    candidates: HashMap<&'static str, Ireq>,
    /// `Requirement already satisfied: ...` lines.
    info: Vec<String>,
    warnings: Vec<String>,
}

/// Depth of an identifier whose parents' depths are unknown.
const UNKNOWN_DEPTH: u32 = u32::MAX;

impl Resolver {
    fn resolve(&mut self, roots: Vec<Root>) -> Result<(), Failure> {
        for (i, root) in roots.iter().enumerate() {
            self.requested.entry(root.req.identifier()).or_insert(i);
        }
        for root in roots {
            self.add(Need::Spec { req: root.req, ireq: root.ireq }, None)?;
        }
        loop {
            let unsatisfied: Vec<String> =
                self.criteria.iter().map(|(id, _)| id.clone()).filter(|id| !self.pinned.contains(id)).collect();
            // Every key is computed (as Python's `min` does), recording depths as it goes.
            let keys: Vec<_> = unsatisfied.iter().map(|id| self.preference(id)).collect();
            let Some(chosen) = keys.into_iter().min() else { return Ok(()) };
            self.pin(&chosen.4)?;
        }
    }

    fn infos(&self, identifier: &str) -> &[Info] {
        self.criteria.iter().find(|(id, _)| id == identifier).map(|(_, infos)| infos.as_slice()).unwrap_or_default()
    }

    fn specs(&self, identifier: &str) -> impl Iterator<Item = (&Requirement, &Ireq)> {
        self.infos(identifier).iter().filter_map(|info| match &info.need {
            Need::Spec { req, ireq } => Some((req, ireq)),
            Need::Base => None,
        })
    }

    /// pip's `get_preference`: the smallest key is pinned next.
    fn preference(&mut self, identifier: &str) -> (bool, u32, usize, bool, String) {
        let pinned = self.specs(identifier).any(|(req, _)| req.is_pinned());
        let unfree = self.specs(identifier).any(|(req, _)| !req.is_free());
        let requested = self.requested.get(identifier).copied();
        let depth = match requested {
            Some(_) => 1,
            None => self
                .infos(identifier)
                .iter()
                .map(|info| match &info.parent {
                    None => 0,
                    Some(parent) => self.depths.get(parent).copied().unwrap_or(UNKNOWN_DEPTH),
                })
                .min()
                .unwrap_or(UNKNOWN_DEPTH)
                .saturating_add(1),
        };
        self.depths.insert(identifier.to_string(), depth);
        (!pinned, depth, requested.unwrap_or(usize::MAX), !unfree, identifier.to_string())
    }

    /// resolvelib's `_add_to_criteria` and pip's `find_matches`: the
    /// installed distribution must satisfy every requirement on the
    /// identifier; the first time a distribution is found, pip says so.
    fn add(&mut self, need: Need, parent: Option<String>) -> Result<(), Failure> {
        let identifier = match &need {
            Need::Spec { req, .. } => req.identifier(),
            Need::Base => parent.as_deref().map(base_identifier).unwrap_or_default(),
        };
        let is_base = matches!(need, Need::Base);
        let info = Info { need, parent };
        match self.criteria.iter_mut().find(|(id, _)| *id == identifier) {
            Some((_, infos)) => infos.push(info),
            None => self.criteria.push((identifier.clone(), vec![info])),
        }
        if is_base {
            return Ok(());
        }
        let specs: Vec<(&Requirement, &Ireq)> = self.specs(&identifier).collect();
        let (first, template) = specs[0];
        let found =
            packages::installed(&first.name).filter(|dist| specs.iter().all(|(req, _)| req.contains(dist.version)));
        let Some(dist) = found else {
            let only = self.infos(&identifier).len() == 1 && self.infos(&identifier)[0].parent.is_none();
            return Err(if only { Failure::NotFound(first.to_string()) } else { Failure::NeedsNetwork });
        };
        if !self.candidates.contains_key(dist.name) {
            let ireq = template.clone();
            let from = ireq.comes_from.as_ref().map(|c| format!(" (from {c})")).unwrap_or_default();
            self.info.push(format!(
                "Requirement already satisfied: {} in {SITE_PACKAGES}{from} ({})\n",
                ireq.text, dist.version
            ));
            self.candidates.insert(dist.name, ireq);
        }
        Ok(())
    }

    /// Pins an identifier to its installed distribution and adds what it requires.
    fn pin(&mut self, identifier: &str) -> Result<(), Failure> {
        self.pinned.insert(identifier.to_string());
        let name = base_identifier(identifier);
        let Some(dist) = packages::installed(&name) else { return Err(Failure::NeedsNetwork) };
        let extras: Vec<String> = self.specs(identifier).next().map(|(req, _)| req.extras.clone()).unwrap_or_default();
        let mut requires: Vec<&'static str> = dist.requires.to_vec();
        // An extra whose packages aren't installed: pip gets that far (its
        // requirements follow the others in METADATA), then would download.
        let mut downloads = false;
        if !extras.is_empty() {
            self.add(Need::Base, Some(identifier.to_string()))?;
            let mut invalid: Vec<&String> =
                extras.iter().filter(|e| !dist.extras.iter().any(|(provided, _)| same_extra(provided, e))).collect();
            invalid.sort();
            for extra in invalid {
                self.warnings.push(format!(
                    "WARNING: {} {} does not provide the extra '{extra}'\n",
                    canonical_name(dist.name),
                    dist.version
                ));
            }
            for (_, adds) in dist.extras.iter().filter(|(provided, _)| extras.iter().any(|e| same_extra(provided, e))) {
                match adds {
                    Some(adds) => requires.extend(adds.iter()),
                    None => downloads = true,
                }
            }
        }
        let comes_from = self.candidates.get(dist.name).map(Ireq::chain);
        for text in requires {
            let Ok(req) = Requirement::parse(text) else { continue };
            let ireq = Ireq { text: req.to_string(), comes_from: comes_from.clone() };
            self.add(Need::Spec { req, ireq }, Some(identifier.to_string()))?;
        }
        if downloads {
            return Err(Failure::NeedsNetwork);
        }
        Ok(())
    }
}

/// Extras match whatever their case and separators (`Standard`, `standard`).
fn same_extra(provided: &str, typed: &str) -> bool {
    canonical_name(provided) == canonical_name(typed)
}

/// `uvicorn[standard]` → `uvicorn`.
fn base_identifier(identifier: &str) -> String {
    identifier.split('[').next().unwrap_or(identifier).to_string()
}

#[cfg(test)]
mod tests {
    use crate::engine::output::CommandOutput;
    use crate::engine::project::Project;
    use crate::engine::session::Session;

    fn session() -> Session {
        let mut project = Project::new();
        project.write("requirements.txt", "fastapi\nuvicorn[standard]\nsqlalchemy>=2.0\nalembic\npydantic>=2\n");
        let mut session = Session::new(project);
        // Paths then read as the oracle's recordings write them.
        session.export("VIRTUAL_ENV", "<VENV>");
        session
    }

    #[test]
    fn paths_name_the_system_python_or_the_active_venv() {
        let mut session = Session::new(Project::new());
        let line = "Requirement already satisfied: alembic in /usr/local/lib/python3.11/site-packages (1.20.1)\n";
        assert!(session.run_line("pip install alembic").stdout.starts_with(line));
        session.run_line("export VIRTUAL_ENV=/home/learner/todo-app/.venv");
        let out = session.run_line("pip --version").stdout;
        assert_eq!(out, "pip 23.2.1 from /home/learner/todo-app/.venv/lib/python3.11/site-packages/pip (python 3.11)\n");
    }

    /// A `Requirement already satisfied` line: requirement, where from, version.
    type Line<'a> = (&'a str, &'a str, &'a str);

    fn satisfied(lines: &[Line<'_>]) -> String {
        lines
            .iter()
            .map(|(req, from, version)| {
                let from = if from.is_empty() { String::new() } else { format!(" (from {from})") };
                format!(
                    "Requirement already satisfied: {req} in <VENV>/lib/python3.11/site-packages{from} ({version})\n"
                )
            })
            .collect()
    }

    /// What real pip 23.2.1 printed for these lines, in an environment
    /// holding exactly the table's distributions.
    #[test]
    fn install_prints_what_pip_prints_when_everything_is_there() {
        let cases: &[(&str, &[Line<'_>])] = &[
            (
                "pip install alembic",
                &[
                    ("alembic", "", "1.20.1"),
                    ("SQLAlchemy>=2.0", "alembic", "2.1.9"),
                    ("Mako", "alembic", "1.4.3"),
                    ("typing-extensions>=4.12", "alembic", "4.16.0"),
                    ("MarkupSafe>=2.0", "Mako->alembic", "3.0.4"),
                ],
            ),
            (
                "pip install mako alembic",
                &[
                    ("mako", "", "1.4.3"),
                    ("alembic", "", "1.20.1"),
                    ("MarkupSafe>=2.0", "mako", "3.0.4"),
                    ("SQLAlchemy>=2.0", "alembic", "2.1.9"),
                    ("typing-extensions>=4.12", "alembic", "4.16.0"),
                ],
            ),
            (
                "python -m pip install 'sqlalchemy >= 2.0, <3'",
                &[("sqlalchemy<3,>=2.0", "", "2.1.9"), ("typing-extensions>=4.6.0", "sqlalchemy<3,>=2.0", "4.16.0")],
            ),
            (
                "pip3 install uvicorn 'uvicorn[standard]'",
                &[
                    ("uvicorn", "", "0.54.0"),
                    ("click>=7.0", "uvicorn", "8.5.1"),
                    ("h11>=0.8", "uvicorn", "0.16.0"),
                    ("httptools>=0.8.0", "uvicorn", "0.9.0"),
                    ("python-dotenv>=0.13", "uvicorn", "1.2.4"),
                    ("pyyaml>=5.1", "uvicorn", "6.0.3"),
                    ("uvloop>=0.15.1", "uvicorn", "0.23.0"),
                    ("watchfiles>=0.20", "uvicorn", "1.3.0"),
                    ("websockets>=13.0", "uvicorn", "17.4"),
                    ("anyio>=3.0.0", "watchfiles>=0.20->uvicorn", "4.16.0"),
                    ("idna>=2.8", "anyio>=3.0.0->watchfiles>=0.20->uvicorn", "3.20"),
                    ("typing_extensions>=4.16.0", "anyio>=3.0.0->watchfiles>=0.20->uvicorn", "4.16.0"),
                ],
            ),
            (
                "pip install fastapi",
                &[
                    ("fastapi", "", "0.165.0"),
                    ("starlette>=1.6.0", "fastapi", "1.10.0"),
                    ("anyio>=4.1.0", "fastapi", "4.16.0"),
                    ("pydantic>=2.9.0", "fastapi", "2.14.3"),
                    ("typing-extensions>=4.8.0", "fastapi", "4.16.0"),
                    ("typing-inspection>=0.4.2", "fastapi", "0.4.5"),
                    ("annotated-doc>=0.0.2", "fastapi", "0.0.7"),
                    ("opentelemetry-api>=1.44.0", "fastapi", "1.45.2"),
                    ("idna>=2.8", "anyio>=4.1.0->fastapi", "3.20"),
                    ("annotated-types>=0.6.0", "pydantic>=2.9.0->fastapi", "0.8.0"),
                    ("pydantic-core==2.50.4", "pydantic>=2.9.0->fastapi", "2.50.4"),
                ],
            ),
        ];
        for (line, expected) in cases {
            let out = session().run_line(line);
            assert_eq!(out, CommandOutput::ok(satisfied(expected)), "{line}");
        }
    }

    #[test]
    fn a_requirements_file_comes_after_the_typed_requirements() {
        let out = session().run_line("pip install -rrequirements.txt alembic");
        let file = |n: u32| format!("-r requirements.txt (line {n})");
        let (l1, l2, l3, l5) = (file(1), file(2), file(3), file(5));
        let fastapi = format!("fastapi->{l1}");
        let uvicorn = format!("uvicorn[standard]->{l2}");
        let expected = satisfied(&[
            ("alembic", "", "1.20.1"),
            ("fastapi", &l1, "0.165.0"),
            ("uvicorn[standard]", &l2, "0.54.0"),
            ("sqlalchemy>=2.0", &l3, "2.1.9"),
            ("pydantic>=2", &l5, "2.14.3"),
            ("Mako", "alembic", "1.4.3"),
            ("typing-extensions>=4.12", "alembic", "4.16.0"),
            ("starlette>=1.6.0", &fastapi, "1.10.0"),
            ("anyio>=4.1.0", &fastapi, "4.16.0"),
            ("typing-inspection>=0.4.2", &fastapi, "0.4.5"),
            ("annotated-doc>=0.0.2", &fastapi, "0.0.7"),
            ("opentelemetry-api>=1.44.0", &fastapi, "1.45.2"),
            ("click>=7.0", &uvicorn, "8.5.1"),
            ("h11>=0.8", &uvicorn, "0.16.0"),
            ("httptools>=0.8.0", &uvicorn, "0.9.0"),
            ("python-dotenv>=0.13", &uvicorn, "1.2.4"),
            ("pyyaml>=5.1", &uvicorn, "6.0.3"),
            ("uvloop>=0.15.1", &uvicorn, "0.23.0"),
            ("watchfiles>=0.20", &uvicorn, "1.3.0"),
            ("websockets>=13.0", &uvicorn, "17.4"),
            ("annotated-types>=0.6.0", &format!("pydantic>=2->{l5}"), "0.8.0"),
            ("pydantic-core==2.50.4", &format!("pydantic>=2->{l5}"), "2.50.4"),
            ("idna>=2.8", &format!("anyio>=4.1.0->{fastapi}"), "3.20"),
            ("MarkupSafe>=2.0", "Mako->alembic", "3.0.4"),
        ]);
        assert_eq!(out, CommandOutput::ok(expected));
    }

    #[test]
    fn what_would_need_a_download_says_so() {
        let mut s = session();
        let out = s.run_line("pip install alembic nonexistent-pkg");
        assert_eq!(out.stdout, satisfied(&[("alembic", "", "1.20.1")]));
        assert!(out.stderr.starts_with(
            "ERROR: Could not find a version that satisfies the requirement nonexistent-pkg (from versions: none)\n\
             ERROR: No matching distribution found for nonexistent-pkg\ndriftlab: "
        ));
        assert_eq!(out.exit_code, 1);
        let out = s.run_line("pip install 'sqlalchemy<2'");
        assert!(out.stderr.contains("the requirement sqlalchemy<2 (from versions: none)"), "{out:?}");
        let out = s.run_line("pip install 'alembic[tz]'");
        assert_eq!((out.stderr.as_str(), out.exit_code), (super::packages::NO_NETWORK, 1));
        // Real pip (without an index) gets as far as fastapi's own requirements, then looks for fastapi-cli.
        let out = s.run_line("pip install 'fastapi[standard]'");
        let from = "fastapi[standard]";
        let expected = satisfied(&[
            ("fastapi[standard]", "", "0.165.0"),
            ("starlette>=1.6.0", from, "1.10.0"),
            ("anyio>=4.1.0", from, "4.16.0"),
            ("pydantic>=2.9.0", from, "2.14.3"),
            ("typing-extensions>=4.8.0", from, "4.16.0"),
            ("typing-inspection>=0.4.2", from, "0.4.5"),
            ("annotated-doc>=0.0.2", from, "0.0.7"),
            ("opentelemetry-api>=1.44.0", from, "1.45.2"),
        ]);
        assert_eq!(out, CommandOutput { stdout: expected, stderr: super::packages::NO_NETWORK.into(), exit_code: 1 });
        let out = s.run_line("pip install 'uvicorn[foo]'");
        assert_eq!(out.stderr, "WARNING: uvicorn 0.54.0 does not provide the extra 'foo'\n");
        assert_eq!(out.exit_code, 0);
    }

    #[test]
    fn usage_errors_are_pips() {
        let mut s = session();
        let out = s.run_line("pip install");
        assert_eq!(
            out,
            CommandOutput::error(
                "ERROR: You must give at least one requirement to install (see \"pip help install\")\n",
                1
            )
        );
        assert_eq!(s.run_line("pip install ==").stderr, "ERROR: Invalid requirement: '=='\n");
        assert_eq!(
            s.run_line("pip install -r nothere.txt").stderr,
            "ERROR: Could not open requirements file: [Errno 2] No such file or directory: 'nothere.txt'\n"
        );
        s.run_line("echo -e 'alembic\\nfoo bar' > bad.txt");
        assert_eq!(
            s.run_line("pip install -r bad.txt").stderr,
            "ERROR: Invalid requirement: 'foo bar' (from line 2 of bad.txt)\n"
        );
        assert_eq!(s.run_line("pip install -r").exit_code, 2);
        assert_eq!(s.run_line("pip install -q alembic"), CommandOutput::ok(""));
        assert_eq!(s.run_line("pip install --user alembic").exit_code, 2);
        assert_eq!(s.run_line("pip uninstall alembic").exit_code, 1);
    }

    #[test]
    fn list_freeze_show_and_version_describe_the_environment() {
        let mut s = session();
        let list = s.run_line("pip list").stdout;
        assert!(list.starts_with("Package           Version\n----------------- -------\nalembic           1.20.1\n"));
        assert!(list.contains("\ntyping_extensions 4.16.0\ntyping-inspection 0.4.5\n"), "{list}");
        let freeze = s.run_line("pip freeze").stdout;
        assert!(freeze.contains("typing-inspection==0.4.5\ntyping_extensions==4.16.0\nuvicorn==0.54.0\n"));
        assert!(!freeze.contains("pip==") && !freeze.contains("setuptools=="));
        let show = s.run_line("pip show sqlalchemy nothere");
        assert_eq!(
            show.stdout,
            "Name: SQLAlchemy\nVersion: 2.1.9\nSummary: Database Abstraction Library\nHome-page: \nAuthor: \n\
             Author-email: Mike Bayer <mike_mp@zzzcomputing.com>\nLicense: \n\
             Location: <VENV>/lib/python3.11/site-packages\nRequires: typing-extensions\nRequired-by: alembic\n"
        );
        assert_eq!((show.stderr.as_str(), show.exit_code), ("WARNING: Package(s) not found: nothere\n", 0));
        let anyio = s.run_line("pip show anyio").stdout;
        assert!(anyio.contains("\nRequires: idna, typing_extensions\nRequired-by: fastapi, starlette, watchfiles\n"));
        assert_eq!(
            s.run_line("python3 -m pip --version").stdout,
            "pip 23.2.1 from <VENV>/lib/python3.11/site-packages/pip (python 3.11)\n"
        );
    }
}
