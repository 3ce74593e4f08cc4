namespace Atc.Runtime.Core;

/// <summary>Helpers for concrete shapes (int[] dims, row-major). Concrete tensors are limited to int.MaxValue elements.</summary>
internal static class Shape
{
    public static long ElementCount(ReadOnlySpan<int> dims)
    {
        long n = 1;
        foreach (int d in dims) n *= d;
        return n;
    }

    /// <summary>The element count, or null when it does not fit a long (dims of untrusted input).</summary>
    internal static long? TryElementCount(ReadOnlySpan<int> dims)
    {
        long n = 1;
        foreach (int d in dims)
        {
            if (d < 0) return null;
            if (d != 0 && n > long.MaxValue / d) return dims.Contains(0) ? 0 : null;
            n *= d;
        }
        return n;
    }

    /// <summary>Row-major strides in elements.</summary>
    public static int[] Strides(ReadOnlySpan<int> dims)
    {
        var s = new int[dims.Length];
        int acc = 1;
        for (int i = dims.Length - 1; i >= 0; i--) { s[i] = acc; acc *= dims[i]; }
        return s;
    }

    public static string Format(ReadOnlySpan<int> dims) => "[" + string.Join(",", dims.ToArray()) + "]";

    public static string Format(ReadOnlySpan<long> dims) => "[" + string.Join(",", dims.ToArray()) + "]";

    /// <summary>Normalises a possibly negative axis against a rank, or throws with the offending value.</summary>
    public static int NormalizeAxis(long axis, int rank)
    {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= Math.Max(rank, 1) && !(rank == 0 && a == 0))
            throw new ShapeException($"axis {axis} is out of range for rank {rank}");
        return (int)a;
    }

    /// <summary>Numpy-style broadcast of two shapes, or throws naming both.</summary>
    public static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var r = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ShapeException($"shapes {Format(a)} and {Format(b)} cannot be broadcast");
            r[i] = da == 1 ? db : da;
        }
        return r;
    }

    public static bool SequenceEqual(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);
}

/// <summary>A shape rule of an operator does not hold for the given inputs. The planner adds the node and gear.</summary>
internal class ShapeException(string message) : Exception(message);

/// <summary>
/// An output's size depends on run-time data (a Reshape's computed shape, NonZero's count, ...): the planner puts the
/// node in the gear's dynamic region instead of failing (docs/runtime.md, "Data-dependent shapes").
/// </summary>
internal sealed class DataDependentShapeException(string message) : ShapeException(message);
