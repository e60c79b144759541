//! Records the compiler emits into the object file and the runtime reads.
//!
//! The root is [`ModuleDescriptor`], a data object named [`crate::symbols::MODULE_DESCRIPTOR`].
//! Every pointer in these records is an absolute address filled in by a relocation at link time;
//! the compiler writes each record at the field offsets computed here with `offset_of!`, so the two
//! sides share one definition. Names are byte ranges of one UTF-8 blob ([`ModuleDescriptor::names`]).

use core::mem::offset_of;
use core::sync::atomic::AtomicU32;

/// First word of every [`ModuleDescriptor`]: "WALIC01\0" as a little-endian u64.
pub const MODULE_MAGIC: u64 = u64::from_le_bytes(*b"WALIC01\0");

/// A compiled function as seen through a `funcref`: tables hold pointers to these records (null for
/// a null reference), `ref.func` produces one, and `call_indirect` checks `type_id` before calling
/// `code` with the System V wasm calling convention of [`crate::vmctx`].
///
/// When the types differ, a call through a C function pointer of another type still goes ahead as
/// it would natively, through `generic` (see [`FuncRef::generic`] and docs/calls.md).
#[repr(C)]
pub struct FuncRef {
    /// Entry point of the compiled function (or of the adapter of an imported function).
    pub code: *const u8,
    /// Canonical type id: equal for structurally equal function types within one module.
    pub type_id: u32,
    /// The wasm function index.
    pub func_index: u32,
    /// The generic entry of the function's type, `extern "C" fn(vmctx, slots: *mut u64, code)`:
    /// it reads the type's parameters from `slots[0..params]`, calls `code` (this record's) and
    /// writes the results to `slots[0..results]`, zeroing the slots after them up to the module's
    /// largest result count. Null when the type has a reference-typed parameter or result, or
    /// when the module was compiled with strict indirect calls. Compiled code enters it only
    /// through the call-cast adapters of `call_indirect`'s mismatch path; the runtime through
    /// `walic_call_wasm`.
    pub generic: *const u8,
}

/// Offset of [`FuncRef::code`].
pub const FUNCREF_CODE: i32 = offset_of!(FuncRef, code) as i32;
/// Offset of [`FuncRef::type_id`].
pub const FUNCREF_TYPE_ID: i32 = offset_of!(FuncRef, type_id) as i32;
/// Offset of [`FuncRef::generic`].
pub const FUNCREF_GENERIC: i32 = offset_of!(FuncRef, generic) as i32;
/// Size of a [`FuncRef`] record.
pub const FUNCREF_SIZE: usize = core::mem::size_of::<FuncRef>();

/// A live table, allocated by the runtime and shared by all threads
/// ([`crate::vmctx::VmContext::tables`] points at an array of these).
#[repr(C)]
pub struct TableInstance {
    /// Entries: pointers to [`FuncRef`] records, null for a null reference. The storage is
    /// reserved for the table's maximum size up front, so this pointer never changes.
    pub entries: *mut *const FuncRef,
    /// Current number of entries.
    pub len: AtomicU32,
    /// Maximum number of entries.
    pub max: u32,
}

/// Offset of [`TableInstance::entries`].
pub const TABLE_ENTRIES: i32 = offset_of!(TableInstance, entries) as i32;
/// Offset of [`TableInstance::len`].
pub const TABLE_LEN: i32 = offset_of!(TableInstance, len) as i32;
/// Size of a [`TableInstance`].
pub const TABLE_INSTANCE_SIZE: usize = core::mem::size_of::<TableInstance>();

/// Value-type codes used in [`FuncType`] parameter and result lists (the wasm binary encoding).
pub mod valtype {
    /// i32
    pub const I32: u8 = 0x7f;
    /// i64
    pub const I64: u8 = 0x7e;
    /// f32
    pub const F32: u8 = 0x7d;
    /// f64
    pub const F64: u8 = 0x7c;
    /// funcref
    pub const FUNCREF: u8 = 0x70;
    /// externref
    pub const EXTERNREF: u8 = 0x6f;
    /// v128 (two 8-byte slots, low half first)
    pub const V128: u8 = 0x7b;
}

