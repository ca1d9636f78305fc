//! `cp` and `mv` as GNU coreutils 9.1 run them: `SRC DST`, or several
//! sources into a directory, with the real tools' refusals (same file, a
//! directory into itself, a directory over a file) and messages.

use super::fs::{self, Errno, Kind, Target};
use super::options::{Parsed, Spec};
use super::quoting::always as q;
use super::Context;
use crate::engine::output::CommandOutput;

const CP: Spec = Spec {
    command: "cp",
    short: "rRafnpv",
    long: &[("recursive", 'r'), ("archive", 'a'), ("force", 'f'), ("no-clobber", 'n'), ("verbose", 'v')],
    unsupported: "bdilLHPsStTuxZ",
    usage_exit: 1,
    synopsis: "Usage: cp [OPTION]... SOURCE... DEST\ndriftlab's cp: -r/-R/-a (folders), -n (keep existing), -f, -p, -v",
};

const MV: Spec = Spec {
    command: "mv",
    short: "fnv",
    long: &[("force", 'f'), ("no-clobber", 'n'), ("verbose", 'v')],
    unsupported: "bituTSZ",
    usage_exit: 1,
    synopsis: "Usage: mv [OPTION]... SOURCE... DEST\ndriftlab's mv: -n (keep existing), -f, -v",
};

/// A `cp` or `mv` run: its sources and where each one goes.
struct Plan {
    /// (source as typed, destination as it will be named).
    moves: Vec<(String, String)>,
}

/// Works out each source's destination, or the usage error: a missing operand,
/// or several sources for a target that is no directory.
fn plan(ctx: &Context<'_>, command: &str, parsed: &Parsed) -> Result<Plan, CommandOutput> {
    let usage = |message: String| {
        CommandOutput::error(format!("{command}: {message}\nTry '{command} --help' for more information.\n"), 1)
    };
    let (destination, sources) = match parsed.operands.split_last() {
        None => return Err(usage("missing file operand".to_string())),
        Some((only, [])) => return Err(usage(format!("missing destination file operand after {}", q(only)))),
        Some(split) => split,
    };
    let into_directory = ctx.locate(destination).is_ok_and(|target| fs::stat(ctx.project, &target) == Ok(Kind::Dir));
    if sources.len() > 1 && !into_directory {
        let message = match ctx.locate(destination).map(|t| fs::stat(ctx.project, &t)) {
            Ok(Ok(_)) => format!("{command}: target {}: {}\n", q(destination), Errno::NotADirectory),
            Ok(Err(errno)) | Err(errno) => format!("{command}: target {}: {errno}\n", q(destination)),
        };
        return Err(CommandOutput::error(message, 1));
    }
    let moves = sources
        .iter()
        .map(|source| {
            let to =
                if into_directory { fs::join_arg(destination, fs::base_name(source)) } else { destination.clone() };
            (source.clone(), to)
        })
        .collect();
    Ok(Plan { moves })
}

/// A source that exists: where it is and what it is.
fn source(ctx: &Context<'_>, command: &str, arg: &str) -> Result<(Target, Kind), String> {
    let target = ctx.locate(arg).map_err(|errno| format!("{command}: cannot stat {}: {errno}", q(arg)))?;
    let kind = fs::stat(ctx.project, &target).map_err(|errno| format!("{command}: cannot stat {}: {errno}", q(arg)))?;
    Ok((target, kind))
}

pub fn cp(ctx: &mut Context<'_>, args: &[String]) -> CommandOutput {
    let parsed = match CP.parse(args) {
        Ok(parsed) => parsed,
        Err(output) => return output,
    };
    let plan = match plan(ctx, "cp", &parsed) {
        Ok(plan) => plan,
        Err(output) => return output,
    };
    let mut output = CommandOutput::default();
    for (from, to) in &plan.moves {
        match copy_one(ctx, &parsed, from, to) {
            Ok(lines) => output.stdout.push_str(&lines),
            Err(message) => {
                output.stderr.push_str(&message);
                output.stderr.push('\n');
                output.exit_code = 1;
            }
        }
    }
    output
}

