//! A small backtracking matcher with the semantics of Python's `re`, so that
//! SQLAlchemy's reflection regexes can be written here verbatim and match
//! exactly what they match in Python, quirks included.
//!
//! Supported syntax, enough for those patterns: literals and escaped
//! punctuation, `.`, classes (`[^"]`, `[a-z0-9_]`, with `\s \w \d` inside),
//! `\s \S \w \W \d \D \b \B`, `^ $`, groups `( )` and `(?: )`, a negative
//! lookbehind of one character (`(?<![A-Za-z0-9_])`), alternation `|`, and the
//! quantifiers `* + ?` with their lazy forms. Patterns are this module's
//! callers' constants; a syntax error in one is a bug and panics (the unit
//! tests compile every pattern).
//!
//! Patterns compile to a little program run by a backtracking machine whose
//! choice points live on a heap stack, tried in the order Python tries them;
//! the first way that reaches the end is the match. Subject text never
//! panics or overflows the call stack. Each attempt (the match tried from one
//! start position) may take a generous number of steps; one that would take
//! more (where Python's own engine would run for ages) gives up, and so does
//! the search it belongs to: it reports no further matches. The limit is per
//! attempt, so a long text with many ordinary attempts loses nothing.
//!
//! A few things keep it fast without changing what matches: every
//! one-character test has its answer for the 128 ASCII characters computed
//! when the pattern compiles; a repeated one-character test (`\s+`, `.+?`,
//! `[a-z0-9_]+`) runs as one instruction that remembers a single way back
//! instead of one per character; a search skips the start positions whose
//! character no match can begin with; and the machine's memory is reused
//! from one attempt (and one search) to the next.

use std::cell::RefCell;

/// How many machine steps one attempt may take before the search gives up.
const STEP_LIMIT: usize = 2_000_000;

#[derive(Debug, Clone, Copy, Default)]
pub struct Flags {
    /// `re.IGNORECASE`
    pub ignore_case: bool,
    /// `re.DOTALL`
    pub dot_all: bool,
}

pub const IGNORECASE: Flags = Flags { ignore_case: true, dot_all: false };
pub const NO_FLAGS: Flags = Flags { ignore_case: false, dot_all: false };

#[derive(Debug, Clone)]
enum ClassItem {
    Char(char),
    Range(char, char),
    Space(bool),
    Word(bool),
    Digit(bool),
}

#[derive(Debug, Clone)]
struct Class {
    negated: bool,
    items: Vec<ClassItem>,
}

/// The parsed pattern.
#[derive(Debug)]
enum Node {
    Char(char),
    AnyButNewline,
    Class(Class),
    Start,
    End,
    WordBoundary { negated: bool },
    Group { capture: Option<usize>, alternatives: Vec<Vec<Node>> },
    NotPrecededBy(Class),
    Repeat { node: Box<Node>, min: usize, max: usize, greedy: bool },
}

/// A test of one character: a literal, `.` or a class.
#[derive(Debug, Clone)]
enum Single {
    Char(char),
    AnyButNewline,
    Class(Class),
}

impl Single {
    /// Whether `c` passes the test under `flags`.
    fn matches(&self, c: char, flags: Flags) -> bool {
        match self {
            Single::Char(x) => *x == c || (flags.ignore_case && simple_lower(*x) == simple_lower(c)),
            Single::AnyButNewline => flags.dot_all || c != '\n',
            Single::Class(class) => class.matches(c, flags),
        }
    }
}

/// A [`Single`] test compiled for its pattern's flags, with its answers for
/// the ASCII characters precomputed (bit n: the answer for character n).
#[derive(Debug)]
struct CharTest {
    ascii: u128,
    single: Single,
    flags: Flags,
}

impl CharTest {
    fn new(single: Single, flags: Flags) -> CharTest {
        let ascii = (0u8..128).filter(|&b| single.matches(char::from(b), flags)).fold(0u128, |set, b| set | 1 << b);
        CharTest { ascii, single, flags }
    }

    #[inline]
    fn matches(&self, c: char) -> bool {
        if c.is_ascii() {
            self.ascii >> (c as u32) & 1 != 0
        } else {
            self.single.matches(c, self.flags)
        }
    }
}

