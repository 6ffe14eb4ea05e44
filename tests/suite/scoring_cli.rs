//! End-to-end tests of the appraisal commands on the real binary: ratings
//! and indicators imported all or nothing (dirty, GBK and clean sheets),
//! and the cycles and scores exports.

use crate::e2e;

use e2e::Sandbox;

/// The demo cycle's name, as sheets and `--cycle` name it.
const CYCLE: &str = "2026 年度考评";

fn write(sandbox: &Sandbox, name: &str, bytes: &[u8]) -> String {
    sandbox.write_file(name, bytes)
}

fn audit_len(sandbox: &Sandbox) -> usize {
    sandbox.audit_json().len()
}

#[test]
fn a_dirty_ratings_sheet_names_every_problem_and_writes_nothing() {
    let sandbox = Sandbox::with_demo();
    let before = audit_len(&sandbox);
    let text = format!(
        "cycle,emp_no,rater_emp_no,relation,competency,mark\n\
         {CYCLE},E000020,E000002,peer,teamwork,9\n\
         2019 年度,E000020,E000002,peer,teamwork,4\n\
         {CYCLE},E000020,E000020,manager,teamwork,4\n\
         {CYCLE},E999999,E000002,peer,charm,4\n\
         {CYCLE},E000020,E000002,friend,teamwork,4\n"
    );
    let file = write(&sandbox, "dirty.csv", text.as_bytes());
    sandbox
        .on_db(&["import", "ratings", &file])
        .code(1)
        .stdout_has(&[
            "dirty.csv:2: mark:",
            "dirty.csv:3: cycle: there is no cycle named 2019 年度",
            "dirty.csv:4: relation:",
            "dirty.csv:5: emp_no:",
            "dirty.csv:6: relation:",
        ])
        .stderr_has(&["nothing was imported"]);
    assert_eq!(audit_len(&sandbox), before, "nothing written");

    // The rows are read from the file as they are checked: a row that
    // cannot be read after good ones still refuses the whole file.
    let text = format!(
        "cycle,emp_no,rater_emp_no,relation,competency,mark\n\
         {CYCLE},E000020,E000002,peer,teamwork,4\n\
         {CYCLE},E000021,E000002,peer,teamwork,4,extra\n"
    );
    let file = write(&sandbox, "ragged.csv", text.as_bytes());
    sandbox
        .on_db(&["import", "ratings", &file])
        .code(1)
        .stderr_has(&["ragged.csv: Line 3"]);
    assert_eq!(audit_len(&sandbox), before, "nothing written");
}

#[test]
fn a_clean_gbk_ratings_sheet_is_recorded_and_moves_the_score() {
    let sandbox = Sandbox::with_demo();
    let scores = |sandbox: &Sandbox| {
        let rows = sandbox
            .on_db(&["export", "scores", "--cycle", CYCLE, "--format", "json"])
            .success()
            .json_rows();
        rows.into_iter()
            .find(|r| r["emp_no"] == "E000020")
            .expect("E000020 is appraised")
    };
    let before = scores(&sandbox);
    let text = format!(
        "周期,工号,评价人工号,评价关系,能力项,分值,评语\n\
         {CYCLE},E000020,E000062,同事,teamwork,１,\n\
         {CYCLE},E000020,E000108,同事,teamwork,1,需加强协作\n\
         {CYCLE},E000020,E000138,同事,teamwork,1,\n"
    );
    let (bytes, _, _) = encoding_rs::GBK.encode(&text);
    let file = write(&sandbox, "peers.csv", &bytes);
    sandbox
        .on_db(&["import", "ratings", &file, "--dry-run"])
        .success()
        .stdout_has(&["Checked 3 rating(s) for 1 people", "dry run"]);
    assert_eq!(scores(&sandbox)["capability"], before["capability"]);
    sandbox
        .on_db(&["import", "ratings", &file])
        .success()
        .stdout_has(&["Imported 3 rating(s) for 1 people"]);
    let after = scores(&sandbox);
    assert!(
        after["capability"].as_f64() < before["capability"].as_f64(),
        "three peers' low marks count: {before} → {after}"
    );
}

