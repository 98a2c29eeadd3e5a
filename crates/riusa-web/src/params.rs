//! Query strings, parsed by hand so that every bad value gets its own clear message (and so
//! that repeated keys such as `theme=a&theme=b` are lists). This module knows no HTTP and no
//! other module of the crate: a bad value is a [`ParamError`], which `error` turns into a 400.

use base64::Engine;
use riusa_domain::catalog::SupportKind;
use riusa_search::{FacetKind, Filters, MAX_WINDOW, SearchRequest, Sort};
use url::form_urlencoded;

pub const QUERY_MAX_CHARS: usize = 200;
pub const VALUE_MAX_CHARS: usize = 120;
const VALUES_MAX: usize = 30;
pub const PAGE_SIZE: usize = 20;
pub const API_PAGE_SIZE_MAX: usize = 100;
const SORTS: &[&str] = &["relevance", "newest", "title"];
const SUPPORTS: &[&str] = &[
    "testimonial",
    "coaching",
    "documentation",
    "training",
    "source_code",
    "helpdesk",
];

/// What is wrong with a query-string parameter (`messages::param_problem` words it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamProblem {
    NotANumber,
    OutOfRange {
        min: u64,
        max: u64,
    },
    TooLong {
        max: usize,
    },
    UnknownValue {
        allowed: &'static [&'static str],
    },
    BadCursor,
    TooDeep {
        max: usize,
    },
    Repeated,
    /// Not a day written `aaaa-mm-gg`.
    NotADate,
    /// Not one of the values of a list built from the data (regions, provinces, categories).
    NotListed,
}

/// A query-string parameter that cannot be used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    pub param: &'static str,
    pub problem: ParamProblem,
}

/// The key-value pairs of a query string, in order.
pub struct QueryPairs(Vec<(String, String)>);

impl QueryPairs {
    pub fn parse(raw: Option<&str>) -> QueryPairs {
        QueryPairs(
            form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
                .into_owned()
                .collect(),
        )
    }

    pub fn single(&self, name: &'static str) -> Result<Option<&str>, ParamError> {
        let mut values = self
            .0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str());
        let first = values.next();
        if values.next().is_some() {
            return Err(bad(name, ParamProblem::Repeated));
        }
        Ok(first.map(str::trim).filter(|v| !v.is_empty()))
    }

    pub fn all(&self, name: &'static str) -> Result<Vec<String>, ParamError> {
        let mut values: Vec<String> = Vec::new();
        for (_, value) in self.0.iter().filter(|(k, _)| k == name) {
            let value = value.trim();
            if value.is_empty() || values.iter().any(|v| v == value) {
                continue;
            }
            if value.chars().count() > VALUE_MAX_CHARS {
                return Err(bad(
                    name,
                    ParamProblem::TooLong {
                        max: VALUE_MAX_CHARS,
                    },
                ));
            }
            values.push(value.to_owned());
        }
        if values.len() > VALUES_MAX {
            return Err(bad(
                name,
                ParamProblem::OutOfRange {
                    min: 0,
                    max: VALUES_MAX as u64,
                },
            ));
        }
        Ok(values)
    }

    pub fn number(
        &self,
        name: &'static str,
        min: u64,
        max: u64,
    ) -> Result<Option<u64>, ParamError> {
        let Some(value) = self.single(name)? else {
            return Ok(None);
        };
        if !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(name, ParamProblem::NotANumber));
        }
        // Digits only: a failed parse means a number too large for u64, which is out of range.
        match value.parse::<u64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
            _ => Err(bad(name, ParamProblem::OutOfRange { min, max })),
        }
    }

    pub fn text(&self, name: &'static str, max_chars: usize) -> Result<String, ParamError> {
        let text = self.single(name)?.unwrap_or_default();
        if text.chars().count() > max_chars {
            return Err(bad(name, ParamProblem::TooLong { max: max_chars }));
        }
        Ok(text.to_owned())
    }
}

pub fn bad(param: &'static str, problem: ParamProblem) -> ParamError {
    ParamError { param, problem }
}

const BOOLEANS: &[&str] = &["true", "false"];

/// The directory of administrations' filters as pages and the API receive them; values are
/// checked against the registry's lists by `crate::directory`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirectoryParams {
    pub q: String,
    pub category: Option<String>,
    pub region: Option<String>,
    pub province: Option<String>,
    /// `None` when not given: on when any administration has a published practice.
    pub with_practices: Option<bool>,
}

