//! Attachment lists as the store keeps them: a list per revision, copied to every new
//! revision (saves, imports), changed only with a draft save, gone with a purged practice.

use chrono::Utc;
use riusa_domain::accounts::{OrgRole, Principal};
use riusa_domain::catalog::workflow;
use riusa_store::testing::{AccountBuilder, PracticeBuilder, TestDatabase};
use riusa_store::{Actor, NewAttachment, StoreError};
use uuid::Uuid;

fn file(name: &str) -> NewAttachment {
    NewAttachment {
        sha256: format!("{:064x}", name.len()),
        size: 1234,
        media_type: "application/pdf".into(),
        name: name.into(),
    }
}

async fn member(db: &TestDatabase) -> Principal {
    let id = AccountBuilder::new("anna.bianchi@comune.orvieto.tr.it")
        .member_of("c_g148", OrgRole::Member)
        .insert(&db.store)
        .await;
    db.store.accounts().principal(id).await.unwrap().unwrap()
}

/// A draft of Orvieto with `names` attached, one save each.
async fn draft_with(db: &TestDatabase, who: &Principal, names: &[&str]) -> (Uuid, Vec<Uuid>) {
    let catalog = db.store.catalog();
    let record = PracticeBuilder::new("sportello-unico-orvieto", "Sportello unico")
        .owner("c_g148")
        .build();
    let owners = catalog.owner_ids(&record).await.unwrap();
    let id = Uuid::now_v7();
    let actor = Actor::account(who.account_id, None);
    catalog
        .apply(
            workflow::create(id, record, &owners, who).unwrap(),
            &actor,
            Utc::now(),
        )
        .await
        .unwrap();
    let mut attached = Vec::new();
    for name in names {
        let state = catalog.workflow(id).await.unwrap();
        let (text, head) = catalog.head_record(id).await.unwrap();
        let change = workflow::save_draft(&state, id, head, text, &owners, who).unwrap();
        let (_, attachment) = db
            .store
            .attachments()
            .attach(change, file(name), &actor, Utc::now())
            .await
            .unwrap();
        attached.push(attachment);
    }
    (id, attached)
}

fn names(list: Vec<riusa_store::AttachmentView>) -> Vec<String> {
    list.into_iter().map(|a| a.name).collect()
}

#[tokio::test]
async fn every_new_revision_lists_the_files_of_the_one_before_in_their_order() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let who = member(&db).await;
    let (id, _) = draft_with(&db, &who, &["uno.pdf", "due.pdf"]).await;
    let attachments = db.store.attachments();
    assert!(attachments.list(id, 1).await.unwrap().is_empty());
    assert_eq!(names(attachments.list(id, 2).await.unwrap()), ["uno.pdf"]);
    assert_eq!(
        names(attachments.list(id, 3).await.unwrap()),
        ["uno.pdf", "due.pdf"]
    );

    // A text save keeps the files.
    let catalog = db.store.catalog();
    let state = catalog.workflow(id).await.unwrap();
    let (mut text, head) = catalog.head_record(id).await.unwrap();
    text.summary = "Un riassunto nuovo.".into();
    let change = workflow::save_draft(&state, id, head, text.clone(), &state.owners, &who).unwrap();
    catalog
        .apply(change, &Actor::operator(), Utc::now())
        .await
        .unwrap();
    assert_eq!(
        names(attachments.list(id, 4).await.unwrap()),
        ["uno.pdf", "due.pdf"]
    );

    // So does an import of the same practice: it replaces the words, not the files.
    text.summary = "Il riassunto dell'import.".into();
    text.id = Some(id);
    catalog.upsert_practices(&[text], Utc::now()).await.unwrap();
    let (_, head) = catalog.head_record(id).await.unwrap();
    assert_eq!(head, 5);
    assert_eq!(
        names(attachments.list(id, 5).await.unwrap()),
        ["uno.pdf", "due.pdf"]
    );
}

#[tokio::test]
async fn removing_a_file_the_newest_revision_does_not_list_writes_nothing() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let who = member(&db).await;
    let (id, attached) = draft_with(&db, &who, &["uno.pdf"]).await;
    let catalog = db.store.catalog();
    let actor = Actor::account(who.account_id, None);
    let decide = || async {
        let state = catalog.workflow(id).await.unwrap();
        let (text, head) = catalog.head_record(id).await.unwrap();
        workflow::save_draft(&state, id, head, text, &state.owners, &who).unwrap()
    };
    let refused = db
        .store
        .attachments()
        .detach(decide().await, Uuid::now_v7(), &actor, Utc::now())
        .await;
    assert!(matches!(refused, Err(StoreError::NotFound)), "{refused:?}");
    assert_eq!(catalog.head_record(id).await.unwrap().1, 2, "rolled back");

    db.store
        .attachments()
        .detach(decide().await, attached[0], &actor, Utc::now())
        .await
        .unwrap();
    assert!(db.store.attachments().list(id, 3).await.unwrap().is_empty());
    // Still the practice's, through revision 2, for the people who work on it.
    let access = db.store.attachments().access(attached[0]).await.unwrap();
    assert_eq!((access.practice_id, access.public), (id, false));
    assert_eq!(access.attachment.name, "uno.pdf");

    // Only a draft save changes a list.
    let state = catalog.workflow(id).await.unwrap();
    let coordinator = AccountBuilder::new("luca.verdi@comune.orvieto.tr.it")
        .member_of("c_g148", OrgRole::Coordinator)
        .insert(&db.store)
        .await;
    let coordinator = db
        .store
        .accounts()
        .principal(coordinator)
        .await
        .unwrap()
        .unwrap();
    let submit = workflow::submit(&state, id, 3, &coordinator).unwrap();
    let refused = db
        .store
        .attachments()
        .attach(submit, file("altro.pdf"), &actor, Utc::now())
        .await;
    assert!(
        matches!(refused, Err(StoreError::Corrupt { .. })),
        "{refused:?}"
    );
}

#[tokio::test]
async fn a_purged_draft_takes_its_lists_with_it() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let who = member(&db).await;
    let (id, attached) = draft_with(&db, &who, &["uno.pdf"]).await;
    let catalog = db.store.catalog();
    let state = catalog.workflow(id).await.unwrap();
    catalog
        .apply(
            workflow::purge(&state, id).unwrap(),
            &Actor::operator(),
            Utc::now(),
        )
        .await
        .unwrap();
    assert!(matches!(
        db.store.attachments().access(attached[0]).await,
        Err(StoreError::NotFound)
    ));
    assert!(db.store.attachments().list(id, 2).await.unwrap().is_empty());
}
