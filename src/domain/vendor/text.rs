//! A project's criteria, bands and a vendor's rubric marks as one line of
//! text each, the way the Vendors pane's forms write and read them:
//! criteria as `name:kind:measure:weight[:scale];…` (a must-have's measure
//! written `must_have=attendance`; a benefit's or cost's scale `worst..best`,
//! `value=score,…` or `relative`, see `scale.rs`), bands as `name:from;…`,
//! marks as `name:mark;…`. Reading them back says which part is wrong.

use super::scale::Scale;
use super::{Band, Criterion, CriterionKind, Measure};
use crate::domain::cleanup::parse_number;
use crate::tr;

/// The prefix of a must-have's measure code.
const MUST_HAVE: &str = "must_have=";

impl CriterionKind {
    /// The code the kind is written by: `benefit`, `cost`, `rubric`, `knock_out`.
    pub fn code(self) -> &'static str {
        match self {
            CriterionKind::Benefit => "benefit",
            CriterionKind::Cost => "cost",
            CriterionKind::Rubric => "rubric",
            CriterionKind::KnockOut => "knock_out",
        }
    }

    /// The kind written as `code` (case ignored).
    pub fn parse(code: &str) -> Option<CriterionKind> {
        [
            CriterionKind::Benefit,
            CriterionKind::Cost,
            CriterionKind::Rubric,
            CriterionKind::KnockOut,
        ]
        .into_iter()
        .find(|k| k.code().eq_ignore_ascii_case(code.trim()))
    }
}

/// The measures named by a fixed code, in the order they are listed.
pub const MEASURES: [Measure; 15] = [
    Measure::IndustryYears,
    Measure::ReferenceClients,
    Measure::ReleasesPerYear,
    Measure::SupportHours,
    Measure::OnsiteTraining,
    Measure::ModuleCoverage,
    Measure::Integrations,
    Measure::TotalCost,
    Measure::DemoMatch,
    Measure::DemoUsability,
    Measure::DemoCompatibility,
    Measure::PilotCrashes,
    Measure::PilotTimeSaved,
    Measure::PilotSatisfaction,
    Measure::Rated,
];

impl Measure {
    /// The code the measure is written by: `industry_years`, …,
    /// `must_have=attendance`.
    pub fn code(&self) -> String {
        let code = match self {
            Measure::IndustryYears => "industry_years",
            Measure::ReferenceClients => "reference_clients",
            Measure::ReleasesPerYear => "releases_per_year",
            Measure::SupportHours => "support_hours",
            Measure::OnsiteTraining => "onsite_training",
            Measure::ModuleCoverage => "module_coverage",
            Measure::Integrations => "integrations",
            Measure::TotalCost => "total_cost",
            Measure::DemoMatch => "demo_match",
            Measure::DemoUsability => "demo_usability",
            Measure::DemoCompatibility => "demo_compatibility",
            Measure::PilotCrashes => "pilot_crashes",
            Measure::PilotTimeSaved => "pilot_time_saved",
            Measure::PilotSatisfaction => "pilot_satisfaction",
            Measure::Rated => "rated",
            Measure::MustHave(what) => return format!("{MUST_HAVE}{what}"),
        };
        code.to_string()
    }

    /// The measure written as `code` (case ignored); a must-have needs
    /// what it requires after `must_have=`.
    pub fn parse(code: &str) -> Option<Measure> {
        let code = code.trim();
        let lower = code.to_lowercase();
        if lower.starts_with(MUST_HAVE) {
            let what = code.get(MUST_HAVE.len()..).unwrap_or_default().trim();
            return (!what.is_empty()).then(|| Measure::MustHave(what.to_string()));
        }
        MEASURES.into_iter().find(|m| m.code() == lower)
    }
}

/// The non-empty `;`-separated parts of a line, trimmed.
pub fn items(text: &str) -> Vec<String> {
    text.split([';', '；'])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(str::to_string)
        .collect()
}

/// A number of the line, or the problem naming it.
fn number(part: &str, value: &str) -> Result<f64, String> {
    parse_number(value).map_err(|_| tr!("vendor.text.number", part = part, value = value))
}

/// `name:number` pairs of a line, names trimmed.
fn pairs(text: &str) -> Result<Vec<(String, f64)>, String> {
    items(text)
        .into_iter()
        .map(|part| {
            let (name, value) = part
                .rsplit_once([':', '：'])
                .filter(|(name, _)| !name.trim().is_empty())
                .ok_or_else(|| tr!("vendor.text.pair", part = part))?;
            Ok((name.trim().to_string(), number(&part, value.trim())?))
        })
        .collect()
}

