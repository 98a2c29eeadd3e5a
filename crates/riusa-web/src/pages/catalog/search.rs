use std::collections::HashMap;

use askama::Template;
use axum::extract::{RawQuery, State};

use crate::params::PagePath;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use riusa_domain::catalog::{OwnerRole, SupportKind};
use riusa_search::{FacetGroup, FacetKind, SearchRequest, SearchResults, Sort};
use riusa_store::{PracticeView, StoreError};

use super::{CardView, Layout, Link, Pagination, Section, page_or_fragment, render, theme_names};
use crate::error::{AppError, PageError, PageResult};
use crate::params::{self, PAGE_SIZE, SearchParams};
use crate::{AppState, markdown, messages, paths, search};

/// Values of a facet shown before «Altri…».
const FACET_VISIBLE: usize = 6;
const LATEST_ON_HOME: usize = 6;
const SIMILAR: usize = 3;

pub struct ThemeTile {
    pub href: String,
    pub name: String,
    pub count: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    total: String,
    themes: Vec<ThemeTile>,
    cards: Vec<CardView>,
}

/// Home: a search box, the themes with their counts and the newest practices.
pub async fn home(State(app): State<AppState>) -> PageResult<Response> {
    let overview = search::search(
        &app,
        SearchRequest {
            sort: Sort::Newest,
            limit: LATEST_ON_HOME,
            ..SearchRequest::default()
        },
    )
    .await?;
    let counts = facet_counts(&overview, FacetKind::Theme);
    let themes = app
        .store
        .catalog()
        .themes()
        .await?
        .into_iter()
        .map(|t| ThemeTile {
            href: paths::theme(&t.slug),
            count: messages::practices_count(counts.get(&t.slug).copied().unwrap_or(0)),
            name: t.name,
        })
        .collect();
    render(&HomePage {
        layout: Layout::new(
            "Buone pratiche della pubblica amministrazione",
            Section::None,
        ),
        total: messages::practices_count(overview.total as u64),
        themes,
        cards: overview
            .hits
            .iter()
            .map(|h| CardView::new(&h.card, None))
            .collect(),
    })
}

fn facet_counts(results: &SearchResults, kind: FacetKind) -> HashMap<String, u64> {
    results
        .facets
        .iter()
        .filter(|g| g.kind == kind)
        .flat_map(|g| g.values.iter().map(|v| (v.value.clone(), v.count)))
        .collect()
}

