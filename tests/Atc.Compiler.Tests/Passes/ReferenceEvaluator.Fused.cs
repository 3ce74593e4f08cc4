using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Tests.Passes;

/// <summary>Naive forms of the fused ops (Attention, FusedElementwise) and what their patterns are made of, in doubles.</summary>
internal static partial class ReferenceEvaluator
{
    /// <summary>numpy matmul with both operands of rank ≥ 2 and equal batch dims.</summary>
    private static Tensor BatchedMatMul(Tensor a, Tensor b)
    {
        int m = a.Dims[^2], k = a.Dims[^1], n = b.Dims[^1];
        int batches = a.Data.Length / (m * k);
        Assert.Equal(batches, b.Data.Length / (k * n));
        var y = new float[batches * m * n];
        for (int t = 0; t < batches; t++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double sum = 0;
                    for (int p = 0; p < k; p++) sum += a.Data[(t * m + i) * k + p] * b.Data[(t * k + p) * n + j];
                    y[(t * m + i) * n + j] = (float)sum;
                }
        return new Tensor([.. a.Dims[..^1], n], y);
    }

    private static Tensor SoftmaxLastAxis(Tensor x)
    {
        int n = x.Dims[^1];
        var y = new float[x.Data.Length];
        for (int r = 0; r < x.Data.Length / n; r++)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int j = 0; j < n; j++) max = Math.Max(max, x.Data[r * n + j]);
            for (int j = 0; j < n; j++) sum += Math.Exp(x.Data[r * n + j] - max);
            for (int j = 0; j < n; j++) y[r * n + j] = (float)(Math.Exp(x.Data[r * n + j] - max) / sum);
        }
        return new Tensor(x.Dims, y);
    }

    /// <summary>softmax(scale · Q·Kᵀ + mask) · V with an additive mask of the scores' shape (or none).</summary>
    private static Tensor Attention(Tensor?[] ins, OpAttributes a)
    {
        var scores = BatchedMatMul(ins[0]!, ins[1]!);
        scores = Map(scores, s => s * a.GetFloat("scale", 1f));
        if (ins.Length > 3 && ins[3] is { } mask)
        {
            Assert.Equal("add", a.GetString("mask", "add"));
            scores = Binary(scores, mask, (s, m) => s + m);
        }
        return BatchedMatMul(SoftmaxLastAxis(scores), ins[2]!);
    }

    /// <summary>The chain step by step over whole tensors, broadcasting as the unfused ops do.</summary>
    private static Tensor FusedElementwise(Tensor?[] ins, OpAttributes a)
    {
        float[] scalars = a.GetFloats("scalars", []);
        var value = ins[0]!;
        foreach (string encoded in a.GetStrings("steps", []))
        {
            var parts = encoded.Split(':');
            string op = parts[0], kind = parts[1];
            int index = int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
            if (kind == "p")
            {
                value = op switch
                {
                    OpTypes.Relu => Map(value, x => Math.Max(x, 0)),
                    OpTypes.Sigmoid => Map(value, x => 1 / (1 + Math.Exp(-x))),
                    OpTypes.Tanh => Map(value, Math.Tanh),
                    OpTypes.Clip => Map(value, x => Math.Clamp(x, scalars[index], scalars[index + 1])),
                    _ => throw new NotSupportedException(op),
                };
                continue;
            }
            var operand = kind is "in" or "rin" ? ins[index]! : new Tensor([], [scalars[index]]);
            Func<double, double, double> f = op switch
            {
                OpTypes.Add => (x, y) => x + y,
                OpTypes.Sub => (x, y) => x - y,
                OpTypes.Mul => (x, y) => x * y,
                OpTypes.Div => (x, y) => x / y,
                _ => throw new NotSupportedException(op),
            };
            value = kind is "rin" or "rsc" ? Binary(operand, value, f) : Binary(value, operand, f);
        }
        return value;
    }
}
