using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Elementwise.Binary;

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
        ParallelRange.For(args.Workers, plan.WorkItems, plan.SegmentLength, ref body);
    }

    private readonly struct Body(BroadcastPlan plan, byte* condition, T* x, T* y, T* output) : IRangeBody
    {
        public void Run(long start, long end)
        {
            int cs = plan.InnerIsVector(0) ? 1 : 0, xs = plan.InnerIsVector(1) ? 1 : 0, ys = plan.InnerIsVector(2) ? 1 : 0;
            Span<int> index = stackalloc int[plan.OuterRank];
            Span<long> offsets = stackalloc long[3];
            for (long item = start; item < end; item++)
            {
                var (row, first, length) = plan.Segment(item);
                if (item == start || plan.Segments > 1) plan.Seek(row, index, offsets);
                byte* c = condition + offsets[0] + first * cs;
                T* px = x + offsets[1] + first * xs, py = y + offsets[2] + first * ys, d = output + row * plan.Inner + first;
                for (int i = 0; i < length; i++) d[i] = c[i * cs] != 0 ? px[i * xs] : py[i * ys];
                if (plan.Segments == 1) plan.Next(index, offsets);
            }
        }
    }
}
