//! Diagnostics: every problem found in a model, project or data file, with a stable code,
//! a severity, a message and a location (file, line, column). The library only builds
//! these; rendering them for a terminal is the binary's job.

use std::fmt;
use std::ops::Range;

use serde::Serialize;

/// How serious a diagnostic is. Errors stop a file from being used; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file cannot be used until this is fixed.
    Error,
    /// The file can be used, but a reader should look at this.
    Warning,
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $sev:ident, $summary:literal; )*) => {
        /// Stable diagnostic codes. A code never changes meaning once published; the table in
        /// `docs/model-format.md` lists them all (a test keeps it in step with this enum).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in table order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as printed, e.g. `VG003`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The severity this code always has.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }

            /// One line saying what the code means, for the documentation table.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* }
            }
        }
    };
}

codes! {
    /// The file is not valid TOML.
    TomlSyntax = "VG001", Error, "the file is not valid TOML";
    /// The file is not the kind the command expects (e.g. a project given as a model).
    WrongFileKind = "VG002", Error, "the file is not the kind of file the command expects";
    /// A key that this place in the file does not know.
    UnknownKey = "VG003", Error, "unknown key (with a \"did you mean\" when one is close)";
    /// A key that must be present is absent.
    MissingKey = "VG004", Error, "a required key is missing";
    /// A value of the wrong TOML type.
    WrongType = "VG005", Error, "a value has the wrong type";
    /// A value of the right type that is not allowed (bad enum word, bad date, bad version).
    InvalidValue = "VG006", Error, "a value is not one of those allowed";
    /// A number that would lose digits, or is not finite, where exactness matters.
    InexactNumber = "VG007", Error, "a number is not finite, or would lose digits as a float";
    /// An input file cannot be read: missing, unreadable, not a regular file (a directory,
    /// FIFO or device), or not UTF-8 text.
    InputFile = "VG008", Error, "an input file cannot be read, or is not a regular file";
    /// An input file is larger than its documented limit.
    InputTooLarge = "VG009", Error, "an input file is larger than its limit";
    /// Two definitions share one id.
    DuplicateId = "VG010", Error, "two definitions share one id";
    /// A group names a child that is not defined.
    UnknownChild = "VG011", Error, "a group names a child that is not defined";
    /// A node is the child of two groups, or twice of one.
    ChildUsedTwice = "VG012", Error, "a node is used as a child more than once";
    /// A weight is negative.
    NegativeWeight = "VG013", Error, "a weight is negative";
    /// A group's weights add up to zero.
    ZeroWeightSum = "VG014", Error, "a group's weights sum to zero";
    /// A weight is not a finite number.
    NonFiniteWeight = "VG015", Error, "a weight is not finite";
    /// A group has a different number of weights and children.
    WeightCount = "VG016", Error, "a group has a different number of weights and children";
    /// No group, or more than one, is left over as the root of the tree.
    Root = "VG017", Error, "the model has no single root group";
    /// Groups or formulas depend on each other in a cycle.
    Cycle = "VG018", Error, "groups or formulas depend on each other in a cycle";
    /// A group has no children.
    EmptyGroup = "VG019", Error, "a group has no children";
    /// Band thresholds are not strictly increasing, or do not cover the scale.
    BandOrder = "VG020", Error, "bands are out of order, or do not start at the scale minimum";
    /// A rule names a band that does not exist.
    UnknownBand = "VG021", Error, "a rule names a band that is not defined";
    /// A formula does not parse.
    FormulaSyntax = "VG030", Error, "a formula does not parse";
    /// A formula names an unknown node or input.
    FormulaUnknownName = "VG031", Error, "a formula names an unknown node or input";
    /// A formula is too deep or too long, or calls a function wrongly.
    FormulaLimit = "VG032", Error, "a formula is too deep or long, or calls a function wrongly";
    /// A TOML file nests arrays, inline tables or dotted keys deeper than Vigie reads.
    TomlNesting = "VG033", Error, "a file nests arrays, inline tables or keys too deep";
    /// The model's groups are nested deeper than Vigie allows.
    TreeDepth = "VG034", Error, "the model's groups are nested too deep";
    /// A normalisation is not well formed (goalposts equal, points out of order...).
    Normalisation = "VG040", Error, "a normalisation is not well formed";
    /// A transform cannot apply to the values it will get (e.g. ln with a goalpost <= 0).
    Transform = "VG041", Error, "a transform cannot apply to its goalposts or inputs";
    /// The scale is not a finite, increasing pair.
    Scale = "VG042", Error, "the model's scale is not a finite increasing pair";
    /// A number of the model is too large or too small for the arithmetic it takes part
    /// in to stay finite and exact.
    NumberRange = "VG043", Error, "a model number is too large or too small to compute with";
    /// The model defines more bands, alternatives or options than Vigie can index.
    TooMany = "VG044", Error, "the model has more bands, alternatives or options than allowed";
    /// Rules that always fire together contradict each other (floor above cap).
    RuleConflict = "VG050", Error, "rules that fire together contradict each other";
    /// A project value, a ratio denominator or an imputation source names an input the
    /// model does not have.
    UnknownInput = "VG060", Error, "an input named in a project or model does not exist";
    /// The project lacks a value the model requires.
    MissingInput = "VG061", Error, "a value the model requires is missing";
    /// A low/high range is reversed, or a value lies outside its own range.
    InvalidRange = "VG062", Error, "a range is reversed, or its value lies outside it";
    /// A categorical value is not one the model maps.
    UnknownCategory = "VG063", Error, "a categorical value is not one the model maps";
    /// The project gives a value for an indicator the model derives from data files.
    DerivedValueGiven = "VG064", Error, "the project gives a value the model derives from data files";
    /// An event or position file cannot be used (unreadable, not CSV, a required column missing).
    DataFile = "VG065", Error, "an event or position file cannot be used";
    /// A data file has rejected rows and the model makes them fatal.
    RejectedRowFatal = "VG066", Error, "a data-file row is rejected and the model makes that fatal";
    /// An event or position file holds no usable row (header only, or every row rejected).
    EmptyDataFile = "VG067", Error, "an event or position file holds no usable row";
    /// A data file does not cover a window an indicator reads, and the model's
    /// `[data] coverage = "error"` makes that fatal.
    CoverageFatal = "VG068", Error, "a data file does not cover an indicator's window and the model makes that fatal";
    /// A CSV record of a data file is longer than the limit for one record.
    RecordTooLong = "VG069", Error, "a data-file record is longer than the limit for one record";
    /// The model cannot be evaluated on these inputs (e.g. ln of a negative value).
    Evaluation = "VG070", Error, "the model cannot be evaluated on these inputs";
    /// The model's `[uncertainty]` table or an alternatives list is not well formed.
    Uncertainty = "VG080", Error, "the model's uncertainty declaration is not well formed";
    /// The model's `[finance]` table is not well formed or does not cover every band.
    Finance = "VG081", Error, "the model's finance section is not well formed";
    /// The model's governance fields are inconsistent, or (with the strict flag) the model
    /// is a draft, retired or overdue for review.
    Governance = "VG082", Error, "the model's governance record is incomplete, or forbids scoring";
    /// A currency or country code is not in the ISO 4217 or ISO 3166-1 alpha-3 list.
    UnknownIsoCode = "VG083", Error, "a currency or country code is not in its ISO list";
    /// A money amount is beyond what Vigie computes with exactly.
    AmountTooLarge = "VG084", Error, "a money amount is too large";
    /// A count (draws, sample size, replicates, threads, evaluations) is beyond its maximum.
    CountTooLarge = "VG085", Error, "a count is beyond its documented maximum";
    /// An output path is an input of the same run (the same file, by device and inode).
    OutputIsInput = "VG086", Error, "an output would overwrite an input of the same run";
    /// An output cannot be written (no such folder, not a regular file, no permission).
    OutputFile = "VG087", Error, "an output file cannot be written";
    /// The file given to `vigie verify` is not a JSON output of vigie with a well-formed
    /// audit block.
    AuditBlock = "VG088", Error, "a verified output's audit block is missing or malformed";
    /// The audit block's recorded command names a file it does not record, writes an
    /// output, or is not a command `vigie verify` can run again.
    AuditReplay = "VG089", Error, "a verified output's recorded command cannot be replayed safely";
    /// A file a model test file names (its model, a project file, a table in the
    /// repository) cannot be read or has errors.
    TestFileTarget = "VG090", Error, "a file a model test names cannot be read or has errors";
    /// A model test names a node, input, band or rule its model does not define.
    TestUnknownName = "VG091", Error, "a model test names something its model does not define";
    /// A test case gives no inputs, or more than one kind of them, or expects nothing.
    TestCaseShape = "VG092", Error, "a test case has no inputs or several kinds, or expects nothing";
    /// A test case's table cannot be used (a mapped column missing, a cell not a number).
    TestTable = "VG093", Error, "a test case's table cannot be used";
    /// A piecewise or bin normalisation does not move in the indicator's stated direction.
    DirectionMismatch = "VG100", Warning, "a normalisation does not move in its stated direction";
    /// An indicator is not used by any group.
    UnusedIndicator = "VG101", Warning, "an indicator or input is not used by anything";
    /// An input's status is unverified or contradicted.
    InputStatus = "VG102", Warning, "an input is unverified or contradicted by its sources";
    /// A value was imputed, dropped, floored or clamped during evaluation.
    EvaluationNote = "VG103", Warning, "a value was imputed, dropped, floored or clamped";
    /// A data-file row was rejected (bad date, coordinates, fatalities...).
    RejectedRow = "VG104", Warning, "a data-file row is rejected";
    /// The model is a draft or retired, or its review date has passed.
    GovernanceNote = "VG105", Warning, "the model is a draft, retired, or overdue for review";
    /// A project figure is older than the model's freshness limit.
    StaleValue = "VG106", Warning, "a figure is older than the model's freshness limit, or dates from after the as-of date";
    /// A data file does not cover a window an indicator reads: it ends long before the
    /// as-of date, starts after the window begins, holds no event (known by the as-of
    /// date), or no army position in it is active on the as-of date.
    DataCoverage = "VG107", Warning, "a data file does not cover a window an indicator reads";
    /// Rows of a data file that share an id (one event, one position) disagree.
    DuplicateDisagrees = "VG108", Warning, "rows sharing an event or position id disagree";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A place in a source file: byte span plus the 1-based line and column it starts at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file's name as the user gave it.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Byte range in the file.
    #[serde(skip)]
    pub span: Range<usize>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// A secondary place that explains a diagnostic (e.g. where a duplicate id was first defined).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    /// What this place is.
    pub message: String,
    /// Where it is.
    pub location: Location,
}

