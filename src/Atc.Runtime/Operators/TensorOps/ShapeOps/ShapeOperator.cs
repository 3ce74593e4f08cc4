using System.Runtime.InteropServices;
using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.ShapeOps;

/// <summary>Shape: → int64 [n], the input dims from attr start (0) to attr end (rank), clamped as ONNX-15 says.</summary>
internal sealed class ShapeOperator() : Operator(OpTypes.Shape)
{
    public override TensorType[] InferOutputs(OpContext context) => One(DataType.Int64, [Dims(context).Length]);

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs) =>
        new ConstantKernel(MemoryMarshal.AsBytes(Dims(context).Select(d => (long)d).ToArray().AsSpan()).ToArray());

    private int[] Dims(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Any);
        int rank = x.Rank;
        long start = context.Attributes.GetInt("start", 0);
        long end = context.Attributes.Has("end") ? context.Attributes.GetInt("end", rank) : rank;
        if (start < 0) start += rank;
        if (end < 0) end += rank;
        start = Math.Clamp(start, 0, rank);
        end = Math.Clamp(end, 0, rank);
        return end > start ? x.Dims[(int)start..(int)end] : [];
    }
}

/// <summary>Size: → int64 scalar, the element count.</summary>
internal sealed class SizeOperator() : Operator(OpTypes.Size)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        RequireType(context, 0, Numeric.Any);
        return One(DataType.Int64, []);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs) =>
        new ConstantKernel(BitConverter.GetBytes(context.Input(0).ElementCount));
}

/// <summary>ConstantOfShape: shape (constant int64) → tensor filled with attr "value" (1-element tensor; default float32 0).</summary>
internal sealed class ConstantOfShapeOperator() : Operator(OpTypes.ConstantOfShape)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        long[] shape = ConstantInts(context, 0, "shape");
        if (shape.Any(s => s < 0 || s > int.MaxValue)) throw Error($"shape {Shape.Format(shape)} has an invalid dim");
        var value = Value(context);
        return One(value.Type, [.. shape.Select(s => (int)s)]);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var value = Value(context);
        return TypeDispatch.Move(value.Type.SizeOf(), new Factory(value.Bytes.ToArray(), outputs[0].ElementCount));
    }

    private TensorData Value(OpContext context)
    {
        var value = context.Attributes.GetTensor("value") ?? TensorData.Scalar(0f);
        if (value.ElementCount != 1) throw Error($"attribute 'value' must hold one element, got {Shape.Format(value.Dims)}");
        return value;
    }

    private readonly struct Factory(byte[] value, long count) : IMoveKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged => new FillKernel<T>(MemoryMarshal.Read<T>(value), count);
    }
}

internal sealed unsafe class FillKernel<T>(T value, long count) : IKernel where T : unmanaged
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args) => new Span<T>((void*)args.Outputs[0], checked((int)count)).Fill(value);
}
