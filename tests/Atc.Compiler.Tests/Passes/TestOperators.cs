using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Tests.Passes;

/// <summary>Operators written for the folding tests, so that they do not depend on which runtime kernels exist.</summary>
internal static class TestOperators
{
    public static Func<string, IOperator?> Lookup(params IOperator[] operators)
        => opType => operators.FirstOrDefault(o => o.OpType == opType);

    /// <summary>Float32 addition of two tensors of the same shape; asks for scratch to check it is provided.</summary>
    public sealed class SameShapeAdd : IOperator
    {
        public int KernelsCreated { get; private set; }
        public string OpType => OpTypes.Add;

        public TensorType[] InferOutputs(OpContext context)
        {
            if (!context.Input(0).Equals(context.Input(1)))
                throw new ShapeException($"{context.Input(0)} and {context.Input(1)} differ");
            return [context.Input(0)];
        }

        public IKernel CreateKernel(OpContext context, TensorType[] outputs)
        {
            KernelsCreated++;
            return new Kernel(outputs[0].ElementCount);
        }

        private sealed class Kernel(long count) : IKernel
        {
            public long ScratchBytes => count * sizeof(float);

            public void Run(in KernelArgs args)
            {
                var a = args.Input<float>(0, count);
                var b = args.Input<float>(1, count);
                var y = args.Output<float>(0, count);
                Span<float> scratch;
                unsafe { scratch = new Span<float>((void*)args.Scratch, (int)count); }
                for (int i = 0; i < count; i++) scratch[i] = a[i] + b[i];
                scratch.CopyTo(y);
            }
        }
    }

    /// <summary>Splits a 1-D float32 tensor of even length into its two halves: two outputs.</summary>
    public sealed class Halves : IOperator
    {
        public string OpType => OpTypes.Split;

        public TensorType[] InferOutputs(OpContext context)
        {
            int n = context.Input(0).Dims[0] / 2;
            return [new TensorType(DataType.Float32, [n]), new TensorType(DataType.Float32, [n])];
        }

        public IKernel CreateKernel(OpContext context, TensorType[] outputs) => new Kernel(outputs[0].ElementCount);

        private sealed class Kernel(long half) : IKernel
        {
            public long ScratchBytes => 0;

            public void Run(in KernelArgs args)
            {
                var x = args.Input<float>(0, half * 2);
                x[..(int)half].CopyTo(args.Output<float>(0, half));
                x[(int)half..].CopyTo(args.Output<float>(1, half));
            }
        }
    }

    /// <summary>Fills a float32 tensor of the constant int64 shape with ones (an expanding op).</summary>
    public sealed class Ones : IOperator
    {
        public string OpType => OpTypes.ConstantOfShape;

        public TensorType[] InferOutputs(OpContext context)
            => [new TensorType(DataType.Float32, Array.ConvertAll(context.RequireConstant(0, "shape").ToInt64Array(), d => (int)d))];

        public IKernel CreateKernel(OpContext context, TensorType[] outputs) => new Kernel(outputs[0].ElementCount);

        private sealed class Kernel(long count) : IKernel
        {
            public long ScratchBytes => 0;
            public void Run(in KernelArgs args) => args.Output<float>(0, count).Fill(1f);
        }
    }
}
