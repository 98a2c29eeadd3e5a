//! Every URL the pages link to, built in one place.

use riusa_search::FacetKind;
use url::form_urlencoded;

use crate::params::SearchParams;

pub const PRACTICES: &str = "/pratiche";
pub const THEMES: &str = "/temi";
pub const ORGANIZATIONS: &str = "/enti";
pub const SOFTWARE: &str = "/software";

pub const LEGAL_NOTES: &str = "/note-legali";
pub const PRIVACY: &str = "/privacy";
pub const CONTACTS: &str = "/contatti";
pub const ACCESSIBILITY: &str = "/accessibilita";

pub const SIGN_IN: &str = "/accedi";
pub const SIGN_OUT: &str = "/esci";
pub const REGISTER: &str = "/registrati";
pub const FORGOT_PASSWORD: &str = "/password-dimenticata";
pub const PROFILE: &str = "/profilo";
pub const INBOX: &str = "/notifiche";
pub const MY_PRACTICES: &str = "/le-mie-schede";
pub const NEW_PRACTICE: &str = "/le-mie-schede/nuova";
pub const REVIEW_QUEUE: &str = "/redazione";
pub const AUDIT: &str = "/amministrazione/registro";
pub const ACCOUNTS: &str = "/amministrazione/account";

pub fn confirm_email(token: &str) -> String {
    format!("/conferma-email/{token}")
}

pub fn reset_password(token: &str) -> String {
    format!("/reimposta-password/{token}")
}

pub fn invitation(token: &str) -> String {
    format!("/invito/{token}")
}

/// The back office of one practice (its newest text, its state, its actions).
pub fn my_practice(id: uuid::Uuid) -> String {
    format!("{MY_PRACTICES}/{id}")
}

pub fn edit_practice(id: uuid::Uuid) -> String {
    format!("{MY_PRACTICES}/{id}/modifica")
}

pub fn practice_revisions(id: uuid::Uuid) -> String {
    format!("{MY_PRACTICES}/{id}/versioni")
}

/// What a path segment or an RFC 5987 value keeps as it is: letters, digits and `-._~`.
pub const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A file attached to a practice, under the name it is downloaded with.
pub fn attachment(id: uuid::Uuid, name: &str) -> String {
    format!(
        "/allegati/{id}/{}",
        percent_encoding::utf8_percent_encode(name, SEGMENT)
    )
}

pub fn review(id: uuid::Uuid) -> String {
    format!("{REVIEW_QUEUE}/{id}")
}

pub fn organization_people(ipa_code: &str) -> String {
    format!("{}/persone", organization(ipa_code))
}

pub fn practice(slug: &str) -> String {
    format!("{PRACTICES}/{slug}")
}

pub fn software(slug: &str) -> String {
    format!("{SOFTWARE}/{slug}")
}

/// The record's `publiccode.yml`, as it was imported.
pub fn software_publiccode(slug: &str) -> String {
    format!("{SOFTWARE}/{slug}/publiccode.yml")
}

pub fn theme(slug: &str) -> String {
    format!("{THEMES}/{slug}")
}

pub fn organization(ipa_code: &str) -> String {
    format!(
        "{ORGANIZATIONS}/{}",
        form_urlencoded::byte_serialize(ipa_code.as_bytes()).collect::<String>()
    )
}

/// The query-string pairs of a search (without its page).
pub fn search_pairs(params: &SearchParams) -> Vec<(&'static str, String)> {
    let mut pairs = Vec::new();
    if !params.text.is_empty() {
        pairs.push(("q", params.text.clone()));
    }
    for kind in FacetKind::ALL {
        for value in params.filters.values(kind) {
            pairs.push((kind.param(), value.clone()));
        }
    }
    if let Some(sort) = params.sort {
        pairs.push(("sort", sort.as_str().to_owned()));
    }
    pairs
}

/// `base?pairs&page=N` (no page parameter for the first page).
pub fn with_query(base: &str, pairs: &[(&str, String)], page: usize) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (key, value) in pairs {
        serializer.append_pair(key, value);
    }
    if page > 1 {
        serializer.append_pair("page", &page.to_string());
    }
    let query = serializer.finish();
    if query.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{query}")
    }
}
