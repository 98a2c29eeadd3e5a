//! From what a person typed to a tantivy query: stop words out, synonym phrases expanded,
//! each remaining word matched on stems (title weighs more), on roots for derived forms, and
//! through typo correction when the word is unknown to the index.

use std::collections::BTreeSet;

use serde::Serialize;
use tantivy::query::{
    BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use crate::analysis::{self, derive_root, stopwords};
use crate::document::{PracticeCard, facet};
use crate::highlight::Highlighter;
use crate::schema::Fields;
use crate::synonyms::Synonyms;

/// How deep a result window may reach (offset + page size).
pub const MAX_WINDOW: usize = 10_000;
/// Typo correction applies to words of at least this many letters.
const FUZZY_MIN_CHARS: usize = 5;
/// Dictionary words a misspelt word may stand for.
const FUZZY_EXPANSIONS: usize = 3;

const TITLE_BOOST: f32 = 3.0;
const SUMMARY_BOOST: f32 = 1.5;
const ROOT_TITLE_BOOST: f32 = 1.0;
const ROOT_BODY_BOOST: f32 = 0.3;
/// An equivalent from the synonym list weighs a little less than the phrase typed...
const SYNONYM_WEIGHT: f32 = 0.8;
/// ...and a typo correction less again.
const TYPO_WEIGHT: f32 = 0.6;
/// Every unit of the query in the title.
const TITLE_COVER_BOOST: f32 = 2.0;
/// Two neighbouring query words at most this many positions further apart than typed.
const PROXIMITY_SLOP: u32 = 3;
const PROXIMITY_WEIGHT: f32 = 0.5;
/// Neighbouring pairs looked at: positions are read for each, so long queries stop here.
const MAX_PROXIMITY_PAIRS: usize = 4;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    #[default]
    Relevance,
    Newest,
    Title,
}

impl Sort {
    pub fn parse(value: &str) -> Option<Sort> {
        match value {
            "relevance" => Some(Sort::Relevance),
            "newest" => Some(Sort::Newest),
            "title" => Some(Sort::Title),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
            Sort::Title => "title",
        }
    }
}

/// The facets a result list can be narrowed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FacetKind {
    Theme,
    Region,
    OrgType,
    Period,
    Support,
}

impl FacetKind {
    pub const ALL: [FacetKind; 5] = [
        FacetKind::Theme,
        FacetKind::Region,
        FacetKind::OrgType,
        FacetKind::Period,
        FacetKind::Support,
    ];

    /// The query-string parameter and JSON key of the facet.
    pub fn param(self) -> &'static str {
        match self {
            FacetKind::Theme => "theme",
            FacetKind::Region => "region",
            FacetKind::OrgType => "org_type",
            FacetKind::Period => "period",
            FacetKind::Support => "support",
        }
    }

    pub(crate) fn field(self, fields: &Fields) -> Field {
        match self {
            FacetKind::Theme => fields.theme,
            FacetKind::Region => fields.region,
            FacetKind::OrgType => fields.org_type,
            FacetKind::Period => fields.period,
            FacetKind::Support => fields.support,
        }
    }
}

/// Selected facet values (values of one facet are alternatives) and an owner restriction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Filters {
    pub themes: Vec<String>,
    pub regions: Vec<String>,
    pub org_types: Vec<String>,
    pub periods: Vec<String>,
    pub support: Vec<String>,
    /// Only practices this administration (IPA code) owns or took part in.
    pub owner: Option<String>,
}

impl Filters {
    pub fn values(&self, kind: FacetKind) -> &[String] {
        match kind {
            FacetKind::Theme => &self.themes,
            FacetKind::Region => &self.regions,
            FacetKind::OrgType => &self.org_types,
            FacetKind::Period => &self.periods,
            FacetKind::Support => &self.support,
        }
    }

    pub fn values_mut(&mut self, kind: FacetKind) -> &mut Vec<String> {
        match kind {
            FacetKind::Theme => &mut self.themes,
            FacetKind::Region => &mut self.regions,
            FacetKind::OrgType => &mut self.org_types,
            FacetKind::Period => &mut self.periods,
            FacetKind::Support => &mut self.support,
        }
    }

    pub fn is_empty(&self) -> bool {
        FacetKind::ALL.iter().all(|k| self.values(*k).is_empty()) && self.owner.is_none()
    }

