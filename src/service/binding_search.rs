//! Finding bindings by what people remember of them, as they type: any
//! part of the account id, the visible ends of a masked one (`Xk3`, or
//! `o6_W****Xk3` as the screen shows it), or the employee's number, name
//! or name in pinyin. The bindings are indexed once (one pass over the
//! staff and one over the bindings); each keystroke then ranks them with
//! the search engine of every list, best first.

use foldhash::HashMap;

use super::{OpError, Progress, Session};
use crate::domain::binding::BindingId;
use crate::domain::cleanup::clean_text;
use crate::domain::employee::EmployeeId;
use crate::search::{Index, Kind, Query, Rank};

/// The fields a binding is found by: its account id, its employee's
/// number and name (empty for someone the operator may not see).
const FIELDS: &[Kind] = &[Kind::Code, Kind::Code, Kind::Name];

/// What an account id must look like to match a masked search.
struct MaskedEnds {
    head: String,
    tail: String,
}

impl MaskedEnds {
    /// The ends of `wanted` around its `*`s, if it has any.
    fn of(wanted: &str) -> Option<Self> {
        let start = wanted.find('*')?;
        let end = wanted.rfind('*').map_or(wanted.len(), |at| at + 1);
        Some(MaskedEnds {
            head: wanted[..start].to_string(),
            tail: wanted[end..].to_string(),
        })
    }

    /// Whether `account` (in lower case) matches.
    fn matches(&self, account: &str) -> bool {
        account.len() >= self.head.len() + self.tail.len()
            && account.starts_with(self.head.as_str())
            && account.ends_with(self.tail.as_str())
    }
}

/// Every binding, indexed for search, in id order.
#[derive(Debug, Default)]
pub struct BindingFinder {
    ids: Vec<BindingId>,
    index: Index,
}

impl BindingFinder {
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The bindings `text` finds, best first (ties in id order).
    pub fn find(&self, text: &str) -> Vec<BindingId> {
        let wanted = clean_text(text).trim().to_lowercase();
        if wanted.is_empty() {
            return Vec::new();
        }
        if let Some(ends) = MaskedEnds::of(&wanted) {
            return self
                .index
                .items_where(0, |account| ends.matches(account))
                .into_iter()
                .map(|i| self.ids[i])
                .collect();
        }
        let mut ranks = Vec::new();
        self.index.rank(&Query::new(&wanted), None, &mut ranks);
        let mut found: Vec<(Rank, usize)> = ranks
            .iter()
            .enumerate()
            .filter_map(|(i, &rank)| Some((Rank::from_code(rank)?, i)))
            .collect();
        found.sort_unstable();
        found.into_iter().map(|(_, i)| self.ids[i]).collect()
    }
}

impl Session {
    /// Indexes every binding for search, counting them on `progress`.
    pub fn binding_finder(&self, progress: &Progress) -> Result<BindingFinder, OpError> {
        let mut people: HashMap<EmployeeId, (String, String)> = HashMap::default();
        self.each_visible_employee(|_, e| {
            people.insert(e.id, (e.emp_no.to_string(), e.name.to_string()));
        })?;
        progress.start(usize::try_from(self.binding_count()?).unwrap_or(0));
        let mut finder = BindingFinder {
            ids: Vec::new(),
            index: Index::new(FIELDS),
        };
        let none = (String::new(), String::new());
        self.each_binding(|view| {
            let (emp_no, name) = people.get(&view.employee).unwrap_or(&none);
            finder.ids.push(view.id);
            finder.index.push([view.external_id, emp_no.as_str(), name]);
            progress.advance();
        })?;
        progress.check()?;
        Ok(finder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finder(rows: &[(u64, &str, &str, &str)]) -> BindingFinder {
        let mut finder = BindingFinder {
            ids: Vec::new(),
            index: Index::new(FIELDS),
        };
        for &(id, account, emp_no, name) in rows {
            finder.ids.push(BindingId(id));
            finder.index.push([account, emp_no, name]);
        }
        finder
    }

    fn found(finder: &BindingFinder, typed: &str) -> Vec<u64> {
        finder.find(typed).into_iter().map(|id| id.0).collect()
    }

    #[test]
    fn an_account_is_found_by_any_part_or_its_visible_ends() {
        let bindings = finder(&[
            (1, "o6_wABCDEFGH12Xk3", "E0001", "张伟"),
            (2, "xk3_other", "E0002", "李娜"),
        ]);
        assert_eq!(
            found(&bindings, "xk3"),
            [2, 1],
            "the start before the inside"
        );
        assert_eq!(found(&bindings, "abcdef"), [1]);
        for typed in ["o6_w****xk3", "o6_W*", "*Xk3"] {
            assert_eq!(found(&bindings, typed), [1], "{typed}");
        }
        for typed in ["o7_w****xk3", "o6_w****xk4", "zzz*"] {
            assert!(found(&bindings, typed).is_empty(), "{typed}");
        }
        let short = finder(&[(1, "abc", "", "")]);
        assert!(
            found(&short, "abc****abc").is_empty(),
            "the ends may not overlap"
        );
    }

    #[test]
    fn a_person_is_found_by_number_name_or_pinyin() {
        let bindings = finder(&[(1, "acct1", "E0001", "张伟"), (2, "acct2", "E0002", "李娜")]);
        assert_eq!(found(&bindings, "zhangwei"), [1]);
        assert_eq!(found(&bindings, "zhang wei"), [1]);
        assert_eq!(found(&bindings, "zw"), [1]);
        assert_eq!(found(&bindings, "e0002"), [2]);
        assert_eq!(found(&bindings, "李"), [2]);
        assert!(found(&bindings, "  ").is_empty());
    }
}