/// One problem found in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code.
    pub code: Code,
    /// Error or warning (fixed by the code).
    pub severity: Severity,
    /// What is wrong, in a sentence without a final period.
    pub message: String,
    /// Where, when it is known.
    pub location: Option<Location>,
    /// A suggestion, e.g. "did you mean `weights`?".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Other places that explain this one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
}

impl Diagnostic {
    /// A diagnostic without a location (for problems that belong to no line).
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            location: None,
            help: None,
            related: Vec::new(),
        }
    }

    /// Adds a suggestion.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if let Some(loc) = &self.location {
            write!(f, "{loc}: ")?;
        }
        write!(f, "{sev}[{}]: {}", self.code, self.message)?;
        if let Some(help) = &self.help {
            write!(f, " ({help})")?;
        }
        Ok(())
    }
}

/// A source file held in memory, able to turn byte offsets into lines and columns.
#[derive(Debug, Clone)]
pub struct SourceFile {
    name: String,
    text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// Wraps a file's text with the name to show in diagnostics.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// The name shown in diagnostics.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The location of a byte span (clamped to the text, never panics).
    pub fn locate(&self, span: Range<usize>) -> Location {
        let start = span.start.min(self.text.len());
        let line_idx = match self.line_starts.binary_search(&start) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let line_start = self.line_starts.get(line_idx).copied().unwrap_or(0);
        let column = self
            .text
            .get(line_start..start)
            .map_or(1, |s| s.chars().count() + 1);
        Location {
            file: self.name.clone(),
            line: line_idx + 1,
            column,
            span: start..span.end.clamp(start, self.text.len()),
        }
    }

