using System.Numerics;
using System.Numerics.Tensors;
using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Elementwise.Binary;

/// <summary>Max, Min, Sum, Mean over one or more inputs, all broadcast together.</summary>
internal sealed class VariadicOperator(string opType) : Operator(opType)
{
    private DataType[] Supported => OpType == OpTypes.Mean ? Numeric.Floats : Numeric.Numbers;

    public override TensorType[] InferOutputs(OpContext context)
    {
        if (context.InputCount == 0) throw Error("needs at least one input");
        var dims = RequireType(context, 0, Supported).Dims;
        for (int i = 1; i < context.InputCount; i++)
        {
            var input = RequireType(context, i, Supported);
            try
            {
                dims = Shape.Broadcast(dims, input.Dims);
            }
            catch (ShapeException e)
            {
                throw Error($"input {i}: {e.Message}");
            }
        }
        RequireSameType(context, 0, context.InputCount);
        return One(context.Input(0).Type, dims);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var output = outputs[0];
        if (context.InputCount == 1) return new CopyKernel(output.ByteCount);
        var plans = new BroadcastPlan[context.InputCount - 1];
        plans[0] = BroadcastPlan.Create(output.Dims, context.Input(0).Dims, context.Input(1).Dims);
        for (int i = 2; i < context.InputCount; i++) plans[i - 1] = BroadcastPlan.Create(output.Dims, output.Dims, context.Input(i).Dims);
        double scale = OpType == OpTypes.Mean ? 1.0 / context.InputCount : 1.0;
        return OpType switch
        {
            OpTypes.Max => TypeDispatch.Number(output.Type, new Factory<MaxSelector>(plans, scale)),
            OpTypes.Min => TypeDispatch.Number(output.Type, new Factory<MinSelector>(plans, scale)),
            OpTypes.Sum or OpTypes.Mean => TypeDispatch.Number(output.Type, new Factory<SumSelector>(plans, scale)),
            _ => throw Error("not a variadic op"),
        };
    }

    private interface ISelector
    {
        static abstract IKernel Make<T>(BroadcastPlan[] plans, double scale) where T : unmanaged, INumber<T>;
    }

    private readonly struct Factory<TSelector>(BroadcastPlan[] plans, double scale) : INumberKernelFactory where TSelector : ISelector
    {
        public IKernel Create<T>() where T : unmanaged, INumber<T> => TSelector.Make<T>(plans, scale);
    }

    private readonly struct MaxSelector : ISelector
    {
        public static IKernel Make<T>(BroadcastPlan[] p, double s) where T : unmanaged, INumber<T> => new VariadicKernel<T, MaxOp<T>>(p, s);
    }

    private readonly struct MinSelector : ISelector
    {
        public static IKernel Make<T>(BroadcastPlan[] p, double s) where T : unmanaged, INumber<T> => new VariadicKernel<T, MinOp<T>>(p, s);
    }

    private readonly struct SumSelector : ISelector
    {
        public static IKernel Make<T>(BroadcastPlan[] p, double s) where T : unmanaged, INumber<T> => new VariadicKernel<T, AddOp<T>>(p, s);
    }
}

/// <summary>
/// Folds inputs pairwise into the output: out = op(in0, in1), then out = op(out, in_k) in place; Mean scales at the end.
/// </summary>
internal sealed unsafe class VariadicKernel<T, TOp>(BroadcastPlan[] plans, double scale) : IKernel
    where T : unmanaged, INumber<T> where TOp : IBinaryOp<T, T>
{
    private readonly BinaryKernel<T, T, TOp>[] _steps = [.. plans.Select(p => new BinaryKernel<T, T, TOp>(p))];
    private readonly long _count = plans[0].OutputCount;

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var output = (T*)args.Outputs[0];
        _steps[0].Execute((T*)args.Inputs[0], (T*)args.Inputs[1], output, args.Workers);
        for (int i = 1; i < _steps.Length; i++) _steps[i].Execute(output, (T*)args.Inputs[i + 1], output, args.Workers);
        if (scale != 1.0)
        {
            var span = new Span<T>(output, checked((int)_count));
            TensorPrimitives.Multiply(span, T.CreateTruncating(scale), span);
        }
    }
}
