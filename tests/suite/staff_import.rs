//! End-to-end tests of `hrdesk import staff FILE` and `hrdesk export staff`:
//! the real binary in a private sandbox, fed spreadsheets the tests write
//! (UTF-8 with a BOM, GBK with Chinese headers, dirty and broken files), and
//! checked on exit codes, on the report (`FILE:LINE: column: message`) and
//! on what the database holds afterwards, as `export staff` shows it.

use crate::e2e;

use std::collections::BTreeSet;

use e2e::{Outcome, Sandbox};

/// The columns of `export staff`, which `import staff` reads back.
const HEADER: &str = "emp_no,name,department,title,grade,manager_emp_no,hire_date,status,phone,email,national_id,salary";
const NATIONAL_ID: usize = 10;
const SALARY: usize = 11;

/// Three employees as Excel's "CSV UTF-8" saves them (byte-order mark
/// included): departments by unique name or by path, a salary with fen and
/// one in ¥ with a thousands separator, a landline.
const CLEAN: &str = "\u{FEFF}emp_no,name,department,title,grade,manager_emp_no,hire_date,status,phone,email,national_id,salary
E001,张伟,销售部,Sales Director,M2,,2019-07-01,active,13812345678,zhang.wei@example.com,11010519491231002X,30000
E002,李娜,华东大区,Account Manager,P5,E001,2021-06-15,on_leave,13912345678,li.na@example.com,,12000.5
E003,Emily Wang,星河零售 Xinghe Retail / 门店运营部 / 门店07 深圳福田,Store Manager,M1,E001,2022-03-01,active,0755-12345678,,,\"¥18,500\"
";

/// `CLEAN` as `export staff` writes it.
const CLEAN_EXPORTED: [&str; 3] = [
    "E001,张伟,星河零售 Xinghe Retail / 销售部,Sales Director,M2,,2019-07-01,active,13812345678,zhang.wei@example.com,11010519491231002X,30000.00",
    "E002,李娜,星河零售 Xinghe Retail / 销售部 / 华东大区,Account Manager,P5,E001,2021-06-15,on_leave,13912345678,li.na@example.com,,12000.50",
    "E003,Emily Wang,星河零售 Xinghe Retail / 门店运营部 / 门店07 深圳福田,Store Manager,M1,E001,2022-03-01,active,0755-12345678,,,18500.00",
];

/// Four employees as typed by hand in a Chinese Excel (saved as GBK):
/// Chinese headers, every date form, full-width digits and spaces, stray
/// spaces, phones with +86 and separators, ￥ and 万 amounts, Chinese
/// statuses, and managers listed after their reports.
const MESSY: &str = "工号,姓名,部门,职位,职级,上级工号,入职日期,状态,手机,邮箱,身份证号,薪资
 G003 , 王\u{3000}芳 ,华东大区,销售代表,P4,G002,2024/3/5,在职,+86 138-1234-5678,Wang.Fang@EXAMPLE.com,,\"￥12,000\"
G002,赵强, 销售部 ,销售经理,M1,G001,2024年3月5日, 休假 ,139 8765 4321,,4403 0419 9001 0112 33,1.2万
G004,孙丽,门店07 深圳福田,店员,P2,G001,2023-11-20,离职,,,,8000元
G001,周明,人力资源部,人事总监,M3,,２０２４年３月５日,在职,021-12345678,,,２５０００
";

/// `MESSY` as `export staff` writes it.
const MESSY_EXPORTED: [&str; 4] = [
    "G001,周明,星河零售 Xinghe Retail / 人力资源部,人事总监,M3,,2024-03-05,active,021-12345678,,,25000.00",
    "G002,赵强,星河零售 Xinghe Retail / 销售部,销售经理,M1,G001,2024-03-05,on_leave,13987654321,,440304199001011233,12000.00",
    "G003,王 芳,星河零售 Xinghe Retail / 销售部 / 华东大区,销售代表,P4,G002,2024-03-05,active,13812345678,Wang.Fang@example.com,,12000.00",
    "G004,孙丽,星河零售 Xinghe Retail / 门店运营部 / 门店07 深圳福田,店员,P2,G001,2023-11-20,departed,,,,8000.00",
];

// ---------------------------------------------------------------- helpers

/// Writes `contents` to `name` in the exchange folder; returns its path as an argument.
fn write_sheet(sandbox: &Sandbox, name: &str, contents: impl AsRef<[u8]>) -> String {
    sandbox.write_file(name, contents.as_ref())
}

/// `text` encoded as GBK, as Excel in China saves CSV.
fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "the test sheet has characters GBK lacks");
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the GBK sheet must not also be valid UTF-8"
    );
    bytes.into_owned()
}

/// `hrdesk import staff FILE FLAGS --db …` as `user`.
fn import_as(sandbox: &Sandbox, user: &str, file: &str, flags: &[&str]) -> Outcome {
    let mut args = vec!["import", "staff", file];
    args.extend(flags);
    sandbox.on_db_as(user, &args)
}

