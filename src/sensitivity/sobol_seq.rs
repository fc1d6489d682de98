//! Sobol low-discrepancy sequence (Gray-code construction, Joe & Kuo 2008 direction numbers).
//!
//! This is the classical, *unscrambled* Sobol sequence in base 2, generated in
//! Gray-code order (Antonov & Saleev 1979; Bratley & Fox 1988, ACM TOMS 14:88-100),
//! with 32-bit integer coordinates: point `n`, coordinate `j`, is
//! `x = (XOR of v_{j,k} over the set bits k of gray(n))`, `gray(n) = n ^ (n >> 1)`,
//! returned as `x / 2^32`.
//!
//! # Direction numbers
//!
//! Dimension 1 is the van der Corput sequence (`v_k = 2^-k`). Dimensions 2 to
//! [`MAX_DIMENSIONS`] use the initial direction numbers of Joe & Kuo's file
//! `new-joe-kuo-6.21201` (S. Joe and F. Y. Kuo, "Constructing Sobol sequences
//! with better two-dimensional projections", SIAM J. Sci. Comput. 30:2635-2654,
//! 2008), embedded below as `(s, a, [m_1, ..., m_s])` where `s` is the degree of
//! the primitive polynomial, `a` encodes its inner coefficients (bit `s-1-l` of
//! `a` is the coefficient `a_l`) and `m_k` are the odd initial values. The
//! remaining direction numbers follow the Bratley-Fox recurrence
//! `v_k = v_{k-s} ^ (v_{k-s} >> s) ^ XOR_{l=1}^{s-1} a_l v_{k-l}`.
//!
//! The table was extracted from the copy of `new-joe-kuo-6.21201` that SciPy
//! ships (`scipy/stats/_sobol_direction_numbers.npz`) and checked row by row
//! against published listings of the file; the tests compare generated points
//! with values produced by SciPy's unscrambled `qmc.Sobol` (`bits = 32`).
//!
//! # Properties
//!
//! * Every coordinate is in `[0, 1)`; only point 0 (the origin) has a zero
//!   coordinate, because each generator matrix is upper triangular with a unit
//!   diagonal.
//! * For `n = 2^k`, the first `n` points put exactly one point of every
//!   dimension into each of the `2^k` dyadic intervals `[i 2^-k, (i+1) 2^-k)`.
//! * Gray-code order only permutes points inside each block of `2^k`
//!   consecutive points starting at a multiple of `2^k`, so every such prefix
//!   is the same point set as in natural order.
//! * At most `2^32` points exist (indices `0 ..= u32::MAX`).

use super::SobolError;

/// Number of dimensions the embedded direction-number table supports
/// (van der Corput plus 255 rows of `new-joe-kuo-6.21201`).
pub const MAX_DIMENSIONS: usize = 256;

/// Bits of each integer coordinate (and number of direction numbers per dimension).
pub const BITS: usize = 32;

/// `2^-32`, the value of the least significant bit of a coordinate.
const SCALE: f64 = 1.0 / 4_294_967_296.0;