pub fn directory_params(pairs: &QueryPairs) -> Result<DirectoryParams, ParamError> {
    let value = |name: &'static str| -> Result<Option<String>, ParamError> {
        match pairs.single(name)? {
            Some(v) if v.chars().count() > VALUE_MAX_CHARS => Err(bad(
                name,
                ParamProblem::TooLong {
                    max: VALUE_MAX_CHARS,
                },
            )),
            other => Ok(other.map(str::to_owned)),
        }
    };
    let with_practices = match pairs.single("with_practices")? {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(_) => {
            return Err(bad(
                "with_practices",
                ParamProblem::UnknownValue { allowed: BOOLEANS },
            ));
        }
    };
    Ok(DirectoryParams {
        q: pairs.text("q", QUERY_MAX_CHARS)?,
        category: value("category")?,
        region: value("region")?,
        province: value("province")?,
        with_practices,
    })
}

/// A catalog search as pages and the API receive it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchParams {
    pub text: String,
    pub filters: Filters,
    /// `None` when not given: relevance with words, newest without.
    pub sort: Option<Sort>,
    pub offset: usize,
    pub page_size: usize,
}

impl SearchParams {
    pub fn effective_sort(&self) -> Sort {
        self.sort.unwrap_or(if self.text.trim().is_empty() {
            Sort::Newest
        } else {
            Sort::Relevance
        })
    }

    /// 1-based page number of the window.
    pub fn page(&self) -> usize {
        self.offset / self.page_size + 1
    }

    /// The index search these parameters ask for, the same from pages and the API.
    pub fn to_request(&self, facets: bool) -> SearchRequest {
        SearchRequest {
            text: self.text.clone(),
            filters: self.filters.clone(),
            sort: self.effective_sort(),
            offset: self.offset,
            limit: self.page_size,
            facets,
        }
    }
}

fn common(pairs: &QueryPairs) -> Result<(String, Filters, Option<Sort>), ParamError> {
    let text = pairs.text("q", QUERY_MAX_CHARS)?;
    let mut filters = Filters::default();
    for kind in FacetKind::ALL {
        let param = match kind {
            FacetKind::Theme => "theme",
            FacetKind::Region => "region",
            FacetKind::OrgType => "org_type",
            FacetKind::Period => "period",
            FacetKind::Support => "support",
        };
        *filters.values_mut(kind) = pairs.all(param)?;
    }
    if filters
        .support
        .iter()
        .any(|s| SupportKind::parse(s).is_none())
    {
        return Err(bad(
            "support",
            ParamProblem::UnknownValue { allowed: SUPPORTS },
        ));
    }
    let sort = match pairs.single("sort")? {
        None => None,
        Some(value) => Some(
            Sort::parse(value).ok_or(bad("sort", ParamProblem::UnknownValue { allowed: SORTS }))?,
        ),
    };
    Ok((text, filters, sort))
}

/// Pages: `page` is 1-based, 20 results a page.
pub fn page_search(raw: Option<&str>) -> Result<SearchParams, ParamError> {
    let pairs = QueryPairs::parse(raw);
    let (text, filters, sort) = common(&pairs)?;
    let last_page = (MAX_WINDOW / PAGE_SIZE) as u64;
    let page = pairs.number("page", 1, last_page)?.unwrap_or(1) as usize;
    Ok(SearchParams {
        text,
        filters,
        sort,
        offset: (page - 1) * PAGE_SIZE,
        page_size: PAGE_SIZE,
    })
}

/// The API: `page_size` and an opaque `cursor` from the previous response.
pub fn api_search(raw: Option<&str>) -> Result<SearchParams, ParamError> {
    let pairs = QueryPairs::parse(raw);
    let (text, filters, sort) = common(&pairs)?;
    let (offset, page_size) = api_window(&pairs)?;
    Ok(SearchParams {
        text,
        filters,
        sort,
        offset,
        page_size,
    })
}

/// `page_size` (1-100, default 20) and the offset a `cursor` stands for.
pub fn api_window(pairs: &QueryPairs) -> Result<(usize, usize), ParamError> {
    let page_size = pairs
        .number("page_size", 1, API_PAGE_SIZE_MAX as u64)?
        .unwrap_or(PAGE_SIZE as u64) as usize;
    let offset = match pairs.single("cursor")? {
        None => 0,
        Some(cursor) => decode_cursor(cursor).ok_or(bad("cursor", ParamProblem::BadCursor))?,
    };
    match offset.checked_add(page_size) {
        Some(end) if end <= MAX_WINDOW => Ok((offset, page_size)),
        _ => Err(bad("cursor", ParamProblem::TooDeep { max: MAX_WINDOW })),
    }
}

const CURSOR_PREFIX: &str = "o:";

/// An opaque token for "the results after this many"; valid with the same other parameters.
pub fn encode_cursor(offset: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{CURSOR_PREFIX}{offset}"))
}

