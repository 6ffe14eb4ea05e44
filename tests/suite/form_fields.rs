//! Choice fields and the fields that name an employee, driven through the
//! real keymap: choices found by pinyin in full, by initials and in
//! Chinese; a choice typed to nothing keeps the form open, says so and
//! writes nothing; employee numbers in any case; names and pinyin offering
//! a pick list; a transfer suggesting the new department's head as
//! manager; and forms as wide as the terminal lets them be.

use crate::common;

use common::*;
use hrdesk::app::form::FieldKind;
use hrdesk::app::{App, Mode};
use hrdesk::domain::department::{DepartmentId, Head};
use hrdesk::domain::employee::{Employee, Status};
use hrdesk::panes::departments::DepartmentsView;
use hrdesk::service::DepartmentDraft;

/// The demo company with `staff` employees and a department 鑫源百货 under
/// the top one (whose name, 星河零售 Xinghe Retail, also begins `xin…`).
fn with_xinyuan(staff: usize) -> (App, DepartmentId) {
    let demo = demo_session_with_staff(staff);
    let top = department_named(&demo, "星河零售 Xinghe Retail");
    let xinyuan = demo
        .add_department(DepartmentDraft {
            name: "鑫源百货".into(),
            parent: Some(top),
            head: None,
        })
        .unwrap()
        .id;
    (app_for(demo), xinyuan)
}

/// The value of the open form's field `id`.
fn value(app: &App, id: &str) -> String {
    app.form().expect("a form is open").value(id).to_string()
}

/// The hint beside field `id` of the open form.
fn hint(app: &App, id: &str) -> Option<String> {
    let form = app.form()?;
    form.fields.iter().find(|f| f.id == id)?.hint.clone()
}

/// The numbers in the pick list under field `id`, best first.
fn picks(app: &App, id: &str) -> Vec<String> {
    let form = app.form().expect("a form is open");
    match &form.fields.iter().find(|f| f.id == id).unwrap().kind {
        FieldKind::Person(person) if person.listing() => {
            person.picks.iter().map(|p| p.emp_no.clone()).collect()
        }
        _ => Vec::new(),
    }
}

/// Opens `worker`'s transfer form with its manager field focused and emptied.
fn transfer_with_blank_manager(app: &mut App, worker: &Employee) {
    select_employee(app, &worker.emp_no);
    press(app, "t");
    focus(app, "manager_emp_no");
    press(app, "ctrl-u");
}

/// The employee with number `emp_no`.
fn employee(app: &App, emp_no: &str) -> Employee {
    app.session().find_employee(emp_no).unwrap().unwrap()
}

/// The number of the employee who heads department `name`.
fn head_of(app: &App, name: &str) -> String {
    let tree = app.session().department_tree().unwrap();
    let id = department_named(app.session(), name);
    let Some(Head::Employee(head)) = tree.get(id).unwrap().head.clone() else {
        panic!("{name} has no head");
    };
    app.session().employee(head).unwrap().unwrap().emp_no
}

/// Someone active who manages nobody, heads no department and works
/// outside the sales regions (the transfers below go there).
fn plain_member(app: &App) -> Employee {
    let session = app.session();
    let tree = session.department_tree().unwrap();
    let heads: Vec<_> = tree
        .rows()
        .into_iter()
        .filter_map(|row| match &row.department.head {
            Some(Head::Employee(id)) => Some(*id),
            _ => None,
        })
        .collect();
    let regions = [
        department_named(session, "华南大区"),
        department_named(session, "华东大区"),
    ];
    session
        .directory()
        .unwrap()
        .employees()
        .iter()
        .find(|e| {
            e.status == Status::Active
                && !heads.contains(&e.id)
                && !regions.contains(&e.department)
                && e.manager.is_some()
                && session.active_reports(e.id).unwrap() == 0
        })
        .cloned()
        .expect("someone plain")
}

