//! End-to-end tests of `hrdesk check goals` and `hrdesk export goals` on the
//! real binary: exit codes usable from cron, the report in text and JSON,
//! the period filter, and computed progress in the export.

use crate::e2e;

use e2e::Sandbox;

#[test]
fn check_goals_reports_gaps_with_exit_code_1() {
    let sandbox = Sandbox::with_demo();
    let outcome = sandbox.on_db(&["check", "goals", "--period", "2026"]);
    outcome
        .code(1)
        .stdout_has(&["Goal alignment (2026)", "has no goal in the period"]);
    let json = sandbox
        .on_db(&["check", "goals", "--format", "json"])
        .code(1)
        .json_rows();
    let kinds: Vec<&str> = json.iter().filter_map(|g| g["kind"].as_str()).collect();
    assert!(kinds.contains(&"department_without_goal"), "{kinds:?}");
    assert!(kinds.contains(&"employee_without_goal"), "{kinds:?}");
    assert!(
        !kinds.contains(&"weights_off"),
        "the demo's weights add up: {kinds:?}"
    );
    // No goals of 2027 at all: every department and active person is a gap.
    let later = sandbox
        .on_db(&["check", "goals", "--period", "2027", "--format", "json"])
        .code(1)
        .json_rows();
    assert!(later.len() > json.len());
}

#[test]
fn an_organisation_without_gaps_exits_0() {
    let sandbox = Sandbox::new();
    sandbox
        .on_db(&["operator", "add", "vera", "--role", "viewer"])
        .success();
    sandbox
        .on_db(&["check", "goals"])
        .success()
        .stdout_has(&["0 gap(s)"]);
}

#[test]
fn a_bad_period_is_a_usage_error_naming_the_forms() {
    let sandbox = Sandbox::with_demo();
    sandbox
        .on_db(&["check", "goals", "--period", "2026-Q5"])
        .code(2)
        .stderr_has(&["2026-Q5", "2026-H1"]);
    sandbox
        .on_db(&["export", "staff", "--period", "2026"])
        .code(2)
        .stderr_has(&["--period"]);
}

#[test]
fn export_goals_has_the_cascade_and_its_progress() {
    let sandbox = Sandbox::with_demo();
    let (header, rows) = sandbox.on_db(&["export", "goals"]).success().csv();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let company = rows
        .iter()
        .find(|r| r[col("title")].starts_with("年销售额"))
        .expect("the company goal");
    assert_eq!(company[col("owner_kind")], "company");
    let progress: f64 = company[col("progress_percent")].parse().unwrap();
    assert!(progress > 0.0 && progress <= 100.0, "{progress}");
    let reps = rows
        .iter()
        .filter(|r| r[col("title")].starts_with("每月销售 10 万元"))
        .count();
    assert!(reps > 3);
    let quarter = sandbox
        .on_db(&["export", "goals", "--period", "2026-Q1", "--format", "json"])
        .success()
        .json_rows();
    let this_year = rows.iter().filter(|r| r[col("period")] == "2026").count();
    assert_eq!(
        quarter.len(),
        this_year,
        "yearly goals count in each quarter"
    );
    let later = sandbox
        .on_db(&["export", "goals", "--period", "2027", "--format", "json"])
        .success()
        .json_rows();
    assert!(later.is_empty());
}

/// The actual column of goal `id` in `export goals`.
fn actual_of(sandbox: &Sandbox, id: &str) -> String {
    let (header, rows) = sandbox.on_db(&["export", "goals"]).success().csv();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    rows.iter()
        .find(|r| r[col("id")] == id)
        .map(|r| r[col("actual")].clone())
        .expect("the goal")
}

#[test]
fn import_actuals_with_a_bad_row_writes_nothing_and_names_each_problem() {
    let sandbox = Sandbox::with_demo();
    let file = sandbox.root().join("actuals.csv");
    std::fs::write(
        &file,
        "goal_id,emp_no,goal_title,date,value\n\
         G12,,,2026-12-01,88000\n\
         ,E000007,nope,2026-12-01,5\n\
         G12,,,2026/12/1,1\n\
         G4,,,2026-12-01,1\n\
         G12,,,2026-12-02,lots\n",
    )
    .unwrap();
    let before = (actual_of(&sandbox, "12"), sandbox.audit_json().len());
    let outcome = sandbox.on_db(&["import", "actuals", &e2e::path_arg(&file)]);
    outcome.code(1).stdout_has(&[
        "actuals.csv:3: goal_title: E000007 has no goal titled “nope”",
        "actuals.csv:4: goal G12 on 2026-12-01 is already on line 2",
        "actuals.csv:5: G4",
        "actuals.csv:6: value: “lots” is not a number",
    ]);
    assert_eq!(
        (actual_of(&sandbox, "12"), sandbox.audit_json().len()),
        before
    );
}

