//! How Italian text becomes terms. Three analysers share one tokenisation (split on
//! non-alphanumerics, lower-case, accents folded) so that query and index always agree:
//! `stem` (stop words out, Snowball Italian), `root` (stem plus derivational suffixes off, for
//! recall: formazione, formativi and formatori all become `form`) and `plain` (every word as
//! written, for typo correction and synonym phrases).

use std::collections::HashSet;
use std::sync::LazyLock;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

pub(crate) const STEM: &str = "riusa_it_stem";
pub(crate) const ROOT: &str = "riusa_it_root";
pub(crate) const PLAIN: &str = "riusa_plain";

/// Words longer than this are not words (hashes, URLs glued together).
const LONGEST_TOKEN: usize = 40;

/// Elided articles and prepositions (l', d', un', dell'…) that the tokenizer leaves as words.
const ELISIONS: &[&str] = &[
    "l", "d", "c", "s", "m", "t", "v", "un", "quell", "dell", "nell", "all", "dall", "sull", "coll",
];

/// The Snowball Italian stop words (data/search/snowball_italian_stop.txt), folded like the text.
pub fn stopwords() -> &'static HashSet<String> {
    static WORDS: LazyLock<HashSet<String>> = LazyLock::new(|| {
        let list = include_str!("../../../data/search/snowball_italian_stop.txt");
        list.lines()
            .filter_map(|line| line.split('|').next())
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(fold)
            .chain(ELISIONS.iter().map(|w| (*w).to_owned()))
            .collect()
    });
    &WORDS
}

/// Lower-case and accent-folded, as the analysers see a word.
pub(crate) fn fold(word: &str) -> String {
    let mut analyzer = plain();
    let mut out = String::new();
    analyzer.token_stream(word).process(&mut |t: &Token| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&t.text);
    });
    out
}

fn base() -> tantivy::tokenizer::TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
}

pub(crate) fn plain() -> TextAnalyzer {
    base().build()
}

pub(crate) fn stem() -> TextAnalyzer {
    base()
        .filter(StopWordFilter::remove(stopwords().iter().cloned()))
        .filter(Stemmer::new(Language::Italian))
        .build()
}

pub(crate) fn root() -> TextAnalyzer {
    base()
        .filter(StopWordFilter::remove(stopwords().iter().cloned()))
        .filter(Stemmer::new(Language::Italian))
        .filter(RootFilter)
        .build()
}

pub(crate) fn register(index: &tantivy::Index) {
    let manager = index.tokenizers();
    manager.register(STEM, stem());
    manager.register(ROOT, root());
    manager.register(PLAIN, plain());
}

/// The terms of `text` with their positions, as `analyzer` indexes them.
pub(crate) fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    analyzer
        .token_stream(text)
        .process(&mut |t: &Token| out.push((t.position, t.text.clone())));
    out
}

/// Token filter for snippets: a word that begins with one of the query's stems or roots is
/// replaced by that stem, so that highlighting needs no stemming of whole documents (stemming
/// every word of every hit was most of a search's cost). Snowball Italian stems are prefixes of
/// their folded words, so this marks the same words, give or take a rare homograph.
#[derive(Clone, Debug)]
pub(crate) struct PrefixFilter {
    prefixes: std::sync::Arc<Vec<String>>,
}

impl PrefixFilter {
    pub(crate) fn new(prefixes: Vec<String>) -> PrefixFilter {
        PrefixFilter {
            prefixes: std::sync::Arc::new(prefixes),
        }
    }
}

impl TokenFilter for PrefixFilter {
    type Tokenizer<T: Tokenizer> = PrefixTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> PrefixTokenizer<T> {
        PrefixTokenizer {
            inner: tokenizer,
            prefixes: self.prefixes,
        }
    }
}

#[derive(Clone)]
pub struct PrefixTokenizer<T> {
    inner: T,
    prefixes: std::sync::Arc<Vec<String>>,
}

impl<T: Tokenizer> Tokenizer for PrefixTokenizer<T> {
    type TokenStream<'a> = PrefixTokenStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        PrefixTokenStream {
            tail: self.inner.token_stream(text),
            prefixes: &self.prefixes,
        }
    }
}

pub struct PrefixTokenStream<'a, T> {
    tail: T,
    prefixes: &'a [String],
}

