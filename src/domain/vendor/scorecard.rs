//! The weighted scorecard: the project's criteria checked, each vendor's raw
//! value of each criterion, knock-outs, scores on each criterion's scale
//! (absolute: the vendor's own value on the project's points; relative,
//! only when asked: min–max across the qualified vendors), vendors without
//! a pilot set apart or re-weighted as the project says, weighted totals,
//! the ranking and each vendor's standing band, with the breakdown of
//! every total.

use std::fmt;

use super::budget;
use super::scale::{self, Scale, ScaleProblem};
use super::words::must_have_label;
use super::{Band, Criterion, CriterionKind, Measure, Project, Unpiloted, Vendor, VendorId};
use crate::tr;

/// How far the scored weights may stray from 100.
const WEIGHT_TOLERANCE: f64 = 0.01;

/// The top of a rubric's marks.
const RUBRIC_MAX: f64 = 5.0;

/// Why a project's criteria or bands cannot score vendors.
#[derive(Clone, Debug, PartialEq)]
pub enum CriteriaError {
    /// The weights of the scored (not knock-out) criteria do not add up to 100.
    WeightsSum { total: f64 },
    /// A weight is below 0 or not a number.
    BadWeight { criterion: String },
    /// Two criteria share a name.
    DuplicateCriterion { criterion: String },
    /// A knock-out criterion carries a weight.
    WeightedKnockOut { criterion: String },
    /// The criterion's kind does not fit its measure.
    KindMismatch { criterion: String },
    /// No bands.
    NoBands,
    /// Two bands share a name.
    DuplicateBand { band: String },
    /// The first band does not start at 0.
    FirstBand { band: String },
    /// A band does not start above the one before it.
    BandOrder { band: String },
    /// A band starts outside 0–100.
    BandRange { band: String },
    /// A benefit's or cost's scale is missing or does not hold.
    Scale {
        criterion: String,
        problem: ScaleProblem,
    },
}

impl fmt::Display for CriteriaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            CriteriaError::WeightsSum { total } => {
                tr!("vendor.error.weights_sum", total = format!("{total:.2}"))
            }
            CriteriaError::BadWeight { criterion } => {
                tr!("vendor.error.bad_weight", criterion = criterion)
            }
            CriteriaError::DuplicateCriterion { criterion } => {
                tr!("vendor.error.duplicate_criterion", criterion = criterion)
            }
            CriteriaError::WeightedKnockOut { criterion } => {
                tr!("vendor.error.weighted_knock_out", criterion = criterion)
            }
            CriteriaError::KindMismatch { criterion } => {
                tr!("vendor.error.kind_mismatch", criterion = criterion)
            }
            CriteriaError::NoBands => tr!("vendor.error.no_bands"),
            CriteriaError::DuplicateBand { band } => {
                tr!("vendor.error.duplicate_band", band = band)
            }
            CriteriaError::FirstBand { band } => tr!("vendor.error.first_band", band = band),
            CriteriaError::BandOrder { band } => tr!("vendor.error.band_order", band = band),
            CriteriaError::BandRange { band } => tr!("vendor.error.band_range", band = band),
            CriteriaError::Scale { criterion, problem } => problem.explain(criterion),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for CriteriaError {}

/// Whether a criterion of `kind` may measure `measure`: the evaluators'
/// marks and the demo's 0–5 marks are rubrics, must-haves are knock-outs,
/// and every other measure is a benefit or a cost.
pub fn kind_fits(kind: CriterionKind, measure: &Measure) -> bool {
    match measure {
        Measure::Rated => kind == CriterionKind::Rubric,
        Measure::MustHave(_) => kind == CriterionKind::KnockOut,
        Measure::DemoUsability | Measure::DemoCompatibility => kind != CriterionKind::KnockOut,
        _ => matches!(kind, CriterionKind::Benefit | CriterionKind::Cost),
    }
}

/// The index of the first item whose key was seen before it.
fn first_repeat<T>(items: &[T], key: impl Fn(&T) -> &str) -> Option<usize> {
    (1..items.len()).find(|&i| items[..i].iter().any(|e| key(e) == key(&items[i])))
}

/// Checks one criterion on its own.
fn check_criterion(c: &Criterion) -> Result<(), CriteriaError> {
    let criterion = || c.name.clone();
    if !(c.weight >= 0.0 && c.weight.is_finite()) {
        return Err(CriteriaError::BadWeight {
            criterion: criterion(),
        });
    }
    if c.kind == CriterionKind::KnockOut && c.weight != 0.0 {
        return Err(CriteriaError::WeightedKnockOut {
            criterion: criterion(),
        });
    }
    if !kind_fits(c.kind, &c.measure) {
        return Err(CriteriaError::KindMismatch {
            criterion: criterion(),
        });
    }
    scale::check(c.kind, c.scale.as_ref()).map_err(|problem| CriteriaError::Scale {
        criterion: criterion(),
        problem,
    })
}