/// One instruction of a compiled pattern.
#[derive(Debug)]
enum Inst {
    /// Consume one character that passes the test.
    One(CharTest),
    Start,
    End,
    WordBoundary { negated: bool },
    NotPrecededBy(CharTest),
    /// `test` repeated `min..=max` times (`max` is `usize::MAX` for no
    /// bound), as many as will do when greedy, as few when lazy: what the
    /// general loop of `Split`s does for a single character, with one
    /// backtrack entry instead of one per repetition.
    Repeat { test: CharTest, min: usize, max: usize, greedy: bool },
    /// Go on at `preferred`; if that fails, at `other`.
    Split { preferred: usize, other: usize },
    Jump(usize),
    /// Record the position in capture slot n (2g: start of group g, 2g+1: end).
    Save(usize),
    Match,
}

/// A compiled pattern.
#[derive(Debug)]
pub struct Pattern {
    program: Vec<Inst>,
    groups: usize,
    /// The ASCII characters a match can begin with (bit n: character n);
    /// `None` when a match may begin without consuming one (it could match
    /// empty, or only assertions lead to its first character test).
    first: Option<u128>,
}

/// Why an attempt found no match.
enum Failure {
    /// No way through the program from this start position.
    NoMatch,
    /// The attempt took more than `STEP_LIMIT` steps: the search gives up.
    GaveUp,
}

/// A thread to resume, or a capture to undo, when the current one fails.
enum Backtrack {
    /// Resume a thread here.
    Resume { pc: usize, pos: usize },
    /// Undo a capture made after the last choice point.
    Restore { slot: usize, value: Option<usize> },
    /// A greedy `Repeat` that took too many: resume at `pc` (after it) with
    /// one fewer, `pos`, and keep the rest for later while `pos > shortest`.
    Shorter { pc: usize, pos: usize, shortest: usize },
    /// A lazy `Repeat` (at `pc`) that took `count` so far, ending at `pos`:
    /// take one more if it can, and resume after it.
    Longer { pc: usize, pos: usize, count: usize },
}

/// The machine's working memory, reused from one attempt to the next so
/// that an attempt allocates nothing until it matches.
#[derive(Default)]
struct Scratch {
    slots: Vec<Option<usize>>,
    stack: Vec<Backtrack>,
}

/// Backtrack entries a thread's reused stack may keep between searches;
/// a bigger one (after a long subject) is given back.
const KEPT_STACK: usize = 4096;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Runs `f` with this thread's reused [`Scratch`].
fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => {
            let result = f(&mut scratch);
            if scratch.stack.capacity() > KEPT_STACK {
                scratch.stack = Vec::new();
            }
            result
        }
        // Not reached (a search runs no other search), but harmless.
        Err(_) => f(&mut Scratch::default()),
    })
}

/// Text to match against, as characters (Python indexes strings by code point).
pub struct Subject {
    chars: Vec<char>,
}

impl Subject {
    pub fn new(text: &str) -> Self {
        let mut chars = Vec::with_capacity(text.len());
        chars.extend(text.chars());
        Subject { chars }
    }

    pub fn chars(&self) -> &[char] {
        &self.chars
    }

    /// The text between two character positions.
    pub fn slice(&self, start: usize, end: usize) -> String {
        let end = end.min(self.chars.len());
        let chars = &self.chars[start.min(end)..end];
        let mut text = String::with_capacity(chars.len());
        text.extend(chars);
        text
    }
}

/// One match: its span and the span of every capturing group, in characters.
#[derive(Debug, Clone)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    slots: Vec<Option<usize>>,
}

impl Match {
    /// Group `index` (1-based, as in Python), `None` when it did not take part.
    pub fn group(&self, subject: &Subject, index: usize) -> Option<String> {
        let start = (*self.slots.get(2 * (index - 1))?)?;
        let end = (*self.slots.get(2 * (index - 1) + 1)?)?;
        Some(subject.slice(start, end))
    }
}

impl Pattern {
    /// Compiles `source`. Panics on syntax this module does not support, and
    /// on an unbounded repetition of something that can match nothing
    /// (Python stops such a loop; none of SQLAlchemy's patterns has one).
    pub fn new(source: &str, flags: Flags) -> Pattern {
        let mut parser = Parser { chars: source.chars().collect(), pos: 0, groups: 0 };
        let alternatives = parser.alternatives();
        assert!(parser.pos == parser.chars.len(), "unsupported pattern syntax at {} in {source:?}", parser.pos);
        let mut program = Vec::new();
        compile_alternatives(&alternatives, &mut program, flags);
        program.push(Inst::Match);
        let first = first_characters(&program);
        Pattern { program, groups: parser.groups, first }
    }

