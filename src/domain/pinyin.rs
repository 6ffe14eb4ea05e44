//! Pinyin romanization of names and text, so staff search works from a plain
//! ASCII keyboard (e.g. over SSH, where typing Chinese is often impossible):
//! 张伟 romanizes to full `zhangwei` and initials `zw`.
//!
//! # Rules
//!
//! The input is read as a sequence of tokens:
//!
//! * a **Han syllable**: one character the `pinyin` crate knows, romanized
//!   toneless and lower-case, `ü` written `v` (吕 → `lv`, 女 → `nv`);
//! * a **letter word**: a run of ASCII letters, lower-cased;
//! * a **digit word**: a run of ASCII digits.
//!
//! Full-width ASCII (`Ａ`, `０`, common from Chinese input methods) counts as its
//! ASCII twin. Every other character — whitespace, punctuation, the `·` that
//! separates the parts of Uyghur names (买买提·艾力), accented or non-Latin
//! letters, CJK characters the crate does not know — is a **separator**: it
//! produces no letters itself, but breaks words (so `José` gives `jos`: no
//! accent folding is attempted).
//!
//! `full` concatenates the tokens. Separators between tokens collapse to one
//! space, except between two Han syllables, where they vanish: Han syllables
//! are always joined (`zhangwei`, 买买提·艾力 → `maimaitiaili`), while words
//! keep their spacing (`Emily Wang` → `emily wang`, `David 陈` → `david chen`).
//! Tokens that touch in the source stay joined (门店01 → `mendian01`).
//! Leading and trailing separators vanish.
//!
//! `initials` concatenates, without spaces, the first letter of each Han
//! syllable and of each letter word, and each digit word whole (张伟 → `zw`,
//! `Emily Wang` → `ew`, 门店01 → `md01`), so an employee number or store
//! number stays searchable. Consequently `initials` is never longer than
//! `full`, and both are only lower-case ASCII letters, digits and spaces
//! (`initials` has no spaces).
//!
//! # Polyphones
//!
//! A character with several readings gets the crate's first (most common)
//! one. [`romanize_name`] corrects the surname — the first one or two
//! characters of a name — with the override tables `COMPOUND_SURNAMES` and
//! `SURNAMES`, since a surname is often read differently (曾 is `ceng` in 曾经
//! but `zeng` as a surname). Nothing else is disambiguated: 长 in a given name (李长江) is
//! usually `chang`, but the crate's first reading is `zhang`, and that is what
//! is produced; words in department names and titles get the same treatment.
//!
//! # Performance
//!
//! Romanizing is a single pass with no allocation beyond the two output
//! strings; the crate's lookup is a few range checks and a table index, and
//! the surname tables are binary-searched. 100,000 typical names take about
//! 50 ms in a release build (see the ignored test
//! `hundred_thousand_names_are_fast`).

use pinyin::ToPinyin;

/// A name's romanization for search: full pinyin without tones or spaces
/// between syllables of Han characters, and initials.
///
/// See the [module documentation](self) for the exact rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Romanized {
    /// Every syllable and word, lower-case: `zhangwei`, `david chen`.
    pub full: String,
    /// First letter of each syllable and letter word, digit runs whole, no
    /// spaces: `zw`, `dc`, `md01`.
    pub initials: String,
}

