using System.Numerics.Tensors;

namespace Atc.Runtime.Operators.Recurrent;

/// <summary>The activation functions ONNX's recurrent ops accept (names compared case-insensitively, as ONNX Runtime does).</summary>
internal enum RecurrentActivationKind
{
    Sigmoid, Tanh, Relu, Affine, LeakyRelu, ThresholdedRelu, ScaledTanh, HardSigmoid, Elu, Softsign, Softplus,
}

/// <summary>One gate activation with its alpha and beta, applied in place to a gate's pre-activations.</summary>
internal readonly record struct RecurrentActivation(RecurrentActivationKind Kind, float Alpha, float Beta)
{
    /// <summary>Every name accepted, for error messages.</summary>
    public static string Names => string.Join(", ", Enum.GetNames<RecurrentActivationKind>());

    public static bool TryParse(string name, out RecurrentActivationKind kind)
        => Enum.TryParse(name, ignoreCase: true, out kind) && Enum.IsDefined(kind) && !int.TryParse(name, out _);

    /// <summary>Whether the function reads alpha (and so consumes one value of activation_alpha).</summary>
    public static bool TakesAlpha(RecurrentActivationKind kind) => kind is RecurrentActivationKind.Affine
        or RecurrentActivationKind.LeakyRelu or RecurrentActivationKind.ThresholdedRelu or RecurrentActivationKind.ScaledTanh
        or RecurrentActivationKind.HardSigmoid or RecurrentActivationKind.Elu;

    /// <summary>Whether the function reads beta (and so consumes one value of activation_beta).</summary>
    public static bool TakesBeta(RecurrentActivationKind kind) => kind is RecurrentActivationKind.Affine
        or RecurrentActivationKind.ScaledTanh or RecurrentActivationKind.HardSigmoid;

    /// <summary>The defaults of the same-named ONNX operators.</summary>
    public static (float Alpha, float Beta) Defaults(RecurrentActivationKind kind) => kind switch
    {
        RecurrentActivationKind.LeakyRelu => (0.01f, 0f),
        RecurrentActivationKind.ThresholdedRelu => (1f, 0f),
        RecurrentActivationKind.HardSigmoid => (0.2f, 0.5f),
        RecurrentActivationKind.Elu => (1f, 0f),
        RecurrentActivationKind.ScaledTanh => (1f, 1f),
        RecurrentActivationKind.Affine => (1f, 0f),
        _ => (0f, 0f),
    };

    public void Apply(Span<float> x)
    {
        float alpha = Alpha, beta = Beta;
        switch (Kind)
        {
            case RecurrentActivationKind.Sigmoid: TensorPrimitives.Sigmoid(x, x); break;
            case RecurrentActivationKind.Tanh: TensorPrimitives.Tanh(x, x); break;
            case RecurrentActivationKind.Relu: TensorPrimitives.Max(x, 0f, x); break;
            case RecurrentActivationKind.Affine: ScaleShift(x, alpha, beta); break;
            case RecurrentActivationKind.ScaledTanh:
                TensorPrimitives.Multiply(x, beta, x);
                TensorPrimitives.Tanh(x, x);
                TensorPrimitives.Multiply(x, alpha, x);
                break;
            case RecurrentActivationKind.HardSigmoid:
                ScaleShift(x, alpha, beta);
                TensorPrimitives.Max(x, 0f, x);
                TensorPrimitives.Min(x, 1f, x);
                break;
            case RecurrentActivationKind.LeakyRelu:
                foreach (ref float v in x) v = v >= 0f ? v : alpha * v;
                break;
            case RecurrentActivationKind.ThresholdedRelu:
                foreach (ref float v in x) v = v > alpha ? v : 0f;
                break;
            case RecurrentActivationKind.Elu:
                foreach (ref float v in x) v = v >= 0f ? v : alpha * (MathF.Exp(v) - 1f);
                break;
            case RecurrentActivationKind.Softsign:
                foreach (ref float v in x) v /= 1f + MathF.Abs(v);
                break;
            case RecurrentActivationKind.Softplus:
                // log(1 + e^x) without overflow for large x.
                foreach (ref float v in x) v = v > 0f ? v + MathF.Log(1f + MathF.Exp(-v)) : MathF.Log(1f + MathF.Exp(v));
                break;
        }
    }

    private static void ScaleShift(Span<float> x, float scale, float shift)
    {
        TensorPrimitives.Multiply(x, scale, x);
        TensorPrimitives.Add(x, shift, x);
    }
}
