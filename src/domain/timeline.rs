//! An employee's timeline: their lifecycle events, recorded and scheduled,
//! in effective-date order, and whether a new event fits it at its date
//! (nothing before the hire, each change of status possible for the status
//! the person has on that day) without making a later event impossible.

use chrono::NaiveDate;

use super::employee::{
    EventKind, Field, FieldChange, LifecycleError, LifecycleEvent, Status, check_transition,
};

/// One event of a timeline: what, and from when.
#[derive(Clone, Copy, Debug)]
pub struct Step<'a> {
    pub kind: &'a EventKind,
    pub effective: NaiveDate,
}

/// Whether `kind`, effective `effective`, fits the timeline of someone
/// hired on `hire` whose events are `steps` (recorded ones in the order
/// they were entered, then scheduled ones). The new event goes after the
/// events of its own day. On success, the status the person has on
/// `today` with the event in place (a scheduled event changes nothing
/// today). A timeline that was already inconsistent (old data) is not
/// held against the new event: only the impossibilities it introduces are.
pub fn fit(
    kind: &EventKind,
    effective: NaiveDate,
    hire: NaiveDate,
    steps: &[Step<'_>],
    today: NaiveDate,
) -> Result<Status, LifecycleError> {
    let mut ordered: Vec<Step<'_>> = steps.to_vec();
    ordered.sort_by_key(|step| step.effective);
    let status_today = |steps: &[Step<'_>]| {
        walk(steps)
            .into_iter()
            .zip(steps)
            .rev()
            .find(|(_, step)| step.effective <= today)
            .map(|(outcome, _)| outcome.after)
            .unwrap_or(Status::Active)
    };
    if matches!(kind, EventKind::Hire | EventKind::Correction) {
        return Ok(status_today(&ordered));
    }
    let event = || kind.label();
    if effective < hire {
        return Err(LifecycleError::BeforeHire {
            event: event(),
            date: effective,
            hire,
        });
    }
    let before = walk(&ordered);
    let at = ordered.partition_point(|step| step.effective <= effective);
    let later = ordered[at..].to_vec();
    ordered.insert(at, Step { kind, effective });
    let after = walk(&ordered);
    if after[at].failed {
        let status = if at == 0 {
            Status::Active
        } else {
            before[at - 1].after
        };
        let allowed_later = later.iter().zip(&before[at..]).find(|(step, outcome)| {
            changes_status(step.kind) && check_transition(kind, outcome.after).is_ok()
        });
        return Err(match allowed_later {
            Some((later, _)) => LifecycleError::BeforeStatusChange {
                event: event(),
                date: effective,
                earlier: later.kind.label(),
                earlier_date: later.effective,
            },
            None => LifecycleError::NotAllowed {
                event: event(),
                status,
            },
        });
    }
    let newly_broken = ordered[at + 1..]
        .iter()
        .zip(&after[at + 1..])
        .zip(&before[at..])
        .find(|((_, now), was)| now.failed && !was.failed);
    if let Some(((later, _), _)) = newly_broken {
        return Err(LifecycleError::BreaksLater {
            event: event(),
            date: effective,
            later: later.kind.label(),
            later_date: later.effective,
        });
    }
    Ok(status_today(&ordered))
}

/// A person's fields (in [`Field::ALL`] order, as exports write them) on
/// `date`, from their `current` values: the recorded events dated after it
/// undone, newest first, and the scheduled events (`kind`, date, changes)
/// dated up to it done, soonest first. `None` when they were not yet hired
/// on that day.
pub fn fields_on(
    mut current: Vec<String>,
    history: &[LifecycleEvent],
    scheduled: &[(&EventKind, NaiveDate, Vec<FieldChange>)],
    date: NaiveDate,
) -> Option<Vec<String>> {
    let slot = |field: Field| Field::ALL.iter().position(|f| *f == field);
    let mut recorded: Vec<&LifecycleEvent> = history.iter().collect();
    recorded.sort_by_key(|event| (event.effective, event.recorded_at));
    let first_hire = recorded.iter().find(|event| event.kind == EventKind::Hire);
    if first_hire.is_some_and(|hire| hire.effective > date) {
        return None;
    }
    for event in recorded.iter().rev().filter(|event| event.effective > date) {
        for change in &event.changes {
            if let Some(at) = slot(change.field) {
                current[at] = change.old.clone();
            }
        }
    }
    let mut upcoming: Vec<&(&EventKind, NaiveDate, Vec<FieldChange>)> = scheduled
        .iter()
        .filter(|(_, effective, _)| *effective <= date)
        .collect();
    upcoming.sort_by_key(|(_, effective, _)| *effective);
    for (kind, _, changes) in upcoming {
        for change in changes {
            if let Some(at) = slot(change.field) {
                current[at] = change.new.clone();
            }
        }
        if let Some(at) = slot(Field::Status) {
            let before = Status::parse(&current[at]).unwrap_or(Status::Active);
            current[at] = kind.status_after(before).code().to_string();
        }
    }
    Some(current)
}

/// One stretch of days over which a person's fields stayed the same.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stretch {
    pub from: NaiveDate,
    /// The last day of the stretch (inclusive).
    pub to: NaiveDate,
    /// The fields over those days, in [`Field::ALL`] order.
    pub fields: Vec<String>,
}

