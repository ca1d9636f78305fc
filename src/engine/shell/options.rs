//! GNU-style option parsing for the coreutils commands (`getopt_long`):
//! clustered short options (`-rf`), long options and their unambiguous
//! prefixes (`--rec`), `--` to end options, options after operands, and the
//! exact usage errors the real tools print.

use crate::engine::output::CommandOutput;

/// The options one command understands.
pub struct Spec {
    pub command: &'static str,
    /// Short options driftlab implements, as letters.
    pub short: &'static str,
    /// Long options and the short letter each stands for.
    pub long: &'static [(&'static str, char)],
    /// Short options the real command has but driftlab does not implement;
    /// they get an honest "not available" instead of "invalid option".
    pub unsupported: &'static str,
    /// What usage errors exit with: 2 for `ls`, 1 for most coreutils.
    pub usage_exit: i32,
    /// The synopsis `--help` prints.
    pub synopsis: &'static str,
}

/// Options as given, in order (letters; long options mapped to theirs), and the operands.
#[derive(Debug, Default)]
pub struct Parsed {
    pub flags: Vec<char>,
    pub operands: Vec<String>,
}

impl Parsed {
    pub fn has(&self, flag: char) -> bool {
        self.flags.contains(&flag)
    }

    /// Whichever of `flags` was given last (later options override earlier ones).
    pub fn last_of(&self, flags: &[char]) -> Option<char> {
        self.flags.iter().rev().copied().find(|f| flags.contains(f))
    }
}

impl Spec {
    fn usage_error(&self, message: String) -> CommandOutput {
        CommandOutput::error(
            format!("{}: {message}\nTry '{} --help' for more information.\n", self.command, self.command),
            self.usage_exit,
        )
    }

    fn short_option(&self, letter: char, parsed: &mut Parsed) -> Result<(), CommandOutput> {
        if self.short.contains(letter) {
            parsed.flags.push(letter);
            Ok(())
        } else if self.unsupported.contains(letter) {
            Err(CommandOutput::error(
                format!("{}: option '-{letter}' is not available in driftlab (see 'help')\n", self.command),
                self.usage_exit,
            ))
        } else {
            Err(self.usage_error(format!("invalid option -- '{letter}'")))
        }
    }

    fn long_option(&self, arg: &str, parsed: &mut Parsed) -> Result<Option<CommandOutput>, CommandOutput> {
        let name = arg[2..].split('=').next().unwrap_or_default();
        let builtin: &[(&str, char)] = &[("help", '\0'), ("version", '\0')];
        let exact = self.long.iter().chain(builtin).find(|(long, _)| *long == name);
        let candidates: Vec<&(&str, char)> = match exact {
            Some(option) => vec![option],
            None => self.long.iter().chain(builtin).filter(|(long, _)| long.starts_with(name)).collect(),
        };
        match candidates.as_slice() {
            [] => Err(self.usage_error(format!("unrecognized option '{arg}'"))),
            [(long, letter)] => match *long {
                "help" => Ok(Some(CommandOutput::ok(format!("{}\n", self.synopsis)))),
                "version" => Ok(Some(CommandOutput::ok(format!("{} (GNU coreutils) 9.1\n", self.command)))),
                _ => {
                    parsed.flags.push(*letter);
                    Ok(None)
                }
            },
            several => {
                let names: Vec<String> = several.iter().map(|(long, _)| format!("'--{long}'")).collect();
                Err(self.usage_error(format!("option '{arg}' is ambiguous; possibilities: {}", names.join(" "))))
            }
        }
    }

    /// Parses `args`. `Err` holds what the command prints and exits with
    /// instead of running: a usage error, or the answer to `--help`/`--version`.
    pub fn parse(&self, args: &[String]) -> Result<Parsed, CommandOutput> {
        let mut parsed = Parsed::default();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            if arg == "--" {
                parsed.operands.extend(args.by_ref().cloned());
            } else if arg.starts_with("--") {
                if let Some(answer) = self.long_option(arg, &mut parsed)? {
                    return Err(answer);
                }
            } else if arg.len() > 1 && arg.starts_with('-') {
                for letter in arg.chars().skip(1) {
                    self.short_option(letter, &mut parsed)?;
                }
            } else {
                parsed.operands.push(arg.clone());
            }
        }
        Ok(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RM: Spec = Spec {
        command: "rm",
        short: "frRdv",
        long: &[("force", 'f'), ("recursive", 'r'), ("dir", 'd'), ("verbose", 'v')],
        unsupported: "iI",
        usage_exit: 1,
        synopsis: "Usage: rm [OPTION]... [FILE]...",
    };

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn clusters_long_options_and_operands_anywhere() {
        let parsed = RM.parse(&args(&["a", "-rf", "--verb", "--", "-b"])).unwrap();
        assert_eq!(parsed.flags, vec!['r', 'f', 'v']);
        assert_eq!(parsed.operands, args(&["a", "-b"]));
    }

    #[test]
    fn usage_errors_read_like_getopt() {
        let err = RM.parse(&args(&["-z"])).unwrap_err();
        assert_eq!(err.stderr, "rm: invalid option -- 'z'\nTry 'rm --help' for more information.\n");
        let err = RM.parse(&args(&["--nope"])).unwrap_err();
        assert_eq!(err.stderr, "rm: unrecognized option '--nope'\nTry 'rm --help' for more information.\n");
        let err = RM.parse(&args(&["--ver"])).unwrap_err();
        assert!(err.stderr.starts_with("rm: option '--ver' is ambiguous; possibilities: '--verbose' '--version'\n"));
    }
}