/// `hrdesk import staff FILE FLAGS --db …` as the admin.
fn import(sandbox: &Sandbox, file: &str, flags: &[&str]) -> Outcome {
    import_as(sandbox, e2e::admin(), file, flags)
}

/// `export staff` (CSV) as `user`: its header is checked, its rows returned.
fn staff_as(sandbox: &Sandbox, user: &str) -> Vec<Vec<String>> {
    let (header, rows) = sandbox.on_db_as(user, &["export", "staff"]).success().csv();
    assert_eq!(header.join(","), HEADER);
    rows
}

/// `export staff` as the admin, as parsed rows.
fn staff(sandbox: &Sandbox) -> Vec<Vec<String>> {
    staff_as(sandbox, e2e::admin())
}

/// `export staff` as the admin, as written; also saved as `name` for importing again.
fn export_to(sandbox: &Sandbox, name: &str) -> (String, String) {
    let text = sandbox.on_db(&["export", "staff"]).success().stdout.clone();
    (write_sheet(sandbox, name, &text), text)
}

/// A sheet in the export columns with `lines` as its rows.
fn sheet(lines: &[impl AsRef<str>]) -> String {
    let rows: Vec<&str> = lines.iter().map(AsRef::as_ref).collect();
    format!("{HEADER}\n{}\n", rows.join("\n"))
}

/// Expected export rows, written as CSV lines without quoted commas.
fn rows<S: AsRef<str>>(lines: &[S]) -> Vec<Vec<String>> {
    lines
        .iter()
        .map(|line| line.as_ref().split(',').map(str::to_owned).collect())
        .collect()
}

/// A sandbox with the demo company, and the demo's own staff as first
/// exported, to tell them from the rows a test imports.
struct Company {
    sandbox: Sandbox,
    demo_staff: Vec<Vec<String>>,
}

impl Company {
    fn new() -> Company {
        let sandbox = Sandbox::with_demo();
        let demo_staff = staff(&sandbox);
        Company {
            sandbox,
            demo_staff,
        }
    }

    /// The demo company with `CLEAN` imported.
    fn seeded() -> Company {
        let company = Company::new();
        let file = write_sheet(&company.sandbox, "clean.csv", CLEAN);
        import(&company.sandbox, &file, &[]).success();
        company
    }

    /// The exported rows beyond the demo's, by employee number, after
    /// checking that the demo's are unchanged.
    #[track_caller]
    fn imported(&self) -> Vec<Vec<String>> {
        let (demo, mut ours): (Vec<_>, Vec<_>) = staff(&self.sandbox)
            .into_iter()
            .partition(|row| self.demo_staff.contains(row));
        assert_eq!(demo, self.demo_staff, "the demo's staff changed");
        ours.sort();
        ours
    }
}

/// A problem as reported: line, column header, message.
type Problem = (usize, String, String);

/// The problems of a refused import, one per report line (in any language),
/// after checking the exit code and the `FILE:LINE: column: message` form.
#[track_caller]
fn report(outcome: &Outcome, file: &str) -> Vec<Problem> {
    outcome.code(1);
    outcome
        .stdout
        .lines()
        .map(|line| {
            let parsed = line.strip_prefix(&format!("{file}:")).and_then(|rest| {
                let (number, rest) = rest.split_once(": ")?;
                let (column, message) = rest.split_once(": ")?;
                Some((number.parse().ok()?, column.to_owned(), message.to_owned()))
            });
            parsed.unwrap_or_else(|| panic!("not FILE:LINE: column: message: {line:?}"))
        })
        .collect()
}

/// [`report`], and the English count on standard error.
#[track_caller]
fn problems(outcome: &Outcome, file: &str) -> Vec<Problem> {
    let found = report(outcome, file);
    outcome.stderr_has(&[&format!(
        "{} problem(s) found; nothing was imported",
        found.len()
    )]);
    found
}

/// Asserts that some problem is on `line`, in `column`, and says `needle`.
#[track_caller]
fn assert_problem(found: &[Problem], line: usize, column: &str, needle: &str) {
    assert!(
        found
            .iter()
            .any(|(l, c, m)| *l == line && c == column && m.contains(needle)),
        "no problem at line {line}, {column}, saying {needle:?} in {found:#?}"
    );
}

// ---------------------------------------------------------------- clean imports

#[test]
fn a_utf8_sheet_with_a_bom_imports_and_exports_canonical_values() {
    let company = Company::new();
    let file = write_sheet(&company.sandbox, "clean.csv", CLEAN);
    let outcome = import(&company.sandbox, &file, &[]);
    outcome.success();
    assert_eq!(outcome.stdout, "Imported: 3 new, 0 updated, 0 unchanged\n");
    assert_eq!(company.imported(), rows(&CLEAN_EXPORTED));
}

