//! Operators on disk: the OS users allowed into this database, keyed by user name.

use super::Store;
use super::codec::Record;
use super::error::StoreError;
use super::tables::OPERATORS;
use super::writer::Writer;
use crate::domain::change::EntityKey;
use crate::domain::operator::Operator;

impl Record for Operator {
    const VERSION: u16 = 1;
}

impl Store {
    /// All operators, by user name.
    pub fn operators(&self) -> Result<Vec<Operator>, StoreError> {
        self.read(|txn| OPERATORS.all(txn))
    }

    /// The operator with this OS user name, if any.
    pub fn operator(&self, user: &str) -> Result<Option<Operator>, StoreError> {
        self.read(|txn| OPERATORS.get(txn, user))
    }
}

impl Writer<'_> {
    /// Every operator as this transaction sees them (for rules checked
    /// inside it, such as "the last admin").
    pub fn all_operators(&self) -> Result<Vec<Operator>, StoreError> {
        OPERATORS.all(self.txn)
    }

    /// The operator `user` as this transaction sees it.
    pub fn operator_record(&self, user: &str) -> Result<Option<Operator>, StoreError> {
        OPERATORS.get(self.txn, user)
    }

    /// Adds the operator or replaces its role; returns the previous record.
    pub fn put_operator(&mut self, op: &Operator) -> Result<Option<Operator>, StoreError> {
        self.touch(EntityKey::Operator(op.user.clone()));
        OPERATORS.put(self.txn, &op.user, op)
    }

    /// Removes the operator; returns it if it existed.
    pub fn remove_operator(&mut self, user: &str) -> Result<Option<Operator>, StoreError> {
        self.touch(EntityKey::Operator(user.to_string()));
        OPERATORS.take(self.txn, user)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::audit::AuditRecord;
    use crate::domain::department::DepartmentId;
    use crate::domain::operator::{Operator, Role};
    use crate::store::test_support::{at, new_file_store};

    #[test]
    fn operators_are_put_replaced_and_removed() {
        let (_dir, _path, store) = new_file_store();
        let bob = Operator {
            user: "bob".into(),
            role: Role::Viewer,
        };
        let promoted = Operator {
            role: Role::Manager(DepartmentId(4)),
            ..bob.clone()
        };
        store
            .write("alice", at(2), |w| {
                assert_eq!(w.put_operator(&bob)?, None);
                assert_eq!(w.put_operator(&promoted)?, Some(bob.clone()));
                w.audit(AuditRecord::new("operator.put", "operator", "bob"))
            })
            .expect("write");
        assert_eq!(store.operator("bob").expect("read"), Some(promoted.clone()));
        let users: Vec<_> = store
            .operators()
            .expect("read")
            .into_iter()
            .map(|op| op.user)
            .collect();
        assert_eq!(users, ["alice", "bob"]);
        store
            .write("alice", at(3), |w| {
                assert_eq!(w.remove_operator("bob")?, Some(promoted.clone()));
                assert_eq!(w.remove_operator("bob")?, None);
                w.audit(AuditRecord::new("operator.remove", "operator", "bob"))
            })
            .expect("write");
        assert_eq!(store.operator("bob").expect("read"), None);
    }
}
