//! End-to-end tests of the real console in a real terminal: `hrdesk` runs in
//! `bash` inside a detached tmux session (one private tmux server per test,
//! so the tests run in parallel), keys are sent with `tmux send-keys` and the
//! screen is read with `tmux capture-pane`. tmux is required: without it
//! these tests fail rather than skip.

use crate::e2e;

use e2e::tmux::{SESSION, TAB_BAR, Tmux, shell_quote};
use e2e::{Sandbox, admin};

/// Whether `screen` (captured with `-e`) sets any foreground or background colour.
fn sets_a_colour(screen: &str) -> bool {
    screen.split("\x1b[").skip(1).any(|sequence| {
        let Some(end) = sequence.find('m') else {
            return false;
        };
        sequence[..end].split(';').any(|p| {
            matches!(
                p.parse::<u16>(),
                Ok(30..=38 | 40..=48 | 90..=97 | 100..=107)
            )
        })
    })
}

#[test]
fn tabs_help_and_departments_then_q_restores_the_terminal() {
    let sandbox = Sandbox::new();
    let tmux = Tmux::start(&sandbox, &[]);
    tmux.start_hrdesk("--demo");
    let first = tmux.wait_for("Staff · sorted by Emp. no.");
    assert!(first.contains(&format!("{} (admin)", admin())), "{first}");
    assert!(
        sets_a_colour(&tmux.screen_with(&["-e"])),
        "the default theme has colours"
    );

    tmux.keys(&["2"]);
    tmux.wait_for("Annual sales +20%");
    tmux.keys(&["Tab"]);
    let scoring = tmux.wait_for("2026 年度考评");
    assert!(!scoring.contains("Annual sales"), "{scoring}");

    tmux.keys(&["?"]);
    let help = tmux.wait_for("Quit hrdesk");
    assert!(help.contains("┌ Keys"), "{help}");
    tmux.keys(&["Escape"]);
    tmux.wait_for_gone("Quit hrdesk");

    tmux.keys(&["g", "d"]);
    let departments = tmux.wait_for("Departments (19)");
    assert!(
        departments.contains("星河零售 Xinghe Retail"),
        "{departments}"
    );

    tmux.keys(&["q"]);
    tmux.expect_exit(0);
}

#[test]
fn ctrl_c_quits_at_once_from_a_form() {
    let sandbox = Sandbox::new();
    let tmux = Tmux::start(&sandbox, &[]);
    tmux.start_hrdesk("--demo");
    tmux.keys(&["g", "d", "a"]);
    tmux.wait_for("Add department");
    tmux.type_text("未保存");
    tmux.wait_for("未保存");
    tmux.keys(&["C-c"]);
    tmux.expect_exit(0);
}

#[test]
fn a_department_added_in_the_console_is_saved_and_audited() {
    let sandbox = Sandbox::new();
    let tmux = Tmux::start(&sandbox, &[]);
    tmux.start_hrdesk(&format!("--db {}", shell_quote(&sandbox.db_arg())));
    tmux.keys(&["g", "d"]);
    tmux.wait_for("No departments yet");
    tmux.keys(&["a"]);
    tmux.wait_for("Add department");
    tmux.type_text("质量部");
    tmux.wait_for("质量部");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Department “质量部” added");
    tmux.keys(&["q"]);
    tmux.expect_exit(0);

    let (_, rows) = sandbox.on_db(&["export", "departments"]).success().csv();
    assert_eq!(rows, [["1", "质量部", "质量部", "", ""]]);
    let log = sandbox.audit_json();
    let actions: Vec<(&str, &str)> = log
        .iter()
        .map(|e| {
            let field = |name: &str| e[name].as_str().expect("a string field");
            (field("action"), field("operator"))
        })
        .collect();
    assert_eq!(
        actions,
        [("database.create", admin()), ("department.add", admin())]
    );
    assert_eq!(log[1]["after"], "name=质量部 parent=- head=-");
    let operators = sandbox
        .on_db(&["operator", "list"])
        .success()
        .stdout
        .clone();
    assert!(
        operators
            .lines()
            .any(|line| line.split_whitespace().take(2).eq([admin(), "admin"])),
        "the creator is the admin:\n{operators}"
    );
}

