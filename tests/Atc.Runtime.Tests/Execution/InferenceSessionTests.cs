using Atc.Compiler.Emit;
using System.Runtime.InteropServices;
using Atc.Runtime;
using Atc.Runtime.Execution;
using Atc.Runtime.Format;

namespace Atc.Tests.Execution;

public class InferenceSessionTests
{
    private readonly TestOperators _ops = new();

    /// <summary>SmallGraph with batch gears 1 and 2: y = flatten(2 * (x + [2,4,6,8])), z = x.</summary>
    private InferenceModel BatchModel() => InferenceModel.Load(OmWriter.Write(
        TestOm.Compile(TestOm.SmallGraph(), _ops.Resolver, [[[1, 4]], [[2, 4]]], ModelGearKind.Batch, [[1], [2]])), _ops.Resolver);

    private static float[] Expected(float[] x) => [.. x.Select((v, i) => 2 * (v + 2 * (i % 4 + 1)))];

    [Fact]
    public void RunsEveryGearAndPicksItFromTheShapes()
    {
        var model = BatchModel();
        Assert.Equal(ModelGearKind.Batch, model.Signature.GearKind);
        Assert.Equal([-1L, 4], model.Signature.Inputs[0].Dims);
        Assert.Equal([-1L], model.Signature.Outputs[0].Dims);
        using var session = model.CreateSession();
        foreach (int batch in new[] { 2, 1, 2 })
        {
            var x = Enumerable.Range(0, batch * 4).Select(i => (float)i).ToArray();
            session.SetInput<float>("x", x, [batch, 4]);
            session.Run();
            Assert.Equal(batch - 1, session.LastGearIndex);
            Assert.Equal(Expected(x), session.GetOutput<float>(0).ToArray());
            Assert.Equal([batch * 4], session.GetOutputShape(0).ToArray());
            Assert.Equal(x, session.GetOutput<float>(1).ToArray());
            Assert.Equal([batch, 4], session.GetOutputShape(1).ToArray());
        }
    }

    [Fact]
    public void GrowingInputBuffersAreFollowedByLaterRuns()
    {
        // Batch 1 first: the batch-2 input then needs a bigger buffer, which moves, so the pointers bound for the
        // earlier runs must not be reused.
        using var session = BatchModel().CreateSession();
        foreach (int batch in new[] { 1, 1, 2, 2, 1, 2 })
        {
            var x = Enumerable.Range(0, batch * 4).Select(i => (float)(i + 10 * batch)).ToArray();
            session.SetInput<float>("x", x, [batch, 4]);
            session.Run();
            Assert.Equal(Expected(x), session.GetOutput<float>(0).ToArray());
            Assert.Equal(x, session.GetOutput<float>(1).ToArray());
        }

        // A bigger input bound but never run moves the buffer too; the same gear as before must see the move.
        using var other = BatchModel().CreateSession();
        other.SetInput<float>("x", new float[4], [1, 4]);
        other.Run();
        other.SetInput<float>("x", new float[8], [2, 4]);
        float[] last = [1, 2, 3, 4];
        other.SetInput<float>("x", last, [1, 4]);
        other.Run();
        Assert.Equal(last, other.GetOutput<float>(1).ToArray());
    }

    [Fact]
    public void ExplicitGearAndTensorDataOverloads()
    {
        using var session = BatchModel().CreateSession();
        var x = TensorData.Float([2, 4], 1, 2, 3, 4, 5, 6, 7, 8);
        var outputs = session.Run(x);
        Assert.Equal(Expected(x.ToFloatArray()), outputs[0].ToFloatArray());
        Assert.Equal([2, 4], outputs[1].Dims);

        session.SetInput(0, TensorData.Float([1, 4], 1, 1, 1, 1));
        session.Run(0);
        Assert.Equal(0, session.LastGearIndex);
        var e = Assert.Throws<InferenceInputException>(() => session.Run(1));
        Assert.Contains("gear 1 takes [2,4] but the bound inputs are x:[1,4]", e.Message);
        Assert.Contains("does not exist", Assert.Throws<InferenceInputException>(() => session.Run(5)).Message);
    }

    [Fact]
    public void TensorOverloads()
    {
        using var session = BatchModel().CreateSession();
        var x = System.Numerics.Tensors.Tensor.Create(new float[] { 1, 2, 3, 4 }, [1, 4]);
        session.SetInput(0, x);
        session.Run();
        var y = session.GetOutputTensor<float>(0);
        Assert.Equal([(nint)4], y.Lengths.ToArray());
        var flat = new float[4];
        y.FlattenTo(flat);
        Assert.Equal(Expected([1, 2, 3, 4]), flat);
    }