    /// The text of the given 1-based line, without its newline.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |&e| e.saturating_sub(1));
        self.text
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches('\r')
    }

    /// A located diagnostic.
    pub fn diag(&self, code: Code, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        let mut d = Diagnostic::new(code, message);
        d.location = Some(self.locate(span));
        d
    }

    /// A related place in this file.
    pub fn related(&self, span: Range<usize>, message: impl Into<String>) -> Related {
        Related {
            message: message.into(),
            location: self.locate(span),
        }
    }
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// "Did you mean" searches one check of a file makes before it stops suggesting. Each
/// search reads every candidate, so a file naming 100,000 unknown things among 100,000
/// known ones would otherwise take 10^10 comparisons to report.
pub const MAX_SUGGESTIONS: usize = 100;

/// A budget of [`did_you_mean`] searches: the first [`MAX_SUGGESTIONS`] unknown names of a
/// file get a suggestion, later ones are reported without.
#[derive(Debug, Clone)]
pub struct Suggestions {
    left: usize,
}

impl Default for Suggestions {
    fn default() -> Self {
        Suggestions {
            left: MAX_SUGGESTIONS,
        }
    }
}

impl Suggestions {
    /// [`did_you_mean`], while the budget lasts.
    pub fn find<'a>(
        &mut self,
        word: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Option<&'a str> {
        self.left = self.left.checked_sub(1)?;
        did_you_mean(word, candidates)
    }
}