/// A function type, indexed by canonical type id.
#[repr(C)]
pub struct FuncType {
    /// Parameter value-type codes ([`valtype`]).
    pub params: *const u8,
    /// Number of parameters.
    pub num_params: u32,
    /// Number of results.
    pub num_results: u32,
    /// Result value-type codes.
    pub results: *const u8,
}

/// The initial shape of a table.
#[repr(C)]
pub struct TableDescriptor {
    /// Initial number of entries (all null until element segments run).
    pub initial: u32,
    /// Maximum number of entries (`u32::MAX` when the module gives none).
    pub max: u32,
}

/// A data segment's bytes.
#[repr(C)]
pub struct DataSegment {
    /// The bytes.
    pub bytes: *const u8,
    /// Their number.
    pub len: u32,
    /// Padding.
    pub reserved: u32,
}

/// An element segment: its items as funcref pointers (null for `ref.null`).
#[repr(C)]
pub struct ElemSegment {
    /// The items.
    pub items: *const *const FuncRef,
    /// Their number.
    pub len: u32,
    /// Padding.
    pub reserved: u32,
}

/// Where a trap can happen inside a compiled function.
#[repr(C)]
pub struct TrapSite {
    /// Byte offset of the trapping instruction from the function's entry.
    pub offset: u32,
    /// The [`crate::trap::Trap`] code.
    pub code: u32,
}

/// A compiled function's code range, identity and trap sites.
#[repr(C)]
pub struct FunctionInfo {
    /// Entry point.
    pub code: *const u8,
    /// Length of the machine code in bytes.
    pub code_len: u32,
    /// The wasm function index.
    pub func_index: u32,
    /// The function's name (from the name section, or `wasm-function[N]`) in the names blob.
    pub name_offset: u32,
    /// Length of the name.
    pub name_len: u32,
    /// First entry of this function's trap sites in [`ModuleDescriptor::trap_sites`], sorted by
    /// offset.
    pub traps_start: u32,
    /// Number of trap sites.
    pub traps_len: u32,
    /// [`function_flags`] bits.
    pub flags: u32,
}

/// Bits of [`FunctionInfo::flags`].
pub mod function_flags {
    /// A signal arriving while this function's own code runs must not run its wasm handler there:
    /// the runtime records it, and the function's generated code delivers it at its next poll
    /// point (loop header, guarded call, or the wrapper it returns to). Set for the bodies of
    /// functions that call setjmp: a handler's `longjmp` into such an activation is possible only
    /// from inside one of its guarded calls.
    pub const DEFERS_SIGNALS: u32 = 1;
}

/// What an export is.
pub mod export_kind {
    /// A function; [`super::Export::func`] is set.
    pub const FUNC: u32 = 0;
    /// A table; [`super::Export::index`] is the table index.
    pub const TABLE: u32 = 1;
    /// The memory.
    pub const MEMORY: u32 = 2;
    /// A global; see [`super::Export::global_vmctx_offset`] and [`super::Export::global_value`].
    pub const GLOBAL: u32 = 3;
}

/// An export of the module.
#[repr(C)]
pub struct Export {
    /// Name in the names blob.
    pub name_offset: u32,
    /// Length of the name.
    pub name_len: u32,
    /// One of [`export_kind`].
    pub kind: u32,
    /// The wasm index of the exported item.
    pub index: u32,
    /// For functions: the funcref record (code pointer and type).
    pub func: *const FuncRef,
    /// For functions: a generic entry `extern "C" fn(vmctx, slots: *mut u64)` that reads the
    /// arguments from `slots[0..params]` and writes the results to `slots[0..results]`
    /// (each value in one 8-byte slot, a v128 in two), so test drivers can call any export.
    pub array_call: *const u8,
    /// For mutable globals: the context offset of the global's slot; -1 otherwise.
    pub global_vmctx_offset: i32,
    /// For globals: the value-type code.
    pub global_type: u32,
    /// For immutable globals: the constant value's bits (the low half of a v128).
    pub global_value: u64,
    /// For immutable v128 globals: the high half of the value.
    pub global_value_high: u64,
}