    /// Filter clauses, leaving out one facet (to count that facet's alternatives).
    pub(crate) fn clauses(
        &self,
        fields: &Fields,
        except: Option<FacetKind>,
    ) -> Vec<Box<dyn Query>> {
        let mut clauses: Vec<Box<dyn Query>> = Vec::new();
        for kind in FacetKind::ALL {
            let values = self.values(kind);
            if Some(kind) == except || values.is_empty() {
                continue;
            }
            let field = kind.field(fields);
            let alternatives = values
                .iter()
                .map(|v| {
                    let term = Term::from_facet(field, &facet(v));
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
                    )
                })
                .collect();
            clauses.push(Box::new(BooleanQuery::new(alternatives)));
        }
        if let Some(owner) = &self.owner {
            let term = Term::from_field_text(
                fields.owner,
                &riusa_domain::organizations::normalize_ipa_code(owner),
            );
            clauses.push(Box::new(TermQuery::new(term, IndexRecordOption::Basic)));
        }
        clauses
    }
}

/// A search: free text, filters, order and a window of results.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SearchRequest {
    pub text: String,
    pub filters: Filters,
    pub sort: Sort,
    pub offset: usize,
    pub limit: usize,
    /// Compute facet counts (result pages need them; "similar" lists do not).
    pub facets: bool,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            text: String::new(),
            filters: Filters::default(),
            sort: Sort::Relevance,
            offset: 0,
            limit: 20,
            facets: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub card: PracticeCard,
    /// HTML: the text is escaped and the matched words are wrapped in `<mark>`.
    pub snippet: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
    pub selected: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetGroup {
    pub kind: FacetKind,
    pub values: Vec<FacetCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Vec<FacetGroup>,
    /// No result had enough of the words (see [`required_matches`]), so results with any of
    /// them are shown.
    pub relaxed: bool,
    /// The query with unknown words replaced by the closest known ones ("Forse cercavi").
    pub suggestion: Option<String>,
    /// Marks the query's words in a hit's text; `None` without words.
    #[serde(skip)]
    pub highlighter: Option<Highlighter>,
}

/// Which matching layers are on. All of them are in production; the evaluation turns one off
/// at a time to measure what it adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Matching {
    /// Longer queries need most of their words, not all of them (see [`required_matches`]).
    pub ranked: bool,
    /// Query words near each other in a practice, and all of them in its title, rank it higher.
    pub proximity: bool,
}

impl Default for Matching {
    fn default() -> Self {
        Matching {
            ranked: true,
            proximity: true,
        }
    }
}

/// How many of a query's units a practice must match: every one for one or two (a two-word
/// search for "mensa scolastica" must not list every practice about schools), all but one for
/// three or four, and three in five for longer queries, which describe a problem in words a
/// practice seldom uses all at once.
pub fn required_matches(units: usize) -> usize {
    match units {
        0..=2 => units,
        3..=4 => units - 1,
        _ => (units * 3).div_ceil(5),
    }
}

/// The text part of a search, compiled against the current index.
pub(crate) struct TextQuery {
    /// The matching practices, ranked.
    pub main: Box<dyn Query>,
    /// Any unit may match: the fallback when `main` finds nothing.
    pub any: Option<Box<dyn Query>>,
    pub stems: BTreeSet<String>,
    pub roots: BTreeSet<String>,
    pub suggestion: Option<String>,
}

/// One word of the query, or one synonym phrase, as the index can match it.
struct Unit {
    /// Matches the unit in any field.
    anywhere: Box<dyn Query>,
    /// Matches it in the title only.
    title: Box<dyn Query>,
    /// The stem, for a plain word the index knows (proximity is measured between those).
    stem: Option<String>,
}

