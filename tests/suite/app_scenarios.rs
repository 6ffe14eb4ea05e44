//! The state machine driven by key sequences through the real default keymap,
//! checked on its state and on the rendered `TestBackend` screen.

use crate::common;

use common::*;
use hrdesk::app::list::FilteredList;
use hrdesk::app::{App, Mode};
use hrdesk::domain::audit::AuditEntry;
use hrdesk::domain::operator::Role;
use hrdesk::panes::departments::{DepartmentRow, DepartmentsView};
use hrdesk::panes::log::LogView;
use hrdesk::panes::operators::{OperatorRow, OperatorsView};
use hrdesk::panes::staff::StaffView;

fn departments(app: &App) -> &FilteredList<DepartmentRow> {
    &app.pane::<DepartmentsView>().list
}

fn operators(app: &App) -> &FilteredList<OperatorRow> {
    &app.pane::<OperatorsView>().list
}

fn log(app: &App) -> &FilteredList<AuditEntry> {
    &app.pane::<LogView>().list
}

#[test]
fn number_keys_and_tab_switch_panes() {
    let mut app = demo_app();
    assert_eq!(app.tab(), "staff");
    press(&mut app, "2");
    assert_eq!(app.tab(), "goals");
    press(&mut app, "tab tab");
    assert_eq!(app.tab(), "bindings");
    press(&mut app, "shift-tab");
    assert_eq!(app.tab(), "scoring");
    press(&mut app, "tab tab tab");
    assert_eq!(app.tab(), "staff", "tab wraps around");
    let text = screen(&mut app, 80, 24);
    assert!(
        text.contains("1 Staff") && text.contains("5 Vendors"),
        "{text}"
    );
}

#[test]
fn q_quits_from_browse_but_is_typed_in_a_form() {
    let mut app = demo_app();
    press(&mut app, "g d a");
    assert_eq!(app.mode(), Mode::Form);
    press(&mut app, "q");
    assert!(!app.should_quit());
    assert_eq!(app.form().unwrap().value("name"), "q");
    press(&mut app, "esc y esc");
    assert_eq!(app.mode(), Mode::Browse);
    press(&mut app, "q");
    assert!(app.should_quit());
}

#[test]
fn a_key_sequence_waits_for_its_second_key() {
    let mut app = demo_app();
    press(&mut app, "g");
    assert_eq!(app.pending_keys().len(), 1);
    assert!(screen(&mut app, 80, 24).contains(" g "));
    press(&mut app, "l");
    assert_eq!(app.shown().id(), "log");
    assert!(app.pending_keys().is_empty());
}

#[test]
fn an_abandoned_sequence_replays_its_last_key() {
    let mut app = demo_app();
    press(&mut app, "g 3");
    assert_eq!(app.tab(), "scoring");
}

#[test]
fn departments_view_lists_the_tree_with_cjk_columns_aligned() {
    let mut app = demo_app_with_staff(40);
    press(&mut app, "g d");
    assert_eq!(app.shown().id(), "departments");
    assert_eq!(departments(&app).items().len(), 19);
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("Departments (19)"), "{text}");
    // Every head column starts at the same display column in each row.
    let head_columns: Vec<usize> = text
        .lines()
        .filter(|l| l.contains("周建国") || l.contains("张丽") || l.contains("David Chen"))
        .map(|l| {
            let name_end = ["周建国", "张丽", "David Chen"]
                .iter()
                .filter_map(|h| l.find(h))
                .min()
                .unwrap();
            unicode_width::UnicodeWidthStr::width(&l[..name_end])
        })
        .collect();
    assert!(head_columns.len() >= 3, "{text}");
    assert!(
        head_columns.windows(2).all(|w| w[0] == w[1]),
        "{head_columns:?}\n{text}"
    );
}

