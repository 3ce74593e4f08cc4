using System.Text;
using Atc.Compiler.Ir;
using Atc.Compiler.Passes;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Tests.Passes;

public class PassPipelineTests
{
    /// <summary>A ResNet basic block with a projection shortcut, Dropout lowered to Identity, a Reshape pair, a
    /// NHWC↔NCHW transpose pair and a dead branch, followed by a fully connected layer.</summary>
    private static TestGraphBuilder ResidualBlock(int seed = 21)
    {
        var b = new TestGraphBuilder(seed);
        Value Bn(string name, Value x, int c) => b.Op(OpTypes.BatchNormalization, name,
            [x, b.Const(name + "_gamma", [c], 0.5, 1.5), b.Const(name + "_beta", [c]), b.Const(name + "_mean", [c]), b.Const(name + "_var", [c], 0.1, 2)],
            x.Shape);
        // One attribute object shared by both 3x3 convs, as a front end might do: fusing into one must not touch the other.
        var pads = TestGraphBuilder.Attrs(("pads", new long[] { 1, 1, 1, 1 }));

        var input = b.Input("images", -1, 5, 5, 2);
        var nchw = b.Op(OpTypes.Transpose, "to_nchw", [input], [-1, 2, 5, 5], TestGraphBuilder.Attrs(("perm", new long[] { 0, 3, 1, 2 })));
        var conv1 = b.Op(OpTypes.Conv, "conv1", [nchw, b.Const("w1", [4, 2, 3, 3])], [-1, 4, 5, 5], pads);
        var relu1 = b.Op(OpTypes.Relu, "relu1", [Bn("bn1", conv1, 4)], [-1, 4, 5, 5]);
        var conv2 = b.Op(OpTypes.Conv, "conv2", [relu1, b.Const("w2", [4, 4, 3, 3])], [-1, 4, 5, 5], pads);
        var bn2 = Bn("bn2", conv2, 4);
        var proj = b.Op(OpTypes.Conv, "proj", [nchw, b.Const("wp", [4, 2, 1, 1]), b.Const("bp", [4])], [-1, 4, 5, 5]);
        var sum = b.Op(OpTypes.Add, "sum", [bn2, proj], [-1, 4, 5, 5]);
        var relu2 = b.Op(OpTypes.Relu, "relu2", [sum], [-1, 4, 5, 5]);
        var nhwc = b.Op(OpTypes.Transpose, "to_nhwc", [relu2], [-1, 5, 5, 4], TestGraphBuilder.Attrs(("perm", new long[] { 0, 2, 3, 1 })));
        var back = b.Op(OpTypes.Transpose, "back_to_nchw", [nhwc], [-1, 4, 5, 5], TestGraphBuilder.Attrs(("perm", new long[] { 0, 3, 1, 2 })));
        var dropout = b.Op(OpTypes.Identity, "dropout", [back], [-1, 4, 5, 5], null);
        var r1 = b.Op(OpTypes.Reshape, "r1", [dropout, TestGraphBuilder.Int64("r1_shape", -1, 4, 25)], [-1, 4, 25]);
        var flat = b.Op(OpTypes.Reshape, "flatten", [r1, TestGraphBuilder.Int64("flat_shape", -1, 100)], [-1, 100]);
        var fc = b.Op(OpTypes.MatMul, "fc", [flat, b.Const("fc_w", [100, 3])], [-1, 3]);
        var logits = b.Op(OpTypes.Add, "logits", [fc, b.Const("fc_b", [3])], [-1, 3]);
        b.Op(OpTypes.Sigmoid, "unused_head", [relu2]);
        b.Output(logits);
        return b;
    }

