//! `cat`, `touch`, `mkdir`, `rmdir` and `rm` as GNU coreutils 9.1 run them:
//! each operand on its own, an error line for each one that fails, exit 1 if
//! any did.

use super::fs::{self, Errno, Kind};
use super::options::Spec;
use super::quoting;
use super::Context;
use crate::engine::output::CommandOutput;

/// What a command prints as it goes over its operands.
#[derive(Default)]
struct Report {
    output: CommandOutput,
}

impl Report {
    fn out(&mut self, line: String) {
        self.output.stdout.push_str(&line);
        self.output.stdout.push('\n');
    }

    fn fail(&mut self, line: String) {
        self.output.stderr.push_str(&line);
        self.output.stderr.push('\n');
        self.output.exit_code = 1;
    }
}

fn missing_operand(command: &str, what: &str) -> CommandOutput {
    CommandOutput::error(format!("{command}: missing {what}\nTry '{command} --help' for more information.\n"), 1)
}

const CAT: Spec = Spec {
    command: "cat",
    short: "nE",
    long: &[("number", 'n'), ("show-ends", 'E')],
    unsupported: "AbestTuv",
    usage_exit: 1,
    synopsis: "Usage: cat [OPTION]... [FILE]...\ndriftlab's cat: -n (number lines), -E (show $ at line ends)",
};

pub fn cat(ctx: &mut Context<'_>, args: &[String]) -> CommandOutput {
    let parsed = match CAT.parse(args) {
        Ok(parsed) => parsed,
        Err(output) => return output,
    };
    let mut report = Report::default();
    let mut text = String::new();
    let operands = if parsed.operands.is_empty() { vec!["-".to_string()] } else { parsed.operands };
    for operand in &operands {
        if operand == "-" {
            text.push_str(ctx.stdin.as_deref().unwrap_or_default());
            continue;
        }
        let read = ctx.locate(operand).and_then(|target| match fs::stat(ctx.project, &target)? {
            Kind::Dir => Err(Errno::IsADirectory),
            Kind::File => Ok(target.path),
        });
        match read {
            Ok(path) => text.push_str(&ctx.project.read_text(&path).unwrap_or_default()),
            Err(errno) => report.fail(format!("cat: {}: {errno}", quoting::if_needed(operand))),
        }
    }
    report.output.stdout.push_str(&decorate(&text, &parsed.flags));
    report.output
}

/// Applies `-n` (line numbers, counted across all files) and `-E` (`$` at line ends).
fn decorate(text: &str, flags: &[char]) -> String {
    if !flags.contains(&'n') && !flags.contains(&'E') {
        return text.to_string();
    }
    let mut out = String::new();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if flags.contains(&'n') {
            out.push_str(&format!("{:>6}\t", i + 1));
        }
        match line.strip_suffix('\n') {
            Some(body) if flags.contains(&'E') => {
                out.push_str(body);
                out.push_str("$\n");
            }
            _ => out.push_str(line),
        }
    }
    out
}

const TOUCH: Spec = Spec {
    command: "touch",
    short: "c",
    long: &[("no-create", 'c')],
    unsupported: "adfhmrt",
    usage_exit: 1,
    synopsis: "Usage: touch [OPTION]... FILE...\ndriftlab's touch: -c (do not create)",
};

pub fn touch(ctx: &mut Context<'_>, args: &[String]) -> CommandOutput {
    let parsed = match TOUCH.parse(args) {
        Ok(parsed) => parsed,
        Err(output) => return output,
    };
    if parsed.operands.is_empty() {
        return missing_operand("touch", "file operand");
    }
    let mut report = Report::default();
    for operand in &parsed.operands {
        let target = match ctx.locate(operand) {
            Ok(target) => target,
            Err(errno) => {
                report.fail(format!("touch: cannot touch {}: {errno}", quoting::always(operand)));
                continue;
            }
        };
        match fs::stat(ctx.project, &target) {
            // The project keeps no times: touching what exists changes nothing.
            Ok(_) => {}
            Err(Errno::NoEntry) if parsed.has('c') => {}
            // `x/` can't be created as a file; touch then fails to set its times.
            Err(errno) if target.wants_dir => {
                report.fail(format!("touch: setting times of {}: {errno}", quoting::always(operand)));
            }
            Err(Errno::NoEntry) => match fs::check_parent(ctx.project, &target.path) {
                Ok(()) => ctx.project.write(&target.path, Vec::new()),
                Err(errno) => report.fail(format!("touch: cannot touch {}: {errno}", quoting::always(operand))),
            },
            Err(errno) => report.fail(format!("touch: cannot touch {}: {errno}", quoting::always(operand))),
        }
    }
    report.output
}