#[test]
fn adding_a_department_saves_selects_and_logs_it() {
    let mut app = demo_app_with_staff(40);
    let before = app.session().audit_log().unwrap().len();
    press(&mut app, "g d");
    press(&mut app, "a");
    type_text(&mut app, "  质量部  ");
    press(&mut app, "tab");
    type_text(&mut app, "xinghe");
    press(&mut app, "tab");
    // A head is an employee: a name nobody has is refused under the field…
    type_text(&mut app, "李不在");
    press(&mut app, "enter");
    assert!(
        field_error(&app, "head").is_some_and(|e| e.contains("李不在")),
        "{:?}",
        app.form()
    );
    // … and a name one person has (or a number) names them: enter takes
    // her from the pick list, a second enter saves.
    press(&mut app, "ctrl-u");
    type_text(&mut app, "张丽");
    press(&mut app, "enter");
    assert_eq!(app.form().unwrap().value("head"), "E000003");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Browse, "{:?}", app.form());
    let selected = departments(&app).selected().unwrap();
    assert_eq!(selected.name, "质量部");
    assert_eq!(selected.head, "E000003 张丽");
    assert_eq!(selected.head_ref, "E000003");
    assert_eq!(selected.path, "星河零售 Xinghe Retail / 质量部");
    assert_eq!(app.session().audit_log().unwrap().len(), before + 1);
    assert!(app.message().unwrap().text.contains("质量部"));
}

#[test]
fn invalid_department_input_stays_in_the_form_with_the_field_marked() {
    let mut app = demo_app();
    let before = app.session().audit_log().unwrap().len();
    press(&mut app, "g d a enter");
    let form = app.form().expect("form stays open");
    assert_eq!(form.fields[0].error.as_deref(), Some("The name is empty"));
    type_text(&mut app, "销售部");
    press(&mut app, "tab");
    type_text(&mut app, "xinghe");
    press(&mut app, "enter");
    let form = app.form().expect("duplicate keeps the form open");
    assert!(
        form.fields[0]
            .error
            .as_deref()
            .unwrap()
            .contains("already has"),
        "{form:?}"
    );
    assert_eq!(form.focus, 0);
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("already has a department named"), "{text}");
    assert_eq!(
        app.session().audit_log().unwrap().len(),
        before,
        "nothing written"
    );
}

#[test]
fn escape_on_a_changed_form_asks_before_discarding() {
    let mut app = demo_app();
    press(&mut app, "g d a");
    press(&mut app, "esc");
    assert_eq!(app.mode(), Mode::Browse, "an untouched form closes at once");
    press(&mut app, "a");
    type_text(&mut app, "X");
    press(&mut app, "esc");
    assert_eq!(app.mode(), Mode::Confirm);
    assert!(screen(&mut app, 80, 24).contains("Discard changes?"));
    press(&mut app, "n");
    assert_eq!(app.mode(), Mode::Form);
    assert_eq!(app.form().unwrap().value("name"), "X");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Browse, "X is a valid name");
}

#[test]
fn removing_asks_first_and_refuses_a_department_with_children() {
    let mut app = demo_app();
    press(&mut app, "g d");
    type_text(&mut app, "");
    // The first row is the company, which has children: refused before asking.
    press(&mut app, "d");
    assert_eq!(app.mode(), Mode::Browse);
    assert!(app.message().unwrap().is_error);
    assert!(app.message().unwrap().text.contains("6 sub-department(s)"));
    assert_eq!(departments(&app).items().len(), 19);
    // Filter to a leaf, remove it.
    press(&mut app, "/");
    type_text(&mut app, "hefei");
    assert_eq!(app.mode(), Mode::Filter);
    press(&mut app, "esc");
    press(&mut app, "/");
    type_text(&mut app, "合肥");
    press(&mut app, "enter");
    assert_eq!(departments(&app).visible_len(), 1);
    press(&mut app, "d");
    press(&mut app, "esc");
    assert_eq!(departments(&app).items().len(), 19, "cancel keeps it");
    press(&mut app, "d y");
    assert_eq!(departments(&app).items().len(), 18);
}

#[test]
fn removing_a_department_with_people_asks_where_they_go_and_moves_them() {
    let mut app = demo_app_with_staff(120);
    press(&mut app, "g d /");
    type_text(&mut app, "华南大区");
    press(&mut app, "enter d");
    assert_eq!(app.mode(), Mode::Form, "{:?}", app.message());
    let text = screen(&mut app, 120, 30);
    assert!(
        text.contains("Remove 星河零售 Xinghe Retail / 销售部 / 华南大区"),
        "{text}"
    );
    assert!(text.contains("people"), "the form says who moves:\n{text}");
    assert_eq!(
        app.form().unwrap().value("move_to"),
        departments(&app)
            .selected()
            .unwrap()
            .parent
            .unwrap()
            .to_string(),
        "to its parent by default"
    );
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Browse, "{:?}", app.form());
    let said = &app.message().unwrap().text;
    assert!(
        said.starts_with("Department “华南大区” removed; its ")
            && said.ends_with("moved to 星河零售 Xinghe Retail / 销售部"),
        "{said}"
    );
    assert_eq!(departments(&app).items().len(), 18);
    press(&mut app, "esc 1 /");
    type_text(&mut app, "华南");
    assert_eq!(
        app.pane::<StaffView>().list.visible_len(),
        0,
        "nobody is left in it"
    );
}

