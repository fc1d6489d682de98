//! `vigie init [DIR]`: writes a commented template model and project that score cleanly.
//! Refuses to overwrite existing files unless `--force`.

use crate::args::InitArgs;
use crate::{EXIT_CANNOT_RUN, EXIT_OK, files};

/// The template model: every key, with its default, commented.
pub const MODEL_TEMPLATE: &str = include_str!("../../../models/template/model.toml");
/// The template project.
pub const PROJECT_TEMPLATE: &str = include_str!("../../../models/template/project.toml");

pub fn run(a: &InitArgs) -> u8 {
    let (model_schema, project_schema) = match (
        vigie::schema::model_schema(),
        vigie::schema::project_schema(),
    ) {
        (Ok(m), Ok(p)) => (vigie::schema::to_text(&m), vigie::schema::to_text(&p)),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return EXIT_CANNOT_RUN;
        }
    };
    // The templates name the schemas beside them (`#:schema ./model.schema.json`), so an
    // editor with TOML schema support validates and completes as one types.
    let targets = [
        (a.dir.join("model.toml"), MODEL_TEMPLATE),
        (a.dir.join("project.toml"), PROJECT_TEMPLATE),
        (a.dir.join("model.schema.json"), model_schema.as_str()),
        (a.dir.join("project.schema.json"), project_schema.as_str()),
    ];
    if !a.force
        && let Some((p, _)) = targets.iter().find(|(p, _)| p.exists())
    {
        eprintln!(
            "error[{}]: {} already exists (use --force to overwrite): nothing was written",
            vigie::Code::OutputFile,
            p.display()
        );
        return EXIT_CANNOT_RUN;
    }
    if let Err(e) = std::fs::create_dir_all(&a.dir) {
        eprintln!(
            "error[{}]: cannot create the folder {}: {e}",
            vigie::Code::OutputFile,
            a.dir.display()
        );
        return EXIT_CANNOT_RUN;
    }
    let pairs: Vec<(&std::path::Path, &str)> =
        targets.iter().map(|(p, t)| (p.as_path(), *t)).collect();
    if let Err(e) = files::write_all_atomic(&pairs) {
        eprintln!("{e}");
        return EXIT_CANNOT_RUN;
    }
    for (path, _) in &targets {
        eprintln!("wrote {}", path.display());
    }
    eprintln!(
        "next: vigie check {0}/model.toml {0}/project.toml && vigie score {0}/model.toml {0}/project.toml",
        a.dir.display()
    );
    EXIT_OK
}
