using Atc.Compiler.Ir;
using Atc.Compiler.Passes;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.Operators;
using Atc.TestModels.Onnx;
using Atc.Tests.TestSupport;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit.Abstractions;
using OrtOptions = Microsoft.ML.OnnxRuntime.SessionOptions;
using OrtSession = Microsoft.ML.OnnxRuntime.InferenceSession;

namespace Atc.Tests.Differential;

/// <summary>
/// AttentionPatternFusion and the Attention kernel against ONNX Runtime (1 thread; max |ours - ort| ≤ 1e-4 · max
/// |ort|) on self-attention written as PyTorch exports it (projections, Reshape/Transpose into heads, scores, scale,
/// mask, Softmax, weighted sum, back to tokens), at batch gears 1 and 3: every scale placement, additive masks
/// (constant causal, a runtime padding input), Where masks both ways round (GPT's causal -inf and a -1e9 fill), odd
/// head dims, sequences 1, 7, 64, 300 and 600 (blocks of keys), each ISA; and the near-misses that must not fuse.
/// </summary>
public class AttentionFusionDifferentialTests(ITestOutputHelper output)
{
    private const string Input = OnnxModels.InputName, Output = OnnxModels.OutputName, MaskInput = "mask";
    private static readonly int[] Batches = [1, 3];

    public enum Scale { DivAfter, MulAfterScalarFirst, MulOnQ, MulOnQAndK, None }
    public enum Mask { None, AddCausalConstant, AddPaddingInput, WhereKeepCausal, WhereDropLargeNegative, AddAfterScale }

    /// <summary>Self-attention on [N, S, H·hd]; with <paramref name="probabilitiesOut"/> the Softmax is also a graph output.</summary>
    private static byte[] Model(int sequence, int heads, int headDim, Scale scale, Mask mask, bool probabilitiesOut = false, bool scaleAfterMask = false)
    {
        int dim = heads * headDim;
        var b = new OnnxModelBuilder(opset: 13, seed: sequence * 31 + headDim);
        string x = b.Input(Input, DataType.Float32, "N", sequence, dim);
        string split = b.Int64s("split", 0, sequence, heads, headDim);
        string Project(string name, long[] perm)
        {
            string y = b.Node("MatMul", [x, b.Normal($"{name}.w", 0f, 1f / MathF.Sqrt(dim), dim, dim)]);
            y = b.Node("Add", [y, b.Normal($"{name}.b", 0f, 0.1f, dim)]);
            return b.Node("Transpose", [b.Node("Reshape", [y, split])], ("perm", perm));
        }
        string q = Project("q", [0, 2, 1, 3]), kt = Project("k", [0, 2, 3, 1]), v = Project("v", [0, 2, 1, 3]);
        float factor = 1f / MathF.Sqrt(headDim);
        if (scale == Scale.MulOnQ) q = b.Node("Mul", [q, b.ScalarFloat("q_scale", factor)]);
        if (scale == Scale.MulOnQAndK)
        {
            q = b.Node("Mul", [q, b.ScalarFloat("q_scale", MathF.Sqrt(factor))]);
            kt = b.Node("Mul", [kt, b.ScalarFloat("k_scale", MathF.Sqrt(factor))]);
        }
        string s = b.Node("MatMul", [q, kt]);
        string Scaled(string t) => scale switch
        {
            Scale.DivAfter => b.Node("Div", [t, b.ScalarFloat("sqrt_hd", MathF.Sqrt(headDim))]),
            Scale.MulAfterScalarFirst => b.Node("Mul", [b.ScalarFloat("inv_sqrt_hd", factor), t]),
            _ => t,
        };
        if (!scaleAfterMask) s = Scaled(s);
        var causalKeep = new byte[sequence * sequence];
        var causalAdd = new float[sequence * sequence];
        for (int i = 0; i < sequence; i++)
            for (int j = 0; j < sequence; j++)
            {
                causalKeep[i * sequence + j] = (byte)(j <= i ? 1 : 0);
                causalAdd[i * sequence + j] = j <= i ? 0f : -10000f;
            }
        switch (mask)
        {
            case Mask.AddCausalConstant:
                s = b.Node("Add", [s, b.Floats("causal", [sequence, sequence], causalAdd)]);
                break;
            case Mask.AddPaddingInput:
                s = b.Node("Add", [b.Input(MaskInput, DataType.Float32, "N", 1, 1, sequence), s]);
                break;
            case Mask.WhereKeepCausal:
                s = b.Node("Where", [b.Initializer("causal", TensorData.FromArray(DataType.Bool, [1, 1, sequence, sequence], causalKeep)), s,
                    b.ScalarFloat("minus_inf", float.NegativeInfinity)]);
                break;
            case Mask.WhereDropLargeNegative:
                var drop = causalKeep.Select(k => (byte)(1 - k)).ToArray();
                s = b.Node("Where", [b.Initializer("future", TensorData.FromArray(DataType.Bool, [sequence, sequence], drop)),
                    b.ScalarFloat("large_negative", -1e9f), s]);
                break;
        }
        if (scaleAfterMask) s = Scaled(s);
        string p = b.Node("Softmax", [s], ("axis", -1));
        string context = b.Node("MatMul", [p, v]);
        string tokens = b.Node("Reshape", [b.Node("Transpose", [context], ("perm", new long[] { 0, 2, 1, 3 })), b.Int64s("merge", 0, sequence, dim)]);
        b.AddNode("Identity", [tokens], [Output]);
        b.Output(Output, DataType.Float32, "N", sequence, dim);
        if (probabilitiesOut)
        {
            b.AddNode("Identity", [p], ["probabilities"]);
            b.Output("probabilities", DataType.Float32, "N", heads, sequence, sequence);
        }
        return b.ToBytes();
    }