const MKDIR: Spec = Spec {
    command: "mkdir",
    short: "pv",
    long: &[("parents", 'p'), ("verbose", 'v')],
    unsupported: "mZ",
    usage_exit: 1,
    synopsis: "Usage: mkdir [OPTION]... DIRECTORY...\ndriftlab's mkdir: -p (make parents, fine if it exists), -v",
};

pub fn mkdir(ctx: &mut Context<'_>, args: &[String]) -> CommandOutput {
    let parsed = match MKDIR.parse(args) {
        Ok(parsed) => parsed,
        Err(output) => return output,
    };
    if parsed.operands.is_empty() {
        return missing_operand("mkdir", "operand");
    }
    let mut report = Report::default();
    for operand in &parsed.operands {
        let cannot =
            |name: &str, errno: Errno| format!("mkdir: cannot create directory {}: {errno}", quoting::locale(name));
        if parsed.has('p') {
            make_parents(ctx, operand, parsed.has('v'), &mut report);
            continue;
        }
        let target = match ctx.locate(operand) {
            Ok(target) => target,
            Err(errno) => {
                report.fail(cannot(operand, errno));
                continue;
            }
        };
        if fs::kind(ctx.project, &target.path).is_some() {
            report.fail(cannot(operand, Errno::Exists));
        } else if let Err(errno) = fs::check_parent(ctx.project, &target.path) {
            report.fail(cannot(operand, errno));
        } else {
            ctx.project.create_dir_all(&target.path);
            if parsed.has('v') {
                report.out(format!("mkdir: created directory {}", quoting::always(operand)));
            }
        }
    }
    report.output
}

/// `mkdir -p`: makes each missing directory on the way, naming each by the
/// operand's own prefix (`q`, `q/r`, `q/r/s`) as GNU mkdir does.
fn make_parents(ctx: &mut Context<'_>, operand: &str, verbose: bool, report: &mut Report) {
    let trimmed = operand.trim_end_matches('/');
    let mut prefixes: Vec<&str> =
        trimmed.match_indices('/').map(|(i, _)| &trimmed[..i]).filter(|p| !p.is_empty()).collect();
    prefixes.push(trimmed);
    let last = prefixes.len() - 1;
    for (level, prefix) in prefixes.into_iter().enumerate() {
        let cannot = |errno: Errno| format!("mkdir: cannot create directory {}: {errno}", quoting::locale(prefix));
        let path = match ctx.locate(prefix) {
            Ok(target) => target.path,
            // Directories above the project (`/home`) exist; we just can't make anything there.
            Err(_) if level < last => continue,
            Err(errno) => return report.fail(cannot(errno)),
        };
        match fs::kind(ctx.project, &path) {
            Some(Kind::Dir) => {}
            Some(Kind::File) => {
                return report.fail(cannot(if level == last { Errno::Exists } else { Errno::NotADirectory }));
            }
            None => {
                ctx.project.create_dir_all(&path);
                if verbose {
                    report.out(format!("mkdir: created directory {}", quoting::always(prefix)));
                }
            }
        }
    }
}

const RMDIR: Spec = Spec {
    command: "rmdir",
    short: "v",
    long: &[("verbose", 'v')],
    unsupported: "p",
    usage_exit: 1,
    synopsis: "Usage: rmdir [OPTION]... DIRECTORY...\ndriftlab's rmdir: -v",
};

