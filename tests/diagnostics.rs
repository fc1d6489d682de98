use std::fs;
use vigie::{Model, SourceFile};
#[test]
fn dump() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bad");
    let mut names: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for p in names {
        let text = fs::read_to_string(&p).unwrap();
        let src = SourceFile::new(p.file_name().unwrap().to_str().unwrap(), text);
        let (m, d) = Model::check(&src);
        println!("== {} model={}", src.name(), m.is_some());
        for x in &d {
            let loc = x.location.as_ref().unwrap();
            let t = &src.text()[loc.span.clone()];
            println!(
                "  {x} help={:?} span={:?} rel={:?}",
                x.help,
                t.chars().take(40).collect::<String>(),
                x.related
                    .iter()
                    .map(|r| (r.location.line, r.location.column))
                    .collect::<Vec<_>>()
            );
        }
    }
}
