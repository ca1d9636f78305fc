//! Robustness: pseudo-random mutations of the case files, random bytes and
//! pathologically nested input must never panic, loop or overflow the stack,
//! and every token and error position must lie within the source.

use std::fs;
use std::path::Path;
use std::time::Instant;

use super::*;

/// Deterministic, dependency-free pseudo-random numbers (xorshift64*).
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform-ish in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Pieces that stress the tokenizer and parser where they are most intricate.
const FRAGMENTS: &[&str] = &[
    "(", ")", "[", "]", "{", "}", ":", ",", ";", "\n", "\n\n", "    ", "  ", "\t", "\\", "\\\n", "'", "\"",
    "'''", "\"\"\"", "f\"{", "f'{x}}'", "}", "#", "\r", "\r\n", "\x0c", "é", "€", "\u{a0}", "\0", "\u{feff}",
    "def ", "class ", "if ", "else", "elif ", "else:", "lambda ", "async ", "await ", "yield ", "from ",
    "import ", "as ", "with ", "try:", "except ", "finally:", "return ", "pass", "not ", "in ", "is ", "and ",
    "or ", "for ", "while ", "del ", "global ", "raise ", "assert ", "*", "**", "=", "==", ":=", "->", "@",
    "+=", "-", "~", ".", "...", "0x", "0o8", "1_", "1e", "1.5j", "09", "b'é'", "rb\"", "$", "?", "!", "x",
    "Mapped[int]", "mapped_column(", "sa.Column(", " = ", "op.add_column(", "None", "True",
];

fn case_sources() -> Vec<String> {
    let mut sources = Vec::new();
    for kind in ["valid", "invalid"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python_cases").join(kind);
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        let mut paths: Vec<_> = entries.filter_map(|entry| entry.ok().map(|entry| entry.path())).collect();
        paths.sort();
        for path in paths.iter().filter(|path| path.extension().is_some_and(|ext| ext == "py")) {
            if let Ok(src) = fs::read_to_string(path) {
                sources.push(src);
            }
        }
    }
    assert!(!sources.is_empty(), "no case files to mutate");
    sources
}

/// A few consecutive lines of one case file: short inputs keep 100,000 runs fast.
fn snippet(rng: &mut XorShift, sources: &[String]) -> Vec<u8> {
    let source = &sources[rng.below(sources.len())];
    let lines: Vec<&str> = source.split_inclusive('\n').collect();
    let first = rng.below(lines.len());
    let count = 1 + rng.below(12);
    lines[first..(first + count).min(lines.len())].concat().into_bytes()
}

fn mutate(rng: &mut XorShift, bytes: &mut Vec<u8>) {
    let position = rng.below(bytes.len() + 1);
    let length = (1 + rng.below(8)).min(bytes.len() - position);
    match rng.below(6) {
        0 => {
            bytes.drain(position..position + length);
        }
        1 | 2 => {
            let fragment = FRAGMENTS[rng.below(FRAGMENTS.len())].as_bytes();
            bytes.splice(position..position, fragment.iter().copied());
        }
        3 => {
            let fragment = FRAGMENTS[rng.below(FRAGMENTS.len())].as_bytes();
            bytes.splice(position..position + length, fragment.iter().copied());
        }
        4 => {
            let copied: Vec<u8> = bytes[position..position + length].to_vec();
            let to = rng.below(bytes.len() + 1);
            bytes.splice(to..to, copied);
        }
        _ => {
            let random: Vec<u8> = (0..1 + rng.below(4)).map(|_| rng.next() as u8).collect();
            bytes.splice(position..position, random);
        }
    }
}

