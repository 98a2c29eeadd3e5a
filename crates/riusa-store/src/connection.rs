use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};
use sea_orm_migration::MigratorTrait;

use crate::error::StoreError;
use crate::migrations::Migrator;
use crate::repo::accounts::AccountRepo;
use crate::repo::attachments::AttachmentRepo;
use crate::repo::audit::AuditRepo;
use crate::repo::catalog::CatalogRepo;
use crate::repo::feed::ChangeFeed;
use crate::repo::notifications::NotificationRepo;
use crate::repo::organizations::OrganizationRepo;
use crate::repo::settings::SettingRepo;
use crate::repo::software::SoftwareRepo;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database, shared by every request (cheap to clone: a pool handle).
#[derive(Debug, Clone)]
pub struct Store {
    db: DatabaseConnection,
    backend: Backend,
}

impl Store {
    /// Connects to `sqlite://PATH` (created if missing) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_owned()));
        };
        let mut options = ConnectOptions::new(url.to_owned());
        options
            .sqlx_logging(false)
            .acquire_timeout(Duration::from_secs(10))
            .connect_timeout(Duration::from_secs(10));
        match backend {
            Backend::Sqlite => {
                // WAL lets readers go on while the single writer writes; the busy timeout makes
                // a second writer wait instead of failing.
                // One file on one machine: a few connections saturate it, and each keeps its own
                // page cache (1 MiB here; the OS caches the file as well).
                options.max_connections(4).map_sqlx_sqlite_opts(|opts| {
                    opts.create_if_missing(true)
                        .journal_mode(SqliteJournalMode::Wal)
                        .synchronous(SqliteSynchronous::Normal)
                        .foreign_keys(true)
                        .busy_timeout(Duration::from_secs(10))
                        .pragma("cache_size", "-1024")
                        // A bulk import grows the log to the size of what it wrote; after
                        // each checkpoint it is cut back to this (64 MiB), not kept for reuse.
                        .pragma("journal_size_limit", "67108864")
                });
            }
            Backend::Postgres => {
                options.max_connections(16);
            }
        }
        let db = Database::connect(options).await?;
        Ok(Store { db, backend })
    }

    /// Applies the migrations that are not applied yet.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        Migrator::up(&self.db, None).await?;
        Ok(())
    }

    /// Whether every migration this binary knows is applied.
    pub async fn is_migrated(&self) -> Result<bool, StoreError> {
        Ok(Migrator::get_pending_migrations(&self.db).await?.is_empty())
    }

    /// A trivial round trip, for readiness checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.db.execute_unprepared("SELECT 1").await?;
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }

    pub fn catalog(&self) -> CatalogRepo<'_> {
        CatalogRepo::new(self)
    }

    pub fn attachments(&self) -> AttachmentRepo<'_> {
        AttachmentRepo::new(self)
    }

    pub fn organizations(&self) -> OrganizationRepo<'_> {
        OrganizationRepo::new(self)
    }

    pub fn accounts(&self) -> AccountRepo<'_> {
        AccountRepo::new(self)
    }

    pub fn audit(&self) -> AuditRepo<'_> {
        AuditRepo::new(self)
    }

    pub fn notifications(&self) -> NotificationRepo<'_> {
        NotificationRepo::new(self)
    }

    pub fn settings(&self) -> SettingRepo<'_> {
        SettingRepo::new(self)
    }

    pub fn software(&self) -> SoftwareRepo<'_> {
        SoftwareRepo::new(self)
    }

    pub fn feed(&self) -> ChangeFeed<'_> {
        ChangeFeed::new(self)
    }

    pub async fn close(self) -> Result<(), StoreError> {
        self.db.close().await?;
        Ok(())
    }
}