/// `name:kind:measure:weight[:scale]` joined by `;`.
pub fn criteria_text(criteria: &[Criterion]) -> String {
    criteria
        .iter()
        .map(|c| {
            let (kind, measure) = (c.kind.code(), c.measure.code());
            let line = format!("{}:{kind}:{measure}:{}", c.name, c.weight);
            match &c.scale {
                Some(scale) => format!("{line}:{}", scale.code()),
                None => line,
            }
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// Reads criteria written by [`criteria_text`].
pub fn parse_criteria(text: &str) -> Result<Vec<Criterion>, String> {
    items(text)
        .into_iter()
        .map(|part| {
            let pieces: Vec<&str> = part.split([':', '：']).map(str::trim).collect();
            let (name, kind, measure, weight, scale) = match pieces[..] {
                [name, kind, measure, weight] => (name, kind, measure, weight, None),
                [name, kind, measure, weight, scale] => (name, kind, measure, weight, Some(scale)),
                _ => return Err(tr!("vendor.text.criterion", part = part)),
            };
            let kind = CriterionKind::parse(kind)
                .ok_or_else(|| tr!("vendor.text.kind", part = part, kind = kind))?;
            let measure = Measure::parse(measure).ok_or_else(|| {
                tr!(
                    "vendor.text.measure",
                    part = part,
                    measure = measure,
                    list = super::words::measure_list()
                )
            })?;
            let scale = scale
                .map(|code| {
                    Scale::parse(code)
                        .ok_or_else(|| tr!("vendor.text.scale", part = part, scale = code))
                })
                .transpose()?;
            Ok(Criterion {
                name: name.to_string(),
                kind,
                measure,
                weight: number(&part, weight)?,
                scale,
            })
        })
        .collect()
}

/// `name:from` joined by `;`.
pub fn bands_text(bands: &[Band]) -> String {
    bands
        .iter()
        .map(|b| format!("{}:{}", b.name, b.from))
        .collect::<Vec<_>>()
        .join(";")
}

/// Reads bands written by [`bands_text`].
pub fn parse_bands(text: &str) -> Result<Vec<Band>, String> {
    Ok(pairs(text)?
        .into_iter()
        .map(|(name, from)| Band { name, from })
        .collect())
}

/// `name:mark` joined by `;`.
pub fn ratings_text(ratings: &[(String, f64)]) -> String {
    ratings
        .iter()
        .map(|(name, mark)| format!("{name}:{mark}"))
        .collect::<Vec<_>>()
        .join(";")
}

/// Reads marks written by [`ratings_text`].
pub fn parse_ratings(text: &str) -> Result<Vec<(String, f64)>, String> {
    pairs(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::vendor::case::retail_case;

    #[test]
    fn the_case_reads_back_what_it_writes() {
        let (project, vendors) = retail_case();
        let criteria = parse_criteria(&criteria_text(&project.criteria)).unwrap();
        assert_eq!(criteria, project.criteria);
        assert_eq!(
            parse_bands(&bands_text(&project.bands)).unwrap(),
            project.bands
        );
        let ratings = &vendors[0].ratings;
        assert_eq!(parse_ratings(&ratings_text(ratings)).unwrap(), *ratings);
        for measure in MEASURES {
            assert_eq!(Measure::parse(&measure.code()), Some(measure));
        }
    }

    #[test]
    fn mistakes_are_named() {
        let read = parse_criteria(" a ： Benefit : Must_Have= SaaS :0 ").unwrap();
        assert_eq!(read[0].kind, CriterionKind::Benefit);
        assert_eq!(read[0].measure, Measure::MustHave("SaaS".into()));
        assert!(
            parse_criteria("a:benefit:10")
                .unwrap_err()
                .contains("a:benefit:10")
        );
        assert!(
            parse_criteria("a:bonus:rated:10")
                .unwrap_err()
                .contains("bonus")
        );
        crate::i18n::set_lang(crate::i18n::Lang::En);
        let unknown = parse_criteria("a:cost:speed:10").unwrap_err();
        assert!(unknown.contains("speed"), "{unknown}");
        for measure in MEASURES {
            assert!(unknown.contains(&measure.code()), "{unknown}");
        }
        assert!(unknown.contains("pilot_time_saved (%)"), "{unknown}");
        assert!(!unknown.contains('…'), "{unknown}");
        assert!(
            parse_criteria("a:cost:rated:ten")
                .unwrap_err()
                .contains("ten")
        );
        assert!(parse_criteria("a:cost:must_have=:1").is_err());
        assert!(
            parse_criteria("a:cost:support_hours:10:soon")
                .unwrap_err()
                .contains("soon")
        );
        let read = parse_criteria("a:cost:support_hours:10:72=0,24=60,4=100").unwrap();
        assert_eq!(
            read[0].scale.as_ref().map(Scale::code).as_deref(),
            Some("72=0,24=60,4=100")
        );
        assert!(parse_bands("good").unwrap_err().contains("good"));
        assert!(parse_ratings(":3").is_err());
    }
}
