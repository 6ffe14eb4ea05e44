//! The Bindings pane's keys: moving through the listing a window at a
//! time, switching listings, and the actions that open its forms or ask
//! first (bind, request, confirm, cancel, force, expire an unbinding; run
//! the audit; unbind departed people's accounts; reveal an account).

use super::forms::{BindingForm, confirm_fields};
use super::{BindingsView, ID, Listing};
use crate::action::{Action, Section};
use crate::app::desk::Desk;
use crate::app::form::Form;
use crate::app::pane::{Errand, Handled};
use crate::tr;

impl BindingsView {
    /// A browse action on the Bindings pane.
    pub(super) fn act(&mut self, action: Action, desk: &mut Desk) -> Handled {
        if !(action.allowed_in(Section::Bindings)
            || action.is_move()
            || matches!(action, Action::Add | Action::Reveal | Action::Back))
        {
            return Handled::NotHere;
        }
        if let Some(refused) = &self.refused {
            desk.error(refused.clone());
            return Handled::Done;
        }
        let page = desk.page();
        let result = match action {
            _ if action.is_move() => self.navigate(action, &desk.session, page),
            Action::Add => {
                self.open_bind_form(desk);
                Ok(())
            }
            Action::ConfirmUnbind => {
                let kind = Errand::new(ID, BindingForm::ConfirmCode);
                desk.form = Some(Form::new(
                    kind,
                    tr!("binding.form.confirm"),
                    confirm_fields(),
                ));
                Ok(())
            }
            Action::RequestUnbind | Action::ForceUnbind | Action::CancelUnbind => {
                self.on_selected(desk, action);
                Ok(())
            }
            Action::ExpireUnbind => {
                self.ask_expire(desk);
                Ok(())
            }
            Action::Reveal => self.reveal_account(desk),
            Action::Audit => {
                Self::run_audit(desk);
                Ok(())
            }
            Action::UnbindCritical => self.ask_unbind_critical(desk),
            Action::NextListing => {
                let next = match self.listing {
                    Listing::All => Listing::Pending,
                    Listing::Pending => Listing::Findings,
                    Listing::Findings | Listing::Search(_) => Listing::All,
                };
                self.show_listing(desk, next);
                Ok(())
            }
            Action::Back => {
                self.query.clear();
                self.show_listing(desk, Listing::All);
                Ok(())
            }
            _ => return Handled::NotHere,
        };
        if let Err(err) = result {
            desk.error(err.to_string());
        }
        Handled::Done
    }
}