/// Compound (two-character) surnames, sorted by their characters (code point
/// order) for binary search. Each is checked before [`SURNAMES`], so 尉迟 is
/// `yuchi` even though 尉 alone is `wei`.
///
/// Entries marked *pinned* read the same through the crate's first readings;
/// they are kept so the surname reading stays fixed even if the crate's data
/// changes, and so the list of recognised compound surnames is complete.
const COMPOUND_SURNAMES: &[(&str, [&str; 2])] = &[
    ("万俟", ["mo", "qi"]),      // crate: wan qi
    ("上官", ["shang", "guan"]), // pinned
    ("东方", ["dong", "fang"]),  // pinned
    ("令狐", ["ling", "hu"]),    // pinned
    ("公孙", ["gong", "sun"]),   // pinned
    ("单于", ["chan", "yu"]),    // crate: dan yu
    ("司徒", ["si", "tu"]),      // pinned
    ("司马", ["si", "ma"]),      // pinned
    ("呼延", ["hu", "yan"]),     // pinned
    ("單于", ["chan", "yu"]),    // traditional 单于; crate: dan yu
    ("夏侯", ["xia", "hou"]),    // pinned
    ("宇文", ["yu", "wen"]),     // pinned
    ("尉迟", ["yu", "chi"]),     // crate: wei chi
    ("尉遲", ["yu", "chi"]),     // traditional 尉迟; crate: wei chi
    ("慕容", ["mu", "rong"]),    // pinned
    ("欧阳", ["ou", "yang"]),    // pinned
    ("澹台", ["tan", "tai"]),    // crate: dan tai
    ("澹臺", ["tan", "tai"]),    // traditional 澹台; crate: dan tai
    ("皇甫", ["huang", "fu"]),   // pinned
    ("端木", ["duan", "mu"]),    // pinned
    ("萬俟", ["mo", "qi"]),      // traditional 万俟; crate: wan qi
    ("諸葛", ["zhu", "ge"]),     // traditional 诸葛, pinned
    ("诸葛", ["zhu", "ge"]),     // pinned
    ("轩辕", ["xuan", "yuan"]),  // pinned
    ("長孫", ["zhang", "sun"]),  // traditional 长孙, pinned (not chang)
    ("长孙", ["zhang", "sun"]),  // pinned (not chang)
];

/// Single-character surnames whose surname reading matters, sorted by code
/// point for binary search. A comment `crate: x` gives the crate's (wrong)
/// first reading that the entry corrects; *pinned* entries already agree with
/// the crate once tones are dropped (they differ only in tone, or the crate
/// happens to list the surname reading first) and fix the reading in place.
const SURNAMES: &[(char, &str)] = &[
    ('乐', "yue"),   // crate: le (乐 as in 快乐); Yue is the common surname
    ('仇', "qiu"),   // crate: chou (仇恨)
    ('仉', "zhang"), // pinned
    ('任', "ren"),   // pinned (surname rén, not rèn)
    ('冼', "xian"),  // pinned (Cantonese surname, often confused with 洗)
    ('区', "ou"),    // crate: qu (地区)
    ('區', "ou"),    // traditional 区; crate: qu
    ('华', "hua"),   // pinned (surname huà, not huá)
    ('单', "shan"),  // crate: dan (单位)
    ('卜', "bu"),    // crate: bo (萝卜)
    ('句', "gou"),   // crate: ju (句子)
    ('召', "shao"),  // crate: zhao (召开)
    ('员', "yun"),   // crate: yuan (员工)
    ('員', "yun"),   // traditional 员; crate: yuan
    ('宓', "mi"),    // pinned (also read fu)
    ('尉', "wei"),   // pinned (alone wèi; yù only in 尉迟)
    ('折', "she"),   // crate: zhe (折叠)
    ('曲', "qu"),    // pinned (surname qū, not qǔ)
    ('曾', "zeng"),  // crate: ceng (曾经)
    ('朴', "piao"),  // crate: pu (朴素); Korean surname Piao
    ('柏', "bai"),   // pinned (also read bo)
    ('查', "zha"),   // crate: cha (检查)
    ('樂', "yue"),   // traditional 乐; crate: le
    ('沈', "shen"),  // pinned (also read chen)
    ('洗', "xian"),  // crate: xi (洗衣); surname variant of 冼
    ('燕', "yan"),   // pinned (surname yān, not yàn)
    ('盖', "ge"),    // crate: gai (盖子)
    ('眭', "sui"),   // pinned
    ('种', "chong"), // crate: zhong (种子)
    ('秘', "bi"),    // crate: mi (秘密)
    ('種', "chong"), // traditional 种; crate: zhong
    ('繁', "po"),    // crate: fan (繁荣)
    ('繆', "miao"),  // traditional 缪; crate: mou
    ('纪', "ji"),    // pinned (surname jǐ, not jì)
    ('缪', "miao"),  // crate: mou (绸缪)
    ('翟', "zhai"),  // crate: di
    ('能', "nai"),   // crate: neng (能力)
    ('莘', "shen"),  // pinned (also read xin)
    ('華', "hua"),   // traditional 华, pinned
    ('蓋', "ge"),    // traditional 盖; crate: gai
    ('薄', "bo"),    // crate: bao (薄纸)
    ('褚', "chu"),   // pinned (also read zhu)
    ('要', "yao"),   // pinned (surname yāo, not yào)
    ('覃', "qin"),   // crate: tan
    ('解', "xie"),   // crate: jie (解决)
    ('訾', "zi"),    // pinned (surname zǐ, not zī)
    ('費', "fei"),   // traditional 费, pinned
    ('賁', "ben"),   // traditional 贲; crate: bi
    ('贲', "ben"),   // pinned (also read bi)
    ('费', "fei"),   // pinned (also read bi)
    ('过', "guo"),   // pinned (surname guō, not guò)
    ('逄', "pang"),  // pinned (often misread feng)
    ('那', "na"),    // pinned (surname nā, not nà)
    ('阚', "kan"),   // crate: han
    ('隗', "wei"),   // crate: kui
    ('靳', "jin"),   // pinned
    ('黑', "he"),    // crate: hei; surname reading hè
];

