//! Byte spans in Python source and their translation to 1-based line:column.

/// A half-open byte range `start..end` into the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// An empty span at `offset`, for things that have a place but no text (a missing node).
    pub fn empty(offset: usize) -> Self {
        Span { start: offset, end: offset }
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The spanned text, or "" if the span does not fit `src` (never panics).
    pub fn text(self, src: &str) -> &str {
        src.get(self.start..self.end).unwrap_or("")
    }

    /// Line and column of the start; a one-off convenience that scans `src`.
    /// Use a [`LineIndex`] when converting many positions.
    pub fn line_col(self, src: &str) -> LineCol {
        LineIndex::new(src).line_col(self.start)
    }
}

/// A 1-based line and a 1-based column counted in characters, as editors and
/// CPython's `SyntaxError.offset` count them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LineCol {
    pub line: usize,
    pub col: usize,
}

/// Precomputed line starts, so that many byte offsets can be turned into
/// line:column cheaply. Python ends a line at `\n`, `\r\n` or a lone `\r`.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    src: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(src: &'a str) -> Self {
        let bytes = src.as_bytes();
        let mut line_starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line_starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => line_starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex { src, line_starts }
    }

    /// Number of lines, counting a final line after a trailing newline.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Line:column of a byte offset. Offsets past the end are clamped to the
    /// end, and offsets inside a multi-byte character to its start.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = floor_char_boundary(self.src, offset);
        let line_index = self.line_starts.partition_point(|&start| start <= offset).saturating_sub(1);
        let line_start = self.line_starts.get(line_index).copied().unwrap_or(0);
        let col = self.src.get(line_start..offset).map_or(0, |s| s.chars().count()) + 1;
        LineCol { line: line_index + 1, col }
    }

    /// The 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.line_col(offset).line
    }

    /// The last line that holds any text: a trailing newline does not start
    /// one. CPython names this line in "(detected at line N)".
    pub fn last_text_line(&self) -> usize {
        let len = self.src.len();
        let ends_with_newline = self.src.ends_with('\n') || self.src.ends_with('\r');
        if ends_with_newline && len > 0 {
            self.line(len - 1)
        } else {
            self.line(len)
        }
    }
}

/// The largest char boundary not after `offset` (and not after the end).
pub(crate) fn floor_char_boundary(src: &str, offset: usize) -> usize {
    let mut offset = offset.min(src.len());
    while offset > 0 && !src.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_all_newline_styles() {
        let src = "ab\r\nçd\rx\n";
        let index = LineIndex::new(src);
        assert_eq!(index.line_col(0), LineCol { line: 1, col: 1 });
        assert_eq!(index.line_col(4), LineCol { line: 2, col: 1 });
        // 'd' is the second character of line 2 although its byte offset is 6.
        assert_eq!(index.line_col(6), LineCol { line: 2, col: 2 });
        assert_eq!(index.line_col(8), LineCol { line: 3, col: 1 });
        assert_eq!(index.line_col(5), LineCol { line: 2, col: 1 }, "inside 'ç' clamps to its start");
        assert_eq!(index.line_col(999), LineCol { line: 4, col: 1 });
        assert_eq!(index.last_text_line(), 3);
    }
}
