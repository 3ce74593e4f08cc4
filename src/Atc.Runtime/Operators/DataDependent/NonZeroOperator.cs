using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.DataDependent;

/// <summary>
/// NonZero: X (any type) → int64 [rank, n], the indices of the non-zero elements in row-major order (a scalar is
/// treated as [1]: [1, n]). Bound: n ≤ the element count; the kernel counts first and writes rows of length n.
/// </summary>
internal sealed class NonZeroOperator() : DataDependentOperator(OpTypes.NonZero)
{
    public override TensorType[] InferBounds(OpContext context, out bool[][] dataDependentDims)
    {
        var x = RequireType(context, 0, Numeric.Any);
        dataDependentDims = [[false, true]];
        return [new TensorType(DataType.Int64, [Math.Max(1, x.Rank), (int)x.ElementCount])];
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        return new NonZeroKernel(x.Type, x.Rank == 0 ? [1] : x.Dims);
    }
}

internal sealed unsafe class NonZeroKernel(DataType type, int[] dims) : DataDependentKernel
{
    public override void Run(in KernelArgs args, int[][] actualDims)
    {
        long count = Shape.ElementCount(dims);
        byte* x = (byte*)args.Inputs[0];
        long n = 0;
        for (long i = 0; i < count; i++) if (IsNonZero(x, i)) n++;
        var y = (long*)args.Outputs[0];
        int rank = dims.Length;
        long column = 0;
        for (long i = 0; i < count; i++)
        {
            if (!IsNonZero(x, i)) continue;
            long rest = i;
            for (int a = rank - 1; a >= 0; a--)
            {
                y[a * n + column] = rest % dims[a];
                rest /= dims[a];
            }
            column++;
        }
        actualDims[0] = [rank, (int)n];
    }

    private bool IsNonZero(byte* x, long i) => type switch
    {
        DataType.Float32 => ((float*)x)[i] != 0,
        DataType.Float64 => ((double*)x)[i] != 0,
        DataType.Float16 => ((Half*)x)[i] != Half.Zero,
        DataType.Int64 => ((long*)x)[i] != 0,
        DataType.Int32 => ((int*)x)[i] != 0,
        _ => x[i] != 0,   // bool, uint8, int8
    };
}