#[test]
fn a_clean_gbk_sheet_with_chinese_headers_is_recorded_in_one_go() {
    let sandbox = Sandbox::with_demo();
    let text = "目标编号,日期,数值\nG12,2026年12月1日,\"88,000\"\nG13,2026/12/1,1.2万\n";
    let (bytes, _, _) = encoding_rs::GBK.encode(text);
    let file = sandbox.root().join("实际值.csv");
    std::fs::write(&file, &bytes).unwrap();
    sandbox
        .on_db(&["import", "actuals", "--dry-run", &e2e::path_arg(&file)])
        .success()
        .stdout_has(&["nothing written: 2 actual(s) for 2 goal(s)"]);
    assert_ne!(actual_of(&sandbox, "12"), "88000.0");
    sandbox
        .on_db(&["import", "actuals", &e2e::path_arg(&file)])
        .success()
        .stdout_has(&["Recorded 2 actual(s) for 2 goal(s)"]);
    assert_eq!(actual_of(&sandbox, "12"), "88000.0");
    assert_eq!(actual_of(&sandbox, "13"), "12000.0");
    let last = sandbox.audit_json().pop().unwrap();
    assert_eq!(last["action"], "goal.actuals");
    assert_eq!(last["after"], "rows=2 source=实际值.csv");
}

#[test]
fn goals_publish_refuses_a_draft_whose_weights_are_off_and_names_the_sum() {
    let sandbox = Sandbox::with_demo();
    let draft = {
        let store = hrdesk::store::Store::open(&sandbox.db()).expect("open");
        let session =
            hrdesk::service::Session::login(store, e2e::admin(), hrdesk::service::Clock::System)
                .expect("login");
        let tree = session.goal_tree().unwrap();
        let company = tree.children(None)[0].clone();
        session
            .add_goal(hrdesk::domain::goal::Goal {
                title: "新增一项公司目标".into(),
                weight: hrdesk::domain::goal::Weight(1000),
                ..company
            })
            .unwrap()
    };
    assert_eq!(draft.status, hrdesk::domain::goal::GoalStatus::Draft);
    let id = draft.id.to_string();
    sandbox
        .on_db(&["goals", "publish", &id])
        .code(1)
        .stderr_has(&["110"]);
    sandbox
        .on_db(&["goals", "publish", "G99999"])
        .code(1)
        .stderr_has(&["G99999"]);
    sandbox
        .on_db(&["goals", "publish", "banana"])
        .code(2)
        .stderr_has(&["“banana” is not a goal id", "G12"]);
}

#[test]
fn hr_closes_a_goal_as_not_achieved_with_a_reason_and_its_result_is_zero() {
    let sandbox = Sandbox::with_demo();
    let (header, rows) = sandbox.on_db(&["export", "goals"]).success().csv();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let open_kpi = rows
        .iter()
        .find(|r| {
            r[col("kind")] == "kpi"
                && r[col("status")] == "active"
                && r[col("owner_kind")] == "employee"
        })
        .expect("an active personal KPI");
    let id = format!("G{}", open_kpi[col("id")]);
    let baseline = open_kpi[col("baseline")].clone();
    sandbox
        .on_db(&["goals", "not-achieved", &id, "--reason", "  "])
        .code(1)
        .stderr_has(&["needs a reason"]);
    sandbox
        .on_db(&[
            "goals",
            "not-achieved",
            &id,
            "--reason",
            "门店停业，目标取消",
        ])
        .success()
        .stdout_has(&["Closed as not achieved", &id]);
    let (header, rows) = sandbox.on_db(&["export", "goals"]).success().csv();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let closed = rows
        .iter()
        .find(|r| format!("G{}", r[col("id")]) == id)
        .unwrap();
    assert_eq!(closed[col("status")], "closed");
    let number = |text: &str| text.parse::<f64>().unwrap();
    assert_eq!(
        number(&closed[col("actual")]),
        number(&baseline),
        "no progress, recorded"
    );
    assert_eq!(number(&closed[col("progress_percent")]), 0.0);
    let log = sandbox.audit_json();
    let entry = log
        .iter()
        .rev()
        .find(|e| e["action"] == "goal.not_achieved")
        .expect("logged");
    assert!(
        entry["after"]
            .as_str()
            .unwrap()
            .contains("reason=门店停业，目标取消"),
        "{entry}"
    );
    sandbox
        .on_db(&["goals", "not-achieved", &id, "--reason", "again"])
        .code(1)
        .stderr_has(&["closed"]);
}
