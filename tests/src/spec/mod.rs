//! The WebAssembly specification test suite, run through walic.
//!
//! Each `.wast` script is planned ([`script`]), every module instance is compiled with walic and
//! linked with the runtime's spec-test driver, and the assertions run natively: the driver reads
//! one command per line on stdin and answers one line each (protocol in [`driver_protocol`]).
//! Modules that assertions say are invalid or malformed must be refused by the compiler.

pub mod script;
pub mod values;
pub mod walic_engine;

use std::collections::BTreeMap;

use script::{Action, Command, Instance, Kind, Outcome, Plan};
use values::Value;

/// The line protocol between the harness and a compiled spec-test program.
///
/// Requests: `invoke x<name-hex> <value>*` and `get x<name-hex>`, names as `x` plus hex bytes.
/// The program first answers `ready`, or `trap <message>` if instantiation trapped (then exits).
/// Each request gets one line: `ok <value>*`, `trap <message>`, or `error <reason>`.
pub mod driver_protocol {
    use super::values::Value;

    /// Encodes an export name: `x` followed by its bytes in hex (so the empty name is `x`).
    pub fn encode_name(name: &str) -> String {
        std::iter::once("x".to_string())
            .chain(name.bytes().map(|b| format!("{b:02x}")))
            .collect()
    }

    /// A request line for an invocation.
    pub fn invoke(name: &str, args: &[Value]) -> String {
        let mut line = format!("invoke {}", encode_name(name));
        for arg in args {
            line.push(' ');
            line.push_str(&arg.encode());
        }
        line
    }

    /// A request line for reading a global.
    pub fn get(name: &str) -> String {
        format!("get {}", encode_name(name))
    }
}

/// One answer from the program.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// The call returned these values.
    Values(Vec<Value>),
    /// The call trapped.
    Trap(String),
    /// The program could not run the request.
    Error(String),
}

impl Answer {
    /// Parses an answer line.
    pub fn parse(line: &str) -> Answer {
        let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
        match word {
            "ok" => rest
                .split_whitespace()
                .map(Value::decode)
                .collect::<Option<Vec<_>>>()
                .map_or_else(
                    || Answer::Error(format!("bad values: {rest}")),
                    Answer::Values,
                ),
            "trap" => Answer::Trap(rest.to_string()),
            "error" => Answer::Error(rest.to_string()),
            _ => Answer::Error(format!("unexpected output: {line}")),
        }
    }
}

/// What running one instance produced.
#[derive(Debug)]
pub enum InstanceOutcome {
    /// Instantiation trapped with this message.
    InstantiationTrap(String),
    /// Instantiation succeeded; one answer per command (fewer if the program died).
    Answers(Vec<Answer>),
    /// The module could not be compiled, linked or started.
    Failed(String),
}

/// How modules are compiled and run; walic in the real suite, a fake in unit tests.
pub trait Engine: Sync {
    /// Whether the compiler refuses this module (`Err` carries the compiler's message).
    fn compile_only(&self, wasm: &[u8]) -> Result<(), String>;
    /// Compiles, links and runs an instance with these request lines.
    fn run(&self, wasm: &[u8], requests: &[String]) -> InstanceOutcome;
}

/// Pass and fail counts per assertion kind, plus what was not run.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    /// Passed assertions by kind.
    pub passed: BTreeMap<Kind, usize>,
    /// Failed assertions by kind.
    pub failed: BTreeMap<Kind, usize>,
    /// Assertions that need several linked instances, by kind (reported apart).
    pub multi_instance: BTreeMap<Kind, usize>,
    /// Assertions using something walic does not support (reported apart).
    pub unsupported: usize,
}

impl Tally {
    /// Adds another tally into this one.
    pub fn add(&mut self, other: &Tally) {
        for (kind, n) in &other.passed {
            *self.passed.entry(*kind).or_default() += n;
        }
        for (kind, n) in &other.failed {
            *self.failed.entry(*kind).or_default() += n;
        }
        for (kind, n) in &other.multi_instance {
            *self.multi_instance.entry(*kind).or_default() += n;
        }
        self.unsupported += other.unsupported;
    }

