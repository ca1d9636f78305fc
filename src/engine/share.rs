//! Share links: a project (files and databases) with the lesson and step it
//! was at, put into a URL fragment — JSON, compressed with zlib (deflate),
//! in base64url, behind a version prefix (`v1.`) — so no server is needed.
//!
//! A fragment is untrusted input. [`decode`] checks its length before
//! anything else ([`MAX_URL_FRAGMENT`]), inflates it with a bound
//! ([`MAX_DECOMPRESSED`], so a small link can't expand into a huge one) and
//! checks the project as a saved session's (`saved`'s paths and limits);
//! every failure is a [`ShareError`] whose text a learner can read.

use std::fmt;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::{alphabet, Engine as _};
use miniz_oxide::inflate::TINFLStatus;
use serde::{Deserialize, Serialize};

use super::project::Project;
use super::saved::{self, human_size, ProjectData};

/// What every link of this format starts with.
pub const VERSION_PREFIX: &str = "v1.";
/// The longest fragment a link carries (without its `#`). A longer project
/// is too large for a link: offer a file instead.
pub const MAX_URL_FRAGMENT: usize = 64 * 1024;
/// The most a fragment may inflate to.
pub const MAX_DECOMPRESSED: usize = 8 * 1024 * 1024;
/// The longest lesson id, and the highest step number.
const MAX_LESSON_ID: usize = 100;
const MAX_STEP: usize = 10_000;

/// base64url without padding; padding is accepted when reading (some
/// programs add it when they copy a link).
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// What a share link holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SharedState {
    pub project: Project,
    /// The lesson's id (its folder name, `03-the-empty-migration`), if any...
    pub lesson: Option<String>,
    /// ...and the step it was at.
    pub step: Option<usize>,
}

/// The JSON inside a link.
#[derive(Serialize, Deserialize)]
struct Wire {
    project: ProjectData,
    #[serde(default)]
    lesson: Option<String>,
    #[serde(default)]
    step: Option<usize>,
}

/// Why a link can't be made or opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// Nothing after the `#`.
    Empty,
    /// A link being made would be longer than [`MAX_URL_FRAGMENT`] (or hold
    /// more than [`MAX_DECOMPRESSED`]): offer a file instead.
    TooLarge { length: usize, max: usize },
    /// A link being opened is longer than [`MAX_URL_FRAGMENT`].
    TooLong { length: usize, max: usize },
    /// Not the start of a driftlab link at all.
    NotALink,
    /// A driftlab link of another format version (`v2.`).
    UnsupportedVersion(String),
    /// A character base64url doesn't have, or an impossible length.
    Garbled,
    /// The compressed data ends early (the link was cut when copied).
    Truncated,
    /// Inflates to more than [`MAX_DECOMPRESSED`].
    TooLargeInside { max: usize },
    /// Inflated, but not JSON of the right shape.
    BadData { line: usize, column: usize, message: String },
    /// Well-formed, but holding something driftlab won't load.
    Invalid(String),
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::Empty => write!(f, "This link holds no project."),
            ShareError::TooLong { length, max } => write!(
                f,
                "This share link is too long ({}; the limit is {}): driftlab won't open it.",
                human_size(*length),
                human_size(*max)
            ),
            ShareError::TooLarge { length, max } => write!(
                f,
                "This project is too large for a link ({} where a link holds {}). Download it as a file instead.",
                human_size(*length),
                human_size(*max)
            ),
            ShareError::NotALink => write!(f, "This is not a driftlab share link."),
            ShareError::UnsupportedVersion(version) => write!(
                f,
                "This share link was made by another version of driftlab (format {version}); this page reads {}.",
                VERSION_PREFIX.trim_end_matches('.')
            ),
            ShareError::Garbled => write!(f, "This share link is damaged: it contains characters a driftlab link never has."),
            ShareError::Truncated => {
                write!(f, "This share link is cut short: part of it is missing. Copy the whole link and try again.")
            }
            ShareError::TooLargeInside { max } => {
                write!(f, "This share link unpacks to more than {}: driftlab won't open it.", human_size(*max))
            }
            ShareError::BadData { line, column, message } => {
                write!(f, "This share link is damaged and can't be read ({message} at line {line}, column {column}).")
            }
            ShareError::Invalid(reason) => write!(f, "This share link holds something driftlab won't load: {reason}."),
        }
    }
}

impl std::error::Error for ShareError {}