#[test]
fn a_gbk_sheet_with_chinese_headers_and_messy_values_is_cleaned() {
    let company = Company::new();
    let file = write_sheet(&company.sandbox, "messy.csv", gbk(MESSY));
    import(&company.sandbox, &file, &[])
        .success()
        .stdout_has(&["Imported: 4 new, 0 updated, 0 unchanged"]);
    assert_eq!(company.imported(), rows(&MESSY_EXPORTED));
}

#[test]
fn an_export_imports_again_unchanged_and_exports_byte_for_byte() {
    let company = Company::seeded();
    let sandbox = &company.sandbox;
    import(sandbox, &write_sheet(sandbox, "messy.csv", gbk(MESSY)), &[]).success();
    let (file, first) = export_to(sandbox, "export.csv");
    let everyone = company.demo_staff.len() + 7;
    assert_eq!(first.lines().count(), 1 + everyone);
    import(sandbox, &file, &["--update"])
        .success()
        .stdout_has(&[&format!("Imported: 0 new, 0 updated, {everyone} unchanged")]);
    let (_, second) = export_to(sandbox, "export-again.csv");
    assert_eq!(second, first);
}

#[test]
fn update_changes_a_title_and_is_audited() {
    let company = Company::seeded();
    let sandbox = &company.sandbox;
    let (_, exported) = export_to(sandbox, "export.csv");
    let changed = exported.replace(",Account Manager,", ",Senior Account Manager,");
    let file = write_sheet(sandbox, "changed.csv", changed);
    let others = company.demo_staff.len() + 2;
    import(sandbox, &file, &["--update"])
        .success()
        .stdout_has(&[&format!("Imported: 0 new, 1 updated, {others} unchanged")]);

    let mut expected = rows(&CLEAN_EXPORTED);
    expected[1][3] = "Senior Account Manager".into();
    assert_eq!(company.imported(), expected);
    let audit = sandbox.audit_json();
    let last = audit.last().expect("the audit log has entries");
    assert_eq!(last["action"], "staff.import");
    assert_eq!(last["operator"], e2e::admin());
    assert_eq!(
        last["after"],
        format!("inserted=0 updated=1 unchanged={others} departments_created=0")
    );
}

#[test]
fn existing_employee_numbers_need_update() {
    let company = Company::seeded();
    let sandbox = &company.sandbox;
    // With one new person among them, each row already there is named.
    let mut lines: Vec<String> = CLEAN_EXPORTED.iter().map(|l| l.to_string()).collect();
    lines.push("N009,钱九,人力资源部,HRBP,P5,,2024-05-06,active,,,,15000".into());
    let file = write_sheet(sandbox, "again.csv", sheet(&lines));
    let found = problems(&import(sandbox, &file, &[]), &file);
    assert_eq!(found.len(), 3, "{found:#?}");
    for (line, emp_no) in [(2, "E001"), (3, "E002"), (4, "E003")] {
        assert_problem(
            &found,
            line,
            "emp_no",
            &format!("employee number {emp_no} is already in the database"),
        );
        assert_problem(&found, line, "emp_no", "--update");
    }
    assert_eq!(company.imported(), rows(&CLEAN_EXPORTED));
}

#[test]
fn a_dry_run_reports_the_summary_and_writes_nothing() {
    let company = Company::seeded();
    let sandbox = &company.sandbox;
    let before = (staff(sandbox), sandbox.audit_json().len());
    let lines = [
        CLEAN_EXPORTED[0].replace("Sales Director", "Sales VP"),
        "N001,钱七,人力资源部,HRBP,P5,,2024-05-06,active,,,,15000".into(),
    ];
    let file = write_sheet(sandbox, "dry.csv", sheet(&lines));
    let outcome = import(sandbox, &file, &["--update", "--dry-run"]);
    outcome.success();
    assert_eq!(
        outcome.stdout,
        "Checked, nothing written: 1 would be new, 1 updated, 0 unchanged\n"
    );
    assert_eq!((staff(sandbox), sandbox.audit_json().len()), before);
}

// ---------------------------------------------------------------- refused rows

/// One line per kind of problem; line 7 is clean and line 8 repeats its number.
const DIRTY: &str = "emp_no,name,department,manager_emp_no,hire_date,phone,national_id
,,销售部,,,,
D001,甲,销售部,,2024-02-30,,
D002,乙,销售部,,2024-01-01,12345,
D003,丙,销售部,,2024-01-01,,110105194912310021
D004,丁,直播组,,2024-01-01,,
D100,戊,销售部,,2024-01-01,,
D100,己,销售部,,2024-01-01,,
D101,庚,销售部,,2024-01-01,,11010519491231002X
D102,张伟,销售部,,2024-01-01,+86 138 1234 5678,
D103,辛,销售部,X999,2024-01-01,,
D104,壬,销售部,D105,2024-01-01,,
D105,癸,销售部,D104,2024-01-01,,
D106,子,销售部,D106,2024-01-01,,
";

