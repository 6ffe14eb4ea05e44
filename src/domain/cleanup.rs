//! Normalising the values HR spreadsheets hold: full-width digits and stray
//! spaces, dates in the forms Excel users type, mobile and landline numbers,
//! e-mail addresses, resident ID numbers and amounts of money. Pure functions:
//! each takes the cell text and returns the canonical value or a
//! [`ValueError`] naming the text and the form expected.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};

use crate::tr;
use crate::zone::Zone;

/// Earliest year a date may have.
pub const MIN_YEAR: i32 = 1900;
/// Latest year a date may have.
pub const MAX_YEAR: i32 = 2100;

/// Why a cell's text is not a valid value. Each variant carries the cleaned
/// text, so a message can show what the spreadsheet held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueError {
    /// Nothing left after cleaning.
    Empty,
    /// Not in any of the date forms.
    Date(String),
    /// A date form, but no such day (2024-02-30).
    NoSuchDate(String),
    /// Neither a date nor a date and time of day in any form read.
    DateTime(String),
    /// A time of day the zone's clocks skip (the hour a clock goes forward).
    SkippedTime(String),
    /// A date form with a month that is not 1–12 (2024-13-01).
    NoSuchMonth(String),
    /// A real date outside `MIN_YEAR..=MAX_YEAR`.
    YearOutOfRange(String),
    /// Neither a mainland mobile nor a landline with area code.
    Phone(String),
    /// Not a plausible e-mail address.
    Email(String),
    /// Not 18 characters of 17 digits and a digit or X.
    NationalIdFormat(String),
    /// The birth date inside the ID (characters 7–14) is not a real date.
    NationalIdBirthDate(String),
    /// The last character does not match the ISO 7064 MOD 11-2 check.
    NationalIdChecksum(String),
    /// Not an amount of money.
    Money(String),
    /// A negative amount.
    NegativeMoney(String),
    /// More decimals than whole fen allow.
    MoneyDecimals(String),
    /// Not a number (a KPI value, a weight).
    Number(String),
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            ValueError::Empty => tr!("cleanup.empty"),
            ValueError::Date(value) => tr!("cleanup.date", value = value),
            ValueError::DateTime(value) => tr!("cleanup.date_time", value = value),
            ValueError::SkippedTime(value) => tr!("cleanup.skipped_time", value = value),
            ValueError::NoSuchDate(value) => tr!("cleanup.no_such_date", value = value),
            ValueError::NoSuchMonth(value) => tr!("cleanup.no_such_month", value = value),
            ValueError::YearOutOfRange(value) => tr!(
                "cleanup.year_out_of_range",
                value = value,
                min = MIN_YEAR,
                max = MAX_YEAR
            ),
            ValueError::Phone(value) => tr!("cleanup.phone", value = value),
            ValueError::Email(value) => tr!("cleanup.email", value = value),
            ValueError::NationalIdFormat(value) => tr!("cleanup.national_id_format", value = value),
            ValueError::NationalIdBirthDate(value) => {
                tr!("cleanup.national_id_birth_date", value = value)
            }
            ValueError::NationalIdChecksum(value) => {
                tr!("cleanup.national_id_checksum", value = value)
            }
            ValueError::Money(value) => tr!("cleanup.money", value = value),
            ValueError::NegativeMoney(value) => tr!("cleanup.money_negative", value = value),
            ValueError::MoneyDecimals(value) => tr!("cleanup.money_decimals", value = value),
            ValueError::Number(value) => tr!("cleanup.number", value = value),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for ValueError {}

// ---------------------------------------------------------------- text

/// Full-width ASCII (０-９, Ａ-Ｚ, ａ-ｚ, full-width punctuation such as
/// －／．＠（）) and the ideographic space U+3000 turned half-width;
/// non-breaking and other Unicode spaces to spaces; zero-width characters
/// (U+200B–U+200D, U+2060, a stray BOM U+FEFF) removed; leading/trailing
/// whitespace trimmed; runs of inner whitespace (newlines included) collapsed
/// to one space. A full-width ＝＋－＠ that begins the text stays as it is:
/// made ASCII it would start a spreadsheet formula.
pub fn clean_text(raw: &str) -> String {
    // Most cells are plain ASCII already in shape: copy them as they are.
    let tidy = raw.is_ascii()
        && !raw.starts_with(' ')
        && !raw.ends_with(' ')
        && !raw.contains("  ")
        && raw.bytes().all(|b| b == b' ' || !b.is_ascii_whitespace());
    if tidy {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut gap = false;
    let kept = |c: char| {
        if FULL_WIDTH_FORMULA_STARTS.contains(&c) {
            Some(c)
        } else {
            half_width(c)
        }
    };
    let mut chars = raw.chars();
    let first = chars
        .by_ref()
        .find(|&c| half_width(c).is_some_and(|h| !h.is_whitespace()));
    for c in first
        .and_then(kept)
        .into_iter()
        .chain(chars.filter_map(half_width))
    {
        if c.is_whitespace() {
            gap = !out.is_empty();
        } else {
            if gap {
                out.push(' ');
                gap = false;
            }
            out.push(c);
        }
    }
    out
}

/// Full-width characters that, made ASCII at the start of a cell, would
/// start a spreadsheet formula.
const FULL_WIDTH_FORMULA_STARTS: [char; 4] = ['\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}'];

/// Characters that make a spreadsheet read a text cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell as an export writes it, so that a spreadsheet shows it
/// instead of running it (OWASP's guard): a text beginning with `=`, `+`,
/// `-`, `@`, a tab or a carriage return gets a leading `'`, and so does a
/// text that already begins with one (so that [`unguard`] gives back
/// exactly what was there); a number (`-12.5`) stays a number.
pub fn formula_guard(text: &str) -> std::borrow::Cow<'_, str> {
    let number = {
        let digits = text.trim_start_matches(['+', '-']);
        !digits.is_empty()
            && digits
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    };
    let risky = text.starts_with(FORMULA_STARTS) && !number;
    if risky || text.starts_with('\'') {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// A cell as read from a sheet: the one leading `'` an export's
/// [`formula_guard`] (or a spreadsheet user) put there removed.
pub fn unguard(cell: String) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) => rest.to_string(),
        None => cell,
    }
}