/// A person's fields over `starts..=ends`, as the stretches between the
/// days their timeline changes something (each as [`fields_on`] gives it
/// on its first day); days before their hire are left out.
pub fn fields_during(
    current: &[String],
    history: &[LifecycleEvent],
    scheduled: &[(&EventKind, NaiveDate, Vec<FieldChange>)],
    starts: NaiveDate,
    ends: NaiveDate,
) -> Vec<Stretch> {
    let mut days: Vec<NaiveDate> = history
        .iter()
        .map(|event| event.effective)
        .chain(scheduled.iter().map(|(_, effective, _)| *effective))
        .filter(|day| *day > starts && *day <= ends)
        .collect();
    days.push(starts);
    days.sort();
    days.dedup();
    let mut stretches: Vec<Stretch> = Vec::with_capacity(days.len());
    for (at, &from) in days.iter().enumerate() {
        let to = days
            .get(at + 1)
            .and_then(|next| next.pred_opt())
            .unwrap_or(ends);
        let Some(fields) = fields_on(current.to_vec(), history, scheduled, from) else {
            continue;
        };
        match stretches.last_mut() {
            Some(last) if last.fields == fields => last.to = to,
            _ => stretches.push(Stretch { from, to, fields }),
        }
    }
    stretches
}

/// Whether `kind` changes the person's status (a transfer does not).
fn changes_status(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Hire
            | EventKind::Leave
            | EventKind::Return
            | EventKind::Departure { .. }
            | EventKind::Rehire
    )
}

/// What happened at one step of a walk along a timeline.
#[derive(Clone, Copy, Debug)]
struct Outcome {
    /// The event was not possible for the status the person had then.
    failed: bool,
    /// The status after it.
    after: Status,
}

