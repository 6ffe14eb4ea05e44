//! End-to-end tests of the vendors commands on the real binary and the demo
//! database (the retail case: 云才科技 chosen, 大成信息 knocked out, the
//! second quarter over plan): the Markdown report, the JSON and CSV
//! exports, the usage, unknown-project and permission exit codes, and the
//! vendors import all or nothing (GBK, Chinese headers, bad rows) or
//! adding and updating.

use crate::e2e;

use e2e::Sandbox;
use serde_json::Value;

/// The demo's selection project.
const PROJECT: &str = "十店零售人事系统选型";
/// The demo company's sales manager and viewer.
const MANAGER: &str = "mgr.zeng";
const VIEWER: &str = "audit.liu";

fn json(sandbox: &Sandbox) -> Vec<Value> {
    sandbox
        .on_db(&["export", "vendors", "--format", "json"])
        .success()
        .json_rows()
}

fn vendor_count(sandbox: &Sandbox) -> usize {
    let (_, rows) = sandbox.on_db(&["export", "vendors"]).success().csv();
    rows.len()
}

#[test]
fn the_markdown_report_ranks_bolds_explains_and_warns() {
    let sandbox = Sandbox::with_demo();
    let out = sandbox.on_db(&["export", "vendors", "--format", "md"]);
    out.success().stdout_has(&[
        &format!("# Vendor selection: {PROJECT}"),
        "Chosen vendor: **云才科技**",
        "| 1 | 云才科技 | 91.76 | 优选 |",
        "| 2 | 智享人力 |",
        "| 3 | 汇通软件 | 61.81 | 可接受, not piloted |",
        "| 零售经验 | 25% | 0..5 | **5 (100)** | 4 (80) | 2 (40) |",
        "| 响应时间 | 10% | 72=0,24=60,4=100 | **4 (100)** | 8 (92) | 24 (60) |",
        "| 33.33 (64.44) | not piloted |",
        "**194235 (75.26)**",
        "大成信息 is disqualified: it lacks attendance, SaaS",
        // Years over budget are marked, with how much.
        "| 大成信息 | 118000.00 **38000.00 over budget** | 92150.00 **12150.00 over budget** |",
        "Implementation planned in year 1 Q1. Rising yearly by each vendor's escalation: software, maintenance; flat: training.",
        // The implementation falls due in Q1: paying it then is on plan.
        "| Year 1 Q1 | 24750.00 | 24250.00 | -500.00 | 24750.00 | 24250.00 |  |",
        "| Year 1 Q2 | 14750.00 | 18750.00 | 4000.00 | 39500.00 | 43000.00 | **over plan** |",
        "Over plan by 3500.00 yuan at year 1, quarter 2",
    ]);
    let ranking = out.stdout.find("| 1 | 云才科技").unwrap();
    assert!(ranking < out.stdout.find("| 3 | 汇通软件").unwrap());
    sandbox
        .on_db(&["export", "vendors", "--format", "md", "--lang", "zh"])
        .success()
        .stdout_has(&["# 厂商选型：", "| 名次 | 厂商 |", "**超出预算**"]);
}

#[test]
fn the_json_export_holds_profile_criteria_ranking_budget_and_plan() {
    let sandbox = Sandbox::with_demo();
    let projects = json(&sandbox);
    assert_eq!(projects.len(), 1);
    let p = &projects[0];
    assert_eq!(p["name"], PROJECT);
    assert_eq!(p["deployment"], "saas");
    assert_eq!(p["annual_budget"], "80000.00");
    assert_eq!(p["chosen"], "云才科技");
    assert_eq!(p["criteria"].as_array().unwrap().len(), 8);
    assert_eq!(p["criteria"][6]["kind"], "knock_out");
    assert_eq!(p["criteria"][1]["scale"], "72=0,24=60,4=100");
    assert_eq!(p["criteria"][1]["relative"], false);
    assert_eq!(p["implementation_quarters"][0], 1);
    assert_eq!(p["escalation"]["training"], false);
    assert_eq!(p["ranking"][2]["not_piloted"], true);
    let winner = &p["ranking"][0];
    assert_eq!(winner["rank"], 1);
    assert_eq!(winner["vendor"], "云才科技");
    assert_eq!(winner["total"], 91.76);
    assert_eq!(winner["breakdown"][3]["raw"], 200882.12, "costs in yuan");
    assert_eq!(p["disqualified"][0]["vendor"], "大成信息");
    assert_eq!(p["disqualified"][0]["missing"][1], "saas");
    let dacheng = &p["budget"][3];
    assert_eq!(dacheng["vendor"], "大成信息");
    assert_eq!(dacheng["over_budget"], true);
    assert_eq!(dacheng["years"].as_array().unwrap().len(), 3);
    assert_eq!(p["plan"].as_array().unwrap().len(), 12);
    assert_eq!(p["plan"][1]["over_plan"], true);
    assert_eq!(p["plan"][0]["variance"], "-500.00");
}

