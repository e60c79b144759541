//! The metadata writer: lays out the `#[repr(C)]` records of `walic_loader::metadata` byte by byte
//! (at the loader's `offsets`) as data objects, with relocations for every pointer, and the
//! `ModuleDescriptor` that points at all of them.

use super::object::FunctionRecord;
use crate::error::{Error, Result};
use crate::module::{ConstValue, ExportItem, FuncIndex, Module, ValType};
use cranelift_entity::SecondaryMap;
use cranelift_module::{DataDescription, DataId, FuncId, Linkage, Module as _};
use cranelift_object::ObjectModule;
use walic_loader::metadata::{export_kind, memory_flags, offsets as o, MODULE_MAGIC};
use walic_loader::vmctx;

/// Bytes of a data object under construction, with its relocations.
struct Blob {
    bytes: Vec<u8>,
    funcs: Vec<(usize, FuncId)>,
    datas: Vec<(usize, DataId, i64)>,
}

impl Blob {
    fn new(size: usize) -> Self {
        Blob {
            bytes: vec![0; size],
            funcs: Vec::new(),
            datas: Vec::new(),
        }
    }
    fn u32(&mut self, at: usize, v: u32) {
        self.bytes[at..at + 4].copy_from_slice(&v.to_le_bytes());
    }
    fn i32(&mut self, at: usize, v: i32) {
        self.u32(at, v as u32);
    }
    fn u64(&mut self, at: usize, v: u64) {
        self.bytes[at..at + 8].copy_from_slice(&v.to_le_bytes());
    }
    fn func(&mut self, at: usize, f: FuncId) {
        self.funcs.push((at, f));
    }
    /// A pointer to `data + addend`, or null when there is no data object.
    fn data(&mut self, at: usize, d: Option<DataId>, addend: i64) {
        if let Some(d) = d {
            self.datas.push((at, d, addend));
        }
    }
}

/// The names blob.
#[derive(Default)]
struct Names {
    bytes: Vec<u8>,
}

impl Names {
    fn add(&mut self, s: &str) -> (u32, u32) {
        let at = self.bytes.len() as u32;
        self.bytes.extend_from_slice(s.as_bytes());
        (at, s.len() as u32)
    }
}

/// Everything the descriptor refers to that the object emitter produced.
pub struct MetadataInputs<'r> {
    /// The `FuncRef` records object (declared before translation).
    pub funcrefs: Option<DataId>,
    /// Code symbol of each function as wasm sees it (body or adapter).
    pub func_ids: &'r SecondaryMap<FuncIndex, Option<FuncId>>,
    /// Array-call trampoline of each exported function.
    pub array_calls: &'r std::collections::HashMap<FuncIndex, FuncId>,
    /// Generic entry of each numeric type of functions a pointer can reach (none when indirect
    /// calls are strict).
    pub generic_entries: &'r std::collections::HashMap<crate::module::TypeId, FuncId>,
    /// The instantiate function.
    pub instantiate: FuncId,
    /// Every compiled function, in code order.
    pub functions: &'r [FunctionRecord],
    /// Name of the descriptor symbol.
    pub descriptor_symbol: String,
}

struct Writer<'o> {
    obj: &'o mut ObjectModule,
    counter: u32,
}

impl Writer<'_> {
    /// Defines `blob` as a new read-only local data object (None if empty).
    fn define(&mut self, name: &str, blob: Blob) -> Result<Option<DataId>> {
        if blob.bytes.is_empty() {
            return Ok(None);
        }
        self.counter += 1;
        let name = format!("walic_{name}.{}", self.counter);
        let id = self
            .obj
            .declare_data(&name, Linkage::Local, false, false)
            .map_err(emit_error)?;
        self.fill(id, blob)?;
        Ok(Some(id))
    }

    fn fill(&mut self, id: DataId, blob: Blob) -> Result<()> {
        let mut desc = DataDescription::new();
        desc.set_align(16);
        // Never `define_zeroinit`: it would drop the relocations (cranelift-notes §1.3).
        desc.define(blob.bytes.into_boxed_slice());
        for (at, f) in blob.funcs {
            let r = self.obj.declare_func_in_data(f, &mut desc);
            desc.write_function_addr(at as u32, r);
        }
        for (at, d, addend) in blob.datas {
            let g = self.obj.declare_data_in_data(d, &mut desc);
            desc.write_data_addr(at as u32, g, addend);
        }
        self.obj.define_data(id, &desc).map_err(emit_error)
    }
}

