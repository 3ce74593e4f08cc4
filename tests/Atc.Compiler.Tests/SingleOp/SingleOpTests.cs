using Atc.Cli.Tests.Support;
using Atc.Runtime;

namespace Atc.Compiler.Tests.SingleOp;

/// <summary>
/// --singleop through the real atc command line: each op of ATC's JSON description becomes its own .om in the
/// --output folder, under ATC's default name or the op's "name"; each runs on the runtime and matches a reference
/// written here from the op's definition. Bad descriptions are coded errors with line and column.
/// </summary>
public class SingleOpTests
{
    private const string TwoOps = """
        [
          { "op": "Add",
            "input_desc": [ {"format": "ND", "shape": [3, 3], "type": "int32"}, {"format": "ND", "shape": [3, 3], "type": "int32"} ],
            "output_desc": [ {"format": "ND", "shape": [3, 3], "type": "int32"} ] },
          { "op": "Conv2D", "name": "conv2d",
            "input_desc": [ {"format": "NCHW", "shape": [1, 3, 6, 5], "type": "float16"}, {"format": "NCHW", "shape": [4, 3, 3, 3], "type": "float16"} ],
            "output_desc": [ {"format": "NCHW", "shape": [1, 4, 3, 5], "type": "float16"} ],
            "attr": [ {"name": "strides", "type": "list_int", "value": [1, 1, 2, 1]},
                      {"name": "pads", "type": "list_int", "value": [1, 0, 1, 1]},
                      {"name": "dilations", "type": "list_int", "value": [1, 1, 1, 1]} ] }
        ]
        """;

    private static CliRun Compile(TempFolder temp, string json, params string[] extra)
        => CliHarness.RunReal(["--singleop=" + temp.Touch("ops.json", json), "--output=" + temp.File("ops"), "--soc_version=Ascend310", .. extra]);

    [Fact]
    public void EachOpIsItsOwnOmUnderATCsNameAndRunsLikeTheReference()
    {
        using var temp = new TempFolder();
        var run = Compile(temp, TwoOps);
        Assert.True(run.ExitCode == 0, run.Stdout);
        Assert.Equal(["0_Add_3_2_3_3_3_2_3_3_3_2_3_3.om", "conv2d.om"], Directory.GetFiles(temp.File("ops")).Select(Path.GetFileName).Order());

        var add = InferenceModel.Load(temp.File("ops/0_Add_3_2_3_3_3_2_3_3_3_2_3_3.om"));
        int[] a = [.. Enumerable.Range(-4, 9)], b = [.. Enumerable.Range(0, 9).Select(i => i * 100)];
        var sum = add.Run(TensorData.FromArray(DataType.Int32, [3, 3], a), TensorData.FromArray(DataType.Int32, [3, 3], b))[0];
        Assert.Equal(DataType.Int32, sum.Type);
        Assert.Equal(a.Zip(b, (x, y) => x + y), sum.AsSpan<int>().ToArray());

        var conv = InferenceModel.Load(temp.File("ops/conv2d.om"));
        Assert.All(conv.Signature.Inputs, i => Assert.Equal(DataType.Float16, i.Type));
        var random = new Random(9);
        var x = Enumerable.Range(0, 3 * 6 * 5).Select(_ => (Half)(random.NextDouble() * 2 - 1)).ToArray();
        var w = Enumerable.Range(0, 4 * 3 * 3 * 3).Select(_ => (Half)(random.NextDouble() * 2 - 1)).ToArray();
        var y = conv.Run(TensorData.FromArray(DataType.Float16, [1, 3, 6, 5], x), TensorData.FromArray(DataType.Float16, [4, 3, 3, 3], w))[0];
        Assert.Equal([1, 4, 3, 5], y.Dims);
        var actual = y.AsSpan<Half>().ToArray();
        // Reference: stride 2 on H, pads top 1, bottom 0, left 1, right 1, from the definition.
        for (int o = 0; o < 4; o++)
            for (int oh = 0; oh < 3; oh++)
                for (int ow = 0; ow < 5; ow++)
                {
                    double expected = 0;
                    for (int c = 0; c < 3; c++)
                        for (int kh = 0; kh < 3; kh++)
                            for (int kw = 0; kw < 3; kw++)
                            {
                                int ih = oh * 2 + kh - 1, iw = ow + kw - 1;
                                if (ih < 0 || ih >= 6 || iw < 0 || iw >= 5) continue;
                                expected += (double)x[(c * 6 + ih) * 5 + iw] * (double)w[((o * 3 + c) * 3 + kh) * 3 + kw];
                            }
                    Assert.Equal(expected, (double)actual[(o * 3 + oh) * 5 + ow], 0.01);
                }
    }

