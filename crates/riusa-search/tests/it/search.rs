use riusa_domain::catalog::{Sections, Status, SupportKind};
use riusa_search::{FacetKind, Filters, MAX_WINDOW, SearchError, SearchRequest, Sort};
use riusa_store::Store;
use riusa_store::testing::PracticeBuilder;

use crate::{indexed, search, slugs};

async fn catalog(store: &Store) {
    PracticeBuilder::new(
        "percorsi-formazione",
        "Percorsi di formazione per gli operatori sociali",
    )
    .summary("Tre percorsi di formazione in aula per il personale dei servizi sociali.")
    .themes(&["formazione", "politiche-sociali"])
    .started(2017)
    .support(&[SupportKind::Testimonial, SupportKind::Training])
    .insert(store)
    .await;
    PracticeBuilder::new("tariffa-rifiuti", "Tariffa puntuale sui rifiuti urbani")
        .summary("La tassa sui rifiuti calcolata sugli svuotamenti effettivi dei contenitori.")
        .themes(&["tributi-e-bilancio", "ambiente-e-territorio"])
        .owner("c_d612")
        .started(2021)
        .support(&[SupportKind::Documentation])
        .insert(store)
        .await;
    PracticeBuilder::new("lavoro-agile", "Regolamento del lavoro agile")
        .summary("Organizzazione del lavoro da remoto per i dipendenti comunali.")
        .themes(&["organizzazione-e-personale"])
        .owner("c_e506")
        .places(&["075035"])
        .started(2020)
        .insert(store)
        .await;
    PracticeBuilder::new("cartella-sociale", "Cartella sociale informatizzata")
        .summary("Un sistema informativo unico per i servizi sociali dei comuni dell'ambito.")
        .themes(&["politiche-sociali", "digitalizzazione-dei-processi"])
        .owner("r_umbria")
        .partner("c_g148")
        .places(&["055023"])
        .started(2019)
        .support(&[SupportKind::SourceCode, SupportKind::Training])
        .sections(Sections {
            activities: Some("Installazione della piattaforma, **formazione** degli operatori e help desk per 60 giorni.".into()),
            ..Sections::default()
        })
        .insert(store)
        .await;
    PracticeBuilder::new("bozza-non-pubblica", "Formazione riservata in bozza")
        .status(Status::Draft)
        .insert(store)
        .await;
}

#[tokio::test]
async fn stemming_and_roots_find_other_forms_of_a_word() {
    let (_db, index) = indexed(catalog).await;
    assert_eq!(
        slugs(&search(&index, "formativi"))[0],
        "percorsi-formazione"
    );
    assert!(slugs(&search(&index, "formatori")).contains(&"percorsi-formazione".to_owned()));
    assert!(slugs(&search(&index, "regolamenti")).contains(&"lavoro-agile".to_owned()));
}

#[tokio::test]
async fn stop_words_do_not_change_the_results() {
    let (_db, index) = indexed(catalog).await;
    let with_stop_words = search(&index, "la cartella dei servizi sociali");
    // Two empty lists are equal too: the words must find the practice they name, first; two
    // of the three words are enough to be listed after it.
    assert_eq!(
        slugs(&with_stop_words),
        ["cartella-sociale", "percorsi-formazione"]
    );
    assert!(!with_stop_words.relaxed, "every word matched");
    assert_eq!(
        slugs(&with_stop_words),
        slugs(&search(&index, "cartella servizi sociali"))
    );
}

#[tokio::test]
async fn acronyms_and_loanwords_find_the_words_of_the_record() {
    let (_db, index) = indexed(catalog).await;
    assert_eq!(slugs(&search(&index, "TARI")), ["tariffa-rifiuti"]);
    assert_eq!(slugs(&search(&index, "smart working")), ["lavoro-agile"]);
}

#[tokio::test]
async fn a_typo_of_one_letter_still_finds_the_word_and_suggests_it() {
    let (_db, index) = indexed(catalog).await;
    let results = search(&index, "cartela");
    assert_eq!(slugs(&results), ["cartella-sociale"]);
    assert_eq!(results.suggestion.as_deref(), Some("cartella"));
    assert!(search(&index, "cartella").suggestion.is_none());
}

#[tokio::test]
async fn drafts_are_never_found() {
    let (_db, index) = indexed(catalog).await;
    assert!(!slugs(&search(&index, "riservata bozza")).contains(&"bozza-non-pubblica".to_owned()));
    assert_eq!(search(&index, "").total, 4);
}

#[tokio::test]
async fn snippets_highlight_the_matched_words_of_the_stored_text() {
    let (db, index) = indexed(catalog).await;
    let results = search(&index, "help desk formativi");
    assert!(
        results.hits[0].snippet.is_none(),
        "the index does not hold texts"
    );
    let id = results.hits[0].card.id;
    let sections = db.store.catalog().sections(&[id]).await.unwrap();
    let highlighter = results.highlighter.clone().unwrap();
    let snippet = highlighter
        .snippet(&riusa_search::snippet_source(&sections[&id]))
        .unwrap();
    assert!(snippet.contains("<mark>help</mark>"), "{snippet}");
    assert!(
        snippet.contains("<mark>formazione</mark>"),
        "a word of the same root: {snippet}"
    );
    assert!(!snippet.contains("**"), "markdown is stripped: {snippet}");
    assert!(search(&index, "").highlighter.is_none());
}

