//! What the `walic` command does beyond compiling one module: `walic run` with its cache of
//! compiled programs, and the binfmt_misc handler that runs `./prog.wasm` through it.

pub mod binfmt;
mod build_id;
mod cache;
mod exec;
pub mod run;
