//! Structured control flow: the control stack, block parameters and results, branches, and the
//! tracking of unreachable code.
//!
//! Invariants: a control frame is pushed only in reachable code (blocks opened in unreachable code
//! are only counted, see `unreachable_depth`); `end_block` carries the frame's results as block
//! parameters and a loop header its parameters. Values on the operand stack below a frame's
//! height are SSA values that dominate everything inside the frame, so `if` and `else` arms need no
//! block parameters for their inputs.

use super::function::{FuncTranslator, TResult};
use crate::module::ValType;
use cranelift_codegen::ir::{Block, BlockArg, InstBuilder, JumpTableData, Value};
use std::collections::HashMap;
use wasmparser::{BlockType, Operator};

/// What kind of construct a frame is.
pub(crate) enum FrameKind {
    Function,
    Block,
    Loop {
        header: Block,
    },
    If {
        else_block: Block,
        /// The `if`'s inputs, which the `else` arm starts from again.
        else_params: Vec<Value>,
        else_seen: bool,
    },
}

/// One entry of the control stack.
pub(crate) struct ControlFrame {
    pub kind: FrameKind,
    /// Where control continues after `end`; its parameters are the frame's results.
    pub end_block: Block,
    pub num_params: usize,
    pub num_results: usize,
    /// Operand-stack height below the frame's parameters.
    pub stack_height: usize,
    /// Whether some branch targets `end_block`.
    pub end_reachable: bool,
}

impl ControlFrame {
    /// The frame of the function body itself; `end_block` is the return block.
    pub fn function(ret: Block, num_results: usize) -> Self {
        ControlFrame {
            kind: FrameKind::Function,
            end_block: ret,
            num_params: 0,
            num_results,
            stack_height: 0,
            end_reachable: false,
        }
    }
}

fn block_args(values: &[Value]) -> Vec<BlockArg> {
    values.iter().map(|v| BlockArg::Value(*v)).collect()
}

