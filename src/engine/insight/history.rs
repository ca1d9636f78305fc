//! The History view's engine: the revision graph as data for drawing —
//! nodes with their facts (head, base, current, branch point, merge), edges,
//! and a deterministic layout (rows in `alembic history` order, branches in
//! lanes side by side, merges joined) — and the schema at a revision,
//! computed by applying the migrations from base on a scratch empty SQLite,
//! with its diff (`schema::diff`) to the schema before it. Never changes
//! the project.

use std::collections::HashSet;

use crate::engine::alembic::env::{self, StepError, Versions, VersionsError};
use crate::engine::alembic::graph::{CommandError, RevSpec};
use crate::engine::alembic::version_table::{self, VersionTable};
use crate::engine::db;
use crate::engine::environ::{Environ, PythonEnv};
use crate::engine::project::Project;
use crate::engine::schema::{self, ColumnInfo, DatabaseInfo, MarkedTable, SchemaChanges, TableInfo};
use crate::engine::session::Session;

/// The revision graph, laid out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct History {
    /// In `alembic history` order: heads first, base last; `row` is the index.
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// How many lanes (columns) the layout uses.
    pub lanes: usize,
    pub heads: Vec<String>,
    /// The database's current revisions (its `alembic_version` rows).
    pub current: Vec<String>,
    /// Whether the database has an `alembic_version` table.
    pub under_alembic: bool,
    /// Why the database's revision isn't known (it can't be opened), if so.
    pub database_problem: Option<String>,
}

/// One revision.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Node {
    pub id: String,
    /// The docstring's first paragraph (the `-m` message).
    pub message: String,
    pub down_revisions: Vec<String>,
    pub depends_on: Vec<String>,
    pub branch_labels: Vec<String>,
    /// Project-relative path of the revision file.
    pub path: String,
    pub is_head: bool,
    pub is_base: bool,
    /// The database is at this revision.
    pub is_current: bool,
    /// This revision or a descendant is current: applied to the database.
    pub is_applied: bool,
    /// Several revisions follow this one.
    pub is_branch_point: bool,
    /// This revision follows several (`alembic merge`).
    pub is_merge: bool,
    pub row: usize,
    pub column: usize,
}

/// A line from a revision to one it follows.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// The later revision.
    pub from: String,
    /// The revision it follows (its `down_revision`, or a `depends_on`).
    pub to: String,
    pub kind: EdgeKind,
    /// The route in grid units `(column, row)`, from `from` to `to`: it runs
    /// in its lane between the rows, so it never crosses another node.
    pub points: Vec<(f32, f32)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    DownRevision,
    DependsOn,
}

impl History {
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// A stable text drawing of the graph (tests, debugging): one line per
    /// row, lanes as columns.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        for node in &self.nodes {
            let mut lanes = vec![' '; self.lanes];
            for edge in &self.edges {
                if edge.kind != EdgeKind::DownRevision {
                    continue;
                }
                // A lane passing through this row.
                for pair in edge.points.windows(2) {
                    let ((c0, r0), (c1, r1)) = (pair[0], pair[1]);
                    if c0 == c1 && r0 < node.row as f32 && (node.row as f32) < r1 {
                        lanes[c0 as usize] = '|';
                    }
                }
            }
            lanes[node.column] = if node.is_current { '@' } else { 'o' };
            let mut marks = Vec::new();
            if node.is_head {
                marks.push("head");
            }
            if node.is_base {
                marks.push("base");
            }
            if node.is_branch_point {
                marks.push("branchpoint");
            }
            if node.is_merge {
                marks.push("merge");
            }
            if node.is_applied && !node.is_current {
                marks.push("applied");
            }
            let lanes: String = lanes.into_iter().collect();
            out.push_str(&format!(
                "{} {} <- [{}] {:?} ({})\n",
                lanes.trim_end(),
                node.id,
                node.down_revisions.join(", "),
                node.message,
                marks.join(", ")
            ));
        }
        out
    }
}

/// The history of a session's project.
pub fn history_for(session: &Session) -> Result<History, String> {
    history(&session.project, session.root(), &session.environment())
}

