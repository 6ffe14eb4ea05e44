//! The worked case of the source article: a retailer with 10 stores and
//! 300 staff (growing 5 % a year), a budget of 80,000 yuan a year over three
//! years, three vendors compared and one dropped at the must-haves; the
//! vendor with five years of retail experience wins after a one-month pilot
//! in sales. Shared by the tests, the demo and the CLI.
//!
//! The scales are absolute and taken from the article: five years in the
//! industry is full marks; support within 24 h (the article's threshold)
//! scores 60, 4 h 100 and 72 h 0; two to three releases a year (the
//! article's mark) 60; the three-year budget (3 × 80,000 yuan) scores 60,
//! half of it 100 and half as much again 0; the pilot's 3 days → 1 day
//! (two thirds saved) is full marks. A vendor not piloted is ranked on the
//! other criteria, re-weighted, and shown as not piloted.

use super::scale::{Scale, ScalePoint};
use super::{
    Band, Criterion, CriterionKind, DemoResult, Deployment, Escalation, IndustryExperience,
    Integration, Measure, Pilot, Pricing, Project, ProjectId, Quarter, Unpiloted, Vendor, VendorId,
};

/// The case's project id.
pub const PROJECT: ProjectId = ProjectId(1);
/// The winner: five years in retail, piloted in sales.
pub const YUNCAI: VendorId = VendorId(1);
/// The cheapest, piloted in store operations.
pub const ZHIXIANG: VendorId = VendorId(2);
/// The dearest of the three, not piloted.
pub const HUITONG: VendorId = VendorId(3);
/// The most experienced, but private cloud only and without attendance.
pub const DACHENG: VendorId = VendorId(4);

/// The industry of the case.
const RETAIL: &str = "retail";

/// A criterion of the case, unscaled (a rubric or a knock-out).
fn criterion(name: &str, kind: CriterionKind, measure: Measure, weight: f64) -> Criterion {
    Criterion {
        name: name.to_string(),
        kind,
        measure,
        weight,
        scale: None,
    }
}

/// A benefit or cost of the case on its absolute scale (value, score).
fn scaled(
    name: &str,
    kind: CriterionKind,
    measure: Measure,
    weight: f64,
    points: &[(f64, f64)],
) -> Criterion {
    let points = points
        .iter()
        .map(|&(value, score)| ScalePoint { value, score })
        .collect();
    Criterion {
        scale: Some(Scale::Points(points)),
        ..criterion(name, kind, measure, weight)
    }
}

/// The case's criteria: 25 + 10 + 10 + 25 + 15 + 15 = 100, and two knock-outs.
fn criteria() -> Vec<Criterion> {
    use CriterionKind::{Benefit, Cost, KnockOut, Rubric};
    let budget = 240_000.0; // 3 × 80,000 yuan
    vec![
        scaled(
            "零售经验", // data: retail experience
            Benefit,
            Measure::IndustryYears,
            25.0,
            &[(0.0, 0.0), (5.0, 100.0)],
        ),
        scaled(
            "响应时间", // data: support hours
            Cost,
            Measure::SupportHours,
            10.0,
            &[(72.0, 0.0), (24.0, 60.0), (4.0, 100.0)],
        ),
        scaled(
            "版本迭代", // data: release cadence
            Benefit,
            Measure::ReleasesPerYear,
            10.0,
            &[(0.0, 0.0), (3.0, 60.0), (12.0, 100.0)],
        ),
        scaled(
            "三年总成本", // data: total cost
            Cost,
            Measure::TotalCost,
            25.0,
            &[(budget * 1.5, 0.0), (budget, 60.0), (budget / 2.0, 100.0)],
        ),
        criterion("易用性", Rubric, Measure::DemoUsability, 15.0), // data: usability
        scaled(
            "试点提效", // data: pilot time saved
            Benefit,
            Measure::PilotTimeSaved,
            15.0,
            &[(0.0, 0.0), (30.0, 60.0), (60.0, 100.0)],
        ),
        criterion("考勤模块", KnockOut, must("attendance"), 0.0), // data: attendance module
        criterion("SaaS部署", KnockOut, must("saas"), 0.0),       // data: SaaS deployment
    ]
}

fn must(what: &str) -> Measure {
    Measure::MustHave(what.to_string())
}

