//! The bounds a model must keep so that scoring's arithmetic stays finite and exact, and
//! the work and output of every command stay linear in the model's size. `check` refuses
//! a model outside them with a located error; docs/model-format.md lists them.
//!
//! Why these numbers. A double overflows past 1.8e308. Scoring multiplies at most three
//! numbers a model writes (a weight, by a score on the scale, by a group's points, in the
//! attribution of contributions) and adds up at most one such term per edge of the tree:
//! with every number within ±1e100 the largest is 1e300 times the number of edges, far
//! below overflow. A positive weight below 1e-100 would make `weight x score` underflow to
//! zero (or lose its digits as a subnormal), silently changing a mean; 0 stays allowed (it
//! switches a child off). What only data can overflow (a project value of 1e308 times a
//! ratio's multiplier, a formula's product) is an evaluation error, `VG070`, at scoring.

/// The largest magnitude of any number a model writes (weights, goalposts, points,
/// thresholds, multipliers, exponents, imputed values, means and deviations, the scale,
/// band thresholds, rule values, data and money settings).
pub const MAX_NUMBER: f64 = 1e100;

/// The smallest positive weight.
pub const MIN_POSITIVE_WEIGHT: f64 = 1e-100;

/// Smallest and largest size of a power mean's exponent. The mean raises each child's
/// score (a fraction of the scale) to the power p, then the mean to 1/p: with |p| = 1e-20
/// every term rounds to exactly 1 and the mean to the top of the scale whatever the
/// children; with p = 1e5 every child below 0.99 underflows to 0 and so does the mean.
/// Between 0.001 and 100 in size the terms keep their digits for scores above 1e-3 of the
/// scale (the mean's relative error stays near 1e-13). A power of 0 is the geometric
/// mean; beyond 100 the mean is practically `max` (or `min` for -100).
pub const MIN_POWER_MEAN: f64 = 1e-3;

/// See [`MIN_POWER_MEAN`].
pub const MAX_POWER_MEAN: f64 = 100.0;

/// How many levels of groups a model may nest, the root being level 1. Reports indent
/// each level, so a model nested n deep would print n² characters; real models use 2 to 5.
pub const MAX_TREE_DEPTH: usize = 32;

/// Most bands a model may define: a band is a 16-bit index, and simulations mark a failed
/// draw with the largest one. Real models have 3 to 6.
pub const MAX_BANDS: usize = 1_000;

/// Most alternatives (indicators' other normalisations and groups' other aggregations) a
/// model may declare: an alternative is a 16-bit index.
pub const MAX_ALTERNATIVES: usize = u16::MAX as usize;

/// Most options one alternative may have, the nominal one included (a 16-bit count).
pub const MAX_OPTIONS: usize = 1_000;
