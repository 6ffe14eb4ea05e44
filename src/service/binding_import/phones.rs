//! Finding the employee a provider's export means by mobile phone, for a
//! row without an employee number: the phone is read as staff phones are
//! (`+86 138-0013-8000` is `13800138000`) and must be the phone of exactly
//! one staff record, departed people included (their rows are refused as
//! departed, not bound to someone else).

use foldhash::HashMap;

use super::super::{OpError, Session};
use crate::domain::cleanup::parse_phone;
use crate::domain::employee::EmployeeId;
use crate::tr;

/// Every staff record's phone, read once per import when a row needs it.
pub(super) struct PhoneBook {
    /// The people with each phone: id and employee number.
    people: HashMap<String, Vec<(EmployeeId, String)>>,
}

impl PhoneBook {
    /// The phones of everyone on file (the caller may import bindings, so
    /// sees all staff).
    pub(super) fn of(session: &Session) -> Result<Self, OpError> {
        let mut people: HashMap<String, Vec<(EmployeeId, String)>> = HashMap::default();
        session.store().each_employee(|e| {
            if let Ok(phone) = parse_phone(e.phone) {
                people
                    .entry(phone)
                    .or_default()
                    .push((e.id, e.emp_no.to_string()));
            }
        })?;
        Ok(PhoneBook { people })
    }

    /// The one employee with the phone `text`, or why there is none.
    pub(super) fn find(&self, text: &str) -> Result<EmployeeId, String> {
        let phone = parse_phone(text).map_err(|err| err.to_string())?;
        match self.people.get(&phone).map(Vec::as_slice) {
            None | Some([]) => Err(tr!("binding_import.phone_unknown", phone = phone)),
            Some([(id, _)]) => Ok(*id),
            Some(many) => {
                let numbers: Vec<&str> = many.iter().map(|(_, emp_no)| emp_no.as_str()).collect();
                Err(tr!(
                    "binding_import.phone_ambiguous",
                    phone = phone,
                    count = many.len(),
                    emp_nos = numbers.join(", ")
                ))
            }
        }
    }
}