#[test]
fn a_dirty_sheet_lists_every_problem_and_changes_nothing() {
    let company = Company::seeded();
    let sandbox = &company.sandbox;
    let before = (staff(sandbox), sandbox.audit_json().len());
    let file = write_sheet(sandbox, "dirty.csv", DIRTY);
    let found = problems(&import(sandbox, &file, &[]), &file);

    let expected = [
        (2, "emp_no", "required"),
        (2, "name", "required"),
        (2, "hire_date", "required"),
        (3, "hire_date", "“2024-02-30” is not a real date"),
        (4, "phone", "“12345” is not a phone number"),
        (5, "national_id", "does not match the check digit"),
        (6, "department", "no department matches “直播组”"),
        (6, "department", "--create-departments"),
        (8, "emp_no", "the same as line 7"),
        (
            9,
            "national_id",
            "already belongs to E001 张伟 in the database",
        ),
        (10, "phone", "already belongs to E001 张伟 in the database"),
        (11, "manager_emp_no", "there is no employee X999"),
        (
            12,
            "manager_emp_no",
            "the managers of D104 lead back to D104",
        ),
        (
            13,
            "manager_emp_no",
            "the managers of D105 lead back to D105",
        ),
        (14, "manager_emp_no", "nobody can be their own manager"),
    ];
    for (line, column, needle) in expected {
        assert_problem(&found, line, column, needle);
    }
    let flagged: BTreeSet<usize> = found.iter().map(|(line, ..)| *line).collect();
    let wanted: BTreeSet<usize> = expected.iter().map(|(line, ..)| *line).collect();
    assert_eq!(flagged, wanted, "only the bad lines are reported");
    assert_eq!((staff(sandbox), sandbox.audit_json().len()), before);
}

#[test]
fn a_self_manager_is_reported_once() {
    let sandbox = Sandbox::with_demo();
    let file = write_sheet(
        &sandbox,
        "self.csv",
        "emp_no,name,department,manager_emp_no,hire_date\nS001,甲,销售部,S001,2024-01-01\n",
    );
    let found = problems(&import(&sandbox, &file, &[]), &file);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_problem(
        &found,
        2,
        "manager_emp_no",
        "nobody can be their own manager",
    );
}

#[test]
fn a_manager_with_active_reports_cannot_depart_by_import() {
    let company = Company::seeded();
    let sandbox = &company.sandbox;
    let departed = CLEAN_EXPORTED[0].replace(",active,", ",departed,");
    let file = write_sheet(sandbox, "departed.csv", sheet(&[departed]));
    let found = problems(&import(sandbox, &file, &["--update"]), &file);
    assert!(found.iter().all(|(line, ..)| *line == 2), "{found:#?}");
    assert_eq!(company.imported(), rows(&CLEAN_EXPORTED));
}

#[test]
fn update_leaves_the_fields_of_absent_columns_alone() {
    let company = Company::seeded();
    let file = write_sheet(
        &company.sandbox,
        "salary.csv",
        "emp_no,name,department,hire_date,salary\nE001,张伟,销售部,2019-07-01,32000\n",
    );
    import(&company.sandbox, &file, &["--update"])
        .success()
        .stdout_has(&["Imported: 0 new, 1 updated, 0 unchanged"]);
    let mut expected = rows(&CLEAN_EXPORTED);
    expected[0][SALARY] = "32000.00".into();
    assert_eq!(company.imported(), expected);
}

#[test]
fn problems_are_on_the_file_line_despite_crlf_blank_lines_and_multiline_cells() {
    let sandbox = Sandbox::with_demo();
    let sheet = "\u{FEFF}emp_no,name,department,title,hire_date\r\n\r\n\
                 M001,甲,销售部,\"line one\r\nline two\",2024-01-01\r\n\r\n\
                 M002,乙,销售部,Clerk,2024/13/01\r\n";
    let file = write_sheet(&sandbox, "lines.csv", sheet);
    let found = problems(&import(&sandbox, &file, &[]), &file);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_problem(&found, 6, "hire_date", "“2024/13/01”");
}

// ---------------------------------------------------------------- departments

