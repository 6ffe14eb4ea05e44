//! The sheets of third-party account bindings: a provider's export of who
//! bound which account, the login log's last uses of accounts, and the
//! provider's file of employees' unbinding confirmations. Headers in
//! English or Chinese; what the values mean is decided on top of the rows.

use super::table::SheetColumn;

/// Declares a sheet's column enum and its [`SheetColumn`] impl from one
/// table of columns: variant, English header, Chinese header (escaped),
/// whether every sheet must have it.
macro_rules! sheet_columns {
    ($(#[$doc:meta])* $name:ident {
        $($variant:ident => $code:literal, $chinese:literal, $required:literal;)+
    }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {
            $($variant),+
        }

        impl SheetColumn for $name {
            fn all() -> &'static [$name] {
                &[$($name::$variant),+]
            }

            fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            fn chinese_header(self) -> &'static str {
                match self {
                    $($name::$variant => $chinese),+
                }
            }

            fn required(self) -> bool {
                match self {
                    $($name::$variant => $required),+
                }
            }
        }
    };
}

pub(super) use sheet_columns;

sheet_columns! {
    /// The columns of a provider's export of bindings: 工号, 平台, 外部账号,
    /// 绑定时间, 最近使用, 绑定方式, 手机. Only the account is required
    /// here: the employee is found by number or else by mobile phone, and
    /// the provider may be given on the command line (see
    /// `provider_exports`, which also reads the consoles' own headers).
    BindingsColumn {
        EmpNo => "emp_no", "\u{5de5}\u{53f7}", false;
        Provider => "provider", "\u{5e73}\u{53f0}", false;
        ExternalId => "external_id", "\u{5916}\u{90e8}\u{8d26}\u{53f7}", true;
        BoundAt => "bound_at", "\u{7ed1}\u{5b9a}\u{65f6}\u{95f4}", false;
        LastUsed => "last_used", "\u{6700}\u{8fd1}\u{4f7f}\u{7528}", false;
        Method => "method", "\u{7ed1}\u{5b9a}\u{65b9}\u{5f0f}", false;
        Phone => "phone", "\u{624b}\u{673a}", false;
    }
}

sheet_columns! {
    /// The columns of the login log's last uses: 平台, 外部账号, 使用时间.
    LoginsColumn {
        Provider => "provider", "\u{5e73}\u{53f0}", true;
        ExternalId => "external_id", "\u{5916}\u{90e8}\u{8d26}\u{53f7}", true;
        UsedAt => "used_at", "\u{4f7f}\u{7528}\u{65f6}\u{95f4}", true;
    }
}

sheet_columns! {
    /// The columns of a provider's confirmations: 确认码, 平台, 外部账号,
    /// 确认时间 (only the code required).
    ConfirmationsColumn {
        Code => "code", "\u{786e}\u{8ba4}\u{7801}", true;
        Provider => "provider", "\u{5e73}\u{53f0}", false;
        ExternalId => "external_id", "\u{5916}\u{90e8}\u{8d26}\u{53f7}", false;
        ConfirmedAt => "confirmed_at", "\u{786e}\u{8ba4}\u{65f6}\u{95f4}", false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::read_sheet;

    #[test]
    fn bindings_read_by_chinese_headers_in_any_order() {
        let text = "\u{FEFF}平台,工号,外部账号,最近使用\n微信,E０００１,o6_Wabc,2026/11/1 9:30\n\n";
        let rows = read_sheet::<BindingsColumn>(text.as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].get(BindingsColumn::EmpNo), Some("E0001"));
        assert_eq!(rows[0].get(BindingsColumn::Provider), Some("微信"));
        assert_eq!(rows[0].get(BindingsColumn::BoundAt), None);
        assert_eq!(
            rows[0].get(BindingsColumn::LastUsed),
            Some("2026/11/1 9:30")
        );
    }

    #[test]
    fn a_logins_sheet_needs_every_column_and_confirmations_only_the_code() {
        let err = read_sheet::<LoginsColumn>(b"provider,external_id\nwechat,x\n").unwrap_err();
        assert!(err.to_string().contains("used_at"), "{err}");
        let rows = read_sheet::<ConfirmationsColumn>("确认码\nab12cd34\n".as_bytes()).unwrap();
        assert_eq!(rows[0].get(ConfirmationsColumn::Code), Some("ab12cd34"));
    }
}
