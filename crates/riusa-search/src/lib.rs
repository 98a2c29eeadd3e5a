#![doc = include_str!("../README.md")]

mod analysis;
mod document;
mod error;
mod facets;
mod follower;
mod highlight;
mod index;
mod query;
mod schema;
mod status;
mod synonyms;
mod text;

pub use analysis::{RootFilter, stopwords};
pub use document::PracticeCard;
pub use error::SearchError;
pub use follower::{Follower, rebuild};
pub use highlight::{Highlighter, snippet_source};
pub use index::{IndexStats, SearchIndex};
pub use query::{
    FacetCount, FacetGroup, FacetKind, Filters, Hit, MAX_WINDOW, Matching, SearchRequest,
    SearchResults, Sort, required_matches,
};
pub use status::{IndexStatus, Readiness};
pub use synonyms::Synonyms;

#[cfg(test)]
mod tests {
    /// The modules from the bottom up (the crate README draws the same arrows).
    const LAYERS: [(&str, &str); 11] = [
        ("error", include_str!("error.rs")),
        ("status", include_str!("status.rs")),
        ("analysis", include_str!("analysis.rs")),
        ("schema", include_str!("schema.rs")),
        ("synonyms", include_str!("synonyms.rs")),
        ("text", include_str!("text.rs")),
        ("document", include_str!("document.rs")),
        ("highlight", include_str!("highlight.rs")),
        ("query", include_str!("query.rs")),
        ("index", include_str!("index.rs")),
        ("follower", include_str!("follower.rs")),
    ];

    #[test]
    fn modules_use_only_the_modules_below_them() {
        for (at, (name, source)) in LAYERS.iter().enumerate() {
            for (above, _) in &LAYERS[at + 1..] {
                assert!(
                    !source.contains(&format!("crate::{above}")),
                    "{name} uses {above}, which comes after it: a cycle in the making"
                );
            }
        }
    }
}
