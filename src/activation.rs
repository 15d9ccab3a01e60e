//! Activation functions, each next to its derivative (TensorFlow Playground's
//! `{output, der}` pairs). Definitions follow `keras.activations` (Keras 3).

use std::fmt;
use std::str::FromStr;

/// Negative slope of `leaky_relu`: Keras 3's `keras.activations.leaky_relu` default.
pub const LEAKY_RELU_SLOPE: f32 = 0.2;
/// `alpha` of `elu`: the Keras default.
pub const ELU_ALPHA: f32 = 1.0;

/// An element-wise activation, as named by Keras' `activation=` strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Activation {
    /// a(z) = z: what `Dense` uses when `activation` is not given — the question's mistake.
    Linear,
    Relu,
    LeakyRelu,
    Elu,
    Tanh,
    Sigmoid,
    Softplus,
    Swish,
}

impl Activation {
    pub const ALL: [Activation; 8] = [
        Activation::Linear,
        Activation::Relu,
        Activation::LeakyRelu,
        Activation::Elu,
        Activation::Tanh,
        Activation::Sigmoid,
        Activation::Softplus,
        Activation::Swish,
    ];

    /// The Keras name, also used in share links.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Linear => "linear",
            Activation::Relu => "relu",
            Activation::LeakyRelu => "leaky_relu",
            Activation::Elu => "elu",
            Activation::Tanh => "tanh",
            Activation::Sigmoid => "sigmoid",
            Activation::Softplus => "softplus",
            Activation::Swish => "swish",
        }
    }

    pub fn is_linear(self) -> bool {
        self == Activation::Linear
    }

    /// The derivative at z equals the derivative at a(z): linear, and the relus, whose
    /// output keeps the sign of z (the kink's z = 0 included: relu(0) = 0 and leaky_relu(0)
    /// = 0 take the same side). Backpropagation can then read a layer's output instead of
    /// keeping its pre-activation, which the forward pass need not write.
    pub fn derivative_reads_output(self) -> bool {
        matches!(self, Activation::Linear | Activation::Relu | Activation::LeakyRelu)
    }

    /// a(z).
    #[inline]
    pub fn apply(self, z: f32) -> f32 {
        match self {
            Activation::Linear => z,
            Activation::Relu => z.max(0.0),
            Activation::LeakyRelu => {
                if z > 0.0 {
                    z
                } else {
                    LEAKY_RELU_SLOPE * z
                }
            }
            Activation::Elu => {
                if z > 0.0 {
                    z
                } else {
                    ELU_ALPHA * z.exp_m1()
                }
            }
            Activation::Tanh => z.tanh(),
            Activation::Sigmoid => sigmoid(z),
            // softplus(z) = ln(1 + e^z), written so large |z| neither overflows nor loses z.
            Activation::Softplus => z.max(0.0) + (-z.abs()).exp().ln_1p(),
            // swish(z) = z · σ(z)
            Activation::Swish => z * sigmoid(z),
        }
    }

    /// a'(z). At the kinks (z = 0) we take the value TensorFlow's gradients use:
    /// relu'(0) = 0, leaky_relu'(0) = slope, elu'(0) = α.
    #[inline]
    pub fn derivative(self, z: f32) -> f32 {
        match self {
            Activation::Linear => 1.0,
            Activation::Relu => {
                if z > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::LeakyRelu => {
                if z > 0.0 {
                    1.0
                } else {
                    LEAKY_RELU_SLOPE
                }
            }
            Activation::Elu => {
                if z > 0.0 {
                    1.0
                } else {
                    ELU_ALPHA * z.exp()
                }
            }
            // tanh' = 1 − tanh²
            Activation::Tanh => {
                let t = z.tanh();
                1.0 - t * t
            }
            // σ' = σ(1 − σ)
            Activation::Sigmoid => {
                let s = sigmoid(z);
                s * (1.0 - s)
            }
            // softplus' = σ
            Activation::Softplus => sigmoid(z),
            // swish' = σ + z·σ(1 − σ)
            Activation::Swish => {
                let s = sigmoid(z);
                s + z * s * (1.0 - s)
            }
        }
    }
}

/// σ(z) = 1 / (1 + e^−z), evaluated on the side that cannot overflow.
#[inline]
fn sigmoid(z: f32) -> f32 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

impl fmt::Display for Activation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Activation {
    type Err = ();

    /// Accepts the Keras names (and `leakyrelu`, `silu` as aliases).
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "silu" => Ok(Activation::Swish),
            "leakyrelu" => Ok(Activation::LeakyRelu),
            _ => Activation::ALL.into_iter().find(|a| a.name() == s).ok_or(()),
        }
    }
}