/// The revision graph of the project's versions folder and where the
/// database stands in it. `Err`: why there is no graph to draw (Alembic not
/// set up, a script that doesn't load, a broken revision map).
/// `environ`: the environment a command would run with (`ALEMBIC_CONFIG`,
/// the URL env.py reads).
pub fn history(project: &Project, root: &str, environ: &Environ) -> Result<History, String> {
    let config = env::load_config(project, "", root, env::config_from_environment(environ).as_deref()).map_err(|failed| {
        if project.is_file("alembic.ini") {
            failed.stdout.trim().trim_start_matches("FAILED: ").to_string()
        } else {
            "Alembic isn't set up yet: run `alembic init alembic`".to_string()
        }
    })?;
    let versions = load(project, root, &config)?;
    let mut history = History { heads: versions.map.heads().to_vec(), ..History::default() };

    let environment = env::load_environment(project, "", root, &config, &PythonEnv::new(project, environ));
    match env::connect(project, &environment.database) {
        Ok(conn) => {
            history.under_alembic = version_table::has_table(&conn).unwrap_or(false);
            history.current = env::current_heads(&conn).unwrap_or_default();
        }
        Err(e) => history.database_problem = Some(e.message().to_string()),
    }
    let applied: HashSet<String> = versions.map.ancestor_ids(&history.current).unwrap_or_default().into_iter().collect();

    let walked = versions
        .map
        .walk_revisions(&RevSpec::from("base"), &RevSpec::from("heads"))
        .map_err(|e| e.to_string())?;
    for (row, rev) in walked.iter().enumerate() {
        let r = rev.revision();
        let id = rev.id().to_string();
        history.nodes.push(Node {
            message: r.message.clone(),
            down_revisions: r.down_revisions.clone(),
            depends_on: r.depends_on.clone(),
            branch_labels: rev.branch_labels().to_vec(),
            path: versions.script(&id).map(|s| s.path.clone()).unwrap_or_default(),
            is_head: rev.is_head(),
            is_base: rev.is_base(),
            is_current: history.current.contains(&id),
            is_applied: applied.contains(&id),
            is_branch_point: rev.is_branch_point(),
            is_merge: rev.is_merge_point(),
            row,
            column: 0,
            id,
        });
    }
    layout(&mut history);
    Ok(history)
}

fn load(project: &Project, root: &str, config: &env::Config) -> Result<Versions, String> {
    env::load_versions(project, root, config).map_err(|e| match e {
        VersionsError::Syntax(d) => format!("{}:{}:{}: {}", d.file, d.line, d.col, d.message),
        VersionsError::Graph(e) => CommandError::from(e).to_string(),
    })
}

/// Lanes, top (heads) to bottom (base), as `git log --graph` lays out
/// branches: a lane waits for the revision a drawn line leads to; a
/// revision takes the leftmost lane waiting for it (a branch point closes
/// the others), or the first free lane (a head); its first down revision
/// continues its lane, each further one (a merge) opens a lane of its own.
fn layout(history: &mut History) {
    let row_of = |id: &str, nodes: &[Node]| nodes.iter().position(|n| n.id == id);
    let mut lanes: Vec<Option<String>> = Vec::new();
    // For each edge (child row, parent id): the lane it runs in.
    let mut routed: Vec<(usize, String, usize)> = Vec::new();
    for row in 0..history.nodes.len() {
        let id = history.nodes[row].id.clone();
        let waiting: Vec<usize> = lanes.iter().enumerate().filter(|(_, l)| l.as_deref() == Some(&id)).map(|(i, _)| i).collect();
        let column = match waiting.first() {
            Some(&c) => c,
            None => match lanes.iter().position(Option::is_none) {
                Some(free) => free,
                None => {
                    lanes.push(None);
                    lanes.len() - 1
                }
            },
        };
        for &c in &waiting {
            lanes[c] = None;
        }
        history.nodes[row].column = column;
        let parents = history.nodes[row].down_revisions.clone();
        for (i, parent) in parents.iter().enumerate() {
            // A parent below that is already awaited: join its lane.
            let lane = if let Some(existing) = lanes.iter().position(|l| l.as_deref() == Some(parent.as_str())) {
                existing
            } else if i == 0 && lanes[column].is_none() {
                column
            } else {
                match lanes.iter().enumerate().position(|(c, l)| l.is_none() && c != column) {
                    Some(free) => free,
                    None => {
                        lanes.push(None);
                        lanes.len() - 1
                    }
                }
            };
            lanes[lane] = Some(parent.clone());
            routed.push((row, parent.clone(), lane));
        }
    }
    history.lanes = lanes.len().max(1);
    let nodes = &history.nodes;
    let mut edges = Vec::new();
    for (row, parent, lane) in routed {
        let Some(parent_row) = row_of(&parent, nodes) else { continue };
        let child = &nodes[row];
        let (c0, r0, c1, r1) = (child.column as f32, row as f32, nodes[parent_row].column as f32, parent_row as f32);
        let lane = lane as f32;
        let mut points = vec![(c0, r0)];
        if parent_row > row + 1 {
            if lane != c0 {
                points.push((lane, r0 + 1.0));
            }
            if lane != c1 {
                points.push((lane, r1 - 1.0));
            }
        }
        points.push((c1, r1));
        points.dedup();
        edges.push(Edge { from: child.id.clone(), to: parent, kind: EdgeKind::DownRevision, points });
    }
    for child in nodes {
        for dep in &child.depends_on {
            let Some(parent_row) = row_of(dep, nodes) else { continue };
            let parent = &nodes[parent_row];
            edges.push(Edge {
                from: child.id.clone(),
                to: dep.clone(),
                kind: EdgeKind::DependsOn,
                points: vec![(child.column as f32, child.row as f32), (parent.column as f32, parent.row as f32)],
            });
        }
    }
    history.edges = edges;
}

