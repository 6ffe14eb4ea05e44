//! HR-software selection as an operator works on it: projects and their
//! vendors added, changed and removed, a vendor chosen, and the actual
//! spend of each quarter recorded. hr and admin change them; viewers read
//! them too. Every change writes its audit entry in its own transaction.

use super::{OpError, Session};
use crate::app::access::Permission;
use crate::domain::audit::AuditRecord;
use crate::domain::employee::format_money;
use crate::domain::vendor::rules::{RuleError, check_project, check_vendor, checked_name};
use crate::domain::vendor::{Project, ProjectId, QuarterSpend, Vendor, VendorId};

/// A project as one audit-log line.
fn project_summary(project: &Project) -> String {
    format!(
        "name={} headcount={} budget={} horizon={} growth={}",
        project.name,
        project.headcount,
        format_money(project.annual_budget),
        project.horizon_years,
        project.growth_pct
    )
}

/// A quarter's spend as one audit-log line.
fn spend_summary(spend: &QuarterSpend) -> String {
    format!(
        "year={} quarter={} amount={}",
        spend.year,
        spend.quarter,
        format_money(spend.amount)
    )
}

/// A vendor as one audit-log line.
fn vendor_summary(vendor: &Vendor) -> String {
    format!(
        "name={} project={} price={} implementation={}",
        vendor.name,
        vendor.project,
        format_money(vendor.pricing.amount()),
        format_money(vendor.implementation)
    )
}

impl Session {
    /// Every selection project, by id.
    pub fn vendor_projects(&self) -> Result<Vec<Project>, OpError> {
        self.require(Permission::ViewVendors)?;
        Ok(self.store().vendor_projects()?)
    }

    /// The project with `id`.
    pub fn vendor_project(&self, id: ProjectId) -> Result<Project, OpError> {
        self.require(Permission::ViewVendors)?;
        self.store()
            .vendor_project(id)?
            .ok_or_else(|| RuleError::UnknownProject(id.to_string()).into())
    }

    /// The vendors of a project, by id.
    pub fn vendors_of(&self, project: ProjectId) -> Result<Vec<Vendor>, OpError> {
        self.require(Permission::ViewVendors)?;
        Ok(self.store().vendors_of(project)?)
    }

    /// The project's name checked against the other projects'.
    fn project_name(&self, project: &Project) -> Result<String, OpError> {
        let others = self.store().vendor_projects()?;
        let others = others
            .iter()
            .filter(|p| p.id != project.id)
            .map(|p| p.name.as_str());
        Ok(checked_name(&project.name, others)?)
    }

    /// Starts a selection project (its id is assigned).
    pub fn add_vendor_project(&self, project: Project) -> Result<Project, OpError> {
        self.require(Permission::EditVendors)?;
        let project = Project {
            id: ProjectId(0),
            name: self.project_name(&project)?,
            chosen: None,
            ..project
        };
        check_project(&project)?;
        self.write(|w| {
            let added = w.add_vendor_project(&project)?;
            w.audit(
                AuditRecord::new("vendor_project.add", "vendor_project", added.id)
                    .after(project_summary(&added)),
            )?;
            Ok(added)
        })
    }

    /// Replaces a project's profile, criteria and bands.
    pub fn update_vendor_project(&self, project: Project) -> Result<Project, OpError> {
        self.require(Permission::EditVendors)?;
        let project = Project {
            name: self.project_name(&project)?,
            ..project
        };
        check_project(&project)?;
        self.write(|w| {
            let before = w.update_vendor_project(&project)?;
            w.audit(
                AuditRecord::new("vendor_project.edit", "vendor_project", project.id)
                    .before(project_summary(&before))
                    .after(project_summary(&project)),
            )?;
            Ok(project.clone())
        })
    }

    /// The vendor's name checked against the project's other vendors'.
    fn vendor_name(&self, vendor: &Vendor) -> Result<String, OpError> {
        self.vendor_project(vendor.project)?;
        let others = self.store().vendors_of(vendor.project)?;
        let others = others
            .iter()
            .filter(|v| v.id != vendor.id)
            .map(|v| v.name.as_str());
        Ok(checked_name(&vendor.name, others)?)
    }

    /// Adds a vendor to its project (its id is assigned).
    pub fn add_vendor(&self, vendor: Vendor) -> Result<Vendor, OpError> {
        self.require(Permission::EditVendors)?;
        let vendor = Vendor {
            id: VendorId(0),
            name: self.vendor_name(&vendor)?,
            ..vendor
        };
        check_vendor(&vendor)?;
        self.write(|w| {
            let added = w.add_vendor(&vendor)?;
            w.audit(
                AuditRecord::new("vendor.add", "vendor", added.id).after(vendor_summary(&added)),
            )?;
            Ok(added)
        })
    }

    /// Replaces what is known of a vendor.
    pub fn update_vendor(&self, vendor: Vendor) -> Result<Vendor, OpError> {
        self.require(Permission::EditVendors)?;
        let vendor = Vendor {
            name: self.vendor_name(&vendor)?,
            ..vendor
        };
        check_vendor(&vendor)?;
        self.write(|w| {
            let before = w.update_vendor(&vendor)?;
            w.audit(
                AuditRecord::new("vendor.edit", "vendor", vendor.id)
                    .before(vendor_summary(&before))
                    .after(vendor_summary(&vendor)),
            )?;
            Ok(vendor.clone())
        })
    }

    /// Removes a vendor from its project (not the chosen one).
    pub fn remove_vendor(&self, id: VendorId) -> Result<Vendor, OpError> {
        self.require(Permission::EditVendors)?;
        let chosen = self
            .store()
            .vendor_projects()?
            .iter()
            .any(|p| p.chosen == Some(id));
        if chosen {
            return Err(RuleError::ChosenVendor(id.to_string()).into());
        }
        self.write(|w| {
            let removed = w.remove_vendor(id)?;
            w.audit(
                AuditRecord::new("vendor.remove", "vendor", id).before(vendor_summary(&removed)),
            )?;
            Ok(removed)
        })
    }

    /// Records the vendor chosen for a project.
    pub fn choose_vendor(&self, project: ProjectId, vendor: VendorId) -> Result<Project, OpError> {
        self.require(Permission::EditVendors)?;
        let stored = self.vendor_project(project)?;
        if !self
            .store()
            .vendors_of(project)?
            .iter()
            .any(|v| v.id == vendor)
        {
            return Err(RuleError::UnknownVendor(vendor.to_string()).into());
        }
        let chosen = Project {
            chosen: Some(vendor),
            ..stored
        };
        self.write(|w| {
            w.update_vendor_project(&chosen)?;
            w.audit(
                AuditRecord::new("vendor_project.choose", "vendor_project", project)
                    .after(format!("vendor={vendor}")),
            )?;
            Ok(chosen.clone())
        })
    }

    /// Records (or corrects) a quarter's actual spend on the chosen vendor.
    pub fn record_spend(&self, project: ProjectId, spend: QuarterSpend) -> Result<(), OpError> {
        self.require(Permission::EditVendors)?;
        self.vendor_project(project)?;
        self.write(|w| {
            let before = w.put_spend(project, &spend)?;
            let mut record = AuditRecord::new("vendor.spend", "vendor_project", project)
                .after(spend_summary(&spend));
            if let Some(before) = before {
                record = record.before(spend_summary(&before));
            }
            w.audit(record)?;
            Ok(())
        })
    }
}
