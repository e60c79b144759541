//! The one contract between walic's compiler and its runtime, plus the start-up procedures every
//! compiled program runs.
//!
//! Generated code and the runtime library are built at different times by different crates; every
//! fact they must agree on lives here and nowhere else, so an offset cannot drift:
//!
//! - [`vmctx`]: the layout of the per-thread context whose address generated code receives as its
//!   first argument (memory base, stack limit, pending-signal flag, globals);
//! - [`symbols`]: the names of the runtime functions generated code calls, and of the data the
//!   compiler emits for the runtime to read;
//! - [`trap`]: trap codes and their messages;
//! - [`metadata`]: the `#[repr(C)]` records the compiler emits (module descriptor, function table,
//!   trap sites, exports, segments) that the runtime reads at start-up and when a trap happens;
//! - [`imports`]: the WALI import table (`imports.tsv`), with the signatures each import may have;
//! - [`memory`]: linear-memory geometry shared by both sides (reservation size, page sizes).
#![deny(missing_docs)]

pub mod imports;
pub mod memory;
pub mod metadata;
pub mod symbols;
pub mod trap;
pub mod vmctx;
