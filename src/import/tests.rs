//! Decoding and reading staff sheets as Excel in China writes them.

use proptest::prelude::*;

use super::*;
use crate::i18n::{Lang, set_lang};

/// `text` as GB18030 bytes (GBK for the characters GBK has).
fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable, "{text}");
    bytes.into_owned()
}

fn with_bom(text: &str) -> Vec<u8> {
    [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()
}

fn read(text: &str) -> Result<Sheet, ImportError> {
    read_staff(text.as_bytes())
}

fn sheet(text: &str) -> Sheet {
    read(text).unwrap_or_else(|e| panic!("{e:?}"))
}

// ---------------------------------------------------------------- decode

/// The English headers of the staff columns, as an unknown header lists them.
const KNOWN: &str = "emp_no, name, department, title, grade, manager_emp_no, hire_date, status, phone, email, national_id, salary";

#[test]
fn utf8_with_and_without_bom() {
    let plain = decode("工号,姓名\n".as_bytes()).expect("utf-8");
    assert_eq!(plain.text, "工号,姓名\n");
    assert_eq!(plain.encoding, SourceEncoding::Utf8);
    let bom = decode(&with_bom("工号,姓名\n")).expect("bom");
    assert_eq!(bom.text, "工号,姓名\n");
    assert_eq!(bom.encoding, SourceEncoding::Utf8Bom);
    assert_eq!(
        decode(b"emp_no").map(|d| d.encoding),
        Ok(SourceEncoding::Utf8)
    );
    let names = [
        SourceEncoding::Utf8,
        SourceEncoding::Utf8Bom,
        SourceEncoding::Gb18030,
    ]
    .map(|e| e.to_string());
    assert_eq!(names, ["UTF-8", "UTF-8 BOM", "GB18030"]);
}

#[test]
fn gbk_bytes_are_read_as_gb18030() {
    // 工号 in GBK, written out by hand.
    let decoded = decode(&[0xB9, 0xA4, 0xBA, 0xC5, b',', b'x']).expect("gbk");
    assert_eq!(decoded.text, "工号,x");
    assert_eq!(decoded.encoding, SourceEncoding::Gb18030);
    // Four-byte GB18030 sequences (characters outside GBK) are read too.
    let rare = "𠀀欧阳娜娜,€";
    assert_eq!(decode(&gbk(rare)).map(|d| d.text), Ok(rare.to_string()));
}

#[test]
fn undecodable_bytes_are_refused_at_their_offset() {
    // 工号 then a lone lead byte followed by a byte no GB18030 sequence allows.
    let bytes = [0xB9, 0xA4, 0xBA, 0xC5, b',', 0x81, 0x20, b'a'];
    assert_eq!(decode(&bytes), Err(ImportError::Undecodable { offset: 5 }));
    assert_eq!(
        decode(&[0xFF, b'a']),
        Err(ImportError::Undecodable { offset: 0 })
    );
    // After a UTF-8 BOM the file must be UTF-8; the offset counts the BOM.
    let mut bom = with_bom("ab");
    bom.push(0xB9);
    assert_eq!(decode(&bom), Err(ImportError::Undecodable { offset: 5 }));
    assert_eq!(
        decode(b"a,b\n\0"),
        Err(ImportError::Undecodable { offset: 4 })
    );
}

#[test]
fn empty_files_and_damaged_workbooks_are_refused_and_utf16_is_read() {
    assert_eq!(decode(b""), Err(ImportError::Empty));
    assert_eq!(decode(b"\xEF\xBB\xBF"), Err(ImportError::Empty));
    for damaged in [
        &b"PK\x03\x04\x14\0\x06\0"[..],
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0",
    ] {
        assert!(
            matches!(decode(damaged), Err(ImportError::UnreadableWorkbook(_))),
            "{:?}",
            decode(damaged)
        );
    }
    let utf16 = decode(b"\xFF\xFEe\0m\0").expect("UTF-16 LE");
    assert_eq!(
        (utf16.text.as_str(), utf16.encoding),
        ("em", SourceEncoding::Utf16)
    );
    let big_endian = decode(b"\xFE\xFF\0e\0m").expect("UTF-16 BE");
    assert_eq!(big_endian.text, "em");
    set_lang(Lang::En);
    let blank = read_staff(b" \r\n , ,\n").expect_err("no header");
    assert_eq!(
        blank.to_string(),
        "The file is empty: expected a header line such as \
         emp_no,name,department,hire_date or 工号,姓名,部门,入职日期"
    );
    // Each kind of sheet names its own header, empty or blank.
    for bytes in [b"".as_slice(), b"\n\n"] {
        let logins = read_sheet::<LoginsColumn>(bytes).expect_err("empty");
        assert!(
            logins
                .to_string()
                .ends_with("such as provider,external_id,used_at or 平台,外部账号,使用时间"),
            "{logins}"
        );
    }
}

// ---------------------------------------------------------------- columns

#[test]
fn column_names_and_order() {
    let headers: Vec<_> = Column::ALL.iter().map(|c| c.code()).collect();
    assert_eq!(
        headers.join(","),
        "emp_no,name,department,title,grade,manager_emp_no,hire_date,status,phone,email,national_id,salary"
    );
    let chinese: Vec<_> = Column::ALL.iter().map(|c| c.chinese_header()).collect();
    assert_eq!(
        chinese.join(","),
        "工号,姓名,部门,职位,职级,上级工号,入职日期,状态,手机,邮箱,身份证号,薪资"
    );
    for (i, column) in Column::ALL.into_iter().enumerate() {
        assert_eq!(column as usize, i);
    }
    let required: Vec<_> = Column::ALL.into_iter().filter(|c| c.required()).collect();
    assert_eq!(
        required,
        [
            Column::EmpNo,
            Column::Name,
            Column::Department,
            Column::HireDate
        ]
    );
    assert_eq!(Column::HireDate.to_string(), "hire_date (入职日期)");
}

#[test]
fn headers_match_loosely() {
    for (text, column) in [
        ("emp_no", Column::EmpNo),
        (" EMP_NO ", Column::EmpNo),
        ("Emp No", Column::EmpNo),
        ("ｅｍｐ＿ｎｏ", Column::EmpNo),
        ("*工号", Column::EmpNo),
        ("工号*", Column::EmpNo),
        ("\u{3000}姓名\u{3000}", Column::Name),
        ("Hire-Date", Column::HireDate),
        ("上级工号", Column::Manager),
        ("NationalID", Column::NationalId),
    ] {
        assert_eq!(Column::from_header(text), Some(column), "{text}");
    }
    assert_eq!(Column::from_header("备注"), None);
    assert_eq!(Column::from_header(""), None);
}

// ---------------------------------------------------------------- sheets

#[test]
fn english_sheet_is_read_with_cleaned_cells() {
    let s = sheet(
        "emp_no,name,department,hire_date,phone\r\n\
         E001, 张伟 ,销售部,２０２４/3/5,138 1234 5678\r\n\
         E002,Li  Na,HR,2023-01-09,\r\n",
    );
    assert_eq!(s.encoding, SourceEncoding::Utf8);
    assert_eq!(
        s.columns,
        [
            Column::EmpNo,
            Column::Name,
            Column::Department,
            Column::HireDate,
            Column::Phone
        ]
    );
    assert_eq!(s.rows.len(), 2);
    let first = &s.rows[0];
    assert_eq!(first.line, 2);
    assert_eq!(first.get(Column::Name), Some("张伟"));
    assert_eq!(first.get(Column::HireDate), Some("2024/3/5"));
    assert_eq!(first.get(Column::Phone), Some("138 1234 5678"));
    assert_eq!(first.get(Column::Email), None);
    assert_eq!(s.rows[1].get(Column::Name), Some("Li Na"));
    assert_eq!(
        s.rows[1].get(Column::Phone),
        None,
        "an empty cell is absent"
    );
}

#[test]
fn chinese_headers_in_any_order_and_mixed_with_english() {
    let s =
        sheet("入职日期,姓名,department,工号,Salary\n2024年3月5日,张伟,销售部,E001,\"12,000\"\n");
    assert_eq!(
        s.columns,
        [
            Column::HireDate,
            Column::Name,
            Column::Department,
            Column::EmpNo,
            Column::Salary
        ]
    );
    let row = &s.rows[0];
    assert_eq!(row.get(Column::EmpNo), Some("E001"));
    assert_eq!(row.get(Column::HireDate), Some("2024年3月5日"));
    assert_eq!(row.get(Column::Salary), Some("12,000"));
}

#[test]
fn gbk_file_with_chinese_headers() {
    let s = read_staff(&gbk(
        "工号,姓名,部门,入职日期\nE001,欧阳娜娜,人力资源部,2024-03-05\n",
    ))
    .expect("gbk sheet");
    assert_eq!(s.encoding, SourceEncoding::Gb18030);
    assert_eq!(s.rows[0].get(Column::Name), Some("欧阳娜娜"));
    assert_eq!(s.rows[0].get(Column::Department), Some("人力资源部"));
}

#[test]
fn bom_file_reads_its_first_header() {
    let s = read_staff(&with_bom(
        "emp_no,name,department,hire_date\nE1,A,B,2024-1-1\n",
    ))
    .expect("bom sheet");
    assert_eq!(s.encoding, SourceEncoding::Utf8Bom);
    assert_eq!(s.columns[0], Column::EmpNo);
}

#[test]
fn tab_separated_files_are_read() {
    let s = sheet("工号\t姓名\t部门\t入职日期\nE001\t张伟\t销售部, 华东\t2024-03-05\n");
    assert_eq!(s.rows[0].get(Column::Department), Some("销售部, 华东"));
    assert_eq!(s.rows[0].get(Column::HireDate), Some("2024-03-05"));
}

#[test]
fn quoted_cells_keep_commas_and_rows_keep_their_starting_line() {
    let s = sheet(
        "emp_no,name,department,hire_date,title\n\
         E001,张伟,\"销售部, 华东\",2024-03-05,\"销售\n经理\"\n\
         E002,\"Li \"\"Lily\"\" Na\",HR,2023-01-09,\n",
    );
    assert_eq!(s.rows[0].line, 2);
    assert_eq!(s.rows[0].get(Column::Department), Some("销售部, 华东"));
    assert_eq!(s.rows[0].get(Column::Title), Some("销售 经理"));
    assert_eq!(
        s.rows[1].line, 4,
        "the quoted newline makes row 2 two lines long"
    );
    assert_eq!(s.rows[1].get(Column::Name), Some("Li \"Lily\" Na"));
}

#[test]
fn blank_rows_are_skipped_and_lines_still_counted() {
    let s = sheet(
        "\n,,,\nemp_no,name,department,hire_date\n\nE1,A,B,2024-1-1\n , ,\u{3000},\n,,\nE2,C,D,2024-1-2",
    );
    assert_eq!(s.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [5, 8]);
}

#[test]
fn a_header_with_no_rows_is_an_empty_sheet() {
    let s = sheet("emp_no,name,department,hire_date\n");
    assert!(s.rows.is_empty());
}

#[test]
fn unknown_headers_suggest_the_closest() {
    let cases = [
        (
            "emp_no,name,department,hire_date,phone_no",
            5,
            "phone_no",
            Some("phone"),
        ),
        (
            "emp_no,name,department,hire_date,手机号",
            5,
            "手机号",
            Some("手机"),
        ),
        (
            "员工编号,name,department,hire_date",
            1,
            "员工编号",
            Some("工号"),
        ),
        ("emp_no,name,dept,hire_date", 3, "dept", Some("department")),
        ("emp_no,name,department,hire_date,备注", 5, "备注", None),
    ];
    for (header, column, text, suggestion) in cases {
        assert_eq!(
            read(header),
            Err(ImportError::UnknownColumn {
                line: 1,
                column,
                text: text.into(),
                suggestion,
                known: KNOWN.into(),
            }),
            "{header}"
        );
    }
}

#[test]
fn a_column_given_twice_names_both_places() {
    assert_eq!(
        read("emp_no,name,department,姓名,hire_date"),
        Err(ImportError::DuplicateColumn {
            line: 1,
            column: 4,
            text: "姓名".into(),
            first: 2,
            existing: Column::Name.both(),
        })
    );
}

#[test]
fn missing_required_columns_are_all_listed() {
    assert_eq!(
        read("\n工号,姓名,phone\n"),
        Err(ImportError::MissingColumns {
            line: 2,
            columns: vec![Column::Department.both(), Column::HireDate.both()],
        })
    );
}

#[test]
fn ragged_rows_name_their_line() {
    let header = "emp_no,name,department,hire_date\n";
    assert_eq!(
        read(&format!("{header}E1,A,B,2024-1-1\nE2,A,B\n")),
        Err(ImportError::RaggedRow {
            line: 3,
            expected: 4,
            found: 3
        })
    );
    assert_eq!(
        read(&format!("{header}E1,A,B,2024-1-1,extra\n")),
        Err(ImportError::RaggedRow {
            line: 2,
            expected: 4,
            found: 5
        })
    );
}

#[test]
fn columns_without_a_header_must_stay_empty() {
    let s = sheet("emp_no,name,department,hire_date,,\nE1,A,B,2024-1-1,,\n");
    assert_eq!(s.columns.len(), 4);
    assert_eq!(s.rows.len(), 1);
    assert_eq!(
        read("emp_no,name,,department,hire_date\nE1,A,x,B,2024-1-1\n"),
        Err(ImportError::UnnamedValue { line: 2, column: 3 })
    );
}

#[test]
fn errors_know_their_line_and_column() {
    let unknown = ImportError::UnknownColumn {
        line: 1,
        column: 3,
        text: "x".into(),
        suggestion: None,
        known: KNOWN.into(),
    };
    assert_eq!((unknown.line(), unknown.column()), (Some(1), Some(3)));
    let ragged = ImportError::RaggedRow {
        line: 7,
        expected: 4,
        found: 3,
    };
    assert_eq!((ragged.line(), ragged.column()), (Some(7), None));
    assert_eq!(
        (ImportError::Empty.line(), ImportError::Empty.column()),
        (None, None)
    );
}

#[test]
fn errors_read_well_in_both_languages() {
    let duplicate = ImportError::DuplicateColumn {
        line: 1,
        column: 4,
        text: "姓名".into(),
        first: 2,
        existing: Column::Name.both(),
    };
    let unknown = ImportError::UnknownColumn {
        line: 1,
        column: 5,
        text: "手机号".into(),
        suggestion: Some("手机"),
        known: KNOWN.into(),
    };
    let no_match = ImportError::UnknownColumn {
        line: 1,
        column: 5,
        text: "备注".into(),
        suggestion: None,
        known: KNOWN.into(),
    };
    let missing = ImportError::MissingColumns {
        line: 1,
        columns: vec![Column::Department.both(), Column::HireDate.both()],
    };
    set_lang(Lang::En);
    assert_eq!(
        duplicate.to_string(),
        "Line 1, column 4: “姓名” is column 2 (name (姓名)) again"
    );
    assert!(unknown.to_string().contains("did you mean “手机”"));
    assert!(no_match.to_string().contains("emp_no, name, department"));
    assert!(
        missing
            .to_string()
            .ends_with("department (部门), hire_date (入职日期)")
    );
    assert!(
        ImportError::Undecodable { offset: 5 }
            .to_string()
            .contains("offset 5")
    );
    set_lang(Lang::Zh);
    assert_eq!(
        unknown.to_string(),
        "第 1 行第 5 列：无法识别的列名“手机号”，是否应为“手机”？"
    );
    assert!(
        ImportError::RaggedRow {
            line: 3,
            expected: 4,
            found: 3
        }
        .to_string()
        .starts_with("第 3 行")
    );
    set_lang(Lang::En);
}

// ---------------------------------------------------------------- properties

/// Text made of the pieces a staff sheet has: headers, separators, quotes,
/// line ends, Chinese and full-width characters.
fn sheet_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("emp_no"),
        Just("姓名"),
        Just("部门"),
        Just("hire_date"),
        Just("name"),
        Just(","),
        Just("\t"),
        Just("\""),
        Just("\n"),
        Just("\r\n"),
        Just(" "),
        Just("张伟"),
        Just("２０２４"),
        Just("\u{3000}"),
        Just(""),
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

proptest! {
    /// At least eight characters, so that the bytes are not also valid UTF-8
    /// by chance (a single GBK character can be: C4 A1 is also "ġ").
    #[test]
    fn gb18030_text_decodes_to_itself(text in "[\u{4e00}-\u{9fa5}，。、0-9a-z]{8,40}") {
        let bytes = gbk(&text);
        prop_assume!(std::str::from_utf8(&bytes).is_err());
        prop_assert_eq!(decode(&bytes), Ok(Decoded { text, encoding: SourceEncoding::Gb18030 }));
    }

    #[test]
    fn read_staff_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = read_staff(&bytes);
    }

    #[test]
    fn read_staff_never_panics_on_sheet_like_text(text in sheet_like()) {
        let _ = read_staff(text.as_bytes());
        let _ = read_staff(&gbk(&text));
    }

    /// Whatever reads: every row has a line after the header's and no empty value.
    #[test]
    fn rows_read_are_clean(body in sheet_like()) {
        let text = format!("emp_no,name,department,hire_date\n{body}");
        if let Ok(sheet) = read_staff(text.as_bytes()) {
            for row in &sheet.rows {
                prop_assert!(row.line >= 2);
                for value in row.values.iter().flatten() {
                    prop_assert!(!value.is_empty());
                    prop_assert_eq!(crate::domain::cleanup::clean_text(value), value.clone());
                }
            }
        }
    }
}

