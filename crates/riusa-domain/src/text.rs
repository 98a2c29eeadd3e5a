//! Text rules shared by every context: NFC, trimmed, slugs.

use unicode_normalization::UnicodeNormalization;

/// Unicode NFC, surrounding whitespace removed: what every stored text looks like.
pub fn normalize(text: &str) -> String {
    text.trim().nfc().collect()
}

/// Like [`normalize`], but an empty result means "absent".
pub fn normalize_optional(text: Option<&str>) -> Option<String> {
    text.map(normalize).filter(|t| !t.is_empty())
}

/// A text as a search compares it: lower-case, accents and apostrophes gone, every run of
/// other characters one space ("Citta' Metropolitana" and "città metropolitana" both give
/// "citta metropolitana"). The same idea as the search index's analysers, for the SQL lookups
/// that do not go through the index (the directory of administrations).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

/// Lower-case ASCII letters and digits in groups joined by single hyphens.
pub fn is_slug(candidate: &str) -> bool {
    !candidate.is_empty()
        && candidate.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A slug made from a title: lower-case ASCII words joined by hyphens, at most 80 bytes
/// (accents dropped, other characters separate words). Empty when the title has no ASCII
/// letter or digit.
pub fn slug_from(title: &str) -> String {
    let ascii: String = title
        .nfd()
        .filter(char::is_ascii)
        .collect::<String>()
        .to_lowercase();
    let mut slug = String::new();
    for word in ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if slug.len() + word.len() + 1 > 80 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    slug
}

/// Number of characters as a person counts them (Unicode scalar values after NFC).
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_words_joined_by_single_hyphens() {
        assert!(is_slug("scambio-pa-2018"));
        assert!(!is_slug("Scambio-pa"));
        assert!(!is_slug("scambio--pa"));
        assert!(!is_slug("-scambio"));
        assert!(!is_slug("città"));
        assert!(!is_slug(""));
    }

    #[test]
    fn fold_ignores_case_accents_and_apostrophes() {
        assert_eq!(
            fold("Citta' Metropolitana di  Bari"),
            "citta metropolitana di bari"
        );
        assert_eq!(fold("CITTÀ METROPOLITANA"), "citta metropolitana");
        assert_eq!(
            fold("Agenzia per L'Italia Digitale"),
            "agenzia per l italia digitale"
        );
        assert_eq!(fold("  -- "), "");
    }

    #[test]
    fn normalize_composes_accents_and_trims() {
        let decomposed = "citta\u{0300} ";
        assert_eq!(normalize(decomposed), "città");
        assert_eq!(normalize_optional(Some("   ")), None);
    }
}
