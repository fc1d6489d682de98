//! Tests for the formula language: syntax, semantics, errors, limits and robustness properties.

use proptest::prelude::*;
use vigie::expr::{
    Expr, ExprError, ExprErrorKind, MAX_DEPTH, MAX_SOURCE_LEN, Name, Operand, compile,
};

const NAN: f64 = f64::NAN;

/// Nodes: a=0, b=1, c=2, x=3, t=4 (1.0), f=5 (0.0), u=6 (NaN), two=7 and the example names.
/// Raw inputs: a=0, x=1, and the example names.
fn resolve(name: Name<'_>) -> Option<Operand> {
    let node = |i| Some(Operand::Node(i));
    let raw = |i| Some(Operand::Raw(i));
    match (name.raw, name.id) {
        (false, "a") => node(0),
        (false, "b") => node(1),
        (false, "c") => node(2),
        (false, "x") => node(3),
        (false, "t") => node(4),
        (false, "f") => node(5),
        (false, "u") => node(6),
        (false, "two") => node(7),
        (false, "political_violence") => node(8),
        (false, "conflict_probability") => node(9),
        (false, "mean") => node(10),
        (true, "a") => raw(0),
        (true, "x") => raw(1),
        (true, "attacks_100km_12m") => raw(2),
        (true, "distance_to_army_km") => raw(3),
        (true, "and") => raw(4),
        _ => None,
    }
}

const NODES: [f64; 11] = [1.0, 2.0, 3.0, 0.5, 1.0, 0.0, NAN, 2.0, 5.0, 7.0, 42.0];
const RAW: [f64; 5] = [10.0, 20.0, 3.0, 151.0, 9.0];

fn compiled(src: &str) -> Expr {
    compile(src, &mut resolve).unwrap_or_else(|e| panic!("{src:?} failed: {e:?}"))
}

fn ev(src: &str) -> f64 {
    compiled(src).eval(&NODES, &RAW)
}

fn errors(src: &str) -> Vec<ExprError> {
    compile(src, &mut resolve).expect_err(src)
}

fn kinds(src: &str) -> Vec<ExprErrorKind> {
    errors(src).into_iter().map(|e| e.kind).collect()
}

fn assert_ev(src: &str, want: f64) {
    let got = ev(src);
    if want.is_nan() {
        assert!(got.is_nan(), "{src:?}: expected NaN, got {got}");
    } else {
        assert_eq!(
            got.to_bits(),
            want.to_bits(),
            "{src:?}: expected {want}, got {got}"
        );
    }
}

#[test]
fn required_associativity_cases() {
    assert_ev("2^3^2", 512.0);
    assert_ev("-2^2", -4.0);
    assert_ev("1 - 2 - 3", -4.0);
    assert_ev("8 / 4 / 2", 1.0);
}

#[test]
fn precedence_and_associativity() {
    assert_ev("1 + 2 * 3", 7.0);
    assert_ev("(1 + 2) * 3", 9.0);
    assert_ev("(-2)^2", 4.0);
    assert_ev("2 * 3 ^ 2", 18.0);
    assert_ev("2^-1", 0.5);
    assert_ev("-2 * 3", -6.0);
    assert_ev("- -3", 3.0);
    assert_ev("10 - 2 + 3", 11.0);
    assert_ev("12 / 2 * 3", 18.0);
    assert_ev("1 + 2 < 4", 1.0);
    assert_ev("2 * 3 == 6", 1.0);
    assert_ev("not 1 < 2", 0.0);
    assert_ev("not 0 and 0", 0.0);
    assert_ev("0 and 1 or 1", 1.0);
    assert_ev("1 or 1 and 0", 1.0);
    assert_ev("1 < 2 and 3 < 2 or 2 < 3", 1.0);
    assert_ev("not not 5", 1.0);
    assert_ev("(1 < 2) < 3", 1.0);
}

