//! The rating dates exports carry, as milliseconds since the unix epoch (midnight UTC of that
//! day). IMDb writes `YYYY-MM-DD` today, `M/D/YYYY` in files re-saved by US spreadsheets, and
//! the older export `Sat Mar 12 00:00:00 2016`; Letterboxd writes `YYYY-MM-DD`. A date we cannot
//! read is `None`, never an error: the rating matters, its date is a nicety.

/// Days from 1970-01-01 to the given proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`, exact for every year).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

fn to_ms(y: i64, m: u32, d: u32) -> Option<i64> {
    let plausible = (1888..=2200).contains(&y) && (1..=12).contains(&m);
    (plausible && d >= 1 && d <= days_in_month(y, m)).then(|| days_from_civil(y, m, d) * 86_400_000)
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Reads `YYYY-MM-DD` (a time after it is ignored), `M/D/YYYY` or `Www Mmm D hh:mm:ss YYYY`.
pub fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim();
    let num = |t: &str| t.trim().parse::<i64>().ok();
    if let Some((y, rest)) = s.split_once('-') {
        let mut it = rest.splitn(2, '-');
        let m = num(it.next()?)?;
        let day = it.next()?;
        let digits = day.find(|c: char| !c.is_ascii_digit()).unwrap_or(day.len());
        let d = num(&day[..digits])?;
        return to_ms(num(y)?, u32::try_from(m).ok()?, u32::try_from(d).ok()?);
    }
    let parts: Vec<&str> = s.split('/').collect();
    if let [m, d, y] = parts[..] {
        return to_ms(
            num(y)?,
            u32::try_from(num(m)?).ok()?,
            u32::try_from(num(d)?).ok()?,
        );
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    if let [_weekday, mon, d, _time, y] = words[..] {
        let lower = mon.to_ascii_lowercase();
        let m = MONTHS.iter().position(|&x| x == lower)? as u32 + 1;
        return to_ms(num(y)?, m, u32::try_from(num(d)?).ok()?);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2016-03-12 is day 16,872 of the epoch (checked against `date -d 2016-03-12 +%s`).
    const MAR_12_2016: i64 = 16_872 * 86_400_000;

    #[test]
    fn every_format_exports_use() {
        assert_eq!(parse_date("2016-03-12"), Some(MAR_12_2016));
        assert_eq!(parse_date("3/12/2016"), Some(MAR_12_2016));
        assert_eq!(parse_date("03/12/2016"), Some(MAR_12_2016));
        assert_eq!(parse_date("Sat Mar 12 00:00:00 2016"), Some(MAR_12_2016));
        assert_eq!(parse_date("2016-03-12T10:00:00Z"), Some(MAR_12_2016));
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2000-02-29"), Some(11_016 * 86_400_000));
    }

    #[test]
    fn nonsense_is_none() {
        for s in [
            "",
            "yesterday",
            "2016-13-01",
            "2015-02-29",
            "1/32/2020",
            "-",
            "//",
            "2016-3",
        ] {
            assert_eq!(parse_date(s), None, "{s:?}");
        }
    }

    /// Day counts agree with stepping one day at a time from the epoch.
    #[test]
    fn days_from_civil_matches_counting() {
        let mut n = 0;
        for y in 1970..2031 {
            for m in 1..=12 {
                for d in 1..=days_in_month(y, m) {
                    assert_eq!(days_from_civil(y, m, d), n, "{y}-{m}-{d}");
                    n += 1;
                }
            }
        }
    }
}
