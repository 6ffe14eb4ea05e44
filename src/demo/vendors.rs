//! The demo's vendor selection: the retail case of the source article (a
//! retailer of ten stores choosing an HR system on an 80,000 yuan a year
//! budget: three vendors compared, a fourth knocked out at the
//! must-haves), scored on the article's absolute scales, the retail
//! specialist chosen after its pilot in sales, and the first two quarters'
//! spend recorded (the implementation paid in Q1 as planned), the second
//! over the plan.

use crate::domain::vendor::case::retail_case;
use crate::domain::vendor::{Quarter, Vendor};
use crate::service::{OpError, Session};

/// Stores the retail case, chooses its winner and records two quarters.
pub fn select_vendor(session: &Session) -> Result<(), OpError> {
    let (case, vendors) = retail_case();
    let chosen = case.chosen;
    let project = session.add_vendor_project(case)?;
    let mut winner = None;
    for vendor in vendors {
        let was = vendor.id;
        let stored = session.add_vendor(Vendor {
            project: project.id,
            ..vendor
        })?;
        if Some(was) == chosen {
            winner = Some(stored.id);
        }
    }
    let Some(winner) = winner else {
        return Ok(());
    };
    session.choose_vendor(project.id, winner)?;
    let report = session.vendor_report(project.id)?;
    let [first, second, ..] = report.plan.as_slice() else {
        return Ok(());
    };
    // The first quarter a little under its plan, the second well over it.
    for (quarter, amount) in [(1, first.plan - 50_000), (2, second.plan + 400_000)] {
        session.record_spend(project.id, Quarter { year: 1, quarter }, amount)?;
    }
    Ok(())
}
