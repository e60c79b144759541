//! walic's end-to-end test support: the differential C-program harness, the WebAssembly
//! spec-suite runner and the toolchain checks. The tests themselves live in `tests/tests/`.

pub mod compare;
pub mod differential;
pub mod header;
pub mod import_check;
pub mod run;
pub mod spec;
pub mod text_diff;
pub mod toolchain;
