//! HR-software selection as an operator works on it: projects and their
//! vendors added, changed and removed, a vendor chosen (never a knocked-out
//! one; switching starts the new vendor's plan after the last quarter paid
//! to the one before, whose spend stays its own), and the actual spend of
//! each quarter recorded on the chosen vendor. hr and admin change them;
//! viewers read them too. Every change writes its audit entry, with names,
//! in its own transaction.

use super::revisions::unchanged_since;
use super::{OpError, Session};
use crate::domain::audit::AuditRecord;
use crate::domain::change::{EntityKey, Revision};
use crate::domain::employee::format_money;
use crate::domain::vendor::ahp::{self, AhpWeights};
use crate::domain::vendor::budget::{Projection, QuarterLine};
use crate::domain::vendor::rules::{RuleError, check_project, check_vendor, checked_name};
use crate::domain::vendor::scorecard::Scorecard;
use crate::domain::vendor::text::criteria_text;
use crate::domain::vendor::{CriterionKind, budget, scorecard};
use crate::domain::vendor::{Project, ProjectId, Quarter, QuarterSpend, Vendor, VendorId};
use crate::service::access::Permission;
use crate::store::{StoreError, Writer};

/// `name` checked against the names `other` gives of `items` (none for
/// the item being named itself).
fn name_among<T>(
    name: &str,
    items: &[T],
    other: impl Fn(&T) -> Option<&str>,
) -> Result<String, RuleError> {
    checked_name(name, items.iter().filter_map(other))
}

/// Everything the Vendors pane and the export show of one project: its
/// vendors scored and ranked, each one's costs year by year, and the chosen
/// vendor's plan quarter by quarter against what was spent.
#[derive(Clone, Debug, PartialEq)]
pub struct VendorReport {
    pub project: Project,
    pub vendors: Vec<Vendor>,
    pub scorecard: Scorecard,
    /// One per vendor, in `vendors`' order.
    pub projections: Vec<Projection>,
    /// The chosen vendor's quarters from the one it was chosen from; empty
    /// until a vendor is chosen.
    pub plan: Vec<QuarterLine>,
    /// Spend paid to vendors chosen before the chosen one: each vendor's
    /// total, by vendor.
    pub spent_elsewhere: Vec<(VendorId, i64)>,
}

impl VendorReport {
    /// A vendor's name (its id when it is no longer in the project).
    pub fn vendor_name(&self, id: VendorId) -> String {
        self.vendors
            .iter()
            .find(|v| v.id == id)
            .map_or_else(|| id.to_string(), |v| v.name.clone())
    }

    /// The cost projection of `vendor`.
    pub fn projection(&self, vendor: VendorId) -> Option<&Projection> {
        self.projections.iter().find(|p| p.vendor == vendor)
    }
}

/// A project as one audit-log line: its profile, criteria with their
/// scales, and settings.
fn project_summary(project: &Project) -> String {
    let rising: Vec<&str> = project
        .escalation
        .lines()
        .into_iter()
        .filter_map(|(line, rises)| rises.then_some(line))
        .collect();
    let due: Vec<String> = project
        .implementation_quarters
        .iter()
        .map(|q| format!("Q{q}"))
        .collect();
    format!(
        "name={} headcount={} budget={} horizon={} growth={} criteria={} unpiloted={} implementation={} escalation={}",
        project.name,
        project.headcount,
        format_money(project.annual_budget),
        project.horizon_years,
        project.growth_pct,
        criteria_text(&project.criteria),
        project.unpiloted.code(),
        due.join(","),
        rising.join(",")
    )
}

/// A chosen vendor as one audit-log line (`vendor=V1` first, by which
/// older spend is attributed).
fn choice_summary(vendor: Option<&Vendor>, from: Quarter) -> String {
    vendor.map_or_else(String::new, |v| {
        format!("vendor={} name={} from={from}", v.id, v.name)
    })
}

/// Each other vendor's total of `spends`, by vendor.
fn spent_elsewhere(spends: &[QuarterSpend], chosen: Option<VendorId>) -> Vec<(VendorId, i64)> {
    let mut totals: Vec<(VendorId, i64)> = Vec::new();
    for spend in spends.iter().filter(|s| Some(s.vendor) != chosen) {
        match totals.iter_mut().find(|(v, _)| *v == spend.vendor) {
            Some((_, total)) => *total = total.saturating_add(spend.amount),
            None => totals.push((spend.vendor, spend.amount)),
        }
    }
    totals.sort_by_key(|(v, _)| *v);
    totals
}

