//! What a selection project and a vendor must be before they are kept:
//! a name, numbers in their ranges (headcount at least 1, a horizon of 1
//! to 3 years, growth and escalation between −50 % and 100 %, no negative
//! money, marks on 0–5, satisfaction on 0–100 %, implementation in
//! quarters 1 to 4), and names unique where people pick by name. Each
//! refusal names the field at fault, in words (`field` keeps its
//! identifier, for the form to place it).

use std::fmt;

use super::ahp::AhpError;
use super::budget::{SpendError, check_implementation_quarters};
use super::scorecard::CriteriaError;
use super::words::field_label;
use super::{CriterionKind, Project, Quarter, Vendor};
use crate::tr;

/// Why a project or vendor is refused.
#[derive(Clone, Debug, PartialEq)]
pub enum RuleError {
    /// A name is empty.
    NoName,
    /// Another project or vendor of the project has this name.
    NameTaken(String),
    /// A number is out of its range: the field and the range.
    OutOfRange { field: &'static str, range: String },
    /// A rating names no rubric of the project.
    UnknownRubric(String),
    /// No vendor with this id in the project.
    UnknownVendor(String),
    /// No project with this id.
    UnknownProject(String),
    /// The chosen vendor of a project (by name) is not removed.
    ChosenVendor(String),
    /// Spend of a quarter before the chosen vendor's plan starts: it was
    /// paid to the vendor chosen then.
    BeforeChoice { vendor: String, from: Quarter },
    /// Spend is recorded against a chosen vendor's plan: none is chosen.
    NoneChosen,
    /// A vendor missing a must-have is not chosen.
    KnockedOut(String),
    /// The criteria or bands do not hold.
    Criteria(CriteriaError),
    /// A quarter's spend does not fit the project.
    Spend(SpendError),
    /// The pairwise comparisons give no weights.
    Ahp(AhpError),
    /// The pairwise comparisons do not name the project's scored criteria.
    Compared { expected: String, found: String },
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            RuleError::NoName => tr!("vendor.rule.no_name"),
            RuleError::NameTaken(name) => tr!("vendor.rule.name_taken", name = name),
            RuleError::OutOfRange { field, range } => tr!(
                "vendor.rule.out_of_range",
                field = field_label(field),
                range = range
            ),
            RuleError::UnknownRubric(name) => tr!("vendor.rule.unknown_rubric", name = name),
            RuleError::UnknownVendor(id) => tr!("vendor.rule.unknown_vendor", id = id),
            RuleError::UnknownProject(id) => tr!("vendor.rule.unknown_project", id = id),
            RuleError::ChosenVendor(name) => tr!("vendor.rule.chosen_vendor", vendor = name),
            RuleError::BeforeChoice { vendor, from } => tr!(
                "vendor.rule.before_choice",
                vendor = vendor,
                from = from.to_string()
            ),
            RuleError::NoneChosen => tr!("vendor.rule.none_chosen"),
            RuleError::KnockedOut(why) => why.clone(),
            RuleError::Criteria(e) => e.to_string(),
            RuleError::Spend(e) => e.to_string(),
            RuleError::Ahp(e) => e.to_string(),
            RuleError::Compared { expected, found } => {
                tr!("vendor.rule.compared", expected = expected, found = found)
            }
        };
        f.write_str(&text)
    }
}

impl std::error::Error for RuleError {}

/// Ok when `value` lies in `low..=high`, else the refusal naming `field`.
fn within(field: &'static str, value: f64, low: f64, high: f64) -> Result<(), RuleError> {
    if (low..=high).contains(&value) {
        Ok(())
    } else {
        Err(RuleError::OutOfRange {
            field,
            range: format!("{low}–{high}"),
        })
    }
}

/// Ok when no money amount is negative.
fn not_negative(field: &'static str, fen: i64) -> Result<(), RuleError> {
    within(field, fen as f64, 0.0, f64::MAX)
}