#[test]
fn move_offers_no_place_inside_the_department_itself() {
    let mut app = demo_app();
    press(&mut app, "g d /");
    type_text(&mut app, "销售部");
    press(&mut app, "enter m");
    let form = app.form().unwrap();
    let hrdesk::app::form::FieldKind::Choice(choice) = &form.fields[0].kind else {
        panic!("parent is a choice");
    };
    assert!(
        choice.options.iter().all(|o| !o.label.contains("销售部")),
        "{choice:?}"
    );
    // Move it under 门店运营部 by typing to seek.
    type_text(&mut app, "门店运营");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Browse);
    let tree = app.session().department_tree().unwrap();
    let sales = tree
        .rows()
        .into_iter()
        .find(|r| r.department.name == "销售部")
        .unwrap();
    assert!(
        tree.path(sales.department.id)
            .contains("门店运营部 / 销售部")
    );
}

#[test]
fn filter_narrows_as_you_type_and_escape_clears_it() {
    let mut app = demo_app();
    press(&mut app, "g d /");
    type_text(&mut app, "华东");
    assert_eq!(departments(&app).visible_len(), 1);
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("(1/19)") && text.contains("/ 华东"), "{text}");
    press(&mut app, "backspace backspace");
    assert_eq!(departments(&app).visible_len(), 19);
    type_text(&mut app, "zzzz");
    assert!(screen(&mut app, 80, 24).contains("Nothing matches"));
    press(&mut app, "esc");
    assert_eq!(app.mode(), Mode::Browse);
    assert_eq!(departments(&app).visible_len(), 19);
}

#[test]
fn viewers_cannot_change_departments_or_see_operators() {
    let mut app = demo_app_as("audit.liu", Role::Viewer);
    press(&mut app, "g d a");
    assert_eq!(app.mode(), Mode::Browse);
    let msg = app.message().unwrap();
    assert!(
        msg.is_error
            && msg
                .text
                .contains("audit.liu (viewer) may not change departments"),
        "{msg:?}"
    );
    press(&mut app, "g o");
    assert_eq!(app.shown().id(), "departments");
    assert!(app.message().unwrap().text.contains("view operators"));
    press(&mut app, "g l");
    assert!(app.message().unwrap().is_error);
}

#[test]
fn hr_may_edit_departments_but_not_operators() {
    let mut app = demo_app_as("hr.zhang", Role::Hr);
    press(&mut app, "g o");
    assert_eq!(app.shown().id(), "operators");
    press(&mut app, "a");
    assert_eq!(app.mode(), Mode::Browse);
    assert!(app.message().unwrap().text.contains("change operators"));
    press(&mut app, "g d e");
    assert_eq!(app.mode(), Mode::Form);
}

#[test]
fn operators_are_added_and_the_last_admin_is_protected() {
    let mut app = demo_app();
    press(&mut app, "g o");
    assert_eq!(operators(&app).items().len(), 4);
    press(&mut app, "a");
    type_text(&mut app, "wang.fang");
    // New operators start as viewers; two choices back is hr.
    press(&mut app, "tab ctrl-p ctrl-p enter");
    assert_eq!(app.mode(), Mode::Browse, "{:?}", app.form());
    let op = app
        .session()
        .operators()
        .unwrap()
        .into_iter()
        .find(|op| op.user == "wang.fang")
        .unwrap();
    assert_eq!(op.role, Role::Hr);
    // The admin is first in the list (sorted: admin < audit.liu < …).
    press(&mut app, "g g e ctrl-n enter");
    let form = app.form().expect("last admin cannot be demoted");
    assert!(
        form.fields[0]
            .error
            .as_deref()
            .unwrap()
            .contains("last admin")
    );
    press(&mut app, "esc y");
    press(&mut app, "d y");
    assert!(app.message().unwrap().text.contains("own account"));
}

