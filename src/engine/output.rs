//! What one command line returns: stdout, stderr and an exit code, like a process.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
}

impl CommandOutput {
    pub fn ok(stdout: impl Into<String>) -> Self {
        CommandOutput { stdout: stdout.into(), stderr: String::new(), exit_code: 0 }
    }

    pub fn error(stderr: impl Into<String>, exit_code: i32) -> Self {
        CommandOutput { stdout: String::new(), stderr: stderr.into(), exit_code }
    }

    /// Appends another output (as `a; b` would), keeping the last exit code.
    pub fn append(&mut self, other: CommandOutput) {
        self.stdout.push_str(&other.stdout);
        self.stderr.push_str(&other.stderr);
        self.exit_code = other.exit_code;
    }

    /// Appends another output's text but keeps this exit code.
    pub fn append_keeping_code(&mut self, other: CommandOutput) {
        self.stdout.push_str(&other.stdout);
        self.stderr.push_str(&other.stderr);
    }
}