/// Romanizes a personal name: the surname (first one or two Han characters,
/// after leading whitespace) by this module's surname override tables, the
/// rest by the `pinyin` crate's first (most common) reading.
///
/// A compound surname wins over a single one (尉迟恭 → `yuchigong`). A name
/// that does not start with a Han character (`David 曾`) gets no surname
/// rule. See the [module documentation](self) for the other rules.
pub fn romanize_name(name: &str) -> Romanized {
    let mut out = Builder::new(name.len());
    name_into(&mut out, name);
    out.finish()
}

/// Writes `name` into `out` by the rules of [`romanize_name`].
fn name_into(out: &mut Builder, name: &str) {
    let name = name.trim_start();
    let mut chars = name.chars();
    let (first, second) = (chars.next(), chars.next());
    let rest = if let (Some(c1), Some(c2)) = (first, second)
        && let Some(syllables) = compound_surname(&name[..c1.len_utf8() + c2.len_utf8()])
    {
        syllables.iter().for_each(|s| out.syllable(s));
        &name[c1.len_utf8() + c2.len_utf8()..]
    } else if let Some(c1) = first
        && let Some(syllable) = surname(c1)
    {
        out.syllable(syllable);
        &name[c1.len_utf8()..]
    } else {
        name
    };
    out.text(rest);
}

/// Romanizes any other text (department names, titles): every Han character
/// gets the `pinyin` crate's first reading, with no surname rules (名单 →
/// `mingdan`). See the [module documentation](self) for the rules.
pub fn romanize_text(text: &str) -> Romanized {
    let mut out = Builder::new(text.len());
    out.text(text);
    out.finish()
}

pub(super) fn compound_surname(key: &str) -> Option<[&'static str; 2]> {
    COMPOUND_SURNAMES
        .binary_search_by(|(k, _)| (*k).cmp(key))
        .ok()
        .map(|i| COMPOUND_SURNAMES[i].1)
}

pub(super) fn surname(c: char) -> Option<&'static str> {
    SURNAMES
        .binary_search_by(|(k, _)| k.cmp(&c))
        .ok()
        .map(|i| SURNAMES[i].1)
}

/// The kind of the last token written, which decides whether a separator
/// becomes a space and whether an ASCII character continues a word.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    Nothing,
    Han,
    Letters,
    Digits,
}

