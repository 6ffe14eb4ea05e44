//! Vendor selection through a session: projects and vendors kept with their
//! rules (unique names, numbers in range, each refusal naming its field), a
//! vendor chosen and then kept, quarterly spend recorded and corrected, and
//! who may change what.

use crate::common;

use common::*;
use hrdesk::domain::operator::Role;
use hrdesk::domain::vendor::case::retail_case;
use hrdesk::domain::vendor::rules::RuleError;
use hrdesk::domain::vendor::{
    Deployment, Pricing, Project, ProjectId, Quarter, Unpiloted, Vendor, VendorId,
};
use hrdesk::service::{OpError, Session};

/// The retail case's project (its criteria and bands) under another name.
fn project(name: &str) -> Project {
    Project {
        name: name.into(),
        chosen: None,
        ..retail_case().0
    }
}

fn vendor(project: ProjectId, name: &str) -> Vendor {
    Vendor {
        id: VendorId(0),
        project,
        name: name.into(),
        deployments: vec![Deployment::Saas],
        industries: Vec::new(),
        releases_per_year: 4,
        support_hours: 24.0,
        onsite_training: true,
        modules: vec!["core_hr".into(), "attendance".into()],
        integrations: Vec::new(),
        offers: Vec::new(),
        pricing: Pricing::PerHead { per_year: 12_000 },
        implementation: 1_000_000,
        training_per_year: 100_000,
        maintenance_per_year: 200_000,
        escalation_pct: 3.0,
        demo: None,
        pilot: None,
        ratings: Vec::new(),
    }
}

#[test]
fn projects_and_vendors_keep_their_rules() {
    let session = demo_session();
    let first = session
        .add_vendor_project(project("  HR system  2027 "))
        .unwrap();
    assert_eq!(first.name, "HR system 2027");
    assert!(matches!(
        session.add_vendor_project(project("hr SYSTEM 2027")),
        Err(OpError::Vendor(RuleError::NameTaken(_)))
    ));
    let mut too_long = project("Another");
    too_long.horizon_years = 4;
    let refused = session.add_vendor_project(too_long).unwrap_err();
    // Named in words, not by the field's identifier.
    let text = refused.to_string();
    assert!(
        text.contains("years planned for") && !text.contains("horizon_years"),
        "{text}"
    );

    let a = session.add_vendor(vendor(first.id, "Moka")).unwrap();
    assert!(matches!(
        session.add_vendor(vendor(first.id, "moka")),
        Err(OpError::Vendor(RuleError::NameTaken(_)))
    ));
    let mut negative = vendor(first.id, "Beisen");
    negative.implementation = -1;
    let refused = session.add_vendor(negative).unwrap_err();
    assert!(
        refused.to_string().contains("implementation fee"),
        "{refused}"
    );
    assert!(matches!(
        session.add_vendor(vendor(ProjectId(99), "Nowhere")),
        Err(OpError::Vendor(RuleError::UnknownProject(_)))
    ));
    let mut cheaper = a.clone();
    cheaper.pricing = Pricing::PerHead { per_year: 10_000 };
    session.update_vendor(cheaper).unwrap();
    assert_eq!(
        session.vendors_of(first.id).unwrap()[0].pricing,
        Pricing::PerHead { per_year: 10_000 }
    );
}

#[test]
fn the_chosen_vendor_stays_and_its_spend_is_recorded_by_quarter() {
    let session = demo_session();
    let p = session.add_vendor_project(project("HR system")).unwrap();
    let a = session.add_vendor(vendor(p.id, "A")).unwrap();
    let b = session.add_vendor(vendor(p.id, "B")).unwrap();
    assert!(matches!(
        session.choose_vendor(p.id, VendorId(999)),
        Err(OpError::Vendor(RuleError::UnknownVendor(_)))
    ));
    session.choose_vendor(p.id, a.id).unwrap();
    assert_eq!(session.vendor_project(p.id).unwrap().chosen, Some(a.id));
    assert!(matches!(
        session.remove_vendor(a.id),
        Err(OpError::Vendor(RuleError::ChosenVendor(_)))
    ));
    session.remove_vendor(b.id).unwrap();
    assert_eq!(session.vendors_of(p.id).unwrap().len(), 1);

    session
        .record_spend(p.id, Quarter::FIRST, 2_500_000)
        .unwrap();
    session
        .record_spend(p.id, Quarter::FIRST, 2_400_000)
        .unwrap();
    let log = session.audit_log().unwrap();
    let corrected = log.last().unwrap();
    assert_eq!(corrected.record.action, "vendor.spend");
    assert_eq!(corrected.record.change(), "amount: 25000.00 → 24000.00");
}

#[test]
fn viewers_read_projects_and_only_hr_and_admin_change_them() {
    let session = demo_session();
    let p = session.add_vendor_project(project("HR system")).unwrap();
    let viewer = session.as_role("wang", Role::Viewer);
    assert!(
        viewer
            .vendor_projects()
            .unwrap()
            .iter()
            .any(|project| project.id == p.id)
    );
    assert!(matches!(
        viewer.add_vendor(vendor(p.id, "A")),
        Err(OpError::Denied(_))
    ));
    let manager = session.as_role(
        "zhao",
        Role::Manager(hrdesk::domain::department::DepartmentId(1)),
    );
    assert!(matches!(manager.vendor_projects(), Err(OpError::Denied(_))));
}

