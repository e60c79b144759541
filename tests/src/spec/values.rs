//! Wasm values on the wire between the spec harness and the spec driver, and the matching of
//! results against a `.wast` file's expectations.
//!
//! A value is written `type:bits` with the bits in hex: `i32:ffffffff`, `f64:7ff8000000000000`,
//! `ref:0` (a null reference) or `ref:N` (a non-null reference; host `ref.extern K` travels as
//! K + 1 so that 0 stays null), `v128:bits` (lane 0 in the low bits).

use wast::core::{HeapType, NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::{WastArg, WastRet};

/// A value as the driver reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    /// An i32.
    I32(u32),
    /// An i64.
    I64(u64),
    /// An f32, as bits.
    F32(u32),
    /// An f64, as bits.
    F64(u64),
    /// A reference: 0 is null.
    Ref(u64),
    /// A v128, lane 0 in the low bits.
    V128(u128),
}

impl Value {
    /// The wire form.
    pub fn encode(self) -> String {
        match self {
            Value::I32(v) => format!("i32:{v:x}"),
            Value::I64(v) => format!("i64:{v:x}"),
            Value::F32(v) => format!("f32:{v:x}"),
            Value::F64(v) => format!("f64:{v:x}"),
            Value::Ref(v) => format!("ref:{v:x}"),
            Value::V128(v) => format!("v128:{v:x}"),
        }
    }

    /// Parses the wire form.
    pub fn decode(text: &str) -> Option<Value> {
        let (ty, bits) = text.split_once(':')?;
        if ty == "v128" {
            return u128::from_str_radix(bits, 16).ok().map(Value::V128);
        }
        let bits = u64::from_str_radix(bits, 16).ok()?;
        Some(match ty {
            "i32" => Value::I32(u32::try_from(bits).ok()?),
            "i64" => Value::I64(bits),
            "f32" => Value::F32(u32::try_from(bits).ok()?),
            "f64" => Value::F64(bits),
            "ref" => Value::Ref(bits),
            _ => return None,
        })
    }
}

/// Why an argument or expectation cannot be run by walic (counted apart, not as a failure).
#[derive(Debug)]
pub struct Unsupported(pub String);

/// The wire value of a `.wast` argument.
pub fn argument(arg: &WastArg<'_>) -> Result<Value, Unsupported> {
    let WastArg::Core(core) = arg else {
        return Err(Unsupported("component-model argument".into()));
    };
    Ok(match core {
        WastArgCore::I32(v) => Value::I32(*v as u32),
        WastArgCore::I64(v) => Value::I64(*v as u64),
        WastArgCore::F32(v) => Value::F32(v.bits),
        WastArgCore::F64(v) => Value::F64(v.bits),
        WastArgCore::V128(v) => Value::V128(u128::from_le_bytes(v.to_le_bytes())),
        WastArgCore::RefNull(_) => Value::Ref(0),
        WastArgCore::RefExtern(k) => Value::Ref(*k as u64 + 1),
        other => return Err(Unsupported(format!("argument {other:?}"))),
    })
}

/// What the script expects of one result, owned so it outlives the parse buffer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expected {
    /// Exactly this i32.
    I32(u32),
    /// Exactly this i64.
    I64(u64),
    /// Exactly these f32 bits.
    F32(u32),
    /// Exactly these f64 bits.
    F64(u64),
    /// An f32 canonical NaN (either sign).
    F32CanonicalNan,
    /// An f32 arithmetic NaN (quiet bit set).
    F32ArithmeticNan,
    /// An f64 canonical NaN.
    F64CanonicalNan,
    /// An f64 arithmetic NaN.
    F64ArithmeticNan,
    /// A null reference.
    RefNull,
    /// Any non-null reference.
    RefNonNull,
    /// The host reference `ref.extern K` (K + 1 on the wire).
    RefExtern(u64),
    /// Exactly these v128 bits.
    V128(u128),
    /// A v128 whose f32 (`lane_bits` 32) or f64 lanes each match one expectation.
    FloatLanes {
        /// 32 or 64.
        lane_bits: u32,
        /// One per lane, lane 0 first.
        lanes: Vec<Expected>,
    },
    /// Any one of these (relaxed operators' permitted results).
    Either(Vec<Expected>),
}

impl Expected {
    /// Converts a `.wast` expectation.
    pub fn from_wast(ret: &WastRet<'_>) -> Result<Expected, Unsupported> {
        let WastRet::Core(core) = ret else {
            return Err(Unsupported("component-model result".into()));
        };
        Self::from_core(core)
    }

    fn from_core(core: &WastRetCore<'_>) -> Result<Expected, Unsupported> {
        Ok(match core {
            WastRetCore::I32(v) => Expected::I32(*v as u32),
            WastRetCore::I64(v) => Expected::I64(*v as u64),
            WastRetCore::F32(NanPattern::CanonicalNan) => Expected::F32CanonicalNan,
            WastRetCore::F32(NanPattern::ArithmeticNan) => Expected::F32ArithmeticNan,
            WastRetCore::F32(NanPattern::Value(v)) => Expected::F32(v.bits),
            WastRetCore::F64(NanPattern::CanonicalNan) => Expected::F64CanonicalNan,
            WastRetCore::F64(NanPattern::ArithmeticNan) => Expected::F64ArithmeticNan,
            WastRetCore::F64(NanPattern::Value(v)) => Expected::F64(v.bits),
            WastRetCore::RefNull(None | Some(HeapType::Abstract { .. })) => Expected::RefNull,
            WastRetCore::RefExtern(None) | WastRetCore::RefFunc(_) => Expected::RefNonNull,
            WastRetCore::RefExtern(Some(k)) => Expected::RefExtern(*k as u64 + 1),
            WastRetCore::V128(pattern) => v128_pattern(pattern),
            WastRetCore::Either(options) => Expected::Either(
                options
                    .iter()
                    .map(Expected::from_core)
                    .collect::<Result<_, _>>()?,
            ),
            other => return Err(Unsupported(format!("result {other:?}"))),
        })
    }