#[test]
fn literals_and_names() {
    assert_ev("1e3 + 2.5E-2", 1000.025);
    assert_ev(".5", 0.5);
    assert_ev("1.5e+1", 15.0);
    assert_ev("true", 1.0);
    assert_ev("false", 0.0);
    assert_ev("a + b", 3.0);
    assert_ev("raw.a + raw.x", 30.0);
    assert_ev("raw.and", 9.0);
    assert_ev("mean", 42.0);
    assert_ev("mean(mean, 0)", 21.0);
    assert_ev("\n\t a\r\n+ 1 ", 2.0);
}

#[test]
fn comparisons() {
    for (src, want) in [
        ("1 < 2", 1.0),
        ("2 < 2", 0.0),
        ("2 <= 2", 1.0),
        ("3 <= 2", 0.0),
        ("3 > 2", 1.0),
        ("2 > 2", 0.0),
        ("2 >= 2", 1.0),
        ("1 >= 2", 0.0),
        ("2 == 2", 1.0),
        ("2 == 3", 0.0),
        ("2 != 3", 1.0),
        ("2 != 2", 0.0),
    ] {
        assert_ev(src, want);
    }
}

#[test]
fn spec_examples() {
    let src = "if(political_violence >= 8, political_violence, mean(political_violence, conflict_probability))";
    assert_ev(src, 6.0);
    let expr = compiled(src);
    let mut nodes = NODES;
    nodes[8] = 9.0;
    assert_eq!(expr.eval(&nodes, &RAW), 9.0);
    assert_ev(
        "raw.attacks_100km_12m >= 3 and raw.distance_to_army_km > 150",
        1.0,
    );
    assert_ev(
        "raw.attacks_100km_12m >= 4 and raw.distance_to_army_km > 150",
        0.0,
    );
}

#[test]
fn every_function() {
    assert_ev("if(1, 2, 3)", 2.0);
    assert_ev("if(0, 2, 3)", 3.0);
    assert_ev("if(-0.5, 2, 3)", 2.0);
    assert_ev("min(3)", 3.0);
    assert_ev("min(3, 1, 2)", 1.0);
    assert_ev("max(3, 1, 2)", 3.0);
    assert_ev("max(-1)", -1.0);
    assert_ev("mean(4)", 4.0);
    assert_ev("mean(1, 2)", 1.5);
    assert_ev("mean(1, 2, 3, 4)", 2.5);
    assert_ev("round(2.5)", 3.0);
    assert_ev("round(-2.5)", -3.0);
    assert_ev("round(2.675, 2)", 2.68);
    assert_ev("round((4.8 + 7.1) / 2, 1)", 6.0);
    assert_ev("round(1 / 3, 15)", 0.333_333_333_333_333);
    assert_ev("round(1.25, 0)", 1.0);
    assert_ev("ln(1)", 0.0);
    assert_ev("ln(exp(2))", 2.0);
    assert_ev("exp(0)", 1.0);
    assert_ev("exp(1)", std::f64::consts::E);
    assert_ev("exp(1000)", f64::INFINITY);
    assert_ev("abs(-3)", 3.0);
    assert_ev("abs(3)", 3.0);
    assert_ev("clamp(5, 0, 3)", 3.0);
    assert_ev("clamp(-1, 0, 3)", 0.0);
    assert_ev("clamp(2, 0, 3)", 2.0);
}

#[test]
fn undefined_results() {
    assert_ev("1 / 0", NAN);
    assert_ev("0 / 0", NAN);
    assert_ev("-1 / 0", NAN);
    assert_ev("ln(0)", NAN);
    assert_ev("ln(-1)", NAN);
    assert_ev("clamp(1, 3, 0)", NAN);
    assert_ev("(-8)^(1/3)", NAN);
    assert_ev("10^400", f64::INFINITY);
}

