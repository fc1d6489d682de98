//! `vigie schema model|project`: prints the JSON Schema of a file kind, generated from the
//! readers' own key lists (the committed docs/schema/*.json are this output).

use crate::EXIT_CANNOT_RUN;
use crate::args::{SchemaArgs, SchemaKind};

pub fn run(a: &SchemaArgs) -> u8 {
    let schema = match a.kind {
        SchemaKind::Model => vigie::schema::model_schema(),
        SchemaKind::Project => vigie::schema::project_schema(),
    };
    match schema {
        Ok(s) => crate::print(&vigie::schema::to_text(&s)),
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_CANNOT_RUN
        }
    }
}
