//! Project files: any text through the project reader; a project that reads is bound and
//! scored with the template model and with the shipped Sahel model and its data files.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigie::{Project, SourceFile};

fuzz_target!(|data: &[u8]| {
    let Some(text) = vigie_fuzz::text(data) else {
        return;
    };
    let Ok((project, _warnings)) = Project::from_source(&SourceFile::new("fuzz.toml", text)) else {
        return;
    };
    vigie_fuzz::score(vigie_fuzz::template(), &project, None, None);
    vigie_fuzz::score(
        vigie_fuzz::sahel(),
        &project,
        Some(vigie_fuzz::events()),
        Some(vigie_fuzz::positions()),
    );
});
