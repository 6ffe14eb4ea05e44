//! Every way a name or text may be typed in pinyin, piece by piece, for
//! search: each Han character with all the readings it may have (the
//! surname table's one in surname position, else every reading the
//! `pinyin` crate knows, the most common first: 长 is `zhang` and
//! `chang`), and each run of Latin letters or digits as one word. Each
//! piece knows where it stands in the text, counted in characters, so
//! what matched can be lit on screen.
//!
//! The tokens are those of [`super::pinyin`]: full-width ASCII counts as
//! ASCII, anything else that is neither a letter, a digit nor a Han
//! character the crate knows only separates words.

use std::ops::Range;

use pinyin::ToPinyinMulti;

use super::pinyin::{compound_surname, fold_full_width, surname};

/// The most readings one character is given (the crate has at most a
/// handful once tones are dropped).
const MOST_READINGS: usize = 8;

/// Calls `each(chars, readings)` for every piece of `text`, in order:
/// `chars` is where the piece stands in `text` (in characters),
/// `readings` are its spellings in lower-case ASCII (`ü` written `v`).
/// `as_name` applies the surname tables to the first one or two Han
/// characters, as [`super::pinyin::romanize_name`] does.
pub fn each_piece(text: &str, as_name: bool, mut each: impl FnMut(Range<usize>, &[&str])) {
    let surnames = if as_name {
        surname_readings(text)
    } else {
        Vec::new()
    };
    let mut word = String::new();
    let mut word_start = 0;
    let mut spelled: [String; MOST_READINGS] = Default::default();
    for (at, c) in text.chars().enumerate() {
        let c = fold_full_width(c);
        let letter_kind = if c.is_ascii_alphabetic() {
            Some(true)
        } else if c.is_ascii_digit() {
            Some(false)
        } else {
            None
        };
        let continues = letter_kind.is_some_and(|letters| {
            word.bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphabetic() == letters)
        });
        if !continues && !word.is_empty() {
            each(word_start..at, &[word.as_str()]);
            word.clear();
        }
        if letter_kind.is_some() {
            if word.is_empty() {
                word_start = at;
            }
            word.push(c.to_ascii_lowercase());
            continue;
        }
        let count = match surnames.iter().find(|(place, _)| *place == at) {
            Some((_, reading)) => spell(&mut spelled, [*reading].into_iter()),
            None => match c.to_pinyin_multi() {
                Some(multi) => spell(&mut spelled, multi.into_iter().map(|p| p.plain())),
                None => 0,
            },
        };
        if count > 0 {
            let views: [&str; MOST_READINGS] = std::array::from_fn(|i| spelled[i].as_str());
            each(at..at + 1, &views[..count]);
        }
    }
    if !word.is_empty() {
        each(word_start..text.chars().count(), &[word.as_str()]);
    }
}

/// The surname readings of a name: the character places (after leading
/// whitespace) the surname tables decide, with their readings.
fn surname_readings(name: &str) -> Vec<(usize, &'static str)> {
    let lead = name.chars().take_while(|c| c.is_whitespace()).count();
    let trimmed = name.trim_start();
    let mut chars = trimmed.chars();
    let (first, second) = (chars.next(), chars.next());
    if let (Some(c1), Some(c2)) = (first, second)
        && let Some([a, b]) = compound_surname(&trimmed[..c1.len_utf8() + c2.len_utf8()])
    {
        return vec![(lead, a), (lead + 1, b)];
    }
    match first.and_then(surname) {
        Some(reading) => vec![(lead, reading)],
        None => Vec::new(),
    }
}

/// Writes the distinct readings into `out` as lower-case ASCII (`ü` as
/// `v`, other letters dropped), most common first; returns how many.
fn spell<'a>(out: &mut [String; MOST_READINGS], readings: impl Iterator<Item = &'a str>) -> usize {
    let mut count = 0;
    for reading in readings {
        if count == MOST_READINGS {
            break;
        }
        let slot = &mut out[count];
        slot.clear();
        slot.extend(reading.chars().filter_map(|c| match c {
            'ü' => Some('v'),
            c if c.is_ascii_lowercase() => Some(c),
            _ => None,
        }));
        let fresh = !slot.is_empty() && !out[..count].iter().any(|r| *r == out[count]);
        if fresh {
            count += 1;
        }
    }
    count
}

/// The key a list sorted by name uses: the pinyin syllable by syllable
/// (the most common reading, a space between pieces, so 查 `zha` sorts
/// before 赵 `zhao` whatever follows), then the name itself.
pub fn sort_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len() * 2);
    each_piece(name, true, |_, readings| {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(readings[0]);
    });
    key.push('\u{1}');
    key.push_str(name);
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str, as_name: bool) -> Vec<(Range<usize>, Vec<String>)> {
        let mut out = Vec::new();
        each_piece(text, as_name, |chars, readings| {
            out.push((chars, readings.iter().map(|r| r.to_string()).collect()));
        });
        out
    }

    fn first_readings(text: &str, as_name: bool) -> Vec<String> {
        pieces(text, as_name)
            .into_iter()
            .map(|(_, r)| r[0].clone())
            .collect()
    }

    #[test]
    fn a_given_name_has_every_reading_and_a_surname_its_own() {
        let li = pieces("李长江", true);
        assert_eq!(li[1].1, ["zhang", "chang"]);
        let zeng = pieces("曾强", true);
        assert_eq!(zeng[0].1, ["zeng"], "a surname reads one way");
        let text = pieces("曾经", false);
        assert!(text[0].1.contains(&"ceng".to_string()));
        assert_eq!(first_readings("尉迟恭", true), ["yu", "chi", "gong"]);
        assert_eq!(first_readings("万俟雪", true), ["mo", "qi", "xue"]);
        assert_eq!(first_readings("吕女士", true), ["lv", "nv", "shi"]);
    }

    #[test]
    fn words_and_digits_are_pieces_where_they_stand() {
        assert_eq!(
            pieces("Emily Wang", true),
            vec![(0..5, vec!["emily".into()]), (6..10, vec!["wang".into()])]
        );
        assert_eq!(
            pieces("门店01 Ｂ2", false)
                .into_iter()
                .map(|(chars, _)| chars)
                .collect::<Vec<_>>(),
            vec![0..1, 1..2, 2..4, 5..6, 6..7]
        );
        assert_eq!(pieces("·、😀", false), vec![]);
        assert_eq!(pieces("  单文", true)[0], (2..3, vec!["shan".to_string()]));
    }

    #[test]
    fn names_sort_syllable_by_syllable() {
        let mut names = vec!["赵伟", "查伟", "张三", "Anna"];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(names, ["Anna", "查伟", "张三", "赵伟"]);
        assert!(sort_key("查海") < sort_key("赵伟"));
    }
}