/// Accumulates both output strings in one pass over the tokens.
struct Builder {
    full: String,
    initials: String,
    last: Last,
    /// A separator was seen since the last token.
    separated: bool,
}

impl Builder {
    fn new(capacity: usize) -> Self {
        Self {
            full: String::with_capacity(capacity),
            initials: String::with_capacity(capacity / 2),
            last: Last::Nothing,
            separated: false,
        }
    }

    fn text(&mut self, text: &str) {
        for c in text.chars() {
            let c = fold_full_width(c);
            if c.is_ascii_alphabetic() {
                self.ascii(c.to_ascii_lowercase(), Last::Letters);
            } else if c.is_ascii_digit() {
                self.ascii(c, Last::Digits);
            } else if let Some(pinyin) = c.to_pinyin() {
                self.syllable(pinyin.plain());
            } else {
                self.separated = true;
            }
        }
    }

    /// Writes one Han syllable as given by the crate or a surname table,
    /// keeping only ASCII letters and writing `ü` as `v`.
    fn syllable(&mut self, syllable: &str) {
        let mut letters = syllable.chars().filter_map(|c| match c {
            'ü' => Some('v'),
            c if c.is_ascii_lowercase() => Some(c),
            _ => None,
        });
        let Some(first) = letters.next() else {
            return;
        };
        if self.separated && !matches!(self.last, Last::Han | Last::Nothing) {
            self.full.push(' ');
        }
        self.full.push(first);
        self.full.extend(letters);
        self.initials.push(first);
        self.last = Last::Han;
        self.separated = false;
    }

    /// Writes one ASCII letter or digit, `kind` telling which.
    fn ascii(&mut self, c: char, kind: Last) {
        let continues = self.last == kind && !self.separated;
        if !continues {
            if self.separated && self.last != Last::Nothing {
                self.full.push(' ');
            }
            self.initials.push(c);
        } else if kind == Last::Digits {
            self.initials.push(c);
        }
        self.full.push(c);
        self.last = kind;
        self.separated = false;
    }

    fn finish(self) -> Romanized {
        Romanized {
            full: self.full,
            initials: self.initials,
        }
    }
}