    [Fact]
    public void ResidualBlockOptimisesToFusedNodesWithTheSameResultsAndSignature()
    {
        var b = ResidualBlock();
        var feeds = b.RandomInputs();
        var before = ReferenceEvaluator.Run(b.Graph, feeds);

        var report = PassPipeline.RunWithReport(b.Graph);

        // The convs run channels-last straight from the NHWC input (the front end's NCHW transpose cancels against
        // the one LayoutPropagation puts before conv1); one transpose back to NCHW stays, before the flatten of a
        // 5x5 image.
        Assert.Equal(["conv1", "proj", "conv2", "relu2_transpose", "flatten", "fc"], b.Graph.Nodes.Select(n => n.Name));
        Assert.Equal(["images"], b.Graph.Inputs.Select(v => v.Name));
        Assert.Equal(["logits"], b.Graph.Outputs.Select(v => v.Name));
        Assert.Same(b.Graph.Inputs[0], b.Graph.Nodes[0].Inputs[0]);
        Assert.All(b.Graph.Nodes.Take(3), conv => Assert.Equal("NHWC", conv.Attributes.GetString("layout", "")));
        var conv2 = b.Graph.Nodes[2];
        Assert.Equal("Relu", conv2.Attributes.GetString("activation", ""));
        Assert.Equal("proj", conv2.Inputs[3]!.Producer!.Name);
        Assert.Equal([0L, 3, 1, 2], b.Graph.Nodes[3].Attributes.GetInts("perm", []));
        Assert.Equal(OpTypes.Gemm, b.Graph.Nodes[^1].OpType);
        Assert.Equal(1, report.Total(DeadNodeElimination.NodesRemoved));
        Assert.Equal(1, report.Total(IdentityElimination.IdentitiesRemoved));
        Assert.Equal(1, report.Total(IdentityElimination.ReshapesCollapsed));
        Assert.Equal(2, report.Total(BatchNormFolding.FoldedIntoConv));
        Assert.Equal(6, report.Total(LayoutPropagation.NodesConverted)); // 3 convs, 2 relus, the add
        Assert.Equal(2, report.Total(BiasAndActivationFusion.ActivationsFused));
        Assert.Equal((17, 6), (report.NodesBefore, report.NodesAfter));
        ReferenceEvaluator.AssertClose(before, ReferenceEvaluator.Run(b.Graph, feeds));
    }

    [Fact]
    public void TheVoidOverloadRunsTheSamePasses()
    {
        var b = ResidualBlock();

        PassPipeline.Run(b.Graph);

        Assert.Equal(6, b.Graph.Nodes.Count);
    }

    [Fact]
    public void ReportHasOneLinePerPassAndATotal()
    {
        var report = PassPipeline.RunWithReport(ResidualBlock().Graph);

        var lines = report.Lines().ToList();
        Assert.Equal(PassPipeline.CreateDefaultPasses().Select(p => p.Name), report.Passes.Select(p => p.PassName));
        Assert.StartsWith("DeadNodeElimination: 17 -> 16 nodes (nodes removed: 1)", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("BatchNormFolding:", StringComparison.Ordinal) && l.Contains("folded into Conv: 2"));
        Assert.Equal("optimised: 17 -> 6 nodes", lines[^1]);
    }

    [Fact]
    public void TheSameGraphOptimisesToTheSameGraph()
    {
        var first = ResidualBlock();
        var second = ResidualBlock();

        PassPipeline.Run(first.Graph);
        PassPipeline.Run(second.Graph);

        Assert.Equal(Dump(first.Graph), Dump(second.Graph));
    }

    [Fact]
    public void APassThatRenamesAnOutputIsReportedAsACompilerBug()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 2);
        b.Output(b.Op(OpTypes.Relu, "y", [x]));

        var e = Assert.Throws<InvalidOperationException>(() => PassPipeline.Run(b.Graph, [new RenamingPass()]));

        Assert.Contains("RenamingPass", e.Message);
        Assert.Contains("[y] to [renamed]", e.Message);
    }

    [Fact]
    public void InvariantsCatchNodesOutOfOrder()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 2);
        var r = b.Op(OpTypes.Relu, "r", [x]);
        b.Output(b.Op(OpTypes.Sigmoid, "s", [r]));
        b.Graph.Nodes.Reverse();

        Assert.Equal("Sigmoid 's' reads 'r' before Relu 'r' writes it", GraphInvariants.FindProblem(b.Graph));
    }

    private sealed class RenamingPass : IGraphPass
    {
        public string Name => nameof(RenamingPass);

        public PassResult Run(Graph graph)
        {
            graph.Outputs[0].Name = "renamed";
            return new PassResult(Name, graph.Nodes.Count).Complete(graph);
        }
    }

    private static string Dump(Graph graph)
    {
        var s = new StringBuilder();
        foreach (var n in graph.Nodes)
        {
            s.Append(n.OpType).Append(' ').Append(n.Name).Append(" (")
                .AppendJoin(", ", n.Inputs.Select(v => v is null ? "-" : v.Name + (v.Constant is { } c ? "=" + Convert.ToHexString(c.Bytes.Span) : "")))
                .Append(") -> ").AppendJoin(", ", n.Outputs.Select(v => v.Name)).Append(' ')
                .AppendJoin(";", n.Attributes.All.Select(kv => kv.Key + "=" + kv.Value)).AppendLine();
        }
        return s.ToString();
    }
}