/// Walks `steps` in order from the hire, noting at each whether it was
/// possible and the status after it (an impossible step is taken anyway,
/// as the record took it).
fn walk(steps: &[Step<'_>]) -> Vec<Outcome> {
    let mut status = Status::Active;
    steps
        .iter()
        .map(|step| {
            let failed = match step.kind {
                EventKind::Hire => false,
                kind => check_transition(kind, status).is_err(),
            };
            status = step.kind.status_after(status);
            Outcome {
                failed,
                after: status,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::domain::employee::DepartureReason;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn departure() -> EventKind {
        EventKind::Departure {
            reason: DepartureReason::Resigned,
            note: String::new(),
        }
    }

    const HIRE: EventKind = EventKind::Hire;
    const LEAVE: EventKind = EventKind::Leave;
    const RETURN: EventKind = EventKind::Return;
    const TRANSFER: EventKind = EventKind::Transfer;
    const REHIRE: EventKind = EventKind::Rehire;

    fn step(kind: &EventKind, effective: NaiveDate) -> Step<'_> {
        Step { kind, effective }
    }

    #[test]
    fn nothing_goes_before_the_hire() {
        let steps = [step(&HIRE, day(3, 1))];
        let refused = fit(&LEAVE, day(2, 1), day(3, 1), &steps, day(11, 1));
        assert!(matches!(refused, Err(LifecycleError::BeforeHire { .. })));
    }

    #[test]
    fn a_return_needs_its_leave_first() {
        let steps = [step(&HIRE, day(1, 1)), step(&LEAVE, day(5, 1))];
        let early = fit(&RETURN, day(4, 1), day(1, 1), &steps, day(11, 1));
        assert!(
            matches!(early, Err(LifecycleError::BeforeStatusChange { ref earlier, .. }) if *earlier == LEAVE.label()),
            "{early:?}"
        );
        let none = fit(&RETURN, day(4, 1), day(1, 1), &steps[..1], day(11, 1));
        assert!(matches!(none, Err(LifecycleError::NotAllowed { .. })));
        assert_eq!(
            fit(&RETURN, day(6, 1), day(1, 1), &steps, day(11, 1)),
            Ok(Status::Active)
        );
    }

    #[test]
    fn a_rehire_comes_after_the_departure_and_nothing_while_departed() {
        let gone = departure();
        let steps = [step(&HIRE, day(1, 1)), step(&gone, day(6, 30))];
        let early = fit(&REHIRE, day(6, 1), day(1, 1), &steps, day(11, 1));
        assert!(matches!(
            early,
            Err(LifecycleError::BeforeStatusChange { .. })
        ));
        let away = fit(&LEAVE, day(7, 1), day(1, 1), &steps, day(11, 1));
        assert!(matches!(away, Err(LifecycleError::NotAllowed { .. })));
        // A transfer back-dated into the employment fits, and leaves them departed.
        assert_eq!(
            fit(&TRANSFER, day(3, 1), day(1, 1), &steps, day(11, 1)),
            Ok(Status::Departed)
        );
    }

    #[test]
    fn an_event_that_makes_a_later_one_impossible_is_refused_naming_it() {
        let steps = [
            step(&HIRE, day(1, 1)),
            step(&LEAVE, day(5, 1)),
            step(&RETURN, day(6, 1)),
        ];
        let refused = fit(&RETURN, day(5, 15), day(1, 1), &steps, day(11, 1));
        assert!(
            matches!(refused, Err(LifecycleError::BreaksLater { ref later, .. }) if *later == RETURN.label()),
            "{refused:?}"
        );
        let gone = departure();
        let refused = fit(&gone, day(4, 1), day(1, 1), &steps, day(11, 1));
        assert!(matches!(refused, Err(LifecycleError::BreaksLater { .. })));
    }

    #[test]
    fn a_future_event_changes_nothing_today_and_counts_for_later_ones() {
        let steps = [step(&HIRE, day(1, 1))];
        assert_eq!(
            fit(&LEAVE, day(12, 1), day(1, 1), &steps, day(11, 1)),
            Ok(Status::Active)
        );
        let scheduled = [step(&HIRE, day(1, 1)), step(&LEAVE, day(12, 1))];
        assert_eq!(
            fit(&RETURN, day(12, 20), day(1, 1), &scheduled, day(11, 1)),
            Ok(Status::Active)
        );
        let gone = departure();
        let refused = fit(&gone, day(11, 20), day(1, 1), &scheduled, day(11, 1));
        assert!(matches!(refused, Err(LifecycleError::BreaksLater { .. })));
    }

    #[test]
    fn old_inconsistencies_are_not_held_against_a_new_event() {
        // A return without a leave, as an old file may hold.
        let steps = [step(&HIRE, day(1, 1)), step(&RETURN, day(2, 1))];
        assert_eq!(
            fit(&TRANSFER, day(3, 1), day(1, 1), &steps, day(11, 1)),
            Ok(Status::Active)
        );
    }

    fn event(kind: EventKind, on: NaiveDate, changes: &[(Field, &str, &str)]) -> LifecycleEvent {
        LifecycleEvent {
            employee: crate::domain::employee::EmployeeId(1),
            kind,
            effective: on,
            operator: "hr".into(),
            recorded_at: chrono::Utc::now(),
            changes: changes
                .iter()
                .map(|(field, old, new)| FieldChange {
                    field: *field,
                    old: old.to_string(),
                    new: new.to_string(),
                })
                .collect(),
        }
    }

    #[test]
    fn fields_on_a_day_undo_later_events_and_do_scheduled_ones() {
        let mut now = vec![String::new(); Field::ALL.len()];
        let at = |field: Field| Field::ALL.iter().position(|f| *f == field).unwrap();
        now[at(Field::Department)] = "Finance".into();
        now[at(Field::Status)] = "active".into();
        let history = [
            event(HIRE, day(1, 1), &[(Field::Department, "", "Sales")]),
            event(
                TRANSFER,
                day(6, 1),
                &[(Field::Department, "Sales", "Finance")],
            ),
        ];
        assert_eq!(
            fields_on(now.clone(), &history, &[], day(12, 1)),
            Some(now.clone())
        );
        let in_may = fields_on(now.clone(), &history, &[], day(5, 31)).unwrap();
        assert_eq!(in_may[at(Field::Department)], "Sales");
        assert_eq!(
            fields_on(
                now.clone(),
                &history,
                &[],
                NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()
            ),
            None
        );
        let gone = departure();
        let scheduled = [(&gone, day(12, 31), Vec::new())];
        let new_year = fields_on(
            now.clone(),
            &history,
            &scheduled,
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
        )
        .unwrap();
        assert_eq!(new_year[at(Field::Status)], "departed");
        let christmas = fields_on(now, &history, &scheduled, day(12, 25)).unwrap();
        assert_eq!(christmas[at(Field::Status)], "active");
    }

    #[test]
    fn fields_over_a_period_are_stretches_between_changes() {
        let mut now = vec![String::new(); Field::ALL.len()];
        let at = |field: Field| Field::ALL.iter().position(|f| *f == field).unwrap();
        now[at(Field::Manager)] = "E3".into();
        let history = [
            event(HIRE, day(3, 10), &[(Field::Manager, "", "E2")]),
            event(TRANSFER, day(6, 1), &[(Field::Manager, "E2", "E3")]),
        ];
        let stretches = fields_during(&now, &history, &[], day(1, 1), day(12, 31));
        let managers: Vec<(NaiveDate, NaiveDate, &str)> = stretches
            .iter()
            .map(|s| (s.from, s.to, s.fields[at(Field::Manager)].as_str()))
            .collect();
        assert_eq!(
            managers,
            vec![
                (day(3, 10), day(5, 31), "E2"),
                (day(6, 1), day(12, 31), "E3")
            ],
            "nothing before the hire"
        );
        let june = fields_during(&now, &history, &[], day(6, 1), day(6, 30));
        assert_eq!(
            june.len(),
            1,
            "a change on the first day is the first stretch"
        );
    }

    fn kinds() -> impl Strategy<Value = EventKind> {
        prop_oneof![
            Just(LEAVE),
            Just(RETURN),
            Just(TRANSFER),
            Just(REHIRE),
            Just(departure()),
        ]
    }

    proptest! {
        /// Whatever is accepted, one event at a time at any date, the
        /// timeline stays possible from end to end.
        #[test]
        fn accepted_events_keep_the_timeline_possible(
            tries in proptest::collection::vec((kinds(), 0u32..300), 1..30)
        ) {
            let start = day(1, 1);
            let mut kept: Vec<(EventKind, NaiveDate)> = vec![(HIRE, start)];
            for (kind, offset) in tries {
                let date = start + chrono::Days::new(u64::from(offset));
                let steps: Vec<Step<'_>> = kept.iter().map(|(k, d)| step(k, *d)).collect();
                if fit(&kind, date, start, &steps, day(12, 31)).is_ok() {
                    let at = kept.partition_point(|(_, d)| *d <= date);
                    kept.insert(at, (kind, date));
                }
            }
            let steps: Vec<Step<'_>> = kept.iter().map(|(k, d)| step(k, *d)).collect();
            prop_assert!(walk(&steps).iter().all(|outcome| !outcome.failed));
        }

        /// Every day of the period reads in its stretch what `fields_on`
        /// reads on that day; the stretches follow one another.
        #[test]
        fn stretches_agree_with_each_day(
            moves in proptest::collection::vec((1u32..120, 0u8..4), 0..8),
            starts in 0u32..100,
            length in 0u32..100,
        ) {
            let at = Field::ALL.iter().position(|f| *f == Field::Department).unwrap();
            let mut history = vec![event(HIRE, day(2, 1), &[(Field::Department, "", "D0")])];
            let mut date = day(2, 1);
            let mut department = "D0".to_string();
            for (gap, to) in moves {
                date = date + chrono::Days::new(u64::from(gap));
                let next = format!("D{to}");
                history.push(event(TRANSFER, date, &[(Field::Department, &department, &next)]));
                department = next;
            }
            let mut now = vec![String::new(); Field::ALL.len()];
            now[at] = department;
            let first = day(1, 1) + chrono::Days::new(u64::from(starts));
            let last = first + chrono::Days::new(u64::from(length));
            let stretches = fields_during(&now, &history, &[], first, last);
            for pair in stretches.windows(2) {
                prop_assert_eq!(pair[0].to.succ_opt(), Some(pair[1].from));
            }
            let mut day_of = first;
            while day_of <= last {
                let found = stretches.iter().find(|s| s.from <= day_of && day_of <= s.to);
                let expected = fields_on(now.clone(), &history, &[], day_of);
                prop_assert_eq!(found.map(|s| s.fields.clone()), expected);
                day_of = day_of + chrono::Days::new(1);
            }
        }
    }
}
