//! HR-software selection on disk: the projects, their vendors, and the
//! actual spend quarter by quarter, each on the vendor it was paid to (one
//! record per quarter, replaced when corrected). Older layouts are read in
//! `vendors_older.rs`.

use super::Store;
use super::codec::{self, Record};
use super::error::StoreError;
use super::tables::{self, AUDIT_LOG, VENDOR_PROJECTS, VENDOR_SPEND, VENDORS, log_key};
use super::vendors_older::{self, ProjectV1, QuarterSpendV1, UNATTRIBUTED};
use super::writer::Writer;
use crate::domain::change::EntityKey;
use crate::domain::vendor::{Project, ProjectId, QuarterSpend, Vendor, VendorId};

impl Record for Project {
    /// Version 2: each benefit and cost has its scale; the project says
    /// what a vendor not piloted comes to, when the implementation falls
    /// due, which cost lines rise, and the quarter the chosen vendor's plan
    /// starts.
    const VERSION: u16 = 2;

    fn from_older(version: u16, payload: &[u8]) -> Option<Result<Self, String>> {
        (version == 1).then(|| Ok(codec::decode_payload::<ProjectV1>(payload)?.into()))
    }
}

impl Record for Vendor {
    const VERSION: u16 = 1;
}

impl Record for QuarterSpend {
    /// Version 2: the vendor it was paid to.
    const VERSION: u16 = 2;

    fn from_older(version: u16, payload: &[u8]) -> Option<Result<Self, String>> {
        (version == 1).then(|| Ok(codec::decode_payload::<QuarterSpendV1>(payload)?.into()))
    }
}

/// The key of a project's spend in one quarter.
fn spend_key(project: ProjectId, spend: &QuarterSpend) -> u128 {
    log_key(
        project.0,
        u32::from(spend.year) * 4 + u32::from(spend.quarter),
    )
}

impl Store {
    /// Every selection project, by id.
    pub fn vendor_projects(&self) -> Result<Vec<Project>, StoreError> {
        self.read(|txn| VENDOR_PROJECTS.all(txn))
    }

    pub fn vendor_project(&self, id: ProjectId) -> Result<Option<Project>, StoreError> {
        self.read(|txn| VENDOR_PROJECTS.get(txn, &id.0))
    }

    /// The vendor with `id`.
    pub fn vendor(&self, id: VendorId) -> Result<Option<Vendor>, StoreError> {
        self.read(|txn| VENDORS.get(txn, &id.0))
    }

    /// The vendors of `project`, by id.
    pub fn vendors_of(&self, project: ProjectId) -> Result<Vec<Vendor>, StoreError> {
        self.read(|txn| {
            let all = VENDORS.all(txn)?;
            Ok(all.into_iter().filter(|v| v.project == project).collect())
        })
    }

    /// The actual spend of `project`, by year and quarter, each on the
    /// vendor it was paid to.
    pub fn spend_of(&self, project: ProjectId) -> Result<Vec<QuarterSpend>, StoreError> {
        self.read(|txn| VENDOR_SPEND.log(txn, project.0))
    }
}

