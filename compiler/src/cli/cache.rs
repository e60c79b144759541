//! The cache of `walic run`: compiled programs, content-addressed.
//!
//! Location: `$XDG_CACHE_HOME/walic` when that variable holds an absolute path, else
//! `$HOME/.cache/walic`. Each entry is one executable, `programs/<key>`, where the key is the
//! SHA-256 of everything that decides the compiled bytes: the module, walic's build id, the
//! code-generation options, and the runtime archive when `$WALIC_RUNTIME` overrides the embedded
//! one. Nothing is ever evicted; deleting the directory (or any entry) is always safe.
//!
//! An entry is written under a temporary name in the same directory and renamed into place, so
//! a concurrent `walic run` of the same module sees either no entry or a complete one. Two
//! concurrent misses both compile; the second rename replaces an identical file, and a program
//! already started from the first keeps running from its (unlinked) inode.

use anyhow::Context as _;
use sha2::{Digest, Sha256};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// What decides the bytes of a compiled program.
pub struct KeyInputs<'a> {
    /// The wasm module.
    pub module: &'a [u8],
    /// walic's build id (`build_id::current`).
    pub build_id: &'a [u8],
    /// A canonical text of the code-generation options (and, for `--target-cpu native`, the
    /// host's CPU features).
    pub options: &'a str,
    /// The runtime archive's contents when it is not the embedded one.
    pub runtime_override: Option<&'a [u8]>,
}

impl KeyInputs<'_> {
    /// The entry's key: lowercase hex SHA-256.
    pub fn key(&self) -> String {
        let mut hash = Sha256::new();
        // Every variable-length part is length-prefixed, so no two inputs hash alike by shifting
        // bytes from one part into the next.
        for part in [
            b"walic-run-cache-1".as_slice(),
            self.build_id,
            self.options.as_bytes(),
            self.runtime_override.unwrap_or(b""),
            self.module,
        ] {
            hash.update((part.len() as u64).to_le_bytes());
            hash.update(part);
        }
        hash.update([self.runtime_override.is_some() as u8]);
        hash.finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }
}

/// The cache directory.
pub struct Cache {
    programs: PathBuf,
}

impl Cache {
    /// The cache of this user, from the environment (see the module docs).
    pub fn locate() -> anyhow::Result<Cache> {
        Ok(Cache::at(&root_from(
            std::env::var_os("XDG_CACHE_HOME"),
            std::env::var_os("HOME"),
        )?))
    }

    /// A cache rooted at `root`.
    pub fn at(root: &Path) -> Cache {
        Cache {
            programs: root.join("programs"),
        }
    }

    /// Where the entry for `key` is (whether or not it exists).
    pub fn entry(&self, key: &str) -> PathBuf {
        self.programs.join(key)
    }

    /// Makes the entry for `key` with `build`, which must write the executable to the path it is
    /// given; the entry appears complete or not at all.
    pub fn insert(
        &self,
        key: &str,
        build: impl FnOnce(&Path) -> anyhow::Result<()>,
    ) -> anyhow::Result<PathBuf> {
        std::fs::create_dir_all(&self.programs)
            .with_context(|| format!("creating the cache directory {}", self.programs.display()))?;
        let temporary = self.temporary_name(key);
        let result = build(&temporary).and_then(|()| {
            let entry = self.entry(key);
            std::fs::rename(&temporary, &entry).with_context(|| {
                format!(
                    "moving {} into place as {}",
                    temporary.display(),
                    entry.display()
                )
            })?;
            Ok(entry)
        });
        if result.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
        result
    }

    fn temporary_name(&self, key: &str) -> PathBuf {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        self.programs
            .join(format!(".{key}.{}.{nanos:x}.tmp", std::process::id()))
    }
}

/// The cache root given `$XDG_CACHE_HOME` and `$HOME`. The XDG base-directory specification
/// says a relative `XDG_CACHE_HOME` is invalid and must be ignored.
fn root_from(xdg_cache_home: Option<OsString>, home: Option<OsString>) -> anyhow::Result<PathBuf> {
    if let Some(dir) = xdg_cache_home.map(PathBuf::from) {
        if dir.is_absolute() {
            return Ok(dir.join("walic"));
        }
    }
    match home.map(PathBuf::from) {
        Some(home) if home.is_absolute() => Ok(home.join(".cache").join("walic")),
        _ => anyhow::bail!(
            "no cache directory for `walic run`: neither XDG_CACHE_HOME nor HOME is an absolute path"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(module: &[u8], options: &str, runtime: Option<&[u8]>) -> String {
        KeyInputs {
            module,
            build_id: b"build",
            options,
            runtime_override: runtime,
        }
        .key()
    }

    #[test]
    fn key_covers_every_input() {
        let base = key(b"module", "-O2", None);
        assert_eq!(base.len(), 64);
        assert_eq!(base, key(b"module", "-O2", None));
        assert_ne!(base, key(b"module!", "-O2", None));
        assert_ne!(base, key(b"module", "-O1", None));
        assert_ne!(base, key(b"module", "-O2", Some(b"")));
        assert_ne!(
            base,
            KeyInputs {
                module: b"module",
                build_id: b"other build",
                options: "-O2",
                runtime_override: None,
            }
            .key()
        );
        // Moving bytes between parts changes the key.
        assert_ne!(key(b"ab", "c", None), key(b"b", "ca", None));
    }

    #[test]
    fn root_follows_xdg_then_home() {
        let root = |xdg: Option<&str>, home: Option<&str>| {
            root_from(xdg.map(Into::into), home.map(Into::into)).ok()
        };
        assert_eq!(root(Some("/c"), Some("/h")), Some("/c/walic".into()));
        assert_eq!(
            root(Some("rel"), Some("/h")),
            Some("/h/.cache/walic".into())
        );
        assert_eq!(root(None, Some("/h")), Some("/h/.cache/walic".into()));
        assert_eq!(root(None, None), None);
    }

    #[test]
    fn failed_build_leaves_no_entry_and_no_temporary() {
        let root = std::env::temp_dir().join(format!("walic-cache-test-{}", std::process::id()));
        let cache = Cache::at(&root);
        let result = cache.insert("k", |path| {
            std::fs::write(path, b"half")?;
            anyhow::bail!("compile failed")
        });
        assert!(result.is_err());
        assert!(!cache.entry("k").exists());
        assert_eq!(std::fs::read_dir(&cache.programs).unwrap().count(), 0);
        let entry = cache
            .insert("k", |path| Ok(std::fs::write(path, b"whole")?))
            .unwrap();
        assert_eq!(std::fs::read(entry).unwrap(), b"whole");
        std::fs::remove_dir_all(root).unwrap();
    }
}
