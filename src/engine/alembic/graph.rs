//! Alembic's revision graph: heads and bases, how a target such as `head`,
//! `heads`, `base`, `branch@head`, `+2`, `0001a+1`, `head-1` or a partial id
//! resolves, and which migration steps `upgrade`, `downgrade`, `stamp` and
//! `history` walk, in Alembic 1.20's order and with its exact error messages.
//!
//! This re-implements the facts of `alembic/script/revision.py` (`RevisionMap`),
//! the step and target handling of `alembic/script/base.py` and
//! `alembic/command.py`, and the `MigrationStep` log text of
//! `alembic/runtime/migration.py`. Where real Alembic iterates a Python `set`
//! (so its order changes from run to run), this module uses load order; where
//! Alembic's topological sort would loop forever (a cycle through a reused id
//! that its cycle check misses), this fails with an `AssertionError` instead.
//!
//! Two layers, as in Alembic:
//! * [`RevisionMap`]'s graph methods fail with [`GraphError`]: the exception
//!   `revision.py` raises ([`RevisionError`]), or a Python `KeyError` /
//!   `AssertionError` where Alembic has no message of its own.
//! * The command-level methods ([`RevisionMap::upgrade_steps`],
//!   [`RevisionMap::downgrade_steps`], [`RevisionMap::stamp_steps`],
//!   [`RevisionMap::walk_revisions`], ...) fail with [`CommandError`]: what
//!   `ScriptDirectory._catch_revision_errors` turns those into, i.e. the text a
//!   learner sees after `FAILED: `, or an uncaught exception (a traceback).

use std::collections::{HashMap, HashSet};
use std::fmt;

/// One migration script, as Alembic reads it from `alembic/versions/`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Revision {
    /// `revision = '0002b'`.
    pub id: String,
    /// `down_revision`: empty for a base, two or more for a merge point.
    pub down_revisions: Vec<String>,
    /// `branch_labels`.
    pub branch_labels: Vec<String>,
    /// `depends_on`: revision ids or branch labels.
    pub depends_on: Vec<String>,
    /// The first paragraph of the module docstring (`Script.doc`), which the
    /// `Running upgrade ...` lines and `history` print.
    pub message: String,
    /// Where the script lives (`Path:` in verbose output).
    pub path: String,
}

impl Revision {
    /// A revision with these parents and nothing else set.
    pub fn new(id: &str, down_revisions: &[&str]) -> Revision {
        Revision {
            id: id.to_string(),
            down_revisions: down_revisions.iter().map(|s| s.to_string()).collect(),
            ..Revision::default()
        }
    }

    pub fn with_message(mut self, message: &str) -> Revision {
        self.message = message.to_string();
        self
    }

    pub fn with_branch_labels(mut self, labels: &[&str]) -> Revision {
        self.branch_labels = labels.iter().map(|s| s.to_string()).collect();
        self
    }

    pub fn with_depends_on(mut self, depends_on: &[&str]) -> Revision {
        self.depends_on = depends_on.iter().map(|s| s.to_string()).collect();
        self
    }

    pub fn with_path(mut self, path: &str) -> Revision {
        self.path = path.to_string();
        self
    }

    /// `Revision.__init__`'s checks, in its order.
    fn validate(&self) -> Result<(), RevisionError> {
        if self.down_revisions.contains(&self.id) {
            return Err(RevisionError::CycleDetected { kind: CycleKind::SelfLoop, revisions: vec![self.id.clone()] });
        }
        if self.depends_on.contains(&self.id) {
            return Err(RevisionError::CycleDetected {
                kind: CycleKind::DependencySelfLoop,
                revisions: vec![self.id.clone()],
            });
        }
        let mut illegal: Vec<char> = self.id.chars().filter(|c| ['@', '-', '+', ':'].contains(c)).collect();
        if !illegal.is_empty() {
            illegal.sort_unstable();
            illegal.dedup();
            return Err(RevisionError::IllegalCharacters { characters: illegal, revision: self.id.clone() });
        }
        Ok(())
    }

    /// `down_revision` is "falsy" in Python: no parent, or the single parent `''`.
    fn has_no_down_revision(&self) -> bool {
        self.down_revisions.is_empty() || (self.down_revisions.len() == 1 && self.down_revisions[0].is_empty())
    }
}

/// A revision argument as Alembic's functions receive it: one string, parsed
/// for `head`, `heads`, `base`, `label@...`, relative moves and partial ids;
/// or a tuple of strings, such as the heads read from `alembic_version` (each
/// element of which is resolved on its own, but never as a relative move).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevSpec {
    One(String),
    Many(Vec<String>),
}

impl RevSpec {
    /// `to_tuple()`.
    fn items(&self) -> Vec<String> {
        match self {
            RevSpec::One(s) => vec![s.clone()],
            RevSpec::Many(v) => v.clone(),
        }
    }

    /// Python truthiness (`''` and `()` are false).
    fn is_truthy(&self) -> bool {
        match self {
            RevSpec::One(s) => !s.is_empty(),
            RevSpec::Many(v) => !v.is_empty(),
        }
    }

    /// `'%s' % value`: a string as is, a tuple as its repr.
    fn py_str(&self) -> String {
        match self {
            RevSpec::One(s) => s.clone(),
            RevSpec::Many(v) => py_tuple_repr(v),
        }
    }
}

impl From<&str> for RevSpec {
    fn from(s: &str) -> RevSpec {
        RevSpec::One(s.to_string())
    }
}

impl From<&[String]> for RevSpec {
    fn from(v: &[String]) -> RevSpec {
        RevSpec::Many(v.to_vec())
    }
}

impl From<Vec<String>> for RevSpec {
    fn from(v: Vec<String>) -> RevSpec {
        RevSpec::Many(v)
    }
}

/// Which way a step moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Up,
    Down,
}

/// What a step does besides moving the version rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepKind {
    /// Runs one revision's `upgrade()` or `downgrade()` (`RevisionStep`).
    Migration {
        revision: String,
        /// `_normalized_down_revisions`: parents plus the `depends_on`
        /// entries no ancestor already depends on. Head bookkeeping uses
        /// these; the log line uses the plain parents.
        normalized_down_revisions: Vec<String>,
    },
    /// Only rewrites `alembic_version` (`StampStep`). `branch_move`: the
    /// stamp starts a new branch (upgrade) or removes one (downgrade to base).
    Stamp { branch_move: bool },
}

/// One step of an upgrade, downgrade or stamp, in the order Alembic runs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub direction: Direction,
    pub kind: StepKind,
    /// The revisions the step leaves (`from_revisions_no_deps`).
    pub from: Vec<String>,
    /// The revisions the step arrives at (`to_revisions_no_deps`).
    pub to: Vec<String>,
    /// The revision's message (`Script.doc`); empty for stamps.
    pub message: String,
}

impl Step {
    /// The migration function's name: `upgrade`, `downgrade` or `stamp_revision`.
    pub fn name(&self) -> &'static str {
        match (&self.kind, self.direction) {
            (StepKind::Stamp { .. }, _) => "stamp_revision",
            (StepKind::Migration { .. }, Direction::Up) => "upgrade",
            (StepKind::Migration { .. }, Direction::Down) => "downgrade",
        }
    }

    /// The migration's revision id; `None` for a stamp.
    pub fn revision(&self) -> Option<&str> {
        match &self.kind {
            StepKind::Migration { revision, .. } => Some(revision),
            StepKind::Stamp { .. } => None,
        }
    }

    /// `MigrationStep.short_log`: `upgrade 0001a -> 0002b` (no message).
    pub fn short_log(&self) -> String {
        format!("{} {} -> {}", self.name(), self.from.join(", "), self.to.join(", "))
    }

    /// The line Alembic logs before the step runs (after the logger prefix
    /// `INFO  [alembic.runtime.migration] `): `Running upgrade  -> 0001a, initial`.
    pub fn log_line(&self) -> String {
        format!("Running {self}")
    }

    /// The comment `--sql` output carries before the step's SQL:
    /// `-- Running upgrade 0001a -> 0002b`.
    pub fn offline_comment(&self) -> String {
        format!("-- Running {}", self.short_log())
    }
}

/// `str(MigrationStep)`: the short log plus `, <message>` when there is one.
impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.is_empty() {
            f.write_str(&self.short_log())
        } else {
            write!(f, "{}, {}", self.short_log(), self.message)
        }
    }
}

/// A Python `UserWarning` Alembic emits (`util.warn`), printed on stderr as
/// `<VENV>/lib/python3.11/site-packages/alembic/script/revision.py:<line>:
/// UserWarning: <message>` followed by `  util.warn(`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub message: String,
    /// The line of `alembic/script/revision.py` (1.20.1) that warns.
    pub line: u32,
}

/// Steps to run, and the warnings Alembic printed while choosing them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    pub steps: Vec<Step>,
    pub warnings: Vec<Warning>,
}

/// The revisions of a `history` walk, newest first, and the warnings
/// Alembic printed while choosing them.
#[derive(Debug, Clone, PartialEq)]
pub struct Walk<'a> {
    pub revisions: Vec<RevisionRef<'a>>,
    pub warnings: Vec<Warning>,
}

/// Choosing the steps failed; the warnings came out before the error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanError {
    pub error: CommandError,
    pub warnings: Vec<Warning>,
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for PlanError {}

impl From<PlanError> for CommandError {
    fn from(e: PlanError) -> CommandError {
        e.error
    }
}

/// The flavours of `CycleDetected`, each with its own wording and class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CycleKind {
    /// `CycleDetected`.
    Cycle,
    /// `DependencyCycleDetected`.
    DependencyCycle,
    /// `LoopDetected`: a revision is its own `down_revision`.
    SelfLoop,
    /// `DependencyLoopDetected`: a revision `depends_on` itself.
    DependencySelfLoop,
}

impl CycleKind {
    fn wording(self) -> &'static str {
        match self {
            CycleKind::Cycle => "Cycle",
            CycleKind::DependencyCycle => "Dependency cycle",
            CycleKind::SelfLoop => "Self-loop",
            CycleKind::DependencySelfLoop => "Dependency self-loop",
        }
    }

    fn class_name(self) -> &'static str {
        match self {
            CycleKind::Cycle => "CycleDetected",
            CycleKind::DependencyCycle => "DependencyCycleDetected",
            CycleKind::SelfLoop => "LoopDetected",
            CycleKind::DependencySelfLoop => "DependencyLoopDetected",
        }
    }
}

