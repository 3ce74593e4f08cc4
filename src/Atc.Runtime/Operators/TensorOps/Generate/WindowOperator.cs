using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Generate;

/// <summary>
/// HannWindow, HammingWindow and BlackmanWindow: size (int32/int64 scalar, constant) → a 1-D window of that length,
/// computed in double precision as the ONNX reference does. Attrs output_datatype (a <see cref="DataType"/> code;
/// float32 by default, float32 or float64), periodic (1: N = size; 0: symmetric, N = size - 1).
/// </summary>
internal sealed class WindowOperator(string opType) : Operator(opType)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        RequireType(context, 0, Numeric.Indices);
        return One(OutputType(context), [Size(context)]);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        int size = Size(context);
        double n = context.Attributes.GetInt("periodic", 1) != 0 ? size : size - 1;
        var window = new double[size];
        for (int i = 0; i < size; i++) window[i] = Value(i, n);
        var data = outputs[0].Type == DataType.Float64
            ? TensorData.FromArray(DataType.Float64, [size], window)
            : TensorData.Float([size], Array.ConvertAll(window, v => (float)v));
        return new ConstantKernel(data.Bytes.ToArray());
    }

    private double Value(int i, double n) => OpType switch
    {
        OpTypes.HannWindow => Math.Pow(Math.Sin(Math.PI * i / n), 2),
        OpTypes.HammingWindow => 25.0 / 46 - (1 - 25.0 / 46) * Math.Cos(2 * Math.PI * i / n),
        _ => 0.42 - 0.5 * Math.Cos(2 * Math.PI * i / n) + 0.08 * Math.Cos(4 * Math.PI * i / n),
    };

    private int Size(OpContext context)
    {
        long[] size = ConstantInts(context, 0, "size");
        if (size.Length != 1) throw Error($"size must be a scalar, got {size.Length} values");
        return size[0] is >= 0 and <= int.MaxValue ? (int)size[0] : throw Error($"size {size[0]} must not be negative");
    }

    private DataType OutputType(OpContext context)
    {
        long code = context.Attributes.GetInt("output_datatype", (long)DataType.Float32);
        return (DataType)code is DataType.Float32 or DataType.Float64
            ? (DataType)code
            : throw Error($"output_datatype {code} is not supported; use float32 (1) or float64 (11)");
    }
}
