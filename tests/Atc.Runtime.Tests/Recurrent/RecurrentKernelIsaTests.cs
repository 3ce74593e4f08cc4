using Atc.Runtime;
using Atc.Runtime.MicroKernels;
using Atc.Tests.TestSupport;
using Xunit.Abstractions;

namespace Atc.Tests.Recurrent;

/// <summary>
/// The fused gate path of LSTM, GRU (linear_before_reset 0 and 1) and RNN on each kernel ISA (AVX-512, AVX2,
/// portable; a path above the machine's best runs the best), against ONNX Runtime: every direction, layout 0/1,
/// sequence_lens and initial states, batch gears 1 and 4. hidden_size 37 covers whole vectors of every width and a
/// one-element tail.
/// </summary>
public class RecurrentKernelIsaTests(ITestOutputHelper output)
{
    private const double Relative = 1e-4, Absolute = 1e-6;

    public static TheoryData<string, string, int, string> Cases()
    {
        var data = new TheoryData<string, string, int, string>();
        foreach (var cell in new[] { "LSTM", "GRU", "GRU_lbr", "RNN" })
            foreach (var direction in new[] { "forward", "reverse", "bidirectional" })
                foreach (int layout in new[] { 0, 1 })
                    foreach (var isa in new[] { nameof(Isa.Avx512), nameof(Isa.Avx2), nameof(Isa.Portable) })
                        data.Add(cell, direction, layout, isa);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fused_gates_match_onnx_runtime(string cell, string direction, int layout, string isa)
    {
        var test = new RecurrentCase(cell.Split('_')[0])
        {
            Direction = direction, Layout = layout, Hidden = 37, SequenceLens = true, InitialStates = true, Gears = [1, 4],
            LinearBeforeReset = cell.EndsWith("_lbr", StringComparison.Ordinal) ? 1 : 0,
        };
        InferenceModel model;
        KernelIsa.Override = Enum.Parse<Isa>(isa);
        try
        {
            model = ModelPipeline.Compile(ModelPipeline.ImportOnnx(test.Build(), cell + ".onnx"), test.GearSet());
        }
        finally { KernelIsa.Override = null; }

        byte[] reference = test.Build(layoutZeroReference: true);
        using var session = model.CreateSession(new SessionOptions { ThreadCount = 1 });
        foreach (int gear in test.Gears)
        {
            var inputs = test.Inputs(gear, seed: 300 + gear);
            var ours = session.Run([.. inputs.Select(i => i.Value)]);
            var expected = OrtRunner.Run(reference, inputs.ToDictionary(i => i.Name, i => i.Value));
            for (int k = 0; k < ours.Length; k++)
            {
                var comparison = TensorCompare.ScaledClose(ours[k], expected[k], Relative, Absolute);
                output.WriteLine($"{cell} {direction} layout {layout} {isa} gear {gear} output {k}: {comparison}");
                Assert.True(comparison.Within, $"{cell} {direction} layout {layout} {isa} gear {gear} output {k}: {comparison}");
            }
        }
    }
}