/// The exceptions of `alembic/script/revision.py`; `Display` is their `str()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevisionError {
    /// `RangeNotAncestorError`: an empty bound prints as `base`.
    RangeNotAncestor {
        lower: RevSpec,
        upper: RevSpec,
    },
    /// `MultipleHeads`: a single revision was asked for (`head`), several match.
    MultipleHeads {
        heads: Vec<String>,
        argument: String,
    },
    /// `ResolutionError`: the message names what went wrong; `argument` is
    /// what commands report (`Can't locate revision identified by '...'`).
    Resolution {
        message: String,
        argument: String,
    },
    /// `CycleDetected` and its subclasses.
    CycleDetected {
        kind: CycleKind,
        revisions: Vec<String>,
    },
    /// A relative move (`-1`, `+2`) could not go that far.
    RelativeNotProduced {
        relative: String,
        count: String,
    },
    AmbiguousWalk,
    WalkedTooFar,
    AmbiguousUpgrade,
    NotValidDowngradeTarget,
    /// Two requested revisions lie on one line (`check=True` traversals).
    Overlap {
        revision: String,
        others: Vec<String>,
    },
    BranchNameTaken {
        label: String,
        revision: String,
        used_by: String,
    },
    IllegalCharacters {
        characters: Vec<char>,
        revision: String,
    },
    BrokenMap,
}

impl RevisionError {
    /// The exception's class, as a traceback's last line names it.
    pub fn class_name(&self) -> &'static str {
        match self {
            RevisionError::RangeNotAncestor { .. } => "RangeNotAncestorError",
            RevisionError::MultipleHeads { .. } => "MultipleHeads",
            RevisionError::Resolution { .. } => "ResolutionError",
            RevisionError::CycleDetected { kind, .. } => kind.class_name(),
            _ => "RevisionError",
        }
    }
}

impl fmt::Display for RevisionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let or_base = |s: &RevSpec| if s.is_truthy() { s.py_str() } else { "base".to_string() };
        match self {
            RevisionError::RangeNotAncestor { lower, upper } => {
                write!(f, "Revision {} is not an ancestor of revision {}", or_base(lower), or_base(upper))
            }
            RevisionError::MultipleHeads { heads, argument } => {
                write!(f, "Multiple heads are present for given argument '{argument}'; {}", heads.join(", "))
            }
            RevisionError::Resolution { message, .. } => f.write_str(message),
            RevisionError::CycleDetected { kind, revisions } => {
                write!(f, "{} is detected in revisions ({})", kind.wording(), revisions.join(", "))
            }
            RevisionError::RelativeNotProduced { relative, count } => {
                write!(f, "Relative revision {relative} didn't produce {count} migrations")
            }
            RevisionError::AmbiguousWalk => f.write_str("Ambiguous walk"),
            RevisionError::WalkedTooFar => f.write_str("Walked too far"),
            RevisionError::AmbiguousUpgrade => f.write_str("Ambiguous upgrade from multiple current revisions"),
            RevisionError::NotValidDowngradeTarget => f.write_str("Not a valid downgrade target from current heads"),
            RevisionError::Overlap { revision, others } => {
                write!(f, "Requested revision {revision} overlaps with other requested revisions {}", others.join(", "))
            }
            RevisionError::BranchNameTaken { label, revision, used_by } => {
                write!(f, "Branch name '{label}' in revision {revision} already used by revision {used_by}")
            }
            RevisionError::IllegalCharacters { characters, revision } => {
                let chars: Vec<String> = characters.iter().map(|c| c.to_string()).collect();
                write!(f, "Character(s) '{}' not allowed in revision identifier '{revision}'", chars.join(", "))
            }
            RevisionError::BrokenMap => f.write_str("Dependency resolution failed; broken map"),
        }
    }
}

impl std::error::Error for RevisionError {}

/// Whatever a graph operation raises: a [`RevisionError`], or one of the
/// plain Python exceptions Alembic lets through. `Display` is `str(exc)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GraphError {
    Revision(RevisionError),
    /// `KeyError`: a `down_revision` or `depends_on` names nothing loaded.
    KeyError(String),
    /// A bare `assert` failing inside Alembic.
    Assertion(Option<String>),
    /// `AttributeError` (e.g. `'NoneType' object has no attribute 'revision'`).
    Attribute(String),
    /// `ValueError: too many values to unpack (expected 2)` from `a:b:c`.
    TooManyValuesToUnpack,
}

impl GraphError {
    fn assertion() -> GraphError {
        GraphError::Assertion(None)
    }

    /// The last line of the traceback when this escapes uncaught, e.g.
    /// `alembic.script.revision.LoopDetected: Self-loop is detected in revisions (0003c)`.
    pub fn exception_line(&self) -> String {
        match self {
            GraphError::Revision(e) => format!("alembic.script.revision.{}: {e}", e.class_name()),
            GraphError::KeyError(key) => format!("KeyError: {}", py_repr(key)),
            GraphError::Assertion(None) => "AssertionError".to_string(),
            GraphError::Assertion(Some(m)) => format!("AssertionError: {m}"),
            GraphError::Attribute(m) => format!("AttributeError: {m}"),
            GraphError::TooManyValuesToUnpack => format!("ValueError: {self}"),
        }
    }
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GraphError::Revision(e) => e.fmt(f),
            GraphError::KeyError(key) => f.write_str(&py_repr(key)),
            GraphError::Assertion(m) => f.write_str(m.as_deref().unwrap_or("")),
            GraphError::Attribute(m) => f.write_str(m),
            GraphError::TooManyValuesToUnpack => f.write_str("too many values to unpack (expected 2)"),
        }
    }
}

impl std::error::Error for GraphError {}

impl From<RevisionError> for GraphError {
    fn from(e: RevisionError) -> GraphError {
        GraphError::Revision(e)
    }
}

/// Building a [`RevisionMap`] failed; the warnings came out before the error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub error: GraphError,
    pub warnings: Vec<Warning>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for LoadError {}

/// How an Alembic command fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandError {
    /// `alembic.util.CommandError`: stdout `FAILED: <message>`, exit 255.
    Failed(String),
    /// An exception no one catches: a traceback ending in
    /// [`GraphError::exception_line`], exit 1.
    Uncaught(GraphError),
}

impl CommandError {
    /// A revision-map error at a call site that catches revision errors with
    /// the default wording (`ScriptDirectory._catch_revision_errors()`), as
    /// `upgrade`, `history` or `current` do when the map fails to load.
    pub fn caught(error: GraphError) -> CommandError {
        Catch::default().convert(error)
    }
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommandError::Failed(message) => f.write_str(message),
            CommandError::Uncaught(e) => f.write_str(&e.exception_line()),
        }
    }
}

impl std::error::Error for CommandError {}

impl From<LoadError> for CommandError {
    fn from(e: LoadError) -> CommandError {
        CommandError::caught(e.error)
    }
}

/// `ScriptDirectory._catch_revision_errors(...)`: message templates with
/// `%(start)s`, `%(end)s` and `%(head_arg)s`.
#[derive(Default)]
struct Catch {
    ancestor: Option<&'static str>,
    multiple_heads: Option<&'static str>,
    start: Option<RevSpec>,
    end: Option<RevSpec>,
}

impl Catch {
    fn convert(&self, error: GraphError) -> CommandError {
        let revision_error = match error {
            GraphError::Revision(e) => e,
            other => return CommandError::Uncaught(other),
        };
        let message = match revision_error {
            RevisionError::RangeNotAncestor { lower, upper } => {
                let start = self.start.as_ref().unwrap_or(&lower).py_str();
                let end = self.end.as_ref().unwrap_or(&upper).py_str();
                let template = self.ancestor.unwrap_or(
                    "Requested range %(start)s:%(end)s does not refer to ancestor/descendant revisions along the same branch",
                );
                template.replace("%(start)s", &start).replace("%(end)s", &end)
            }
            RevisionError::MultipleHeads { heads, argument } => {
                let template = self.multiple_heads.unwrap_or(
                    "Multiple head revisions are present for given argument '%(head_arg)s'; please specify a specific \
                     target revision, '<branchname>@%(head_arg)s' to narrow to a specific head, or 'heads' for all heads",
                );
                // `end or mh.argument`: an empty end falls back to the argument.
                let head_arg = match &self.end {
                    Some(end) if end.is_truthy() => end.py_str(),
                    _ => argument,
                };
                template.replace("%(head_arg)s", &head_arg).replace("%(heads)s", &heads.join(", "))
            }
            RevisionError::Resolution { argument, .. } => format!("Can't locate revision identified by '{argument}'"),
            other => other.to_string(),
        };
        CommandError::Failed(message)
    }
}

/// What a Python revision-or-symbol value can be: a revision, the string
/// `"base"` (a walk down past the first revision), or `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pos {
    Rev(usize),
    Base,
    Nothing,
}

impl Pos {
    fn from_option(index: Option<usize>) -> Pos {
        index.map_or(Pos::Nothing, Pos::Rev)
    }

    /// `is_revision()`: anything but a revision fails Alembic's assert.
    fn revision(self) -> Result<usize, GraphError> {
        match self {
            Pos::Rev(i) => Ok(i),
            _ => Err(GraphError::assertion()),
        }
    }
}

/// Where `_walk` starts: a string it resolves itself, or a resolved position.
enum WalkStart {
    Symbol(String),
    At(Pos),
}

/// The edges a traversal follows.
#[derive(Debug, Clone, Copy)]
enum Edge {
    /// `down_revision` only.
    VersionedDown,
    /// `down_revision` plus `depends_on` no ancestor already has.
    NormalizedDown,
    /// `down_revision` plus every `depends_on`.
    AllDown,
    /// Revisions naming this one as `down_revision`.
    Next,
    /// Revisions naming this one as `down_revision` or in `depends_on`.
    AllNext,
}

/// One loaded script and the links Alembic computes for it.
#[derive(Debug, Clone)]
struct Node {
    rev: Revision,
    /// Branch labels after `_add_branches` spread them along the branch.
    labels: Vec<String>,
    /// `depends_on` resolved to revision ids (labels replaced).
    resolved_deps: Vec<String>,
    /// The resolved dependencies no ancestor already depends on.
    normalized_deps: Vec<String>,
    /// `nextrev`: children through `down_revision`.
    next: Vec<String>,
    /// `_all_nextrev`: children through `down_revision` or `depends_on`.
    all_next: Vec<String>,
}

impl Node {
    fn all_down(&self) -> Vec<String> {
        dedupe(self.rev.down_revisions.iter().chain(&self.resolved_deps))
    }

    fn normalized_down(&self) -> Vec<String> {
        dedupe(self.rev.down_revisions.iter().chain(&self.normalized_deps))
    }

    fn is_base(&self) -> bool {
        self.rev.down_revisions.is_empty()
    }

    fn is_real_base(&self) -> bool {
        self.is_base() && self.rev.depends_on.is_empty()
    }

    fn is_real_branch_point(&self) -> bool {
        self.all_next.len() > 1
    }

    fn is_merge_point(&self) -> bool {
        self.rev.down_revisions.len() > 1
    }

    /// `Script.__str__` as it reads at this moment of loading.
    fn script_str(&self) -> String {
        format!(
            "{} -> {}{}{}{}, {}",
            format_down_revision(&self.rev),
            self.rev.id,
            if self.next.is_empty() { " (head)" } else { "" },
            if self.next.len() > 1 { " (branchpoint)" } else { "" },
            if self.is_merge_point() { " (mergepoint)" } else { "" },
            self.rev.message
        )
    }
}