pub(crate) fn emit_error(e: impl std::fmt::Display) -> Error {
    Error::Emit(e.to_string())
}

/// Writes a constant into an 8-byte slot of `blob` (a v128 into two consecutive ones).
fn write_const(
    blob: &mut Blob,
    at: usize,
    v: ConstValue,
    module: &Module<'_>,
    funcrefs: Option<DataId>,
) {
    match v {
        ConstValue::I32(x) => blob.u64(at, u64::from(x as u32)),
        ConstValue::I64(x) => blob.u64(at, x as u64),
        ConstValue::F32(bits) => blob.u64(at, u64::from(bits)),
        ConstValue::F64(bits) => blob.u64(at, bits),
        ConstValue::V128(bits) => {
            blob.u64(at, bits as u64);
            blob.u64(at + 8, (bits >> 64) as u64);
        }
        ConstValue::Null => {}
        ConstValue::FuncRef(f) => {
            let record = module.funcref_of[&f].as_u32() as i64;
            blob.data(at, funcrefs, record * o::FUNCREF_SIZE as i64);
        }
    }
}

/// Emits every metadata record and the module descriptor.
pub fn write(
    obj: &mut ObjectModule,
    module: &Module<'_>,
    inputs: &MetadataInputs<'_>,
) -> Result<()> {
    let mut w = Writer { obj, counter: 0 };
    let mut names = Names::default();

    // FuncRef records.
    if let Some(id) = inputs.funcrefs {
        let mut blob = Blob::new(module.funcrefs.len() * o::FUNCREF_SIZE);
        for (r, f) in module.funcrefs.iter() {
            let at = r.as_u32() as usize * o::FUNCREF_SIZE;
            blob.func(
                at + o::FUNCREF_CODE,
                inputs.func_ids[*f].expect("funcref target declared"),
            );
            blob.u32(at + o::FUNCREF_TYPE_ID, module.func_type_id(*f).as_u32());
            blob.u32(at + o::FUNCREF_FUNC_INDEX, f.as_u32());
            if let Some(entry) = inputs.generic_entries.get(&module.func_type_id(*f)) {
                blob.func(at + o::FUNCREF_GENERIC_ENTRY, *entry);
            }
        }
        w.fill(id, blob)?;
    }

    // Function types.
    let mut type_bytes = Blob::new(0);
    let mut types = Blob::new(module.canonical_types.len() * o::FUNCTYPE_SIZE);
    let mut type_ranges = Vec::new();
    for t in module.canonical_types.values() {
        let params = type_bytes.bytes.len();
        type_bytes.bytes.extend(t.params.iter().map(|v| v.code()));
        let results = type_bytes.bytes.len();
        type_bytes.bytes.extend(t.results.iter().map(|v| v.code()));
        type_ranges.push((params, results));
    }
    let type_bytes_id = w.define("type_codes", type_bytes)?;
    for (i, t) in module.canonical_types.values().enumerate() {
        let at = i * o::FUNCTYPE_SIZE;
        let (params, results) = type_ranges[i];
        types.data(at + o::FUNCTYPE_PARAMS, type_bytes_id, params as i64);
        types.u32(at + o::FUNCTYPE_NUM_PARAMS, t.params.len() as u32);
        types.u32(at + o::FUNCTYPE_NUM_RESULTS, t.results.len() as u32);
        types.data(at + o::FUNCTYPE_RESULTS, type_bytes_id, results as i64);
    }
    let types_id = w.define("types", types)?;

    // Tables.
    let mut tables = Blob::new(module.tables.len() * o::TABLEDESC_SIZE);
    for (i, t) in module.tables.values().enumerate() {
        let at = i * o::TABLEDESC_SIZE;
        tables.u32(at + o::TABLEDESC_INITIAL, t.initial);
        tables.u32(at + o::TABLEDESC_MAX, t.max.unwrap_or(u32::MAX));
    }
    let tables_id = w.define("tables", tables)?;

    // Data segments.
    let mut data_bytes = Blob::new(0);
    let mut data_starts = Vec::new();
    for seg in module.data.values() {
        data_starts.push(data_bytes.bytes.len());
        data_bytes.bytes.extend_from_slice(seg.bytes);
    }
    let data_bytes_id = w.define("data_bytes", data_bytes)?;
    let mut data = Blob::new(module.data.len() * o::DATA_SIZE);
    for (i, seg) in module.data.values().enumerate() {
        let at = i * o::DATA_SIZE;
        data.data(at + o::DATA_BYTES, data_bytes_id, data_starts[i] as i64);
        data.u32(at + o::DATA_LEN, seg.bytes.len() as u32);
    }
    let data_id = w.define("data_segments", data)?;

    // Element segments.
    let total_items: usize = module.elems.values().map(|s| s.items.len()).sum();
    let mut items = Blob::new(total_items * 8);
    let mut item_starts = Vec::new();
    let mut next = 0;
    for seg in module.elems.values() {
        item_starts.push(next);
        for item in &seg.items {
            write_const(&mut items, next * 8, *item, module, inputs.funcrefs);
            next += 1;
        }
    }
    let items_id = w.define("elem_items", items)?;
    let mut elems = Blob::new(module.elems.len() * o::ELEM_SIZE);
    for (i, seg) in module.elems.values().enumerate() {
        let at = i * o::ELEM_SIZE;
        elems.data(at + o::ELEM_ITEMS, items_id, item_starts[i] as i64 * 8);
        elems.u32(at + o::ELEM_LEN, seg.items.len() as u32);
    }
    let elems_id = w.define("elem_segments", elems)?;

    // Functions and trap sites.
    let mut functions = Blob::new(inputs.functions.len() * o::FUNC_SIZE);
    let total_traps: usize = inputs.functions.iter().map(|f| f.traps.len()).sum();
    let mut traps = Blob::new(total_traps * o::TRAP_SIZE);
    let mut trap_index = 0usize;
    for (i, f) in inputs.functions.iter().enumerate() {
        let at = i * o::FUNC_SIZE;
        let (name_offset, name_len) = names.add(&f.name);
        functions.func(at + o::FUNC_CODE, f.id);
        functions.u32(at + o::FUNC_CODE_LEN, f.code_len);
        functions.u32(at + o::FUNC_INDEX, f.func_index);
        functions.u32(at + o::FUNC_NAME_OFFSET, name_offset);
        functions.u32(at + o::FUNC_NAME_LEN, name_len);
        functions.u32(at + o::FUNC_TRAPS_START, trap_index as u32);
        functions.u32(at + o::FUNC_TRAPS_LEN, f.traps.len() as u32);
        functions.u32(at + o::FUNC_FLAGS, f.flags);
        for (offset, code) in &f.traps {
            let t = trap_index * o::TRAP_SIZE;
            traps.u32(t + o::TRAP_OFFSET, *offset);
            traps.u32(t + o::TRAP_CODE, u32::from(*code));
            trap_index += 1;
        }
    }
    let functions_id = w.define("functions", functions)?;
    let traps_id = w.define("trap_sites", traps)?;

    // Globals template.
    let mut template = Blob::new(module.num_global_slots as usize * 8);
    for g in module.globals.values() {
        if let Some(slot) = g.slot {
            write_const(
                &mut template,
                slot as usize * 8,
                g.init,
                module,
                inputs.funcrefs,
            );
        }
    }
    let template_id = w.define("globals_template", template)?;

    // Exports.
    let mut exports = Blob::new(module.exports.len() * o::EXPORT_SIZE);
    for (i, e) in module.exports.iter().enumerate() {
        let at = i * o::EXPORT_SIZE;
        let (name_offset, name_len) = names.add(&e.name);
        exports.u32(at + o::EXPORT_NAME_OFFSET, name_offset);
        exports.u32(at + o::EXPORT_NAME_LEN, name_len);
        exports.i32(at + o::EXPORT_GLOBAL_VMCTX_OFFSET, -1);
        match e.item {
            ExportItem::Func(f) => {
                exports.u32(at + o::EXPORT_KIND, export_kind::FUNC);
                exports.u32(at + o::EXPORT_INDEX, f.as_u32());
                let record = module.funcref_of[&f].as_u32() as i64;
                exports.data(
                    at + o::EXPORT_FUNC,
                    inputs.funcrefs,
                    record * o::FUNCREF_SIZE as i64,
                );
                exports.func(at + o::EXPORT_ARRAY_CALL, inputs.array_calls[&f]);
            }
            ExportItem::Table(t) => {
                exports.u32(at + o::EXPORT_KIND, export_kind::TABLE);
                exports.u32(at + o::EXPORT_INDEX, t.as_u32());
            }
            ExportItem::Memory(m) => {
                exports.u32(at + o::EXPORT_KIND, export_kind::MEMORY);
                exports.u32(at + o::EXPORT_INDEX, m);
            }
            ExportItem::Global(g) => {
                exports.u32(at + o::EXPORT_KIND, export_kind::GLOBAL);
                exports.u32(at + o::EXPORT_INDEX, g.as_u32());
                let global = &module.globals[g];
                exports.u32(at + o::EXPORT_GLOBAL_TYPE, u32::from(global.ty.code()));
                match global.slot {
                    Some(slot) => exports.i32(
                        at + o::EXPORT_GLOBAL_VMCTX_OFFSET,
                        vmctx::global_offset(slot),
                    ),
                    None => write_const(
                        &mut exports,
                        at + o::EXPORT_GLOBAL_VALUE,
                        global.init,
                        module,
                        inputs.funcrefs,
                    ),
                }
            }
        }
    }
    let exports_id = w.define("exports", exports)?;
    let names_len = names.bytes.len() as u32;
    let names_id = w.define(
        "names",
        Blob {
            bytes: names.bytes,
            funcs: vec![],
            datas: vec![],
        },
    )?;

    // The descriptor.
    let mut d = Blob::new(o::MODULE_SIZE);
    d.u64(o::MODULE_MAGIC_OFF, MODULE_MAGIC);
    d.u32(
        o::MODULE_VMCTX_SIZE,
        vmctx::global_offset(module.num_global_slots) as u32,
    );
    let sp = module
        .stack_pointer
        .and_then(|g| module.globals[g].slot)
        .map_or(-1, vmctx::global_offset);
    d.i32(o::MODULE_STACK_POINTER_OFFSET, sp);
    d.data(o::MODULE_GLOBALS_TEMPLATE, template_id, 0);
    if let Some(m) = module.memory {
        let flags = memory_flags::PRESENT | if m.shared { memory_flags::SHARED } else { 0 };
        d.u32(o::MODULE_MEMORY_FLAGS, flags);
        d.u32(o::MODULE_MEMORY_INITIAL_PAGES, m.initial);
        d.u32(o::MODULE_MEMORY_MAX_PAGES, m.max);
    }
    d.u32(o::MODULE_NUM_TABLES, module.tables.len() as u32);
    d.data(o::MODULE_TABLES, tables_id, 0);
    d.u32(o::MODULE_NUM_TYPES, module.canonical_types.len() as u32);
    d.data(o::MODULE_TYPES, types_id, 0);
    d.u32(o::MODULE_NUM_DATA_SEGMENTS, module.data.len() as u32);
    d.data(o::MODULE_DATA_SEGMENTS, data_id, 0);
    d.u32(o::MODULE_NUM_ELEM_SEGMENTS, module.elems.len() as u32);
    d.data(o::MODULE_ELEM_SEGMENTS, elems_id, 0);
    d.u32(o::MODULE_NUM_FUNCTIONS, inputs.functions.len() as u32);
    d.data(o::MODULE_FUNCTIONS, functions_id, 0);
    d.u32(o::MODULE_NUM_TRAP_SITES, total_traps as u32);
    d.data(o::MODULE_TRAP_SITES, traps_id, 0);
    d.u32(o::MODULE_NUM_EXPORTS, module.exports.len() as u32);
    d.data(o::MODULE_EXPORTS, exports_id, 0);
    d.data(o::MODULE_NAMES, names_id, 0);
    d.u32(o::MODULE_NAMES_LEN, names_len);
    d.func(o::MODULE_INSTANTIATE, inputs.instantiate);
    if let Some(entry) = module.entry().and_then(|f| inputs.func_ids[f]) {
        d.func(o::MODULE_ENTRY, entry);
    }
    let type_id = |params: &[ValType], results: &[ValType]| {
        module
            .find_type_id(params, results)
            .map_or(u32::MAX, |t| t.as_u32())
    };
    d.u32(
        o::MODULE_TYPE_ID_SIGNAL_HANDLER,
        type_id(&[ValType::I32], &[]),
    );
    d.u32(
        o::MODULE_TYPE_ID_SIGINFO_HANDLER,
        type_id(&[ValType::I32; 3], &[]),
    );
    d.u32(
        o::MODULE_TYPE_ID_THREAD_START,
        type_id(&[ValType::I32; 2], &[]),
    );
    if let Some(stdio_exit) = module.stdio_exit().and_then(|f| inputs.func_ids[f]) {
        d.func(o::MODULE_STDIO_EXIT, stdio_exit);
    }
    d.u32(o::MODULE_GENERIC_SLOTS, module.cast_call_slots() as u32);
    let descriptor = w
        .obj
        .declare_data(&inputs.descriptor_symbol, Linkage::Export, false, false)
        .map_err(emit_error)?;
    w.fill(descriptor, d)
}
