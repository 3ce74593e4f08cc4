using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Atc.Compiler.Frontends.Onnx.Lowering;
using Atc.Compiler.Frontends.Onnx.Proto;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.Core;

namespace Atc.Compiler.Frontends.Onnx;

/// <summary>
/// Turns an ONNX TensorProto (an initializer, a Constant's value, an attribute) into <see cref="TensorData"/>. Data
/// may be in raw_data (little endian), in the typed repeated fields, or in an external file next to the model.
/// </summary>
internal sealed class OnnxTensorReader(string modelPath)
{
    private readonly OnnxExternalData _external = new(modelPath);

    /// <summary>Thrown (and collected by the importer) when a tensor's element type is one the runtime lacks.</summary>
    public sealed class UnsupportedTypeException(string typeName) : Exception(typeName)
    {
        public string TypeName { get; } = typeName;
    }

    /// <param name="what">How messages name the tensor, e.g. "initializer 'conv1.weight'".</param>
    public TensorData Read(TensorProto? tensor, string what)
    {
        // A TENSOR-typed attribute may carry no tensor at all in a malformed file.
        if (tensor is null) throw Invalid($"{what} is declared as a tensor but holds none");
        var stored = OnnxDataTypes.StorageType(tensor.DataType)
            ?? throw new UnsupportedTypeException(OnnxDataTypes.Name(tensor.DataType));
        var type = DataTypes.ComputeType(stored);
        var dims = ReadDims(tensor, what);
        long count = Shape.ElementCount(dims);
        long byteCount = count * stored.SizeOf();
        if (byteCount > Array.MaxLength || count * type.SizeOf() > Array.MaxLength)
            throw Invalid($"{what} has {count} elements ({count * type.SizeOf()} bytes), more than one tensor can hold");

        byte[] bytes;
        if (tensor.HasDataLocation && tensor.DataLocation == TensorProto.Types.DataLocation.External)
            bytes = _external.Read(tensor, what, byteCount);
        else if (tensor.HasRawData)
        {
            bytes = tensor.RawData.ToByteArray();
            if (bytes.Length != byteCount)
                throw Invalid($"{what} has {bytes.Length} bytes of raw_data, but {stored.Name()} {Shape.Format(dims)} needs {byteCount}");
        }
        else
            bytes = stored switch
            {
                DataType.Float16 or DataType.BFloat16 or DataType.UInt16 or DataType.Int16 => SixteenBitsFromInt32Data(tensor, count, what),
                DataType.UInt32 or DataType.UInt64 => FromUInt64Data(tensor, stored, count, what),
                _ => FromTypedFields(tensor, type, count, what),
            };

        return new TensorData(type, dims, stored == type ? bytes : StoredValueWidening.Widen(stored, bytes));
    }

    // The 16-bit types keep each value's bits in the low half of one int32_data entry.
    private static byte[] SixteenBitsFromInt32Data(TensorProto t, long count, string what)
    {
        if (t.Int32Data.Count != count)
            throw Invalid($"{what} has {t.Int32Data.Count} values in int32_data, but its shape needs {count}");
        var bytes = new byte[count * 2];
        for (int i = 0; i < count; i++) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), unchecked((ushort)t.Int32Data[i]));
        return bytes;
    }

    // UINT32 and UINT64 live in uint64_data.
    private static byte[] FromUInt64Data(TensorProto t, DataType stored, long count, string what)
    {
        if (t.Uint64Data.Count != count)
            throw Invalid($"{what} has {t.Uint64Data.Count} values in uint64_data, but its shape needs {count}");
        var bytes = new byte[count * stored.SizeOf()];
        for (int i = 0; i < count; i++)
        {
            if (stored == DataType.UInt32) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 * i), unchecked((uint)t.Uint64Data[i]));
            else BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8 * i), t.Uint64Data[i]);
        }
        return bytes;
    }

    private static int[] ReadDims(TensorProto tensor, string what)
    {
        var dims = new int[tensor.Dims.Count];
        long count = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            long d = tensor.Dims[i];
            if (d < 0 || d > int.MaxValue)
                throw Invalid($"{what} has dimension {d} at axis {i}");
            dims[i] = (int)d;
            // Stop before the element count can overflow; the caller reports a tensor this large.
            count = d == 0 ? 0 : Math.Min(count * d, (long)Array.MaxLength + 1);
        }
        if (count > Array.MaxLength)
            throw Invalid($"{what} has shape {Shape.Format(dims)}, more elements than one tensor can hold");
        return dims;
    }

    private static byte[] FromTypedFields(TensorProto t, DataType type, long count, string what)
    {
        var (field, present) = type switch
        {
            DataType.Float32 => ("float_data", (long)t.FloatData.Count),
            DataType.Float64 => ("double_data", t.DoubleData.Count),
            DataType.Int64 => ("int64_data", t.Int64Data.Count),
            _ => ("int32_data", t.Int32Data.Count), // int32, int8, uint8 and bool all live in int32_data
        };
        if (present != count)
            throw Invalid($"{what} has {present} values in {field}, but its shape needs {count}");

        var bytes = new byte[count * type.SizeOf()];
        switch (type)
        {
            case DataType.Float32: t.FloatData.ToArray().AsSpan().CopyTo(MemoryMarshal.Cast<byte, float>(bytes.AsSpan())); break;
            case DataType.Float64: t.DoubleData.ToArray().AsSpan().CopyTo(MemoryMarshal.Cast<byte, double>(bytes.AsSpan())); break;
            case DataType.Int64: t.Int64Data.ToArray().AsSpan().CopyTo(MemoryMarshal.Cast<byte, long>(bytes.AsSpan())); break;
            case DataType.Int32: t.Int32Data.ToArray().AsSpan().CopyTo(MemoryMarshal.Cast<byte, int>(bytes.AsSpan())); break;
            default:
                for (int i = 0; i < count; i++) bytes[i] = unchecked((byte)t.Int32Data[i]);
                break;
        }
        return bytes;
    }

    private static AtcException Invalid(string detail) => new(AtcErrors.InvalidModel(detail));

    /// <summary>Encodes little-endian element bytes for a value known as a double (scalars built by lowerings).</summary>
    public static TensorData Scalar(DataType type, double value)
    {
        var bytes = new byte[type.SizeOf()];
        switch (type)
        {
            case DataType.Float32: BinaryPrimitives.WriteSingleLittleEndian(bytes, (float)value); break;
            case DataType.Float64: BinaryPrimitives.WriteDoubleLittleEndian(bytes, value); break;
            case DataType.Int64: BinaryPrimitives.WriteInt64LittleEndian(bytes, (long)value); break;
            case DataType.Int32: BinaryPrimitives.WriteInt32LittleEndian(bytes, (int)value); break;
            case DataType.Int8: bytes[0] = unchecked((byte)(sbyte)value); break;
            default: bytes[0] = (byte)value; break;
        }
        return new TensorData(type, [], bytes);
    }
}