/// The offset of a cursor; `None` for anything `encode_cursor` never writes, including offsets
/// beyond the search window (a forged cursor must not reach the index or the database).
fn decode_cursor(cursor: &str) -> Option<usize> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let offset: usize = text.strip_prefix(CURSOR_PREFIX)?.parse().ok()?;
    (offset <= MAX_WINDOW).then_some(offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_filters_are_lists_and_repeated_singles_are_errors() {
        let params = page_search(Some(
            "q=lavoro+agile&theme=formazione&theme=qualita-e-performance&theme=formazione&page=2",
        ))
        .unwrap();
        assert_eq!(params.text, "lavoro agile");
        assert_eq!(
            params.filters.themes,
            ["formazione", "qualita-e-performance"]
        );
        assert_eq!(params.offset, 20);
        assert_eq!(
            page_search(Some("q=a&q=b")),
            Err(bad("q", ParamProblem::Repeated))
        );
    }

    #[test]
    fn bad_numbers_and_values_name_their_parameter() {
        let problem = |raw| match page_search(Some(raw)) {
            Err(ParamError { param, problem }) => (param, problem),
            other => panic!("expected an error, got {other:?}"),
        };
        assert_eq!(problem("page=abc"), ("page", ParamProblem::NotANumber));
        assert_eq!(
            problem("page=0"),
            ("page", ParamProblem::OutOfRange { min: 1, max: 500 })
        );
        assert_eq!(
            problem("page=99999999999999999999999"),
            ("page", ParamProblem::OutOfRange { min: 1, max: 500 })
        );
        assert_eq!(problem("sort=random").0, "sort");
        assert_eq!(problem("support=money").0, "support");
        assert_eq!(
            problem(&format!("q={}", "a".repeat(201))),
            ("q", ParamProblem::TooLong { max: 200 })
        );
    }

    #[test]
    fn directory_filters_name_their_parameter() {
        let parse = |raw| directory_params(&QueryPairs::parse(Some(raw)));
        let params = parse("q=citta+metropolitana&region=Puglia&with_practices=false").unwrap();
        assert_eq!(params.region.as_deref(), Some("Puglia"));
        assert_eq!(params.with_practices, Some(false));
        assert_eq!(parse("").unwrap().with_practices, None);
        assert_eq!(
            parse("with_practices=yes").unwrap_err().param,
            "with_practices"
        );
        assert_eq!(
            parse("region=a&region=b"),
            Err(bad("region", ParamProblem::Repeated))
        );
    }

    #[test]
    fn malformed_encoding_is_taken_as_text_not_rejected() {
        let params = page_search(Some("q=%E0%A4%A&theme=%ZZ")).unwrap();
        assert_eq!(params.filters.themes, ["%ZZ"]);
    }

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let raw = format!("cursor={}&page_size=50", encode_cursor(40));
        assert_eq!(api_search(Some(&raw)).unwrap().offset, 40);
        assert!(api_search(Some("cursor=bm90LWEtY3Vyc29y")).is_err());
        let deep = format!("cursor={}&page_size=100", encode_cursor(9_950));
        assert_eq!(
            api_search(Some(&deep)),
            Err(bad("cursor", ParamProblem::TooDeep { max: MAX_WINDOW }))
        );
    }

    #[test]
    fn a_forged_cursor_beyond_the_window_is_refused_without_overflow() {
        let forged = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!("{CURSOR_PREFIX}{}", u64::MAX));
        assert_eq!(
            api_search(Some(&format!("cursor={forged}"))),
            Err(bad("cursor", ParamProblem::BadCursor))
        );
        let last = format!("cursor={}&page_size=1", encode_cursor(MAX_WINDOW));
        assert_eq!(
            api_search(Some(&last)),
            Err(bad("cursor", ParamProblem::TooDeep { max: MAX_WINDOW }))
        );
    }

    #[test]
    fn pages_and_the_api_ask_the_index_the_same_search() {
        let page = page_search(Some("q=rifiuti&theme=tributi-e-bilancio&page=2")).unwrap();
        let api = api_search(Some(&format!(
            "q=rifiuti&theme=tributi-e-bilancio&cursor={}",
            encode_cursor(20)
        )))
        .unwrap();
        assert_eq!(page.to_request(true), api.to_request(true));
        let request = page.to_request(false);
        assert_eq!(
            (request.sort, request.offset, request.limit, request.facets),
            (Sort::Relevance, 20, PAGE_SIZE, false)
        );
        assert_eq!(request.filters.themes, ["tributi-e-bilancio"]);
    }
}
