//! Object emission: compiling every function (in parallel) into one relocatable ELF object
//! together with the metadata records the runtime reads (`walic_loader::metadata`).
//!
//! `object.rs` drives compilation and defines the code; `stubs.rs` builds the generated helper
//! functions (import adapters, array-call trampolines, setjmp thunks, `instantiate`);
//! `metadata.rs` writes the descriptor and its tables.

mod metadata;
mod object;
mod stubs;

pub use object::{emit, Emitted, Stats};
