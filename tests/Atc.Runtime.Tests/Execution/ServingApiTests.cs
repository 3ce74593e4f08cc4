using System.Numerics.Tensors;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Execution;
using Atc.Tests.TestSupport;

namespace Atc.Tests.Execution;

/// <summary>
/// Issue 15 item 3: the serving API of <see cref="InferenceModel"/> — caller-owned inputs and outputs, Tensor&lt;T&gt;
/// and TensorSpan&lt;T&gt; in and out, cancellation between steps and RunAsync.
/// </summary>
public class ServingApiTests
{
    private static float[] Reference(InferenceModel model, float[] input, int batch)
        => model.CreateSession(new SessionOptions { ThreadCount = 1 }).Run(TensorData.Float(PadConvModel.InputShape(batch), input))[0].ToFloatArray();

    // ---- caller-owned outputs ----

    [Fact]
    public void CallerOwnedDestinationsReceiveEveryOutputAndReportTheirShapes()
    {
        var ops = new TestOperators();
        var model = InferenceModel.Load(TestOm.Write(TestOm.SmallGraph(), ops.Resolver, [[1, 4]], [[2, 4]]), ops.Resolver);
        var y = new float[16];   // longer than the 8 elements gear [2,4] writes: a buffer sized for the largest gear
        var z = new float[8];
        var first = OutputBinding.Into(y);
        var second = OutputBinding.Into<float>(z.AsMemory());
        model.Run([InputBinding.From(new float[] { 1, 2, 3, 4, 5, 6, 7, 8 }, 2, 4)], [first, second]);

        Assert.Equal(new float[] { 6, 12, 18, 24, 14, 20, 26, 32 }, y.AsSpan(0, 8).ToArray());
        Assert.Equal(new float[8], y.AsSpan(8).ToArray());   // nothing written past the output
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6, 7, 8 }, z);
        Assert.Equal([8], first.Shape);
        Assert.Equal(8, first.ElementCount);
        Assert.Equal([2, 4], second.Shape);
    }

    [Fact]
    public void ANullDestinationSkipsThatOutput()
    {
        var ops = new TestOperators();
        var model = InferenceModel.Load(TestOm.Write(TestOm.SmallGraph(), ops.Resolver, [[1, 4]]), ops.Resolver);
        var z = new float[4];
        model.Run([InputBinding.From(new float[] { 1, 2, 3, 4 }, 1, 4)], [null, OutputBinding.Into(z)]);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, z);
    }

    [Fact]
    public void ADestinationTooShortNamesTheLengthNeeded()
    {
        var model = PadConvModel.Load();
        var input = InputBinding.From(PadConvModel.Input(1, 1), PadConvModel.InputShape(1));
        var e = Assert.Throws<InferenceInputException>(() => model.Run([input], [OutputBinding.Into(new float[71])]));
        Assert.Contains("output 0 ('output')", e.Message);
        Assert.Contains("needs 72 elements", e.Message);
        Assert.Contains("holds 71", e.Message);
        Assert.Equal("outputs", e.ParamName);
    }

    [Fact]
    public void WrongDestinationCountTypeAndInputShapeAreInputErrors()
    {
        var model = PadConvModel.Load();
        var input = InputBinding.From(PadConvModel.Input(1, 1), PadConvModel.InputShape(1));
        Assert.Contains("1 outputs (output); 2 destinations were given",
            Assert.Throws<InferenceInputException>(() => model.Run([input], [OutputBinding.Into(new float[72]), null])).Message);
        Assert.Contains("output 0 ('output') is float32; the destination holds Int32",
            Assert.Throws<InferenceInputException>(() => model.Run([input], [OutputBinding.Into(new int[72])])).Message);
        var wrongShape = InputBinding.From(PadConvModel.Input(2, 1), [2, 3, 6, 6]);
        Assert.Contains("match no gear",
            Assert.Throws<InferenceInputException>(() => model.Run([wrongShape], [OutputBinding.Into(new float[144])])).Message);
        var tooFew = InputBinding.From(new float[10], PadConvModel.InputShape(1));
        Assert.Contains("needs 108 elements; 10 were given",
            Assert.Throws<InferenceInputException>(() => model.Run([tooFew], [OutputBinding.Into(new float[72])])).Message);
    }

    [Fact]
    public void MemoryInputsOverALargerBufferAreReadInPlace()
    {
        var model = PadConvModel.Load();
        var data = PadConvModel.Input(1, 3);
        var pooled = new float[data.Length + 50];
        data.CopyTo(pooled, 25);
        var y = new float[72];
        model.Run([InputBinding.From<float>(pooled.AsMemory(25, data.Length), PadConvModel.InputShape(1))], [OutputBinding.Into(y)]);
        Assert.Equal(Reference(model, data, 1), y);
    }

    // ---- System.Numerics.Tensors ----

    [Fact]
    public void TensorInTensorOutRoundTripsAndMatchesTheCopyingApi()
    {
        var model = PadConvModel.Load();
        var data = PadConvModel.Input(8, 5);
        var input = Tensor.Create(data, [8, 3, 6, 6]);
        var output = Tensor.CreateFromShape<float>([8, 2, 6, 6], pinned: false);
        model.Run([InputBinding.From(input)], [OutputBinding.Into(output)]);
        var written = new float[output.FlattenedLength];
        output.FlattenTo(written);
        Assert.Equal(Reference(model, data, 8), written);

        var span = new float[8 * 72];
        model.Run(input.AsReadOnlyTensorSpan(), new TensorSpan<float>(span, [8, 2, 6, 6]));
        Assert.Equal(written, span);
    }

    [Fact]
    public void ATensorDestinationOfTheWrongShapeIsRejectedBeforeTheRun()
    {
        var model = PadConvModel.Load();
        var input = Tensor.Create(PadConvModel.Input(1, 5), [1, 3, 6, 6]);
        var e = Assert.Throws<InferenceInputException>(() => model.Run([InputBinding.From(input)], [OutputBinding.Into(Tensor.CreateFromShape<float>([1, 72], pinned: false))]));
        Assert.Contains("lengths [1,72]", e.Message);
        Assert.Contains("output's shape [1,2,6,6]", e.Message);
    }

    // ---- cancellation ----

    [Fact]
    public async Task ATokenCancelledBeforeTheRunRunsNothing()
    {
        var ops = new TestOperators();
        var model = InferenceModel.Load(TestOm.Write(TestOm.SmallGraph(), ops.Resolver, [[1, 4]]), ops.Resolver);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var x = TensorData.Float([1, 4], 1, 2, 3, 4);
        Assert.Throws<OperationCanceledException>(() => model.Run([x], cancelled.Token));
        Assert.Throws<OperationCanceledException>(() => model.Run([InputBinding.From(x)], [null, null], cancelled.Token));
        var task = model.RunAsync([x], cancelled.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.True(task.IsCanceled);
        Assert.Equal(0, ops.RunsOf("Double"));
    }

    [Fact]
    public async Task ATokenCancelledDuringARunStopsBeforeTheNextStepAndTheModelStaysUsable()
    {
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var ops = new TestOperators();
        var gate = new GateOp(entered, release);
        OperatorResolver resolver = op => op == "Gate" ? gate : ops.Resolver(op);
        const int Steps = 20;
        var b = new GraphBuilder();
        int value = b.Node("Gate", b.Input("x"));
        for (int i = 0; i < Steps; i++) value = b.Node("Double", value);
        var model = InferenceModel.Load(TestOm.Write(b.Output(value).Build(), resolver, [[1, 4]]), resolver);

        using var cancellation = new CancellationTokenSource();
        var x = TensorData.Float([1, 4], 1, 2, 3, 4);
        var running = model.RunAsync([x], cancellation.Token);
        Assert.True(entered.Wait(TimeSpan.FromSeconds(30)), "the run never started");
        cancellation.Cancel();
        release.Set();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.True(running.IsCanceled);
        Assert.Equal(0, ops.RunsOf("Double"));   // stopped right after the step that was running

        var y = model.Run(x)[0].ToFloatArray();   // the pooled session that was cancelled runs again
        Assert.Equal(new float[] { 1 << Steps, 2 << Steps, 3 << Steps, 4 << Steps }, y);
        Assert.Equal(Steps, ops.RunsOf("Double"));
    }

    // ---- async under concurrency ----

    [Fact]
    public async Task EightConcurrentRunAsyncCallersAreBitIdenticalToASingleRun()
    {
        var model = PadConvModel.Load();
        var inputs = Enumerable.Range(0, 8).Select(i => PadConvModel.Input(PadConvModel.Batches[i % 2], 40 + i)).ToArray();
        var expected = inputs.Select((x, i) => Reference(model, x, PadConvModel.Batches[i % 2])).ToArray();
        using var start = new ManualResetEventSlim();
        var callers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            start.Wait();
            int batch = PadConvModel.Batches[i % 2];
            var destination = new float[batch * 72];
            int mismatches = 0;
            for (int r = 0; r < 50; r++)
            {
                await model.RunAsync([InputBinding.From(inputs[i], PadConvModel.InputShape(batch))], [OutputBinding.Into(destination)]);
                if (!destination.AsSpan().SequenceEqual(expected[i])) mismatches++;
                var copies = await model.RunAsync([TensorData.Float(PadConvModel.InputShape(batch), inputs[i])]);
                if (!copies[0].AsSpan<float>().SequenceEqual(expected[i])) mismatches++;
            }
            return mismatches;
        })).ToArray();
        start.Set();
        Assert.All(await Task.WhenAll(callers), m => Assert.Equal(0, m));
    }
}
