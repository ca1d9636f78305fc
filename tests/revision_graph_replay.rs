//! Replays every kind-B transcript of the Alembic oracle
//! (`../shared/alembic-oracle/expected/b*/transcript.json`) at the level of
//! the revision graph and the version table: the scripts that exist at each
//! step, the rows `alembic_version` holds, and for every `upgrade`,
//! `downgrade`, `stamp`, `history`, `heads`, `current`, `show` and `branches`
//! the `Running ...` lines, `--sql` version statements, listed revisions and
//! `FAILED:` messages real Alembic 1.20 printed. Output of other layers
//! (autogenerate, DDL, tracebacks' frames) is not compared here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use driftlab::engine::alembic::graph::{
    split_migration_target, split_stamp_targets, CommandError, Direction, LineFormat, Plan, PlanError, Resolved,
    RevSpec, Revision, RevisionMap, RevisionRef, Step,
};
use driftlab::engine::alembic::version_table::{
    current_heads, offline_statement, HeadMaintainer, VersionTable, CREATE_VERSION_TABLE,
};
use driftlab::engine::shell_words::split_commands;
use rusqlite::Connection;
use serde_json::Value;

fn oracle_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/alembic-oracle")
}

/// A Python literal on the right of `name = ...` in a revision script.
fn literal_strings(rhs: &str) -> Vec<String> {
    let rhs = rhs.trim();
    if rhs == "None" {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut rest = rhs;
    while let Some(start) = rest.find(['\'', '"']) {
        let quote = rest[start..].chars().next().unwrap();
        let tail = &rest[start + 1..];
        let end = tail.find(quote).expect("closing quote");
        out.push(tail[..end].to_string());
        rest = &tail[end + 1..];
    }
    out
}

/// A revision script as Alembic reads it: identifiers and docstring.
fn parse_script(path: &str, content: &str) -> (Revision, String) {
    let mut revision = Revision { path: path.to_string(), ..Revision::default() };
    let longdoc = content
        .strip_prefix("\"\"\"")
        .and_then(|rest| rest.split_once("\"\"\""))
        .map(|(doc, _)| doc.trim().to_string())
        .unwrap_or_default();
    revision.message = longdoc.split("\n\n").next().unwrap_or("").to_string();
    for line in content.lines() {
        let Some((lhs, rhs)) = line.split_once('=') else { continue };
        let name = lhs.split(':').next().unwrap().trim();
        match name {
            "revision" => revision.id = literal_strings(rhs).remove(0),
            "down_revision" => revision.down_revisions = literal_strings(rhs),
            "branch_labels" => revision.branch_labels = literal_strings(rhs),
            "depends_on" => revision.depends_on = literal_strings(rhs),
            _ => {}
        }
    }
    (revision, longdoc)
}

/// One scenario being replayed.
struct Replay {
    name: String,
    scenario: PathBuf,
    expected: PathBuf,
    /// `alembic/versions/<file>` -> (revision, docstring).
    scripts: BTreeMap<String, (Revision, String)>,
    db: Connection,
    failures: Vec<String>,
    checks: usize,
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

fn running_lines(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix("INFO  [alembic.runtime.migration] "))
        .filter(|l| l.starts_with("Running "))
        .map(str::to_string)
        .collect()
}

fn failed_line(e: &CommandError) -> String {
    match e {
        CommandError::Failed(m) => format!("FAILED: {m}\n"),
        CommandError::Uncaught(g) => format!("(uncaught) {}", g.exception_line()),
    }
}

impl Replay {
    fn new(expected: PathBuf) -> Replay {
        let name = expected.file_name().unwrap().to_string_lossy().into_owned();
        Replay {
            scenario: oracle_dir().join("scenarios").join(&name),
            expected,
            name,
            scripts: BTreeMap::new(),
            db: Connection::open_in_memory().unwrap(),
            failures: Vec::new(),
            checks: 0,
        }
    }

    fn check<T: PartialEq + std::fmt::Debug>(&mut self, n: u64, step: &str, what: &str, want: T, got: T) {
        self.checks += 1;
        if want != got {
            self.failures.push(format!("{} [{n}] {step}: {what}\n  want {want:?}\n  got  {got:?}", self.name));
        }
    }

    fn add_script(&mut self, file: &str, content: &str) {
        let path = format!("<PROJECT>/alembic/versions/{file}");
        // The oracle normalizes dates in output; a copied script carries a real one.
        let content: Vec<String> = content
            .lines()
            .map(|l| if l.starts_with("Create Date: ") { "Create Date: <DATE>".to_string() } else { l.to_string() })
            .collect();
        self.scripts.insert(file.to_string(), parse_script(&path, &content.join("\n")));
    }

    fn map(&self) -> Result<RevisionMap, CommandError> {
        RevisionMap::new(self.scripts.values().map(|(r, _)| r.clone()).collect()).map_err(CommandError::from)
    }

    fn longdoc(&self, id: &str) -> String {
        self.scripts.values().find(|(r, _)| r.id == id).map(|(_, d)| d.clone()).unwrap_or_default()
    }

    fn db_heads(&self) -> Vec<String> {
        current_heads(&self.db).unwrap()
    }

    fn run(&mut self) {
        let text = std::fs::read_to_string(self.expected.join("transcript.json")).unwrap();
        let records: Vec<Value> = serde_json::from_str(&text).unwrap();
        for record in &records {
            self.step(record);
        }
    }

    fn step(&mut self, record: &Value) {
        let n = record["n"].as_u64().unwrap();
        let step = record["step"].as_str().unwrap().to_string();
        let stdout = record["stdout"].as_str().unwrap();
        let stderr = record["stderr"].as_str().unwrap();
        let exit = record["exit_code"].as_i64().unwrap();
        let unordered = record["unordered_lines"].as_bool().unwrap_or(false);

        if let Some(globs) = step.strip_prefix("@rm ") {
            for glob in globs.split_whitespace() {
                match glob {
                    "app.db" => self.db = Connection::open_in_memory().unwrap(),
                    "alembic/versions/*.py" => self.scripts.clear(),
                    other => panic!("unhandled @rm {other}"),
                }
            }
            return;
        }
        if let Some(args) = step.strip_prefix("@copy ") {
            let (src, dst) = args.split_once(' ').unwrap();
            if let Some(file) = dst.strip_prefix("alembic/versions/") {
                let content = std::fs::read_to_string(self.scenario.join(src)).unwrap();
                self.add_script(file, &content);
            }
            return;
        }
        if !step.starts_with("alembic ") || exit == 2 || step.contains(" -c ") || step.contains("--help") {
            return;
        }
        // The unwired template URL fails inside env.py, before any revision logic.
        if stderr.contains("NoSuchModuleError") {
            return;
        }
        let words = split_commands(&step).unwrap().remove(0).words();
        let command = words[1].as_str();
        let args: Vec<String> = words[2..].to_vec();
        let flag = |names: &[&str]| args.iter().any(|a| names.contains(&a.as_str()));
        // Revision arguments may start with `-` (`-1`), so only known flags are not positional.
        let known_flags = ["--sql", "--purge", "-v", "--verbose", "-i", "--indicate-current"];
        let positional: Vec<String> = args.iter().filter(|a| !known_flags.contains(&a.as_str())).cloned().collect();

        match command {
            "revision" | "merge" => {
                for line in stdout.lines() {
                    if let Some(path) = line.strip_prefix("Generating <PROJECT>/alembic/versions/") {
                        let file = path.trim_end_matches(" ...  done");
                        let content = std::fs::read_to_string(self.expected.join("final_versions").join(file)).unwrap();
                        self.add_script(file, &content);
                    }
                }
                self.check_revision_failure(n, &step, stdout);
            }
            "check" => self.check_revision_failure(n, &step, stdout),
            "upgrade" | "downgrade" => {
                let direction = if command == "upgrade" { Direction::Up } else { Direction::Down };
                let sql = flag(&["--sql"]);
                self.migrate(n, &step, direction, &positional[0], sql, stdout, stderr, exit, unordered);
            }
            "stamp" => {
                let sql = flag(&["--sql"]);
                let purge = flag(&["--purge"]);
                self.stamp(n, &step, &positional, sql, purge, stdout, stderr);
            }
            "history" => self.history(n, &step, &args, stdout, unordered),
            "heads" => self.heads(n, &step, flag(&["-v", "--verbose"]), stdout, stderr),
            "current" => self.current(n, &step, flag(&["-v", "--verbose"]), stdout, unordered),
            "show" => self.show(n, &step, &positional[0], stdout),
            "branches" => self.branches(n, &step, stdout, unordered),
            _ => {}
        }
    }

    /// `revision` / `check` failures that are statements about the graph.
    fn check_revision_failure(&mut self, n: u64, step: &str, stdout: &str) {
        let Some(message) = stdout.lines().find_map(|l| l.strip_prefix("FAILED: ")) else { return };
        let message = message.to_string();
        if message.starts_with("Multiple heads are present; please specify the head revision") {
            let heads = self.map().unwrap().heads().len();
            self.check(n, step, "several heads", true, heads > 1);
        } else if let Some(rest) = message.strip_prefix("Revision ") {
            let id = rest.split_whitespace().next().unwrap().to_string();
            let map = self.map().unwrap();
            let is_head = map.get(&id).unwrap().unwrap().is_head();
            self.check(n, step, "not a head", false, is_head);
        } else if message == "Target database is not up to date." {
            let map = self.map().unwrap();
            let mut want: Vec<String> = map.heads().to_vec();
            want.sort();
            let mut db = self.db_heads();
            db.sort();
            self.check(n, step, "database behind the heads", true, want != db);
        } else if message.contains("is detected in revisions") {
            let got = self.map().err().map(|e| e.to_string());
            self.check(n, step, "map load error", Some(message), got);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn migrate(
        &mut self,
        n: u64,
        step: &str,
        direction: Direction,
        argument: &str,
        sql: bool,
        stdout: &str,
        stderr: &str,
        exit: i64,
        unordered: bool,
    ) {
        let (start, destination) = match split_migration_target(direction, argument, sql) {
            Ok(split) => split,
            Err(e) => return self.check(n, step, "argument error", stdout.to_string(), failed_line(&e)),
        };
        let map = match self.map() {
            Ok(m) => m,
            Err(e) => return self.check(n, step, "map error", stdout.to_string(), failed_line(&e)),
        };
        if sql {
            let heads = match map.offline_start_heads(start.as_deref()) {
                Ok(h) => h,
                Err(e) => return self.check(n, step, "start error", stdout.to_string(), failed_line(&e)),
            };
            let plan = match direction {
                Direction::Up => map.upgrade_steps(&heads, &destination),
                Direction::Down => map.downgrade_steps(&heads, &destination),
            };
            return self.offline(n, step, &map, plan, &heads, stdout, stderr);
        }
        let mut table = VersionTable::open(&self.db, false).unwrap();
        let plan = match direction {
            Direction::Up => map.upgrade_steps(table.heads(), &destination),
            Direction::Down => map.downgrade_steps(table.heads(), &destination),
        };
        let plan = match plan {
            Ok(p) => p,
            Err(e) => {
                let want = stdout.to_string();
                return self.check(n, step, "planning error", want, failed_line(&e.error));
            }
        };
        let recorded = running_lines(stderr);
        let mut ours: Vec<String> = plan.steps.iter().map(Step::log_line).collect();
        // A traceback (exit 1) means the last step logged raised in its
        // migration function: the ones before it were recorded, it was not.
        let completed = if exit == 1 { recorded.len().saturating_sub(1) } else { plan.steps.len() };
        if exit == 1 {
            ours.truncate(recorded.len());
        }
        let (mut want, mut got) = (recorded, ours);
        if unordered {
            want.sort();
            got.sort();
        }
        for s in &plan.steps[..completed.min(plan.steps.len())] {
            table.apply_step(&map, s).unwrap();
        }
        self.check(n, step, "Running lines", want, got);
    }

    /// `--sql`: the version-table statements and `-- Running` comments.
    #[allow(clippy::too_many_arguments)]
    fn offline(
        &mut self,
        n: u64,
        step: &str,
        map: &RevisionMap,
        plan: Result<Plan, PlanError>,
        heads: &[String],
        stdout: &str,
        stderr: &str,
    ) {
        let plan = match plan {
            Ok(p) => p,
            Err(e) => return self.check(n, step, "planning error", stdout.to_string(), failed_line(&e.error)),
        };
        let recorded_blocks: Vec<String> = stdout
            .split("\n\n")
            .filter(|b| b.starts_with("-- Running") || b.contains("alembic_version"))
            .map(|b| format!("{b}\n\n"))
            .collect();
        let failed = stdout.contains("FAILED: ");
        let mut maintainer = HeadMaintainer::new(heads);
        let mut ours = Vec::new();
        for (i, s) in plan.steps.iter().enumerate() {
            if maintainer.heads().is_empty() {
                ours.push(offline_statement(CREATE_VERSION_TABLE));
            }
            ours.push(format!("{}\n\n", s.offline_comment()));
            // A failing migration function stops the output after its comment.
            if failed && i + 1 == running_lines(stderr).len() {
                break;
            }
            for change in maintainer.changes_for_step(map, s).unwrap() {
                ours.push(change.offline_sql());
            }
        }
        self.check(n, step, "offline version SQL", recorded_blocks, ours);
        let logs: Vec<String> = plan.steps.iter().map(Step::log_line).collect();
        self.check(n, step, "Running lines", running_lines(stderr), logs);
    }

    #[allow(clippy::too_many_arguments)]
    fn stamp(&mut self, n: u64, step: &str, targets: &[String], sql: bool, purge: bool, stdout: &str, stderr: &str) {
        let (start, destinations) = match split_stamp_targets(targets, sql) {
            Ok(split) => split,
            Err(e) => return self.check(n, step, "argument error", stdout.to_string(), failed_line(&e)),
        };
        let map = match self.map() {
            Ok(m) => m,
            Err(e) => return self.check(n, step, "map error", stdout.to_string(), failed_line(&e)),
        };
        if sql {
            let heads = map.offline_start_heads(start.as_deref()).unwrap();
            let plan = map.stamp_steps(&heads, &destinations);
            return self.offline(n, step, &map, plan, &heads, stdout, stderr);
        }
        let mut table = VersionTable::open(&self.db, purge).unwrap();
        match map.stamp_steps(table.heads(), &destinations) {
            Err(e) => self.check(n, step, "planning error", stdout.to_string(), failed_line(&e.error)),
            Ok(plan) => {
                for s in &plan.steps {
                    table.apply_step(&map, s).unwrap();
                }
                let logs: Vec<String> = plan.steps.iter().map(Step::log_line).collect();
                self.check(n, step, "Running lines", running_lines(stderr), logs);
            }
        }
    }

    fn entry(&self, rev: RevisionRef<'_>, verbose: bool, format: LineFormat) -> String {
        if verbose {
            rev.log_entry(&self.longdoc(rev.id()), format.current) + "\n"
        } else {
            rev.line(format) + "\n"
        }
    }

    /// `command.history`, including its `current` substitutions.
    fn history(&mut self, n: u64, step: &str, args: &[String], stdout: &str, unordered: bool) {
        let verbose = args.iter().any(|a| a == "-v" || a == "--verbose");
        let indicate = args.iter().any(|a| a == "-i" || a == "--indicate-current");
        let range = args.iter().enumerate().find_map(|(i, a)| match a.as_str() {
            "-r" | "--rev-range" => args.get(i + 1).cloned(),
            other => other.strip_prefix("-r").map(str::to_string),
        });
        let map = match self.map() {
            Ok(m) => m,
            Err(e) => return self.check(n, step, "map error", stdout.to_string(), failed_line(&e)),
        };
        let (base, head) = match &range {
            Some(r) => {
                let (b, h) = r.split_once(':').unwrap();
                (b.to_string(), h.to_string())
            }
            None => (String::new(), String::new()),
        };
        let currents = self.db_heads();
        // `base or "base"` / `head or "heads"`: an empty string or tuple falls back.
        let or = |s: &str, fallback: &str| RevSpec::from(if s.is_empty() { fallback } else { s });
        let tuple_or = |fallback: &str| {
            if currents.is_empty() {
                RevSpec::from(fallback)
            } else {
                RevSpec::from(currents.as_slice())
            }
        };
        let (base_spec, head_spec) = if head == "current" {
            (or(&base, "base"), tuple_or("heads"))
        } else if base == "current" {
            (tuple_or("base"), or(&head, "heads"))
        } else {
            (or(&base, "base"), or(&head, "heads"))
        };
        let mut got = String::new();
        match map.walk_revisions(&base_spec, &head_spec) {
            Err(e) => got = failed_line(&e),
            Ok(revisions) => {
                for rev in revisions {
                    let format = LineFormat {
                        current: indicate && currents.iter().any(|c| c == rev.id()),
                        ..LineFormat::HISTORY
                    };
                    got += &self.entry(rev, verbose, format);
                }
            }
        }
        self.compare_text(n, step, stdout, &got, unordered);
    }

    fn compare_text(&mut self, n: u64, step: &str, want: &str, got: &str, unordered: bool) {
        let (mut want, mut got) = (lines(want), lines(got));
        if unordered {
            want.sort();
            got.sort();
        }
        self.check(n, step, "stdout", want, got);
    }

    fn heads(&mut self, n: u64, step: &str, verbose: bool, stdout: &str, stderr: &str) {
        let map = match RevisionMap::new(self.scripts.values().map(|(r, _)| r.clone()).collect()) {
            Ok(m) => m,
            Err(e) => {
                // `heads` reads the map outside any catch: a traceback.
                let last = stderr.lines().last().unwrap_or("").to_string();
                return self.check(n, step, "traceback", last, e.error.exception_line());
            }
        };
        let mut got = String::new();
        for id in map.heads() {
            let rev = map.get(id).unwrap().unwrap();
            got += &self.entry(rev, verbose, LineFormat::HEADS);
        }
        self.compare_text(n, step, stdout, &got, false);
    }

    fn current(&mut self, n: u64, step: &str, verbose: bool, stdout: &str, unordered: bool) {
        let map = self.map().unwrap();
        let mut got = if verbose { "Current revision(s) for sqlite:///app.db:\n".to_string() } else { String::new() };
        for rev in map.all_current(&self.db_heads()).unwrap() {
            got += &self.entry(rev, verbose, LineFormat::CURRENT);
        }
        self.compare_text(n, step, stdout, &got, unordered);
    }

    fn show(&mut self, n: u64, step: &str, target: &str, stdout: &str) {
        let map = self.map().unwrap();
        let spec = if target == "current" { RevSpec::from(self.db_heads()) } else { RevSpec::from(target) };
        let got = match map.show(&spec) {
            Err(e) => failed_line(&e),
            Ok(found) => found
                .into_iter()
                .map(|r| match r {
                    Resolved::Revision(r) => self.entry(r, true, LineFormat::HISTORY),
                    other => panic!("show found {other:?}"),
                })
                .collect(),
        };
        self.compare_text(n, step, stdout, &got, false);
    }

    fn branches(&mut self, n: u64, step: &str, stdout: &str, unordered: bool) {
        let map = self.map().unwrap();
        let mut got = String::new();
        let branch_line = LineFormat { tree_indicators: true, ..LineFormat::HEADS };
        for rev in map.walk_revisions(&RevSpec::from("base"), &RevSpec::from("heads")).unwrap() {
            if rev.is_branch_point() {
                got += &format!("{}\n", rev.line(branch_line));
                for next in rev.next_revisions() {
                    let next = map.get(next).unwrap().unwrap();
                    got += &format!("{} -> {}\n", " ".repeat(rev.id().len()), next.line(branch_line));
                }
                got += "\n";
            }
        }
        self.compare_text(n, step, stdout, &got, unordered);
    }
}

#[test]
fn kind_b_transcripts_replay_at_the_graph_level() {
    let expected = oracle_dir().join("expected");
    if !expected.exists() {
        eprintln!("skipped: {} not found", expected.display());
        return;
    }
    let mut scenarios: Vec<PathBuf> = std::fs::read_dir(&expected)
        .expect("the Alembic oracle corpus (../shared/alembic-oracle)")
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with('b'))
        .collect();
    scenarios.sort();
    assert!(scenarios.len() >= 20, "expected the b01..b20 scenarios");
    let mut failures = Vec::new();
    let mut checks = 0;
    for dir in scenarios {
        let mut replay = Replay::new(dir);
        replay.run();
        checks += replay.checks;
        failures.extend(replay.failures);
    }
    eprintln!("{checks} comparisons");
    // Guards against steps being skipped silently as the replay evolves.
    assert!(checks >= 150, "only {checks} comparisons made");
    assert!(failures.is_empty(), "{} differences:\n{}", failures.len(), failures.join("\n"));
}
