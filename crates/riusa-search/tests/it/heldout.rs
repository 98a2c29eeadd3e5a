//! The held-out evaluation (`data/search/heldout/`): queries written before anybody looked at
//! a result, with graded judgments, over the demo catalog, 2,000 generated practices and the
//! set's own target practices. It measures; nothing in the engine may be tuned on it, so this
//! test prints only figures per kind, never which query failed.

use std::collections::{BTreeMap, HashMap};
use std::process::Command;

use std::sync::Arc;

use riusa_search::{Matching, SearchIndex, SearchRequest, Synonyms, rebuild};

use crate::catalog_index;

const GENERATED_COUNT: &str = "2000";
const GENERATED_SEED: &str = "7";
const DEPTH: usize = 10;
const SUCCESS_AT: usize = 3;

struct Query {
    text: String,
    kind: String,
    grades: HashMap<String, u8>,
}

fn queries() -> Vec<Query> {
    let tsv = include_str!("../../../../data/search/heldout/queries.tsv");
    let mut lines = tsv.lines();
    assert_eq!(lines.next(), Some("query\tkind\tjudgments"));
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            assert_eq!(cells.len(), 3, "{line}");
            let grades = cells[2]
                .split(',')
                .map(|judgment| {
                    let (slug, grade) = judgment.trim().rsplit_once(':').unwrap();
                    (slug.to_owned(), grade.parse().unwrap())
                })
                .collect();
            Query {
                text: cells[0].to_owned(),
                kind: cells[1].to_owned(),
                grades,
            }
        })
        .collect()
}

/// The generated part of the corpus, made by the benchmark's generator (deterministic for a
/// count and a seed).
fn generated() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("generated.jsonl");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../bench/generate.py");
    let python = std::env::var("RIUSA_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let status = Command::new(python)
        .args([
            script,
            "--count",
            GENERATED_COUNT,
            "--seed",
            GENERATED_SEED,
            "--jobs",
            "1",
        ])
        .arg("--out")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success(), "bench/generate.py failed");
    std::fs::read(out).unwrap()
}

fn gain(grade: u8) -> f64 {
    f64::from((1u32 << grade) - 1)
}

fn dcg(grades: impl Iterator<Item = u8>) -> f64 {
    grades
        .take(DEPTH)
        .enumerate()
        .map(|(rank, grade)| gain(grade) / (rank as f64 + 2.0).log2())
        .sum()
}

/// Scores of one query.
#[derive(Default, Clone, Copy)]
struct Scores {
    /// A grade-2 practice among the first three.
    success: f64,
    /// nDCG@10, unjudged results counted as not relevant.
    ndcg: f64,
    /// nDCG@10 on the judged results only (unjudged ones removed from the ranking): the
    /// generated practices were never judged and many are on the same topics.
    condensed: f64,
}

fn score(query: &Query, ranking: &[String]) -> Scores {
    let mut ideal: Vec<u8> = query.grades.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let ideal = dcg(ideal.into_iter());
    let grade = |slug: &String| query.grades.get(slug).copied();
    Scores {
        success: f64::from(u8::from(
            ranking.iter().take(SUCCESS_AT).any(|s| grade(s) == Some(2)),
        )),
        ndcg: dcg(ranking.iter().map(|s| grade(s).unwrap_or(0))) / ideal,
        condensed: dcg(ranking.iter().filter_map(grade)) / ideal,
    }
}

/// Mean scores per kind of query, and over all queries.
struct Evaluation {
    by_kind: BTreeMap<String, (usize, Scores)>,
    all: (usize, Scores),
}

