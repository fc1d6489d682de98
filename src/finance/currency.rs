//! ISO 4217 currencies and the decimals of their minor units, which money is rounded to.
//! An exposure's currency must be in this table with a minor unit: an unknown code is an
//! error, never two decimals by default (CLF and UYW have four).
//!
//! Source: ISO 4217, List One (current currency and funds codes), as published by the
//! maintenance agency (SIX Financial Information) with the amendments in force on
//! 1 January 2026 (Zimbabwe Gold ZWG, Caribbean Guilder XCG and Arab Accounting Dinar XAD
//! in; ANG, BGN, CUC, HRK, SLL and ZWL withdrawn). The numeric codes of the currencies in
//! both were cross-checked against Debian's iso-codes 4.15.0 (`iso_4217.json`).

/// A currency of ISO 4217's List One.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Currency {
    /// Alphabetic code, e.g. `"XOF"`.
    pub code: &'static str,
    /// Numeric code, e.g. 952.
    pub numeric: u16,
    /// Decimals of the minor unit; `None` where ISO 4217 gives "N.A." (precious metals,
    /// bond-market units, SDR, the testing and no-currency codes).
    pub minor_units: Option<u32>,
    /// The standard's English name.
    pub name: &'static str,
}

/// (code, numeric, minor units, name), sorted by code.
const TABLE: &[(&str, u16, Option<u32>, &str)] = &[
    ("AED", 784, Some(2), "UAE Dirham"),
    ("AFN", 971, Some(2), "Afghani"),
    ("ALL", 8, Some(2), "Lek"),
    ("AMD", 51, Some(2), "Armenian Dram"),
    ("AOA", 973, Some(2), "Kwanza"),
    ("ARS", 32, Some(2), "Argentine Peso"),
    ("AUD", 36, Some(2), "Australian Dollar"),
    ("AWG", 533, Some(2), "Aruban Florin"),
    ("AZN", 944, Some(2), "Azerbaijan Manat"),
    ("BAM", 977, Some(2), "Convertible Mark"),
    ("BBD", 52, Some(2), "Barbados Dollar"),
    ("BDT", 50, Some(2), "Taka"),
    ("BHD", 48, Some(3), "Bahraini Dinar"),
    ("BIF", 108, Some(0), "Burundi Franc"),
    ("BMD", 60, Some(2), "Bermudian Dollar"),
    ("BND", 96, Some(2), "Brunei Dollar"),
    ("BOB", 68, Some(2), "Boliviano"),
    ("BOV", 984, Some(2), "Mvdol"),
    ("BRL", 986, Some(2), "Brazilian Real"),
    ("BSD", 44, Some(2), "Bahamian Dollar"),
    ("BTN", 64, Some(2), "Ngultrum"),
    ("BWP", 72, Some(2), "Pula"),
    ("BYN", 933, Some(2), "Belarusian Ruble"),
    ("BZD", 84, Some(2), "Belize Dollar"),
    ("CAD", 124, Some(2), "Canadian Dollar"),
    ("CDF", 976, Some(2), "Congolese Franc"),
    ("CHE", 947, Some(2), "WIR Euro"),
    ("CHF", 756, Some(2), "Swiss Franc"),
    ("CHW", 948, Some(2), "WIR Franc"),
    ("CLF", 990, Some(4), "Unidad de Fomento"),
    ("CLP", 152, Some(0), "Chilean Peso"),
    ("CNY", 156, Some(2), "Yuan Renminbi"),
    ("COP", 170, Some(2), "Colombian Peso"),
    ("COU", 970, Some(2), "Unidad de Valor Real"),
    ("CRC", 188, Some(2), "Costa Rican Colon"),
    ("CUP", 192, Some(2), "Cuban Peso"),
    ("CVE", 132, Some(2), "Cabo Verde Escudo"),
    ("CZK", 203, Some(2), "Czech Koruna"),
    ("DJF", 262, Some(0), "Djibouti Franc"),
    ("DKK", 208, Some(2), "Danish Krone"),
    ("DOP", 214, Some(2), "Dominican Peso"),
    ("DZD", 12, Some(2), "Algerian Dinar"),
    ("EGP", 818, Some(2), "Egyptian Pound"),
    ("ERN", 232, Some(2), "Nakfa"),
    ("ETB", 230, Some(2), "Ethiopian Birr"),
    ("EUR", 978, Some(2), "Euro"),
    ("FJD", 242, Some(2), "Fiji Dollar"),
    ("FKP", 238, Some(2), "Falkland Islands Pound"),
    ("GBP", 826, Some(2), "Pound Sterling"),
    ("GEL", 981, Some(2), "Lari"),
    ("GHS", 936, Some(2), "Ghana Cedi"),
    ("GIP", 292, Some(2), "Gibraltar Pound"),
    ("GMD", 270, Some(2), "Dalasi"),
    ("GNF", 324, Some(0), "Guinean Franc"),
    ("GTQ", 320, Some(2), "Quetzal"),
    ("GYD", 328, Some(2), "Guyana Dollar"),
    ("HKD", 344, Some(2), "Hong Kong Dollar"),
    ("HNL", 340, Some(2), "Lempira"),
    ("HTG", 332, Some(2), "Gourde"),
    ("HUF", 348, Some(2), "Forint"),
    ("IDR", 360, Some(2), "Rupiah"),
    ("ILS", 376, Some(2), "New Israeli Sheqel"),
    ("INR", 356, Some(2), "Indian Rupee"),
    ("IQD", 368, Some(3), "Iraqi Dinar"),
    ("IRR", 364, Some(2), "Iranian Rial"),
    ("ISK", 352, Some(0), "Iceland Krona"),
    ("JMD", 388, Some(2), "Jamaican Dollar"),
    ("JOD", 400, Some(3), "Jordanian Dinar"),
    ("JPY", 392, Some(0), "Yen"),
    ("KES", 404, Some(2), "Kenyan Shilling"),
    ("KGS", 417, Some(2), "Som"),
    ("KHR", 116, Some(2), "Riel"),
    ("KMF", 174, Some(0), "Comorian Franc"),
    ("KPW", 408, Some(2), "North Korean Won"),
    ("KRW", 410, Some(0), "Won"),
    ("KWD", 414, Some(3), "Kuwaiti Dinar"),
    ("KYD", 136, Some(2), "Cayman Islands Dollar"),
    ("KZT", 398, Some(2), "Tenge"),
    ("LAK", 418, Some(2), "Lao Kip"),
    ("LBP", 422, Some(2), "Lebanese Pound"),
    ("LKR", 144, Some(2), "Sri Lanka Rupee"),
    ("LRD", 430, Some(2), "Liberian Dollar"),
    ("LSL", 426, Some(2), "Loti"),
    ("LYD", 434, Some(3), "Libyan Dinar"),
    ("MAD", 504, Some(2), "Moroccan Dirham"),
    ("MDL", 498, Some(2), "Moldovan Leu"),
    ("MGA", 969, Some(2), "Malagasy Ariary"),
    ("MKD", 807, Some(2), "Denar"),
    ("MMK", 104, Some(2), "Kyat"),
    ("MNT", 496, Some(2), "Tugrik"),
    ("MOP", 446, Some(2), "Pataca"),
    ("MRU", 929, Some(2), "Ouguiya"),
    ("MUR", 480, Some(2), "Mauritius Rupee"),
    ("MVR", 462, Some(2), "Rufiyaa"),
    ("MWK", 454, Some(2), "Malawi Kwacha"),
    ("MXN", 484, Some(2), "Mexican Peso"),
    ("MXV", 979, Some(2), "Mexican Unidad de Inversion (UDI)"),
    ("MYR", 458, Some(2), "Malaysian Ringgit"),
    ("MZN", 943, Some(2), "Mozambique Metical"),
    ("NAD", 516, Some(2), "Namibia Dollar"),
    ("NGN", 566, Some(2), "Naira"),
    ("NIO", 558, Some(2), "Cordoba Oro"),
    ("NOK", 578, Some(2), "Norwegian Krone"),
    ("NPR", 524, Some(2), "Nepalese Rupee"),
    ("NZD", 554, Some(2), "New Zealand Dollar"),
    ("OMR", 512, Some(3), "Rial Omani"),
    ("PAB", 590, Some(2), "Balboa"),
    ("PEN", 604, Some(2), "Sol"),
    ("PGK", 598, Some(2), "Kina"),
    ("PHP", 608, Some(2), "Philippine Peso"),
    ("PKR", 586, Some(2), "Pakistan Rupee"),
    ("PLN", 985, Some(2), "Zloty"),
    ("PYG", 600, Some(0), "Guarani"),
    ("QAR", 634, Some(2), "Qatari Rial"),
    ("RON", 946, Some(2), "Romanian Leu"),
    ("RSD", 941, Some(2), "Serbian Dinar"),
    ("RUB", 643, Some(2), "Russian Ruble"),
    ("RWF", 646, Some(0), "Rwanda Franc"),
    ("SAR", 682, Some(2), "Saudi Riyal"),
    ("SBD", 90, Some(2), "Solomon Islands Dollar"),
    ("SCR", 690, Some(2), "Seychelles Rupee"),
    ("SDG", 938, Some(2), "Sudanese Pound"),
    ("SEK", 752, Some(2), "Swedish Krona"),
    ("SGD", 702, Some(2), "Singapore Dollar"),
    ("SHP", 654, Some(2), "Saint Helena Pound"),
    ("SLE", 925, Some(2), "Leone"),
    ("SOS", 706, Some(2), "Somali Shilling"),
    ("SRD", 968, Some(2), "Surinam Dollar"),
    ("SSP", 728, Some(2), "South Sudanese Pound"),
    ("STN", 930, Some(2), "Dobra"),
    ("SVC", 222, Some(2), "El Salvador Colon"),
    ("SYP", 760, Some(2), "Syrian Pound"),
    ("SZL", 748, Some(2), "Lilangeni"),
    ("THB", 764, Some(2), "Baht"),
    ("TJS", 972, Some(2), "Somoni"),
    ("TMT", 934, Some(2), "Turkmenistan New Manat"),
    ("TND", 788, Some(3), "Tunisian Dinar"),
    ("TOP", 776, Some(2), "Pa'anga"),
    ("TRY", 949, Some(2), "Turkish Lira"),
    ("TTD", 780, Some(2), "Trinidad and Tobago Dollar"),
    ("TWD", 901, Some(2), "New Taiwan Dollar"),
    ("TZS", 834, Some(2), "Tanzanian Shilling"),
    ("UAH", 980, Some(2), "Hryvnia"),
    ("UGX", 800, Some(0), "Uganda Shilling"),
    ("USD", 840, Some(2), "US Dollar"),
    ("USN", 997, Some(2), "US Dollar (Next day)"),
    (
        "UYI",
        940,
        Some(0),
        "Uruguay Peso en Unidades Indexadas (UI)",
    ),
    ("UYU", 858, Some(2), "Peso Uruguayo"),
    ("UYW", 927, Some(4), "Unidad Previsional"),
    ("UZS", 860, Some(2), "Uzbekistan Sum"),
    ("VED", 926, Some(2), "Bolivar Soberano"),
    ("VES", 928, Some(2), "Bolivar Soberano"),
    ("VND", 704, Some(0), "Dong"),
    ("VUV", 548, Some(0), "Vatu"),
    ("WST", 882, Some(2), "Tala"),
    ("XAD", 396, Some(2), "Arab Accounting Dinar"),
    ("XAF", 950, Some(0), "CFA Franc BEAC"),
    ("XAG", 961, None, "Silver"),
    ("XAU", 959, None, "Gold"),
    (
        "XBA",
        955,
        None,
        "Bond Markets Unit European Composite Unit (EURCO)",
    ),
    (
        "XBB",
        956,
        None,
        "Bond Markets Unit European Monetary Unit (E.M.U.-6)",
    ),
    (
        "XBC",
        957,
        None,
        "Bond Markets Unit European Unit of Account 9 (E.U.A.-9)",
    ),
    (
        "XBD",
        958,
        None,
        "Bond Markets Unit European Unit of Account 17 (E.U.A.-17)",
    ),
    ("XCD", 951, Some(2), "East Caribbean Dollar"),
    ("XCG", 532, Some(2), "Caribbean Guilder"),
    ("XDR", 960, None, "SDR (Special Drawing Right)"),
    ("XOF", 952, Some(0), "CFA Franc BCEAO"),
    ("XPD", 964, None, "Palladium"),
    ("XPF", 953, Some(0), "CFP Franc"),
    ("XPT", 962, None, "Platinum"),
    ("XSU", 994, None, "Sucre"),
    (
        "XTS",
        963,
        None,
        "Codes specifically reserved for testing purposes",
    ),
    ("XUA", 965, None, "ADB Unit of Account"),
    (
        "XXX",
        999,
        None,
        "The codes assigned for transactions where no currency is involved",
    ),
    ("YER", 886, Some(2), "Yemeni Rial"),
    ("ZAR", 710, Some(2), "Rand"),
    ("ZMW", 967, Some(2), "Zambian Kwacha"),
    ("ZWG", 924, Some(2), "Zimbabwe Gold"),
];

