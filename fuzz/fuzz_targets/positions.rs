//! Army position files (CSV): any bytes through the positions reader; a file that reads
//! scores the worked example with it and the shipped events.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigie::derive::PositionData;

fuzz_target!(|data: &[u8]| {
    let Ok(positions) = PositionData::from_bytes("fuzz.csv", data) else {
        return;
    };
    vigie_fuzz::score(
        vigie_fuzz::sahel(),
        vigie_fuzz::covec(),
        Some(vigie_fuzz::events()),
        Some(&positions),
    );
});
