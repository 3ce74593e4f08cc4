using System.Runtime.InteropServices;
using Atc.Compiler.Frontends.TensorFlow.Proto;
using Google.Protobuf;

namespace Atc.TestModels.TensorFlow;

/// <summary>TensorProto constructors: raw tensor_content (what TensorFlow writes for weights) or typed *_val fields.</summary>
internal static class TfTensors
{
    public static TensorShapeProto Shape(long[]? dims)
    {
        var shape = new TensorShapeProto();
        if (dims is null) shape.UnknownRank = true;
        else foreach (long d in dims) shape.Dim.Add(new TensorShapeProto.Types.Dim { Size = d });
        return shape;
    }

    public static TensorProto Content<T>(DataType type, long[] dims, T[] values) where T : unmanaged => new()
    {
        Dtype = type,
        TensorShape = Shape(dims),
        TensorContent = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())),
    };

    public static TensorProto Float(long[] dims, params float[] values) => Content(DataType.DtFloat, dims, values);
    public static TensorProto Int32(long[] dims, params int[] values) => Content(DataType.DtInt32, dims, values);
    public static TensorProto Int64(long[] dims, params long[] values) => Content(DataType.DtInt64, dims, values);

    /// <summary>Values in float_val: fewer than the shape holds repeat the last (TensorFlow's rule for splats).</summary>
    public static TensorProto FloatVal(long[] dims, params float[] values)
    {
        var t = new TensorProto { Dtype = DataType.DtFloat, TensorShape = Shape(dims) };
        t.FloatVal.Add(values);
        return t;
    }

    /// <summary>Values in int_val (DT_INT32).</summary>
    public static TensorProto IntVal(long[] dims, params int[] values)
    {
        var t = new TensorProto { Dtype = DataType.DtInt32, TensorShape = Shape(dims) };
        t.IntVal.Add(values);
        return t;
    }
}