    /// Total passed.
    pub fn total_passed(&self) -> usize {
        self.passed.values().sum()
    }

    /// Total failed.
    pub fn total_failed(&self) -> usize {
        self.failed.values().sum()
    }

    /// One line: `assert_return 10/12, assert_trap 3/3, …` plus what was not run.
    pub fn summary(&self) -> String {
        let mut parts: Vec<String> = Kind::ALL
            .iter()
            .filter_map(|kind| {
                let passed = self.passed.get(kind).copied().unwrap_or(0);
                let failed = self.failed.get(kind).copied().unwrap_or(0);
                (passed + failed > 0)
                    .then(|| format!("{} {passed}/{}", kind.name(), passed + failed))
            })
            .collect();
        let multi: usize = self.multi_instance.values().sum();
        if multi > 0 {
            parts.push(format!("multi-instance (not run) {multi}"));
        }
        if self.unsupported > 0 {
            parts.push(format!("unsupported (not run) {}", self.unsupported));
        }
        parts.join(", ")
    }
}

/// The result of one script.
#[derive(Debug, Default)]
pub struct ScriptReport {
    /// Counts.
    pub tally: Tally,
    /// One line per failed assertion: `line N: <what happened>`.
    pub failures: Vec<String>,
}

impl ScriptReport {
    fn pass(&mut self, kind: Kind) {
        *self.tally.passed.entry(kind).or_default() += 1;
    }

    fn fail(&mut self, kind: Kind, line: usize, why: String) {
        *self.tally.failed.entry(kind).or_default() += 1;
        self.failures
            .push(format!("line {line}: {}: {why}", kind.name()));
    }
}

/// Runs a whole script.
pub fn run_script(source: &str, engine: &dyn Engine) -> ScriptReport {
    let mut report = ScriptReport::default();
    let plan: Plan = match script::plan(source) {
        Ok(plan) => plan,
        Err(e) => {
            report.fail(Kind::Return, 0, format!("script does not parse: {e}"));
            return report;
        }
    };
    for (kind, n) in &plan.multi_instance {
        *report.tally.multi_instance.entry(*kind).or_default() += n;
    }
    report.tally.unsupported = plan.unsupported.len();
    for rejection in &plan.rejections {
        match &rejection.wasm {
            None => report.pass(rejection.kind),
            Some(wasm) => match engine.compile_only(wasm) {
                Err(_) => report.pass(rejection.kind),
                Ok(()) => report.fail(
                    rejection.kind,
                    rejection.line,
                    format!("compiled, but should fail with \"{}\"", rejection.message),
                ),
            },
        }
    }
    for instance in &plan.instances {
        check_instance(instance, engine, &mut report);
    }
    report
}

fn check_instance(instance: &Instance, engine: &dyn Engine, report: &mut ScriptReport) {
    let requests: Vec<String> = instance.commands.iter().map(request).collect();
    let outcome = engine.run(&instance.wasm, &requests);
    let answers = match (outcome, &instance.instantiation_trap) {
        (InstanceOutcome::InstantiationTrap(actual), Some(expected)) => {
            if trap_messages_agree(expected, &actual) {
                report.pass(Kind::Trap);
            } else {
                report.fail(
                    Kind::Trap,
                    instance.line,
                    format!("trapped with \"{actual}\", expected \"{expected}\""),
                );
            }
            return;
        }
        (InstanceOutcome::Answers(_), Some(expected)) => {
            report.fail(
                Kind::Trap,
                instance.line,
                format!("instantiated, expected trap \"{expected}\""),
            );
            return;
        }
        (InstanceOutcome::InstantiationTrap(actual), None) => {
            fail_all(
                instance,
                report,
                &format!("instantiation trapped: {actual}"),
            );
            return;
        }
        (InstanceOutcome::Failed(why), _) => {
            let kind = if instance.instantiation_trap.is_some() {
                Kind::Trap
            } else {
                Kind::Return
            };
            if instance.instantiation_trap.is_some() {
                report.fail(kind, instance.line, why.clone());
            }
            fail_all(instance, report, &why);
            return;
        }
        (InstanceOutcome::Answers(answers), None) => answers,
    };
    for (index, command) in instance.commands.iter().enumerate() {
        match answers.get(index) {
            Some(answer) => match verdict(command, answer) {
                Ok(()) => report.pass(command.kind),
                Err(why) => report.fail(command.kind, command.line, why),
            },
            None => report.fail(
                command.kind,
                command.line,
                "the program ended before answering".into(),
            ),
        }
    }
}