fn evaluate(index: &SearchIndex, queries: &[Query]) -> Evaluation {
    let mut sums: BTreeMap<String, (usize, Scores)> = BTreeMap::new();
    let mut all = (0, Scores::default());
    for query in queries {
        let results = index
            .search(&SearchRequest {
                text: query.text.clone(),
                limit: DEPTH,
                facets: false,
                ..SearchRequest::default()
            })
            .unwrap();
        let ranking: Vec<String> = results.hits.into_iter().map(|h| h.card.slug).collect();
        let scores = score(query, &ranking);
        for entry in [sums.entry(query.kind.clone()).or_default(), &mut all] {
            entry.0 += 1;
            entry.1.success += scores.success;
            entry.1.ndcg += scores.ndcg;
            entry.1.condensed += scores.condensed;
        }
    }
    let mean = |(n, s): (usize, Scores)| {
        let n_f = n as f64;
        (
            n,
            Scores {
                success: s.success / n_f,
                ndcg: s.ndcg / n_f,
                condensed: s.condensed / n_f,
            },
        )
    };
    Evaluation {
        by_kind: sums.into_iter().map(|(k, v)| (k, mean(v))).collect(),
        all: mean(all),
    }
}

fn print_table(label: &str, evaluation: &Evaluation) {
    println!(
        "\n{label}\n| kind | queries | success@{SUCCESS_AT} | nDCG@{DEPTH} | nDCG@{DEPTH} judged only |"
    );
    println!("|---|---|---|---|---|");
    let rows = evaluation
        .by_kind
        .iter()
        .map(|(k, v)| (k.as_str(), v))
        .chain([("**all**", &evaluation.all)]);
    for (kind, (n, s)) in rows {
        println!(
            "| {kind} | {n} | {:.0} % | {:.2} | {:.2} |",
            s.success * 100.0,
            s.ndcg,
            s.condensed
        );
    }
}

/// Fails when the engine falls below what it reaches on queries it was never tuned on.
#[tokio::test]
async fn the_held_out_queries_find_what_they_were_written_for() {
    let queries = queries();
    assert!(queries.len() >= 60);
    let (db, index) = catalog_index(&[
        include_bytes!("../../../../data/demo/practices.jsonl").to_vec(),
        generated(),
        include_bytes!("../../../../data/search/heldout/practices.jsonl").to_vec(),
    ])
    .await;
    let evaluation = evaluate(&index, &queries);
    print_table("riusa", &evaluation);

    // The same engine without each layer, on the same database, in the same run.
    let without = [
        (
            "without ranked matching (every word required)",
            SearchIndex::in_memory().unwrap().with_matching(Matching {
                ranked: false,
                ..Matching::default()
            }),
        ),
        (
            "without proximity and title coverage",
            SearchIndex::in_memory().unwrap().with_matching(Matching {
                proximity: false,
                ..Matching::default()
            }),
        ),
        (
            "without synonyms",
            SearchIndex::in_memory()
                .unwrap()
                .with_synonyms(Synonyms::default()),
        ),
    ];
    let mut ablations = BTreeMap::new();
    for (label, ablated) in without {
        let ablated = Arc::new(ablated);
        rebuild(&db.store, &ablated, |_| {}).await.unwrap();
        let evaluation = evaluate(&ablated, &queries);
        print_table(label, &evaluation);
        ablations.insert(label, evaluation.all.1);
    }

    // Floors at what the engine reaches today (docs/search-quality.md), so that a change
    // that loses ground on unseen queries fails; the targets (success@3 95 %,
    // nDCG@10 0.80) are not reached yet and are reported there, not asserted.
    let (_, all) = evaluation.all;
    assert!(all.success >= 0.48, "success@3 {:.2}", all.success);
    assert!(all.ndcg >= 0.42, "nDCG@10 {:.2}", all.ndcg);
    assert!(
        all.condensed >= 0.49,
        "judged-only nDCG@10 {:.2}",
        all.condensed
    );
    let no_synonyms = ablations["without synonyms"];
    assert!(
        all.ndcg > no_synonyms.ndcg + 0.03,
        "synonyms must help: {:.2} against {:.2}",
        all.ndcg,
        no_synonyms.ndcg
    );
    let strict = ablations["without ranked matching (every word required)"];
    assert!(
        all.condensed > strict.condensed,
        "ranked matching must help: {:.2} against {:.2}",
        all.condensed,
        strict.condensed
    );
}
