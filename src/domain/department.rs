//! Departments form a tree: names unique among siblings, no cycles, and a
//! department with children cannot be removed. These rules are checked here,
//! before anything is written.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use super::chain::reaches;

use super::employee::{Employee, EmployeeId, Status};
use super::references::DepartmentUses;
use crate::tr;

/// Identifies a department; ids are never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DepartmentId(pub u64);

impl fmt::Display for DepartmentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A department record as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    pub id: DepartmentId,
    pub name: String,
    pub parent: Option<DepartmentId>,
    pub head: Option<Head>,
}

/// Who heads a department.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Head {
    /// An employee.
    Employee(EmployeeId),
    /// A name kept from a file of before heads were employees, which
    /// matched no one (or several): shown flagged until someone is chosen.
    Note(String),
}

impl Department {
    /// A one-line summary for the audit log; `head` is how the head reads
    /// (`E000001 周建国`), looked up by the caller.
    pub fn summary(&self, head: &str) -> String {
        let parent = self.parent.map_or("-".to_string(), |p| p.to_string());
        let head = if head.is_empty() { "-" } else { head };
        format!("name={} parent={} head={}", self.name, parent, head)
    }
}

/// One person as [`find_head`] looks at them.
#[derive(Clone, Copy, Debug)]
pub struct Candidate<'p> {
    pub id: EmployeeId,
    pub emp_no: &'p str,
    pub name: &'p str,
    pub department: DepartmentId,
    pub departed: bool,
}

impl<'p> Candidate<'p> {
    /// `employee` as [`find_head`] looks at them.
    pub fn of(employee: &'p Employee) -> Self {
        Candidate {
            id: employee.id,
            emp_no: &employee.emp_no,
            name: &employee.name,
            department: employee.department,
            departed: employee.status == Status::Departed,
        }
    }
}

/// The one employee among `people` whose number is `text`, or else whose
/// name it is among those who have not departed (several of that name:
/// the one of them in `within`, the department being headed, if any; none:
/// the one of that name in `within` who departed):
/// how a head typed in a form, or kept as a name by an older file, is
/// found. `Err` holds the numbers of the people it could be.
pub fn find_head<'p>(
    text: &str,
    within: Option<DepartmentId>,
    people: impl Iterator<Item = Candidate<'p>> + Clone,
) -> Result<Option<EmployeeId>, Vec<String>> {
    let text = text.trim();
    if let Some(person) = people.clone().find(|p| p.emp_no == text) {
        return Ok(Some(person.id));
    }
    let mut named: Vec<Candidate<'p>> = people
        .clone()
        .filter(|p| !p.departed && p.name == text)
        .collect();
    if named.is_empty() {
        // A head who has since left is still who headed it (shown flagged).
        named = people
            .filter(|p| p.name == text && Some(p.department) == within)
            .collect();
    }
    let inside: Vec<Candidate<'p>> = named
        .iter()
        .copied()
        .filter(|p| Some(p.department) == within)
        .collect();
    match (named.as_slice(), inside.as_slice()) {
        ([], _) => Ok(None),
        ([only], _) | (_, [only]) => Ok(Some(only.id)),
        (several, _) => Err(several.iter().map(|p| p.emp_no.to_string()).collect()),
    }
}

/// Longest department name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 60;

/// Why a change to the department tree is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DepartmentError {
    EmptyName,
    NameTooLong,
    BadCharacter,
    DuplicateName {
        name: String,
        parent: String,
    },
    Unknown(DepartmentId),
    Cycle {
        name: String,
        target: String,
    },
    /// Records still point at it (see [`DepartmentUses`]).
    InUse {
        name: String,
        uses: DepartmentUses,
    },
    /// People and goals cannot move to the department being removed.
    MoveToItself(String),
    /// The head given is no employee's number or name.
    NoSuchHead(String),
    /// Several people not departed have the name given as head.
    AmbiguousHead {
        name: String,
        emp_nos: String,
    },
}