/// `(s, a, m)` for dimensions 2, 3, ..., 256 of `new-joe-kuo-6.21201`
/// (the trailing comment is the dimension number used in that file).
#[rustfmt::skip]
const JOE_KUO: [(u32, u32, &[u32]); MAX_DIMENSIONS - 1] = [
    (1, 0, &[1]), // 2
    (2, 1, &[1, 3]), // 3
    (3, 1, &[1, 3, 1]), // 4
    (3, 2, &[1, 1, 1]), // 5
    (4, 1, &[1, 1, 3, 3]), // 6
    (4, 4, &[1, 3, 5, 13]), // 7
    (5, 2, &[1, 1, 5, 5, 17]), // 8
    (5, 4, &[1, 1, 5, 5, 5]), // 9
    (5, 7, &[1, 1, 7, 11, 19]), // 10
    (5, 11, &[1, 1, 5, 1, 1]), // 11
    (5, 13, &[1, 1, 1, 3, 11]), // 12
    (5, 14, &[1, 3, 5, 5, 31]), // 13
    (6, 1, &[1, 3, 3, 9, 7, 49]), // 14
    (6, 13, &[1, 1, 1, 15, 21, 21]), // 15
    (6, 16, &[1, 3, 1, 13, 27, 49]), // 16
    (6, 19, &[1, 1, 1, 15, 7, 5]), // 17
    (6, 22, &[1, 3, 1, 15, 13, 25]), // 18
    (6, 25, &[1, 1, 5, 5, 19, 61]), // 19
    (7, 1, &[1, 3, 7, 11, 23, 15, 103]), // 20
    (7, 4, &[1, 3, 7, 13, 13, 15, 69]), // 21
    (7, 7, &[1, 1, 3, 13, 7, 35, 63]), // 22
    (7, 8, &[1, 3, 5, 9, 1, 25, 53]), // 23
    (7, 14, &[1, 3, 1, 13, 9, 35, 107]), // 24
    (7, 19, &[1, 3, 1, 5, 27, 61, 31]), // 25
    (7, 21, &[1, 1, 5, 11, 19, 41, 61]), // 26
    (7, 28, &[1, 3, 5, 3, 3, 13, 69]), // 27
    (7, 31, &[1, 1, 7, 13, 1, 19, 1]), // 28
    (7, 32, &[1, 3, 7, 5, 13, 19, 59]), // 29
    (7, 37, &[1, 1, 3, 9, 25, 29, 41]), // 30
    (7, 41, &[1, 3, 5, 13, 23, 1, 55]), // 31
    (7, 42, &[1, 3, 7, 3, 13, 59, 17]), // 32
    (7, 50, &[1, 3, 1, 3, 5, 53, 69]), // 33
    (7, 55, &[1, 1, 5, 5, 23, 33, 13]), // 34
    (7, 56, &[1, 1, 7, 7, 1, 61, 123]), // 35
    (7, 59, &[1, 1, 7, 9, 13, 61, 49]), // 36
    (7, 62, &[1, 3, 3, 5, 3, 55, 33]), // 37
    (8, 14, &[1, 3, 1, 15, 31, 13, 49, 245]), // 38
    (8, 21, &[1, 3, 5, 15, 31, 59, 63, 97]), // 39
    (8, 22, &[1, 3, 1, 11, 11, 11, 77, 249]), // 40
    (8, 38, &[1, 3, 1, 11, 27, 43, 71, 9]), // 41
    (8, 47, &[1, 1, 7, 15, 21, 11, 81, 45]), // 42
    (8, 49, &[1, 3, 7, 3, 25, 31, 65, 79]), // 43
    (8, 50, &[1, 3, 1, 1, 19, 11, 3, 205]), // 44
    (8, 52, &[1, 1, 5, 9, 19, 21, 29, 157]), // 45
    (8, 56, &[1, 3, 7, 11, 1, 33, 89, 185]), // 46
    (8, 67, &[1, 3, 3, 3, 15, 9, 79, 71]), // 47
    (8, 70, &[1, 3, 7, 11, 15, 39, 119, 27]), // 48
    (8, 84, &[1, 1, 3, 1, 11, 31, 97, 225]), // 49
    (8, 97, &[1, 1, 1, 3, 23, 43, 57, 177]), // 50
    (8, 103, &[1, 3, 7, 7, 17, 17, 37, 71]), // 51
    (8, 115, &[1, 3, 1, 5, 27, 63, 123, 213]), // 52
    (8, 122, &[1, 1, 3, 5, 11, 43, 53, 133]), // 53
    (9, 8, &[1, 3, 5, 5, 29, 17, 47, 173, 479]), // 54
    (9, 13, &[1, 3, 3, 11, 3, 1, 109, 9, 69]), // 55
    (9, 16, &[1, 1, 1, 5, 17, 39, 23, 5, 343]), // 56
    (9, 22, &[1, 3, 1, 5, 25, 15, 31, 103, 499]), // 57
    (9, 25, &[1, 1, 1, 11, 11, 17, 63, 105, 183]), // 58
    (9, 44, &[1, 1, 5, 11, 9, 29, 97, 231, 363]), // 59
    (9, 47, &[1, 1, 5, 15, 19, 45, 41, 7, 383]), // 60
    (9, 52, &[1, 3, 7, 7, 31, 19, 83, 137, 221]), // 61
    (9, 55, &[1, 1, 1, 3, 23, 15, 111, 223, 83]), // 62
    (9, 59, &[1, 1, 5, 13, 31, 15, 55, 25, 161]), // 63
    (9, 62, &[1, 1, 3, 13, 25, 47, 39, 87, 257]), // 64
    (9, 67, &[1, 1, 1, 11, 21, 53, 125, 249, 293]), // 65
    (9, 74, &[1, 1, 7, 11, 11, 7, 57, 79, 323]), // 66
    (9, 81, &[1, 1, 5, 5, 17, 13, 81, 3, 131]), // 67
    (9, 82, &[1, 1, 7, 13, 23, 7, 65, 251, 475]), // 68
    (9, 87, &[1, 3, 5, 1, 9, 43, 3, 149, 11]), // 69
    (9, 91, &[1, 1, 3, 13, 31, 13, 13, 255, 487]), // 70
    (9, 94, &[1, 3, 3, 1, 5, 63, 89, 91, 127]), // 71
    (9, 103, &[1, 1, 3, 3, 1, 19, 123, 127, 237]), // 72
    (9, 104, &[1, 1, 5, 7, 23, 31, 37, 243, 289]), // 73
    (9, 109, &[1, 1, 5, 11, 17, 53, 117, 183, 491]), // 74
    (9, 122, &[1, 1, 1, 5, 1, 13, 13, 209, 345]), // 75
    (9, 124, &[1, 1, 3, 15, 1, 57, 115, 7, 33]), // 76
    (9, 137, &[1, 3, 1, 11, 7, 43, 81, 207, 175]), // 77
    (9, 138, &[1, 3, 1, 1, 15, 27, 63, 255, 49]), // 78
    (9, 143, &[1, 3, 5, 3, 27, 61, 105, 171, 305]), // 79
    (9, 145, &[1, 1, 5, 3, 1, 3, 57, 249, 149]), // 80
    (9, 152, &[1, 1, 3, 5, 5, 57, 15, 13, 159]), // 81
    (9, 157, &[1, 1, 1, 11, 7, 11, 105, 141, 225]), // 82
    (9, 167, &[1, 3, 3, 5, 27, 59, 121, 101, 271]), // 83
    (9, 173, &[1, 3, 5, 9, 11, 49, 51, 59, 115]), // 84
    (9, 176, &[1, 1, 7, 1, 23, 45, 125, 71, 419]), // 85
    (9, 181, &[1, 1, 3, 5, 23, 5, 105, 109, 75]), // 86
    (9, 182, &[1, 1, 7, 15, 7, 11, 67, 121, 453]), // 87
    (9, 185, &[1, 3, 7, 3, 9, 13, 31, 27, 449]), // 88
    (9, 191, &[1, 3, 1, 15, 19, 39, 39, 89, 15]), // 89
    (9, 194, &[1, 1, 1, 1, 1, 33, 73, 145, 379]), // 90
    (9, 199, &[1, 3, 1, 15, 15, 43, 29, 13, 483]), // 91
    (9, 218, &[1, 1, 7, 3, 19, 27, 85, 131, 431]), // 92
    (9, 220, &[1, 3, 3, 3, 5, 35, 23, 195, 349]), // 93
    (9, 227, &[1, 3, 3, 7, 9, 27, 39, 59, 297]), // 94
    (9, 229, &[1, 1, 3, 9, 11, 17, 13, 241, 157]), // 95
    (9, 230, &[1, 3, 7, 15, 25, 57, 33, 189, 213]), // 96
    (9, 234, &[1, 1, 7, 1, 9, 55, 73, 83, 217]), // 97
    (9, 236, &[1, 3, 3, 13, 19, 27, 23, 113, 249]), // 98
    (9, 241, &[1, 3, 5, 3, 23, 43, 3, 253, 479]), // 99
    (9, 244, &[1, 1, 5, 5, 11, 5, 45, 117, 217]), // 100
    (9, 253, &[1, 3, 3, 7, 29, 37, 33, 123, 147]), // 101
    (10, 4, &[1, 3, 1, 15, 5, 5, 37, 227, 223, 459]), // 102
    (10, 13, &[1, 1, 7, 5, 5, 39, 63, 255, 135, 487]), // 103
    (10, 19, &[1, 3, 1, 7, 9, 7, 87, 249, 217, 599]), // 104
    (10, 22, &[1, 1, 3, 13, 9, 47, 7, 225, 363, 247]), // 105
    (10, 50, &[1, 3, 7, 13, 19, 13, 9, 67, 9, 737]), // 106
    (10, 55, &[1, 3, 5, 5, 19, 59, 7, 41, 319, 677]), // 107
    (10, 64, &[1, 1, 5, 3, 31, 63, 15, 43, 207, 789]), // 108
    (10, 69, &[1, 1, 7, 9, 13, 39, 3, 47, 497, 169]), // 109
    (10, 98, &[1, 3, 1, 7, 21, 17, 97, 19, 415, 905]), // 110
    (10, 107, &[1, 3, 7, 1, 3, 31, 71, 111, 165, 127]), // 111
    (10, 115, &[1, 1, 5, 11, 1, 61, 83, 119, 203, 847]), // 112
    (10, 121, &[1, 3, 3, 13, 9, 61, 19, 97, 47, 35]), // 113
    (10, 127, &[1, 1, 7, 7, 15, 29, 63, 95, 417, 469]), // 114
    (10, 134, &[1, 3, 1, 9, 25, 9, 71, 57, 213, 385]), // 115
    (10, 140, &[1, 3, 5, 13, 31, 47, 101, 57, 39, 341]), // 116
    (10, 145, &[1, 1, 3, 3, 31, 57, 125, 173, 365, 551]), // 117
    (10, 152, &[1, 3, 7, 1, 13, 57, 67, 157, 451, 707]), // 118
    (10, 158, &[1, 1, 1, 7, 21, 13, 105, 89, 429, 965]), // 119
    (10, 161, &[1, 1, 5, 9, 17, 51, 45, 119, 157, 141]), // 120
    (10, 171, &[1, 3, 7, 7, 13, 45, 91, 9, 129, 741]), // 121
    (10, 181, &[1, 3, 7, 1, 23, 57, 67, 141, 151, 571]), // 122
    (10, 194, &[1, 1, 3, 11, 17, 47, 93, 107, 375, 157]), // 123
    (10, 199, &[1, 3, 3, 5, 11, 21, 43, 51, 169, 915]), // 124
    (10, 203, &[1, 1, 5, 3, 15, 55, 101, 67, 455, 625]), // 125
    (10, 208, &[1, 3, 5, 9, 1, 23, 29, 47, 345, 595]), // 126
    (10, 227, &[1, 3, 7, 7, 5, 49, 29, 155, 323, 589]), // 127
    (10, 242, &[1, 3, 3, 7, 5, 41, 127, 61, 261, 717]), // 128
    (10, 251, &[1, 3, 7, 7, 17, 23, 117, 67, 129, 1009]), // 129
    (10, 253, &[1, 1, 3, 13, 11, 39, 21, 207, 123, 305]), // 130
    (10, 265, &[1, 1, 3, 9, 29, 3, 95, 47, 231, 73]), // 131
    (10, 266, &[1, 3, 1, 9, 1, 29, 117, 21, 441, 259]), // 132
    (10, 274, &[1, 3, 1, 13, 21, 39, 125, 211, 439, 723]), // 133
    (10, 283, &[1, 1, 7, 3, 17, 63, 115, 89, 49, 773]), // 134
    (10, 289, &[1, 3, 7, 13, 11, 33, 101, 107, 63, 73]), // 135
    (10, 295, &[1, 1, 5, 5, 13, 57, 63, 135, 437, 177]), // 136
    (10, 301, &[1, 1, 3, 7, 27, 63, 93, 47, 417, 483]), // 137
    (10, 316, &[1, 1, 3, 1, 23, 29, 1, 191, 49, 23]), // 138
    (10, 319, &[1, 1, 3, 15, 25, 55, 9, 101, 219, 607]), // 139
    (10, 324, &[1, 3, 1, 7, 7, 19, 51, 251, 393, 307]), // 140
    (10, 346, &[1, 3, 3, 3, 25, 55, 17, 75, 337, 3]), // 141
    (10, 352, &[1, 1, 1, 13, 25, 17, 65, 45, 479, 413]), // 142
    (10, 361, &[1, 1, 7, 7, 27, 49, 99, 161, 213, 727]), // 143
    (10, 367, &[1, 3, 5, 1, 23, 5, 43, 41, 251, 857]), // 144
    (10, 382, &[1, 3, 3, 7, 11, 61, 39, 87, 383, 835]), // 145
    (10, 395, &[1, 1, 3, 15, 13, 7, 29, 7, 505, 923]), // 146
    (10, 398, &[1, 3, 7, 1, 5, 31, 47, 157, 445, 501]), // 147
    (10, 400, &[1, 1, 3, 7, 1, 43, 9, 147, 115, 605]), // 148
    (10, 412, &[1, 3, 3, 13, 5, 1, 119, 211, 455, 1001]), // 149
    (10, 419, &[1, 1, 3, 5, 13, 19, 3, 243, 75, 843]), // 150
    (10, 422, &[1, 3, 7, 7, 1, 19, 91, 249, 357, 589]), // 151
    (10, 426, &[1, 1, 1, 9, 1, 25, 109, 197, 279, 411]), // 152
    (10, 428, &[1, 3, 1, 15, 23, 57, 59, 135, 191, 75]), // 153
    (10, 433, &[1, 1, 5, 15, 29, 21, 39, 253, 383, 349]), // 154
    (10, 446, &[1, 3, 3, 5, 19, 45, 61, 151, 199, 981]), // 155
    (10, 454, &[1, 3, 5, 13, 9, 61, 107, 141, 141, 1]), // 156
    (10, 457, &[1, 3, 1, 11, 27, 25, 85, 105, 309, 979]), // 157
    (10, 472, &[1, 3, 3, 11, 19, 7, 115, 223, 349, 43]), // 158
    (10, 493, &[1, 1, 7, 9, 21, 39, 123, 21, 275, 927]), // 159
    (10, 505, &[1, 1, 7, 13, 15, 41, 47, 243, 303, 437]), // 160
    (10, 508, &[1, 1, 1, 7, 7, 3, 15, 99, 409, 719]), // 161
    (11, 2, &[1, 3, 3, 15, 27, 49, 113, 123, 113, 67, 469]), // 162
    (11, 11, &[1, 3, 7, 11, 3, 23, 87, 169, 119, 483, 199]), // 163
    (11, 21, &[1, 1, 5, 15, 7, 17, 109, 229, 179, 213, 741]), // 164
    (11, 22, &[1, 1, 5, 13, 11, 17, 25, 135, 403, 557, 1433]), // 165
    (11, 35, &[1, 3, 1, 1, 1, 61, 67, 215, 189, 945, 1243]), // 166
    (11, 49, &[1, 1, 7, 13, 17, 33, 9, 221, 429, 217, 1679]), // 167
    (11, 50, &[1, 1, 3, 11, 27, 3, 15, 93, 93, 865, 1049]), // 168
    (11, 56, &[1, 3, 7, 7, 25, 41, 121, 35, 373, 379, 1547]), // 169
    (11, 61, &[1, 3, 3, 9, 11, 35, 45, 205, 241, 9, 59]), // 170
    (11, 70, &[1, 3, 1, 7, 3, 51, 7, 177, 53, 975, 89]), // 171
    (11, 74, &[1, 1, 3, 5, 27, 1, 113, 231, 299, 759, 861]), // 172
    (11, 79, &[1, 3, 3, 15, 25, 29, 5, 255, 139, 891, 2031]), // 173
    (11, 84, &[1, 3, 1, 1, 13, 9, 109, 193, 419, 95, 17]), // 174
    (11, 88, &[1, 1, 7, 9, 3, 7, 29, 41, 135, 839, 867]), // 175
    (11, 103, &[1, 1, 7, 9, 25, 49, 123, 217, 113, 909, 215]), // 176
    (11, 104, &[1, 1, 7, 3, 23, 15, 43, 133, 217, 327, 901]), // 177
    (11, 112, &[1, 1, 3, 3, 13, 53, 63, 123, 477, 711, 1387]), // 178
    (11, 115, &[1, 1, 3, 15, 7, 29, 75, 119, 181, 957, 247]), // 179
    (11, 117, &[1, 1, 1, 11, 27, 25, 109, 151, 267, 99, 1461]), // 180
    (11, 122, &[1, 3, 7, 15, 5, 5, 53, 145, 11, 725, 1501]), // 181
    (11, 134, &[1, 3, 7, 1, 9, 43, 71, 229, 157, 607, 1835]), // 182
    (11, 137, &[1, 3, 3, 13, 25, 1, 5, 27, 471, 349, 127]), // 183
    (11, 146, &[1, 1, 1, 1, 23, 37, 9, 221, 269, 897, 1685]), // 184
    (11, 148, &[1, 1, 3, 3, 31, 29, 51, 19, 311, 553, 1969]), // 185
    (11, 157, &[1, 3, 7, 5, 5, 55, 17, 39, 475, 671, 1529]), // 186
    (11, 158, &[1, 1, 7, 1, 1, 35, 47, 27, 437, 395, 1635]), // 187
    (11, 162, &[1, 1, 7, 3, 13, 23, 43, 135, 327, 139, 389]), // 188
    (11, 164, &[1, 3, 7, 3, 9, 25, 91, 25, 429, 219, 513]), // 189
    (11, 168, &[1, 1, 3, 5, 13, 29, 119, 201, 277, 157, 2043]), // 190
    (11, 173, &[1, 3, 5, 3, 29, 57, 13, 17, 167, 739, 1031]), // 191
    (11, 185, &[1, 3, 3, 5, 29, 21, 95, 27, 255, 679, 1531]), // 192
    (11, 186, &[1, 3, 7, 15, 9, 5, 21, 71, 61, 961, 1201]), // 193
    (11, 191, &[1, 3, 5, 13, 15, 57, 33, 93, 459, 867, 223]), // 194
    (11, 193, &[1, 1, 1, 15, 17, 43, 127, 191, 67, 177, 1073]), // 195
    (11, 199, &[1, 1, 1, 15, 23, 7, 21, 199, 75, 293, 1611]), // 196
    (11, 213, &[1, 3, 7, 13, 15, 39, 21, 149, 65, 741, 319]), // 197
    (11, 214, &[1, 3, 7, 11, 23, 13, 101, 89, 277, 519, 711]), // 198
    (11, 220, &[1, 3, 7, 15, 19, 27, 85, 203, 441, 97, 1895]), // 199
    (11, 227, &[1, 3, 1, 3, 29, 25, 21, 155, 11, 191, 197]), // 200
    (11, 236, &[1, 1, 7, 5, 27, 11, 81, 101, 457, 675, 1687]), // 201
    (11, 242, &[1, 3, 1, 5, 25, 5, 65, 193, 41, 567, 781]), // 202
    (11, 251, &[1, 3, 1, 5, 11, 15, 113, 77, 411, 695, 1111]), // 203
    (11, 256, &[1, 1, 3, 9, 11, 53, 119, 171, 55, 297, 509]), // 204
    (11, 259, &[1, 1, 1, 1, 11, 39, 113, 139, 165, 347, 595]), // 205
    (11, 265, &[1, 3, 7, 11, 9, 17, 101, 13, 81, 325, 1733]), // 206
    (11, 266, &[1, 3, 1, 1, 21, 43, 115, 9, 113, 907, 645]), // 207
    (11, 276, &[1, 1, 7, 3, 9, 25, 117, 197, 159, 471, 475]), // 208
    (11, 292, &[1, 3, 1, 9, 11, 21, 57, 207, 485, 613, 1661]), // 209
    (11, 304, &[1, 1, 7, 7, 27, 55, 49, 223, 89, 85, 1523]), // 210
    (11, 310, &[1, 1, 5, 3, 19, 41, 45, 51, 447, 299, 1355]), // 211
    (11, 316, &[1, 3, 1, 13, 1, 33, 117, 143, 313, 187, 1073]), // 212
    (11, 319, &[1, 1, 7, 7, 5, 11, 65, 97, 377, 377, 1501]), // 213
    (11, 322, &[1, 3, 1, 1, 21, 35, 95, 65, 99, 23, 1239]), // 214
    (11, 328, &[1, 1, 5, 9, 3, 37, 95, 167, 115, 425, 867]), // 215
    (11, 334, &[1, 3, 3, 13, 1, 37, 27, 189, 81, 679, 773]), // 216
    (11, 339, &[1, 1, 3, 11, 1, 61, 99, 233, 429, 969, 49]), // 217
    (11, 341, &[1, 1, 1, 7, 25, 63, 99, 165, 245, 793, 1143]), // 218
    (11, 345, &[1, 1, 5, 11, 11, 43, 55, 65, 71, 283, 273]), // 219
    (11, 346, &[1, 1, 5, 5, 9, 3, 101, 251, 355, 379, 1611]), // 220
    (11, 362, &[1, 1, 1, 15, 21, 63, 85, 99, 49, 749, 1335]), // 221
    (11, 367, &[1, 1, 5, 13, 27, 9, 121, 43, 255, 715, 289]), // 222
    (11, 372, &[1, 3, 1, 5, 27, 19, 17, 223, 77, 571, 1415]), // 223
    (11, 375, &[1, 1, 5, 3, 13, 59, 125, 251, 195, 551, 1737]), // 224
    (11, 376, &[1, 3, 3, 15, 13, 27, 49, 105, 389, 971, 755]), // 225
    (11, 381, &[1, 3, 5, 15, 23, 43, 35, 107, 447, 763, 253]), // 226
    (11, 385, &[1, 3, 5, 11, 21, 3, 17, 39, 497, 407, 611]), // 227
    (11, 388, &[1, 1, 7, 13, 15, 31, 113, 17, 23, 507, 1995]), // 228
    (11, 392, &[1, 1, 7, 15, 3, 15, 31, 153, 423, 79, 503]), // 229
    (11, 409, &[1, 1, 7, 9, 19, 25, 23, 171, 505, 923, 1989]), // 230
    (11, 415, &[1, 1, 5, 9, 21, 27, 121, 223, 133, 87, 697]), // 231
    (11, 416, &[1, 1, 5, 5, 9, 19, 107, 99, 319, 765, 1461]), // 232
    (11, 421, &[1, 1, 3, 3, 19, 25, 3, 101, 171, 729, 187]), // 233
    (11, 428, &[1, 1, 3, 1, 13, 23, 85, 93, 291, 209, 37]), // 234
    (11, 431, &[1, 1, 1, 15, 25, 25, 77, 253, 333, 947, 1073]), // 235
    (11, 434, &[1, 1, 3, 9, 17, 29, 55, 47, 255, 305, 2037]), // 236
    (11, 439, &[1, 3, 3, 9, 29, 63, 9, 103, 489, 939, 1523]), // 237
    (11, 446, &[1, 3, 7, 15, 7, 31, 89, 175, 369, 339, 595]), // 238
    (11, 451, &[1, 3, 7, 13, 25, 5, 71, 207, 251, 367, 665]), // 239
    (11, 453, &[1, 3, 3, 3, 21, 25, 75, 35, 31, 321, 1603]), // 240
    (11, 457, &[1, 1, 1, 9, 11, 1, 65, 5, 11, 329, 535]), // 241
    (11, 458, &[1, 1, 5, 3, 19, 13, 17, 43, 379, 485, 383]), // 242
    (11, 471, &[1, 3, 5, 13, 13, 9, 85, 147, 489, 787, 1133]), // 243
    (11, 475, &[1, 3, 1, 1, 5, 51, 37, 129, 195, 297, 1783]), // 244
    (11, 478, &[1, 1, 3, 15, 19, 57, 59, 181, 455, 697, 2033]), // 245
    (11, 484, &[1, 3, 7, 1, 27, 9, 65, 145, 325, 189, 201]), // 246
    (11, 493, &[1, 3, 1, 15, 31, 23, 19, 5, 485, 581, 539]), // 247
    (11, 494, &[1, 1, 7, 13, 11, 15, 65, 83, 185, 847, 831]), // 248
    (11, 499, &[1, 3, 5, 7, 7, 55, 73, 15, 303, 511, 1905]), // 249
    (11, 502, &[1, 3, 5, 9, 7, 21, 45, 15, 397, 385, 597]), // 250
    (11, 517, &[1, 3, 7, 3, 23, 13, 73, 221, 511, 883, 1265]), // 251
    (11, 518, &[1, 1, 3, 11, 1, 51, 73, 185, 33, 975, 1441]), // 252
    (11, 524, &[1, 3, 3, 9, 19, 59, 21, 39, 339, 37, 143]), // 253
    (11, 527, &[1, 1, 7, 1, 31, 33, 19, 167, 117, 635, 639]), // 254
    (11, 555, &[1, 1, 1, 3, 5, 13, 59, 83, 355, 349, 1967]), // 255
    (11, 560, &[1, 1, 1, 5, 19, 3, 53, 133, 97, 863, 983]), // 256
];

