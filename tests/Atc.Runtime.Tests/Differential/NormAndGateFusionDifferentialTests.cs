using Atc.Runtime;
using Atc.Runtime.Operators;
using Atc.TestModels.Onnx;
using static Atc.Tests.Differential.PatternFusionHarness;

namespace Atc.Tests.Differential;

/// <summary>
/// LayerNormPatternFusion and GatedMulFusion against ONNX Runtime (1e-4 relative to the output's max), with
/// near-misses that must keep their nodes: another axis, an extra reader, a gate that would enlarge X.
/// </summary>
public class NormAndGateFusionDifferentialTests
{
    private const string Input = OnnxModels.InputName, Output = OnnxModels.OutputName;

    /// <summary>PyTorch's decomposed LayerNorm on [N, 6, 32] over <paramref name="axes"/>.</summary>
    private static byte[] LayerNorm(long[] axes, bool affine, bool extraReader = false, int[]? gammaDims = null)
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 8);
        string x = b.Input(Input, DataType.Float32, "N", 6, 32);
        x = b.Node("Mul", [x, b.Uniform("spread", 0.5f, 3f, 32)]); // rows with different scales
        string mean = b.Node("ReduceMean", [x], ("axes", axes), ("keepdims", 1));
        string d = b.Node("Sub", [x, mean]);
        string variance = b.Node("ReduceMean", [b.Node("Pow", [d, b.ScalarFloat("two", 2f)])], ("axes", axes), ("keepdims", 1));
        string y = b.Node("Div", [d, b.Node("Sqrt", [b.Node("Add", [variance, b.ScalarFloat("eps", 1e-5f)])])]);
        if (affine)
        {
            int[] dims = gammaDims ?? [32];
            y = b.Node("Add", [b.Node("Mul", [y, b.Uniform("gamma", 0.5f, 1.5f, dims)]), b.Normal("beta", 0f, 0.3f, dims)]);
        }
        if (extraReader) y = b.Node("Add", [y, d]);
        b.AddNode("Identity", [y], [Output]);
        b.Output(Output, DataType.Float32, "N", 6, 32);
        return b.ToBytes();
    }

    [Fact]
    public void Decomposed_layer_norm_with_affine_becomes_one_node()
        => Run(LayerNorm([-1], affine: true), g =>
        {
            var norm = Single(g, OpTypes.LayerNormalization);
            Assert.Equal(-1, norm.Attributes.GetInt("axis", 0));
            Assert.Equal(3, norm.Inputs.Count);
            Assert.Equal(0, Count(g, OpTypes.ReduceMean));
        });

    [Fact]
    public void Decomposed_layer_norm_without_affine_and_with_positive_axis_becomes_one_node()
        => Run(LayerNorm([2], affine: false), g =>
        {
            Assert.Equal(2, Single(g, OpTypes.LayerNormalization).Inputs.Count);
            Assert.Equal(0, Count(g, OpTypes.ReduceMean));
        });

    [Fact]
    public void Layer_norm_over_the_two_last_axes_fuses_with_per_element_gamma()
        => Run(LayerNorm([-2, -1], affine: true, gammaDims: [6, 32]), g =>
            Assert.Equal(-2, Single(g, OpTypes.LayerNormalization).Attributes.GetInt("axis", 0)));

    [Fact]
    public void Mean_over_a_middle_axis_is_not_a_layer_norm()
        => Run(LayerNorm([1], affine: true, gammaDims: [6, 1]), g =>
        {
            Assert.Equal(0, Count(g, OpTypes.LayerNormalization));
            Assert.Equal(2, Count(g, OpTypes.ReduceMean));
        });

    [Fact]
    public void Centred_value_read_elsewhere_blocks_the_layer_norm()
        => Run(LayerNorm([-1], affine: false, extraReader: true), g => Assert.Equal(0, Count(g, OpTypes.LayerNormalization)));

    /// <summary>Squeeze-excite on [N, 8, 5, 5]: GlobalAveragePool, Conv1x1 8→4, Relu, Conv1x1 4→8, gate, Mul.</summary>
    private static byte[] SqueezeExcite(string gate, bool enlarging = false)
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 9);
        string x = b.Input(Input, DataType.Float32, "N", 8, 5, 5);
        string s = b.Node("GlobalAveragePool", [x]);
        s = b.Node("Relu", [b.Node("Conv", [s, b.HeWeight("w1", 4, 8, 1, 1), b.Normal("b1", 0f, 0.1f, 4)])]);
        s = b.Node("Conv", [s, b.HeWeight("w2", 8, 4, 1, 1), b.Normal("b2", 0f, 0.1f, 8)]);
        string g = gate == "Sigmoid" ? b.Node("Sigmoid", [s]) : b.Node("HardSigmoid", [s], ("alpha", 1f / 6f), ("beta", 0.5f));
        // enlarging: the pooled tensor times a gate of the full image (the product is larger than the pooled X)
        string y = enlarging ? b.Node("Mul", [s, b.Node("Sigmoid", [x])]) : b.Node("Mul", [x, g]);
        if (enlarging) y = b.Node("Add", [y, b.Node("Mul", [x, g])]);
        b.AddNode("Identity", [y], [Output]);
        b.Output(Output, DataType.Float32, "N", 8, 5, 5);
        return b.ToBytes();
    }

    [Theory]
    [InlineData("Sigmoid")]
    [InlineData("HardSigmoid")]
    public void Squeeze_excite_gate_and_multiply_become_one_gated_multiply(string gate)
        => Run(SqueezeExcite(gate), g =>
        {
            Assert.Equal(gate, Single(g, OpTypes.GatedMul).Attributes.GetString("gate", ""));
            Assert.Equal(0, Count(g, OpTypes.Mul));
            Assert.Equal(0, Count(g, OpTypes.Sigmoid) + Count(g, OpTypes.HardSigmoid));
        });

    [Fact]
    public void Gate_that_would_enlarge_x_is_not_fused()
        => Run(SqueezeExcite("Sigmoid", enlarging: true), g =>
        {
            Assert.Equal(1, Count(g, OpTypes.GatedMul)); // the real squeeze-excite multiply
            Assert.Equal(1, Count(g, OpTypes.Sigmoid));  // sigmoid(x) times the pooled tensor stays
        });
}