#[test]
fn a_too_small_terminal_gets_a_note_until_it_grows() {
    let sandbox = Sandbox::new();
    let tmux = Tmux::start(&sandbox, &[]);
    tmux.start_hrdesk("--demo");
    tmux.ok(&["resize-window", "-t", SESSION, "-x", "30", "-y", "8"]);
    let small = tmux.wait_for("Terminal too small");
    assert!(
        small.contains("30×8") && !small.contains("1 Staff"),
        "{small}"
    );
    tmux.ok(&["resize-window", "-t", SESSION, "-x", "100", "-y", "30"]);
    tmux.wait_for(TAB_BAR);
    tmux.wait_for_gone("Terminal too small");
    tmux.keys(&["q"]);
    tmux.expect_exit(0);
}

#[test]
fn no_color_starts_in_the_mono_theme() {
    let sandbox = Sandbox::new();
    let tmux = Tmux::start(&sandbox, &[("NO_COLOR", "1")]);
    tmux.start_hrdesk("--demo");
    tmux.wait_for("Staff · sorted by Emp. no.");
    let styled = tmux.screen_with(&["-e"]);
    assert!(!sets_a_colour(&styled), "mono sets no colour:\n{styled:?}");
    tmux.keys(&["q"]);
    tmux.expect_exit(0);
}

#[test]
fn a_chinese_locale_gets_the_chinese_console_and_lang_switches_it() {
    let sandbox = Sandbox::new();
    let tmux = Tmux::start(&sandbox, &[("LANG", "zh_CN.UTF-8")]);
    tmux.start_hrdesk_showing("--demo", "1 员工 │ 2 目标 │ 3 考评 │ 4 绑定 │ 5 厂商");
    // The first frame may reach the terminal in pieces: wait for its last
    // line, the status line, in Chinese too.
    tmux.wait_for("浏览");
    tmux.keys(&["g", "d"]);
    tmux.wait_for("部门 (19)");
    tmux.keys(&[":"]);
    tmux.type_text("lang en");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Departments (19)");
    tmux.keys(&["q"]);
    tmux.expect_exit(0);
}

#[test]
fn the_staff_pane_filters_by_pinyin_initials_and_shows_the_record() {
    let sandbox = Sandbox::new();
    let tmux = Tmux::start(&sandbox, &[]);
    tmux.start_hrdesk("--demo");
    tmux.wait_for("(300)");
    tmux.keys(&["/"]);
    tmux.type_text("zq");
    let filtered = tmux.wait_for("/300)");
    assert!(filtered.contains("曾强"), "{filtered}");
    tmux.keys(&["Enter"]);
    let detail = tmux.wait_for("E000006 曾强");
    assert!(detail.contains("hire"), "the history timeline:\n{detail}");
    tmux.keys(&["q"]);
    tmux.expect_exit(0);
}

#[test]
fn a_department_with_people_is_removed_only_by_moving_them_in_the_console() {
    let sandbox = Sandbox::with_demo();
    let tmux = Tmux::start(&sandbox, &[]);
    tmux.start_hrdesk(&format!("--db {}", shell_quote(&sandbox.db_arg())));
    tmux.keys(&["g", "d"]);
    tmux.wait_for("Departments (19)");
    // The company has sub-departments: refused at once, saying why.
    tmux.keys(&["d"]);
    tmux.wait_for("6 sub-department(s)");
    tmux.keys(&["/"]);
    tmux.type_text("华南大区");
    tmux.wait_for("Departments (1/19)");
    tmux.keys(&["Enter", "d"]);
    let form = tmux.wait_for("Remove 星河零售 Xinghe Retail / 销售部 / 华南大区");
    assert!(form.contains("people"), "the form says who moves:\n{form}");
    tmux.keys(&["Enter"]);
    tmux.wait_for("moved to 星河零售 Xinghe Retail / 销售部");
    tmux.keys(&["q"]);
    tmux.expect_exit(0);

    let (header, rows) = sandbox.on_db(&["export", "staff"]).success().csv();
    let department = header.iter().position(|h| h == "department").unwrap();
    assert!(rows.iter().all(|r| !r[department].contains("华南大区")));
    let log = sandbox.audit_json();
    let last = log.last().unwrap();
    assert_eq!(last["action"], "department.remove");
}