fn band(name: &str, from: f64) -> Band {
    Band {
        name: name.to_string(),
        from,
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// The modules the retailer needs.
const MODULES: [&str; 4] = ["core_hr", "attendance", "payroll", "performance"];

/// The retailer's selection project.
fn project() -> Project {
    Project {
        id: PROJECT,
        name: "十店零售人事系统选型".to_string(), // data: the project's name
        headcount: 300,
        industry: RETAIL.to_string(),
        deployment: Deployment::Saas,
        modules: strings(&MODULES),
        annual_budget: 8_000_000,
        horizon_years: 3,
        growth_pct: 5.0,
        criteria: criteria(),
        bands: vec![
            band("淘汰", 0.0),    // data: reject
            band("可接受", 60.0), // data: acceptable
            band("优选", 80.0),   // data: preferred
        ],
        chosen: Some(YUNCAI),
        chosen_from: Quarter::FIRST,
        unpiloted: Unpiloted::Reweight,
        implementation_quarters: vec![1],
        escalation: Escalation {
            training: false,
            ..Escalation::ALL
        },
    }
}

/// Retail experience of `years` with `clients` reference clients.
fn retail(years: f64, clients: u32) -> Vec<IndustryExperience> {
    vec![IndustryExperience {
        industry: RETAIL.to_string(),
        years,
        reference_clients: clients,
    }]
}

/// A demo that showed both must-haves, with the given marks.
fn demo(usability: f64, compatibility: f64) -> Option<DemoResult> {
    Some(DemoResult {
        matched: strings(&["attendance", "saas"]),
        usability,
        compatibility,
    })
}

/// A four-week pilot timing the appraisal tally.
fn pilot(department: &str, crashes: u32, days_after: f64, satisfaction_pct: f64) -> Option<Pilot> {
    Some(Pilot {
        department: department.to_string(),
        weeks: 4,
        crashes,
        task: "appraisal tally".to_string(), // data: the piloted task
        days_before: 3.0,
        days_after,
        satisfaction_pct,
    })
}

/// 云才: five years and 12 clients in retail, per head 180 yuan a year.
fn yuncai() -> Vendor {
    Vendor {
        id: YUNCAI,
        project: PROJECT,
        name: "云才科技".to_string(), // data: vendor name
        deployments: vec![Deployment::Saas],
        industries: retail(5.0, 12),
        releases_per_year: 12,
        support_hours: 4.0,
        onsite_training: true,
        modules: strings(&MODULES),
        integrations: vec![Integration::Erp, Integration::Oa, Integration::Attendance],
        offers: Vec::new(),
        pricing: Pricing::PerHead { per_year: 18_000 },
        implementation: 1_000_000,
        training_per_year: 200_000,
        maintenance_per_year: 300_000,
        escalation_pct: 3.0,
        demo: demo(4.5, 4.0),
        pilot: pilot("销售部", 0, 1.0, 85.0), // data: the sales department
        ratings: Vec::new(),
    }
}

/// 智享: four years in retail, a flat 50,000 yuan a year rising 5 %.
fn zhixiang() -> Vendor {
    Vendor {
        id: ZHIXIANG,
        name: "智享人力".to_string(), // data: vendor name
        industries: retail(4.0, 6),
        releases_per_year: 6,
        support_hours: 8.0,
        onsite_training: false,
        integrations: vec![Integration::Attendance],
        pricing: Pricing::Flat {
            per_year: 5_000_000,
        },
        implementation: 1_500_000,
        training_per_year: 300_000,
        maintenance_per_year: 400_000,
        escalation_pct: 5.0,
        demo: demo(4.0, 3.0),
        pilot: pilot("门店运营部", 2, 2.0, 70.0), // data: store operations
        ..yuncai()
    }
}

/// 汇通: two years in retail, per head 200 yuan, not piloted.
fn huitong() -> Vendor {
    Vendor {
        id: HUITONG,
        name: "汇通软件".to_string(), // data: vendor name
        deployments: vec![Deployment::Saas, Deployment::PrivateCloud],
        industries: retail(2.0, 3),
        releases_per_year: 8,
        support_hours: 24.0,
        integrations: vec![Integration::Erp],
        pricing: Pricing::PerHead { per_year: 20_000 },
        implementation: 800_000,
        training_per_year: 100_000,
        maintenance_per_year: 200_000,
        escalation_pct: 0.0,
        demo: demo(3.5, 3.0),
        pilot: None,
        ..yuncai()
    }
}

/// 大成: eight years in retail, but private cloud only and no attendance
/// module: knocked out. Per module 25,000 yuan a year.
fn dacheng() -> Vendor {
    Vendor {
        id: DACHENG,
        name: "大成信息".to_string(), // data: vendor name
        deployments: vec![Deployment::PrivateCloud],
        industries: retail(8.0, 30),
        releases_per_year: 4,
        support_hours: 12.0,
        modules: strings(&["core_hr", "payroll", "performance"]),
        pricing: Pricing::PerModule {
            per_year: 2_500_000,
        },
        implementation: 3_000_000,
        training_per_year: 500_000,
        maintenance_per_year: 800_000,
        escalation_pct: 5.0,
        demo: None,
        pilot: None,
        ..yuncai()
    }
}

/// The retail case: the project and its four vendors (云才, 智享, 汇通, 大成).
pub fn retail_case() -> (Project, Vec<Vendor>) {
    (project(), vec![yuncai(), zhixiang(), huitong(), dacheng()])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::vendor::budget::projection;
    use crate::domain::vendor::scorecard::score;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    /// (software, implementation, training, maintenance, total) of each year.
    fn lines(vendor: &Vendor) -> Vec<[i64; 5]> {
        let (project, _) = retail_case();
        projection(&project, vendor)
            .years
            .iter()
            .map(|y| {
                [
                    y.software,
                    y.implementation,
                    y.training,
                    y.maintenance,
                    y.total,
                ]
            })
            .collect()
    }

    #[test]
    fn the_budget_lines_of_each_vendor_computed_by_hand() {
        // Headcount: 300; 300 × 1.05 = 315; 300 × 1.05² = 330.75 → 331.
        let (project, vendors) = retail_case();
        let heads: Vec<u32> = projection(&project, &vendors[0])
            .years
            .iter()
            .map(|y| y.headcount)
            .collect();
        assert_eq!(heads, [300, 315, 331]);

        // 云才, per head 180 yuan, +3 % a year on software and maintenance:
        // y1: 300 × 18,000 = 5,400,000 + 1,000,000 + 200,000 + 300,000 = 6,900,000
        // y2: 315 × 18,000 × 1.03 = 5,840,100; 300,000 × 1.03 = 309,000
        //     → 5,840,100 + 200,000 + 309,000 = 6,349,100
        // y3: 331 × 18,000 × 1.0609 = 6,320,842.2 → 6,320,842 (half up);
        //     300,000 × 1.0609 = 318,270 → 6,320,842 + 200,000 + 318,270 = 6,839,112
        // total 20,088,212 fen (200,882.12 yuan)
        assert_eq!(
            lines(&vendors[0]),
            [
                [5_400_000, 1_000_000, 200_000, 300_000, 6_900_000],
                [5_840_100, 0, 200_000, 309_000, 6_349_100],
                [6_320_842, 0, 200_000, 318_270, 6_839_112],
            ]
        );
        // 智享, flat 50,000 yuan, +5 %:
        // y1: 5,000,000 + 1,500,000 + 300,000 + 400,000 = 7,200,000
        // y2: 5,250,000 + 300,000 + 420,000 = 5,970,000
        // y3: 5,512,500 + 300,000 + 441,000 = 6,253,500 → total 19,423,500
        assert_eq!(
            lines(&vendors[1]),
            [
                [5_000_000, 1_500_000, 300_000, 400_000, 7_200_000],
                [5_250_000, 0, 300_000, 420_000, 5_970_000],
                [5_512_500, 0, 300_000, 441_000, 6_253_500],
            ]
        );
        // 汇通, per head 200 yuan, no rise:
        // y1: 6,000,000 + 800,000 + 100,000 + 200,000 = 7,100,000
        // y2: 315 × 20,000 = 6,300,000 + 300,000 = 6,600,000
        // y3: 331 × 20,000 = 6,620,000 + 300,000 = 6,920,000 → total 20,620,000
        assert_eq!(
            lines(&vendors[2]),
            [
                [6_000_000, 800_000, 100_000, 200_000, 7_100_000],
                [6_300_000, 0, 100_000, 200_000, 6_600_000],
                [6_620_000, 0, 100_000, 200_000, 6_920_000],
            ]
        );
        // 大成, 3 of the 4 needed modules × 25,000 yuan, +5 %:
        // y1: 7,500,000 + 3,000,000 + 500,000 + 800,000 = 11,800,000 (over 8,000,000)
        // y2: 7,875,000 + 500,000 + 840,000 = 9,215,000 (over)
        // y3: 8,268,750 + 500,000 + 882,000 = 9,650,750 (over) → 30,665,750
        assert_eq!(
            lines(&vendors[3]),
            [
                [7_500_000, 3_000_000, 500_000, 800_000, 11_800_000],
                [7_875_000, 0, 500_000, 840_000, 9_215_000],
                [8_268_750, 0, 500_000, 882_000, 9_650_750],
            ]
        );
        let totals: Vec<(i64, bool)> = vendors
            .iter()
            .map(|v| projection(&project, v))
            .map(|p| (p.total, p.over_budget))
            .collect();
        assert_eq!(
            totals,
            [
                (20_088_212, false),
                (19_423_500, false),
                (20_620_000, false),
                (30_665_750, true),
            ],
            "against 3 × 8,000,000 = 24,000,000"
        );
        let dacheng = projection(&project, &vendors[3]);
        assert!(dacheng.years.iter().all(|y| y.over_budget));
    }

    #[test]
    fn the_vendor_with_five_years_in_retail_wins() {
        let (project, vendors) = retail_case();
        let card = score(&project, &vendors).unwrap();

        // 大成 is out: no attendance module, no SaaS.
        assert_eq!(card.disqualified.len(), 1);
        assert_eq!(card.disqualified[0].vendor, DACHENG);
        assert_eq!(card.disqualified[0].missing, ["attendance", "saas"]);

        // Each on its own values against the article's scales:
        // experience 0..5 years; response 72=0,24=60,4=100 h;
        // releases 0=0,3=60,12=100; cost 360,000=0,240,000=60,120,000=100 yuan;
        // usability x / 5; pilot time saved 0=0,30=60,60=100 %.
        let on = |low: f64, high: f64, from: f64, to: f64, x: f64| {
            from + (x - low) / (high - low) * (to - from)
        };
        // 云才: 5 y → 100; 4 h → 100; 12 → 100; 200,882.12 yuan; 4.5 → 90; 66.7 % → 100.
        let yuncai_cost = on(240_000.0, 120_000.0, 60.0, 100.0, 200_882.12);
        let yuncai = 25.0 + 10.0 + 10.0 + 0.25 * yuncai_cost + 13.5 + 15.0;
        // 智享: 4 y → 80; 8 h → 92; 6 → 73.3; 194,235 yuan; 4.0 → 80; 33.3 % → 64.4.
        let zhixiang = 20.0
            + 9.2
            + 0.1 * on(3.0, 12.0, 60.0, 100.0, 6.0)
            + 0.25 * on(240_000.0, 120_000.0, 60.0, 100.0, 194_235.0)
            + 12.0
            + 0.15 * on(30.0, 60.0, 60.0, 100.0, 100.0 / 3.0);
        // 汇通, not piloted: 2 y → 40; 24 h → 60; 8 → 82.2; 206,200 yuan;
        // 3.5 → 70; the other 85 % of the weight scaled up to 100.
        let huitong = (10.0
            + 6.0
            + 0.1 * on(3.0, 12.0, 60.0, 100.0, 8.0)
            + 0.25 * on(240_000.0, 120_000.0, 60.0, 100.0, 206_200.0)
            + 10.5)
            * 100.0
            / 85.0;
        let expected = [
            (YUNCAI, yuncai, "优选"),
            (ZHIXIANG, zhixiang, "可接受"),
            (HUITONG, huitong, "可接受"),
        ];
        assert_eq!(card.rows.len(), 3);
        for ((row, (id, total, band)), rank) in card.rows.iter().zip(expected).zip(1..) {
            assert_eq!(row.vendor, id);
            assert!(
                close(row.total, total),
                "{} {} {total}",
                row.name,
                row.total
            );
            assert_eq!(row.band, band);
            assert_eq!(row.rank, rank);
        }
        assert!(
            close(card.rows[0].total, 91.759_823_333),
            "{}",
            card.rows[0].total
        );

        // 汇通 was not piloted: the pilot is not measured, never 0.
        let huitong_row = &card.rows[2];
        assert!(huitong_row.not_piloted);
        assert!(huitong_row.missing.is_empty());
        assert!(huitong_row.breakdown[5].not_piloted);
        assert_eq!(huitong_row.breakdown[5].weight, 0.0);
        // The breakdown of the winner's cost line, in yuan.
        let cost = &card.rows[0].breakdown[3];
        assert_eq!(cost.raw, Some(200_882.12));
        assert!(close(cost.score, yuncai_cost));
        // Best in each row: experience 云才, cost 智享, pilot 云才.
        assert_eq!(card.best_in(0), [YUNCAI]);
        assert_eq!(card.best_in(3), [ZHIXIANG]);
        assert_eq!(card.best_in(5), [YUNCAI]);
        assert_eq!(project.chosen, Some(card.rows[0].vendor));
    }

    #[test]
    fn removing_the_last_placed_vendor_moves_nobody_else() {
        let (project, vendors) = retail_case();
        let all = score(&project, &vendors).unwrap();
        let without: Vec<Vendor> = vendors.into_iter().filter(|v| v.id != HUITONG).collect();
        let fewer = score(&project, &without).unwrap();
        for id in [YUNCAI, ZHIXIANG] {
            let (before, after) = (all.row(id).unwrap(), fewer.row(id).unwrap());
            assert_eq!((before.total, &before.band), (after.total, &after.band));
        }
    }

    #[test]
    fn the_pilot_in_sales_is_the_articles() {
        let (_, vendors) = retail_case();
        let pilot = vendors[0].pilot.as_ref().unwrap();
        assert_eq!(
            (pilot.weeks, pilot.days_before, pilot.days_after),
            (4, 3.0, 1.0)
        );
        assert_eq!(vendors[0].industries[0].years, 5.0);
    }
}
