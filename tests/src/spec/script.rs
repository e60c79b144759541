//! Turns a `.wast` script into work for walic: the modules to compile and run (each with the
//! assertions that target it, in order) and the modules that must be rejected.
//!
//! Each module instance becomes its own native program, so scripts whose modules import from one
//! another (`register`, cross-module imports, `thread` blocks) need several instances linked
//! together; those parts are counted apart as "multi-instance" and not run.

use std::collections::{HashMap, HashSet};

use wast::core::Module;
use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastDirective, WastExecute, WastInvoke, Wat};

use super::values::{argument, Expected, Unsupported, Value};

/// The kinds of assertion the report counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// `assert_return` (and plain `invoke`, which must not trap).
    Return,
    /// `assert_trap`.
    Trap,
    /// `assert_exhaustion`.
    Exhaustion,
    /// `assert_invalid`.
    Invalid,
    /// `assert_malformed`.
    Malformed,
    /// `assert_unlinkable`.
    Unlinkable,
}

impl Kind {
    /// All kinds, in report order.
    pub const ALL: [Kind; 6] = [
        Kind::Return,
        Kind::Trap,
        Kind::Exhaustion,
        Kind::Invalid,
        Kind::Malformed,
        Kind::Unlinkable,
    ];

    /// The directive's name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Return => "assert_return",
            Kind::Trap => "assert_trap",
            Kind::Exhaustion => "assert_exhaustion",
            Kind::Invalid => "assert_invalid",
            Kind::Malformed => "assert_malformed",
            Kind::Unlinkable => "assert_unlinkable",
        }
    }
}

/// What a run command does.
#[derive(Clone, Debug)]
pub enum Action {
    /// Call an exported function.
    Invoke {
        /// Export name.
        export: String,
        /// Arguments.
        args: Vec<Value>,
    },
    /// Read an exported global.
    Get {
        /// Export name.
        export: String,
    },
}

/// What the command must produce.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// These results.
    Return(Vec<Expected>),
    /// A trap whose message starts like this one.
    Trap(String),
    /// Call-stack exhaustion.
    Exhaustion,
}

/// One assertion to run against a module instance.
#[derive(Clone, Debug)]
pub struct Command {
    /// Line in the script.
    pub line: usize,
    /// Which kind of assertion it is.
    pub kind: Kind,
    /// What to do.
    pub action: Action,
    /// What must happen.
    pub outcome: Outcome,
}

/// A module to compile and run, with its assertions.
#[derive(Debug)]
pub struct Instance {
    /// Line of the module in the script.
    pub line: usize,
    /// Its binary.
    pub wasm: Vec<u8>,
    /// Set when instantiation itself must trap (`assert_trap (module ...)`) with this message.
    pub instantiation_trap: Option<String>,
    /// Assertions in script order.
    pub commands: Vec<Command>,
}

/// A module walic must refuse to compile.
#[derive(Debug)]
pub struct Rejection {
    /// Line in the script.
    pub line: usize,
    /// Which kind of assertion it is.
    pub kind: Kind,
    /// The binary, or `None` when the text itself does not parse (that counts as rejected).
    pub wasm: Option<Vec<u8>>,
    /// The script's expected message.
    pub message: String,
}

/// Everything a script asks for.
#[derive(Debug, Default)]
pub struct Plan {
    /// Modules to run.
    pub instances: Vec<Instance>,
    /// Modules to reject.
    pub rejections: Vec<Rejection>,
    /// Assertions not run because they need several linked instances, by kind.
    pub multi_instance: HashMap<Kind, usize>,
    /// Assertions not run because walic does not support what they use (e.g. v128), with reasons.
    pub unsupported: Vec<(usize, Kind, String)>,
}

/// Plans a script. Fails only if the script itself does not parse.
pub fn plan(source: &str) -> Result<Plan, String> {
    // The suite deliberately uses bidirectional-override characters in names (names.wast).
    let mut lexer = Lexer::new(source);
    lexer.allow_confusing_unicode(true);
    let buffer = ParseBuffer::new_with_lexer(lexer).map_err(|e| e.to_string())?;
    let wast: Wast<'_> = parser::parse(&buffer).map_err(|e| e.to_string())?;
    let mut planner = Planner {
        source,
        plan: Plan::default(),
        named: HashMap::new(),
        current: None,
        registered: HashMap::new(),
        linked: HashSet::new(),
    };
    for directive in wast.directives {
        planner.directive(directive);
    }
    Ok(planner.plan)
}

