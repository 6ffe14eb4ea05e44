//! The exports that visit their records a batch at a time instead of
//! holding them (bindings, ratings, goals, the audit log), through a
//! session: each hands over what the whole read gave before, in the same
//! order, names its people from the staff the operator may see, stops
//! when the reader goes away, and a binding export is in the audit log
//! before its first binding leaves.

use std::ops::ControlFlow;

use crate::common;

use common::*;
use hrdesk::domain::employee::EmployeeId;
use hrdesk::domain::scoring::Rating;

const CYCLE: &str = "2026 年度考评";

#[test]
fn a_binding_export_is_logged_before_its_first_binding_and_stops_when_asked() {
    let demo = demo_session_with_staff(40);
    let count = demo.binding_count().unwrap();
    assert!(count > 10, "the demo binds accounts: {count}");
    let mut handed = 0;
    demo.export_bindings(false, |binding, who| {
        handed += 1;
        let log = demo.audit_log().unwrap();
        let last = log.last().unwrap();
        assert_eq!(last.record.action, "binding.export");
        assert_eq!(
            last.record.after.as_deref(),
            Some(format!("rows={count} unmasked=false").as_str())
        );
        let person = demo.employee(binding.employee).unwrap().unwrap();
        assert_eq!(who, Some((person.emp_no.as_str(), person.name.as_str())));
        ControlFlow::Break(())
    })
    .unwrap();
    assert_eq!(handed, 1, "nothing after a break");
    let mut all = 0;
    demo.export_bindings(false, |_, _| {
        all += 1;
        ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(all, count);
}

#[test]
fn the_ratings_export_is_every_sheets_ratings_with_both_people_named() {
    let demo = demo_session_with_staff(40);
    let cycle = demo.cycle_named(CYCLE).unwrap();
    let stored: Vec<Rating> = demo
        .store()
        .sheets(cycle.id)
        .unwrap()
        .into_iter()
        .flat_map(|sheet| sheet.ratings)
        .collect();
    assert!(stored.len() > 20, "the demo rates: {}", stored.len());
    let label = |id: EmployeeId| {
        demo.employee(id)
            .unwrap()
            .map(|e| format!("{} {}", e.emp_no, e.name))
    };
    let mut handed = Vec::new();
    demo.export_ratings(&cycle, |rating, ratee, rater| {
        let said = |who: Option<(&str, &str)>| who.map(|(n, name)| format!("{n} {name}"));
        assert_eq!(said(ratee), label(rating.ratee));
        assert_eq!(said(rater), label(rating.rater));
        handed.push(rating);
        ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(handed, stored);
    let mut three = 0;
    demo.export_ratings(&cycle, |_, _, _| {
        three += 1;
        match three {
            3 => ControlFlow::Break(()),
            _ => ControlFlow::Continue(()),
        }
    })
    .unwrap();
    assert_eq!(three, 3, "nothing after a break");
}

#[test]
fn the_goals_export_is_the_visible_tree_in_order_with_its_rollup() {
    let demo = demo_session_with_staff(40);
    let manager = demo.login("mgr.zeng");
    for session in [&*demo, &manager] {
        let tree = session.goal_tree().unwrap();
        let rollup = session.goal_rollup(&tree).unwrap();
        let expected: Vec<(u64, String)> = tree
            .preorder()
            .into_iter()
            .map(|slot| (tree.at(slot).id.0, format!("{:.6}", rollup.at(slot))))
            .collect();
        let mut handed = Vec::new();
        session
            .export_goals(None, |goal, progress, people| {
                if let hrdesk::domain::goal::Owner::Employee(id) = goal.owner {
                    let person = session.employee(id).unwrap().unwrap();
                    assert_eq!(
                        people.who(id),
                        Some((person.emp_no.as_str(), person.name.as_str()))
                    );
                }
                handed.push((goal.id.0, format!("{progress:.6}")));
                ControlFlow::Continue(())
            })
            .unwrap();
        assert_eq!(handed, expected);
    }
    let all = demo.goal_tree().unwrap().len();
    assert!(
        manager.goal_tree().unwrap().len() < all,
        "a manager sees less"
    );
}

#[test]
fn the_audit_log_is_handed_over_an_entry_at_a_time() {
    let demo = demo_session_with_staff(10);
    let whole = demo.audit_log().unwrap();
    let mut handed = Vec::new();
    demo.each_audit_entry(|entry| {
        handed.push(entry);
        ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(handed, whole);
    let mut one = 0;
    demo.each_audit_entry(|_| {
        one += 1;
        ControlFlow::Break(())
    })
    .unwrap();
    assert_eq!(one, 1);
}
