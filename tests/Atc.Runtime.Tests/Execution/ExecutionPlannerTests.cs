using Atc.Compiler.Emit;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Execution;

namespace Atc.Tests.Execution;

public class ExecutionPlannerTests
{
    [Fact]
    public void FoldsConstantNodesAndAliasesReshape()
    {
        var ops = new TestOperators();
        var graph = TestOm.SmallGraph();
        var plan = ExecutionPlanner.Plan(graph, [[2, 4]], ops.Resolver);

        Assert.Equal([1, 3, 4], plan.Steps);                    // Add(c,c) folded, Reshape aliased
        Assert.Equal(1, ops.RunsOf("Add"));                     // the fold ran the kernel once, at plan time
        Assert.Equal(PlacementKind.Folded, plan.Values[3].Kind);
        Assert.Equal(new float[] { 2, 4, 6, 8 }, plan.Values[3].Folded!.AsSpan<float>().ToArray());
        Assert.Equal(PlacementKind.Unused, plan.Values[1].Kind); // only read by the folded node
        Assert.Equal(PlacementKind.Weights, plan.Values[2].Kind);
        Assert.Equal(PlacementKind.Arena, plan.Values[5].Kind);
        Assert.Equal(plan.Values[4].Offset, plan.Values[5].Offset);
        Assert.Equal([8], plan.Values[5].Dims);
        Assert.Equal((PlacementKind.Output, 0L), (plan.Values[6].Kind, plan.Values[6].Offset));
        Assert.Equal((PlacementKind.Output, 1L), (plan.Values[7].Kind, plan.Values[7].Offset));
        Assert.Equal((PlacementKind.Input, 0L), (plan.Values[0].Kind, plan.Values[0].Offset));
        PlanChecks.AssertNoLiveOverlap(graph, plan);
    }

    [Fact]
    public void ShapeIsFoldedWithoutRunningItsKernel()
    {
        var ops = new TestOperators();
        var b = new GraphBuilder();
        int x = b.Input("x");
        int shape = b.Node("Shape", x);
        var tail = new Atc.Runtime.Core.OpAttributes().Set("start", 1L);
        int lastDims = b.NodeWith("Shape", tail, x);
        int copy = b.Node("Identity", x);
        b.Output(b.Node("Reshape", copy, shape)).Output(lastDims);
        var plan = ExecutionPlanner.Plan(b.Build(), [[3, 5]], ops.Resolver);
        Assert.Equal(new long[] { 3, 5 }, plan.Values[shape].Folded!.AsSpan<long>().ToArray());
        Assert.Equal(new long[] { 5 }, plan.Values[lastDims].Folded!.AsSpan<long>().ToArray());
        Assert.Equal(PlacementKind.Folded, plan.Values[lastDims].Kind);
    }

    [Fact]
    public void LargeConstantResultsAreStepsNotFolds()
    {
        var ops = new TestOperators();
        var b = new GraphBuilder();
        // One element over the evaluator's cap (the same cap as compile-time folding).
        int count = (int)(ConstantEvaluator.MaxPerGearOutputBytes / sizeof(float)) + 1;
        var big = TensorData.Float([count], new float[count]);
        int c = b.Constant("big", big);
        int x = b.Input("x");
        b.Output(b.Node("Add", c, c)).Output(b.Node("Identity", x));
        var plan = ExecutionPlanner.Plan(b.Build(), [[1]], ops.Resolver);
        Assert.Equal([0, 1], plan.Steps);
        Assert.Equal(PlacementKind.Weights, plan.Values[c].Kind);
        Assert.Equal(0, ops.RunsOf("Add"));
    }

    [Fact]
    public void GraphOutputsAreNotAliases()
    {
        var ops = new TestOperators();
        var b = new GraphBuilder();
        int x = b.Input("x");
        int flat = b.Constant("flat", TensorData.Int64([1], -1));
        int reshaped = b.Node("Reshape", b.Node("Double", x), flat);
        var graph = b.Output(reshaped).Build();
        var plan = ExecutionPlanner.Plan(graph, [[2, 3]], ops.Resolver);
        Assert.Equal([0, 1], plan.Steps);
        Assert.Equal(PlacementKind.Output, plan.Values[reshaped].Kind);
    }

    [Fact]
    public void ReshapeOfAnInputReadsTheInputBuffer()
    {
        var ops = new TestOperators();
        var b = new GraphBuilder();
        int x = b.Input("x");
        int flat = b.Constant("flat", TensorData.Int64([1], -1));
        int reshaped = b.Node("Reshape", x, flat);
        var graph = b.Output(b.Node("Double", reshaped)).Build();
        var plan = ExecutionPlanner.Plan(graph, [[2, 3]], ops.Resolver);
        Assert.Equal([1], plan.Steps);
        Assert.Equal((PlacementKind.Input, 0L), (plan.Values[reshaped].Kind, plan.Values[reshaped].Offset));
        Assert.Equal([6], plan.Values[reshaped].Dims);
        Assert.Equal(0, plan.ArenaSize);
    }

