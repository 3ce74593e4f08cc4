using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.Operators;

namespace Atc.Tests.NeuralNet;

/// <summary>
/// The check the specialised channels-last conv kernels share: for each batch, the case is built with constant
/// weights, the operator must pick <typeparamref name="TKernel"/> on every ISA, and its output on 1 and 2 threads must
/// match the scalar reference.
/// </summary>
internal static class ChannelsLastConvKernelCheck
{
    public static void MatchesReferenceOnEveryIsa<TKernel>(ConvCase single, params int[] batches) where TKernel : IKernel
    {
        foreach (int batch in batches)
        {
            var c = single with { X = [batch, .. single.X[1..]] };
            var (inputs, attrs, expected, dims) = ConvTests.Build(c, channelsLast: true, constantWeights: true);
            foreach (var isa in new Isa?[] { null, Isa.Avx2, Isa.Portable })
            {
                Assert.IsType<TKernel>(CreateKernel(attrs, inputs, isa));
                foreach (int threads in new[] { 1, 2 })
                {
                    var (actual, actualDims) = OpRunner.Run(OpTypes.Conv, attrs, inputs, threads, isa);
                    Assert.Equal(dims, actualDims);
                    TensorAssert.Close(expected, actual, what: $"batch={batch} isa={isa?.ToString() ?? "best"} threads={threads}");
                }
            }
        }
    }

    /// <summary>The kernel the Conv operator makes for these inputs with the ISA forced (null: the best the CPU has).</summary>
    public static IKernel CreateKernel(OpAttributes attrs, TestInput?[] inputs, Isa? isa)
    {
        var op = OperatorRegistry.Get(OpTypes.Conv);
        var context = OpRunner.Context(OpTypes.Conv, attrs, inputs);
        KernelIsa.Override = isa;
        try
        {
            return op.CreateKernel(context, op.InferOutputs(context));
        }
        finally
        {
            KernelIsa.Override = null;
        }
    }
}
