//! Schema migrations, one file per step; a released step is never edited (expand, switch,
//! contract). Schema builders keep one definition for SQLite and PostgreSQL.

use sea_orm_migration::prelude::*;

mod m20261125_000001_create_registry;
mod m20261125_000002_create_catalog;
mod m20261125_000003_create_change_feed;
mod m20261201_000001_create_accounts;
mod m20261201_000002_create_audit;
mod m20261201_000003_create_revisions;
mod m20261201_000004_create_notifications;
mod m20261215_000001_create_attachments;
mod m20261220_000001_organization_search_name;
mod m20261221_000001_create_software;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_create_registry::Migration),
            Box::new(m20261125_000002_create_catalog::Migration),
            Box::new(m20261125_000003_create_change_feed::Migration),
            Box::new(m20261201_000001_create_accounts::Migration),
            Box::new(m20261201_000002_create_audit::Migration),
            Box::new(m20261201_000003_create_revisions::Migration),
            Box::new(m20261201_000004_create_notifications::Migration),
            Box::new(m20261215_000001_create_attachments::Migration),
            Box::new(m20261220_000001_organization_search_name::Migration),
            Box::new(m20261221_000001_create_software::Migration),
        ]
    }
}
