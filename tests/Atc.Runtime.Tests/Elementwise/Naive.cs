using Atc.Runtime.Core;

namespace Atc.Tests.Ops;

/// <summary>Slow, obviously-correct reference loops that the kernels are checked against.</summary>
internal static class Naive
{
    /// <summary>Numpy broadcasting of two arrays through an element function.</summary>
    public static TOut[] Binary<TA, TB, TOut>(int[] aDims, TA[] a, int[] bDims, TB[] b, Func<TA, TB, TOut> f, out int[] outDims)
    {
        outDims = Shape.Broadcast(aDims, bDims);
        var result = new TOut[Shape.ElementCount(outDims)];
        var index = new int[outDims.Length];
        for (int i = 0; i < result.Length; i++)
        {
            Decompose(i, outDims, index);
            result[i] = f(a[Offset(index, aDims)], b[Offset(index, bDims)]);
        }
        return result;
    }

    /// <summary>Offset of a broadcast output index into an input of the given dims (right-aligned, size-1 repeats).</summary>
    public static int Offset(int[] outIndex, int[] dims)
    {
        int offset = 0, shift = outIndex.Length - dims.Length;
        for (int d = 0; d < dims.Length; d++) offset = offset * dims[d] + (dims[d] == 1 ? 0 : outIndex[d + shift]);
        return offset;
    }

    public static void Decompose(long linear, int[] dims, int[] index)
    {
        for (int d = dims.Length - 1; d >= 0; d--)
        {
            index[d] = (int)(linear % dims[d]);
            linear /= dims[d];
        }
    }

    public static float[] Map(float[] x, Func<float, float> f) => x.Select(f).ToArray();

    /// <summary>Reduces over a set of axes with keepdims=1 semantics (output dims with 1s).</summary>
    public static double[] Reduce(int[] dims, float[] x, int[] axes, Func<IEnumerable<double>, double> f, out int[] outDims)
    {
        outDims = dims.Select((d, i) => axes.Contains(i) ? 1 : d).ToArray();
        var groups = new List<double>[Shape.ElementCount(outDims)];
        for (int i = 0; i < groups.Length; i++) groups[i] = [];
        var index = new int[dims.Length];
        for (int i = 0; i < x.Length; i++)
        {
            Decompose(i, dims, index);
            int o = 0;
            for (int d = 0; d < dims.Length; d++) o = o * outDims[d] + (axes.Contains(d) ? 0 : index[d]);
            groups[o].Add(x[i]);
        }
        return groups.Select(f).ToArray();
    }

    /// <summary>Element at a multi-index of a row-major array.</summary>
    public static int Linear(int[] dims, params int[] index)
    {
        int o = 0;
        for (int d = 0; d < dims.Length; d++) o = o * dims[d] + index[d];
        return o;
    }
}
