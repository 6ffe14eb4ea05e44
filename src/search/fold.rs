//! Lower case for matching, fast on the ASCII and CJK text lists are made
//! of: only characters that have an upper case are converted, runs of
//! ASCII in bulk.

/// Lower case for matching, fast on the ASCII and CJK text search keys are
/// made of (only characters that have an upper case are converted).
pub fn fold_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_case_into(&mut out, text);
    out
}

/// Appends `text` folded to lower case to `out`: runs of ASCII are copied
/// and lowered in bulk, other characters one by one.
pub fn fold_case_into(out: &mut String, text: &str) {
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let start = out.len();
        out.push_str(&rest[..ascii]);
        out[start..].make_ascii_lowercase();
        let mut tail = rest[ascii..].chars();
        if let Some(c) = tail.next() {
            if !CASELESS.contains(&c) && c.is_uppercase() {
                out.extend(c.to_lowercase());
            } else {
                out.push(c);
            }
        }
        rest = tail.as_str();
    }
}

/// Kana, CJK ideographs and Yi: no character here has a case, so most of
/// a Chinese key is copied without looking anything up.
const CASELESS: std::ops::Range<char> = '\u{3000}'..'\u{A640}';

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn case_folds_like_to_lowercase() {
        for text in [
            "Zhang WEI 张伟",
            "ÉLAN Ωmega",
            "plain",
            "星河零售 Xinghe Retail",
        ] {
            assert_eq!(fold_case(text), text.to_lowercase());
        }
    }

    #[test]
    fn the_caseless_range_has_no_upper_case() {
        assert!(CASELESS.clone().all(|c| !c.is_uppercase()));
    }

    proptest! {
        /// Folding agrees with the standard lower case on mixed text (the
        /// Greek final sigma aside, which only whole-word lowering knows).
        #[test]
        fn folding_agrees_with_to_lowercase(text in "[A-Za-z0-9张伟ÉéΩωＡａ @._-]{0,24}") {
            prop_assert_eq!(fold_case(&text), text.to_lowercase());
        }
    }
}
