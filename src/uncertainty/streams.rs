//! Reproducible random numbers: a named portable generator (ChaCha8, from `rand_chacha`)
//! with one stream per unit of work derived from the user's seed, and an explicit mapping
//! from 64 random bits to a uniform number in (0, 1). Together they make a simulation's
//! draws depend only on the seed and the draw's number, never on threads or platform.

use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

/// The seed used when the user gives none (printed in every output that uses it).
pub const DEFAULT_SEED: u64 = 20_250_524;

/// Draws per unit of work: each block of this many consecutive draws has its own stream,
/// whichever thread computes it.
pub const DRAWS_PER_STREAM: usize = 1024;

/// The generator for one unit of work.
pub fn stream(seed: u64, unit: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(unit);
    rng
}

/// A uniform number strictly inside (0, 1) from the next 64 bits: the top 53 bits, centred
/// in their interval, so neither 0 nor 1 (where inverse CDFs are infinite) can occur. Spelt
/// out rather than borrowed from a library so that it can never change under us.
#[inline]
pub fn uniform(rng: &mut ChaCha8Rng) -> f64 {
    const SCALE: f64 = 1.0 / (1u64 << 53) as f64;
    ((rng.next_u64() >> 11) as f64 + 0.5) * SCALE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniforms_are_inside_the_open_interval_and_reproducible() {
        let mut a = stream(7, 3);
        let mut b = stream(7, 3);
        for _ in 0..10_000 {
            let (x, y) = (uniform(&mut a), uniform(&mut b));
            assert_eq!(x.to_bits(), y.to_bits());
            assert!(x > 0.0 && x < 1.0);
        }
    }

    #[test]
    fn streams_differ() {
        let (mut a, mut b) = (stream(7, 0), stream(7, 1));
        assert_ne!(uniform(&mut a), uniform(&mut b));
    }

    /// Pins the generator: if a dependency update changed ChaCha8's output, every
    /// published simulation would silently change; this fails instead.
    #[test]
    fn first_draws_are_pinned() {
        let mut r = stream(DEFAULT_SEED, 0);
        let first: Vec<u64> = (0..3).map(|_| r.next_u64()).collect();
        let again: Vec<u64> = {
            let mut r = stream(DEFAULT_SEED, 0);
            (0..3).map(|_| r.next_u64()).collect()
        };
        assert_eq!(first, again);
        assert_eq!(first, PINNED);
    }

    const PINNED: [u64; 3] = [
        11_979_505_139_137_544_707,
        17_157_312_469_049_788_407,
        859_442_701_915_589_908,
    ];
}
