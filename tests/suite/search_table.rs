//! The search engine as HR uses it, on the demo company: each query typed
//! into the Staff filter through the real keymap, and the person it must
//! put first (and select): numbers, phones, e-mail addresses, Chinese
//! names, pinyin in full, by syllables and as initials (the surnames that
//! read differently: 曾 单 解 区 查 仇 尉迟 万俟), English names, and a
//! department. Then what the filter lights and says on screen.

use crate::common;

use common::*;
use hrdesk::app::App;
use hrdesk::config::theme::Role;
use hrdesk::panes::staff::StaffView;

/// `(typed, the number of the person who must come first)`.
const TABLE: &[(&str, &str)] = &[
    // Numbers: the exact one first, then those it begins.
    ("E000276", "E000276"),
    ("e000006", "E000006"),
    ("E000001", "E000001"),
    ("E00027", "E000270"),
    ("E000267", "E000267"),
    // Phones, whole, begun, and as people write them.
    ("13000007919", "E000001"),
    ("130 0001 5838", "E000002"),
    ("130-0001-5838", "E000002"),
    // E-mail addresses.
    ("e000002@xinghe.example", "E000002"),
    ("e000150@", "E000150"),
    // Names in characters.
    ("周建国", "E000001"),
    ("曾强", "E000006"),
    ("单文", "E000007"),
    ("解明", "E000008"),
    ("区伟", "E000011"),
    ("查海", "E000009"),
    ("仇方", "E000010"),
    ("尉迟恭", "E000014"),
    ("万俟雪", "E000015"),
    ("欧阳娜娜", "E000005"),
    ("上官婉", "E000004"),
    ("盖磊", "E000013"),
    // Full pinyin, the surname read as a surname.
    ("zhoujianguo", "E000001"),
    ("zhou jianguo", "E000001"),
    ("ZhouJianGuo", "E000001"),
    ("zengqiang", "E000006"),
    ("shanwen", "E000007"),
    ("xieming", "E000008"),
    ("ouwei", "E000011"),
    ("zhahai", "E000009"),
    ("qiufang", "E000010"),
    ("yuchigong", "E000014"),
    ("moqixue", "E000015"),
    ("ouyangnana", "E000005"),
    ("shangguanwan", "E000004"),
    ("gelei", "E000013"),
    // By syllables, the last one begun, and initials.
    ("zengq", "E000006"),
    ("yuchi", "E000014"),
    ("moqi", "E000015"),
    ("xiem", "E000008"),
    ("ycg", "E000014"),
    ("mqx", "E000015"),
    ("oynn", "E000005"),
    ("zjg", "E000001"),
    // English names.
    ("David Chen", "E000002"),
    ("davidchen", "E000002"),
    ("david", "E000002"),
    ("emily wang", "E000016"),
    // A department by its own name.
    ("财务部", "E000005"),
];

/// The filter typed afresh on the Staff tab.
fn search(app: &mut App, typed: &str) {
    press(app, "1 / ctrl-u");
    type_text(app, typed);
}

fn first(app: &App) -> Option<String> {
    let staff: &StaffView = app.pane();
    staff
        .list
        .visible()
        .next()
        .map(|row| row.emp_no.to_string())
}

fn selected(app: &App) -> Option<String> {
    let staff: &StaffView = app.pane();
    staff.list.selected().map(|row| row.emp_no.to_string())
}

