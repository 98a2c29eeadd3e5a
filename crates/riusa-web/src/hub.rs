//! Who runs this hub and how to reach them: named in every page's header and footer and on
//! the pages an Italian public site must have (legal notes, privacy, contacts, accessibility).
//! Error pages have no application state, so the frame reads it, like the request id, from a
//! value the middleware sets for the request being answered.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

/// The operator's part of the configuration that pages show.
#[derive(Debug, Clone)]
pub struct HubInfo {
    /// The administration that runs the hub, in the header's top strip.
    pub owner_name: String,
    /// Its own site, linked from its name.
    pub owner_url: Option<url::Url>,
    /// The address people write to about the hub.
    pub contact_email: Option<String>,
    /// Postal address, PEC, telephone: free text, as the operator writes it.
    pub contact_details: Option<String>,
    /// The statement published on AgID's form (form.agid.gov.it); `None` shows our own page.
    pub accessibility_statement_url: Option<url::Url>,
    /// The operator's privacy notice in Markdown; `None` shows what riusa itself stores.
    pub privacy_markdown: Option<String>,
    /// The operator's legal notes in Markdown; `None` shows riusa's default text.
    pub legal_notes_markdown: Option<String>,
}

impl Default for HubInfo {
    fn default() -> Self {
        HubInfo {
            owner_name: "Riusa, installazione dimostrativa".to_owned(),
            owner_url: None,
            contact_email: None,
            contact_details: None,
            accessibility_statement_url: None,
            privacy_markdown: None,
            legal_notes_markdown: None,
        }
    }
}

impl HubInfo {
    /// Where the footer's «Dichiarazione di accessibilità» leads.
    pub fn accessibility_href(&self) -> String {
        match &self.accessibility_statement_url {
            Some(url) => url.to_string(),
            None => crate::paths::ACCESSIBILITY.to_owned(),
        }
    }
}

tokio::task_local! {
    static HUB: Arc<HubInfo>;
}

/// The hub of the request being answered; the defaults outside a request.
pub fn current() -> Arc<HubInfo> {
    HUB.try_with(Arc::clone).unwrap_or_default()
}

/// Middleware: makes the configured hub readable through [`current`].
pub async fn scope(State(hub): State<Arc<HubInfo>>, request: Request, next: Next) -> Response {
    HUB.scope(hub, next.run(request)).await
}
