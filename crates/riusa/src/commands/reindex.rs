use std::sync::Arc;

use anyhow::Context;
use indicatif::ProgressBar;
use riusa_search::SearchIndex;
use riusa_store::{PracticeFilter, Store};

use crate::config::Config;

/// Rebuilds this node's index from the database.
pub async fn run(config: &Config, store: &Store) -> anyhow::Result<()> {
    let index = Arc::new(SearchIndex::open(&config.index_dir()).with_context(|| {
        format!(
            "impossibile aprire l'indice in {}",
            config.index_dir().display()
        )
    })?);
    let total = store.catalog().count(PracticeFilter::published()).await?;
    let bar = ProgressBar::new(total);
    let indexed = riusa_search::rebuild(store, &index, |done| bar.set_position(done))
        .await
        .context(
            "ricostruzione dell'indice non riuscita (il server usa ancora questa cartella?)",
        )?;
    bar.finish_and_clear();
    println!("Indice ricostruito: {indexed} buone pratiche pubblicate.");
    Ok(())
}
