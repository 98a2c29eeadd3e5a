use chrono::Utc;
use riusa_store::EntityKind;
use riusa_store::testing::{PracticeBuilder, TestDatabase, organizations};

#[tokio::test]
async fn every_changed_practice_is_in_the_feed_and_unchanged_ones_are_not() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let before = db.store.feed().last_seq().await.unwrap();
    let record = PracticeBuilder::new("nel-feed", "Pratica nel feed").build();
    let id = db
        .store
        .catalog()
        .upsert_practices(std::slice::from_ref(&record), Utc::now())
        .await
        .unwrap()[0]
        .id();
    db.store
        .catalog()
        .upsert_practices(&[record], Utc::now())
        .await
        .unwrap();

    let entries = db.store.feed().since(before, 100).await.unwrap();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].entity, EntityKind::Practice);
    assert_eq!(entries[0].entity_id, id);
    assert_eq!(db.store.feed().last_seq().await.unwrap(), entries[0].seq);
}

#[tokio::test]
async fn a_renamed_organization_enters_the_feed() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let before = db.store.feed().last_seq().await.unwrap();
    let mut renamed = organizations();
    renamed[0].name = "Regione Toscana - Giunta".into();
    let counts = db
        .store
        .organizations()
        .upsert_organizations(&renamed, Utc::now())
        .await
        .unwrap();
    assert_eq!(
        (counts.inserted, counts.updated, counts.unchanged),
        (0, 1, renamed.len() - 1)
    );
    let entries = db.store.feed().since(before, 100).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].entity, EntityKind::Organization);
}

#[tokio::test]
async fn an_entry_of_a_kind_this_version_does_not_know_is_read_as_unknown() {
    use riusa_store::entities::change_feed;
    use sea_orm::{ActiveValue::Set, EntityTrait};
    let db = TestDatabase::new().await;
    // What a newer riusa might write during a rolling upgrade.
    change_feed::Entity::insert(change_feed::ActiveModel {
        entity: Set("kit_version".into()),
        entity_id: Set(uuid::Uuid::now_v7()),
        op: Set("upsert".into()),
        at: Set(Utc::now()),
        actor_id: Set(None),
        ..Default::default()
    })
    .exec_without_returning(db.store.connection())
    .await
    .unwrap();
    let entries = db.store.feed().since(0, 10).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].entity, EntityKind::Unknown);
}
