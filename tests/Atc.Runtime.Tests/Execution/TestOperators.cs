using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Execution;
using Atc.Runtime.Operators;

namespace Atc.Tests.Execution;

/// <summary>
/// A tiny operator set for planner and session tests, independent of the real kernels: Identity, Add (float32,
/// broadcasting), Reshape, Shape (must be folded: its kernel throws), Split2 (halves along axis 0), Limit (rejects
/// a first dimension above attr "max"), Double (x*2 through scratch memory). Counts kernel runs per op type.
/// </summary>
internal sealed class TestOperators
{
    private readonly Dictionary<string, IOperator> _ops;

    public TestOperators()
    {
        IOperator[] ops = [new IdentityOp(this), new AddOp(this), new ReshapeOp(this), new ShapeOp(), new Split2Op(this), new LimitOp(this), new DoubleOp(this)];
        _ops = ops.ToDictionary(o => o.OpType);
        _slot = ops.Select((o, i) => (o.OpType, i)).ToDictionary(p => p.OpType, p => p.i);
        _runs = new int[ops.Length];
    }

    private readonly Dictionary<string, int> _slot;
    private readonly int[] _runs;

    public OperatorResolver Resolver => opType => _ops.GetValueOrDefault(opType);
    public int RunsOf(string opType) => Volatile.Read(ref _runs[_slot[opType]]);

    private int _doubleKernelsCreated;
    /// <summary>Kernels the Double operator has made (one per gear that has a Double step).</summary>
    public int DoubleKernelsCreated => Volatile.Read(ref _doubleKernelsCreated);

    /// <summary>Counts without allocating, so that tests can check that a run allocates nothing.</summary>
    private void Count(string opType) => Interlocked.Increment(ref _runs[_slot[opType]]);

    private sealed unsafe class CopyKernel(TestOperators owner, string opType, long bytes) : IKernel
    {
        public long ScratchBytes => 0;
        public void Run(in KernelArgs args)
        {
            owner.Count(opType);
            Buffer.MemoryCopy((void*)args.Inputs[0], (void*)args.Outputs[0], bytes, bytes);
        }
    }

    private sealed class IdentityOp(TestOperators owner) : IOperator
    {
        public string OpType => "Identity";
        public TensorType[] InferOutputs(OpContext c) => [c.Input(0)];
        public IKernel CreateKernel(OpContext c, TensorType[] o) => new CopyKernel(owner, OpType, o[0].ByteCount);
    }

    private sealed class LimitOp(TestOperators owner) : IOperator
    {
        public string OpType => "Limit";
        public TensorType[] InferOutputs(OpContext c)
        {
            long max = c.Attributes.GetInt("max", long.MaxValue);
            if (c.Input(0).Dims[0] > max) throw new ShapeException($"dimension 0 is {c.Input(0).Dims[0]}, more than {max}");
            return [c.Input(0)];
        }
        public IKernel CreateKernel(OpContext c, TensorType[] o) => new CopyKernel(owner, OpType, o[0].ByteCount);
    }

    private sealed class ReshapeOp(TestOperators owner) : IOperator
    {
        public string OpType => "Reshape";
        public TensorType[] InferOutputs(OpContext c)
        {
            var input = c.Input(0);
            long[] shape = c.RequireConstant(1, "shape").ToInt64Array();
            var dims = new int[shape.Length];
            int unknown = -1;
            long known = 1;
            for (int i = 0; i < shape.Length; i++)
            {
                if (shape[i] == -1) { unknown = i; continue; }
                dims[i] = shape[i] == 0 ? input.Dims[i] : (int)shape[i];
                known *= dims[i];
            }
            if (unknown >= 0) dims[unknown] = (int)(input.ElementCount / known);
            if (Shape.ElementCount(dims) != input.ElementCount)
                throw new ShapeException($"cannot reshape {input} to {Shape.Format(shape)}");
            return [new TensorType(input.Type, dims)];
        }
        public IKernel CreateKernel(OpContext c, TensorType[] o) => new CopyKernel(owner, OpType, o[0].ByteCount);
    }

    private sealed class ShapeOp : IOperator
    {
        public string OpType => "Shape";
        public TensorType[] InferOutputs(OpContext c)
        {
            int rank = c.Input(0).Rank;
            long s = c.Attributes.GetInt("start", 0), e = c.Attributes.GetInt("end", rank);
            long start = Math.Clamp(s < 0 ? s + rank : s, 0, rank);
            long end = Math.Clamp(e < 0 ? e + rank : e, 0, rank);
            return [new TensorType(DataType.Int64, [(int)Math.Max(0, end - start)])];
        }
        public IKernel CreateKernel(OpContext c, TensorType[] o) => throw new InvalidOperationException("Shape must be folded by the planner");
    }

