//! This walic build's identity, part of every `walic run` cache key: the GNU build-id note the
//! linker writes into the walic executable (`build.rs` asks for one), a hash of the executable's
//! whole contents. Reading it costs a few small reads of `/proc/self/exe`, not the whole
//! 40 MB file; an executable without the note is hashed whole.

use anyhow::Context as _;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::os::unix::fs::FileExt;

const PT_NOTE: u32 = 4;
const NT_GNU_BUILD_ID: u32 = 3;

/// The build id of the running walic executable.
pub fn current() -> anyhow::Result<Vec<u8>> {
    let exe = File::open("/proc/self/exe").context("opening /proc/self/exe")?;
    if let Some(id) = gnu_build_id(&exe).context("reading walic's ELF headers")? {
        return Ok(id);
    }
    let bytes = std::fs::read("/proc/self/exe").context("reading /proc/self/exe")?;
    Ok(Sha256::digest(bytes).to_vec())
}

fn read_at(file: &File, offset: u64, length: usize) -> std::io::Result<Vec<u8>> {
    let mut buffer = vec![0; length];
    file.read_exact_at(&mut buffer, offset)?;
    Ok(buffer)
}

fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap())
}

/// The descriptor of the NT_GNU_BUILD_ID note of a little-endian ELF64 file, if it has one.
fn gnu_build_id(file: &File) -> std::io::Result<Option<Vec<u8>>> {
    let header = read_at(file, 0, 64)?;
    if &header[..4] != b"\x7fELF" || header[4] != 2 || header[5] != 1 {
        return Ok(None);
    }
    let (phoff, phentsize, phnum) = (
        u64_at(&header, 0x20),
        u16_at(&header, 0x36) as usize,
        u16_at(&header, 0x38) as usize,
    );
    let program_headers = read_at(file, phoff, phentsize * phnum)?;
    for entry in program_headers.chunks_exact(phentsize) {
        if u32_at(entry, 0) != PT_NOTE {
            continue;
        }
        let notes = read_at(file, u64_at(entry, 8), u64_at(entry, 32) as usize)?;
        if let Some(id) = find_build_id(&notes) {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

/// Walks a note segment: (namesz, descsz, type, name padded to 4, desc padded to 4)*.
fn find_build_id(mut notes: &[u8]) -> Option<Vec<u8>> {
    let padded = |n: usize| n.div_ceil(4) * 4;
    while notes.len() >= 12 {
        let (name_size, desc_size) = (u32_at(notes, 0) as usize, u32_at(notes, 4) as usize);
        let name_end = 12 + padded(name_size);
        let desc_end = name_end + padded(desc_size);
        if desc_end > notes.len() {
            return None;
        }
        if u32_at(notes, 8) == NT_GNU_BUILD_ID && &notes[12..12 + name_size] == b"GNU\0" {
            return Some(notes[name_end..name_end + desc_size].to_vec());
        }
        notes = &notes[desc_end..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_build_id_note_among_others() {
        let mut notes = Vec::new();
        // An ABI-tag note first, then the build id.
        notes.extend_from_slice(&4u32.to_le_bytes());
        notes.extend_from_slice(&16u32.to_le_bytes());
        notes.extend_from_slice(&1u32.to_le_bytes());
        notes.extend_from_slice(b"GNU\0");
        notes.extend_from_slice(&[0; 16]);
        notes.extend_from_slice(&4u32.to_le_bytes());
        notes.extend_from_slice(&3u32.to_le_bytes());
        notes.extend_from_slice(&NT_GNU_BUILD_ID.to_le_bytes());
        notes.extend_from_slice(b"GNU\0");
        notes.extend_from_slice(&[0xaa, 0xbb, 0xcc, 0]);
        assert_eq!(find_build_id(&notes), Some(vec![0xaa, 0xbb, 0xcc]));
        assert_eq!(find_build_id(&notes[..40]), None);
    }

    #[test]
    fn this_test_executable_has_a_stable_build_id() {
        let first = current().expect("reads the running executable");
        assert!(!first.is_empty());
        assert_eq!(first, current().unwrap());
    }
}
