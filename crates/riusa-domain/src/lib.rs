#![doc = include_str!("../README.md")]

pub mod accounts;
pub mod catalog;
pub mod error;
pub mod names;
pub mod organizations;
pub mod software;
pub mod text;

pub use error::{DomainError, FieldError, Refusal, Violation};
