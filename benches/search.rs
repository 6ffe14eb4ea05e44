//! The search engine alone at the scale of the issue: one million staff
//! rows indexed as the Staff pane indexes them (number, name, department,
//! title, phone, e-mail; names from the demo's surnames and given names),
//! then a query typed a letter at a time, each keystroke searching what
//! the last one found, as the filter does. Prints each query's keystrokes
//! at p50 and p95 beside a plain scan of the same text (the floor).

use std::time::{Duration, Instant};

use hrdesk::app::list::FilteredList;
use hrdesk::panes::staff::FIELDS;
use hrdesk::search::Index;

const ROWS: usize = 1_000_000;

const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "曾", "单", "解", "尉迟", "万俟", "欧阳", "查",
];
const GIVEN: [&str; 12] = [
    "伟", "芳", "娜", "强", "建国", "晓东", "子涵", "浩然", "一鸣", "思远", "长江", "秀英",
];
const DEPARTMENTS: [&str; 8] = [
    "财务部",
    "销售部",
    "门店01 上海南京西路",
    "华东大区",
    "人力资源部",
    "IT Support",
    "门店运营部",
    "总经办",
];
const TITLES: [&str; 6] = ["店员", "工程师", "分析师", "专员", "主管", "经理"];

fn company() -> FilteredList<usize> {
    let mut index = Index::new(FIELDS);
    for i in 0..ROWS {
        let name = format!("{}{}", SURNAMES[i % 12], GIVEN[(i / 12 * 7) % 12]);
        let number = format!("E{i:07}");
        let phone = format!("138{:08}", (i * 7919) % 100_000_000);
        let email = format!("e{i:07}@xinghe.example");
        index.push([
            number.as_str(),
            &name,
            DEPARTMENTS[i % 8],
            TITLES[i % 6],
            &phone,
            &email,
        ]);
    }
    let mut list = FilteredList::of_kinds(FIELDS);
    list.set_keyed_items((0..ROWS).collect(), index, 20);
    list
}

fn percentile(times: &mut [Duration], p: f64) -> Duration {
    times.sort();
    times[((times.len() - 1) as f64 * p) as usize]
}

fn main() {
    let start = Instant::now();
    let mut list = company();
    println!("index of {ROWS} rows built in {:?}", start.elapsed());
    for typed in [
        "zhangwei",
        "zw",
        "E0001234",
        "1380",
        "xinghe",
        "财务部",
        "ycg",
        "qzx",
    ] {
        let mut times = Vec::new();
        for _ in 0..5 {
            list.edit_query(|q| q.clear(), 20);
            for c in typed.chars() {
                let at = Instant::now();
                list.edit_query(|q| q.insert(c), 20);
                times.push(at.elapsed());
            }
        }
        let found = list.visible_len();
        let p50 = percentile(&mut times, 0.5);
        let p95 = percentile(&mut times, 0.95);
        println!("{typed:>10}: {found:>8} found, keystroke p50 {p50:?}, p95 {p95:?}");
    }
}