/// Which instance commands go to: an index into `plan.instances`, or a module we do not run.
#[derive(Clone, Copy, Debug)]
enum Target {
    Runs(usize),
    NotRun,
}

struct Planner<'s> {
    source: &'s str,
    plan: Plan,
    named: HashMap<String, Target>,
    current: Option<Target>,
    /// Modules registered under an import name: later modules may import from them (and, through
    /// shared tables, memories and globals, change them).
    registered: HashMap<String, Target>,
    /// Instances another (not run) instance has linked against: later assertions on them depend on
    /// that linking and are counted as multi-instance.
    linked: HashSet<usize>,
}

impl Planner<'_> {
    fn line(&self, span: wast::token::Span) -> usize {
        span.linecol_in(self.source).0 + 1
    }

    fn directive(&mut self, directive: WastDirective<'_>) {
        let line = self.line(directive.span());
        match directive {
            WastDirective::Module(mut module) => {
                let name = module.name().map(|id| id.name().to_string());
                let target = self.instantiate(line, &mut module, None);
                if let Some(name) = name {
                    self.named.insert(name, target);
                }
                self.current = Some(target);
            }
            WastDirective::ModuleDefinition(_) | WastDirective::ModuleInstance { .. } => {
                self.current = Some(Target::NotRun);
            }
            WastDirective::Register { name, module, .. } => {
                let target = self.target(module.map(|id| id.name()));
                if let Some(target) = target {
                    self.registered.insert(name.to_string(), target);
                }
            }
            WastDirective::AssertMalformed {
                mut module,
                message,
                ..
            } => self.reject(line, Kind::Malformed, &mut module, message),
            WastDirective::AssertInvalid {
                mut module,
                message,
                ..
            } => self.reject(line, Kind::Invalid, &mut module, message),
            WastDirective::AssertUnlinkable {
                module, message, ..
            } => self.reject(line, Kind::Unlinkable, &mut QuoteWat::Wat(module), message),
            WastDirective::Invoke(invoke) => {
                self.command(line, Kind::Return, &invoke, Outcome::Return(Vec::new()))
            }
            WastDirective::AssertReturn { exec, results, .. } => {
                let expected: Result<Vec<_>, _> = results.iter().map(Expected::from_wast).collect();
                match expected {
                    Ok(expected) => {
                        self.execute(line, Kind::Return, exec, Outcome::Return(expected))
                    }
                    Err(Unsupported(why)) => self.plan.unsupported.push((line, Kind::Return, why)),
                }
            }
            WastDirective::AssertTrap { exec, message, .. } => {
                self.execute(line, Kind::Trap, exec, Outcome::Trap(message.to_string()))
            }
            WastDirective::AssertExhaustion { call, .. } => {
                self.command(line, Kind::Exhaustion, &call, Outcome::Exhaustion)
            }
            WastDirective::Thread(_) | WastDirective::Wait { .. } => {
                *self.plan.multi_instance.entry(Kind::Return).or_default() += 1;
            }
            other => self.plan.unsupported.push((
                line,
                Kind::Return,
                format!("directive {:?}", std::mem::discriminant(&other)),
            )),
        }
    }

    /// Plans a module instance; `trap` is set for `assert_trap (module ...)`.
    fn instantiate(
        &mut self,
        line: usize,
        module: &mut QuoteWat<'_>,
        trap: Option<String>,
    ) -> Target {
        let wasm = match module.encode() {
            Ok(wasm) => wasm,
            Err(e) => {
                let kind = if trap.is_some() {
                    Kind::Trap
                } else {
                    Kind::Return
                };
                self.plan
                    .unsupported
                    .push((line, kind, format!("module does not encode: {e}")));
                return Target::NotRun;
            }
        };
        let providers = imported_modules(&wasm);
        if !providers.is_empty() {
            // Linking would let this instance write into the instances it imports from, so from
            // now on those cannot be checked on their own either.
            for provider in providers {
                if let Some(Target::Runs(index)) = self.registered.get(&provider) {
                    self.linked.insert(*index);
                }
            }
            if trap.is_some() {
                *self.plan.multi_instance.entry(Kind::Trap).or_default() += 1;
            }
            return Target::NotRun;
        }
        self.plan.instances.push(Instance {
            line,
            wasm,
            instantiation_trap: trap,
            commands: Vec::new(),
        });
        Target::Runs(self.plan.instances.len() - 1)
    }

    fn reject(&mut self, line: usize, kind: Kind, module: &mut QuoteWat<'_>, message: &str) {
        if let QuoteWat::QuoteComponent(..) | QuoteWat::Wat(Wat::Component(_)) = module {
            self.plan.unsupported.push((line, kind, "component".into()));
            return;
        }
        if kind == Kind::Unlinkable {
            if let Ok(wasm) = module.encode() {
                if !imported_modules(&wasm).is_empty() {
                    *self.plan.multi_instance.entry(kind).or_default() += 1;
                    return;
                }
            }
        }
        self.plan.rejections.push(Rejection {
            line,
            kind,
            wasm: module.encode().ok(),
            message: message.to_string(),
        });
    }

    fn execute(&mut self, line: usize, kind: Kind, exec: WastExecute<'_>, outcome: Outcome) {
        match exec {
            WastExecute::Invoke(invoke) => self.command(line, kind, &invoke, outcome),
            WastExecute::Get { module, global, .. } => {
                let target = self.target(module.map(|id| id.name()));
                self.push(
                    target,
                    line,
                    kind,
                    Action::Get {
                        export: global.to_string(),
                    },
                    outcome,
                );
            }
            WastExecute::Wat(Wat::Module(module)) => {
                let message = match outcome {
                    Outcome::Trap(message) => message,
                    _ => String::new(),
                };
                self.instantiate_for_trap(line, module, message);
            }
            WastExecute::Wat(Wat::Component(_)) => {
                self.plan.unsupported.push((line, kind, "component".into()))
            }
        }
    }

    fn instantiate_for_trap(&mut self, line: usize, module: Module<'_>, message: String) {
        let mut quoted = QuoteWat::Wat(Wat::Module(module));
        self.instantiate(line, &mut quoted, Some(message));
    }

    fn command(&mut self, line: usize, kind: Kind, invoke: &WastInvoke<'_>, outcome: Outcome) {
        let args: Result<Vec<_>, _> = invoke.args.iter().map(argument).collect();
        let target = self.target(invoke.module.map(|id| id.name()));
        match args {
            Ok(args) => {
                let action = Action::Invoke {
                    export: invoke.name.to_string(),
                    args,
                };
                self.push(target, line, kind, action, outcome)
            }
            Err(Unsupported(why)) => self.plan.unsupported.push((line, kind, why)),
        }
    }

    fn target(&self, name: Option<&str>) -> Option<Target> {
        match name {
            Some(name) => self.named.get(name).copied(),
            None => self.current,
        }
    }

    fn push(
        &mut self,
        target: Option<Target>,
        line: usize,
        kind: Kind,
        action: Action,
        outcome: Outcome,
    ) {
        match target {
            Some(Target::Runs(index)) if !self.linked.contains(&index) => {
                self.plan.instances[index].commands.push(Command {
                    line,
                    kind,
                    action,
                    outcome,
                })
            }
            Some(_) | None => {
                *self.plan.multi_instance.entry(kind).or_default() += 1;
            }
        }
    }
}

