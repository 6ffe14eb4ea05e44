//! Bindings through a session: binding (a taken account refused with its
//! holder named), every step of the two-step unbinding including the
//! refused ones, the departure hook, the audit and its record, who may do
//! what (a refusal logged), and the one-confirmation unbinding of every
//! departed employee's account.

use crate::common;

use chrono::{Duration, NaiveDate};
use common::*;
use hrdesk::domain::binding::audit::{AuditSettings, FindingKind};
use hrdesk::domain::binding::{
    BindingError, BindingState, Channel, Provider, UnbindHow, UnbindReason, mask_external_id,
};
use hrdesk::domain::employee::{DepartureReason, Employee, EventKind};
use hrdesk::domain::operator::Role;
use hrdesk::service::{NewBinding, OpError, Session};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn new_binding(employee: &Employee, provider: Provider, account: &str) -> NewBinding {
    NewBinding {
        employee: employee.id,
        provider,
        external_id: account.into(),
        bound_at: clock().now() - Duration::days(10),
        last_used: Some(clock().now() - Duration::days(1)),
        method: "qr".into(),
    }
}

fn depart(session: &Session, employee: &Employee) {
    let kind = EventKind::Departure {
        reason: DepartureReason::Resigned,
        note: String::new(),
    };
    session
        .record_event(
            employee.id,
            kind,
            date(2026, 11, 20),
            employee.clone(),
            None,
        )
        .unwrap();
}

fn pending_code(state: &BindingState) -> String {
    match state {
        BindingState::PendingUnbind { code, .. } => code.clone(),
        other => panic!("not pending: {other:?}"),
    }
}

#[test]
fn an_account_is_bound_once_and_the_holder_is_named() {
    let session = demo_session_with_staff(30);
    let people = leaf_staff(&session, 2, &[Provider::WeChat]);
    let first = session
        .bind(new_binding(
            &people[0],
            Provider::WeChat,
            "o6_Wabcdefgh12Xk3",
        ))
        .unwrap();
    let again = session.bind(new_binding(
        &people[1],
        Provider::WeChat,
        "o6_Wabcdefgh12Xk3",
    ));
    let Err(OpError::Binding(BindingError::Taken { holder })) = &again else {
        panic!("a taken account is refused: {again:?}");
    };
    assert!(holder.contains(&people[0].emp_no), "{holder}");
    assert!(holder.contains(&first.id.to_string()), "{holder}");
    let same_provider = session.bind(new_binding(&people[0], Provider::WeChat, "o-second"));
    assert!(matches!(
        same_provider,
        Err(OpError::Binding(BindingError::AlreadyBound { .. }))
    ));
    let blank = session.bind(new_binding(&people[1], Provider::WeCom, "a b"));
    assert!(matches!(
        blank,
        Err(OpError::Binding(BindingError::BadExternalId))
    ));
    session
        .bind(new_binding(&people[1], Provider::WeChat, "o-other"))
        .expect("another account binds");
    let log = session.audit_log().unwrap();
    let added = log
        .iter()
        .find(|e| e.record.action == "binding.add")
        .expect("logged");
    let after = added.record.after.as_deref().unwrap();
    assert!(after.contains("o6_W****Xk3"), "the log masks: {after}");
    assert!(!after.contains("abcdefgh"), "{after}");
}