/// The revision graph of one `alembic/versions/` directory.
#[derive(Debug, Clone)]
pub struct RevisionMap {
    /// Every loaded script in load order. A repeated id leaves the earlier
    /// script here, unreachable by name but still counted as a head, exactly
    /// as Alembic's map keeps the stale object in its head set.
    nodes: Vec<Node>,
    /// The names Alembic's `_revision_map` answers to, in its order: revision
    /// ids (first-seen order), then branch labels.
    keys: Vec<String>,
    index: HashMap<String, usize>,
    heads: Vec<String>,
    real_heads: Vec<String>,
    bases: Vec<String>,
    real_bases: Vec<String>,
    warnings: Vec<Warning>,
}

type GraphResult<T> = Result<T, GraphError>;

impl RevisionMap {
    /// Builds the graph from scripts in load order: Alembic loads the
    /// `versions/` files sorted by file name, and that order breaks ties
    /// wherever it has to choose. Fails as Alembic's `_revision_map` does:
    /// self-loops, illegal ids, reused branch names, a `down_revision` or
    /// `depends_on` naming nothing (`KeyError`), cycles.
    pub fn new(revisions: Vec<Revision>) -> Result<RevisionMap, LoadError> {
        let mut warnings = Vec::new();
        match Self::build(revisions, &mut warnings) {
            Ok(mut map) => {
                map.warnings = warnings;
                Ok(map)
            }
            Err(error) => Err(LoadError { error, warnings }),
        }
    }

    fn build(revisions: Vec<Revision>, warnings: &mut Vec<Warning>) -> GraphResult<RevisionMap> {
        let mut map = RevisionMap {
            nodes: Vec::new(),
            keys: Vec::new(),
            index: HashMap::new(),
            heads: Vec::new(),
            real_heads: Vec::new(),
            bases: Vec::new(),
            real_bases: Vec::new(),
            warnings: Vec::new(),
        };
        // Ordered sets of node indices, as Alembic's OrderedSet of objects.
        let mut heads: Vec<usize> = Vec::new();
        let mut real_heads: Vec<usize> = Vec::new();
        let mut bases: Vec<usize> = Vec::new();
        let mut real_bases: Vec<usize> = Vec::new();

        for rev in revisions {
            rev.validate()?;
            let i = map.nodes.len();
            if map.index.contains_key(&rev.id) {
                warnings.push(Warning { message: format!("Revision {} is present more than once", rev.id), line: 208 });
            } else {
                map.keys.push(rev.id.clone());
            }
            map.index.insert(rev.id.clone(), i);
            heads.push(i);
            real_heads.push(i);
            let node = Node {
                labels: dedupe(rev.branch_labels.iter()),
                rev,
                resolved_deps: Vec::new(),
                normalized_deps: Vec::new(),
                next: Vec::new(),
                all_next: Vec::new(),
            };
            if node.is_base() {
                bases.push(i);
            }
            if node.is_real_base() {
                real_bases.push(i);
            }
            map.nodes.push(node);
        }
        // Cycle detection looks revisions up by id only, before labels join the map.
        let ids_only = map.index.clone();
        let id_keys = map.keys.clone();

        let labelled: Vec<usize> =
            (0..map.nodes.len()).filter(|&i| !map.nodes[i].rev.branch_labels.is_empty()).collect();
        for &i in &labelled {
            for label in map.nodes[i].rev.branch_labels.clone() {
                if let Some(&used) = map.index.get(&label) {
                    return Err(RevisionError::BranchNameTaken {
                        label,
                        revision: map.nodes[i].rev.id.clone(),
                        used_by: map.nodes[used].rev.id.clone(),
                    }
                    .into());
                }
                map.index.insert(label.clone(), i);
                map.keys.push(label);
            }
        }

        for i in 0..map.nodes.len() {
            let mut resolved = Vec::new();
            for dep in &map.nodes[i].rev.depends_on {
                let target = *map.index.get(dep).ok_or_else(|| GraphError::KeyError(dep.clone()))?;
                resolved.push(map.nodes[target].rev.id.clone());
            }
            map.nodes[i].resolved_deps = resolved;
        }

        // Link parents to children, walking the map's values (labels included).
        for key in map.keys.clone() {
            let child = map.index[&key];
            for down in map.nodes[child].all_down() {
                let Some(&parent) = map.index.get(&down) else {
                    warnings.push(Warning {
                        message: format!(
                            "Revision {down} referenced from {} is not present",
                            map.nodes[child].script_str()
                        ),
                        line: 236,
                    });
                    return Err(GraphError::KeyError(down));
                };
                let child_id = map.nodes[child].rev.id.clone();
                let versioned = map.nodes[child].rev.down_revisions.contains(&map.nodes[parent].rev.id);
                push_unique(&mut map.nodes[parent].all_next, &child_id);
                if versioned {
                    push_unique(&mut map.nodes[parent].next, &child_id);
                }
                if map.nodes[child].rev.down_revisions.contains(&down) {
                    heads.retain(|&h| h != parent);
                }
                real_heads.retain(|&h| h != parent);
            }
        }

        for i in 0..map.nodes.len() {
            if map.nodes[i].resolved_deps.is_empty() {
                continue;
            }
            let mut normalized = map.nodes[i].resolved_deps.clone();
            for ancestor in map.related(Edge::VersionedDown, &[Pos::Rev(i)], None, false)? {
                if ancestor != i {
                    let theirs = &map.nodes[ancestor].resolved_deps;
                    normalized.retain(|d| !theirs.contains(d));
                }
            }
            map.nodes[i].normalized_deps = dedupe(normalized.iter());
        }

        map.detect_cycles(&ids_only, &id_keys, &heads, &bases, &real_heads, &real_bases)?;

        let ids = |v: &[usize], nodes: &[Node]| v.iter().map(|&i| nodes[i].rev.id.clone()).collect::<Vec<_>>();
        map.heads = ids(&heads, &map.nodes);
        map.real_heads = ids(&real_heads, &map.nodes);
        map.bases = ids(&bases, &map.nodes);
        map.real_bases = ids(&real_bases, &map.nodes);

        map.spread_branch_labels(&labelled)?;
        Ok(map)
    }

    /// `_detect_cycles`: every revision must lie on a path from a base to a head.
    fn detect_cycles(
        &self,
        ids_only: &HashMap<String, usize>,
        id_keys: &[String],
        heads: &[usize],
        bases: &[usize],
        real_heads: &[usize],
        real_bases: &[usize],
    ) -> GraphResult<()> {
        if id_keys.is_empty() {
            return Ok(());
        }
        let checks = [
            (CycleKind::Cycle, heads, bases, Edge::VersionedDown, Edge::Next),
            (CycleKind::DependencyCycle, real_heads, real_bases, Edge::AllDown, Edge::AllNext),
        ];
        for (kind, tops, bottoms, down, up) in checks {
            if tops.is_empty() || bottoms.is_empty() {
                return Err(RevisionError::CycleDetected { kind, revisions: id_keys.to_vec() }.into());
            }
            let as_pos = |v: &[usize]| v.iter().map(|&i| Pos::Rev(i)).collect::<Vec<_>>();
            let below: HashSet<String> = self
                .related(down, &as_pos(tops), Some(ids_only), false)?
                .into_iter()
                .map(|i| self.nodes[i].rev.id.clone())
                .collect();
            let above: HashSet<String> = self
                .related(up, &as_pos(bottoms), Some(ids_only), false)?
                .into_iter()
                .map(|i| self.nodes[i].rev.id.clone())
                .collect();
            let mut stranded: Vec<String> =
                id_keys.iter().filter(|id| !(below.contains(*id) && above.contains(*id))).cloned().collect();
            if !stranded.is_empty() {
                stranded.sort();
                return Err(RevisionError::CycleDetected { kind, revisions: stranded }.into());
            }
        }
        Ok(())
    }

    /// `_add_branches`: a revision's labels also name its descendants and,
    /// down from the last descendant visited, every ancestor up to (not
    /// including) a branch point or merge point.
    fn spread_branch_labels(&mut self, labelled: &[usize]) -> GraphResult<()> {
        for &i in labelled {
            let labels = self.nodes[i].labels.clone();
            let descendants = self.related(Edge::Next, &[Pos::Rev(i)], None, false)?;
            for &d in &descendants {
                extend_unique(&mut self.nodes[d].labels, &labels);
            }
            let mut parent = *descendants.last().unwrap_or(&i);
            loop {
                let node = &self.nodes[parent];
                if node.is_real_branch_point() || node.is_merge_point() {
                    break;
                }
                extend_unique(&mut self.nodes[parent].labels, &labels);
                let node = &self.nodes[parent];
                if node.rev.has_no_down_revision() {
                    break;
                }
                match self.index.get(&node.rev.down_revisions[0]) {
                    Some(&down) => parent = down,
                    None => return Err(GraphError::KeyError(node.rev.down_revisions[0].clone())),
                }
            }
        }
        Ok(())
    }

    // ----- what the map holds ---------------------------------------------

    /// The warnings loading printed (a revision id used twice).
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// `heads`: revisions no other revision names as `down_revision`, in load order.
    pub fn heads(&self) -> &[String] {
        &self.heads
    }

    /// `_real_heads`: heads that no revision `depends_on` either (what
    /// `heads` as a target means, and the rows a full upgrade leaves).
    pub fn real_heads(&self) -> &[String] {
        &self.real_heads
    }

    /// `bases`: revisions without a `down_revision`.
    pub fn bases(&self) -> &[String] {
        &self.bases
    }

    /// `_real_bases`: bases that depend on nothing.
    pub fn real_bases(&self) -> &[String] {
        &self.real_bases
    }

