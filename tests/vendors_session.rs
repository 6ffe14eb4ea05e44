//! Vendor selection through a session: projects and vendors kept with their
//! rules (unique names, numbers in range, each refusal naming its field), a
//! vendor chosen and then kept, quarterly spend recorded and corrected, and
//! who may change what.

mod common;

use common::*;
use hrdesk::app::session::{OpError, Session};
use hrdesk::domain::operator::Role;
use hrdesk::domain::vendor::rules::RuleError;
use hrdesk::domain::vendor::{
    Deployment, Pricing, Project, ProjectId, QuarterSpend, Vendor, VendorId,
};

fn project(name: &str) -> Project {
    Project {
        id: ProjectId(0),
        name: name.into(),
        headcount: 300,
        industry: "retail".into(),
        deployment: Deployment::Saas,
        modules: vec!["core_hr".into(), "attendance".into()],
        annual_budget: 8_000_000,
        horizon_years: 3,
        growth_pct: 5.0,
        criteria: Vec::new(),
        bands: Vec::new(),
        chosen: None,
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

fn as_role(session: Session, user: &str, role: Role) -> Session {
    session.add_operator(user, role).unwrap();
    Session::login(session.into_store(), user, clock()).unwrap()
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
    let viewer = as_role(session, "wang", Role::Viewer);
    assert_eq!(viewer.vendor_projects().unwrap().len(), 1);
    assert!(matches!(
        viewer.add_vendor(vendor(p.id, "A")),
        Err(OpError::Denied(_))
    ));
    let manager = as_role(
        Session::login(viewer.into_store(), ADMIN, clock()).unwrap(),
        "zhao",
        Role::Manager(hrdesk::domain::department::DepartmentId(1)),
    );
    assert!(matches!(manager.vendor_projects(), Err(OpError::Denied(_))));
}