#[test]
fn a_transfer_typed_in_the_console_shows_in_the_history_and_is_saved() {
    let sandbox = Sandbox::with_demo();
    let tmux = Tmux::start(&sandbox, &[]);
    tmux.start_hrdesk(&format!("--db {}", shell_quote(&sandbox.db_arg())));
    tmux.open_transfer_title_of_zeng_qiang();
    tmux.type_text("Key Account Lead");
    tmux.wait_for("Key Account Lead");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Recorded the transfer of E000006 曾强");
    let detail = tmux.wait_for("→ Key Account Lead");
    assert!(detail.contains("transfer Title"), "the history:\n{detail}");
    tmux.keys(&["q"]);
    tmux.expect_exit(0);

    let (header, rows) = sandbox.on_db(&["export", "staff"]).success().csv();
    let title = header.iter().position(|h| h == "title").unwrap();
    let row = rows.iter().find(|r| r[0] == "E000006").unwrap();
    assert_eq!(row[title], "Key Account Lead");
    let log = sandbox.audit_json();
    let last = log.last().unwrap();
    assert_eq!(last["action"], "employee.transfer");
    assert_eq!(last["entity_id"], "E000006");
}

#[test]
fn an_actual_recorded_in_the_goals_pane_moves_the_progress_bars() {
    let sandbox = Sandbox::with_demo();
    let tmux = Tmux::start(&sandbox, &[]);
    tmux.start_hrdesk(&format!("--db {}", shell_quote(&sandbox.db_arg())));
    tmux.wait_for("(300)");
    tmux.keys(&["2"]);
    tmux.wait_for("▾ 年销售额增长 20%");
    tmux.keys(&["/"]);
    tmux.type_text("E000008");
    tmux.keys(&["Enter"]);
    let before = tmux.wait_for("E000008 解明");
    assert!(before.contains(" 55%"), "{before}");
    tmux.keys(&["u"]);
    tmux.wait_for("Record an actual");
    tmux.keys(&["Tab"]);
    tmux.type_text("99000");
    tmux.keys(&["Enter"]);
    let after = tmux.wait_for("Actual 99000 recorded");
    assert!(after.contains(" 99%"), "{after}");
    assert!(after.contains("actual 99000 (console)"), "{after}");
    tmux.keys(&["q"]);
    tmux.expect_exit(0);

    let log = sandbox.audit_json();
    assert_eq!(log.last().unwrap()["action"], "goal.actual");
}

#[test]
fn a_rating_entered_in_the_scoring_pane_moves_the_score() {
    let sandbox = Sandbox::with_demo();
    let tmux = Tmux::start(&sandbox, &[]);
    tmux.start_hrdesk(&format!("--db {}", shell_quote(&sandbox.db_arg())));
    tmux.wait_for("(300)");
    tmux.keys(&["3"]);
    tmux.wait_for("2026 年度考评");
    tmux.keys(&["/"]);
    tmux.type_text("E000008");
    tmux.keys(&["Enter"]);
    let before = tmux.wait_for("E000008 解明 · how it was computed");
    assert!(before.contains("manager 100% ×"), "{before}");
    tmux.keys(&["i"]);
    tmux.wait_for("Rate E000008 解明");
    // 朱子涵 reports to 解明: a subordinate's mark.
    tmux.type_text("E000022");
    tmux.keys(&["Tab", "C-n", "Tab", "Tab"]);
    tmux.type_text("1");
    tmux.keys(&["Enter"]);
    let after = tmux.wait_for("Rating recorded");
    assert!(
        after.contains("peers and subordinates") || after.contains("hidden for anonymity"),
        "{after}"
    );
    tmux.keys(&["x"]);
    tmux.wait_for("grade distribution against the quotas");
    tmux.keys(&["q"]);
    tmux.expect_exit(0);

    let log = sandbox.audit_json();
    assert_eq!(log.last().unwrap()["action"], "rating.record");
}

