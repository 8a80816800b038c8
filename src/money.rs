//! Amounts of money: whole US cents with checked arithmetic, or "too large
//! to price". Quantities come from users (`stored_gb = 1e300`), so a product
//! or a sum may exceed what can be counted to the cent; such an amount is
//! never wrapped, saturated or rounded into a wrong figure.

use std::fmt;

/// The largest amount counted to the cent: 2^53 cents (about $90 trillion),
/// the largest count of cents a price times a quantity (in f64) gives
/// exactly.
const MAX_CENTS: i64 = 1 << 53;

/// An amount in whole cents, or one too large to price.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Money {
    Cents(i64),
    TooLarge,
}

impl Money {
    pub const ZERO: Money = Money::Cents(0);

    /// Rounds dollars to the cent; not finite or too large is `TooLarge`.
    pub fn from_usd(usd: f64) -> Money {
        let cents = (usd * 100.0).round();
        if cents.is_finite() && cents.abs() <= MAX_CENTS as f64 {
            Money::Cents(cents as i64)
        } else {
            Money::TooLarge
        }
    }

    /// Cents, unless too large to price.
    pub fn cents(self) -> Option<i64> {
        match self {
            Money::Cents(c) => Some(c),
            Money::TooLarge => None,
        }
    }

    fn checked(c: Option<i64>) -> Money {
        match c {
            Some(c) if c.abs() <= MAX_CENTS => Money::Cents(c),
            _ => Money::TooLarge,
        }
    }

    pub fn is_zero(self) -> bool {
        self == Money::ZERO
    }

    pub fn is_positive(self) -> bool {
        matches!(self, Money::Cents(c) if c > 0)
    }

    /// "+$32.85", "-$3.10", "$0.00": a change.
    pub fn change(self) -> String {
        if self.is_positive() {
            format!("+{self}")
        } else {
            self.to_string()
        }
    }

    /// For JSON: dollars, or null when too large to price.
    pub fn to_json(self) -> serde_json::Value {
        match self {
            Money::Cents(c) => serde_json::json!(c as f64 / 100.0),
            Money::TooLarge => serde_json::Value::Null,
        }
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        match (self, other) {
            (Money::Cents(a), Money::Cents(b)) => Money::checked(a.checked_add(b)),
            _ => Money::TooLarge,
        }
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    fn sub(self, other: Money) -> Money {
        match (self, other) {
            (Money::Cents(a), Money::Cents(b)) => Money::checked(a.checked_sub(b)),
            _ => Money::TooLarge,
        }
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

/// "$1,234.56", "-$3.10", or "too large to price".
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Money::Cents(c) => f.write_str(&crate::numfmt::money(*c)),
            Money::TooLarge => f.write_str("too large to price"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Money;

    #[test]
    fn large_amounts_are_too_large_never_wrong() {
        assert_eq!(Money::from_usd(1.25), Money::Cents(125));
        assert_eq!(Money::from_usd(1e300), Money::TooLarge);
        assert_eq!(Money::from_usd(f64::NAN), Money::TooLarge);
        assert_eq!(Money::from_usd(f64::INFINITY), Money::TooLarge);
        let big = Money::from_usd(9.0e13);
        assert!(matches!(big, Money::Cents(_)));
        assert_eq!(big + big, Money::TooLarge);
        assert_eq!(
            [big, big, Money::ZERO].into_iter().sum::<Money>(),
            Money::TooLarge
        );
        assert_eq!(Money::Cents(i64::MAX) + Money::Cents(1), Money::TooLarge);
        assert_eq!(Money::Cents(i64::MIN) - Money::Cents(1), Money::TooLarge);
        assert_eq!(Money::Cents(300) - Money::Cents(500), Money::Cents(-200));
        assert_eq!(Money::TooLarge.to_string(), "too large to price");
        assert_eq!(Money::Cents(-310).to_string(), "-$3.10");
        assert_eq!(Money::Cents(3285).change(), "+$32.85");
    }
}
