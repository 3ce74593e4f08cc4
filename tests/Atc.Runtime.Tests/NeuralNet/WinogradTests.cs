using System.Runtime.InteropServices;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.Operators;
using Atc.Runtime.Operators.NeuralNet;
using Xunit.Abstractions;

namespace Atc.Tests.NeuralNet;

/// <summary>
/// The Winograd paths (F(4x4, 3x3) and F(2x2, 3x3)) of channels-last 3x3 convolutions against the scalar reference:
/// edge tiles (sizes not multiples of the tile), padding, channel counts that are not whole vectors, several K
/// blocks, the fused epilogue, batches, 1 and 2 threads (bitwise equal) and every instruction set; and where the
/// operator picks them.
/// </summary>
[Collection("NeuralNet")]
public class WinogradTests(ITestOutputHelper output)
{
    private static readonly ConvCase[] Cases =
    [
        new("5x7 pad 1, 17 -> 33", [1, 17, 5, 7], 33, [3, 3], Pads: [1, 1, 1, 1]),
        new("13x13 no pad, residual relu", [1, 33, 13, 13], 17, [3, 3], Residual: true, Activation: "Relu"),
        new("asymmetric pads, batch 3", [3, 20, 9, 11], 24, [3, 3], Pads: [0, 1, 2, 1]),
        new("clip, residual, no bias", [1, 16, 10, 6], 40, [3, 3], Pads: [1, 1, 1, 1], Bias: false, Residual: true,
            Activation: "Clip", ClipMin: -0.5f, ClipMax: 0.7f),
        new("56x56 pad 1", [1, 17, 56, 56], 20, [3, 3], Pads: [1, 1, 1, 1], Residual: true, Activation: "Relu"),
        new("one partial tile", [2, 16, 3, 2], 16, [3, 3], Pads: [1, 1, 1, 1]),
        new("wide channels, column blocks", [1, 70, 6, 9], 300, [3, 3], Pads: [1, 1, 1, 1], Activation: "Relu"),
        new("many tiles, batch 3", [3, 24, 30, 26], 32, [3, 3], Pads: [1, 1, 1, 1], Residual: true),
        new("more input channels than one K block", [1, 600, 6, 5], 20, [3, 3], Pads: [1, 1, 1, 1]),
    ];

    public static IEnumerable<object[]> Runs() =>
        from c in Cases
        from isa in new[] { "Avx512", "Avx2", "Portable" }
        from variant in new[] { 4, 2 }
        select new object[] { c.Name, isa, variant };