impl<T: TokenStream> TokenStream for PrefixTokenStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        // The longest matching prefix: "formazion" before "form".
        if let Some(prefix) = self
            .prefixes
            .iter()
            .filter(|p| token.text.starts_with(p.as_str()))
            .max_by_key(|p| p.len())
        {
            token.text.clone_from(prefix);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// An analyser that marks words starting with `prefixes` (see [`PrefixFilter`]).
pub(crate) fn highlighter(prefixes: Vec<String>) -> TextAnalyzer {
    base().filter(PrefixFilter::new(prefixes)).build()
}

/// Suffixes taken off a Snowball stem, longest first: nominalisations (-azione), adjectives
/// (-ativo, -ale, -ario), agents (-atore) and verbs in -izzare.
const DERIVATIONS: &[&str] = &[
    "azion", "izion", "atric", "ativ", "ator", "zion", "ific", "ual", "ion", "izz", "al", "ar",
    "at",
];
/// A root keeps at least this many bytes, so short words are left alone.
const ROOT_MIN: usize = 4;

/// Reduces a stem to a coarser root shared by derived words (see [`DERIVATIONS`]).
pub(crate) fn derive_root(stem: &str) -> String {
    let mut root = stem.to_owned();
    for _ in 0..2 {
        let Some(suffix) = DERIVATIONS
            .iter()
            .find(|s| root.ends_with(*s) && root.len() >= s.len() + ROOT_MIN)
        else {
            break;
        };
        root.truncate(root.len() - suffix.len());
    }
    root
}

/// Token filter applying [`derive_root`] after the Snowball stemmer.
#[derive(Clone, Copy, Debug, Default)]
pub struct RootFilter;

impl TokenFilter for RootFilter {
    type Tokenizer<T: Tokenizer> = RootTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> RootTokenizer<T> {
        RootTokenizer { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct RootTokenizer<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for RootTokenizer<T> {
    type TokenStream<'a> = RootTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RootTokenStream {
            tail: self.inner.token_stream(text),
        }
    }
}

pub struct RootTokenStream<T> {
    tail: T,
}

impl<T: TokenStream> TokenStream for RootTokenStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        token.text = derive_root(&token.text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        terms(analyzer, text).into_iter().map(|(_, t)| t).collect()
    }

    #[test]
    fn formazione_and_formativi_share_a_root_but_not_a_stem() {
        let (mut stem, mut root) = (stem(), root());
        assert_ne!(
            words(&mut stem, "formazione"),
            words(&mut stem, "formativi")
        );
        assert_eq!(
            words(&mut root, "formazione"),
            words(&mut root, "formativi")
        );
        assert_eq!(
            words(&mut root, "formatori"),
            words(&mut root, "formazione")
        );
        assert_eq!(
            words(&mut root, "digitalizzazione"),
            words(&mut root, "digitali")
        );
        assert_eq!(words(&mut root, "comunali"), words(&mut root, "comuni"));
    }

    #[test]
    fn stop_words_and_elisions_are_dropped_with_positions_kept() {
        let mut stem = stem();
        let out = terms(&mut stem, "la tassa sui rifiuti dell'ente");
        assert_eq!(
            out,
            vec![
                (1, "tass".to_owned()),
                (3, "rif".to_owned()),
                (5, "ente".to_owned())
            ]
        );
    }

    #[test]
    fn accents_are_folded_the_same_way_in_query_and_index() {
        let mut plain = plain();
        assert_eq!(words(&mut plain, "Città PIÙ"), vec!["citta", "piu"]);
        assert_eq!(fold("Sanità"), "sanita");
    }

    #[test]
    fn the_highlighter_marks_inflected_words_by_their_stem() {
        let mut highlighter =
            highlighter(vec!["formazion".into(), "form".into(), "digital".into()]);
        assert_eq!(
            words(
                &mut highlighter,
                "Formazioni DIGITALI e formativi, non aula"
            ),
            vec!["formazion", "digital", "e", "form", "non", "aula"]
        );
    }

    #[test]
    fn short_words_keep_their_stem() {
        assert_eq!(derive_root("pag"), "pag");
        assert_eq!(derive_root("document"), "document");
    }
}