#[test]
fn create_departments_makes_every_missing_level_once() {
    let company = Company::new();
    let sandbox = &company.sandbox;
    let sheet = "emp_no,name,department,hire_date
L001,主播甲,星河零售 Xinghe Retail / 新零售部 / 直播组,2024-01-01
L002,主播乙,星河零售 Xinghe Retail/新零售部/直播组,2024-01-02
";
    let file = write_sheet(sandbox, "live.csv", sheet);
    let outcome = import(sandbox, &file, &["--create-departments"]);
    outcome.success();
    assert_eq!(
        outcome.stdout,
        "Imported: 2 new, 0 updated, 0 unchanged\n\
         Department created: 星河零售 Xinghe Retail / 新零售部\n\
         Department created: 星河零售 Xinghe Retail / 新零售部 / 直播组\n"
    );

    let root = sandbox.department_id("星河零售 Xinghe Retail");
    let retail = sandbox.department_id("星河零售 Xinghe Retail / 新零售部");
    let live = sandbox.department_id("星河零售 Xinghe Retail / 新零售部 / 直播组");
    let departments = sandbox.departments_json();
    let parent_of = |id: u64| {
        departments
            .iter()
            .find(|d| d["id"] == id)
            .map(|d| d["parent_id"].clone())
    };
    assert_eq!(parent_of(retail), Some(root.into()));
    assert_eq!(parent_of(live), Some(retail.into()));
    assert_eq!(departments.len(), 19 + 2);
    let places: Vec<String> = company
        .imported()
        .into_iter()
        .map(|r| r[2].clone())
        .collect();
    assert_eq!(places, ["星河零售 Xinghe Retail / 新零售部 / 直播组"; 2]);
}

#[test]
fn import_into_a_missing_database_creates_it_with_the_os_user_as_admin() {
    let sandbox = Sandbox::new();
    let sheet = "emp_no,name,department,hire_date\nA001,甲,Acme / 研发部,2024-01-01\n";
    let file = write_sheet(&sandbox, "first.csv", sheet);
    import_as(&sandbox, e2e::admin(), &file, &["--create-departments"])
        .success()
        .stdout_has(&[
            "Imported: 1 new, 0 updated, 0 unchanged",
            "Department created: Acme\n",
            "Department created: Acme / 研发部\n",
        ]);
    let operators = sandbox
        .on_db(&["operator", "list", "--format", "json"])
        .success()
        .json_rows();
    assert_eq!(operators.len(), 1);
    assert_eq!(operators[0]["user"], e2e::admin());
    assert_eq!(operators[0]["role"], "admin");
    assert_eq!(
        staff(&sandbox),
        rows(&["A001,甲,Acme / 研发部,,,,2024-01-01,active,,,,"])
    );
    // Written as a draft beside it, then given its name: the log names
    // the database, and no draft is left.
    let created = &sandbox.audit_json()[0];
    assert_eq!(created["action"], "database.create");
    assert_eq!(created["entity_id"], sandbox.db().display().to_string());
    assert_eq!(drafts(&sandbox), Vec::<String>::new());
}