    [Fact]
    public void MatMulWithTransposeAndBiasAndAConstantSoftmaxInput()
    {
        using var temp = new TempFolder();
        var run = Compile(temp, """
            [ { "op": "MatMul", "name": "mm",
                "input_desc": [ {"format": "ND", "shape": [2, 3], "type": "float"}, {"format": "ND", "shape": [4, 3], "type": "float"},
                                {"format": "ND", "shape": [4], "type": "float", "is_const": true, "const_value": [1, 2, 3, 4]} ],
                "output_desc": [ {"format": "ND", "shape": [2, 4], "type": "float"} ],
                "attr": [ {"name": "transpose_x2", "type": "bool", "value": true} ] },
              { "op": "SoftmaxV2", "name": "softmax",
                "input_desc": [ {"format": "ND", "shape": [2, 3], "type": "float"} ],
                "output_desc": [ {"format": "ND", "shape": [2, 3], "type": "float"} ],
                "attr": [ {"name": "axes", "type": "list_int", "value": [0]} ] } ]
            """);
        Assert.True(run.ExitCode == 0, run.Stdout);
        var mm = InferenceModel.Load(temp.File("ops/mm.om"));
        Assert.Equal(2, mm.Signature.Inputs.Count);   // the constant bias is inside the model
        float[] a = [1, 2, 3, 4, 5, 6], bT = [.. Enumerable.Range(0, 12).Select(i => i * 0.5f)];
        var y = mm.Run(TensorData.Float([2, 3], a), TensorData.Float([4, 3], bT))[0].ToFloatArray();
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 4; j++)
                Assert.Equal(Enumerable.Range(0, 3).Sum(k => a[i * 3 + k] * bT[j * 3 + k]) + (j + 1), y[i * 4 + j], 4);

        var softmax = InferenceModel.Load(temp.File("ops/softmax.om"));
        var s = softmax.Run(TensorData.Float([2, 3], 0, 1, 2, 2, 1, 0))[0].ToFloatArray();
        double e02 = Math.Exp(0) / (Math.Exp(0) + Math.Exp(2));
        Assert.Equal(e02, s[0], 5);   // axis 0: the columns sum to 1
        Assert.Equal(1.0, s[1] + s[4], 5);
    }

    [Fact]
    public void ModeThreeChecksEveryOpAndWritesNothing()
    {
        using var temp = new TempFolder();
        var run = Compile(temp, TwoOps, "--mode=3");
        Assert.True(run.ExitCode == 0, run.Stdout);
        Assert.Contains("Pre-check passed for 2 single op(s)", run.Stdout);
        Assert.False(Directory.Exists(temp.File("ops")));
    }

    [Theory]
    [InlineData("[{\"op\": \"Add\",\n  \"input_desc\": [1,}", "ATC4240", "is not valid at line 2, column 20")]
    [InlineData("{\"op\": \"Add\"}", "ATC4240", "the top level is an object, not an array of op descriptions")]
    [InlineData("[{\"op\": \"Addd\", \"input_desc\": [], \"output_desc\": []}]", "ATC4241", "Op 0 of single-op description")]
    [InlineData("[{\"op\": \"Relu\",\n \"input_desc\": [{\"format\": \"NC1HWC0\", \"shape\": [2], \"type\": \"float\"}], \"output_desc\": [{\"format\": \"ND\", \"shape\": [2], \"type\": \"float\"}]}]",
        "ATC4242", "(line 2, column 28): format [NC1HWC0] is not one of")]
    [InlineData("[{\"op\": \"Relu\", \"input_desc\": [{\"format\": \"ND\", \"shape\": [-1], \"type\": \"float\"}], \"output_desc\": [{\"format\": \"ND\", \"shape\": [2], \"type\": \"float\"}]}]",
        "ATC4242", "dim -1 is dynamic")]
    [InlineData("[{\"op\": \"Relu\", \"input_desc\": [{\"format\": \"ND\", \"shape\": [2], \"type\": \"float\"}], \"output_desc\": [{\"format\": \"ND\", \"shape\": [3], \"type\": \"float\"}]}]",
        "ATC4242", "the output is described as float [3], but Relu computes float32 [2]")]
    [InlineData("[{\"op\": \"Relu\", \"input_desc\": [{\"format\": \"ND\", \"shape\": [2], \"type\": \"float\"}], \"output_desc\": [{\"format\": \"ND\", \"shape\": [2], \"type\": \"float\"}], \"attr\": [{\"name\": \"alpha\", \"type\": \"float\", \"value\": 1}]}]",
        "ATC4242", "[alpha] is not an attribute of Relu here")]
    [InlineData("[{\"op\": \"Add\", \"input_desc\": [{\"format\": \"ND\", \"shape\": [2], \"type\": \"float\"}], \"output_desc\": [{\"format\": \"ND\", \"shape\": [2], \"type\": \"float\"}]}]",
        "ATC4242", "Add takes 2 inputs; input_desc has 1")]
    [InlineData("[{\"op\": \"Add\", \"input_desc\": [{\"format\": \"ND\", \"shape\": [2], \"type\": \"float\"}, {\"format\": \"ND\", \"shape\": [3], \"type\": \"float\"}], \"output_desc\": [{\"format\": \"ND\", \"shape\": [3], \"type\": \"float\"}]}]",
        "ATC4242", "Op 0 [Add]")]
    [InlineData("[{\"op\": \"Relu\", \"name\": \"../x\", \"input_desc\": [{\"format\": \"ND\", \"shape\": [2], \"type\": \"float\"}], \"output_desc\": [{\"format\": \"ND\", \"shape\": [2], \"type\": \"float\"}]}]",
        "ATC4242", "\"name\" [../x] is not a file name")]
    public void BadDescriptionsAreCodedErrorsWithTheirPlace(string json, string code, string message)
    {
        using var temp = new TempFolder();
        var run = Compile(temp, json);
        Assert.Equal(1, run.ExitCode);
        Assert.True(run.Stdout.Contains(code + ":") && run.Stdout.Contains(message), run.Stdout);
        Assert.DoesNotContain("   at ", run.Stdout + run.Stderr);
        Assert.False(Directory.Exists(temp.File("ops")));
    }
}
