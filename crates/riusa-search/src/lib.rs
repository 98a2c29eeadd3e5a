#![doc = include_str!("../README.md")]

mod analysis;
mod document;
mod error;
mod follower;
mod highlight;
mod index;
mod query;
mod schema;
mod synonyms;

pub use analysis::{RootFilter, stopwords};
pub use document::PracticeCard;
pub use error::SearchError;
pub use follower::{Follower, rebuild};
pub use highlight::{Highlighter, snippet_source};
pub use index::{IndexStats, SearchIndex};
pub use query::{
    FacetCount, FacetGroup, FacetKind, Filters, Hit, MAX_WINDOW, SearchRequest, SearchResults, Sort,
};
pub use synonyms::Synonyms;