/// Direction numbers `v_1 .. v_32` of one dimension (0-based), as 32-bit integers
/// (`v_k` stored at index `k - 1`).
fn direction_numbers(dim: usize) -> [u32; BITS] {
    let mut v = [0u32; BITS];
    if dim == 0 {
        for (k, vk) in v.iter_mut().enumerate() {
            *vk = 1u32 << (BITS - 1 - k);
        }
        return v;
    }
    let Some(&(s, a, m)) = JOE_KUO.get(dim - 1) else {
        return v;
    };
    let s = s as usize;
    for k in 0..BITS {
        if k < s {
            let mk = m.get(k).copied().unwrap_or(1);
            v[k] = mk << (BITS - 1 - k);
        } else {
            let mut x = v[k - s] ^ (v[k - s] >> s);
            for l in 1..s {
                if (a >> (s - 1 - l)) & 1 == 1 {
                    x ^= v[k - l];
                }
            }
            v[k] = x;
        }
    }
    v
}

/// An unscrambled Sobol sequence of fixed dimension, generated in Gray-code order.
///
/// Use [`SobolSequence::point_u32`] for random access to any point, or
/// [`SobolSequence::next_point`] to walk the sequence from a starting index
/// (one XOR per coordinate per point).
#[derive(Debug, Clone)]
pub struct SobolSequence {
    dims: usize,
    /// `directions[j][k]` = `v_{j,k+1}`.
    directions: Vec<[u32; BITS]>,
    /// Index of the next point `next_point` returns (`None` once past `u32::MAX`).
    next_index: Option<u32>,
    /// Integer coordinates of point `next_index - 1` (all zeros before the first call).
    state: Vec<u32>,
}

