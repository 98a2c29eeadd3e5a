//! SeaORM entities: one module per table. Lists of value objects (funding, metrics, links,
//! sections, support) are JSON text columns: they are always read and written whole, never
//! queried, and text keeps one code path on SQLite and PostgreSQL.

pub mod change_feed;
pub mod municipality;
pub mod organization;
pub mod practice;
pub mod practice_owner;
pub mod practice_place;
pub mod practice_theme;
pub mod theme;
