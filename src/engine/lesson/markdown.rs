//! The small markdown a lesson's text is written in, read into blocks
//! (headings, paragraphs, lists, quotes, fenced code with the file it belongs
//! to) and inline spans (text, `code`, **strong**, *emphasis*, [links](...)),
//! so the page renders it as text nodes and never as HTML.

use serde::{Deserialize, Serialize};

/// One block of a lesson's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextBlock {
    /// `### Title` (level 1-6).
    Heading { level: u8, text: String },
    /// Lines joined with spaces; inline markup kept (see [`inline`]).
    Paragraph(String),
    /// `- item` / `* item` / `1. item`; each item's lines joined with spaces.
    List { ordered: bool, items: Vec<String> },
    /// `> text` lines, joined with spaces.
    Quote(String),
    /// A fenced block: ```` ```python models.py ````: the language, then the
    /// file the code belongs to (optional).
    Code { lang: String, file: Option<String>, code: String },
}

/// An inline span of a paragraph, list item, heading or quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Inline {
    Text(String),
    Code(String),
    Strong(String),
    Emphasis(String),
    Link { text: String, href: String },
}

/// The opening fence of a code block: its character, length and info string.
pub(crate) fn opening_fence(line: &str) -> Option<(char, usize, &str)> {
    let trimmed = line.trim_start();
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let c = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = trimmed.chars().take_while(|x| *x == c).count();
    if len < 3 {
        return None;
    }
    let info = trimmed[len..].trim();
    if c == '`' && info.contains('`') {
        return None;
    }
    Some((c, len, info))
}

/// Whether `line` closes a fence opened with `c` repeated `len` times.
pub(crate) fn closes_fence(line: &str, c: char, len: usize) -> bool {
    let trimmed = line.trim();
    trimmed.len() >= len && trimmed.chars().all(|x| x == c)
}

fn heading(line: &str) -> Option<(u8, &str)> {
    let level = line.chars().take_while(|c| *c == '#').count();
    if (1..=6).contains(&level) && (line.len() == level || line[level..].starts_with(' ')) {
        Some((level as u8, line[level..].trim()))
    } else {
        None
    }
}

fn list_item(line: &str) -> Option<(bool, &str)> {
    let t = line.trim_start();
    if let Some(rest) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")).or_else(|| t.strip_prefix("+ ")) {
        return Some((false, rest));
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        let rest = &t[digits..];
        if let Some(rest) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some((true, rest));
        }
    }
    None
}

/// Reads markdown text into blocks. Never fails: an unclosed fence runs to the end.
pub fn blocks(text: &str) -> Vec<TextBlock> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim().is_empty() {
            i += 1;
            continue;
        }
        if let Some((c, len, info)) = opening_fence(line) {
            let mut words = info.split_whitespace();
            let lang = words.next().unwrap_or("").to_string();
            let file = words.next().map(str::to_string);
            let mut code = Vec::new();
            i += 1;
            while i < lines.len() && !closes_fence(lines[i], c, len) {
                code.push(lines[i]);
                i += 1;
            }
            i += 1;
            out.push(TextBlock::Code { lang, file, code: code.join("\n") });
            continue;
        }
        if let Some((level, text)) = heading(line) {
            out.push(TextBlock::Heading { level, text: text.to_string() });
            i += 1;
            continue;
        }
        if line.trim_start().starts_with('>') {
            let mut parts = Vec::new();
            while i < lines.len() && lines[i].trim_start().starts_with('>') {
                parts.push(lines[i].trim_start()[1..].trim());
                i += 1;
            }
            out.push(TextBlock::Quote(parts.join(" ").trim().to_string()));
            continue;
        }
        if let Some((ordered, _)) = list_item(line) {
            let mut items: Vec<String> = Vec::new();
            while i < lines.len() && !lines[i].trim().is_empty() && opening_fence(lines[i]).is_none() {
                match list_item(lines[i]) {
                    Some((_, rest)) => items.push(rest.trim().to_string()),
                    None => {
                        if let Some(last) = items.last_mut() {
                            last.push(' ');
                            last.push_str(lines[i].trim());
                        }
                    }
                }
                i += 1;
            }
            out.push(TextBlock::List { ordered, items });
            continue;
        }
        let mut parts = Vec::new();
        while i < lines.len()
            && !lines[i].trim().is_empty()
            && opening_fence(lines[i]).is_none()
            && heading(lines[i]).is_none()
            && (parts.is_empty() || list_item(lines[i]).is_none())
        {
            parts.push(lines[i].trim());
            i += 1;
        }
        out.push(TextBlock::Paragraph(parts.join(" ")));
    }
    out
}

