//! The one error type of this crate: a registry file that cannot be read as a whole.
//!
//! Practice files do not fail as a whole: each record reports its own
//! [`Problem`](crate::practice_json::Problem), so one bad line does not hide the others.

/// Why a registry file (IPA, ISTAT) could not be read; `line` is 1-based, header included.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// The CSV reader refused a record (wrong number of fields, invalid UTF-8); `line` is 0 when
    /// the reader could not tell where.
    #[error("csv error at line {line}: {message}")]
    Csv { line: usize, message: String },
    /// The population JSON is not an array of comuni (serde_json's message, with its position).
    #[error("json error: {message}")]
    Json { message: String },
    /// A required column is absent from the header (`line` 1) or empty in a record.
    #[error("line {line}: missing {column}")]
    Missing { line: usize, column: &'static str },
    /// A value is present but not of the expected shape (e.g. an ISTAT code that is not digits).
    #[error("line {line}: invalid {column}")]
    Invalid { line: usize, column: &'static str },
    /// The same key (IPA code, ISTAT code) appears again at this line.
    #[error("line {line}: duplicate {key}")]
    Duplicate { line: usize, key: String },
}

/// Line numbers and offsets are `u64` in the csv crate; a file held in memory fits in `usize`.
pub(crate) fn usize_from(value: u64) -> usize {
    usize::try_from(value).unwrap_or(usize::MAX)
}
