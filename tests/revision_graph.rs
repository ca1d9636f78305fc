//! The revision graph and version table on the graphs of the oracle's kind-B
//! scenarios: every message, `Running ...` line and version row those
//! transcripts show (`../shared/alembic-oracle/expected/b*/transcript.txt`),
//! written out one behaviour per test. `revision_graph_replay.rs` replays the
//! transcripts themselves; `revision_graph_alembic.rs` compares random graphs
//! with real Alembic.

use driftlab::engine::alembic::graph::{
    split_migration_target, split_stamp_targets, CommandError, CycleKind, Direction, GraphError, LineFormat, Plan,
    PlanError, Resolved, RevSpec, Revision, RevisionError, RevisionMap,
};
use driftlab::engine::alembic::version_table::{
    self, current_heads, offline_statement, HeadMaintainer, VersionChange, VersionTable, CREATE_VERSION_TABLE,
};
use rusqlite::Connection;

fn strings(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn map(revisions: Vec<Revision>) -> RevisionMap {
    RevisionMap::new(revisions).expect("a valid graph")
}

/// b08: three revisions in a line.
fn linear() -> RevisionMap {
    map(vec![
        Revision::new("0001a", &[]).with_message("create user"),
        Revision::new("0002b", &["0001a"]).with_message("create post"),
        Revision::new("0003c", &["0002b"]).with_message("create comment"),
    ])
}

/// b13: two branches from 0001a, optionally merged by 0003m.
fn branches(merged: bool) -> RevisionMap {
    let mut revisions = vec![
        Revision::new("0001a", &[]).with_message("initial"),
        Revision::new("0002a", &["0001a"]).with_message("add phone"),
        Revision::new("0002b", &["0001a"]).with_message("add avatar"),
    ];
    if merged {
        revisions.push(Revision::new("0003m", &["0002a", "0002b"]).with_message("merge"));
    }
    map(revisions)
}

fn logs(plan: &Plan) -> Vec<String> {
    plan.steps.iter().map(|s| s.log_line()).collect()
}

fn failed(result: Result<Plan, PlanError>) -> String {
    match result.expect_err("the command fails").error {
        CommandError::Failed(message) => message,
        other => panic!("expected FAILED, got {other:?}"),
    }
}

/// A database and the command steps run on it, as `alembic upgrade` etc.
/// run them online.
struct Db {
    conn: Connection,
}

impl Db {
    fn new() -> Db {
        Db { conn: Connection::open_in_memory().unwrap() }
    }

    fn rows(&self) -> Vec<String> {
        let mut rows = current_heads(&self.conn).unwrap();
        rows.sort();
        rows
    }

    fn run(&self, map: &RevisionMap, command: &str, target: &str) -> Result<Vec<String>, String> {
        let mut table = VersionTable::open(&self.conn, false).unwrap();
        let heads = table.heads().to_vec();
        let plan = match command {
            "upgrade" => map.upgrade_steps(&heads, target),
            "downgrade" => map.downgrade_steps(&heads, target),
            "stamp" => map.stamp_steps(&heads, &[target.to_string()]),
            other => panic!("no command {other}"),
        }
        .map_err(|e| e.to_string())?;
        for step in &plan.steps {
            table.apply_step(map, step).unwrap();
        }
        Ok(logs(&plan))
    }
}

// ----- b04 current, b05 history, b06 heads/show ---------------------------

#[test]
fn first_upgrade_logs_an_empty_source() {
    let db = Db::new();
    assert_eq!(db.run(&linear(), "upgrade", "0001a").unwrap(), ["Running upgrade  -> 0001a, create user"]);
    assert_eq!(db.rows(), ["0001a"]);
}

#[test]
fn history_lists_newest_first_with_markers() {
    let map = linear();
    let walk = map.walk_revisions(&RevSpec::from("base"), &RevSpec::from("heads")).unwrap();
    let lines: Vec<String> = walk.iter().map(|r| r.line(LineFormat::HISTORY)).collect();
    assert_eq!(
        lines,
        ["0002b -> 0003c (head), create comment", "0001a -> 0002b, create post", "<base> -> 0001a, create user"]
    );
    let current = LineFormat { current: true, ..LineFormat::HISTORY };
    assert_eq!(walk[1].line(current), "0001a -> 0002b (current), create post");
}

#[test]
fn history_ranges_walk_what_b05_shows() {
    let map = linear();
    let ids = |base: RevSpec, head: RevSpec| -> Vec<String> {
        map.walk_revisions(&base, &head).unwrap().iter().map(|r| r.id().to_string()).collect()
    };
    assert_eq!(ids(RevSpec::from("0001a"), RevSpec::from("0002b")), ["0002b", "0001a"]);
    // `-r current:` with 0002b applied: the tuple of current heads as base.
    assert_eq!(ids(RevSpec::from(strings(&["0002b"])), RevSpec::from("heads")), ["0003c", "0002b"]);
    // `-r-1:` walks down one from the heads.
    assert_eq!(ids(RevSpec::from("-1"), RevSpec::from("heads")), ["0003c", "0002b"]);
    // `-r-1:current`.
    assert_eq!(ids(RevSpec::from("-1"), RevSpec::from(strings(&["0002b"]))), ["0002b"]);
    assert_eq!(
        map.walk_revisions(&RevSpec::from("zzzz"), &RevSpec::from("heads")).unwrap_err().to_string(),
        "Can't locate revision identified by 'zzzz'"
    );
}

#[test]
fn history_range_across_branches_is_not_a_range() {
    let map = branches(false);
    assert_eq!(
        map.walk_revisions(&RevSpec::from("0002a"), &RevSpec::from("0002b")).unwrap_err().to_string(),
        "Requested range 0002a:0002b does not refer to ancestor/descendant revisions along the same branch"
    );
}

#[test]
fn heads_show_and_partial_ids() {
    let map = map(vec![
        Revision::new("0001a", &[])
            .with_message("create user")
            .with_path("<PROJECT>/alembic/versions/0001a_create_user.py"),
        Revision::new("0002b", &["0001a"]).with_message("add post"),
    ]);
    assert_eq!(map.heads(), ["0002b"]);
    assert_eq!(map.get("0002b").unwrap().unwrap().line(LineFormat::HEADS), "0002b (head)");
    assert_eq!(map.get("0001").unwrap().unwrap().id(), "0001a");
    assert!(map.show(&RevSpec::from("base")).unwrap().is_empty());
    let heads = map.show(&RevSpec::from("heads")).unwrap();
    assert!(matches!(heads.as_slice(), [Resolved::Revision(r)] if r.id() == "0002b"));
    let entry = map.get("0001a").unwrap().unwrap().log_entry("create user\n\nRevision ID: 0001a", false);
    assert_eq!(
        entry,
        "Rev: 0001a\nParent: <base>\nPath: <PROJECT>/alembic/versions/0001a_create_user.py\n\n    create user\n    \n    Revision ID: 0001a\n"
    );
}

#[test]
fn empty_project_has_nothing_to_show() {
    let map = map(Vec::new());
    assert!(map.heads().is_empty());
    assert!(map.show(&RevSpec::from("head")).unwrap().is_empty());
    assert!(map.walk_revisions(&RevSpec::from("base"), &RevSpec::from("heads")).unwrap().is_empty());
}

// ----- b07 offline SQL ----------------------------------------------------

/// What `--sql` prints of the version table and step comments.
fn offline(map: &RevisionMap, start: &[String], plan: &Plan) -> String {
    let mut maintainer = HeadMaintainer::new(start);
    let mut out = String::new();
    for step in &plan.steps {
        if maintainer.heads().is_empty() {
            out += &offline_statement(CREATE_VERSION_TABLE);
        }
        out += &format!("{}\n\n", step.offline_comment());
        for change in maintainer.changes_for_step(map, step).unwrap() {
            out += &change.offline_sql();
        }
    }
    out
}

fn two_revisions() -> RevisionMap {
    map(vec![
        Revision::new("0001a", &[]).with_message("create user"),
        Revision::new("0002b", &["0001a"]).with_message("add post and email"),
    ])
}

#[test]
fn offline_upgrade_creates_the_table_inserts_then_updates() {
    let map = two_revisions();
    let (start, destination) = split_migration_target(Direction::Up, "head", true).unwrap();
    let heads = map.offline_start_heads(start.as_deref()).unwrap();
    let plan = map.upgrade_steps(&heads, &destination).unwrap();
    assert_eq!(
        offline(&map, &heads, &plan),
        "CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);\n\n\
         -- Running upgrade  -> 0001a\n\n\
         INSERT INTO alembic_version (version_num) VALUES ('0001a') RETURNING version_num;\n\n\
         -- Running upgrade 0001a -> 0002b\n\n\
         UPDATE alembic_version SET version_num='0002b' WHERE alembic_version.version_num = '0001a';\n\n"
    );
    assert_eq!(
        logs(&plan),
        ["Running upgrade  -> 0001a, create user", "Running upgrade 0001a -> 0002b, add post and email"]
    );
}

#[test]
fn offline_ranges_start_from_their_first_revision() {
    let map = two_revisions();
    let (start, destination) = split_migration_target(Direction::Up, "0001a:head", true).unwrap();
    assert_eq!((start.as_deref(), destination.as_str()), (Some("0001a"), "head"));
    let heads = map.offline_start_heads(start.as_deref()).unwrap();
    let plan = map.upgrade_steps(&heads, &destination).unwrap();
    assert_eq!(
        offline(&map, &heads, &plan),
        "-- Running upgrade 0001a -> 0002b\n\n\
         UPDATE alembic_version SET version_num='0002b' WHERE alembic_version.version_num = '0001a';\n\n"
    );

    let (start, destination) = split_migration_target(Direction::Down, "head:base", true).unwrap();
    let heads = map.offline_start_heads(start.as_deref()).unwrap();
    let plan = map.downgrade_steps(&heads, &destination).unwrap();
    assert_eq!(
        offline(&map, &heads, &plan),
        "-- Running downgrade 0002b -> 0001a\n\n\
         UPDATE alembic_version SET version_num='0001a' WHERE alembic_version.version_num = '0002b';\n\n\
         -- Running downgrade 0001a -> \n\n\
         DELETE FROM alembic_version WHERE alembic_version.version_num = '0001a';\n\n"
    );
    assert_eq!(logs(&plan)[1], "Running downgrade 0001a -> , create user");
}

#[test]
fn offline_stamp_inserts_the_head() {
    let map = two_revisions();
    let (start, destinations) = split_stamp_targets(&strings(&["head"]), true).unwrap();
    let heads = map.offline_start_heads(start.as_deref()).unwrap();
    let plan = map.stamp_steps(&heads, &destinations).unwrap();
    assert_eq!(logs(&plan), ["Running stamp_revision  -> 0002b"]);
    assert!(offline(&map, &heads, &plan).ends_with(
        "-- Running stamp_revision  -> 0002b\n\nINSERT INTO alembic_version (version_num) VALUES ('0002b') RETURNING version_num;\n\n"
    ));
}

#[test]
fn range_and_sql_argument_errors() {
    let failed = |r: Result<(Option<String>, String), CommandError>| r.unwrap_err().to_string();
    assert_eq!(
        failed(split_migration_target(Direction::Down, "-1", true)),
        "downgrade with --sql requires <fromrev>:<torev>"
    );
    assert_eq!(failed(split_migration_target(Direction::Up, "0001a:head", false)), "Range revision not allowed");
    assert_eq!(failed(split_migration_target(Direction::Down, "a:b", false)), "Range revision not allowed");
    let err = split_migration_target(Direction::Up, "a:b:c", true).unwrap_err();
    assert_eq!(err, CommandError::Uncaught(GraphError::TooManyValuesToUnpack));
    assert_eq!(err.to_string(), "ValueError: too many values to unpack (expected 2)");
    assert_eq!(
        split_stamp_targets(&strings(&["a:x", "b:y"]), true).unwrap_err().to_string(),
        "Stamp operation with --sql only supports a single starting revision at a time"
    );
}

// ----- b08 relative moves -------------------------------------------------

#[test]
fn relative_moves_walk_the_line_as_b08_records() {
    let map = linear();
    let db = Db::new();
    let run = |command: &str, target: &str| db.run(&map, command, target);
    assert_eq!(run("upgrade", "head").unwrap().len(), 3);
    assert_eq!(run("downgrade", "-1").unwrap(), ["Running downgrade 0003c -> 0002b, create comment"]);
    assert_eq!(
        run("downgrade", "base").unwrap(),
        ["Running downgrade 0002b -> 0001a, create post", "Running downgrade 0001a -> , create user"]
    );
    assert_eq!(run("upgrade", "+1").unwrap(), ["Running upgrade  -> 0001a, create user"]);
    assert_eq!(run("upgrade", "+1").unwrap(), ["Running upgrade 0001a -> 0002b, create post"]);
    assert_eq!(run("upgrade", "0003").unwrap(), ["Running upgrade 0002b -> 0003c, create comment"]);
    assert_eq!(
        run("downgrade", "0001").unwrap(),
        ["Running downgrade 0003c -> 0002b, create comment", "Running downgrade 0002b -> 0001a, create post"]
    );
    assert_eq!(
        run("upgrade", "0001a+2").unwrap(),
        ["Running upgrade 0001a -> 0002b, create post", "Running upgrade 0002b -> 0003c, create comment"]
    );
    assert_eq!(run("downgrade", "head-1").unwrap(), ["Running downgrade 0003c -> 0002b, create comment"]);
    assert_eq!(run("upgrade", "+5").unwrap_err(), "Relative revision +5 didn't produce 5 migrations");
    assert_eq!(run("downgrade", "-5").unwrap_err(), "Relative revision -5 didn't produce 5 migrations");
    assert_eq!(run("upgrade", "head").unwrap(), ["Running upgrade 0002b -> 0003c, create comment"]);
    assert!(run("upgrade", "head").unwrap().is_empty());
    assert_eq!(run("downgrade", "base").unwrap().len(), 3);
    assert!(run("downgrade", "base").unwrap().is_empty());
    assert!(db.rows().is_empty());
}

#[test]
fn walking_past_the_base_from_a_named_revision_walks_too_far() {
    let map = linear();
    let current = strings(&["0003c"]);
    assert_eq!(failed(map.downgrade_steps(&current, "0001a-2")), "Walked too far");
    assert_eq!(failed(map.downgrade_steps(&current, "0002b+5")), "Walked too far");
}

#[test]
fn downgrading_to_a_revision_not_below_the_heads_is_refused() {
    let map = linear();
    assert_eq!(
        failed(map.downgrade_steps(&strings(&["0001a"]), "0002b")),
        "Destination 0002b is not a valid downgrade target from current head(s)"
    );
}

// ----- b09 stamp ----------------------------------------------------------

#[test]
fn stamp_moves_rows_without_migrations() {
    let map = map(vec![Revision::new("0001a", &[]).with_message("initial")]);
    let db = Db::new();
    assert_eq!(db.run(&map, "stamp", "head").unwrap(), ["Running stamp_revision  -> 0001a"]);
    assert_eq!(db.rows(), ["0001a"]);
    assert!(db.run(&map, "upgrade", "head").unwrap().is_empty());
    assert_eq!(db.run(&map, "stamp", "base").unwrap(), ["Running stamp_revision 0001a -> "]);
    assert!(db.rows().is_empty());
    assert_eq!(db.run(&map, "stamp", "0001a").unwrap(), ["Running stamp_revision  -> 0001a"]);
    // `--purge` empties the table first, so the head is stamped anew.
    let mut table = VersionTable::open(&db.conn, true).unwrap();
    let plan = map.stamp_steps(table.heads(), &strings(&["head"])).unwrap();
    assert_eq!(logs(&plan), ["Running stamp_revision  -> 0001a"]);
    table.apply_step(&map, &plan.steps[0]).unwrap();
    assert_eq!(db.rows(), ["0001a"]);
}

#[test]
fn opening_the_table_creates_it_as_sqlalchemy_does() {
    let db = Db::new();
    assert!(!version_table::has_table(&db.conn).unwrap());
    VersionTable::open(&db.conn, false).unwrap();
    let sql: String =
        db.conn.query_row("SELECT sql FROM sqlite_master WHERE name = 'alembic_version'", [], |r| r.get(0)).unwrap();
    assert_eq!(
        sql,
        "CREATE TABLE alembic_version (\n\tversion_num VARCHAR(32) NOT NULL, \n\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n)"
    );
}

// ----- b12 duplicate revision id ------------------------------------------

#[test]
fn reusing_a_rev_id_is_a_self_loop() {
    // `revision --rev-id 0003c` on top of head 0003c writes a script whose
    // down_revision is itself.
    let err = RevisionMap::new(vec![
        Revision::new("0001a", &[]),
        Revision::new("0002b", &["0001a"]),
        Revision::new("0003c", &["0003c"]).with_message("duplicate"),
        Revision::new("0003c", &["0002b"]).with_message("manual step"),
    ])
    .unwrap_err();
    assert_eq!(err.to_string(), "Self-loop is detected in revisions (0003c)");
    assert_eq!(
        err.error.exception_line(),
        "alembic.script.revision.LoopDetected: Self-loop is detected in revisions (0003c)"
    );
    // Where a command catches revision errors it is a FAILED line instead.
    assert_eq!(CommandError::from(err).to_string(), "Self-loop is detected in revisions (0003c)");
}

#[test]
fn a_repeated_id_warns_and_the_later_script_wins() {
    let map = RevisionMap::new(vec![
        Revision::new("0001a", &[]),
        Revision::new("0002b", &["0001a"]).with_message("first"),
        Revision::new("0002b", &["0001a"]).with_message("second"),
    ])
    .unwrap();
    assert_eq!(map.warnings()[0].message, "Revision 0002b is present more than once");
    assert_eq!(map.get("0002b").unwrap().unwrap().revision().message, "second");
    // Alembic keeps the earlier script in its head set too.
    assert_eq!(map.heads(), ["0002b", "0002b"]);
}

#[test]
fn a_missing_down_revision_warns_then_fails_with_key_error() {
    let err = RevisionMap::new(vec![
        Revision::new("0001a", &[]),
        Revision::new("0002b", &["zzzz"]).with_message("add avatar"),
    ])
    .unwrap_err();
    assert_eq!(err.error, GraphError::KeyError("zzzz".into()));
    assert_eq!(err.error.exception_line(), "KeyError: 'zzzz'");
    assert_eq!(
        err.warnings[0].message,
        "Revision zzzz referenced from zzzz -> 0002b (head), add avatar is not present"
    );
    assert_eq!(err.warnings[0].line, 236);
}

#[test]
fn graph_errors_read_as_alembic_words_them() {
    let load = |revisions: Vec<Revision>| RevisionMap::new(revisions).unwrap_err().to_string();
    assert_eq!(
        load(vec![Revision::new("a1", &["b2"]), Revision::new("b2", &["a1"]), Revision::new("c3", &[])]),
        "Cycle is detected in revisions (a1, b2)"
    );
    assert_eq!(
        load(vec![Revision::new("a1", &[]).with_depends_on(&["a1"])]),
        "Dependency self-loop is detected in revisions (a1)"
    );
    assert_eq!(load(vec![Revision::new("a-1@", &[])]), "Character(s) '-, @' not allowed in revision identifier 'a-1@'");
    assert_eq!(
        load(vec![
            Revision::new("a1", &[]).with_branch_labels(&["x"]),
            Revision::new("b2", &["a1"]).with_branch_labels(&["x"])
        ]),
        "Branch name 'x' in revision b2 already used by revision a1"
    );
    let e = RevisionError::CycleDetected { kind: CycleKind::DependencyCycle, revisions: strings(&["a", "b"]) };
    assert_eq!(e.to_string(), "Dependency cycle is detected in revisions (a, b)");
}

// ----- b13 multiple heads and merges --------------------------------------

#[test]
fn head_is_ambiguous_with_two_branches() {
    let map = branches(false);
    assert_eq!(map.heads(), ["0002a", "0002b"]);
    assert!(!map.get("0001a").unwrap().unwrap().is_head());
    assert_eq!(map.get("0001a").unwrap().unwrap().line(LineFormat::CURRENT), "0001a (branchpoint)");
    assert_eq!(
        failed(map.upgrade_steps(&strings(&["0001a"]), "head")),
        "Multiple head revisions are present for given argument 'head'; please specify a specific target revision, \
         '<branchname>@head' to narrow to a specific head, or 'heads' for all heads"
    );
    assert_eq!(
        failed(map.stamp_steps(&strings(&["0001a"]), &strings(&["head"]))),
        "Multiple heads are present; please specify a single target revision"
    );
}

#[test]
fn upgrade_heads_runs_both_branches_in_alembics_order() {
    // The transcript sorts these lines; real Alembic runs 0002b first (the
    // topological sort of the load-ordered heads, reversed).
    let db = Db::new();
    let map = branches(false);
    db.run(&map, "upgrade", "0001a").unwrap();
    assert_eq!(
        db.run(&map, "upgrade", "heads").unwrap(),
        ["Running upgrade 0001a -> 0002b, add avatar", "Running upgrade 0001a -> 0002a, add phone"]
    );
    assert_eq!(db.rows(), ["0002a", "0002b"]);
    let current: Vec<String> =
        map.all_current(&db.rows()).unwrap().iter().map(|r| r.line(LineFormat::CURRENT)).collect();
    assert_eq!(current, ["0002a (head)", "0002b (head)"]);
}

#[test]
fn merge_upgrade_deletes_one_parent_row_and_updates_the_other() {
    let map = branches(true);
    let db = Db::new();
    db.run(&map, "upgrade", "0002a").unwrap();
    db.run(&map, "upgrade", "0002b").unwrap();
    let mut table = VersionTable::open(&db.conn, false).unwrap();
    let plan = map.upgrade_steps(table.heads(), "head").unwrap();
    assert_eq!(logs(&plan), ["Running upgrade 0002a, 0002b -> 0003m, merge"]);
    assert_eq!(
        table.apply_step(&map, &plan.steps[0]).unwrap(),
        [VersionChange::Delete("0002a".into()), VersionChange::Update { from: "0002b".into(), to: "0003m".into() }]
    );
    assert_eq!(db.rows(), ["0003m"]);
    assert_eq!(map.get("0003m").unwrap().unwrap().line(LineFormat::CURRENT), "0003m (head) (mergepoint)");
    assert_eq!(
        map.get("0003m").unwrap().unwrap().line(LineFormat::HISTORY),
        "0002a, 0002b -> 0003m (head) (mergepoint), merge"
    );
}

#[test]
fn leaving_a_merge_point() {
    let map = branches(true);
    let db = Db::new();
    db.run(&map, "upgrade", "heads").unwrap();
    assert_eq!(db.run(&map, "downgrade", "-1").unwrap_err(), "Ambiguous walk");
    assert_eq!(db.run(&map, "downgrade", "0002a").unwrap(), ["Running downgrade 0003m -> 0002a, 0002b, merge"]);
    assert_eq!(db.rows(), ["0002a", "0002b"]);
    let mut lines = db.run(&map, "downgrade", "0001a").unwrap();
    lines.sort();
    assert_eq!(lines, ["Running downgrade 0002a -> 0001a, add phone", "Running downgrade 0002b -> 0001a, add avatar"]);
    assert_eq!(db.rows(), ["0001a"]);
}

#[test]
fn a_merge_of_one_line_leaves_a_redundant_row_when_undone_beside_another_branch() {
    // Real Alembic 1.20 does this too: `_unmerge_to_revisions` drops only the
    // parents below the *other* heads, so 0001a comes back beside 0002a, and
    // the next upgrade refuses the overlapping rows.
    let map = map(vec![
        Revision::new("0001a", &[]),
        Revision::new("0002a", &["0001a"]),
        Revision::new("0003m", &["0002a", "0001a"]),
        Revision::new("0009x", &[]),
    ]);
    let db = Db::new();
    db.run(&map, "upgrade", "heads").unwrap();
    assert_eq!(db.rows(), ["0003m", "0009x"]);
    db.run(&map, "downgrade", "0002a").unwrap();
    assert_eq!(db.rows(), ["0001a", "0002a", "0009x"]);
    assert_eq!(
        db.run(&map, "upgrade", "heads").unwrap_err(),
        "Requested revision 0002a overlaps with other requested revisions 0001a"
    );
}

#[test]
fn downgrade_minus_one_from_two_heads_warns() {
    let map = branches(false);
    let plan = map.downgrade_steps(&strings(&["0002a", "0002b"]), "-1").unwrap();
    assert_eq!(
        plan.warnings[0].message,
        "downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in a future release."
    );
    assert_eq!(logs(&plan), ["Running downgrade 0002a -> 0001a, add phone"]);
}

#[test]
fn branch_labels_narrow_head() {
    let map = map(vec![
        Revision::new("0001a", &[]),
        Revision::new("0002a", &["0001a"]).with_branch_labels(&["phone"]),
        Revision::new("0002b", &["0001a"]),
        Revision::new("0003a", &["0002a"]),
    ]);
    assert_eq!(map.get("phone@head").unwrap().unwrap().id(), "0003a");
    assert_eq!(map.get("0003a").unwrap().unwrap().branch_labels(), ["phone"]);
    assert_eq!(logs(&map.upgrade_steps(&strings(&["0001a"]), "phone@head").unwrap()).len(), 2);
    assert_eq!(failed(map.upgrade_steps(&[], "nope@head")), "Can't locate revision identified by 'nope'");
}

#[test]
fn current_rows_that_overlap_are_reported() {
    let map = linear();
    assert_eq!(
        failed(map.upgrade_steps(&strings(&["0002b", "0001a"]), "head")),
        "Requested revision 0002b overlaps with other requested revisions 0001a"
    );
}

// ----- b15 bad revisions --------------------------------------------------

#[test]
fn unknown_and_wrong_direction_targets() {
    let map = map(vec![Revision::new("0001a", &[]).with_message("initial")]);
    let current = strings(&["0001a"]);
    assert_eq!(failed(map.downgrade_steps(&current, "zzzz")), "Can't locate revision identified by 'zzzz'");
    assert_eq!(failed(map.upgrade_steps(&current, "zzzz")), "Can't locate revision identified by 'zzzz'");
    assert_eq!(failed(map.downgrade_steps(&current, "9999")), "Can't locate revision identified by '9999'");
    assert_eq!(map.show(&RevSpec::from("zzzz")).unwrap_err().to_string(), "Can't locate revision identified by 'zzzz'");
    assert_eq!(failed(map.stamp_steps(&current, &strings(&["zzzz"]))), "Can't locate revision identified by 'zzzz'");
    assert_eq!(failed(map.downgrade_steps(&current, "+1")), "Relative revision +1 didn't produce 1 migrations");
    assert_eq!(failed(map.upgrade_steps(&current, "-1")), "Relative revision -1 didn't produce 1 migrations");
    // Two characters are enough for a partial id.
    assert!(map.upgrade_steps(&current, "00").unwrap().steps.is_empty());
}

#[test]
fn an_ambiguous_partial_id_cannot_be_located() {
    let map = map(vec![Revision::new("0001a", &[]), Revision::new("0001b", &[])]);
    assert_eq!(map.heads(), ["0001a", "0001b"]);
    assert_eq!(failed(map.upgrade_steps(&strings(&["0001a"]), "0001")), "Can't locate revision identified by '0001'");
    // The message inside, which commands replace with the one above.
    match map.get("0001").unwrap_err() {
        GraphError::Revision(e @ RevisionError::Resolution { .. }) => {
            assert_eq!(e.to_string(), "Multiple revisions start with '0001': '0001a', '0001b'...")
        }
        other => panic!("{other:?}"),
    }
    match map.get("zz").unwrap_err() {
        GraphError::Revision(e) => assert_eq!(
            e.to_string(),
            "No such revision or branch 'zz'; please ensure at least four characters are present for partial revision identifier matches"
        ),
        other => panic!("{other:?}"),
    }
}

// ----- b20 empty project --------------------------------------------------

#[test]
fn an_empty_project_has_no_steps() {
    let map = map(Vec::new());
    assert!(map.upgrade_steps(&[], "head").unwrap().steps.is_empty());
    assert!(map.downgrade_steps(&[], "base").unwrap().steps.is_empty());
    assert_eq!(failed(map.downgrade_steps(&[], "-1")), "Relative revision -1 didn't produce 1 migrations");
    assert!(map.stamp_steps(&[], &strings(&["head"])).unwrap().steps.is_empty());
}

#[test]
fn step_text_forms() {
    let map = branches(true);
    let plan = map.downgrade_steps(&strings(&["0003m"]), "0002a").unwrap();
    let step = &plan.steps[0];
    assert_eq!(step.to_string(), "downgrade 0003m -> 0002a, 0002b, merge");
    assert_eq!(step.short_log(), "downgrade 0003m -> 0002a, 0002b");
    assert_eq!(step.offline_comment(), "-- Running downgrade 0003m -> 0002a, 0002b");
    assert_eq!(step.revision(), Some("0003m"));
    assert_eq!(step.name(), "downgrade");
}