impl FuncTranslator<'_, '_, '_> {
    /// Parameter and result types of a block type.
    fn block_signature(&self, ty: BlockType) -> (Vec<ValType>, Vec<ValType>) {
        let module = self.env.module;
        match ty {
            BlockType::Empty => (vec![], vec![]),
            BlockType::Type(t) => (
                vec![],
                vec![crate::module::parse::val_type_at(0, t).expect("validated type")],
            ),
            BlockType::FuncType(i) => {
                let f = &module.types[crate::module::TypeIndex::from_u32(i)];
                (f.params.clone(), f.results.clone())
            }
        }
    }

    fn new_block_with(&mut self, types: &[ValType]) -> Block {
        let block = self.b.create_block();
        for t in types {
            self.b.append_block_param(block, super::clif_type(*t));
        }
        block
    }

    pub(crate) fn translate_block(&mut self, ty: BlockType) {
        let (params, results) = self.block_signature(ty);
        let end_block = self.new_block_with(&results);
        self.control.push(ControlFrame {
            kind: FrameKind::Block,
            end_block,
            num_params: params.len(),
            num_results: results.len(),
            stack_height: self.stack.len() - params.len(),
            end_reachable: false,
        });
    }

    pub(crate) fn translate_loop(&mut self, ty: BlockType) -> TResult {
        let (params, results) = self.block_signature(ty);
        let header = self.new_block_with(&params);
        let end_block = self.new_block_with(&results);
        let inputs = self.pop_n(params.len());
        self.b.ins().jump(header, &block_args(&inputs));
        self.b.switch_to_block(header);
        let height = self.stack.len();
        self.stack.extend_from_slice(self.b.block_params(header));
        self.control.push(ControlFrame {
            kind: FrameKind::Loop { header },
            end_block,
            num_params: params.len(),
            num_results: results.len(),
            stack_height: height,
            end_reachable: false,
        });
        self.at_loop_header()
    }

    pub(crate) fn translate_if(&mut self, ty: BlockType) {
        let (params, results) = self.block_signature(ty);
        let cond = self.pop();
        let then_block = self.b.create_block();
        let else_block = self.b.create_block();
        let end_block = self.new_block_with(&results);
        self.b.ins().brif(cond, then_block, &[], else_block, &[]);
        self.b.seal_block(then_block);
        self.b.seal_block(else_block);
        self.b.switch_to_block(then_block);
        let else_params = self.stack[self.stack.len() - params.len()..].to_vec();
        self.control.push(ControlFrame {
            kind: FrameKind::If {
                else_block,
                else_params,
                else_seen: false,
            },
            end_block,
            num_params: params.len(),
            num_results: results.len(),
            stack_height: self.stack.len() - params.len(),
            end_reachable: false,
        });
    }

    pub(crate) fn translate_else(&mut self) {
        let reachable = self.reachable;
        let top = self.stack.len();
        let frame = self.control.last_mut().expect("validated control stack");
        if reachable {
            let args = block_args(&self.stack[top - frame.num_results..]);
            self.b.ins().jump(frame.end_block, &args);
            frame.end_reachable = true;
        }
        let FrameKind::If {
            else_block,
            else_params,
            else_seen,
        } = &mut frame.kind
        else {
            unreachable!("validated: else closes an if")
        };
        *else_seen = true;
        let else_block = *else_block;
        let else_params = else_params.clone();
        let height = frame.stack_height;
        self.stack.truncate(height);
        self.stack.extend(else_params);
        self.b.switch_to_block(else_block);
        self.reachable = true;
    }

    pub(crate) fn translate_end(&mut self) {
        let mut frame = self.control.pop().expect("validated control stack");
        if self.reachable {
            let top = self.stack.len();
            let args = block_args(&self.stack[top - frame.num_results..]);
            self.b.ins().jump(frame.end_block, &args);
            frame.end_reachable = true;
        }
        match &frame.kind {
            FrameKind::If {
                else_block,
                else_params,
                else_seen: false,
            } => {
                // No else arm: the inputs are the results (validation guarantees equal types).
                self.b.switch_to_block(*else_block);
                self.b.ins().jump(frame.end_block, &block_args(else_params));
                frame.end_reachable = true;
            }
            FrameKind::Loop { header } => self.b.seal_block(*header),
            _ => {}
        }
        self.stack.truncate(frame.stack_height);
        if frame.end_reachable {
            self.b.switch_to_block(frame.end_block);
            self.b.seal_block(frame.end_block);
            self.stack
                .extend_from_slice(self.b.block_params(frame.end_block));
            self.reachable = true;
            if let FrameKind::Function = frame.kind {
                let results = self.pop_n(frame.num_results);
                self.b.ins().return_(&results);
                self.reachable = false;
            }
        } else {
            self.reachable = false;
        }
    }

    /// The branch target for `depth` and the number of values it takes; marks the target used.
    fn branch_target(&mut self, depth: u32) -> (Block, usize) {
        let index = self.control.len() - 1 - depth as usize;
        let frame = &mut self.control[index];
        match frame.kind {
            FrameKind::Loop { header } => (header, frame.num_params),
            _ => {
                frame.end_reachable = true;
                (frame.end_block, frame.num_results)
            }
        }
    }

    pub(crate) fn translate_br(&mut self, depth: u32) {
        let (target, arity) = self.branch_target(depth);
        let args = block_args(&self.stack[self.stack.len() - arity..]);
        self.b.ins().jump(target, &args);
        self.reachable = false;
    }

    pub(crate) fn translate_br_if(&mut self, depth: u32) {
        let cond = self.pop();
        let (target, arity) = self.branch_target(depth);
        let args = block_args(&self.stack[self.stack.len() - arity..]);
        let next = self.b.create_block();
        self.b.ins().brif(cond, target, &args, next, &[]);
        self.b.seal_block(next);
        self.b.switch_to_block(next);
    }

    pub(crate) fn translate_br_table(&mut self, targets: &wasmparser::BrTable<'_>) -> TResult {
        let index = self.pop();
        let mut depths = Vec::with_capacity(targets.len() as usize);
        for t in targets.targets() {
            depths.push(t?);
        }
        let default = targets.default();
        let mut resolved: HashMap<u32, (Block, usize)> = HashMap::new();
        for d in depths.iter().chain(std::iter::once(&default)) {
            if !resolved.contains_key(d) {
                let target = self.branch_target(*d);
                resolved.insert(*d, target);
            }
        }
        let arity = resolved[&default].1;
        let args = block_args(&self.stack[self.stack.len() - arity..]);
        // br_table targets cannot carry arguments: with arguments, branch through one edge block
        // per distinct target.
        let mut edge_of: HashMap<u32, Block> = HashMap::new();
        let mut edges: Vec<(Block, Block)> = Vec::new();
        let mut block_for = |t: &mut Self, d: u32| -> Block {
            let (target, _) = resolved[&d];
            if arity == 0 {
                return target;
            }
            *edge_of.entry(d).or_insert_with(|| {
                let edge = t.b.create_block();
                edges.push((edge, target));
                edge
            })
        };
        let default_block = block_for(self, default);
        let table: Vec<Block> = depths.iter().map(|d| block_for(self, *d)).collect();
        let dfg = &mut self.b.func.dfg;
        let default_call = dfg.block_call(default_block, &[]);
        let calls: Vec<_> = table.iter().map(|b| dfg.block_call(*b, &[])).collect();
        let jt = self
            .b
            .create_jump_table(JumpTableData::new(default_call, &calls));
        self.b.ins().br_table(index, jt);
        for (edge, target) in edges {
            self.b.switch_to_block(edge);
            self.b.seal_block(edge);
            self.b.ins().jump(target, &args);
        }
        self.reachable = false;
        Ok(())
    }

    pub(crate) fn translate_return(&mut self) {
        let n = self.control[0].num_results;
        let results = self.stack[self.stack.len() - n..].to_vec();
        self.b.ins().return_(&results);
        self.reachable = false;
    }

    /// Follows the block structure through unreachable code without emitting anything.
    pub(crate) fn skip_unreachable(&mut self, op: &Operator<'_>) -> TResult {
        match op {
            Operator::Block { .. } | Operator::Loop { .. } | Operator::If { .. } => {
                self.unreachable_depth += 1
            }
            Operator::Else if self.unreachable_depth == 0 => self.translate_else(),
            Operator::End => {
                if self.unreachable_depth > 0 {
                    self.unreachable_depth -= 1;
                } else {
                    self.translate_end();
                }
            }
            _ => {}
        }
        Ok(())
    }
}
