use chrono::Utc;
use riusa_domain::software::{Description, NewSoftware, StoredFinding};
use riusa_store::testing::TestDatabase;
use riusa_store::{Actor, EntityKind, SoftwareFilter, StoreError, UpsertOutcome};

fn record(url: &str, name: &str) -> NewSoftware {
    NewSoftware {
        url: url.into(),
        name: name.into(),
        owner_ipa_code: Some("C_G148".into()),
        version: Some("1.0".into()),
        development_status: Some("stable".into()),
        license: Some("EUPL-1.2".into()),
        categories: vec!["cloud-management".into(), "workflow-management".into()],
        descriptions: vec![Description {
            language: "it".into(),
            short_description: Some("Gestione delle pratiche".into()),
            features: vec!["Protocollo".into()],
            ..Description::default()
        }],
        used_by: vec!["Comune di Orvieto".into()],
        source: format!("name: {name}\nurl: {url}\n"),
        ..NewSoftware::default()
    }
}

fn invalid(mut record: NewSoftware) -> NewSoftware {
    record.findings = vec![StoredFinding {
        severity: "error".into(),
        key: "legal.license".into(),
        description: "la licenza è obbligatoria".into(),
        line: 0,
        column: 0,
    }];
    record
}

#[tokio::test]
async fn importing_the_same_url_again_updates_and_never_duplicates() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let repo = db.store.software();
    let operator = Actor::operator();
    let url = "https://github.com/comune-orvieto/pratiche";
    let first = repo
        .upsert(&record(url, "Pratiche"), None, &operator, Utc::now())
        .await
        .unwrap();
    assert!(matches!(first, UpsertOutcome::Created(_)));
    let again = repo
        .upsert(&record(url, "Pratiche"), None, &operator, Utc::now())
        .await
        .unwrap();
    assert_eq!(again, UpsertOutcome::Unchanged(first.id()));
    let mut changed = record(url, "Pratiche");
    changed.version = Some("2.0".into());
    let updated = repo
        .upsert(&changed, None, &operator, Utc::now())
        .await
        .unwrap();
    assert_eq!(updated, UpsertOutcome::Updated(first.id()));

    let page = repo.list(&SoftwareFilter::default(), 0, 10).await.unwrap();
    assert_eq!(page.total, 1);
    let shown = &page.items[0];
    assert_eq!(shown.slug, "pratiche");
    assert_eq!(shown.version.as_deref(), Some("2.0"));
    assert_eq!(
        shown.owner.as_ref().map(|o| o.ipa_code.as_str()),
        Some("c_g148")
    );
    assert_eq!(shown.descriptions[0].features, ["Protocollo"]);
    assert_eq!(
        repo.source_by_slug("pratiche").await.unwrap(),
        format!("name: Pratiche\nurl: {url}\n")
    );

    // Created and updated, never the unchanged import.
    let feed = db.store.feed().since(0, 100).await.unwrap();
    let software: Vec<_> = feed
        .iter()
        .filter(|e| e.entity == EntityKind::Software)
        .collect();
    assert_eq!(software.len(), 2);
}

#[tokio::test]
async fn two_records_with_one_name_get_two_slugs() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let repo = db.store.software();
    let operator = Actor::operator();
    for url in ["https://example.org/a", "https://example.org/b"] {
        repo.upsert(&record(url, "Città Pratiche"), None, &operator, Utc::now())
            .await
            .unwrap();
    }
    let slugs: Vec<String> = repo
        .list(&SoftwareFilter::default(), 0, 10)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|s| s.slug)
        .collect();
    assert_eq!(slugs, ["citta-pratiche", "citta-pratiche-2"]);
}

#[tokio::test]
async fn an_invalid_file_is_kept_inactive_with_its_findings_and_not_listed() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let repo = db.store.software();
    let operator = Actor::operator();
    let url = "https://example.org/rotto";
    repo.upsert(&invalid(record(url, "Rotto")), None, &operator, Utc::now())
        .await
        .unwrap();
    assert_eq!(repo.count(&SoftwareFilter::default()).await.unwrap(), 0);
    assert!(matches!(
        repo.active_by_slug("rotto").await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        repo.source_by_slug("rotto").await,
        Err(StoreError::NotFound)
    ));
    let kept = repo.by_slug("rotto").await.unwrap();
    assert!(!kept.active);
    assert_eq!(kept.findings[0].key, "legal.license");

    // Fixed: the same record becomes public.
    repo.upsert(&record(url, "Rotto"), None, &operator, Utc::now())
        .await
        .unwrap();
    assert!(
        repo.active_by_slug("rotto")
            .await
            .unwrap()
            .findings
            .is_empty()
    );
}

#[tokio::test]
async fn the_list_is_filtered_by_category_status_and_licence() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let repo = db.store.software();
    let operator = Actor::operator();
    let mut beta = record("https://example.org/beta", "Beta");
    beta.development_status = Some("beta".into());
    beta.categories = vec!["cloud".into()];
    beta.license = Some("MIT".into());
    for r in [record("https://example.org/alfa", "Alfa"), beta] {
        repo.upsert(&r, None, &operator, Utc::now()).await.unwrap();
    }
    let names = |filter: SoftwareFilter| {
        let repo = db.store.software();
        async move {
            repo.list(&filter, 0, 10)
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|s| s.name)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(names(SoftwareFilter::default()).await, ["Alfa", "Beta"]);
    // `cloud` is not a prefix match of `cloud-management`.
    let cloud = SoftwareFilter {
        category: Some("cloud".into()),
        ..SoftwareFilter::default()
    };
    assert_eq!(names(cloud).await, ["Beta"]);
    let stable = SoftwareFilter {
        development_status: Some("stable".into()),
        ..SoftwareFilter::default()
    };
    assert_eq!(names(stable).await, ["Alfa"]);
    let mit = SoftwareFilter {
        license: Some("MIT".into()),
        ..SoftwareFilter::default()
    };
    assert_eq!(names(mit).await, ["Beta"]);
}