#[test]
fn a_choice_finds_by_pinyin_in_full_by_initials_and_in_chinese() {
    let (mut app, xinyuan) = with_xinyuan(0);
    let top = department_named(app.session(), "星河零售 Xinghe Retail");
    press(&mut app, "g d a");
    type_text(&mut app, "质检部");
    press(&mut app, "tab");
    for typed in ["xin", "xinyuan", "xybh", "xy", "鑫源", "XIN"] {
        press(&mut app, "ctrl-u");
        type_text(&mut app, typed);
        assert_eq!(value(&app, "parent"), xinyuan.to_string(), "{typed}");
    }
    // The top department is found by its own syllables.
    for typed in ["xinghe", "xhls", "星河"] {
        press(&mut app, "ctrl-u");
        type_text(&mut app, typed);
        assert_eq!(value(&app, "parent"), top.to_string(), "{typed}");
    }
    // A path's last name comes first: `huanan` is 华南大区, under 销售部.
    press(&mut app, "ctrl-u");
    type_text(&mut app, "hndq");
    let huanan = department_named(app.session(), "华南大区");
    assert_eq!(value(&app, "parent"), huanan.to_string());
    press(&mut app, "ctrl-u");
    type_text(&mut app, "xin");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Browse, "{:?}", app.form());
    let tree = app.session().department_tree().unwrap();
    let added = department_named(app.session(), "质检部");
    assert_eq!(tree.get(added).unwrap().parent, Some(xinyuan));
}

#[test]
fn enter_on_a_choice_typed_to_nothing_stays_says_so_and_writes_nothing() {
    let mut app = demo_app();
    let before = app.session().department_tree().unwrap().rows().len();
    let audit_before = app.session().audit_log().unwrap().len();
    press(&mut app, "g d a");
    type_text(&mut app, "鑫源百货");
    press(&mut app, "tab");
    // The parent starts at the top level (the case) …
    press(&mut app, "ctrl-p");
    assert_eq!(value(&app, "parent"), "", "the top level");
    // … and what is typed matches no department.
    type_text(&mut app, "鑫源");
    assert_eq!(value(&app, "parent"), "", "the choice did not move");
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("nothing matches “鑫源”"), "{text}");
    let nothing_written = |app: &App| {
        assert_eq!(
            app.session().department_tree().unwrap().rows().len(),
            before,
            "no department created, at the top level or anywhere"
        );
        assert_eq!(app.session().audit_log().unwrap().len(), audit_before);
        assert!(
            !app.pane::<DepartmentsView>()
                .list
                .items()
                .iter()
                .any(|row| row.name == "鑫源百货")
        );
    };
    for _ in 0..2 {
        press(&mut app, "enter");
        assert_eq!(app.mode(), Mode::Form, "the form stays open");
        let error = field_error(&app, "parent").expect("the parent is blamed");
        assert!(error.contains("“鑫源”"), "{error}");
        assert_eq!(app.form().unwrap().focused().unwrap().id, "parent");
        nothing_written(&app);
    }
    // Pinyin found along the way and then nothing: refused the same.
    press(&mut app, "ctrl-u");
    type_text(&mut app, "xinyuan");
    press(&mut app, "enter");
    let error = field_error(&app, "parent").expect("the parent is blamed");
    assert!(error.contains("“xinyuan”"), "{error}");
    nothing_written(&app);
    // A choice found is saved.
    press(&mut app, "ctrl-u");
    type_text(&mut app, "renli");
    assert!(
        field_error(&app, "parent").is_some(),
        "kept until the next enter"
    );
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Browse, "{:?}", app.form());
    let tree = app.session().department_tree().unwrap();
    let added = department_named(app.session(), "鑫源百货");
    let hr = department_named(app.session(), "人力资源部");
    assert_eq!(tree.get(added).unwrap().parent, Some(hr));
}

#[test]
fn an_employee_number_in_lower_case_names_the_person() {
    let mut app = demo_app_with_staff(40);
    let worker = plain_member(&app);
    let xie = employee(&app, "E000008");
    transfer_with_blank_manager(&mut app, &worker);
    type_text(&mut app, "e000008");
    let said = hint(&app, "manager_emp_no").unwrap();
    assert!(
        said.starts_with(&format!("E000008 {} · ", xie.name)),
        "{said}"
    );
    assert!(
        picks(&app, "manager_emp_no").is_empty(),
        "a number needs no list"
    );
    let text = screen(&mut app, 100, 30);
    assert!(
        text.contains(&format!("e000008  E000008 {}", xie.name)),
        "{text}"
    );
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Browse, "{:?}", app.form());
    assert_eq!(employee(&app, &worker.emp_no).manager, Some(xie.id));
}

