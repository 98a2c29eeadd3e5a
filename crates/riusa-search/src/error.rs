/// The one error type of the search crate.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("index folder: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot open index folder: {0}")]
    OpenDirectory(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("cannot read index folder: {0}")]
    OpenRead(#[from] tantivy::directory::error::OpenReadError),
    #[error("stored document is unreadable: {0}")]
    Corrupt(String),
    #[error("store: {0}")]
    Store(#[from] riusa_store::StoreError),
    #[error("the page window ends past {max} results")]
    WindowTooDeep { max: usize },
    #[error("index task failed: {0}")]
    Task(String),
}
