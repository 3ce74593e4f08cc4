namespace Atc.Runtime.Serving;

/// <summary>Checks that tensor lengths and strides describe one contiguous row-major block (what kernels read in place).</summary>
internal static class RowMajor
{
    public static bool IsContiguous(ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> strides)
    {
        nint expected = 1;
        for (int i = lengths.Length - 1; i >= 0; i--)
        {
            if (lengths[i] != 1 && strides[i] != expected) return false;
            expected *= lengths[i];
        }
        return true;
    }

    /// <summary>Lengths as int dims; an axis above int.MaxValue is an input error naming the axis.</summary>
    public static int[] Dims(ReadOnlySpan<nint> lengths, string what, string paramName)
    {
        var dims = new int[lengths.Length];
        for (int i = 0; i < dims.Length; i++)
            dims[i] = lengths[i] <= int.MaxValue ? (int)lengths[i]
                : throw new InferenceInputException($"axis {i} of {what} has {lengths[i]} elements, more than a dimension may have ({int.MaxValue})", paramName);
        return dims;
    }
}
