//! Synthetic models of many indicators, for measuring how compiling, binding and scoring
//! grow with a model's size (issue 9: they must grow no worse than n log n). Shared by
//! `benches/scale.rs`, `examples/wide_model.rs` and the tests that pin the shapes.

use std::fmt::Write;

/// How the indicators hang under the root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // each includer uses its own shapes
pub enum Shape {
    /// Every indicator is a child of the root.
    Flat,
    /// About sqrt(n) groups of about sqrt(n) indicators each, under the root.
    Tree,
    /// One group per indicator, every group a child of the root.
    Groups,
    /// A chain: group `g{k}` holds indicator `i{k}` and group `g{k+1}`, so the tree is
    /// n groups deep.
    Chain,
}

impl Shape {
    /// The word used on command lines and in bench names.
    #[allow(dead_code)]
    pub fn name(self) -> &'static str {
        match self {
            Shape::Flat => "flat",
            Shape::Tree => "tree",
            Shape::Groups => "groups",
            Shape::Chain => "chain",
        }
    }
}

/// A model of `n` indicators (goalposts 0-100, equal weights, arithmetic means) and a
/// project giving every value: `(model, project)` as TOML text.
pub fn wide_model(n: usize, shape: Shape) -> (String, String) {
    let mut m = String::from(
        "[model]\nid = \"wide\"\nname = \"Wide\"\nversion = \"1.0.0\"\n\
         effective = 2025-01-01\nscale = [0, 100]\n\n",
    );
    for i in 0..n {
        let _ = write!(
            m,
            "[indicators.i{i}]\nlabel = \"Indicator {i}\"\ndirection = \"higher_is_riskier\"\n\
             normalise = {{ method = \"goalposts\", min = 0, max = 100 }}\n\n"
        );
    }
    let list = |ids: &mut dyn Iterator<Item = String>| {
        ids.map(|id| format!("\"{id}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match shape {
        Shape::Flat => {
            let children = list(&mut (0..n).map(|i| format!("i{i}")));
            let _ = write!(
                m,
                "[groups.root]\nchildren = [{children}]\naggregation = \"arithmetic\"\n\n"
            );
        }
        Shape::Tree => {
            let k = n.isqrt().max(1);
            let groups = n.div_ceil(k);
            for g in 0..groups {
                let children = list(&mut (g * k..n.min((g + 1) * k)).map(|i| format!("i{i}")));
                let _ = write!(
                    m,
                    "[groups.g{g}]\nchildren = [{children}]\naggregation = \"arithmetic\"\n\n"
                );
            }
            let children = list(&mut (0..groups).map(|g| format!("g{g}")));
            let _ = write!(
                m,
                "[groups.root]\nchildren = [{children}]\naggregation = \"arithmetic\"\n\n"
            );
        }
        Shape::Groups => {
            for i in 0..n {
                let _ = write!(
                    m,
                    "[groups.g{i}]\nchildren = [\"i{i}\"]\naggregation = \"arithmetic\"\n\n"
                );
            }
            let children = list(&mut (0..n).map(|g| format!("g{g}")));
            let _ = write!(
                m,
                "[groups.root]\nchildren = [{children}]\naggregation = \"arithmetic\"\n\n"
            );
        }
        Shape::Chain => {
            for i in 0..n {
                let next = if i + 1 < n {
                    format!(", \"g{}\"", i + 1)
                } else {
                    String::new()
                };
                let _ = write!(
                    m,
                    "[groups.g{i}]\nchildren = [\"i{i}\"{next}]\naggregation = \"arithmetic\"\n\n"
                );
            }
        }
    }
    m.push_str("[[bands]]\nlabel = \"Low\"\nfrom = 0\n[[bands]]\nlabel = \"High\"\nfrom = 50\n");
    let mut p = String::from(
        "[project]\nid = \"p\"\nname = \"P\"\ncountry = \"MLI\"\nas_of = 2025-10-31\n\n[values]\n",
    );
    for i in 0..n {
        let _ = writeln!(p, "i{i} = {}", i % 101);
    }
    (m, p)
}
