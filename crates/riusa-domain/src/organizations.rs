//! Administrations (IPA registry) and the comuni they sit in (ISTAT).

/// IPA category of the comuni (`L6`): these administrations are linked to their own ISTAT code.
pub const MUNICIPALITY_CATEGORY: &str = "L6";

/// The IPA code of a comune is `c_` plus its cadastral code, lower-cased (`c_h501` for Roma).
pub fn municipality_ipa_code(cadastral_code: &str) -> String {
    format!("c_{}", cadastral_code.trim().to_lowercase())
}

/// IPA codes are compared case-insensitively; riusa stores them lower-case.
pub fn normalize_ipa_code(code: &str) -> String {
    code.trim().to_lowercase()
}

/// ISTAT comune codes have six digits; the IPA file sometimes drops leading zeros.
pub fn normalize_istat_code(code: &str) -> Option<String> {
    let code = code.trim();
    if code.is_empty() || code.len() > 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!("{code:0>6}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn istat_codes_are_padded_to_six_digits() {
        assert_eq!(normalize_istat_code("1001").as_deref(), Some("001001"));
        assert_eq!(normalize_istat_code("058091").as_deref(), Some("058091"));
        assert_eq!(normalize_istat_code("5809A"), None);
        assert_eq!(normalize_istat_code(""), None);
    }

    #[test]
    fn municipality_code_follows_cadastral_code() {
        assert_eq!(municipality_ipa_code("H501"), "c_h501");
    }
}
