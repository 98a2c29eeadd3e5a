use chrono::Utc;
use riusa_domain::catalog::Status;
use riusa_domain::{DomainError, Violation};
use riusa_store::testing::{PracticeBuilder, TestDatabase};
use riusa_store::{PracticeFilter, StoreError, UpsertOutcome};

#[tokio::test]
async fn same_slug_again_updates_instead_of_duplicating() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let catalog = db.store.catalog();
    let first = PracticeBuilder::new("scambio-pa", "Scambio PA").build();
    let created = catalog
        .upsert_practices(std::slice::from_ref(&first), Utc::now())
        .await
        .unwrap();
    let UpsertOutcome::Created(id) = created[0] else {
        panic!("expected a creation, got {created:?}")
    };

    let again = catalog
        .upsert_practices(std::slice::from_ref(&first), Utc::now())
        .await
        .unwrap();
    assert_eq!(again, vec![UpsertOutcome::Unchanged(id)]);

    let changed = PracticeBuilder::new("scambio-pa", "Scambio PA, seconda edizione").build();
    let updated = catalog
        .upsert_practices(&[changed], Utc::now())
        .await
        .unwrap();
    assert_eq!(updated, vec![UpsertOutcome::Updated(id)]);

    assert_eq!(catalog.count(PracticeFilter::default()).await.unwrap(), 1);
    assert_eq!(
        catalog.view_by_slug("scambio-pa").await.unwrap().title,
        "Scambio PA, seconda edizione"
    );
}

#[tokio::test]
async fn a_record_reads_back_exactly_as_written() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let record = PracticeBuilder::new("siso", "Cartella sociale SISO")
        .themes(&["politiche-sociali", "digitalizzazione-dei-processi"])
        .owner("r_umbria")
        .partner("c_h501")
        .partner("c_e506")
        .places(&["055023", "075035"])
        .build();
    let id = db
        .store
        .catalog()
        .upsert_practices(std::slice::from_ref(&record), Utc::now())
        .await
        .unwrap()[0]
        .id();
    let view = db.store.catalog().view_by_id(id).await.unwrap();
    let mut expected = record;
    expected.id = Some(id);
    assert_eq!(view.to_record(), expected);
    assert_eq!(view.owners[1].name, "Roma Capitale");
    assert_eq!(view.owners[0].region_name.as_deref(), Some("Umbria"));
    assert_eq!(view.places[1].name, "Lecce");
}

#[tokio::test]
async fn an_id_given_on_import_is_kept_and_renames_by_id() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let id = uuid::Uuid::now_v7();
    let mut record = PracticeBuilder::new("vecchio-nome", "Pratica con id").build();
    record.id = Some(id);
    db.store
        .catalog()
        .upsert_practices(std::slice::from_ref(&record), Utc::now())
        .await
        .unwrap();
    record.slug = "nuovo-nome".into();
    let outcome = db
        .store
        .catalog()
        .upsert_practices(&[record], Utc::now())
        .await
        .unwrap();
    assert_eq!(outcome, vec![UpsertOutcome::Updated(id)]);
    assert!(matches!(
        db.store.catalog().view_by_slug("vecchio-nome").await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        db.store
            .catalog()
            .view_by_slug("nuovo-nome")
            .await
            .unwrap()
            .id,
        id
    );
}

#[tokio::test]
async fn a_slug_taken_by_another_id_is_a_conflict_and_nothing_is_written() {
    let db = TestDatabase::new().await.with_reference_data().await;
    PracticeBuilder::new("occupato", "Prima pratica")
        .insert(&db.store)
        .await;
    let mut intruder = PracticeBuilder::new("occupato", "Seconda pratica").build();
    intruder.id = Some(uuid::Uuid::now_v7());
    let fine = PracticeBuilder::new("libero", "Pratica valida").build();
    let result = db
        .store
        .catalog()
        .upsert_practices(&[fine, intruder], Utc::now())
        .await;
    assert!(
        matches!(&result, Err(StoreError::Conflict { field: "slug", value }) if value == "occupato"),
        "{result:?}"
    );
    assert_eq!(
        db.store
            .catalog()
            .count(PracticeFilter::default())
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn unknown_references_are_refused_with_their_path() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let record = PracticeBuilder::new("orfana", "Pratica orfana")
        .owner("c_zzzz")
        .places(&["999999"])
        .build();
    let Err(StoreError::Invalid(DomainError::Invalid(errors))) = db
        .store
        .catalog()
        .upsert_practices(&[record], Utc::now())
        .await
    else {
        panic!("unknown owner must be refused");
    };
    assert_eq!(errors[0].field, "owners[0].ipa");
    assert_eq!(
        errors[0].violation,
        Violation::UnknownOrganization {
            ipa: "c_zzzz".into()
        }
    );
    assert_eq!(errors[1].field, "places[0]");
}

#[tokio::test]
async fn exports_walk_by_slug_and_filter_by_status() {
    let db = TestDatabase::new().await.with_reference_data().await;
    for slug in ["ccc", "aaa", "bbb"] {
        PracticeBuilder::new(slug, &format!("Pratica {slug}"))
            .insert(&db.store)
            .await;
    }
    PracticeBuilder::new("bozza", "Una bozza")
        .status(Status::Draft)
        .insert(&db.store)
        .await;
    let catalog = db.store.catalog();
    let first = catalog
        .views_after_slug(None, 2, PracticeFilter::published())
        .await
        .unwrap();
    let slugs: Vec<_> = first.iter().map(|v| v.slug.as_str()).collect();
    assert_eq!(slugs, ["aaa", "bbb"]);
    let rest = catalog
        .views_after_slug(Some("bbb"), 2, PracticeFilter::published())
        .await
        .unwrap();
    assert_eq!(
        rest.iter().map(|v| v.slug.as_str()).collect::<Vec<_>>(),
        ["ccc"]
    );
    assert_eq!(
        catalog
            .views_after_slug(None, 10, PracticeFilter::default())
            .await
            .unwrap()
            .len(),
        4
    );
}

#[tokio::test]
async fn themes_are_ensured_once_and_not_overwritten() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let themes = riusa_store::testing::themes();
    let added = db
        .store
        .catalog()
        .ensure_themes(&themes, Utc::now())
        .await
        .unwrap();
    assert_eq!(added, 0);
    let listed = db.store.catalog().themes().await.unwrap();
    assert_eq!(listed.len(), themes.len());
    assert_eq!(listed[0].slug, "fondi-strutturali-europei");
}

