//! The palette as the map of the console: what it lists when opened. The
//! actions of the pane on screen (each with its keys and in the pane's
//! words), the global ones, the headless commands the console runs
//! (imports, exports, audits, checks, verify), languages and themes; and,
//! found once something is typed, the actions of every other pane, run
//! there. What the operator's role may not do is listed disabled with the
//! roles that may, and refused before any form opens.

use super::App;
use super::palette::Suggestion;
use super::pane::{Offer, Placement};
use crate::action::{Action, Section};
use crate::cli::console;
use crate::config::theme;
use crate::i18n::{self, Lang};
use crate::service::access::{Permission, require};
use crate::tr;

impl App {
    /// Everything the palette offers, here first (see the module's doc).
    pub(super) fn palette_commands(&self) -> Vec<Suggestion> {
        let mut commands = self.pane_offers(self.shown, None);
        commands.extend(self.global_offers());
        commands.extend(console::offers().into_iter().map(|offer| Suggestion {
            denied: self.denied(Some(offer.needs)),
            ..Suggestion::new(offer.words, offer.about)
        }));
        for pane in &self.panes {
            commands.extend(pane.commands());
        }
        for lang in Lang::ALL {
            commands.push(Suggestion::new(
                format!("lang {}", lang.code()),
                lang.native_name().to_string(),
            ));
        }
        for name in theme::available_themes(self.themes_dir.as_deref()) {
            commands.push(Suggestion::new(
                format!("theme {name}"),
                tr!("palette.theme", name = name),
            ));
        }
        for index in (0..self.panes.len()).filter(|&i| i != self.shown) {
            let title = self.panes[index].title();
            commands.extend(self.pane_offers(index, Some(title)));
        }
        commands
    }

    /// The actions of pane `index`, with keys and what the operator lacks;
    /// `elsewhere` is its title when it is not the pane on screen.
    fn pane_offers(&self, index: usize, elsewhere: Option<String>) -> Vec<Suggestion> {
        let pane = self.panes[index].as_ref();
        let sections = [pane.section().unwrap_or(Section::Browse), Section::Browse];
        pane.offers()
            .into_iter()
            .map(
                |Offer {
                     action,
                     label,
                     needs,
                 }| Suggestion {
                    keys: self.keys_of(&sections, action),
                    elsewhere: elsewhere.clone().map(|title| (index, title)),
                    denied: self.denied(needs),
                    ..Suggestion::new(action.name().to_string(), label)
                },
            )
            .collect()
    }

    /// The global actions (tabs, views, help, quit), with their keys.
    fn global_offers(&self) -> Vec<Suggestion> {
        Action::ALL
            .iter()
            .filter(|action| action.runs_from_palette() && **action != Action::Palette)
            .map(|&action| Suggestion {
                keys: self.keys_of(&[Section::Global], action),
                denied: self.denied(self.view_needs(action)),
                ..Suggestion::new(
                    action.name().to_string(),
                    i18n::text(action.description_key()).to_string(),
                )
            })
            .collect()
    }

    /// What opening the view that `action` opens needs, if it opens one.
    fn view_needs(&self, action: Action) -> Option<Permission> {
        self.panes.iter().find_map(|pane| match pane.placement() {
            Placement::View { opened_by, needs } if opened_by == action => Some(needs),
            _ => None,
        })
    }

    /// The keys bound to `action` in the first of `sections` binding it.
    fn keys_of(&self, sections: &[Section], action: Action) -> String {
        sections
            .iter()
            .find_map(|&section| self.desk.keymap.keys_for(section, action).first().copied())
            .map(ToString::to_string)
            .unwrap_or_default()
    }

    /// Why the operator may not do what needs `needs` (none: they may).
    fn denied(&self, needs: Option<Permission>) -> Option<String> {
        let permission = needs?;
        require(self.desk.session.operator(), permission)
            .err()
            .map(|_| tr!("palette.needs", roles = permission.holders()))
    }

    /// Says why the operator may not take `action` on the pane on screen,
    /// if its offer needs what they lack: then nothing is opened.
    pub(super) fn refuse(&mut self, action: Action) -> bool {
        let needs = self
            .shown()
            .offers()
            .into_iter()
            .find(|offer| offer.action == action)
            .and_then(|offer| offer.needs);
        match needs.map(|permission| require(self.desk.session.operator(), permission)) {
            Some(Err(denied)) => {
                self.desk.error(denied.to_string());
                true
            }
            _ => false,
        }
    }
}