    /// `re.match`: a match starting at `start`, if any.
    pub fn match_at(&self, subject: &Subject, start: usize) -> Option<Match> {
        with_scratch(|scratch| self.attempt(subject, start, scratch).ok())
    }

    /// `re.search`: the first match anywhere.
    pub fn search(&self, subject: &Subject) -> Option<Match> {
        with_scratch(|scratch| {
            for start in 0..=subject.chars.len() {
                if !self.may_start_at(subject, start) {
                    continue;
                }
                match self.attempt(subject, start, scratch) {
                    Ok(m) => return Some(m),
                    Err(Failure::NoMatch) => {}
                    Err(Failure::GaveUp) => return None,
                }
            }
            None
        })
    }

    /// `re.finditer`: every non-overlapping match, left to right.
    pub fn find_iter(&self, subject: &Subject) -> Vec<Match> {
        with_scratch(|scratch| {
            let mut found = Vec::new();
            let mut pos = 0;
            while pos <= subject.chars.len() {
                if !self.may_start_at(subject, pos) {
                    pos += 1;
                    continue;
                }
                match self.attempt(subject, pos, scratch) {
                    Ok(m) => {
                        pos = if m.end > m.start { m.end } else { m.end + 1 };
                        found.push(m);
                    }
                    Err(Failure::NoMatch) => pos += 1,
                    Err(Failure::GaveUp) => break,
                }
            }
            found
        })
    }

    /// False when no match can start at `start`: the pattern must begin by
    /// consuming a character, and the one there (or the end of the text)
    /// cannot be it. Non-ASCII characters are always tried.
    #[inline]
    fn may_start_at(&self, subject: &Subject, start: usize) -> bool {
        let Some(first) = self.first else { return true };
        match subject.chars.get(start) {
            Some(&c) if c.is_ascii() => first >> (c as u32) & 1 != 0,
            Some(_) => true,
            None => false,
        }
    }

    /// Runs the program from `start`: the first way through, in Python's
    /// order of preference, that reaches `Match`.
    fn attempt(&self, subject: &Subject, start: usize, scratch: &mut Scratch) -> Result<Match, Failure> {
        let text = &subject.chars;
        let Scratch { slots, stack } = scratch;
        slots.clear();
        slots.resize(2 * self.groups, None);
        stack.clear();
        stack.push(Backtrack::Resume { pc: 0, pos: start });
        let mut steps = 0usize;
        while let Some(entry) = stack.pop() {
            let (mut pc, mut pos) = match entry {
                Backtrack::Restore { slot, value } => {
                    slots[slot] = value;
                    continue;
                }
                Backtrack::Resume { pc, pos } => (pc, pos),
                Backtrack::Shorter { pc, pos, shortest } => {
                    if pos > shortest {
                        stack.push(Backtrack::Shorter { pc, pos: pos - 1, shortest });
                    }
                    (pc, pos)
                }
                Backtrack::Longer { pc, pos, count } => {
                    let Inst::Repeat { test, max, .. } = &self.program[pc] else { unreachable!("Longer is pushed by Repeat") };
                    match text.get(pos) {
                        Some(&c) if count < *max && test.matches(c) => {
                            stack.push(Backtrack::Longer { pc, pos: pos + 1, count: count + 1 });
                            (pc + 1, pos + 1)
                        }
                        _ => continue,
                    }
                }
            };
            loop {
                steps += 1;
                if steps > STEP_LIMIT {
                    return Err(Failure::GaveUp);
                }
                let current = text.get(pos).copied();
                match &self.program[pc] {
                    Inst::One(test) => match current {
                        Some(c) if test.matches(c) => {
                            pc += 1;
                            pos += 1;
                        }
                        _ => break,
                    },
                    Inst::Start if pos == 0 => pc += 1,
                    Inst::End if pos == text.len() || (pos + 1 == text.len() && current == Some('\n')) => pc += 1,
                    Inst::Start | Inst::End => break,
                    Inst::WordBoundary { negated } => {
                        let before = pos > 0 && is_word(text[pos - 1]);
                        let after = current.is_some_and(is_word);
                        if (before != after) == *negated {
                            break;
                        }
                        pc += 1;
                    }
                    Inst::NotPrecededBy(test) => {
                        if pos > 0 && test.matches(text[pos - 1]) {
                            break;
                        }
                        pc += 1;
                    }
                    Inst::Repeat { test, min, max, greedy } => {
                        // Greedy: as many as match (at most max); lazy: min.
                        let wanted = if *greedy { *max } else { *min };
                        let available = text.len() - pos.min(text.len());
                        let taken = text[pos.min(text.len())..][..wanted.min(available)]
                            .iter()
                            .position(|&c| !test.matches(c))
                            .unwrap_or(wanted.min(available));
                        steps += taken;
                        if taken < *min {
                            break;
                        }
                        if *greedy && taken > *min {
                            stack.push(Backtrack::Shorter { pc: pc + 1, pos: pos + taken - 1, shortest: pos + min });
                        } else if !*greedy && *max > *min {
                            stack.push(Backtrack::Longer { pc, pos: pos + taken, count: taken });
                        }
                        pos += taken;
                        pc += 1;
                    }
                    Inst::Split { preferred, other } => {
                        stack.push(Backtrack::Resume { pc: *other, pos });
                        pc = *preferred;
                    }
                    Inst::Jump(target) => pc = *target,
                    Inst::Save(slot) => {
                        stack.push(Backtrack::Restore { slot: *slot, value: slots[*slot] });
                        slots[*slot] = Some(pos);
                        pc += 1;
                    }
                    Inst::Match => return Ok(Match { start, end: pos, slots: slots.clone() }),
                }
            }
        }
        Err(Failure::NoMatch)
    }
}

