//! The terminal the app runs in: uvicorn's log lines (`INFO:     ...`, its
//! level name and colon padded to nine characters, as its formatter does),
//! what the app prints, and driftlab's own notes — in the order they happen.
//! Everything goes to one stream (stderr), since a `CommandOutput` cannot
//! interleave two and the order is what a learner reads.

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Console {
    text: String,
    /// The notes already given in this output (each is said once).
    noted: Vec<&'static str>,
}

impl Console {
    fn log(&mut self, level: &str, message: &str) {
        let prefix = format!("{level}:");
        self.text.push_str(&format!("{prefix:<9} {message}\n"));
    }

    pub fn info(&mut self, message: &str) {
        self.log("INFO", message);
    }

    pub fn warning(&mut self, message: &str) {
        self.log("WARNING", message);
    }

    /// A message that ends in a newline (a traceback) gets another from the
    /// log handler: a blank line after it, as uvicorn shows it.
    pub fn error(&mut self, message: &str) {
        self.log("ERROR", message);
    }

    /// What the app's code prints.
    pub fn print(&mut self, text: &str) {
        self.raw(text);
    }

    /// A line as it is.
    pub fn raw(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
    }

    /// driftlab's explanation, clearly not the tools' output.
    pub fn note(&mut self, text: &str) {
        self.raw(&format!("driftlab: {text}"));
    }

    /// A note given once per output, however many processes run into it.
    pub fn note_once(&mut self, key: &'static str, text: &str) {
        if !self.noted.contains(&key) {
            self.noted.push(key);
            self.note(text);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn into_text(self) -> String {
        self.text
    }

    /// Each line prefixed (the app's log shown inside another command's output).
    pub fn into_marked(self, marker: &str) -> String {
        self.text.lines().map(|l| format!("{marker}{l}\n")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_names_are_padded_like_uvicorn() {
        let mut console = Console::default();
        console.info("a");
        console.warning("b");
        console.error("c");
        assert_eq!(console.into_text(), "INFO:     a\nWARNING:  b\nERROR:    c\n");
    }
}
