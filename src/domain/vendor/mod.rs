//! Choosing an HR-software vendor: the selection project (the company's
//! profile, the modules and must-haves it needs, its budget and the years
//! it plans for), the vendors with what they offer and what they cost, and
//! what demos and a pilot showed. The weighted scorecard is in
//! `scorecard.rs`, weights from pairwise comparisons in `ahp.rs`, and the
//! cost projection with plan against actual in `budget.rs`. Money is in
//! fen (1/100 yuan), as everywhere in hrdesk.

pub mod rules;

use serde::{Deserialize, Serialize};

use crate::tr;

pub mod ahp;
pub mod budget;
pub mod case;
pub mod scale;
pub mod scorecard;
pub mod text;
pub mod words;

use scale::Scale;

/// Identifies a selection project; ids are never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ProjectId(pub u64);

/// Identifies a vendor within the store; ids are never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct VendorId(pub u64);

impl std::fmt::Display for ProjectId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "P{}", self.0)
    }
}

impl std::fmt::Display for VendorId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "V{}", self.0)
    }
}

/// How the software is run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Deployment {
    /// Hosted by the vendor, paid by subscription (small companies).
    Saas,
    /// Run on the company's own or a private cloud (large companies).
    PrivateCloud,
}

impl Deployment {
    /// The code a must-have names it by: `saas`, `private_cloud`.
    pub fn code(self) -> &'static str {
        match self {
            Deployment::Saas => "saas",
            Deployment::PrivateCloud => "private_cloud",
        }
    }
}

/// Existing systems a vendor's product connects to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Integration {
    Erp,
    Oa,
    Attendance,
}

impl Integration {
    /// The code the system is named by: `erp`, `oa`, `attendance`.
    pub fn code(self) -> &'static str {
        match self {
            Integration::Erp => "erp",
            Integration::Oa => "oa",
            Integration::Attendance => "attendance",
        }
    }
}

/// A selection project: who is buying, what for, and with what budget.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub id: ProjectId,
    pub name: String,
    pub headcount: u32,
    pub industry: String,
    pub deployment: Deployment,
    /// The modules needed (`core_hr`, `payroll`, `attendance`, …).
    pub modules: Vec<String>,
    /// The budget of each year, in fen.
    pub annual_budget: i64,
    /// The years the costs are projected over: 1 to 3.
    pub horizon_years: u8,
    /// Yearly headcount growth in percent.
    pub growth_pct: f64,
    /// How vendors are scored; its knock-out criteria are the project's
    /// must-haves.
    pub criteria: Vec<Criterion>,
    /// Standings by weighted total, covering 0–100.
    pub bands: Vec<Band>,
    /// The vendor chosen, once chosen (plan against actual follows it).
    pub chosen: Option<VendorId>,
    /// The quarter the chosen vendor's plan starts: the first, or the one
    /// after the last spend on the vendor chosen before it.
    pub chosen_from: Quarter,
    /// What a vendor without a pilot comes to.
    pub unpiloted: Unpiloted,
    /// The quarters of year 1 the implementation fee is planned in, shared
    /// evenly (1 to 4, each once).
    pub implementation_quarters: Vec<u8>,
    /// Which cost lines rise each year by the vendor's escalation.
    pub escalation: Escalation,
}

/// A quarter of the project's horizon.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Quarter {
    /// The project year, from 1.
    pub year: u8,
    /// 1 to 4.
    pub quarter: u8,
}

impl Quarter {
    /// Year 1, quarter 1.
    pub const FIRST: Quarter = Quarter {
        year: 1,
        quarter: 1,
    };

    /// The quarter after this one.
    pub fn next(self) -> Quarter {
        if self.quarter >= 4 {
            Quarter {
                year: self.year.saturating_add(1),
                quarter: 1,
            }
        } else {
            Quarter {
                quarter: self.quarter + 1,
                ..self
            }
        }
    }
}

impl std::fmt::Display for Quarter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Y{} Q{}", self.year, self.quarter)
    }
}

