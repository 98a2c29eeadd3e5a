//! The operator's commands on practices that the web does not offer.

use chrono::Utc;
use riusa_store::{Actor, Store, StoreError};

use super::domain_error;

/// Removes a practice that was never published, as the workflow allows.
pub async fn purge(store: &Store, slug: &str) -> anyhow::Result<()> {
    let catalog = store.catalog();
    let id = match catalog.view_by_slug(slug).await {
        Ok(view) => view.id,
        Err(StoreError::NotFound) => anyhow::bail!("nessuna pratica con lo slug «{slug}»"),
        Err(other) => return Err(other.into()),
    };
    let state = catalog.workflow(id).await?;
    let change = riusa_domain::catalog::workflow::purge(&state, id).map_err(domain_error)?;
    match catalog.apply(change, &Actor::operator(), Utc::now()).await {
        Ok(_) => {}
        Err(StoreError::Invalid(error)) => return Err(domain_error(error)),
        Err(other) => return Err(other.into()),
    }
    println!("Pratica «{slug}» eliminata.");
    Ok(())
}
