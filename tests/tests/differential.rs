//! The differential suite: every program under `tests/programs/` built with gcc and through
//! `wali-cc` + `walic`, run both ways, compared (see `tests/README.md`). Arguments are name filters.

fn main() {
    walic_tests::differential::main()
}