    /// Every revision the map answers to, in load order.
    pub fn revisions(&self) -> impl Iterator<Item = RevisionRef<'_>> {
        self.keys.iter().filter_map(|k| {
            let i = self.index[k];
            (self.nodes[i].rev.id == *k).then_some(RevisionRef { map: self, index: i })
        })
    }

    /// The revision with this full id, branch label or unique partial id (of
    /// at least one character; candidates shorter than four never match), as
    /// `get_revision` finds it. `Ok(None)` for `base` or an empty map's `head`.
    pub fn get(&self, id: &str) -> Result<Option<RevisionRef<'_>>, GraphError> {
        Ok(self.get_revision(id)?.map(|index| RevisionRef { map: self, index }))
    }

    /// `get_revisions`: every revision a symbol or tuple denotes, with
    /// `Resolved::Base` / `Resolved::None` where a relative walk ends off the graph.
    pub fn resolve(&self, spec: &RevSpec) -> Result<Vec<Resolved<'_>>, GraphError> {
        Ok(self.get_revisions(spec)?.into_iter().map(|p| self.resolved(p)).collect())
    }

    fn resolved(&self, pos: Pos) -> Resolved<'_> {
        match pos {
            Pos::Rev(index) => Resolved::Revision(RevisionRef { map: self, index }),
            Pos::Base => Resolved::Base,
            Pos::Nothing => Resolved::None,
        }
    }

    fn rev_ref(&self, index: usize) -> RevisionRef<'_> {
        RevisionRef { map: self, index }
    }

    // ----- traversal -------------------------------------------------------

    fn edges(&self, i: usize, edge: Edge) -> Vec<String> {
        let node = &self.nodes[i];
        match edge {
            Edge::VersionedDown => node.rev.down_revisions.clone(),
            Edge::NormalizedDown => node.normalized_down(),
            Edge::AllDown => node.all_down(),
            Edge::Next => node.next.clone(),
            Edge::AllNext => node.all_next.clone(),
        }
    }

    /// `_iterate_related_revisions`: depth first from each target (children
    /// pushed in order, the last one visited first), every node once. With
    /// `check`, a target reached from another target is an error.
    fn related(
        &self,
        edge: Edge,
        targets: &[Pos],
        lookup: Option<&HashMap<String, usize>>,
        check: bool,
    ) -> GraphResult<Vec<usize>> {
        let lookup = lookup.unwrap_or(&self.index);
        let mut seen = vec![false; self.nodes.len()];
        let mut visited = Vec::new();
        let target_indices: Vec<usize> = targets.iter().filter_map(|p| p.revision().ok()).collect();
        for &target in targets {
            let target = target.revision()?;
            let mut todo = vec![target];
            let mut reached: Vec<usize> = Vec::new();
            while let Some(rev) = todo.pop() {
                if check {
                    push_unique(&mut reached, &rev);
                }
                if seen[rev] {
                    continue;
                }
                seen[rev] = true;
                for id in self.edges(rev, edge) {
                    let next = *lookup.get(&id).ok_or_else(|| GraphError::KeyError(id.clone()))?;
                    if self.nodes[next].rev.id != id {
                        return Err(RevisionError::BrokenMap.into());
                    }
                    todo.push(next);
                }
                visited.push(rev);
            }
            if check {
                // Named in the order they were requested (Alembic: set order).
                let overlaps: Vec<usize> = target_indices
                    .iter()
                    .copied()
                    .filter(|t| *t != target && reached.contains(t))
                    .fold(Vec::new(), |mut v, t| {
                        push_unique(&mut v, &t);
                        v
                    });
                if !overlaps.is_empty() {
                    return Err(RevisionError::Overlap {
                        revision: self.nodes[target].rev.id.clone(),
                        others: overlaps.iter().map(|&o| self.nodes[o].rev.id.clone()).collect(),
                    }
                    .into());
                }
            }
        }
        Ok(visited)
    }

    /// `_get_ancestor_nodes`: the targets and everything below them.
    fn ancestors(&self, targets: &[Pos], include_dependencies: bool, check: bool) -> GraphResult<Vec<usize>> {
        let edge = if include_dependencies { Edge::NormalizedDown } else { Edge::VersionedDown };
        self.related(edge, targets, None, check)
    }

    /// `_get_descendant_nodes`: the targets and everything above them.
    fn descendants(&self, targets: &[Pos], include_dependencies: bool, check: bool) -> GraphResult<Vec<usize>> {
        let edge = if include_dependencies { Edge::AllNext } else { Edge::Next };
        self.related(edge, targets, None, check)
    }

    /// The ids of `ids` and all their ancestors (dependencies included), each
    /// id resolved as a revision argument. The head bookkeeping of merges uses it.
    pub fn ancestor_ids(&self, ids: &[String]) -> Result<Vec<String>, GraphError> {
        let revisions = self.get_revisions(&RevSpec::Many(ids.to_vec()))?;
        Ok(self.ancestors(&revisions, true, false)?.into_iter().map(|i| self.nodes[i].rev.id.clone()).collect())
    }

    // ----- resolving arguments --------------------------------------------

    /// `_resolve_revision_number`: a symbol to revision ids plus a branch label.
    fn resolve_number(&self, spec: &RevSpec) -> GraphResult<(Vec<String>, Option<String>)> {
        let text = match spec {
            RevSpec::Many(v) => return Ok((v.clone(), None)),
            RevSpec::One(s) => s,
        };
        let (branch, id) = match text.split_once('@') {
            Some((branch, id)) => (Some(branch.to_string()), id),
            None => (None, text.as_str()),
        };
        let ids = match id {
            "heads" => match truthy(&branch) {
                Some(label) => self.filter_ids_for_lineage(&self.heads, Some(label), false)?,
                None => self.real_heads.clone(),
            },
            "head" => self.current_head(truthy(&branch))?.into_iter().collect(),
            "base" => Vec::new(),
            other => vec![other.to_string()],
        };
        Ok((ids, branch))
    }

    /// `get_current_head`: the one head (on a branch), or `MultipleHeads`.
    fn current_head(&self, branch: Option<&str>) -> GraphResult<Option<String>> {
        let heads = match branch {
            Some(label) => self.filter_ids_for_lineage(&self.heads, Some(label), false)?,
            None => self.heads.clone(),
        };
        if heads.len() > 1 {
            let argument = branch.map_or("head".to_string(), |b| format!("{b}@head"));
            return Err(RevisionError::MultipleHeads { heads, argument }.into());
        }
        Ok(heads.into_iter().next())
    }

    /// `get_revisions`.
    fn get_revisions(&self, spec: &RevSpec) -> GraphResult<Vec<Pos>> {
        if let RevSpec::Many(items) = spec {
            let mut all = Vec::new();
            for item in items {
                all.extend(self.get_revisions(&RevSpec::One(item.clone()))?);
            }
            return Ok(all);
        }
        let (ids, branch) = self.resolve_number(spec)?;
        if let [only] = ids.as_slice() {
            if let Some(steps) = py_int(only).filter(|n| *n < 0) {
                // `-2` (or `label@-2`) walks down from every head.
                let mut heads = self.get_revisions(&RevSpec::One("heads".into()))?;
                if let Some(label) = &branch {
                    heads.retain(|h| matches!(h, Pos::Rev(i) if self.nodes[*i].labels.contains(label)));
                }
                let mut out = Vec::new();
                for head in heads {
                    out.push(self.walk(WalkStart::At(head), steps, None, true)?);
                }
                return Ok(out);
            }
        }
        let mut out = Vec::new();
        for id in &ids {
            out.push(Pos::from_option(self.revision_for_ident(Some(id), branch.as_deref())?));
        }
        Ok(out)
    }

    /// `get_revision`: one revision, `MultipleHeads` when the symbol means several.
    fn get_revision(&self, id: &str) -> GraphResult<Option<usize>> {
        let (ids, branch) = self.resolve_number(&RevSpec::One(id.to_string()))?;
        if ids.len() > 1 {
            return Err(RevisionError::MultipleHeads { heads: ids, argument: id.to_string() }.into());
        }
        self.revision_for_ident(ids.first().map(String::as_str), branch.as_deref())
    }

    /// `_resolve_branch`: a label, a full id, or else a unique partial id.
    fn resolve_branch(&self, label: &str) -> GraphResult<usize> {
        if let Some(&i) = self.index.get(label) {
            return Ok(i);
        }
        match self.revision_for_ident(Some(label), None) {
            Ok(Some(i)) => Ok(i),
            Ok(None) => Err(GraphError::assertion()),
            Err(GraphError::Revision(RevisionError::Resolution { .. })) => Err(RevisionError::Resolution {
                message: format!("No such branch: '{label}'"),
                argument: label.to_string(),
            }
            .into()),
            Err(e) => Err(e),
        }
    }

    /// `_revision_for_ident`: an exact name, else a unique prefix of a name
    /// longer than three characters, checked against the branch if given.
    fn revision_for_ident(&self, id: Option<&str>, check_branch: Option<&str>) -> GraphResult<Option<usize>> {
        let check_branch = check_branch.filter(|b| !b.is_empty());
        let branch_rev = match check_branch {
            Some(label) => Some(self.resolve_branch(label)?),
            None => None,
        };
        let Some(id) = id else { return Ok(None) };
        let revision = match self.index.get(id) {
            Some(&i) => i,
            None => {
                if id.is_empty() {
                    return Err(GraphError::assertion());
                }
                let mut candidates: Vec<String> =
                    self.keys.iter().filter(|k| k.chars().count() > 3 && k.starts_with(id)).cloned().collect();
                if branch_rev.is_some() {
                    candidates = self.filter_ids_for_lineage(&candidates, check_branch, false)?;
                }
                match candidates.as_slice() {
                    [] => {
                        let hint = if id.chars().count() < 4 {
                            "; please ensure at least four characters are present for partial revision identifier matches"
                        } else {
                            ""
                        };
                        return Err(RevisionError::Resolution {
                            message: format!("No such revision or branch '{id}'{hint}"),
                            argument: id.to_string(),
                        }
                        .into());
                    }
                    [one] => self.index[one],
                    many => {
                        let shown: Vec<String> = many.iter().take(3).map(|r| format!("'{r}'")).collect();
                        return Err(RevisionError::Resolution {
                            message: format!("Multiple revisions start with '{id}': {}...", shown.join(", ")),
                            argument: id.to_string(),
                        }
                        .into());
                    }
                }
            }
        };
        if let (Some(label), Some(branch_rev)) = (check_branch, branch_rev) {
            // Alembic compares by id, so a repeated id means its latest script.
            let target =
                self.revision_for_ident(Some(&self.nodes[revision].rev.id), None)?.ok_or_else(GraphError::assertion)?;
            let against = self.revision_for_ident(Some(&self.nodes[branch_rev].rev.id), None)?;
            if !self.shares_lineage(target, &[against], false)? {
                return Err(RevisionError::Resolution {
                    message: format!("Revision {} is not a member of branch '{label}'", self.nodes[revision].rev.id),
                    argument: id.to_string(),
                }
                .into());
            }
        }
        Ok(Some(revision))
    }

    /// `_shares_lineage`: whether `target` is an ancestor or descendant of
    /// (or is) any of `against`.
    fn shares_lineage(
        &self,
        target: usize,
        against: &[Option<usize>],
        include_dependencies: bool,
    ) -> GraphResult<bool> {
        let mut family = self.descendants(&[Pos::Rev(target)], include_dependencies, false)?;
        family.extend(self.ancestors(&[Pos::Rev(target)], include_dependencies, false)?);
        Ok(against.iter().flatten().any(|a| family.contains(a)))
    }

    /// What `filter_for_lineage` tests targets against: the branch label and
    /// the revisions `check_against` names, resolved on first use (Alembic
    /// resolves them only when there is a target to test).
    fn lineage_names(&self, check_against: Option<&str>) -> GraphResult<Vec<String>> {
        let (ids, branch) = match check_against {
            Some(c) => self.resolve_number(&RevSpec::One(c.to_string()))?,
            None => (Vec::new(), None),
        };
        let mut shares: Vec<String> = truthy(&branch).map(str::to_string).into_iter().collect();
        shares.extend(ids);
        Ok(shares)
    }

    fn resolve_shares(&self, shares: &[String]) -> GraphResult<Vec<Option<usize>>> {
        shares.iter().map(|s| self.revision_for_ident(Some(s), None)).collect()
    }

    /// `filter_for_lineage` over revision ids.
    fn filter_ids_for_lineage(
        &self,
        targets: &[String],
        check_against: Option<&str>,
        include_dependencies: bool,
    ) -> GraphResult<Vec<String>> {
        let shares = self.lineage_names(check_against)?;
        let mut resolved_shares = None;
        let mut kept = Vec::new();
        for target in targets {
            if !shares.is_empty() {
                let t = self.revision_for_ident(Some(target), None)?.ok_or_else(GraphError::assertion)?;
                if resolved_shares.is_none() {
                    resolved_shares = Some(self.resolve_shares(&shares)?);
                }
                if !self.shares_lineage(t, resolved_shares.as_deref().unwrap_or(&[]), include_dependencies)? {
                    continue;
                }
            }
            kept.push(target.clone());
        }
        Ok(kept)
    }

    /// `filter_for_lineage` over revisions.
    fn filter_for_lineage(
        &self,
        targets: &[Pos],
        check_against: Option<&str>,
        include_dependencies: bool,
    ) -> GraphResult<Vec<Pos>> {
        let shares = self.lineage_names(check_against)?;
        let mut resolved_shares = None;
        let mut kept = Vec::new();
        for &target in targets {
            if !shares.is_empty() {
                let t = target.revision()?;
                if resolved_shares.is_none() {
                    resolved_shares = Some(self.resolve_shares(&shares)?);
                }
                if !self.shares_lineage(t, resolved_shares.as_deref().unwrap_or(&[]), include_dependencies)? {
                    continue;
                }
            }
            kept.push(target);
        }
        Ok(kept)
    }

    /// `_walk`: `steps` up (positive) or down (negative), one revision at a
    /// time; a fork is `Ambiguous walk`. Walking off the graph gives
    /// `Pos::Nothing` (with `no_overwalk`) or stops where it is.
    fn walk(&self, start: WalkStart, steps: i64, branch: Option<&str>, no_overwalk: bool) -> GraphResult<Pos> {
        let mut at = match start {
            WalkStart::Symbol(s) => Pos::from_option(self.get_revision(&s)?),
            WalkStart::At(p) => p,
        };
        // Every move follows an edge of an acyclic graph, so this ends within
        // its depth however large `steps` is.
        for _ in 0..steps.unsigned_abs() {
            let children: Vec<Pos> = if steps > 0 {
                let up = match at {
                    Pos::Base => return Err(GraphError::assertion()),
                    Pos::Nothing => self.get_revisions(&RevSpec::Many(self.bases.clone()))?,
                    Pos::Rev(i) => self.get_revisions(&RevSpec::Many(self.nodes[i].next.clone()))?,
                };
                for p in &up {
                    p.revision()?;
                }
                match branch.filter(|b| !b.is_empty()) {
                    Some(label) => self.filter_for_lineage(&up, Some(label), false)?,
                    None => up,
                }
            } else {
                match at {
                    Pos::Base => Vec::new(),
                    Pos::Nothing => self.get_revisions(&RevSpec::Many(self.heads.clone()))?,
                    Pos::Rev(i) => {
                        let down = self.get_revisions(&RevSpec::Many(self.nodes[i].rev.down_revisions.clone()))?;
                        if down.is_empty() {
                            vec![Pos::Base]
                        } else {
                            down
                        }
                    }
                }
            };
            match children.as_slice() {
                [] => return Ok(if no_overwalk { Pos::Nothing } else { at }),
                [only] => at = *only,
                _ => return Err(RevisionError::AmbiguousWalk.into()),
            }
        }
        Ok(at)
    }

    /// `_parse_downgrade_target`: the branch label and the revision a
    /// downgrade goes to (`Pos::Nothing` for base).
    fn parse_downgrade_target(
        &self,
        current: &RevSpec,
        target: &RevSpec,
        assert_relative_length: bool,
        warnings: &mut Vec<Warning>,
    ) -> GraphResult<(Option<String>, Pos)> {
        let RevSpec::One(target) = target else {
            return Err(GraphError::Assertion(Some("Expected downgrade target in string form".into())));
        };
        if let Some(relative) = RelativeTarget::parse(target) {
            let not_produced =
                || RevisionError::RelativeNotProduced { relative: relative.text.clone(), count: relative.count() };
            if !relative.negative {
                let Some(symbol) = &relative.symbol else {
                    return Err(not_produced().into());
                };
                let rev = self.walk(
                    WalkStart::Symbol(symbol.clone()),
                    relative.steps(),
                    relative.branch.as_deref(),
                    assert_relative_length,
                )?;
                if rev == Pos::Nothing {
                    return Err(RevisionError::WalkedTooFar.into());
                }
                return Ok((relative.branch.clone(), rev));
            }
            let relative_to_current = relative.symbol.is_none();
            let mut branch = relative.branch.clone();
            let symbol = match &relative.symbol {
                Some(s) => s.clone(),
                None => match truthy(&branch) {
                    Some(label) => {
                        let current = current.items();
                        let mut on_branch = self.filter_ids_for_lineage(&current, Some(label), false)?;
                        if on_branch.is_empty() {
                            let all = self.all_current_heads(&RevSpec::Many(current))?;
                            let all: Vec<Pos> = all.into_iter().map(Pos::Rev).collect();
                            on_branch = self
                                .filter_for_lineage(&all, Some(label), false)?
                                .into_iter()
                                .map(|p| p.revision().map(|i| self.nodes[i].rev.id.clone()))
                                .collect::<GraphResult<_>>()?;
                        }
                        match on_branch.as_slice() {
                            [one] => one.clone(),
                            _ => return Err(GraphError::assertion()),
                        }
                    }
                    None => {
                        let current = current.items();
                        let Some(first) = current.first() else {
                            return Err(not_produced().into());
                        };
                        if current.iter().any(|c| c != first) {
                            warnings.push(Warning {
                                message: "downgrade -1 from multiple heads is ambiguous; this usage will be \
                                          disallowed in a future release."
                                    .to_string(),
                                line: 1168,
                            });
                        }
                        // Restrict the walk to the branch of the first head.
                        branch = Some(first.clone());
                        first.clone()
                    }
                },
            };
            let start = match &branch {
                None => self.get_revision(&symbol)?,
                Some(label) => self.get_revision(&format!("{label}@{symbol}"))?,
            };
            let rev =
                self.walk(WalkStart::At(Pos::from_option(start)), relative.steps(), None, assert_relative_length)?;
            if rev == Pos::Nothing {
                return Err(if relative_to_current {
                    not_produced().into()
                } else {
                    RevisionError::WalkedTooFar.into()
                });
            }
            return Ok((branch, rev));
        }
        let (branch, symbol) = match target.rsplit_once('@') {
            Some((b, s)) if !b.is_empty() => (Some(b.to_string()), s),
            Some((_, s)) => (None, s),
            None => (None, target.as_str()),
        };
        Ok((branch, Pos::from_option(self.get_revision(symbol)?)))
    }

    /// `_parse_upgrade_target`: the revisions an upgrade goes to.
    fn parse_upgrade_target(
        &self,
        current: &RevSpec,
        target: &RevSpec,
        assert_relative_length: bool,
    ) -> GraphResult<Vec<Pos>> {
        let relative = match target {
            RevSpec::One(t) => RelativeTarget::parse(t),
            RevSpec::Many(_) => None,
        };
        let Some(relative) = relative else {
            return self.get_revisions(target);
        };
        let steps = relative.steps();
        let branch = relative.branch.as_deref();
        if steps > 0 {
            let Some(symbol) = &relative.symbol else {
                let current = current.items();
                let mut starts: Vec<WalkStart> = if current.is_empty() {
                    vec![WalkStart::At(Pos::Nothing)]
                } else {
                    current.iter().cloned().map(WalkStart::Symbol).collect()
                };
                if let Some(label) = branch.filter(|b| !b.is_empty()) {
                    let current_revs = self.get_revisions(&RevSpec::Many(current.clone()))?;
                    let mut on_branch = self.filter_for_lineage(&current_revs, Some(label), false)?;
                    if on_branch.is_empty() {
                        // The branch is not a head: start from its newest applied revision.
                        let active = self.ancestors(&current_revs, true, false)?;
                        let active: Vec<Pos> = active.into_iter().map(Pos::Rev).collect();
                        let active = self.filter_for_lineage(&active, Some(label), false)?;
                        let mut below: HashSet<String> = HashSet::new();
                        for p in &active {
                            below.extend(self.nodes[p.revision()?].normalized_down());
                        }
                        on_branch = active
                            .into_iter()
                            .filter(|p| matches!(p, Pos::Rev(i) if !below.contains(&self.nodes[*i].rev.id)))
                            .collect();
                        if on_branch.is_empty() {
                            on_branch = vec![Pos::Nothing];
                        }
                    }
                    starts = on_branch.into_iter().map(WalkStart::At).collect();
                }
                if starts.len() > 1 {
                    return Err(RevisionError::AmbiguousUpgrade.into());
                }
                let start = starts.pop().unwrap_or(WalkStart::At(Pos::Nothing));
                let rev = self.walk(start, steps, branch, assert_relative_length)?;
                if rev == Pos::Nothing {
                    return Err(RevisionError::RelativeNotProduced {
                        relative: relative.text.clone(),
                        count: relative.count(),
                    }
                    .into());
                }
                return Ok(vec![rev]);
            };
            // Relative to a named revision, not to the current state.
            let start = Pos::from_option(self.get_revision(symbol)?);
            return Ok(vec![self.walk(WalkStart::At(start), steps, branch, assert_relative_length)?]);
        }
        let Some(symbol) = &relative.symbol else {
            // Alembic formats this one with the parsed int: `-01` reads `-1`.
            return Err(
                RevisionError::RelativeNotProduced { relative: relative.int_text(), count: relative.count() }.into()
            );
        };
        let start = match branch {
            None => self.get_revision(symbol)?,
            Some(label) => self.get_revision(&format!("{label}@{symbol}"))?,
        };
        Ok(vec![self.walk(WalkStart::At(Pos::from_option(start)), steps, None, assert_relative_length)?])
    }

    /// `_collect_upgrade_revisions`: what to apply to get from `lower` to
    /// `upper`, and the targets (the heads of the topological sort).
    fn collect_upgrade(
        &self,
        upper: &RevSpec,
        lower: &RevSpec,
        inclusive: bool,
        implicit_base: bool,
        assert_relative_length: bool,
        warnings: &mut Vec<Warning>,
    ) -> GraphResult<(Vec<usize>, Vec<Pos>)> {
        let mut targets: Vec<usize> = self
            .parse_upgrade_target(lower, upper, assert_relative_length)?
            .into_iter()
            .map(Pos::revision)
            .collect::<GraphResult<_>>()?;

        if let RevSpec::One(lower_text) = lower {
            if let Some((branch, _)) = lower_text.split_once('@') {
                // `label@base:heads` only goes up that branch.
                let mut branch = branch.to_string();
                if let Some(rev) = self.get_revision(&branch)? {
                    if self.nodes[rev].rev.id == branch {
                        match self.nodes[rev].labels.as_slice() {
                            [only] => branch = only.clone(),
                            _ => return Err(GraphError::assertion()),
                        }
                    }
                }
                targets.retain(|&t| self.nodes[t].labels.contains(&branch));
            }
        }
        let target_pos: Vec<Pos> = targets.iter().map(|&t| Pos::Rev(t)).collect();
        let mut required = self.ancestors(&target_pos, true, true)?;
        extend_unique(&mut required, &targets);

        let mut current = self.get_revisions(lower)?;
        if !implicit_base
            && current.iter().any(|c| *c != Pos::Nothing && !matches!(c, Pos::Rev(i) if required.contains(i)))
        {
            return Err(RevisionError::RangeNotAncestor { lower: lower.clone(), upper: upper.clone() }.into());
        }
        let mut lower = lower.clone();
        if current.first() == Some(&Pos::Nothing) {
            // A relative lower bound (`-1:`) that get_revisions walked off the graph.
            let (_, rev) = self.parse_downgrade_target(upper, &lower, assert_relative_length, warnings)?;
            match rev {
                Pos::Nothing => return Err(GraphError::assertion()),
                Pos::Base => {
                    current = Vec::new();
                    lower = RevSpec::Many(Vec::new());
                }
                Pos::Rev(i) => {
                    current = vec![rev];
                    lower = RevSpec::One(self.nodes[i].rev.id.clone());
                }
            }
        }
        let mut applied = self.ancestors(&current, true, true)?;
        for c in &current {
            applied.push(c.revision()?);
        }
        let mut needs: Vec<usize> = required.into_iter().filter(|r| !applied.contains(r)).collect();
        if inclusive {
            for p in self.get_revisions(&lower)? {
                push_unique(&mut needs, &p.revision()?);
            }
        }
        if !current.is_empty() && !implicit_base {
            let above = self.descendants(&current, false, true)?;
            needs.retain(|n| above.contains(n));
        }
        Ok((needs, target_pos))
    }

    /// `_collect_downgrade_revisions`: what to undo to get from `upper` (the
    /// current heads) down to `lower`, and the heads to sort from.
    fn collect_downgrade(
        &self,
        upper: &RevSpec,
        lower: &RevSpec,
        inclusive: bool,
        implicit_base: bool,
        assert_relative_length: bool,
        warnings: &mut Vec<Warning>,
    ) -> GraphResult<(Vec<usize>, Vec<Pos>)> {
        let (branch, target) = self.parse_downgrade_target(upper, lower, assert_relative_length, warnings)?;
        let target = match target {
            Pos::Base | Pos::Nothing => None,
            Pos::Rev(i) => Some(i),
        };
        let mut roots: Vec<Pos> = match target {
            // Every base, once per name it has in the map (a labelled base
            // counts twice, which matters to the `len(roots) > 1` test below).
            None => {
                self.keys.iter().map(|k| self.index[k]).filter(|&i| self.nodes[i].is_base()).map(Pos::Rev).collect()
            }
            Some(t) if inclusive => vec![Pos::Rev(t)],
            Some(t) => self.get_revisions(&RevSpec::Many(self.nodes[t].next.clone()))?,
        };
        if let Some(label) = truthy(&branch) {
            if roots.len() > 1 {
                let on_branch = self.ancestors(&[Pos::Rev(self.resolve_branch(label)?)], false, false)?;
                roots.retain(|r| matches!(r, Pos::Rev(i) if on_branch.contains(i)));
                roots = roots.iter().fold(Vec::new(), |mut v, r| {
                    push_unique(&mut v, r);
                    v
                });
                if roots.is_empty() {
                    return Err(RevisionError::NotValidDowngradeTarget.into());
                }
            }
        }
        let heads = self.get_revisions(upper)?;
        let mut to_drop = self.descendants(&roots, true, false)?;
        let active = self.ancestors(&heads, true, false)?;
        to_drop.retain(|r| active.contains(r));
        if implicit_base {
            let below_roots = self.ancestors(&roots, true, false)?;
            for a in &active {
                if !below_roots.contains(a) {
                    push_unique(&mut to_drop, a);
                }
            }
        }
        if let Some(t) = target {
            if to_drop.is_empty() && !heads.contains(&Pos::Rev(t)) {
                return Err(RevisionError::RangeNotAncestor {
                    lower: RevSpec::from("Nothing to drop"),
                    upper: upper.clone(),
                }
                .into());
            }
        }
        Ok((to_drop, heads))
    }

    /// `_topological_sort`: revisions after their descendants, walking down
    /// one branch as long as no other pending head still needs the candidate,
    /// with ties broken by load order.
    fn topological_sort(&self, revisions: &[usize], heads: &[Pos]) -> GraphResult<Vec<String>> {
        let position = |id: &str| self.keys.iter().position(|k| k == id).unwrap_or(usize::MAX);
        let ancestors_of = |id: &str| -> GraphResult<HashSet<String>> {
            let i = *self.index.get(id).ok_or_else(|| GraphError::KeyError(id.to_string()))?;
            Ok(self.ancestors(&[Pos::Rev(i)], true, false)?.into_iter().map(|a| self.nodes[a].rev.id.clone()).collect())
        };
        let mut todo: Vec<String> = revisions.iter().map(|&r| self.nodes[r].rev.id.clone()).collect();
        let mut current_heads: Vec<String> = Vec::new();
        for h in heads {
            let id = &self.nodes[h.revision()?].rev.id;
            if todo.contains(id) {
                push_unique(&mut current_heads, id);
            }
        }
        current_heads.sort_by_key(|id| position(id));
        let mut ancestors_by_head: Vec<HashSet<String>> =
            current_heads.iter().map(|h| ancestors_of(h)).collect::<GraphResult<_>>()?;

        let mut output = Vec::new();
        let mut candidate_index = 0;
        // Alembic's loop always progresses on a valid graph; the guard keeps a
        // broken one from spinning forever.
        let mut budget = (self.nodes.len() + 1).pow(3) + 64;
        while !current_heads.is_empty() {
            budget = budget.checked_sub(1).ok_or_else(GraphError::assertion)?;
            let candidate = current_heads[candidate_index].clone();
            if let Some(other) = (0..ancestors_by_head.len())
                .find(|&k| k != candidate_index && ancestors_by_head[k].contains(&candidate))
            {
                // Another head still descends from the candidate: go there first.
                candidate_index = other;
                continue;
            }
            if let Some(at) = todo.iter().position(|t| *t == candidate) {
                todo.remove(at);
                output.push(candidate.clone());
            }
            let node =
                &self.nodes[*self.index.get(&candidate).ok_or_else(|| GraphError::KeyError(candidate.clone()))?];
            let heads_to_add: Vec<String> =
                node.normalized_down().into_iter().filter(|r| todo.contains(r) && !current_heads.contains(r)).collect();
            if heads_to_add.is_empty() {
                current_heads.remove(candidate_index);
                ancestors_by_head.remove(candidate_index);
                candidate_index = candidate_index.saturating_sub(1);
            } else if node.normalized_deps.is_empty() && node.rev.down_revisions.len() == 1 {
                current_heads[candidate_index] = heads_to_add[0].clone();
                ancestors_by_head[candidate_index].remove(&candidate);
            } else {
                current_heads[candidate_index] = heads_to_add[0].clone();
                ancestors_by_head[candidate_index] = ancestors_of(&heads_to_add[0])?;
                for extra in &heads_to_add[1..] {
                    current_heads.push(extra.clone());
                    ancestors_by_head.push(ancestors_of(extra)?);
                }
            }
        }
        if !todo.is_empty() {
            return Err(GraphError::assertion());
        }
        Ok(output)
    }

    /// `iterate_revisions`: the revisions between `upper` and `lower`, upper first.
    #[allow(clippy::too_many_arguments)]
    fn iterate_revisions(
        &self,
        upper: &RevSpec,
        lower: &RevSpec,
        implicit_base: bool,
        inclusive: bool,
        assert_relative_length: bool,
        select_for_downgrade: bool,
        warnings: &mut Vec<Warning>,
    ) -> GraphResult<Vec<usize>> {
        let (revisions, heads) = if select_for_downgrade {
            self.collect_downgrade(upper, lower, inclusive, implicit_base, assert_relative_length, warnings)?
        } else {
            self.collect_upgrade(upper, lower, inclusive, implicit_base, assert_relative_length, warnings)?
        };
        let mut out = Vec::new();
        for id in self.topological_sort(&revisions, &heads)? {
            out.push(self.get_revision(&id)?.ok_or_else(GraphError::assertion)?);
        }
        Ok(out)
    }

    /// `_get_all_current`: of the given revisions and their ancestors, the
    /// ones with no descendant among them (what `alembic current` prints).
    fn all_current_heads(&self, spec: &RevSpec) -> GraphResult<Vec<usize>> {
        let top = self.get_revisions(spec)?;
        let mut all: Vec<usize> = top.iter().map(|p| p.revision()).collect::<GraphResult<_>>()?;
        let below = self.ancestors(&top, true, false)?;
        extend_unique(&mut all, &below);
        let mut heads = Vec::new();
        for &rev in &all {
            let above = self.descendants(&[Pos::Rev(rev)], false, false)?;
            if !above.iter().any(|d| *d != rev && all.contains(d)) {
                heads.push(rev);
            }
        }
        heads.sort_unstable();
        Ok(heads)
    }

    fn migration_step(&self, index: usize, direction: Direction) -> Step {
        let node = &self.nodes[index];
        let id = vec![node.rev.id.clone()];
        let parents = node.rev.down_revisions.clone();
        let (from, to) = match direction {
            Direction::Up => (parents, id),
            Direction::Down => (id, parents),
        };
        Step {
            direction,
            kind: StepKind::Migration {
                revision: node.rev.id.clone(),
                normalized_down_revisions: node.normalized_down(),
            },
            from,
            to,
            message: node.rev.message.clone(),
        }
    }

    // ----- what the commands ask ------------------------------------------

    /// `alembic upgrade <destination>` from the `current` heads
    /// (`ScriptDirectory._upgrade_revs`): the steps in the order they run.
    pub fn upgrade_steps(&self, current: &[String], destination: &str) -> Result<Plan, PlanError> {
        let catch = Catch {
            ancestor: Some("Destination %(end)s is not a valid upgrade target from current head(s)"),
            end: Some(RevSpec::from(destination)),
            ..Catch::default()
        };
        let mut warnings = Vec::new();
        let revisions = self.iterate_revisions(
            &RevSpec::from(destination),
            &RevSpec::from(current),
            true,
            false,
            true,
            false,
            &mut warnings,
        );
        let revisions = match revisions {
            Ok(r) => r,
            Err(e) => return Err(PlanError { error: catch.convert(e), warnings }),
        };
        let steps = revisions.into_iter().rev().map(|i| self.migration_step(i, Direction::Up)).collect();
        Ok(Plan { steps, warnings })
    }

    /// `alembic downgrade <destination>` from the `current` heads
    /// (`ScriptDirectory._downgrade_revs`).
    pub fn downgrade_steps(&self, current: &[String], destination: &str) -> Result<Plan, PlanError> {
        let catch = Catch {
            ancestor: Some("Destination %(end)s is not a valid downgrade target from current head(s)"),
            end: Some(RevSpec::from(destination)),
            ..Catch::default()
        };
        let mut warnings = Vec::new();
        let revisions = self.iterate_revisions(
            &RevSpec::from(current),
            &RevSpec::from(destination),
            false,
            false,
            true,
            true,
            &mut warnings,
        );
        let revisions = match revisions {
            Ok(r) => r,
            Err(e) => return Err(PlanError { error: catch.convert(e), warnings }),
        };
        let steps = revisions.into_iter().map(|i| self.migration_step(i, Direction::Down)).collect();
        Ok(Plan { steps, warnings })
    }

    /// `alembic stamp <destinations...>` from the `current` heads
    /// (`ScriptDirectory._stamp_revs`): version-row moves without migrations.
    pub fn stamp_steps(&self, current: &[String], destinations: &[String]) -> Result<Plan, PlanError> {
        self.stamp_plan(current, destinations).map_err(|error| PlanError { error, warnings: Vec::new() })
    }

    fn stamp_plan(&self, current: &[String], destinations: &[String]) -> Result<Plan, CommandError> {
        let outer = Catch {
            multiple_heads: Some("Multiple heads are present; please specify a single target revision"),
            ..Catch::default()
        };
        // ScriptDirectory.get_revisions has its own catch with the default wording.
        let heads = self.get_revisions(&RevSpec::from(current)).map_err(CommandError::caught)?;
        let destinations: Vec<String> =
            if destinations.is_empty() { vec!["base".to_string()] } else { destinations.to_vec() };
        let mut related_heads: Vec<Pos> = Vec::new();
        for dest in destinations.iter().filter(|d| !d.is_empty()) {
            for head in self.filter_for_lineage(&heads, Some(dest), true).map_err(|e| outer.convert(e))? {
                push_unique(&mut related_heads, &head);
            }
        }
        let mut dests = self.get_revisions(&RevSpec::Many(destinations)).map_err(CommandError::caught)?;
        if dests.is_empty() {
            dests.push(Pos::Nothing);
        }
        let head_ids = |heads: &[Pos]| -> Result<Vec<String>, CommandError> {
            heads
                .iter()
                .map(|h| h.revision().map(|i| self.nodes[i].rev.id.clone()).map_err(CommandError::Uncaught))
                .collect()
        };
        let stamp = |from: Vec<String>, to: Vec<String>, direction, branch_move| Step {
            direction,
            kind: StepKind::Stamp { branch_move },
            from,
            to,
            message: String::new(),
        };
        let mut steps = Vec::new();
        for dest in dests {
            let dest_index = match dest {
                Pos::Nothing => {
                    // To base: remove every related head's row.
                    for id in head_ids(&related_heads)? {
                        steps.push(stamp(vec![id], Vec::new(), Direction::Down, true));
                    }
                    continue;
                }
                _ if related_heads.contains(&dest) => continue,
                _ => dest.revision().map_err(CommandError::Uncaught)?,
            };
            let dest_id = vec![self.nodes[dest_index].rev.id.clone()];
            let above = self.descendants(&[dest], true, false).map_err(|e| outer.convert(e))?;
            let below = self.ancestors(&[dest], true, false).map_err(|e| outer.convert(e))?;
            let related = |set: &[usize]| related_heads.iter().any(|h| matches!(h, Pos::Rev(i) if set.contains(i)));
            if related(&above) {
                if related(&below) {
                    return Err(CommandError::Uncaught(GraphError::assertion()));
                }
                steps.push(stamp(head_ids(&related_heads)?, dest_id, Direction::Down, false));
            } else if related(&below) {
                steps.push(stamp(head_ids(&related_heads)?, dest_id, Direction::Up, false));
            } else {
                steps.push(stamp(Vec::new(), dest_id, Direction::Up, true));
            }
        }
        Ok(Plan { steps, warnings: Vec::new() })
    }

    /// `ScriptDirectory.walk_revisions(base, head)`, for `history -r
    /// base:head` and `branches`: the revisions from `head` down to `base`,
    /// both included. Pass `base`/`heads` for everything; a tuple of current
    /// heads where `history` substitutes `current`.
    pub fn walk_revisions(&self, base: &RevSpec, head: &RevSpec) -> Result<Vec<RevisionRef<'_>>, CommandError> {
        self.walk_revisions_with_warnings(base, head).map(|walk| walk.revisions).map_err(|e| e.error)
    }

    /// [`RevisionMap::walk_revisions`] with the warnings Alembic prints while
    /// walking (a relative bound such as `-1:` from several heads warns).
    pub fn walk_revisions_with_warnings(&self, base: &RevSpec, head: &RevSpec) -> Result<Walk<'_>, PlanError> {
        let catch = Catch { start: Some(base.clone()), end: Some(head.clone()), ..Catch::default() };
        let mut warnings = Vec::new();
        match self.iterate_revisions(head, base, false, true, false, false, &mut warnings) {
            Ok(revisions) => Ok(Walk { revisions: revisions.into_iter().map(|i| self.rev_ref(i)).collect(), warnings }),
            Err(e) => Err(PlanError { error: catch.convert(e), warnings }),
        }
    }

    /// `ScriptDirectory.get_revisions(spec)`, for `show`: what a symbol
    /// denotes, with the default error wording.
    pub fn show(&self, spec: &RevSpec) -> Result<Vec<Resolved<'_>>, CommandError> {
        self.resolve(spec).map_err(CommandError::caught)
    }

    /// `ScriptDirectory.get_all_current(heads)`, for `alembic current`: the
    /// database heads with ancestors among them left out, in load order
    /// (real Alembic prints them in no stable order).
    pub fn all_current(&self, current: &[String]) -> Result<Vec<RevisionRef<'_>>, CommandError> {
        let heads = self.all_current_heads(&RevSpec::from(current)).map_err(CommandError::caught)?;
        Ok(heads.into_iter().map(|i| self.rev_ref(i)).collect())
    }

    /// The heads `--sql` mode starts from (`MigrationContext.get_current_heads`
    /// offline): the `<fromrev>` of `<fromrev>:<torev>`, resolved to full ids;
    /// none for `base` or no range.
    pub fn offline_start_heads(&self, starting_rev: Option<&str>) -> Result<Vec<String>, CommandError> {
        match starting_rev {
            None | Some("base") => Ok(Vec::new()),
            Some(start) => match self.get_revision(start).map_err(CommandError::caught)? {
                Some(i) => Ok(vec![self.nodes[i].rev.id.clone()]),
                None => Err(CommandError::Uncaught(GraphError::Attribute(
                    "'NoneType' object has no attribute 'revision'".into(),
                ))),
            },
        }
    }
}