#[test]
fn kleene_logic_table() {
    // t = 1, f = 0, u = NaN (unknown).
    let table = [
        ("t and t", 1.0),
        ("t and f", 0.0),
        ("t and u", NAN),
        ("f and t", 0.0),
        ("f and f", 0.0),
        ("f and u", 0.0),
        ("u and t", NAN),
        ("u and f", 0.0),
        ("u and u", NAN),
        ("t or t", 1.0),
        ("t or f", 1.0),
        ("t or u", 1.0),
        ("f or t", 1.0),
        ("f or f", 0.0),
        ("f or u", NAN),
        ("u or t", 1.0),
        ("u or f", NAN),
        ("u or u", NAN),
        ("not t", 0.0),
        ("not f", 1.0),
        ("not u", NAN),
    ];
    for (src, want) in table {
        assert_ev(src, want);
    }
    // Any non-zero number is true and results are normalised to 1/0.
    assert_ev("2 and -3", 1.0);
    assert_ev("0 or 0.25", 1.0);
}

#[test]
fn nan_propagates() {
    for src in [
        "u + 1",
        "1 - u",
        "u * 0",
        "u / 1",
        "u ^ 0",
        "1 ^ u",
        "-u",
        "u < 1",
        "u <= 1",
        "u > 1",
        "u >= 1",
        "u == u",
        "u != 1",
        "min(1, u)",
        "max(u, 1)",
        "mean(1, 2, u)",
        "abs(u)",
        "ln(u)",
        "exp(u)",
        "round(u, 2)",
        "clamp(u, 0, 1)",
        "clamp(1, u, 2)",
        "clamp(1, 0, u)",
        "if(u, 1, 2)",
        "a + x * u",
    ] {
        assert_ev(src, NAN);
    }
}

#[test]
fn if_does_not_leak_the_unchosen_branch() {
    assert_ev("if(1, 2, u)", 2.0);
    assert_ev("if(0, u, 3)", 3.0);
    assert_ev("if(a > b, u, a + b)", 3.0);
    assert_ev("if(1, u, 3)", NAN);
}

#[test]
fn unknown_names_are_all_reported_with_spans() {
    let src = "foo + bar * raw.baz + a - raw.b";
    let errs = errors(src);
    let found: Vec<_> = errs
        .iter()
        .map(|e| (e.kind.clone(), e.span.range()))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                ExprErrorKind::UnknownName {
                    name: "foo".into(),
                    raw: false
                },
                0..3
            ),
            (
                ExprErrorKind::UnknownName {
                    name: "bar".into(),
                    raw: false
                },
                6..9
            ),
            (
                ExprErrorKind::UnknownName {
                    name: "baz".into(),
                    raw: true
                },
                12..19
            ),
            (
                ExprErrorKind::UnknownName {
                    name: "b".into(),
                    raw: true
                },
                26..31
            ),
        ]
    );
    assert_eq!(&src[errs[2].span.range()], "raw.baz");
    assert_eq!(errs[0].message, "unknown name `foo`");
    assert_eq!(errs[2].message, "unknown raw input `raw.baz`");
    // Names inside calls and alongside other errors are reported too, in text order.
    let errs = errors("nope(zz) + ln(1, yy)");
    let spans: Vec<_> = errs.iter().map(|e| e.span.range()).collect();
    assert_eq!(spans, vec![0..4, 5..7, 11..20, 17..19]);
    assert_eq!(errs[0].kind, ExprErrorKind::UnknownFunction("nope".into()));
}

