using System.Runtime.InteropServices;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Tests.Ops;

/// <summary>
/// Runs one operator the way the runtime does: builds an <see cref="OpContext"/>, infers outputs, creates the kernel
/// and runs it on pinned buffers. Output buffers carry guard bytes after the end so overruns fail the test.
/// </summary>
internal static class OpTester
{
    private const int Guard = 64;
    private const byte GuardByte = 0xCD;

    /// <summary>Runs with every input constant (as at compile-time folding).</summary>
    public static TensorData Run(string opType, OpAttributes? attributes, params TensorData?[] inputs) =>
        RunMany(opType, attributes, inputs, constant: null, outputCount: 1)[0];

    /// <summary>Runs with no input constant except those flagged (as at run time).</summary>
    public static TensorData RunDynamic(string opType, OpAttributes? attributes, bool[] constant, params TensorData?[] inputs) =>
        RunMany(opType, attributes, inputs, constant, outputCount: 1)[0];

    public static TensorData[] RunMany(string opType, OpAttributes? attributes, TensorData?[] inputs, bool[]? constant,
        int outputCount, IWorkerPool? workers = null)
    {
        var context = Context(opType, attributes, inputs, constant, outputCount);
        var op = OperatorRegistry.Get(opType);
        var outputs = op.InferOutputs(context);
        Assert.Equal(outputCount, outputs.Length);
        var kernel = op.CreateKernel(context, outputs);
        return Execute(kernel, inputs, outputs, workers ?? InlineWorkerPool.Instance);
    }

    public static TensorType[] Infer(string opType, OpAttributes? attributes, params TensorData?[] inputs) =>
        OperatorRegistry.Get(opType).InferOutputs(Context(opType, attributes, inputs, null, 1));

    public static TensorType[] InferTypes(string opType, OpAttributes? attributes, params TensorType?[] inputs) =>
        OperatorRegistry.Get(opType).InferOutputs(new OpContext("test", opType, attributes ?? new OpAttributes(), inputs,
            new TensorData?[inputs.Length], 1));

    /// <summary>Asserts that shape inference fails and that the message mentions every given fragment.</summary>
    public static ShapeException ShapeError(string opType, OpAttributes? attributes, TensorData?[] inputs, params string[] mentions)
    {
        var e = Assert.Throws<ShapeException>(() => Infer(opType, attributes, inputs));
        foreach (var m in mentions) Assert.Contains(m, e.Message);
        return e;
    }

    public static OpContext Context(string opType, OpAttributes? attributes, TensorData?[] inputs, bool[]? constant, int outputCount)
    {
        var types = inputs.Select(t => t is null ? null : new TensorType(t.Type, t.Dims)).ToArray();
        var constants = inputs.Select((t, i) => constant is null || (i < constant.Length && constant[i]) ? t : null).ToArray();
        return new OpContext("test", opType, attributes ?? new OpAttributes(), types, constants, outputCount);
    }

    private static unsafe TensorData[] Execute(IKernel kernel, TensorData?[] inputs, TensorType[] outputs, IWorkerPool workers)
    {
        var handles = new List<GCHandle>();
        try
        {
            var inputPointers = new nint[inputs.Length];
            for (int i = 0; i < inputs.Length; i++)
            {
                if (inputs[i] is null) continue;
                var bytes = inputs[i]!.Bytes.ToArray();
                if (bytes.Length == 0) bytes = new byte[1];
                var h = GCHandle.Alloc(bytes, GCHandleType.Pinned);
                handles.Add(h);
                inputPointers[i] = h.AddrOfPinnedObject();
            }
            var outputBuffers = outputs.Select(o => Enumerable.Repeat(GuardByte, (int)o.ByteCount + Guard).ToArray()).ToArray();
            var outputPointers = new nint[outputs.Length];
            for (int i = 0; i < outputs.Length; i++)
            {
                var h = GCHandle.Alloc(outputBuffers[i], GCHandleType.Pinned);
                handles.Add(h);
                outputPointers[i] = h.AddrOfPinnedObject();
            }
            var scratch = new byte[Math.Max(1, kernel.ScratchBytes)];
            var sh = GCHandle.Alloc(scratch, GCHandleType.Pinned);
            handles.Add(sh);
            kernel.Run(new KernelArgs(inputPointers, outputPointers, sh.AddrOfPinnedObject(), workers));
            var results = new TensorData[outputs.Length];
            for (int i = 0; i < outputs.Length; i++)
            {
                int n = (int)outputs[i].ByteCount;
                Assert.True(outputBuffers[i].AsSpan(n).IndexOfAnyExcept(GuardByte) < 0, $"kernel wrote past the end of output {i}");
                results[i] = new TensorData(outputs[i].Type, outputs[i].Dims, outputBuffers[i].AsSpan(0, n).ToArray());
            }
            return results;
        }
        finally
        {
            foreach (var h in handles) h.Free();
        }
    }
}