#[test]
fn an_unbinding_waits_for_the_code_and_every_step_is_kept() {
    let session = demo_session_with_staff(30);
    let person = &leaf_staff(&session, 1, &[Provider::DingTalk])[0];
    let bound = session
        .bind(new_binding(person, Provider::DingTalk, "ding-user-1"))
        .unwrap();
    let pending = session
        .request_unbind(bound.id, UnbindReason::ChangedAccount)
        .unwrap();
    let code = pending_code(&pending.state);
    assert_eq!(code.len(), 8);
    let colleague = session.as_role("hr.li", Role::Hr);
    assert!(matches!(
        colleague.confirm_unbind("WRONG123", Channel::Phone),
        Err(OpError::Binding(BindingError::UnknownCode(_)))
    ));
    let force = session.force_unbind(bound.id, UnbindReason::ChangedAccount);
    assert!(
        matches!(
            force,
            Err(OpError::Binding(BindingError::NotDeparted { .. }))
        ),
        "nobody forces an employee still here: {force:?}"
    );
    let early = session.expire_unbind(bound.id, 14);
    assert!(matches!(
        early,
        Err(OpError::Binding(BindingError::NotOverdue { days: 14 }))
    ));
    let done = colleague
        .confirm_unbind(&code.to_lowercase(), Channel::Phone)
        .unwrap();
    assert!(matches!(
        done.state,
        BindingState::Unbound {
            how: UnbindHow::OnBehalf(Channel::Phone),
            ..
        }
    ));
    assert_eq!(done.history.len(), 2);
    assert!(
        matches!(
            colleague.confirm_unbind(&code, Channel::Phone),
            Err(OpError::Binding(BindingError::UnknownCode(_)))
        ),
        "a used code is gone"
    );
    assert_eq!(session.store().binding(bound.id).unwrap().unwrap(), done);
}

#[test]
fn a_cancelled_request_cannot_be_confirmed() {
    let session = demo_session_with_staff(30);
    let person = &leaf_staff(&session, 1, &[Provider::Alipay])[0];
    let bound = session
        .bind(new_binding(person, Provider::Alipay, "2088-1"))
        .unwrap();
    let pending = session
        .request_unbind(bound.id, UnbindReason::PrivacyRequest)
        .unwrap();
    let code = pending_code(&pending.state);
    let active = session.cancel_unbind(bound.id).unwrap();
    assert_eq!(active.state, BindingState::Active);
    assert!(matches!(
        session.confirm_unbind(&code, Channel::Letter),
        Err(OpError::Binding(BindingError::UnknownCode(_)))
    ));
    assert!(matches!(
        session.cancel_unbind(bound.id),
        Err(OpError::Binding(BindingError::NotPending))
    ));
}

#[test]
fn a_departure_puts_bindings_into_pending_and_they_are_critical_until_forced() {
    let session = demo_session_with_staff(30);
    let people = leaf_staff(&session, 2, &[Provider::WeChat, Provider::DingTalk]);
    let leaver = &people[0];
    let wechat = session
        .bind(new_binding(leaver, Provider::WeChat, "o-leaver"))
        .unwrap();
    let dingtalk = session
        .bind(new_binding(leaver, Provider::DingTalk, "ding-leaver"))
        .unwrap();
    let stayer = session
        .bind(new_binding(&people[1], Provider::WeChat, "o-stayer"))
        .unwrap();
    depart(&session, leaver);
    for id in [wechat.id, dingtalk.id] {
        let binding = session.store().binding(id).unwrap().unwrap();
        assert!(
            matches!(
                binding.state,
                BindingState::PendingUnbind {
                    reason: UnbindReason::Departure,
                    ..
                }
            ),
            "{binding:?}"
        );
    }
    assert_eq!(
        session.store().binding(stayer.id).unwrap().unwrap().state,
        BindingState::Active
    );
    let relief = session.bind(new_binding(leaver, Provider::Alipay, "2088-x"));
    assert!(matches!(
        relief,
        Err(OpError::Binding(BindingError::Departed { .. }))
    ));

    // The demo's own leavers have live accounts too.
    let runs = session.store().audit_runs().unwrap().len();
    let report = session
        .audit_bindings(AuditSettings::new(date(2026, 11, 23)))
        .unwrap();
    let critical: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::DepartedEmployee)
        .collect();
    let leavers: Vec<_> = critical
        .iter()
        .filter(|f| f.employee == leaver.id)
        .map(|f| f.binding)
        .collect();
    let live: Vec<_> = session
        .bindings_of(leaver.id)
        .unwrap()
        .into_iter()
        .filter(|b| b.state.is_live())
        .map(|b| b.id)
        .collect();
    assert_eq!(leavers, live, "every live account of the leaver");
    assert!(live.contains(&wechat.id) && live.contains(&dingtalk.id));
    assert_eq!(report.run.counts[0], critical.len());
    assert_eq!(session.last_binding_audit().unwrap(), Some(report.run));

    let forced = session
        .force_unbind(wechat.id, UnbindReason::Departure)
        .unwrap();
    assert!(matches!(
        forced.state,
        BindingState::Unbound {
            how: UnbindHow::Forced,
            ..
        }
    ));
    assert_eq!(
        session.unbind_departed(&report.findings).unwrap(),
        critical.len() - 1,
        "all but the one forced already"
    );
    let again = session
        .audit_bindings(AuditSettings::new(date(2026, 11, 23)))
        .unwrap();
    assert!(
        again
            .findings
            .iter()
            .all(|f| f.kind != FindingKind::DepartedEmployee),
        "{:?}",
        again.findings
    );
    assert_eq!(session.store().audit_runs().unwrap().len(), runs + 2);
}

