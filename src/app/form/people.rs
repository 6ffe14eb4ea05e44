//! The people a form's employee fields (manager, department head, rater,
//! a goal's owner, an account's holder …) find: every employee the operator
//! may see, read once when such a field is first typed into by name, each
//! findable by number in any case, by name and by pinyin (see `seek`).

use std::rc::Rc;

use foldhash::HashMap;

use crate::domain::department::DepartmentId;
use crate::domain::employee::{EmployeeId, Status};
use crate::search::{Index, Kind, Query, Rank};
use crate::service::{OpError, Session};
use crate::tr;

/// One person as an employee field shows and finds them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub id: EmployeeId,
    pub emp_no: String,
    pub name: String,
    /// Their department's own name.
    pub department: String,
    pub status: Status,
}

impl Person {
    /// Who they are, as the pick list shows them: `E000008 解明 · 华南大区`
    /// (a departed person marked so).
    pub fn label(&self) -> String {
        who(
            Some(&self.emp_no),
            &self.name,
            &self.department,
            self.status,
        )
    }

    /// Who they are beside a field holding `text`: their number too
    /// unless that is what the field holds.
    pub fn beside(&self, text: &str) -> String {
        let number = (self.emp_no != text.trim()).then_some(self.emp_no.as_str());
        who(number, &self.name, &self.department, self.status)
    }
}

/// `E000008 解明 · 华南大区` (without a number: `解明 · 华南大区`), with
/// ` · departed` for someone who left.
pub fn who(emp_no: Option<&str>, name: &str, department: &str, status: Status) -> String {
    let mut label = match emp_no {
        Some(emp_no) => format!("{emp_no} {name}"),
        None => name.to_string(),
    };
    if !department.is_empty() {
        label.push_str(" · ");
        label.push_str(department);
    }
    if status == Status::Departed {
        label.push_str(" · ");
        label.push_str(&status.label());
    }
    label
}

/// Every employee the operator may see, in number order, with their
/// numbers and names indexed for search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct People {
    people: Vec<Person>,
    index: Index,
}

/// The kinds of the fields a person is found by: number, name.
const PERSON_FIELDS: &[Kind] = &[Kind::Code, Kind::Name];

/// What the text of an employee field names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Named<'p> {
    /// Nobody: no number, name or pinyin fits.
    Nobody,
    /// The person with that number (any case), or the one person of that name.
    One(&'p Person),
    /// Several people it could be, best first.
    Several(Vec<&'p Person>),
}

impl People {
    /// Reads everyone `session`'s operator may see.
    pub fn read(session: &Session) -> Result<People, OpError> {
        let mut departments: HashMap<DepartmentId, String> = HashMap::default();
        let mut people = Vec::new();
        session.each_visible_employee(|tree, e| {
            let department = departments
                .entry(e.department)
                .or_insert_with(|| {
                    tree.get(e.department)
                        .map(|d| d.name.clone())
                        .unwrap_or_default()
                })
                .clone();
            people.push(Person {
                id: e.id,
                emp_no: e.emp_no.to_string(),
                name: e.name.to_string(),
                department,
                status: e.status,
            });
        })?;
        Ok(People::new(people))
    }

    /// These people, put in number order and indexed.
    pub fn new(mut people: Vec<Person>) -> People {
        people.sort_by(|a, b| a.emp_no.cmp(&b.emp_no));
        let mut index = Index::new(PERSON_FIELDS);
        for person in &people {
            index.push([person.emp_no.as_str(), &person.name]);
        }
        People { people, index }
    }

    pub fn len(&self) -> usize {
        self.people.len()
    }

    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    /// The person whose number is `text`, in any case (an exact match first).
    pub fn by_number(&self, text: &str) -> Option<&Person> {
        let text = text.trim();
        self.people.iter().find(|p| p.emp_no == text).or_else(|| {
            self.people
                .iter()
                .find(|p| p.emp_no.eq_ignore_ascii_case(text))
        })
    }

    /// Everyone `typed` finds, best first: by rank, then those still
    /// employed before those who left, then by number. Text with a digit
    /// in it is the start of a number (no name or pinyin holds one): those
    /// numbers are found by where they sort, without looking at everyone.
    pub fn matching(&self, typed: &str) -> Vec<&Person> {
        if typed.chars().any(|c| c.is_ascii_digit()) {
            let numbered = self.numbered(typed);
            if !numbered.is_empty() {
                return numbered;
            }
        }
        let query = Query::new(typed);
        if query.is_empty() {
            return Vec::new();
        }
        let mut ranks = Vec::new();
        self.index.rank(&query, None, &mut ranks);
        let mut found: Vec<(Rank, bool, &Person)> = self
            .people
            .iter()
            .zip(ranks)
            .filter_map(|(p, rank)| {
                let rank = Rank::from_code(rank)?;
                Some((rank, p.status == Status::Departed, p))
            })
            .collect();
        // Stable: equal ranks stay in number order.
        found.sort_by_key(|&(rank, departed, _)| (rank, departed));
        found.into_iter().map(|(_, _, p)| p).collect()
    }

    /// The people whose numbers start with `typed` (in capitals, as
    /// numbers are kept), those still employed first.
    fn numbered(&self, typed: &str) -> Vec<&Person> {
        let prefix = typed.trim().to_uppercase();
        let start = self
            .people
            .partition_point(|p| p.emp_no.as_str() < prefix.as_str());
        let mut found: Vec<&Person> = self.people[start..]
            .iter()
            .take_while(|p| p.emp_no.starts_with(&prefix))
            .collect();
        found.sort_by_key(|p| p.status == Status::Departed);
        found
    }

    /// What `text` names: the person with that number in any case; else
    /// the one person whose name it is exactly (among several of that
    /// name, the one still employed, if only one is); else nobody, or
    /// everyone it could mean, to pick from.
    pub fn named(&self, text: &str) -> Named<'_> {
        let text = text.trim();
        if text.is_empty() {
            return Named::Nobody;
        }
        if let Some(person) = self.by_number(text) {
            return Named::One(person);
        }
        let called: Vec<&Person> = self.people.iter().filter(|p| p.name == text).collect();
        let employed: Vec<&Person> = called
            .iter()
            .copied()
            .filter(|p| p.status != Status::Departed)
            .collect();
        match (called.as_slice(), employed.as_slice()) {
            ([], _) => match self.matching(text) {
                found if found.is_empty() => Named::Nobody,
                found => Named::Several(found),
            },
            ([only], _) | (_, [only]) => Named::One(only),
            (several, _) => Named::Several(several.to_vec()),
        }
    }
}