pub(crate) fn compile(
    searcher: &Searcher,
    fields: &Fields,
    synonyms: &Synonyms,
    matching: Matching,
    text: &str,
) -> Option<TextQuery> {
    let mut plain = analysis::plain();
    let words: Vec<String> = analysis::terms(&mut plain, text)
        .into_iter()
        .map(|(_, w)| w)
        .collect();
    let mut compiler = Compiler {
        searcher,
        fields,
        stem: analysis::stem(),
        stems: BTreeSet::new(),
        roots: BTreeSet::new(),
    };
    let mut units: Vec<Unit> = Vec::new();
    let mut corrected = words.clone();
    let mut any_correction = false;
    let mut i = 0;
    while i < words.len() {
        if let Some((len, alternatives)) = synonyms.match_at(&words, i) {
            if let Some(unit) = compiler.synonym_unit(&words[i..i + len], &alternatives) {
                units.push(unit);
            }
            i += len;
            continue;
        }
        let word = &words[i];
        if !stopwords().contains(word)
            && let Some((unit, correction)) = compiler.word_unit(word)
        {
            units.push(unit);
            if let Some(correction) = correction {
                corrected[i] = correction;
                any_correction = true;
            }
        }
        i += 1;
    }
    if units.is_empty() {
        return None;
    }
    let any = (units.len() > 1).then(|| {
        let clauses = units
            .iter()
            .map(|u| (Occur::Should, u.anywhere.box_clone()))
            .collect();
        Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>
    });
    let required = if matching.ranked {
        required_matches(units.len())
    } else {
        units.len()
    };
    let mut main: Vec<(Occur, Box<dyn Query>)> = vec![(
        Occur::Must,
        Box::new(BooleanQuery::with_minimum_required_clauses(
            units
                .iter()
                .map(|u| (Occur::Should, u.anywhere.box_clone()))
                .collect(),
            required,
        )),
    )];
    if matching.proximity && units.len() > 1 {
        main.extend(compiler.proximity(&units));
    }
    Some(TextQuery {
        main: Box::new(BooleanQuery::new(main)),
        any,
        stems: compiler.stems,
        roots: compiler.roots,
        suggestion: any_correction.then(|| corrected.join(" ")),
    })
}

struct Compiler<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    stem: tantivy::tokenizer::TextAnalyzer,
    stems: BTreeSet<String>,
    roots: BTreeSet<String>,
}

fn should(query: impl Query, boost: f32) -> (Occur, Box<dyn Query>) {
    (
        Occur::Should,
        Box::new(BoostQuery::new(Box::new(query), boost)),
    )
}

fn any_of(clauses: Vec<(Occur, Box<dyn Query>)>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(clauses))
}