impl Writer<'_> {
    /// Stores a new project under a fresh id.
    pub fn add_vendor_project(&mut self, project: &Project) -> Result<Project, StoreError> {
        self.touch(EntityKey::Vendors);
        let stored = Project {
            id: ProjectId(tables::next_id(self.txn, "vendor_project")?),
            ..project.clone()
        };
        VENDOR_PROJECTS.put(self.txn, &stored.id.0, &stored)?;
        Ok(stored)
    }

    /// Replaces the stored project; returns it as it was.
    pub fn update_vendor_project(&mut self, project: &Project) -> Result<Project, StoreError> {
        self.touch(EntityKey::Vendors);
        VENDOR_PROJECTS
            .put(self.txn, &project.id.0, project)?
            .ok_or_else(|| StoreError::not_found("vendor_project", project.id))
    }

    /// Stores a new vendor under a fresh id.
    pub fn add_vendor(&mut self, vendor: &Vendor) -> Result<Vendor, StoreError> {
        self.touch(EntityKey::Vendors);
        let stored = Vendor {
            id: VendorId(tables::next_id(self.txn, "vendor")?),
            ..vendor.clone()
        };
        VENDORS.put(self.txn, &stored.id.0, &stored)?;
        Ok(stored)
    }

    /// Replaces the stored vendor; returns it as it was.
    pub fn update_vendor(&mut self, vendor: &Vendor) -> Result<Vendor, StoreError> {
        self.touch(EntityKey::Vendors);
        VENDORS
            .put(self.txn, &vendor.id.0, vendor)?
            .ok_or_else(|| StoreError::not_found("vendor", vendor.id))
    }

    /// Removes a vendor from its project; returns it.
    pub fn remove_vendor(&mut self, id: VendorId) -> Result<Vendor, StoreError> {
        self.touch(EntityKey::Vendors);
        VENDORS
            .take(self.txn, &id.0)?
            .ok_or_else(|| StoreError::not_found("vendor", id))
    }

    /// Gives spend kept before spend named its vendor to the vendor chosen
    /// when it was recorded (as the audit log tells; the vendor chosen now
    /// where it does not), rewriting it in today's layout; returns how many
    /// quarters. The upgrade to schema 11 does this once.
    pub(crate) fn attribute_old_spend(&mut self) -> Result<usize, StoreError> {
        let mut entries = None;
        let mut attributed = 0;
        for project in VENDOR_PROJECTS.all(self.txn)? {
            let mut spends = VENDOR_SPEND.log(self.txn, project.id.0)?;
            if !spends.iter().any(|s| s.vendor == UNATTRIBUTED) {
                continue;
            }
            if entries.is_none() {
                entries = Some(AUDIT_LOG.all(self.txn)?);
            }
            let log = entries.as_deref().unwrap_or_default();
            vendors_older::attribute(log, project.id, project.chosen, &mut spends);
            for spend in &spends {
                self.put_spend(project.id, spend)?;
            }
            attributed += spends.len();
        }
        Ok(attributed)
    }

    /// Records a quarter's actual spend; returns what it replaced.
    pub fn put_spend(
        &mut self,
        project: ProjectId,
        spend: &QuarterSpend,
    ) -> Result<Option<QuarterSpend>, StoreError> {
        self.touch(EntityKey::Vendors);
        VENDOR_SPEND.put(self.txn, &spend_key(project, spend), spend)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::audit::AuditRecord;
    use crate::domain::vendor::case::retail_case;
    use crate::store::test_support::{at, new_file_store};

    /// The retail case's project and one of its vendors renamed.
    fn vendor(project: ProjectId, name: &str) -> Vendor {
        Vendor {
            id: VendorId(0),
            project,
            name: name.into(),
            ..retail_case().1[0].clone()
        }
    }

    #[test]
    fn projects_vendors_and_spend_survive_a_reopen() {
        let (_dir, path, store) = new_file_store();
        let stored = store
            .write("hr", at(1), |w| {
                let p = w.add_vendor_project(&retail_case().0)?;
                w.add_vendor(&vendor(p.id, "A"))?;
                w.add_vendor(&vendor(p.id, "B"))?;
                let spend = QuarterSpend {
                    vendor: VendorId(1),
                    year: 1,
                    quarter: 2,
                    amount: 2_100_000,
                };
                w.put_spend(p.id, &spend)?;
                let corrected = QuarterSpend {
                    amount: 2_000_000,
                    ..spend
                };
                assert_eq!(w.put_spend(p.id, &corrected)?, Some(spend));
                w.audit(AuditRecord::new("vendor.test", "vendor", "*"))?;
                Ok(p)
            })
            .expect("write");
        drop(store);
        let store = Store::open(&path).expect("reopen");
        assert_eq!(
            store.vendor_projects().expect("projects"),
            vec![stored.clone()]
        );
        let vendors = store.vendors_of(stored.id).expect("vendors");
        assert_eq!(vendors.len(), 2);
        assert_eq!(vendors[1].name, "B");
        assert!(store.vendors_of(ProjectId(99)).expect("none").is_empty());
        let spend = store.spend_of(stored.id).expect("spend");
        assert_eq!(spend.len(), 1, "a correction replaces the quarter");
        assert_eq!(spend[0].amount, 2_000_000);
    }
}
