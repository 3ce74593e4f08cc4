using Atc.Runtime;
using Atc.Tests.TestSupport;
using Xunit.Abstractions;

namespace Atc.Tests.Recurrent;

/// <summary>
/// ONNX LSTM, GRU and RNN against ONNX Runtime: every direction x layout 0/1, with and without sequence_lens and
/// initial states, peepholes, clip, input_forget, linear_before_reset 0/1, non-default activations with alpha/beta,
/// subsets of the outputs, and gears over the batch and over the sequence length. Each gear of the compiled model
/// is run and every output must be within 1e-4 · max|ort| + 1e-6 of ONNX Runtime's (1e-4 relative to the output's
/// magnitude; summation order differs between the two GEMMs).
/// </summary>
public class RecurrentDifferentialTests(ITestOutputHelper output)
{
    private const double Relative = 1e-4, Absolute = 1e-6;

    private static Dictionary<string, RecurrentCase> Cases()
    {
        var cases = new Dictionary<string, RecurrentCase>(StringComparer.Ordinal);
        foreach (var cell in new[] { "LSTM", "GRU", "RNN" })
            foreach (var direction in new[] { "forward", "reverse", "bidirectional" })
                foreach (int layout in new[] { 0, 1 })
                {
                    cases[$"{cell}_{direction}_layout{layout}_lens_states"] = new RecurrentCase(cell)
                    { Direction = direction, Layout = layout, SequenceLens = true, InitialStates = true };
                    cases[$"{cell}_{direction}_layout{layout}_plain"] = new RecurrentCase(cell) { Direction = direction, Layout = layout };
                }
        foreach (var direction in new[] { "forward", "reverse", "bidirectional" })
        {
            cases[$"LSTM_{direction}_peepholes_clip"] = new RecurrentCase("LSTM")
            { Direction = direction, Peepholes = true, Clip = 0.7f, SequenceLens = true, InitialStates = true };
            cases[$"GRU_{direction}_linear_before_reset"] = new RecurrentCase("GRU")
            { Direction = direction, LinearBeforeReset = 1, SequenceLens = true, InitialStates = true };
            cases[$"GRU_{direction}_linear_before_reset_clip_layout1"] = new RecurrentCase("GRU")
            { Direction = direction, LinearBeforeReset = 1, Clip = 0.5f, Layout = 1 };
        }
        cases["LSTM_input_forget_peepholes"] = new RecurrentCase("LSTM") { InputForget = 1, Peepholes = true, InitialStates = true };
        cases["LSTM_no_bias_only_Y_h"] = new RecurrentCase("LSTM") { Bias = false, Outputs = [false, true, false] };
        cases["LSTM_only_Y_c_bidirectional"] = new RecurrentCase("LSTM") { Direction = "bidirectional", Outputs = [false, false, true], SequenceLens = true };
        cases["GRU_only_Y"] = new RecurrentCase("GRU") { Outputs = [true, false, false], InitialStates = true };
        cases["LSTM_activations_alpha_beta"] = new RecurrentCase("LSTM")
        {
            Direction = "bidirectional",
            Activations = ["HardSigmoid", "ScaledTanh", "Softsign", "Sigmoid", "LeakyRelu", "Tanh"],
            Alphas = [0.25f, 0.9f, 0.2f], Betas = [0.45f, 1.1f],
            SequenceLens = true, InitialStates = true,
        };
        cases["GRU_activations_affine_elu"] = new RecurrentCase("GRU")
        { Activations = ["HardSigmoid", "Elu"], Alphas = [0.3f, 0.8f], Betas = [0.55f], InitialStates = true };
        cases["GRU_activations_softplus_relu"] = new RecurrentCase("GRU") { Direction = "reverse", Activations = ["Sigmoid", "Softplus"] };
        cases["RNN_activations_relu_affine"] = new RecurrentCase("RNN")
        { Direction = "bidirectional", Activations = ["Relu", "Affine"], Alphas = [0.7f], Betas = [0.1f], SequenceLens = true };
        cases["RNN_thresholded_relu"] = new RecurrentCase("RNN") { Activations = ["ThresholdedRelu"], Alphas = [0.1f] };
        cases["RNN_leaky_relu_clip"] = new RecurrentCase("RNN") { Activations = ["LeakyRelu"], Alphas = [0.2f], Clip = 0.8f };
        cases["RNN_sigmoid_elu_default_alpha"] = new RecurrentCase("RNN") { Direction = "bidirectional", Activations = ["Sigmoid", "Elu"] };
        cases["RNN_scaled_tanh_softsign"] = new RecurrentCase("RNN") { Direction = "bidirectional", Activations = ["ScaledTanh", "Softsign"], Alphas = [1.3f], Betas = [0.7f] };
        foreach (var cell in new[] { "LSTM", "GRU", "RNN" })
            foreach (int layout in new[] { 0, 1 })
                cases[$"{cell}_sequence_gears_layout{layout}"] = new RecurrentCase(cell)
                { Direction = "bidirectional", Layout = layout, SequenceGears = true, Gears = [2, 6], SequenceLens = true, InitialStates = true };
        cases["LSTM_batch_gears_gemm_path"] = new RecurrentCase("LSTM") { Direction = "bidirectional", Gears = [1, 4, 9], SequenceLens = true, InitialStates = true };
        return cases;
    }

    private static readonly Dictionary<string, RecurrentCase> All = Cases();

    public static TheoryData<string> Names => [.. All.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Matches_onnx_runtime_in_every_gear(string name)
    {
        var test = All[name];
        var graph = ModelPipeline.ImportOnnx(test.Build(), name + ".onnx");
        var model = ModelPipeline.Compile(graph, test.GearSet());
        byte[] reference = test.Build(layoutZeroReference: true);
        using var session = model.CreateSession(new SessionOptions { ThreadCount = 2 });
        foreach (int gear in test.Gears)
        {
            var inputs = test.Inputs(gear, seed: 100 + gear);
            var ours = session.Run([.. inputs.Select(i => i.Value)]);
            var expected = OrtRunner.Run(reference, inputs.ToDictionary(i => i.Name, i => i.Value));
            Assert.Equal(expected.Length, ours.Length);
            for (int k = 0; k < ours.Length; k++)
            {
                var comparison = TensorCompare.ScaledClose(ours[k], expected[k], Relative, Absolute);
                output.WriteLine($"{name} gear {gear} output {k}: {comparison}");
                Assert.True(comparison.Within, $"{name} gear {gear} output {k}: {comparison}");
            }
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(RecurrentCase.DefaultSequence + 1)]
    public void A_sequence_length_outside_the_sequence_is_a_coded_input_error(int badLength)
    {
        var test = new RecurrentCase("GRU") { Direction = "bidirectional", SequenceLens = true, Gears = [3] };
        var model = ModelPipeline.Compile(ModelPipeline.ImportOnnx(test.Build(), "gru.onnx"), test.GearSet());
        using var session = model.CreateSession(new SessionOptions { ThreadCount = 1 });
        var inputs = test.Inputs(3, seed: 7);
        int lens = inputs.FindIndex(i => i.Name == "seq_lens");
        inputs[lens] = ("seq_lens", TensorData.FromArray(DataType.Int32, [3], new[] { 2, badLength, 1 }));
        var error = Assert.Throws<InferenceInputException>(() => session.Run([.. inputs.Select(i => i.Value)]));
        Assert.Contains($"GRU: sequence_lens[1] is {badLength}, outside [0, {RecurrentCase.DefaultSequence}]", error.Message);
    }
}