/// <summary>Runs parallel bodies on real threads (chunk boundaries get exercised).</summary>
internal sealed class ThreadedPool(int threads) : IWorkerPool
{
    public int ThreadCount => threads;

    public void For<TBody>(int count, ref TBody body) where TBody : struct, IParallelBody
    {
        var copy = body;
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => copy.Invoke(i));
    }
}

/// <summary>Tensor constructors and comparisons for operator tests.</summary>
internal static class T
{
    public static TensorData F(int[] dims, params float[] values) => TensorData.Float(dims, values);
    public static TensorData D(int[] dims, params double[] values) => TensorData.FromArray(DataType.Float64, dims, values);
    public static TensorData L(int[] dims, params long[] values) => TensorData.Int64(dims, values);
    public static TensorData I(int[] dims, params int[] values) => TensorData.FromArray(DataType.Int32, dims, values);
    public static TensorData U8(int[] dims, params byte[] values) => TensorData.FromArray(DataType.UInt8, dims, values);
    public static TensorData B(int[] dims, params bool[] values) => TensorData.FromArray(DataType.Bool, dims, values);
    public static TensorData Longs(params long[] values) => TensorData.Int64([values.Length], values);

    /// <summary>0, 1, 2, ... as float32 of the given dims.</summary>
    public static TensorData Iota(params int[] dims) =>
        F(dims, Enumerable.Range(0, (int)Shape.ElementCount(dims)).Select(i => (float)i).ToArray());

    /// <summary>Deterministic pseudo-random floats in [-range, range).</summary>
    public static TensorData Random(int seed, int[] dims, float range = 1f)
    {
        var r = new Random(seed);
        return F(dims, Enumerable.Range(0, (int)Shape.ElementCount(dims)).Select(_ => (float)(r.NextDouble() * 2 - 1) * range).ToArray());
    }

    public static OpAttributes Attrs(params (string Name, AttributeValue Value)[] values)
    {
        var a = new OpAttributes();
        foreach (var (n, v) in values) a.Set(n, v);
        return a;
    }

    public static void Dims(int[] expected, TensorData actual) =>
        Assert.True(expected.AsSpan().SequenceEqual(actual.Dims), $"dims {Shape.Format(actual.Dims)}, expected {Shape.Format(expected)}");

    public static void Close(float[] expected, TensorData actual, float tolerance = 1e-5f)
    {
        Assert.Equal(DataType.Float32, actual.Type);
        var a = actual.AsSpan<float>();
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            bool ok = float.IsNaN(expected[i]) ? float.IsNaN(a[i])
                : expected[i] == a[i] || Math.Abs(expected[i] - a[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i]));
            Assert.True(ok, $"element {i}: expected {expected[i]}, got {a[i]}");
        }
    }

    public static void Close(int[] dims, float[] expected, TensorData actual, float tolerance = 1e-5f)
    {
        Dims(dims, actual);
        Close(expected, actual, tolerance);
    }

    public static void Equal<TValue>(DataType type, int[] dims, TValue[] expected, TensorData actual) where TValue : unmanaged
    {
        Assert.Equal(type, actual.Type);
        Dims(dims, actual);
        Assert.Equal(expected, actual.AsSpan<TValue>().ToArray());
    }

    public static void Bools(int[] dims, bool[] expected, TensorData actual) => Equal(DataType.Bool, dims, expected, actual);
    public static void Longs(int[] dims, long[] expected, TensorData actual) => Equal(DataType.Int64, dims, expected, actual);
}