#[test]
fn arity_errors() {
    for (src, function, expected, found) in [
        ("if(1, 2)", "if", "3", 2),
        ("if(1, 2, 3, 4)", "if", "3", 4),
        ("clamp(1, 2)", "clamp", "3", 2),
        ("ln()", "ln", "1", 0),
        ("exp(1, 2)", "exp", "1", 2),
        ("abs()", "abs", "1", 0),
        ("round()", "round", "1 or 2", 0),
        ("round(1, 2, 3)", "round", "1 or 2", 3),
        ("mean()", "mean", "at least 1", 0),
        ("min()", "min", "at least 1", 0),
        ("max()", "max", "at least 1", 0),
    ] {
        let errs = errors(src);
        assert_eq!(errs.len(), 1, "{src}: {errs:?}");
        assert_eq!(
            errs[0].kind,
            ExprErrorKind::Arity {
                function: function.into(),
                expected: expected.into(),
                found
            },
            "{src}"
        );
        assert_eq!(errs[0].span.range(), 0..src.len(), "{src}");
    }
    assert_eq!(
        errors("if(1, 2)")[0].message,
        "`if` takes 3 arguments, found 2"
    );
    assert_eq!(errors("ln()")[0].message, "`ln` takes 1 argument, found 0");
}

#[test]
fn round_digits_must_be_a_small_integer_literal() {
    for src in [
        "round(x, a)",
        "round(x, 16)",
        "round(x, -1)",
        "round(x, 1.5)",
        "round(x, 1 + 1)",
        "round(x, true)",
    ] {
        let errs = errors(src);
        assert_eq!(errs.len(), 1, "{src}");
        assert_eq!(errs[0].kind, ExprErrorKind::BadRoundDigits, "{src}");
        assert_eq!(&src[errs[0].span.range()], &src[9..src.len() - 1], "{src}");
    }
    assert_ev("round(x, 0)", 1.0);
    assert_ev("round(0.123456789, 15)", 0.123_456_789);
}

#[test]
fn chained_comparisons_are_rejected() {
    for src in ["a < b < c", "a == b != c", "1 <= 2 > 0"] {
        let errs = errors(src);
        assert_eq!(errs.len(), 1, "{src}");
        assert_eq!(errs[0].kind, ExprErrorKind::Syntax);
        assert!(
            errs[0].message.contains("cannot be chained"),
            "{}",
            errs[0].message
        );
    }
    assert_eq!(errors("a < b < c")[0].span.range(), 6..7);
}

#[test]
fn syntax_errors() {
    for src in [
        "",
        "1 +",
        "(1",
        "1)",
        "1 2",
        "a = b",
        "a & b",
        "a && b",
        "a | b",
        "!a",
        "2x",
        "1e",
        "1.",
        "1.2.3",
        "1e999",
        "raw.",
        "raw.1",
        "a.b",
        "é",
        "1 + not 2",
        "min(1,)",
        "(1, 2)",
        "*",
        "a b c",
        "%",
        "1 ^",
        ",",
        "min(",
    ] {
        let errs = errors(src);
        assert!(!errs.is_empty(), "{src}");
        for err in &errs {
            assert_eq!(err.kind, ExprErrorKind::Syntax, "{src}: {err:?}");
            assert!(src.get(err.span.range()).is_some(), "{src}: {err:?}");
            let first = err.message.chars().next().unwrap();
            assert!(!first.is_uppercase(), "{}", err.message);
            assert!(!err.message.ends_with('.'), "{}", err.message);
        }
    }
    assert_eq!(
        errors("")[0].message,
        "expected an expression, found the end of the formula"
    );
    assert_eq!(errors("(1 + 2")[0].span.range(), 6..6);
    assert_eq!(
        errors("1e999")[0].message,
        "number literal `1e999` is out of range"
    );
}

/// A formula's text comes from a model file that may be hostile or pasted by mistake: an
/// error message quotes at most an 80-character excerpt of it, marked as cut, never a
/// 4000-character name or literal (issue 9 §5).
#[test]
fn error_messages_quote_a_short_excerpt_of_long_names_and_literals() {
    let long = "n".repeat(3000);
    let cases = [
        format!("{long} + 1"),              // unknown name
        format!("raw.{long} + 1"),          // unknown raw input
        format!("{long}(1)"),               // unknown function
        format!("1 + {}", "9".repeat(400)), // literal out of range
        format!("1{long}"),                 // malformed literal
        format!("1 {long}"),                // a long name where an operator is expected
    ];
    for src in &cases {
        let errors = errors(src);
        for e in &errors {
            assert!(e.message.len() < 200, "{src:.20}...: {}", e.message);
        }
        assert!(
            errors.iter().any(|e| e.message.contains(" characters)")),
            "{src:.20}...: {errors:?}"
        );
    }
}

