//! One repository per context. Each write function owns its transaction and its change-feed rows.

pub mod catalog;
pub mod feed;
pub mod organizations;

use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, TransactionTrait};

use crate::{Store, StoreError};

/// Rows per multi-row statement: far below SQLite's 32,766 and PostgreSQL's 65,535 parameters.
pub(crate) const BATCH_ROWS: usize = 500;

/// Opens a write transaction that may append to the change feed.
pub(crate) async fn begin_write(store: &Store) -> Result<DatabaseTransaction, StoreError> {
    let txn = store.connection().begin().await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        // Serialises feed writers so that `seq` order is commit order (see README).
        txn.execute_unprepared("SELECT pg_advisory_xact_lock(7274872)")
            .await?;
    }
    Ok(txn)
}
