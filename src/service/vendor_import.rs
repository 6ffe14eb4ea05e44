//! Importing a selection project's vendors from a sheet: every row is read
//! and checked first (names unique in the file, numbers and money in their
//! ranges, the words of lists, pricing and yes/no known), each problem with
//! its line and column; any problem and nothing is written. A clean sheet
//! is written in one transaction: a row naming a vendor of the project
//! (case ignored) updates it, keeping its demo, pilot and ratings; any
//! other row adds a vendor. hr and admin only (a refusal is logged).

use foldhash::HashMap;

use super::binding_import::once;
use super::score_import::{Resolver, SheetProblem};
use super::vendors::{write_added, write_updated};
use super::{OpError, Session};
use crate::domain::change::EntityKey;
use crate::domain::cleanup::{parse_money, parse_number};
use crate::domain::vendor::rules::{RuleError, check_vendor, checked_name};
use crate::domain::vendor::{
    Deployment, IndustryExperience, Integration, Pricing, Project, ProjectId, Vendor, VendorId,
};
use crate::import::{ImportError, SheetRow, VendorsColumn as Col};
use crate::service::access::Permission;
use crate::tr;

/// The result of checking (and perhaps writing) a vendors sheet.
#[derive(Clone, Debug, PartialEq)]
pub enum VendorsOutcome {
    /// Clean: how many vendors were (or, on a dry run, would be) added and updated.
    Clean {
        added: usize,
        updated: usize,
    },
    Problems(Vec<SheetProblem<Col>>),
}

/// What separates the items of a list cell.
const LIST_SEPARATOR: char = ';';

/// The items of a list cell, trimmed, empty ones dropped.
fn items(text: &str) -> impl Iterator<Item = &str> {
    text.split(LIST_SEPARATOR)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A list of known words, each read by `word`, or the first unknown one
/// reported by `unknown`.
fn words<T>(
    text: &str,
    word: fn(&str) -> Option<T>,
    unknown: fn(&str) -> String,
) -> Result<Vec<T>, String> {
    items(text)
        .map(|item| word(&item.to_lowercase()).ok_or_else(|| unknown(item)))
        .collect()
}

/// A deployment by its code, or 私有云 (private cloud).
fn deployment(word: &str) -> Option<Deployment> {
    [Deployment::Saas, Deployment::PrivateCloud]
        .into_iter()
        .find(|d| d.code() == word)
        .or((word == "\u{79c1}\u{6709}\u{4e91}").then_some(Deployment::PrivateCloud))
}

/// An integration by its code, or 考勤 (attendance).
fn integration(word: &str) -> Option<Integration> {
    [Integration::Erp, Integration::Oa, Integration::Attendance]
        .into_iter()
        .find(|i| i.code() == word)
        .or((word == "\u{8003}\u{52e4}").then_some(Integration::Attendance))
}

/// How a pricing word prices: `per_head` (按人头), `per_module` (按模块),
/// `flat` (固定).
fn pricing(word: &str) -> Option<fn(i64) -> Pricing> {
    let per_head: fn(i64) -> Pricing = |per_year| Pricing::PerHead { per_year };
    let per_module: fn(i64) -> Pricing = |per_year| Pricing::PerModule { per_year };
    let flat: fn(i64) -> Pricing = |per_year| Pricing::Flat { per_year };
    match word.trim().to_lowercase().as_str() {
        "per_head" | "\u{6309}\u{4eba}\u{5934}" => Some(per_head),
        "per_module" | "\u{6309}\u{6a21}\u{5757}" => Some(per_module),
        "flat" | "\u{56fa}\u{5b9a}" => Some(flat),
        _ => None,
    }
}

/// yes/no (是/否).
fn flag(text: &str) -> Result<bool, String> {
    match text.trim().to_lowercase().as_str() {
        "yes" | "y" | "\u{662f}" => Ok(true),
        "no" | "n" | "\u{5426}" => Ok(false),
        _ => Err(tr!("vendor_cli.import.flag", value = text)),
    }
}

fn number(text: &str) -> Result<f64, String> {
    parse_number(text).map_err(|e| e.to_string())
}

fn money(text: &str) -> Result<i64, String> {
    parse_money(text).map_err(|e| e.to_string())
}

/// A count: a whole number, 0 or more.
fn count(text: &str) -> Result<u32, String> {
    let value = number(text)?;
    let whole = value.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&value);
    whole
        .then_some(value as u32)
        .ok_or_else(|| tr!("vendor_cli.import.count", value = text))
}

/// Reads the cells of one row, noting each problem.
struct RowReader<'a, 's> {
    resolver: &'a mut Resolver<'s, Col>,
    row: &'a SheetRow<Col>,
    fine: bool,
}

impl RowReader<'_, '_> {
    /// The cell under `column` read by `parse`; None when empty, or when it
    /// is wrong (a problem noted).
    fn cell<T>(&mut self, column: Col, parse: impl FnOnce(&str) -> Result<T, String>) -> Option<T> {
        let parsed = parse(self.row.get(column)?);
        parsed.map_err(|message| self.problem(column, message)).ok()
    }