#[test]
fn depth_limits() {
    let nested = |n: usize| format!("{}1{}", "(".repeat(n), ")".repeat(n));
    assert_ev(&nested(MAX_DEPTH), 1.0);
    assert_eq!(kinds(&nested(MAX_DEPTH + 1)), vec![ExprErrorKind::TooDeep]);
    assert_ev(&format!("{}1", "-".repeat(MAX_DEPTH)), 1.0);
    assert_eq!(
        kinds(&format!("{}1", "-".repeat(MAX_DEPTH + 1))),
        vec![ExprErrorKind::TooDeep]
    );
    assert_eq!(
        kinds(&format!("{}1", "not ".repeat(MAX_DEPTH + 1))),
        vec![ExprErrorKind::TooDeep]
    );
    assert_eq!(
        kinds(&format!("{}1", "1^".repeat(MAX_DEPTH + 1))),
        vec![ExprErrorKind::TooDeep]
    );
    assert_eq!(
        kinds(&format!(
            "{}1{}",
            "abs(".repeat(MAX_DEPTH + 1),
            ")".repeat(MAX_DEPTH + 1)
        )),
        vec![ExprErrorKind::TooDeep]
    );
    // Within the nesting limit but more than 64 stack slots: refused at compile time.
    let ifs = format!(
        "{}1{}",
        "if(1, 1, ".repeat(MAX_DEPTH),
        ")".repeat(MAX_DEPTH)
    );
    let errs = errors(&ifs);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].kind, ExprErrorKind::TooDeep);
    assert!(errs[0].message.contains("stack"), "{}", errs[0].message);
    let ifs = format!("{}1{}", "if(1, 1, ".repeat(30), ")".repeat(30));
    assert_ev(&ifs, 1.0);
}

#[test]
fn huge_inputs_give_errors_not_stack_overflows() {
    assert_eq!(kinds(&"(".repeat(10_000)), vec![ExprErrorKind::TooLong]);
    assert_eq!(
        kinds(&format!("{}1", "-".repeat(10_000))),
        vec![ExprErrorKind::TooLong]
    );
    assert_eq!(
        kinds(&vec!["1"; 10_000].join("+")),
        vec![ExprErrorKind::TooLong]
    );
    // The same shapes within the length limit.
    assert_eq!(kinds(&"(".repeat(4_000)), vec![ExprErrorKind::TooDeep]);
    assert_eq!(
        kinds(&format!("{}1", "-".repeat(4_000))),
        vec![ExprErrorKind::TooDeep]
    );
    let sum = vec!["1"; MAX_SOURCE_LEN / 2].join("+");
    assert_eq!(sum.len(), MAX_SOURCE_LEN - 1);
    assert_ev(&sum, 2048.0);
    let too_long = "1".repeat(MAX_SOURCE_LEN + 1);
    let errs = errors(&too_long);
    assert_eq!(errs[0].span.range(), MAX_SOURCE_LEN..MAX_SOURCE_LEN + 1);
}