/// The ASCII characters the program's first character test can accept, over
/// every path from its start; `None` when some path reaches `Match` without
/// testing a character. Assertions are passed through (they only narrow what
/// can match), so the set may be larger than needed, never smaller.
fn first_characters(program: &[Inst]) -> Option<u128> {
    let mut set = 0u128;
    let mut seen = vec![false; program.len()];
    let mut todo = vec![0];
    while let Some(pc) = todo.pop() {
        if std::mem::replace(&mut seen[pc], true) {
            continue;
        }
        match &program[pc] {
            Inst::One(test) | Inst::Repeat { test, min: 1.., .. } => set |= test.ascii,
            Inst::Repeat { test, .. } => {
                set |= test.ascii;
                todo.push(pc + 1);
            }
            Inst::Match => return None,
            Inst::Split { preferred, other } => todo.extend([*preferred, *other]),
            Inst::Jump(target) => todo.push(*target),
            Inst::Start | Inst::End | Inst::WordBoundary { .. } | Inst::NotPrecededBy(_) | Inst::Save(_) => {
                todo.push(pc + 1)
            }
        }
    }
    Some(set)
}

fn compile_alternatives(alternatives: &[Vec<Node>], program: &mut Vec<Inst>, flags: Flags) {
    // a|b|c: Split(a, next) … a, Jump(end) … ; the last has no Split.
    let mut jumps_to_end = Vec::new();
    for (i, alternative) in alternatives.iter().enumerate() {
        let is_last = i + 1 == alternatives.len();
        let split = program.len();
        if !is_last {
            program.push(Inst::Split { preferred: split + 1, other: usize::MAX });
        }
        for node in alternative {
            compile_node(node, program, flags);
        }
        if !is_last {
            jumps_to_end.push(program.len());
            program.push(Inst::Jump(usize::MAX));
            let next = program.len();
            program[split] = Inst::Split { preferred: split + 1, other: next };
        }
    }
    let end = program.len();
    for at in jumps_to_end {
        program[at] = Inst::Jump(end);
    }
}

