//! Sixteen bytes at a time, one bit a byte: where a string's content stops
//! (the scanner's [`STOP`](super::STOP) bytes: `"`, `\` and bytes below
//! 0x20) and which bytes are outside ASCII. The quick check's string run
//! ([`super::quick`]) takes the end of a string from the first bit, and
//! whether its UTF-8 needs checking from the bits before it.
//!
//! SSE2's byte compares and `movemask` (through `safe_arch`: the crate
//! forbids `unsafe`), a dozen instructions and no branch, inlined where
//! they are used; x86-64 only (elsewhere the quick check keeps its plain
//! run, `quick::plain_run_portable`: the same bits gathered in plain code
//! took nearly twice its instructions). A test compares them with the
//! definition on every byte at every place.

/// The stop bytes and the bytes outside ASCII of `step`: bit `i` of each
/// mask is byte `i`'s.
#[inline(always)]
pub(super) fn masks(step: &[u8; 16]) -> (u32, u32) {
    use safe_arch::{
        cmp_eq_mask_i8_m128i, load_unaligned_m128i, min_u8_m128i, move_mask_i8_m128i,
        set_splat_i8_m128i,
    };
    let v = load_unaligned_m128i(step);
    // A byte below 0x20 is its own minimum with 0x1F.
    let stop = cmp_eq_mask_i8_m128i(v, set_splat_i8_m128i(b'"' as i8))
        | cmp_eq_mask_i8_m128i(v, set_splat_i8_m128i(b'\\' as i8))
        | cmp_eq_mask_i8_m128i(min_u8_m128i(v, set_splat_i8_m128i(0x1F)), v);
    // (`movemask` sets the low 16 bits of its `i32` only.)
    (
        move_mask_i8_m128i(stop) as u32,
        move_mask_i8_m128i(v) as u32,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The masks as defined, byte by byte.
    fn expected(step: &[u8; 16]) -> (u32, u32) {
        let (mut stops, mut high) = (0, 0);
        for (i, &b) in step.iter().enumerate() {
            stops |= u32::from(super::super::STOP[usize::from(b)]) << i;
            high |= u32::from(b >= 0x80) << i;
        }
        (stops, high)
    }

    /// Every byte at every place, beside another byte elsewhere.
    #[test]
    fn masks_flag_every_stop_and_every_byte_outside_ascii() {
        for at in 0..16 {
            for byte in 0..=255u8 {
                for other in [b'a', b'"', 0x80, 0xFF, 0x1F, 0x20] {
                    let mut step = [b'a'; 16];
                    step[(at * 7 + 3) % 16] = other;
                    step[at] = byte;
                    assert_eq!(masks(&step), expected(&step), "{step:?}");
                }
            }
        }
    }
}