/// A revision inside its map, with the facts the map knows about it.
#[derive(Clone, Copy)]
pub struct RevisionRef<'a> {
    map: &'a RevisionMap,
    index: usize,
}

impl fmt::Debug for RevisionRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RevisionRef({})", self.id())
    }
}

impl PartialEq for RevisionRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.map, other.map) && self.index == other.index
    }
}

/// Options of `Script._head_only` / `cmd_format` (non-verbose lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineFormat {
    pub include_branches: bool,
    pub include_doc: bool,
    pub include_parents: bool,
    pub tree_indicators: bool,
    /// `(current)`: the revision is in the database (`history -i`).
    pub current: bool,
}

impl LineFormat {
    /// `alembic history`'s line: `0001a -> 0002b (head), add post`.
    pub const HISTORY: LineFormat = LineFormat {
        include_branches: true,
        include_doc: true,
        include_parents: true,
        tree_indicators: true,
        current: false,
    };
    /// `alembic heads`'s line: `0002b (head)`.
    pub const HEADS: LineFormat = LineFormat {
        include_branches: true,
        include_doc: false,
        include_parents: false,
        tree_indicators: false,
        current: false,
    };
    /// `alembic current`'s line: `0001a (head)`, `0001a (branchpoint)`.
    pub const CURRENT: LineFormat = LineFormat {
        include_branches: false,
        include_doc: false,
        include_parents: false,
        tree_indicators: true,
        current: false,
    };
}