impl fmt::Display for DepartmentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            DepartmentError::EmptyName => tr!("department.error.empty_name"),
            DepartmentError::NameTooLong => {
                tr!("department.error.name_too_long", max = MAX_NAME_CHARS)
            }
            DepartmentError::BadCharacter => tr!("department.error.bad_character"),
            DepartmentError::DuplicateName { name, parent } => {
                tr!(
                    "department.error.duplicate_name",
                    name = name,
                    parent = parent
                )
            }
            DepartmentError::Unknown(id) => tr!("department.error.unknown", id = id),
            DepartmentError::Cycle { name, target } => {
                tr!("department.error.cycle", name = name, target = target)
            }
            DepartmentError::InUse { name, uses } if uses.movable() => tr!(
                "department.error.in_use_movable",
                name = name,
                uses = uses.describe()
            ),
            DepartmentError::InUse { name, uses } => tr!(
                "department.error.in_use",
                name = name,
                uses = uses.describe()
            ),
            DepartmentError::MoveToItself(name) => {
                tr!("department.error.move_to_itself", name = name)
            }
            DepartmentError::NoSuchHead(text) => tr!("department.error.no_such_head", head = text),
            DepartmentError::AmbiguousHead { name, emp_nos } => tr!(
                "department.error.ambiguous_head",
                name = name,
                emp_nos = emp_nos
            ),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for DepartmentError {}

/// Trims a department name and checks its length and characters.
pub fn normalize_name(raw: &str) -> Result<String, DepartmentError> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(DepartmentError::EmptyName);
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(DepartmentError::NameTooLong);
    }
    if name.chars().any(|c| c.is_control() || c == '/') {
        return Err(DepartmentError::BadCharacter);
    }
    Ok(name)
}

/// The key under which sibling names must be unique: case-folded.
pub fn name_key(name: &str) -> String {
    name.to_lowercase()
}

/// An in-memory view of all departments, for validation and display.
#[derive(Clone, Debug, Default)]
pub struct DepartmentTree {
    by_id: BTreeMap<DepartmentId, Department>,
    children: BTreeMap<Option<DepartmentId>, Vec<DepartmentId>>,
}

/// A department placed in the depth-first display order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeRow<'a> {
    pub department: &'a Department,
    pub depth: usize,
}

impl DepartmentTree {
    pub fn new(departments: impl IntoIterator<Item = Department>) -> Self {
        let mut tree = DepartmentTree::default();
        for dept in departments {
            tree.by_id.insert(dept.id, dept);
        }
        for dept in tree.by_id.values() {
            tree.children.entry(dept.parent).or_default().push(dept.id);
        }
        let by_id = &tree.by_id;
        for siblings in tree.children.values_mut() {
            siblings.sort_by(|a, b| by_id[a].name.cmp(&by_id[b].name));
        }
        tree
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    pub fn get(&self, id: DepartmentId) -> Option<&Department> {
        self.by_id.get(&id)
    }

    pub fn children(&self, parent: Option<DepartmentId>) -> &[DepartmentId] {
        self.children.get(&parent).map_or(&[], Vec::as_slice)
    }

    /// The path from the top, e.g. `Acme / Sales / East`.
    pub fn path(&self, id: DepartmentId) -> String {
        let mut names = Vec::new();
        let mut seen = HashSet::new();
        let mut cursor = Some(id);
        while let Some(current) = cursor {
            if !seen.insert(current) {
                break;
            }
            match self.by_id.get(&current) {
                Some(dept) => {
                    names.push(dept.name.as_str());
                    cursor = dept.parent;
                }
                None => break,
            }
        }
        names.reverse();
        names.join(" / ")
    }

    fn parent_label(&self, parent: Option<DepartmentId>) -> String {
        parent.map_or_else(|| tr!("department.top_level"), |p| self.path(p))
    }

    /// True when `id` is `ancestor` or lies below it.
    pub fn is_within(&self, id: DepartmentId, ancestor: DepartmentId) -> bool {
        reaches(id, ancestor, |d| self.by_id.get(&d).and_then(|d| d.parent))
    }

    /// Every department in depth-first order with its depth, siblings by name.
    pub fn rows(&self) -> Vec<TreeRow<'_>> {
        let mut rows = Vec::with_capacity(self.by_id.len());
        let mut stack: Vec<(DepartmentId, usize)> = self
            .children(None)
            .iter()
            .rev()
            .map(|&id| (id, 0))
            .collect();
        while let Some((id, depth)) = stack.pop() {
            rows.push(TreeRow {
                department: &self.by_id[&id],
                depth,
            });
            stack.extend(
                self.children(Some(id))
                    .iter()
                    .rev()
                    .map(|&c| (c, depth + 1)),
            );
        }
        rows
    }

