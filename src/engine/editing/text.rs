//! Text edits the editor makes itself: Tab indents (4 spaces, or every
//! selected line), Shift+Tab dedents, Enter keeps the indentation (one more
//! level after a `:`); and conversions between byte offsets and the UTF-16
//! offsets a browser's `<textarea>` counts in.

/// Spaces per indentation level (PEP 8).
pub const INDENT: usize = 4;

/// A text and its selection (byte offsets, `start <= end`) after an edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// The byte offset of a UTF-16 offset (clamped to the text; inside a
/// surrogate pair it moves to the character's start).
pub fn utf16_to_byte(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
        if units > utf16 {
            return i;
        }
    }
    text.len()
}

/// The UTF-16 offset of a byte offset (clamped; inside a character it counts from the character's start).
pub fn byte_to_utf16(text: &str, byte: usize) -> usize {
    let mut byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    text[..byte].encode_utf16().count()
}

/// Start of the line holding `offset`.
fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// Starts of the lines a selection touches. A selection that ends at the
/// very start of a line (after selecting whole lines) leaves that line out.
fn touched_lines(text: &str, start: usize, end: usize) -> Vec<usize> {
    let first = line_start(text, start);
    let last_end = if end > start && end > first && text[..end].ends_with('\n') { end - 1 } else { end };
    let mut starts = vec![first];
    let mut at = first;
    while let Some(newline) = text[at..last_end.max(at)].find('\n') {
        at += newline + 1;
        starts.push(at);
    }
    starts
}

fn clamp(text: &str, start: usize, end: usize) -> (usize, usize) {
    let fix = |mut o: usize| {
        o = o.min(text.len());
        while !text.is_char_boundary(o) {
            o -= 1;
        }
        o
    };
    let (a, b) = (fix(start), fix(end));
    (a.min(b), a.max(b))
}

/// Tab: with no selection, spaces up to the next indentation stop at the
/// cursor; with a selection, every touched line one level deeper.
pub fn indent(text: &str, start: usize, end: usize) -> Edited {
    let (start, end) = clamp(text, start, end);
    if start == end {
        let column = text[line_start(text, start)..start].chars().count();
        let spaces = " ".repeat(INDENT - column % INDENT);
        let mut out = String::with_capacity(text.len() + spaces.len());
        out.push_str(&text[..start]);
        out.push_str(&spaces);
        out.push_str(&text[start..]);
        let cursor = start + spaces.len();
        return Edited { text: out, start: cursor, end: cursor };
    }
    let lines = touched_lines(text, start, end);
    let pad = " ".repeat(INDENT);
    let mut out = String::with_capacity(text.len() + lines.len() * INDENT);
    let mut copied = 0;
    let (mut new_start, mut new_end) = (start, end);
    for &line in &lines {
        out.push_str(&text[copied..line]);
        copied = line;
        // Blank lines stay blank.
        let blank = text[line..].split('\n').next().is_some_and(|l| l.trim().is_empty());
        if blank {
            continue;
        }
        out.push_str(&pad);
        if line < start {
            new_start += INDENT;
        }
        if line < end {
            new_end += INDENT;
        }
    }
    out.push_str(&text[copied..]);
    Edited { text: out, start: new_start, end: new_end }
}

/// Shift+Tab: every touched line (the cursor's line when nothing is
/// selected) one level shallower: up to 4 leading spaces, or a tab, go.
pub fn dedent(text: &str, start: usize, end: usize) -> Edited {
    let (start, end) = clamp(text, start, end);
    let lines = touched_lines(text, start, end);
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let shift = |offset: usize, line: usize, removed: usize| -> usize {
        if offset <= line {
            0
        } else {
            (offset - line).min(removed)
        }
    };
    let (mut start_shift, mut end_shift) = (0, 0);
    for &line in &lines {
        out.push_str(&text[copied..line]);
        let rest = &text[line..];
        let removed = if rest.starts_with('\t') {
            1
        } else {
            rest.bytes().take(INDENT).take_while(|&b| b == b' ').count()
        };
        copied = line + removed;
        start_shift += shift(start, line, removed);
        end_shift += shift(end, line, removed);
    }
    out.push_str(&text[copied..]);
    Edited { text: out, start: start - start_shift, end: end - end_shift }
}

/// Enter: a line break replacing the selection, then the current line's
/// indentation, one level more after a line ending in `:` (a block opens).
pub fn newline(text: &str, start: usize, end: usize) -> Edited {
    let (start, end) = clamp(text, start, end);
    let line = line_start(text, start);
    let before = &text[line..start];
    let indentation: String = before.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
    let code = before.split('#').next().unwrap_or(before).trim_end();
    let opens_block = code.ends_with(':') && !code.trim_start().is_empty();
    let mut insert = String::from("\n");
    insert.push_str(&indentation);
    if opens_block {
        insert.push_str(&" ".repeat(INDENT));
    }
    let mut out = String::with_capacity(text.len() + insert.len());
    out.push_str(&text[..start]);
    out.push_str(&insert);
    out.push_str(&text[end..]);
    let cursor = start + insert.len();
    Edited { text: out, start: cursor, end: cursor }
}