impl<'a> RevisionRef<'a> {
    fn node(&self) -> &'a Node {
        &self.map.nodes[self.index]
    }

    pub fn revision(&self) -> &'a Revision {
        &self.node().rev
    }

    pub fn id(&self) -> &'a str {
        &self.node().rev.id
    }

    /// No revision names this one as `down_revision`.
    pub fn is_head(&self) -> bool {
        self.node().next.is_empty()
    }

    /// No revision names this one as `down_revision` or in `depends_on`.
    pub fn is_real_head(&self) -> bool {
        self.node().all_next.is_empty()
    }

    pub fn is_base(&self) -> bool {
        self.node().is_base()
    }

    /// More than one revision names this one as `down_revision`.
    pub fn is_branch_point(&self) -> bool {
        self.node().next.len() > 1
    }

    /// This revision has more than one `down_revision`.
    pub fn is_merge_point(&self) -> bool {
        self.node().is_merge_point()
    }

    /// `nextrev`: the revisions whose `down_revision` names this one.
    pub fn next_revisions(&self) -> &'a [String] {
        &self.node().next
    }

    /// The branch labels naming this revision, its own and those spread from
    /// labelled revisions on its branch.
    pub fn branch_labels(&self) -> &'a [String] {
        &self.node().labels
    }

    /// `_format_down_revision`: `<base>` or the parents joined by `, `.
    pub fn format_down_revision(&self) -> String {
        format_down_revision(&self.node().rev)
    }

    /// `Script._head_only`: the one-line form `history`, `heads` and
    /// `current` print.
    pub fn line(&self, format: LineFormat) -> String {
        let rev = &self.node().rev;
        let mut text = rev.id.clone();
        if format.include_parents {
            text = if rev.depends_on.is_empty() {
                format!("{} -> {text}", self.format_down_revision())
            } else {
                format!("{} ({}) -> {text}", self.format_down_revision(), rev.depends_on.join(", "))
            };
        }
        if format.include_branches && !self.branch_labels().is_empty() {
            text += &format!(" ({})", self.branch_labels().join(", "));
        }
        if self.is_real_head() {
            text += " (head)";
        }
        if self.is_head() && !self.is_real_head() {
            text += " (effective head)";
        }
        if format.current {
            text += " (current)";
        }
        if format.tree_indicators {
            if self.is_branch_point() {
                text += " (branchpoint)";
            }
            if self.is_merge_point() {
                text += " (mergepoint)";
            }
        }
        if format.include_doc {
            text += &format!(", {}", rev.message);
        }
        text
    }

    /// `Script.log_entry`: the verbose block of `history -v`, `show`,
    /// `heads -v` and `current -v`. `longdoc` is the script's whole docstring,
    /// stripped.
    pub fn log_entry(&self, longdoc: &str, current: bool) -> String {
        let rev = &self.node().rev;
        let mut entry = format!(
            "Rev: {}{}{}{}{}\n",
            rev.id,
            if self.is_head() { " (head)" } else { "" },
            if self.is_branch_point() { " (branchpoint)" } else { "" },
            if self.is_merge_point() { " (mergepoint)" } else { "" },
            if current { " (current)" } else { "" },
        );
        let parents_label = if self.is_merge_point() { "Merges" } else { "Parent" };
        entry += &format!("{parents_label}: {}\n", self.format_down_revision());
        if !rev.depends_on.is_empty() {
            entry += &format!("Also depends on: {}\n", rev.depends_on.join(", "));
        }
        if self.is_branch_point() {
            entry += &format!("Branches into: {}\n", self.next_revisions().join(", "));
        }
        if !self.branch_labels().is_empty() {
            entry += &format!("Branch names: {}\n", self.branch_labels().join(", "));
        }
        entry += &format!("Path: {}\n", rev.path);
        let body: Vec<String> = longdoc.lines().map(|para| format!("    {para}")).collect();
        entry += &format!("\n{}\n", body.join("\n"));
        entry
    }
}