/// Drafts of the database left in its folder.
fn drafts(sandbox: &Sandbox) -> Vec<String> {
    let folder = sandbox.db().parent().expect("folder").to_path_buf();
    std::fs::read_dir(&folder)
        .map(|entries| {
            entries
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .filter(|name| name.contains(".draft-"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_dry_run_or_a_refused_import_leaves_a_missing_database_missing() {
    let sandbox = Sandbox::new();
    let good = write_sheet(
        &sandbox,
        "good.csv",
        "emp_no,name,department,hire_date\nA001,甲,Acme,2024-01-01\n",
    );
    import(&sandbox, &good, &["--create-departments", "--dry-run"])
        .success()
        .stdout_has(&["Checked, nothing written: 1 would be new"]);
    assert!(!sandbox.db().exists(), "the dry run created the database");
    let bad = write_sheet(
        &sandbox,
        "bad.csv",
        "emp_no,name,department,hire_date\nA001,甲,Acme,2024-02-30\n",
    );
    problems(&import(&sandbox, &bad, &["--create-departments"]), &bad);
    assert!(
        !sandbox.db().exists(),
        "the refused import created the database"
    );
    assert_eq!(drafts(&sandbox), Vec::<String>::new());
}

// ---------------------------------------------------------------- unreadable files

#[test]
fn a_missing_file_is_an_io_error_naming_it() {
    let sandbox = Sandbox::new();
    let file = sandbox.arg("absent.csv");
    import(&sandbox, &file, &[])
        .code(2)
        .stderr_has(&[&format!("cannot read {file}")]);
    assert!(!sandbox.db().exists());
}

#[test]
fn unreadable_sheets_are_refused_naming_the_line() {
    let sandbox = Sandbox::new();
    let cases = [
        ("empty.csv", "", "", "The file is empty"),
        (
            "header.csv",
            "emp_no,name,dept,hire_date\n",
            ": Line 1",
            "unknown column “dept”; did you mean “department”?",
        ),
        (
            "columns.csv",
            "emp_no,name,hire_date\nX1,甲,2024-01-01\n",
            ": Line 1",
            "required columns missing: department (部门)",
        ),
        (
            "ragged.csv",
            "emp_no,name,department,hire_date\nX1,甲,销售部,2024-01-01\nX2,乙,销售部\n",
            ": Line 3",
            "3 cells, but the header has 4",
        ),
    ];
    for (name, text, place, message) in cases {
        let file = write_sheet(&sandbox, name, text);
        let outcome = import(&sandbox, &file, &[]);
        outcome
            .code(1)
            .stderr_has(&[&format!("{file}{place}"), message]);
        assert_eq!(outcome.stdout, "", "{name}: no row report");
    }
    assert!(!sandbox.db().exists(), "nothing to import, nothing created");
}

// ---------------------------------------------------------------- language and roles

#[test]
fn lang_zh_reports_in_chinese() {
    let sandbox = Sandbox::with_demo();
    let header = "工号,姓名,部门,入职日期";
    let bad = write_sheet(
        &sandbox,
        "bad.csv",
        format!("{header}\nZ001,,销售部,2024-01-01\n"),
    );
    let refused = import(&sandbox, &bad, &["--lang", "zh"]);
    assert_eq!(
        report(&refused, &bad),
        [(2, "name".to_owned(), "必填".to_owned())]
    );
    refused.stderr_has(&["发现 1 个问题；未导入任何内容"]);

    let good = write_sheet(
        &sandbox,
        "good.csv",
        format!("{header}\nZ001,甲,销售部,2024-01-01\n"),
    );
    let outcome = import(&sandbox, &good, &["--lang", "zh"]);
    outcome.success();
    assert_eq!(outcome.stdout, "已导入：新增 1，更新 0，未变 0\n");
}

#[test]
fn hr_may_import_and_a_viewer_may_not() {
    let company = Company::new();
    let sandbox = &company.sandbox;
    let file = write_sheet(sandbox, "clean.csv", CLEAN);
    import_as(sandbox, "audit.liu", &file, &[])
        .code(3)
        .stderr_has(&["audit.liu (viewer) may not change staff records"]);
    assert!(company.imported().is_empty());

    import_as(sandbox, "hr.zhang", &file, &[])
        .success()
        .stdout_has(&["Imported: 3 new, 0 updated, 0 unchanged"]);
    assert_eq!(company.imported(), rows(&CLEAN_EXPORTED));
    let audit = sandbox.audit_json();
    let last = audit.last().expect("the audit log has entries");
    assert_eq!(last["action"], "staff.import");
    assert_eq!(last["operator"], "hr.zhang");
}

#[test]
fn a_viewer_exports_staff_with_national_ids_and_salaries_masked() {
    let company = Company::seeded();
    // One width whatever the value: the mask tells nothing of its size.
    let mask = |value: &String| {
        if value.is_empty() {
            String::new()
        } else {
            "******".to_string()
        }
    };
    let expected: Vec<Vec<String>> = staff(&company.sandbox)
        .into_iter()
        .map(|mut row| {
            row[NATIONAL_ID] = mask(&row[NATIONAL_ID]);
            row[SALARY] = mask(&row[SALARY]);
            row
        })
        .collect();
    let masked = staff_as(&company.sandbox, "audit.liu");
    assert_eq!(masked, expected);
    let row = |emp_no: &str| {
        masked
            .iter()
            .find(|row| row[0] == emp_no)
            .unwrap_or_else(|| panic!("no {emp_no} in {masked:#?}"))
    };
    assert_eq!(
        (
            row("E001")[NATIONAL_ID].as_str(),
            row("E001")[SALARY].as_str()
        ),
        ("******", "******")
    );
    assert_eq!(row("E002")[NATIONAL_ID], "", "an empty ID stays empty");
}

#[test]
fn an_unmasked_export_is_audited_and_a_masked_one_is_not() {
    let company = Company::seeded();
    let sandbox = &company.sandbox;
    let exports = |sandbox: &Sandbox| {
        sandbox
            .audit_json_with_exports()
            .into_iter()
            .filter(|e| e["action"] == e2e::EXPORT_ACTION)
            .count()
    };
    let before = exports(sandbox);
    staff(sandbox);
    assert_eq!(exports(sandbox), before + 1);
    let last = sandbox.audit_json_with_exports().pop().unwrap();
    assert_eq!(last["operator"], e2e::admin());
    assert_eq!(last["after"], "rows=303 unmasked=national_id,salary");
    sandbox
        .on_db(&["operator", "add", "vera", "--role", "viewer"])
        .success();
    staff_as(sandbox, "vera");
    assert_eq!(exports(sandbox), before + 1, "masked: nothing revealed");
}

// ---------------------------------------------------------------- safe output

#[test]
fn formula_like_text_is_exported_guarded_and_imports_back_unchanged() {
    let company = Company::new();
    let sandbox = &company.sandbox;
    let file = write_sheet(
        sandbox,
        "formulas.csv",
        sheet(&[
            "F001,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",销售部,@risk,-P5,,2024-01-02,active,,,,",
            "F002,''quoted,销售部,＝1+1,+P1,,2024-01-02,active,,,,",
        ]),
    );
    import(sandbox, &file, &[]).success();
    let (exported, text) = export_to(sandbox, "guarded.csv");
    assert!(
        text.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        "a formula is written as text:\n{text}"
    );
    for guarded in [",'@risk,", ",'-P5,", ",''quoted,", ",'+P1,"] {
        assert!(text.contains(guarded), "{guarded} in\n{text}");
    }
    assert!(
        text.contains(",＝1+1,"),
        "a full-width ＝ is kept, never made ASCII:\n{text}"
    );
    let rows = company.imported();
    assert_eq!(
        rows[0][1], "'=HYPERLINK(\"http://x\",\"y\")",
        "as a spreadsheet reads it"
    );
    import(sandbox, &exported, &["--update"])
        .success()
        .stdout_has(&["0 updated"]);
    let (_, again) = export_to(sandbox, "guarded-again.csv");
    assert_eq!(again, text, "export → import → export is unchanged");
}

#[test]
fn a_control_character_in_a_cell_is_refused_and_never_reaches_the_terminal() {
    let sandbox = Sandbox::with_demo();
    let file = write_sheet(
        &sandbox,
        "escape.csv",
        sheet(&["E9,张三,\u{1b}]0;PWNED\u{7}\u{1b}[2J,Clerk,,,2024-01-02,active,,,,"]),
    );
    let outcome = import(&sandbox, &file, &[]);
    let everything = format!("{}{}", outcome.stdout, outcome.stderr);
    assert!(
        !everything.contains(['\u{1b}', '\u{7}']),
        "raw control characters written: {everything:?}"
    );
    outcome.stderr_has(&["Line 2, column 3", "\\u{1b}", "character 1"]);
}

// ---------------------------------------------------------------- limits

#[test]
fn a_value_longer_than_its_field_is_refused_with_the_limit() {
    let sandbox = Sandbox::with_demo();
    let huge = "E".repeat(5 * 1024 * 1024);
    let name = "名".repeat(101);
    let file = write_sheet(
        &sandbox,
        "huge.csv",
        sheet(&[
            format!("{huge},张三,销售部,Clerk,,,2024-01-02,active,,,,"),
            format!("E8,{name},销售部,Clerk,,,2024-01-02,active,,,,"),
        ]),
    );
    let found = problems(&import(&sandbox, &file, &[]), &file);
    assert_problem(
        &found,
        2,
        "emp_no",
        "at most 32 characters (this has 5242880)",
    );
    assert_problem(&found, 3, "name", "at most 100 characters (this has 101)");
}

#[test]
fn a_file_over_the_import_limit_is_refused_before_it_is_read() {
    let sandbox = Sandbox::with_demo();
    sandbox.write_config("config.toml", "import_limit_mb = 1\n");
    let rows: Vec<String> = (0..30_000)
        .map(|i| format!("F{i:05},张三,销售部,Clerk,,,2024-01-02,active,,,,"))
        .collect();
    let file = write_sheet(&sandbox, "big.csv", sheet(&rows));
    let before = std::fs::read(sandbox.db()).expect("the database");
    import(&sandbox, &file, &[])
        .code(2)
        .stderr_has(&["larger than 1 MB", "import_limit_mb"]);
    assert_eq!(std::fs::read(sandbox.db()).expect("the database"), before);
}

// ---------------------------------------------------------------- spreadsheets as they come

/// A workbook whose first sheet is `first` and second `second`, each a
/// header and rows of cells: text, a number, or a date (`D:2024-03-05`).
fn workbook(first: (&str, &[&[&str]]), second: (&str, &[&[&str]])) -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (name, rows) in [first, second] {
        let sheet = book.add_worksheet();
        sheet.set_name(name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                if let Some(day) = cell.strip_prefix("D:") {
                    let parts: Vec<u16> = day.split('-').map(|p| p.parse().unwrap()).collect();
                    let day =
                        ExcelDateTime::from_ymd(parts[0], parts[1] as u8, parts[2] as u8).unwrap();
                    sheet.write_datetime_with_format(r, c, &day, &date).unwrap();
                } else if let Ok(number) = cell.parse::<f64>() {
                    sheet.write_number(r, c, number).unwrap();
                } else if !cell.is_empty() {
                    sheet.write_string(r, c, *cell).unwrap();
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}

const BOOK_HEADER: &[&str] = &["工号", "姓名", "部门", "职位", "入职日期", "手机", "薪资"];

#[test]
fn a_workbook_imports_its_first_sheet_or_the_one_named_with_cell_types() {
    let company = Company::new();
    let sandbox = &company.sandbox;
    let bytes = workbook(
        (
            "员工",
            &[
                BOOK_HEADER,
                &[
                    "1001",
                    "王五",
                    "销售部",
                    "专员",
                    "D:2024-03-05",
                    "13812345678",
                    "12000.5",
                ],
            ],
        ),
        (
            "新人",
            &[
                BOOK_HEADER,
                &["1002", "赵六", "销售部", "专员", "D:2025-01-02", "", ""],
            ],
        ),
    );
    let file = write_sheet(sandbox, "staff.xlsx", &bytes);
    import(sandbox, &file, &[]).success();
    import(sandbox, &file, &["--sheet", "新人"]).success();
    let rows = company.imported();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(
        (
            rows[0][0].as_str(),
            rows[0][6].as_str(),
            rows[0][8].as_str(),
            rows[0][11].as_str()
        ),
        ("1001", "2024-03-05", "13812345678", "12000.50"),
        "numbers and dates from the cells' types"
    );
    assert_eq!(
        (rows[1][0].as_str(), rows[1][6].as_str()),
        ("1002", "2025-01-02")
    );
    import(sandbox, &file, &["--sheet", "离职"])
        .code(1)
        .stderr_has(&["no sheet “离职”", "员工, 新人"]);
}

#[test]
fn a_workbook_problem_names_the_row_as_the_spreadsheet_numbers_it() {
    let sandbox = Sandbox::with_demo();
    let bytes = workbook(
        (
            "Sheet1",
            &[
                &[],
                BOOK_HEADER,
                &["2001", "孙七", "销售部", "专员", "D:2024-03-05", "", ""],
                &[],
                &["2002", "周八", "销售部", "专员", "2024-13-01", "", ""],
            ],
        ),
        ("Sheet2", &[]),
    );
    let file = write_sheet(&sandbox, "rows.xlsx", &bytes);
    let found = problems(&import(&sandbox, &file, &[]), &file);
    assert_problem(&found, 5, "hire_date", "2024-13-01");
}

#[test]
fn excel_unicode_text_imports_and_a_sheet_of_a_csv_is_refused() {
    let company = Company::new();
    let sandbox = &company.sandbox;
    let text = "工号\t姓名\t部门\t职位\t入职日期\r\nU001\t钱九\t销售部\t专员\t2024-03-05\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let file = write_sheet(sandbox, "unicode.txt", &bytes);
    import(sandbox, &file, &[]).success();
    assert_eq!(company.imported()[0][0], "U001");
    let csv = write_sheet(sandbox, "plain.csv", CLEAN);
    import(sandbox, &csv, &["--sheet", "员工"])
        .code(1)
        .stderr_has(&["--sheet 员工 is for workbooks"]);
}

// ---------------------------------------------------------------- imports that say what they will do

#[test]
fn a_new_department_goes_under_the_company_and_a_dry_run_says_so() {
    let company = Company::new();
    let sandbox = &company.sandbox;
    let sheet = "emp_no,name,department,hire_date\nW001,仓管甲,物流部,2024-01-01\n";
    let file = write_sheet(sandbox, "logistics.csv", sheet);
    import(sandbox, &file, &["--create-departments", "--dry-run"])
        .success()
        .stdout_has(&["Department to be created: 星河零售 Xinghe Retail / 物流部"]);
    assert_eq!(
        sandbox.departments_json().len(),
        19,
        "a dry run writes nothing"
    );
    import(sandbox, &file, &["--create-departments"])
        .success()
        .stdout_has(&["Department created: 星河零售 Xinghe Retail / 物流部"]);
    let root = sandbox.department_id("星河零售 Xinghe Retail");
    let logistics = sandbox.department_id("星河零售 Xinghe Retail / 物流部");
    let parent = sandbox
        .departments_json()
        .into_iter()
        .find(|d| d["id"] == logistics)
        .map(|d| d["parent_id"].clone());
    assert_eq!(
        parent,
        Some(root.into()),
        "under the company, not a second top"
    );
}

#[test]
fn a_sheet_of_people_already_there_says_so_once_with_the_update_hint() {
    let company = Company::new();
    let sandbox = &company.sandbox;
    let (file, _) = export_to(sandbox, "again.csv");
    let outcome = import(sandbox, &file, &[]);
    let found = problems(&outcome, &file);
    assert_eq!(found.len(), 1, "one line, not one per row: {found:#?}");
    assert_problem(
        &found,
        2,
        "emp_no",
        "all 300 rows are people already in the database",
    );
    assert!(found[0].2.contains("--update"), "{found:?}");
}

#[test]
fn a_status_change_by_update_is_refused_as_an_event() {
    let company = Company::seeded();
    let sandbox = &company.sandbox;
    let departed = CLEAN_EXPORTED[0].replace(",active,", ",departed,");
    let file = write_sheet(sandbox, "leaver.csv", sheet(&[departed]));
    let found = problems(&import(sandbox, &file, &["--update"]), &file);
    assert_problem(&found, 2, "status", "from active to departed");
    assert_problem(&found, 2, "status", "lifecycle event");
    assert_eq!(
        company.imported(),
        rows(&CLEAN_EXPORTED),
        "nobody left by a correction"
    );
}