    /// [`Self::cell`], with the default when empty or wrong.
    fn or_default<T: Default>(
        &mut self,
        column: Col,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> T {
        self.cell(column, parse).unwrap_or_default()
    }

    /// A required cell read by `parse`.
    fn required<T>(
        &mut self,
        column: Col,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        if self.resolver.required(self.row, column).is_none() {
            self.fine = false;
        }
        self.cell(column, parse)
    }

    fn problem(&mut self, column: Col, message: String) {
        self.resolver.add(self.row.line, column, message);
        self.fine = false;
    }

    /// A list cell's items.
    fn list(&self, column: Col) -> Vec<String> {
        self.row
            .get(column)
            .map(|text| items(text).map(str::to_string).collect())
            .unwrap_or_default()
    }

    /// The experience in one industry (the project's unless named), when
    /// the row says anything of it.
    fn industries(&mut self, project: &Project) -> Vec<IndustryExperience> {
        let named = [Col::Industry, Col::IndustryYears, Col::ReferenceClients]
            .iter()
            .any(|&c| self.row.get(c).is_some());
        let experience = IndustryExperience {
            industry: self
                .row
                .get(Col::Industry)
                .unwrap_or(&project.industry)
                .to_string(),
            years: self.or_default(Col::IndustryYears, number),
            reference_clients: self.or_default(Col::ReferenceClients, count),
        };
        if named { vec![experience] } else { Vec::new() }
    }

    /// The vendor the row describes, on top of `base` (its demo, pilot and
    /// ratings kept); None when any cell is wrong.
    fn vendor(&mut self, project: &Project, base: Option<&Vendor>) -> Option<Vendor> {
        let name = self.required(Col::Name, |t| {
            checked_name(t, []).map_err(|e| e.to_string())
        });
        let model = self.required(Col::Pricing, |t| {
            pricing(t).ok_or_else(|| tr!("vendor_cli.import.pricing", value = t))
        });
        let price = self.required(Col::Price, money);
        let vendor = Vendor {
            id: base.map_or(VendorId(0), |b| b.id),
            project: project.id,
            name: name.unwrap_or_default(),
            deployments: self.or_default(Col::Deployments, |t| {
                words(t, deployment, |w| {
                    tr!("vendor_cli.import.deployment", value = w)
                })
            }),
            industries: self.industries(project),
            releases_per_year: self.or_default(Col::ReleasesPerYear, count),
            support_hours: self.or_default(Col::SupportHours, number),
            onsite_training: self.or_default(Col::OnsiteTraining, flag),
            modules: self.list(Col::Modules),
            integrations: self.or_default(Col::Integrations, |t| {
                words(t, integration, |w| {
                    tr!("vendor_cli.import.integration", value = w)
                })
            }),
            offers: self.list(Col::Offers),
            pricing: model
                .zip(price)
                .map_or(Pricing::Flat { per_year: 0 }, |(m, p)| m(p)),
            implementation: self.or_default(Col::Implementation, money),
            training_per_year: self.or_default(Col::TrainingPerYear, money),
            maintenance_per_year: self.or_default(Col::MaintenancePerYear, money),
            escalation_pct: self.or_default(Col::EscalationPct, number),
            demo: base.and_then(|b| b.demo.clone()),
            pilot: base.and_then(|b| b.pilot.clone()),
            ratings: base.map(|b| b.ratings.clone()).unwrap_or_default(),
        };
        self.ranges(vendor, project)
    }

    /// The vendor once its numbers are in range (a refusal noted at the
    /// column of the field at fault), when every cell was fine.
    fn ranges(&mut self, vendor: Vendor, project: &Project) -> Option<Vendor> {
        if !self.fine {
            return None;
        }
        match check_vendor(&vendor, project) {
            Ok(()) => Some(vendor),
            Err(err) => {
                let column = match &err {
                    RuleError::OutOfRange { field, .. } => Col::from_code(field),
                    _ => None,
                };
                self.problem(column.unwrap_or(Col::Name), err.to_string());
                None
            }
        }
    }
}

/// The key a vendor's name is matched by: trimmed, spaces collapsed, case ignored.
fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Session {
    /// Whether the operator may change vendors; a refusal is logged.
    pub fn may_edit_vendors(&self) -> Result<(), OpError> {
        self.require_logged(Permission::EditVendors, "vendor.import")
    }

    /// Checks a vendors sheet for `project` and, when clean and not a dry
    /// run, adds and updates its vendors in one transaction.
    pub fn import_vendors(
        &self,
        project: ProjectId,
        rows: impl Iterator<Item = Result<SheetRow<Col>, ImportError>>,
        dry_run: bool,
    ) -> Result<VendorsOutcome, OpError> {
        let revision = self.store().revision(&EntityKey::Vendors)?;
        self.may_edit_vendors()?;
        let project = self.vendor_project(project)?;
        let existing = self.store().vendors_of(project.id)?;
        let mut resolver = Resolver::<Col>::new(self)?;
        let mut seen: HashMap<String, usize> = HashMap::default();
        let mut vendors = Vec::new();
        for row in rows {
            let row = &row?;
            let key = row.get(Col::Name).map(name_key);
            let base = existing.iter().find(|v| Some(name_key(&v.name)) == key);
            let mut reader = RowReader {
                resolver: &mut resolver,
                row,
                fine: true,
            };
            let vendor = reader.vendor(&project, base);
            let first = key.is_none_or(|k| once(&mut resolver, &mut seen, k, row.line, Col::Name));
            if let (true, Some(vendor)) = (first, vendor) {
                vendors.push(vendor);
            }
        }
        if !resolver.problems.is_empty() {
            return Ok(VendorsOutcome::Problems(resolver.problems));
        }
        let updated = vendors.iter().filter(|v| v.id != VendorId(0)).count();
        if !dry_run {
            self.write_vendors(revision, |w| {
                vendors.iter().try_for_each(|v| {
                    let written = if v.id == VendorId(0) {
                        write_added(w, v)
                    } else {
                        write_updated(w, v)
                    };
                    written.map(drop)
                })
            })?;
        }
        Ok(VendorsOutcome::Clean {
            added: vendors.len() - updated,
            updated,
        })
    }
}