pub fn rmdir(ctx: &mut Context<'_>, args: &[String]) -> CommandOutput {
    let parsed = match RMDIR.parse(args) {
        Ok(parsed) => parsed,
        Err(output) => return output,
    };
    if parsed.operands.is_empty() {
        return missing_operand("rmdir", "operand");
    }
    let mut report = Report::default();
    for operand in &parsed.operands {
        if parsed.has('v') {
            report.out(format!("rmdir: removing directory, {}", quoting::always(operand)));
        }
        let removable = ctx.locate(operand).and_then(|target| match fs::stat(ctx.project, &target)? {
            Kind::File => Err(Errno::NotADirectory),
            Kind::Dir if !fs::children(ctx.project, &target.path).is_empty() => Err(Errno::NotEmpty),
            Kind::Dir if target.path.is_empty() => Err(Errno::Outside),
            Kind::Dir => Ok(target.path),
        });
        match removable {
            Ok(path) => fs::remove_tree(ctx.project, &path),
            Err(errno) => report.fail(format!("rmdir: failed to remove {}: {errno}", quoting::always(operand))),
        }
    }
    report.output
}

const RM: Spec = Spec {
    command: "rm",
    short: "frRdv",
    long: &[("force", 'f'), ("recursive", 'r'), ("dir", 'd'), ("verbose", 'v')],
    unsupported: "iI",
    usage_exit: 1,
    synopsis: "Usage: rm [OPTION]... [FILE]...\ndriftlab's rm: -f (ignore missing), -r/-R (folders too), -d (empty folders), -v",
};

pub fn rm(ctx: &mut Context<'_>, args: &[String]) -> CommandOutput {
    let parsed = match RM.parse(args) {
        Ok(parsed) => parsed,
        Err(output) => return output,
    };
    let force = parsed.has('f');
    let recursive = parsed.has('r') || parsed.has('R');
    if parsed.operands.is_empty() {
        return if force { CommandOutput::default() } else { missing_operand("rm", "operand") };
    }
    let mut report = Report::default();
    for operand in &parsed.operands {
        let quoted = quoting::always(operand);
        let last_part = operand.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
        if recursive && matches!(last_part, "." | "..") {
            report.fail(format!("rm: refusing to remove '.' or '..' directory: skipping {quoted}"));
            continue;
        }
        let target = match ctx.locate(operand) {
            Ok(target) => target,
            Err(errno) => {
                report.fail(format!("rm: cannot remove {quoted}: {errno}"));
                continue;
            }
        };
        match fs::stat(ctx.project, &target) {
            Err(Errno::NoEntry) if force => {}
            Err(errno) => report.fail(format!("rm: cannot remove {quoted}: {errno}")),
            Ok(Kind::File) => {
                ctx.project.remove_file(&target.path);
                if parsed.has('v') {
                    report.out(format!("removed {quoted}"));
                }
            }
            Ok(Kind::Dir) if target.path.is_empty() => {
                report.fail(format!("rm: cannot remove {quoted}: driftlab keeps the project folder itself"));
            }
            Ok(Kind::Dir) if recursive => {
                if parsed.has('v') {
                    removal_lines(ctx, &target.path, operand, &mut report);
                }
                fs::remove_tree(ctx.project, &target.path);
            }
            Ok(Kind::Dir) if parsed.has('d') => {
                if fs::children(ctx.project, &target.path).is_empty() {
                    fs::remove_tree(ctx.project, &target.path);
                    if parsed.has('v') {
                        report.out(format!("removed directory {quoted}"));
                    }
                } else {
                    report.fail(format!("rm: cannot remove {quoted}: {}", Errno::NotEmpty));
                }
            }
            Ok(Kind::Dir) => report.fail(format!("rm: cannot remove {quoted}: {}", Errno::IsADirectory)),
        }
    }
    report.output
}

/// `rm -rv`'s lines for a tree: contents first, each directory after what it held.
fn removal_lines(ctx: &Context<'_>, path: &str, spelled: &str, report: &mut Report) {
    for (name, kind) in fs::children(ctx.project, path) {
        let child_spelled = fs::join_arg(spelled, &name);
        match kind {
            Kind::File => report.out(format!("removed {}", quoting::always(&child_spelled))),
            Kind::Dir => removal_lines(ctx, &fs::join(path, &name), &child_spelled, report),
        }
    }
    report.out(format!("removed directory {}", quoting::always(spelled)));
}