/// `Script.__str__`: `0001a -> 0002b (head), add post`.
impl fmt::Display for RevisionRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} -> {}{}{}{}, {}",
            self.format_down_revision(),
            self.id(),
            if self.is_head() { " (head)" } else { "" },
            if self.is_branch_point() { " (branchpoint)" } else { "" },
            if self.is_merge_point() { " (mergepoint)" } else { "" },
            self.revision().message
        )
    }
}

/// One entry of what a symbol denotes (`get_revisions`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Resolved<'a> {
    Revision(RevisionRef<'a>),
    /// The string `"base"`: a walk down past the first revision.
    Base,
    /// Python's `None`: a relative walk that went off the graph.
    None,
}

// ----- command-line targets ----------------------------------------------

/// `alembic upgrade|downgrade REVISION [--sql]` before env.py runs
/// (`command.upgrade` / `command.downgrade`): the `<fromrev>` of a
/// `<fromrev>:<torev>` range (`--sql` only) and the destination.
pub fn split_migration_target(
    direction: Direction,
    revision: &str,
    sql: bool,
) -> Result<(Option<String>, String), CommandError> {
    if revision.contains(':') {
        if !sql {
            return Err(CommandError::Failed("Range revision not allowed".into()));
        }
        let (start, destination) = split_range(revision)?;
        return Ok((Some(start), destination));
    }
    if sql && direction == Direction::Down {
        return Err(CommandError::Failed("downgrade with --sql requires <fromrev>:<torev>".into()));
    }
    Ok((None, revision.to_string()))
}

