//! The editorial workflow as the store writes it: revisions, what the public sees, the feed.

use chrono::Utc;
use riusa_domain::accounts::OrgRole;
use riusa_domain::catalog::workflow::{self, DraftState, SectionComment};
use riusa_domain::catalog::{SectionKey, Status};
use riusa_domain::{DomainError, Refusal};
use riusa_store::testing::{AccountBuilder, PracticeBuilder, TestDatabase};
use riusa_store::{
    Actor, AuditFilter, EntityKind, FeedOp, PracticeFilter, QueueFilter, StoreError,
};
use uuid::Uuid;

struct People {
    member: riusa_domain::accounts::Principal,
    coordinator: riusa_domain::accounts::Principal,
    editor: riusa_domain::accounts::Principal,
}

async fn people(db: &TestDatabase) -> People {
    let store = &db.store;
    let member = AccountBuilder::new("anna.bianchi@comune.orvieto.tr.it")
        .member_of("c_g148", OrgRole::Member)
        .insert(store)
        .await;
    let coordinator = AccountBuilder::new("luca.verdi@comune.orvieto.tr.it")
        .member_of("c_g148", OrgRole::Coordinator)
        .insert(store)
        .await;
    let editor = AccountBuilder::new("redazione@riusa.example.it")
        .editor()
        .insert(store)
        .await;
    let principal = |id| async move { store.accounts().principal(id).await.unwrap().unwrap() };
    People {
        member: principal(member).await,
        coordinator: principal(coordinator).await,
        editor: principal(editor).await,
    }
}

fn actor(who: &riusa_domain::accounts::Principal) -> Actor {
    Actor::account(who.account_id, Some("192.0.2.10".into()))
}