#[test]
fn indicators_must_be_in_the_cycle_and_goals_are_computed() {
    let sandbox = Sandbox::with_demo();
    let text = format!(
        "cycle,emp_no,indicator,value\n\
         {CYCLE},E000020,goals,95\n\
         {CYCLE},E000020,quality,abc\n"
    );
    let file = write(&sandbox, "indicators.csv", text.as_bytes());
    sandbox
        .on_db(&["import", "indicators", &file])
        .code(1)
        .stdout_has(&[
            "indicators.csv:2: indicator: goal achievement is computed",
            "indicators.csv:3: value:",
        ]);
}

#[test]
fn cycles_and_scores_export_for_payroll() {
    let sandbox = Sandbox::with_demo();
    let (header, rows) = sandbox.on_db(&["export", "cycles"]).success().csv();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(rows.len(), 2, "last year's cycle, closed, and this year's");
    assert_eq!(rows[0][col("name")], "2025 年度考评");
    assert_eq!(rows[0][col("state")], "closed");
    assert_eq!(rows[1][col("name")], CYCLE);
    assert_eq!(rows[1][col("state")], "open");
    assert_eq!(rows[1][col("results_weight")], "70");
    assert_eq!(rows[1][col("distribution")], "S:10;A:20;B:40;C:20;D:10");
    assert_eq!(rows[1][col("precision")], "1");
    assert_eq!(rows[1][col("plan_threshold")], "60.0");
    assert_eq!(rows[1][col("plan_cycles")], "2");
    assert_eq!(rows[1][col("training_threshold")], "3.0");
    assert_eq!(rows[1][col("normalise")], "false");

    let scores = sandbox
        .on_db(&["export", "scores", "--cycle", CYCLE, "--format", "json"])
        .success()
        .json_rows();
    assert!(scores.len() > 250, "everyone not departed is appraised");
    let graded: Vec<_> = scores.iter().filter(|r| r["grade"].is_string()).collect();
    assert!(!graded.is_empty());
    for row in &graded {
        let f = row["final_score"].as_f64().unwrap();
        assert!((0.0..=100.0).contains(&f), "{row}");
        assert!(
            row["bonus"].is_string(),
            "a graded person with a salary has a bonus"
        );
        // The figure exported is the one figure: one decimal, F from the R
        // and C shown, and the grade the band of that figure.
        let tenths = |key: &str| {
            let value = row[key].as_f64().unwrap() * 10.0;
            assert!((value - value.round()).abs() < 1e-6, "{key} of {row}");
            value.round() as i64
        };
        let (r, c) = (tenths("results"), tenths("capability"));
        if row["appeal"] != "upheld" {
            assert_eq!(tenths("final_score"), (70 * r + 30 * c + 50) / 100, "{row}");
        }
        let band = match tenths("final_score") {
            900.. => "S",
            800.. => "A",
            700.. => "B",
            600.. => "C",
            _ => "D",
        };
        if row["overridden"] == false && row["appeal"] != "upheld" {
            assert_eq!(row["grade"], band, "{row}");
        }
    }
    sandbox
        .on_db(&["export", "scores"])
        .code(2)
        .stderr_has(&["--cycle"]);
    sandbox
        .on_db(&["export", "scores", "--cycle", "nope"])
        .code(1)
        .stderr_has(&["there is no cycle named nope"]);
}