/// The retail case stored through the session: its project, then its
/// vendors; the vendors' ids as stored, in the case's order.
fn retail(session: &Session) -> (Project, Vec<VendorId>) {
    let (case, vendors) = retail_case();
    let case = Project {
        name: "Retail case (test)".into(),
        ..case
    };
    let project = session.add_vendor_project(case).unwrap();
    let ids = vendors
        .into_iter()
        .map(|v| {
            session
                .add_vendor(Vendor {
                    project: project.id,
                    ..v
                })
                .unwrap()
                .id
        })
        .collect();
    (project, ids)
}

#[test]
fn the_retail_case_ranks_its_vendors_and_plans_the_chosen_ones_quarters() {
    let session = demo_session();
    let (project, ids) = retail(&session);
    let report = session.vendor_report(project.id).unwrap();
    let ranked: Vec<&str> = report
        .scorecard
        .rows
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(
        ranked[0], report.vendors[0].name,
        "the retail specialist wins"
    );
    assert_eq!(report.scorecard.disqualified.len(), 1);
    assert!(report.plan.is_empty(), "nothing chosen yet");
    assert!(matches!(
        session.record_spend(project.id, Quarter::FIRST, 1),
        Err(OpError::Vendor(RuleError::NoneChosen))
    ));
    let knocked_out = session.choose_vendor(project.id, ids[3]).unwrap_err();
    assert!(
        knocked_out.to_string().contains("attendance"),
        "{knocked_out}"
    );
    session.choose_vendor(project.id, ids[0]).unwrap();
    // Q1's plan holds the implementation, due in Q1.
    let q1 = session.vendor_report(project.id).unwrap().plan[0].plan;
    session
        .record_spend(project.id, Quarter::FIRST, q1 + 100_000)
        .unwrap();
    let bad = session.record_spend(
        project.id,
        Quarter {
            year: 4,
            quarter: 1,
        },
        1,
    );
    assert!(
        matches!(bad, Err(OpError::Vendor(RuleError::Spend(_)))),
        "{bad:?}"
    );
    let report = session.vendor_report(project.id).unwrap();
    assert_eq!(
        report.plan.len(),
        12,
        "four quarters a year over three years"
    );
    assert!(report.plan[0].over_plan);
    assert!(report.plan[0].warning().is_some());
}

#[test]
fn pairwise_comparisons_set_the_weights_unless_inconsistent() {
    let session = demo_session();
    let (project, _) = retail(&session);
    let names: Vec<String> = project
        .criteria
        .iter()
        .filter(|c| c.kind != hrdesk::domain::vendor::CriterionKind::KnockOut)
        .map(|c| c.name.clone())
        .collect();
    // The first twice as important as the next two, which are twice as
    // important as the rest: a consistent matrix on Saaty's scale.
    let wanted: Vec<f64> = (0..names.len())
        .map(|i| match i {
            0 => 4.0,
            1 | 2 => 2.0,
            _ => 1.0,
        })
        .collect();
    let matrix: Vec<Vec<f64>> = wanted
        .iter()
        .map(|a| wanted.iter().map(|b| a / b).collect())
        .collect();
    let found = session
        .set_pairwise_weights(project.id, &names, &matrix, false)
        .unwrap();
    assert!(found.cr < 0.01, "{found:?}");
    let stored = session.vendor_project(project.id).unwrap();
    let weight = |name: &str| {
        stored
            .criteria
            .iter()
            .find(|c| c.name == name)
            .unwrap()
            .weight
    };
    assert!((weight(&names[0]) - 2.0 * weight(&names[1])).abs() < 0.02);
    let total: f64 = names.iter().map(|n| weight(n)).sum();
    assert!((total - 100.0).abs() < 1e-9, "{total}");

    let mut circular = matrix.clone();
    circular[0][2] = 1.0 / 9.0;
    circular[2][0] = 9.0;
    circular[0][1] = 9.0;
    circular[1][0] = 1.0 / 9.0;
    circular[1][2] = 9.0;
    circular[2][1] = 1.0 / 9.0;
    let refused = session.set_pairwise_weights(project.id, &names, &circular, false);
    assert!(
        matches!(refused, Err(OpError::Vendor(RuleError::Ahp(_)))),
        "{refused:?}"
    );
    let wrong = session.set_pairwise_weights(project.id, &names[..2], &matrix, false);
    assert!(matches!(
        wrong,
        Err(OpError::Vendor(RuleError::Compared { .. }))
    ));
}