    public static TheoryData<Scale, Mask, int, int, int> Patterns => new()
    {
        { Scale.DivAfter, Mask.None, 64, 3, 64 },
        { Scale.DivAfter, Mask.None, 1, 2, 8 },
        { Scale.MulAfterScalarFirst, Mask.AddCausalConstant, 7, 2, 5 },
        { Scale.MulOnQ, Mask.AddPaddingInput, 7, 3, 7 },
        { Scale.MulOnQAndK, Mask.WhereKeepCausal, 16, 4, 16 },
        { Scale.DivAfter, Mask.WhereDropLargeNegative, 64, 2, 13 },
        { Scale.None, Mask.AddPaddingInput, 300, 2, 16 },
        { Scale.DivAfter, Mask.WhereKeepCausal, 600, 1, 8 },
    };

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Attention_pattern_fuses_and_matches_onnx_runtime(Scale scale, Mask mask, int sequence, int heads, int headDim)
    {
        var report = Run(Model(sequence, heads, headDim, scale, mask), null, g =>
        {
            var attention = Assert.Single(g.Nodes, n => n.OpType == OpTypes.Attention);
            Assert.DoesNotContain(g.Nodes, n => n.OpType == OpTypes.Softmax);
            Assert.Equal(mask == Mask.None ? 3 : 4, attention.Inputs.Count);
            float expected = scale == Scale.None ? 1f : 1f / MathF.Sqrt(headDim);
            Assert.Equal(expected, attention.Attributes.GetFloat("scale", 0f), 1e-6f);
        });
        output.WriteLine(report);
    }

    [Theory]
    [InlineData((int)Isa.Portable)]
    [InlineData((int)Isa.Avx2)]
    [InlineData((int)Isa.Avx512)]
    public void Every_isa_path_matches_onnx_runtime(int isaCode)
    {
        var isa = (Isa)isaCode;
        if (isa > KernelIsa.Best) return;   // the CPU has no such path; the lower ones still run
        foreach (var (sequence, headDim) in new[] { (7, 5), (33, 24), (600, 17) })
            output.WriteLine($"{isa} seq {sequence} hd {headDim}: " + Run(Model(sequence, 2, headDim, Scale.DivAfter, Mask.AddPaddingInput), isa,
                g => Assert.Single(g.Nodes, n => n.OpType == OpTypes.Attention)));
    }

    [Fact]
    public void Probabilities_read_elsewhere_block_the_fusion()
        => Run(Model(7, 2, 4, Scale.DivAfter, Mask.None, probabilitiesOut: true), null, g =>
        {
            Assert.DoesNotContain(g.Nodes, n => n.OpType == OpTypes.Attention);
            Assert.Single(g.Nodes, n => n.OpType == OpTypes.Softmax);
        });

    [Fact]
    public void A_scale_after_the_mask_is_not_fused_and_stays_correct()
        => Run(Model(7, 2, 4, Scale.DivAfter, Mask.AddCausalConstant, scaleAfterMask: true), null,
            g => Assert.DoesNotContain(g.Nodes, n => n.OpType == OpTypes.Attention));

    /// <summary>Compiles with every pass at gears 1 and 3 (kernels made under <paramref name="isa"/>), checks the
    /// optimised graph, runs every gear against ONNX Runtime on seeded inputs (a padding mask masks the last third).</summary>
    private static string Run(byte[] onnx, Isa? isa, Action<Graph> check)
    {
        KernelIsa.Override = isa;
        try
        {
            var graph = ModelPipeline.ImportOnnx(onnx, "attention.onnx");
            var gears = ModelPipeline.BatchGears(graph, Batches);
            var inputs = graph.Inputs.Select(v => (v.Name, Dims: v.Shape!.Skip(1).Select(d => (int)d).ToArray())).ToList();
            PassPipeline.Run(graph);
            check(graph);
            var model = ModelPipeline.Emit(graph, gears);
            using var options = new OrtOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
            using var reference = new OrtSession(onnx, options);
            var report = new List<string>();
            foreach (int batch in Batches)
            {
                var feeds = new List<NamedOnnxValue>();
                var ours = new List<TensorData>();
                foreach (var (name, dims) in inputs)
                {
                    int[] shape = [batch, .. dims];
                    var data = ModelPipeline.RandomUniform(7 + batch, (int)Shape.ElementCount(shape));
                    if (name == MaskInput)
                        for (int i = 0; i < data.Length; i++) data[i] = i % dims[^1] >= dims[^1] * 2 / 3 + 1 ? -10000f : 0f;
                    else
                        for (int i = 0; i < data.Length; i++) data[i] *= 2;
                    feeds.Add(NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(data, shape)));
                    ours.Add(TensorData.Float(shape, data));
                }
                using var session = model.CreateSession();
                var actual = session.Run([.. ours])[0];
                using var results = reference.Run(feeds);
                var expected = results.Single(r => r.Name == Output).AsTensor<float>();
                var comparison = TensorCompare.ScaledClose(actual, TensorData.Float([.. expected.Dimensions], [.. expected]), PatternFusionHarness.Relative);
                Assert.True(comparison.Within, $"batch {batch}: {comparison}");
                report.Add($"batch {batch}: {comparison}");
            }
            return string.Join("; ", report);
        }
        finally
        {
            KernelIsa.Override = null;
        }
    }
}
