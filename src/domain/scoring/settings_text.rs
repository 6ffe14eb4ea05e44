//! A cycle's list settings as one line of text each, the same way the
//! `export cycles` columns and the cycle form write them: weighted items as
//! `expertise:40;teamwork:30`, per-grade numbers as `S:90;A:80;B:70;C:60;D:0`,
//! rater groups as `self:0;manager:40;peer:30;subordinate:30`, the scale
//! as `1-5`. Reading them back says which part is wrong.

use std::fmt::Display;
use std::str::FromStr;

use super::RaterGroup;
use super::config::{CycleConfig, GroupWeights, WeightedItem};
use super::grade::{Distribution, Grade, PerGrade};
use crate::tr;

/// `code:weight` pairs joined by `;`.
pub fn items_text(items: &[WeightedItem]) -> String {
    items
        .iter()
        .map(|i| format!("{}:{}", i.code, i.weight))
        .collect::<Vec<_>>()
        .join(";")
}

/// The `key:value` parts of a line, trimmed, empty parts skipped.
fn parts(text: &str) -> Result<Vec<(&str, &str)>, String> {
    text.split([';', '；'])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            part.split_once([':', '：'])
                .map(|(key, value)| (key.trim(), value.trim()))
                .ok_or_else(|| tr!("scoring.text.pair", part = part))
        })
        .collect()
}

fn number<T: FromStr>(key: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| tr!("scoring.text.number", key = key, value = value))
}

/// Reads weighted items; an item already in `known` keeps its name, a new
/// one is named by its code.
pub fn parse_items(text: &str, known: &[WeightedItem]) -> Result<Vec<WeightedItem>, String> {
    parts(text)?
        .into_iter()
        .map(|(code, weight)| {
            let name = known
                .iter()
                .find(|k| k.code == code)
                .map_or_else(|| code.to_string(), |k| k.name.clone());
            Ok(WeightedItem {
                code: code.to_string(),
                name,
                weight: number(code, weight)?,
            })
        })
        .collect()
}

/// `S:…;A:…;B:…;C:…;D:…`.
pub fn per_grade_text<T: Display + Copy>(values: &PerGrade<T>) -> String {
    values
        .iter()
        .map(|(g, v)| format!("{g}:{v}"))
        .collect::<Vec<_>>()
        .join(";")
}

/// Reads one number for each of the five grades.
pub fn parse_per_grade<T: FromStr + Copy + Default>(text: &str) -> Result<PerGrade<T>, String> {
    let mut values = PerGrade([T::default(); 5]);
    let mut seen = [false; 5];
    for (key, value) in parts(text)? {
        let grade: Grade = key
            .parse()
            .map_err(|()| tr!("scoring.text.grade", key = key))?;
        values.set(grade, number(key, value)?);
        seen[grade.index()] = true;
    }
    match Grade::ALL.iter().find(|g| !seen[g.index()]) {
        Some(missing) => Err(tr!("scoring.text.missing", key = missing)),
        None => Ok(values),
    }
}

/// Reads a target distribution: `bell`, five shares best first
/// (`10/20/40/20/10`), or a share per grade (`S:10;A:20;…`). A curve of
/// another number of grades (`20/70/10`) is refused: the cycle's bands
/// grade S, A, B, C and D, and each needs its share.
pub fn parse_distribution(text: &str) -> Result<Distribution, String> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("bell") {
        return Ok(Distribution::BELL);
    }
    if !text.contains('/') {
        return parse_per_grade(text).map(|percent| Distribution { percent });
    }
    let shares: Vec<&str> = text.split('/').map(str::trim).collect();
    if shares.len() != Grade::ALL.len() {
        return Err(tr!(
            "scoring.text.shares",
            text = text,
            count = shares.len()
        ));
    }
    let mut percent = PerGrade::<u8>::default();
    for (grade, share) in Grade::ALL.into_iter().zip(shares) {
        percent.set(grade, number(grade.code(), share)?);
    }
    Ok(Distribution { percent })
}

/// `self:…;manager:…;peer:…;subordinate:…`.
pub fn groups_text(weights: &GroupWeights) -> String {
    RaterGroup::ALL
        .iter()
        .map(|g| format!("{}:{}", g.code(), weights.get(*g)))
        .collect::<Vec<_>>()
        .join(";")
}

/// Reads the four groups' weights (a group left out weighs 0).
pub fn parse_groups(text: &str) -> Result<GroupWeights, String> {
    let mut weights = GroupWeights([0; 4]);
    for (key, value) in parts(text)? {
        let group =
            RaterGroup::parse(key).ok_or_else(|| tr!("scoring.import.group", value = key))?;
        weights.0[group.index()] = number(key, value)?;
    }
    Ok(weights)
}