impl SobolSequence {
    /// A sequence of `dims` dimensions, positioned at point 0.
    ///
    /// # Errors
    /// [`SobolError::ZeroDimensions`] if `dims == 0`,
    /// [`SobolError::DimensionTooHigh`] if `dims > MAX_DIMENSIONS`.
    pub fn new(dims: usize) -> Result<Self, SobolError> {
        if dims == 0 {
            return Err(SobolError::ZeroDimensions);
        }
        if dims > MAX_DIMENSIONS {
            return Err(SobolError::DimensionTooHigh {
                dims,
                max: MAX_DIMENSIONS,
            });
        }
        Ok(Self {
            dims,
            directions: (0..dims).map(direction_numbers).collect(),
            next_index: Some(0),
            state: vec![0; dims],
        })
    }

    /// Number of dimensions.
    pub fn dims(&self) -> usize {
        self.dims
    }

    /// Index of the point the next call to [`Self::next_point`] returns, or
    /// `None` when the sequence is exhausted.
    pub fn position(&self) -> Option<u32> {
        self.next_index
    }

    /// Integer coordinates (multiples of `2^-32`, scaled by `2^32`) of point
    /// `index`, written into `out`. Only the first `min(out.len(), dims)`
    /// coordinates are written.
    pub fn point_u32(&self, index: u32, out: &mut [u32]) {
        let gray = index ^ (index >> 1);
        for (o, v) in out.iter_mut().zip(&self.directions) {
            let mut x = 0u32;
            let mut g = gray;
            let mut k = 0usize;
            while g != 0 {
                if g & 1 == 1 {
                    x ^= v[k];
                }
                g >>= 1;
                k += 1;
            }
            *o = x;
        }
    }

