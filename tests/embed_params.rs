//! Embed URLs read into `EmbedConfig` (the parsing half of `src/ui/embed.rs`,
//! plain Rust, compiled here natively): what each URL asks for, every value
//! that can't be used named in a problem, and no panic on any input.

#[path = "../src/ui/embed.rs"]
#[allow(dead_code)]
mod embed;

use embed::{percent_decode, EmbedConfig, Pane};

use Pane::*;

/// A case: the query, then what the config holds. `problems` are
/// fragments, one per expected problem, in order.
struct Case {
    query: &'static str,
    embed: bool,
    lesson: Option<&'static str>,
    step: Option<usize>,
    project: Option<&'static str>,
    panes: &'static [Pane],
    readonly: bool,
    problems: &'static [&'static str],
}

const NOT_EMBEDDED: Case =
    Case { query: "", embed: false, lesson: None, step: None, project: None, panes: &[], readonly: false, problems: &[] };
const ALL_BUT_LESSON: &[Pane] = &[Code, Terminal, Database, Drift, History];

const CASES: &[Case] = &[
    Case { query: "", ..NOT_EMBEDDED },
    Case { query: "?lesson=03&panes=terminal", ..NOT_EMBEDDED },
    Case { query: "?embed=0&readonly=1", ..NOT_EMBEDDED },
    Case { query: "?embed=1", embed: true, panes: ALL_BUT_LESSON, ..NOT_EMBEDDED },
    Case { query: "?embed", embed: true, panes: ALL_BUT_LESSON, ..NOT_EMBEDDED },
    Case { query: "embed=true", embed: true, panes: ALL_BUT_LESSON, ..NOT_EMBEDDED },
    Case {
        query: "?embed=1&lesson=03-the-empty-migration&step=2",
        embed: true,
        lesson: Some("03-the-empty-migration"),
        step: Some(1),
        panes: &[Lesson, Code, Terminal, Database, Drift, History],
        ..NOT_EMBEDDED
    },
    Case {
        query: "?embed=1&lesson=3&step=1&panes=terminal,schema&readonly=1",
        embed: true,
        lesson: Some("3"),
        step: Some(0),
        panes: &[Terminal, Database],
        readonly: true,
        ..NOT_EMBEDDED
    },
    // Aliases, repeats, spaces (`+`, `%20`) and order don't matter; layout order is kept.
    Case {
        query: "?embed=1&panes=db+editor,%20history,code",
        embed: true,
        panes: &[Code, Database, History],
        ..NOT_EMBEDDED
    },
    Case {
        query: "?embed=1&project=v1.eNrLSM3JyQcABiwCFQ&panes=schema",
        embed: true,
        project: Some("v1.eNrLSM3JyQcABiwCFQ"),
        panes: &[Database],
        ..NOT_EMBEDDED
    },
    // Bad values: each named, none guessed.
    Case {
        query: "?embed=1&panes=terminal,%3Cscript%3Ealert(1)%3C/script%3E",
        embed: true,
        panes: &[Terminal],
        problems: &["panes: \"<script>alert(1)</script>\" is not a pane"],
        ..NOT_EMBEDDED
    },
    Case {
        query: "?embed=1&panes=nothing",
        embed: true,
        panes: ALL_BUT_LESSON,
        problems: &["\"nothing\" is not a pane", "names no pane"],
        ..NOT_EMBEDDED
    },
    Case {
        query: "?embed=1&panes=lesson,terminal",
        embed: true,
        panes: &[Terminal],
        problems: &["lesson needs lesson="],
        ..NOT_EMBEDDED
    },
    Case {
        query: "?embed=1&lesson=../../etc&step=0",
        embed: true,
        panes: ALL_BUT_LESSON,
        problems: &["lesson=\"../../etc\" is not a lesson", "step=\"0\" is not a step number"],
        ..NOT_EMBEDDED
    },
    Case {
        query: "?embed=1&lesson=3&step=-1",
        embed: true,
        lesson: Some("3"),
        panes: &[Lesson, Code, Terminal, Database, Drift, History],
        problems: &["step=\"-1\" is not a step number"],
        ..NOT_EMBEDDED
    },
    Case {
        query: "?embed=1&lesson=3&step=99999999999999999999999",
        embed: true,
        lesson: Some("3"),
        panes: &[Lesson, Code, Terminal, Database, Drift, History],
        problems: &["is not a step number"],
        ..NOT_EMBEDDED
    },
    Case {
        query: "?embed=1&step=2",
        embed: true,
        panes: ALL_BUT_LESSON,
        problems: &["step= needs lesson="],
        ..NOT_EMBEDDED
    },
    Case {
        query: "?embed=1&readonly=maybe&pane=terminal&project=",
        embed: true,
        panes: ALL_BUT_LESSON,
        problems: &["project= is empty", "readonly=\"maybe\" is not understood", "\"pane\" is not an embed parameter"],
        ..NOT_EMBEDDED
    },
    Case {
        query: "?embed=1&readonly=1&readonly=0",
        embed: true,
        panes: ALL_BUT_LESSON,
        problems: &["readonly= is given 2 times"],
        ..NOT_EMBEDDED
    },
    Case { query: "?embed=yes&readonly=on", embed: true, panes: ALL_BUT_LESSON, readonly: true, ..NOT_EMBEDDED },
];