/// The first control character of `raw` (other than the tab and line ends
/// a cell may hold as spacing), and its 1-based column, if it has one.
pub fn control_character(raw: &str) -> Option<(usize, char)> {
    raw.chars()
        .enumerate()
        .find(|&(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        .map(|(i, c)| (i + 1, c))
}

/// One character made half-width; `None` for a zero-width character.
fn half_width(c: char) -> Option<char> {
    match c {
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => None,
        '\u{3000}' => Some(' '),
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0),
        _ => Some(c),
    }
}

/// The cleaned text, or `Empty` when nothing is left.
fn cleaned(raw: &str) -> Result<String, ValueError> {
    let text = clean_text(raw);
    if text.is_empty() {
        Err(ValueError::Empty)
    } else {
        Ok(text)
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// True when `s` is exactly the one character `c`.
fn is_char(s: &str, c: char) -> bool {
    let mut chars = s.chars();
    chars.next() == Some(c) && chars.next().is_none()
}

/// `s` cut into alternating runs of ASCII digits and of other characters; the
/// other runs are trimmed of spaces (a run of spaces alone becomes "").
fn runs(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut digits = None;
    for (i, c) in s.char_indices() {
        let is_digit = c.is_ascii_digit();
        if digits.is_some_and(|d| d != is_digit) {
            out.push(&s[start..i]);
            start = i;
        }
        digits = Some(is_digit);
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out.into_iter()
        .map(|run| if all_digits(run) { run } else { run.trim() })
        .collect()
}

// ---------------------------------------------------------------- dates

/// A calendar date from the forms HR spreadsheets use: 2024-03-05, 2024-3-5,
/// 2024/3/5, 2024.3.5, 2024年3月5日 (also 2024年03月05日), 20240305; after
/// [`clean_text`], so full-width digits work. A midnight time that Excel adds
/// to date cells (`2024/3/5 0:00`) is ignored. Rejects impossible dates
/// (2024-02-30) and years outside 1900..=2100.
pub fn parse_date(raw: &str) -> Result<NaiveDate, ValueError> {
    let text = cleaned(raw)?;
    let Some((year, month, day)) = date_parts(without_midnight(&text)) else {
        return Err(ValueError::Date(text));
    };
    checked_date(year, month, day).map_err(|problem| problem(text))
}

/// A moment from a sheet: any form [`parse_date`] reads (that day's
/// midnight), such a date then a time of day `H:MM` or `H:MM:SS` after a
/// space or a `T` (`2026-11-23 09:30`, `2026/11/23 9:30:05`,
/// `2026年11月23日 9:30`, `2026-11-23T09:30`), or RFC 3339 with its offset
/// (`2026-11-23T09:30:00+08:00`, `2026-11-23T01:30:00Z`). A time without an
/// offset is read in `zone` (a time its clocks skip is refused). After
/// [`clean_text`], so full-width digits and colons work.
pub fn parse_date_time(raw: &str, zone: Zone) -> Result<DateTime<Utc>, ValueError> {
    let text = cleaned(raw)?;
    if let Ok(moment) = DateTime::parse_from_rfc3339(&text) {
        let moment = moment.with_timezone(&Utc);
        return if (MIN_YEAR..=MAX_YEAR).contains(&moment.year()) {
            Ok(moment)
        } else {
            Err(ValueError::YearOutOfRange(text))
        };
    }
    let (day, time) = split_time(&text);
    let Some((year, month, day)) = date_parts(without_midnight(day)) else {
        return Err(ValueError::DateTime(text));
    };
    let date = checked_date(year, month, day).map_err(|problem| problem(text.clone()))?;
    zone.from_local(date.and_time(time.unwrap_or(NaiveTime::MIN)))
        .ok_or(ValueError::SkippedTime(text))
}

/// `text` cut into its date and its time of day, when it ends in a time
/// after a space or a `T`; else all of it with no time.
fn split_time(text: &str) -> (&str, Option<NaiveTime>) {
    text.rsplit_once(' ')
        .or_else(|| text.split_once('T'))
        .and_then(|(day, time)| Some((day.trim_end(), Some(clock_time(time)?))))
        .unwrap_or((text, None))
}

/// `H:MM` or `H:MM:SS` (one or two digits each) as a time of day.
fn clock_time(text: &str) -> Option<NaiveTime> {
    let parts: Vec<&str> = text.split(':').collect();
    if !(2..=3).contains(&parts.len()) || !parts.iter().all(|p| all_digits(p) && p.len() <= 2) {
        return None;
    }
    let part = |at: usize| parts.get(at).map_or(Some(0), |p| p.parse().ok());
    NaiveTime::from_hms_opt(part(0)?, part(1)?, part(2)?)
}

/// The date `year-month-day` if it is in the calendar and the year range;
/// else the kind of problem, to be given the offending text.
fn checked_date(year: i32, month: u32, day: u32) -> Result<NaiveDate, fn(String) -> ValueError> {
    match NaiveDate::from_ymd_opt(year, month, day) {
        None if !(1..=12).contains(&month) => Err(ValueError::NoSuchMonth),
        None => Err(ValueError::NoSuchDate),
        Some(_) if !(MIN_YEAR..=MAX_YEAR).contains(&year) => Err(ValueError::YearOutOfRange),
        Some(date) => Ok(date),
    }
}

/// `text` without a trailing ` 0:00`, ` 00:00` or ` 00:00:00`.
fn without_midnight(text: &str) -> &str {
    match text.rsplit_once(' ') {
        Some((date, time)) if is_midnight(time) => date,
        _ => text,
    }
}

fn is_midnight(time: &str) -> bool {
    let parts: Vec<&str> = time.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| all_digits(p) && p.len() <= 2 && p.bytes().all(|b| b == b'0'))
}

/// Year, month and day as written, before any calendar check.
fn date_parts(text: &str) -> Option<(i32, u32, u32)> {
    if text.len() == 8 && all_digits(text) {
        return ymd(&text[..4], &text[4..6], &text[6..]);
    }
    match runs(text).as_slice() {
        [y, a, m, b, d] if a == b && matches!(*a, "-" | "/" | ".") => ymd(y, m, d),
        [y, a, m, b, d, c] if is_char(a, '年') && is_char(b, '月') && is_char(c, '日') => {
            ymd(y, m, d)
        }
        _ => None,
    }
}

/// A four-digit year, then a month and day of one or two digits.
fn ymd(year: &str, month: &str, day: &str) -> Option<(i32, u32, u32)> {
    let short = |s: &str| all_digits(s) && s.len() <= 2;
    if !(all_digits(year) && year.len() == 4 && short(month) && short(day)) {
        return None;
    }
    Some((year.parse().ok()?, month.parse().ok()?, day.parse().ok()?))
}

// ---------------------------------------------------------------- phones

/// Mainland mobile numbers (11 digits starting with 13–19, optional +86, 0086
/// or 86 prefix, spaces and dashes ignored) become `13812345678`; landlines
/// with area code (`021-12345678`, `0755-1234567`, `(021) 12345678`,
/// `02112345678`, optional `-extension`) become `021-12345678[-123]`.
pub fn parse_phone(raw: &str) -> Result<String, ValueError> {
    let text = cleaned(raw)?;
    phone(&text).ok_or(ValueError::Phone(text))
}

fn phone(text: &str) -> Option<String> {
    let (international, rest) = match text.strip_prefix("+86").or(text.strip_prefix("0086")) {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut groups = phone_groups(rest)?;
    let digits = groups.concat();
    if let Some(mobile) = mobile(&digits).or(digits.strip_prefix("86").and_then(mobile)) {
        return Some(mobile.to_string());
    }
    if international
        && let Some(first) = groups.first_mut()
        && !first.starts_with('0')
    {
        first.insert(0, '0');
    }
    landline(&groups)
}

/// The digit groups of a phone number split at spaces, dashes and brackets;
/// `None` if anything else appears or there are no digits.
fn phone_groups(text: &str) -> Option<Vec<String>> {
    let separator = |c: char| matches!(c, ' ' | '-' | '(' | ')');
    if !text.chars().all(|c| c.is_ascii_digit() || separator(c)) {
        return None;
    }
    let groups: Vec<String> = text
        .split(separator)
        .filter(|g| !g.is_empty())
        .map(String::from)
        .collect();
    (!groups.is_empty()).then_some(groups)
}

fn mobile(digits: &str) -> Option<&str> {
    let bytes = digits.as_bytes();
    (bytes.len() == 11 && bytes[0] == b'1' && (b'3'..=b'9').contains(&bytes[1])).then_some(digits)
}

/// `021-12345678` or `021-12345678-123` from the digit groups.
fn landline(groups: &[String]) -> Option<String> {
    let (area, rest) = match groups {
        [only] => {
            let at = area_code_len(only);
            (only.get(..at)?, vec![only.get(at..)?])
        }
        [area, rest @ ..] => (area.as_str(), rest.iter().map(String::as_str).collect()),
        [] => return None,
    };
    if area.is_empty() || area.len() != area_code_len(area) {
        return None;
    }
    let local_ok = |s: &str| (7..=8).contains(&s.len()) && !s.starts_with('0');
    match rest.as_slice() {
        [local] if local_ok(local) => Some(format!("{area}-{local}")),
        [local, ext] if local_ok(local) && ext.len() <= 6 => Some(format!("{area}-{local}-{ext}")),
        _ => None,
    }
}

/// How long the area code at the start of `digits` is: 010 and 02x have three
/// digits, 03xx–09xx four; 0 when `digits` does not start like an area code.
fn area_code_len(digits: &str) -> usize {
    let bytes = digits.as_bytes();
    match bytes {
        [b'0', b'1', b'0', ..] | [b'0', b'2', _, ..] => 3,
        [b'0', b'3'..=b'9', _, _, ..] => 4,
        _ => 0,
    }
}

// ---------------------------------------------------------------- e-mail

/// A plausible e-mail address (one @, a non-empty local part, a domain of
/// letters, digits and dashes with a dot, no spaces); the domain lower-cased.
pub fn parse_email(raw: &str) -> Result<String, ValueError> {
    let text = cleaned(raw)?;
    email(&text).ok_or(ValueError::Email(text))
}

fn email(text: &str) -> Option<String> {
    let (local, domain) = text.split_once('@')?;
    let local_ok = !local.is_empty() && !local.chars().any(|c| c.is_whitespace() || c.is_control());
    let label_ok = |label: &str| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    let domain_ok = domain.contains('.') && domain.split('.').all(label_ok);
    (local_ok && domain_ok).then(|| format!("{local}@{}", domain.to_lowercase()))
}

// ---------------------------------------------------------------- national ID

/// Weights of the first 17 digits in the ISO 7064 MOD 11-2 check.
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each remainder of the weighted sum modulo 11.
const ID_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// A mainland resident ID: 18 characters, 17 digits then a digit or X (x is
/// accepted and stored upper-case; spaces are ignored), a real birth date in
/// characters 7–14 and a valid ISO 7064 MOD 11-2 check character.
pub fn parse_national_id(raw: &str) -> Result<String, ValueError> {
    let text = cleaned(raw)?;
    let id = text.replace(' ', "").to_uppercase();
    let (body, check) = id.split_at_checked(17).unwrap_or((&id, ""));
    if !(all_digits(body) && body.len() == 17 && check.len() == 1) {
        return Err(ValueError::NationalIdFormat(text));
    }
    if !is_char(check, 'X') && !all_digits(check) {
        return Err(ValueError::NationalIdFormat(text));
    }
    let birth = ymd(&body[6..10], &body[10..12], &body[12..14]);
    let birth_ok = birth.is_some_and(|(y, m, d)| checked_date(y, m, d).is_ok());
    if !birth_ok {
        return Err(ValueError::NationalIdBirthDate(text));
    }
    if !is_char(check, id_check_char(body)) {
        return Err(ValueError::NationalIdChecksum(text));
    }
    Ok(id)
}

/// The check character of an ID's first 17 digits.
fn id_check_char(body: &str) -> char {
    let sum: u32 = body
        .bytes()
        .zip(ID_WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    ID_CHECK[(sum % 11) as usize]
}

// ---------------------------------------------------------------- money

/// Fen in one yuan.
const FEN_PER_YUAN: i64 = 100;
/// Fen in one 万 (ten thousand yuan).
const FEN_PER_WAN: i64 = 1_000_000;

/// Money in yuan as whole fen (cents): `12000`, `12,000.50`, `¥12,000`,
/// `12000元`, `1.2万` (= 12000 yuan), `1.2万元`. Thousands separators must
/// group by three (`12,5` is refused rather than guessed). Negative amounts
/// and fractions of a fen (more than 2 decimals of yuan) are errors.
pub fn parse_money(raw: &str) -> Result<i64, ValueError> {
    let text = cleaned(raw)?;
    let (negative, amount) = strip_money_marks(&text);
    let (number, fen_per_unit) = match amount.strip_suffix('万') {
        Some(number) => (number.trim_end(), FEN_PER_WAN),
        None => (amount, FEN_PER_YUAN),
    };
    let fen = to_fen(number, fen_per_unit, &text)?;
    if negative && fen > 0 {
        return Err(ValueError::NegativeMoney(text));
    }
    Ok(fen)
}

/// The amount without its sign, currency symbol and 元; whether it was negative.
fn strip_money_marks(text: &str) -> (bool, &str) {
    let (before, rest) = strip_minus(text);
    let rest = rest.trim_start_matches(['¥', '￥']).trim_start();
    let (after, rest) = strip_minus(rest);
    let rest = rest.strip_suffix('元').unwrap_or(rest).trim_end();
    (before || after, rest)
}

/// `s` without a leading minus sign; whether it had one.
fn strip_minus(s: &str) -> (bool, &str) {
    match s.strip_prefix(['-', '\u{2212}', '\u{FF0D}']) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, s),
    }
}

/// `number` (digits, optional thousands commas, optional decimals) of units
/// worth `fen_per_unit` fen each, as whole fen.
fn to_fen(number: &str, fen_per_unit: i64, text: &str) -> Result<i64, ValueError> {
    let bad = || ValueError::Money(text.to_string());
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let whole = ungrouped(whole).ok_or_else(bad)?;
    if number.contains('.') && !all_digits(fraction) {
        return Err(bad());
    }
    let places = fen_per_unit.ilog10() as usize;
    if fraction.len() > places {
        return Err(ValueError::MoneyDecimals(text.to_string()));
    }
    let padded = format!("{fraction:0<places$}");
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let part: i64 = padded.parse().unwrap_or(0);
    whole
        .checked_mul(fen_per_unit)
        .and_then(|fen| fen.checked_add(part))
        .ok_or_else(bad)
}

/// A measured value: `12`, `-3.5`, `99.9%`, `100,000` (thousands commas
/// grouped by three), `1.2万` (= 12000); after [`clean_text`].
pub fn parse_number(raw: &str) -> Result<f64, ValueError> {
    let text = cleaned(raw)?;
    let bad = || ValueError::Number(text.clone());
    let (negative, rest) = strip_minus(&text);
    let rest = rest.strip_suffix('%').unwrap_or(rest).trim_end();
    let (rest, scale) = match rest.strip_suffix('万') {
        Some(number) => (number.trim_end(), 10_000.0),
        None => (rest, 1.0),
    };
    let (whole, fraction) = rest.split_once('.').unwrap_or((rest, ""));
    let whole = ungrouped(whole).ok_or_else(bad)?;
    if rest.contains('.') && (fraction.is_empty() || !all_digits(fraction)) {
        return Err(bad());
    }
    let value: f64 = format!("{whole}.{fraction}0").parse().map_err(|_| bad())?;
    let value = value * scale;
    Ok(if negative { -value } else { value })
}

/// The digits of `12,000` or `12000`; `None` unless commas group by three.
fn ungrouped(whole: &str) -> Option<String> {
    let mut groups = whole.split(',');
    let first = groups.next()?;
    let rest: Vec<&str> = groups.collect();
    let first_ok = all_digits(first) && (rest.is_empty() || first.len() <= 3);
    let rest_ok = rest.iter().all(|g| all_digits(g) && g.len() == 3);
    (first_ok && rest_ok).then(|| whole.replace(',', ""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, set_lang};
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    #[test]
    fn clean_text_makes_full_width_half_width_and_collapses_spaces() {
        assert_eq!(clean_text("  张\u{3000}伟  "), "张 伟");
        assert_eq!(clean_text("０１２３４５６７８９"), "0123456789");
        assert_eq!(clean_text("ＡＢＣ ａｂｃ"), "ABC abc");
        assert_eq!(clean_text("０２１－１２３４５６７８"), "021-12345678");
        assert_eq!(
            clean_text("ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ"),
            "zhang@example.com"
        );
        assert_eq!(clean_text("（Ｂ）／"), "(B)/");
        assert_eq!(clean_text("a\u{00A0}\u{00A0}b"), "a b");
        assert_eq!(clean_text("a\t\r\n b"), "a b");
        assert_eq!(clean_text("\u{FEFF}工号\u{200B}"), "工号");
        assert_eq!(clean_text(" \u{3000}\u{00A0} "), "");
        assert_eq!(clean_text("销售部"), "销售部");
    }

    #[test]
    fn a_full_width_formula_start_is_never_made_ascii() {
        assert_eq!(clean_text(" ＝1+1"), "＝1+1");
        assert_eq!(clean_text("＋86 138"), "＋86 138");
        assert_eq!(clean_text("＠all"), "＠all");
        assert_eq!(clean_text("a＝b"), "a=b", "only at the start");
        assert_eq!(parse_number("－5"), Ok(-5.0));
    }

    #[test]
    fn text_that_a_spreadsheet_would_run_is_guarded() {
        assert_eq!(formula_guard("=1+1"), "'=1+1");
        assert_eq!(formula_guard("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(formula_guard("-P5"), "'-P5");
        assert_eq!(formula_guard("\tx"), "'\tx");
        assert_eq!(formula_guard("'kept"), "''kept");
        assert_eq!(formula_guard("-12.5"), "-12.5", "a number stays a number");
        assert_eq!(formula_guard("+1,000"), "+1,000");
        assert_eq!(formula_guard("张伟"), "张伟");
        assert_eq!(unguard("'=1+1".into()), "=1+1");
        assert_eq!(
            unguard("''kept".into()),
            "'kept",
            "exactly one is taken off"
        );
    }

    #[test]
    fn control_characters_are_found_with_their_column() {
        assert_eq!(control_character("ab\u{1b}[2J"), Some((3, '\u{1b}')));
        assert_eq!(
            control_character("a\tb\r\n"),
            None,
            "spacing is not refused"
        );
        assert_eq!(control_character("物流部"), None);
    }

    proptest! {
        #[test]
        fn the_guard_comes_off_exactly(text in "\\PC{0,12}") {
            prop_assert_eq!(unguard(formula_guard(&text).into_owned()), text);
        }
    }

    #[test]
    fn dates_in_every_spreadsheet_form() {
        let expected = Ok(date(2024, 3, 5));
        for raw in [
            "2024-03-05",
            "2024-3-5",
            "2024/3/5",
            "2024/03/05",
            "2024.3.5",
            "2024年3月5日",
            "2024年03月05日",
            "2024 年 3 月 5 日",
            "20240305",
            " 2024-03-05 ",
            "２０２４年３月５日",
            "２０２４／３／５",
            "2024/3/5 0:00",
            "2024-03-05 00:00:00",
        ] {
            assert_eq!(parse_date(raw), expected, "{raw}");
        }
    }

    #[test]
    fn moments_in_date_time_and_rfc_3339_forms() {
        let at = |h, m, s| date(2026, 11, 3).and_hms_opt(h, m, s).unwrap().and_utc();
        for (raw, expected) in [
            ("2026-11-03", at(0, 0, 0)),
            ("2026/11/3", at(0, 0, 0)),
            ("2026年11月3日", at(0, 0, 0)),
            ("2026 年 11 月 3 日", at(0, 0, 0)),
            ("2026-11-03 09:30", at(9, 30, 0)),
            ("2026/11/3 9:30:05", at(9, 30, 5)),
            ("2026年11月3日 9:30", at(9, 30, 0)),
            ("２０２６－１１－０３　０９：３０", at(9, 30, 0)),
            ("2026-11-03T09:30", at(9, 30, 0)),
            ("2026-11-03T09:30:00Z", at(9, 30, 0)),
            ("2026-11-03T17:30:00+08:00", at(9, 30, 0)),
            ("20261103 23:59:59", at(23, 59, 59)),
        ] {
            assert_eq!(parse_date_time(raw, utc()), Ok(expected), "{raw}");
        }
    }

    fn utc() -> Zone {
        Zone::parse("UTC").expect("a zone")
    }

    #[test]
    fn a_time_without_an_offset_is_read_in_the_configured_zone() {
        let shanghai = Zone::parse("Asia/Shanghai").unwrap();
        let at = |h, m| date(2026, 11, 3).and_hms_opt(h, m, 0).unwrap().and_utc();
        assert_eq!(parse_date_time("2026-11-03 09:30", shanghai), Ok(at(1, 30)));
        assert_eq!(
            parse_date_time("2026-11-03T09:30:00Z", shanghai),
            Ok(at(9, 30)),
            "an offset given wins"
        );
        let berlin = Zone::parse("Europe/Berlin").unwrap();
        assert_eq!(
            parse_date_time("2026-03-29 02:30", berlin),
            Err(ValueError::SkippedTime("2026-03-29 02:30".into()))
        );
    }

    #[test]
    fn moments_that_are_not_refused_with_their_text() {
        assert_eq!(
            parse_date_time("yesterday", utc()),
            Err(ValueError::DateTime("yesterday".into()))
        );
        assert_eq!(
            parse_date_time("2026-11-03 25:00", utc()),
            Err(ValueError::DateTime("2026-11-03 25:00".into()))
        );
        assert_eq!(
            parse_date_time("2026-02-30 09:00", utc()),
            Err(ValueError::NoSuchDate("2026-02-30 09:00".into()))
        );
        assert_eq!(
            parse_date_time("1800-01-01T00:00:00Z", utc()),
            Err(ValueError::YearOutOfRange("1800-01-01T00:00:00Z".into()))
        );
        assert_eq!(parse_date_time(" ", utc()), Err(ValueError::Empty));
    }

    #[test]
    fn numbers_read_with_signs_separators_percent_and_wan() {
        for (raw, expected) in [
            ("12", 12.0),
            ("-3.5", -3.5),
            ("99.9%", 99.9),
            ("100,000", 100_000.0),
            ("１２", 12.0),
            ("1.2万", 12_000.0),
        ] {
            assert_eq!(parse_number(raw), Ok(expected), "{raw}");
        }
        for bad in ["", "12,5", "1.2.3", "abc", "1e5", "5."] {
            assert!(parse_number(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn leap_days_exist_only_in_leap_years() {
        assert_eq!(parse_date("2024-02-29"), Ok(date(2024, 2, 29)));
        assert_eq!(parse_date("2000/2/29"), Ok(date(2000, 2, 29)));
        assert_eq!(
            parse_date("2023-02-29"),
            Err(ValueError::NoSuchDate("2023-02-29".into()))
        );
        assert_eq!(
            parse_date("2024-13-01"),
            Err(ValueError::NoSuchMonth("2024-13-01".into()))
        );
        assert_eq!(
            parse_date("1900年2月29日"),
            Err(ValueError::NoSuchDate("1900年2月29日".into()))
        );
    }

    #[test]
    fn impossible_and_malformed_dates_are_refused() {
        for raw in ["2024-02-30", "2024/4/31", "20240230"] {
            assert_eq!(
                parse_date(raw),
                Err(ValueError::NoSuchDate(raw.into())),
                "{raw}"
            );
        }
        for raw in ["2024-13-01", "2024-00-10", "2024年13月1日"] {
            assert_eq!(
                parse_date(raw),
                Err(ValueError::NoSuchMonth(raw.into())),
                "{raw}"
            );
        }
        for raw in [
            "2024-3/5",
            "24-3-5",
            "2024-003-05",
            "2024 3 5",
            "2024年3月5",
            "2024年3月5号",
            "3/5/2024",
            "2024-03-05 08:30",
            "2024-03-05T00:00",
            "202435",
            "today",
            "45356",
        ] {
            assert_eq!(parse_date(raw), Err(ValueError::Date(raw.into())), "{raw}");
        }
        assert_eq!(parse_date("  "), Err(ValueError::Empty));
    }

    #[test]
    fn years_outside_1900_to_2100_are_refused() {
        assert_eq!(parse_date("1900-01-01"), Ok(date(1900, 1, 1)));
        assert_eq!(parse_date("2100-12-31"), Ok(date(2100, 12, 31)));
        assert_eq!(
            parse_date("1899-12-31"),
            Err(ValueError::YearOutOfRange("1899-12-31".into()))
        );
        assert_eq!(
            parse_date("21010101"),
            Err(ValueError::YearOutOfRange("21010101".into()))
        );
    }

    #[test]
    fn mobiles_are_eleven_digits() {
        for raw in [
            "13812345678",
            "138 1234 5678",
            "138-1234-5678",
            "+86 138 1234 5678",
            "+8613812345678",
            "008613812345678",
            "8613812345678",
            "１３８１２３４５６７８",
        ] {
            assert_eq!(parse_phone(raw), Ok("13812345678".into()), "{raw}");
        }
        assert_eq!(parse_phone("19912345678"), Ok("19912345678".into()));
    }

    #[test]
    fn landlines_keep_their_area_code() {
        for (raw, expected) in [
            ("021-12345678", "021-12345678"),
            ("021 12345678", "021-12345678"),
            ("(021)12345678", "021-12345678"),
            ("02112345678", "021-12345678"),
            ("010-87654321", "010-87654321"),
            ("0755-1234567", "0755-1234567"),
            ("07551234567", "0755-1234567"),
            ("0755-12345678-801", "0755-12345678-801"),
            ("+86 21 12345678", "021-12345678"),
            ("０２１－１２３４５６７８", "021-12345678"),
        ] {
            assert_eq!(parse_phone(raw), Ok(expected.into()), "{raw}");
        }
    }

    #[test]
    fn other_phone_numbers_are_refused() {
        for raw in [
            "1381234567",
            "138123456789",
            "12812345678",
            "23812345678",
            "021-1234567890",
            "021-0234567",
            "011-12345678",
            "0755-123456",
            "021-12345678-1234567",
            "021-1234-5678",
            "2345678",
            "12345678",
            "138 1234 567a",
            "phone",
            "+86",
        ] {
            assert_eq!(
                parse_phone(raw),
                Err(ValueError::Phone(raw.into())),
                "{raw}"
            );
        }
        assert_eq!(parse_phone(""), Err(ValueError::Empty));
    }

    #[test]
    fn emails_are_plausible_with_a_lower_case_domain() {
        assert_eq!(
            parse_email(" Zhang.Wei@Example.COM "),
            Ok("Zhang.Wei@example.com".into())
        );
        assert_eq!(parse_email("ｌｉ＠ｃｏｒｐ．ｃｎ"), Ok("li@corp.cn".into()));
        assert_eq!(
            parse_email("a+b@mail.x-y.com.cn"),
            Ok("a+b@mail.x-y.com.cn".into())
        );
        for raw in [
            "zhang",
            "@example.com",
            "zhang@",
            "zhang@example",
            "zhang@@example.com",
            "zhang@a@example.com",
            "zhang wei@example.com",
            "zhang@exa mple.com",
            "zhang@example..com",
            "zhang@.example.com",
            "zhang@example.com.",
            "zhang@-example.com",
            "zhang@exa_mple.com",
        ] {
            assert_eq!(
                parse_email(raw),
                Err(ValueError::Email(raw.into())),
                "{raw}"
            );
        }
    }

    /// A valid ID for the given first 17 digits.
    fn with_check(body: &str) -> String {
        format!("{body}{}", id_check_char(body))
    }

    #[test]
    fn the_id_check_character_follows_iso_7064() {
        // Worked by hand: 1·7 + 1·9 + 0·10 + 1·5 + 0·8 + 5·4 + 1·2 + 9·1 + 4·6
        // + 9·3 + 1·7 + 2·9 + 3·10 + 1·5 + 0·8 + 0·4 + 2·2 = 167 = 15·11 + 2 → X.
        assert_eq!(id_check_char("11010519491231002"), 'X');
        assert_eq!(with_check("44030419900307124"), "440304199003071248");
        assert_eq!(with_check("31010120000229005"), "310101200002290058");
        assert_eq!(with_check("51010719851115009"), "510107198511150091");
    }

    #[test]
    fn valid_national_ids_are_stored_upper_case() {
        assert_eq!(
            parse_national_id("11010519491231002X"),
            Ok("11010519491231002X".into())
        );
        assert_eq!(
            parse_national_id("11010519491231002x"),
            Ok("11010519491231002X".into())
        );
        assert_eq!(
            parse_national_id("110105 19491231 002X"),
            Ok("11010519491231002X".into())
        );
        assert_eq!(
            parse_national_id("４４０３０４１９９００３０７１２４８"),
            Ok("440304199003071248".into())
        );
        assert_eq!(
            parse_national_id("310101200002290058"),
            Ok("310101200002290058".into())
        );
    }

    #[test]
    fn national_ids_with_errors_are_refused_by_kind() {
        for raw in [
            "11010519491231002",
            "11010519491231002X1",
            "1101051949123100XX",
            "11010519491231002Y",
            "110105194912310",
            "A1010519491231002X",
        ] {
            assert_eq!(
                parse_national_id(raw),
                Err(ValueError::NationalIdFormat(raw.into())),
                "{raw}"
            );
        }
        let feb_30 = with_check("11010519490230002");
        let year_1800 = with_check("11010518000101002");
        for raw in [feb_30, year_1800] {
            assert_eq!(
                parse_national_id(&raw),
                Err(ValueError::NationalIdBirthDate(raw.clone()))
            );
        }
        assert_eq!(
            parse_national_id("110105194912310021"),
            Err(ValueError::NationalIdChecksum("110105194912310021".into()))
        );
        assert_eq!(
            parse_national_id("440304199003071249"),
            Err(ValueError::NationalIdChecksum("440304199003071249".into()))
        );
    }

    #[test]
    fn money_in_yuan_becomes_fen() {
        for (raw, fen) in [
            ("12000", 1_200_000),
            ("12,000", 1_200_000),
            ("12,000.50", 1_200_050),
            ("12000.5", 1_200_050),
            ("¥12,000", 1_200_000),
            ("¥12,000.50", 1_200_050),
            ("￥ 8,500", 850_000),
            ("12000元", 1_200_000),
            ("12000 元", 1_200_000),
            ("1.2万", 1_200_000),
            ("1.2万元", 1_200_000),
            ("1.234567万", 1_234_567),
            ("3万", 3_000_000),
            ("１２，０００．００", 1_200_000),
            ("1,234,567.89", 123_456_789),
            ("0", 0),
            ("0.01", 1),
            ("-0", 0),
        ] {
            assert_eq!(parse_money(raw), Ok(fen), "{raw}");
        }
    }

    #[test]
    fn bad_money_is_refused_by_kind() {
        for raw in ["-12000", "-¥12,000", "¥-100", "−5"] {
            assert_eq!(
                parse_money(raw),
                Err(ValueError::NegativeMoney(raw.into())),
                "{raw}"
            );
        }
        for raw in ["12000.505", "1.2345678万", "0.001"] {
            assert_eq!(
                parse_money(raw),
                Err(ValueError::MoneyDecimals(raw.into())),
                "{raw}"
            );
        }
        for raw in [
            "12,5",
            "1,2000",
            "12,000,00",
            ",000",
            "12.",
            ".5",
            "12.5.1",
            "abc",
            "12k",
            "万",
            "¥",
            "12 000",
            "99999999999999999999",
        ] {
            assert_eq!(
                parse_money(raw),
                Err(ValueError::Money(raw.into())),
                "{raw}"
            );
        }
        assert_eq!(parse_money(" "), Err(ValueError::Empty));
    }

    #[test]
    fn errors_say_what_is_wrong_and_what_is_expected() {
        set_lang(Lang::En);
        assert_eq!(
            ValueError::Date("5 March".into()).to_string(),
            "“5 March” is not a date (expected 2024-03-05, 2024/3/5 or 2024年3月5日)"
        );
        let no_such = ValueError::NoSuchDate("2024-02-30".into()).to_string();
        assert!(no_such.contains("“2024-02-30”"), "{no_such}");
        let range = ValueError::YearOutOfRange("1899-12-31".into()).to_string();
        assert!(range.contains("1900") && range.contains("2100"), "{range}");
        set_lang(Lang::Zh);
        let zh = ValueError::Date("明天".into()).to_string();
        assert!(zh.contains("“明天”") && zh.contains("日期"), "{zh}");
        set_lang(Lang::En);
    }

    /// The chrono formats of the date forms parse_date accepts.
    const DATE_FORMATS: [&str; 8] = [
        "%Y-%m-%d",
        "%Y-%-m-%-d",
        "%Y/%-m/%-d",
        "%Y.%-m.%-d",
        "%Y年%-m月%-d日",
        "%Y年%m月%d日",
        "%Y%m%d",
        "%Y/%m/%d 0:00",
    ];

    /// `s` with every ASCII digit turned full-width.
    fn full_width_digits(s: &str) -> String {
        s.chars()
            .map(|c| match c.to_digit(10) {
                Some(d) => char::from_u32(0xFF10 + d).unwrap_or(c),
                None => c,
            })
            .collect()
    }

    proptest! {
        #[test]
        fn every_date_form_reads_back(
            days in 0i64..73_049,
            format in 0..DATE_FORMATS.len(),
            wide in any::<bool>(),
        ) {
            let day = date(1900, 1, 1) + chrono::Duration::days(days);
            let mut text = day.format(DATE_FORMATS[format]).to_string();
            if wide {
                text = full_width_digits(&text);
            }
            prop_assert_eq!(parse_date(&text), Ok(day));
        }

        #[test]
        fn clean_text_is_idempotent(raw in "[ \u{3000}\u{00A0}\t\na-z０-９Ａ-Ｚ－＠张伟\u{200B}]{0,30}") {
            let once = clean_text(&raw);
            prop_assert_eq!(clean_text(&once), once.clone());
            prop_assert_eq!(once.trim(), once.as_str());
            prop_assert!(!once.contains("  "));
        }

        #[test]
        fn clean_text_is_idempotent_on_any_text(raw in any::<String>()) {
            let once = clean_text(&raw);
            prop_assert_eq!(clean_text(&once), once);
        }

        #[test]
        fn valid_ids_pass_and_one_changed_digit_fails(
            body in "[1-6][0-9]{5}(19[0-9]{2}|20[01][0-9])(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])[0-9]{3}",
            at in 0usize..17,
            step in 1u8..10,
        ) {
            let id = with_check(&body);
            prop_assert_eq!(parse_national_id(&id), Ok(id.clone()));
            let mut bytes = id.clone().into_bytes();
            bytes[at] = b'0' + (bytes[at] - b'0' + step) % 10;
            let changed = String::from_utf8(bytes).unwrap_or_default();
            prop_assert!(parse_national_id(&changed).is_err(), "{}", changed);
        }

        #[test]
        fn money_reads_back_from_its_grouped_form(fen in 0i64..1_000_000_000_000) {
            let yuan = crate::i18n::grouped((fen / 100) as u64);
            let text = format!("¥{yuan}.{:02}", fen % 100);
            prop_assert_eq!(parse_money(&text), Ok(fen));
        }
    }
}
