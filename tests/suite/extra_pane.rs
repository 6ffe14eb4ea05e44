//! A new pane is one folder and one registration line: a tiny Notes pane,
//! written here as a pane's folder would be, registered after the built-in
//! ones, gets a tab, its keys, its form, the "does nothing" answer, a
//! place in the palette, and word of what other panes write, with nothing
//! else in the console changed.

use crate::common;

use std::any::Any;

use common::*;
use hrdesk::action::Action;
use hrdesk::app::changes::Changes;
use hrdesk::app::desk::Desk;
use hrdesk::app::form::{Done, Field, Form, Submitted};
use hrdesk::app::palette::Suggestion;
use hrdesk::app::pane::{Errand, Handled, Pane, PaneId};
use hrdesk::app::{App, Mode};
use hrdesk::config::keymap::Keymap;
use hrdesk::config::theme::load_theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Paragraph};

const NOTES: PaneId = "notes";

/// The form the pane opens.
struct NewNote;

/// The whole pane: notes typed in, and how many changes it was told of.
#[derive(Default)]
struct Notes {
    notes: Vec<String>,
    told: Vec<Changes>,
}

impl Pane for Notes {
    fn id(&self) -> PaneId {
        NOTES
    }

    fn title(&self) -> String {
        "Notes".into()
    }

    fn show(&mut self, _desk: &mut Desk) {}

    fn handle(&mut self, action: Action, desk: &mut Desk) -> Handled {
        match action {
            Action::Add => {
                let field = Field::text("text", "Note".into(), "");
                let form = Form::new(Errand::new(NOTES, NewNote), "New note".into(), vec![field]);
                desk.form = Some(form);
                Handled::Done
            }
            _ => Handled::NotHere,
        }
    }

    fn submit(&mut self, form: &Form<Errand>, _desk: &mut Desk) -> Submitted {
        assert!(
            form.kind.what::<NewNote>().is_some(),
            "its own form comes back"
        );
        let text = form.value("text").trim().to_string();
        if text.is_empty() {
            return Err(vec![(Some("text"), "write something".into())]);
        }
        self.notes.push(text);
        Ok(Done::wrote("noted".into(), Changes::default()))
    }

    fn commands(&self) -> Vec<Suggestion> {
        vec![Suggestion::new("note ".into(), "add a note".into())]
    }

    fn run_command(&mut self, name: &str, argument: &str, desk: &mut Desk) -> bool {
        if name != "note" {
            return false;
        }
        self.notes.push(argument.to_string());
        desk.info("noted".into());
        true
    }

    fn changed(&mut self, changes: &Changes, _shown: bool, _desk: &mut Desk) {
        self.told.push(changes.clone());
    }

    fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        let block = Block::default()
            .borders(Borders::ALL)
            .title(self.title())
            .border_style(app.theme().style(hrdesk::config::theme::Role::Border));
        frame.render_widget(Paragraph::new(self.notes.join("\n")).block(block), area);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The demo company with the Notes pane registered after the others.
fn app_with_notes() -> App {
    let mut panes = hrdesk::panes::all();
    panes.push(Box::new(Notes::default()));
    let keymap = Keymap::built_in().unwrap();
    let theme = load_theme("default", None).unwrap();
    App::new(
        demo_session_with_staff(20).into(),
        panes,
        keymap,
        theme,
        None,
    )
}

fn notes(app: &App) -> &Notes {
    app.pane::<Notes>()
}

#[test]
fn a_registered_pane_gets_a_tab_its_keys_and_its_form() {
    let mut app = app_with_notes();
    let text = screen(&mut app, 120, 30);
    assert!(text.contains("6 Notes"), "a sixth tab:\n{text}");

    press(&mut app, "5 tab");
    assert_eq!(app.tab(), NOTES);
    let text = screen(&mut app, 120, 30);
    assert!(text.contains("┌Notes"), "it draws itself:\n{text}");

    press(&mut app, "a enter");
    assert_eq!(app.mode(), Mode::Form, "an empty note is refused");
    assert_eq!(
        field_error(&app, "text").as_deref(),
        Some("write something")
    );
    type_text(&mut app, "call Li about the transfer");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Browse);
    assert_eq!(app.message().unwrap().text, "noted");
    assert_eq!(notes(&app).notes, vec!["call Li about the transfer"]);
    let text = screen(&mut app, 120, 30);
    assert!(text.contains("call Li about the transfer"), "{text}");

    press(&mut app, "tab");
    assert_eq!(app.tab(), "staff", "tab goes round past it");
}

#[test]
fn a_key_it_does_not_take_says_so_and_where_it_works() {
    let mut app = app_with_notes();
    press(&mut app, "5 tab");
    press(&mut app, "m");
    assert_eq!(app.message().unwrap().text, "m does nothing on Notes");
    press(&mut app, "t");
    assert_eq!(
        app.message().unwrap().text,
        "t does nothing on Notes; it works on the Staff pane (press 1)"
    );
    press(&mut app, "/");
    assert_eq!(app.mode(), Mode::Browse, "no list to filter");
}

#[test]
fn its_palette_commands_run_from_any_pane() {
    let mut app = app_with_notes();
    press(&mut app, ":");
    type_text(&mut app, "note ring the bank");
    press(&mut app, "enter");
    assert_eq!(app.tab(), "staff");
    assert_eq!(notes(&app).notes, vec!["ring the bank"]);
}

#[test]
fn it_is_told_what_other_panes_write() {
    let mut app = app_with_notes();
    assert!(notes(&app).told.is_empty());
    press(&mut app, "e");
    fill(&mut app, "title", "Lead");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Browse, "{:?}", app.form());
    let told = &notes(&app).told;
    assert_eq!(told.len(), 1, "one save, one word");
    assert!(told[0].staff, "people were written");
}