/// Names listed in a help ("bands are: ..."): the first dozen of a long list, then how
/// many more, so that a message repeated for every bad reference stays one short line.
pub fn name_list(names: &[&str]) -> String {
    const SHOWN: usize = 12;
    let mut out = names
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        out.push_str(&format!(", ... ({} more)", names.len() - SHOWN));
    }
    out
}

/// Longest piece of an input file, in characters, that a message may quote.
///
/// Messages quote what they reject so a user can find it, but a file may be one that a
/// project or audit block names and the user never meant to show (a key, a secret): a
/// message quotes at most this much of it, marked as cut.
pub const MAX_EXCERPT_CHARS: usize = 80;

/// `text` as a message may quote it: whole when it has at most [`MAX_EXCERPT_CHARS`]
/// characters, else its first ones followed by `…` and how much was cut. Control
/// characters are escaped so a quoted cell cannot move the terminal's cursor.
///
/// ```
/// assert_eq!(vigie::diag::excerpt("Kayes"), "Kayes");
/// let long = "x".repeat(100);
/// assert_eq!(vigie::diag::excerpt(&long), format!("{}… (cut, 100 characters)", "x".repeat(80)));
/// assert_eq!(vigie::diag::excerpt("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
/// ```
pub fn excerpt(text: &str) -> String {
    let total = text.chars().count();
    let mut out = String::with_capacity(text.len().min(4 * MAX_EXCERPT_CHARS + 32));
    for c in text.chars().take(MAX_EXCERPT_CHARS) {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    if total > MAX_EXCERPT_CHARS {
        out.push_str(&format!("… (cut, {total} characters)"));
    }
    out
}

/// True if any diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_gives_one_based_line_and_char_column() {
        let f = SourceFile::new("m.toml", "a = 1\nbé = 2\n");
        let loc = f.locate(10..11); // the `=` after "bé " (é is two bytes)
        assert_eq!((loc.line, loc.column), (2, 4));
        assert_eq!(f.line_text(2), "bé = 2");
        assert_eq!(f.locate(1000..1001).line, 3);
    }

    #[test]
    fn did_you_mean_finds_typos_only() {
        let keys = ["weights", "children", "aggregation"];
        assert_eq!(did_you_mean("weigths", keys), Some("weights"));
        assert_eq!(did_you_mean("zzz", keys), None);
    }

    #[test]
    fn codes_are_unique_and_formatted() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "duplicate {c}");
            assert!(c.as_str().starts_with("VG") && c.as_str().len() == 5);
        }
    }
}
