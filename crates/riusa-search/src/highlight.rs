//! Snippets: a short passage of a hit's text with the query's words marked. The texts are not
//! stored in the index (they would double its size, and every page of it read by a search is
//! memory-mapped into the server): callers fetch them from the database for the hits they
//! show, then ask the [`Highlighter`] of the results.

use std::collections::{BTreeMap, BTreeSet};

use riusa_domain::catalog::Sections;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;

use crate::analysis;
use crate::text::append_sections;

const SNIPPET_CHARS: usize = 220;
/// Bytes of text the snippet is chosen from, around the first matching word.
const SNIPPET_WINDOW: usize = 1_200;

/// Marks words that begin with a query stem or root (roots of four letters or more: shorter
/// ones would mark too much).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Highlighter {
    prefixes: Vec<String>,
}

impl Highlighter {
    /// The highlighter of a query's stems and roots.
    pub(crate) fn for_words(stems: &BTreeSet<String>, roots: &BTreeSet<String>) -> Highlighter {
        let prefixes: BTreeSet<String> = stems
            .iter()
            .chain(roots.iter().filter(|r| r.len() >= 4))
            .cloned()
            .collect();
        Highlighter {
            prefixes: prefixes.into_iter().collect(),
        }
    }

    /// The best passage of `text` as HTML (escaped, words in `<mark>`), if a word matches.
    pub fn snippet(&self, text: &str) -> Option<String> {
        let weights: BTreeMap<String, f32> =
            self.prefixes.iter().map(|p| (p.clone(), 1.0)).collect();
        // The field is not read: `snippet` works on the text it is given.
        let generator = SnippetGenerator::new(
            weights,
            analysis::highlighter(self.prefixes.clone()),
            Field::from_field_id(0),
            SNIPPET_CHARS,
        );
        let mut snippet = generator.snippet(window(text, &self.prefixes));
        if snippet.highlighted().is_empty() {
            return None;
        }
        snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
        Some(snippet.to_html())
    }
}

/// The text a snippet is taken from: the sections as plain text. Not the summary: every result
/// card shows it already, and a snippet repeating it tells the reader nothing new (callers fall
/// back to it when the sections do not match).
pub fn snippet_source(sections: &Sections) -> String {
    let mut text = String::with_capacity(4096);
    append_sections(&mut text, sections);
    text
}

/// The part of `text` around the first word that begins with a prefix: tokenising whole texts
/// (several KB each, twenty per page) was most of a search's cost. ASCII lower-casing keeps
/// byte offsets, and prefixes are folded ASCII.
fn window<'a>(text: &'a str, prefixes: &[String]) -> &'a str {
    let lower = text.to_ascii_lowercase();
    let first = prefixes
        .iter()
        .filter_map(|prefix| {
            lower
                .match_indices(prefix.as_str())
                .map(|(at, _)| at)
                .find(|&at| {
                    at == 0
                        || !lower[..at]
                            .chars()
                            .next_back()
                            .is_some_and(char::is_alphanumeric)
                })
        })
        .min()
        .unwrap_or(0);
    let mut start = first.saturating_sub(SNIPPET_WINDOW / 4);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + SNIPPET_WINDOW).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    &text[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_surrounds_the_first_whole_word_match() {
        let text = format!(
            "{} informazione città {} formazione finale",
            "à".repeat(1_000),
            "x ".repeat(800)
        );
        let found = window(&text, &["formazion".to_owned()]);
        assert!(
            found.contains("formazione finale"),
            "skips «informazione»: {found}"
        );
        assert!(found.len() <= 1_202);
        assert_eq!(window("breve", &["assente".to_owned()]), "breve");
    }

    #[test]
    fn snippets_mark_inflected_words_and_escape_html() {
        let highlighter = Highlighter {
            prefixes: vec!["formazion".into(), "form".into()],
        };
        let snippet = highlighter
            .snippet("Corsi di <b>formazione</b> e percorsi formativi per tutti.")
            .unwrap_or_default();
        assert!(snippet.contains("<mark>formazione</mark>"), "{snippet}");
        assert!(snippet.contains("<mark>formativi</mark>"), "{snippet}");
        assert!(snippet.contains("&lt;b&gt;"), "{snippet}");
        assert_eq!(highlighter.snippet("niente di pertinente"), None);
    }
}