/// `1-5`.
pub fn parse_scale(text: &str) -> Result<(u8, u8), String> {
    let (low, high) = text
        .split_once(['-', '–', '~'])
        .ok_or_else(|| tr!("scoring.text.scale", value = text))?;
    Ok((number("scale", low.trim())?, number("scale", high.trim())?))
}

/// Every setting of a cycle as a code and its text, in the cycle form's
/// order (what the audit log compares).
pub fn settings_summary(config: &CycleConfig) -> Vec<(&'static str, String)> {
    let on_off = |on: bool| if on { "on" } else { "off" }.to_string();
    vec![
        ("results_weight", config.results_weight.to_string()),
        ("indicators", items_text(&config.indicators)),
        ("competencies", items_text(&config.competencies)),
        ("rater_groups", groups_text(&config.group_weights)),
        ("self_apart", on_off(config.self_apart)),
        ("scale", format!("{}-{}", config.scale.0, config.scale.1)),
        ("min_raters", config.min_raters.to_string()),
        ("bands", per_grade_text(&config.bands.floors)),
        ("distribution", per_grade_text(&config.distribution.percent)),
        ("precision", config.precision.decimals().to_string()),
        ("plan_threshold", config.plan_threshold.to_string()),
        ("plan_cycles", config.plan_cycles.to_string()),
        ("training_threshold", config.training_threshold.to_string()),
        ("normalise", on_off(config.normalise)),
        (
            "bonus_multipliers",
            per_grade_text(&config.bonus.multipliers),
        ),
        (
            "bonus_pool",
            config
                .bonus_pool
                .map_or_else(String::new, |fen| fen.to_string()),
        ),
    ]
}

/// The settings that differ between `before` and `after`, as
/// `(code=before, code=after)` texts joined by spaces.
pub fn settings_changes(before: &CycleConfig, after: &CycleConfig) -> (String, String) {
    let (mut old, mut new) = (Vec::new(), Vec::new());
    for ((code, was), (_, now)) in settings_summary(before)
        .into_iter()
        .zip(settings_summary(after))
    {
        if was != now {
            old.push(format!("{code}={was}"));
            new.push(format!("{code}={now}"));
        }
    }
    (old.join(" "), new.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scoring::CycleConfig;

    #[test]
    fn settings_read_back_what_they_write() {
        let config = CycleConfig::default();
        let items = parse_items(&items_text(&config.competencies), &config.competencies).unwrap();
        assert_eq!(items, config.competencies);
        let bands: PerGrade<f64> = parse_per_grade(&per_grade_text(&config.bands.floors)).unwrap();
        assert_eq!(bands, config.bands.floors);
        let shares: PerGrade<u8> =
            parse_per_grade(&per_grade_text(&config.distribution.percent)).unwrap();
        assert_eq!(shares, config.distribution.percent);
        assert_eq!(
            parse_groups(&groups_text(&config.group_weights)).unwrap(),
            config.group_weights
        );
        assert_eq!(parse_scale("1-5"), Ok((1, 5)));
        assert_eq!(parse_distribution(" Bell "), Ok(Distribution::BELL));
        assert_eq!(
            parse_distribution("10 / 20 / 40 / 20 / 10"),
            Ok(Distribution::BELL)
        );
        assert_eq!(
            parse_distribution("S:10;A:20;B:40;C:20;D:10"),
            Ok(Distribution::BELL)
        );
    }

    #[test]
    fn changed_settings_are_named_before_and_after() {
        let before = CycleConfig::default();
        let mut after = before.clone();
        after.normalise = true;
        after.plan_cycles = 3;
        assert_eq!(
            settings_changes(&before, &after),
            (
                "plan_cycles=2 normalise=off".to_string(),
                "plan_cycles=3 normalise=on".to_string()
            )
        );
        assert_eq!(
            settings_changes(&before, &before),
            (String::new(), String::new())
        );
    }

    #[test]
    fn a_curve_of_other_grades_than_the_cycles_is_refused() {
        let three = parse_distribution("20/70/10").unwrap_err();
        assert!(three.contains("3 shares"), "{three}");
        let bad = parse_distribution("10/20/forty/20/10").unwrap_err();
        assert!(bad.contains("forty"), "{bad}");
    }

    #[test]
    fn new_items_are_named_by_code_and_mistakes_are_named() {
        let items = parse_items(" goals : 80 ； quality：20 ", &[]).unwrap();
        assert_eq!(items[1], WeightedItem::new("quality", "quality", 20));
        assert!(
            parse_items("goals 80", &[])
                .unwrap_err()
                .contains("goals 80")
        );
        assert!(
            parse_items("goals:eighty", &[])
                .unwrap_err()
                .contains("eighty")
        );
        assert!(
            parse_per_grade::<u8>("S:10;A:20;B:40;C:30")
                .unwrap_err()
                .contains('D')
        );
        assert!(parse_per_grade::<u8>("X:10").unwrap_err().contains('X'));
        assert!(parse_groups("boss:40").is_err());
        assert!(parse_scale("5").is_err());
    }
}
