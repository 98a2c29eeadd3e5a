//! The catalog's pages: home, the search, a practice sheet and its published versions; and
//! the editorial workflow: the authors' practices and form, the editors' review.

mod attachments;
mod diff;
mod drafts;
mod home;
mod practice;
mod practice_form;
mod review;
mod revisions;
mod search;

use axum::Router;
use axum::routing::{get, post};

pub use home::show_home;
#[cfg(feature = "bench")]
pub(in crate::pages) use practice::render_practice;
pub use practice::show_practice;
pub use search::list_practices;

use crate::{AppState, paths};

/// The workflow's pages that take the ordinary body limit.
pub fn workflow_routes() -> Router<AppState> {
    Router::new()
        .route(paths::MY_PRACTICES, get(drafts::list_my_practices))
        .route("/le-mie-schede/{id}", get(drafts::show_my_practice))
        .route("/le-mie-schede/{id}/invia", post(drafts::submit_practice))
        .route(
            "/le-mie-schede/{id}/archivia",
            get(drafts::confirm_archive).post(drafts::archive_practice),
        )
        .route(
            "/le-mie-schede/{id}/ripristina",
            post(drafts::restore_practice),
        )
        .route(
            "/le-mie-schede/{id}/versioni",
            get(revisions::show_revisions),
        )
        .route(
            "/le-mie-schede/{id}/versioni/{number}",
            get(revisions::show_revision),
        )
        .route(
            "/le-mie-schede/{id}/confronta",
            get(revisions::compare_revisions),
        )
        .route(
            "/le-mie-schede/{id}/allegati/{attachment}/rimuovi",
            get(attachments::confirm_remove_attachment).post(attachments::remove_attachment),
        )
        .route(
            "/allegati/{id}/{name}",
            get(attachments::download_attachment),
        )
        .route(paths::REVIEW_QUEUE, get(review::show_review_queue))
        .route(
            "/pratiche/{slug}/versioni",
            get(revisions::show_public_revisions),
        )
        .route(
            "/pratiche/{slug}/versioni/{number}",
            get(revisions::show_public_revision),
        )
        .route(
            "/pratiche/{slug}/confronta",
            get(revisions::compare_public_revisions),
        )
}

/// The forms that carry a file: they take the upload limit.
pub fn upload_routes() -> Router<AppState> {
    Router::new().route(
        "/le-mie-schede/{id}/allegati",
        post(attachments::upload_attachment),
    )
}

/// The forms that carry a whole practice sheet (or remarks on every section): they take the
/// practice form's body limit.
pub fn form_routes() -> Router<AppState> {
    Router::new()
        .route(
            paths::NEW_PRACTICE,
            get(drafts::show_new_practice).post(drafts::create_practice),
        )
        .route(
            "/le-mie-schede/{id}/modifica",
            get(drafts::show_edit_practice).post(drafts::save_practice),
        )
        .route(
            "/redazione/{id}",
            get(review::show_review).post(review::decide_review),
        )
}
