//! An open file in the editor: the text being edited, what the project
//! holds for it (to know it is unsaved, or deleted), and its undo history.
//! When a command changes the file, an unedited buffer follows; an edited
//! one keeps the learner's text.

/// A text and its selection (byte offsets), as undo restores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// What kind of change an edit is: a run of typing (or of deleting) is
/// undone in one step; anything else is a step on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditKind {
    Typing,
    Deleting,
    Other,
}

/// Undo and redo stacks of snapshots taken before each change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    undo: Vec<Snapshot>,
    redo: Vec<Snapshot>,
    /// The kind of the last recorded change, while it may still grow.
    open_group: Option<EditKind>,
}

/// Steps kept; older ones are forgotten.
const MAX_UNDO: usize = 500;

impl History {
    /// Records `before`, the state a change starts from. A change of the same
    /// kind as the one before joins its step (so Ctrl+Z undoes what was typed
    /// in one go, not a letter), unless `inserted` breaks the line. The editor
    /// ends steps itself at pauses and caret moves ([`History::break_group`]).
    pub fn record(&mut self, before: Snapshot, kind: EditKind, inserted: &str) {
        self.redo.clear();
        let new_line = inserted.contains('\n');
        let joins = kind != EditKind::Other && self.open_group == Some(kind) && !new_line;
        if !joins {
            self.undo.push(before);
            if self.undo.len() > MAX_UNDO {
                self.undo.remove(0);
            }
        }
        self.open_group = if kind == EditKind::Other { None } else { Some(kind) };
    }

    /// Ends the current step: the next change starts a new one (after a
    /// pause, a click elsewhere, a save).
    pub fn break_group(&mut self) {
        self.open_group = None;
    }

    /// The state before the last step; `current` becomes redoable.
    pub fn undo(&mut self, current: Snapshot) -> Option<Snapshot> {
        let previous = self.undo.pop()?;
        self.redo.push(current);
        self.open_group = None;
        Some(previous)
    }

    /// The state the last undo left; `current` becomes undoable again.
    pub fn redo(&mut self, current: Snapshot) -> Option<Snapshot> {
        let next = self.redo.pop()?;
        self.undo.push(current);
        self.open_group = None;
        Some(next)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

/// One open file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buffer {
    pub path: String,
    text: String,
    /// What the project holds for the file as last seen; `None` once deleted.
    on_disk: Option<String>,
    /// The selection (byte offsets) to restore when the buffer is shown again.
    pub selection: (usize, usize),
    history: History,
}

impl Buffer {
    /// Opens `path` with what the project holds for it (`None`: a new, unsaved file).
    pub fn open(path: impl Into<String>, on_disk: Option<&str>) -> Self {
        Buffer {
            path: path.into(),
            text: on_disk.unwrap_or_default().to_string(),
            on_disk: on_disk.map(str::to_string),
            selection: (0, 0),
            history: History::default(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Unsaved: the text differs from the file (or the file is gone).
    pub fn is_dirty(&self) -> bool {
        self.on_disk.as_deref() != Some(self.text.as_str())
    }

    /// The file was removed from the project while open.
    pub fn is_deleted(&self) -> bool {
        self.on_disk.is_none()
    }

    /// The learner changed the text (typing, Tab, paste): `selection` is
    /// where it was before, `after` where it is now.
    pub fn edit(&mut self, text: String, selection: (usize, usize), after: (usize, usize), kind: EditKind, inserted: &str) {
        if text == self.text {
            self.selection = after;
            return;
        }
        let before = Snapshot { text: std::mem::take(&mut self.text), start: selection.0, end: selection.1 };
        self.history.record(before, kind, inserted);
        self.text = text;
        self.selection = after;
    }

    /// What the project holds now (after a command, or a save). An
    /// unedited buffer takes the new text (undoably); an edited one keeps
    /// its text, now unsaved against the new file. Returns whether anything
    /// changed (the text, or whether it is saved or deleted).
    pub fn follow_disk(&mut self, on_disk: Option<&str>) -> bool {
        if self.on_disk.as_deref() == on_disk {
            return false;
        }
        let was_clean = !self.is_dirty();
        self.on_disk = on_disk.map(str::to_string);
        if let Some(new) = on_disk.filter(|new| was_clean && *new != self.text) {
            let before = Snapshot { text: std::mem::replace(&mut self.text, new.to_string()), start: self.selection.0, end: self.selection.1 };
            self.history.record(before, EditKind::Other, "");
            let len = self.text.len();
            self.selection = (self.selection.0.min(len), self.selection.1.min(len));
        }
        true
    }

    /// The text was written to the project.
    pub fn saved(&mut self) {
        self.on_disk = Some(self.text.clone());
        self.history.break_group();
    }

    /// Ctrl+Z. Returns whether anything changed.
    pub fn undo(&mut self) -> bool {
        let current = Snapshot { text: self.text.clone(), start: self.selection.0, end: self.selection.1 };
        match self.history.undo(current) {
            Some(previous) => {
                self.restore(previous);
                true
            }
            None => false,
        }
    }

    /// Ctrl+Shift+Z / Ctrl+Y. Returns whether anything changed.
    pub fn redo(&mut self) -> bool {
        let current = Snapshot { text: self.text.clone(), start: self.selection.0, end: self.selection.1 };
        match self.history.redo(current) {
            Some(next) => {
                self.restore(next);
                true
            }
            None => false,
        }
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    /// Ends the current undo step (a pause, a click).
    pub fn break_undo_group(&mut self) {
        self.history.break_group();
    }

    fn restore(&mut self, snapshot: Snapshot) {
        self.text = snapshot.text;
        self.selection = (snapshot.start, snapshot.end);
    }
}