fn compile_node(node: &Node, program: &mut Vec<Inst>, flags: Flags) {
    match node {
        Node::Char(c) => program.push(Inst::One(CharTest::new(Single::Char(*c), flags))),
        Node::AnyButNewline => program.push(Inst::One(CharTest::new(Single::AnyButNewline, flags))),
        Node::Class(class) => program.push(Inst::One(CharTest::new(Single::Class(class.clone()), flags))),
        Node::Start => program.push(Inst::Start),
        Node::End => program.push(Inst::End),
        Node::WordBoundary { negated } => program.push(Inst::WordBoundary { negated: *negated }),
        Node::NotPrecededBy(class) => program.push(Inst::NotPrecededBy(CharTest::new(Single::Class(class.clone()), flags))),
        Node::Group { capture, alternatives } => {
            if let Some(group) = capture {
                program.push(Inst::Save(2 * group));
            }
            compile_alternatives(alternatives, program, flags);
            if let Some(group) = capture {
                program.push(Inst::Save(2 * group + 1));
            }
        }
        Node::Repeat { node, min, max, greedy } => {
            assert!(*max != usize::MAX || !can_match_empty(node), "unbounded repetition of an empty match");
            let single = match &**node {
                Node::Char(c) => Some(Single::Char(*c)),
                Node::AnyButNewline => Some(Single::AnyButNewline),
                Node::Class(class) => Some(Single::Class(class.clone())),
                _ => None,
            };
            if let Some(single) = single {
                let test = CharTest::new(single, flags);
                program.push(Inst::Repeat { test, min: *min, max: *max, greedy: *greedy });
                return;
            }
            for _ in 0..*min {
                compile_node(node, program, flags);
            }
            // Greedy prefers one more repetition; lazy prefers to stop.
            let choice = |body: usize, after: usize| {
                if *greedy {
                    Inst::Split { preferred: body, other: after }
                } else {
                    Inst::Split { preferred: after, other: body }
                }
            };
            if *max == usize::MAX {
                // loop: Split(body, after); body; Jump(loop); after:
                let top = program.len();
                program.push(Inst::Jump(usize::MAX));
                compile_node(node, program, flags);
                program.push(Inst::Jump(top));
                let after = program.len();
                program[top] = choice(top + 1, after);
            } else {
                // Optional copies, each: Split(body, after); body; after:
                for _ in *min..*max {
                    let split = program.len();
                    program.push(Inst::Jump(usize::MAX));
                    compile_node(node, program, flags);
                    let after = program.len();
                    program[split] = choice(split + 1, after);
                }
            }
        }
    }
}

