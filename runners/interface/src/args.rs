//! A call's arguments by parameter name, typed: `args.u32("cbMax")?`,
//! `args.instance("instance")?`, `args.text("szFileName")?`.
//!
//! Every runner starts a call the same way: is the function exported (else
//! [`Observation::not_exported`]), does the call have one argument per parameter (else
//! [`Observation::not_modelled`]), and then it reads the arguments it needs. [`Args::enter`]
//! is that prologue; the accessors find a parameter by its C name in the catalogue
//! ([`crate::functions`]), check that the accessor fits the parameter's [`ParamType`] and that
//! the argument has the form the table of [`Arg`] gives it, and return the value or an
//! [`ArgError`] saying which argument of which function was wrong.
//!
//! [`Params`] is the same view over any one-value-per-parameter slice: a C library reads its
//! ABI words with it (`Params<u64>`), the harness and the in-process runners their `Arg`s
//! (`Args`, which is `Params<Arg>`).
//!
//! Positions (`args.u32(2)`) are accepted wherever a name is, for code written before the
//! names: prefer the names, which say what is read and survive a catalogue change.

use crate::call::{
    Arg, Buffer, Call, Callback, LogInfo, RstInfo, RstMapEntry, SysParamEntry, Text,
};
use crate::functions::{Function, FunctionInfo, ParamType};
use crate::observation::Observation;
use std::fmt;

/// How an accessor names a parameter: by its C name (`"cbMax"`), or by position (`2`; kept
/// for code written before the names, prefer the name).
pub trait ParamRef: Copy {
    /// The parameter's position in `info.params`, if it has one.
    fn position(self, info: &FunctionInfo) -> Option<usize>;
    /// How an error names it when it has none.
    fn describe(self) -> String;
}

impl ParamRef for &str {
    fn position(self, info: &FunctionInfo) -> Option<usize> {
        info.params.iter().position(|p| p.name == self)
    }
    fn describe(self) -> String {
        format!("`{self}`")
    }
}

impl ParamRef for usize {
    fn position(self, info: &FunctionInfo) -> Option<usize> {
        (self < info.params.len()).then_some(self)
    }
    fn describe(self) -> String {
        format!("number {self}")
    }
}

/// Why an argument could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgError {
    pub function: Function,
    pub problem: ArgProblem,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArgProblem {
    /// Not one argument per parameter.
    Arity { expected: usize, got: usize },
    /// The function has no such parameter (a runner's mistake, not the caller's).
    NoSuchParam(String),
    /// The accessor does not read this parameter's type (a runner's mistake).
    WrongAccessor {
        index: usize,
        name: &'static str,
        ty: ParamType,
        accessor: &'static str,
    },
    /// The argument's form does not fit its parameter (the caller's mistake).
    Form { index: usize, name: &'static str },
}

impl fmt::Display for ArgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let func = self.function;
        match &self.problem {
            ArgProblem::Arity { expected, got } => {
                write!(f, "{func} takes {expected} arguments, got {got}")
            }
            ArgProblem::NoSuchParam(which) => write!(f, "{func} has no parameter {which}"),
            ArgProblem::WrongAccessor {
                index,
                name,
                ty,
                accessor,
            } => write!(
                f,
                "argument {index} ({name}) of {func} is {ty:?}, which `{accessor}` does not read"
            ),
            ArgProblem::Form { index, name } => write!(
                f,
                "argument {index} ({name}) of {func} has an unexpected form"
            ),
        }
    }
}

impl std::error::Error for ArgError {}

/// One value per parameter of a function, read by parameter name.
#[derive(Copy, Clone)]
pub struct Params<'a, T> {
    info: &'static FunctionInfo,
    values: &'a [T],
}

impl<T: fmt::Debug> fmt::Debug for Params<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Params")
            .field("function", &self.info.function)
            .field("values", &self.values)
            .finish()
    }
}

/// A call's arguments by name (see the module docs).
pub type Args<'a> = Params<'a, Arg>;