    [Fact]
    public void UnusedOutputsOfAStepStillGetTheirOwnBytes()
    {
        var ops = new TestOperators();
        var b = new GraphBuilder();
        int x = b.Input("x");
        var halves = b.Nodes("Split2", 2, null, b.Node("Double", x));
        var graph = b.Output(b.Node("Double", halves[0])).Build();
        var plan = ExecutionPlanner.Plan(graph, [[4, 16]], ops.Resolver);
        Assert.Equal(PlacementKind.Arena, plan.Values[halves[1]].Kind);
        Assert.NotEqual(plan.Values[halves[0]].Offset, plan.Values[halves[1]].Offset);
        PlanChecks.AssertNoLiveOverlap(graph, plan);
    }

    [Fact]
    public void ArenaReusesMemoryOfDeadValues()
    {
        var ops = new TestOperators();
        var b = new GraphBuilder();
        int v = b.Input("x");
        for (int i = 0; i < 10; i++) v = b.Node("Double", v);
        var graph = b.Output(v).Build();
        var plan = ExecutionPlanner.Plan(graph, [[256]], ops.Resolver);
        // A chain needs two live buffers at a time, not nine.
        Assert.Equal(2 * 1024, plan.ArenaSize);
        PlanChecks.AssertNoLiveOverlap(graph, plan);
    }

    [Fact]
    public void PlanningErrorNamesNodeOpAndShapes()
    {
        var ops = new TestOperators();
        var b = new GraphBuilder();
        int x = b.Input("x");
        b.Output(b.NodeWith("Limit", new Atc.Runtime.Core.OpAttributes().Set("max", 2L), x));
        var e = Assert.Throws<PlanningException>(() => ExecutionPlanner.Plan(b.Build(), [[3, 4]], ops.Resolver));
        Assert.Equal("limit_0", e.NodeName);
        Assert.Equal("Limit", e.OpType);
        Assert.Equal("x:[3,4]", e.InputShapes);
        Assert.Contains("more than 2", e.Detail);
        Assert.Contains("node 'limit_0' (Limit)", e.Message);
    }

    [Fact]
    public void UnknownOperatorIsAPlanningError()
    {
        var b = new GraphBuilder();
        b.Output(b.Node("Frobnicate", b.Input("x")));
        var e = Assert.Throws<PlanningException>(() => ExecutionPlanner.Plan(b.Build(), [[1]], new TestOperators().Resolver));
        Assert.Contains("'Frobnicate' is not implemented", e.Detail);
    }

    [Fact]
    public void AllocatorSeparatesOverlappingIntervalsAndReusesOthers()
    {
        LiveInterval[] intervals = [new(0, 100, 0, 1), new(1, 100, 1, 2), new(2, 100, 2, 3), new(3, 10, 3, 3)];
        var (offsets, size) = ArenaAllocator.Allocate(intervals);
        Assert.NotEqual(offsets[0], offsets[1]);
        Assert.NotEqual(offsets[1], offsets[2]);
        Assert.Equal(offsets[0], offsets[2]);            // 0 is dead when 2 starts
        Assert.Equal(256, size);
        Assert.All(offsets, o => Assert.Equal(0, o % 64));
    }

    /// <summary>
    /// Property: on random graphs of Identity/Add/Reshape/Double/Split2 with several gears, the arena never lets a
    /// step clobber a live value, and running the .om gives the reference results.
    /// </summary>
    [Fact]
    public void RandomGraphsPlanSafelyAndRunCorrectly()
    {
        var random = new Random(20261125);
        for (int trial = 0; trial < 150; trial++)
        {
            var ops = new TestOperators();
            var (graph, evaluate) = RandomGraph.Create(random);
            int[][][] gears = [[[2, 8]], [[4, 8]], [[6, 8]]];
            var om = TestOm.Compile(graph, ops.Resolver, gears, ModelGearKind.Batch, [[2], [4], [6]]);
            foreach (var plan in om.Plans) PlanChecks.AssertNoLiveOverlap(om.Graph, plan);

            var model = InferenceModel.Load(OmWriter.Write(om), ops.Resolver);
            using var session = model.CreateSession();
            foreach (var gear in gears)
            {
                var input = Enumerable.Range(0, gear[0][0] * 8).Select(_ => (float)random.Next(-50, 50)).ToArray();
                session.SetInput<float>(0, input, gear[0]);
                session.Run();
                var expected = evaluate(input, gear[0][0]);
                for (int k = 0; k < expected.Length; k++)
                    Assert.Equal(expected[k], session.GetOutput<float>(k).ToArray());
            }
        }
    }
}
