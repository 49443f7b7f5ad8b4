//! The value types editors write and readers see: dates, periods and money, parsed strictly
//! and formatted for people ("March 2015", "2014/15 to 2016/17", "£10 million").

use std::fmt;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A calendar date known to the year, the month or the day, as commissioning documents give
/// them ("by March 2015", "from 2016", "on 31 March 2015").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    /// The year, e.g. 2015.
    pub year: i32,
    /// The month, 1 to 12, when known.
    pub month: Option<u8>,
    /// The day of the month, when known (only with a month).
    pub day: Option<u8>,
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, rejecting dates that do not exist.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let parts: Vec<&str> = text.split('-').collect();
        let shape_ok = match parts.as_slice() {
            [y] => is_digits(y, 4),
            [y, m] => is_digits(y, 4) && is_digits(m, 2),
            [y, m, d] => is_digits(y, 4) && is_digits(m, 2) && is_digits(d, 2),
            _ => false,
        };
        if !shape_ok {
            return Err(format!(
                "`{text}` is not a date: write YYYY-MM-DD, YYYY-MM or YYYY, e.g. 2015-03-31"
            ));
        }
        let year: i32 = parts[0]
            .parse()
            .map_err(|_| format!("bad year in `{text}`"))?;
        if !(1900..=2200).contains(&year) {
            return Err(format!(
                "year {year} in `{text}` is out of range (1900 to 2200)"
            ));
        }
        let month = match parts.get(1) {
            Some(m) => {
                let m: u8 = m.parse().map_err(|_| format!("bad month in `{text}`"))?;
                if !(1..=12).contains(&m) {
                    return Err(format!("month {m} in `{text}` does not exist"));
                }
                Some(m)
            }
            None => None,
        };
        let day = match (parts.get(2), month) {
            (Some(d), Some(m)) => {
                let d: u8 = d.parse().map_err(|_| format!("bad day in `{text}`"))?;
                let last = days_in_month(year, m);
                if d == 0 || d > last {
                    return Err(format!(
                        "{} {d} does not exist: {} {year} has {last} days",
                        MONTHS[usize::from(m - 1)],
                        MONTHS[usize::from(m - 1)]
                    ));
                }
                Some(d)
            }
            _ => None,
        };
        Ok(PartialDate { year, month, day })
    }

    /// The date as written in data files: `2015`, `2015-03` or `2015-03-31`.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// The first day this date could mean, as `YYYY-MM-DD` (for feeds and calendars).
    pub fn first_day(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}",
            self.year,
            self.month.unwrap_or(1),
            self.day.unwrap_or(1)
        )
    }

    /// The first day this date could mean, to sort by: the order of [`PartialDate::first_day`]'s
    /// text (years are 1900 to 2200), without making the text for every comparison.
    pub fn first_day_key(&self) -> (i32, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }
}

impl fmt::Display for PartialDate {
    /// "31 March 2015", "March 2015" or "2015".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.month, self.day) {
            (Some(m), Some(d)) => write!(f, "{d} {} {}", MONTHS[usize::from(m - 1)], self.year),
            (Some(m), None) => write!(f, "{} {}", MONTHS[usize::from(m - 1)], self.year),
            _ => write!(f, "{}", self.year),
        }
    }
}

fn is_digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// A planning period: one financial year (`2014/15`), a range of them
/// (`2014/15-2016/17`), or calendar years (`2015`, `2015-2017`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    /// The first year the period starts in.
    pub start: i32,
    /// The last year the period starts in (equal to `start` for a single year).
    pub end: i32,
    /// Financial years (April to March) rather than calendar years.
    pub financial: bool,
}

impl Period {
    /// Parses a period, rejecting years that do not follow on (`2014/16`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let original = text.trim();
        let hint = "write a financial year like 2014/15, a range like 2014/15-2016/17, or a calendar year like 2015";
        let normalised = original.replace(['–', '—'], "-").replace(" to ", "-");
        let pieces: Vec<&str> = normalised.split('-').map(str::trim).collect();
        let years: Vec<(i32, bool)> = pieces
            .iter()
            .map(|p| parse_year(p))
            .collect::<Result<_, _>>()
            .map_err(|why| format!("`{original}` is not a period ({why}): {hint}"))?;
        let (start, end) = match years.as_slice() {
            [one] => (*one, *one),
            [a, b] => (*a, *b),
            _ => return Err(format!("`{original}` is not a period: {hint}")),
        };
        if start.1 != end.1 {
            return Err(format!(
                "`{original}` mixes a financial year and a calendar year: {hint}"
            ));
        }
        if end.0 < start.0 {
            return Err(format!("`{original}` ends before it starts"));
        }
        Ok(Period {
            start: start.0,
            end: end.0,
            financial: start.1,
        })
    }

    /// Whether a date falls before the end of this period.
    pub fn ends_before(&self, date: &PartialDate) -> bool {
        let (end_year, end_month) = if self.financial {
            (self.end + 1, 3)
        } else {
            (self.end, 12)
        };
        (end_year, end_month) < (date.year, date.month.unwrap_or(1))
    }
}

