//! Keeps a node's index in step with the database by reading the change feed in `seq` order.

use std::sync::Arc;
use std::time::Duration;

use riusa_store::{EntityKind, PracticeFilter, Store};
use tokio::sync::watch;
use uuid::Uuid;

use crate::error::SearchError;
use crate::index::SearchIndex;

/// Feed entries read per round.
const FEED_BATCH: u64 = 1_000;
/// Practices loaded from the database per batch.
const VIEW_BATCH: u64 = 500;

/// Rebuilds the whole index from the database; returns the number of practices indexed.
///
/// The feed position is read *before* the walk: a change committed during the walk is both
/// (maybe) seen by the walk and replayed by the follower afterwards, which is harmless.
pub async fn rebuild(
    store: &Store,
    index: &SearchIndex,
    mut progress: impl FnMut(u64),
) -> Result<u64, SearchError> {
    let seq = store.feed().last_seq().await?;
    let mut rebuild = index.rebuild()?;
    let mut after: Option<String> = None;
    let mut indexed = 0;
    loop {
        let views = store
            .catalog()
            .views_after_slug(after.as_deref(), VIEW_BATCH, PracticeFilter::published())
            .await?;
        let Some(last) = views.last() else { break };
        after = Some(last.slug.clone());
        rebuild.add(&views)?;
        indexed += views.len() as u64;
        progress(indexed);
    }
    rebuild.finish(seq)?;
    Ok(indexed)
}

/// Follows the change feed into the index.
pub struct Follower {
    store: Store,
    index: Arc<SearchIndex>,
    applied: i64,
}

impl Follower {
    /// Prepares a follower; an index that was never committed is rebuilt first.
    pub async fn start(store: Store, index: Arc<SearchIndex>) -> Result<Follower, SearchError> {
        let applied = match index.applied_seq()? {
            Some(seq) => seq,
            None => {
                let count = rebuild(&store, &index, |_| {}).await?;
                tracing::info!(count, "search index rebuilt");
                index.applied_seq()?.unwrap_or(0)
            }
        };
        Ok(Follower {
            store,
            index,
            applied,
        })
    }

    pub fn applied(&self) -> i64 {
        self.applied
    }

    /// Applies every entry committed since the last call; returns how many were applied.
    pub async fn catch_up(&mut self) -> Result<usize, SearchError> {
        let mut applied_entries = 0;
        loop {
            let entries = self.store.feed().since(self.applied, FEED_BATCH).await?;
            let Some(last) = entries.last() else {
                return Ok(applied_entries);
            };
            let last_seq = last.seq;
            let mut ids: Vec<Uuid> = Vec::new();
            for entry in &entries {
                match entry.entity {
                    EntityKind::Practice => ids.push(entry.entity_id),
                    EntityKind::Organization => ids.extend(
                        self.store
                            .catalog()
                            .ids_by_organization(entry.entity_id)
                            .await?,
                    ),
                    EntityKind::Theme => {
                        ids.extend(self.store.catalog().ids_by_theme(entry.entity_id).await?)
                    }
                    // Drafts are not public; unknown kinds come from a newer node.
                    EntityKind::PracticeDraft | EntityKind::Unknown => {}
                }
            }
            ids.sort_unstable();
            ids.dedup();
            let views = self.store.catalog().views(&ids).await?;
            // Ids without a row were deleted: their documents go too.
            let removed: Vec<Uuid> = ids
                .iter()
                .filter(|id| !views.iter().any(|v| v.id == **id))
                .copied()
                .collect();
            let index = Arc::clone(&self.index);
            tokio::task::spawn_blocking(move || index.apply(&views, &removed, last_seq))
                .await
                .map_err(|e| SearchError::Task(e.to_string()))??;
            self.applied = last_seq;
            applied_entries += entries.len();
        }
    }

    /// Polls the feed every `interval` until `shutdown` changes; errors are logged and retried.
    pub async fn run(mut self, interval: Duration, mut shutdown: watch::Receiver<bool>) {
        loop {
            if let Err(error) = self.catch_up().await {
                tracing::warn!(%error, applied = self.applied, "search follower could not apply the change feed");
            }
            tokio::select! {
                _ = tokio::time::sleep(interval) => {}
                _ = shutdown.changed() => return,
            }
        }
    }
}
