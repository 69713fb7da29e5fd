//! The environment Argo Rollouts v1.8.3 builds for a condition
//! (`utils/evaluate/evaluate.go`, `EvalCondition`): `result` plus six helper
//! functions, with the Go signatures that decide type-checking.

use crate::types::Type;

/// A function Argo puts in the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvFunc {
    /// `asInt(in any) int64`
    AsInt,
    /// `asFloat(in any) float64`
    AsFloat,
    /// `math.IsNaN(f float64) bool`
    IsNaN,
    /// `isInf(f float64) bool` (Argo wraps `math.IsInf(f, 0)`; one argument)
    IsInf,
    /// `isNil(any) bool`: tests the *result*, whatever the argument
    IsNil,
    /// `default(any, any) any`: the result unless it is nil, else the second argument
    Default,
}

impl EnvFunc {
    /// Looks up an environment function by name.
    pub fn by_name(name: &str) -> Option<Self> {
        Some(match name {
            "asInt" => Self::AsInt,
            "asFloat" => Self::AsFloat,
            "isNaN" => Self::IsNaN,
            "isInf" => Self::IsInf,
            "isNil" => Self::IsNil,
            "default" => Self::Default,
            _ => return None,
        })
    }

    /// The Go signature, as `reflect.Type.String()` prints it.
    pub fn signature(self) -> &'static str {
        match self {
            Self::AsInt => "func(interface {}) int64",
            Self::AsFloat => "func(interface {}) float64",
            Self::IsNaN | Self::IsInf => "func(float64) bool",
            Self::IsNil => "func(interface {}) bool",
            Self::Default => "func(interface {}, interface {}) interface {}",
        }
    }

    /// Parameter types.
    pub fn params(self) -> Vec<Type> {
        match self {
            Self::AsInt | Self::AsFloat | Self::IsNil => vec![Type::Any],
            Self::IsNaN | Self::IsInf => vec![Type::Float],
            Self::Default => vec![Type::Any, Type::Any],
        }
    }

    /// Return type.
    pub fn output(self) -> Type {
        match self {
            Self::AsInt => Type::Int64,
            Self::AsFloat => Type::Float,
            Self::IsNaN | Self::IsInf | Self::IsNil => Type::Bool,
            Self::Default => Type::Any,
        }
    }
}

/// How expr types a builtin named without a call (`len < 1`).
pub(crate) const BUILTIN_FUNCTION_TYPE: &str = "func(...interface {}) (interface {}, error)";