fn parse_year(piece: &str) -> Result<(i32, bool), String> {
    match piece.split_once('/') {
        Some((y, next)) => {
            if !is_digits(y, 4) || !is_digits(next, 2) {
                return Err(format!("`{piece}` is not a year like 2014/15"));
            }
            let year: i32 = y.parse().map_err(|_| format!("bad year `{piece}`"))?;
            let next: i32 = next.parse().map_err(|_| format!("bad year `{piece}`"))?;
            if (year + 1) % 100 != next {
                return Err(format!(
                    "`{piece}` is not a financial year: after {year} comes /{:02}",
                    (year + 1) % 100
                ));
            }
            Ok((year, true))
        }
        None if is_digits(piece, 4) => piece
            .parse()
            .map(|y| (y, false))
            .map_err(|_| format!("bad year `{piece}`")),
        None => Err(format!("`{piece}` is not a year")),
    }
}

impl fmt::Display for Period {
    /// "2014/15", "2014/15 to 2016/17", "2015" or "2015 to 2017".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let one = |y: i32| {
            if self.financial {
                format!("{y}/{:02}", (y + 1) % 100)
            } else {
                y.to_string()
            }
        };
        if self.start == self.end {
            write!(f, "{}", one(self.start))
        } else {
            write!(f, "{} to {}", one(self.start), one(self.end))
        }
    }
}

/// An amount of money in pounds sterling.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Money(pub f64);

impl Money {
    /// Checks an amount is a real, non-negative number of pounds.
    pub fn new(amount: f64) -> Result<Self, String> {
        if !amount.is_finite() || amount < 0.0 {
            return Err(format!(
                "`{amount}` is not an amount of money: write a number of pounds, e.g. 10000000 for £10 million"
            ));
        }
        Ok(Money(amount))
    }
}

impl fmt::Display for Money {
    /// "£10 million", "£1.5 billion", "£230,000", "£12.50".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let amount = self.0;
        if amount >= 1e9 {
            write!(f, "£{} billion", trim_decimal(amount / 1e9))
        } else if amount >= 1e6 {
            write!(f, "£{} million", trim_decimal(amount / 1e6))
        } else if amount.fract().abs() > f64::EPSILON {
            write!(f, "£{}", group_thousands(format!("{amount:.2}")))
        } else {
            write!(f, "£{}", group_thousands(format!("{amount:.0}")))
        }
    }
}

/// Up to three decimals, trailing zeros removed: 10 → "10", 2.35 → "2.35", 1.2345 → "1.235".
fn trim_decimal(value: f64) -> String {
    let text = format!("{value:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Formats a number for people: 1500 → "1,500", 2.5 → "2.5".
pub fn format_number(value: f64) -> String {
    if value.fract().abs() < 1e-9 {
        group_thousands(format!("{value:.0}"))
    } else {
        group_thousands(trim_decimal(value))
    }
}

fn group_thousands(text: String) -> String {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(r) => ("-", r.to_string()),
        None => ("", text),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (rest, None),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_day_keys_sort_as_first_days_do() {
        let mut dates = Vec::new();
        for year in [1900, 1999, 2014, 2015, 2200] {
            dates.push(PartialDate::parse(&year.to_string()).expect("a year"));
            for month in [1, 2, 10, 12] {
                dates.push(PartialDate::parse(&format!("{year}-{month:02}")).expect("a month"));
                for day in [1, 2, 9, 10, 28] {
                    let text = format!("{year}-{month:02}-{day:02}");
                    dates.push(PartialDate::parse(&text).expect("a day"));
                }
            }
        }
        for a in &dates {
            for b in &dates {
                assert_eq!(
                    a.first_day_key().cmp(&b.first_day_key()),
                    a.first_day().cmp(&b.first_day()),
                    "{a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn dates_parse_and_read_well() {
        assert_eq!(
            PartialDate::parse("2015-03-31").unwrap().to_string(),
            "31 March 2015"
        );
        assert_eq!(
            PartialDate::parse("2015-03").unwrap().to_string(),
            "March 2015"
        );
        assert_eq!(PartialDate::parse("2015").unwrap().to_string(), "2015");
        assert!(PartialDate::parse("2015-02-29").is_err());
        assert!(PartialDate::parse("2016-02-29").is_ok());
        assert!(PartialDate::parse("2015-13").is_err());
        assert!(PartialDate::parse("31/03/2015").is_err());
    }

    #[test]
    fn periods_parse_and_read_well() {
        assert_eq!(Period::parse("2014/15").unwrap().to_string(), "2014/15");
        assert_eq!(
            Period::parse("2014/15–2016/17").unwrap().to_string(),
            "2014/15 to 2016/17"
        );
        assert_eq!(
            Period::parse("2015-2017").unwrap().to_string(),
            "2015 to 2017"
        );
        assert!(Period::parse("2014/16").is_err());
        assert!(Period::parse("2016/17-2014/15").is_err());
        assert!(Period::parse("soon").is_err());
    }

    #[test]
    fn money_reads_like_a_person_wrote_it() {
        assert_eq!(Money(10_000_000.0).to_string(), "£10 million");
        assert_eq!(Money(1_500_000.0).to_string(), "£1.5 million");
        assert_eq!(Money(230_000.0).to_string(), "£230,000");
        assert_eq!(Money(12.5).to_string(), "£12.50");
        assert_eq!(Money(2_000_000_000.0).to_string(), "£2 billion");
        assert_eq!(format_number(1500.0), "1,500");
        assert!(Money::new(-1.0).is_err());
    }
}
