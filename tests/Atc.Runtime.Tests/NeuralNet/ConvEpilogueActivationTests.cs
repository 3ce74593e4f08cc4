using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.Operators;
using Atc.Runtime.Operators.NeuralNet;

namespace Atc.Tests.NeuralNet;

/// <summary>
/// Each mapped activation (GELU, tanh-GELU, SiLU, HardSwish, Mish) fused into each Conv kernel family and into Gemm,
/// on every ISA path, at batch 4 with sizes that are not multiples of the tiles, against the scalar reference in
/// double. The kernels that apply the activation block by block must be chosen unwrapped (no second pass over the
/// output), the others (the stem, a channels-first conv with a residual) must keep the whole-output fallback, and
/// nothing may apply it twice.
/// </summary>
[Collection("NeuralNet")]
public class ConvEpilogueActivationTests
{
    private static readonly string[] Activations = ["Gelu", "GeluTanh", "Silu", "HardSwish", "Mish"];
    private static readonly string[] Isas = [nameof(Isa.Avx512), nameof(Isa.Avx2), nameof(Isa.Portable)];

    /// <summary>A case, its layout and the kernel the operator must return for it.</summary>
    private static readonly Dictionary<string, (ConvCase Case, bool ChannelsLast, Type Kernel)> Families = new()
    {
        ["nhwc-1x1"] = (new ConvCase("nhwc-1x1", [4, 20, 7, 9], 37, [1, 1]), true, typeof(ConvNhwcKernel)),
        ["nhwc-1x1-residual"] = (new ConvCase("nhwc-1x1-residual", [4, 20, 7, 9], 37, [1, 1], Residual: true), true, typeof(ConvNhwcKernel)),
        ["nhwc-3x3-s2"] = (new ConvCase("nhwc-3x3-s2", [4, 19, 11, 13], 29, [3, 3], Strides: [2, 2], Pads: [1, 1, 1, 1]), true, typeof(ConvNhwcKernel)),
        ["nchw-1x1"] = (new ConvCase("nchw-1x1", [4, 24, 17, 17], 35, [1, 1]), false, typeof(ConvNchwPointwiseKernel)),
        ["nchw-3x3-s2"] = (new ConvCase("nchw-3x3-s2", [4, 12, 9, 7], 21, [3, 3], Strides: [2, 2], Pads: [1, 1, 1, 1]), false, typeof(ConvNchwViaNhwcKernel)),
        ["nchw-3x3-s2-residual"] = (new ConvCase("nchw-3x3-s2-residual", [4, 12, 9, 7], 21, [3, 3], Strides: [2, 2], Pads: [1, 1, 1, 1], Residual: true), false, typeof(PostActivationKernel)),
        ["depthwise-nhwc-3x3"] = (new ConvCase("depthwise-nhwc-3x3", [4, 24, 13, 11], 24, [3, 3], Group: 24, Pads: [1, 1, 1, 1]), true, typeof(DepthwiseConvKernel)),
        ["depthwise-nhwc-5x5-s2"] = (new ConvCase("depthwise-nhwc-5x5-s2", [4, 20, 15, 13], 20, [5, 5], Group: 20, Strides: [2, 2], Pads: [2, 2, 2, 2]), true, typeof(DepthwiseConvKernel)),
        ["depthwise-nhwc-3x3-slide"] = (new ConvCase("depthwise-nhwc-3x3-slide", [4, 37, 9, 15], 37, [3, 3], Group: 37, Pads: [1, 1, 1, 1]), true, typeof(DepthwiseConvKernel)),
        ["depthwise-nhwc-3x3-s2-slide"] = (new ConvCase("depthwise-nhwc-3x3-s2-slide", [4, 21, 11, 19], 21, [3, 3], Group: 21, Strides: [2, 2], Pads: [1, 1, 1, 1]), true, typeof(DepthwiseConvKernel)),
        ["depthwise-nhwc-5x5-s2-slide"] = (new ConvCase("depthwise-nhwc-5x5-s2-slide", [4, 19, 9, 23], 19, [5, 5], Group: 19, Strides: [2, 2], Pads: [2, 2, 2, 2]), true, typeof(DepthwiseConvKernel)),
        ["depthwise-nhwc-7x7-slide"] = (new ConvCase("depthwise-nhwc-7x7-slide", [4, 18, 7, 15], 18, [7, 7], Group: 18, Pads: [3, 3, 3, 3]), true, typeof(DepthwiseConvKernel)),
        ["depthwise-nchw-3x3"] = (new ConvCase("depthwise-nchw-3x3", [4, 12, 10, 9], 12, [3, 3], Group: 12, Pads: [1, 1, 1, 1]), false, typeof(DepthwiseConvKernel)),
        ["winograd"] = (new ConvCase("winograd", [4, 32, 10, 9], 33, [3, 3], Pads: [1, 1, 1, 1]), true, typeof(ConvWinogradKernel)),
        ["winograd-residual"] = (new ConvCase("winograd-residual", [4, 32, 10, 9], 33, [3, 3], Pads: [1, 1, 1, 1], Residual: true), true, typeof(ConvWinogradKernel)),
        ["stem-fallback"] = (new ConvCase("stem-fallback", [4, 3, 17, 15], 19, [3, 3], Strides: [2, 2], Pads: [1, 1, 1, 1]), true, typeof(PostActivationKernel)),
    };