/// Why the text of an employee field names no one person, for its error.
pub fn not_one(typed: &str, named: &Named<'_>) -> Option<String> {
    let typed = typed.trim();
    match named {
        Named::One(_) => None,
        Named::Nobody => Some(tr!("form.person.nobody", typed = typed)),
        Named::Several(people) => {
            const SHOWN: usize = 3;
            let mut some: Vec<String> = people.iter().take(SHOWN).map(|p| p.label()).collect();
            if people.len() > SHOWN {
                some.push(tr!("form.person.more", count = people.len() - SHOWN));
            }
            Some(tr!(
                "form.person.pick",
                typed = typed,
                people = some.join("; ")
            ))
        }
    }
}

/// The people forms find, read when an employee field first needs them
/// and kept, form after form, until people change (this console's writes
/// or another's: see `App::spread`); what is saved is checked again by the
/// service.
#[derive(Clone, Default)]
pub struct PeopleCache(Option<Rc<People>>);

impl PeopleCache {
    /// Forgets them: read again when next needed.
    pub fn clear(&mut self) {
        self.0 = None;
    }

    /// The people, read through `session` the first time.
    pub fn get(&mut self, session: &Session) -> Result<Rc<People>, OpError> {
        if let Some(people) = &self.0 {
            return Ok(Rc::clone(people));
        }
        let people = Rc::new(People::read(session)?);
        self.0 = Some(Rc::clone(&people));
        Ok(people)
    }
}

/// Two forms are alike whatever they have read.
impl PartialEq for PeopleCache {
    fn eq(&self, _: &PeopleCache) -> bool {
        true
    }
}

impl Eq for PeopleCache {}

impl std::fmt::Debug for PeopleCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some(people) => write!(f, "PeopleCache({} read)", people.len()),
            None => write!(f, "PeopleCache(unread)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(n: u64, name: &str, status: Status) -> Person {
        let emp_no = format!("E{n:06}");
        Person {
            id: EmployeeId(n),
            emp_no,
            name: name.into(),
            department: String::new(),
            status,
        }
    }

    #[test]
    fn the_start_of_a_number_finds_those_numbers_employed_first() {
        let people = People::new(vec![
            person(9, "解明", Status::Active),
            person(10, "仇方", Status::Departed),
            person(11, "区伟", Status::Active),
            person(100, "朴敏", Status::Active),
        ]);
        let numbers = |typed: &str| -> Vec<&str> {
            people
                .matching(typed)
                .iter()
                .map(|p| p.emp_no.as_str())
                .collect()
        };
        assert_eq!(numbers("e00001"), ["E000011", "E000010"]);
        assert_eq!(numbers("E0001"), ["E000100"]);
        assert_eq!(numbers("xieming"), ["E000009"], "a name is still a name");
    }
}