#[test]
fn an_unknown_number_or_name_is_refused_on_its_field() {
    let mut app = demo_app_with_staff(40);
    let worker = plain_member(&app);
    transfer_with_blank_manager(&mut app, &worker);
    type_text(&mut app, "e999999");
    assert_eq!(
        hint(&app, "manager_emp_no").as_deref(),
        Some("(nobody has this number or name)")
    );
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Form);
    let error = field_error(&app, "manager_emp_no").unwrap();
    assert!(error.contains("e999999"), "{error}");
    assert_eq!(
        employee(&app, &worker.emp_no).manager,
        worker.manager,
        "nothing written"
    );
}

#[test]
fn a_name_or_its_pinyin_offers_a_pick_list() {
    let mut app = demo_app_with_staff(40);
    let worker = plain_member(&app);
    let xie = employee(&app, "E000008");
    transfer_with_blank_manager(&mut app, &worker);
    // 解 reads xie as a surname, not jie.
    type_text(&mut app, "xie");
    let listed = picks(&app, "manager_emp_no");
    assert!(listed.contains(&xie.emp_no), "{listed:?}");
    // Down and up move in the list, not between fields.
    press(&mut app, "down");
    assert_eq!(app.form().unwrap().focused().unwrap().id, "manager_emp_no");
    press(&mut app, "up");
    // Narrowed to one by the full name's pinyin: enter takes him …
    type_text(&mut app, "ming");
    assert_eq!(picks(&app, "manager_emp_no"), vec![xie.emp_no.clone()]);
    let text = screen(&mut app, 100, 30);
    assert!(text.contains("xieming"), "{text}");
    assert!(
        text.contains(&format!("▸ E000008 {} · ", xie.name)),
        "{text}"
    );
    press(&mut app, "enter");
    assert_eq!(
        app.mode(),
        Mode::Form,
        "enter took the pick, it did not save"
    );
    assert_eq!(value(&app, "manager_emp_no"), "E000008");
    assert!(picks(&app, "manager_emp_no").is_empty());
    let said = hint(&app, "manager_emp_no").unwrap();
    assert!(said.starts_with(&format!("{} · ", xie.name)), "{said}");
    // … and the next enter saves.
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Browse, "{:?}", app.form());
    assert_eq!(employee(&app, &worker.emp_no).manager, Some(xie.id));
}

#[test]
fn a_name_in_chinese_is_picked_with_the_keys_and_esc_only_puts_the_list_away() {
    let mut app = demo_app_with_staff(40);
    let worker = plain_member(&app);
    transfer_with_blank_manager(&mut app, &worker);
    type_text(&mut app, "E00001");
    let listed = picks(&app, "manager_emp_no");
    assert!(listed.len() > 2, "numbers beginning so: {listed:?}");
    press(&mut app, "down down up");
    press(&mut app, "esc");
    assert_eq!(
        app.mode(),
        Mode::Form,
        "esc put the list away, the form stays"
    );
    assert!(picks(&app, "manager_emp_no").is_empty());
    press(&mut app, "backspace");
    let listed = picks(&app, "manager_emp_no");
    assert!(listed.len() > 2, "typing lists again: {listed:?}");
    press(&mut app, "down enter");
    assert_eq!(value(&app, "manager_emp_no"), listed[1]);
    // A Chinese name names its one person at once.
    press(&mut app, "ctrl-u");
    let zhang = employee(&app, "E000003");
    type_text(&mut app, &zhang.name);
    assert_eq!(picks(&app, "manager_emp_no")[0], "E000003");
    press(&mut app, "enter enter");
    assert_eq!(app.mode(), Mode::Browse, "{:?}", app.form());
    assert_eq!(employee(&app, &worker.emp_no).manager, Some(zhang.id));
}

#[test]
fn a_name_left_in_the_field_is_taken_when_it_names_one_person_only() {
    let mut app = demo_app_with_staff(40);
    let worker = plain_member(&app);
    let zhang = employee(&app, "E000003");
    transfer_with_blank_manager(&mut app, &worker);
    type_text(&mut app, "x");
    // Leaving the list for the next field, then saving: `x` is no one person.
    press(&mut app, "tab enter");
    assert_eq!(app.mode(), Mode::Form);
    let error = field_error(&app, "manager_emp_no").unwrap();
    assert!(error.contains("“x”") && error.contains("pick"), "{error}");
    assert!(
        !picks(&app, "manager_emp_no").is_empty(),
        "the list is back"
    );
    // A whole name is one person: it is saved as their number.
    press(&mut app, "ctrl-u");
    type_text(&mut app, &zhang.name);
    press(&mut app, "tab enter");
    assert_eq!(app.mode(), Mode::Browse, "{:?}", app.form());
    assert_eq!(employee(&app, &worker.emp_no).manager, Some(zhang.id));
}

