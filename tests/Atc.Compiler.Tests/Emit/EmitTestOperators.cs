using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Execution;
using Atc.Runtime.Operators;

namespace Atc.Tests.Emit;

/// <summary>A few float32 test operators (Identity, Add with row broadcast, Reshape, Limit), independent of the real
/// kernels, so that emitter tests plan and run real .om files.</summary>
internal static class EmitTestOperators
{
    private static readonly Dictionary<string, IOperator> Ops = new IOperator[] { new Identity(), new Add(), new Reshape(), new Limit() }
        .ToDictionary(o => o.OpType);

    public static OperatorResolver Resolver { get; } = opType => Ops.GetValueOrDefault(opType);

    private sealed unsafe class Copy(long bytes) : IKernel
    {
        public long ScratchBytes => 0;
        public void Run(in KernelArgs args) => Buffer.MemoryCopy((void*)args.Inputs[0], (void*)args.Outputs[0], bytes, bytes);
    }

    private sealed class Identity : IOperator
    {
        public string OpType => "Identity";
        public TensorType[] InferOutputs(OpContext c) => [c.Input(0)];
        public IKernel CreateKernel(OpContext c, TensorType[] o) => new Copy(o[0].ByteCount);
    }

    private sealed class Limit : IOperator
    {
        public string OpType => "Limit";
        public TensorType[] InferOutputs(OpContext c) => c.Input(0).Dims[0] <= c.Attributes.GetInt("max", long.MaxValue)
            ? [c.Input(0)]
            : throw new ShapeException($"dimension 0 is {c.Input(0).Dims[0]}, above the limit");
        public IKernel CreateKernel(OpContext c, TensorType[] o) => new Copy(o[0].ByteCount);
    }

    private sealed class Reshape : IOperator
    {
        public string OpType => "Reshape";
        public TensorType[] InferOutputs(OpContext c)
        {
            var shape = c.RequireConstant(1, "shape").ToInt64Array();
            var dims = shape.Select(d => (int)d).ToArray();
            int unknown = Array.IndexOf(dims, -1);
            if (unknown >= 0) dims[unknown] = (int)(c.Input(0).ElementCount / -Shape.ElementCount(dims));
            return [new TensorType(c.Input(0).Type, dims)];
        }
        public IKernel CreateKernel(OpContext c, TensorType[] o) => new Copy(o[0].ByteCount);
    }

    /// <summary>a + b, b the same shape as a or one row broadcast over a's last axis.</summary>
    private sealed class Add : IOperator
    {
        public string OpType => "Add";
        public TensorType[] InferOutputs(OpContext c) => [new TensorType(DataType.Float32, Shape.Broadcast(c.Input(0).Dims, c.Input(1).Dims))];
        public IKernel CreateKernel(OpContext c, TensorType[] o) => new AddKernel(o[0].ElementCount, c.Input(1).ElementCount);
    }

    private sealed class AddKernel(long count, long rowLength) : IKernel
    {
        public long ScratchBytes => 0;
        public void Run(in KernelArgs args)
        {
            var a = args.Input<float>(0, count);
            var b = args.Input<float>(1, rowLength);
            var y = args.Output<float>(0, count);
            for (int i = 0; i < count; i++) y[i] = a[i] + b[(int)(i % rowLength)];
        }
    }
}