/// Whether a node can match without consuming a character.
fn can_match_empty(node: &Node) -> bool {
    match node {
        Node::Char(_) | Node::AnyButNewline | Node::Class(_) => false,
        Node::Start | Node::End | Node::WordBoundary { .. } | Node::NotPrecededBy(_) => true,
        Node::Group { alternatives, .. } => alternatives.iter().any(|a| a.iter().all(can_match_empty)),
        Node::Repeat { node, min, .. } => *min == 0 || can_match_empty(node),
    }
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    groups: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn eat(&mut self, text: &str) -> bool {
        let wanted: Vec<char> = text.chars().collect();
        if self.chars[self.pos..].starts_with(&wanted) {
            self.pos += wanted.len();
            true
        } else {
            false
        }
    }

    fn alternatives(&mut self) -> Vec<Vec<Node>> {
        let mut alternatives = vec![self.sequence()];
        while self.eat("|") {
            alternatives.push(self.sequence());
        }
        alternatives
    }

    fn sequence(&mut self) -> Vec<Node> {
        let mut nodes = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom();
            nodes.push(self.quantified(atom));
        }
        nodes
    }

    fn quantified(&mut self, atom: Node) -> Node {
        let (min, max) = match self.peek() {
            Some('*') => (0, usize::MAX),
            Some('+') => (1, usize::MAX),
            Some('?') => (0, 1),
            _ => return atom,
        };
        self.pos += 1;
        let greedy = !self.eat("?");
        Node::Repeat { node: Box::new(atom), min, max, greedy }
    }

    fn atom(&mut self) -> Node {
        let c = self.chars[self.pos];
        self.pos += 1;
        match c {
            '.' => Node::AnyButNewline,
            '^' => Node::Start,
            '$' => Node::End,
            '[' => Node::Class(self.class()),
            '(' => {
                if self.eat("?:") {
                    let alternatives = self.alternatives();
                    self.close_group();
                    Node::Group { capture: None, alternatives }
                } else if self.eat("?<!") {
                    let Node::Class(class) = self.atom() else { panic!("lookbehind must be one class") };
                    self.close_group();
                    Node::NotPrecededBy(class)
                } else {
                    self.groups += 1;
                    let index = self.groups - 1;
                    let alternatives = self.alternatives();
                    self.close_group();
                    Node::Group { capture: Some(index), alternatives }
                }
            }
            '\\' => self.escape(),
            '*' | '+' | '?' | '{' => panic!("nothing to repeat at {}", self.pos - 1),
            _ => Node::Char(c),
        }
    }

    fn close_group(&mut self) {
        assert!(self.eat(")"), "unclosed group at {}", self.pos);
    }

    fn escape(&mut self) -> Node {
        let c = self.chars[self.pos];
        self.pos += 1;
        let class = |item| Node::Class(Class { negated: false, items: vec![item] });
        match c {
            's' => class(ClassItem::Space(false)),
            'S' => class(ClassItem::Space(true)),
            'w' => class(ClassItem::Word(false)),
            'W' => class(ClassItem::Word(true)),
            'd' => class(ClassItem::Digit(false)),
            'D' => class(ClassItem::Digit(true)),
            'b' => Node::WordBoundary { negated: false },
            'B' => Node::WordBoundary { negated: true },
            't' => Node::Char('\t'),
            'n' => Node::Char('\n'),
            c if c.is_ascii_alphanumeric() => panic!("unsupported escape \\{c}"),
            c => Node::Char(c),
        }
    }

    fn class(&mut self) -> Class {
        let negated = self.eat("^");
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let c = self.chars[self.pos];
            self.pos += 1;
            if c == ']' && !first {
                break;
            }
            first = false;
            let item = if c == '\\' {
                let e = self.chars[self.pos];
                self.pos += 1;
                match e {
                    's' => ClassItem::Space(false),
                    'S' => ClassItem::Space(true),
                    'w' => ClassItem::Word(false),
                    'W' => ClassItem::Word(true),
                    'd' => ClassItem::Digit(false),
                    'D' => ClassItem::Digit(true),
                    't' => ClassItem::Char('\t'),
                    'n' => ClassItem::Char('\n'),
                    e if e.is_ascii_alphanumeric() => panic!("unsupported escape \\{e} in class"),
                    e => ClassItem::Char(e),
                }
            } else if self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|&n| n != ']') {
                let high = self.chars[self.pos + 1];
                self.pos += 2;
                ClassItem::Range(c, high)
            } else {
                ClassItem::Char(c)
            };
            items.push(item);
        }
        Class { negated, items }
    }
}

/// Python's `str.isspace()`, which `\s` and `str.strip()` follow.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `\w` for `str` patterns: alphanumeric or underscore.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn simple_lower(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