#[test]
fn every_field_that_names_an_employee_takes_a_number_or_a_name() {
    let mut app = demo_app_with_staff(40);
    let is_person = |app: &App, id: &str| {
        let form = app.form().unwrap_or_else(|| panic!("no form for {id}"));
        let field = form.fields.iter().find(|f| f.id == id);
        matches!(field.map(|f| &f.kind), Some(FieldKind::Person(_)))
    };
    // Staff: the hire's and the transfer's manager.
    press(&mut app, "1 a");
    assert!(is_person(&app, "manager_emp_no"));
    press(&mut app, "esc");
    press(&mut app, "t");
    assert!(is_person(&app, "manager_emp_no"));
    press(&mut app, "esc");
    // Departments: the head, adding and editing.
    press(&mut app, "g d a");
    assert!(is_person(&app, "head"));
    press(&mut app, "esc e");
    assert!(is_person(&app, "head"));
    press(&mut app, "esc esc");
    // Goals: the person a goal is for.
    press(&mut app, "2 e");
    assert!(is_person(&app, "employee"));
    press(&mut app, "esc");
    // Scoring: the rater.
    press(&mut app, "3 i");
    assert!(is_person(&app, "rater"));
    press(&mut app, "esc");
    // Bindings: the account's holder.
    press(&mut app, "4 a");
    assert!(is_person(&app, "emp_no"));
}

#[test]
fn a_department_head_is_picked_by_pinyin() {
    let mut app = demo_app_with_staff(40);
    let zhang = employee(&app, "E000003");
    press(&mut app, "g d a");
    type_text(&mut app, "质检部");
    focus(&mut app, "head");
    type_text(&mut app, "zhangl");
    assert_eq!(picks(&app, "head").first(), Some(&zhang.emp_no));
    press(&mut app, "enter");
    let said = hint(&app, "head").unwrap();
    assert_eq!(said, format!("{} · 人力资源部", zhang.name));
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Browse, "{:?}", app.form());
    let row = app
        .pane::<DepartmentsView>()
        .list
        .selected()
        .unwrap()
        .clone();
    assert_eq!(row.head_ref, "E000003");
}

#[test]
fn a_transfer_suggests_the_new_departments_head_as_manager() {
    let mut app = demo_app_with_staff(40);
    let worker = plain_member(&app);
    let south = head_of(&app, "华南大区");
    let east = head_of(&app, "华东大区");
    select_employee(&mut app, &worker.emp_no);
    press(&mut app, "t");
    let opened_with = value(&app, "manager_emp_no");
    focus(&mut app, "department");
    type_text(&mut app, "huanan");
    assert_eq!(
        value(&app, "department"),
        department_named(app.session(), "华南大区").to_string()
    );
    assert_eq!(
        value(&app, "manager_emp_no"),
        south,
        "the head is suggested"
    );
    let said = hint(&app, "manager_emp_no").unwrap();
    assert_eq!(said, format!("{} · 华南大区", employee(&app, &south).name));
    // Another department, another head.
    press(&mut app, "ctrl-u");
    type_text(&mut app, "hdd");
    assert_eq!(value(&app, "manager_emp_no"), east);
    // Back where the form opened: the manager it opened with.
    let home = app
        .session()
        .department_tree()
        .unwrap()
        .get(worker.department)
        .unwrap()
        .name
        .clone();
    press(&mut app, "ctrl-u");
    type_text(&mut app, &home);
    assert_eq!(value(&app, "department"), worker.department.to_string());
    assert_eq!(value(&app, "manager_emp_no"), opened_with);
    // A manager typed by hand stays when the department changes.
    let by_hand = if opened_with == "E000001" {
        "E000002"
    } else {
        "E000001"
    };
    focus(&mut app, "manager_emp_no");
    press(&mut app, "ctrl-u");
    type_text(&mut app, by_hand);
    focus(&mut app, "department");
    press(&mut app, "ctrl-u");
    type_text(&mut app, "huanan");
    assert_eq!(value(&app, "manager_emp_no"), by_hand, "still editable");
    press(&mut app, "ctrl-u");
    // The suggestion is saved like anything typed.
    focus(&mut app, "manager_emp_no");
    press(&mut app, "ctrl-u");
    focus(&mut app, "department");
    type_text(&mut app, "hdd");
    assert_eq!(
        value(&app, "manager_emp_no"),
        east,
        "a blank manager is suggested again"
    );
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Browse, "{:?}", app.form());
    let moved = employee(&app, &worker.emp_no);
    assert_eq!(
        moved.department,
        department_named(app.session(), "华东大区")
    );
    assert_eq!(moved.manager, Some(employee(&app, &east).id));
}