/// `alembic stamp REVISIONS... [--sql]` before env.py runs: with `--sql`, each
/// may be `<fromrev>:<torev>`, all with the same `<fromrev>`.
pub fn split_stamp_targets(revisions: &[String], sql: bool) -> Result<(Option<String>, Vec<String>), CommandError> {
    if !sql {
        return Ok((None, revisions.to_vec()));
    }
    let mut start: Option<String> = None;
    let mut destinations = Vec::new();
    for revision in revisions {
        let mut destination = revision.clone();
        if revision.contains(':') {
            let (from, to) = split_range(revision)?;
            destination = to;
            match &start {
                None => start = Some(from),
                Some(s) if *s == from => {}
                Some(_) => {
                    return Err(CommandError::Failed(
                        "Stamp operation with --sql only supports a single starting revision at a time".into(),
                    ))
                }
            }
        }
        destinations.push(destination);
    }
    Ok((start, destinations))
}

/// `a, b = text.split(":", 2)`.
fn split_range(text: &str) -> Result<(String, String), CommandError> {
    let parts: Vec<&str> = text.splitn(3, ':').collect();
    match parts.as_slice() {
        [a, b] => Ok((a.to_string(), b.to_string())),
        _ => Err(CommandError::Uncaught(GraphError::TooManyValuesToUnpack)),
    }
}

// ----- small Python facts ------------------------------------------------

/// A match of Alembic's `(?:(.+?)@)?(\w+)?((?:\+|-)\d+)` at the start of a
/// target (anything after the digits is ignored, as `re.match` does).
#[derive(Debug, Clone, PartialEq, Eq)]
struct RelativeTarget {
    branch: Option<String>,
    symbol: Option<String>,
    /// The signed number as written: `+2`, `-1`, `-01`.
    text: String,
    negative: bool,
    /// The digits without leading zeros (`"0"` for zero).
    magnitude: String,
}

impl RelativeTarget {
    fn parse(target: &str) -> Option<RelativeTarget> {
        // The lazy `(.+?)@` tries the earliest `@` that lets the rest match.
        for (at, _) in target.match_indices('@').filter(|(at, _)| *at > 0) {
            if let Some(mut rel) = Self::parse_tail(&target[at + 1..]) {
                rel.branch = Some(target[..at].to_string());
                return Some(rel);
            }
        }
        Self::parse_tail(target)
    }

    fn parse_tail(text: &str) -> Option<RelativeTarget> {
        let word_end = text.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(text.len());
        let (symbol, rest) = text.split_at(word_end);
        let sign = rest.chars().next().filter(|c| *c == '+' || *c == '-')?;
        let digits_len = rest[1..].find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len() - 1);
        if digits_len == 0 {
            return None;
        }
        let digits = &rest[1..1 + digits_len];
        let magnitude = digits.trim_start_matches('0');
        Some(RelativeTarget {
            branch: None,
            symbol: (!symbol.is_empty()).then(|| symbol.to_string()),
            text: rest[..1 + digits_len].to_string(),
            negative: sign == '-' && !magnitude.is_empty(),
            magnitude: if magnitude.is_empty() { "0".into() } else { magnitude.into() },
        })
    }

    /// `%d % abs(relative)`.
    fn count(&self) -> String {
        self.magnitude.clone()
    }

    /// `%s % int(relative)`: `-1`, `0`, `5`.
    fn int_text(&self) -> String {
        if self.negative {
            format!("-{}", self.magnitude)
        } else {
            self.magnitude.clone()
        }
    }

    /// The signed step count (saturating: walks stop at the graph's edge anyway).
    fn steps(&self) -> i64 {
        let n: i64 = self.magnitude.parse().unwrap_or(i64::MAX);
        if self.negative {
            -n
        } else {
            n
        }
    }
}

/// Python's `int(text)` for the decimal strings revision ids could be:
/// surrounding whitespace, a sign, digits with single `_` between them.
fn py_int(text: &str) -> Option<i64> {
    let t = text.trim();
    let (negative, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
        || !digits.chars().all(|c| c.is_ascii_digit() || c == '_')
    {
        return None;
    }
    let magnitude: i64 = digits
        .replace('_', "")
        .trim_start_matches('0')
        .parse()
        .unwrap_or(if digits.chars().all(|c| c == '0' || c == '_') { 0 } else { i64::MAX });
    Some(if negative { -magnitude } else { magnitude })
}

/// `repr()` of a Python string.
fn py_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::new();
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// `repr()` of a tuple of strings: `()`, `('a',)`, `('a', 'b')`.
fn py_tuple_repr(items: &[String]) -> String {
    let parts: Vec<String> = items.iter().map(|s| py_repr(s)).collect();
    match parts.len() {
        1 => format!("({},)", parts[0]),
        _ => format!("({})", parts.join(", ")),
    }
}

fn format_down_revision(rev: &Revision) -> String {
    if rev.has_no_down_revision() {
        "<base>".to_string()
    } else {
        rev.down_revisions.join(", ")
    }
}

/// A branch label as Python's `if branch_label:` sees it.
fn truthy(label: &Option<String>) -> Option<&str> {
    label.as_deref().filter(|l| !l.is_empty())
}

fn push_unique<T: PartialEq + Clone>(v: &mut Vec<T>, item: &T) {
    if !v.contains(item) {
        v.push(item.clone());
    }
}

fn extend_unique<T: PartialEq + Clone>(v: &mut Vec<T>, items: &[T]) {
    for item in items {
        push_unique(v, item);
    }
}

fn dedupe<'a>(items: impl Iterator<Item = &'a String>) -> Vec<String> {
    let mut out = Vec::new();
    for item in items {
        push_unique(&mut out, item);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(t: &str) -> Option<(Option<String>, Option<String>, String)> {
        RelativeTarget::parse(t).map(|r| (r.branch, r.symbol, r.text))
    }

    #[test]
    fn relative_targets_match_alembics_pattern() {
        let s = |x: &str| Some(x.to_string());
        assert_eq!(rel("-1"), Some((None, None, "-1".into())));
        assert_eq!(rel("+2"), Some((None, None, "+2".into())));
        assert_eq!(rel("head-1"), Some((None, s("head"), "-1".into())));
        assert_eq!(rel("0001a+2"), Some((None, s("0001a"), "+2".into())));
        assert_eq!(rel("feature@head-1"), Some((s("feature"), s("head"), "-1".into())));
        assert_eq!(rel("a@b@c-1"), Some((s("a@b"), s("c"), "-1".into())));
        assert_eq!(rel("0001a+2xyz"), Some((None, s("0001a"), "+2".into())));
        assert_eq!(rel("heads"), None);
        assert_eq!(rel("0001a"), None);
        assert_eq!(rel("+"), None);
        assert_eq!(rel("@-1"), None);
        assert_eq!(rel("x@@-1"), Some((s("x@"), None, "-1".into())));
    }

    #[test]
    fn python_int_accepts_what_int_accepts() {
        assert_eq!(py_int("-1"), Some(-1));
        assert_eq!(py_int(" 12 "), Some(12));
        assert_eq!(py_int("0001"), Some(1));
        assert_eq!(py_int("1_0"), Some(10));
        assert_eq!(py_int("0001a"), None);
        assert_eq!(py_int("_1"), None);
        assert_eq!(py_int(""), None);
    }

    #[test]
    fn python_reprs() {
        assert_eq!(py_tuple_repr(&[]), "()");
        assert_eq!(py_tuple_repr(&["a".into()]), "('a',)");
        assert_eq!(py_tuple_repr(&["a".into(), "b".into()]), "('a', 'b')");
        assert_eq!(py_repr("it's"), "\"it's\"");
    }
}
