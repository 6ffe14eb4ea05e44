//! How well a query finds an item, best first. The order is the one HR
//! expects of a search box: the exact number or account id, then the exact
//! name, then names that begin with what was typed (whole syllables before
//! one only begun), then a later word or
//! syllable that does, then the text anywhere inside, then initials, and
//! letters scattered through a field only when nothing better exists.

/// A match's tier; a smaller one is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Rank {
    /// The whole employee number, account id, e-mail address or phone.
    ExactCode,
    /// The whole name or text, in characters or in full pinyin.
    ExactName,
    /// Its beginning: the first characters, or pinyin from the first
    /// syllable on, ending where a syllable ends (`zhang` for 张伟, `xin`
    /// for 鑫源).
    Prefix,
    /// The same with the last syllable only begun (`zha`, `zhangw` for
    /// 张伟; `xin` for 星河, `xing`).
    SyllableBegun,
    /// The same from a later word or syllable (`wei` for 张伟, `wang` for
    /// Emily Wang, the part of an address after a dot).
    WordPrefix,
    /// The characters, uninterrupted, anywhere in the field.
    Substring,
    /// Initials from the first syllable on (`zw`, `zwei` for 张伟).
    Initials,
    /// Initials from a later syllable (`xm` for 王小明).
    LaterInitials,
    /// The characters in order with gaps, in the field as shown; offered
    /// only when nothing matches better.
    Scattered,
}

impl Rank {
    /// Every tier, best first.
    pub const ALL: [Rank; 9] = [
        Rank::ExactCode,
        Rank::ExactName,
        Rank::Prefix,
        Rank::SyllableBegun,
        Rank::WordPrefix,
        Rank::Substring,
        Rank::Initials,
        Rank::LaterInitials,
        Rank::Scattered,
    ];

    /// The tier as a small number, for per-item tables.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The tier of [`code`](Self::code); `None` for [`NONE`].
    pub fn from_code(code: u8) -> Option<Rank> {
        Rank::ALL.get(usize::from(code)).copied()
    }
}

/// The code of "no match" in per-item tables (worse than every tier).
pub const NONE: u8 = u8::MAX;

/// The better of two codes.
pub fn better(a: u8, b: u8) -> u8 {
    a.min(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_in_order() {
        for (i, rank) in Rank::ALL.iter().enumerate() {
            assert_eq!(Rank::from_code(rank.code()), Some(*rank));
            assert_eq!(usize::from(rank.code()), i);
        }
        assert_eq!(Rank::from_code(NONE), None);
        assert!(Rank::ExactCode < Rank::Scattered);
    }
}