#[test]
fn line_numbers_follow_every_kind_of_line_end() {
    let header = "emp_no,name,department,hire_date";
    for end in ["\n", "\r\n", "\r"] {
        let text = [
            header,
            "",
            "E1,A,B,2024-1-1",
            "E2,\"C",
            "D\",B,2024-1-2",
            "E3,A,B,2024-1-3",
        ]
        .join(end);
        let lines: Vec<_> = sheet(&text).rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [3, 4, 6], "{end:?}");
    }
}

/// Any kind of sheet read from its file as its rows are asked for is the
/// sheet read from its bytes whole: UTF-8 with or without its mark, GBK,
/// blank lines, a row that cannot be read (the same error, at its line).
#[test]
fn a_sheet_read_from_its_file_row_by_row_is_the_sheet_read_whole() {
    use std::io::Write;
    let utf8 = "平台,外部账号,使用时间\n微信,o-1,2026-12-01\n\n wecom ,o-2,2026-12-02 09:00\n";
    let ragged = "provider,external_id,used_at\nwechat,o-1,2026-12-01\nwechat,o-2,2026-12-02,x\n";
    let (gbk, _, _) = encoding_rs::GB18030.encode(utf8);
    let with_mark = [b"\xEF\xBB\xBF".as_slice(), utf8.as_bytes()].concat();
    for bytes in [utf8.as_bytes(), &gbk, &with_mark, ragged.as_bytes()] {
        let whole = read_sheet::<LoginsColumn>(bytes);
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(bytes).unwrap();
        let opened = std::fs::File::open(file.path()).unwrap();
        let text = SheetText::<LoginsColumn>::open(opened, None)
            .unwrap()
            .expect("a text file is read as it goes");
        let rows: Result<Vec<_>, _> = text.sheet_rows().collect();
        assert_eq!(rows, whole, "{}", String::from_utf8_lossy(bytes));
        assert_eq!(
            text.sheet_rows().count(),
            whole.as_ref().map_or(2, Vec::len),
            "read again"
        );
    }
}
