//! Departments on disk: records by id, unique by their name under their
//! parent (a declared secondary key), and id allocation from a counter
//! that never goes back.

use super::Store;
use super::codec;
use super::codec::Record;
use super::error::{self, StoreError};
use super::tables::{self, DEPARTMENT_BY_NAME, DEPARTMENTS, EMPLOYEES, department_name_key};
use super::writer::Writer;
use crate::domain::change::EntityKey;
use crate::domain::department::{Candidate, Department, DepartmentId, Head, find_head};
use crate::tr;

impl Record for Department {
    /// Version 2: the head is an employee (or a flagged note).
    const VERSION: u16 = 2;

    /// Version 1 kept the head as a name: read as a note, which the
    /// upgrade to schema 10 links to the employee it names.
    fn from_older(version: u16, payload: &[u8]) -> Option<Result<Self, String>> {
        (version == 1).then(|| {
            let old: DepartmentV1 = codec::decode_payload(payload)?;
            Ok(Department {
                id: old.id,
                name: old.name,
                parent: old.parent,
                head: old.head.map(Head::Note),
            })
        })
    }
}

/// A department as layout version 1 kept it.
#[derive(serde::Deserialize)]
struct DepartmentV1 {
    id: DepartmentId,
    name: String,
    parent: Option<DepartmentId>,
    head: Option<String>,
}

/// The counter department ids are drawn from.
const COUNTER: &str = "department";

fn not_found(id: DepartmentId) -> StoreError {
    StoreError::not_found("department", id)
}

impl Store {
    /// All departments, by id.
    pub fn departments(&self) -> Result<Vec<Department>, StoreError> {
        self.read(|txn| DEPARTMENTS.all(txn))
    }

    /// The department with `id`, if it exists.
    pub fn department(&self, id: DepartmentId) -> Result<Option<Department>, StoreError> {
        self.read(|txn| DEPARTMENTS.get(txn, &id.0))
    }
}

