//! Vendor selection as layout version 1 kept it, read into today's shapes
//! with the behaviour it had as explicit settings: every benefit and cost
//! scored relative (min–max), the implementation spread over year 1's four
//! quarters, software and maintenance rising but not training; and spend
//! that did not yet name its vendor, given to the vendor chosen when it
//! was recorded, as the audit log tells.

use std::collections::HashMap;

use serde::Deserialize;

use crate::domain::audit::AuditEntry;
use crate::domain::vendor::scale::Scale;
use crate::domain::vendor::{
    Band, Criterion, CriterionKind, Deployment, Escalation, Measure, Project, ProjectId, Quarter,
    QuarterSpend, Unpiloted, VendorId,
};

/// The vendor of spend kept before spend named its vendor, until it is
/// attributed.
pub(super) const UNATTRIBUTED: VendorId = VendorId(0);

/// A project as layout version 1 kept it.
#[derive(Deserialize)]
pub(super) struct ProjectV1 {
    id: ProjectId,
    name: String,
    headcount: u32,
    industry: String,
    deployment: Deployment,
    modules: Vec<String>,
    annual_budget: i64,
    horizon_years: u8,
    growth_pct: f64,
    criteria: Vec<CriterionV1>,
    bands: Vec<Band>,
    chosen: Option<VendorId>,
}

/// A criterion as layout version 1 kept it: no scale.
#[derive(Deserialize)]
struct CriterionV1 {
    name: String,
    kind: CriterionKind,
    measure: Measure,
    weight: f64,
}

impl From<CriterionV1> for Criterion {
    fn from(old: CriterionV1) -> Criterion {
        let scaled = matches!(old.kind, CriterionKind::Benefit | CriterionKind::Cost);
        Criterion {
            name: old.name,
            kind: old.kind,
            measure: old.measure,
            weight: old.weight,
            scale: scaled.then_some(Scale::Relative),
        }
    }
}

impl From<ProjectV1> for Project {
    fn from(old: ProjectV1) -> Project {
        Project {
            id: old.id,
            name: old.name,
            headcount: old.headcount,
            industry: old.industry,
            deployment: old.deployment,
            modules: old.modules,
            annual_budget: old.annual_budget,
            horizon_years: old.horizon_years,
            growth_pct: old.growth_pct,
            criteria: old.criteria.into_iter().map(Criterion::from).collect(),
            bands: old.bands,
            chosen: old.chosen,
            chosen_from: Quarter::FIRST,
            unpiloted: Unpiloted::Reweight,
            implementation_quarters: vec![1, 2, 3, 4],
            escalation: Escalation {
                training: false,
                ..Escalation::ALL
            },
        }
    }
}

/// A quarter's spend as layout version 1 kept it.
#[derive(Deserialize)]
pub(super) struct QuarterSpendV1 {
    year: u8,
    quarter: u8,
    amount: i64,
}

impl From<QuarterSpendV1> for QuarterSpend {
    fn from(old: QuarterSpendV1) -> QuarterSpend {
        QuarterSpend {
            vendor: UNATTRIBUTED,
            year: old.year,
            quarter: old.quarter,
            amount: old.amount,
        }
    }
}

/// The number after `key=` among the words of `text` (`vendor=V3` → 3).
fn field(text: &str, key: &str) -> Option<u64> {
    text.split_whitespace()
        .find_map(|word| word.strip_prefix(key)?.strip_prefix('='))
        .map(|value| value.trim_start_matches('V'))
        .and_then(|value| value.parse().ok())
}

