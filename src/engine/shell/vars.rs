//! Shell variables and the environment: what `NAME=value`, `export`, `unset`,
//! `env` and `printenv` do, as bash 5.2 and GNU coreutils 9.1 do it. A
//! variable is a shell variable until it is exported; only exported ones
//! reach the programs a command runs (their [`Environ`]), with the
//! command's own `NAME=value` prefixes on top.
//!
//! A fresh terminal has the variables of a login shell on the playground's
//! machine: `HOME` is the project folder (as `cd` and `~` take it), `USER`
//! and `LOGNAME` are `learner` (the owner `ls -l` shows), `PATH` holds the
//! folders `which` finds the tools in, `SHELL` is bash, the locale is
//! C.UTF-8. `cd` keeps `PWD` and `OLDPWD`, as bash does. What `env` lists is
//! in the order the variables were first exported (the real order is that
//! of bash's hash table).

use serde::{Deserialize, Serialize};

use super::options::Spec;
use super::{builtin_error, Context};
use crate::engine::environ::Environ;
use crate::engine::output::CommandOutput;

/// One shell variable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variable {
    pub name: String,
    /// `None`: declared (`export NAME` of an unset name) but not set.
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub exported: bool,
}

/// The shell's variables, in the order they were created.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Variables {
    list: Vec<Variable>,
}

/// `PATH` on the playground's machine: where `which` finds the course's tools and coreutils.
pub const PATH: &str = "/usr/local/bin:/usr/bin:/bin";

/// Whether `name` can name a variable: a letter or `_`, then letters, digits, `_`.
pub fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_ascii_alphabetic()) && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

impl Variables {
    /// A login shell's variables, home being `home` and the current directory `pwd`.
    pub fn login(home: &str, pwd: &str) -> Variables {
        let exported = |name: &str, value: Option<&str>| Variable { name: name.into(), value: value.map(str::to_string), exported: true };
        Variables {
            list: vec![
                exported("HOME", Some(home)),
                exported("LANG", Some("C.UTF-8")),
                exported("LOGNAME", Some("learner")),
                exported("PATH", Some(PATH)),
                exported("PWD", Some(pwd)),
                exported("SHELL", Some("/bin/bash")),
                exported("SHLVL", Some("1")),
                exported("TERM", Some("xterm")),
                exported("USER", Some("learner")),
                exported("OLDPWD", None),
            ],
        }
    }

    /// Variables as saved (see `saved`), in order; a name given twice keeps its last entry.
    pub fn from_list(list: Vec<Variable>) -> Variables {
        let mut variables = Variables::default();
        for variable in list {
            variables.list.retain(|v| v.name != variable.name);
            variables.list.push(variable);
        }
        variables
    }

    /// Every variable, in the order they were created.
    pub fn list(&self) -> &[Variable] {
        &self.list
    }

    fn find(&self, name: &str) -> Option<&Variable> {
        self.list.iter().find(|v| v.name == name)
    }

    fn entry(&mut self, name: &str) -> &mut Variable {
        match self.list.iter().position(|v| v.name == name) {
            Some(i) => &mut self.list[i],
            None => {
                self.list.push(Variable { name: name.to_string(), value: None, exported: false });
                self.list.last_mut().expect("just pushed")
            }
        }
    }

    /// `$NAME`: the value, if the variable is set.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.find(name).and_then(|v| v.value.as_deref())
    }

    /// `NAME=value`: sets the value; an exported variable stays exported.
    pub fn set(&mut self, name: &str, value: &str) {
        self.entry(name).value = Some(value.to_string());
    }

    /// `NAME+=value`: appends to the value (an unset variable starts empty).
    pub fn append(&mut self, name: &str, value: &str) {
        let variable = self.entry(name);
        variable.value = Some(format!("{}{value}", variable.value.as_deref().unwrap_or("")));
    }

    /// `export NAME` (`true`) or `export -n NAME` (`false`); an unset name is declared.
    pub fn set_exported(&mut self, name: &str, exported: bool) {
        self.entry(name).exported = exported;
    }

    /// `unset NAME`.
    pub fn unset(&mut self, name: &str) {
        self.list.retain(|v| v.name != name);
    }

    /// `cd`: `OLDPWD` becomes the directory left, `PWD` the one entered.
    pub fn changed_directory(&mut self, old: &str, new: &str) {
        self.set("OLDPWD", old);
        self.set("PWD", new);
    }

    /// The environment the programs a command runs get: every exported variable that is set.
    pub fn environ(&self) -> Environ {
        self.list.iter().filter(|v| v.exported).filter_map(|v| Some((v.name.clone(), v.value.clone()?))).collect()
    }
}

// ------------------------------------------------------------------ export