/// Maps full-width ASCII (U+FF01..=U+FF5E) to ASCII; other characters pass.
pub(super) fn fold_full_width(c: char) -> char {
    match u32::from(c) {
        code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn name(s: &str) -> (String, String) {
        let r = romanize_name(s);
        (r.full, r.initials)
    }

    fn text(s: &str) -> (String, String) {
        let r = romanize_text(s);
        (r.full, r.initials)
    }

    fn pair(full: &str, initials: &str) -> (String, String) {
        (full.to_owned(), initials.to_owned())
    }

    #[test]
    fn common_name() {
        assert_eq!(name("张伟"), pair("zhangwei", "zw"));
        assert_eq!(text("张伟"), pair("zhangwei", "zw"));
        assert_eq!(name("王小明"), pair("wangxiaoming", "wxm"));
    }

    #[test]
    fn tables_are_sorted_without_duplicates() {
        assert!(COMPOUND_SURNAMES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(SURNAMES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(
            COMPOUND_SURNAMES
                .iter()
                .all(|(k, _)| k.chars().count() == 2)
        );
    }

    #[test]
    fn every_table_entry_applies_in_surname_position() {
        for (surname, [a, b]) in COMPOUND_SURNAMES {
            let r = romanize_name(&format!("{surname}明"));
            assert_eq!(r.full, format!("{a}{b}ming"), "{surname}");
            assert_eq!(r.initials, format!("{}{}m", &a[..1], &b[..1]), "{surname}");
        }
        for (surname, reading) in SURNAMES {
            let r = romanize_name(&format!("{surname}明"));
            assert_eq!(r.full, format!("{reading}ming"), "{surname}");
            assert_eq!(r.initials, format!("{}m", &reading[..1]), "{surname}");
        }
    }

    #[test]
    fn corrected_surnames() {
        let cases = [
            ("曾强", "zengqiang", "zq"),
            ("单文", "shanwen", "sw"),
            ("解明", "xieming", "xm"),
            ("仇方", "qiufang", "qf"),
            ("区伟", "ouwei", "ow"),
            ("查海", "zhahai", "zh"),
            ("朴敏", "piaomin", "pm"),
            ("盖磊", "gelei", "gl"),
            ("秘书", "bishu", "bs"),
            ("繁星", "poxing", "px"),
            ("翟军", "zhaijun", "zj"),
            ("乐平", "yueping", "yp"),
            ("员力", "yunli", "yl"),
            ("种师道", "chongshidao", "csd"),
            ("缪斯", "miaosi", "ms"),
            ("覃丽", "qinli", "ql"),
            ("召南", "shaonan", "sn"),
            ("折兰", "shelan", "sl"),
            ("黑山", "heshan", "hs"),
            ("句龙", "goulong", "gl"),
            ("阚泽", "kanze", "kz"),
            ("隗嚣", "weixiao", "wx"),
            ("能静", "naijing", "nj"),
            ("洗玉", "xianyu", "xy"),
            ("薄熙", "boxi", "bx"),
            ("卜算", "busuan", "bs"),
            ("蓋文", "gewen", "gw"),
            ("尉迟恭", "yuchigong", "ycg"),
            ("万俟雪", "moqixue", "mqx"),
            ("欧阳娜娜", "ouyangnana", "oynn"),
            ("单于丹", "chanyudan", "cyd"),
            ("澹台明", "tantaiming", "ttm"),
            ("長孫無忌", "zhangsunwuji", "zswj"),
        ];
        for (input, full, initials) in cases {
            assert_eq!(name(input), pair(full, initials), "{input}");
        }
    }

    #[test]
    fn single_reading_when_not_compound() {
        assert_eq!(name("尉缭"), pair("weiliao", "wl"));
        assert_eq!(name("万峰"), pair("wanfeng", "wf"));
        assert_eq!(name("单"), pair("shan", "s"));
        assert_eq!(name("  曾强"), pair("zengqiang", "zq"));
    }

    #[test]
    fn surname_characters_elsewhere_keep_crate_reading() {
        assert_eq!(text("名单"), pair("mingdan", "md"));
        assert_eq!(text("单位"), pair("danwei", "dw"));
        assert_eq!(text("曾经"), pair("cengjing", "cj"));
        assert_eq!(text("解决"), pair("jiejue", "jj"));
        assert_eq!(text("检查"), pair("jiancha", "jc"));
        assert_eq!(text("尉迟"), pair("weichi", "wc"));
        assert_eq!(name("王单"), pair("wangdan", "wd"));
        assert_eq!(name("李曾"), pair("liceng", "lc"));
        assert_eq!(name("David 曾"), pair("david ceng", "dc"));
    }

    #[test]
    fn documented_polyphone_limitation() {
        assert_eq!(name("李长江"), pair("lizhangjiang", "lzj"));
    }

    #[test]
    fn u_umlaut_is_v() {
        assert_eq!(name("吕"), pair("lv", "l"));
        assert_eq!(name("吕女士"), pair("lvnvshi", "lns"));
        assert_eq!(text("略"), pair("lve", "l"));
    }

    #[test]
    fn english_and_mixed_names() {
        assert_eq!(name("Emily Wang"), pair("emily wang", "ew"));
        assert_eq!(name("David 陈"), pair("david chen", "dc"));
        assert_eq!(name("陈 David"), pair("chen david", "cd"));
        assert_eq!(name("David陈"), pair("davidchen", "dc"));
        assert_eq!(
            name("  O'Brien,  Mary-Jane  "),
            pair("o brien mary jane", "obmj")
        );
        assert_eq!(name("ＡＢＣ"), pair("abc", "a"));
    }

    #[test]
    fn digits_are_kept_whole_in_initials() {
        assert_eq!(text("门店01"), pair("mendian01", "md01"));
        assert_eq!(text("门店０１"), pair("mendian01", "md01"));
        assert_eq!(text("Room101"), pair("room101", "r101"));
        assert_eq!(text("Store 12 东区"), pair("store 12 dongqu", "s12dq"));
    }

    #[test]
    fn separators_between_han_vanish() {
        assert_eq!(name("买买提·艾力"), pair("maimaitiaili", "mmtal"));
        assert_eq!(name("张 伟"), pair("zhangwei", "zw"));
        assert_eq!(name("Ali·Khan"), pair("ali khan", "ak"));
    }

    #[test]
    fn unknown_characters_are_dropped() {
        assert_eq!(name("张\u{2A6D6}伟"), name("张伟"));
        assert_eq!(text("¿José? 😀 Li"), pair("jos li", "jl"));
        assert_eq!(text("·、。"), pair("", ""));
    }

    #[test]
    fn empty_input() {
        assert_eq!(name(""), pair("", ""));
        assert_eq!(text(""), pair("", ""));
        assert_eq!(name("   "), pair("", ""));
    }

    /// Run with `cargo test --release --lib domain::pinyin -- --ignored --nocapture`.
    #[test]
    #[ignore = "timing check, meaningful in release builds only"]
    fn hundred_thousand_names_are_fast() {
        let surnames = ["张", "王", "欧阳", "曾", "单", "李", "尉迟", "Emily "];
        let given = ["伟", "小明", "娜娜", "强", "Wang", "长江", "静怡"];
        let names: Vec<String> = (0..100_000)
            .map(|i| {
                format!(
                    "{}{}",
                    surnames[i % surnames.len()],
                    given[i / 8 % given.len()]
                )
            })
            .collect();
        let start = std::time::Instant::now();
        let total: usize = names.iter().map(|n| romanize_name(n).full.len()).sum();
        let elapsed = start.elapsed();
        println!("100,000 names in {elapsed:?} ({total} bytes)");
        assert!(elapsed < std::time::Duration::from_secs(1));
    }

    /// Arbitrary strings weighted towards the characters the rules care about.
    fn interesting_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            prop::sample::select(vec![
                "张",
                "伟",
                "尉",
                "迟",
                "万",
                "俟",
                "单",
                "于",
                "曾",
                "吕",
                "长",
                "·",
                " ",
                "A",
                "z",
                "0",
                "９",
                "Ｑ",
                "é",
                "\u{2A6D6}",
                "-",
                "\u{3000}",
            ])
            .prop_map(str::to_owned),
            any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..16).prop_map(|v| v.concat())
    }

    fn check_shape(r: &Romanized) {
        assert!(
            r.full
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b' ')
        );
        assert!(
            r.initials
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        );
        assert!(r.initials.len() <= r.full.len());
        assert!(!r.full.starts_with(' ') && !r.full.ends_with(' ') && !r.full.contains("  "));
    }

    proptest! {
        #[test]
        fn arbitrary_unicode_gives_ascii(s in any::<String>()) {
            check_shape(&romanize_name(&s));
            check_shape(&romanize_text(&s));
        }

        #[test]
        fn interesting_text_gives_ascii(s in interesting_text()) {
            check_shape(&romanize_name(&s));
            check_shape(&romanize_text(&s));
        }

        #[test]
        fn deterministic(s in interesting_text()) {
            prop_assert_eq!(romanize_name(&s), romanize_name(&s));
            prop_assert_eq!(romanize_text(&s), romanize_text(&s));
        }

        #[test]
        fn surname_rules_only_touch_the_start(s in interesting_text()) {
            let prefixed = format!("x{s}");
            prop_assert_eq!(romanize_name(&prefixed), romanize_text(&prefixed));
        }

        #[test]
        fn pure_han_has_one_initial_per_character(s in "[张伟王明欧阳娜曾单]{0,12}") {
            let r = romanize_text(&s);
            prop_assert_eq!(r.initials.chars().count(), s.chars().count());
            prop_assert!(!r.full.contains(' '));
        }
    }
}
