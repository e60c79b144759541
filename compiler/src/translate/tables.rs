//! Tables (reference types): element addressing, `table.get/set/size/grow/fill/init/copy` and
//! `elem.drop`. Tables live in the runtime (`TableInstance`, shared by all threads); entries are
//! pointers to `FuncRef` records, 0 for null.

use super::function::{FuncTranslator, TResult};
use super::runtime::RuntimeFn;
use crate::module::TableIndex;
use cranelift_codegen::ir::{condcodes::IntCC, types, InstBuilder, MemFlagsData, Value};
use walic_loader::metadata::{TABLE_ENTRIES, TABLE_INSTANCE_SIZE, TABLE_LEN};
use walic_loader::trap::Trap;

impl FuncTranslator<'_, '_, '_> {
    fn table_instance_offset(&self, table: TableIndex) -> i32 {
        table.as_u32() as i32 * TABLE_INSTANCE_SIZE as i32
    }

    /// An i8 that is non-zero when `index` is past the end of `table`.
    pub(crate) fn table_index_out_of_bounds(&mut self, table: TableIndex, index: Value) -> Value {
        let t = &self.env.module.tables[table];
        if t.is_fixed_size() {
            // The size of a table whose initial size equals its maximum never changes.
            return self.b.ins().icmp_imm_u(
                IntCC::UnsignedGreaterThanOrEqual,
                index,
                i64::from(t.initial),
            );
        }
        let base = self.tables_base.expect("validated: the module has tables");
        let off = self.table_instance_offset(table) + TABLE_LEN;
        let len = self
            .b
            .ins()
            .load(types::I32, MemFlagsData::trusted(), base, off);
        self.b
            .ins()
            .icmp(IntCC::UnsignedGreaterThanOrEqual, index, len)
    }

    /// The address of entry `index` of `table` (not bounds-checked).
    pub(crate) fn table_entry_address(&mut self, table: TableIndex, index: Value) -> Value {
        let base = self.tables_base.expect("validated: the module has tables");
        let off = self.table_instance_offset(table) + TABLE_ENTRIES;
        // The entries pointer never changes: storage is reserved for the maximum size.
        let flags = MemFlagsData::trusted().with_readonly().with_can_move();
        let entries = self.b.ins().load(types::I64, flags, base, off);
        let wide = self.b.ins().uextend(types::I64, index);
        let scaled = self.b.ins().ishl_imm_u(wide, 3);
        self.b.ins().iadd(entries, scaled)
    }

    fn checked_entry(&mut self, table: u32, index: Value) -> Value {
        let table = TableIndex::from_u32(table);
        let oob = self.table_index_out_of_bounds(table, index);
        self.trap_if_nonzero(oob, Trap::TableOutOfBounds);
        self.table_entry_address(table, index)
    }

    pub(crate) fn translate_table_get(&mut self, table: u32) {
        let index = self.pop();
        let entry = self.checked_entry(table, index);
        let v = self
            .b
            .ins()
            .load(types::I64, MemFlagsData::trusted(), entry, 0);
        self.push(v);
    }

    pub(crate) fn translate_table_set(&mut self, table: u32) {
        let (index, value) = self.pop2();
        let entry = self.checked_entry(table, index);
        self.b.ins().store(MemFlagsData::trusted(), value, entry, 0);
    }

    pub(crate) fn translate_table_size(&mut self, table: u32) {
        let t = TableIndex::from_u32(table);
        let v = if self.env.module.tables[t].is_fixed_size() {
            let size = self.env.module.tables[t].initial;
            self.b.ins().iconst(types::I32, i64::from(size as i32))
        } else {
            let base = self.tables_base.expect("validated: the module has tables");
            let off = self.table_instance_offset(t) + TABLE_LEN;
            self.b
                .ins()
                .load(types::I32, MemFlagsData::trusted(), base, off)
        };
        self.push(v);
    }

    fn iconst32(&mut self, v: u32) -> Value {
        self.b.ins().iconst(types::I32, i64::from(v as i32))
    }

    pub(crate) fn translate_table_grow(&mut self, table: u32) -> TResult {
        let (init, delta) = self.pop2();
        let t = self.iconst32(table);
        let v = self
            .call_runtime(RuntimeFn::TableGrow, &[t, init, delta])?
            .expect("result");
        self.push(v);
        Ok(())
    }

    pub(crate) fn translate_table_fill(&mut self, table: u32) -> TResult {
        let (dst, value, len) = self.pop3();
        let t = self.iconst32(table);
        let status = self
            .call_runtime(RuntimeFn::TableFill, &[t, dst, value, len])?
            .expect("result");
        self.trap_if_nonzero(status, Trap::TableOutOfBounds);
        Ok(())
    }

    pub(crate) fn translate_table_init(&mut self, segment: u32, table: u32) -> TResult {
        let (dst, src, len) = self.pop3();
        let t = self.iconst32(table);
        let s = self.iconst32(segment);
        let status = self
            .call_runtime(RuntimeFn::TableInit, &[t, s, dst, src, len])?
            .expect("result");
        self.trap_if_nonzero(status, Trap::TableOutOfBounds);
        Ok(())
    }

    pub(crate) fn translate_table_copy(&mut self, dst_table: u32, src_table: u32) -> TResult {
        let (dst, src, len) = self.pop3();
        let d = self.iconst32(dst_table);
        let s = self.iconst32(src_table);
        let status = self
            .call_runtime(RuntimeFn::TableCopy, &[d, s, dst, src, len])?
            .expect("result");
        self.trap_if_nonzero(status, Trap::TableOutOfBounds);
        Ok(())
    }

    pub(crate) fn translate_elem_drop(&mut self, segment: u32) -> TResult {
        let s = self.iconst32(segment);
        self.call_runtime(RuntimeFn::ElemDrop, &[s])?;
        Ok(())
    }
}