    /// Coordinates in `[0, 1)` of point `index` (random access).
    pub fn point(&self, index: u32) -> Vec<f64> {
        let mut raw = vec![0u32; self.dims];
        self.point_u32(index, &mut raw);
        raw.into_iter().map(|x| f64::from(x) * SCALE).collect()
    }

    /// Moves the sequence so that the next call to [`Self::next_point`]
    /// returns point `index`.
    pub fn seek(&mut self, index: u32) {
        match index.checked_sub(1) {
            Some(prev) => {
                let mut state = std::mem::take(&mut self.state);
                self.point_u32(prev, &mut state);
                self.state = state;
            }
            None => self.state.iter_mut().for_each(|x| *x = 0),
        }
        self.next_index = Some(index);
    }

    /// Advances the Gray-code state to the next point and returns its index.
    fn advance(&mut self) -> Option<u32> {
        let index = self.next_index?;
        if index > 0 {
            // gray(index) ^ gray(index - 1) has exactly one bit set: bit tz(index).
            let k = index.trailing_zeros() as usize;
            for (x, v) in self.state.iter_mut().zip(&self.directions) {
                *x ^= v[k];
            }
        }
        self.next_index = index.checked_add(1);
        Some(index)
    }

    /// Writes the integer coordinates of the next point into `out` (the first
    /// `min(out.len(), dims)` of them) and returns its index, or returns `None`
    /// once all `2^32` points have been produced.
    pub fn next_point_u32(&mut self, out: &mut [u32]) -> Option<u32> {
        let index = self.advance()?;
        for (o, x) in out.iter_mut().zip(&self.state) {
            *o = *x;
        }
        Some(index)
    }