#[test]
fn an_account_bound_in_the_console_is_unbound_with_the_code_only_the_employee_got() {
    let sandbox = Sandbox::with_demo();
    let tmux = Tmux::start(&sandbox, &[]);
    tmux.start_hrdesk(&format!("--db {}", shell_quote(&sandbox.db_arg())));
    tmux.wait_for("(300)");
    tmux.keys(&["4"]);
    tmux.wait_for("Bindings · all");
    tmux.keys(&["/"]);
    tmux.type_text("E000008");
    tmux.keys(&["Enter"]);
    tmux.wait_for("search “E000008”");
    tmux.keys(&["a"]);
    tmux.wait_for("Bind an account");
    tmux.keys(&["Tab"]);
    tmux.type_text("ding");
    tmux.keys(&["Tab"]);
    tmux.type_text("ding-e2e-0001");
    tmux.keys(&["Enter"]);
    let bound = tmux.wait_for("Account bound as");
    assert!(bound.contains("ding****001"), "masked: {bound}");
    assert!(!bound.contains("ding-e2e-0001"), "{bound}");
    tmux.keys(&["U"]);
    tmux.wait_for("Ask to unbind");
    tmux.keys(&["Enter"]);
    let asked = tmux.wait_for("through the outbox");
    assert!(
        asked.contains("  code in the outbox, not sent yet"),
        "{asked}"
    );

    // The service account's job sends the notice; the code is only there.
    sandbox
        .on_db(&["operator", "add", "svc", "--role", "admin"])
        .success();
    let notices: Vec<serde_json::Value> = serde_json::from_str(
        &sandbox
            .on_db_as("svc", &["export", "unbind-notices", "--format", "json"])
            .success()
            .stdout,
    )
    .unwrap();
    let notice = notices
        .iter()
        .find(|n| n["emp_no"] == "E000008" && n["provider"] == "dingtalk")
        .expect("the notice is in the outbox");
    let code = notice["code"].as_str().unwrap().to_string();
    let binding = format!("B{}", notice["binding_id"]);
    assert!(
        !asked.contains(&code),
        "the requester's screen never shows it: {asked}"
    );
    tmux.wait_for("  code sent to the employee 1×");

    tmux.keys(&["C"]);
    tmux.wait_for("Enter the employee's code on their behalf");
    tmux.type_text(&code.to_lowercase());
    tmux.keys(&["Enter"]);
    tmux.wait_for("you asked for the unbinding");
    tmux.keys(&["Escape"]);
    tmux.wait_for("Discard changes?");
    tmux.keys(&["y"]);
    tmux.wait_for_gone("Discard changes?");
    sandbox
        .on_db_as(
            "hr.zhang",
            &[
                "bindings",
                "confirm",
                "--code",
                &code,
                "--channel",
                "letter",
            ],
        )
        .success();
    tmux.wait_for("confirmed on the employee's behalf, channel: letter");
    tmux.keys(&["q"]);
    tmux.expect_exit(0);

    let log = sandbox.audit_json();
    let actions: Vec<&str> = log
        .iter()
        .filter(|e| e["entity_id"] == binding.as_str())
        .rev()
        .take(4)
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        vec![
            "binding.confirm",
            "binding.notice_sent",
            "binding.request_unbind",
            "binding.add"
        ]
    );
}

#[test]
fn the_binding_audit_in_the_console_unbinds_departed_accounts_after_one_yes() {
    let sandbox = Sandbox::with_demo();
    let tmux = Tmux::start(&sandbox, &[]);
    tmux.start_hrdesk(&format!("--db {}", shell_quote(&sandbox.db_arg())));
    tmux.wait_for("(300)");
    tmux.keys(&["4"]);
    tmux.wait_for("more than 31 days ago: press w");
    tmux.keys(&["w"]);
    let found = tmux.wait_for("Audit done");
    assert!(found.contains("departed employee"), "{found}");
    tmux.wait_for_gone("more than 31 days ago");
    tmux.keys(&["K"]);
    tmux.wait_for("Unbind departed employees' accounts?");
    tmux.keys(&["y"]);
    tmux.wait_for("account(s) of departed employees unbound");
    tmux.keys(&["q"]);
    tmux.expect_exit(0);
    sandbox
        .on_db(&["audit", "bindings", "--format", "json"])
        .code(1)
        .stdout_has(&["\"departed_employee\": 0"]);
}