/// Reads a paragraph's inline markup. Unclosed markers are plain text.
pub fn inline(text: &str) -> Vec<Inline> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<Inline> = Vec::new();
    let mut plain = String::new();
    let mut i = 0;
    let find = |from: usize, pat: &[char]| -> Option<usize> {
        (from..chars.len().saturating_sub(pat.len() - 1)).find(|&k| chars[k..k + pat.len()] == *pat)
    };
    let flush = |plain: &mut String, out: &mut Vec<Inline>| {
        if !plain.is_empty() {
            out.push(Inline::Text(std::mem::take(plain)));
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let span = match c {
            '`' => find(i + 1, &['`']).map(|end| (Inline::Code(chars[i + 1..end].iter().collect()), end + 1)),
            '*' | '_' if chars.get(i + 1) == Some(&c) => find(i + 2, &[c, c])
                .filter(|&end| end > i + 2)
                .map(|end| (Inline::Strong(chars[i + 2..end].iter().collect()), end + 2)),
            '*' | '_' => find(i + 1, &[c])
                .filter(|&end| end > i + 1 && !chars[i + 1].is_whitespace())
                .filter(|_| c == '*' || i == 0 || !chars[i - 1].is_alphanumeric())
                .map(|end| (Inline::Emphasis(chars[i + 1..end].iter().collect()), end + 1)),
            '[' => find(i + 1, &[']', '(']).and_then(|mid| {
                let end = find(mid + 2, &[')'])?;
                Some((
                    Inline::Link { text: chars[i + 1..mid].iter().collect(), href: chars[mid + 2..end].iter().collect() },
                    end + 1,
                ))
            }),
            _ => None,
        };
        match span {
            Some((span, next)) => {
                flush(&mut plain, &mut out);
                out.push(span);
                i = next;
            }
            None => {
                plain.push(c);
                i += 1;
            }
        }
    }
    flush(&mut plain, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_of_a_step_text() {
        let text = "Open the model.\nIt is short.\n\n```python models.py\nx = 1\n\ny = 2\n```\n\n- one\n- two\n  more\n\n### Why\n> quoted\n";
        assert_eq!(
            blocks(text),
            vec![
                TextBlock::Paragraph("Open the model. It is short.".into()),
                TextBlock::Code { lang: "python".into(), file: Some("models.py".into()), code: "x = 1\n\ny = 2".into() },
                TextBlock::List { ordered: false, items: vec!["one".into(), "two more".into()] },
                TextBlock::Heading { level: 3, text: "Why".into() },
                TextBlock::Quote("quoted".into()),
            ]
        );
    }

    #[test]
    fn inline_spans() {
        assert_eq!(
            inline("Run `ls`, **then** *look* at [the docs](https://x.y) and snake_case_names."),
            vec![
                Inline::Text("Run ".into()),
                Inline::Code("ls".into()),
                Inline::Text(", ".into()),
                Inline::Strong("then".into()),
                Inline::Text(" ".into()),
                Inline::Emphasis("look".into()),
                Inline::Text(" at ".into()),
                Inline::Link { text: "the docs".into(), href: "https://x.y".into() },
                Inline::Text(" and snake_case_names.".into()),
            ]
        );
        assert_eq!(inline("a ` b"), vec![Inline::Text("a ` b".into())]);
    }
}
