//! `cd` and `pwd`, bash's builtins, inside the project folder: home (`cd`,
//! `cd ~`) is the project root, `cd -` goes back, and `cd` never leaves.
//! `cd` sets `PWD` and `OLDPWD`, as bash does.

use super::fs::{self, Errno, Kind};
use super::{builtin_error, Context};
use crate::engine::output::CommandOutput;

const CD_USAGE: &str = "cd: usage: cd [-L|[-P [-e]] [-@]] [dir]\n";

/// Splits a builtin's leading options (`-L`, `-P`, ...) from its operands.
fn builtin_options<'a>(args: &'a [String], allowed: &str) -> Result<&'a [String], String> {
    let mut rest = args;
    while let Some((first, tail)) = rest.split_first() {
        if first == "--" {
            return Ok(tail);
        }
        if first.len() < 2 || !first.starts_with('-') {
            break;
        }
        if let Some(bad) = first.chars().skip(1).find(|c| !allowed.contains(*c)) {
            return Err(format!("-{bad}"));
        }
        rest = tail;
    }
    Ok(rest)
}

pub fn cd(ctx: &mut Context<'_>, args: &[String]) -> CommandOutput {
    let operands = match builtin_options(args, "LPe@") {
        Ok(operands) => operands,
        Err(option) => {
            let mut output = builtin_error(format!("cd: {option}: invalid option"), 2);
            output.stderr.push_str(CD_USAGE);
            return output;
        }
    };
    let (destination, announce) = match operands {
        [] => (ctx.absolute(""), false),
        [dir] if dir == "-" => match &ctx.state.previous_dir {
            Some(previous) => (ctx.absolute(&previous.clone()), true),
            None => return builtin_error("cd: OLDPWD not set".to_string(), 1),
        },
        // `cd ''` stays where it is, as bash does.
        [dir] if dir.is_empty() => return CommandOutput::default(),
        [dir] => (dir.clone(), false),
        _ => return builtin_error("cd: too many arguments".to_string(), 1),
    };
    let target = match ctx.locate(&destination) {
        Ok(target) => target,
        Err(_) => {
            return builtin_error(format!("cd: {destination}: driftlab keeps you inside the project folder"), 1);
        }
    };
    match fs::stat(ctx.project, &target) {
        Ok(Kind::Dir) => {}
        Ok(Kind::File) => return builtin_error(format!("cd: {destination}: {}", Errno::NotADirectory), 1),
        Err(errno) => return builtin_error(format!("cd: {destination}: {errno}"), 1),
    }
    let previous = std::mem::replace(ctx.cwd, target.path);
    let (old, new) = (ctx.absolute(&previous), ctx.absolute(ctx.cwd));
    ctx.state.vars.changed_directory(&old, &new);
    ctx.state.previous_dir = Some(previous);
    if announce {
        CommandOutput::ok(format!("{}\n", ctx.absolute(ctx.cwd)))
    } else {
        CommandOutput::default()
    }
}

pub fn pwd(ctx: &mut Context<'_>, args: &[String]) -> CommandOutput {
    if let Err(option) = builtin_options(args, "LP") {
        let mut output = builtin_error(format!("pwd: {option}: invalid option"), 2);
        output.stderr.push_str("pwd: usage: pwd [-LP]\n");
        return output;
    }
    CommandOutput::ok(format!("{}\n", ctx.absolute(ctx.cwd)))
}