/// The schema at a revision and what its migration changed.
#[derive(Debug, Clone, PartialEq)]
pub struct RevisionSchema {
    /// The revision id (a symbol such as `head` resolved).
    pub revision: String,
    /// The scratch database after upgrading from base to the revision.
    pub bytes: Vec<u8>,
    /// The schema at its down revision(s) and at the revision itself, the
    /// `alembic_version` bookkeeping left out.
    pub before: DatabaseInfo,
    pub after: DatabaseInfo,
    /// From `before` to `after` (rows too: a data migration changes counts).
    pub changes: SchemaChanges,
}

impl RevisionSchema {
    /// The tables at the revision, by name.
    pub fn tables(&self) -> &[TableInfo] {
        &self.after.tables
    }

    /// The tables at the revision and those it removed, each item marked
    /// with how the revision changed it.
    pub fn marked(&self) -> Vec<MarkedTable> {
        schema::annotate(&self.before, &self.after)
    }
}

/// `VARCHAR(255) NOT NULL DEFAULT 'x' PK`, as the column is declared.
pub fn column_text(c: &ColumnInfo) -> String {
    let mut text = if c.declared_type.is_empty() { "(no type)".to_string() } else { c.declared_type.clone() };
    if c.not_null {
        text.push_str(" NOT NULL");
    }
    if let Some(d) = &c.default {
        text.push_str(&format!(" DEFAULT {d}"));
    }
    if c.primary_key > 0 {
        text.push_str(" PK");
    }
    text
}

/// The schema at a session's revision.
pub fn schema_at_revision_for(session: &Session, rev: &str) -> Result<RevisionSchema, String> {
    schema_at_revision(&session.project, session.root(), rev)
}

/// Upgrades a scratch empty SQLite database from base to `rev` with the
/// project's migrations, as `alembic upgrade REV` would (the project's own
/// database is never opened), and diffs the schema before the revision's
/// own step (its down revisions applied) with the schema after it.
pub fn schema_at_revision(project: &Project, root: &str, rev: &str) -> Result<RevisionSchema, String> {
    let config = env::load_config(project, "", root, None).map_err(|f| f.stdout.trim().trim_start_matches("FAILED: ").to_string())?;
    let versions = load(project, root, &config)?;
    let plan = versions.map.upgrade_steps(&[], rev).map_err(|e| e.error.to_string())?;
    let mut conn = db::open(&[]).map_err(|e| e.to_string())?;
    version_table::ensure(&conn).map_err(|e| e.to_string())?;
    let mut before = DatabaseInfo::default();
    for (i, step) in plan.steps.iter().enumerate() {
        if i + 1 == plan.steps.len() {
            before = schema_of(&db::to_bytes(&mut conn).map_err(|e| e.to_string())?)?;
        }
        // Opened per step (it reads the rows back), so the connection is free in between.
        let mut table = VersionTable::open(&conn, false).map_err(|e| e.to_string())?;
        let (result, _) = env::run_step(&conn, &versions, &mut table, step);
        result.map_err(|e| step_failure(step.revision().unwrap_or(rev), e))?;
    }
    let bytes = db::to_bytes(&mut conn).map_err(|e| e.to_string())?;
    let after = schema_of(&bytes)?;
    let changes = schema::diff(&before, &after);
    let revision = plan.steps.last().and_then(|s| s.revision()).unwrap_or(rev).to_string();
    Ok(RevisionSchema { revision, bytes, before, after, changes })
}

fn step_failure(id: &str, error: StepError) -> String {
    match error {
        StepError::Failed(message) => format!("{id} can't be applied: {message}"),
        StepError::Apply(e) => {
            let text = e.to_string();
            format!("upgrading to {id} fails: {}", text.lines().next().unwrap_or_default())
        }
        StepError::VersionTable(line) => format!("{id}: {line}"),
    }
}

/// A description of the scratch database without Alembic's bookkeeping.
fn schema_of(bytes: &[u8]) -> Result<DatabaseInfo, String> {
    let mut info = schema::describe_database(bytes)?;
    info.tables.retain(|t| !t.alembic);
    info.alembic_version = None;
    Ok(info)
}