impl<'a, T> Params<'a, T> {
    /// The view, if there is one value per parameter.
    pub fn new(function: Function, values: &'a [T]) -> Result<Params<'a, T>, ArgError> {
        let info = function.info();
        if values.len() != info.params.len() {
            return Err(ArgError {
                function,
                problem: ArgProblem::Arity {
                    expected: info.params.len(),
                    got: values.len(),
                },
            });
        }
        Ok(Params { info, values })
    }

    /// The prologue of a runner's call, in this order: a function the runner does not export
    /// is [`Observation::not_exported`], a wrong number of values
    /// [`Observation::not_modelled`]; otherwise the view.
    pub fn enter(
        function: Function,
        values: &'a [T],
        exported: bool,
    ) -> Result<Params<'a, T>, Observation> {
        if !exported {
            return Err(Observation::not_exported());
        }
        Params::new(function, values).map_err(|e| Observation::not_modelled(e.to_string()))
    }

    pub fn function(&self) -> Function {
        self.info.function
    }

    pub fn info(&self) -> &'static FunctionInfo {
        self.info
    }

    /// Every value, in the catalogue's order.
    pub fn values(&self) -> &'a [T] {
        self.values
    }

    /// Whether the function has a parameter of this name.
    pub fn has(&self, name: &str) -> bool {
        name.position(self.info).is_some()
    }

    /// The position of a parameter.
    pub fn index(&self, p: impl ParamRef) -> Result<usize, ArgError> {
        p.position(self.info).ok_or_else(|| ArgError {
            function: self.info.function,
            problem: ArgProblem::NoSuchParam(p.describe()),
        })
    }

    /// A parameter's C name (`?` when it has none).
    pub fn name(&self, p: impl ParamRef) -> &'static str {
        p.position(self.info)
            .map(|i| self.info.params[i].name)
            .unwrap_or("?")
    }

    /// The value of a parameter, whatever its type.
    pub fn get(&self, p: impl ParamRef) -> Result<&'a T, ArgError> {
        Ok(&self.values[self.index(p)?])
    }

    /// The error for an argument whose form does not fit its parameter.
    pub fn mismatch(&self, p: impl ParamRef) -> ArgError {
        match self.index(p) {
            Ok(index) => ArgError {
                function: self.info.function,
                problem: ArgProblem::Form {
                    index,
                    name: self.info.params[index].name,
                },
            },
            Err(e) => e,
        }
    }

    /// The value of a parameter that `accessor` reads (`fits` says which types it does).
    fn typed(
        &self,
        p: impl ParamRef,
        accessor: &'static str,
        fits: fn(ParamType) -> bool,
    ) -> Result<(usize, &'a T), ArgError> {
        let index = self.index(p)?;
        let param = &self.info.params[index];
        if !fits(param.ty) {
            return Err(ArgError {
                function: self.info.function,
                problem: ArgProblem::WrongAccessor {
                    index,
                    name: param.name,
                    ty: param.ty,
                    accessor,
                },
            });
        }
        Ok((index, &self.values[index]))
    }
}

impl<'a> Params<'a, u64> {
    /// A C library's ABI word of a parameter (any type: the library converts it).
    pub fn word(&self, p: impl ParamRef) -> Result<u64, ArgError> {
        self.get(p).copied()
    }
}

