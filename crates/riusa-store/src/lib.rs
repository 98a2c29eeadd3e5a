#![doc = include_str!("../README.md")]

#[cfg(feature = "bench")]
pub mod bench;
mod connection;
pub mod entities;
mod error;
mod migrations;
pub mod repo;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod views;

pub use connection::{Backend, Store};
pub use error::StoreError;
pub use repo::catalog::{CatalogRepo, NewTheme, PracticeFilter, PracticeImport, UpsertOutcome};
pub use repo::feed::{ChangeEntry, ChangeFeed, EntityKind};
pub use repo::organizations::{OrganizationRepo, UpsertCounts};
pub use riusa_domain::organizations::{NewMunicipality, NewOrganization};
pub use views::*;

/// One page of an ordered listing.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
}