#[test]
fn the_course_catalogue_is_replaced_whole_and_feeds_the_scores_export() {
    let sandbox = Sandbox::with_demo();
    let dirty = "code,title,competency\nT1,,teamwork\nT2,协作,teamwork\nT2,again,teamwork\n";
    let file = write(&sandbox, "dirty-courses.csv", dirty.as_bytes());
    sandbox
        .on_db(&["import", "courses", &file])
        .code(1)
        .stdout_has(&["dirty-courses.csv:2: title:", "dirty-courses.csv:4: code:"]);
    let clean = "课程编号,课程,能力项\nT1,团队共创,teamwork\nC1,演讲,communication\n";
    let file = write(&sandbox, "courses.csv", clean.as_bytes());
    sandbox
        .on_db(&["import", "courses", &file])
        .success()
        .stdout_has(&["2 course(s) for 2 competencies"]);
    let (header, rows) = sandbox.on_db(&["export", "courses"]).success().csv();
    assert_eq!(header, ["code", "title", "competency"]);
    assert_eq!(rows.len(), 2, "the demo's six courses were replaced");

    // Two managers' low teamwork marks for one person call for T1.
    let text = format!(
        "cycle,emp_no,rater_emp_no,relation,competency,mark\n\
         {CYCLE},E000020,E000002,manager,teamwork,1\n"
    );
    let marks = write(&sandbox, "low.csv", text.as_bytes());
    sandbox.on_db(&["import", "ratings", &marks]).success();
    let scores = sandbox
        .on_db(&["export", "scores", "--cycle", CYCLE, "--format", "json"])
        .success()
        .json_rows();
    let row = scores.iter().find(|r| r["emp_no"] == "E000020").unwrap();
    assert!(row["courses"].as_str().unwrap().contains("T1"), "{row}");
}

#[test]
fn a_relation_that_does_not_hold_refuses_the_sheet_unless_hr_gives_a_reason() {
    let sandbox = Sandbox::with_demo();
    let before = audit_len(&sandbox);
    // E000020 is in IT Support under E000002; E000003 heads HR; E000001
    // is the top of the company.
    let text = format!(
        "cycle,emp_no,rater_emp_no,relation,competency,mark,comment\n\
         {CYCLE},E000020,E000003,manager,teamwork,2,\n\
         {CYCLE},E000020,E000001,manager,teamwork,4,\n\
         {CYCLE},E000002,E000001,subordinate,teamwork,4,\n\
         {CYCLE},E000020,E000003,peer,expertise,3,\n"
    );
    let file = write(&sandbox, "wrong.csv", text.as_bytes());
    sandbox
        .on_db(&["import", "ratings", &file])
        .code(1)
        .stdout_has(&[
            "wrong.csv:2: relation: E000003 张丽 cannot rate E000020 孙海燕 as manager",
            "wrong.csv:4: relation: E000001 周建国 cannot rate E000002 David Chen as subordinates",
            "wrong.csv:5: relation: E000003 张丽 cannot rate E000020 孙海燕 as peers",
        ])
        .stderr_has(&["nothing was imported"]);
    assert_eq!(audit_len(&sandbox), before, "nothing written");

    let reasoned = format!(
        "cycle,emp_no,rater_emp_no,relation,competency,mark,comment,override_reason\n\
         {CYCLE},E000020,E000003,manager,teamwork,2,借调期间由其带教,acting lead while seconded\n\
         {CYCLE},E000020,E000002,manager,teamwork,4,,\n\
         {CYCLE},E000020,E000001,manager,teamwork,5,,\n"
    );
    let file = write(&sandbox, "reasoned.csv", reasoned.as_bytes());
    let by_manager = format!(
        "cycle,emp_no,rater_emp_no,relation,competency,mark,override_reason\n\
         {CYCLE},E000022,E000020,peer,teamwork,3,works with us\n"
    );
    let by_manager = write(&sandbox, "by_manager.csv", by_manager.as_bytes());
    sandbox
        .on_db_as("mgr.zeng", &["import", "ratings", &by_manager])
        .code(1)
        .stdout_has(&["by_manager.csv:2: override_reason:"]);
    sandbox
        .on_db(&["import", "ratings", &file])
        .success()
        .stdout_has(&["Imported 3 rating(s) for 1 people"]);
    let log = sandbox.audit_json();
    let written: Vec<_> = log
        .iter()
        .skip(before)
        .filter(|e| e["action"] == "rating.record")
        .collect();
    assert_eq!(written.len(), 3, "one entry per rating");
    let after = written[0]["after"].as_str().unwrap();
    assert!(
        after.contains("ratee=E000020 孙海燕 rater=E000003 张丽 group=manager"),
        "{after}"
    );
    assert!(
        after.contains("relation=override reason=acting lead while seconded"),
        "{after}"
    );
    assert!(written[0]["before"].is_null(), "a new mark");
    let replaced = &written[1];
    assert!(
        replaced["before"].as_str().unwrap().contains("source=bulk"),
        "the demo's manager mark before: {replaced}"
    );
    assert!(replaced["after"].as_str().unwrap().contains("mark=4 by="));
    let skip = written[2]["after"].as_str().unwrap();
    assert!(skip.contains("relation=skip-level"), "{skip}");

    let (header, rows) = sandbox
        .on_db(&["export", "ratings", "--cycle", CYCLE])
        .success()
        .csv();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = rows
        .iter()
        .find(|r| r[col("emp_no")] == "E000020" && r[col("rater_emp_no")] == "E000003")
        .expect("the overridden rating is exported");
    assert_eq!(row[col("comment")], "借调期间由其带教");
    assert_eq!(row[col("basis")], "override");
    assert_eq!(row[col("override_reason")], "acting lead while seconded");
    assert_eq!(row[col("source")], "import");
}

