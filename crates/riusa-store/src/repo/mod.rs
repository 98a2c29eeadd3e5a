//! One repository per context. Each write function owns its transaction and its change-feed rows.

pub mod accounts;
pub mod attachments;
pub mod audit;
pub mod catalog;
pub mod feed;
pub mod notifications;
pub mod organizations;
pub mod settings;
pub mod software;
pub mod write;

/// Rows per multi-row statement: far below SQLite's 32,766 and PostgreSQL's 65,535 parameters.
pub(crate) const BATCH_ROWS: usize = 500;