fn check_lesson(lesson: Option<&str>, step: Option<usize>) -> Result<(), String> {
    if let Some(id) = lesson {
        let fine = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
        if id.is_empty() || id.len() > MAX_LESSON_ID || !id.chars().all(fine) {
            return Err(format!("the lesson name {:?} is not one a lesson can have", id.chars().take(MAX_LESSON_ID).collect::<String>()));
        }
    }
    if step.is_some_and(|s| s > MAX_STEP) {
        return Err(format!("the step number {} is not one a lesson can have", step.unwrap_or_default()));
    }
    Ok(())
}

/// The fragment for `state` (without the `#`). Refused when the link would
/// not open: too long for a URL ([`ShareError::TooLarge`]: offer a file),
/// too large inside, or a project over the limits.
pub fn encode(state: &SharedState) -> Result<String, ShareError> {
    saved::check_project(&state.project).map_err(ShareError::Invalid)?;
    check_lesson(state.lesson.as_deref(), state.step).map_err(ShareError::Invalid)?;
    let wire = Wire { project: ProjectData::from_project(&state.project), lesson: state.lesson.clone(), step: state.step };
    let json = serde_json::to_vec(&wire).map_err(|e| ShareError::Invalid(e.to_string()))?;
    if json.len() > MAX_DECOMPRESSED {
        return Err(ShareError::TooLarge { length: json.len(), max: MAX_DECOMPRESSED });
    }
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(&json, 9);
    let fragment = format!("{VERSION_PREFIX}{}", BASE64URL.encode(compressed));
    if fragment.len() > MAX_URL_FRAGMENT {
        return Err(ShareError::TooLarge { length: fragment.len(), max: MAX_URL_FRAGMENT });
    }
    Ok(fragment)
}

/// Reads a link's fragment (with or without its `#`). Never panics.
pub fn decode(fragment: &str) -> Result<SharedState, ShareError> {
    let fragment = fragment.trim();
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment).trim();
    if fragment.is_empty() {
        return Err(ShareError::Empty);
    }
    if fragment.len() > MAX_URL_FRAGMENT {
        return Err(ShareError::TooLong { length: fragment.len(), max: MAX_URL_FRAGMENT });
    }
    let Some(payload) = fragment.strip_prefix(VERSION_PREFIX) else {
        return Err(match fragment.split_once('.') {
            Some((version, _))
                if version.len() > 1
                    && version.len() <= 6
                    && version.starts_with('v')
                    && version[1..].bytes().all(|b| b.is_ascii_digit()) =>
            {
                ShareError::UnsupportedVersion(version.to_string())
            }
            _ => ShareError::NotALink,
        });
    };
    let compressed = BASE64URL.decode(payload).map_err(|_| {
        // Every character is base64url's, so the length is what's wrong: the link was cut.
        let alphabet = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'=');
        if payload.bytes().all(alphabet) {
            ShareError::Truncated
        } else {
            ShareError::Garbled
        }
    })?;
    let json = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&compressed, MAX_DECOMPRESSED).map_err(|e| {
        match e.status {
            TINFLStatus::HasMoreOutput => ShareError::TooLargeInside { max: MAX_DECOMPRESSED },
            TINFLStatus::FailedCannotMakeProgress => ShareError::Truncated,
            _ => ShareError::Garbled,
        }
    })?;
    // `from_str`, as saved sessions are read: one copy of the deserializers in the page.
    let json = String::from_utf8(json).map_err(|e| {
        let before = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = before.len() - before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
        ShareError::BadData { line, column, message: "invalid UTF-8".to_string() }
    })?;
    let wire: Wire = serde_json::from_str(&json).map_err(|e| {
        let (line, column, message) = saved::serde_position(&e);
        ShareError::BadData { line, column, message }
    })?;
    check_lesson(wire.lesson.as_deref(), wire.step).map_err(ShareError::Invalid)?;
    let project = wire.project.to_project().map_err(ShareError::Invalid)?;
    Ok(SharedState { project, lesson: wire.lesson, step: wire.step })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_fragment_safe_and_round_trips() {
        let mut project = Project::new();
        project.write("main.py", "print('hi')\n");
        project.write("todos.db", b"SQLite format 3\0\x01\x02".to_vec());
        project.create_dir_all("alembic/versions");
        let state = SharedState { project, lesson: Some("03-the-empty-migration".into()), step: Some(2) };
        let link = encode(&state).unwrap();
        assert!(link.starts_with("v1."));
        assert!(link[3..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{link}");
        assert_eq!(decode(&format!("#{link}")).unwrap(), state);
    }
}
