//! What the editor draws over its text: the highlighted spans cut into runs
//! that are either under one problem's underline or under none.

use super::highlight::Span;
use super::problems::Problem;

/// A stretch `start..end` of the text, under the underline of
/// `problems[problem]` or of none, with the highlighted spans inside it.
/// A run with `start == end` is a problem at the end of a line (or of the
/// text): it has no text of its own and is drawn as one underlined space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub start: usize,
    pub end: usize,
    pub problem: Option<usize>,
    pub spans: Vec<Span>,
}

/// Cuts `spans` (a partition of `text`, as [`super::highlight`] gives) into
/// runs. Problems may come from an older text (the check is debounced):
/// their ranges are clamped to this one; where two overlap the first wins.
pub fn runs(text: &str, spans: &[Span], problems: &[Problem]) -> Vec<Run> {
    let mut underlines: Vec<(usize, usize, usize)> = Vec::new();
    let mut order: Vec<usize> = (0..problems.len()).collect();
    order.sort_by_key(|&i| (problems[i].start, problems[i].end));
    for i in order {
        let problem = &problems[i];
        let mut start = floor_boundary(text, problem.start);
        let mut end = floor_boundary(text, problem.end).max(start);
        let at_line_end = matches!(text.as_bytes().get(start), None | Some(b'\n' | b'\r'));
        if start == end && !at_line_end {
            end = start + text[start..].chars().next().map_or(0, char::len_utf8);
        }
        if let Some(&(previous_start, previous_end, _)) = underlines.last() {
            let same_empty_spot = start == previous_end && previous_start == previous_end && start == end;
            if start < previous_end || same_empty_spot {
                if end <= previous_end {
                    continue;
                }
                start = previous_end;
            }
        }
        underlines.push((start, end, i));
    }

    let mut runs = Vec::new();
    let mut cursor = 0;
    let mut next_span = 0;
    let mut cut = |start: usize, end: usize, problem: Option<usize>, next_span: &mut usize| {
        let mut inside = Vec::new();
        while let Some(span) = spans.get(*next_span) {
            if span.start >= end {
                break;
            }
            let piece = Span { start: span.start.max(start), end: span.end.min(end), kind: span.kind };
            if piece.start < piece.end {
                inside.push(piece);
            }
            if span.end > end {
                break;
            }
            *next_span += 1;
        }
        runs.push(Run { start, end, problem, spans: inside });
    };
    for (start, end, problem) in underlines {
        if start > cursor {
            cut(cursor, start, None, &mut next_span);
        }
        cut(start, end, Some(problem), &mut next_span);
        cursor = end;
    }
    if cursor < text.len() || cursor == 0 {
        cut(cursor, text.len(), None, &mut next_span);
    }
    runs
}

fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}
