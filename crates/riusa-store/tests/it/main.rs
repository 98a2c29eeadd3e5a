//! Store integration tests, on SQLite or on PostgreSQL (`RIUSA_TEST_DATABASE_URL`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod attachments;
mod catalog;
mod feed;
mod organizations;
mod software;
mod workflow;
