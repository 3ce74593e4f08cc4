using Atc.Compiler.Emit;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Execution;
using Atc.Runtime.Format;
using Atc.Runtime.MicroKernels;
using Atc.Tests.Execution;
using Atc.Tests.NeuralNet;
using Atc.Tests.TestSupport;

namespace Atc.Tests.Format;

/// <summary>
/// An .om compiled on one machine runs on another: the blobs the compiler stores (and the raw weights it leaves out)
/// must not depend on the instruction set the compiler ran on. Compiled here (the best ISA), then loaded with the
/// kernels forced to AVX2 and to the portable Vector128 path: no key mismatch, same results within rounding.
/// </summary>
public class PrepackedPortabilityTests
{
    /// <summary>Channels-last x [N,12,12,16] → Conv 3x3 (Winograd) + Relu → Conv 1x1 → Flatten → Gemm (M = N: the small-M path).</summary>
    private static ModelGraph Net()
    {
        var nhwc = new OpAttributes().Set("layout", "NHWC");
        var b = new GraphBuilder();
        int x = b.Input("x");
        int w1 = b.Constant("w1", TensorData.Float([24, 16, 3, 3], ModelPipeline.RandomUniform(1, 24 * 16 * 9)));
        int b1 = b.Constant("b1", TensorData.Float([24], ModelPipeline.RandomUniform(2, 24)));
        int c1 = b.NodeWith("Conv", new OpAttributes().Set("layout", "NHWC").Set("pads", new long[] { 1, 1, 1, 1 }), x, w1, b1);
        int r1 = b.Node("Relu", c1);
        int w2 = b.Constant("w2", TensorData.Float([32, 24, 1, 1], ModelPipeline.RandomUniform(3, 32 * 24)));
        int c2 = b.NodeWith("Conv", nhwc, r1, w2);
        int flat = b.Node("Flatten", c2);
        int w3 = b.Constant("w3", TensorData.Float([10, 32 * 144], ModelPipeline.RandomUniform(4, 10 * 32 * 144)));
        b.Output(b.NodeWith("Gemm", new OpAttributes().Set("transB", 1L), flat, w3));
        return b.Build();
    }

    private static float[] Run(byte[] om, int batch, Isa? isa)
    {
        InferenceModel model;
        InferenceSession session;
        float[] result;
        // Kernels take the ISA when a gear is first run: create them under the override, then restore it.
        lock (OpRunner.IsaGate)
        {
            KernelIsa.Override = isa;
            try
            {
                model = InferenceModel.Load(om);
                session = model.CreateSession();
                var input = TensorData.Float([batch, 12, 12, 16], ModelPipeline.RandomUniform(9, batch * 12 * 12 * 16));
                result = session.Run(input)[0].AsSpan<float>().ToArray();
            }
            finally { KernelIsa.Override = null; }
        }
        session.Dispose();
        return result;
    }

    [Theory]
    [InlineData("Avx2")]
    [InlineData("Portable")]
    public void FileCompiledWithTheBestIsaRunsOnAnother(string isaName)
    {
        var isa = Enum.Parse<Isa>(isaName);
        var compiled = TestOm.Compile(Net(), OperatorResolvers.Registry, [[[1, 12, 12, 16]], [[2, 12, 12, 16]]],
            ModelGearKind.Batch, [[1], [2]]);
        var om = OmWriter.Write(WeightPrepacking.Apply(compiled));
        Assert.NotEmpty(OmReader.Read(om).Prepacked);
        foreach (int batch in new[] { 1, 2 })
        {
            var best = Run(om, batch, null);
            var other = Run(om, batch, isa);
            float scale = best.Max(MathF.Abs);
            for (int i = 0; i < best.Length; i++)
                Assert.True(MathF.Abs(best[i] - other[i]) <= 1e-5f * scale, $"batch {batch}, [{i}]: {best[i]} vs {other[i]} ({isa})");
        }
    }
}