/// Flags of [`ModuleDescriptor::memory_flags`].
pub mod memory_flags {
    /// The module has a linear memory (defined, or imported in spec-test mode).
    pub const PRESENT: u32 = 1;
    /// The memory is shared (threads).
    pub const SHARED: u32 = 2;
}

/// The root of everything the compiler tells the runtime about a module.
#[repr(C)]
pub struct ModuleDescriptor {
    /// [`MODULE_MAGIC`].
    pub magic: u64,
    /// Size in bytes of each thread's context: the [`crate::vmctx::VmContext`] header plus the
    /// global slots.
    pub vmctx_size: u32,
    /// Context offset of the `__stack_pointer` global's slot, or -1 if the module has none.
    pub stack_pointer_offset: i32,
    /// Initial values of the global slots (`vmctx_size - GLOBALS` bytes), copied into every new
    /// thread's context (ABI.md §7.1: a new thread starts from the module's initial values).
    pub globals_template: *const u8,
    /// [`memory_flags`].
    pub memory_flags: u32,
    /// Initial memory size in wasm pages.
    pub memory_initial_pages: u32,
    /// Maximum memory size in wasm pages.
    pub memory_max_pages: u32,
    /// Number of tables.
    pub num_tables: u32,
    /// The tables' initial shapes.
    pub tables: *const TableDescriptor,
    /// Number of function types.
    pub num_types: u32,
    /// Number of data segments.
    pub num_data_segments: u32,
    /// Function types by canonical type id.
    pub types: *const FuncType,
    /// Data segments by index.
    pub data_segments: *const DataSegment,
    /// Number of element segments.
    pub num_elem_segments: u32,
    /// Number of compiled functions.
    pub num_functions: u32,
    /// Element segments by index.
    pub elem_segments: *const ElemSegment,
    /// Compiled functions in code order.
    pub functions: *const FunctionInfo,
    /// Number of trap sites.
    pub num_trap_sites: u32,
    /// Number of exports.
    pub num_exports: u32,
    /// All trap sites, grouped by function.
    pub trap_sites: *const TrapSite,
    /// Exports.
    pub exports: *const Export,
    /// The names blob.
    pub names: *const u8,
    /// `extern "C" fn(vmctx)`: instantiation. Runs the active element and data segments (and
    /// drops them) and then the start function. The runtime calls it once, on the main thread,
    /// after memory, tables and the context exist.
    pub instantiate: *const u8,
    /// `extern "C" fn(vmctx)`: the exported `_start` function, or null.
    pub entry: *const u8,
    /// Length of the names blob.
    pub names_len: u32,
    /// Canonical type id of `(i32) -> ()` (a plain signal handler), or `u32::MAX`.
    pub type_id_signal_handler: u32,
    /// Canonical type id of `(i32, i32, i32) -> ()` (an `SA_SIGINFO` handler), or `u32::MAX`.
    pub type_id_siginfo_handler: u32,
    /// Canonical type id of `(i32, i32) -> ()` (a thread start function), or `u32::MAX`.
    pub type_id_thread_start: u32,
    /// `extern "C" fn(vmctx)`: the module's own `__stdio_exit` (musl's flush of every stdio
    /// stream, found by name in the name section, type `() -> ()`), or null. The runtime runs it
    /// at the first `__deinit`, because the reference libc's `_start` returns from `main` through
    /// `__deinit` without flushing (ABI.md §3.3); see docs/runtime-core.md.
    pub stdio_exit: *const u8,
    /// How many 8-byte slots a buffer passed to a [`FuncRef::generic`] entry must have (the most
    /// parameters or results of any numeric function type of the module).
    pub generic_slots: u32,
}

