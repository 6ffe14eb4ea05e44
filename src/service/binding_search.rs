//! Finding bindings by what people remember of them: any part of the
//! account id, the visible ends of a masked one included (`Xk3`, or
//! `o6_W****Xk3` as the screen shows it), or the employee's number, name
//! or name in pinyin (full, `zhangwei`, or initials, `zw`). Case is
//! ignored. One pass over the staff and one over the bindings, in id order.

use foldhash::{HashMap, HashSet};

use super::{OpError, Session};
use crate::domain::binding::BindingId;
use crate::domain::cleanup::clean_text;
use crate::domain::pinyin::{Romanized, romanize_name};

/// What an account id must look like to match a search.
enum AccountPattern {
    /// Holds the text anywhere.
    Part(String),
    /// A masked id: begins with `head` and ends with `tail` (either may be empty).
    Ends { head: String, tail: String },
}

impl AccountPattern {
    fn new(wanted: &str) -> Self {
        match wanted.find('*') {
            None => AccountPattern::Part(wanted.to_string()),
            Some(start) => {
                let end = wanted.rfind('*').map_or(wanted.len(), |at| at + 1);
                AccountPattern::Ends {
                    head: wanted[..start].to_string(),
                    tail: wanted[end..].to_string(),
                }
            }
        }
    }

    /// Whether `account` (in lower case) matches.
    fn matches(&self, account: &str) -> bool {
        match self {
            AccountPattern::Part(part) => account.contains(part.as_str()),
            AccountPattern::Ends { head, tail } => {
                account.len() >= head.len() + tail.len()
                    && account.starts_with(head.as_str())
                    && account.ends_with(tail.as_str())
            }
        }
    }
}

/// Whether a person's number, name or pinyin holds `wanted` (lower case);
/// pinyin is worked out once per distinct name, and only for a search in
/// Latin letters.
struct PersonMatcher {
    wanted: String,
    pinyin: bool,
    /// Each distinct name's pinyin without spaces, and its initials.
    romanized: HashMap<String, (String, String)>,
}

impl PersonMatcher {
    fn new(wanted: &str) -> Self {
        PersonMatcher {
            wanted: wanted.replace(' ', ""),
            pinyin: wanted.chars().all(|c| c.is_ascii_alphabetic() || c == ' '),
            romanized: HashMap::default(),
        }
    }

    fn matches(&mut self, emp_no: &str, name: &str) -> bool {
        let wanted = self.wanted.as_str();
        if emp_no.to_lowercase().contains(wanted) || name.to_lowercase().contains(wanted) {
            return true;
        }
        if !self.pinyin {
            return false;
        }
        let (full, initials) = self.romanized.entry(name.to_string()).or_insert_with(|| {
            let Romanized { full, initials } = romanize_name(name);
            (full.replace(' ', ""), initials)
        });
        full.contains(wanted) || initials.starts_with(wanted)
    }
}

impl Session {
    /// The bindings a search names, in id order: those whose account id
    /// matches it, and those of every employee it names.
    pub fn search_bindings(&self, text: &str) -> Result<Vec<BindingId>, OpError> {
        let wanted = clean_text(text).trim().to_lowercase();
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        let account = AccountPattern::new(&wanted);
        let mut person = PersonMatcher::new(&wanted);
        let mut people = HashSet::default();
        self.each_visible_employee(|_, e| {
            if person.matches(e.emp_no, e.name) {
                people.insert(e.id);
            }
        })?;
        let mut ids = Vec::new();
        self.each_binding(|view| {
            if people.contains(&view.employee) || account.matches(&view.external_id.to_lowercase())
            {
                ids.push(view.id);
            }
        })?;
        Ok(ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_matches_any_part_or_its_visible_ends() {
        let id = "o6_wabcdefgh12xk3";
        for typed in ["xk3", "abcdef", "o6_w****xk3", "o6_w*", "*xk3", "o6_w"] {
            assert!(AccountPattern::new(typed).matches(id), "{typed}");
        }
        for typed in ["xk4", "o7_w****xk3", "o6_w****xk4", "zzz*"] {
            assert!(!AccountPattern::new(typed).matches(id), "{typed}");
        }
        assert!(
            !AccountPattern::new("abc****abc").matches("abc"),
            "the ends may not overlap"
        );
    }

    #[test]
    fn a_person_matches_by_number_name_or_pinyin() {
        let mut m = PersonMatcher::new("zhangwei");
        assert!(m.matches("E0001", "张伟"));
        assert!(!m.matches("E0002", "李娜"));
        let mut m = PersonMatcher::new("zw");
        assert!(m.matches("E0001", "张伟"));
        let mut m = PersonMatcher::new("e0002");
        assert!(m.matches("E0002", "李娜"));
        let mut m = PersonMatcher::new("李");
        assert!(m.matches("E0002", "李娜"));
        let mut m = PersonMatcher::new("zhang wei");
        assert!(
            m.matches("E0001", "张伟"),
            "spaces between syllables are ignored"
        );
    }
}