#[test]
fn peers_hr_allows_are_added_listed_and_removed_on_the_command_line() {
    let sandbox = Sandbox::with_demo();
    let peer_row = format!(
        "cycle,emp_no,rater_emp_no,relation,competency,mark\n\
         {CYCLE},E000020,E000024,peer,teamwork,4\n"
    );
    let file = write(&sandbox, "peer.csv", peer_row.as_bytes());
    sandbox
        .on_db(&["import", "ratings", &file])
        .code(1)
        .stdout_has(&["never in the person's department"]);
    sandbox
        .on_db(&["peers", "list", "--cycle", CYCLE])
        .success()
        .stdout_has(&["No peer is allowed by HR"]);
    sandbox
        .on_db(&["peers", "allow", "--cycle", CYCLE, "E000020", "E000024"])
        .success()
        .stdout_has(&["E000024 单艳 may now rate E000020 孙海燕 as a peer"]);
    sandbox
        .on_db(&["peers", "allow", "--cycle", CYCLE, "E000020", "E000024"])
        .code(1)
        .stderr_has(&["already allowed"]);
    sandbox
        .on_db(&["peers", "list", "--cycle", CYCLE])
        .success()
        .stdout_has(&["E000020 孙海燕", "E000024 单艳"]);
    sandbox
        .on_db_as(
            "mgr.zeng",
            &["peers", "allow", "--cycle", CYCLE, "E000020", "E000026"],
        )
        .code(3);
    sandbox.on_db(&["import", "ratings", &file]).success();
    let log = sandbox.audit_json();
    let allowed = log.iter().find(|e| e["action"] == "peer.allow").unwrap();
    assert!(
        allowed["after"]
            .as_str()
            .unwrap()
            .contains("ratee=E000020 孙海燕 rater=E000024 单艳"),
        "{allowed}"
    );
    sandbox
        .on_db(&["peers", "remove", "--cycle", CYCLE, "E000020", "E000024"])
        .success()
        .stdout_has(&["may no longer rate"]);
    assert_eq!(
        sandbox.audit_json().last().unwrap()["action"],
        "peer.remove"
    );
    sandbox
        .on_db(&["import", "ratings", &file])
        .code(1)
        .stdout_has(&["peer.csv:2: relation:"]);
}