#[test]
fn the_vendors_pane_compares_chooses_and_records_spend() {
    let sandbox = Sandbox::with_demo();
    let tmux = Tmux::start(&sandbox, &[]);
    tmux.start_hrdesk(&format!("--db {}", shell_quote(&sandbox.db_arg())));
    tmux.wait_for("(300)");
    tmux.keys(&["5"]);
    tmux.wait_for("十店零售人事系统选型");
    tmux.wait_for("91.8 = the sum of");
    tmux.keys(&["V"]);
    tmux.wait_for("Criterion (weight)");
    tmux.keys(&["V"]);
    tmux.wait_for("over budget");
    tmux.keys(&["V"]);
    tmux.wait_for("Over plan by 3500.00 yuan");
    tmux.keys(&["u"]);
    tmux.wait_for("Record a quarter's spend");
    tmux.keys(&["Tab", "Tab"]);
    tmux.type_text("17000");
    tmux.keys(&["Enter"]);
    let after = tmux.wait_for("Spend of year 1, quarter 1 recorded: 17000.00");
    assert!(after.contains("17000.00"), "{after}");
    tmux.keys(&["q"]);
    tmux.expect_exit(0);

    let log = sandbox.audit_json();
    let last = log.last().unwrap();
    assert_eq!(last["action"], "vendor.spend");
    assert_eq!(
        last["before"],
        "year=1 quarter=1 amount=24250.00 vendor=V1 name=云才科技"
    );
}

#[test]
fn an_ssh_key_with_no_command_opens_the_console_as_its_operator() {
    let sandbox = Sandbox::with_demo();
    sandbox
        .on_db(&["operator", "add", "bob", "--role", "hr"])
        .success();
    let tmux = Tmux::start(&sandbox, &[]);
    let db = e2e::path_arg(&sandbox.db());
    tmux.start_hrdesk(&format!("--db {db} ssh-session bob --key SHA256:test"));
    let shown = tmux.wait_for("bob (hr)");
    assert!(!shown.contains(&format!("{} (admin)", admin())), "{shown}");
    tmux.keys(&["q"]);
    tmux.expect_exit(0);
}

#[test]
fn each_operator_keeps_their_own_language_theme_and_keys() {
    let sandbox = Sandbox::with_demo();
    let db = e2e::path_arg(&sandbox.db());
    let console_of = |name: &str, showing: &str| {
        let tmux = Tmux::start(&sandbox, &[]);
        tmux.start_hrdesk_showing(&format!("--db {db} ssh-session {name}"), showing);
        tmux
    };
    // hr.zhang chooses Chinese and the light theme in the console.
    let zhang = console_of("hr.zhang", "hr.zhang (hr)");
    for command in ["lang zh", "theme light"] {
        zhang.keys(&[":"]);
        zhang.type_text(command);
        zhang.keys(&["Enter"]);
    }
    zhang.wait_for("主题");
    zhang.keys(&["q"]);
    zhang.expect_exit(0);
    let saved = sandbox
        .config_dir()
        .join("operators/hr.zhang/settings.toml");
    let text = std::fs::read_to_string(&saved).expect("her choices are kept");
    assert!(
        text.contains("lang = \"zh\"") && text.contains("theme = \"light\""),
        "{text}"
    );
    // Next time she is greeted in Chinese; her colleague is not.
    let again = console_of("hr.zhang", "1 员工");
    again.keys(&["q"]);
    again.expect_exit(0);
    let liu = console_of("audit.liu", "1 Staff");
    let shown = liu.screen();
    assert!(!shown.contains("员工"), "{shown}");
    liu.keys(&["q"]);
    liu.expect_exit(0);
    // Her choice holds for her commands too.
    sandbox
        .on_db_as("hr.zhang", &["operator", "remove", "audit.liu"])
        .code(3)
        .stderr_has(&["hr.zhang"])
        .stderr_has(&["无权"]);
    // Her own keys go over the team's: `Q` quits for her, `q` no longer does.
    sandbox.write_config(
        "operators/hr.zhang/keymap.toml",
        "[global]\nq = \"none\"\nQ = \"quit\"\n",
    );
    let keyed = console_of("hr.zhang", "1 员工");
    keyed.keys(&["q"]);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let still = keyed.screen();
    assert!(
        still.contains("1 员工") && !still.contains("EXIT="),
        "{still}"
    );
    keyed.keys(&["Q"]);
    keyed.expect_exit(0);
}

