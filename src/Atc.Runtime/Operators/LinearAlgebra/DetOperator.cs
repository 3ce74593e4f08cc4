using System.Numerics;
using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.LinearAlgebra;

/// <summary>Det: X [*, M, M] (float) → [*]: the determinant of each square matrix in the last two axes.</summary>
internal sealed class DetOperator() : Operator(OpTypes.Det)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Floats);
        if (x.Rank < 2 || x.Dims[^1] != x.Dims[^2]) throw Error($"X must be [*, M, M] (square matrices in the last two axes), got {x}");
        return One(x.Type, x.Dims[..^2]);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        return TypeDispatch.Float(x.Type, new Factory(Shape.ElementCount(x.Dims.AsSpan(0, x.Rank - 2)), x.Dims[^1]));
    }

    private readonly struct Factory(long count, int size) : IFloatKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged, IFloatingPointIeee754<T> => new DetKernel<T>(count, size);
    }
}

/// <summary>LU decomposition with partial pivoting in float64, one matrix at a time in scratch memory.</summary>
internal sealed unsafe class DetKernel<T>(long count, int size) : IKernel where T : unmanaged, IFloatingPointIeee754<T>
{
    public long ScratchBytes => (long)size * size * sizeof(double);

    public void Run(in KernelArgs args)
    {
        var x = (T*)args.Inputs[0];
        var y = (T*)args.Outputs[0];
        var a = new Span<double>((void*)args.Scratch, size * size);
        for (long m = 0; m < count; m++)
        {
            T* matrix = x + m * size * size;
            for (int i = 0; i < a.Length; i++) a[i] = double.CreateTruncating(matrix[i]);
            y[m] = T.CreateTruncating(Determinant(a));
        }
    }

    private double Determinant(Span<double> a)
    {
        double det = 1;
        for (int col = 0; col < size; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < size; r++)
                if (Math.Abs(a[r * size + col]) > Math.Abs(a[pivot * size + col])) pivot = r;
            if (a[pivot * size + col] == 0) return 0;
            if (pivot != col)
            {
                for (int c = 0; c < size; c++) (a[col * size + c], a[pivot * size + c]) = (a[pivot * size + c], a[col * size + c]);
                det = -det;
            }
            double p = a[col * size + col];
            det *= p;
            for (int r = col + 1; r < size; r++)
            {
                double f = a[r * size + col] / p;
                if (f == 0) continue;
                for (int c = col + 1; c < size; c++) a[r * size + c] -= f * a[col * size + c];
            }
        }
        return det;
    }
}