#[tokio::test]
async fn a_published_practice_stays_public_while_its_next_draft_is_reviewed() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let store = &db.store;
    let catalog = store.catalog();
    let who = people(&db).await;
    let record = PracticeBuilder::new("sportello-unico-orvieto", "Sportello unico")
        .owner("c_g148")
        .build();
    let owners = catalog.owner_ids(&record).await.unwrap();
    let id = Uuid::now_v7();

    let change = workflow::create(id, record.clone(), &owners, &who.member).unwrap();
    let applied = catalog
        .apply(change, &actor(&who.member), Utc::now())
        .await
        .unwrap();
    assert_eq!(applied.head_revision, 1);
    assert_eq!(catalog.count(PracticeFilter::published()).await.unwrap(), 0);

    let state = catalog.workflow(id).await.unwrap();
    let change = workflow::submit(&state, id, 1, &who.coordinator).unwrap();
    catalog
        .apply(change, &actor(&who.coordinator), Utc::now())
        .await
        .unwrap();
    let state = catalog.workflow(id).await.unwrap();
    let change = workflow::publish(&state, id, 1, &who.editor).unwrap();
    let published = catalog
        .apply(change, &actor(&who.editor), Utc::now())
        .await
        .unwrap();
    assert_eq!(published.head_revision, 2);
    assert_eq!(
        catalog.view_by_id(id).await.unwrap().status,
        Status::Published
    );

    // A new draft: the public text does not move.
    let mut next = record.clone();
    next.title = "Sportello unico, seconda versione".into();
    let state = catalog.workflow(id).await.unwrap();
    let feed_before = store.feed().last_seq().await.unwrap();
    let change = workflow::save_draft(&state, id, 2, next, &owners, &who.member).unwrap();
    catalog
        .apply(change, &actor(&who.member), Utc::now())
        .await
        .unwrap();
    let public = catalog.view_by_id(id).await.unwrap();
    assert_eq!(public.title, "Sportello unico");
    assert_eq!(public.draft, DraftState::Editing);
    let (head, number) = catalog.head_record(id).await.unwrap();
    assert_eq!(
        (head.title.as_str(), number),
        ("Sportello unico, seconda versione", 3)
    );
    let entries = store.feed().since(feed_before, 10).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        entries[0].entity,
        EntityKind::PracticeDraft,
        "the index ignores drafts"
    );
    assert_eq!(entries[0].actor_id, Some(who.member.account_id));

    // Review, remarks, resubmission, publication.
    let state = catalog.workflow(id).await.unwrap();
    catalog
        .apply(
            workflow::submit(&state, id, 3, &who.coordinator).unwrap(),
            &actor(&who.coordinator),
            Utc::now(),
        )
        .await
        .unwrap();
    let queue = catalog
        .review_queue(&QueueFilter::default(), 0, 10)
        .await
        .unwrap();
    assert_eq!(queue.total, 1);
    assert_eq!(queue.items[0].slug, "sportello-unico-orvieto");
    let remark = SectionComment {
        section: Some(SectionKey::Motivation),
        body: "Quanti cittadini usano lo sportello?".into(),
    };
    let state = catalog.workflow(id).await.unwrap();
    catalog
        .apply(
            workflow::request_changes(&state, id, 3, vec![remark], &who.editor).unwrap(),
            &actor(&who.editor),
            Utc::now(),
        )
        .await
        .unwrap();
    let comments = catalog.comments(id).await.unwrap();
    assert_eq!(comments.len(), 1);
    assert_eq!(comments[0].section, Some(SectionKey::Motivation));
    assert_eq!(comments[0].revision, 3);
    let state = catalog.workflow(id).await.unwrap();
    assert_eq!(state.draft, DraftState::ChangesRequested);
    catalog
        .apply(
            workflow::submit(&state, id, 3, &who.coordinator).unwrap(),
            &actor(&who.coordinator),
            Utc::now(),
        )
        .await
        .unwrap();
    let state = catalog.workflow(id).await.unwrap();
    let feed_before = store.feed().last_seq().await.unwrap();
    catalog
        .apply(
            workflow::publish(&state, id, 3, &who.editor).unwrap(),
            &actor(&who.editor),
            Utc::now(),
        )
        .await
        .unwrap();
    let public = catalog.view_by_id(id).await.unwrap();
    assert_eq!(public.title, "Sportello unico, seconda versione");
    assert_eq!(public.published_revision, Some(4));
    let entries = store.feed().since(feed_before, 10).await.unwrap();
    assert_eq!(
        (entries[0].entity, entries[0].op),
        (EntityKind::Practice, FeedOp::Upsert)
    );

    // The editor heard of each submission, the authors of the remarks and the publication.
    let notifications = store.notifications();
    let editor_inbox = notifications
        .inbox(who.editor.account_id, 0, 10)
        .await
        .unwrap();
    assert_eq!(editor_inbox.total, 3, "three submissions");
    assert!(
        editor_inbox
            .items
            .iter()
            .all(|n| n.kind == "practice.submitted")
    );
    let member_inbox = notifications
        .inbox(who.member.account_id, 0, 10)
        .await
        .unwrap();
    let kinds: Vec<&str> = member_inbox.items.iter().map(|n| n.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "practice.published",
            "practice.changes_requested",
            "practice.published"
        ]
    );
    assert_eq!(
        notifications.unread(who.member.account_id).await.unwrap(),
        3
    );
    notifications
        .mark_read(who.member.account_id, None, &actor(&who.member), Utc::now())
        .await
        .unwrap();
    assert_eq!(
        notifications.unread(who.member.account_id).await.unwrap(),
        0
    );
    let coordinator_inbox = notifications
        .inbox(who.coordinator.account_id, 0, 10)
        .await
        .unwrap();
    assert_eq!(coordinator_inbox.total, 0, "submitting is not writing");

    // Every publication stays readable.
    let history = catalog.revisions(id).await.unwrap();
    let numbers: Vec<(u32, bool)> = history
        .iter()
        .map(|r| (r.number, r.is_publication))
        .collect();
    assert_eq!(numbers, [(4, true), (3, false), (2, true), (1, false)]);
    assert_eq!(
        catalog.revision(id, 2).await.unwrap().record.title,
        "Sportello unico"
    );
    assert_eq!(
        history[0].author_name.as_deref(),
        Some("redazione"),
        "the editor who published"
    );

    // Each step is an audit event with its actor and address.
    let trail = store
        .audit()
        .search(
            &AuditFilter {
                entity_id: Some(id),
                ..AuditFilter::default()
            },
            0,
            50,
        )
        .await
        .unwrap();
    let actions: Vec<&str> = trail
        .items
        .iter()
        .rev()
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "practice.create",
            "practice.submit",
            "practice.publish",
            "practice.save_draft",
            "practice.submit",
            "practice.request_changes",
            "practice.submit",
            "practice.publish"
        ]
    );
    assert!(
        trail
            .items
            .iter()
            .all(|e| e.ip.as_deref() == Some("192.0.2.10"))
    );
}