#[test]
fn a_long_import_from_the_palette_shows_progress_and_esc_cancels_writing_nothing() {
    let sandbox = Sandbox::with_demo();
    let mut sheet = String::from("emp_no,name,department,hire_date\n");
    for n in 0..40_000 {
        sheet.push_str(&format!("N{n:06},Person {n},销售部,2026-03-05\n"));
    }
    let path = sandbox.write_file("big.csv", sheet.as_bytes());
    let audit_before = sandbox.audit_json().len();
    let tmux = Tmux::start(&sandbox, &[]);
    tmux.start_hrdesk(&format!("--db {}", shell_quote(&sandbox.db_arg())));
    tmux.wait_for("(300)");
    tmux.keys(&[":"]);
    tmux.type_text(&format!("import staff {path}"));
    tmux.keys(&["Enter"]);
    tmux.wait_for("Import staff?");
    tmux.keys(&["y"]);
    let progress = tmux.wait_until("the import's progress line", |screen| {
        screen.contains("Importing big.csv: ") && screen.contains(" / 40,000 rows · ")
    });
    assert!(progress.contains("esc cancels"), "{progress}");
    // The console answers keys while the import runs.
    tmux.keys(&["2"]);
    tmux.wait_until("the Goals tab beside the progress line", |screen| {
        screen.contains("Annual sales +20%") && screen.contains("Importing big.csv: ")
    });
    tmux.keys(&["Escape"]);
    tmux.wait_for("Importing big.csv: cancelled, nothing written");
    tmux.keys(&["q"]);
    tmux.expect_exit(0);
    let (_, rows) = sandbox.on_db(&["export", "staff"]).success().csv();
    assert_eq!(rows.len(), 300, "nobody imported");
    assert_eq!(sandbox.audit_json().len(), audit_before, "nothing logged");
}

#[test]
fn the_palette_runs_headless_commands_in_a_real_terminal() {
    let sandbox = Sandbox::with_demo();
    let courses = sandbox.write_file(
        "courses.csv",
        "code,title,competency\nNEW-1,新课程 A new course,expertise\n".as_bytes(),
    );
    let tmux = Tmux::start(&sandbox, &[]);
    tmux.start_hrdesk(&format!("--db {}", shell_quote(&sandbox.db_arg())));
    tmux.wait_for("(300)");
    tmux.keys(&[":"]);
    tmux.type_text("company goal");
    tmux.wait_until("another pane's action, found by what it does", |screen| {
        screen.contains("add_top") && screen.contains("· on Goals")
    });
    tmux.keys(&["Escape"]);
    tmux.wait_until("the palette closed", |screen| !screen.contains("add_top"));
    tmux.keys(&[":"]);
    tmux.type_text(&format!("import courses {courses}"));
    tmux.keys(&["Enter"]);
    tmux.wait_for("Write it?");
    tmux.keys(&["y"]);
    tmux.wait_for("Imported a catalogue of 1 course(s)");
    let exported = sandbox.root().join("out.csv");
    tmux.keys(&[":"]);
    tmux.type_text(&format!("export courses {}", exported.display()));
    tmux.keys(&["Enter"]);
    tmux.wait_for("Wrote 2 lines");
    tmux.keys(&["q"]);
    tmux.expect_exit(0);
    let written = std::fs::read_to_string(&exported).unwrap();
    assert!(
        written.contains("NEW-1,新课程 A new course,expertise"),
        "{written}"
    );
}
