//! The pages every Italian public site links from its footer: legal notes, privacy notice,
//! contacts and the accessibility statement. Their texts come from the operator's
//! configuration; without it, from riusa's defaults, which say what riusa itself does.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::AppState;
use crate::auth::Visitor;
use crate::error::PageResult;
use crate::markdown::page_to_safe_html;
use crate::pages::{Layout, Section, UserNav, render};

const DEFAULT_PRIVACY: &str = include_str!("../../templates/legal/privacy.md");
const DEFAULT_LEGAL_NOTES: &str = include_str!("../../templates/legal/note-legali.md");

#[derive(Template)]
#[template(path = "legal/text.html")]
struct TextPage {
    layout: Layout,
    /// Sanitised HTML of the Markdown text.
    body: String,
    /// Whether the text is riusa's own, not one the operator wrote.
    is_default: bool,
    /// The configuration key that replaces the default text.
    config_key: &'static str,
}

#[derive(Template)]
#[template(path = "legal/contacts.html")]
struct ContactsPage {
    layout: Layout,
}

#[derive(Template)]
#[template(path = "legal/accessibility.html")]
struct AccessibilityPage {
    layout: Layout,
}

/// Legal notes: licences of contents and data, responsibility for external links.
pub async fn show_legal_notes(
    State(app): State<AppState>,
    Visitor(visitor): Visitor,
) -> PageResult<Response> {
    let user = UserNav::of_visitor(&app, &visitor).await?;
    let text = app.config.hub.legal_notes_markdown.as_deref();
    render(&TextPage {
        layout: Layout::new("Note legali", Section::None)
            .with_description("Note legali del catalogo: licenze dei contenuti e dei dati.")
            .with_user(user),
        body: page_to_safe_html(text.unwrap_or(DEFAULT_LEGAL_NOTES)),
        is_default: text.is_none(),
        config_key: "legal_notes_file",
    })
}

/// The privacy notice: what is stored about whom, and the cookies.
pub async fn show_privacy(
    State(app): State<AppState>,
    Visitor(visitor): Visitor,
) -> PageResult<Response> {
    let user = UserNav::of_visitor(&app, &visitor).await?;
    let text = app.config.hub.privacy_markdown.as_deref();
    render(&TextPage {
        layout: Layout::new("Informativa sulla privacy", Section::None)
            .with_description("Quali dati personali conserva il catalogo, perché e per quanto.")
            .with_user(user),
        body: page_to_safe_html(text.unwrap_or(DEFAULT_PRIVACY)),
        is_default: text.is_none(),
        config_key: "privacy_file",
    })
}

/// How to reach the administration that runs the hub.
pub async fn show_contacts(
    State(app): State<AppState>,
    Visitor(visitor): Visitor,
) -> PageResult<Response> {
    let user = UserNav::of_visitor(&app, &visitor).await?;
    render(&ContactsPage {
        layout: Layout::new("Contatti", Section::None)
            .with_description("Come raggiungere l'amministrazione che gestisce il catalogo.")
            .with_user(user),
    })
}

/// riusa's own accessibility page, for a hub whose statement is not (yet) on AgID's form.
pub async fn show_accessibility(
    State(app): State<AppState>,
    Visitor(visitor): Visitor,
) -> PageResult<Response> {
    let user = UserNav::of_visitor(&app, &visitor).await?;
    render(&AccessibilityPage {
        layout: Layout::new("Accessibilità", Section::None)
            .with_description("Quanto è accessibile il catalogo e come segnalare un problema.")
            .with_user(user),
    })
}
