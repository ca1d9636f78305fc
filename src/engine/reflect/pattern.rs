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
//! panics or overflows the call stack; a search that would take more steps
//! than a generous limit (where Python's own engine would run for ages)
//! gives up and reports no further matches.

/// How many machine steps one search may take before it gives up.
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

/// One instruction of a compiled pattern.
#[derive(Debug)]
enum Inst {
    Char(char),
    AnyButNewline,
    Class(Class),
    Start,
    End,
    WordBoundary { negated: bool },
    NotPrecededBy(Class),
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
    flags: Flags,
}

/// Text to match against, as characters (Python indexes strings by code point).
pub struct Subject {
    chars: Vec<char>,
}

impl Subject {
    pub fn new(text: &str) -> Self {
        Subject { chars: text.chars().collect() }
    }

    pub fn chars(&self) -> &[char] {
        &self.chars
    }

    /// The text between two character positions.
    pub fn slice(&self, start: usize, end: usize) -> String {
        let end = end.min(self.chars.len());
        self.chars[start.min(end)..end].iter().collect()
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
        compile_alternatives(&alternatives, &mut program);
        program.push(Inst::Match);
        Pattern { program, groups: parser.groups, flags }
    }

    /// `re.match`: a match starting at `start`, if any.
    pub fn match_at(&self, subject: &Subject, start: usize) -> Option<Match> {
        let mut steps = 0;
        self.attempt(subject, start, &mut steps)
    }

    /// `re.search`: the first match anywhere.
    pub fn search(&self, subject: &Subject) -> Option<Match> {
        let mut steps = 0;
        (0..=subject.chars.len()).find_map(|start| self.attempt(subject, start, &mut steps))
    }

    /// `re.finditer`: every non-overlapping match, left to right.
    pub fn find_iter(&self, subject: &Subject) -> Vec<Match> {
        let mut found = Vec::new();
        let mut steps = 0;
        let mut pos = 0;
        while pos <= subject.chars.len() && steps <= STEP_LIMIT {
            match self.attempt(subject, pos, &mut steps) {
                Some(m) => {
                    pos = if m.end > m.start { m.end } else { m.end + 1 };
                    found.push(m);
                }
                None => pos += 1,
            }
        }
        found
    }

    /// Runs the program from `start`: the first way through, in Python's
    /// order of preference, that reaches `Match`.
    fn attempt(&self, subject: &Subject, start: usize, steps: &mut usize) -> Option<Match> {
        enum Backtrack {
            /// Resume a thread here.
            Resume { pc: usize, pos: usize },
            /// Undo a capture made after the last choice point.
            Restore { slot: usize, value: Option<usize> },
        }
        let text = &subject.chars;
        let mut slots: Vec<Option<usize>> = vec![None; 2 * self.groups];
        let mut stack = vec![Backtrack::Resume { pc: 0, pos: start }];
        while let Some(entry) = stack.pop() {
            let (mut pc, mut pos) = match entry {
                Backtrack::Restore { slot, value } => {
                    slots[slot] = value;
                    continue;
                }
                Backtrack::Resume { pc, pos } => (pc, pos),
            };
            loop {
                *steps += 1;
                if *steps > STEP_LIMIT {
                    return None;
                }
                let current = text.get(pos).copied();
                match &self.program[pc] {
                    Inst::Char(_) | Inst::AnyButNewline | Inst::Class(_) => {
                        match current {
                            Some(c) if self.char_matches(&self.program[pc], c) => {
                                pc += 1;
                                pos += 1;
                            }
                            _ => break,
                        }
                    }
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
                    Inst::NotPrecededBy(class) => {
                        if pos > 0 && class.matches(text[pos - 1], self.flags) {
                            break;
                        }
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
                    Inst::Match => return Some(Match { start, end: pos, slots }),
                }
            }
        }
        None
    }

    /// Whether the one-character instruction `inst` matches `c`.
    fn char_matches(&self, inst: &Inst, c: char) -> bool {
        match inst {
            Inst::Char(x) => *x == c || (self.flags.ignore_case && simple_lower(*x) == simple_lower(c)),
            Inst::AnyButNewline => self.flags.dot_all || c != '\n',
            Inst::Class(class) => class.matches(c, self.flags),
            _ => false,
        }
    }
}

fn compile_alternatives(alternatives: &[Vec<Node>], program: &mut Vec<Inst>) {
    // a|b|c: Split(a, next) … a, Jump(end) … ; the last has no Split.
    let mut jumps_to_end = Vec::new();
    for (i, alternative) in alternatives.iter().enumerate() {
        let is_last = i + 1 == alternatives.len();
        let split = program.len();
        if !is_last {
            program.push(Inst::Split { preferred: split + 1, other: usize::MAX });
        }
        for node in alternative {
            compile_node(node, program);
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

fn compile_node(node: &Node, program: &mut Vec<Inst>) {
    match node {
        Node::Char(c) => program.push(Inst::Char(*c)),
        Node::AnyButNewline => program.push(Inst::AnyButNewline),
        Node::Class(class) => program.push(Inst::Class(class.clone())),
        Node::Start => program.push(Inst::Start),
        Node::End => program.push(Inst::End),
        Node::WordBoundary { negated } => program.push(Inst::WordBoundary { negated: *negated }),
        Node::NotPrecededBy(class) => program.push(Inst::NotPrecededBy(class.clone())),
        Node::Group { capture, alternatives } => {
            if let Some(group) = capture {
                program.push(Inst::Save(2 * group));
            }
            compile_alternatives(alternatives, program);
            if let Some(group) = capture {
                program.push(Inst::Save(2 * group + 1));
            }
        }
        Node::Repeat { node, min, max, greedy } => {
            assert!(*max != usize::MAX || !can_match_empty(node), "unbounded repetition of an empty match");
            for _ in 0..*min {
                compile_node(node, program);
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
                compile_node(node, program);
                program.push(Inst::Jump(top));
                let after = program.len();
                program[top] = choice(top + 1, after);
            } else {
                // Optional copies, each: Split(body, after); body; after:
                for _ in *min..*max {
                    let split = program.len();
                    program.push(Inst::Jump(usize::MAX));
                    compile_node(node, program);
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
    fn pathological_subjects_give_up_instead_of_hanging() {
        // Exponential in Python; here it stops after the step limit.
        let text = format!("({}.)", "a".repeat(40));
        let p = Pattern::new(r"\(((?:[a-z]+\s*(?:,\s*)?)+)\)", NO_FLAGS);
        assert!(p.find_iter(&Subject::new(&text)).is_empty());
    }
}