// Field offsets of every record, for the compiler's data writer.
macro_rules! offsets {
    ($($name:ident = $ty:ident . $field:ident;)*) => {
        $(
            #[doc = concat!("Offset of `", stringify!($ty), "::", stringify!($field), "`.")]
            pub const $name: usize = offset_of!($ty, $field);
        )*
    };
}

/// Field offsets of the records above, for the compiler, which lays them out byte by byte.
pub mod offsets {
    use super::*;
    offsets! {
        FUNCREF_CODE = FuncRef.code;
        FUNCREF_TYPE_ID = FuncRef.type_id;
        FUNCREF_FUNC_INDEX = FuncRef.func_index;
        FUNCREF_GENERIC_ENTRY = FuncRef.generic;
        FUNCTYPE_PARAMS = FuncType.params;
        FUNCTYPE_NUM_PARAMS = FuncType.num_params;
        FUNCTYPE_NUM_RESULTS = FuncType.num_results;
        FUNCTYPE_RESULTS = FuncType.results;
        TABLEDESC_INITIAL = TableDescriptor.initial;
        TABLEDESC_MAX = TableDescriptor.max;
        DATA_BYTES = DataSegment.bytes;
        DATA_LEN = DataSegment.len;
        ELEM_ITEMS = ElemSegment.items;
        ELEM_LEN = ElemSegment.len;
        TRAP_OFFSET = TrapSite.offset;
        TRAP_CODE = TrapSite.code;
        FUNC_CODE = FunctionInfo.code;
        FUNC_CODE_LEN = FunctionInfo.code_len;
        FUNC_INDEX = FunctionInfo.func_index;
        FUNC_NAME_OFFSET = FunctionInfo.name_offset;
        FUNC_NAME_LEN = FunctionInfo.name_len;
        FUNC_TRAPS_START = FunctionInfo.traps_start;
        FUNC_TRAPS_LEN = FunctionInfo.traps_len;
        FUNC_FLAGS = FunctionInfo.flags;
        EXPORT_NAME_OFFSET = Export.name_offset;
        EXPORT_NAME_LEN = Export.name_len;
        EXPORT_KIND = Export.kind;
        EXPORT_INDEX = Export.index;
        EXPORT_FUNC = Export.func;
        EXPORT_ARRAY_CALL = Export.array_call;
        EXPORT_GLOBAL_VMCTX_OFFSET = Export.global_vmctx_offset;
        EXPORT_GLOBAL_TYPE = Export.global_type;
        EXPORT_GLOBAL_VALUE = Export.global_value;
        EXPORT_GLOBAL_VALUE_HIGH = Export.global_value_high;
        MODULE_MAGIC_OFF = ModuleDescriptor.magic;
        MODULE_VMCTX_SIZE = ModuleDescriptor.vmctx_size;
        MODULE_STACK_POINTER_OFFSET = ModuleDescriptor.stack_pointer_offset;
        MODULE_GLOBALS_TEMPLATE = ModuleDescriptor.globals_template;
        MODULE_MEMORY_FLAGS = ModuleDescriptor.memory_flags;
        MODULE_MEMORY_INITIAL_PAGES = ModuleDescriptor.memory_initial_pages;
        MODULE_MEMORY_MAX_PAGES = ModuleDescriptor.memory_max_pages;
        MODULE_NUM_TABLES = ModuleDescriptor.num_tables;
        MODULE_TABLES = ModuleDescriptor.tables;
        MODULE_NUM_TYPES = ModuleDescriptor.num_types;
        MODULE_NUM_DATA_SEGMENTS = ModuleDescriptor.num_data_segments;
        MODULE_TYPES = ModuleDescriptor.types;
        MODULE_DATA_SEGMENTS = ModuleDescriptor.data_segments;
        MODULE_NUM_ELEM_SEGMENTS = ModuleDescriptor.num_elem_segments;
        MODULE_NUM_FUNCTIONS = ModuleDescriptor.num_functions;
        MODULE_ELEM_SEGMENTS = ModuleDescriptor.elem_segments;
        MODULE_FUNCTIONS = ModuleDescriptor.functions;
        MODULE_NUM_TRAP_SITES = ModuleDescriptor.num_trap_sites;
        MODULE_NUM_EXPORTS = ModuleDescriptor.num_exports;
        MODULE_TRAP_SITES = ModuleDescriptor.trap_sites;
        MODULE_EXPORTS = ModuleDescriptor.exports;
        MODULE_NAMES = ModuleDescriptor.names;
        MODULE_INSTANTIATE = ModuleDescriptor.instantiate;
        MODULE_ENTRY = ModuleDescriptor.entry;
        MODULE_NAMES_LEN = ModuleDescriptor.names_len;
        MODULE_TYPE_ID_SIGNAL_HANDLER = ModuleDescriptor.type_id_signal_handler;
        MODULE_TYPE_ID_SIGINFO_HANDLER = ModuleDescriptor.type_id_siginfo_handler;
        MODULE_TYPE_ID_THREAD_START = ModuleDescriptor.type_id_thread_start;
        MODULE_STDIO_EXIT = ModuleDescriptor.stdio_exit;
        MODULE_GENERIC_SLOTS = ModuleDescriptor.generic_slots;
    }

