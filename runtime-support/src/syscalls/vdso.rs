//! The kernel's vDSO `clock_gettime`, called directly.
//!
//! A native program reaches the vDSO through one libc wrapper; a walic program already passes
//! through musl's wrapper in wasm and the import, so the runtime calls the vDSO function itself
//! instead of going through glibc's `clock_gettime` as a third layer. The function is looked up
//! once, in the vDSO image the kernel maps into every process (`AT_SYSINFO_EHDR`), by its
//! documented name; without a vDSO (or without that symbol) callers fall back to the syscall.

use std::sync::OnceLock;

use object::read::elf::ElfFile64;
use object::{Endianness, Object, ObjectSymbol};

/// The vDSO's `clock_gettime(clockid, struct timespec *)`: 0, or `-errno`.
pub type ClockGettime = unsafe extern "C" fn(libc::clockid_t, *mut libc::timespec) -> libc::c_int;

/// The vDSO's `clock_gettime`, if the kernel provides one.
pub fn clock_gettime() -> Option<ClockGettime> {
    static FUNCTION: OnceLock<Option<ClockGettime>> = OnceLock::new();
    *FUNCTION.get_or_init(|| {
        let address = lookup("__vdso_clock_gettime")?;
        // SAFETY: the kernel documents this symbol of x86-64's vDSO with exactly this ABI
        // (vdso(7)); `address` is its entry in the mapped image.
        Some(unsafe { std::mem::transmute::<usize, ClockGettime>(address) })
    })
}

/// The address of the vDSO's dynamic symbol `name`.
fn lookup(name: &str) -> Option<usize> {
    // SAFETY: getauxval only reads the auxiliary vector.
    let base = unsafe { libc::getauxval(libc::AT_SYSINFO_EHDR) } as usize;
    if base == 0 {
        return None;
    }
    // SAFETY: the kernel maps the whole vDSO ELF image, section headers last, read-only at
    // `base` for the life of the process: its header says how far the image extends.
    let image = unsafe { image_at(base)? };
    let file = ElfFile64::<Endianness>::parse(image).ok()?;
    let symbol = file
        .dynamic_symbols()
        .find(|symbol| symbol.name() == Ok(name) && symbol.is_definition())?;
    // The image is linked at address 0 (prelinked vDSOs at another base are long gone, but the
    // relative form is right for both): a symbol's value is its offset from the first segment.
    let first_segment = file.elf_program_headers().iter().find_map(|header| {
        (header.p_type.get(file.endian()) == object::elf::PT_LOAD)
            .then(|| header.p_vaddr.get(file.endian()))
    })?;
    Some(base + (symbol.address() - first_segment) as usize)
}

/// The bytes of the ELF image at `base`, as far as its section header table reaches.
///
/// # Safety
/// `base` must be the start of a mapped ELF64 image that stays mapped and unchanged.
unsafe fn image_at(base: usize) -> Option<&'static [u8]> {
    // SAFETY: the caller vouches for a mapped ELF header at `base`.
    let header = unsafe { &*(base as *const libc::Elf64_Ehdr) };
    if header.e_ident[..4] != *b"\x7fELF" {
        return None;
    }
    let end = header.e_shoff as usize + header.e_shnum as usize * header.e_shentsize as usize;
    let end =
        end.max(header.e_phoff as usize + header.e_phnum as usize * header.e_phentsize as usize);
    // SAFETY: the header describes the mapped image; both tables lie within it.
    Some(unsafe { std::slice::from_raw_parts(base as *const u8, end) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_clock_that_agrees_with_the_kernel() {
        let function = clock_gettime().expect("x86-64 Linux maps a vDSO with clock_gettime");
        let mut from_vdso = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        let mut from_kernel = from_vdso;
        // SAFETY: both calls write one local timespec.
        unsafe {
            assert_eq!(function(libc::CLOCK_REALTIME, &mut from_vdso), 0);
            libc::syscall(
                libc::SYS_clock_gettime,
                libc::CLOCK_REALTIME,
                &mut from_kernel,
            );
        }
        assert!((from_kernel.tv_sec - from_vdso.tv_sec).abs() <= 1);
        assert!(from_vdso.tv_nsec < 1_000_000_000);
    }

    #[test]
    fn an_invalid_clock_is_einval() {
        let function = clock_gettime().unwrap();
        let mut time = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: writes one local timespec at most.
        assert_eq!(unsafe { function(-1000, &mut time) }, -libc::EINVAL);
    }
}
