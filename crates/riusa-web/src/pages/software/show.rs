use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use riusa_domain::catalog::license_label;
use riusa_domain::names::display_name;
use riusa_domain::software::Description;

use crate::auth::Visitor;
use crate::error::PageResult;
use crate::pages::{Layout, Link, PagePath, Section, UserNav, render};
use crate::{AppState, markdown, messages, paths};

/// The description the page leads with: Italian, else the first the file gives.
pub fn preferred(descriptions: &[Description]) -> Option<&Description> {
    descriptions
        .iter()
        .find(|d| d.language == "it")
        .or_else(|| descriptions.first())
}

/// One language's descriptions, as the page shows them.
pub struct DescriptionView {
    pub language: String,
    /// `lang` of the section (the text is in that language, not in Italian).
    pub lang: String,
    pub short_description: Option<String>,
    pub long_description_html: Option<String>,
    pub features: Vec<String>,
    /// Links, not images: the pages load no image from other sites (decision 0009).
    pub screenshots: Vec<String>,
    pub videos: Vec<String>,
    pub documentation: Option<String>,
}

pub struct ContactView {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub affiliation: Option<String>,
}

#[derive(Template)]
#[template(path = "software.html")]
struct SoftwarePage {
    layout: Layout,
    summary: Option<String>,
    owner: Option<Link>,
    repository: Option<String>,
    landing_url: Option<String>,
    version: Option<String>,
    release_date: Option<String>,
    status: Option<String>,
    software_type: Option<String>,
    license: Option<Link>,
    platforms: Vec<String>,
    categories: Vec<Link>,
    scopes: Vec<String>,
    descriptions: Vec<DescriptionView>,
    maintenance: Option<String>,
    contacts: Vec<ContactView>,
    contractors: Vec<String>,
    dependencies: Vec<String>,
    used_by: Vec<String>,
    publiccode_href: String,
}

/// One software record, in the order the national catalog shows it.
pub async fn show_software(
    State(app): State<AppState>,
    Visitor(visitor): Visitor,
    PagePath(slug): PagePath,
) -> PageResult<Response> {
    // Invalid records are the owner's to fix, never public.
    let view = app.store.software().active_by_slug(&slug).await?;
    let user = UserNav::of_visitor(&app, &visitor).await?;
    let mut descriptions: Vec<&Description> = view.descriptions.iter().collect();
    // Italian first, the others as the file orders them.
    descriptions.sort_by_key(|d| d.language != "it");
    let summary = preferred(&view.descriptions).and_then(|d| d.short_description.clone());
    let mut layout = Layout::new(view.name.clone(), Section::Software)
        .with_user(user)
        .within(paths::SOFTWARE, "Software");
    if let Some(summary) = &summary {
        layout = layout.with_description(summary.clone());
    }
    render(&SoftwarePage {
        layout,
        summary,
        owner: view.owner.as_ref().map(|o| Link {
            href: paths::organization(&o.ipa_code),
            label: display_name(&o.name),
        }),
        repository: Some(view.url.clone()).filter(|u| is_web_address(u)),
        landing_url: view.landing_url.clone().filter(|u| is_web_address(u)),
        version: view.version.clone(),
        release_date: view.release_date.map(|d| d.format("%d/%m/%Y").to_string()),
        status: view
            .development_status
            .as_deref()
            .map(messages::development_status),
        software_type: view.software_type.as_deref().map(messages::software_type),
        license: view.license.as_ref().map(|l| Link {
            href: format!("https://spdx.org/licenses/{l}.html"),
            label: license_label(l),
        }),
        platforms: view.platforms.clone(),
        categories: view
            .categories
            .iter()
            .map(|c| Link {
                href: paths::with_query(paths::SOFTWARE, &[("category", c.clone())], 1),
                label: c.clone(),
            })
            .collect(),
        scopes: view.scopes.clone(),
        descriptions: descriptions
            .into_iter()
            .map(|d| DescriptionView {
                language: messages::language_name(&d.language),
                lang: d.language.clone(),
                short_description: d.short_description.clone(),
                long_description_html: d.long_description.as_deref().map(markdown::to_safe_html),
                features: d.features.clone(),
                screenshots: d
                    .screenshots
                    .iter()
                    .filter(|s| is_web_address(s))
                    .cloned()
                    .collect(),
                videos: d
                    .videos
                    .iter()
                    .filter(|v| is_web_address(v))
                    .cloned()
                    .collect(),
                documentation: d.documentation.clone().filter(|u| is_web_address(u)),
            })
            .collect(),
        maintenance: view
            .maintenance
            .kind
            .as_deref()
            .map(messages::maintenance_type),
        contacts: view
            .maintenance
            .contacts
            .iter()
            .map(|c| ContactView {
                name: c.name.clone(),
                email: c.email.clone(),
                phone: c.phone.clone(),
                affiliation: c.affiliation.clone(),
            })
            .collect(),
        contractors: view
            .maintenance
            .contractors
            .iter()
            .map(|c| match &c.until {
                Some(until) => format!("{} (fino al {until})", c.name),
                None => c.name.clone(),
            })
            .collect(),
        dependencies: view
            .dependencies
            .iter()
            .map(|d| {
                let mut line = format!("{} ({})", d.name, messages::dependency_kind(&d.kind));
                match (&d.version, &d.version_min, &d.version_max) {
                    (Some(v), _, _) => line.push_str(&format!(", versione {v}")),
                    (None, Some(min), Some(max)) => {
                        line.push_str(&format!(", versioni da {min} a {max}"));
                    }
                    (None, Some(min), None) => {
                        line.push_str(&format!(", versione {min} o successive"))
                    }
                    (None, None, Some(max)) => {
                        line.push_str(&format!(", fino alla versione {max}"))
                    }
                    (None, None, None) => {}
                }
                if d.optional {
                    line.push_str(", facoltativa");
                }
                line
            })
            .collect(),
        used_by: view.used_by.clone(),
        publiccode_href: paths::software_publiccode(&view.slug),
    })
}

/// The record's `publiccode.yml`, byte for byte as it was imported.
pub async fn show_publiccode(
    State(app): State<AppState>,
    PagePath(slug): PagePath,
) -> PageResult<Response> {
    let source = app.store.software().source_by_slug(&slug).await?;
    Ok(([(header::CONTENT_TYPE, "text/yaml; charset=utf-8")], source).into_response())
}

/// Only web addresses become links or images: a file may hold anything.
fn is_web_address(value: &str) -> bool {
    value.starts_with("https://") || value.starts_with("http://")
}