/// Checks the criteria: each on its own, unique names, and scored weights
/// adding up to 100 (within 0.01).
pub fn check_criteria(criteria: &[Criterion]) -> Result<(), CriteriaError> {
    criteria.iter().try_for_each(check_criterion)?;
    if let Some(i) = first_repeat(criteria, |c| &c.name) {
        return Err(CriteriaError::DuplicateCriterion {
            criterion: criteria[i].name.clone(),
        });
    }
    let total: f64 = criteria.iter().map(|c| c.weight).sum();
    if (total - 100.0).abs() > WEIGHT_TOLERANCE {
        return Err(CriteriaError::WeightsSum { total });
    }
    Ok(())
}

/// Checks the bands: at least one, unique names, the first from 0, each
/// from within 0–100 and above the one before.
pub fn check_bands(bands: &[Band]) -> Result<(), CriteriaError> {
    let first = bands.first().ok_or(CriteriaError::NoBands)?;
    if let Some(i) = first_repeat(bands, |b| &b.name) {
        return Err(CriteriaError::DuplicateBand {
            band: bands[i].name.clone(),
        });
    }
    if let Some(b) = bands.iter().find(|b| !(0.0..=100.0).contains(&b.from)) {
        return Err(CriteriaError::BandRange {
            band: b.name.clone(),
        });
    }
    if first.from != 0.0 {
        return Err(CriteriaError::FirstBand {
            band: first.name.clone(),
        });
    }
    match bands.windows(2).find(|pair| pair[1].from <= pair[0].from) {
        Some(pair) => Err(CriteriaError::BandOrder {
            band: pair[1].name.clone(),
        }),
        None => Ok(()),
    }
}

/// Checks a project's criteria and bands.
pub fn check(project: &Project) -> Result<(), CriteriaError> {
    check_criteria(&project.criteria)?;
    check_bands(&project.bands)
}

/// The band a total stands in: the last whose `from` it reaches.
pub fn band_of(bands: &[Band], total: f64) -> Option<&Band> {
    bands.iter().rev().find(|b| total >= b.from)
}

/// The band a vendor must reach to be acceptable (the second: the first,
/// from 0, is where the rejected stand), when `total` is below it.
pub fn below_acceptance(bands: &[Band], total: f64) -> Option<&Band> {
    bands.get(1).filter(|acceptable| total < acceptable.from)
}

impl Measure {
    /// Whether the measure is read from the pilot.
    pub fn is_pilot(&self) -> bool {
        matches!(
            self,
            Measure::PilotCrashes | Measure::PilotTimeSaved | Measure::PilotSatisfaction
        )
    }
}

/// `part` of `whole` in percent; 100 when there is nothing to have.
fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        100.0
    } else {
        part as f64 / whole as f64 * 100.0
    }
}

/// The project's must-haves: what its knock-out criteria ask for.
pub fn must_haves(project: &Project) -> impl Iterator<Item = &str> {
    project.criteria.iter().filter_map(|c| match &c.measure {
        Measure::MustHave(what) => Some(what.as_str()),
        _ => None,
    })
}

/// Whether the vendor meets a must-have: it offers it, has it as a module,
/// or supports the deployment of that code.
pub fn meets(vendor: &Vendor, what: &str) -> bool {
    vendor.offers.iter().any(|o| o == what)
        || vendor.modules.iter().any(|m| m == what)
        || vendor.deployments.iter().any(|d| d.code() == what)
}

/// 1 for yes, 0 for no.
fn flag(yes: bool) -> f64 {
    if yes { 1.0 } else { 0.0 }
}