#[test]
fn a_manager_role_needs_a_department() {
    let mut app = demo_app();
    press(&mut app, "g o a");
    type_text(&mut app, "mgr.new");
    press(&mut app, "tab ctrl-p enter");
    let form = app.form().expect("scope missing");
    assert_eq!(
        form.fields[2].error.as_deref(),
        Some("A manager needs a department")
    );
    assert_eq!(form.focus, 2, "the error focuses its field");
    type_text(&mut app, "华南");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Browse);
    assert!(
        operators(&app)
            .items()
            .iter()
            .any(|r| r.user == "mgr.new" && r.scope.ends_with("华南大区"))
    );
}

#[test]
fn help_lists_live_bindings_and_filters() {
    let mut app = demo_app();
    press(&mut app, "?");
    assert_eq!(app.mode(), Mode::Help);
    let text = screen(&mut app, 80, 24);
    assert!(
        text.contains("Quit hrdesk") && text.contains("next_tab"),
        "{text}"
    );
    type_text(&mut app, "theme");
    let text = screen(&mut app, 80, 24);
    assert!(
        text.contains("g t") && !text.contains("Quit hrdesk"),
        "{text}"
    );
    press(&mut app, "esc");
    assert_eq!(app.mode(), Mode::Browse);
}

#[test]
fn palette_completes_and_runs_commands() {
    let mut app = demo_app();
    press(&mut app, ":");
    type_text(&mut app, "oper");
    press(&mut app, "enter");
    assert_eq!(app.shown().id(), "operators");
    press(&mut app, ":");
    type_text(&mut app, "theme light");
    press(&mut app, "enter");
    assert_eq!(app.theme().name(), "light");
    press(&mut app, ":");
    type_text(&mut app, "theme nosuch");
    press(&mut app, "enter");
    assert!(app.message().unwrap().is_error);
    assert_eq!(app.theme().name(), "light");
    press(&mut app, ": q u i t enter");
    assert!(app.should_quit());
}

#[test]
fn the_palette_offers_and_runs_the_actions_of_the_pane_on_screen() {
    let offered = |app: &mut App| {
        press(app, ":");
        type_text(app, "transfer");
        let text = screen(app, 120, 30);
        press(app, "esc");
        text
    };
    let mut app = demo_app_with_staff(20);
    let here = offered(&mut app);
    assert!(
        here.contains("transfer") && here.contains("Transfer to another department"),
        "Staff's own action is offered on Staff:\n{here}"
    );
    assert!(!here.contains("on Staff"), "{here}");
    press(&mut app, ":");
    type_text(&mut app, "transfer");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Form);
    assert!(
        app.form().unwrap().title.starts_with("Transfer"),
        "{:?}",
        app.form()
    );
    press(&mut app, "esc 2");
    let elsewhere = offered(&mut app);
    assert!(
        elsewhere.contains("· on Staff"),
        "found on Goals, marked as Staff's:\n{elsewhere}"
    );
    press(&mut app, ":");
    type_text(&mut app, "transfer");
    press(&mut app, "enter");
    assert_eq!(app.tab(), "staff", "it runs on its own pane");
    assert_eq!(app.mode(), Mode::Form);
    assert!(app.form().unwrap().title.starts_with("Transfer"));
}

#[test]
fn the_audit_log_shows_newest_first_and_filters() {
    let mut app = demo_app();
    press(&mut app, "g l");
    let first = log(&app).selected().unwrap();
    assert_eq!(
        first.record.action, "vendor.spend",
        "the demo's vendor spend comes last"
    );
    press(&mut app, "/");
    type_text(&mut app, "database.create");
    assert_eq!(log(&app).visible_len(), 1);
    press(&mut app, "enter a");
    assert!(app.message().unwrap().text.contains("cannot be changed"));
}

#[test]
fn a_tiny_terminal_gets_a_note_instead_of_a_broken_layout() {
    let mut app = demo_app();
    let text = screen(&mut app, 30, 8);
    assert!(text.contains("Terminal too small"), "{text}");
}

#[test]
fn unbound_keys_say_so() {
    let mut app = demo_app();
    press(&mut app, "Q");
    assert_eq!(app.message().unwrap().text, "Q does nothing on Staff");
}