/// Reads `src` and checks what the editor relies on: tokens in order, inside the
/// text, on character boundaries, covering every non-blank character; errors
/// positioned inside the text with consistent line:column.
fn check_reader_invariants(src: &str) {
    let index = LineIndex::new(src);
    let (tokens, token_errors) = tokenize(src);
    assert_eq!(tokens.last().map(|token| token.kind), Some(TokenKind::EndOfFile), "{src:?}");
    let mut covered_until = 0;
    for token in &tokens {
        let Span { start, end } = token.span;
        assert!(start <= end && end <= src.len(), "token {token:?} outside {src:?}");
        assert!(src.is_char_boundary(start) && src.is_char_boundary(end), "token {token:?} splits a char in {src:?}");
        assert!(start >= covered_until, "token {token:?} overlaps the previous one in {src:?}");
        let gap = &src[covered_until..start];
        assert!(
            gap.chars().all(|c| matches!(c, ' ' | '\t' | '\x0c' | '\\' | '\n' | '\r' | '\u{feff}')),
            "{gap:?} before {token:?} is not covered by a token in {src:?}"
        );
        covered_until = end;
    }
    let result = parse_module(src);
    for error in token_errors.iter().chain(&result.errors) {
        assert!(error.offset <= src.len(), "{error} outside {src:?}");
        let position = index.line_col(error.offset);
        assert_eq!((error.line, error.col), (position.line, position.col), "{error} in {src:?}");
        assert!(error.line <= index.line_count() && error.col >= 1, "{error} in {src:?}");
        assert!(!error.message.is_empty());
    }
    assert!(result.errors.windows(2).all(|pair| pair[0].offset <= pair[1].offset), "unsorted errors for {src:?}");
    check_tree_spans(&result.module, src);
    let _ = dump(&result.module);
}

/// Every span in the tree lies within `src` on character boundaries. The spans
/// are found in the tree's `Debug` text, which reaches every node without a
/// hand-written visitor.
fn check_tree_spans(module: &ast::Module, src: &str) {
    let debug = format!("{module:?}");
    let mut rest = debug.as_str();
    while let Some(found) = rest.find("Span { start: ") {
        rest = &rest[found + "Span { start: ".len()..];
        let start = leading_number(rest);
        let end = leading_number(rest.split_once("end: ").map_or("", |(_, tail)| tail));
        assert!(start <= end && end <= src.len(), "span {start}..{end} outside {src:?}");
        assert!(src.is_char_boundary(start) && src.is_char_boundary(end), "span {start}..{end} splits a char in {src:?}");
    }
}

fn leading_number(text: &str) -> usize {
    let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    text[..digits].parse().expect("a number in a Span's Debug text")
}

#[test]
fn mutated_snippets_and_random_bytes_never_break_the_reader() {
    const MUTATED_SNIPPETS: usize = 80_000;
    const MUTATED_FILES: usize = 2_000;
    const RANDOM_BYTES: usize = 20_000;
    let started = Instant::now();
    let sources = case_sources();
    let mut rng = XorShift(0x5eed_1234_abcd_ef01);
    for _ in 0..MUTATED_SNIPPETS {
        let mut bytes = snippet(&mut rng, &sources);
        for _ in 0..1 + rng.below(4) {
            mutate(&mut rng, &mut bytes);
        }
        check_reader_invariants(&String::from_utf8_lossy(&bytes));
    }
    for _ in 0..MUTATED_FILES {
        let mut bytes = sources[rng.below(sources.len())].clone().into_bytes();
        for _ in 0..1 + rng.below(8) {
            mutate(&mut rng, &mut bytes);
        }
        check_reader_invariants(&String::from_utf8_lossy(&bytes));
    }
    for _ in 0..RANDOM_BYTES {
        let length = rng.below(64);
        // Mostly ASCII, the alphabet Python is written in, with some arbitrary bytes.
        let bytes: Vec<u8> = (0..length)
            .map(|_| if rng.below(4) == 0 { rng.next() as u8 } else { b" \n\t()[]{}:'\"\\#=.,*@x1fj_\r"[rng.below(25)] })
            .collect();
        check_reader_invariants(&String::from_utf8_lossy(&bytes));
    }
    eprintln!(
        "{} inputs read in {:.2?}",
        MUTATED_SNIPPETS + MUTATED_FILES + RANDOM_BYTES,
        started.elapsed()
    );
}

