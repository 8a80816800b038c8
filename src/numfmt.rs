//! Numbers and money as findings and cost tables show them: thousands
//! separators, no needless decimals, deterministic rounding.

/// "1,500", "2.5", "0.75", "12,345.68": up to `decimals` places, trailing
/// zeros dropped.
pub fn number_with(x: f64, decimals: usize) -> String {
    // Past 10^18 the digits would be float noise (and up to 309 of them):
    // scientific notation says what is known.
    if x.abs() >= 1e18 && x.is_finite() {
        return format!("{x:e}");
    }
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f.trim_end_matches('0')),
        None => (s.as_str(), ""),
    };
    let mut out = String::new();
    for (n, c) in int.chars().enumerate() {
        if n > 0 && (int.len() - n) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    if x < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.insert(0, '-');
    }
    out
}

/// A number with up to two decimals.
pub fn number(x: f64) -> String {
    number_with(x, 2)
}

/// "1 shard", "5 shards", "1,000 records".
pub fn plural(n: u64, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {one}s", number(n as f64))
    }
}

/// "$1,234.56" (and "-$3.10").
pub fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.unsigned_abs();
    let dollars = number_with((c / 100) as f64, 0);
    format!("{sign}${dollars}.{:02}", c % 100)
}

/// A signed change: "+$32.85", "-$3.10", "$0.00".
pub fn money_change(cents: i64) -> String {
    if cents > 0 {
        format!("+{}", money(cents))
    } else {
        money(cents)
    }
}

/// A unit price with the precision it was given: "$0.015", "$0.0000166667".
pub fn unit_price(usd: f64) -> String {
    let s = number_with(usd, 10);
    if s.contains('.') {
        if s.split_once('.').is_some_and(|(_, f)| f.len() == 1) {
            format!("${s}0")
        } else {
            format!("${s}")
        }
    } else {
        format!("${s}.00")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(number(1500.0), "1,500");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(number(1234567.891), "1,234,567.89");
        assert_eq!(number(0.0), "0");
        assert_eq!(money(4380), "$43.80");
        assert_eq!(money(123456), "$1,234.56");
        assert_eq!(money(-310), "-$3.10");
        assert_eq!(money_change(3285), "+$32.85");
        assert_eq!(unit_price(0.015), "$0.015");
        assert_eq!(unit_price(5.0), "$5.00");
        assert_eq!(unit_price(0.2), "$0.20");
        assert_eq!(unit_price(0.0000166667), "$0.0000166667");
        // 4 × 730 × $0.015 is $43.80 although the float is a hair above.
        assert_eq!(
            crate::money::Money::from_usd(4.0 * 730.0 * 0.015),
            crate::money::Money::Cents(4380)
        );
        assert_eq!(number(1e300), "1e300");
    }
}