/// The modules other than the `spectest` host module that a module imports from.
fn imported_modules(wasm: &[u8]) -> Vec<String> {
    let mut modules: Vec<String> = wasmparser::Parser::new(0)
        .parse_all(wasm)
        .filter_map(|payload| match payload {
            Ok(wasmparser::Payload::ImportSection(reader)) => Some(reader),
            _ => None,
        })
        .flat_map(|reader| reader.into_imports().flatten())
        .map(|import| import.module.to_string())
        .filter(|module| module != "spectest")
        .collect();
    modules.sort();
    modules.dedup();
    modules
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_assertions_per_module() {
        let plan = plan(
            r#"
            (module (func (export "f") (param i32) (result i32) local.get 0))
            (assert_return (invoke "f" (i32.const 7)) (i32.const 7))
            (assert_trap (invoke "f" (i32.const 1)) "unreachable")
            (assert_invalid (module (func (result i32))) "type mismatch")
            (assert_malformed (module quote "(func") "unexpected end")
            (module $other (func (export "g")))
            (register "other" $other)
            (module (import "other" "g" (func)))
            (assert_return (invoke "h"))
            "#,
        )
        .unwrap();
        assert_eq!(plan.instances.len(), 2);
        assert_eq!(plan.instances[0].commands.len(), 2);
        assert_eq!(plan.rejections.len(), 2);
        assert!(plan.rejections[1].wasm.is_none());
        assert_eq!(plan.multi_instance.get(&Kind::Return), Some(&1));
    }
}