    public static IEnumerable<object[]> ConvCases() =>
        from family in Families.Keys
        from activation in Activations
        from isa in Isas
        select new object[] { family, activation, isa };

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void ConvWithMappedActivationMatchesReference(string family, string activation, string isaName)
    {
        var isa = Enum.Parse<Isa>(isaName);
        var (c, channelsLast, kernelType) = Families[family];
        var (inputs, attrs, expected, dims) = ConvTests.Build(c with { Activation = activation }, channelsLast, constantWeights: true);
        var f = MatMulEpilogueActivationTests.Activations[activation];
        expected = expected.Select(f).ToArray();

        Assert.IsType(kernelType, ChannelsLastConvKernelCheck.CreateKernel(attrs, inputs, isa));
        var (actual, actualDims) = OpRunner.Run(OpTypes.Conv, attrs, inputs, threads: 1, isa: isa);
        Assert.Equal(dims, actualDims);
        TensorAssert.Close(expected, actual, 1e-4, $"{family} {activation} on {isa}");
        Assert.Equal(actual, OpRunner.Run(OpTypes.Conv, attrs, inputs, threads: 2, isa: isa).Data);
    }

    public static IEnumerable<object[]> GemmCases() =>
        from shape in new[] { (M: 37, N: 29, K: 40), (M: 3, N: 45, K: 33) }
        from activation in Activations
        from isa in Isas
        select new object[] { shape.M, shape.N, shape.K, activation, isa };

    /// <summary>Gemm through the tiled driver (37 rows) and the GEMV path (3 rows), with a column bias.</summary>
    [Theory]
    [MemberData(nameof(GemmCases))]
    public void GemmWithMappedActivationMatchesReference(int m, int n, int k, string activation, string isaName)
    {
        var isa = Enum.Parse<Isa>(isaName);
        var (inputs, attrs, expected) = GemmTests.Build(m, n, k, transA: false, transB: false, "N", constant: true, activation: activation);
        var f = MatMulEpilogueActivationTests.Activations[activation];
        expected = expected.Select(f).ToArray();

        var op = OperatorRegistry.Get(OpTypes.Gemm);
        var context = OpRunner.Context(OpTypes.Gemm, attrs, inputs);
        Assert.IsType<GemmKernel>(op.CreateKernel(context, op.InferOutputs(context)));
        var (actual, _) = OpRunner.Run(OpTypes.Gemm, attrs, inputs, threads: 1, isa: isa);
        TensorAssert.Close(expected, actual, 1e-4, $"gemm {m}x{n}x{k} {activation} on {isa}");
        Assert.Equal(actual, OpRunner.Run(OpTypes.Gemm, attrs, inputs, threads: 2, isa: isa).Data);
    }
}
