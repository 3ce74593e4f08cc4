using Atc.Compiler.Ir;
using Atc.Compiler.Passes;
using Atc.Runtime;
using Atc.Runtime.Operators;
using Atc.TestModels.Onnx;
using Atc.Tests.TestSupport;
using Xunit.Abstractions;
using static Atc.Tests.Differential.PatternFusionHarness;

namespace Atc.Tests.Differential;

/// <summary>
/// ElementwiseChainFusion and the FusedElementwise kernel: chains with broadcast operands in every position (the
/// start, constants of lower rank, scalars on either side, a runtime operand) against ONNX Runtime, bit for bit
/// against the same graph compiled without the pass, and the near-misses that must keep their nodes.
/// </summary>
public class ElementwiseChainFusionDifferentialTests(ITestOutputHelper output)
{
    private const string Input = OnnxModels.InputName, Output = OnnxModels.OutputName;

    /// <summary>x [N, 4, 6] through a chain whose operands broadcast from every side.</summary>
    private static byte[] Chain(bool extraReader = false, bool intermediateOutput = false)
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 21);
        string x = b.Input(Input, DataType.Float32, "N", 4, 6);
        string y = b.Node("Add", [b.Normal("row_bias", 0f, 1f, 6), x]);               // start broadcast: [6] + x
        y = b.Node("Mul", [y, b.ScalarFloat("two", 2f)]);                             // scalar after
        y = b.Node("Sub", [b.Uniform("col", -1f, 1f, 4, 1), y]);                       // [4, 1] first
        string middle = y;
        y = b.Node("Sigmoid", [y]);
        y = b.Node("Div", [y, b.Uniform("plane", 0.5f, 2f, 1, 4, 6)]);                // rank-3 operand with a 1
        y = b.Node("Mul", [y, x]);                                                    // a runtime operand (the input again)
        y = b.Node("Clip", [y, b.ScalarFloat("low", -0.75f), b.ScalarFloat("high", 0.8f)]);
        y = b.Node("LeakyRelu", [y], ("alpha", 0.1f));
        y = b.Node("Max", [y, b.ScalarFloat("floor", -0.05f)]);
        y = b.Node("Tanh", [b.Node("Sub", [b.ScalarFloat("one", 1f), y])]);            // scalar first
        if (extraReader) y = b.Node("Add", [y, middle]);
        b.AddNode("Identity", [y], [Output]);
        b.Output(Output, DataType.Float32, "N", 4, 6);
        if (intermediateOutput)
        {
            b.AddNode("Identity", [middle], ["middle"]);
            b.Output("middle", DataType.Float32, "N", 4, 6);
        }
        return b.ToBytes();
    }

    [Fact]
    public void A_broadcasting_chain_becomes_one_node_and_matches_onnx_runtime()
        => output.WriteLine(Run(Chain(), g =>
        {
            var fused = Single(g, OpTypes.FusedElementwise);
            Assert.Equal(11, fused.Attributes.GetStrings("steps", []).Length);
            Assert.DoesNotContain(g.Nodes, n => n.OpType is OpTypes.Sigmoid or OpTypes.Clip or OpTypes.Tanh);
        }));

    [Fact]
    public void A_fused_chain_gives_the_unfused_chain_bit_for_bit()
    {
        var fused = Outputs(Chain(), disabled: new HashSet<string>());
        var unfused = Outputs(Chain(), disabled: new HashSet<string> { nameof(ElementwiseChainFusion) });
        Assert.Equal(unfused.Length, fused.Length);
        for (int i = 0; i < fused.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(fused[i]) == BitConverter.SingleToInt32Bits(unfused[i]),
                $"element {i}: fused {fused[i]:R}, unfused {unfused[i]:R}");
    }

    [Fact]
    public void An_intermediate_with_another_reader_splits_the_chain()
        => Run(Chain(extraReader: true), g =>
        {
            // The value read twice ends one chain (it stays a tensor); the nodes after it form another, which
            // also reads it as an operand of the last Add.
            var chains = g.Nodes.Where(n => n.OpType == OpTypes.FusedElementwise).ToList();
            Assert.Equal(2, chains.Count);
            Assert.Same(chains[0].Outputs[0], chains[1].Inputs[0]);
            Assert.Equal("Add:in:0", chains[1].Attributes.GetStrings("steps", [])[^1]);
        });

    [Fact]
    public void A_graph_output_in_the_middle_splits_the_chain()
    {
        var graph = ModelPipeline.ImportOnnx(Chain(intermediateOutput: true), "chain.onnx");
        PassPipeline.Run(graph);
        var middle = graph.Outputs.Single(v => v.Name == "middle");
        // The node writing the graph output ends a chain: it survives as the last link or on its own.
        Assert.Equal(2, Count(graph, OpTypes.FusedElementwise));
        Assert.Contains(graph.Nodes, n => n.Outputs.Contains(middle));
    }

    [Fact]
    public void A_single_op_is_left_alone()
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 3);
        string x = b.Input(Input, DataType.Float32, "N", 8);
        b.AddNode("Sigmoid", [x], [Output]);
        b.Output(Output, DataType.Float32, "N", 8);
        Run(b.ToBytes(), g => Assert.Equal(0, Count(g, OpTypes.FusedElementwise)));
    }

    /// <summary>The first output of gear 2 compiled with the default passes minus <paramref name="disabled"/>.</summary>
    private static float[] Outputs(byte[] onnx, IReadOnlySet<string> disabled)
    {
        var graph = ModelPipeline.ImportOnnx(onnx, "chain.onnx");
        var gears = ModelPipeline.BatchGears(graph, 2);
        PassPipeline.Run(graph, disabled);
        var model = ModelPipeline.Emit(graph, gears);
        using var session = model.CreateSession();
        var input = ModelPipeline.RandomUniform(5, 2 * 4 * 6);
        return session.Run(TensorData.Float([2, 4, 6], input))[0].AsSpan<float>().ToArray();
    }
}