/// A quarter's spend on the vendor named `vendor` as one audit-log line.
fn spend_summary(spend: &QuarterSpend, vendor: &str) -> String {
    format!(
        "year={} quarter={} amount={} vendor={} name={vendor}",
        spend.year,
        spend.quarter,
        format_money(spend.amount),
        spend.vendor
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

/// Stores a new vendor with its audit entry.
impl Session {
    /// A write to the vendor selection, refused if anything in it changed
    /// since `revision` was read (the selection is one record for this:
    /// few people work on it, rarely at once).
    pub(super) fn write_vendors<T>(
        &self,
        revision: Revision,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T, StoreError>,
    ) -> Result<T, OpError> {
        self.write_checked(|w| {
            unchanged_since(w, &EntityKey::Vendors, revision)?;
            Ok(f(w)?)
        })
    }
}

pub(super) fn write_added(w: &mut Writer<'_>, vendor: &Vendor) -> Result<Vendor, StoreError> {
    let added = w.add_vendor(vendor)?;
    w.audit(AuditRecord::new("vendor.add", "vendor", added.id).after(vendor_summary(&added)))?;
    Ok(added)
}

/// Replaces a stored vendor, with its audit entry.
pub(super) fn write_updated(w: &mut Writer<'_>, vendor: &Vendor) -> Result<Vendor, StoreError> {
    let before = w.update_vendor(vendor)?;
    w.audit(
        AuditRecord::new("vendor.edit", "vendor", vendor.id)
            .before(vendor_summary(&before))
            .after(vendor_summary(vendor)),
    )?;
    Ok(vendor.clone())
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

    /// A project's vendors scored, their costs projected, and the chosen
    /// vendor's plan against the spend recorded.
    pub fn vendor_report(&self, id: ProjectId) -> Result<VendorReport, OpError> {
        let project = self.vendor_project(id)?;
        let vendors = self.store().vendors_of(id)?;
        let scorecard = scorecard::score(&project, &vendors).map_err(RuleError::from)?;
        let projections = vendors
            .iter()
            .map(|v| budget::projection(&project, v))
            .collect();
        let spends = self.store().spend_of(id)?;
        let plan = match budget::chosen_plan(&project, &vendors) {
            Some(plan) => {
                budget::plan_vs_actual(&project, &plan, &spends).map_err(RuleError::from)?
            }
            None => Vec::new(),
        };
        Ok(VendorReport {
            spent_elsewhere: spent_elsewhere(&spends, project.chosen),
            project,
            vendors,
            scorecard,
            projections,
            plan,
        })
    }

    /// The project's name checked against the other projects'.
    fn project_name(&self, project: &Project) -> Result<String, OpError> {
        let projects = self.store().vendor_projects()?;
        Ok(name_among(&project.name, &projects, |p| {
            (p.id != project.id).then_some(p.name.as_str())
        })?)
    }

    /// The project checked: its name unique among the projects, its numbers
    /// in range, its criteria and bands holding.
    fn checked_project(&self, project: Project) -> Result<Project, OpError> {
        let project = Project {
            name: self.project_name(&project)?,
            ..project
        };
        check_project(&project)?;
        scorecard::check(&project).map_err(RuleError::from)?;
        Ok(project)
    }

    /// Starts a selection project (its id is assigned).
    pub fn add_vendor_project(&self, project: Project) -> Result<Project, OpError> {
        let revision = self.store().revision(&EntityKey::Vendors)?;
        self.require(Permission::EditVendors)?;
        let project = self.checked_project(Project {
            id: ProjectId(0),
            chosen: None,
            ..project
        })?;
        self.write_vendors(revision, |w| {
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
        let revision = self.store().revision(&EntityKey::Vendors)?;
        self.require(Permission::EditVendors)?;
        let project = self.checked_project(project)?;
        self.write_vendors(revision, |w| {
            let before = w.update_vendor_project(&project)?;
            w.audit(
                AuditRecord::new("vendor_project.edit", "vendor_project", project.id)
                    .before(project_summary(&before))
                    .after(project_summary(&project)),
            )?;
            Ok(project.clone())
        })
    }

    /// The vendor checked against its project: the name unique among the
    /// project's vendors, the numbers in range, the ratings on its rubrics.
    fn checked_vendor(&self, vendor: Vendor) -> Result<Vendor, OpError> {
        let project = self.vendor_project(vendor.project)?;
        let vendor = Vendor {
            name: self.vendor_name(&vendor)?,
            ..vendor
        };
        check_vendor(&vendor, &project)?;
        Ok(vendor)
    }

    /// The vendor's name checked against the project's other vendors'.
    fn vendor_name(&self, vendor: &Vendor) -> Result<String, OpError> {
        let vendors = self.store().vendors_of(vendor.project)?;
        Ok(name_among(&vendor.name, &vendors, |v| {
            (v.id != vendor.id).then_some(v.name.as_str())
        })?)
    }

    /// Adds a vendor to its project (its id is assigned).
    pub fn add_vendor(&self, vendor: Vendor) -> Result<Vendor, OpError> {
        let revision = self.store().revision(&EntityKey::Vendors)?;
        self.require(Permission::EditVendors)?;
        let vendor = self.checked_vendor(Vendor {
            id: VendorId(0),
            ..vendor
        })?;
        self.write_vendors(revision, |w| write_added(w, &vendor))
    }

    /// Replaces what is known of a vendor.
    pub fn update_vendor(&self, vendor: Vendor) -> Result<Vendor, OpError> {
        let revision = self.store().revision(&EntityKey::Vendors)?;
        self.require(Permission::EditVendors)?;
        let vendor = self.checked_vendor(vendor)?;
        self.write_vendors(revision, |w| write_updated(w, &vendor))
    }

    /// Removes a vendor from its project (not the chosen one).
    pub fn remove_vendor(&self, id: VendorId) -> Result<Vendor, OpError> {
        let revision = self.store().revision(&EntityKey::Vendors)?;
        self.require(Permission::EditVendors)?;
        let chosen = self
            .store()
            .vendor_projects()?
            .iter()
            .any(|p| p.chosen == Some(id));
        if chosen {
            let name = self
                .store()
                .vendor(id)?
                .map_or_else(|| id.to_string(), |v| v.name);
            return Err(RuleError::ChosenVendor(name).into());
        }
        self.write_vendors(revision, |w| {
            let removed = w.remove_vendor(id)?;
            w.audit(
                AuditRecord::new("vendor.remove", "vendor", id).before(vendor_summary(&removed)),
            )?;
            Ok(removed)
        })
    }

    /// Derives the weights of a project's scored criteria from pairwise
    /// comparisons: `names` are the criteria compared, in the matrix's
    /// order, and must be exactly the project's scored criteria. Refused
    /// when the consistency ratio is above 0.10; kept unless `dry_run`.
    pub fn set_pairwise_weights(
        &self,
        project: ProjectId,
        names: &[String],
        matrix: &[Vec<f64>],
        dry_run: bool,
    ) -> Result<AhpWeights, OpError> {
        let revision = self.store().revision(&EntityKey::Vendors)?;
        self.require(Permission::EditVendors)?;
        let stored = self.vendor_project(project)?;
        let scored: Vec<&str> = stored
            .criteria
            .iter()
            .filter(|c| c.kind != CriterionKind::KnockOut)
            .map(|c| c.name.as_str())
            .collect();
        let mut wanted = scored.clone();
        wanted.sort_unstable();
        let mut given: Vec<&str> = names.iter().map(String::as_str).collect();
        given.sort_unstable();
        if wanted != given {
            return Err(RuleError::Compared {
                expected: scored.join(", "),
                found: names.join(", "),
            }
            .into());
        }
        let found = ahp::weights(matrix).map_err(RuleError::from)?;
        let hundredths = ahp::hundredths(&found.weights);
        let mut updated = stored.clone();
        for criterion in &mut updated.criteria {
            if let Some(at) = names.iter().position(|n| *n == criterion.name) {
                criterion.weight = hundredths[at] as f64 / 100.0;
            }
        }
        scorecard::check(&updated).map_err(RuleError::from)?;
        if !dry_run {
            self.write_vendors(revision, |w| {
                w.update_vendor_project(&updated)?;
                let weights: Vec<String> = updated
                    .criteria
                    .iter()
                    .map(|c| format!("{}:{}", c.name, c.weight))
                    .collect();
                w.audit(
                    AuditRecord::new("vendor_project.weights", "vendor_project", project)
                        .after(format!("cr={:.3} weights={}", found.cr, weights.join(";"))),
                )
            })?;
        }
        Ok(found)
    }

    /// Records the vendor chosen for a project. A knocked-out vendor (or
    /// one not piloted where the project requires a pilot) is refused by
    /// name; a vendor below the acceptance band is the caller's to ask
    /// about. Switching starts the new vendor's plan in the quarter after
    /// the last one with spend; that spend stays the earlier vendor's.
    pub fn choose_vendor(&self, project: ProjectId, vendor: VendorId) -> Result<Project, OpError> {
        let revision = self.store().revision(&EntityKey::Vendors)?;
        self.require(Permission::EditVendors)?;
        let stored = self.vendor_project(project)?;
        let vendors = self.store().vendors_of(project)?;
        let Some(candidate) = vendors.iter().find(|v| v.id == vendor) else {
            return Err(RuleError::UnknownVendor(vendor.to_string()).into());
        };
        let card = scorecard::score(&stored, &vendors).map_err(RuleError::from)?;
        if let Some(out) = card.disqualified.iter().find(|d| d.vendor == vendor) {
            return Err(RuleError::KnockedOut(out.explain()).into());
        }
        let chosen_from = match stored.chosen {
            Some(before) if before != vendor => self
                .store()
                .spend_of(project)?
                .iter()
                .map(|s| Quarter {
                    year: s.year,
                    quarter: s.quarter,
                })
                .max()
                .map_or(Quarter::FIRST, Quarter::next),
            _ => stored.chosen_from,
        };
        let previous = stored
            .chosen
            .and_then(|id| vendors.iter().find(|v| v.id == id));
        let before = choice_summary(previous, stored.chosen_from);
        let after = choice_summary(Some(candidate), chosen_from);
        let chosen = Project {
            chosen: Some(vendor),
            chosen_from,
            ..stored
        };
        self.write_vendors(revision, |w| {
            w.update_vendor_project(&chosen)?;
            let mut record =
                AuditRecord::new("vendor_project.choose", "vendor_project", project).after(after);
            if !before.is_empty() {
                record = record.before(before);
            }
            w.audit(record)?;
            Ok(chosen.clone())
        })
    }

    /// Records (or corrects) a quarter's actual spend on the chosen vendor;
    /// quarters before its plan starts were paid to the vendor chosen then.
    pub fn record_spend(
        &self,
        project: ProjectId,
        at: Quarter,
        amount: i64,
    ) -> Result<(), OpError> {
        let revision = self.store().revision(&EntityKey::Vendors)?;
        self.require(Permission::EditVendors)?;
        let stored = self.vendor_project(project)?;
        let Some(vendor) = stored.chosen else {
            return Err(RuleError::NoneChosen.into());
        };
        let name = self
            .store()
            .vendor(vendor)?
            .map_or_else(|| vendor.to_string(), |v| v.name);
        if at < stored.chosen_from {
            return Err(RuleError::BeforeChoice {
                vendor: name,
                from: stored.chosen_from,
            }
            .into());
        }
        let spend = QuarterSpend {
            vendor,
            year: at.year,
            quarter: at.quarter,
            amount,
        };
        let mut spends: Vec<QuarterSpend> = self
            .store()
            .spend_of(project)?
            .into_iter()
            .filter(|s| (s.year, s.quarter) != (spend.year, spend.quarter))
            .collect();
        spends.push(spend);
        budget::check_spends(&spends, stored.horizon_years).map_err(RuleError::from)?;
        self.write_vendors(revision, |w| {
            let before = w.put_spend(project, &spend)?;
            let mut record = AuditRecord::new("vendor.spend", "vendor_project", project)
                .after(spend_summary(&spend, &name));
            if let Some(before) = before {
                record = record.before(spend_summary(&before, &name));
            }
            w.audit(record)?;
            Ok(())
        })
    }
}