    /// Whether `actual` satisfies this expectation.
    pub fn matches(&self, actual: Value) -> bool {
        match (self, actual) {
            (Expected::Either(options), a) => options.iter().any(|o| o.matches(a)),
            (Expected::V128(e), Value::V128(a)) => *e == a,
            (Expected::FloatLanes { lane_bits, lanes }, Value::V128(a)) => {
                lanes.iter().enumerate().all(|(i, lane)| {
                    let bits = (a >> (i as u32 * lane_bits)) as u64;
                    match lane_bits {
                        32 => lane.matches(Value::F32(bits as u32)),
                        _ => lane.matches(Value::F64(bits)),
                    }
                })
            }
            (Expected::I32(e), Value::I32(a)) => *e == a,
            (Expected::I64(e), Value::I64(a)) => *e == a,
            (Expected::F32(e), Value::F32(a)) => *e == a,
            (Expected::F64(e), Value::F64(a)) => *e == a,
            (Expected::F32CanonicalNan, Value::F32(a)) => a & 0x7fff_ffff == 0x7fc0_0000,
            (Expected::F32ArithmeticNan, Value::F32(a)) => a & 0x7fc0_0000 == 0x7fc0_0000,
            (Expected::F64CanonicalNan, Value::F64(a)) => {
                a & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000
            }
            (Expected::F64ArithmeticNan, Value::F64(a)) => {
                a & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000
            }
            (Expected::RefNull, Value::Ref(a)) => a == 0,
            (Expected::RefNonNull, Value::Ref(a)) => a != 0,
            (Expected::RefExtern(e), Value::Ref(a)) => *e == a,
            _ => false,
        }
    }
}

/// The expectation of a `v128.const` result: exact bits for integer lanes, per-lane patterns
/// for float lanes (which may be NaN patterns).
fn v128_pattern(pattern: &V128Pattern) -> Expected {
    fn pack<const N: usize>(lanes: [u64; N]) -> u128 {
        let width = 128 / N as u32;
        let mask = if width == 64 {
            u64::MAX
        } else {
            (1u64 << width) - 1
        };
        lanes.iter().enumerate().fold(0u128, |acc, (i, lane)| {
            acc | u128::from(lane & mask) << (i as u32 * width)
        })
    }
    match pattern {
        V128Pattern::I8x16(l) => Expected::V128(pack(l.map(|v| v as u8 as u64))),
        V128Pattern::I16x8(l) => Expected::V128(pack(l.map(|v| v as u16 as u64))),
        V128Pattern::I32x4(l) => Expected::V128(pack(l.map(|v| v as u32 as u64))),
        V128Pattern::I64x2(l) => Expected::V128(pack(l.map(|v| v as u64))),
        V128Pattern::F32x4(l) => Expected::FloatLanes {
            lane_bits: 32,
            lanes: l
                .iter()
                .map(|p| match p {
                    NanPattern::CanonicalNan => Expected::F32CanonicalNan,
                    NanPattern::ArithmeticNan => Expected::F32ArithmeticNan,
                    NanPattern::Value(v) => Expected::F32(v.bits),
                })
                .collect(),
        },
        V128Pattern::F64x2(l) => Expected::FloatLanes {
            lane_bits: 64,
            lanes: l
                .iter()
                .map(|p| match p {
                    NanPattern::CanonicalNan => Expected::F64CanonicalNan,
                    NanPattern::ArithmeticNan => Expected::F64ArithmeticNan,
                    NanPattern::Value(v) => Expected::F64(v.bits),
                })
                .collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_values_round_trip() {
        for v in [
            Value::I32(u32::MAX),
            Value::I64(1 << 63),
            Value::F32(0x7fc0_0000),
            Value::F64(0x3ff0_0000_0000_0000),
            Value::Ref(0),
            Value::V128(u128::MAX - 7),
        ] {
            assert_eq!(Value::decode(&v.encode()), Some(v));
        }
        assert_eq!(Value::decode("i32:100000000"), None);
        assert_eq!(Value::decode("v128:0"), Some(Value::V128(0)));
    }

    #[test]
    fn float_lanes_match_per_lane() {
        let e = Expected::FloatLanes {
            lane_bits: 32,
            lanes: vec![
                Expected::F32CanonicalNan,
                Expected::F32(0x3f80_0000),
                Expected::F32(0),
                Expected::F32(0),
            ],
        };
        assert!(e.matches(Value::V128(0x3f80_0000_ffc0_0000)));
        assert!(!e.matches(Value::V128(0x3f80_0000_ffc0_0001)));
        assert!(!e.matches(Value::V128(0x3f80_0001_7fc0_0000)));
    }
}
