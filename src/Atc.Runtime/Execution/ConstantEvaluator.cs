using System.Buffers;
using Atc.Runtime.Operators;

namespace Atc.Runtime.Execution;

/// <summary>
/// Runs one operator's kernel on constant inputs, exactly as a run would: the one evaluator behind the compiler's
/// constant folding and the planner's per-gear folding, with one size cap for both.
/// </summary>
internal static class ConstantEvaluator
{
    /// <summary>The most bytes one node's outputs may take to be evaluated ahead of a run; above it the node stays a
    /// step (a folded result is stored: in the .om's weights, or in each gear's plan).</summary>
    public const long MaxOutputBytes = 16L << 20;

    /// <summary>
    /// The cap for the planner's per-gear folding: its results are stored once per gear (not once per model), and
    /// what it folds beyond compile-time folding is shape arithmetic and small tails, so it stays small.
    /// </summary>
    public const long MaxPerGearOutputBytes = 16L << 10;

    /// <summary>The cap for ops that expand a small input into a large output: cheaper to run than to store.</summary>
    public const long MaxExpandedOutputBytes = 64L << 10;

    private static readonly HashSet<string> ExpandingOps = new(StringComparer.Ordinal)
    {
        OpTypes.ConstantOfShape, OpTypes.Expand, OpTypes.Tile, OpTypes.Range,
    };

    /// <summary>
    /// The most iterations a Loop may run to be evaluated ahead of a run. Its trip count comes from the file, and the
    /// cap on output bytes does not bound the work of a Loop without scan outputs: folding a hostile M = 2^62 would hang
    /// the compiler or <c>Load</c>, while a run of the same Loop can be cancelled (its kernel checks the token).
    /// </summary>
    public const long MaxFoldedLoopIterations = 4096;

    /// <summary>Whether evaluating the node ahead of a run does bounded work: a Loop needs a constant trip count within
    /// <see cref="MaxFoldedLoopIterations"/> (without one, only its condition stops it).</summary>
    public static bool RunsBounded(OpContext context)
        => context.OpType != OpTypes.Loop
           || context.HasInput(0) && context.Constant(0) is { Type: DataType.Int64, ElementCount: 1 } m
              && m.AsSpan<long>()[0] <= MaxFoldedLoopIterations;

    /// <summary>The cap that applies to <paramref name="opType"/>, at most <paramref name="maxOutputBytes"/>.</summary>
    public static long CapFor(string opType, long maxOutputBytes = MaxOutputBytes)
        => ExpandingOps.Contains(opType) ? Math.Min(maxOutputBytes, MaxExpandedOutputBytes) : maxOutputBytes;

    /// <summary>All outputs' bytes, saturating: dims from a file (an Expand to [2^31-1, 2^31-1, 4]) would wrap
    /// <see cref="TensorType.ByteCount"/> to a small number, and the kernel would then write past the buffer.</summary>
    public static long OutputBytes(IEnumerable<TensorType> outputs)
    {
        long total = 0;
        foreach (var t in outputs)
        {
            long bytes = SaturatedByteCount(t);
            total = total > long.MaxValue - bytes ? long.MaxValue : total + bytes;
        }
        return total;
    }

    /// <summary>Creates the kernel for <paramref name="context"/> (whose inputs are all constant) and runs it on the
    /// calling thread; returns one tensor per entry of <paramref name="outputs"/>. Callers check the cap first.</summary>
    public static unsafe TensorData[] Run(IOperator op, OpContext context, TensorType[] outputs)
    {
        var kernel = op.CreateKernel(context, outputs);

        var pins = new MemoryHandle[context.InputCount];
        var inputPointers = new nint[context.InputCount];
        var outputBuffers = new byte[outputs.Length][];
        var outputPointers = new nint[outputs.Length];
        try
        {
            for (int i = 0; i < context.InputCount; i++)
            {
                if (context.Constant(i) is not { } data) continue;
                pins[i] = data.Bytes.Pin();
                inputPointers[i] = (nint)pins[i].Pointer;
            }
            // Buffers on the pinned object heap keep their address while the kernel writes through raw pointers.
            for (int i = 0; i < outputs.Length; i++)
            {
                outputBuffers[i] = GC.AllocateArray<byte>(checked((int)outputs[i].ByteCount), pinned: true);
                outputPointers[i] = ExecutionPlanner.AddressOf(outputBuffers[i]);
            }
            byte[] scratch = GC.AllocateArray<byte>(checked((int)Math.Max(0, kernel.ScratchBytes)), pinned: true);

            kernel.Run(new KernelArgs(inputPointers, outputPointers, ExecutionPlanner.AddressOf(scratch), InlineWorkerPool.Instance));
            // Only a raw pointer to the scratch reaches the kernel: keep the array alive until it has returned.
            GC.KeepAlive(scratch);
        }
        finally
        {
            foreach (var pin in pins) pin.Dispose();
        }

        var results = new TensorData[outputs.Length];
        for (int i = 0; i < outputs.Length; i++)
            results[i] = new TensorData(outputs[i].Type, outputs[i].Dims, outputBuffers[i]);
        return results;
    }

    private static long SaturatedByteCount(TensorType t)
    {
        long bytes = t.Type.SizeOf();
        foreach (int d in t.Dims)
        {
            if (d <= 0) return d == 0 ? 0 : long.MaxValue;
            bytes = bytes > long.MaxValue / d ? long.MaxValue : bytes * d;
        }
        return bytes;
    }
}
