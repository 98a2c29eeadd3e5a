//! Keeps a node's index in step with the database by reading the change feed in `seq` order.

use std::sync::Arc;
use std::time::Duration;

use riusa_store::{ChangeEntry, EntityKind, PracticeFilter, PracticeView, Store};
use tokio::sync::{mpsc, watch};
use uuid::Uuid;

use crate::error::SearchError;
use crate::index::SearchIndex;
use crate::status::Readiness;

/// Feed entries read per round.
const FEED_BATCH: u64 = 1_000;
/// Practices loaded from the database per batch.
const VIEW_BATCH: u64 = 500;

/// Rebuilds the whole index from the database; returns the number of practices indexed.
///
/// The feed position is read *before* the walk: a change committed during the walk is both
/// (maybe) seen by the walk and replayed by the follower afterwards, which is harmless.
/// Documents are built on the blocking pool, since a server answers requests meanwhile; a
/// rebuild that fails commits nothing.
pub async fn rebuild(
    store: &Store,
    index: &Arc<SearchIndex>,
    mut progress: impl FnMut(u64),
) -> Result<u64, SearchError> {
    let seq = store.feed().last_seq().await?;
    let (batches, mut received) = mpsc::channel::<Batch>(2);
    let index = Arc::clone(index);
    let writing = tokio::task::spawn_blocking(move || {
        let mut rebuild = index.rebuild()?;
        while let Some(batch) = received.blocking_recv() {
            match batch {
                Batch::Views(views) => rebuild.add(&views)?,
                Batch::Done => return rebuild.finish(seq),
            }
        }
        // The walk failed: dropping the rebuild discards it.
        Ok(())
    });
    let walked = walk(store, &batches, &mut progress).await;
    drop(batches);
    let written = writing
        .await
        .map_err(|e| SearchError::Task(e.to_string()))?;
    // The writer's error explains a walk cut short by its hanging up.
    written?;
    walked
}

enum Batch {
    Views(Vec<PracticeView>),
    Done,
}

async fn walk(
    store: &Store,
    batches: &mpsc::Sender<Batch>,
    progress: &mut impl FnMut(u64),
) -> Result<u64, SearchError> {
    let hung_up = || SearchError::Task("index writer stopped".into());
    let mut after: Option<String> = None;
    let mut indexed = 0;
    loop {
        let views = store
            .catalog()
            .views_after_slug(after.as_deref(), VIEW_BATCH, PracticeFilter::published())
            .await?;
        let Some(last) = views.last() else { break };
        after = Some(last.slug.clone());
        indexed += views.len() as u64;
        batches
            .send(Batch::Views(views))
            .await
            .map_err(|_| hung_up())?;
        progress(indexed);
    }
    batches.send(Batch::Done).await.map_err(|_| hung_up())?;
    Ok(indexed)
}

/// Follows the change feed into the index.
pub struct Follower {
    store: Store,
    index: Arc<SearchIndex>,
    /// The feed position the index reflects; `None` until a new index is rebuilt. It may be
    /// ahead of the committed one: entries that change nothing are not committed, and a
    /// restarted node replays them harmlessly.
    applied: Option<i64>,
}

impl Follower {
    /// Prepares a follower without reading the database: a new index is rebuilt by the first
    /// [`catch_up`](Follower::catch_up), so that a server can listen meanwhile.
    pub fn new(store: Store, index: Arc<SearchIndex>) -> Result<Follower, SearchError> {
        let applied = index.applied_seq()?;
        index.status().set_applied(applied.unwrap_or(0));
        Ok(Follower {
            applied,
            store,
            index,
        })
    }

    /// Prepares a follower and rebuilds a new index at once.
    pub async fn start(store: Store, index: Arc<SearchIndex>) -> Result<Follower, SearchError> {
        let mut follower = Follower::new(store, index)?;
        follower.built().await?;
        Ok(follower)
    }

    /// The feed position the index reflects, 0 before a new index is rebuilt.
    pub fn applied(&self) -> i64 {
        self.applied.unwrap_or(0)
    }

    async fn built(&mut self) -> Result<i64, SearchError> {
        if let Some(seq) = self.applied {
            return Ok(seq);
        }
        let count = rebuild(&self.store, &self.index, |_| {}).await?;
        tracing::info!(count, "search index rebuilt");
        let seq = self.index.applied_seq()?.unwrap_or(0);
        self.applied = Some(seq);
        Ok(seq)
    }

    /// Applies every entry committed since the last call (rebuilding a new index first);
    /// returns how many were read. Once the feed has no more, the index is ready.
    pub async fn catch_up(&mut self) -> Result<usize, SearchError> {
        let mut applied = self.built().await?;
        let mut read_entries = 0;
        loop {
            let entries = self.store.feed().since(applied, FEED_BATCH).await?;
            let Some(last) = entries.last() else {
                self.index.status().advance(Readiness::Ready);
                return Ok(read_entries);
            };
            let last_seq = last.seq;
            let mut ids: Vec<Uuid> = Vec::new();
            for entry in &entries {
                ids.extend(self.practices_shown_by(entry).await?);
            }
            ids.sort_unstable();
            ids.dedup();
            if !ids.is_empty() {
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
            }
            applied = last_seq;
            self.applied = Some(applied);
            self.index.status().set_applied(applied);
            read_entries += entries.len();
        }
    }

    /// The practices whose documents an entry may change.
    async fn practices_shown_by(&self, entry: &ChangeEntry) -> Result<Vec<Uuid>, SearchError> {
        let catalog = self.store.catalog();
        Ok(match entry.entity {
            EntityKind::Practice => vec![entry.entity_id],
            EntityKind::Organization => catalog.ids_by_organization(entry.entity_id).await?,
            EntityKind::Theme => catalog.ids_by_theme(entry.entity_id).await?,
            // Drafts change nothing the public sees; kinds written by a newer version of riusa
            // (during a rolling upgrade) are skipped, not fatal.
            // Software records are not in the practice index.
            EntityKind::PracticeDraft | EntityKind::Software | EntityKind::Unknown => Vec::new(),
        })
    }

    /// Polls the feed every `interval` until `shutdown` changes; errors are logged and retried.
    /// A rebuild under way when the server stops is dropped (and discarded), not awaited.
    pub async fn run(mut self, interval: Duration, mut shutdown: watch::Receiver<bool>) {
        loop {
            let caught_up = tokio::select! {
                result = self.catch_up() => result,
                _ = shutdown.changed() => return,
            };
            if let Err(error) = caught_up {
                tracing::warn!(%error, applied = self.applied(), "search follower could not apply the change feed");
            }
            tokio::select! {
                _ = tokio::time::sleep(interval) => {}
                _ = shutdown.changed() => return,
            }
        }
    }
}
