using System.Buffers.Binary;
using Atc.Compiler.Frontends.TensorFlow.Proto;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.Core;
using TfType = Atc.Compiler.Frontends.TensorFlow.Proto.DataType;

namespace Atc.Compiler.Frontends.TensorFlow;

/// <summary>
/// Decodes a TensorProto into <see cref="TensorData"/>. Values come from tensor_content (raw little-endian bytes) or,
/// when that is empty, from the typed *_val field with TensorFlow's rule: fewer values than elements repeat the last
/// value, no values at all mean zeros. Half and bfloat16 constants widen to float32 (the runtime computes in
/// float32; a following Cast to float then is a no-op).
/// </summary>
internal static class TfTensorDecoder
{
    /// <summary>Constants larger than this are a corrupt shape rather than a real model.</summary>
    private const long MaxBytes = int.MaxValue;

    /// <summary>Throws <see cref="TfUnsupportedException"/> for element types the runtime lacks.</summary>
    public static TensorData Decode(TensorProto tensor, string nodeName)
    {
        var tfType = TfDataTypes.StripRef(tensor.Dtype);
        bool isHalf = tfType is TfType.DtHalf or TfType.DtBfloat16;
        if (!isHalf && !TfDataTypes.TryMap(tfType, out _))
            throw new TfUnsupportedException("Const (dtype " + TfDataTypes.Name(tensor.Dtype) + ")");
        var type = isHalf ? Runtime.DataType.Float32 : Map(tfType);

        int[] dims = DecodeDims(tensor.TensorShape, nodeName);
        long count = SaturatedElementCount(dims);
        if (count > MaxBytes / type.SizeOf())
            throw Invalid(nodeName, "its shape " + Runtime.Core.Shape.Format(dims) + " holds more than 2 GB");

        if (!tensor.TensorContent.IsEmpty)
            return FromContent(tensor.TensorContent.Span, tfType, type, dims, count, nodeName);

        return tfType switch
        {
            TfType.DtFloat => FromValues(type, dims, tensor.FloatVal, nodeName),
            TfType.DtDouble => FromValues(type, dims, tensor.DoubleVal, nodeName),
            TfType.DtInt32 => FromValues(type, dims, tensor.IntVal, nodeName),
            TfType.DtInt64 => FromValues(type, dims, tensor.Int64Val, nodeName),
            TfType.DtUint8 => FromValues(type, dims, tensor.IntVal.Select(v => (byte)v).ToList(), nodeName),
            TfType.DtInt8 => FromValues(type, dims, tensor.IntVal.Select(v => (sbyte)v).ToList(), nodeName),
            TfType.DtBool => FromValues(type, dims, tensor.BoolVal.Select(v => v ? (byte)1 : (byte)0).ToList(), nodeName),
            TfType.DtHalf => FromValues(type, dims, tensor.HalfVal.Select(v => HalfBitsToFloat((ushort)v)).ToList(), nodeName),
            _ => FromValues(type, dims, tensor.HalfVal.Select(v => BFloat16BitsToFloat((ushort)v)).ToList(), nodeName),
        };
    }

    public static int[] DecodeDims(TensorShapeProto? shape, string nodeName)
    {
        if (shape is null) return [];
        if (shape.UnknownRank) throw Invalid(nodeName, "its constant tensor has an unknown rank");
        var dims = new int[shape.Dim.Count];
        for (int i = 0; i < dims.Length; i++)
        {
            long d = shape.Dim[i].Size;
            if (d < 0 || d > int.MaxValue)
                throw Invalid(nodeName, "its constant tensor has dimension " + i + " of size " + d);
            dims[i] = (int)d;
        }
        return dims;
    }

    // The product of the dims, stopping above MaxBytes: dims up to 2^31 each would overflow a long after three axes.
    private static long SaturatedElementCount(int[] dims)
    {
        if (Array.IndexOf(dims, 0) >= 0) return 0;
        long count = 1;
        foreach (int d in dims)
        {
            count = count > MaxBytes / d ? MaxBytes + 1 : count * d;
        }
        return count;
    }

    private static Runtime.DataType Map(TfType type) => TfDataTypes.TryMap(type, out var t) ? t : Runtime.DataType.Undefined;

    private static TensorData FromContent(ReadOnlySpan<byte> content, TfType tfType, Runtime.DataType type, int[] dims, long count, string nodeName)
    {
        int sourceSize = tfType is TfType.DtHalf or TfType.DtBfloat16 ? 2 : type.SizeOf();
        if (content.Length != count * sourceSize)
            throw Invalid(nodeName, "its tensor_content has " + content.Length + " bytes, but " + TfDataTypes.Name(tfType) + " "
                + Runtime.Core.Shape.Format(dims) + " needs " + count * sourceSize);
        if (sourceSize == type.SizeOf()) return new TensorData(type, dims, content.ToArray());

        var floats = new float[count];
        for (int i = 0; i < floats.Length; i++)
        {
            ushort bits = BinaryPrimitives.ReadUInt16LittleEndian(content[(2 * i)..]);
            floats[i] = tfType == TfType.DtHalf ? HalfBitsToFloat(bits) : BFloat16BitsToFloat(bits);
        }
        return TensorData.FromArray(type, dims, floats);
    }

    /// <summary>TensorFlow's rule for the typed fields: the last value repeats to fill the shape; none means zeros.</summary>
    private static TensorData FromValues<T>(Runtime.DataType type, int[] dims, IReadOnlyList<T> values, string nodeName) where T : unmanaged
    {
        long count = Runtime.Core.Shape.ElementCount(dims);
        if (values.Count > count)
            throw Invalid(nodeName, "its constant has " + values.Count + " values but its shape " + Runtime.Core.Shape.Format(dims) + " holds " + count);
        var data = new T[count];
        for (int i = 0; i < values.Count; i++) data[i] = values[i];
        if (values.Count > 0) Array.Fill(data, values[^1], values.Count, data.Length - values.Count);
        return TensorData.FromArray(type, dims, data);
    }

    private static float HalfBitsToFloat(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);

    private static float BFloat16BitsToFloat(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    private static AtcException Invalid(string nodeName, string detail)
        => new(AtcErrors.InvalidModel("constant [" + nodeName + "] is malformed: " + detail));
}
