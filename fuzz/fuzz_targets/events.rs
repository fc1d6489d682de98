//! Event files (ACLED's CSV format): any bytes read with the shipped Sahel model's read
//! options; a file that reads scores the worked example with it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigie::derive::EventData;

fuzz_target!(|data: &[u8]| {
    let model = vigie_fuzz::sahel();
    let Ok(events) = EventData::from_bytes("fuzz.csv", data, &model.read_options()) else {
        return;
    };
    vigie_fuzz::score(
        model,
        vigie_fuzz::covec(),
        Some(&events),
        Some(vigie_fuzz::positions()),
    );
});
