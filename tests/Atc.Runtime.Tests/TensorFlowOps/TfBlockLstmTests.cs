using Atc.Compiler.Frontends.TensorFlow.Proto;
using DataType = Atc.Compiler.Frontends.TensorFlow.Proto.DataType;
using Atc.Runtime;
using Atc.TestModels.TensorFlow;
using Atc.Tests.TestSupport;
using static Atc.Tests.TensorFlowOps.TfOpHarness;

namespace Atc.Tests.TensorFlowOps;

/// <summary>
/// BlockLSTM, BlockLSTMV2 and LSTMBlockCell end to end against a float64 step written here from TensorFlow's
/// documented cell: [x, h] · w + b split into gates (i, ci, f, o for the V1 forms, i, f, ci, o for V2),
/// f += forget_bias, optional peepholes (i and f on the previous cs, o on the new one), cs = f·cs_prev + i·tanh(ci),
/// h = o·tanh(cs); steps at and after seq_len_max give zeros.
/// </summary>
public class TfBlockLstmTests
{
    private const int Input = 3, Cell = 4, Batch = 2;

    private static float[] Values(int seed, int count, double scale = 0.5)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale))];
    }

    /// <summary>One step for every batch row: returns (h, cs).</summary>
    private static (double[] H, double[] Cs) Step(float[] x, double[] h, double[] cs, float[] w, float[] b, float[]? peep, bool v2, float forgetBias)
    {
        var newH = new double[Batch * Cell];
        var newCs = new double[Batch * Cell];
        static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
        for (int n = 0; n < Batch; n++)
            for (int j = 0; j < Cell; j++)
            {
                double Gate(int block)
                {
                    double sum = b[block * Cell + j];
                    for (int k = 0; k < Input; k++) sum += x[n * Input + k] * (double)w[k * 4 * Cell + block * Cell + j];
                    for (int k = 0; k < Cell; k++) sum += h[n * Cell + k] * w[(Input + k) * 4 * Cell + block * Cell + j];
                    return sum;
                }
                double prev = cs[n * Cell + j];
                double i = Gate(0), ci = Gate(v2 ? 2 : 1), f = Gate(v2 ? 1 : 2) + forgetBias, o = Gate(3);
                if (peep is not null) { i += peep[j] * prev; f += peep[Cell + j] * prev; }
                double c = Sigmoid(f) * prev + Sigmoid(i) * Math.Tanh(ci);
                if (peep is not null) o += peep[2 * Cell + j] * c;
                newCs[n * Cell + j] = c;
                newH[n * Cell + j] = Sigmoid(o) * Math.Tanh(c);
            }
        return (newH, newCs);
    }

    [Theory]
    [InlineData("BlockLSTM", false, 5)]
    [InlineData("BlockLSTM", true, 5)]
    [InlineData("BlockLSTM", false, 3)]   // seq_len_max below the length: zeros after it
    [InlineData("BlockLSTMV2", true, 5)]
    public void Block_lstm_matches_the_reference_cell(string op, bool peephole, int seqLenMax)
    {
        const int steps = 5;
        bool v2 = op == "BlockLSTMV2";
        float forgetBias = v2 ? 0f : 0.7f;
        float[] w = Values(1, (Input + Cell) * 4 * Cell), bias = Values(2, 4 * Cell), wci = Values(3, Cell), wcf = Values(4, Cell), wco = Values(5, Cell);
        float[] x = Values(6, steps * Batch * Input, 1), h0 = Values(7, Batch * Cell), c0 = Values(8, Batch * Cell);

        var b = new TfGraphBuilder();
        var xIn = b.Placeholder("x", [steps, Batch, Input]);
        var attributes = new List<(string, AttrValue)> { ("T", TfAttr.Type(DataType.DtFloat)), ("use_peephole", new AttrValue { B = peephole }), ("cell_clip", new AttrValue { F = -1 }) };
        if (!v2) attributes.Add(("forget_bias", new AttrValue { F = forgetBias }));
        b.Op(op, "lstm", [b.Const("seq_len_max", TfTensors.Int64([], seqLenMax)), xIn, b.Const("cs_prev", [Batch, Cell], c0), b.Const("h_prev", [Batch, Cell], h0),
            b.Const("w", [Input + Cell, 4 * Cell], w), b.Const("wci", [Cell], wci), b.Const("wcf", [Cell], wcf), b.Const("wco", [Cell], wco),
            b.Const("b", [4 * Cell], bias)], [.. attributes]);
        b.Identity("h", "lstm:6");

        var y = Assert.Single(Run(b, TensorData.Float([steps, Batch, Input], x)));

        var expected = new double[steps * Batch * Cell];
        double[] h = [.. h0.Select(v => (double)v)], cs = [.. c0.Select(v => (double)v)];
        for (int t = 0; t < seqLenMax; t++)
        {
            (h, cs) = Step(x[(t * Batch * Input)..((t + 1) * Batch * Input)], h, cs, w, bias, peephole ? [.. wci, .. wcf, .. wco] : null, v2, forgetBias);
            h.CopyTo(expected, t * Batch * Cell);
        }
        AssertClose(new RefTensor([steps, Batch, Cell], expected), y);
    }

    [Fact]
    public void Unrolled_lstm_block_cells_match_the_reference()
    {
        // Two chained LSTMBlockCell steps: the second reads the first's cs (output 1) and h (output 6).
        float[] w = Values(11, (Input + Cell) * 4 * Cell), bias = Values(12, 4 * Cell);
        float[] x = Values(13, 2 * Batch * Input, 1), h0 = Values(14, Batch * Cell), c0 = Values(15, Batch * Cell);
        var b = new TfGraphBuilder();
        var x0 = b.Placeholder("x0", [Batch, Input]);
        var x1 = b.Placeholder("x1", [Batch, Input]);
        string[] shared = [b.Const("w", [Input + Cell, 4 * Cell], w), b.Const("wci", [Cell], new float[Cell]), b.Const("wcf", [Cell], new float[Cell]),
            b.Const("wco", [Cell], new float[Cell]), b.Const("b", [4 * Cell], bias)];
        (string, AttrValue)[] attributes = [("T", TfAttr.Type(DataType.DtFloat)), ("forget_bias", new AttrValue { F = 1f }), ("cell_clip", new AttrValue { F = -1 })];
        b.Op("LSTMBlockCell", "step0", [x0, b.Const("cs_prev", [Batch, Cell], c0), b.Const("h_prev", [Batch, Cell], h0), .. shared], attributes);
        b.Op("LSTMBlockCell", "step1", [x1, "step0:1", "step0:6", .. shared], attributes);
        b.Identity("h", "step1:6");
        b.Identity("cs", "step1:1");

        var outputs = Run(b, TensorData.Float([Batch, Input], x[..(Batch * Input)]), TensorData.Float([Batch, Input], x[(Batch * Input)..]));

        double[] h = [.. h0.Select(v => (double)v)], cs = [.. c0.Select(v => (double)v)];
        (h, cs) = Step(x[..(Batch * Input)], h, cs, w, bias, null, false, 1f);
        (h, cs) = Step(x[(Batch * Input)..], h, cs, w, bias, null, false, 1f);
        AssertClose(new RefTensor([Batch, Cell], h), outputs[0]);
        AssertClose(new RefTensor([Batch, Cell], cs), outputs[1]);
    }

    [Fact]
    public void Reading_a_gate_output_or_clipping_the_cell_is_reported_unsupported()
    {
        var b = new TfGraphBuilder();
        b.Op("LSTMBlockCell", "cell", [b.Placeholder("x", [Batch, Input]), b.Const("cs_prev", [Batch, Cell], new float[Batch * Cell]),
            b.Const("h_prev", [Batch, Cell], new float[Batch * Cell]), b.Const("w", [Input + Cell, 4 * Cell], new float[(Input + Cell) * 4 * Cell]),
            b.Const("wci", [Cell], new float[Cell]), b.Const("wcf", [Cell], new float[Cell]), b.Const("wco", [Cell], new float[Cell]),
            b.Const("b", [4 * Cell], new float[4 * Cell])], ("T", TfAttr.Type(DataType.DtFloat)));
        b.Identity("h", "cell:6");
        // The op's default cell_clip is 3: a clipped cell state has no ONNX twin.
        var error = Assert.Throws<Atc.Options.AtcException>(() => ModelPipeline.ImportTensorFlow(b.ToBytes(), "cell.pb"));
        Assert.Contains("cell_clip", error.Message);
    }
}