#[tokio::test]
async fn facets_count_the_results_and_keep_alternatives_of_a_selected_facet() {
    let (_db, index) = indexed(catalog).await;
    let mut request = SearchRequest::default();
    let all = index.search(&request).unwrap();
    let themes = &all
        .facets
        .iter()
        .find(|f| f.kind == FacetKind::Theme)
        .unwrap()
        .values;
    let social = themes
        .iter()
        .find(|v| v.value == "politiche-sociali")
        .unwrap();
    assert_eq!(social.count, 2);

    request.filters = Filters {
        regions: vec!["Umbria".into()],
        ..Filters::default()
    };
    let umbria = index.search(&request).unwrap();
    assert_eq!(slugs(&umbria), ["cartella-sociale"]);
    let regions = &umbria
        .facets
        .iter()
        .find(|f| f.kind == FacetKind::Region)
        .unwrap()
        .values;
    assert!(
        regions
            .iter()
            .any(|v| v.value == "Umbria" && v.selected && v.count == 1)
    );
    assert!(
        regions
            .iter()
            .any(|v| v.value == "Toscana" && !v.selected && v.count == 2),
        "{regions:?}"
    );
    let support = &umbria
        .facets
        .iter()
        .find(|f| f.kind == FacetKind::Support)
        .unwrap()
        .values;
    assert_eq!(
        support.iter().map(|v| v.value.as_str()).collect::<Vec<_>>(),
        ["source_code", "training"]
    );
}

#[tokio::test]
async fn owner_filter_lists_practices_of_owners_and_partners() {
    let (_db, index) = indexed(catalog).await;
    let request = SearchRequest {
        filters: Filters {
            owner: Some("C_G148".into()),
            ..Filters::default()
        },
        ..SearchRequest::default()
    };
    assert_eq!(
        slugs(&index.search(&request).unwrap()),
        ["cartella-sociale"]
    );
}

#[tokio::test]
async fn sorting_by_newest_and_by_title() {
    let (_db, index) = indexed(catalog).await;
    let newest = index
        .search(&SearchRequest {
            sort: Sort::Newest,
            ..SearchRequest::default()
        })
        .unwrap();
    assert_eq!(
        slugs(&newest),
        [
            "tariffa-rifiuti",
            "lavoro-agile",
            "cartella-sociale",
            "percorsi-formazione"
        ]
    );
    let by_title = index
        .search(&SearchRequest {
            sort: Sort::Title,
            ..SearchRequest::default()
        })
        .unwrap();
    assert_eq!(
        slugs(&by_title),
        [
            "cartella-sociale",
            "percorsi-formazione",
            "lavoro-agile",
            "tariffa-rifiuti"
        ]
    );
}

#[tokio::test]
async fn pages_split_results_and_windows_have_a_limit() {
    let (_db, index) = indexed(catalog).await;
    let page = |offset| SearchRequest {
        sort: Sort::Title,
        offset,
        limit: 3,
        ..SearchRequest::default()
    };
    let first = index.search(&page(0)).unwrap();
    let second = index.search(&page(3)).unwrap();
    assert_eq!(
        (first.hits.len(), second.hits.len(), first.total),
        (3, 1, 4)
    );
    let beyond = index.search(&page(50)).unwrap();
    assert!(beyond.hits.is_empty());
    let too_deep = index.search(&page(MAX_WINDOW));
    assert!(matches!(too_deep, Err(SearchError::WindowTooDeep { .. })));
}

#[tokio::test]
async fn when_no_practice_has_every_word_some_of_the_words_are_enough() {
    let (_db, index) = indexed(catalog).await;
    let results = search(&index, "cartella astronave");
    assert!(results.relaxed);
    assert_eq!(slugs(&results), ["cartella-sociale"]);
}

#[tokio::test]
async fn similar_practices_share_themes_and_words() {
    let (db, index) = indexed(catalog).await;
    let view = db
        .store
        .catalog()
        .view_by_slug("cartella-sociale")
        .await
        .unwrap();
    let similar = index.similar(&view, 3).unwrap();
    assert_eq!(similar[0].slug, "percorsi-formazione");
    assert!(similar.iter().all(|c| c.id != view.id));
}

