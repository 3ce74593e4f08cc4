using Atc.Runtime;
using Atc.TestModels.Onnx;
using Atc.Tests.TestSupport;

namespace Atc.Tests.Execution;

/// <summary>
/// Control flow with static shapes allocates nothing in the steady state: a Loop's bodies, carried buffers and
/// pointer tables live in the node's scratch memory, so a run of many iterations allocates as little as a run of one.
/// </summary>
public class ControlFlowAllocationTests
{
    public static TheoryData<string, int> Models => new()
    {
        { "loop_until_condition", 4 },        // 1e6 in every lane: about 22 iterations of halving
        { "scan_cumulative_sum", 15 },
        { "if_inside_loop", 4 },
        { "loop_running_sum", 3 },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Runs_allocate_nothing_after_the_first(string name, int elements)
    {
        byte[] model = ControlFlowModels.All[name]();
        var graph = ModelPipeline.ImportOnnx(model, name + ".onnx");
        var shape = graph.Inputs[0].Shape!.Select(d => (int)d).ToArray();
        var compiled = ModelPipeline.Compile(graph, ModelPipeline.StaticGear(graph, [shape]));
        using var session = compiled.CreateSession(new SessionOptions { ThreadCount = 1 });
        var values = Enumerable.Repeat(1e6f, elements).ToArray();
        session.SetInput<float>(0, values, shape);
        session.Run();
        session.Run();

        long before = GC.GetAllocatedBytesForCurrentThread();
        session.Run();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