/// The vendor's raw value of `criterion`; None when unknown (no demo, no
/// pilot, no mark). Experience is the entry for the project's industry (0
/// without one); coverage and the demo's match are percentages of the
/// project's modules and must-haves; time saved is (before − after) / before
/// in percent; a must-have is 1 when met, else 0; total cost is in yuan
/// (`total_cost` in fen).
pub fn raw(
    criterion: &Criterion,
    vendor: &Vendor,
    project: &Project,
    total_cost: i64,
) -> Option<f64> {
    let industry = || {
        vendor.industries.iter().find(|e| {
            e.industry
                .trim()
                .eq_ignore_ascii_case(project.industry.trim())
        })
    };
    let pilot = vendor.pilot.as_ref();
    let demo = vendor.demo.as_ref();
    match &criterion.measure {
        Measure::IndustryYears => Some(industry().map_or(0.0, |e| e.years)),
        Measure::ReferenceClients => {
            Some(industry().map_or(0.0, |e| f64::from(e.reference_clients)))
        }
        Measure::ReleasesPerYear => Some(f64::from(vendor.releases_per_year)),
        Measure::SupportHours => Some(vendor.support_hours),
        Measure::OnsiteTraining => Some(flag(vendor.onsite_training)),
        Measure::ModuleCoverage => Some(percent(
            budget::modules_offered(project, vendor),
            project.modules.len(),
        )),
        Measure::Integrations => Some(vendor.integrations.len() as f64),
        Measure::TotalCost => Some(total_cost as f64 / 100.0),
        Measure::DemoMatch => demo.map(|d| {
            let matched = must_haves(project).filter(|m| d.matched.iter().any(|x| x == *m));
            percent(matched.count(), must_haves(project).count())
        }),
        Measure::DemoUsability => demo.map(|d| d.usability),
        Measure::DemoCompatibility => demo.map(|d| d.compatibility),
        Measure::PilotCrashes => pilot.map(|p| f64::from(p.crashes)),
        Measure::PilotTimeSaved => pilot
            .filter(|p| p.days_before > 0.0)
            .map(|p| (p.days_before - p.days_after) / p.days_before * 100.0),
        Measure::PilotSatisfaction => pilot.map(|p| p.satisfaction_pct),
        Measure::Rated => vendor
            .ratings
            .iter()
            .find(|(name, _)| *name == criterion.name)
            .map(|(_, mark)| *mark),
        Measure::MustHave(what) => Some(flag(meets(vendor, what))),
    }
}

/// A vendor out of the ranking: knocked out for every must-have it lacks,
/// or not piloted where the project counts a pilot as required.
#[derive(Clone, Debug, PartialEq)]
pub struct Disqualified {
    pub vendor: VendorId,
    pub name: String,
    /// The must-haves missing (their codes), in the criteria's order.
    pub missing: Vec<String>,
    /// Out because it was not piloted (it lacks no must-have).
    pub not_piloted: bool,
}

impl Disqualified {
    /// Why the vendor is out, for the scorecard, must-haves by their names.
    pub fn explain(&self) -> String {
        if self.missing.is_empty() && self.not_piloted {
            return tr!("vendor.not_piloted_out", vendor = self.name);
        }
        let missing: Vec<String> = self.missing.iter().map(|m| must_have_label(m)).collect();
        tr!(
            "vendor.knocked_out",
            vendor = self.name,
            missing = missing.join(", ")
        )
    }

    /// Whether it was knocked out at the must-haves (it may not be chosen).
    pub fn knocked_out(&self) -> bool {
        !self.missing.is_empty()
    }
}

/// The must-haves of the project the vendor lacks.
pub fn missing_must_haves(project: &Project, vendor: &Vendor) -> Vec<String> {
    must_haves(project)
        .filter(|m| !meets(vendor, m))
        .map(str::to_string)
        .collect()
}

/// One criterion of one vendor's total.
#[derive(Clone, Debug, PartialEq)]
pub struct CriterionScore {
    /// The criterion's name.
    pub criterion: String,
    /// The raw value; None when unknown (it then scores 0) or not piloted.
    pub raw: Option<f64>,
    /// The score on the criterion's scale, 0–100 (more is better whatever
    /// the kind).
    pub score: f64,
    /// The weight it counts with: the criterion's, or re-weighted for a
    /// vendor not piloted (0 for the pilot's own criteria).
    pub weight: f64,
    /// Weight × score / 100: what the criterion adds to the total.
    pub points: f64,
    /// A pilot criterion of a vendor that was not piloted: not measured.
    pub not_piloted: bool,
}

/// A qualified vendor's standing.
#[derive(Clone, Debug, PartialEq)]
pub struct VendorScore {
    pub vendor: VendorId,
    pub name: String,
    /// Over the project's horizon, in fen.
    pub total_cost: i64,
    /// One per scored criterion, in the project's order.
    pub breakdown: Vec<CriterionScore>,
    /// The weighted total, 0–100.
    pub total: f64,
    /// 1 for the best.
    pub rank: usize,
    /// The name of the band the total stands in.
    pub band: String,
    /// The criteria whose raw value is unknown (not the pilot's, when it
    /// was not piloted).
    pub missing: Vec<String>,
    /// Not piloted: ranked on the other criteria, re-weighted.
    pub not_piloted: bool,
}