async fn counters(store: &Store) {
    PracticeBuilder::new("sportello-digitale", "Sportello digitale per le imprese")
        .summary("Pratiche online per le imprese del territorio, senza code.")
        .insert(store)
        .await;
    PracticeBuilder::new("sportello-anagrafe", "Sportello anagrafe su appuntamento")
        .summary("Certificati anagrafici allo sportello, prenotati dal sito.")
        .insert(store)
        .await;
    PracticeBuilder::new("corsi-imprese", "Corsi di aggiornamento per le imprese")
        .summary("Incontri per le imprese artigiane sulle novità normative.")
        .insert(store)
        .await;
    PracticeBuilder::new("turismo-lento", "Turismo lento nei borghi")
        .summary("Itinerari a piedi e in bicicletta tra i borghi dell'entroterra.")
        .insert(store)
        .await;
}

#[tokio::test]
async fn a_two_word_query_needs_both_words_when_some_practice_has_them() {
    let (_db, index) = indexed(counters).await;
    let results = search(&index, "sportello imprese");
    // Both other practices hold one of the two words: neither may be listed.
    assert_eq!(slugs(&results), ["sportello-digitale"]);
    assert!(!results.relaxed);
}

#[tokio::test]
async fn a_longer_query_finds_the_practice_without_one_of_its_words() {
    let (_db, index) = indexed(counters).await;
    // "turismo" is a word of the catalog, but not of the practice sought.
    let results = search(&index, "sportello digitale imprese turismo");
    assert_eq!(slugs(&results)[0], "sportello-digitale");
    assert!(
        !results.relaxed,
        "three of four words is a match, not a fallback"
    );
    // Two of four words is not enough: the other counters and courses are left out.
    assert!(!slugs(&results).contains(&"sportello-anagrafe".to_owned()));
}

#[tokio::test]
async fn three_words_match_a_practice_with_any_two_of_them() {
    let (_db, index) = indexed(counters).await;
    let mut ranked = slugs(&search(&index, "sportello imprese anagrafe"));
    ranked.sort();
    // The courses hold only "imprese"; the tourism practice none of the words.
    assert_eq!(ranked, ["sportello-anagrafe", "sportello-digitale"]);
}

#[tokio::test]
async fn the_layers_can_be_turned_off_to_measure_them() {
    let db_index = indexed(counters).await;
    let strict = std::sync::Arc::new(
        riusa_search::SearchIndex::in_memory()
            .unwrap()
            .with_matching(riusa_search::Matching {
                ranked: false,
                ..riusa_search::Matching::default()
            }),
    );
    riusa_search::rebuild(&db_index.0.store, &strict, |_| {})
        .await
        .unwrap();
    // Every word required: no practice has all four, so the fallback lists any of them.
    let results = search(&strict, "sportello digitale imprese turismo");
    assert!(results.relaxed);
    assert!(!search(&db_index.1, "sportello digitale imprese turismo").relaxed);
}

#[tokio::test]
async fn a_four_word_query_with_a_word_nobody_wrote_still_finds_the_practice() {
    let (_db, index) = indexed(counters).await;
    let results = search(&index, "sportello digitale imprese zzyzx");
    assert_eq!(slugs(&results)[0], "sportello-digitale");
    assert!(!results.relaxed);
}

/// Facet counts come from bit sets kept per index generation; each must equal the number of
/// results the same search gives with that value as its filter (a term query, counted
/// another way), with and without a selection in another facet, and after the index changes.
#[tokio::test]
async fn every_facet_count_is_the_total_its_filter_gives() {
    let demo = include_bytes!("../../../../data/demo/practices.jsonl").to_vec();
    let (db, index) = crate::catalog_index(&[demo]).await;
    let check = |index: &riusa_search::SearchIndex| {
        for (text, theme) in [
            ("", None),
            ("servizi", None),
            ("formazione personale", None),
            ("servizi", Some("politiche-sociali")),
        ] {
            let mut request = SearchRequest {
                text: text.into(),
                ..SearchRequest::default()
            };
            if let Some(theme) = theme {
                request.filters.themes = vec![theme.into()];
            }
            let results = index.search(&request).unwrap();
            let mut checked = 0;
            for group in &results.facets {
                for value in &group.values {
                    let mut filtered = request.clone();
                    filtered.facets = false;
                    *filtered.filters.values_mut(group.kind) = vec![value.value.clone()];
                    let total = index.search(&filtered).unwrap().total;
                    assert_eq!(
                        value.count as usize, total,
                        "{text:?} {theme:?}: {:?} = {}",
                        group.kind, value.value
                    );
                    checked += 1;
                }
            }
            assert!(checked > 10, "{text:?}: only {checked} values");
        }
    };
    check(&index);

    // A changed practice: the old copy is deleted in its segment, the new one lands in
    // another; counts must follow the new generation.
    PracticeBuilder::new(
        "scambio-pa-regione-toscana",
        "Scambio PA per i servizi sociali",
    )
    .themes(&["politiche-sociali"])
    .owner("c_e506")
    .insert(&db.store)
    .await;
    let mut follower = riusa_search::Follower::new(db.store.clone(), index.clone()).unwrap();
    assert!(follower.catch_up().await.unwrap() > 0);
    check(&index);
}
