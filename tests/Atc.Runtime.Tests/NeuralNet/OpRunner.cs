using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.Operators;
using Atc.Runtime.Threading;

namespace Atc.Tests.NeuralNet;

/// <summary>One operator input for a test: dims, values, and whether the compiler would know it as a constant.</summary>
internal sealed record TestInput(int[] Dims, float[] Data, bool Constant = false)
{
    public TensorType Type => new(DataType.Float32, Dims);
}

/// <summary>
/// Runs one operator the way the runtime does: builds the OpContext, infers the output, creates the kernel
/// (optionally for a lower instruction set), and runs it on pinned arrays with real scratch memory.
/// </summary>
internal static unsafe class OpRunner
{
    internal static readonly object IsaGate = new();
    private static readonly Lazy<WorkerPool> TwoThreads = new(() => new WorkerPool(2));

    public static IWorkerPool Pool(int threads) => threads == 1 ? InlineWorkerPool.Instance : TwoThreads.Value;

    public static OpContext Context(string opType, OpAttributes attributes, TestInput?[] inputs, int outputCount = 1)
        => new("node", opType, attributes,
            inputs.Select(i => i?.Type).ToList(),
            inputs.Select(i => i is { Constant: true } ? TensorData.Float(i.Dims, i.Data) : null).ToList(),
            outputCount);

    public static TensorType Infer(string opType, OpAttributes attributes, params TestInput?[] inputs)
        => OperatorRegistry.Get(opType).InferOutputs(Context(opType, attributes, inputs))[0];

    /// <summary>Bytes the calling thread allocates in one Run, after a warm-up Run (single-threaded).</summary>
    public static long AllocatedBytesPerRun(string opType, OpAttributes attributes, TestInput?[] inputs)
    {
        var op = OperatorRegistry.Get(opType);
        var context = Context(opType, attributes, inputs);
        var outputs = op.InferOutputs(context);
        var kernel = op.CreateKernel(context, outputs);
        var pinned = inputs.Select(i => i is null ? null : GC.AllocateArray<float>(Math.Max(1, i.Data.Length), pinned: true)).ToArray();
        for (int i = 0; i < inputs.Length; i++) inputs[i]?.Data.CopyTo(pinned[i]!, 0);
        var y = GC.AllocateArray<float>((int)Math.Max(1, outputs[0].ElementCount), pinned: true);
        var scratch = GC.AllocateArray<byte>((int)Math.Max(1, kernel.ScratchBytes), pinned: true);
        nint[] inputPointers = pinned.Select(a => a is null ? 0 : (nint)Unsafe.AsPointer(ref a[0])).ToArray();
        nint[] outputPointers = [(nint)Unsafe.AsPointer(ref y[0])];
        nint scratchPointer = (nint)Unsafe.AsPointer(ref scratch[0]);
        kernel.Run(new KernelArgs(inputPointers, outputPointers, scratchPointer, InlineWorkerPool.Instance));
        long before = GC.GetAllocatedBytesForCurrentThread();
        kernel.Run(new KernelArgs(inputPointers, outputPointers, scratchPointer, InlineWorkerPool.Instance));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(pinned);
        GC.KeepAlive(y);
        GC.KeepAlive(scratch);
        return allocated;
    }

    public static (float[] Data, int[] Dims) Run(string opType, OpAttributes attributes, TestInput?[] inputs,
        int threads = 1, Isa? isa = null)
    {
        var op = OperatorRegistry.Get(opType);
        var context = Context(opType, attributes, inputs);
        var outputs = op.InferOutputs(context);
        IKernel kernel;
        lock (IsaGate)
        {
            KernelIsa.Override = isa;
            try { kernel = op.CreateKernel(context, outputs); }
            finally { KernelIsa.Override = null; }
        }

        var handles = new List<GCHandle>();
        try
        {
            nint Pin(Array a)
            {
                var h = GCHandle.Alloc(a, GCHandleType.Pinned);
                handles.Add(h);
                return h.AddrOfPinnedObject();
            }
            var inputPointers = inputs.Select(i => i is null ? 0 : Pin(i.Data.Length == 0 ? new float[1] : i.Data)).ToArray();
            // Poison outputs and scratch so a kernel that forgets to write (or reads stale scratch) is caught.
            var y = new float[Math.Max(1, outputs[0].ElementCount)];
            Array.Fill(y, float.NaN);
            var scratch = new byte[Math.Max(1, kernel.ScratchBytes)];
            Array.Fill(scratch, (byte)0xFF);
            nint[] outputPointers = [Pin(y)];
            var args = new KernelArgs(inputPointers, outputPointers, kernel.ScratchBytes > 0 ? Pin(scratch) : 0, Pool(threads));
            kernel.Run(args);
            return (y.AsSpan(0, (int)outputs[0].ElementCount).ToArray(), outputs[0].Dims);
        }
        finally
        {
            foreach (var h in handles) h.Free();
        }
    }
}

/// <summary>Random test data and layout helpers.</summary>
internal static class TestData
{
    public static float[] Random(int seed, long count, float scale = 1f)
    {
        var r = new Random(seed);
        var v = new float[count];
        for (long i = 0; i < count; i++) v[i] = (float)(r.NextDouble() * 2 - 1) * scale;
        return v;
    }

    public static int Count(int[] dims) => (int)Shape.ElementCount(dims);

    /// <summary>[N, C, spatial...] data to [N, spatial..., C].</summary>
    public static float[] ToChannelsLast(float[] data, int[] dims)
    {
        int n = dims[0], c = dims[1], pixels = Count(dims) / (n * c);
        var r = new float[data.Length];
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int p = 0; p < pixels; p++) r[((long)b * pixels + p) * c + ch] = data[((long)b * c + ch) * pixels + p];
        return r;
    }

    public static int[] ChannelsLastDims(int[] dims) => [dims[0], .. dims[2..], dims[1]];
}

/// <summary>Comparison with the tolerance of the kernels: relative 1e-5 of the largest expected magnitude.</summary>
internal static class TensorAssert
{
    public static void Close(double[] expected, float[] actual, double relative = 1e-5, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Length == 0 ? 1 : Math.Max(expected.Max(Math.Abs), 1e-30);
        double tolerance = relative * scale + 1e-30;
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - actual[i]);
            if (!(error <= tolerance))
                Assert.Fail($"{what} element {i}: expected {expected[i]:G9}, got {actual[i]:G9} (error {error:G3}, tolerance {tolerance:G3})");
        }
    }

    public static void Close(float[] expected, float[] actual, double relative = 1e-5, string what = "")
        => Close(expected.Select(v => (double)v).ToArray(), actual, relative, what);
}