#[test]
fn the_csv_export_has_a_row_per_vendor_and_the_knocked_out_last() {
    let sandbox = Sandbox::with_demo();
    let args = ["export", "vendors", "--project", PROJECT];
    let (header, rows) = sandbox.on_db(&args).success().csv();
    assert_eq!(
        header,
        [
            "project",
            "rank",
            "vendor",
            "standing",
            "total",
            "total_cost",
            "horizon_budget",
            "over_budget",
            "knocked_out_for",
            "not_piloted",
            "relative_criteria"
        ]
    );
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0][1..5], ["1", "云才科技", "优选", "91.76"]);
    assert_eq!(
        rows[3][1..],
        [
            "",
            "大成信息",
            "",
            "",
            "306657.50",
            "240000.00",
            "true",
            "attendance;saas",
            "false",
            ""
        ]
    );
}

#[test]
fn usage_unknown_project_and_permission_have_their_exit_codes() {
    let sandbox = Sandbox::with_demo();
    sandbox
        .on_db(&["export", "staff", "--format", "md"])
        .code(2)
        .stderr_has(&["--format md is only for `export vendors`"]);
    sandbox
        .on_db(&["export", "goals", "--project", PROJECT])
        .code(2)
        .stderr_has(&["--project is only for `export vendors`"]);
    sandbox
        .on_db(&["export", "vendors", "--project", "Nowhere"])
        .code(1)
        .stderr_has(&["“Nowhere”", PROJECT]);
    sandbox.on_db_as(MANAGER, &["export", "vendors"]).code(3);
    sandbox
        .on_db_as(VIEWER, &["export", "vendors", "--format", "md"])
        .success();
    let file = sandbox.write_file("v.csv", b"name,pricing,price\nX,flat,1\n");
    sandbox
        .on_db_as(VIEWER, &["import", "vendors", &file, "--project", PROJECT])
        .code(3);
    let refused = sandbox.audit_json().into_iter().any(|entry| {
        entry["action"] == "access.denied"
            && entry["after"]
                .as_str()
                .unwrap()
                .contains("action=vendor.import")
    });
    assert!(refused, "the refused import is logged");
}

#[test]
fn a_messy_gbk_vendors_sheet_names_every_problem_and_writes_nothing() {
    let sandbox = Sandbox::with_demo();
    let text = "名称,计价方式,单价,部署方式,现场培训,年发版次数\n\
                新厂商甲,按年,100,saas,是,4\n\
                新厂商乙,按人头,-20,私有云,否,4\n\
                新厂商丙,固定,30000,saas,也许,2.5\n\
                新厂商丁,固定,30000,saas,是,4\n\
                新厂商丁,固定,30000,cloud,是,4\n";
    let (bytes, _, _) = encoding_rs::GBK.encode(text);
    let file = sandbox.write_file("vendors.csv", &bytes);
    let out = sandbox.on_db(&["import", "vendors", &file, "--project", PROJECT]);
    out.code(1).stdout_has(&[
        &format!("{file}:2: pricing: “按年” is not a pricing"),
        &format!("{file}:3: price:"),
        &format!("{file}:4: onsite_training: “也许” is neither yes nor no"),
        &format!("{file}:4: releases_per_year: “2.5” is not a whole number"),
        &format!("{file}:6: deployments: “cloud” is not a deployment"),
        &format!("{file}:6: name: already on line 5"),
    ]);
    assert_eq!(out.stdout.lines().count(), 6, "{}", out.stdout);
    out.stderr_has(&["6 problem(s) found; nothing was imported"]);
    assert_eq!(vendor_count(&sandbox), 4);
}

