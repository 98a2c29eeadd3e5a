use chrono::Utc;
use riusa_store::testing::{TestDatabase, municipalities, organizations};

#[tokio::test]
async fn loading_the_registry_twice_changes_nothing() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let repo = db.store.organizations();
    let counts = repo
        .upsert_organizations(&organizations(), Utc::now())
        .await
        .unwrap();
    assert_eq!((counts.inserted, counts.updated), (0, 0));
    let counts = repo.upsert_municipalities(&municipalities()).await.unwrap();
    assert_eq!((counts.inserted, counts.updated), (0, 0));
    assert_eq!(repo.count().await.unwrap(), organizations().len() as u64);
}

#[tokio::test]
async fn an_organization_is_found_case_insensitively_with_its_comune() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let orvieto = db.store.organizations().get_by_ipa("C_G148").await.unwrap();
    assert_eq!(orvieto.name, "Comune di Orvieto");
    assert!(orvieto.is_municipality);
    let comune = orvieto.municipality.unwrap();
    assert_eq!(
        (comune.province_name.as_str(), comune.region_name.as_str()),
        ("Terni", "Umbria")
    );
    assert_eq!(comune.population, Some(19_876));
}

#[tokio::test]
async fn listing_filters_by_name_and_pages() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let repo = db.store.organizations();
    let page = repo.list(Some("comune di"), 0, 2).await.unwrap();
    assert_eq!(page.total, 3);
    assert_eq!(
        page.items
            .iter()
            .map(|o| o.name.as_str())
            .collect::<Vec<_>>(),
        ["Comune di Firenze", "Comune di Lecce"]
    );
    let wildcard = repo.list(Some("%"), 0, 10).await.unwrap();
    assert_eq!(wildcard.total, 0, "LIKE wildcards in the query are literal");
}
