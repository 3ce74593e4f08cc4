using System.Numerics.Tensors;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// LayerNormalization over contiguous rows of <c>inner</c> floats, vectorised along the row: a sum for the mean, the
/// centred row written once, a sum of squares for the variance, then one scale-and-shift pass. Y may alias X.
/// </summary>
/// <param name="scalarScale">scale has one value for every element of the row.</param>
/// <param name="scalarBias">null: no B; true: one value for the row.</param>
internal sealed unsafe class LayerNormalizationKernel(long rows, int inner, bool scalarScale, bool? scalarBias, float epsilon) : IKernel
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var body = new Body((float*)args.Inputs[0], (float*)args.Inputs[1], scalarBias is null ? null : (float*)args.Inputs[2],
            (float*)args.Outputs[0], inner, scalarScale, scalarBias ?? false, epsilon);
        ParallelRange.For(args.Workers, rows, inner, ref body);
    }

    private readonly struct Body(float* x, float* scale, float* bias, float* y, int inner, bool scalarScale, bool scalarBias, float epsilon) : IRangeBody
    {
        public void Run(long start, long end)
        {
            var gamma = new ReadOnlySpan<float>(scale, scalarScale ? 1 : inner);
            var beta = bias == null ? default : new ReadOnlySpan<float>(bias, scalarBias ? 1 : inner);
            for (long r = start; r < end; r++)
            {
                var xs = new ReadOnlySpan<float>(x + r * inner, inner);
                var ys = new Span<float>(y + r * inner, inner);
                float mean = TensorPrimitives.Sum(xs) / inner;
                TensorPrimitives.Subtract(xs, mean, ys);
                float variance = TensorPrimitives.SumOfSquares(ys) / inner;
                float inverseStd = 1f / MathF.Sqrt(variance + epsilon);
                if (scalarScale) TensorPrimitives.Multiply(ys, inverseStd * gamma[0], ys);
                else
                {
                    TensorPrimitives.Multiply(ys, inverseStd, ys);
                    TensorPrimitives.Multiply(ys, gamma, ys);
                }
                if (bias == null) continue;
                if (scalarBias) TensorPrimitives.Add(ys, beta[0], ys);
                else TensorPrimitives.Add(ys, beta, ys);
            }
        }
    }
}