    /// Department `id`, or `Unknown`.
    pub fn require(&self, id: DepartmentId) -> Result<&Department, DepartmentError> {
        self.by_id.get(&id).ok_or(DepartmentError::Unknown(id))
    }

    fn check_unique(
        &self,
        name: &str,
        parent: Option<DepartmentId>,
        except: Option<DepartmentId>,
    ) -> Result<(), DepartmentError> {
        let key = name_key(name);
        let clash = self
            .children(parent)
            .iter()
            .filter(|&&id| Some(id) != except)
            .any(|id| name_key(&self.by_id[id].name) == key);
        if clash {
            return Err(DepartmentError::DuplicateName {
                name: name.to_string(),
                parent: self.parent_label(parent),
            });
        }
        Ok(())
    }

    /// Validates a new department; returns its normalised name.
    pub fn check_add(
        &self,
        name: &str,
        parent: Option<DepartmentId>,
    ) -> Result<String, DepartmentError> {
        let name = normalize_name(name)?;
        if let Some(parent) = parent {
            self.require(parent)?;
        }
        self.check_unique(&name, parent, None)?;
        Ok(name)
    }

    /// Validates a rename; returns the normalised name.
    pub fn check_rename(&self, id: DepartmentId, name: &str) -> Result<String, DepartmentError> {
        let dept = self.require(id)?;
        let name = normalize_name(name)?;
        self.check_unique(&name, dept.parent, Some(id))?;
        Ok(name)
    }

    /// Validates moving `id` under `new_parent` (None: to the top level).
    pub fn check_move(
        &self,
        id: DepartmentId,
        new_parent: Option<DepartmentId>,
    ) -> Result<(), DepartmentError> {
        let dept = self.require(id)?;
        if let Some(target) = new_parent {
            self.require(target)?;
            if self.is_within(target, id) {
                return Err(DepartmentError::Cycle {
                    name: dept.name.clone(),
                    target: self.path(target),
                });
            }
        }
        self.check_unique(&dept.name, new_parent, Some(id))
    }
}

/// Why a department reference found no single department.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FindError {
    NotFound(String),
    Ambiguous {
        reference: String,
        paths: Vec<String>,
    },
}

impl fmt::Display for FindError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            FindError::NotFound(reference) => {
                tr!("department.error.not_found_ref", reference = reference)
            }
            FindError::Ambiguous { reference, paths } => tr!(
                "department.error.ambiguous_ref",
                reference = reference,
                paths = paths.join("; ")
            ),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for FindError {}

/// Looks departments up by what people write: an id, a full path
/// (`Acme / Sales`, spacing and case ignored) or a name found only once.
/// Built once, then each lookup is a hash-map probe.
pub struct DepartmentFinder<'t> {
    tree: &'t DepartmentTree,
    by_path: std::collections::HashMap<String, DepartmentId>,
    by_name: std::collections::HashMap<String, Vec<DepartmentId>>,
}

/// The comparable form of a path or name: parts trimmed, spaces collapsed, lower case.
fn normal_reference(text: &str) -> String {
    text.split('/')
        .map(|part| {
            part.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        })
        .collect::<Vec<_>>()
        .join("/")
}

impl<'t> DepartmentFinder<'t> {
    pub fn new(tree: &'t DepartmentTree) -> Self {
        let mut by_path = std::collections::HashMap::new();
        let mut by_name: std::collections::HashMap<String, Vec<DepartmentId>> =
            std::collections::HashMap::new();
        for row in tree.rows() {
            let id = row.department.id;
            by_path.insert(normal_reference(&tree.path(id)), id);
            by_name
                .entry(normal_reference(&row.department.name))
                .or_default()
                .push(id);
        }
        DepartmentFinder {
            tree,
            by_path,
            by_name,
        }
    }