/// Which parameter types each accessor reads.
mod fits {
    use crate::functions::ParamType as T;
    pub fn handle(t: T) -> bool {
        matches!(
            t,
            T::Instance | T::Sesid | T::TableId | T::FileHandle | T::ApiPtr
        )
    }
    pub fn instance(t: T) -> bool {
        t == T::Instance
    }
    pub fn sesid(t: T) -> bool {
        t == T::Sesid
    }
    pub fn u32(t: T) -> bool {
        // A `JET_COLUMNDEF` argument is its column type (call.rs).
        matches!(
            t,
            T::Dbid | T::ULong | T::Grbit(_) | T::ParamId | T::ColumnDef
        )
    }
    pub fn i32(t: T) -> bool {
        t == T::Long
    }
    pub fn u64(t: T) -> bool {
        matches!(t, T::U64 | T::ApiPtr)
    }
    pub fn text(t: T) -> bool {
        matches!(t, T::Str(_))
    }
    pub fn out(t: T) -> bool {
        matches!(
            t,
            T::InstanceOut
                | T::SesidOut
                | T::TableIdOut
                | T::DbidOut
                | T::FileHandleOut
                | T::OutULong
                | T::OutApiPtr
                | T::OutLong
        )
    }
    pub fn inout(t: T) -> bool {
        t == T::InstanceInOut
    }
    pub fn buffer(t: T) -> bool {
        matches!(t, T::OutBuffer(_))
    }
    pub fn loginfo(t: T) -> bool {
        t == T::LogInfo
    }
    pub fn rstmap(t: T) -> bool {
        t == T::RstMap
    }
    pub fn sysparams(t: T) -> bool {
        t == T::SetSysParams
    }
    pub fn rstinfo(t: T) -> bool {
        t == T::RstInfo
    }
    pub fn callback(t: T) -> bool {
        t == T::Callback
    }
}