/// Copies one source; the `-v` lines, or the error line.
fn copy_one(ctx: &mut Context<'_>, parsed: &Parsed, from: &str, to: &str) -> Result<String, String> {
    let recursive = parsed.has('r') || parsed.has('R') || parsed.has('a');
    let (source, kind) = source(ctx, "cp", from)?;
    if kind == Kind::Dir && !recursive {
        return Err(format!("cp: -r not specified; omitting directory {}", q(from)));
    }
    let creating = if kind == Kind::Dir { "directory" } else { "regular file" };
    let cannot_create = |errno: Errno| format!("cp: cannot create {creating} {}: {errno}", q(to));
    let destination = ctx.locate(to).map_err(cannot_create)?;
    // cp looks at the destination first: a file on its way fails that look.
    if let Err(errno @ Errno::NotADirectory) = fs::stat(ctx.project, &destination) {
        return Err(format!("cp: cannot stat {}: {errno}", q(to)));
    }
    if kind == Kind::Dir && fs::is_within(&destination.path, &source.path) {
        return Err(format!("cp: cannot copy a directory, {}, into itself, {}", q(from), q(to)));
    }
    if destination.path == source.path {
        return Err(format!("cp: {} and {} are the same file", q(from), q(to)));
    }
    match (kind, fs::kind(ctx.project, &destination.path)) {
        (Kind::File, Some(Kind::Dir)) => {
            return Err(format!("cp: cannot overwrite directory {} with non-directory", q(to)));
        }
        (Kind::Dir, Some(Kind::File)) => {
            return Err(format!("cp: cannot overwrite non-directory {} with directory {}", q(to), q(from)));
        }
        (Kind::File, Some(Kind::File)) if parsed.has('n') => return Ok(String::new()),
        (_, Some(_)) => {}
        (_, None) => {
            fs::check_parent(ctx.project, &destination.path).map_err(cannot_create)?;
            if destination.wants_dir && kind == Kind::File {
                return Err(cannot_create(Errno::NotADirectory));
            }
        }
    }
    let copies = fs::copy_tree(ctx.project, &source.path, &destination.path);
    if !parsed.has('v') {
        return Ok(String::new());
    }
    // Name each copy as the arguments spell its top.
    let respell = |path: &str, top: &str, spelled: &str| format!("{spelled}{}", &path[top.len()..]);
    Ok(copies
        .iter()
        .map(|(a, b)| {
            let a = respell(a, &source.path, from);
            let b = respell(b, &destination.path, to);
            format!("{} -> {}\n", q(&a), q(&b))
        })
        .collect())
}

pub fn mv(ctx: &mut Context<'_>, args: &[String]) -> CommandOutput {
    let parsed = match MV.parse(args) {
        Ok(parsed) => parsed,
        Err(output) => return output,
    };
    let plan = match plan(ctx, "mv", &parsed) {
        Ok(plan) => plan,
        Err(output) => return output,
    };
    let mut output = CommandOutput::default();
    for (from, to) in &plan.moves {
        match move_one(ctx, &parsed, from, to) {
            Ok(()) if parsed.has('v') => output.stdout.push_str(&format!("renamed {} -> {}\n", q(from), q(to))),
            Ok(()) => {}
            Err(message) => {
                output.stderr.push_str(&message);
                output.stderr.push('\n');
                output.exit_code = 1;
            }
        }
    }
    output
}

fn move_one(ctx: &mut Context<'_>, parsed: &Parsed, from: &str, to: &str) -> Result<(), String> {
    let (source, kind) = source(ctx, "mv", from)?;
    let cannot_move = |errno: Errno| format!("mv: cannot move {} to {}: {errno}", q(from), q(to));
    if source.path.is_empty() {
        return Err(format!("mv: cannot move {}: driftlab keeps the project folder where it is", q(from)));
    }
    let destination = ctx.locate(to).map_err(cannot_move)?;
    if destination.path == source.path {
        return Err(format!("mv: {} and {} are the same file", q(from), q(to)));
    }
    if kind == Kind::Dir && fs::is_within(&destination.path, &source.path) {
        return Err(format!("mv: cannot move {} to a subdirectory of itself, {}", q(from), q(to)));
    }
    match (kind, fs::kind(ctx.project, &destination.path)) {
        (Kind::File, Some(Kind::Dir)) => {
            return Err(format!("mv: cannot overwrite directory {} with non-directory", q(to)));
        }
        (Kind::Dir, Some(Kind::File)) => {
            return Err(format!("mv: cannot overwrite non-directory {} with directory {}", q(to), q(from)));
        }
        (Kind::Dir, Some(Kind::Dir)) if !fs::children(ctx.project, &destination.path).is_empty() => {
            return Err(cannot_move(Errno::NotEmpty));
        }
        (_, Some(_)) if parsed.has('n') => return Ok(()),
        (_, Some(_)) => {}
        (_, None) => {
            fs::check_parent(ctx.project, &destination.path).map_err(cannot_move)?;
            if destination.wants_dir && kind == Kind::File {
                return Err(cannot_move(Errno::NotADirectory));
            }
        }
    }
    fs::move_tree(ctx.project, &source.path, &destination.path);
    // The shell stays in a directory that moved, wherever it went.
    if fs::is_within(ctx.cwd, &source.path) {
        *ctx.cwd = format!("{}{}", destination.path, &ctx.cwd[source.path.len()..]);
    }
    Ok(())
}
