using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Generate;

/// <summary>
/// EyeLike: input (2-D; only its shape is used); attrs dtype (a <see cref="DataType"/> code; default the input's
/// type), k (0). Ones on the diagonal j = i + k, zeros elsewhere.
/// </summary>
internal sealed class EyeLikeOperator() : Operator(OpTypes.EyeLike)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Any);
        if (x.Rank != 2) throw Error($"input must be 2-D, got {Shape.Format(x.Dims)}");
        return One(OutputType(context, x.Type), x.Dims);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var y = outputs[0];
        var one = One(y.Type);
        long k = context.Attributes.GetInt("k", 0);
        var bytes = new byte[y.ByteCount];
        for (long i = 0; i < y.Dims[0]; i++)
        {
            long j = i + k;
            if (j >= 0 && j < y.Dims[1]) one.CopyTo(bytes.AsSpan((int)((i * y.Dims[1] + j) * one.Length)));
        }
        return new ConstantKernel(bytes);
    }

    private DataType OutputType(OpContext context, DataType input)
    {
        if (!context.Attributes.Has("dtype")) return input;
        long code = context.Attributes.GetInt("dtype", 0);
        var type = (DataType)code;
        // Float16 and the other storage types are ones only Cast computes with.
        return DataTypes.IsDefined(type) && type != DataType.Float16 && !DataTypes.IsStorageOnly(type) ? type : throw Error($"dtype {code} is not a supported element type");
    }

    /// <summary>The bytes of 1 in an element type.</summary>
    private static byte[] One(DataType type) => type switch
    {
        DataType.Float32 => BitConverter.GetBytes(1f),
        DataType.Float64 => BitConverter.GetBytes(1d),
        DataType.Int32 => BitConverter.GetBytes(1),
        DataType.Int64 => BitConverter.GetBytes(1L),
        _ => [1],
    };
}
