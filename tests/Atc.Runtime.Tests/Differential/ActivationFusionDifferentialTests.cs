using Atc.Runtime;
using Atc.Runtime.Operators;
using Atc.TestModels.Onnx;
using Xunit.Abstractions;
using static Atc.Tests.Differential.PatternFusionHarness;

namespace Atc.Tests.Differential;

/// <summary>
/// ActivationPatternFusion + BiasAndActivationFusion against ONNX Runtime (1e-4 relative to the output's max): each
/// exporter form of GELU (Erf, Tanh), SiLU, HardSwish and Mish after a Conv or a Linear ends as the producer's
/// "activation"; near-misses (wrong constants, extra readers, other HardSigmoid slopes) keep their nodes.
/// </summary>
public class ActivationFusionDifferentialTests(ITestOutputHelper output)
{
    private const string Input = OnnxModels.InputName, Output = OnnxModels.OutputName;

    /// <summary>Conv 4→8, 3x3, pad 1, with bias, on [N, 4, 6, 6]; <paramref name="tail"/> builds the activation.</summary>
    private static byte[] ConvThen(Func<OnnxModelBuilder, string, string> tail)
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 4);
        string x = b.Input(Input, DataType.Float32, "N", 4, 6, 6);
        string y = b.NamedNode("conv", "Conv", [x, b.HeWeight("w", 8, 4, 3, 3), b.Normal("b", 0f, 0.3f, 8)],
            ("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 }));
        b.AddNode("Identity", [tail(b, y)], [Output]);
        b.Output(Output, DataType.Float32, "N", 8, 6, 6);
        return b.ToBytes();
    }

    /// <summary>MatMul [N, 16] x [16, 24] + bias (exported Linear), then the activation.</summary>
    private static byte[] LinearThen(Func<OnnxModelBuilder, string, string> tail)
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 5);
        string x = b.Input(Input, DataType.Float32, "N", 16);
        string y = b.Node("Add", [b.Node("MatMul", [x, b.HeWeight("w", 16, 24)]), b.Normal("b", 0f, 0.3f, 24)]);
        b.AddNode("Identity", [tail(b, y)], [Output]);
        b.Output(Output, DataType.Float32, "N", 24);
        return b.ToBytes();
    }

    private static string GeluErf(OnnxModelBuilder b, string x, double divisor = 1.4142135381698608, int order = 0)
    {
        string onePlus = b.Node("Add", [b.Node("Erf", [b.Node("Div", [x, b.ScalarFloat("sqrt2", (float)divisor)])]), b.ScalarFloat("one", 1f)]);
        string half = b.ScalarFloat("half", 0.5f);
        return order switch
        {
            0 => b.Node("Mul", [b.Node("Mul", [x, onePlus]), half]),
            1 => b.Node("Mul", [b.Node("Mul", [onePlus, half]), x]),
            _ => b.Node("Mul", [b.Node("Mul", [x, half]), onePlus]),
        };
    }

    private static string GeluTanh(OnnxModelBuilder b, string x)
    {
        string cube = b.Node("Mul", [b.Node("Pow", [x, b.ScalarFloat("three", 3f)]), b.ScalarFloat("c", 0.044715f)]);
        string t = b.Node("Tanh", [b.Node("Mul", [b.Node("Add", [x, cube]), b.ScalarFloat("k", 0.7978845834732056f)])]);
        return b.Node("Mul", [b.Node("Mul", [x, b.ScalarFloat("half", 0.5f)]), b.Node("Add", [t, b.ScalarFloat("one", 1f)])]);
    }

    private static string Silu(OnnxModelBuilder b, string x) => b.Node("Mul", [x, b.Node("Sigmoid", [x])]);

    private static string HardSwish(OnnxModelBuilder b, string x, float alpha = 1f / 6f)
        => b.Node("Mul", [x, b.Node("HardSigmoid", [x], ("alpha", alpha), ("beta", 0.5f))]);

    private static string Mish(OnnxModelBuilder b, string x) => b.Node("Mul", [x, b.Node("Tanh", [b.Node("Softplus", [x])])]);

    public static TheoryData<string> FusingCases => ["gelu_erf", "gelu_erf_half_first", "gelu_erf_x_half_first", "gelu_tanh", "silu", "hardswish", "mish"];

    private static (Func<OnnxModelBuilder, string, string> Tail, string Activation) Case(string name) => name switch
    {
        "gelu_erf" => ((b, x) => GeluErf(b, x), OpTypes.Gelu),
        "gelu_erf_half_first" => ((b, x) => GeluErf(b, x, order: 1), OpTypes.Gelu),
        "gelu_erf_x_half_first" => ((b, x) => GeluErf(b, x, order: 2), OpTypes.Gelu),
        "gelu_tanh" => (GeluTanh, "GeluTanh"),
        "silu" => (Silu, OpTypes.Silu),
        "hardswish" => ((b, x) => HardSwish(b, x), OpTypes.HardSwish),
        _ => (Mish, OpTypes.Mish),
    };

    [Theory]
    [MemberData(nameof(FusingCases))]
    public void Activation_after_conv_fuses_into_the_conv(string name)
    {
        var (tail, activation) = Case(name);
        string result = Run(ConvThen(tail), g =>
        {
            // Besides the conv only LayoutPropagation's transposes (to channels-last and back) remain.
            Assert.Equal(activation, Single(g, OpTypes.Conv).Attributes.GetString("activation", ""));
            Assert.All(g.Nodes, n => Assert.Contains(n.OpType, (string[])[OpTypes.Conv, OpTypes.Transpose]));
        });
        output.WriteLine($"{name}: {result}");
    }

    [Theory]
    [MemberData(nameof(FusingCases))]
    public void Activation_after_linear_fuses_into_the_gemm(string name)
    {
        var (tail, activation) = Case(name);
        string result = Run(LinearThen(tail), g =>
        {
            var gemm = Assert.Single(g.Nodes);
            Assert.Equal(OpTypes.Gemm, gemm.OpType);
            Assert.Equal(activation, gemm.Attributes.GetString("activation", ""));
        });
        output.WriteLine($"{name}: {result}");
    }

    [Fact]
    public void Bias_and_activation_after_batched_matmul_fuse_into_the_matmul()
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 6);
        string x = b.Input(Input, DataType.Float32, "N", 3, 5, 16);
        string y = b.Node("Add", [b.Node("MatMul", [x, b.HeWeight("w", 16, 12)]), b.Normal("bias", 0f, 0.5f, 1, 12)]);
        b.AddNode("Identity", [GeluErf(b, y)], [Output]);
        b.Output(Output, DataType.Float32, "N", 3, 5, 12);
        Run(b.ToBytes(), g =>
        {
            Assert.Equal([OpTypes.MatMul], g.Nodes.Select(n => n.OpType == OpTypes.MatMul ? n.OpType : $"{n.OpType}({string.Join(", ", n.Inputs)})"));
            var matMul = g.Nodes[0];
            Assert.Equal(3, matMul.Inputs.Count);
            Assert.Equal(OpTypes.Gelu, matMul.Attributes.GetString("activation", ""));
        });
    }

    [Fact]
    public void Add_of_a_per_row_constant_after_batched_matmul_is_not_a_bias()
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 6);
        string x = b.Input(Input, DataType.Float32, "N", 3, 5, 16);
        string y = b.Node("Add", [b.Node("MatMul", [x, b.HeWeight("w", 16, 12)]), b.Normal("rows", 0f, 0.5f, 5, 1)]);
        b.AddNode("Identity", [y], [Output]);
        b.Output(Output, DataType.Float32, "N", 3, 5, 12);
        Run(b.ToBytes(), g => Assert.Equal(2, Single(g, OpTypes.MatMul).Inputs.Count));
    }

    /// <summary>Two convs with fused SiLU / HardSwish writing their channel slices of a Concat in place: each maps
    /// only its own slice.</summary>
    [Fact]
    public void Mapped_activations_of_convs_writing_concat_slices_stay_in_their_slices()
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 7);
        string x = b.Input(Input, DataType.Float32, "N", 4, 6, 6);
        string Conv(string name, int outChannels) => b.NamedNode(name, "Conv", [x, b.HeWeight(name + ".w", outChannels, 4, 3, 3), b.Normal(name + ".b", 0f, 0.3f, outChannels)],
            ("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 }));
        string left = Silu(b, Conv("left", 8)), right = HardSwish(b, Conv("right", 16));
        string cat = b.Node("Concat", [left, right], ("axis", 1));
        string fused = b.NamedNode("after", "Conv", [cat, b.HeWeight("after.w", 8, 24, 1, 1)], ("kernel_shape", new long[] { 1, 1 }));
        b.AddNode("Identity", [fused], [Output]);
        b.Output(Output, DataType.Float32, "N", 8, 6, 6);
        string result = Run(b.ToBytes(), g =>
        {
            Assert.Equal(OpTypes.Silu, g.Nodes.Single(n => n.Name == "left").Attributes.GetString("activation", ""));
            Assert.Equal(OpTypes.HardSwish, g.Nodes.Single(n => n.Name.StartsWith("right", StringComparison.Ordinal)).Attributes.GetString("activation", ""));
            Assert.Equal(2, g.Nodes.Count(n => n.Attributes.GetInt("concat_channels", 0) == 24)); // written in place
        });
        output.WriteLine(result);
    }

    [Fact]
    public void Gelu_with_a_wrong_constant_does_not_fuse()
        => Run(ConvThen((b, x) => GeluErf(b, x, divisor: 1.5)), g =>
        {
            Assert.Equal(1, CountWithChainSteps(g, OpTypes.Erf));
            Assert.Equal(0, CountWithChainSteps(g, OpTypes.Gelu));
            Assert.Equal("", Single(g, OpTypes.Conv).Attributes.GetString("activation", ""));
        });

    [Fact]
    public void HardSigmoid_with_onnx_default_slope_times_x_is_not_hardswish()
        => Run(ConvThen((b, x) => HardSwish(b, x, alpha: 0.2f)), g =>
        {
            Assert.Equal(1, CountWithChainSteps(g, OpTypes.HardSigmoid));
            Assert.Equal("", Single(g, OpTypes.Conv).Attributes.GetString("activation", ""));
        });

    /// <summary>Nodes of <paramref name="opType"/> plus the steps of that op inside FusedElementwise chains (the
    /// element-wise chain fusion runs after the activation patterns and takes what they left).</summary>
    private static int CountWithChainSteps(Atc.Compiler.Ir.Graph g, string opType)
        => Count(g, opType) + g.Nodes.Where(n => n.OpType == OpTypes.FusedElementwise)
            .Sum(n => n.Attributes.GetStrings("steps", []).Count(s => s.StartsWith(opType + ":", StringComparison.Ordinal)));

    [Fact]
    public void Sigmoid_read_elsewhere_too_does_not_fuse()
        => Run(ConvThen((b, x) =>
        {
            string s = b.Node("Sigmoid", [x]);
            return b.Node("Add", [b.Node("Mul", [x, s]), s]);
        }), g =>
        {
            Assert.Equal(1, Count(g, OpTypes.Sigmoid));
            Assert.Equal(0, Count(g, OpTypes.Silu));
        });

    [Fact]
    public void Gelu_whose_inner_sum_is_read_elsewhere_does_not_fuse()
        => Run(ConvThen((b, x) =>
        {
            string onePlus = b.Node("Add", [b.Node("Erf", [b.Node("Div", [x, b.ScalarFloat("sqrt2", 1.4142135381698608f)])]), b.ScalarFloat("one", 1f)]);
            string gelu = b.Node("Mul", [b.Node("Mul", [x, onePlus]), b.ScalarFloat("half", 0.5f)]);
            return b.Node("Add", [gelu, onePlus]);
        }), g => Assert.Equal(0, Count(g, OpTypes.Gelu)));
}
