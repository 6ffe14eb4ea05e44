//! The Scoring pane's keys: moving through the scoreboard (or, full
//! screen, through the breakdown), scrolling the breakdown, sorting,
//! switching cycles and views, and the actions that open its forms (a
//! cycle, a rating, an override, an appeal, an indicator) or ask first
//! (moving the cycle on, normalisation).

use super::breakdown::breakdown_len;
use super::{ScoringView, Showing};
use crate::action::Action;
use crate::app::desk::Desk;
use crate::app::pane::Handled;
use crate::app::report::scrolled;
use crate::service::access::{Permission, require};
use crate::tr;

impl ScoringView {
    /// A browse action on the Scoring pane.
    pub(super) fn act(&mut self, action: Action, desk: &mut Desk) -> Handled {
        let page = desk.page();
        let result = match action {
            // What would act on a board being recomputed waits for it;
            // reading (moving, views, sorting) uses the board on screen.
            Action::NextCycle
            | Action::PrevCycle
            | Action::AdvanceCycle
            | Action::Normalise
            | Action::Rate
            | Action::OverrideGrade
            | Action::Appeal
            | Action::EnterIndicator
                if self.computing =>
            {
                desk.info(tr!("loads.still_computing"));
                Ok(())
            }
            _ if action.is_move() && self.showing == Showing::Distribution => {
                let len = super::view::distribution_len(self);
                self.report_scroll = scrolled(self.report_scroll, action, page, len);
                Ok(())
            }
            _ if action.is_move() && self.showing == Showing::Breakdown => {
                self.scroll_breakdown(action, page);
                Ok(())
            }
            _ if action.is_move() => {
                let before = self.list.selected().copied();
                self.list.navigate(action, page);
                if self.list.selected().copied() != before {
                    self.scroll = 0;
                }
                Ok(())
            }
            Action::ScrollDown | Action::ScrollUp => {
                let step = if action == Action::ScrollDown {
                    Action::Down
                } else {
                    Action::Up
                };
                self.scroll_breakdown(step, page);
                Ok(())
            }
            Action::Breakdown => {
                if self.selected().is_some() {
                    self.toggle(Showing::Breakdown, desk);
                } else {
                    desk.info(tr!("scoring.select_someone"));
                }
                Ok(())
            }
            Action::Back if self.showing != Showing::Board => {
                self.toggle(self.showing, desk);
                Ok(())
            }
            Action::Sort => {
                self.next_sort(page);
                Ok(())
            }
            Action::NextCycle | Action::PrevCycle => {
                self.step_cycle(action == Action::NextCycle, desk);
                Ok(())
            }
            Action::Distribution | Action::Leniency | Action::Profile | Action::Appeals => {
                let view = match action {
                    Action::Distribution => Showing::Distribution,
                    Action::Leniency => Showing::Leniency,
                    Action::Appeals => Showing::Appeals,
                    _ => Showing::Profile,
                };
                self.toggle(view, desk);
                Ok(())
            }
            Action::Normalise => {
                self.ask_normalise(desk);
                Ok(())
            }
            Action::AdvanceCycle => {
                self.ask_advance(desk);
                Ok(())
            }
            Action::Rate | Action::OverrideGrade | Action::Appeal | Action::EnterIndicator => {
                self.open_scoring_form(desk, action)
            }
            Action::MissingOnly => {
                self.missing_only = !self.missing_only;
                self.apply_missing_only(page);
                Ok(())
            }
            // Only who may change cycles opens their form (it holds the
            // bonus pool, which is not handed to everyone).
            Action::Add | Action::Edit => {
                match require(desk.session.operator(), Permission::EditCycles) {
                    Err(denied) => Err(denied.into()),
                    Ok(()) if action == Action::Add => self.open_cycle_form(desk, None),
                    Ok(()) => match self.cycle() {
                        Some(cycle) => self.open_cycle_form(desk, Some(cycle.clone())),
                        None => Ok(()),
                    },
                }
            }
            _ => return Handled::NotHere,
        };
        if let Err(err) = result {
            desk.error(err.to_string());
        }
        Handled::Done
    }
}

impl ScoringView {
    /// Moves the breakdown's top line for a navigation action.
    fn scroll_breakdown(&mut self, action: Action, page: usize) {
        self.scroll = scrolled(self.scroll, action, page, breakdown_len(self));
    }
}
