//! Pay privacy on the command line, through the real binary: a manager's
//! `export scores` has each grade's bonus multiplier but no bonus amount
//! (in JSON and in CSV), and an export of HR's that holds amounts is
//! written to the audit log first, as a reveal.

use crate::e2e;

use e2e::Sandbox;

/// The demo cycle's name, as `--cycle` names it.
const CYCLE: &str = "2026 年度考评";

/// The demo's sales manager.
const MANAGER: &str = "mgr.zeng";

/// The audit entries of exports that held bonus amounts.
fn bonus_exports(sandbox: &Sandbox) -> Vec<serde_json::Value> {
    sandbox
        .audit_json()
        .into_iter()
        .filter(|entry| entry["action"] == hrdesk::service::BONUS_EXPORT)
        .collect()
}

#[test]
fn a_manager_exports_grades_and_multipliers_but_no_bonus_amount() {
    let sandbox = Sandbox::with_demo();
    let scores = ["export", "scores", "--cycle", CYCLE];
    let rows = sandbox
        .on_db_as(MANAGER, &[&scores[..], &["--format", "json"]].concat())
        .success()
        .json_rows();
    let graded: Vec<_> = rows.iter().filter(|r| r["grade"].is_string()).collect();
    assert!(!graded.is_empty(), "the manager's people are graded");
    for row in &graded {
        assert!(row["bonus_multiplier"].is_number(), "{row}");
    }
    assert!(rows.iter().all(|r| r["bonus"].is_null()), "{rows:#?}");

    let (header, records) = sandbox.on_db_as(MANAGER, &scores).success().csv();
    let bonus = header.iter().position(|h| h == "bonus").unwrap();
    assert!(records.iter().all(|r| r[bonus].is_empty()), "{records:?}");
    assert!(bonus_exports(&sandbox).is_empty(), "nothing was revealed");
}

#[test]
fn an_export_of_bonus_amounts_is_logged_as_a_reveal() {
    let sandbox = Sandbox::with_demo();
    let rows = sandbox
        .on_db(&["export", "scores", "--cycle", CYCLE, "--format", "json"])
        .success()
        .json_rows();
    let amounts = rows.iter().filter(|r| r["bonus"].is_string()).count();
    assert!(amounts > 0, "HR sees the amounts");
    let logged = bonus_exports(&sandbox);
    assert_eq!(logged.len(), 1, "{logged:#?}");
    assert_eq!(logged[0]["operator"], e2e::admin());
    assert_eq!(logged[0]["entity_id"], CYCLE);
    assert_eq!(
        logged[0]["after"],
        format!("rows={amounts} unmasked=bonus").as_str()
    );
}