/// The currency of an alphabetic code (exact, uppercase), if ISO 4217 lists it.
pub fn currency(code: &str) -> Option<Currency> {
    let i = TABLE.binary_search_by(|row| row.0.cmp(code)).ok()?;
    let (code, numeric, minor_units, name) = TABLE[i];
    Some(Currency {
        code,
        numeric,
        minor_units,
        name,
    })
}

/// Decimals of a currency's minor unit: `None` for a code ISO 4217 does not list, or one
/// without a minor unit (gold, SDR...), in which no amount can be rounded.
///
/// ```
/// use vigie::finance::currency::minor_units;
/// assert_eq!(minor_units("XOF"), Some(0));
/// assert_eq!(minor_units("CLF"), Some(4));
/// assert_eq!(minor_units("ZZZ"), None);
/// ```
pub fn minor_units(code: &str) -> Option<u32> {
    currency(code)?.minor_units
}

/// Every currency code with a minor unit, in order (for suggestions and documentation).
pub fn codes() -> impl Iterator<Item = &'static str> {
    TABLE.iter().filter(|r| r.2.is_some()).map(|r| r.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_without_duplicates() {
        assert!(TABLE.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(TABLE.len(), 178);
        assert!(
            TABLE
                .iter()
                .all(|r| r.0.len() == 3 && r.0.bytes().all(|b| b.is_ascii_uppercase()))
        );
    }

    #[test]
    fn a_sample_of_minor_units_matches_iso_4217() {
        let sample = [
            ("USD", 2),
            ("EUR", 2),
            ("CNY", 2),
            ("XOF", 0),
            ("XAF", 0),
            ("JPY", 0),
            ("KRW", 0),
            ("ISK", 0),
            ("VND", 0),
            ("UYI", 0),
            ("BHD", 3),
            ("IQD", 3),
            ("JOD", 3),
            ("KWD", 3),
            ("LYD", 3),
            ("OMR", 3),
            ("TND", 3),
            ("CLF", 4),
            ("UYW", 4),
            ("MRU", 2),
            ("ZWG", 2),
            ("XCG", 2),
        ];
        for (code, units) in sample {
            assert_eq!(minor_units(code), Some(units), "{code}");
        }
        assert_eq!(currency("XOF").unwrap().numeric, 952);
        assert_eq!(currency("CLF").unwrap().name, "Unidad de Fomento");
    }

    #[test]
    fn unknown_withdrawn_and_unitless_codes_have_no_minor_unit() {
        for code in ["ZZZ", "usd", "US", "HRK", "BGN", "XAU", "XDR", "XXX", ""] {
            assert_eq!(minor_units(code), None, "{code}");
        }
        assert!(currency("XAU").is_some());
        assert_eq!(codes().count(), 165);
    }
}
