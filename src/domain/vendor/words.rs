//! The words people read for the vendor selection's identifiers: the unit
//! of every measure and the list of them all (for help and errors), the
//! names of the fields a rule refuses, and must-haves (`saas`,
//! `attendance`) by the names people use (a must-have hrdesk does not know
//! is a vendor's own word and is shown as written), a criterion's scale,
//! and the project's cost settings.

use super::scale::Scale;
use super::text::MEASURES;
use super::{Criterion, Measure, Project};
use crate::tr;

impl Measure {
    /// The unit its raw values are in.
    pub fn unit(&self) -> String {
        match self {
            Measure::IndustryYears => tr!("vendor.unit.years"),
            Measure::ReferenceClients => tr!("vendor.unit.clients"),
            Measure::ReleasesPerYear => tr!("vendor.unit.releases"),
            Measure::SupportHours => tr!("vendor.unit.hours"),
            Measure::OnsiteTraining => tr!("vendor.unit.yes_no"),
            Measure::ModuleCoverage
            | Measure::DemoMatch
            | Measure::PilotTimeSaved
            | Measure::PilotSatisfaction => tr!("vendor.unit.percent"),
            Measure::Integrations => tr!("vendor.unit.systems"),
            Measure::TotalCost => tr!("vendor.unit.yuan"),
            Measure::DemoUsability | Measure::DemoCompatibility | Measure::Rated => {
                tr!("vendor.unit.marks")
            }
            Measure::PilotCrashes => tr!("vendor.unit.crashes"),
            Measure::MustHave(_) => tr!("vendor.unit.met"),
        }
    }
}

/// Every measure's code with its unit, then the must-have form.
pub fn measure_list() -> String {
    let mut all: Vec<String> = MEASURES
        .iter()
        .map(|m| format!("{} ({})", m.code(), m.unit()))
        .collect();
    all.push(tr!("vendor.unit.must_have_form"));
    all.join(", ")
}

/// A must-have by the name people use (its code when hrdesk does not know it).
pub fn must_have_label(code: &str) -> String {
    match code {
        "saas" => tr!("vendor.word.saas"),
        "private_cloud" => tr!("vendor.word.private_cloud"),
        "attendance" => tr!("vendor.word.attendance"),
        "erp" => tr!("vendor.word.erp"),
        "oa" => tr!("vendor.word.oa"),
        "core_hr" => tr!("vendor.word.core_hr"),
        "payroll" => tr!("vendor.word.payroll"),
        "performance" => tr!("vendor.word.performance"),
        "recruitment" => tr!("vendor.word.recruitment"),
        "training" => tr!("vendor.word.training"),
        other => other.to_string(), // data: the project's own word
    }
}

/// The name of a field the vendor rules refuse.
pub fn field_label(field: &str) -> String {
    match field {
        "headcount" => tr!("vendor.field.headcount"),
        "horizon_years" => tr!("vendor.field.horizon_years"),
        "growth_pct" => tr!("vendor.field.growth_pct"),
        "annual_budget" => tr!("vendor.field.annual_budget"),
        "support_hours" => tr!("vendor.field.support_hours"),
        "escalation_pct" => tr!("vendor.field.escalation_pct"),
        "implementation" => tr!("vendor.field.implementation"),
        "training_per_year" => tr!("vendor.field.training_per_year"),
        "maintenance_per_year" => tr!("vendor.field.maintenance_per_year"),
        "price" => tr!("vendor.field.price"),
        "industry_years" => tr!("vendor.field.industry_years"),
        "rating" => tr!("vendor.field.rating"),
        "usability" => tr!("vendor.field.usability"),
        "compatibility" => tr!("vendor.field.compatibility"),
        "days_before" => tr!("vendor.field.days_before"),
        "days_after" => tr!("vendor.field.days_after"),
        "satisfaction_pct" => tr!("vendor.field.satisfaction_pct"),
        "implementation_quarters" => tr!("vendor.field.implementation_quarters"),
        other => other.to_string(),
    }
}

/// The scale a criterion is scored on, as people read it (relative marked).
pub fn scale_label(criterion: &Criterion) -> String {
    match &criterion.scale {
        Some(Scale::Relative) => tr!("vendor.scale.relative"),
        Some(scale) => scale.code(),
        None => tr!("vendor.scale.marks"),
    }
}

/// The cost lines that rise yearly, those that stay flat, and the quarters
/// the implementation falls due in, as people read them.
pub fn cost_settings(project: &Project) -> (String, String, String) {
    let named = |rises: bool| {
        let lines: Vec<&str> = project
            .escalation
            .lines()
            .into_iter()
            .filter_map(|(line, r)| (r == rises).then_some(line))
            .collect();
        if lines.is_empty() {
            tr!("vendor.pane.none_word")
        } else {
            lines.join(", ")
        }
    };
    let due: Vec<String> = project
        .implementation_quarters
        .iter()
        .map(|q| format!("Q{q}"))
        .collect();
    (named(true), named(false), due.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, set_lang};

    #[test]
    fn every_measure_is_listed_with_its_unit() {
        set_lang(Lang::En);
        let list = measure_list();
        for measure in MEASURES {
            assert!(list.contains(&measure.code()), "{list}");
        }
        assert!(list.contains("support_hours (hours)"), "{list}");
        assert!(list.contains("must_have="), "{list}");
        assert!(!list.contains('…'), "{list}");
    }

    #[test]
    fn identifiers_read_as_words() {
        set_lang(Lang::En);
        assert_eq!(
            field_label("satisfaction_pct"),
            "pilot staff satisfaction (%)"
        );
        assert_eq!(must_have_label("saas"), "SaaS");
        assert_eq!(must_have_label("门店排班"), "门店排班");
        set_lang(Lang::Zh);
        assert_eq!(must_have_label("attendance"), "考勤");
    }
}
