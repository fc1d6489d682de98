//! Minor units of currencies (ISO 4217), which money is rounded to.

/// Currencies without minor units in ISO 4217 (the CFA francs of the Sahel among them).
const ZERO_DECIMALS: &[&str] = &[
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND",
    "VUV", "XAF", "XOF", "XPF",
];
/// Currencies with three decimals in ISO 4217.
const THREE_DECIMALS: &[&str] = &["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];

/// Decimals of a currency's minor unit: 0 or 3 for the ISO 4217 currencies listed above,
/// 2 for every other code (the ISO 4217 default, USD, EUR and CNY among them).
pub fn minor_units(code: &str) -> u32 {
    if ZERO_DECIMALS.contains(&code) {
        0
    } else if THREE_DECIMALS.contains(&code) {
        3
    } else {
        2
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sahel_francs_have_no_minor_unit() {
        assert_eq!(super::minor_units("XOF"), 0);
        assert_eq!(super::minor_units("USD"), 2);
        assert_eq!(super::minor_units("KWD"), 3);
    }
}
