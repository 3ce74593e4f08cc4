using System.Runtime.InteropServices;
using Atc.Compiler.Frontends.Onnx.Proto;
using Atc.Runtime;
using Atc.Runtime.Core;

namespace Atc.Tests.TestSupport;

/// <summary>
/// Reads a serialized onnx.TensorProto (the backend-test input_k.pb / output_k.pb files) into <see cref="TensorData"/>.
/// Data may sit in raw_data (little endian) or in the typed repeated fields. Element types the runtime lacks
/// (string, float16, ...) throw <see cref="NotSupportedException"/> naming the type.
/// </summary>
internal static class OnnxTensorFile
{
    public static TensorData Read(string path) => FromProto(TensorProto.Parser.ParseFrom(File.ReadAllBytes(path)), path);

    public static TensorData FromProto(TensorProto tensor, string what)
    {
        // ONNX's element type codes for the types this runtime has are the runtime's own DataType codes.
        var type = (DataType)tensor.DataType;
        if (!DataTypes.IsDefined(type))
            throw new NotSupportedException($"{what}: ONNX element type {tensor.DataType} is not a runtime data type");
        int[] dims = [.. tensor.Dims.Select(d => checked((int)d))];
        long count = Shape.ElementCount(dims);
        if (tensor.HasRawData)
            return new TensorData(type, dims, tensor.RawData.ToByteArray());

        var bytes = new byte[count * type.SizeOf()];
        switch (type)
        {
            case DataType.Float32: Copy(tensor.FloatData.ToArray(), bytes, count, what); break;
            case DataType.Float64: Copy(tensor.DoubleData.ToArray(), bytes, count, what); break;
            case DataType.Int64: Copy(tensor.Int64Data.ToArray(), bytes, count, what); break;
            case DataType.Int32: Copy(tensor.Int32Data.ToArray(), bytes, count, what); break;
            case DataType.UInt16 or DataType.Int16 or DataType.Float16 or DataType.BFloat16:
                Copy(tensor.Int32Data.Select(v => unchecked((ushort)v)).ToArray(), bytes, count, what); break;
            case DataType.UInt32: Copy(tensor.Uint64Data.Select(v => unchecked((uint)v)).ToArray(), bytes, count, what); break;
            case DataType.UInt64: Copy(tensor.Uint64Data.ToArray(), bytes, count, what); break;
            default: // int8, uint8 and bool are stored one per int32_data entry
                if (tensor.Int32Data.Count != count) throw new InvalidDataException($"{what}: {tensor.Int32Data.Count} values for {count} elements");
                for (int i = 0; i < count; i++) bytes[i] = unchecked((byte)tensor.Int32Data[i]);
                break;
        }
        return new TensorData(type, dims, bytes);
    }

    private static void Copy<T>(T[] values, byte[] bytes, long count, string what) where T : unmanaged
    {
        if (values.Length != count) throw new InvalidDataException($"{what}: {values.Length} values for {count} elements");
        MemoryMarshal.AsBytes(values.AsSpan()).CopyTo(bytes);
    }
}