/// "Ultimo aggiornamento della scheda" is when the text last changed: importing the same record
/// again (a nightly sync of a federated catalog) must not make an old practice look new.
#[tokio::test]
async fn reimporting_the_same_record_keeps_the_date_of_its_last_change() {
    use chrono::TimeZone;
    let db = TestDatabase::new().await.with_reference_data().await;
    let catalog = db.store.catalog();
    let at = |day| {
        Utc.with_ymd_and_hms(2026, 3, day, 9, 0, 0)
            .single()
            .unwrap()
    };
    let record = PracticeBuilder::new("scambio-pa", "Scambio PA").build();
    catalog
        .upsert_practices(std::slice::from_ref(&record), at(1))
        .await
        .unwrap();
    catalog
        .upsert_practices(std::slice::from_ref(&record), at(15))
        .await
        .unwrap();
    let view = catalog.view_by_slug("scambio-pa").await.unwrap();
    assert_eq!(view.updated_at, at(1));

    let changed = PracticeBuilder::new("scambio-pa", "Scambio PA, seconda edizione").build();
    catalog.upsert_practices(&[changed], at(20)).await.unwrap();
    let view = catalog.view_by_slug("scambio-pa").await.unwrap();
    assert_eq!(view.updated_at, at(20));
    assert_eq!(view.created_at, at(1));
}

/// A record that says when its text changed at its source keeps that date here; the date is not
/// content, so the same text with another date is unchanged, and a date ahead of the clock is
/// not believed.
#[tokio::test]
async fn an_imported_record_keeps_the_date_its_source_gives() {
    use chrono::TimeZone;
    let db = TestDatabase::new().await.with_reference_data().await;
    let catalog = db.store.catalog();
    let at = |month, day| {
        Utc.with_ymd_and_hms(2026, month, day, 9, 0, 0)
            .single()
            .unwrap()
    };
    let mut record = PracticeBuilder::new("scambio-pa", "Scambio PA").build();
    record.updated = Some(at(1, 10));
    let id = catalog
        .upsert_practices(std::slice::from_ref(&record), at(3, 1))
        .await
        .unwrap()[0]
        .id();
    let view = catalog.view_by_id(id).await.unwrap();
    assert_eq!(view.updated_at, at(1, 10));
    assert_eq!(view.created_at, at(3, 1));
    assert_eq!(view.to_record().updated, None);
    assert_eq!(view.to_interchange().updated, Some(at(1, 10)));

    record.updated = Some(at(2, 1));
    let again = catalog
        .upsert_practices(std::slice::from_ref(&record), at(3, 2))
        .await
        .unwrap();
    assert_eq!(again, vec![UpsertOutcome::Unchanged(id)]);
    assert_eq!(catalog.view_by_id(id).await.unwrap().updated_at, at(1, 10));

    let mut changed = PracticeBuilder::new("scambio-pa", "Scambio PA, seconda edizione").build();
    changed.updated = Some(at(2, 20));
    catalog
        .upsert_practices(std::slice::from_ref(&changed), at(3, 3))
        .await
        .unwrap();
    assert_eq!(catalog.view_by_id(id).await.unwrap().updated_at, at(2, 20));
    let (head, _) = catalog.head_record(id).await.unwrap();
    assert_eq!(head.updated, None, "revisions keep content only");

    let mut ahead = PracticeBuilder::new("scambio-pa", "Scambio PA, terza edizione").build();
    ahead.updated = Some(at(12, 31));
    catalog
        .upsert_practices(std::slice::from_ref(&ahead), at(3, 4))
        .await
        .unwrap();
    assert_eq!(catalog.view_by_id(id).await.unwrap().updated_at, at(3, 4));
}