fn fail_all(instance: &Instance, report: &mut ScriptReport, why: &str) {
    for command in &instance.commands {
        report.fail(command.kind, command.line, why.to_string());
    }
}

fn request(command: &Command) -> String {
    match &command.action {
        Action::Invoke { export, args } => driver_protocol::invoke(export, args),
        Action::Get { export } => driver_protocol::get(export),
    }
}

/// Trap messages agree when one starts with the other (the suite sometimes abbreviates).
fn trap_messages_agree(expected: &str, actual: &str) -> bool {
    actual.starts_with(expected) || expected.starts_with(actual)
}

fn verdict(command: &Command, answer: &Answer) -> Result<(), String> {
    match (&command.outcome, answer) {
        (Outcome::Return(expected), Answer::Values(values)) => {
            let ok = expected.len() == values.len()
                && expected.iter().zip(values).all(|(e, v)| e.matches(*v));
            if ok {
                Ok(())
            } else {
                Err(format!("returned {values:?}, expected {expected:?}"))
            }
        }
        (Outcome::Trap(expected), Answer::Trap(actual)) => {
            if trap_messages_agree(expected, actual) {
                Ok(())
            } else {
                Err(format!(
                    "trapped with \"{actual}\", expected \"{expected}\""
                ))
            }
        }
        (Outcome::Exhaustion, Answer::Trap(actual))
            if actual.starts_with("call stack exhausted") =>
        {
            Ok(())
        }
        (expected, actual) => Err(format!("got {actual:?}, expected {expected:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An engine that knows one module: `f` returns its i32 argument, anything else traps.
    struct Echo;

    impl Engine for Echo {
        fn compile_only(&self, wasm: &[u8]) -> Result<(), String> {
            wasmparser::Validator::new()
                .validate_all(wasm)
                .map(|_| ())
                .map_err(|e| e.to_string())
        }

        fn run(&self, _wasm: &[u8], requests: &[String]) -> InstanceOutcome {
            let f = driver_protocol::encode_name("f");
            InstanceOutcome::Answers(
                requests
                    .iter()
                    .map(
                        |r| match r.split_whitespace().collect::<Vec<_>>().as_slice() {
                            ["invoke", name, arg] if *name == f => {
                                Answer::parse(&format!("ok {arg}"))
                            }
                            _ => Answer::Trap("unreachable".into()),
                        },
                    )
                    .collect(),
            )
        }
    }

    #[test]
    fn counts_passes_and_failures() {
        let report = run_script(
            r#"
            (module (func (export "f") (param i32) (result i32) local.get 0))
            (assert_return (invoke "f" (i32.const 7)) (i32.const 7))
            (assert_return (invoke "f" (i32.const 7)) (i32.const 8))
            (assert_trap (invoke "g") "unreachable")
            (assert_invalid (module (func (result i32))) "type mismatch")
            "#,
            &Echo,
        );
        assert_eq!(report.tally.total_passed(), 3, "{:?}", report.failures);
        assert_eq!(report.tally.total_failed(), 1);
        assert!(
            report.failures[0].starts_with("line 4"),
            "{:?}",
            report.failures
        );
    }

    #[test]
    fn answers_parse() {
        assert_eq!(
            Answer::parse("ok i32:5"),
            Answer::Values(vec![Value::I32(5)])
        );
        assert_eq!(Answer::parse("ok"), Answer::Values(vec![]));
        assert_eq!(
            Answer::parse("trap unreachable"),
            Answer::Trap("unreachable".into())
        );
        assert!(matches!(Answer::parse("garbage"), Answer::Error(_)));
    }
}
