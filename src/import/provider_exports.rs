//! Reading a bindings sheet, which is either the documented one (`emp_no,
//! provider, external_id, …`, read as every sheet is) or a provider admin
//! console's member export as it really looks: WeCom (企业微信: 姓名, 帐号,
//! 别名, 职务, 部门, 性别, 手机, 座机, 个人邮箱, 企业邮箱…), DingTalk (钉钉:
//! 员工UserID, 姓名, 工号, 手机号, 部门, 职位, 邮箱, 入职时间…) or Feishu
//! (飞书: 用户ID / User ID, 姓名, 工号, 手机号, 邮箱, 部门, 职务…), CSV or
//! workbook. An export's header may sit below a title or note line; its
//! account column has the console's name; the columns hrdesk has no use
//! for are left out. Either way the sheet must name the employee (工号, or
//! the mobile phone the staff record holds) and the provider (平台, or
//! `--provider`).

use super::bindings::BindingsColumn;
use super::records::non_blank;
use super::rows::{Cells, SheetRow, laid_out};
use super::table::{SheetColumn, header_key, header_slots};
use super::{ImportError, decode};

/// How many lines (titles, notes) an export may have above its header.
const TITLE_LINES: usize = 3;

/// The consoles' headers for the columns of a bindings sheet, beside each
/// column's own English and Chinese header.
const CONSOLE_HEADERS: [(&str, BindingsColumn); 10] = [
    ("账号", BindingsColumn::ExternalId), // data: words read from input
    ("帐号", BindingsColumn::ExternalId), // data: words read from input
    ("UserID", BindingsColumn::ExternalId),
    ("员工UserID", BindingsColumn::ExternalId), // data: words read from input
    ("成员UserID", BindingsColumn::ExternalId), // data: words read from input
    ("用户ID", BindingsColumn::ExternalId),     // data: words read from input
    ("员工工号", BindingsColumn::EmpNo),        // data: words read from input
    ("手机号", BindingsColumn::Phone),          // data: words read from input
    ("手机号码", BindingsColumn::Phone),        // data: words read from input
    ("mobile", BindingsColumn::Phone),
];

/// Reads a bindings sheet: the documented layout first; when its header
/// does not read, a console's export (header found within
/// [`TITLE_LINES`] lines of the top, console headers understood, other
/// columns left out); when neither reads, the documented layout's error.
/// `provider_given`: whether the command line names the provider.
pub fn read_bindings(
    bytes: &[u8],
    provider_given: bool,
) -> Result<Vec<SheetRow<BindingsColumn>>, ImportError> {
    let decoded = decode(bytes)?;
    let mut records = non_blank(&decoded.text);
    let (line, header) = records.next().ok_or(ImportError::Empty)??;
    let (line, slots, cells) = match header_slots::<BindingsColumn>(line, &header) {
        Ok(slots) => (line, slots, Cells::Named),
        Err(documented) => {
            let mut candidate = Some((line, header));
            let mut found = None;
            for _ in 0..=TITLE_LINES {
                let Some((line, header)) = candidate.take() else {
                    break;
                };
                if let Some(slots) = console_slots(line, &header)? {
                    found = Some((line, slots, Cells::Any));
                    break;
                }
                candidate = records.next().transpose()?;
            }
            found.ok_or(documented)?
        }
    };
    named_enough(line, &slots, provider_given)?;
    records
        .map(|record| {
            let (line, cells_of_row) = record?;
            laid_out(line, cells_of_row, &slots, cells)
        })
        .collect()
}

/// The column a console's header cell names among the consoles' own
/// headers.
fn console_column(text: &str) -> Option<BindingsColumn> {
    let key = header_key(text);
    CONSOLE_HEADERS
        .iter()
        .find(|(name, _)| header_key(name) == key)
        .map(|(_, column)| *column)
}

/// The columns of `header` read as a console's export: when its account
/// column has a console's name (a sheet that says `external_id` is the
/// documented one, whose unknown columns are mistakes to report). A column
/// named twice is refused.
fn console_slots(
    line: usize,
    header: &[String],
) -> Result<Option<Vec<Option<BindingsColumn>>>, ImportError> {
    let mut slots: Vec<Option<BindingsColumn>> = Vec::with_capacity(header.len());
    let mut console_account = false;
    for (index, text) in header.iter().enumerate() {
        let console = console_column(text);
        console_account |= console == Some(BindingsColumn::ExternalId);
        let column = console.or_else(|| BindingsColumn::from_header(text));
        if let Some(first) = column.and_then(|c| slots.iter().position(|s| *s == Some(c))) {
            return Err(ImportError::DuplicateColumn {
                line,
                column: index + 1,
                text: text.clone(),
                first: first + 1,
                existing: slots[first].map(SheetColumn::both).unwrap_or_default(),
            });
        }
        slots.push(column);
    }
    Ok(console_account.then_some(slots))
}