#[test]
fn a_clean_sheet_adds_and_updates_keeping_what_demos_showed() {
    let sandbox = Sandbox::with_demo();
    let text = "name,deployments,industry_years,reference_clients,releases_per_year,support_hours,\
                onsite_training,modules,integrations,offers,pricing,price,implementation,\
                training_per_year,maintenance_per_year,escalation_pct\n\
                云才科技,saas,6,14,12,4,yes,core_hr;attendance;payroll;performance,erp;oa;考勤,,\
                per_head,190,\"10,000\",2000,3000,3%\n\
                Newco HR,saas;private_cloud,3,2,6,12,no,core_hr;attendance,erp,,flat,\
                4.5万,8000,1000,2000,0\n";
    let file = sandbox.write_file("vendors.csv", text.as_bytes());
    let args = ["import", "vendors", &file, "--project", PROJECT];
    let mut dry = args.to_vec();
    dry.push("--dry-run");
    sandbox
        .on_db(&dry)
        .success()
        .stdout_has(&["1 would be added, 1 updated"]);
    assert_eq!(vendor_count(&sandbox), 4);
    sandbox
        .on_db(&args)
        .success()
        .stdout_has(&["1 added, 1 updated"]);
    let p = &json(&sandbox)[0];
    let ranking = p["ranking"].as_array().unwrap();
    assert_eq!(ranking.len(), 4);
    let yuncai = ranking.iter().find(|r| r["vendor"] == "云才科技").unwrap();
    assert_eq!(yuncai["breakdown"][0]["raw"], 6.0);
    assert_eq!(yuncai["breakdown"][4]["raw"], 4.5, "the demo's marks kept");
    let newco = ranking.iter().find(|r| r["vendor"] == "Newco HR").unwrap();
    assert_eq!(newco["missing"][0], "易用性");
    let budget = p["budget"].as_array().unwrap();
    let newco = budget.iter().find(|b| b["vendor"] == "Newco HR").unwrap();
    assert_eq!(newco["years"][0]["software"], "45000.00");
    let actions: Vec<Value> = sandbox.audit_json();
    let edits = actions
        .iter()
        .filter(|a| a["action"] == "vendor.edit")
        .count();
    assert_eq!(edits, 1);
}

/// A pairwise sheet of the demo's six scored criteria, `first_over_third`
/// being how much more the first counts than the third.
fn pairwise(first_over_third: &str, third_over_first: &str) -> String {
    let names = [
        "零售经验",
        "响应时间",
        "版本迭代",
        "三年总成本",
        "易用性",
        "试点提效",
    ];
    let weights = [4.0, 2.0, 2.0, 1.0, 1.0, 1.0];
    let ratio = |a: f64, b: f64| {
        if a >= b {
            format!("{}", a / b)
        } else {
            format!("1/{}", b / a)
        }
    };
    let mut sheet = format!(",{}\n", names.join(","));
    for (i, name) in names.iter().enumerate() {
        let cells: Vec<String> = (0..names.len())
            .map(|j| match (i, j) {
                (0, 2) => first_over_third.to_string(),
                (2, 0) => third_over_first.to_string(),
                _ => ratio(weights[i], weights[j]),
            })
            .collect();
        sheet.push_str(&format!("{name},{}\n", cells.join(",")));
    }
    sheet
}

#[test]
fn pairwise_comparisons_set_the_weights_or_are_refused_with_the_ratio() {
    let sandbox = Sandbox::with_demo();
    let consistent = sandbox.write_file("ahp.csv", pairwise("2", "1/2").as_bytes());
    let file = consistent.as_str();
    sandbox
        .on_db(&["import", "weights", file, "--project", PROJECT])
        .success()
        .stdout_has(&[
            "consistency ratio 0.000",
            "零售经验 36.37%",
            "版本迭代 18.18%",
        ]);
    let report = json(&sandbox);
    let criteria = report[0]["criteria"].as_array().unwrap();
    assert_eq!(criteria[0]["weight"], 36.37, "{criteria:?}");

    let circular = sandbox.write_file("bad.csv", pairwise("1/9", "9").as_bytes());
    sandbox
        .on_db(&["import", "weights", &circular, "--project", PROJECT])
        .code(1)
        .stderr_has(&["consistency ratio"]);
    let garbled = sandbox.write_file("garbled.csv", b",a,b\na,1,x\n");
    sandbox
        .on_db(&["import", "weights", &garbled, "--project", PROJECT])
        .code(1)
        .stderr_has(&["line 2, column 3", "“x”"]);
    assert_eq!(
        json(&sandbox)[0]["criteria"][0]["weight"],
        36.37,
        "nothing changed"
    );
}