/// What a vendor that was not piloted comes to when the project's
/// criteria measure the pilot: the pilot confirms finalists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Unpiloted {
    /// Out of the ranking, shown as not piloted.
    Disqualify,
    /// Ranked on the other criteria, their weights scaled up to 100.
    Reweight,
}

impl Unpiloted {
    /// The code the setting is written by.
    pub fn code(self) -> &'static str {
        match self {
            Unpiloted::Disqualify => "disqualify",
            Unpiloted::Reweight => "reweight",
        }
    }

    /// The setting as people read it.
    pub fn label(self) -> String {
        match self {
            Unpiloted::Disqualify => tr!("vendor.unpiloted.disqualify"),
            Unpiloted::Reweight => tr!("vendor.unpiloted.reweight"),
        }
    }
}

/// Which cost lines rise each year by the vendor's yearly escalation; the
/// implementation is paid once and never rises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Escalation {
    pub software: bool,
    pub training: bool,
    pub maintenance: bool,
}

impl Escalation {
    /// Every recurring line rises.
    pub const ALL: Escalation = Escalation {
        software: true,
        training: true,
        maintenance: true,
    };

    /// No line rises.
    pub const NONE: Escalation = Escalation {
        software: false,
        training: false,
        maintenance: false,
    };

    /// Each recurring line's code with whether it rises.
    pub fn lines(self) -> [(&'static str, bool); 3] {
        [
            ("software", self.software),
            ("training", self.training),
            ("maintenance", self.maintenance),
        ]
    }
}

/// A vendor's experience in one industry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndustryExperience {
    pub industry: String,
    pub years: f64,
    pub reference_clients: u32,
}

/// How the software itself is priced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Pricing {
    /// Per employee per year.
    PerHead { per_year: i64 },
    /// Per module used per year.
    PerModule { per_year: i64 },
    /// One fee a year.
    Flat { per_year: i64 },
}

impl Pricing {
    /// The price the model charges per unit (head, module or year).
    pub fn amount(self) -> i64 {
        match self {
            Pricing::PerHead { per_year }
            | Pricing::PerModule { per_year }
            | Pricing::Flat { per_year } => per_year,
        }
    }
}

/// What a demo showed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DemoResult {
    /// The must-haves the demo showed working.
    pub matched: Vec<String>,
    /// Ease of use, 0–5.
    pub usability: f64,
    /// Fit with the existing ERP, OA and attendance systems, 0–5.
    pub compatibility: f64,
}

/// What a pilot in one department showed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pilot {
    pub department: String,
    pub weeks: u32,
    pub crashes: u32,
    /// What was timed (`appraisal tally`), before and after, in days.
    pub task: String,
    pub days_before: f64,
    pub days_after: f64,
    /// Staff satisfaction, 0–100 %.
    pub satisfaction_pct: f64,
}

/// A vendor in a selection project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Vendor {
    pub id: VendorId,
    pub project: ProjectId,
    pub name: String,
    pub deployments: Vec<Deployment>,
    pub industries: Vec<IndustryExperience>,
    pub releases_per_year: u32,
    /// Support response time, in hours.
    pub support_hours: f64,
    pub onsite_training: bool,
    pub modules: Vec<String>,
    pub integrations: Vec<Integration>,
    /// The must-haves the vendor offers, as it states them.
    pub offers: Vec<String>,
    pub pricing: Pricing,
    /// One-off, in year 1.
    pub implementation: i64,
    /// Every year.
    pub training_per_year: i64,
    /// Every year.
    pub maintenance_per_year: i64,
    /// Yearly price rise of software and maintenance, in percent.
    pub escalation_pct: f64,
    pub demo: Option<DemoResult>,
    pub pilot: Option<Pilot>,
    /// The evaluators' mean marks (0–5) on the rubric criteria, by criterion name.
    pub ratings: Vec<(String, f64)>,
}