/// Refuses a header that names neither the employee (number or phone) nor,
/// when the command line does not, the provider.
fn named_enough(
    line: usize,
    slots: &[Option<BindingsColumn>],
    provider_given: bool,
) -> Result<(), ImportError> {
    let has = |column| slots.contains(&Some(column));
    let either = |a: BindingsColumn, b: &str| format!("{} / {b}", a.both());
    let mut columns = Vec::new();
    if !has(BindingsColumn::EmpNo) && !has(BindingsColumn::Phone) {
        columns.push(either(BindingsColumn::EmpNo, &BindingsColumn::Phone.both()));
    }
    if !has(BindingsColumn::Provider) && !provider_given {
        columns.push(either(BindingsColumn::Provider, "--provider"));
    }
    if columns.is_empty() {
        Ok(())
    } else {
        Err(ImportError::MissingColumns { line, columns })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(
        text: &str,
        provider_given: bool,
    ) -> Result<Vec<SheetRow<BindingsColumn>>, ImportError> {
        read_bindings(text.as_bytes(), provider_given)
    }

    #[test]
    fn the_documented_layout_reads_as_before() {
        let rows = read("emp_no,provider,external_id\nE1,wechat,o6_a\n", false).unwrap();
        assert_eq!(rows[0].get(BindingsColumn::EmpNo), Some("E1"));
        let err = read(
            "emp_no,provider,external_id,extra\nE1,wechat,o6_a,x\n",
            false,
        )
        .unwrap_err();
        assert!(
            matches!(err, ImportError::UnknownColumn { column: 4, .. }),
            "{err:?}"
        );
        let err = read("emp_no,provider,external_id\nE1,wechat,o6_a,x\n", false).unwrap_err();
        assert!(
            matches!(err, ImportError::RaggedRow { line: 2, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn a_wecom_export_below_its_title_reads_by_its_own_headers() {
        let text = "通讯录\n\n姓名,帐号,别名,职务,部门,性别,手机,座机,个人邮箱,企业邮箱,激活状态\n\
                    张伟,ZhangWei,,经理,销售部,男,+86 138 0013 8000,,,zw@example.com,已激活\n";
        let rows = read(text, true).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 4);
        assert_eq!(rows[0].get(BindingsColumn::ExternalId), Some("ZhangWei"));
        assert_eq!(
            rows[0].get(BindingsColumn::Phone),
            Some("+86 138 0013 8000")
        );
        assert_eq!(rows[0].get(BindingsColumn::EmpNo), None);
    }

    #[test]
    fn dingtalk_and_feishu_headers_read_and_a_row_may_be_short() {
        let ding = "说明：导出的成员信息\n员工UserID,姓名,工号,手机号,部门,入职时间\nding-1,李娜,E7,13900139000,研发部,2020-01-01\n";
        let rows = read(ding, true).unwrap();
        assert_eq!(rows[0].get(BindingsColumn::ExternalId), Some("ding-1"));
        assert_eq!(rows[0].get(BindingsColumn::EmpNo), Some("E7"));
        assert_eq!(
            rows[0].get(BindingsColumn::BoundAt),
            None,
            "入职时间 is no binding time"
        );
        let feishu = "姓名,User ID,手机号,平台\n王芳,fs-9,13700137000,飞书\n赵六,fs-10\n";
        let rows = read(feishu, false).unwrap();
        assert_eq!(rows[0].get(BindingsColumn::Provider), Some("飞书"));
        assert_eq!(rows[1].get(BindingsColumn::Phone), None);
    }

    #[test]
    fn an_export_must_name_the_employee_and_the_provider() {
        let err = read("姓名,账号,部门\n张伟,zw,销售部\n", false).unwrap_err();
        let ImportError::MissingColumns { line: 1, columns } = err else {
            panic!("{err:?}");
        };
        assert_eq!(
            columns,
            [
                "emp_no (工号) / phone (手机)",
                "provider (平台) / --provider"
            ]
        );
        let err = read("账号,手机,手机号\nzw,1,2\n", true).unwrap_err();
        assert!(
            matches!(
                err,
                ImportError::DuplicateColumn {
                    column: 3,
                    first: 2,
                    ..
                }
            ),
            "{err:?}"
        );
        let err = read("title\nnote\nmore\nstill\n账号,手机\n", true).unwrap_err();
        assert!(
            matches!(err, ImportError::UnknownColumn { line: 1, .. }),
            "{err:?}"
        );
    }
}