fn simple_upper(c: char) -> char {
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

impl Class {
    fn contains_exactly(&self, c: char) -> bool {
        self.items.iter().any(|item| match *item {
            ClassItem::Char(x) => x == c,
            ClassItem::Range(low, high) => (low..=high).contains(&c),
            ClassItem::Space(negated) => is_space(c) != negated,
            ClassItem::Word(negated) => is_word(c) != negated,
            ClassItem::Digit(negated) => c.is_ascii_digit() != negated,
        })
    }

    fn matches(&self, c: char, flags: Flags) -> bool {
        let found = self.contains_exactly(c)
            || (flags.ignore_case
                && (self.contains_exactly(simple_lower(c)) || self.contains_exactly(simple_upper(c))));
        found != self.negated
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(pattern: &str, flags: Flags, text: &str) -> Vec<Vec<Option<String>>> {
        let p = Pattern::new(pattern, flags);
        let subject = Subject::new(text);
        p.find_iter(&subject)
            .iter()
            .map(|m| (1..=p.groups).map(|i| m.group(&subject, i)).collect())
            .collect()
    }

    #[test]
    fn lazy_and_greedy_follow_python() {
        assert_eq!(groups(r"\((.+?)\)", NO_FLAGS, "(a) (b)"), vec![vec![Some("a".into())], vec![Some("b".into())]]);
        assert_eq!(groups(r"\((.+)\)", NO_FLAGS, "(a) (b)"), vec![vec![Some("a) (b".into())]]);
        assert_eq!(groups(r"(\w+)\s+KEY", IGNORECASE, "primary  key"), vec![vec![Some("primary".into())]]);
    }

    #[test]
    fn alternation_prefers_the_first_branch_and_backtracks() {
        let found = groups(r#"(?:"(.+?)"|(\w+))\s+X"#, NO_FLAGS, r#""a" "b" X c X"#);
        assert_eq!(found, vec![vec![Some(r#"a" "b"#.into()), None], vec![None, Some("c".into())]]);
    }

    #[test]
    fn classes_lookbehind_and_boundaries() {
        assert_eq!(groups(r"(?<![A-Za-z0-9_])(CHECK)", IGNORECASE, "xcheck check").len(), 1);
        assert_eq!(groups(r"[^a-c]+", NO_FLAGS, "abxyzc"), vec![Vec::<Option<String>>::new()]);
        assert_eq!(groups(r" *\bON\b *", NO_FLAGS, "NO ACTION ON UPDATE").len(), 1);
        assert_eq!(groups(r"[a-z]+", IGNORECASE, "ABC").len(), 1);
    }

    #[test]
    fn groups_in_repetitions_keep_their_last_iteration() {
        assert_eq!(groups(r"(?:(\w)\s*)+;", NO_FLAGS, "a b c;"), vec![vec![Some("c".into())]]);
    }

    #[test]
    fn end_matches_before_a_final_newline() {
        assert!(Pattern::new(r"a$", NO_FLAGS).match_at(&Subject::new("a\n"), 0).is_some());
        assert!(Pattern::new(r"a$", NO_FLAGS).match_at(&Subject::new("a\nb"), 0).is_none());
    }

    #[test]
    fn long_subjects_need_no_call_stack() {
        // The page runs on wasm's 1 MiB stack: a long quoted name, one
        // repetition per character, must match in a small stack.
        let run = || {
            let long = format!("\"{}\" X", "b".repeat(100_000));
            let p = Pattern::new(r#""((?:[^"]|"")+)"\s+X"#, NO_FLAGS);
            let subject = Subject::new(&long);
            p.find_iter(&subject).first().and_then(|m| m.group(&subject, 1)).map(|name| name.len())
        };
        let found = std::thread::Builder::new().stack_size(64 * 1024).spawn(run).unwrap().join().unwrap();
        assert_eq!(found, Some(100_000));
    }

    #[test]
    fn repeated_characters_backtrack_like_the_general_loop() {
        // Greedy gives back one at a time, lazy takes one more at a time.
        assert_eq!(groups(r"(a*)(a+)b", NO_FLAGS, "aaab"), vec![vec![Some("aa".into()), Some("a".into())]]);
        assert_eq!(groups(r"(a*?)(a+)b", NO_FLAGS, "aaab"), vec![vec![Some("".into()), Some("aaa".into())]]);
        assert_eq!(groups(r"(a?)(a?)a", NO_FLAGS, "aa"), vec![vec![Some("a".into()), Some("".into())]]);
        let none_taken = vec![Some(String::new()), Some(String::new())];
        assert_eq!(groups(r"(a??)(a??)a", NO_FLAGS, "aa"), vec![none_taken.clone(), none_taken]);
        assert_eq!(groups(r"x(.+?)y(.*)", NO_FLAGS, "xayby"), vec![vec![Some("a".into()), Some("by".into())]]);
        assert_eq!(groups(r"[a-z]+?\d", IGNORECASE, "ABc1"), vec![Vec::<Option<String>>::new()]);
        assert!(groups(r"a+b", NO_FLAGS, "aaa").is_empty());
    }

    #[test]
    fn long_subjects_lose_no_matches() {
        // Many cheap attempts add up to more steps than one attempt may
        // take; the limit is per attempt, so the match at the end is found.
        let text = format!("{}x UNIQUE", "ab ".repeat(400_000));
        let found = groups(r"(\w+)\s+UNIQUE", IGNORECASE, &text);
        assert_eq!(found, vec![vec![Some("x".into())]]);
    }

    #[test]
    fn pathological_subjects_give_up_instead_of_hanging() {
        // Exponential in Python; here it stops after the step limit.
        let text = format!("({}.)", "a".repeat(40));
        let p = Pattern::new(r"\(((?:[a-z]+\s*(?:,\s*)?)+)\)", NO_FLAGS);
        assert!(p.find_iter(&Subject::new(&text)).is_empty());
    }
}
