#![doc = include_str!("../README.md")]

mod error;
pub mod practice_json;
pub mod publiccode;
pub mod registry;

pub use error::FormatError;
pub use practice_json::{
    Item, Limits, LineRecord, PracticeReader, Problem, ReadOutcome, RecordError, read_practices,
    write_practice_line,
};
pub use registry::{read_municipalities, read_organizations};