impl Writer<'_> {
    /// Every department as this transaction sees them.
    pub fn all_departments(&self) -> Result<Vec<Department>, StoreError> {
        DEPARTMENTS.all(self.txn)
    }

    /// Stores a new department under a fresh id. The caller validated the name.
    pub fn add_department(
        &mut self,
        name: &str,
        parent: Option<DepartmentId>,
        head: Option<Head>,
    ) -> Result<Department, StoreError> {
        self.require_parent(parent)?;
        let dept = Department {
            id: DepartmentId(tables::next_id(self.txn, COUNTER)?),
            name: name.to_string(),
            parent,
            head,
        };
        self.store_department(&dept)?;
        self.touch(EntityKey::Department(dept.id));
        Ok(dept)
    }

    /// Replaces the stored department with `dept.id` (rename, move, new head);
    /// returns it as it was before.
    pub fn update_department(&mut self, dept: &Department) -> Result<Department, StoreError> {
        self.require_parent(dept.parent)?;
        let before = self
            .store_department(dept)?
            .ok_or_else(|| not_found(dept.id))?;
        self.touch(EntityKey::Department(dept.id));
        Ok(before)
    }

    /// Links every department whose head is a note to the one employee the
    /// note names (see [`find_head`]); returns each department it changed,
    /// as it was and as it is now. The caller writes the audit entries.
    pub fn link_department_heads(&mut self) -> Result<Vec<(Department, Department)>, StoreError> {
        let notes: Vec<Department> = self
            .all_departments()?
            .into_iter()
            .filter(|d| matches!(d.head, Some(Head::Note(_))))
            .collect();
        if notes.is_empty() {
            return Ok(Vec::new());
        }
        let people = EMPLOYEES.all(self.txn)?;
        let mut linked = Vec::new();
        for before in notes {
            let Some(Head::Note(name)) = &before.head else {
                continue;
            };
            if let Ok(Some(id)) = find_head(name, Some(before.id), people.iter().map(Candidate::of))
            {
                let after = Department {
                    head: Some(Head::Employee(id)),
                    ..before.clone()
                };
                self.update_department(&after)?;
                linked.push((before, after));
            }
        }
        Ok(linked)
    }

    /// Deletes the department with `id` and returns it. Its id is never reused.
    pub fn remove_department(&mut self, id: DepartmentId) -> Result<Department, StoreError> {
        let removed = DEPARTMENTS
            .take(self.txn, &id.0)?
            .ok_or_else(|| not_found(id))?;
        self.touch(EntityKey::Department(id));
        Ok(removed)
    }

    /// The id of the department called `name` (ignoring case) under `parent`.
    pub fn department_id_by_name(
        &self,
        parent: Option<DepartmentId>,
        name: &str,
    ) -> Result<Option<DepartmentId>, StoreError> {
        let key = department_name_key(parent.map_or(0, |p| p.0), name);
        Ok(DEPARTMENTS
            .holder(self.txn, DEPARTMENT_BY_NAME, &key)?
            .map(DepartmentId))
    }

    fn require_parent(&self, parent: Option<DepartmentId>) -> Result<(), StoreError> {
        match parent {
            Some(parent) => match DEPARTMENTS.get(self.txn, &parent.0)? {
                Some(_) => Ok(()),
                None => Err(not_found(parent)),
            },
            None => Ok(()),
        }
    }

    /// Stores `dept`, unless another department has its name under its
    /// parent; returns what it replaced.
    fn store_department(&self, dept: &Department) -> Result<Option<Department>, StoreError> {
        DEPARTMENTS
            .put(self.txn, &dept.id.0, dept)
            .map_err(|err| match err {
                StoreError::Taken { .. } => StoreError::Duplicate {
                    name: dept.name.clone(),
                    parent: dept
                        .parent
                        .map_or_else(|| tr!("store.top_level"), error::department),
                },
                other => other,
            })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;
    use crate::domain::audit::AuditRecord;
    use crate::domain::department::name_key;
    use crate::store::keys::IndexKey;
    use crate::store::test_support::{add, at, new_file_store};

    /// Name index contents: (parent id or 0, folded name) → id.
    type Index = BTreeMap<(u64, String), u64>;

    /// The index as stored, and the index the departments table implies.
    fn stored_and_derived_index(store: &Store) -> (Index, Index) {
        let departments = store.departments().expect("departments");
        let derived: Index = departments
            .iter()
            .map(|d| ((d.parent.map_or(0, |p| p.0), name_key(&d.name)), d.id.0))
            .collect();
        let stored = store
            .read(|txn| {
                let mut stored = Index::new();
                for d in &departments {
                    let parent = d.parent.map_or(0, |p| p.0);
                    let key = department_name_key(parent, &d.name);
                    if let Some(id) = DEPARTMENTS.holder(txn, DEPARTMENT_BY_NAME, &key)? {
                        stored.insert((parent, name_key(&d.name)), id);
                    }
                }
                let entries = DEPARTMENTS.keys_by(txn, DEPARTMENT_BY_NAME, &IndexKey::new())?;
                assert_eq!(entries.len(), stored.len(), "no stray index entries");
                Ok(stored)
            })
            .expect("index");
        (stored, derived)
    }

    fn change(store: &Store, f: impl FnOnce(&mut Writer<'_>) -> Result<(), StoreError>) {
        let _ = store.write("alice", at(9), |w| {
            f(w)?;
            w.audit(AuditRecord::new("department.change", "department", "-"))
        });
    }

    #[test]
    fn ids_are_never_reused_after_removal() {
        let (_dir, path, store) = new_file_store();
        let first = add(&store, "Sales", None);
        let second = add(&store, "Legal", None);
        change(&store, |w| w.remove_department(second.id).map(drop));
        drop(store);
        let store = Store::open(&path).expect("reopen");
        let third = add(&store, "Legal", None);
        assert_eq!((first.id.0, second.id.0, third.id.0), (1, 2, 3));
    }

    #[test]
    fn rename_and_move_keep_the_name_index_right() {
        let (_dir, _path, store) = new_file_store();
        let acme = add(&store, "Acme", None);
        let sales = add(&store, "Sales", Some(acme.id));
        let renamed = Department {
            name: "Revenue".into(),
            ..sales.clone()
        };
        let moved = Department {
            parent: None,
            ..renamed.clone()
        };
        store
            .write("alice", at(3), |w| {
                assert_eq!(w.update_department(&renamed)?, sales);
                assert_eq!(w.update_department(&moved)?, renamed);
                assert_eq!(w.department_id_by_name(None, "REVENUE")?, Some(sales.id));
                assert_eq!(w.department_id_by_name(Some(acme.id), "Sales")?, None);
                assert_eq!(w.department_id_by_name(Some(acme.id), "Revenue")?, None);
                w.audit(AuditRecord::new("department.move", "department", sales.id))
            })
            .expect("write");
        let (stored, derived) = stored_and_derived_index(&store);
        assert_eq!(stored, derived);
    }

    #[test]
    fn index_clashes_and_unknown_ids_are_refused() {
        let (_dir, _path, store) = new_file_store();
        let sales = add(&store, "Sales", None);
        let legal = add(&store, "Legal", None);
        let clash = store.write("alice", at(3), |w| w.add_department("SALES", None, None));
        assert!(matches!(clash, Err(StoreError::Duplicate { .. })));
        let rename = Department {
            name: "sales".into(),
            ..legal
        };
        let clash = store.write("alice", at(3), |w| w.update_department(&rename));
        assert!(matches!(clash, Err(StoreError::Duplicate { .. })));
        let orphan = store.write("alice", at(3), |w| {
            w.add_department("East", Some(DepartmentId(99)), None)
        });
        assert!(matches!(orphan, Err(StoreError::NotFound { .. })));
        let gone = store.write("alice", at(3), |w| w.remove_department(DepartmentId(99)));
        assert!(matches!(gone, Err(StoreError::NotFound { .. })));
        assert_eq!(store.department(sales.id).expect("read"), Some(sales));
    }

    /// A change tried against the store in the property test.
    #[derive(Debug, Clone)]
    enum Op {
        Add(&'static str, Option<u64>),
        Rename(u64, &'static str),
        Move(u64, Option<u64>),
        Remove(u64),
    }

    fn op() -> impl Strategy<Value = Op> {
        let name = prop_oneof![Just("A"), Just("a"), Just("B"), Just("销售")];
        let id = 1u64..10;
        let parent = proptest::option::of(1u64..10);
        prop_oneof![
            (name.clone(), parent.clone()).prop_map(|(n, p)| Op::Add(n, p)),
            (id.clone(), name).prop_map(|(i, n)| Op::Rename(i, n)),
            (id.clone(), parent).prop_map(|(i, p)| Op::Move(i, p)),
            id.prop_map(Op::Remove),
        ]
    }

    fn apply(w: &mut Writer<'_>, op: &Op) -> Result<(), StoreError> {
        let found = |w: &Writer<'_>, id: u64| {
            DEPARTMENTS
                .get(w.txn, &id)?
                .ok_or_else(|| not_found(DepartmentId(id)))
        };
        match op {
            Op::Add(name, parent) => w
                .add_department(name, parent.map(DepartmentId), None)
                .map(drop),
            Op::Rename(id, name) => {
                let dept = found(w, *id)?;
                let name = (*name).to_string();
                w.update_department(&Department { name, ..dept }).map(drop)
            }
            Op::Move(id, parent) => {
                let dept = found(w, *id)?;
                let parent = parent.map(DepartmentId);
                w.update_department(&Department { parent, ..dept })
                    .map(drop)
            }
            Op::Remove(id) => w.remove_department(DepartmentId(*id)).map(drop),
        }
    }

    proptest! {
        /// Whatever mix of accepted and refused changes: the index equals the
        /// one derived from the departments table.
        #[test]
        fn the_name_index_always_matches_the_departments(
            ops in proptest::collection::vec(op(), 0..40)
        ) {
            let store = Store::in_memory("alice", at(0)).expect("store");
            for op in &ops {
                change(&store, |w| apply(w, op));
            }
            let (stored, derived) = stored_and_derived_index(&store);
            prop_assert_eq!(stored, derived);
        }
    }
}