    /// Size of a [`FuncRef`].
    pub const FUNCREF_SIZE: usize = core::mem::size_of::<FuncRef>();
    /// Size of a [`FuncType`].
    pub const FUNCTYPE_SIZE: usize = core::mem::size_of::<FuncType>();
    /// Size of a [`TableDescriptor`].
    pub const TABLEDESC_SIZE: usize = core::mem::size_of::<TableDescriptor>();
    /// Size of a [`DataSegment`].
    pub const DATA_SIZE: usize = core::mem::size_of::<DataSegment>();
    /// Size of an [`ElemSegment`].
    pub const ELEM_SIZE: usize = core::mem::size_of::<ElemSegment>();
    /// Size of a [`TrapSite`].
    pub const TRAP_SIZE: usize = core::mem::size_of::<TrapSite>();
    /// Size of a [`FunctionInfo`].
    pub const FUNC_SIZE: usize = core::mem::size_of::<FunctionInfo>();
    /// Size of an [`Export`].
    pub const EXPORT_SIZE: usize = core::mem::size_of::<Export>();
    /// Size of a [`ModuleDescriptor`].
    pub const MODULE_SIZE: usize = core::mem::size_of::<ModuleDescriptor>();
}

impl ModuleDescriptor {
    /// The bytes of a name in the names blob.
    ///
    /// # Safety
    /// `self` must be a descriptor emitted by the compiler, so `names` spans `names_len` bytes.
    pub unsafe fn name(&self, offset: u32, len: u32) -> &[u8] {
        if offset
            .checked_add(len)
            .is_none_or(|end| end > self.names_len)
        {
            return b"?";
        }
        // SAFETY: the range was checked against the blob's length above.
        unsafe { core::slice::from_raw_parts(self.names.add(offset as usize), len as usize) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_have_the_expected_sizes() {
        assert_eq!(offsets::FUNCREF_SIZE, 24);
        assert_eq!(offsets::TRAP_SIZE, 8);
        assert_eq!(offsets::FUNC_SIZE, 40);
        assert_eq!(TABLE_INSTANCE_SIZE, 16);
        assert_eq!(offsets::MODULE_MAGIC_OFF, 0);
    }
}