/// Runs `check` on a thread with 1 MiB of stack, the wasm default.
fn on_small_stack(check: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(check)
        .expect("spawn")
        .join()
        .expect("the reader panicked");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep_block: String =
        (0..150).map(|depth| format!("{}if x:\n", " ".repeat(depth))).collect::<String>() + &" ".repeat(150) + "pass\n";
    let inputs: Vec<(String, Option<&str>)> = vec![
        ("(".repeat(100_000), Some("too many nested parentheses")),
        (format!("x = {}1{}\n", "(".repeat(150), ")".repeat(150)), Some("too many nested parentheses")),
        (format!("x = {}{}\n", "[".repeat(300), "]".repeat(300)), Some("too many nested parentheses")),
        (format!("x = {}{}\n", "{".repeat(300), "}".repeat(300)), Some("too many nested parentheses")),
        (format!("x = {}x{}\n", "f(".repeat(300), ")".repeat(300)), Some("too many nested parentheses")),
        (format!("x = a{}{}\n", "[0".repeat(300), "]".repeat(300)), Some("too many nested parentheses")),
        (format!("x = {}x{}\n", "(*".repeat(300), ")".repeat(300)), Some("too many nested parentheses")),
        (format!("x = {}y\n", "not ".repeat(10_000)), Some("too many nested expressions")),
        (format!("x = {}y\n", "-".repeat(10_000)), Some("too many nested expressions")),
        (format!("x = y{}\n", "**y".repeat(10_000)), Some("too many nested expressions")),
        (format!("x = {}y\n", "lambda: ".repeat(10_000)), Some("too many nested expressions")),
        (format!("x = {}c\n", "a if b else ".repeat(10_000)), Some("too many nested expressions")),
        (deep_block, Some("too many levels of indentation")),
        (format!("if x:\n    pass\n{}", "elif y:\n    pass\n".repeat(20_000)), None),
        (format!("{}def f():\n    pass\n", "@d\n".repeat(10_000)), None),
        (format!("x = {}\n", vec!["1"; 50_000].join(" + ")), Some("too many nested expressions")),
        (format!("x = a{}\n", ".b".repeat(50_000)), Some("too many nested expressions")),
        (format!("x = a{}\n", "()".repeat(50_000)), Some("too many nested expressions")),
        (format!("x = {}\n", vec!["a.b()[0]"; 120].join(" * ")), None),
        (format!("x = a{}\n", ".b".repeat(450)), None),
        (format!("x = {}\n", vec!["1"; 100_000].join(" < ")), None),
        (format!("x = [{}]\n", vec!["1"; 100_000].join(", ")), None),
        ("x = 1\n".repeat(50_000), None),
        (",".repeat(100_000), Some("invalid syntax")),
        ("\\\n".repeat(10_000), None),
        (format!("x = '''{}", "line\n".repeat(100_000)), Some("unterminated triple-quoted string literal (detected at line 100000)")),
        ("    x\n".repeat(10_000), Some("unexpected indent")),
        ((0..2_000).map(|i| format!("{}x\n", " ".repeat(i % 97))).collect(), Some("unexpected indent")),
    ];
    for (src, expected_error) in inputs {
        on_small_stack(move || {
            let started = Instant::now();
            let result = parse_module(&src);
            let _ = dump(&result.module);
            let preview: String = src.chars().take(40).collect();
            if let Some(expected) = expected_error {
                assert!(
                    result.errors.iter().any(|error| error.message == expected),
                    "{preview:?}...: expected {expected:?}, got {:?}",
                    result.errors.iter().take(3).collect::<Vec<_>>()
                );
            } else {
                assert!(result.is_ok(), "{preview:?}...: {:?}", result.errors.iter().take(3).collect::<Vec<_>>());
            }
            assert!(started.elapsed().as_secs() < 5, "{preview:?}... took {:.2?}", started.elapsed());
        });
    }
}