#[test]
fn each_query_puts_the_right_person_first_and_selects_them() {
    assert!(TABLE.len() >= 40);
    let mut app = demo_app_with_staff(300);
    let mut wrong = Vec::new();
    for &(typed, expected) in TABLE {
        search(&mut app, typed);
        let (top, chosen) = (first(&app), selected(&app));
        if top.as_deref() != Some(expected) || chosen != top {
            wrong.push(format!(
                "{typed}: {top:?} first, {chosen:?} selected, not {expected}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_query_never_matches_across_fields() {
    let mut app = demo_app_with_staff(300);
    // z from a given name, w from a department: nobody.
    search(&mut app, "zw");
    let staff: &StaffView = app.pane();
    assert!(
        staff.list.visible().all(|row| {
            let key = hrdesk::domain::sounds::sort_key(staff.labels.of(row).name);
            key.split(' ').any(|s| s.starts_with('z'))
        }),
        "every row found has a name syllable beginning z"
    );
    // `gai` is no syllable of anyone (盖 as a surname is gě): only
    // letters scattered within one field are left, never through a
    // department path joined to a name.
    search(&mut app, "gai");
    let staff: &StaffView = app.pane();
    let found: Vec<&str> = staff.list.visible().map(|r| r.emp_no.as_str()).collect();
    assert!(found.len() <= 3, "{found:?}");
    assert!(
        staff
            .list
            .visible()
            .all(|row| staff.labels.of(row).department.name != "门店运营部"),
        "{found:?}"
    );
}

#[test]
fn the_best_match_is_selected_so_a_key_acts_on_it() {
    let mut app = demo_app_with_staff(300);
    search(&mut app, "E000276");
    press(&mut app, "enter D");
    assert!(
        screen(&mut app, 100, 30).contains("E000276"),
        "the departure form is the selected person's"
    );
}

#[test]
fn what_was_found_is_lit_and_a_hidden_field_is_named() {
    let mut app = demo_app_with_staff(300);
    search(&mut app, "130 0001 5838");
    let shown = screen(&mut app, 120, 30);
    let row = shown
        .lines()
        .find(|line| line.contains("E000002"))
        .expect("the row");
    assert!(row.contains("matched: Phone 13000015838"), "{row}");
    // The name's characters the pinyin found are lit.
    search(&mut app, "yuchi");
    let lit = lit_text(&mut app);
    assert!(lit.contains("尉迟"), "{lit}");
    assert!(!lit.contains('恭'), "{lit}");
}

/// The characters drawn in the highlight style, in screen order.
fn lit_text(app: &mut App) -> String {
    let style = app.theme().style(Role::Highlight);
    let backend = render(app, 120, 30);
    backend
        .buffer()
        .content()
        .iter()
        .filter(|cell| {
            style.fg.is_some_and(|fg| cell.fg == fg) || (style.bg.is_some_and(|bg| cell.bg == bg))
        })
        .map(|cell| cell.symbol())
        .collect()
}

#[test]
fn another_consoles_change_is_found_and_placed_where_the_sort_puts_it() {
    use hrdesk::domain::employee::EventKind;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hr.redb");
    let other = file_demo(&path, 300);
    let mut app = app_for(file_session(&path, ADMIN));
    let change = |id, edit: &dyn Fn(&mut hrdesk::domain::employee::Employee)| {
        let mut after = other.employee(id).unwrap().unwrap();
        edit(&mut after);
        let date = after.hire_date;
        other
            .record_event(id, EventKind::Correction, date, after, None)
            .unwrap();
    };
    // A new phone, the row staying where it is: found by it at once.
    let record = select_employee(&mut app, "E000150");
    change(record.id, &|e| e.phone = "13912345678".into());
    app.on_input(hrdesk::app::Input::StoreChanged);
    search(&mut app, "13912345678");
    assert_eq!(first(&app).as_deref(), Some("E000150"));
    // Sorted by name, a new name moves the row to its new place.
    press(&mut app, "esc s");
    let staff: &StaffView = app.pane();
    assert_eq!(staff.sort, hrdesk::panes::staff::SortKey::Name);
    change(record.id, &|e| e.name = "阿阿".into());
    app.on_input(hrdesk::app::Input::StoreChanged);
    let staff: &StaffView = app.pane();
    let names: Vec<String> = staff
        .list
        .visible()
        .map(|r| hrdesk::domain::sounds::sort_key(staff.labels.of(r).name))
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert_eq!(
        staff.list.visible().next().map(|r| r.emp_no.as_str()),
        Some("E000150"),
        "阿 a comes first"
    );
}

#[test]
fn the_vendors_pane_selects_the_vendor_typed_by_name_or_pinyin() {
    use hrdesk::panes::vendors::VendorsView;
    let mut app = demo_app_with_staff(30);
    press(&mut app, "5");
    let names: Vec<String> = {
        let view: &VendorsView = app.pane();
        let report = view.report.as_ref().expect("the demo's report");
        view.lines()
            .iter()
            .map(|&v| report.vendor_name(v))
            .collect()
    };
    assert!(names.len() >= 2, "{names:?}");
    let last = names.last().unwrap().clone();
    press(&mut app, "/");
    type_text(&mut app, &last);
    let view: &VendorsView = app.pane();
    assert_eq!(view.selected, names.len() - 1, "{last}");
    assert!(screen(&mut app, 120, 30).contains(&format!("/ {last}")));
    press(&mut app, "esc");
    let view: &VendorsView = app.pane();
    assert!(view.query.is_empty());
    assert_eq!(view.selected, names.len() - 1, "the selection stays");
}

/// A goal's owner is found by their number (as a number is: whole, by its
/// start) or their name (by pinyin), each lit where the owner column
/// shows it: the number first, the name after it.
#[test]
fn a_goals_owner_is_found_by_number_or_name_and_lit_in_the_owner_column() {
    use hrdesk::panes::goals::GoalsView;
    let mut app = demo_app_with_staff(300);
    let owner_of_first = |app: &App| {
        let goals: &GoalsView = app.pane();
        goals
            .list
            .visible()
            .next()
            .map(|row| row.owner.text.to_string())
    };
    press(&mut app, "2 / ctrl-u");
    type_text(&mut app, "E000006");
    let owner = owner_of_first(&app).expect("a goal");
    assert!(owner.starts_with("E000006 "), "{owner}");
    assert!(lit_text(&mut app).contains("E000006"));
    press(&mut app, "ctrl-u");
    type_text(&mut app, "zengqiang");
    let owner = owner_of_first(&app).expect("a goal");
    assert_eq!(owner, "E000006 曾强");
    let lit = lit_text(&mut app);
    assert!(lit.contains("曾强") && !lit.contains("E000006"), "{lit}");
}