#[test]
fn a_form_takes_the_width_of_a_wide_terminal_and_shows_whole_values() {
    let mut app = demo_app_with_staff(60);
    press(&mut app, "3 e");
    let groups = value(&app, "rater_groups");
    let competencies = value(&app, "competencies");
    assert!(groups.len() > 30 && competencies.len() > 30);
    let wide = screen(&mut app, 160, 48);
    for whole in [groups.as_str(), competencies.as_str()] {
        assert!(
            wide.contains(whole),
            "{whole} whole at 160 columns:\n{wide}"
        );
    }
    assert!(
        wide.contains("Rater groups (self:…; manager:…; peer:…; subordinate:…)"),
        "labels whole too:\n{wide}"
    );
    let beside = wide
        .lines()
        .find(|line| line.contains("Rater groups"))
        .unwrap();
    assert!(
        beside.contains(&groups),
        "the value beside its label: {beside}"
    );
    let width = dialog_width(&mut app, 160, 48, " Appraisal cycle");
    assert!(width > 100, "the dialog grows past 100 columns: {width}");
    assert!(width <= 128, "to 80 % of the terminal at most: {width}");
    assert!(dialog_width(&mut app, 120, 40, " Appraisal cycle") <= 100);
    // At 80 columns the form fits, long labels wrapping beside their values.
    assert_eq!(dialog_width(&mut app, 80, 40, " Appraisal cycle"), 80);
    let narrow = screen(&mut app, 80, 40);
    let beside = narrow
        .lines()
        .find(|line| line.contains("Rater groups"))
        .unwrap();
    assert!(
        beside.contains("self:0;manager:40;peer:30;") && beside.contains('…'),
        "the value beside its label, its cut marked: {beside}"
    );
}

/// The width of the dialog whose title begins `title`, drawn at
/// `width`×`height`.
fn dialog_width(app: &mut App, width: u16, height: u16, title: &str) -> u16 {
    let backend = render(app, width, height);
    let buffer = backend.buffer();
    for y in 0..height {
        let row: Vec<&str> = (0..width).map(|x| buffer[(x, y)].symbol()).collect();
        for x in 0..row.len() {
            let titled = row[x] == "┌"
                && title
                    .chars()
                    .enumerate()
                    .all(|(i, c)| row.get(x + 1 + i) == Some(&c.to_string().as_str()));
            if titled {
                let right = (x + 1..row.len()).find(|&r| row[r] == "┐").unwrap();
                return (right - x + 1) as u16;
            }
        }
    }
    panic!("no dialog titled {title}");
}

#[test]
fn the_people_forms_find_are_read_once_and_again_after_someone_is_hired() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hr.redb");
    file_demo(&path, 40);
    let mut app = app_for(file_session(&path, ADMIN));
    let worker = plain_member(&app);
    transfer_with_blank_manager(&mut app, &worker);
    type_text(&mut app, "z");
    assert_eq!(
        hint(&app, "manager_emp_no"),
        None,
        "one letter lists nobody yet"
    );
    assert!(picks(&app, "manager_emp_no").is_empty());
    press(&mut app, "backspace");
    type_text(&mut app, "钟新来");
    assert_eq!(
        hint(&app, "manager_emp_no").as_deref(),
        Some("(nobody has this number or name)")
    );
    press(&mut app, "esc y");
    // Another console hires 钟新来.
    let colleague = file_session(&path, ADMIN);
    let newcomer = newcomer_like(&worker, "E900001", "钟新来", "13900000001");
    colleague.hire(newcomer).unwrap();
    app.on_input(hrdesk::app::Input::StoreChanged);
    transfer_with_blank_manager(&mut app, &worker);
    type_text(&mut app, "钟新来");
    assert_eq!(picks(&app, "manager_emp_no"), vec!["E900001".to_string()]);
}
