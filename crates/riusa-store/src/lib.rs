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
pub use repo::accounts::{
    AccountRepo, AccountView, Credentials, InvitationView, LinkPurpose, NewAccount, SessionView,
    TokenView,
};
pub use repo::attachments::{AttachmentAccess, AttachmentRepo, AttachmentView, NewAttachment};
pub use repo::audit::{AuditFilter, AuditRepo, AuditView, RateKey};
pub use repo::catalog::{
    Applied, CatalogRepo, CommentView, NewTheme, PracticeFilter, PracticeImport, QueueFilter,
    QueueItem, RevisionSummary, RevisionView, UpsertOutcome,
};
pub use repo::feed::{ChangeEntry, ChangeFeed, EntityKind, FeedOp};
pub use repo::notifications::{NotificationRepo, NotificationView, OutgoingEmail};
pub use repo::organizations::{DirectoryEntry, OrganizationFilter, OrganizationRepo, UpsertCounts};
pub use repo::settings::SettingRepo;
pub use repo::software::{SoftwareChoices, SoftwareFilter, SoftwareRepo, SoftwareView};
pub use repo::write::{Actor, AuditEntry, NewNotification, Recipient};
pub use riusa_domain::organizations::{NewMunicipality, NewOrganization};
pub use views::*;

/// One page of an ordered listing.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
}