/// The whole comparison: qualified vendors ranked, the disqualified apart.
#[derive(Clone, Debug, PartialEq)]
pub struct Scorecard {
    /// The scored criteria's names, the rows of a side-by-side view.
    pub criteria: Vec<String>,
    /// Qualified vendors, best first (equal totals by name).
    pub rows: Vec<VendorScore>,
    pub disqualified: Vec<Disqualified>,
}

impl Scorecard {
    /// The vendors best in the `index`-th scored criterion (several on a
    /// tie; none when nobody's value is known).
    pub fn best_in(&self, index: usize) -> Vec<VendorId> {
        let known = || {
            self.rows.iter().filter_map(move |r| {
                r.breakdown
                    .get(index)
                    .filter(|c| c.raw.is_some())
                    .map(|c| (r.vendor, c.score))
            })
        };
        let best = known().map(|(_, s)| s).fold(f64::NEG_INFINITY, f64::max);
        known()
            .filter(|&(_, s)| s == best)
            .map(|(v, _)| v)
            .collect()
    }

    /// The standing of one vendor, if qualified.
    pub fn row(&self, vendor: VendorId) -> Option<&VendorScore> {
        self.rows.iter().find(|r| r.vendor == vendor)
    }
}

/// Normalises known raw values of one criterion across the vendors
/// compared, min–max: benefits by (x − min) / (max − min), costs by
/// (max − x) / (max − min), all equal giving 100; rubrics by x / 5,
/// clamped. Unknown values score 0. Only for relative scales and rubrics.
pub fn normalise(kind: CriterionKind, raws: &[Option<f64>]) -> Vec<f64> {
    let known = raws.iter().flatten().copied();
    let min = known.clone().fold(f64::INFINITY, f64::min);
    let max = known.fold(f64::NEG_INFINITY, f64::max);
    let spread = max - min;
    let one = |x: f64| match kind {
        CriterionKind::Rubric => (x * 100.0 / RUBRIC_MAX).clamp(0.0, 100.0),
        _ if spread <= 0.0 => 100.0,
        CriterionKind::Cost => (max - x) / spread * 100.0,
        _ => (x - min) / spread * 100.0,
    };
    raws.iter().map(|r| r.map_or(0.0, one)).collect()
}

/// The scores of one criterion's raw values on its scale: each on its own
/// on the project's points, or across them all when relative.
pub fn scores_on_scale(criterion: &Criterion, raws: &[Option<f64>]) -> Vec<f64> {
    match &criterion.scale {
        Some(Scale::Points(points)) => raws
            .iter()
            .map(|r| r.map_or(0.0, |x| scale::score_on(points, x)))
            .collect(),
        _ => normalise(criterion.kind, raws),
    }
}

/// A qualified vendor with its total cost.
struct Entrant<'a> {
    vendor: &'a Vendor,
    total_cost: i64,
}

impl Entrant<'_> {
    /// Whether `criterion` is one the vendor was never piloted for.
    fn unpiloted_for(&self, criterion: &Criterion) -> bool {
        self.vendor.pilot.is_none() && criterion.measure.is_pilot()
    }
}

/// The scored criteria's scores of every entrant, criterion by criterion
/// (weights as the criterion's: re-weighting is the row's).
fn criterion_scores(
    project: &Project,
    criterion: &Criterion,
    field: &[Entrant],
) -> Vec<CriterionScore> {
    let raws: Vec<Option<f64>> = field
        .iter()
        .map(|e| raw(criterion, e.vendor, project, e.total_cost))
        .collect();
    let scores = scores_on_scale(criterion, &raws);
    field
        .iter()
        .zip(raws.into_iter().zip(scores))
        .map(|(entrant, (raw, score))| CriterionScore {
            criterion: criterion.name.clone(),
            raw,
            score,
            weight: criterion.weight,
            points: criterion.weight * score / 100.0,
            not_piloted: entrant.unpiloted_for(criterion),
        })
        .collect()
}

