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
    Deployment, Pricing, Project, ProjectId, QuarterSpend, Vendor, VendorId,
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
    assert!(refused.to_string().contains("horizon_years"), "{refused}");

    let a = session.add_vendor(vendor(first.id, "Moka")).unwrap();
    assert!(matches!(
        session.add_vendor(vendor(first.id, "moka")),
        Err(OpError::Vendor(RuleError::NameTaken(_)))
    ));
    let mut negative = vendor(first.id, "Beisen");
    negative.implementation = -1;
    let refused = session.add_vendor(negative).unwrap_err();
    assert!(refused.to_string().contains("implementation"), "{refused}");
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

    let spend = QuarterSpend {
        year: 1,
        quarter: 1,
        amount: 2_500_000,
    };
    session.record_spend(p.id, spend).unwrap();
    session
        .record_spend(
            p.id,
            QuarterSpend {
                amount: 2_400_000,
                ..spend
            },
        )
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
        session.record_spend(
            project.id,
            QuarterSpend {
                year: 1,
                quarter: 1,
                amount: 1
            }
        ),
        Err(OpError::Vendor(RuleError::NoneChosen))
    ));
    let knocked_out = session.choose_vendor(project.id, ids[3]).unwrap_err();
    assert!(
        knocked_out.to_string().contains("attendance"),
        "{knocked_out}"
    );
    session.choose_vendor(project.id, ids[0]).unwrap();
    let year_one = report.projection(ids[0]).unwrap().years[0].total;
    session
        .record_spend(
            project.id,
            QuarterSpend {
                year: 1,
                quarter: 1,
                amount: year_one / 4 + 100_000,
            },
        )
        .unwrap();
    let bad = session.record_spend(
        project.id,
        QuarterSpend {
            year: 4,
            quarter: 1,
            amount: 1,
        },
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