#[tokio::test]
async fn a_save_on_an_old_revision_is_refused_as_stale() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let catalog = db.store.catalog();
    let who = people(&db).await;
    let record = PracticeBuilder::new("due-persone", "Due persone")
        .owner("c_g148")
        .build();
    let owners = catalog.owner_ids(&record).await.unwrap();
    let id = Uuid::now_v7();
    catalog
        .apply(
            workflow::create(id, record.clone(), &owners, &who.member).unwrap(),
            &actor(&who.member),
            Utc::now(),
        )
        .await
        .unwrap();
    // Both read revision 1; the first save wins.
    let state = catalog.workflow(id).await.unwrap();
    let first = workflow::save_draft(&state, id, 1, record.clone(), &owners, &who.member).unwrap();
    let second = workflow::save_draft(&state, id, 1, record, &owners, &who.coordinator).unwrap();
    catalog
        .apply(first, &actor(&who.member), Utc::now())
        .await
        .unwrap();
    let refused = catalog
        .apply(second, &actor(&who.coordinator), Utc::now())
        .await
        .unwrap_err();
    assert_eq!(
        refused.refusal(),
        Some(&Refusal::Stale {
            expected: 1,
            current: 2
        })
    );
}

#[tokio::test]
async fn a_slug_held_by_another_practice_is_a_conflict() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let catalog = db.store.catalog();
    let who = people(&db).await;
    PracticeBuilder::new("gia-presa", "Già presa")
        .insert(&db.store)
        .await;
    let record = PracticeBuilder::new("gia-presa", "Un'altra")
        .owner("c_g148")
        .build();
    let owners = catalog.owner_ids(&record).await.unwrap();
    let error = catalog
        .apply(
            workflow::create(Uuid::now_v7(), record, &owners, &who.member).unwrap(),
            &actor(&who.member),
            Utc::now(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(error, StoreError::Conflict { field: "slug", .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_draft_naming_an_unknown_theme_is_invalid_and_nothing_is_written() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let catalog = db.store.catalog();
    let who = people(&db).await;
    let record = PracticeBuilder::new("tema-ignoto", "Tema ignoto")
        .owner("c_g148")
        .themes(&["non-esiste"])
        .build();
    let owners = catalog.owner_ids(&record).await.unwrap();
    let before = db.store.feed().last_seq().await.unwrap();
    let error = catalog
        .apply(
            workflow::create(Uuid::now_v7(), record, &owners, &who.member).unwrap(),
            &actor(&who.member),
            Utc::now(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(error, StoreError::Invalid(DomainError::Invalid(_))),
        "{error:?}"
    );
    assert_eq!(catalog.count(PracticeFilter::default()).await.unwrap(), 0);
    assert_eq!(db.store.feed().last_seq().await.unwrap(), before);
}

#[tokio::test]
async fn archive_hides_restore_shows_and_purge_removes_only_unpublished_drafts() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let catalog = db.store.catalog();
    let who = people(&db).await;
    let id = PracticeBuilder::new("da-archiviare", "Da archiviare")
        .owner("c_g148")
        .insert(&db.store)
        .await;
    let view = catalog.view_by_id(id).await.unwrap();
    assert_eq!(
        (view.head_revision, view.published_revision),
        (1, Some(1)),
        "an import is a publication"
    );
    let state = catalog.workflow(id).await.unwrap();
    let change = workflow::archive(&state, id, 1, &who.coordinator).unwrap();
    catalog
        .apply(change, &actor(&who.coordinator), Utc::now())
        .await
        .unwrap();
    assert_eq!(catalog.count(PracticeFilter::published()).await.unwrap(), 0);
    let state = catalog.workflow(id).await.unwrap();
    assert!(workflow::purge(&state, id).is_err(), "it was published");
    let change = workflow::restore(&state, id, 1, &who.coordinator).unwrap();
    catalog
        .apply(change, &actor(&who.coordinator), Utc::now())
        .await
        .unwrap();
    assert_eq!(catalog.count(PracticeFilter::published()).await.unwrap(), 1);

    let draft = PracticeBuilder::new("mai-pubblicata", "Mai pubblicata")
        .owner("c_g148")
        .build();
    let owners = catalog.owner_ids(&draft).await.unwrap();
    let draft_id = Uuid::now_v7();
    catalog
        .apply(
            workflow::create(draft_id, draft, &owners, &who.member).unwrap(),
            &actor(&who.member),
            Utc::now(),
        )
        .await
        .unwrap();
    let state = catalog.workflow(draft_id).await.unwrap();
    let before = db.store.feed().last_seq().await.unwrap();
    catalog
        .apply(
            workflow::purge(&state, draft_id).unwrap(),
            &Actor::operator(),
            Utc::now(),
        )
        .await
        .unwrap();
    assert!(matches!(
        catalog.view_by_id(draft_id).await,
        Err(StoreError::NotFound)
    ));
    let entries = db.store.feed().since(before, 10).await.unwrap();
    assert_eq!(
        (entries[0].entity, entries[0].op),
        (EntityKind::Practice, FeedOp::Delete)
    );
    assert_eq!(entries[0].actor_id, None, "the operator");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_saves_of_different_drafts_all_succeed() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let who = people(&db).await;
    let mut drafts = Vec::new();
    for i in 0..12 {
        let record = PracticeBuilder::new(&format!("bozza-{i}"), &format!("Bozza {i}"))
            .owner("c_g148")
            .build();
        let owners = db.store.catalog().owner_ids(&record).await.unwrap();
        let id = Uuid::now_v7();
        db.store
            .catalog()
            .apply(
                workflow::create(id, record.clone(), &owners, &who.member).unwrap(),
                &actor(&who.member),
                Utc::now(),
            )
            .await
            .unwrap();
        drafts.push((id, record, owners));
    }
    // Each task saves its own draft five times, all at once: every save reads the row, then
    // writes; none may fail because another committed in between.
    let mut tasks = Vec::new();
    for (id, record, owners) in drafts {
        let store = db.store.clone();
        let member = who.member.clone();
        tasks.push(tokio::spawn(async move {
            for head in 1..=5u32 {
                let state = store.catalog().workflow(id).await?;
                let change =
                    workflow::save_draft(&state, id, head, record.clone(), &owners, &member)
                        .map_err(riusa_store::StoreError::from)?;
                store
                    .catalog()
                    .apply(change, &actor(&member), Utc::now())
                    .await?;
            }
            Ok::<_, riusa_store::StoreError>(())
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
}

#[tokio::test]
async fn the_public_reads_only_published_practices() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let catalog = db.store.catalog();
    let published = PracticeBuilder::new("pubblicata", "Pubblicata")
        .insert(&db.store)
        .await;
    let draft = PracticeBuilder::new("in-bozza", "In bozza")
        .status(Status::Draft)
        .insert(&db.store)
        .await;
    let archived = PracticeBuilder::new("archiviata", "Archiviata")
        .status(Status::Archived)
        .insert(&db.store)
        .await;
    assert_eq!(
        catalog.published_by_slug("pubblicata").await.unwrap().id,
        published
    );
    assert_eq!(
        catalog.published_by_id(published).await.unwrap().slug,
        "pubblicata"
    );
    for (slug, id) in [("in-bozza", draft), ("archiviata", archived)] {
        assert!(
            matches!(
                catalog.published_by_slug(slug).await,
                Err(StoreError::NotFound)
            ),
            "{slug}"
        );
        assert!(
            matches!(catalog.published_by_id(id).await, Err(StoreError::NotFound)),
            "{slug}"
        );
        assert_eq!(
            catalog.view_by_slug(slug).await.unwrap().id,
            id,
            "its people still read it"
        );
    }
}
