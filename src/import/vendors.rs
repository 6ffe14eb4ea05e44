//! The sheet of a selection project's vendors, as HR collects them in a
//! spreadsheet: one vendor a row, with what it offers and what it costs.
//! Headers in English or Chinese; what the values mean is decided on top
//! of the rows.

use super::bindings::sheet_columns;
use super::table::SheetColumn;

sheet_columns! {
    /// The columns of a vendors sheet: 名称, 部署方式, 行业, 行业年限,
    /// 行业客户数, 年发版次数, 响应小时, 现场培训, 模块, 集成, 承诺功能,
    /// 计价方式, 单价, 实施费, 年培训费, 年维护费, 年涨价率 (only the name,
    /// the pricing and the price required).
    VendorsColumn {
        Name => "name", "\u{540d}\u{79f0}", true;
        Deployments => "deployments", "\u{90e8}\u{7f72}\u{65b9}\u{5f0f}", false;
        Industry => "industry", "\u{884c}\u{4e1a}", false;
        IndustryYears => "industry_years", "\u{884c}\u{4e1a}\u{5e74}\u{9650}", false;
        ReferenceClients => "reference_clients", "\u{884c}\u{4e1a}\u{5ba2}\u{6237}\u{6570}", false;
        ReleasesPerYear => "releases_per_year", "\u{5e74}\u{53d1}\u{7248}\u{6b21}\u{6570}", false;
        SupportHours => "support_hours", "\u{54cd}\u{5e94}\u{5c0f}\u{65f6}", false;
        OnsiteTraining => "onsite_training", "\u{73b0}\u{573a}\u{57f9}\u{8bad}", false;
        Modules => "modules", "\u{6a21}\u{5757}", false;
        Integrations => "integrations", "\u{96c6}\u{6210}", false;
        Offers => "offers", "\u{627f}\u{8bfa}\u{529f}\u{80fd}", false;
        Pricing => "pricing", "\u{8ba1}\u{4ef7}\u{65b9}\u{5f0f}", true;
        Price => "price", "\u{5355}\u{4ef7}", true;
        Implementation => "implementation", "\u{5b9e}\u{65bd}\u{8d39}", false;
        TrainingPerYear => "training_per_year", "\u{5e74}\u{57f9}\u{8bad}\u{8d39}", false;
        MaintenancePerYear => "maintenance_per_year", "\u{5e74}\u{7ef4}\u{62a4}\u{8d39}", false;
        EscalationPct => "escalation_pct", "\u{5e74}\u{6da8}\u{4ef7}\u{7387}", false;
    }
}

impl VendorsColumn {
    /// The column whose English header is `code` (a rule's field name).
    pub fn from_code(code: &str) -> Option<VendorsColumn> {
        Self::all().iter().copied().find(|c| c.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::read_sheet;

    #[test]
    fn vendors_read_by_chinese_headers() {
        let text = "名称,计价方式,单价,模块\n云才,按人头,180,core_hr;payroll\n";
        let rows = read_sheet::<VendorsColumn>(text.as_bytes()).unwrap();
        assert_eq!(rows[0].get(VendorsColumn::Name), Some("云才"));
        assert_eq!(rows[0].get(VendorsColumn::Pricing), Some("按人头"));
        assert_eq!(rows[0].get(VendorsColumn::Modules), Some("core_hr;payroll"));
        assert_eq!(
            VendorsColumn::from_code("price"),
            Some(VendorsColumn::Price)
        );
    }
}