#[test]
fn the_audit_as_reports_tell_it_names_each_finding_from_what_it_read() {
    let session = demo_session_with_staff(30);
    let people = leaf_staff(&session, 3, &[Provider::WeChat, Provider::DingTalk]);
    let leaver = &people[0];
    session
        .bind(new_binding(leaver, Provider::WeChat, "o-leaver-account"))
        .unwrap();
    let mut unused = new_binding(&people[1], Provider::DingTalk, "ding-long-unused");
    unused.last_used = Some(clock().now() - Duration::days(200));
    session.bind(unused).unwrap();
    depart(&session, leaver);
    let settings = AuditSettings::new(date(2026, 11, 23));
    let told = session.audit_bindings_told(settings).unwrap();
    let plain = session.audit_bindings(settings).unwrap();
    assert_eq!(told.report.findings, plain.findings);
    let kinds: Vec<FindingKind> = told.report.findings.iter().map(|f| f.kind).collect();
    assert!(kinds.contains(&FindingKind::DepartedEmployee), "{kinds:?}");
    assert!(kinds.contains(&FindingKind::Unused), "{kinds:?}");
    for finding in &told.report.findings {
        let binding = session.store().binding(finding.binding).unwrap().unwrap();
        assert_eq!(finding.provider, binding.provider);
        assert_eq!(
            told.accounts.get(finding.binding).map(str::to_string),
            Some(mask_external_id(&binding.external_id)),
            "{finding:?}"
        );
        let person = session.store().employee(finding.employee).unwrap().unwrap();
        assert_eq!(
            told.people.who(finding.employee),
            Some((person.emp_no.as_str(), person.name.as_str()))
        );
    }
}

#[test]
fn an_overdue_request_expires() {
    let session = demo_session_with_staff(30);
    let person = &leaf_staff(&session, 1, &[Provider::WeChat])[0];
    let bound = session
        .bind(new_binding(person, Provider::WeChat, "o-overdue"))
        .unwrap();
    session
        .request_unbind(bound.id, UnbindReason::AuditFinding)
        .unwrap();
    let later = Session::login(
        session.store_handle(),
        ADMIN,
        hrdesk::service::Clock::Fixed(clock().now() + Duration::days(20)),
    )
    .unwrap();
    let expired = later.expire_unbind(bound.id, 14).unwrap();
    assert!(matches!(
        expired.state,
        BindingState::Unbound {
            how: UnbindHow::Expired,
            ..
        }
    ));
}