#[test]
fn removing_the_last_placed_vendor_moves_nobody_else() {
    // Before, min–max scoring moved 云才科技 from 84.61 优选 to 73.50 可接受
    // and 智享人力 from 61.67 可接受 to 37.00 淘汰.
    let session = demo_session();
    let (project, ids) = retail(&session);
    let standing = |session: &Session| {
        let report = session.vendor_report(project.id).unwrap();
        [ids[0], ids[1]].map(|id| {
            let row = report.scorecard.row(id).unwrap();
            (row.total, row.band.clone())
        })
    };
    let before = standing(&session);
    let last = session.vendor_report(project.id).unwrap();
    let last = last.scorecard.rows.last().unwrap().vendor;
    assert_eq!(last, ids[2]);
    session.remove_vendor(last).unwrap();
    assert_eq!(standing(&session), before);
    assert_eq!(before[0].1, "优选");
    assert_eq!(before[1].1, "可接受");
}

#[test]
fn a_24_hour_response_scores_and_a_poor_pilot_is_not_no_pilot() {
    let session = demo_session();
    let (project, ids) = retail(&session);
    let mut poor = session.vendors_of(project.id).unwrap()[1].clone();
    let pilot = poor.pilot.as_mut().unwrap();
    pilot.days_after = pilot.days_before;
    session.update_vendor(poor).unwrap();
    let report = session.vendor_report(project.id).unwrap();
    // 汇通: support within 24 h, the article's threshold, scores 60, not 0.
    let huitong = report.scorecard.row(ids[2]).unwrap();
    assert_eq!(huitong.breakdown[1].raw, Some(24.0));
    assert_eq!(huitong.breakdown[1].score, 60.0);
    // A measured pilot that saved nothing scores 0 and counts; no pilot
    // is not measured: its weight goes to the other criteria.
    let zhixiang = report.scorecard.row(ids[1]).unwrap();
    assert_eq!(zhixiang.breakdown[5].raw, Some(0.0));
    assert!(!zhixiang.not_piloted);
    assert!(huitong.not_piloted);
    assert_eq!(huitong.breakdown[5].raw, None);
    assert_eq!(huitong.breakdown[5].weight, 0.0);
    let weights: f64 = huitong.breakdown.iter().map(|c| c.weight).sum();
    assert!((weights - 100.0).abs() < 1e-9, "{weights}");
    // The project may count a pilot as required instead.
    let strict = Project {
        unpiloted: Unpiloted::Disqualify,
        ..session.vendor_project(project.id).unwrap()
    };
    session.update_vendor_project(strict).unwrap();
    let report = session.vendor_report(project.id).unwrap();
    let out = report
        .scorecard
        .disqualified
        .iter()
        .find(|d| d.vendor == ids[2])
        .unwrap();
    assert!(out.not_piloted);
    let refused = session.choose_vendor(project.id, ids[2]).unwrap_err();
    assert!(refused.to_string().contains("汇通软件"), "{refused}");
}

#[test]
fn a_knocked_out_vendor_is_refused_by_name() {
    let session = demo_session();
    let (project, ids) = retail(&session);
    let refused = session.choose_vendor(project.id, ids[3]).unwrap_err();
    let text = refused.to_string();
    assert!(text.contains("大成信息"), "{text}");
    assert!(!text.contains(&ids[3].to_string()), "{text}");
    assert!(text.contains("SaaS"), "must-haves by their names: {text}");
}

#[test]
fn switching_vendors_keeps_the_spend_on_the_vendor_it_was_paid_to() {
    let session = demo_session();
    let (project, ids) = retail(&session);
    session.choose_vendor(project.id, ids[0]).unwrap();
    session
        .record_spend(project.id, Quarter::FIRST, 2_000_000)
        .unwrap();
    session
        .record_spend(
            project.id,
            Quarter {
                year: 1,
                quarter: 2,
            },
            1_500_000,
        )
        .unwrap();
    session.choose_vendor(project.id, ids[1]).unwrap();
    let switched = session.vendor_project(project.id).unwrap();
    assert_eq!(
        switched.chosen_from,
        Quarter {
            year: 1,
            quarter: 3
        }
    );
    let report = session.vendor_report(project.id).unwrap();
    assert_eq!((report.plan[0].year, report.plan[0].quarter), (1, 3));
    assert_eq!(report.plan.len(), 10);
    assert!(report.plan.iter().all(|q| q.actual.is_none()));
    assert_eq!(report.spent_elsewhere, [(ids[0], 3_500_000)]);
    let early = session
        .record_spend(project.id, Quarter::FIRST, 1)
        .unwrap_err();
    assert!(
        matches!(early, OpError::Vendor(RuleError::BeforeChoice { .. })),
        "{early:?}"
    );
    assert!(early.to_string().contains("智享人力"), "{early}");
    let log = session.audit_log().unwrap();
    let choice = log
        .iter()
        .rev()
        .find(|e| e.record.action == "vendor_project.choose")
        .unwrap();
    let before = choice.record.before.as_deref().unwrap();
    let after = choice.record.after.as_deref().unwrap();
    assert!(before.contains("云才科技"), "{before}");
    assert!(
        after.contains("智享人力") && after.contains("Y1 Q3"),
        "{after}"
    );
}
