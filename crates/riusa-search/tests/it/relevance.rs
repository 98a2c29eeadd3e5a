//! Search quality measured the way civil servants search: `data/search/relevance.tsv` lists
//! queries (synonyms, acronyms, loanwords, plurals, typos…) with the practices they should
//! find in the first five results, over the demo catalog.

use std::collections::BTreeMap;
use std::sync::Arc;

use riusa_search::{SearchIndex, SearchRequest, rebuild};
use riusa_store::testing::TestDatabase;

use crate::catalog_index;

const TOP: usize = 5;

struct Judgement {
    query: String,
    expected: Vec<String>,
    kind: String,
}

fn judgements() -> Vec<Judgement> {
    include_str!("../../../../data/search/relevance.tsv")
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let mut cells = line.split('\t');
            let query = cells.next().unwrap_or_default().to_owned();
            let expected = cells
                .next()
                .unwrap_or_default()
                .split(',')
                .map(|s| s.trim().to_owned())
                .collect();
            let kind = cells.next().unwrap_or_default().trim().to_owned();
            Judgement {
                query,
                expected,
                kind,
            }
        })
        .collect()
}

async fn demo_index() -> (TestDatabase, Arc<SearchIndex>) {
    catalog_index(&[include_bytes!("../../../../data/demo/practices.jsonl").to_vec()]).await
}

/// Recall at 5 per kind of query, and the queries that miss.
fn evaluate(index: &SearchIndex) -> (BTreeMap<String, (f64, usize)>, Vec<String>) {
    let mut by_kind: BTreeMap<String, (f64, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    for judgement in judgements() {
        let results = index
            .search(&SearchRequest {
                text: judgement.query.clone(),
                limit: TOP,
                facets: false,
                ..SearchRequest::default()
            })
            .unwrap();
        let found: Vec<&str> = results.hits.iter().map(|h| h.card.slug.as_str()).collect();
        let hits = judgement
            .expected
            .iter()
            .filter(|e| found.contains(&e.as_str()))
            .count();
        let recall = hits as f64 / judgement.expected.len() as f64;
        if recall < 1.0 {
            misses.push(format!(
                "{} [{}]: expected {:?}, got {:?}",
                judgement.query, judgement.kind, judgement.expected, found
            ));
        }
        let entry = by_kind.entry(judgement.kind).or_default();
        entry.0 += recall;
        entry.1 += 1;
    }
    (by_kind, misses)
}

fn overall(by_kind: &BTreeMap<String, (f64, usize)>) -> f64 {
    let total: usize = by_kind.values().map(|(_, n)| n).sum();
    by_kind.values().map(|(r, _)| r).sum::<f64>() / total as f64
}

/// Fails if search quality drops below what it is today; prints the table for
/// docs/search-quality.md, next to the same engine without synonyms as a baseline.
#[tokio::test]
async fn the_relevance_set_finds_what_civil_servants_look_for() {
    let (db, index) = demo_index().await;
    let (by_kind, misses) = evaluate(&index);
    let baseline_index = Arc::new(
        SearchIndex::in_memory()
            .unwrap()
            .with_synonyms(riusa_search::Synonyms::default()),
    );
    rebuild(&db.store, &baseline_index, |_| {}).await.unwrap();
    let (baseline, _) = evaluate(&baseline_index);
    let total_queries: usize = by_kind.values().map(|(_, n)| n).sum();
    let overall_recall = overall(&by_kind);
    println!("| kind | queries | recall@{TOP} | without synonyms |\n|---|---|---|---|");
    for (kind, (sum, n)) in &by_kind {
        let (base_sum, _) = baseline[kind];
        println!(
            "| {kind} | {n} | {:.2} | {:.2} |",
            sum / *n as f64,
            base_sum / *n as f64
        );
    }
    println!(
        "| all | {total_queries} | {overall_recall:.2} | {:.2} |\n",
        overall(&baseline)
    );
    for miss in &misses {
        println!("miss: {miss}");
    }
    assert!(total_queries >= 60);
    assert!(
        overall_recall >= 0.95,
        "overall recall@{TOP} {overall_recall:.2}"
    );
    assert!(overall_recall > overall(&baseline), "synonyms must help");
    for (kind, (sum, n)) in &by_kind {
        assert!(
            sum / *n as f64 >= 0.85,
            "{kind}: recall@{TOP} {:.2}",
            sum / *n as f64
        );
    }
}
