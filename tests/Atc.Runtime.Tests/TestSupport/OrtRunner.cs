using Atc.Runtime;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Atc.Tests.TestSupport;

/// <summary>Runs ONNX bytes in ONNX Runtime (1 thread) and returns the outputs as <see cref="TensorData"/>, in graph order.</summary>
internal static class OrtRunner
{
    public static TensorData[] Run(byte[] onnx, IReadOnlyDictionary<string, TensorData> inputs)
    {
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnx, options);
        var feeds = inputs.Select(kv => Feed(kv.Key, kv.Value)).ToList();
        using var results = session.Run(feeds);
        return [.. session.OutputNames.Select(name => ToTensorData(results.Single(r => r.Name == name)))];
    }

    // Float inputs, int32 ones (the recurrent ops' sequence_lens), float16 and 8-bit ones as they are.
    private static NamedOnnxValue Feed(string name, TensorData value) => value.Type switch
    {
        DataType.Int32 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<int>(value.AsSpan<int>().ToArray(), value.Dims)),
        DataType.Float16 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<Float16>(
            value.AsSpan<ushort>().ToArray().Select(bits => new Float16(bits)).ToArray(), value.Dims)),
        DataType.UInt8 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<byte>(value.Bytes.ToArray(), value.Dims)),
        DataType.Int8 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<sbyte>(value.AsSpan<sbyte>().ToArray(), value.Dims)),
        DataType.Int64 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<long>(value.AsSpan<long>().ToArray(), value.Dims)),
        DataType.UInt16 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<ushort>(value.AsSpan<ushort>().ToArray(), value.Dims)),
        DataType.Int16 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<short>(value.AsSpan<short>().ToArray(), value.Dims)),
        DataType.UInt32 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<uint>(value.AsSpan<uint>().ToArray(), value.Dims)),
        DataType.UInt64 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<ulong>(value.AsSpan<ulong>().ToArray(), value.Dims)),
        DataType.BFloat16 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<BFloat16>(
            value.AsSpan<ushort>().ToArray().Select(bits => new BFloat16(bits)).ToArray(), value.Dims)),
        _ => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(value.ToFloatArray(), value.Dims)),
    };

    public static TensorData ToTensorData(DisposableNamedOnnxValue value) => value.ElementType switch
    {
        TensorElementType.Float => FromTensor(DataType.Float32, value.AsTensor<float>()),
        TensorElementType.Int64 => FromTensor(DataType.Int64, value.AsTensor<long>()),
        TensorElementType.Bool => FromTensor(DataType.Bool, value.AsTensor<bool>()),
        TensorElementType.Float16 => FromTensor(DataType.Float16, value.AsTensor<Float16>()),
        TensorElementType.UInt8 => FromTensor(DataType.UInt8, value.AsTensor<byte>()),
        TensorElementType.Int8 => FromTensor(DataType.Int8, value.AsTensor<sbyte>()),
        TensorElementType.Int32 => FromTensor(DataType.Int32, value.AsTensor<int>()),
        TensorElementType.UInt16 => FromTensor(DataType.UInt16, value.AsTensor<ushort>()),
        TensorElementType.Int16 => FromTensor(DataType.Int16, value.AsTensor<short>()),
        TensorElementType.UInt32 => FromTensor(DataType.UInt32, value.AsTensor<uint>()),
        TensorElementType.UInt64 => FromTensor(DataType.UInt64, value.AsTensor<ulong>()),
        TensorElementType.BFloat16 => FromTensor(DataType.BFloat16, value.AsTensor<BFloat16>()),
        TensorElementType.Double => FromTensor(DataType.Float64, value.AsTensor<double>()),
        var other => throw new NotSupportedException($"ONNX Runtime output '{value.Name}' is {other}"),
    };

    private static TensorData FromTensor<T>(DataType type, Tensor<T> tensor) where T : unmanaged
        => TensorData.FromArray(type, [.. tensor.Dimensions], tensor.ToArray());
}
