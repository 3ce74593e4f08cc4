using Atc.Runtime;
using Atc.TestModels.Onnx;
using Atc.Tests.TestSupport;

namespace Atc.Tests.Execution;

/// <summary>
/// A Loop's trip count comes from the file or the data, so a hostile model can ask for 2^62 iterations. The compiler
/// and Load must not run such a Loop ahead of time (Load's warm-up run stops at its deadline), and a run of it must
/// stop when the caller's token is cancelled
/// (checked per iteration, not only between steps). Each test waits at most a minute for what should take milliseconds,
/// so a regression fails instead of hanging the suite.
/// </summary>
public class LoopCancellationTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(true)]    // the carried value is the graph input: the Loop is a step of every run
    [InlineData(false)]   // every input of the Loop is constant: only the folding bound keeps it a step
    public async Task A_hostile_trip_count_compiles_loads_and_stops_when_the_run_is_cancelled(bool fromInput)
    {
        var work = Task.Run(() =>
        {
            var graph = ModelPipeline.ImportOnnx(ControlFlowModels.LoopHostileTripCount(fromInput), "hostile_loop.onnx");
            var model = ModelPipeline.Compile(graph, ModelPipeline.StaticGear(graph, [[4]]));
            using var session = model.CreateSession(new SessionOptions { ThreadCount = 1 });
            session.SetInput<float>(0, [1f, 2f, 3f, 4f], [4]);
            using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            return Assert.ThrowsAny<OperationCanceledException>(() => session.Run(deadline.Token));
        });

        // WaitAsync throws TimeoutException if compiling, loading or cancelling the hostile Loop does not finish.
        Assert.NotNull(await work.WaitAsync(Patience));
    }

    [Fact]
    public async Task Atc_run_stops_a_hostile_loop_at_its_timeout_with_ATC2203()
    {
        string dir = Directory.CreateTempSubdirectory("atc-loop-").FullName;
        try
        {
            var graph = ModelPipeline.ImportOnnx(ControlFlowModels.LoopHostileTripCount(fromInput: true), "hostile_loop.onnx");
            Atc.Compiler.Passes.PassPipeline.Run(graph);
            var gears = ModelPipeline.StaticGear(graph, [[4]]);
            string path = Path.Combine(dir, "hostile_loop.om");
            File.WriteAllBytes(path, Atc.Compiler.Emit.OmEmitter.Emit(graph, gears, new Atc.Compiler.Emit.EmitOptions(graph.Name, "Ascend310", graph.SourceFramework)));

            var output = new StringWriter();
            var run = Task.Run(() => Atc.Cli.Run.RunnerCommand.Create().Parse(["--model=" + path, "--timeout=0.3"])
                .Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = new StringWriter() }));

            Assert.Equal(1, await run.WaitAsync(Patience));   // TimeoutException if atc run does not stop
            string text = output.ToString();
            Assert.Contains("ATC2203: Running the offline model [" + path + "] was stopped: --timeout=0.3 seconds elapsed", text);
            Assert.Contains("Raise --timeout", text);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void The_session_runs_normally_after_a_cancelled_run()
    {
        var graph = ModelPipeline.ImportOnnx(ControlFlowModels.All["loop_running_sum"](), "loop_running_sum.onnx");
        var model = ModelPipeline.Compile(graph, ModelPipeline.StaticGear(graph, [[3]]));
        using var session = model.CreateSession(new SessionOptions { ThreadCount = 1 });
        session.SetInput<float>(0, [1f, 2f, 3f], [3]);
        session.Run();
        float[] expected = session.GetOutput<float>(0).ToArray();

        Assert.ThrowsAny<OperationCanceledException>(() => session.Run(new CancellationToken(canceled: true)));
        session.Run(CancellationToken.None);

        Assert.Equal(expected, session.GetOutput<float>(0).ToArray());
    }
}
