//! The Scoring pane's keys: moving through the scoreboard, switching
//! cycles and views, and the actions that open its forms (a cycle, a
//! rating, an override, an appeal, an indicator) or ask first (moving the
//! cycle on, normalisation).

use super::{ScoringView, Showing};
use crate::action::Action;
use crate::app::desk::Desk;
use crate::app::pane::Handled;

impl ScoringView {
    /// A browse action on the Scoring pane.
    pub(super) fn act(&mut self, action: Action, desk: &mut Desk) -> Handled {
        let page = desk.page();
        let result = match action {
            _ if action.is_move() => {
                self.list.navigate(action, page);
                Ok(())
            }
            Action::NextCycle | Action::PrevCycle => {
                let forward = action == Action::NextCycle;
                self.step_cycle(forward, &desk.session, page)
            }
            Action::Distribution | Action::Leniency | Action::Profile | Action::Appeals => {
                let view = match action {
                    Action::Distribution => Showing::Distribution,
                    Action::Leniency => Showing::Leniency,
                    Action::Appeals => Showing::Appeals,
                    _ => Showing::Profile,
                };
                self.toggle(view);
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
            Action::Add => self.open_cycle_form(desk, None),
            Action::Edit => match self.cycle() {
                Some(cycle) => self.open_cycle_form(desk, Some(cycle.clone())),
                None => Ok(()),
            },
            _ => return Handled::NotHere,
        };
        if let Err(err) = result {
            desk.error(err.to_string());
        }
        Handled::Done
    }
}