/// Gives spend kept before spend named its vendor to the vendor that was
/// chosen for `project` when the quarter was last recorded (the audit log's
/// choices and spend entries, oldest first); `fallback` (the vendor chosen
/// now) where the log does not tell.
pub(super) fn attribute(
    entries: &[AuditEntry],
    project: ProjectId,
    fallback: Option<VendorId>,
    spends: &mut [QuarterSpend],
) {
    let id = project.to_string();
    let mut chosen = None;
    let mut paid_to: HashMap<(u64, u64), VendorId> = HashMap::new();
    for entry in entries.iter().filter(|e| e.record.entity_id == id) {
        let after = entry.record.after.as_deref().unwrap_or_default();
        match entry.record.action.as_str() {
            "vendor_project.choose" => chosen = field(after, "vendor").map(VendorId),
            "vendor.spend" => {
                if let (Some(year), Some(quarter), Some(vendor)) =
                    (field(after, "year"), field(after, "quarter"), chosen)
                {
                    paid_to.insert((year, quarter), vendor);
                }
            }
            _ => {}
        }
    }
    for spend in spends.iter_mut().filter(|s| s.vendor == UNATTRIBUTED) {
        let key = (u64::from(spend.year), u64::from(spend.quarter));
        if let Some(vendor) = paid_to.get(&key).copied().or(fallback) {
            spend.vendor = vendor;
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use serde::Serialize;

    use super::*;
    use crate::domain::audit::AuditRecord;
    use crate::domain::vendor::case::retail_case;
    use crate::store::codec;

    /// `payload` in an envelope of layout `version`.
    fn envelope(version: u16, payload: &[u8]) -> Vec<u8> {
        let mut bytes = vec![1];
        bytes.extend_from_slice(&version.to_le_bytes());
        bytes.extend_from_slice(payload);
        bytes
    }

    fn bincode_of(value: &impl Serialize) -> Vec<u8> {
        bincode::serde::encode_to_vec(value, bincode::config::standard()).unwrap()
    }

    #[test]
    fn a_version_1_project_reads_relative_with_its_old_plan() {
        let (project, _) = retail_case();
        let criteria: Vec<_> = project
            .criteria
            .iter()
            .map(|c| (c.name.clone(), c.kind, c.measure.clone(), c.weight))
            .collect();
        let old = (
            (
                project.id,
                project.name.clone(),
                project.headcount,
                project.industry.clone(),
                project.deployment,
                project.modules.clone(),
            ),
            (
                project.annual_budget,
                project.horizon_years,
                project.growth_pct,
                criteria,
                project.bands.clone(),
                project.chosen,
            ),
        );
        let read: Project = codec::decode(&envelope(1, &bincode_of(&old))).unwrap();
        assert_eq!(read.name, project.name);
        assert_eq!(read.criteria[0].scale, Some(Scale::Relative));
        assert_eq!(read.criteria[4].scale, None, "a rubric has none");
        assert_eq!(read.implementation_quarters, [1, 2, 3, 4]);
        assert!(read.escalation.software && !read.escalation.training);
        assert_eq!(read.chosen, project.chosen);
    }

    fn entry(seq: u64, action: &str, after: &str) -> AuditEntry {
        AuditEntry {
            seq,
            at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
            operator: "hr".into(),
            key: None,
            record: AuditRecord::new(action, "vendor_project", ProjectId(1)).after(after),
            link: Default::default(),
        }
    }

    #[test]
    fn old_spend_goes_to_the_vendor_chosen_when_it_was_recorded() {
        let old: QuarterSpend =
            codec::decode(&envelope(1, &bincode_of(&(1u8, 2u8, 500i64)))).unwrap();
        assert_eq!(old.vendor, UNATTRIBUTED);
        let entries = [
            entry(1, "vendor_project.choose", "vendor=V1"),
            entry(2, "vendor.spend", "year=1 quarter=1 amount=1.00"),
            entry(3, "vendor.spend", "year=1 quarter=2 amount=5.00"),
            entry(4, "vendor_project.choose", "vendor=V2"),
            entry(5, "vendor.spend", "year=1 quarter=3 amount=5.00"),
        ];
        let spend = |quarter| QuarterSpend { quarter, ..old };
        let mut spends = [spend(1), spend(2), spend(3), spend(4)];
        attribute(&entries, ProjectId(1), Some(VendorId(2)), &mut spends);
        let vendors: Vec<u64> = spends.iter().map(|s| s.vendor.0).collect();
        assert_eq!(
            vendors,
            [1, 1, 2, 2],
            "Q4 is not in the log: the vendor chosen now"
        );
    }
}