    [Fact]
    public void ShapeThatMatchesNoGearListsTheGears()
    {
        using var session = BatchModel().CreateSession();
        session.SetInput<float>(0, new float[12], [3, 4]);
        var e = Assert.Throws<InferenceInputException>(() => session.Run());
        Assert.Contains("x:[3,4] match no gear", e.Message);
        Assert.Contains("#0 (1): x:[1,4]", e.Message);
        Assert.Contains("#1 (2): x:[2,4]", e.Message);
        Assert.IsAssignableFrom<ArgumentException>(e);
    }

    [Fact]
    public void WrongRankOrFixedDimensionListsTheGears()
    {
        using var session = BatchModel().CreateSession();
        var e = Assert.Throws<InferenceInputException>(() => session.SetInput<float>(0, new float[10], [2, 5]));
        Assert.Contains("does not fit input 0 ('x', declared [-1,4])", e.Message);
        Assert.Contains("accepted gears", e.Message);
        Assert.Throws<InferenceInputException>(() => session.SetInput<float>(0, new float[8], [8]));
    }

    [Fact]
    public void WrongLengthTypeIndexOrNameIsExplained()
    {
        using var session = BatchModel().CreateSession();
        Assert.Contains("needs 8 elements; 7 were given", Assert.Throws<InferenceInputException>(() => session.SetInput<float>(0, new float[7], [2, 4])).Message);
        Assert.Contains("is float32; the data given is Int64. Pass float values", Assert.Throws<InferenceInputException>(() => session.SetInput<long>(0, new long[8], [2, 4])).Message);
        Assert.Contains("has 1 inputs (x)", Assert.Throws<InferenceInputException>(() => session.SetInput<float>(1, new float[8], [2, 4])).Message);
        Assert.Contains("no input 'y'; its inputs are x", Assert.Throws<InferenceInputException>(() => session.SetInput<float>("y", new float[8], [2, 4])).Message);
        Assert.Contains("is not set", Assert.Throws<InferenceInputException>(() => session.Run()).Message);
        Assert.Throws<InvalidOperationException>(() => session.GetOutput<float>(0));
        session.SetInput<float>(0, new float[8], [2, 4]);
        session.Run();
        Assert.Contains("read it as float", Assert.Throws<InferenceInputException>(() => session.GetOutput<int>(0)).Message);
        Assert.Contains("has 2 outputs", Assert.Throws<InferenceInputException>(() => session.GetOutput<float>(2)).Message);
        Assert.Contains("has 1 inputs", Assert.Throws<InferenceInputException>(() => session.Run(TensorData.Float([1], 0), TensorData.Float([1], 0))).Message);
    }

    [Fact]
    public void RangeProfilesPlanNewShapesOnFirstUse()
    {
        var om = TestOm.Compile(TestOm.SmallGraph(), _ops.Resolver, [[[1, 4]], [[8, 4]]], ModelGearKind.Range,
            ranges: [new InputShapeRange("x", [1, 4], [8, 4])]);
        var model = InferenceModel.Load(OmWriter.Write(om), _ops.Resolver);
        Assert.Equal([-1L, 4], model.Signature.Inputs[0].Dims);
        using var session = model.CreateSession();
        var x = Enumerable.Range(0, 20).Select(i => (float)i).ToArray();
        session.SetInput<float>(0, x, [5, 4]);
        session.Run();
        Assert.Equal(-1, session.LastGearIndex);
        Assert.Equal(Expected(x), session.GetOutput<float>(0).ToArray());
        Assert.Same(model.FindGear([[5, 4]]), model.FindGear([[5, 4]]));

        session.SetInput<float>(0, new float[36], [9, 4]);
        var e = Assert.Throws<InferenceInputException>(() => session.Run());
        Assert.Contains("accepted ranges: x:[1~8,4]", e.Message);
    }

    [Fact]
    public void OutputsThatAreInputsConstantsOrFoldedAreCopied()
    {
        var b = new GraphBuilder();
        int x = b.Input("x");
        int c = b.Constant("c", TensorData.Float([2], 5, 6));
        int folded = b.Node("Add", c, c);
        b.Output(x).Output(c).Output(folded);
        var model = InferenceModel.Load(TestOm.Write(b.Build(), _ops.Resolver, [[3]]), _ops.Resolver);
        using var session = model.CreateSession();
        var outputs = session.Run(TensorData.Float([3], 1, 2, 3));
        Assert.Equal(new float[] { 1, 2, 3 }, outputs[0].ToFloatArray());
        Assert.Equal(new float[] { 5, 6 }, outputs[1].ToFloatArray());
        Assert.Equal(new float[] { 10, 12 }, outputs[2].ToFloatArray());
    }

