//! Validation outcomes as codes with data: the web and CLI turn them into sentences.

use std::fmt;

/// What is wrong with one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Violation {
    Required,
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    InvalidSlug,
    InvalidIstatCode,
    InvalidUrl,
    InvalidLicense,
    InvalidLanguage,
    EndBeforeStart,
    /// A date of something that already happened lies ahead of today.
    InFuture,
    Duplicate,
    NoOwner,
    UnknownTheme {
        slug: String,
    },
    UnknownOrganization {
        ipa: String,
    },
    UnknownPlace {
        istat: String,
    },
    NotANumber,
    InvalidEmail,
    /// Found among the passwords attackers try first, or too easy to guess.
    CommonPassword,
}

/// Why the workflow or a role refuses an action (codes with data; the web turns them into words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The person's roles do not allow it.
    Forbidden,
    /// Not from this state, e.g. publishing a draft nobody submitted.
    InvalidTransition {
        action: &'static str,
        status: &'static str,
        draft: &'static str,
    },
    /// Somebody saved a newer revision since this one was read.
    Stale { expected: u32, current: u32 },
    /// Only a practice that was never published may be removed.
    PublishedBefore,
}

impl Violation {
    /// A stable code for programs (the API's `errors[].code`); sentences are the web's.
    pub fn code(&self) -> &'static str {
        match self {
            Violation::Required => "required",
            Violation::TooShort { .. } => "too_short",
            Violation::TooLong { .. } => "too_long",
            Violation::InvalidSlug => "invalid_slug",
            Violation::InvalidIstatCode => "invalid_istat_code",
            Violation::InvalidUrl => "invalid_url",
            Violation::InvalidLicense => "invalid_license",
            Violation::InvalidLanguage => "invalid_language",
            Violation::EndBeforeStart => "end_before_start",
            Violation::InFuture => "in_future",
            Violation::Duplicate => "duplicate",
            Violation::NoOwner => "no_owner",
            Violation::UnknownTheme { .. } => "unknown_theme",
            Violation::UnknownOrganization { .. } => "unknown_organization",
            Violation::UnknownPlace { .. } => "unknown_place",
            Violation::NotANumber => "not_a_number",
            Violation::InvalidEmail => "invalid_email",
            Violation::CommonPassword => "common_password",
        }
    }
}

/// A violation at a path of the practice record, e.g. `owners[1].ipa`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub violation: Violation,
}

impl FieldError {
    pub fn new(field: impl Into<String>, violation: Violation) -> Self {
        Self {
            field: field.into(),
            violation,
        }
    }
}

/// The one error type of this crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("invalid record: {}", summarize(.0))]
    Invalid(Vec<FieldError>),
    #[error("refused: {0:?}")]
    Refused(Refusal),
}

fn summarize(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {:?}", e.field, e.violation))
        .collect::<Vec<_>>()
        .join("; ")
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {:?}", self.field, self.violation)
    }
}
