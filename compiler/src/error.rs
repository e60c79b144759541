//! walic's error type: every way compiling or linking can fail, each rendered as one line.

use thiserror::Error;

/// The result type of the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in walic.
#[derive(Debug, Error)]
pub enum Error {
    /// The input is not a valid wasm module, or uses a feature walic does not support.
    #[error("at byte offset {offset:#x}: {message}")]
    Invalid {
        /// Byte offset in the wasm input.
        offset: u64,
        /// What is wrong.
        message: String,
    },
    /// The module imports things walic cannot provide.
    #[error("unsupported imports: {}", .0.join(", "))]
    Imports(Vec<String>),
    /// Cranelift failed on a function.
    #[error("compiling wasm function {index} ({name}): {message}")]
    Codegen {
        /// Wasm function index.
        index: u32,
        /// Its name.
        name: String,
        /// Cranelift's message.
        message: String,
    },
    /// Writing the object file failed.
    #[error("emitting the object file: {0}")]
    Emit(String),
    /// The runtime library could not be found.
    #[error("{0}")]
    Runtime(String),
    /// The system linker failed.
    #[error("linking failed: `{command}` exited with {status}\n{output}")]
    Link {
        /// The command line.
        command: String,
        /// Its exit status.
        status: String,
        /// The linker's output.
        output: String,
    },
    /// An I/O error with what was being done.
    #[error("{what}: {source}")]
    Io {
        /// What walic was doing.
        what: String,
        /// The error.
        source: std::io::Error,
    },
}

impl From<wasmparser::BinaryReaderError> for Error {
    fn from(e: wasmparser::BinaryReaderError) -> Self {
        // Some wasmparser messages span lines (debug-printed byte arrays); the user gets one line.
        let message = e.message().split_whitespace().collect::<Vec<_>>().join(" ");
        Error::Invalid {
            offset: e.offset(),
            message,
        }
    }
}

impl Error {
    /// An I/O error with context.
    pub fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            what: what.into(),
            source,
        }
    }
}