#[test]
fn expr_api() {
    let expr = compiled("a + raw.x * if(b, a, raw.a)");
    assert_eq!(
        expr.operands().collect::<Vec<_>>(),
        vec![
            Operand::Node(0),
            Operand::Raw(1),
            Operand::Node(1),
            Operand::Node(0),
            Operand::Raw(0)
        ]
    );
    assert_eq!(expr.is_constant(), None);
    assert_eq!(expr.source(), "a + raw.x * if(b, a, raw.a)");
    assert_eq!(expr.to_string(), expr.source());
    assert_eq!(expr.clone(), expr);
    assert_eq!(compiled("true").is_constant(), Some(1.0));
    assert_eq!(compiled("round(2 * 3.5 / 3, 2)").is_constant(), Some(2.33));
    assert!(compiled("1 / 0").is_constant().unwrap().is_nan());
    // Short slices read as missing values rather than panicking.
    assert!(expr.eval(&[], &[]).is_nan());
    assert_eq!(compiled("a or raw.x").eval(&[1.0], &[]), 1.0);
    fn assert_send_sync<T: Send + Sync + Clone + std::fmt::Debug>() {}
    assert_send_sync::<Expr>();
    assert_send_sync::<ExprError>();
}

#[test]
fn resolver_sees_every_occurrence() {
    let mut seen = Vec::new();
    let mut record = |name: Name<'_>| {
        seen.push(name.to_string());
        Some(Operand::Node(0))
    };
    compile("a + raw.b * a", &mut record).unwrap();
    assert_eq!(seen, vec!["a", "raw.b", "a"]);
}

#[test]
fn error_display() {
    let err = &errors("1 + zz")[0];
    assert_eq!(err.to_string(), "unknown name `zz` (bytes 4..6)");
}

/// Strings built from the language's own pieces reach far more of the parser than random text.
fn token_soup() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a", "b", "u", "x", "zz", "raw.a", "raw.x", "raw.", "1", "0", "2.5", ".5", "1e3", "1e",
        "true", "false", "and", "or", "not", "if", "min", "max", "mean", "round", "ln", "exp",
        "abs", "clamp", "nope", "(", ")", "(", ")", ",", "+", "-", "*", "/", "^", "<", "<=", ">",
        ">=", "==", "!=", "=", "!", " ", "é", "15", "16",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|parts| parts.concat())
}

fn any_index_resolver(name: Name<'_>) -> Option<Operand> {
    // Indices deliberately run past the slices handed to `eval`.
    let index = u32::try_from(name.id.len() % 7).unwrap_or(0);
    if name.id == "zz" {
        None
    } else if name.raw {
        Some(Operand::Raw(index))
    } else {
        Some(Operand::Node(index))
    }
}

fn check_errors(src: &str, result: &Result<Expr, Vec<ExprError>>) {
    if let Err(errs) = result {
        assert!(!errs.is_empty());
        for err in errs {
            assert!(src.get(err.span.range()).is_some(), "{src:?}: {err:?}");
            assert!(!err.message.is_empty());
        }
    }
}

proptest! {
    #[test]
    fn compile_never_panics_on_arbitrary_text(src in any::<String>()) {
        let result = compile(&src, &mut any_index_resolver);
        check_errors(&src, &result);
    }

    #[test]
    fn compile_and_eval_never_panic_on_token_soup(
        src in token_soup(),
        nodes in prop::collection::vec(any::<f64>(), 0..4),
        raw in prop::collection::vec(any::<f64>(), 0..4),
    ) {
        let result = compile(&src, &mut any_index_resolver);
        check_errors(&src, &result);
        if let Ok(expr) = result {
            let value = expr.eval(&nodes, &raw);
            let again = expr.eval(&nodes, &raw);
            prop_assert!(value.to_bits() == again.to_bits() || (value.is_nan() && again.is_nan()));
            if let Some(constant) = expr.is_constant() {
                prop_assert!(constant.to_bits() == value.to_bits() || (constant.is_nan() && value.is_nan()));
            }
        }
    }

    #[test]
    fn sums_of_literals_evaluate_exactly(terms in prop::collection::vec(0u32..1000, 1..200)) {
        let src = terms.iter().map(u32::to_string).collect::<Vec<_>>().join(" + ");
        let want: u32 = terms.iter().sum();
        prop_assert_eq!(ev(&src), f64::from(want));
    }
}