    [Theory]
    [MemberData(nameof(Runs))]
    public void MatchesReference(string name, string isaName, int variant)
    {
        var isa = (Isa)Math.Min((int)Enum.Parse<Isa>(isaName), (int)KernelIsa.Best);
        var c = Cases.Single(c => c.Name == name);
        var (inputs, attrs, expected, _) = ConvTests.Build(c, channelsLast: true, constantWeights: true);
        var tile = new WinogradTile(variant);
        var one = RunWinograd(attrs, inputs, threads: 1, isa, tile);
        var two = RunWinograd(attrs, inputs, threads: 2, isa, tile);
        // The error scales with the values before the activation clamps them.
        var unclamped = ConvTests.Build(c with { Activation = "" }, channelsLast: true, constantWeights: true).Expected;
        double scale = unclamped.Max(Math.Abs), worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - one[i]));
        output.WriteLine($"{name} {isa} F({variant}x{variant},3x3): max |diff| {worst:G3}, max |ref| {scale:G3}, relative {worst / scale:G3}");
        Assert.True(worst <= 1e-5 * scale + 1e-6, $"{name} {isa} F({variant}x{variant},3x3): max |diff| {worst:G3} over the tolerance (max |ref| {scale:G3})");
        Assert.Equal(one, two);
    }

    /// <summary>Runs the Winograd kernel itself (the operator would pick the direct GEMM for the smallest cases),
    /// with NaN in the output and 0xFF in scratch so a pixel not written or a stale scratch read shows.</summary>
    private static unsafe float[] RunWinograd(OpAttributes attrs, TestInput?[] inputs, int threads, Isa isa, WinogradTile tile)
    {
        var context = OpRunner.Context(OpTypes.Conv, attrs, inputs);
        var setup = ConvOperator.Resolve(context);
        var kernel = new ConvWinogradKernel(setup, ConstantWeights.Of(context, 1)!, isa, tile);
        var y = new float[setup.Output.ElementCount];
        Array.Fill(y, float.NaN);
        var scratch = new byte[Math.Max(1, kernel.ScratchBytes)];
        Array.Fill(scratch, (byte)0xFF);
        var handles = inputs.Select(i => i is null ? default : GCHandle.Alloc(i.Data, GCHandleType.Pinned)).ToList();
        handles.Add(GCHandle.Alloc(y, GCHandleType.Pinned));
        handles.Add(GCHandle.Alloc(scratch, GCHandleType.Pinned));
        try
        {
            nint[] ins = inputs.Select((i, k) => i is null ? 0 : handles[k].AddrOfPinnedObject()).ToArray();
            nint[] outs = [handles[^2].AddrOfPinnedObject()];
            kernel.Run(new KernelArgs(ins, outs, handles[^1].AddrOfPinnedObject(), OpRunner.Pool(threads)));
        }
        finally
        {
            foreach (var h in handles.Where(h => h.IsAllocated)) h.Free();
        }
        return y;
    }

    [Fact]
    public void ChosenWhereItWins()
    {
        var c = new ConvCase("28x28", [1, 32, 28, 28], 32, [3, 3], Pads: [1, 1, 1, 1]);
        Assert.IsType<ConvWinogradKernel>(CreateKernel(c, channelsLast: true, constantWeights: true));
        Assert.IsType<ConvWinogradKernel>(CreateKernel(c with { X = [1, 512, 7, 7], O = 512 }, channelsLast: true, constantWeights: true));
        Assert.Equal(WinogradTile.F4, ConvWinogradKernel.Choose(Geometry(56, 64)));
        Assert.Equal(WinogradTile.F2, ConvWinogradKernel.Choose(Geometry(7, 512)));
        Assert.Equal(WinogradTile.F2, ConvWinogradKernel.Choose(Geometry(28, 1024)));
        // On a 3x3 map every tile is mostly padding: 9 taps per pixel are cheaper.
        Assert.Null(ConvWinogradKernel.Choose(Geometry(3, 64)));
        Assert.Null(ConvWinogradKernel.Choose(Geometry(56, 8)));
        Assert.IsNotType<ConvWinogradKernel>(CreateKernel(c, channelsLast: false, constantWeights: true));
        Assert.IsNotType<ConvWinogradKernel>(CreateKernel(c, channelsLast: true, constantWeights: false));
        Assert.IsNotType<ConvWinogradKernel>(CreateKernel(c with { Strides = [2, 2] }, channelsLast: true, constantWeights: true));
        Assert.IsNotType<ConvWinogradKernel>(CreateKernel(c with { Dilations = [2, 2], Pads = [2, 2, 2, 2] }, channelsLast: true, constantWeights: true));
        Assert.IsNotType<ConvWinogradKernel>(CreateKernel(c with { X = [1, 3, 5, 7] }, channelsLast: true, constantWeights: true));
    }

    private static ConvGeometry Geometry(int size, int channels) => new()
    {
        Batch = 1, InChannels = channels, OutChannels = channels, ChannelsLast = true, SpatialRank = 2,
        InH = size, InW = size, OutH = size, OutW = size, KH = 3, KW = 3, PH = 1, PW = 1,
    };

    private static IKernel CreateKernel(ConvCase c, bool channelsLast, bool constantWeights)
    {
        var (inputs, attrs, _, _) = ConvTests.Build(c, channelsLast, constantWeights);
        var op = OperatorRegistry.Get(OpTypes.Conv);
        var context = OpRunner.Context(OpTypes.Conv, attrs, inputs);
        return op.CreateKernel(context, op.InferOutputs(context));
    }
}