/// The name trimmed, or the refusal when it is empty or taken (case ignored)
/// by one of `others`.
pub fn checked_name<'a>(
    name: &str,
    others: impl IntoIterator<Item = &'a str>,
) -> Result<String, RuleError> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(RuleError::NoName);
    }
    let key = name.to_lowercase();
    if others.into_iter().any(|o| o.trim().to_lowercase() == key) {
        return Err(RuleError::NameTaken(name));
    }
    Ok(name)
}

/// Checks a project's numbers.
pub fn check_project(project: &Project) -> Result<(), RuleError> {
    within("headcount", f64::from(project.headcount), 1.0, 1e7)?;
    within("horizon_years", f64::from(project.horizon_years), 1.0, 3.0)?;
    within("growth_pct", project.growth_pct, -50.0, 100.0)?;
    if !check_implementation_quarters(&project.implementation_quarters) {
        return Err(RuleError::OutOfRange {
            field: "implementation_quarters",
            range: "1–4".to_string(),
        });
    }
    not_negative("annual_budget", project.annual_budget)
}

impl From<CriteriaError> for RuleError {
    fn from(e: CriteriaError) -> Self {
        RuleError::Criteria(e)
    }
}

impl From<AhpError> for RuleError {
    fn from(e: AhpError) -> Self {
        RuleError::Ahp(e)
    }
}

impl From<SpendError> for RuleError {
    fn from(e: SpendError) -> Self {
        RuleError::Spend(e)
    }
}

/// Checks a vendor's numbers and marks; its ratings must name rubric
/// criteria of `project`.
pub fn check_vendor(vendor: &Vendor, project: &Project) -> Result<(), RuleError> {
    for (name, _) in &vendor.ratings {
        let rubric = project
            .criteria
            .iter()
            .any(|c| c.kind == CriterionKind::Rubric && c.name == *name);
        if !rubric {
            return Err(RuleError::UnknownRubric(name.clone()));
        }
    }
    within("support_hours", vendor.support_hours, 0.0, 24.0 * 365.0)?;
    within("escalation_pct", vendor.escalation_pct, -50.0, 100.0)?;
    for (field, fen) in [
        ("implementation", vendor.implementation),
        ("training_per_year", vendor.training_per_year),
        ("maintenance_per_year", vendor.maintenance_per_year),
        ("price", vendor.pricing.amount()),
    ] {
        not_negative(field, fen)?;
    }
    for experience in &vendor.industries {
        within("industry_years", experience.years, 0.0, 200.0)?;
    }
    for (_, mark) in &vendor.ratings {
        within("rating", *mark, 0.0, 5.0)?;
    }
    if let Some(demo) = &vendor.demo {
        within("usability", demo.usability, 0.0, 5.0)?;
        within("compatibility", demo.compatibility, 0.0, 5.0)?;
    }
    if let Some(pilot) = &vendor.pilot {
        within("days_before", pilot.days_before, 0.0, 3650.0)?;
        within("days_after", pilot.days_after, 0.0, 3650.0)?;
        within("satisfaction_pct", pilot.satisfaction_pct, 0.0, 100.0)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_unique_ignoring_case() {
        assert_eq!(checked_name("  北森  云 ", ["A"]), Ok("北森 云".into()));
        assert_eq!(checked_name(" ", []), Err(RuleError::NoName));
        assert_eq!(
            checked_name("moka", ["Moka"]),
            Err(RuleError::NameTaken("moka".into()))
        );
    }

    #[test]
    fn ranges_name_the_field() {
        let err = within("horizon_years", 4.0, 1.0, 3.0).unwrap_err();
        assert_eq!(
            err,
            RuleError::OutOfRange {
                field: "horizon_years",
                range: "1–3".into()
            }
        );
        assert!(not_negative("implementation", -1).is_err());
        crate::i18n::set_lang(crate::i18n::Lang::En);
        let text = RuleError::OutOfRange {
            field: "satisfaction_pct",
            range: "0–100".into(),
        }
        .to_string();
        assert!(!text.contains("satisfaction_pct"), "{text}");
        assert!(text.contains("satisfaction"), "{text}");
        assert!(not_negative("implementation", 0).is_ok());
    }
}