/// One accessor: the parameter types it reads, and the value of each argument form it takes
/// (integers are taken from the neighbouring integer forms, as C would convert them).
macro_rules! accessors {
    ($( $(#[$doc:meta])* $name:ident -> $ty:ty { $( $pat:pat => $val:expr ),+ $(,)? } )*) => {
        impl<'a> Params<'a, Arg> {
            $(
                $(#[$doc])*
                pub fn $name(&self, p: impl ParamRef) -> Result<$ty, ArgError> {
                    let (index, arg) = self.typed(p, stringify!($name), fits::$name)?;
                    #[allow(unreachable_patterns)]
                    match arg {
                        $( $pat => Ok($val), )+
                        _ => Err(self.mismatch(index)),
                    }
                }
            )*
        }
    };
}

accessors! {
    /// `JET_INSTANCE`, `JET_SESID`, `JET_HANDLE` or `JET_API_PTR` by value.
    handle -> u64 { Arg::Handle(h) => *h, Arg::U64(h) => *h, Arg::U32(v) => *v as u64 }
    /// A `JET_INSTANCE` by value.
    instance -> u64 { Arg::Handle(h) => *h, Arg::U64(h) => *h, Arg::U32(v) => *v as u64 }
    /// A `JET_SESID` by value.
    sesid -> u64 { Arg::Handle(h) => *h, Arg::U64(h) => *h, Arg::U32(v) => *v as u64 }
    /// `unsigned long`, `JET_GRBIT`, `JET_DBID` or a `JET_paramXxx` id.
    u32 -> u32 {
        Arg::U32(v) => *v,
        Arg::I32(v) => *v as u32,
        Arg::Handle(v) | Arg::U64(v) => *v as u32,
    }
    /// `long`.
    i32 -> i32 { Arg::I32(v) => *v, Arg::U32(v) => *v as i32 }
    /// `unsigned __int64`, or a `JET_API_PTR` value.
    u64 -> u64 { Arg::U64(v) | Arg::Handle(v) => *v, Arg::U32(v) => *v as u64 }
    /// An input string (`None`: NULL).
    text -> Option<&'a Text> { Arg::Str(t) => t.as_ref() }
    /// Whether an output pointer is valid (`false`: NULL).
    out -> bool { Arg::Out(b) => *b }
    /// An in/out `JET_INSTANCE*` (`None`: NULL).
    inout -> Option<u64> { Arg::InOut(v) => *v }
    /// An output buffer (`None`: NULL).
    buffer -> Option<&'a Buffer> { Arg::Buffer(b) => b.as_ref() }
    /// A `JET_LOGINFO` (`None`: NULL).
    loginfo -> Option<&'a LogInfo> { Arg::LogInfo(l) => l.as_ref() }
    /// A `JET_RSTMAP` array (`None`: NULL).
    rstmap -> Option<&'a [RstMapEntry]> { Arg::RstMap(m) => m.as_deref() }
    /// A `JET_SETSYSPARAM` array (`None`: NULL).
    sysparams -> Option<&'a [SysParamEntry]> { Arg::SetSysParams(l) => l.as_deref() }
    /// A `JET_RSTINFO` (`None`: NULL).
    rstinfo -> Option<&'a RstInfo> { Arg::RstInfo(r) => r.as_ref() }
    /// A `JET_PFNSTATUS` (`None`: NULL).
    callback -> Option<&'a Callback> { Arg::Callback(c) => c.as_ref() }
}

impl<'a> Params<'a, Arg> {
    /// The arguments of `call`, if it has one per parameter.
    pub fn of(call: &'a Call) -> Result<Args<'a>, ArgError> {
        Params::new(call.function, &call.args)
    }

    /// [`Params::enter`] for a call.
    pub fn enter_call(call: &'a Call, exported: bool) -> Result<Args<'a>, Observation> {
        Params::enter(call.function, &call.args, exported)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::Buffer;

    fn call(function: Function, args: Vec<Arg>) -> Call {
        Call { function, args }
    }

    #[test]
    fn reads_by_name_and_by_position() {
        let c = call(
            Function::JetGetAttachInfoInstanceW,
            vec![
                Arg::Handle(7),
                Arg::Buffer(Some(Buffer {
                    size: 64,
                    offset: 0,
                    save_to: None,
                })),
                Arg::U32(64),
                Arg::Out(true),
            ],
        );
        let a = Args::of(&c).unwrap();
        assert_eq!(a.instance("instance"), Ok(7));
        assert_eq!(a.u32("cbMax"), Ok(64));
        assert_eq!(a.u32(2), Ok(64));
        assert_eq!(a.out("pcbActual"), Ok(true));
        assert_eq!(a.buffer("szz").unwrap().map(|b| b.size), Some(64));
        assert_eq!(a.name(3), "pcbActual");
        assert!(a.has("szz") && !a.has("pv"));
    }

    #[test]
    fn errors_say_what_was_wrong() {
        let c = call(Function::JetCloseFileInstance, vec![Arg::Handle(1)]);
        assert_eq!(
            Args::of(&c).unwrap_err().to_string(),
            "JetCloseFileInstance takes 2 arguments, got 1"
        );
        let c = call(
            Function::JetCloseFileInstance,
            vec![Arg::Handle(1), Arg::Out(true)],
        );
        let a = Args::of(&c).unwrap();
        assert_eq!(
            a.handle("hfFile").unwrap_err().to_string(),
            "argument 1 (hfFile) of JetCloseFileInstance has an unexpected form"
        );
        assert_eq!(
            a.u32("cbMax").unwrap_err().to_string(),
            "JetCloseFileInstance has no parameter `cbMax`"
        );
        assert_eq!(
            a.u32("instance").unwrap_err().to_string(),
            "argument 0 (instance) of JetCloseFileInstance is Instance, which `u32` does not read"
        );
        assert!(a.sesid("instance").is_err() && a.instance("instance").is_ok());
    }

    #[test]
    fn the_prologue_checks_the_export_then_the_arity() {
        let c = call(Function::JetCloseFileInstance, vec![]);
        assert_eq!(
            Args::enter_call(&c, false).unwrap_err(),
            Observation::not_exported()
        );
        assert_eq!(
            Args::enter_call(&c, true).unwrap_err(),
            Observation::not_modelled("JetCloseFileInstance takes 2 arguments, got 0")
        );
        let words = [3u64, 4];
        let w = Params::new(Function::JetCloseFileInstance, &words).unwrap();
        assert_eq!(w.word("hfFile"), Ok(4));
    }
}