    pub fn find(&self, reference: &str) -> Result<DepartmentId, FindError> {
        let wanted = reference.trim();
        if let Ok(id) = wanted.parse::<u64>()
            && self.tree.get(DepartmentId(id)).is_some()
        {
            return Ok(DepartmentId(id));
        }
        let key = normal_reference(wanted);
        if let Some(&id) = self.by_path.get(&key) {
            return Ok(id);
        }
        match self.by_name.get(&key).map(Vec::as_slice) {
            Some([one]) => Ok(*one),
            Some(many) if !many.is_empty() => Err(FindError::Ambiguous {
                reference: wanted.to_string(),
                paths: many.iter().map(|&id| self.tree.path(id)).collect(),
            }),
            _ => Err(FindError::NotFound(wanted.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::dept;
    use proptest::prelude::*;

    fn sample() -> DepartmentTree {
        DepartmentTree::new([
            dept(1, "Acme", None),
            dept(2, "Sales", Some(1)),
            dept(3, "East", Some(2)),
            dept(4, "人力资源部", Some(1)),
        ])
    }

    #[test]
    fn references_find_by_id_path_or_unique_name() {
        let mut departments: Vec<Department> = sample()
            .rows()
            .iter()
            .map(|r| r.department.clone())
            .collect();
        departments.push(dept(5, "East", Some(4)));
        let tree = DepartmentTree::new(departments);
        let finder = DepartmentFinder::new(&tree);
        assert_eq!(finder.find("2"), Ok(DepartmentId(2)));
        assert_eq!(finder.find(" acme /  SALES / east "), Ok(DepartmentId(3)));
        assert_eq!(finder.find("人力资源部"), Ok(DepartmentId(4)));
        assert!(
            matches!(finder.find("East"), Err(FindError::Ambiguous { paths, .. }) if paths.len() == 2)
        );
        assert_eq!(finder.find("West"), Err(FindError::NotFound("West".into())));
    }

    #[test]
    fn names_are_normalised() {
        assert_eq!(normalize_name("  Sales   East "), Ok("Sales East".into()));
        assert_eq!(normalize_name(" "), Err(DepartmentError::EmptyName));
        assert_eq!(normalize_name("a/b"), Err(DepartmentError::BadCharacter));
        assert_eq!(
            normalize_name(&"长".repeat(61)),
            Err(DepartmentError::NameTooLong)
        );
    }

    #[test]
    fn sibling_names_are_unique_ignoring_case() {
        let tree = sample();
        assert!(matches!(
            tree.check_add("sales", Some(DepartmentId(1))),
            Err(DepartmentError::DuplicateName { .. })
        ));
        assert_eq!(
            tree.check_add("Sales", Some(DepartmentId(2))),
            Ok("Sales".into())
        );
        assert_eq!(
            tree.check_rename(DepartmentId(2), "SALES"),
            Ok("SALES".into())
        );
    }

    #[test]
    fn moving_under_own_subtree_is_a_cycle() {
        let tree = sample();
        assert!(matches!(
            tree.check_move(DepartmentId(2), Some(DepartmentId(3))),
            Err(DepartmentError::Cycle { .. })
        ));
        assert!(matches!(
            tree.check_move(DepartmentId(2), Some(DepartmentId(2))),
            Err(DepartmentError::Cycle { .. })
        ));
        assert_eq!(
            tree.check_move(DepartmentId(3), Some(DepartmentId(4))),
            Ok(())
        );
        assert_eq!(tree.check_move(DepartmentId(3), None), Ok(()));
    }

    #[test]
    fn rows_are_depth_first_and_paths_read_from_the_top() {
        let tree = sample();
        let rows: Vec<_> = tree
            .rows()
            .iter()
            .map(|r| (r.department.name.clone(), r.depth))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("Acme".to_string(), 0),
                ("Sales".to_string(), 1),
                ("East".to_string(), 2),
                ("人力资源部".to_string(), 1),
            ]
        );
        assert_eq!(tree.path(DepartmentId(3)), "Acme / Sales / East");
    }

    /// An operation tried against the tree in the property test.
    #[derive(Debug, Clone)]
    enum Op {
        Add(String, Option<u64>),
        Move(u64, Option<u64>),
        Remove(u64),
        Rename(u64, String),
    }

    fn op() -> impl Strategy<Value = Op> {
        let name = prop_oneof![Just("A"), Just("a"), Just("B"), Just("销售"), Just(" ")]
            .prop_map(String::from);
        let id = 1u64..12;
        let parent = proptest::option::of(1u64..12);
        prop_oneof![
            (name.clone(), parent.clone()).prop_map(|(n, p)| Op::Add(n, p)),
            (id.clone(), parent).prop_map(|(i, p)| Op::Move(i, p)),
            id.clone().prop_map(Op::Remove),
            (id, name).prop_map(|(i, n)| Op::Rename(i, n)),
        ]
    }

    /// Applies `op` when the tree accepts it, as the store would.
    fn apply(departments: &mut Vec<Department>, next_id: &mut u64, op: &Op) {
        let tree = DepartmentTree::new(departments.clone());
        match op {
            Op::Add(name, parent) => {
                if let Ok(name) = tree.check_add(name, parent.map(DepartmentId)) {
                    departments.push(dept(*next_id, &name, *parent));
                    *next_id += 1;
                }
            }
            Op::Move(id, parent) => {
                if tree
                    .check_move(DepartmentId(*id), parent.map(DepartmentId))
                    .is_ok()
                {
                    let d = departments.iter_mut().find(|d| d.id.0 == *id);
                    d.expect("checked").parent = parent.map(DepartmentId);
                }
            }
            Op::Remove(id) => {
                let id = DepartmentId(*id);
                if tree.get(id).is_some() && tree.children(Some(id)).is_empty() {
                    departments.retain(|d| d.id != id);
                }
            }
            Op::Rename(id, name) => {
                if let Ok(name) = tree.check_rename(DepartmentId(*id), name) {
                    let d = departments.iter_mut().find(|d| d.id.0 == *id);
                    d.expect("checked").name = name;
                }
            }
        }
    }

    proptest! {
        /// Whatever sequence of accepted operations: every department is reached
        /// from the top exactly once (no cycles, no orphans) and sibling names
        /// stay unique.
        #[test]
        fn accepted_operations_keep_the_tree_sound(ops in proptest::collection::vec(op(), 0..60)) {
            let mut departments = Vec::new();
            let mut next_id = 1;
            for op in &ops {
                apply(&mut departments, &mut next_id, op);
            }
            let tree = DepartmentTree::new(departments.clone());
            let rows = tree.rows();
            prop_assert_eq!(rows.len(), departments.len());
            let mut seen = HashSet::new();
            for row in &rows {
                prop_assert!(seen.insert(row.department.id));
            }
            for d in &departments {
                let mut names: Vec<_> = tree
                    .children(Some(d.id))
                    .iter()
                    .map(|c| name_key(&tree.get(*c).expect("child").name))
                    .collect();
                let before = names.len();
                names.sort();
                names.dedup();
                prop_assert_eq!(names.len(), before);
            }
        }
    }

    fn person(id: u64, emp_no: &'static str, name: &'static str, dept: u64) -> Candidate<'static> {
        Candidate {
            id: EmployeeId(id),
            emp_no,
            name,
            department: DepartmentId(dept),
            departed: false,
        }
    }

    #[test]
    fn a_head_is_found_by_number_then_by_a_name_one_person_has() {
        let people = [
            person(1, "E1", "周建国", 1),
            person(2, "E2", "王磊", 2),
            person(3, "E3", "王磊", 3),
        ];
        let find = |text, within| find_head(text, within, people.iter().copied());
        assert_eq!(find("E3", None), Ok(Some(EmployeeId(3))));
        assert_eq!(find("周建国", None), Ok(Some(EmployeeId(1))));
        assert_eq!(find("王磊", None), Err(vec!["E2".into(), "E3".into()]));
        assert_eq!(find("王磊", Some(DepartmentId(3))), Ok(Some(EmployeeId(3))));
        assert_eq!(find("李强", None), Ok(None));
        let gone = [Candidate {
            departed: true,
            ..person(4, "E4", "李强", 1)
        }];
        assert_eq!(find_head("李强", None, gone.iter().copied()), Ok(None));
        assert_eq!(
            find_head("李强", Some(DepartmentId(1)), gone.iter().copied()),
            Ok(Some(EmployeeId(4))),
            "who headed it and left"
        );
        assert_eq!(
            find_head("E4", None, gone.iter().copied()),
            Ok(Some(EmployeeId(4)))
        );
    }
}