const EXPORT_USAGE: &str = "export: usage: export [-fn] [name[=value] ...] or export -p\n";
const EXPORT_HELP: &str = "export: export [-fn] [name[=value] ...] or export -p
    Set export attribute for shell variables.
    \n    Marks each NAME for automatic export to the environment of subsequently
    executed commands.  If VALUE is supplied, assign VALUE before exporting.
    \n    Options:
      -f\trefer to shell functions
      -n\tremove the export property from each NAME
      -p\tdisplay a list of all exported variables and functions
    \n    An argument of `--' disables further option processing.
    \n    Exit Status:
    Returns success unless an invalid option is given or NAME is invalid.
";
const UNSET_USAGE: &str = "unset: usage: unset [-f] [-v] [-n] [name ...]\n";
const UNSET_HELP: &str = "unset: unset [-f] [-v] [-n] [name ...]
    Unset values and attributes of shell variables and functions.
    \n    For each NAME, remove the corresponding variable or function.
    \n    Options:
      -f\ttreat each NAME as a shell function
      -v\ttreat each NAME as a shell variable
      -n\ttreat each NAME as a name reference and unset the variable itself
    \t\trather than the variable it references
    \n    Without options, unset first tries to unset a variable, and if that fails,
    tries to unset a function.
    \n    Some variables cannot be unset; also see `readonly'.
    \n    Exit Status:
    Returns success unless an invalid option is given or a NAME is read-only.
";

/// A builtin's leading options (`-fn`, `--`): their letters and the operands,
/// or bash's answer (`--help`, an invalid option).
fn builtin_flags<'a>(command: &str, args: &'a [String], allowed: &str, usage: &str, help: &str) -> Result<(String, &'a [String]), CommandOutput> {
    let mut flags = String::new();
    let mut rest = args;
    while let Some((first, tail)) = rest.split_first() {
        if first == "--" {
            return Ok((flags, tail));
        }
        if first == "--help" {
            return Err(CommandOutput { stdout: help.to_string(), stderr: String::new(), exit_code: 2 });
        }
        if first.len() < 2 || !first.starts_with('-') {
            break;
        }
        if let Some(bad) = first.chars().skip(1).find(|c| !allowed.contains(*c)) {
            let mut output = builtin_error(format!("{command}: -{bad}: invalid option"), 2);
            output.stderr.push_str(usage);
            return Err(output);
        }
        flags.push_str(&first[1..]);
        rest = tail;
    }
    Ok((flags, rest))
}