#[test]
fn only_hr_and_admin_see_bindings_and_a_refusal_is_logged() {
    let session = demo_session_with_staff(30);
    let person = leaf_staff(&session, 1, &[Provider::WeChat])[0].clone();
    let bound = session
        .bind(new_binding(&person, Provider::WeChat, "o6_Wabcdefgh12Xk3"))
        .unwrap();
    let viewer = session.as_role("wang", Role::Viewer);
    let refused = viewer.request_unbind(bound.id, UnbindReason::PrivacyRequest);
    let Err(OpError::Denied(denied)) = &refused else {
        panic!("a viewer may not unbind: {refused:?}");
    };
    assert!(denied.to_string().contains("admin, hr"), "{denied}");
    assert!(matches!(viewer.binding_count(), Err(OpError::Denied(_))));
    let admin = Session::login(session.store_handle(), ADMIN, clock()).unwrap();
    let log = admin.audit_log().unwrap();
    let denials: Vec<_> = log
        .iter()
        .filter(|e| e.record.action == "access.denied" && e.operator == "wang")
        .collect();
    assert_eq!(denials.len(), 2, "both attempts are logged");
    assert!(
        denials[0]
            .record
            .after
            .as_deref()
            .unwrap()
            .contains("binding.request_unbind")
    );
    assert_eq!(
        session.store().binding(bound.id).unwrap().unwrap().state,
        BindingState::Active,
        "the refused request wrote nothing"
    );

    let hr = session.as_role("li", Role::Hr);
    assert!(matches!(
        hr.reveal_external_id(bound.id),
        Err(OpError::Denied(_))
    ));
    assert!(hr.binding_count().unwrap() >= 1);
    let admin = Session::login(session.store_handle(), ADMIN, clock()).unwrap();
    assert_eq!(
        admin.reveal_external_id(bound.id).unwrap(),
        "o6_Wabcdefgh12Xk3"
    );
    assert!(
        admin
            .audit_log()
            .unwrap()
            .iter()
            .any(|e| e.record.action == "binding.reveal")
    );
}

#[test]
fn the_demo_gives_the_audit_something_of_every_kind_it_can_meet() {
    let session = demo_session_with_staff(hrdesk::demo::DEFAULT_EMPLOYEES);
    let now = clock().now();
    let last = session.last_binding_audit().unwrap().expect("a past run");
    assert_eq!(last.at, now - Duration::days(40), "the next audit is due");
    assert!(last.counts.iter().sum::<usize>() > 0, "{last:?}");

    let mut all = Vec::new();
    session
        .each_binding(|b| all.push((b.provider, b.external_id.to_string())))
        .unwrap();
    assert!(all.len() > hrdesk::demo::DEFAULT_EMPLOYEES, "{}", all.len());
    for (provider, id) in &all {
        let shaped = match provider {
            Provider::WeChat => id.starts_with("o6_W") && id.len() == 28,
            Provider::WeCom => id.starts_with("wo") && id.len() == 32,
            Provider::Alipay => id.starts_with("2088") && id.len() == 16,
            Provider::DingTalk => id.len() == 16,
            Provider::Feishu => id.starts_with("ou_") && id.len() == 35,
        };
        assert!(shaped, "{provider:?} {id}");
    }
    let pending = session
        .binding_rows(&session.pending_binding_ids().unwrap())
        .unwrap();
    let waiting = |days: i64| {
        pending
            .iter()
            .filter(|row| match &row.binding.state {
                BindingState::PendingUnbind { requested_at, .. } => {
                    now - *requested_at > Duration::days(days)
                }
                _ => false,
            })
            .count()
    };
    assert!(waiting(14) >= 3, "overdue requests: {pending:?}");
    assert!(waiting(14) < pending.len(), "and some within their time");

    let report = session
        .audit_bindings(AuditSettings::new(now.date_naive()))
        .unwrap();
    let [departed, overdue, duplicate, missing, unused, never] = report.run.counts;
    assert!(
        departed >= 4 && overdue >= 3 && unused > 0 && never > 0,
        "{report:?}"
    );
    assert_eq!((duplicate, missing), (0, 0), "the store allows neither");
    let again = demo_session_with_staff(hrdesk::demo::DEFAULT_EMPLOYEES);
    let same = |s: &Session| s.binding_window(None, 50, true).unwrap();
    assert_eq!(same(&session), same(&again), "the same demo every time");
}