pub struct SortOption {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

pub struct FacetOption {
    pub id: String,
    pub value: String,
    pub label: String,
    pub count: u64,
    pub checked: bool,
}

pub struct FacetView {
    pub param: &'static str,
    pub legend: &'static str,
    pub visible: Vec<FacetOption>,
    pub more: Vec<FacetOption>,
}

pub struct ActiveFilter {
    pub label: String,
    pub remove_href: String,
}

pub struct EmptyState {
    pub suggestion: Option<Link>,
    pub remove_filters: Option<String>,
    pub beyond_last_page: Option<String>,
}

#[derive(Template)]
#[template(path = "practices.html", blocks = ["results"])]
struct PracticesPage {
    layout: Layout,
    q: String,
    sort_options: Vec<SortOption>,
    /// Active filters, carried by the search form.
    filter_pairs: Vec<(&'static str, String)>,
    /// Text and order, carried by the filter form.
    query_pairs: Vec<(&'static str, String)>,
    facets: Vec<FacetView>,
    active: Vec<ActiveFilter>,
    clear_filters: Option<String>,
    heading: String,
    relaxed: bool,
    suggestion: Option<Link>,
    cards: Vec<CardView>,
    pagination: Option<Pagination>,
    empty: Option<EmptyState>,
}

/// The catalog: full-text search with facets, sorting and pages.
pub async fn list_practices(
    State(app): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> PageResult<Response> {
    let params = params::page_search(query.as_deref())?;
    let request = SearchRequest {
        text: params.text.clone(),
        filters: params.filters.clone(),
        sort: params.effective_sort(),
        offset: params.offset,
        limit: params.page_size,
        facets: true,
    };
    let results = search::search(&app, request).await?;
    let names = theme_names(&app).await?;
    let page = practices_page(&params, &results, &names);
    page_or_fragment(&headers, "area-risultati", &page, &page.as_results())
}

fn facet_label(kind: FacetKind, value: &str, theme_names: &HashMap<String, String>) -> String {
    match kind {
        FacetKind::Theme => theme_names
            .get(value)
            .cloned()
            .unwrap_or_else(|| value.to_owned()),
        FacetKind::Support => SupportKind::parse(value).map_or_else(
            || value.to_owned(),
            |s| messages::support_label(s).to_owned(),
        ),
        _ => value.to_owned(),
    }
}

fn search_href(params: &SearchParams, page: usize) -> String {
    paths::with_query(paths::PRACTICES, &paths::search_pairs(params), page)
}

fn practices_page(
    params: &SearchParams,
    results: &SearchResults,
    theme_names: &HashMap<String, String>,
) -> PracticesPage {
    let facets = results
        .facets
        .iter()
        .filter(|g| !g.values.is_empty())
        .map(|g| facet_view(g, theme_names))
        .collect();
    let mut active = Vec::new();
    for kind in FacetKind::ALL {
        for value in params.filters.values(kind) {
            let mut without = params.clone();
            without.filters.values_mut(kind).retain(|v| v != value);
            active.push(ActiveFilter {
                label: format!(
                    "{}: {}",
                    messages::facet_legend(kind),
                    facet_label(kind, value, theme_names)
                ),
                remove_href: search_href(&without, 1),
            });
        }
    }
    let mut unfiltered = params.clone();
    unfiltered.filters = riusa_search::Filters::default();
    let clear_filters = (!active.is_empty()).then(|| search_href(&unfiltered, 1));

    let page = params.page();
    let last_page = results.total.div_ceil(PAGE_SIZE).max(1);
    let suggestion = results.suggestion.as_ref().map(|text| {
        let mut corrected = params.clone();
        corrected.text = text.clone();
        Link {
            href: search_href(&corrected, 1),
            label: text.clone(),
        }
    });
    let empty = results.hits.is_empty().then(|| EmptyState {
        suggestion: suggestion.as_ref().map(|s| Link {
            href: s.href.clone(),
            label: s.label.clone(),
        }),
        remove_filters: clear_filters.clone(),
        beyond_last_page: (results.total > 0).then(|| search_href(params, 1)),
    });
    let query_text = if params.text.is_empty() {
        String::new()
    } else {
        format!(" per «{}»", params.text)
    };
    let heading = if results.hits.is_empty() && results.total > 0 {
        format!(
            "Pagina {page} oltre l'ultima: i risultati sono {}",
            messages::practices_count(results.total as u64)
        )
    } else if results.hits.is_empty() {
        format!("Nessuna buona pratica trovata{query_text}")
    } else {
        format!(
            "{}{query_text}",
            messages::practices_count(results.total as u64)
        )
    };
    let sort = params.effective_sort();
    let mut filter_pairs = paths::search_pairs(params);
    filter_pairs.retain(|(k, _)| *k != "q" && *k != "sort");
    let mut query_pairs = paths::search_pairs(params);
    query_pairs.retain(|(k, _)| *k == "q" || *k == "sort");

    PracticesPage {
        layout: Layout::new(
            if params.text.is_empty() { "Buone pratiche".to_owned() } else { format!("Buone pratiche: «{}»", params.text) },
            Section::Practices,
        )
        .with_description("Cerca nel catalogo delle buone pratiche della pubblica amministrazione per parola, tema, regione, tipo di ente, periodo e supporto offerto."),
        q: params.text.clone(),
        sort_options: [Sort::Relevance, Sort::Newest, Sort::Title]
            .into_iter()
            .map(|s| SortOption { value: s.as_str(), label: messages::sort_label(s), selected: s == sort })
            .collect(),
        filter_pairs,
        query_pairs,
        facets,
        active,
        clear_filters,
        heading,
        relaxed: results.relaxed && !results.hits.is_empty(),
        suggestion: if results.hits.is_empty() { None } else { suggestion },
        cards: results.hits.iter().map(|h| CardView::new(&h.card, h.snippet.clone())).collect(),
        pagination: Pagination::new("Pagine dei risultati", results.total, PAGE_SIZE, page, last_page, |n| search_href(params, n)),
        empty,
    }
}

fn facet_view(group: &FacetGroup, theme_names: &HashMap<String, String>) -> FacetView {
    let param = group.kind.param();
    let mut options: Vec<FacetOption> = group
        .values
        .iter()
        .enumerate()
        .map(|(i, v)| FacetOption {
            id: format!("f-{param}-{i}"),
            value: v.value.clone(),
            label: facet_label(group.kind, &v.value, theme_names),
            count: v.count,
            checked: v.selected,
        })
        .collect();
    // Checked values are always visible, whatever their count.
    options.sort_by_key(|o| !o.checked);
    let more = if options.len() > FACET_VISIBLE {
        options.split_off(FACET_VISIBLE)
    } else {
        Vec::new()
    };
    FacetView {
        param,
        legend: messages::facet_legend(group.kind),
        visible: options,
        more,
    }
}

pub struct Figure {
    pub value: String,
    pub unit: Option<String>,
    pub label: String,
}

pub struct SectionView {
    pub anchor: &'static str,
    pub heading: &'static str,
    pub html: String,
}

#[derive(Template)]
#[template(path = "practice.html")]
struct PracticePage {
    layout: Layout,
    summary: String,
    themes: Vec<Link>,
    owners: Vec<Link>,
    partners: Vec<Link>,
    places: Option<String>,
    period: Option<String>,
    funding: Vec<String>,
    license: Link,
    support: Vec<&'static str>,
    figures: Vec<Figure>,
    sections: Vec<SectionView>,
    links: Vec<Link>,
    updated: String,
    similar: Vec<CardView>,
}

/// A practice sheet, with similar practices (served from the page cache when still valid).
pub async fn show_practice(
    State(app): State<AppState>,
    PagePath(slug): PagePath,
) -> PageResult<Response> {
    // Read before rendering: a page rendered while the index reloads is filed as stale.
    let generation = app.index.generation();
    let body = match app.pages.get(&slug, generation) {
        Some(body) => body,
        None => {
            let view = published_practice(&app, &slug).await?;
            let similar = search::similar(&app, &view, SIMILAR).await?;
            let body = axum::body::Bytes::from(
                practice_page(&view, &similar)
                    .render()
                    .map_err(AppError::from)?,
            );
            app.pages.insert(slug, generation, body.clone());
            body
        }
    };
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response())
}

async fn published_practice(app: &AppState, slug: &str) -> Result<PracticeView, AppError> {
    match app.store.catalog().view_by_slug(slug).await {
        Ok(view) if view.is_published() => Ok(view),
        Ok(_) | Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(error) => Err(error.into()),
    }
}

/// The same bytes as `show_practice`, rendered once and then served from memory: the
/// benchmark's ceiling for what the practice page could cost.
pub async fn show_practice_from_memory(
    State(app): State<AppState>,
    PagePath(slug): PagePath,
) -> PageResult<Response> {
    let cached = app
        .bench_cache
        .read()
        .ok()
        .and_then(|cache| cache.get(&slug).cloned());
    let cached = match cached {
        Some(cached) => cached,
        None => {
            let view = published_practice(&app, &slug).await?;
            let similar = search::similar(&app, &view, SIMILAR).await?;
            let body = practice_page(&view, &similar)
                .render()
                .map_err(AppError::from)?;
            let cached = crate::bytes_cache::Cached {
                content_type: "text/html; charset=utf-8",
                body: body.into(),
            };
            if let Ok(mut cache) = app.bench_cache.write() {
                cache.insert(slug, cached.clone());
            }
            cached
        }
    };
    Ok(([(header::CONTENT_TYPE, cached.content_type)], cached.body).into_response())
}

/// The PostgreSQL full-text search the benchmark compares riusa's search with.
pub async fn postgres_search_baseline(
    State(app): State<AppState>,
    RawQuery(query): RawQuery,
) -> PageResult<Response> {
    let text = params::QueryPairs::parse(query.as_deref()).text("q", params::QUERY_MAX_CHARS)?;
    let json = riusa_store::bench::postgres_full_text(&app.store, &text)
        .await
        .map_err(error_for_missing)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}

fn org_link(ipa_code: &str, name: &str) -> Link {
    Link {
        href: paths::organization(ipa_code),
        label: name.to_owned(),
    }
}

fn practice_page(view: &PracticeView, similar: &[riusa_search::PracticeCard]) -> PracticePage {
    let by_role = |role: OwnerRole| {
        view.owners
            .iter()
            .filter(|o| o.role == role)
            .map(|o| org_link(&o.ipa_code, &o.name))
            .collect()
    };
    let places = (!view.places.is_empty()).then(|| {
        view.places
            .iter()
            .map(|p| match &p.province_abbr {
                Some(abbr) => format!("{} ({abbr})", p.name),
                None => p.name.clone(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    });
    let funding = view
        .funding
        .iter()
        .map(|f| {
            let mut line = f.programme.clone();
            if let Some(axis) = &f.axis {
                line.push_str(", ");
                line.push_str(axis);
            }
            if let Some(cents) = f.amount_cents {
                line.push_str(" — ");
                line.push_str(&messages::euros(cents));
            }
            line
        })
        .collect();
    let license = Link {
        href: format!("https://spdx.org/licenses/{}.html", view.license),
        label: view.license.clone(),
    };
    PracticePage {
        layout: Layout::new(view.title.clone(), Section::Practices)
            .with_description(view.summary.clone())
            .within(paths::PRACTICES, "Buone pratiche"),
        summary: view.summary.clone(),
        themes: view
            .themes
            .iter()
            .map(|t| Link {
                href: paths::theme(&t.slug),
                label: t.name.clone(),
            })
            .collect(),
        owners: by_role(OwnerRole::Owner),
        partners: by_role(OwnerRole::Partner),
        places,
        period: view
            .period
            .as_ref()
            .map(|p| messages::period(p.start, p.end)),
        funding,
        license,
        support: view
            .support_offered
            .iter()
            .map(|s| messages::support_label(*s))
            .collect(),
        figures: view
            .metrics
            .iter()
            .map(|m| Figure {
                value: messages::number(m.value),
                unit: m.unit.clone(),
                label: m.label.clone(),
            })
            .collect(),
        sections: view
            .sections
            .present()
            .map(|(key, text)| SectionView {
                anchor: messages::section_anchor(key),
                heading: messages::section_heading(key),
                html: markdown::to_safe_html(text),
            })
            .collect(),
        links: view
            .links
            .iter()
            .map(|l| Link {
                href: l.url.clone(),
                label: l.title.clone(),
            })
            .collect(),
        updated: messages::long_date(view.updated_at.date_naive()),
        similar: similar.iter().map(|c| CardView::new(c, None)).collect(),
    }
}

pub(super) fn error_for_missing(error: StoreError) -> PageError {
    match error {
        StoreError::NotFound => PageError(AppError::NotFound),
        other => PageError(other.into()),
    }
}