    private sealed class AddOp(TestOperators owner) : IOperator
    {
        public string OpType => "Add";
        public TensorType[] InferOutputs(OpContext c)
        {
            if (c.Input(0).Type != DataType.Float32 || c.Input(1).Type != DataType.Float32) throw new ShapeException("Add takes float32");
            return [new TensorType(DataType.Float32, Shape.Broadcast(c.Input(0).Dims, c.Input(1).Dims))];
        }
        public IKernel CreateKernel(OpContext c, TensorType[] o) => new AddKernel(owner, c.Input(0).Dims, c.Input(1).Dims, o[0].Dims);
    }

    private sealed class AddKernel(TestOperators owner, int[] a, int[] b, int[] output) : IKernel
    {
        private readonly int[] _aStrides = BroadcastStrides(a, output.Length);
        private readonly int[] _bStrides = BroadcastStrides(b, output.Length);

        public long ScratchBytes => 0;

        public void Run(in KernelArgs args)
        {
            owner.Count("Add");
            int count = (int)Shape.ElementCount(output);
            var x = args.Input<float>(0, Shape.ElementCount(a));
            var y = args.Input<float>(1, Shape.ElementCount(b));
            var z = args.Output<float>(0, count);
            Span<int> index = stackalloc int[output.Length];
            for (int i = 0; i < count; i++)
            {
                int ia = 0, ib = 0;
                for (int d = 0; d < output.Length; d++) { ia += index[d] * _aStrides[d]; ib += index[d] * _bStrides[d]; }
                z[i] = x[ia] + y[ib];
                for (int d = output.Length - 1; d >= 0; d--)
                {
                    if (++index[d] < output[d]) break;
                    index[d] = 0;
                }
            }
        }

        private static int[] BroadcastStrides(int[] dims, int rank)
        {
            var strides = Shape.Strides(dims);
            var result = new int[rank];
            for (int d = 0; d < dims.Length; d++)
                result[rank - dims.Length + d] = dims[d] == 1 ? 0 : strides[d];
            return result;
        }
    }

    private sealed class Split2Op(TestOperators owner) : IOperator
    {
        public string OpType => "Split2";
        public TensorType[] InferOutputs(OpContext c)
        {
            var t = c.Input(0);
            if (t.Dims[0] % 2 != 0) throw new ShapeException($"dimension 0 ({t.Dims[0]}) is odd");
            int[] half = [t.Dims[0] / 2, .. t.Dims[1..]];
            return [new TensorType(t.Type, half), new TensorType(t.Type, half)];
        }
        public IKernel CreateKernel(OpContext c, TensorType[] o) => new Split2Kernel(owner, o[0].ByteCount);
    }

    private sealed unsafe class Split2Kernel(TestOperators owner, long half) : IKernel
    {
        public long ScratchBytes => 0;
        public void Run(in KernelArgs args)
        {
            owner.Count("Split2");
            Buffer.MemoryCopy((void*)args.Inputs[0], (void*)args.Outputs[0], half, half);
            Buffer.MemoryCopy((byte*)args.Inputs[0] + half, (void*)args.Outputs[1], half, half);
        }
    }

    private sealed class DoubleOp(TestOperators owner) : IOperator
    {
        public string OpType => "Double";
        public TensorType[] InferOutputs(OpContext c) => [c.Input(0)];
        public IKernel CreateKernel(OpContext c, TensorType[] o)
        {
            Interlocked.Increment(ref owner._doubleKernelsCreated);
            return new DoubleKernel(owner, o[0].ElementCount);
        }
    }

    /// <summary>Goes through scratch memory so that tests see the session provide it.</summary>
    private sealed class DoubleKernel(TestOperators owner, long count) : IKernel
    {
        public long ScratchBytes => count * sizeof(float);
        public unsafe void Run(in KernelArgs args)
        {
            owner.Count("Double");
            var scratch = new Span<float>((void*)args.Scratch, (int)count);
            var x = args.Input<float>(0, count);
            for (int i = 0; i < count; i++) scratch[i] = x[i] * 2;
            scratch.CopyTo(args.Output<float>(0, count));
        }
    }
}
