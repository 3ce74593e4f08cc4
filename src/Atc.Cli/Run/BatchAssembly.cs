using Atc.Runtime;

namespace Atc.Cli.Run;

/// <summary>
/// Joins the per-sample tensors of one input along axis 0 (the batch axis) and pads the batch with zero rows up to
/// a gear; the row ranges of each file let the outputs be split back per file.
/// </summary>
internal static class BatchAssembly
{
    /// <summary>The tensors stacked along axis 0; null when their element types or trailing dims differ (the reason in <paramref name="problem"/>).</summary>
    public static TensorData? Concatenate(IReadOnlyList<TensorData> parts, out string? problem)
    {
        problem = null;
        var first = parts[0];
        if (parts.Count == 1) return first;
        if (first.Rank == 0) { problem = "a scalar has no batch axis to join files along"; return null; }
        foreach (var part in parts)
            if (part.Type != first.Type || part.Rank != first.Rank || !part.Dims.AsSpan(1).SequenceEqual(first.Dims.AsSpan(1)))
            {
                problem = $"the files disagree: {first.Type.Name()}{ShapeText.Format(first.Dims)} and {part.Type.Name()}{ShapeText.Format(part.Dims)}; "
                    + "all files of an input must have the same type and the same dims after the batch axis";
                return null;
            }
        var dims = (int[])first.Dims.Clone();
        dims[0] = parts.Sum(p => p.Dims[0]);
        var bytes = new byte[parts.Sum(p => (long)p.Bytes.Length)];
        long offset = 0;
        foreach (var part in parts)
        {
            part.Bytes.Span.CopyTo(bytes.AsSpan((int)offset));
            offset += part.Bytes.Length;
        }
        return new TensorData(first.Type, dims, bytes);
    }

    /// <summary>The tensor with zero rows appended so that axis 0 is <paramref name="batch"/>.</summary>
    public static TensorData PadTo(TensorData tensor, int batch)
    {
        if (tensor.Dims[0] == batch) return tensor;
        var dims = (int[])tensor.Dims.Clone();
        dims[0] = batch;
        var bytes = new byte[ShapeText.ElementCount(dims) * tensor.Type.SizeOf()];
        tensor.Bytes.Span.CopyTo(bytes);
        return new TensorData(tensor.Type, dims, bytes);
    }

    /// <summary>Rows [start, start + count) of a batch-major tensor.</summary>
    public static TensorData Rows(TensorData tensor, int start, int count)
    {
        var dims = (int[])tensor.Dims.Clone();
        dims[0] = count;
        long rowBytes = tensor.Dims[0] == 0 ? 0 : tensor.Bytes.Length / tensor.Dims[0];
        return new TensorData(tensor.Type, dims, tensor.Bytes.Slice((int)(start * rowBytes), (int)(count * rowBytes)));
    }
}