fn check(case: &Case) {
    let config = EmbedConfig::from_query(case.query);
    let expected = (case.embed, case.lesson.map(str::to_string), case.step, case.project.map(str::to_string), case.panes.to_vec(), case.readonly);
    let actual = (config.embed, config.lesson.clone(), config.step, config.project.clone(), config.panes.clone(), config.readonly);
    assert_eq!(actual, expected, "query {:?}\n  expected {expected:?}\n  actual   {actual:?}", case.query);
    assert_eq!(
        config.problems.len(),
        case.problems.len(),
        "query {:?}: problems\n  expected fragments {:?}\n  actual {:#?}",
        case.query,
        case.problems,
        config.problems
    );
    for (fragment, problem) in case.problems.iter().zip(&config.problems) {
        assert!(problem.contains(fragment), "query {:?}: expected a problem with {fragment:?}, got {problem:?}", case.query);
    }
}

#[test]
fn embed_urls_read_as_documented() {
    for case in CASES {
        check(case);
    }
}

#[test]
fn percent_decoding_keeps_what_it_cannot_decode() {
    let cases = [
        ("a+b%20c", "a b c"),
        ("%3Cscript%3E", "<script>"),
        ("100%", "100%"),
        ("%zz%4", "%zz%4"),
        ("%C3%A9", "é"),
        ("%FF", "\u{FFFD}"),
        ("%", "%"),
    ];
    for (input, expected) in cases {
        assert_eq!(percent_decode(input), expected, "{input:?}");
    }
}

/// Regression guard: no input panics (truncated escapes at every position,
/// multi-byte text, separators alone, a huge query).
#[test]
fn no_query_panics() {
    let pieces = ["embed=1", "&", "=", "%", "%E2%82", "é", "panes=,,,", "step=", "lesson=%00", "?", "+", "%2"];
    for a in pieces {
        for b in pieces {
            for c in pieces {
                let query = format!("{a}{b}{c}");
                for end in 0..=query.len() {
                    if query.is_char_boundary(end) {
                        let config = EmbedConfig::from_query(&query[..end]);
                        assert!(config.embed || config.problems.is_empty());
                    }
                }
            }
        }
    }
    let huge = format!("?embed=1&project={}&panes={}", "A".repeat(200_000), "x,".repeat(10_000));
    let config = EmbedConfig::from_query(&huge);
    assert_eq!(config.project.as_ref().map(String::len), Some(200_000));
    assert_eq!(config.problems.len(), 10_000 + 1, "each bad pane named, then the empty list");
}