#[test]
fn the_palette_switches_the_language_at_run_time() {
    let mut app = demo_app();
    press(&mut app, ":");
    type_text(&mut app, "lang zh");
    press(&mut app, "enter");
    assert_eq!(app.lang(), hrdesk::i18n::Lang::Zh);
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("1 员工 │ 2 目标"), "{text}");
    assert!(text.contains("语言：简体中文"), "{text}");
    press(&mut app, ":");
    type_text(&mut app, "lang fr");
    press(&mut app, "enter");
    assert!(app.message().unwrap().is_error);
    assert_eq!(app.lang(), hrdesk::i18n::Lang::Zh);
    press(&mut app, ":");
    type_text(&mut app, "lang en");
    press(&mut app, "enter");
    assert!(screen(&mut app, 80, 24).contains("1 Staff │ 2 Goals"));
}

#[test]
fn staff_filter_matches_pinyin_initials_and_full_pinyin() {
    let mut app = demo_app_with_staff(60);
    assert_eq!(app.pane::<StaffView>().list.items().len(), 60);
    press(&mut app, "/");
    type_text(&mut app, "zq");
    let staff = app.pane::<StaffView>();
    let names: Vec<String> = staff
        .list
        .visible()
        .map(|r| staff.labels.of(r).name.to_string())
        .collect();
    assert!(names.contains(&"曾强".to_string()), "{names:?}");
    press(&mut app, "ctrl-u");
    type_text(&mut app, "zengqiang");
    let staff = app.pane::<StaffView>();
    let names: Vec<String> = staff
        .list
        .visible()
        .map(|r| staff.labels.of(r).name.to_string())
        .collect();
    assert_eq!(names, vec!["曾强".to_string()]);
    press(&mut app, "enter");
    let (record, history) = app
        .pane::<StaffView>()
        .selected
        .clone()
        .expect("the match is selected");
    assert_eq!(record.name, "曾强");
    assert_eq!(history[0].kind.code(), "hire");
    let text = screen(&mut app, 80, 24);
    assert!(
        text.contains("E000006 曾强"),
        "the detail panel shows the record:\n{text}"
    );
    press(&mut app, "esc");
    assert_eq!(app.mode(), Mode::Browse);
}

#[test]
fn every_sort_orders_by_its_column_then_the_number_both_ways() {
    let mut app = demo_app_with_staff(300);
    type Key = (String, String);
    type Row = hrdesk::panes::staff::StaffRow;
    type Labels = hrdesk::panes::staff::labels::Labels;
    let columns: [fn(&Labels, &Row) -> Key; 5] = [
        |_, r| (r.emp_no.to_string(), String::new()),
        |l, r| (l.of(r).sort_key.to_string(), r.emp_no.to_string()),
        |l, r| (l.of(r).department.path.clone(), r.emp_no.to_string()),
        |_, r| (r.hire_date.to_string(), r.emp_no.to_string()),
        |_, r| (format!("{}", r.status as u8), r.emp_no.to_string()),
    ];
    for (turn, column) in columns.iter().enumerate() {
        if turn > 0 {
            press(&mut app, "s");
        }
        for reversed in [false, true] {
            if reversed {
                press(&mut app, "S");
            }
            let staff = app.pane::<StaffView>();
            let keys: Vec<Key> = staff
                .list
                .visible()
                .map(|r| column(&staff.labels, r))
                .collect();
            let mut sorted = keys.clone();
            sorted.sort();
            if reversed {
                sorted.reverse();
            }
            assert_eq!(keys, sorted, "column {turn}, reversed {reversed}");
        }
        press(&mut app, "S");
    }
}

#[test]
fn staff_sorts_by_the_next_column_and_reverses() {
    let mut app = demo_app_with_staff(60);
    let first = |app: &hrdesk::app::App| {
        app.pane::<StaffView>()
            .list
            .visible()
            .next()
            .unwrap()
            .emp_no
            .clone()
    };
    assert_eq!(first(&app), "E000001");
    press(&mut app, "S");
    assert_eq!(first(&app), "E000060", "reversed");
    press(&mut app, "s");
    let staff = app.pane::<StaffView>();
    let pinyin: Vec<String> = staff
        .list
        .visible()
        .map(|r| hrdesk::domain::sounds::sort_key(staff.labels.of(r).name))
        .collect();
    let mut sorted = pinyin.clone();
    sorted.sort();
    assert_eq!(
        pinyin, sorted,
        "by name, in pinyin order, syllable by syllable"
    );
    assert!(screen(&mut app, 80, 24).contains("sorted by Name"));
}

