use vigie::{Model, SourceFile};
const BASE: &str = include_str!("fixtures/bad/VG016-weight-count.toml");
const BIND_MODEL: &str = r#"[model]
id = "demo"
name = "Demo"
version = "1.0.0"
effective = 2025-01-01
scale = [0, 100]

[indicators.attacks]
label = "Attacks within 100 km, last 12 months"
direction = "higher_is_riskier"
normalise = { method = "goalposts", min = 0, max = 10 }

[indicators.poverty]
label = "Poverty headcount"
direction = "higher_is_riskier"
normalise = { method = "goalposts", min = 0, max = 100 }

[indicators.security]
label = "Security forces nearby"
direction = "higher_is_riskier"
normalise = { method = "categorical", map = { none = 0, some = 60 } }

[groups.risk]
children = ["attacks", "poverty", "security"]
weights = [3, 1, 1]
aggregation = "arithmetic"

[[bands]]
label = "Low"
from = 0
[[bands]]
label = "High"
from = 50
"#;
fn show(src: &SourceFile, d: &[vigie::Diagnostic]) {
    for x in d {
        let loc = x.location.as_ref().unwrap();
        let t = &src.text()[loc.span.clone()];
        println!(
            "  {x} span={:?} rel={:?}",
            t.chars().take(40).collect::<String>(),
            x.related
                .iter()
                .map(|r| (r.location.line, r.location.column))
                .collect::<Vec<_>>()
        );
    }
}
fn dump(name: &str, text: &str) {
    let src = SourceFile::new(name, text);
    let (m, d) = Model::check(&src);
    println!("== {} model={}", src.name(), m.is_some());
    show(&src, &d);
}
#[test]
fn probe() {
    let base = BASE.replace("weights = [3, 1, 1]", "weights = [3, 1]");
    let nogroups = base.replace("[groups.risk]\nchildren = [\"attacks\", \"poverty\"]\nweights = [3, 1]\naggregation = \"arithmetic\"", "");
    dump("no-groups", &nogroups);
    dump(
        "empty-groups",
        &nogroups.replace(
            "[[bands]]\nlabel = \"Low\"",
            "[groups]\n\n[[bands]]\nlabel = \"Low\"",
        ),
    );
    let (model, d) = Model::check(&SourceFile::new("bm", BIND_MODEL));
    assert!(d.is_empty(), "{d:?}");
    let model = model.unwrap();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bad-project");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let extra = vec![
        ("exposure-reversed", "[project]\nid = \"s\"\nname = \"S\"\ncountry = \"MLI\"\nas_of = 2025-10-31\n[project.exposure]\nlow = 20\nhigh = 10\ncurrency = \"USD\"\n[values]\nattacks = 1\npoverty = 1\nsecurity = \"none\"\n".to_string()),
        ("no-values", "[project]\nid = \"s\"\nname = \"S\"\ncountry = \"MLI\"\nas_of = 2025-10-31\n".to_string()),
        ("number-for-cat", "[project]\nid = \"s\"\nname = \"S\"\ncountry = \"MLI\"\nas_of = 2025-10-31\n[values]\nattacks = 1\npoverty = 1\nsecurity = 2\n".to_string()),
        ("inline-values", "[project]\nid = \"s\"\nname = \"S\"\ncountry = \"MLI\"\nas_of = 2025-10-31\nvalues = { attacks = 1 }\n".to_string()),
    ];
    let files = names.iter().map(|p| {
        (
            p.file_name().unwrap().to_str().unwrap().to_string(),
            std::fs::read_to_string(p).unwrap(),
        )
    });
    for (name, text) in files.chain(extra.into_iter().map(|(a, b)| (a.to_string(), b))) {
        let src = SourceFile::new(name.clone(), text);
        let (p, d) = vigie::project::read_project(&src);
        println!("== {name} project={}", p.is_some());
        show(&src, &d);
        if let Some(p) = p {
            let (b, d) = vigie::bind::bind(&model, &p, &src);
            println!("  -- bound={}", b.is_some());
            show(&src, &d);
        }
    }
}
