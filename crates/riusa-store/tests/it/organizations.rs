use chrono::Utc;
use riusa_domain::catalog::Status;
use riusa_store::testing::{PracticeBuilder, TestDatabase, municipalities, organizations};
use riusa_store::{NewMunicipality, NewOrganization, OrganizationFilter, OrganizationRepo};

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

async fn names(repo: &OrganizationRepo<'_>, filter: &OrganizationFilter) -> Vec<(String, u64)> {
    repo.list(filter, 0, 50)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|e| (e.organization.ipa_code, e.published_practices))
        .collect()
}

fn named(q: &str) -> OrganizationFilter {
    OrganizationFilter {
        name: Some(q.into()),
        ..OrganizationFilter::default()
    }
}

/// The registry as tests see it, plus Bari and an administration spelled as IPA spells it.
async fn with_bari(db: &TestDatabase) {
    let repo = db.store.organizations();
    repo.upsert_municipalities(&[NewMunicipality {
        istat_code: "072006".into(),
        name: "Bari".into(),
        region_code: "16".into(),
        region_name: "Puglia".into(),
        province_code: "272".into(),
        province_name: "Bari".into(),
        province_abbr: Some("BA".into()),
        cadastral_code: "A662".into(),
        population: Some(316_015),
    }])
    .await
    .unwrap();
    repo.upsert_organizations(
        &[NewOrganization {
            ipa_code: "cmba".into(),
            name: "Citta' Metropolitana di Bari".into(),
            kind: "Pubbliche Amministrazioni".into(),
            category_code: "L45".into(),
            category_name: "Citta' Metropolitane".into(),
            istat_code: Some("072006".into()),
            is_municipality: false,
            website: None,
        }],
        Utc::now(),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn listing_filters_by_name_and_pages() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let repo = db.store.organizations();
    let page = repo.list(&named("comune di"), 0, 2).await.unwrap();
    assert_eq!(page.total, 3);
    assert_eq!(
        page.items
            .iter()
            .map(|e| e.organization.name.as_str())
            .collect::<Vec<_>>(),
        ["Comune di Firenze", "Comune di Lecce"]
    );
    // Names are compared folded: punctuation, LIKE wildcards included, only separates words.
    let wildcard = repo.list(&named("%"), 0, 10).await.unwrap();
    assert_eq!(wildcard.total, 6, "no word, no filter");
    let inside = repo.list(&named("orv%eto"), 0, 10).await.unwrap();
    assert_eq!(
        inside.total, 0,
        "«orv» and «eto», and no word starts with «eto»"
    );
}

#[tokio::test]
async fn names_match_as_people_type_them() {
    let db = TestDatabase::new().await.with_reference_data().await;
    with_bari(&db).await;
    let repo = db.store.organizations();
    for q in [
        "citta metropolitana di bari",
        "Città metropolitana",
        "CITTA' METROPOLITANA BARI",
        "bari metropolitana",
        "metrop",
    ] {
        assert_eq!(
            names(&repo, &named(q)).await,
            [("cmba".to_owned(), 0)],
            "{q}"
        );
    }
    for q in ["comune di orvieto", "orvieto", "Orvieto comune", "ORV"] {
        assert_eq!(
            names(&repo, &named(q)).await,
            [("c_g148".to_owned(), 0)],
            "{q}"
        );
    }
    assert_eq!(
        names(&repo, &named("regione umbria")).await,
        [("r_umbria".to_owned(), 0)]
    );
    assert!(
        names(&repo, &named("comune di bari")).await.is_empty(),
        "every word must match"
    );
    assert!(
        names(&repo, &named("rvieto")).await.is_empty(),
        "words match from their start"
    );
}

#[tokio::test]
async fn the_directory_counts_published_practices_and_puts_them_first() {
    let db = TestDatabase::new().await.with_reference_data().await;
    with_bari(&db).await;
    PracticeBuilder::new("sportello-unico", "Sportello unico")
        .owner("r_umbria")
        .partner("c_g148")
        .insert(&db.store)
        .await;
    PracticeBuilder::new("lavoro-agile", "Lavoro agile")
        .owner("r_umbria")
        .insert(&db.store)
        .await;
    PracticeBuilder::new("bozza-roma", "Una bozza di Roma")
        .owner("c_h501")
        .status(Status::Draft)
        .insert(&db.store)
        .await;
    PracticeBuilder::new("archiviata-lecce", "Una pratica archiviata")
        .owner("c_e506")
        .status(Status::Archived)
        .insert(&db.store)
        .await;
    let repo = db.store.organizations();
    assert_eq!(repo.count_with_practices().await.unwrap(), 2);

    let with_practices = OrganizationFilter {
        with_practices: true,
        ..OrganizationFilter::default()
    };
    assert_eq!(
        names(&repo, &with_practices).await,
        [("r_umbria".to_owned(), 2), ("c_g148".to_owned(), 1)],
        "drafts and archived practices do not count"
    );
    let everyone = names(&repo, &OrganizationFilter::default()).await;
    assert_eq!(
        everyone
            .iter()
            .map(|(ipa, _)| ipa.as_str())
            .collect::<Vec<_>>(),
        [
            "r_umbria", "c_g148", "cmba", "c_d612", "c_e506", "r_toscan", "c_h501"
        ],
        "then by name, whatever its capitals and accents"
    );
    assert!(everyone[2..].iter().all(|(_, n)| *n == 0));
    let page = repo
        .list(&OrganizationFilter::default(), 1, 2)
        .await
        .unwrap();
    assert_eq!(page.total, 7);
    assert_eq!(page.items[0].organization.ipa_code, "c_g148");
}

#[tokio::test]
async fn the_directory_filters_by_kind_region_and_province() {
    let db = TestDatabase::new().await.with_reference_data().await;
    with_bari(&db).await;
    PracticeBuilder::new("sportello-unico", "Sportello unico")
        .owner("c_g148")
        .insert(&db.store)
        .await;
    let repo = db.store.organizations();
    let region = |region: &str| OrganizationFilter {
        region: Some(region.into()),
        ..OrganizationFilter::default()
    };
    assert_eq!(
        names(&repo, &region("Umbria")).await,
        [("c_g148".to_owned(), 1), ("r_umbria".to_owned(), 0)]
    );
    let terni = OrganizationFilter {
        region: Some("Umbria".into()),
        province: Some("Terni".into()),
        ..OrganizationFilter::default()
    };
    assert_eq!(names(&repo, &terni).await, [("c_g148".to_owned(), 1)]);
    let umbria_with_practices = OrganizationFilter {
        with_practices: true,
        ..region("Umbria")
    };
    assert_eq!(
        names(&repo, &umbria_with_practices).await,
        [("c_g148".to_owned(), 1)]
    );
    let regions = OrganizationFilter {
        category: Some("L4".into()),
        ..OrganizationFilter::default()
    };
    assert_eq!(
        names(&repo, &regions).await,
        [("r_toscan".to_owned(), 0), ("r_umbria".to_owned(), 0)]
    );
    let puglia = OrganizationFilter {
        name: Some("bari".into()),
        ..region("Puglia")
    };
    assert_eq!(names(&repo, &puglia).await, [("cmba".to_owned(), 0)]);

    assert!(repo.regions().await.unwrap().contains(&"Puglia".to_owned()));
    assert_eq!(
        repo.provinces(Some("Umbria")).await.unwrap(),
        ["Perugia", "Terni"]
    );
    assert!(
        repo.categories()
            .await
            .unwrap()
            .contains(&("L45".to_owned(), "Citta' Metropolitane".to_owned()))
    );
}