/// The breakdown of a vendor not piloted: its pilot criteria count 0 and
/// the others' weights are scaled up to add up to 100 again.
fn reweighted(breakdown: Vec<CriterionScore>) -> Vec<CriterionScore> {
    let measured: f64 = breakdown
        .iter()
        .filter(|c| !c.not_piloted)
        .map(|c| c.weight)
        .sum();
    let factor = if measured > 0.0 {
        100.0 / measured
    } else {
        0.0
    };
    breakdown
        .into_iter()
        .map(|c| {
            let weight = if c.not_piloted {
                0.0
            } else {
                c.weight * factor
            };
            CriterionScore {
                weight,
                points: weight * c.score / 100.0,
                ..c
            }
        })
        .collect()
}

/// A vendor's row from its breakdown (rank is set once all are known).
fn vendor_row(project: &Project, entrant: &Entrant, breakdown: Vec<CriterionScore>) -> VendorScore {
    let not_piloted = breakdown.iter().any(|c| c.not_piloted);
    let breakdown = if not_piloted {
        reweighted(breakdown)
    } else {
        breakdown
    };
    let total = breakdown
        .iter()
        .map(|c| c.points)
        .sum::<f64>()
        .clamp(0.0, 100.0);
    let missing = breakdown
        .iter()
        .filter(|c| c.raw.is_none() && !c.not_piloted)
        .map(|c| c.criterion.clone())
        .collect();
    VendorScore {
        vendor: entrant.vendor.id,
        name: entrant.vendor.name.clone(),
        total_cost: entrant.total_cost,
        breakdown,
        total,
        rank: 0,
        band: band_of(&project.bands, total)
            .map(|b| b.name.clone())
            .unwrap_or_default(),
        missing,
        not_piloted,
    }
}

/// Whether the project scores the pilot and sets apart who was not piloted.
fn pilot_required(project: &Project) -> bool {
    project.unpiloted == Unpiloted::Disqualify
        && project
            .criteria
            .iter()
            .any(|c| c.kind != CriterionKind::KnockOut && c.measure.is_pilot())
}

