//! A formula's normal text: its tokens, one space apart, numbers in one spelling. Two
//! formulas that differ only in spacing, line breaks or how a number is written
//! (`0.5`, `.5`, `5e-1`) have the same normal text; the canonical model and the semantic
//! diff compare formulas by it.

use super::Expr;
use super::lexer::{Tok, lex};

impl Expr {
    /// The formula's tokens separated by single spaces, except inside calls and around
    /// parentheses and commas (`mean(a, b) >= 3`), with numbers written as ECMAScript
    /// writes them (`5e-1` is `0.5`, `1E21` is `1e+21`). It reads back to the same formula.
    #[must_use]
    pub fn normalised_text(&self) -> String {
        // A compiled formula always lexes cleanly; were it not to, the text as written is
        // still a faithful (if unnormalised) account of it.
        let (tokens, errors) = lex(self.source());
        if !errors.is_empty() {
            return self.source().trim().to_string();
        }
        let mut out = String::new();
        let mut prev: Option<Tok<'_>> = None;
        for token in &tokens {
            let tok = token.tok;
            let glued = match (prev, tok) {
                (None, _) => true,
                (Some(Tok::LParen), _) => true,
                (_, Tok::RParen | Tok::Comma) => true,
                // A name followed by `(` is a call.
                (Some(Tok::Ident(_)), Tok::LParen) => true,
                _ => false,
            };
            if !glued {
                out.push(' ');
            }
            out.push_str(&spell(tok));
            prev = Some(tok);
        }
        out
    }
}

fn spell(tok: Tok<'_>) -> String {
    match tok {
        Tok::Num(x) => crate::canonical::jcs::number(x).unwrap_or_else(|_| x.to_string()),
        Tok::Ident(name) => name.to_string(),
        Tok::Raw(name) => format!("raw.{name}"),
        Tok::True => "true".into(),
        Tok::False => "false".into(),
        Tok::And => "and".into(),
        Tok::Or => "or".into(),
        Tok::Not => "not".into(),
        Tok::LParen => "(".into(),
        Tok::RParen => ")".into(),
        Tok::Comma => ",".into(),
        Tok::Plus => "+".into(),
        Tok::Minus => "-".into(),
        Tok::Star => "*".into(),
        Tok::Slash => "/".into(),
        Tok::Caret => "^".into(),
        Tok::Lt => "<".into(),
        Tok::Le => "<=".into(),
        Tok::Gt => ">".into(),
        Tok::Ge => ">=".into(),
        Tok::EqEq => "==".into(),
        Tok::Ne => "!=".into(),
    }
}

#[cfg(test)]
mod tests {
    use crate::expr::{Operand, compile};

    fn normal(src: &str) -> String {
        let mut resolve = |n: crate::expr::Name<'_>| {
            Some(if n.raw {
                Operand::Raw(0)
            } else {
                Operand::Node(0)
            })
        };
        compile(src, &mut resolve).unwrap().normalised_text()
    }

    #[test]
    fn spacing_and_number_spellings_do_not_matter() {
        assert_eq!(
            normal("raw.a>=3  and\n raw.b > 1.50e2"),
            "raw.a >= 3 and raw.b > 150"
        );
        assert_eq!(normal("mean( x ,y )*.5"), normal("mean(x, y) * 5e-1"));
        assert_eq!(normal("mean( x ,y )*.5"), "mean(x, y) * 0.5");
        assert_eq!(normal("-(x)^2 + 1E21"), "- (x) ^ 2 + 1e+21");
    }

    #[test]
    fn normal_text_reads_back_to_itself() {
        for src in [
            "if(a>=8,a,mean(a,b))",
            "not a < b or -2^-1 == x",
            "round(x, 2)",
        ] {
            let once = normal(src);
            assert_eq!(normal(&once), once);
        }
    }
}
