//! The runtime library every program links: embedded in walic at build time (`build.rs`), so walic
//! needs nothing beside its executable, or the archive named by `$WALIC_RUNTIME` (a development
//! override, e.g. a runtime built with other features).
//!
//! The linker needs a file, so the embedded archive is written into a private temporary
//! directory for the duration of one link and removed with it.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Environment variable naming a runtime archive to use instead of the embedded one.
pub const RUNTIME_ENV: &str = "WALIC_RUNTIME";

/// The runtime archive built with this walic (debug information stripped).
pub static EMBEDDED_RUNTIME: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/libwalic_runtime.a"));

/// A runtime archive on disk, ready to be given to the linker.
pub struct RuntimeArchive {
    path: PathBuf,
    /// Holds the embedded archive's temporary copy; None for a user-named file.
    _temporary: Option<TempDir>,
}

impl RuntimeArchive {
    /// `$WALIC_RUNTIME` when set, else the embedded archive written to a private temporary file.
    pub fn locate() -> Result<RuntimeArchive> {
        match std::env::var_os(RUNTIME_ENV) {
            Some(path) => RuntimeArchive::file(PathBuf::from(path)),
            None => RuntimeArchive::embedded(),
        }
    }

    /// The embedded archive, written to a private temporary directory removed on drop.
    pub fn embedded() -> Result<RuntimeArchive> {
        let directory = TempDir::new()?;
        let path = directory.path().join("libwalic_runtime.a");
        std::fs::write(&path, EMBEDDED_RUNTIME)
            .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
        Ok(RuntimeArchive {
            path,
            _temporary: Some(directory),
        })
    }

    /// An archive the user named; it must exist.
    pub fn file(path: PathBuf) -> Result<RuntimeArchive> {
        if !path.is_file() {
            return Err(Error::Runtime(format!(
                "{RUNTIME_ENV}={} does not name a file",
                path.display()
            )));
        }
        Ok(RuntimeArchive {
            path,
            _temporary: None,
        })
    }

    /// Where the archive is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether this is the embedded archive (not a `$WALIC_RUNTIME` override).
    pub fn is_embedded(&self) -> bool {
        self._temporary.is_some()
    }
}

/// A private (mode 0700) temporary directory, removed with its contents on drop.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    /// Creates a fresh directory under the system's temporary directory.
    pub(crate) fn new() -> Result<Self> {
        use std::os::unix::fs::DirBuilderExt;
        let base = std::env::temp_dir();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        for attempt in 0..100u32 {
            let path = base.join(format!("walic-{}-{nanos:x}-{attempt}", std::process::id()));
            match std::fs::DirBuilder::new().mode(0o700).create(&path) {
                Ok(()) => return Ok(TempDir(path)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(Error::io(
                        format!("creating a temporary directory in {}", base.display()),
                        e,
                    ))
                }
            }
        }
        Err(Error::Runtime(
            "could not create a temporary directory".into(),
        ))
    }

    /// The directory.
    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_archive_is_an_ar_archive_defining_the_runtime_symbols() {
        assert!(EMBEDDED_RUNTIME.starts_with(b"!<arch>\n"));
        let needle = walic_loader::symbols::MEMORY_GROW.as_bytes();
        assert!(
            EMBEDDED_RUNTIME.windows(needle.len()).any(|w| w == needle),
            "the embedded archive does not define the runtime's start"
        );
    }

    #[test]
    fn embedded_copy_is_removed_after_use() {
        let archive = RuntimeArchive::embedded().expect("writes the archive");
        let path = archive.path().to_path_buf();
        assert_eq!(std::fs::read(&path).unwrap(), EMBEDDED_RUNTIME);
        assert!(archive.is_embedded());
        drop(archive);
        assert!(!path.exists());
        assert!(!path.parent().unwrap().exists());
    }

    #[test]
    fn missing_override_is_one_line_error() {
        let error = RuntimeArchive::file(PathBuf::from("/nonexistent/lib.a"))
            .err()
            .expect("a missing file is refused");
        assert_eq!(
            error.to_string(),
            "WALIC_RUNTIME=/nonexistent/lib.a does not name a file"
        );
    }
}
