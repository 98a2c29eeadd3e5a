//! riusa-formats' integration tests: each format read from files as callers hand them over.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod publiccode;