/// A value as `declare -p` writes it: in double quotes, or in `$'...'` when
/// it holds control characters.
fn declare_quoted(value: &str) -> String {
    if value.chars().any(char::is_control) {
        let mut out = String::from("$'");
        for c in value.chars() {
            match c {
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                '\x1b' => out.push_str("\\E"),
                '\x07' => out.push_str("\\a"),
                '\x08' => out.push_str("\\b"),
                '\x0b' => out.push_str("\\v"),
                '\x0c' => out.push_str("\\f"),
                '\'' => out.push_str("\\'"),
                '\\' => out.push_str("\\\\"),
                c if c.is_control() => out.push_str(&format!("\\{:03o}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('\'');
        return out;
    }
    let mut out = String::from("\"");
    for c in value.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// `export` / `export -p`: `declare -x` lines, by name.
fn export_listing(variables: &Variables) -> String {
    let mut exported: Vec<&Variable> = variables.list.iter().filter(|v| v.exported).collect();
    exported.sort_by(|a, b| a.name.cmp(&b.name));
    exported
        .iter()
        .map(|v| match &v.value {
            Some(value) => format!("declare -x {}={}\n", v.name, declare_quoted(value)),
            None => format!("declare -x {}\n", v.name),
        })
        .collect()
}

/// An assignment argument: the name, whether it appends (`+=`), the value.
pub fn split_assignment(arg: &str) -> Option<(&str, bool, &str)> {
    let (left, value) = arg.split_once('=')?;
    Some(match left.strip_suffix('+') {
        Some(name) => (name, true, value),
        None => (left, false, value),
    })
}

pub fn export(ctx: &mut Context<'_>, args: &[String]) -> CommandOutput {
    let (flags, names) = match builtin_flags("export", args, "fnp", EXPORT_USAGE, EXPORT_HELP) {
        Ok(parsed) => parsed,
        Err(output) => return output,
    };
    let vars = &mut ctx.state.vars;
    if names.is_empty() {
        return CommandOutput::ok(export_listing(vars));
    }
    let mut output = CommandOutput::default();
    let mut fail = |message: String| {
        output.stderr.push_str(&format!("bash: {message}\n"));
        output.exit_code = 1;
    };
    let exported = !flags.contains('n');
    for arg in names {
        if flags.contains('f') {
            let name = split_assignment(arg).map_or(arg.as_str(), |(name, _, _)| name);
            fail(format!("export: {name}: not a function"));
            continue;
        }
        match split_assignment(arg) {
            Some((name, append, value)) if is_name(name) => {
                if append {
                    vars.append(name, value);
                } else {
                    vars.set(name, value);
                }
                vars.set_exported(name, exported);
            }
            None if is_name(arg) => vars.set_exported(arg, exported),
            _ => fail(format!("export: `{arg}': not a valid identifier")),
        }
    }
    output
}

pub fn unset(ctx: &mut Context<'_>, args: &[String]) -> CommandOutput {
    let (flags, names) = match builtin_flags("unset", args, "fvn", UNSET_USAGE, UNSET_HELP) {
        Ok(parsed) => parsed,
        Err(output) => return output,
    };
    let mut output = CommandOutput::default();
    if flags.contains('f') {
        // The playground's shell has no functions to unset.
        return output;
    }
    for name in names {
        if is_name(name) {
            ctx.state.vars.unset(name);
        } else if flags.contains('v') {
            output.stderr.push_str(&format!("bash: unset: `{name}': not a valid identifier\n"));
            output.exit_code = 1;
        }
        // Without -v, bash goes on to unset a function of that name: there is none.
    }
    output
}

// ------------------------------------------------------------ env, printenv

/// `NAME=value` lines, as `env` and `printenv` print the environment; `_` is
/// the program's own path, which bash puts last in its environment.
fn environment_listing(environ: &Environ, program: &str, terminator: char) -> String {
    let mut text: String = environ.iter().filter(|(name, _)| *name != "_").map(|(n, v)| format!("{n}={v}{terminator}")).collect();
    text.push_str(&format!("_=/usr/bin/{program}{terminator}"));
    text
}

const PRINTENV: Spec = Spec {
    command: "printenv",
    short: "0",
    long: &[("null", '0')],
    unsupported: "",
    usage_exit: 2,
    synopsis: "Usage: printenv [OPTION]... [VARIABLE]...\nPrint the values of the specified environment VARIABLE(s).\nIf no VARIABLE is specified, print name and value pairs for them all.\n\n  -0, --null     end each output line with NUL, not newline\n      --help     display this help and exit\n      --version  output version information and exit",
};

pub fn printenv(ctx: &mut Context<'_>, args: &[String]) -> CommandOutput {
    let parsed = match PRINTENV.parse(args) {
        Ok(parsed) => parsed,
        Err(output) => return output,
    };
    let terminator = if parsed.has('0') { '\0' } else { '\n' };
    if parsed.operands.is_empty() {
        return CommandOutput::ok(environment_listing(ctx.environ, "printenv", terminator));
    }
    let mut output = CommandOutput::default();
    for name in &parsed.operands {
        match ctx.environ.get(name).filter(|_| !name.contains('=')) {
            Some(value) => output.stdout.push_str(&format!("{value}{terminator}")),
            None => output.exit_code = 1,
        }
    }
    output
}

/// What `env ARGS...` asks for: the environment to change and, if given,
/// the command to run in it (from `command` on, in the arguments).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvInvocation {
    /// `-i`: start from an empty environment.
    pub ignore_environment: bool,
    /// `-u NAME`, in order.
    pub unset: Vec<String>,
    /// `NAME=value`, in order.
    pub assignments: Vec<(String, String)>,
    /// `-0`: NUL after each listed variable.
    pub null: bool,
    /// Where the command starts in the arguments, if one is given.
    pub command: Option<usize>,
}

impl EnvInvocation {
    /// The environment `environ` becomes.
    pub fn apply(&self, environ: &Environ) -> Environ {
        let mut environ = if self.ignore_environment { Environ::default() } else { environ.clone() };
        for name in &self.unset {
            environ.remove(name);
        }
        for (name, value) in &self.assignments {
            environ.set(name, value);
        }
        environ
    }
}

const ENV_HELP: &str = "Usage: env [OPTION]... [-] [NAME=VALUE]... [COMMAND [ARG]...]
Set each NAME to VALUE in the environment and run COMMAND.
driftlab's env: -i (start with an empty environment), -u NAME (remove NAME), -0 (end each line with NUL)
";

/// Reads `env`'s arguments as coreutils does: options until the first
/// operand, then assignments, then the command. `Err`: what env prints
/// (a usage error exits 125, `--help` and `--version` 0).
pub fn env_invocation(args: &[String]) -> Result<EnvInvocation, CommandOutput> {
    let usage = |message: String| CommandOutput::error(format!("env: {message}\nTry 'env --help' for more information.\n"), 125);
    let mut invocation = EnvInvocation::default();
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        if arg == "--" {
            break;
        }
        if arg == "-" {
            invocation.ignore_environment = true;
            continue;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let (name, value) = long.split_once('=').map_or((long, None), |(n, v)| (n, Some(v)));
            let matches = |full: &str| !name.is_empty() && full.starts_with(name);
            if matches("ignore-environment") {
                invocation.ignore_environment = true;
            } else if matches("null") {
                invocation.null = true;
            } else if matches("unset") {
                let value = match value {
                    Some(v) => v.to_string(),
                    None => {
                        i += 1;
                        args.get(i - 1).cloned().ok_or_else(|| usage("option '--unset' requires an argument".into()))?
                    }
                };
                invocation.unset.push(value);
            } else if matches("help") {
                return Err(CommandOutput::ok(ENV_HELP));
            } else if matches("version") {
                return Err(CommandOutput::ok("env (GNU coreutils) 9.1\n"));
            } else if ["chdir", "split-string", "debug", "block-signal", "default-signal", "ignore-signal", "list-signal-handling"]
                .iter()
                .any(|o| matches(o))
            {
                return Err(CommandOutput::error(format!("env: option '--{name}' is not available in driftlab (see 'help')\n"), 125));
            } else {
                return Err(usage(format!("unrecognized option '{arg}'")));
            }
            continue;
        }
        let Some(letters) = arg.strip_prefix('-') else {
            i -= 1;
            break;
        };
        let mut letters = letters.chars();
        while let Some(letter) = letters.next() {
            match letter {
                'i' => invocation.ignore_environment = true,
                '0' => invocation.null = true,
                'u' => {
                    let rest: String = letters.by_ref().collect();
                    let name = if rest.is_empty() {
                        i += 1;
                        args.get(i - 1).cloned().ok_or_else(|| usage("option requires an argument -- 'u'".into()))?
                    } else {
                        rest
                    };
                    invocation.unset.push(name);
                }
                'C' | 'S' | 'v' => {
                    return Err(CommandOutput::error(format!("env: option '-{letter}' is not available in driftlab (see 'help')\n"), 125))
                }
                other => return Err(usage(format!("invalid option -- '{other}'"))),
            }
        }
    }
    while let Some(arg) = args.get(i) {
        match arg.split_once('=') {
            Some((name, value)) => invocation.assignments.push((name.to_string(), value.to_string())),
            None => {
                invocation.command = Some(i);
                break;
            }
        }
        i += 1;
    }
    Ok(invocation)
}

/// `env [OPTION]... [NAME=VALUE]...` with no command: the environment it
/// would give one. (The session runs `env ... COMMAND` itself.)
pub fn env(ctx: &mut Context<'_>, args: &[String]) -> CommandOutput {
    let invocation = match env_invocation(args) {
        Ok(invocation) => invocation,
        Err(output) => return output,
    };
    let terminator = if invocation.null { '\0' } else { '\n' };
    CommandOutput::ok(environment_listing(&invocation.apply(ctx.environ), "env", terminator))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn declare_quotes_as_bash() {
        assert_eq!(declare_quoted("q\"$`\\x"), "\"q\\\"\\$\\`\\\\x\"");
        assert_eq!(declare_quoted("a\nb'"), "$'a\\nb\\''");
    }

    #[test]
    fn exported_variables_make_the_environment_in_order() {
        let mut vars = Variables::login("/home/learner/todo-app", "/home/learner/todo-app");
        vars.set("A", "1");
        assert_eq!(vars.environ().get("A"), None);
        vars.set_exported("A", true);
        vars.set_exported("B", true);
        assert_eq!(vars.environ().get("A"), Some("1"));
        assert_eq!(vars.environ().get("B"), None, "declared, not set");
        vars.set("B", "2");
        let names: Vec<String> = vars.environ().iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(names.last().map(String::as_str), Some("B"));
        vars.append("A", "x");
        assert_eq!(vars.get("A"), Some("1x"));
        vars.unset("A");
        assert_eq!(vars.get("A"), None);
        assert!(export_listing(&vars).contains("declare -x OLDPWD\n"));
    }

    #[test]
    fn env_reads_options_assignments_then_the_command() {
        let parsed = env_invocation(&args(&["-i", "-u", "X", "A=1", "B=x=y", "alembic", "-x", "a=b"])).unwrap();
        assert!(parsed.ignore_environment);
        assert_eq!(parsed.unset, ["X"]);
        assert_eq!(parsed.assignments, [("A".to_string(), "1".to_string()), ("B".into(), "x=y".into())]);
        assert_eq!(parsed.command, Some(5));
        assert_eq!(env_invocation(&args(&["-uX", "--", "A=1"])).unwrap().command, None);
        assert_eq!(env_invocation(&args(&["-u"])).unwrap_err().exit_code, 125);
        assert_eq!(
            env_invocation(&args(&["-z"])).unwrap_err().stderr,
            "env: invalid option -- 'z'\nTry 'env --help' for more information.\n"
        );
        // An option after the first assignment is the command.
        assert_eq!(env_invocation(&args(&["A=1", "-i"])).unwrap().command, Some(1));
    }
}
