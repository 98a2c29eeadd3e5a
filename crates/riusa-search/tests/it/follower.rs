use std::sync::Arc;

use chrono::Utc;
use riusa_domain::catalog::Status;
use riusa_search::{Follower, Readiness, SearchIndex};
use riusa_store::testing::{PracticeBuilder, TestDatabase, organizations};

use crate::{search, slugs};

#[tokio::test]
async fn the_follower_applies_new_changed_and_unpublished_practices() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let index = Arc::new(SearchIndex::in_memory().unwrap());
    let mut follower = Follower::start(db.store.clone(), Arc::clone(&index))
        .await
        .unwrap();
    assert_eq!(index.stats().unwrap().documents, 0);

    PracticeBuilder::new("sportello", "Sportello unico digitale")
        .insert(&db.store)
        .await;
    follower.catch_up().await.unwrap();
    assert_eq!(slugs(&search(&index, "sportello")), ["sportello"]);

    PracticeBuilder::new("sportello", "Sportello polifunzionale")
        .insert(&db.store)
        .await;
    follower.catch_up().await.unwrap();
    assert_eq!(slugs(&search(&index, "polifunzionale")), ["sportello"]);
    assert_eq!(index.stats().unwrap().documents, 1);

    PracticeBuilder::new("sportello", "Sportello polifunzionale")
        .status(Status::Archived)
        .insert(&db.store)
        .await;
    follower.catch_up().await.unwrap();
    assert_eq!(search(&index, "sportello").total, 0);
    assert_eq!(
        index.stats().unwrap().applied_seq,
        Some(db.store.feed().last_seq().await.unwrap())
    );
}

#[tokio::test]
async fn renaming_an_owner_updates_its_practices_cards() {
    let db = TestDatabase::new().await.with_reference_data().await;
    PracticeBuilder::new("pratica-toscana", "Pratica toscana")
        .insert(&db.store)
        .await;
    let index = Arc::new(SearchIndex::in_memory().unwrap());
    let mut follower = Follower::start(db.store.clone(), Arc::clone(&index))
        .await
        .unwrap();
    let mut renamed = organizations();
    renamed[0].name = "Giunta regionale toscana".into();
    db.store
        .organizations()
        .upsert_organizations(&renamed, Utc::now())
        .await
        .unwrap();
    follower.catch_up().await.unwrap();
    let results = search(&index, "pratica");
    assert_eq!(
        results.hits[0].card.owners[0].name,
        "Giunta regionale toscana"
    );
}

#[tokio::test]
async fn an_index_on_disk_resumes_from_its_committed_position() {
    let db = TestDatabase::new().await.with_reference_data().await;
    PracticeBuilder::new("prima", "Prima pratica")
        .insert(&db.store)
        .await;
    let dir = tempfile::tempdir().unwrap();
    {
        let index = Arc::new(SearchIndex::open(dir.path()).unwrap());
        Follower::start(db.store.clone(), index).await.unwrap();
    }
    PracticeBuilder::new("seconda", "Seconda pratica")
        .insert(&db.store)
        .await;
    let index = Arc::new(SearchIndex::open(dir.path()).unwrap());
    let mut follower = Follower::start(db.store.clone(), Arc::clone(&index))
        .await
        .unwrap();
    assert_eq!(index.stats().unwrap().documents, 1, "reopened, not rebuilt");
    assert_eq!(follower.catch_up().await.unwrap(), 1);
    assert_eq!(index.stats().unwrap().documents, 2);
}

#[tokio::test]
async fn entries_that_change_no_document_leave_the_generation_alone() {
    let db = TestDatabase::new().await.with_reference_data().await;
    PracticeBuilder::new("pratica-toscana", "Pratica toscana")
        .insert(&db.store)
        .await;
    let index = Arc::new(SearchIndex::in_memory().unwrap());
    let mut follower = Follower::start(db.store.clone(), Arc::clone(&index))
        .await
        .unwrap();
    follower.catch_up().await.unwrap();
    let generation = index.generation();
    let committed = index.applied_seq().unwrap();

    // Roma Capitale owns no practice, and a draft is not shown: nothing to reindex.
    let mut renamed = organizations();
    renamed[3].name = "Comune di Roma".into();
    db.store
        .organizations()
        .upsert_organizations(&renamed, Utc::now())
        .await
        .unwrap();
    PracticeBuilder::new("bozza", "Una bozza")
        .status(Status::Draft)
        .insert(&db.store)
        .await;
    assert_eq!(follower.catch_up().await.unwrap(), 2);
    assert_eq!(index.generation(), generation, "no commit, no reload");
    assert_eq!(index.applied_seq().unwrap(), committed);
    let last = db.store.feed().last_seq().await.unwrap();
    assert_eq!(follower.applied(), last);
    assert_eq!(index.status().applied_seq(), last, "kept in memory");

    // A published practice sent back to draft leaves the index.
    PracticeBuilder::new("pratica-toscana", "Pratica toscana")
        .status(Status::Draft)
        .insert(&db.store)
        .await;
    follower.catch_up().await.unwrap();
    assert_ne!(index.generation(), generation);
    assert_eq!(index.stats().unwrap().documents, 0);
    assert_eq!(search(&index, "pratica").total, 0);
}

#[tokio::test]
async fn a_new_index_is_built_by_the_first_catch_up_and_only_then_ready() {
    let db = TestDatabase::new().await.with_reference_data().await;
    PracticeBuilder::new("prima", "Prima pratica")
        .insert(&db.store)
        .await;
    let index = Arc::new(SearchIndex::in_memory().unwrap());
    let mut follower = Follower::new(db.store.clone(), Arc::clone(&index)).unwrap();
    assert_eq!(index.status().readiness(), Readiness::CatchingUp);
    assert_eq!(index.stats().unwrap().documents, 0, "nothing built yet");
    let before = index.generation();

    follower.catch_up().await.unwrap();
    assert!(index.status().is_ready());
    assert_eq!(index.stats().unwrap().documents, 1);
    assert_ne!(index.generation(), before);
}

#[tokio::test]
async fn a_reopened_index_is_ready_once_it_has_caught_up_with_the_feed() {
    let db = TestDatabase::new().await.with_reference_data().await;
    PracticeBuilder::new("prima", "Prima pratica")
        .insert(&db.store)
        .await;
    let dir = tempfile::tempdir().unwrap();
    {
        let index = Arc::new(SearchIndex::open(dir.path()).unwrap());
        Follower::start(db.store.clone(), index).await.unwrap();
    }
    let index = Arc::new(SearchIndex::open(dir.path()).unwrap());
    let mut follower = Follower::new(db.store.clone(), Arc::clone(&index)).unwrap();
    assert!(!index.status().is_ready(), "not yet compared with the feed");
    let stale = index.generation();
    assert_eq!(follower.catch_up().await.unwrap(), 0);
    assert!(index.status().is_ready());
    assert_ne!(
        index.generation(),
        stale,
        "pages rendered without similar practices are stale"
    );
}