impl Compiler<'_> {
    fn term(&self, field: Field, text: &str, boost: f32) -> (Occur, Box<dyn Query>) {
        let query = TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::WithFreqs,
        );
        should(query, boost)
    }

    fn doc_freq(&self, field: Field, text: &str) -> u64 {
        self.searcher
            .doc_freq(&Term::from_field_text(field, text))
            .unwrap_or(0)
    }

    /// A stem in every field, weighted by field (title, then summary, then the rest) and by how
    /// close the match is (the word's own stem over its derivational root), times `weight`.
    fn stem_clauses(&mut self, stem: &str, weight: f32, unit: &mut UnitClauses) {
        let root = derive_root(stem);
        let f = self.fields;
        unit.anywhere
            .push(self.term(f.title, stem, TITLE_BOOST * weight));
        unit.anywhere
            .push(self.term(f.summary, stem, SUMMARY_BOOST * weight));
        unit.anywhere.push(self.term(f.body, stem, weight));
        unit.anywhere
            .push(self.term(f.title_root, &root, ROOT_TITLE_BOOST * weight));
        unit.anywhere
            .push(self.term(f.body_root, &root, ROOT_BODY_BOOST * weight));
        unit.title.push(self.term(f.title, stem, weight));
        unit.title
            .push(self.term(f.title_root, &root, ROOT_TITLE_BOOST * weight));
        self.stems.insert(stem.to_owned());
        self.roots.insert(root);
    }

    /// One word: its stem and root; when the index has never seen either, the closest
    /// dictionary words (one edit away) stand in for it, weighing less. A word nobody wrote
    /// stays a unit that matches nothing: a short query with it falls back to its other words
    /// (and says so), a longer one can do without it.
    fn word_unit(&mut self, word: &str) -> Option<(Unit, Option<String>)> {
        let stem = analysis::terms(&mut self.stem, word).into_iter().next()?.1;
        let mut clauses = UnitClauses::default();
        self.stem_clauses(&stem, 1.0, &mut clauses);
        let known = self.doc_freq(self.fields.body, &stem) > 0
            || self.doc_freq(self.fields.title, &stem) > 0
            || self.doc_freq(self.fields.body_root, &derive_root(&stem)) > 0;
        let mut correction = None;
        if !known && word.chars().count() >= FUZZY_MIN_CHARS {
            for (candidate, _) in self.close_words(word) {
                if let Some((_, candidate_stem)) = analysis::terms(&mut self.stem, &candidate)
                    .into_iter()
                    .next()
                {
                    self.stem_clauses(&candidate_stem, TYPO_WEIGHT, &mut clauses);
                }
                correction.get_or_insert(candidate);
            }
        }
        let unit = clauses.into_unit(known.then_some(stem))?;
        Some((unit, correction))
    }

    /// Dictionary words one edit (or one transposition) away, most frequent first.
    fn close_words(&self, word: &str) -> Vec<(String, u64)> {
        let fuzzy = FuzzyTermQuery::new(Term::from_field_text(self.fields.plain, word), 1, true);
        let Ok(automaton) = fuzzy.automaton() else {
            return Vec::new();
        };
        let mut found: Vec<(String, u64)> = Vec::new();
        for segment in self.searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(self.fields.plain) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().search(&automaton).into_stream() else {
                continue;
            };
            while stream.advance() {
                let Ok(text) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                let doc_freq = u64::from(stream.value().doc_freq);
                match found.iter_mut().find(|(t, _)| t == text) {
                    Some(entry) => entry.1 += doc_freq,
                    None => found.push((text.to_owned(), doc_freq)),
                }
            }
        }
        found.retain(|(text, _)| text != word);
        found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        found.truncate(FUZZY_EXPANSIONS);
        found
    }

    /// A synonym group: any of its phrases, each matched as a phrase on stems; the phrase
    /// typed weighs more than its equivalents.
    fn synonym_unit(&mut self, typed: &[String], alternatives: &[Vec<String>]) -> Option<Unit> {
        let mut clauses = UnitClauses::default();
        for phrase in alternatives {
            let weight = if phrase.as_slice() == typed {
                1.0
            } else {
                SYNONYM_WEIGHT
            };
            let terms = analysis::terms(&mut self.stem, &phrase.join(" "));
            match terms.as_slice() {
                // An acronym that is also a stop word (SUE, the building one-stop shop) lives
                // only in the plain field.
                [] if phrase.len() == 1 => {
                    let clause = self.term(self.fields.plain, &phrase[0], weight);
                    clauses.title.push((clause.0, clause.1.box_clone()));
                    clauses.anywhere.push(clause);
                }
                [] => {}
                [(_, single)] => {
                    let single = single.clone();
                    self.stem_clauses(&single, weight, &mut clauses);
                }
                [(first, _), ..] => {
                    let first = *first;
                    let phrase_in = |field| {
                        PhraseQuery::new_with_offset(
                            terms
                                .iter()
                                .map(|(position, text)| {
                                    (position - first, Term::from_field_text(field, text))
                                })
                                .collect(),
                        )
                    };
                    let f = self.fields;
                    clauses
                        .anywhere
                        .push(should(phrase_in(f.title), TITLE_BOOST * weight));
                    clauses.anywhere.push(should(phrase_in(f.body), weight));
                    clauses.title.push(should(phrase_in(f.title), weight));
                    for (_, text) in terms {
                        self.stems.insert(text);
                    }
                }
            }
        }
        clauses.into_unit(None)
    }

    /// Optional clauses that reward a practice for holding the query's words close together
    /// (two neighbouring words a few positions apart, in the title or the text) and for
    /// naming every unit in its title: a practice about exactly the query, rather than one
    /// that only shares its words.
    fn proximity(&self, units: &[Unit]) -> Vec<(Occur, Box<dyn Query>)> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![should(
            BooleanQuery::new(
                units
                    .iter()
                    .map(|u| (Occur::Must, u.title.box_clone()))
                    .collect(),
            ),
            TITLE_COVER_BOOST,
        )];
        for pair in units.windows(2).take(MAX_PROXIMITY_PAIRS) {
            let (Some(left), Some(right)) = (&pair[0].stem, &pair[1].stem) else {
                continue;
            };
            for (field, boost) in [(self.fields.title, TITLE_BOOST), (self.fields.body, 1.0)] {
                let phrase = PhraseQuery::new_with_offset_and_slop(
                    vec![
                        (0, Term::from_field_text(field, left)),
                        (1, Term::from_field_text(field, right)),
                    ],
                    PROXIMITY_SLOP,
                );
                clauses.push(should(phrase, boost * PROXIMITY_WEIGHT));
            }
        }
        clauses
    }
}

/// The clauses of a unit being built.
#[derive(Default)]
struct UnitClauses {
    anywhere: Vec<(Occur, Box<dyn Query>)>,
    title: Vec<(Occur, Box<dyn Query>)>,
}

impl UnitClauses {
    fn into_unit(self, stem: Option<String>) -> Option<Unit> {
        (!self.anywhere.is_empty()).then(|| Unit {
            anywhere: any_of(self.anywhere),
            title: any_of(self.title),
            stem,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::required_matches;

    #[test]
    fn short_queries_need_every_word_longer_ones_most() {
        let required: Vec<usize> = (0..=10).map(required_matches).collect();
        assert_eq!(required, vec![0, 1, 2, 2, 3, 3, 4, 5, 5, 6, 6]);
    }
}
