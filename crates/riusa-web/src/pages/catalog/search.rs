use std::collections::HashMap;

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use riusa_search::{FacetGroup, FacetKind, SearchResults, Sort};

use crate::auth::Visitor;
use crate::error::PageResult;
use crate::pages::{
    CardView, Layout, Link, Pagination, Section, UserNav, page_or_fragment, theme_names,
};
use crate::params::{self, PAGE_SIZE, SearchParams};
use crate::{AppState, messages, paths, search};

/// Values of a facet shown before «Altri…».
const FACET_VISIBLE: usize = 6;

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
    Visitor(visitor): Visitor,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> PageResult<Response> {
    let params = params::page_search(query.as_deref())?;
    let results = search::search(&app, params.to_request(true)).await?;
    let names = theme_names(&app).await?;
    let mut page = practices_page(&params, &results, &names);
    page.layout.user = UserNav::of_visitor(&app, &visitor).await?;
    page_or_fragment(&headers, "area-risultati", &page, &page.as_results())
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
                    search::facet_label(kind, value, theme_names)
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
            label: search::facet_label(group.kind, &v.value, theme_names),
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