/// Scores `vendors` (the project's) on the project's criteria: knock-outs
/// first, then the qualified compared with one another.
pub fn score(project: &Project, vendors: &[Vendor]) -> Result<Scorecard, CriteriaError> {
    check(project)?;
    let mut disqualified = Vec::new();
    let mut field = Vec::new();
    let pilot_required = pilot_required(project);
    for vendor in vendors {
        let missing = missing_must_haves(project, vendor);
        let not_piloted = pilot_required && vendor.pilot.is_none();
        if missing.is_empty() && !not_piloted {
            let total_cost = budget::projection(project, vendor).total;
            field.push(Entrant { vendor, total_cost });
        } else {
            disqualified.push(Disqualified {
                vendor: vendor.id,
                name: vendor.name.clone(),
                not_piloted: missing.is_empty(),
                missing,
            });
        }
    }
    let scored: Vec<&Criterion> = project
        .criteria
        .iter()
        .filter(|c| c.kind != CriterionKind::KnockOut)
        .collect();
    let mut columns: Vec<_> = scored
        .iter()
        .map(|c| criterion_scores(project, c, &field).into_iter())
        .collect();
    let mut rows: Vec<VendorScore> = field
        .iter()
        .map(|e| {
            let breakdown = columns.iter_mut().filter_map(Iterator::next).collect();
            vendor_row(project, e, breakdown)
        })
        .collect();
    rows.sort_by(|a, b| {
        b.total
            .total_cmp(&a.total)
            .then_with(|| a.name.cmp(&b.name))
    });
    for (i, row) in rows.iter_mut().enumerate() {
        row.rank = i + 1;
    }
    Ok(Scorecard {
        criteria: scored.iter().map(|c| c.name.clone()).collect(),
        rows,
        disqualified,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::vendor::case::{DACHENG, retail_case};
    use crate::domain::vendor::{DemoResult, Pilot};
    use proptest::prelude::*;

    fn criterion(name: &str, kind: CriterionKind, measure: Measure, weight: f64) -> Criterion {
        Criterion {
            name: name.to_string(),
            kind,
            measure,
            weight,
            scale: matches!(kind, CriterionKind::Benefit | CriterionKind::Cost)
                .then_some(Scale::Relative),
        }
    }

    fn band(name: &str, from: f64) -> Band {
        Band {
            name: name.to_string(),
            from,
        }
    }

    fn named(name: &str) -> String {
        name.to_string()
    }

    #[test]
    fn the_case_passes_its_checks() {
        let (project, _) = retail_case();
        assert_eq!(check(&project), Ok(()));
    }

    #[test]
    fn criteria_errors_name_the_criterion() {
        use CriterionKind::*;
        let ok = criterion("a", Benefit, Measure::ReleasesPerYear, 100.0);
        let cases = [
            (
                vec![criterion("a", Benefit, Measure::ReleasesPerYear, 60.0)],
                CriteriaError::WeightsSum { total: 60.0 },
            ),
            (
                vec![
                    ok.clone(),
                    criterion("b", Cost, Measure::SupportHours, -1.0),
                ],
                CriteriaError::BadWeight {
                    criterion: named("b"),
                },
            ),
            (
                vec![
                    ok.clone(),
                    criterion("b", Cost, Measure::SupportHours, f64::NAN),
                ],
                CriteriaError::BadWeight {
                    criterion: named("b"),
                },
            ),
            (
                vec![ok.clone(), criterion("a", Cost, Measure::SupportHours, 0.0)],
                CriteriaError::DuplicateCriterion {
                    criterion: named("a"),
                },
            ),
            (
                vec![
                    ok.clone(),
                    criterion("k", KnockOut, Measure::MustHave(named("saas")), 5.0),
                ],
                CriteriaError::WeightedKnockOut {
                    criterion: named("k"),
                },
            ),
            (
                vec![ok.clone(), criterion("r", Benefit, Measure::Rated, 0.0)],
                CriteriaError::KindMismatch {
                    criterion: named("r"),
                },
            ),
            (
                vec![
                    ok.clone(),
                    criterion("m", Cost, Measure::MustHave(named("oa")), 0.0),
                ],
                CriteriaError::KindMismatch {
                    criterion: named("m"),
                },
            ),
            (
                vec![
                    ok.clone(),
                    criterion("y", Rubric, Measure::IndustryYears, 0.0),
                ],
                CriteriaError::KindMismatch {
                    criterion: named("y"),
                },
            ),
        ];
        for (criteria, error) in cases {
            assert_eq!(check_criteria(&criteria), Err(error));
        }
        let within = [
            criterion("a", Benefit, Measure::ReleasesPerYear, 99.995),
            criterion("u", Rubric, Measure::DemoUsability, 0.0),
            criterion("k", KnockOut, Measure::MustHave(named("saas")), 0.0),
        ];
        assert_eq!(check_criteria(&within), Ok(()));
        crate::i18n::set_lang(crate::i18n::Lang::En);
        let text = CriteriaError::KindMismatch {
            criterion: named("r"),
        }
        .to_string();
        assert!(text.contains("“r”"), "{text}");
    }

    #[test]
    fn band_errors_name_the_band() {
        let cases = [
            (vec![], CriteriaError::NoBands),
            (
                vec![band("x", 0.0), band("x", 50.0)],
                CriteriaError::DuplicateBand { band: named("x") },
            ),
            (
                vec![band("x", 10.0)],
                CriteriaError::FirstBand { band: named("x") },
            ),
            (
                vec![band("x", 0.0), band("y", 50.0), band("z", 50.0)],
                CriteriaError::BandOrder { band: named("z") },
            ),
            (
                vec![band("x", 0.0), band("y", 120.0)],
                CriteriaError::BandRange { band: named("y") },
            ),
        ];
        for (bands, error) in cases {
            assert_eq!(check_bands(&bands), Err(error));
        }
        let bands = [band("reject", 0.0), band("ok", 60.0), band("top", 80.0)];
        assert_eq!(band_of(&bands, 59.99).unwrap().name, "reject");
        assert_eq!(band_of(&bands, 60.0).unwrap().name, "ok");
        assert_eq!(band_of(&bands, 100.0).unwrap().name, "top");
    }

    #[test]
    fn raw_values_follow_their_definitions() {
        let (project, vendors) = retail_case();
        let mut v = vendors[0].clone();
        let raw_of = |measure: Measure, v: &Vendor| {
            raw(
                &criterion("x", CriterionKind::Benefit, measure, 0.0),
                v,
                &project,
                123,
            )
        };
        assert_eq!(raw_of(Measure::IndustryYears, &v), Some(5.0));
        assert_eq!(raw_of(Measure::ReferenceClients, &v), Some(12.0));
        assert_eq!(raw_of(Measure::Integrations, &v), Some(3.0));
        assert_eq!(raw_of(Measure::OnsiteTraining, &v), Some(1.0));
        assert_eq!(raw_of(Measure::TotalCost, &v), Some(1.23));
        assert_eq!(raw_of(Measure::ModuleCoverage, &vendors[3]), Some(75.0));
        assert_eq!(raw_of(Measure::DemoMatch, &v), Some(100.0));
        assert_eq!(raw_of(Measure::PilotCrashes, &v), Some(0.0));
        assert_eq!(raw_of(Measure::PilotSatisfaction, &v), Some(85.0));
        assert!((raw_of(Measure::PilotTimeSaved, &v).unwrap() - 200.0 / 3.0).abs() < 1e-9);
        v.industries.clear();
        v.demo = Some(DemoResult {
            matched: vec![named("saas")],
            usability: 4.0,
            compatibility: 2.5,
        });
        v.pilot = Some(Pilot {
            days_before: 0.0,
            ..v.pilot.clone().unwrap()
        });
        v.ratings = vec![(named("x"), 3.5)];
        assert_eq!(
            raw_of(Measure::IndustryYears, &v),
            Some(0.0),
            "no retail entry"
        );
        assert_eq!(
            raw_of(Measure::DemoMatch, &v),
            Some(50.0),
            "saas, not attendance"
        );
        assert_eq!(raw_of(Measure::DemoCompatibility, &v), Some(2.5));
        assert_eq!(raw_of(Measure::PilotTimeSaved, &v), None, "nothing to save");
        assert_eq!(raw_of(Measure::Rated, &v), Some(3.5));
        assert_eq!(raw_of(Measure::Rated, &vendors[1]), None);
        assert_eq!(raw_of(Measure::DemoUsability, &vendors[3]), None);
        assert_eq!(
            raw_of(Measure::MustHave(named("private_cloud")), &vendors[2]),
            Some(1.0)
        );
        assert_eq!(
            raw_of(Measure::MustHave(named("saas")), &vendors[3]),
            Some(0.0)
        );
    }

    #[test]
    fn a_knock_out_is_explained() {
        let (project, vendors) = retail_case();
        let card = score(&project, &vendors).unwrap();
        let out = &card.disqualified[0];
        assert_eq!(out.vendor, DACHENG);
        assert!(card.row(DACHENG).is_none());
        crate::i18n::set_lang(crate::i18n::Lang::En);
        assert!(
            out.explain().ends_with("attendance, SaaS"),
            "{}",
            out.explain()
        );
    }

    #[test]
    fn normalisation_by_kind() {
        let raws = [Some(2.0), Some(4.0), None, Some(6.0)];
        assert_eq!(
            normalise(CriterionKind::Benefit, &raws),
            [0.0, 50.0, 0.0, 100.0]
        );
        assert_eq!(
            normalise(CriterionKind::Cost, &raws),
            [100.0, 50.0, 0.0, 0.0]
        );
        assert_eq!(
            normalise(CriterionKind::Rubric, &raws),
            [40.0, 80.0, 0.0, 100.0]
        );
        assert_eq!(
            normalise(CriterionKind::Cost, &[Some(3.0), Some(3.0)]),
            [100.0, 100.0]
        );
        assert_eq!(normalise(CriterionKind::Benefit, &[None, None]), [0.0, 0.0]);
    }

    /// A raw value that may be unknown.
    fn maybe() -> impl Strategy<Value = Option<f64>> {
        proptest::option::weighted(0.8, -1e6f64..1e6)
    }

    proptest! {
        /// Every score is within 0–100, the best known value scores 100 and
        /// the unknown score 0.
        #[test]
        fn scores_stay_within_bounds(
            raws in proptest::collection::vec(maybe(), 1..12),
            kind in prop_oneof![
                Just(CriterionKind::Benefit),
                Just(CriterionKind::Cost),
                Just(CriterionKind::Rubric)
            ],
        ) {
            let scores = normalise(kind, &raws);
            for (s, r) in scores.iter().zip(&raws) {
                prop_assert!((0.0..=100.0).contains(s), "{}", s);
                if r.is_none() {
                    prop_assert_eq!(*s, 0.0);
                }
            }
            if kind != CriterionKind::Rubric && raws.iter().any(Option::is_some) {
                prop_assert!(scores.contains(&100.0));
            }
        }

        /// A vendor is out exactly when it lacks a must-have, and its
        /// explanation lists every one it lacks.
        #[test]
        fn knock_outs_take_out_exactly_the_vendors_lacking_a_must_have(
            drops in proptest::collection::vec((any::<bool>(), any::<bool>()), 4)
        ) {
            let (project, mut vendors) = retail_case();
            for (v, (no_attendance, no_saas)) in vendors.iter_mut().zip(&drops) {
                if *no_attendance {
                    v.modules.retain(|m| m != "attendance");
                }
                if *no_saas {
                    v.deployments = vec![crate::domain::vendor::Deployment::PrivateCloud];
                }
            }
            let card = score(&project, &vendors).unwrap();
            for v in &vendors {
                let mut lacks = Vec::new();
                if !v.modules.iter().any(|m| m == "attendance") {
                    lacks.push(named("attendance"));
                }
                if !v.deployments.contains(&crate::domain::vendor::Deployment::Saas) {
                    lacks.push(named("saas"));
                }
                let out = card.disqualified.iter().find(|d| d.vendor == v.id);
                prop_assert_eq!(out.map(|d| d.missing.clone()).unwrap_or_default(), lacks.clone());
                prop_assert_eq!(card.row(v.id).is_some(), lacks.is_empty());
            }
        }

        /// With any valid weights the totals are within 0–100, equal the sum
        /// of their points, rank in order, and knock-outs never score.
        #[test]
        fn totals_are_weighted_sums_within_bounds(
            parts in proptest::collection::vec(0u32..100, 6),
            years in proptest::collection::vec(0.0f64..20.0, 4),
        ) {
            let (mut project, mut vendors) = retail_case();
            let sum: u32 = parts.iter().sum::<u32>().max(1);
            let scored = project.criteria.iter_mut().filter(|c| c.kind != CriterionKind::KnockOut);
            for (c, p) in scored.zip(&parts) {
                c.weight = f64::from(*p) * 100.0 / f64::from(sum);
            }
            if parts.iter().all(|&p| p == 0) {
                project.criteria[0].weight = 100.0;
            }
            for (v, y) in vendors.iter_mut().zip(&years) {
                v.industries[0].years = *y;
            }
            let card = score(&project, &vendors).unwrap();
            prop_assert_eq!(card.disqualified.len(), 1);
            for (i, row) in card.rows.iter().enumerate() {
                let points: f64 = row.breakdown.iter().map(|c| c.points).sum();
                prop_assert!((row.total - points.clamp(0.0, 100.0)).abs() < 1e-9);
                prop_assert!((0.0..=100.0).contains(&row.total));
                prop_assert_eq!(row.rank, i + 1);
                prop_assert!(row.vendor != DACHENG);
            }
            for pair in card.rows.windows(2) {
                prop_assert!(pair[0].total >= pair[1].total);
            }
        }

        /// With absolute scales a vendor's total and standing are its own:
        /// removing a vendor from a random project, or adding it back,
        /// never changes another vendor's.
        #[test]
        fn absolute_totals_ignore_the_other_vendors(
            parts in proptest::collection::vec(1u32..100, 6),
            years in proptest::collection::vec(0.0f64..20.0, 5),
            hours in proptest::collection::vec(0.5f64..100.0, 5),
            prices in proptest::collection::vec(1_000i64..50_000, 5),
            piloted in proptest::collection::vec(any::<bool>(), 5),
            drop in 0usize..5,
            reweight in any::<bool>(),
            worst in 0.0f64..10.0,
            span in 0.5f64..20.0,
        ) {
            let (mut project, mut vendors) = retail_case();
            let sum: u32 = parts.iter().sum();
            let scored = project.criteria.iter_mut().filter(|c| c.kind != CriterionKind::KnockOut);
            for (c, p) in scored.zip(&parts) {
                c.weight = f64::from(*p) * 100.0 / f64::from(sum);
                if c.measure == Measure::IndustryYears {
                    c.scale = Some(Scale::Points(vec![
                        scale::ScalePoint { value: worst, score: 0.0 },
                        scale::ScalePoint { value: worst + span, score: 100.0 },
                    ]));
                }
            }
            project.unpiloted = if reweight { Unpiloted::Reweight } else { Unpiloted::Disqualify };
            let mut extra = vendors[0].clone();
            extra.id = VendorId(9);
            extra.name = "extra".into();
            vendors.push(extra);
            for (i, v) in vendors.iter_mut().enumerate() {
                v.industries[0].years = years[i];
                v.support_hours = hours[i];
                v.pricing = crate::domain::vendor::Pricing::PerHead { per_year: prices[i] };
                if !piloted[i] {
                    v.pilot = None;
                }
            }
            let all = score(&project, &vendors).unwrap();
            let gone = vendors[drop].id;
            let fewer: Vec<Vendor> = vendors.iter().filter(|v| v.id != gone).cloned().collect();
            let without = score(&project, &fewer).unwrap();
            for row in &without.rows {
                let before = all.row(row.vendor).unwrap();
                prop_assert_eq!(before.total, row.total);
                prop_assert_eq!(&before.band, &row.band);
            }
            prop_assert_eq!(all.rows.len(), without.rows.len() + usize::from(all.row(gone).is_some()));
        }
    }
}