    /// Writes the next point, as coordinates in `[0, 1)`, into `out` (the first
    /// `min(out.len(), dims)` of them) and returns its index (see
    /// [`Self::next_point_u32`]).
    pub fn next_point(&mut self, out: &mut [f64]) -> Option<u32> {
        let index = self.advance()?;
        for (o, x) in out.iter_mut().zip(&self.state) {
            *o = f64::from(*x) * SCALE;
        }
        Some(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_points_of_the_2d_sequence_match_the_published_listing() {
        // SciPy documentation of `qmc.Sobol` (unscrambled, `random_base2(m=3)`),
        // which uses the same Joe & Kuo direction numbers and Gray-code order.
        let expected = [
            [0.0, 0.0],
            [0.5, 0.5],
            [0.75, 0.25],
            [0.25, 0.75],
            [0.375, 0.375],
            [0.875, 0.875],
            [0.625, 0.125],
            [0.125, 0.625],
        ];
        let mut seq = SobolSequence::new(2).unwrap();
        let mut p = [0.0; 2];
        for (i, e) in expected.iter().enumerate() {
            assert_eq!(seq.next_point(&mut p), Some(i as u32));
            assert_eq!(&p, e, "point {i}");
        }
    }

    #[test]
    fn first_points_of_the_3d_sequence() {
        // SciPy 1.17.1: qmc.Sobol(d=3, scramble=False, bits=32).random(10).
        let expected = [
            [0.0, 0.0, 0.0],
            [0.5, 0.5, 0.5],
            [0.75, 0.25, 0.25],
            [0.25, 0.75, 0.75],
            [0.375, 0.375, 0.625],
            [0.875, 0.875, 0.125],
            [0.625, 0.125, 0.875],
            [0.125, 0.625, 0.375],
            [0.1875, 0.3125, 0.9375],
            [0.6875, 0.8125, 0.4375],
        ];
        let seq = SobolSequence::new(3).unwrap();
        for (i, e) in expected.iter().enumerate() {
            assert_eq!(seq.point(i as u32), e.to_vec(), "point {i}");
        }
    }

    /// FNV-1a (64-bit) over the little-endian bytes of the integer coordinates.
    fn fnv1a(values: impl Iterator<Item = u32>) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for v in values {
            for byte in v.to_le_bytes() {
                h ^= u64::from(byte);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        }
        h
    }

    #[test]
    fn all_dimensions_match_scipy_reference() {
        // Reference: SciPy 1.17.1, qmc.Sobol(d=256, scramble=False, bits=32),
        // first 1024 points, integer coordinates (x * 2^32), row-major, hashed
        // with `fnv1a`. (The full 4096 x 256 block was also compared value by
        // value when the table was embedded.) Any wrong direction number in
        // any of the 256 dimensions changes this hash.
        let mut seq = SobolSequence::new(MAX_DIMENSIONS).unwrap();
        let mut all = Vec::with_capacity(1024 * MAX_DIMENSIONS);
        let mut p = vec![0u32; MAX_DIMENSIONS];
        for _ in 0..1024 {
            seq.next_point_u32(&mut p).unwrap();
            all.extend_from_slice(&p);
        }
        assert_eq!(fnv1a(all.into_iter()), 0xdaef_c10d_dc75_a425);

        // Random access far into the sequence (bits beyond the initial m values
        // exercise the recurrence): SciPy fast_forward(1_000_000), dims
        // 1, 2, 3, 128, 129, 255, 256 (1-based).
        let dims = [0, 1, 2, 127, 128, 254, 255];
        let expected: [[u32; 7]; 3] = [
            [
                113_709_056,
                1_339_682_816,
                3_556_216_832,
                3_042_775_040,
                1_005_998_080,
                622_071_808,
                2_386_980_864,
            ],
            [
                2_261_192_704,
                3_487_166_464,
                1_408_733_184,
                895_291_392,
                3_153_481_728,
                2_769_555_456,
                239_497_216,
            ],
            [
                3_334_934_528,
                265_940_992,
                2_482_475_008,
                4_116_516_864,
                2_079_739_904,
                3_843_297_280,
                1_313_239_040,
            ],
        ];
        for (offset, row) in expected.iter().enumerate() {
            seq.point_u32(1_000_000 + offset as u32, &mut p);
            let got: Vec<u32> = dims.iter().map(|&j| p[j]).collect();
            assert_eq!(got, row.to_vec(), "point {}", 1_000_000 + offset);
        }
    }

    #[test]
    fn direction_table_is_well_formed() {
        // Rows sorted by degree, then by polynomial code, as in Joe & Kuo's
        // file; m_k odd and below 2^k; a has s - 1 bits.
        let mut prev = (0, 0);
        for (row, &(s, a, m)) in JOE_KUO.iter().enumerate() {
            assert_eq!(m.len(), s as usize, "row {row}");
            assert!(s <= 31 && a < (1 << (s - 1)).max(1), "row {row}");
            assert!((s, a) > prev, "row {row} out of order");
            prev = (s, a);
            for (k, &mk) in m.iter().enumerate() {
                assert!(mk % 2 == 1 && mk < (1 << (k + 1)), "row {row}, m_{}", k + 1);
            }
        }
    }

    #[test]
    fn coordinates_are_in_unit_interval_and_zero_only_at_origin() {
        let mut seq = SobolSequence::new(MAX_DIMENSIONS).unwrap();
        let mut p = vec![0.0; MAX_DIMENSIONS];
        for i in 0..4096u32 {
            seq.next_point(&mut p).unwrap();
            for (j, &x) in p.iter().enumerate() {
                assert!((0.0..1.0).contains(&x), "point {i}, dim {j}: {x}");
                assert_eq!(x == 0.0, i == 0, "point {i}, dim {j}");
            }
        }
    }

    #[test]
    fn every_dimension_is_balanced_over_dyadic_intervals() {
        // For n = 2^k, the first n points of each dimension fall exactly once
        // into each interval [i / 2^k, (i + 1) / 2^k): the one-dimensional
        // projections are (0, k, 1)-nets in base 2.
        let seq = SobolSequence::new(MAX_DIMENSIONS).unwrap();
        let mut points = vec![0u32; 1024 * MAX_DIMENSIONS];
        for (i, chunk) in points.chunks_exact_mut(MAX_DIMENSIONS).enumerate() {
            seq.point_u32(i as u32, chunk);
        }
        for k in 0..=10u32 {
            let n = 1usize << k;
            for dim in 0..MAX_DIMENSIONS {
                let mut seen = vec![false; n];
                for i in 0..n {
                    let x = points[i * MAX_DIMENSIONS + dim];
                    let cell = if k == 0 { 0 } else { (x >> (32 - k)) as usize };
                    assert!(!seen[cell], "k {k}, dim {dim}: cell {cell} hit twice");
                    seen[cell] = true;
                }
            }
        }
    }

    #[test]
    fn incremental_generation_matches_random_access() {
        let mut seq = SobolSequence::new(40).unwrap();
        let mut a = vec![0u32; 40];
        let mut b = vec![0u32; 40];
        for i in 0..3000u32 {
            assert_eq!(seq.next_point_u32(&mut a), Some(i));
            seq.point_u32(i, &mut b);
            assert_eq!(a, b, "point {i}");
        }
        seq.seek(123_456);
        assert_eq!(seq.position(), Some(123_456));
        seq.next_point_u32(&mut a).unwrap();
        seq.point_u32(123_456, &mut b);
        assert_eq!(a, b);
        seq.seek(0);
        seq.next_point_u32(&mut a).unwrap();
        assert!(a.iter().all(|&x| x == 0));
    }

    #[test]
    fn exhaustion_and_bad_dimensions_are_errors_not_panics() {
        let mut seq = SobolSequence::new(2).unwrap();
        seq.seek(u32::MAX);
        let mut p = [0.0; 2];
        assert_eq!(seq.next_point(&mut p), Some(u32::MAX));
        assert!(p.iter().all(|&x| x > 0.0 && x < 1.0));
        assert_eq!(seq.next_point(&mut p), None);
        assert_eq!(seq.position(), None);
        assert_eq!(
            SobolSequence::new(0).err(),
            Some(SobolError::ZeroDimensions)
        );
        assert_eq!(
            SobolSequence::new(MAX_DIMENSIONS + 1).err(),
            Some(SobolError::DimensionTooHigh {
                dims: MAX_DIMENSIONS + 1,
                max: MAX_DIMENSIONS
            })
        );
        // Short and long output buffers are fine: only the overlap is written.
        let seq = SobolSequence::new(3).unwrap();
        let mut short = [0u32; 2];
        seq.point_u32(1, &mut short);
        assert_eq!(short, [1 << 31, 1 << 31]);
        let mut long = [7u32; 5];
        seq.point_u32(1, &mut long);
        assert_eq!(long, [1 << 31, 1 << 31, 1 << 31, 7, 7]);
    }
}
