//! Query-time synonyms: groups of words and phrases a civil servant uses for the same thing
//! (acronyms such as TARI or SUAP, loanwords such as smart working). Expanding the query rather
//! than the index keeps the index small and lets the list change without a rebuild.

use std::collections::HashMap;

use crate::analysis::{self, fold};

/// Equivalence groups, each a list of phrases; a phrase is a list of plain (folded) words.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    groups: Vec<Vec<Vec<String>>>,
    by_phrase: HashMap<Vec<String>, Vec<usize>>,
    longest: usize,
}

impl Synonyms {
    /// The list the binary ships (`data/search/synonyms.txt`).
    pub fn bundled() -> Synonyms {
        Synonyms::parse(include_str!("../../../data/search/synonyms.txt"))
    }

    /// One group per line, comma-separated; `#` starts a comment.
    pub fn parse(text: &str) -> Synonyms {
        let mut synonyms = Synonyms::default();
        let mut plain = analysis::plain();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or_default();
            let group: Vec<Vec<String>> = line
                .split(',')
                .map(|phrase| {
                    analysis::terms(&mut plain, phrase)
                        .into_iter()
                        .map(|(_, w)| w)
                        .collect::<Vec<_>>()
                })
                .filter(|words| !words.is_empty())
                .collect();
            if group.len() < 2 {
                continue;
            }
            let id = synonyms.groups.len();
            for phrase in &group {
                synonyms.longest = synonyms.longest.max(phrase.len());
                synonyms
                    .by_phrase
                    .entry(phrase.clone())
                    .or_default()
                    .push(id);
            }
            synonyms.groups.push(group);
        }
        synonyms
    }

    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The longest phrase starting at `words[start]` that belongs to a group, with the length
    /// it covers and every equivalent phrase (itself included).
    pub(crate) fn match_at(
        &self,
        words: &[String],
        start: usize,
    ) -> Option<(usize, Vec<Vec<String>>)> {
        let max = self.longest.min(words.len() - start);
        (1..=max).rev().find_map(|len| {
            let ids = self.by_phrase.get(&words[start..start + len])?;
            let mut alternatives: Vec<Vec<String>> = Vec::new();
            for id in ids {
                for phrase in &self.groups[*id] {
                    if !alternatives.contains(phrase) {
                        alternatives.push(phrase.clone());
                    }
                }
            }
            Some((len, alternatives))
        })
    }

    /// Every equivalent of a single word or phrase, for tests and diagnostics.
    pub fn equivalents(&self, phrase: &str) -> Vec<String> {
        let words: Vec<String> = fold(phrase).split(' ').map(str::to_owned).collect();
        match self.match_at(&words, 0) {
            Some((len, alternatives)) if len == words.len() => {
                alternatives.into_iter().map(|p| p.join(" ")).collect()
            }
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronyms_and_phrases_are_equivalent_both_ways() {
        let synonyms = Synonyms::parse(
            "tari, tassa sui rifiuti\n# commento\nlavoro agile, smart working, Telelavoro\nsolo\n",
        );
        assert_eq!(synonyms.len(), 2);
        assert_eq!(
            synonyms.equivalents("TARI"),
            vec!["tari", "tassa sui rifiuti"]
        );
        assert!(
            synonyms
                .equivalents("smart working")
                .contains(&"lavoro agile".to_owned())
        );
        assert!(
            synonyms
                .equivalents("telelavoro")
                .contains(&"smart working".to_owned())
        );
        assert!(synonyms.equivalents("solo").is_empty());
    }

    #[test]
    fn the_longest_phrase_wins() {
        let synonyms = Synonyms::parse("lavoro, impiego\nlavoro agile, smart working");
        let words: Vec<String> = ["lavoro", "agile", "comuni"].map(String::from).to_vec();
        let (len, alternatives) = synonyms.match_at(&words, 0).unwrap_or_default();
        assert_eq!(len, 2);
        assert!(alternatives.contains(&vec!["smart".to_owned(), "working".to_owned()]));
    }

    #[test]
    fn the_bundled_list_loads() {
        let synonyms = Synonyms::bundled();
        assert!(synonyms.len() >= 60, "only {} groups", synonyms.len());
        assert!(
            synonyms
                .equivalents("suap")
                .iter()
                .any(|p| p.contains("sportello unico"))
        );
    }
}
