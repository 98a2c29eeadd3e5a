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
    fn normalize_composes_accents_and_trims() {
        let decomposed = "citta\u{0300} ";
        assert_eq!(normalize(decomposed), "città");
        assert_eq!(normalize_optional(Some("   ")), None);
    }
}
