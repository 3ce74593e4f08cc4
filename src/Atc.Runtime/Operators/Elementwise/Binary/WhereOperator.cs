using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Elementwise;

/// <summary>Where: condition (bool), X, Y (same type, any) → broadcast select.</summary>
internal sealed class WhereOperator() : Operator(OpTypes.Where)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var condition = RequireType(context, 0, Numeric.Bool);
        var x = RequireType(context, 1, Numeric.Any);
        var y = RequireType(context, 2, Numeric.Any);
        RequireSameType(context, 1, 2);
        try
        {
            return One(x.Type, Shape.Broadcast(Shape.Broadcast(condition.Dims, x.Dims), y.Dims));
        }
        catch (ShapeException e)
        {
            throw Error(e.Message);
        }
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var plan = BroadcastPlan.Create(outputs[0].Dims, context.Input(0).Dims, context.Input(1).Dims, context.Input(2).Dims);
        return TypeDispatch.Move(outputs[0].Type.SizeOf(), new Factory(plan));
    }

    private readonly struct Factory(BroadcastPlan plan) : IMoveKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged => new WhereKernel<T>(plan);
    }
}

internal sealed unsafe class WhereKernel<T>(BroadcastPlan plan) : IKernel where T : unmanaged
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var body = new Body(plan, (byte*)args.Inputs[0], (T*)args.Inputs[1], (T*)args.Inputs[2], (T*)args.Outputs[0]);
        ParallelRange.For(args.Workers, plan.OuterCount, plan.Inner, ref body);
    }

    private readonly struct Body(BroadcastPlan plan, byte* condition, T* x, T* y, T* output) : IRangeBody
    {
        public void Run(long start, long end)
        {
            int inner = plan.Inner;
            int cs = plan.InnerIsVector(0) ? 1 : 0, xs = plan.InnerIsVector(1) ? 1 : 0, ys = plan.InnerIsVector(2) ? 1 : 0;
            Span<int> index = stackalloc int[plan.OuterRank];
            Span<long> offsets = stackalloc long[3];
            plan.Seek(start, index, offsets);
            for (long row = start; row < end; row++)
            {
                byte* c = condition + offsets[0];
                T* px = x + offsets[1], py = y + offsets[2], d = output + row * inner;
                for (int i = 0; i < inner; i++) d[i] = c[i * cs] != 0 ? px[i * xs] : py[i * ys];
                plan.Next(index, offsets);
            }
        }
    }
}
