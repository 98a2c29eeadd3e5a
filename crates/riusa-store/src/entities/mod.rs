//! SeaORM entities: one module per table. Lists of value objects (funding, metrics, links,
//! sections, support) are JSON text columns: they are always read and written whole, never
//! queried, and text keeps one code path on SQLite and PostgreSQL.

pub mod access_token;
pub mod account;
pub mod attachment;
pub mod audit_event;
pub mod change_feed;
pub mod invitation;
pub mod membership;
pub mod municipality;
pub mod notification;
pub mod oidc_identity;
pub mod one_time_token;
pub mod organization;
pub mod practice;
pub mod practice_owner;
pub mod practice_place;
pub mod practice_revision;
pub mod practice_theme;
pub mod review_comment;
pub mod revision_attachment;
pub mod session;
pub mod setting;
pub mod software;
pub mod theme;