/// Whether more or less of a criterion's value is better, or whether it
/// is a must-have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CriterionKind {
    /// More is better (years of experience, releases a year).
    Benefit,
    /// Less is better (response time, total cost).
    Cost,
    /// Rated 0–5 by the evaluators (usability, training support).
    Rubric,
    /// A must-have: a vendor without it is disqualified.
    KnockOut,
}

impl CriterionKind {
    /// The kind's name, for the scorecard's header.
    pub fn label(self) -> String {
        match self {
            CriterionKind::Benefit => tr!("vendor.kind.benefit"),
            CriterionKind::Cost => tr!("vendor.kind.cost"),
            CriterionKind::Rubric => tr!("vendor.kind.rubric"),
            CriterionKind::KnockOut => tr!("vendor.kind.knock_out"),
        }
    }
}

/// What a criterion measures of a vendor.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Measure {
    /// Years of experience in the project's industry.
    IndustryYears,
    /// Reference clients in the project's industry.
    ReferenceClients,
    ReleasesPerYear,
    SupportHours,
    /// Whether on-site training is offered (1 or 0).
    OnsiteTraining,
    /// The share of the needed modules offered, in percent.
    ModuleCoverage,
    /// How many of ERP, OA and attendance it connects to.
    Integrations,
    /// The total cost over the project's horizon.
    TotalCost,
    /// The demo's must-have match, in percent.
    DemoMatch,
    DemoUsability,
    DemoCompatibility,
    PilotCrashes,
    /// How much faster the piloted task became, in percent.
    PilotTimeSaved,
    PilotSatisfaction,
    /// The evaluators' marks on this rubric.
    Rated,
    /// A must-have: a requirement the vendor offers, a module it has, or
    /// a deployment (`saas`, `private_cloud`) it supports.
    MustHave(String),
}

impl Measure {
    /// What the measure is, for the scorecard and its errors.
    pub fn label(&self) -> String {
        match self {
            Measure::IndustryYears => tr!("vendor.measure.industry_years"),
            Measure::ReferenceClients => tr!("vendor.measure.reference_clients"),
            Measure::ReleasesPerYear => tr!("vendor.measure.releases_per_year"),
            Measure::SupportHours => tr!("vendor.measure.support_hours"),
            Measure::OnsiteTraining => tr!("vendor.measure.onsite_training"),
            Measure::ModuleCoverage => tr!("vendor.measure.module_coverage"),
            Measure::Integrations => tr!("vendor.measure.integrations"),
            Measure::TotalCost => tr!("vendor.measure.total_cost"),
            Measure::DemoMatch => tr!("vendor.measure.demo_match"),
            Measure::DemoUsability => tr!("vendor.measure.demo_usability"),
            Measure::DemoCompatibility => tr!("vendor.measure.demo_compatibility"),
            Measure::PilotCrashes => tr!("vendor.measure.pilot_crashes"),
            Measure::PilotTimeSaved => tr!("vendor.measure.pilot_time_saved"),
            Measure::PilotSatisfaction => tr!("vendor.measure.pilot_satisfaction"),
            Measure::Rated => tr!("vendor.measure.rated"),
            Measure::MustHave(what) => tr!("vendor.measure.must_have", what = what),
        }
    }
}

/// One line of the scorecard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    pub name: String,
    pub kind: CriterionKind,
    pub measure: Measure,
    /// Percent; the weights of all but knock-outs add up to 100.
    pub weight: f64,
    /// How a benefit or cost is scored; rubrics (marks / 5) and knock-outs
    /// have none.
    pub scale: Option<Scale>,
}

/// A standing: vendors whose total is at least `from` (and below the next
/// band's) stand here.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Band {
    pub name: String,
    pub from: f64,
}

/// Actual spend of one quarter, on the vendor it was paid to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarterSpend {
    /// The vendor chosen when it was paid.
    pub vendor: VendorId,
    /// The project year, from 1.
    pub year: u8,
    /// 1 to 4.
    pub quarter: u8,
    pub amount: i64,
}