#[test]
fn managers_see_only_their_subtree_in_the_staff_pane() {
    let session = demo_session_with_staff(60);
    let app = app_for(
        hrdesk::service::Session::login(session.store_handle(), "mgr.zeng", clock()).unwrap(),
    );
    let staff = app.pane::<StaffView>();
    let paths: Vec<String> = staff
        .list
        .items()
        .iter()
        .map(|r| staff.labels.of(r).department.path.clone())
        .collect();
    assert!(!paths.is_empty());
    assert!(paths.iter().all(|p| p.contains("销售部")), "{paths:?}");
}

#[test]
fn a_renamed_department_shows_in_the_staff_table_at_once() {
    let mut app = demo_app_with_staff(60);
    press(&mut app, "g d /");
    type_text(&mut app, "华东");
    press(&mut app, "enter e ctrl-u");
    type_text(&mut app, "华东  一区");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Browse);
    let selected = departments(&app).selected().unwrap();
    assert_eq!(
        selected.name, "华东 一区",
        "the edited department stays selected"
    );
    let staff = app.pane::<StaffView>();
    assert!(
        staff
            .list
            .items()
            .iter()
            .any(|r| staff.labels.of(r).department.name == "华东 一区"),
        "the staff rows follow the rename"
    );
}

#[test]
fn a_new_department_is_selected_even_when_its_name_was_tidied() {
    let mut app = demo_app();
    press(&mut app, "g d a");
    type_text(&mut app, "  新零售   部 ");
    press(&mut app, "enter");
    assert_eq!(departments(&app).selected().unwrap().name, "新零售 部");
}

#[test]
fn an_operator_removed_in_the_console_loses_their_ssh_key_line() {
    use hrdesk::team::operator_keys::KeyPlace;
    use hrdesk::team::public_key::PublicKey;
    let dir = tempfile::tempdir().expect("dir");
    let place = KeyPlace {
        configured: Some(dir.path().join("authorized_keys")),
        db: dir.path().join("hr.redb"),
    };
    // audit.liu's key line, as `operator set-key` writes it.
    let key = PublicKey::parse(
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIC47LIGqPzt5QAM7f7GCgrIB0BKurl1baNE0KSzD50ye li@desk",
    )
    .expect("key");
    let (file, line) = place.line("audit.liu", &key).expect("line");
    file.apply(line.holder(), Some(&line)).expect("written");
    let text = || std::fs::read_to_string(dir.path().join("authorized_keys")).expect("file");
    assert!(text().contains("ssh-session audit.liu"), "{}", text());

    let mut app = demo_app();
    app.keep_keys_at(place);
    press(&mut app, "g o");
    // Sorted: admin, audit.liu, …
    press(&mut app, "g g j d y");
    assert!(
        !app.session()
            .operators()
            .unwrap()
            .iter()
            .any(|op| op.user == "audit.liu")
    );
    assert!(!text().contains("audit.liu"), "{}", text());
    assert!(text().contains("# hrdesk begin"), "the section stays");
    let log = app.session().audit_log().unwrap();
    let last = log.last().expect("entry");
    assert_eq!(last.record.action, "operator.remove");
    assert!(
        last.record
            .before
            .as_deref()
            .unwrap_or_default()
            .contains("SHA256:BzfAaNza"),
        "{:?}",
        last.record
    );
}

#[test]
fn a_key_with_no_action_on_the_pane_says_so() {
    let mut app = demo_app();
    let said = |app: &hrdesk::app::App| app.message().expect("a message").text.clone();
    press(&mut app, "3 m");
    assert_eq!(said(&app), "m does nothing on Scoring");
    press(&mut app, "4 d");
    assert_eq!(said(&app), "d does nothing on Bindings");
    press(&mut app, "2 s");
    assert_eq!(
        said(&app),
        "s does nothing on Goals; it works on the Staff pane (press 1)"
    );
    press(&mut app, "Q");
    assert_eq!(said(&app), "Q does nothing on Goals");
    press(&mut app, "t");
    assert_eq!(
        said(&app),
        "t does nothing on Goals; it works on the Staff pane (press 1)"
    );
    press(&mut app, "g l a");
    assert_eq!(
        said(&app),
        "a does nothing on Audit log; the audit log cannot be changed"
    );
}