    [Fact]
    public void KernelsGetScratchMemoryAndAreCreatedOncePerGear()
    {
        var model = BatchModel();
        using var first = model.CreateSession();
        using var second = model.CreateSession();
        first.Run(TensorData.Float([1, 4], 1, 2, 3, 4));
        second.Run(TensorData.Float([1, 4], 1, 2, 3, 4));
        Assert.Same(model.Gear(0), model.FindGear([[1, 4]]));
        Assert.Equal(2, _ops.RunsOf("Double"));
    }

    [Fact]
    public void PrepareCreatesKernelsWithoutRunning()
    {
        var model = BatchModel();
        using var session = model.CreateSession();
        session.SetInput<float>(0, new float[4], [1, 4]);
        session.Prepare();
        Assert.Equal(0, _ops.RunsOf("Double"));
        Assert.Throws<InvalidOperationException>(() => session.GetOutput<float>(0));
        session.Run();
        Assert.Equal(1, _ops.RunsOf("Double"));
    }

    [Fact]
    public void RunAllocatesNothingOnceWarm()
    {
        using var session = BatchModel().CreateSession();
        var x = new float[8];
        int[] shape = [2, 4];   // (a collection expression at the call would allocate in the test itself)
        session.SetInput<float>(0, x, shape);
        session.Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++)
        {
            x[0] = i;
            session.SetInput<float>(0, x, shape);
            session.Run();
            _ = session.GetOutput<float>(0);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void SessionsRunConcurrentlyOnOneModel()
    {
        var model = BatchModel();
        var results = new float[4][];
        Parallel.For(0, 4, t =>
        {
            using var session = model.CreateSession();
            float[] last = [];
            for (int i = 0; i < 200; i++)
            {
                var x = Enumerable.Range(0, 8).Select(v => (float)(v + t)).ToArray();
                session.SetInput<float>(0, x, [2, 4]);
                session.Run();
                last = session.GetOutput<float>(0).ToArray();
                Assert.Equal(Expected(x), last);
            }
            results[t] = last;
        });
        Assert.All(results, r => Assert.Equal(8, r.Length));
    }

    [Fact]
    public unsafe void UnmanagedStreamIsReadInPlace()
    {
        var bytes = OmWriter.Write(TestOm.Compile(TestOm.SmallGraph(), _ops.Resolver, [[[2, 4]]]));
        byte* memory = (byte*)NativeMemory.AlignedAlloc((nuint)bytes.Length, 64);
        try
        {
            bytes.CopyTo(new Span<byte>(memory, bytes.Length));
            using var stream = new UnmanagedMemoryStream(memory, bytes.Length);
            var model = InferenceModel.Load(stream, _ops.Resolver);
            // The constants are views of the stream's memory: nothing was copied.
            var weights = model.Content.Graph.Constants[2]!;
            Assert.True(MemoryMarshal.TryGetMemoryManager<byte, UnmanagedMemoryManager>(weights.Bytes, out _));
            Assert.Equal("test_model", model.Name);
        }
        finally
        {
            NativeMemory.AlignedFree(memory);
        }
    }

    [Fact]
    public void LoadPathAndStreamAndMissingResource()
    {
        var bytes = OmWriter.Write(TestOm.Compile(TestOm.SmallGraph(), _ops.Resolver, [[[2, 4]]]));
        string path = Path.Combine(Path.GetTempPath(), $"atc-session-{Guid.NewGuid():N}.om");
        try
        {
            File.WriteAllBytes(path, bytes);
            // The default registry does not (yet) have the test ops: the model loads up to the operator check.
            var e = Assert.Throws<OmFormatException>(() => InferenceModel.Load(path));
            Assert.Contains("which this runtime does not implement", e.Detail);
            Assert.Throws<OmFormatException>(() => InferenceModel.Load(new MemoryStream(bytes)));
        }
        finally
        {
            File.Delete(path);
        }
        var missing = Assert.Throws<ArgumentException>(() => InferenceModel.LoadEmbedded(typeof(InferenceSessionTests).Assembly, "nope.om"));
        Assert.Contains("has no manifest resource 'nope.om'", missing.Message);
    }
}
