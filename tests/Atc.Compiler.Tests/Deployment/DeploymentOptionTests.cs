using System.Text.Json;
using Atc.Compiler.Driver;
using Atc.Cli.Tests.Support;
using Atc.Options;
using Atc.Options.Errors;
using Atc.TestModels.TensorFlow;

namespace Atc.Compiler.Tests.Deployment;

/// <summary>ATC's options beyond shapes through the real atc command line: repeated options, ignored NPU options,
/// precision and output types, fusion switches, --keep_dtype, --check_report, --mode=1/3 on an original model.</summary>
public class DeploymentOptionTests
{
    private static string[] Base(string model, string output) =>
        ["--model=" + model, "--framework=3", "--output=" + output, "--soc_version=Ascend310", "--input_shape=Inputs:1,8"];

    private static string Model(TempFolder temp)
    {
        var path = temp.File("m.pb");
        TinyTensorFlowModel.Write(path, "Inputs", [-1, 8]);
        return path;
    }

    private static string[] Codes(CliRun run)
        => run.Lines.Select(l => l.StartsWith("[WARNING] ", StringComparison.Ordinal) ? l[10..] : l)
            .Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, "^(E[0-9A-Z]{5}|ATC[0-9]{4}): ")).Select(l => l[..l.IndexOf(':')]).ToArray();

    [Fact]
    public void Every_option_given_twice_never_crashes_and_the_last_value_wins()
    {
        using var temp = new TempFolder();
        var model = Model(temp);
        foreach (var name in AtcOptionCatalog.Names)
        {
            var run = CliHarness.RunReal([.. Base(model, temp.File("o")), "--" + name + "=first", "--" + name + "=second", "--mode=3"]);
            Assert.True(run.ExitCode is 0 or 1, name);
            Assert.DoesNotContain("ATC9999", run.Stdout);
            Assert.DoesNotContain("first", run.Stdout.Replace(temp.Path, ""));
        }
    }

    [Fact]
    public void Repeated_output_and_soc_version_take_the_last_value()
    {
        using var temp = new TempFolder();
        var model = Model(temp);
        var run = CliHarness.RunReal("--model=" + model, "--framework=3", "--output=" + temp.File("a"), "--output", temp.File("b"),
            "--soc_version=Ascend910", "--soc_version=Ascend310", "--input_shape=Inputs:9,8", "--input_shape=Inputs:1,8");

        Assert.Equal(0, run.ExitCode);
        Assert.False(File.Exists(temp.File("a.om")));
        Assert.True(File.Exists(temp.File("b.om")));
        Assert.Contains("--soc_version=Ascend310 recorded", run.Stdout);
    }

    [Fact]
    public void Ignored_NPU_options_succeed_with_a_coded_warning_saying_what_they_mean_on_a_CPU()
    {
        using var temp = new TempFolder();
        var run = CliHarness.RunReal([.. Base(Model(temp), temp.File("o")), "--buffer_optimize=l2_optimize", "--enable_small_channel",
            "--op_select_implmode=high_precision", "--is_input_adjust_hw_layout=true", "--op_name_map=" + temp.Touch("map.cfg")]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["ATC3000", "ATC3000", "ATC3000", "ATC3000", "ATC3000"], Codes(run));
        Assert.Contains("[WARNING] ATC3000: [--buffer_optimize=l2_optimize] is accepted and ignored: on Atc's CPU target L1/L2 buffers are NPU on-chip memories", run.Stdout);
        Assert.Contains("[WARNING] ATC3000: [--enable_small_channel] is accepted and ignored", run.Stdout);
    }

    [Fact]
    public void A_value_outside_ATCs_set_is_E10001_with_the_allowed_values()
    {
        using var temp = new TempFolder();
        var run = CliHarness.RunReal([.. Base(Model(temp), temp.File("o")), "--buffer_optimize=l3_optimize", "--precision_mode=fp64"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("E10001: Value [l3_optimize] for parameter [--buffer_optimize] is invalid. Reason: The value must be one of [l2_optimize, l1_optimize, off_optimize]", run.Stdout);
        Assert.Contains(run.Lines, l => l.StartsWith("E10001: Value [fp64] for parameter [--precision_mode] is invalid. Reason: The value must be one of [force_fp32,", StringComparison.Ordinal));
    }

    [Fact]
    public void Singleop_takes_the_place_of_model_and_framework_and_a_missing_description_is_coded()
    {
        using var temp = new TempFolder();
        var run = CliHarness.RunReal("--singleop=" + temp.File("missing.json"), "--output=" + temp.File("ops"), "--soc_version=Ascend310");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["E13000"], Codes(run));
        Assert.Contains("missing.json", run.Stdout);
        Assert.DoesNotContain("--model", run.Stdout);
    }

    [Theory]
    [InlineData("--precision_mode=force_fp32", new string[0])]
    [InlineData("--precision_mode=must_keep_origin_dtype", new string[0])]
    [InlineData("--precision_mode_v2=origin", new string[0])]
    [InlineData("--precision_mode=allow_mix_precision", new string[0])]
    [InlineData("--precision_mode=force_fp16", new string[0])]
    [InlineData("--precision_mode=allow_fp32_to_bf16", new string[0])]
    [InlineData("--precision_mode_v2=mixed_bfloat16", new string[0])]
    [InlineData("--precision_mode_v2=cube_hif8", new[] { "ATC3003" })]
    [InlineData("--precision_mode_v2=mixed_hif8", new[] { "ATC3003" })]
    public void Every_precision_mode_compiles_and_only_HiFloat8_warns_that_it_keeps_float32(string option, string[] codes)
    {
        using var temp = new TempFolder();
        var run = CliHarness.RunReal([.. Base(Model(temp), temp.File("o")), option]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(codes, Codes(run));
    }

    [Fact]
    public void Both_precision_options_are_mutually_exclusive()
    {
        using var temp = new TempFolder();
        var run = CliHarness.RunReal([.. Base(Model(temp), temp.File("o")), "--precision_mode=force_fp32", "--precision_mode_v2=origin"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["E10047"], Codes(run));
    }

    [Theory]
    [InlineData("--output_type=FP32", 0, new string[0])]
    [InlineData("--output_type=Relu:0:FP32", 0, new string[0])]
    [InlineData("--output_type=FP16", 0, new string[0])]
    [InlineData("--output_type=Relu:0:UINT8", 0, new string[0])]
    [InlineData("--output_type=Relu:1:FP16", 1, new[] { "ATC4100" })]
    [InlineData("--output_type=Inputs:0:FP16", 1, new[] { "ATC4100" })]
    [InlineData("--output_type=Relux:0:FP32", 1, new[] { "E10016" })]
    [InlineData("--output_type=FP64", 1, new[] { "E10001" })]
    [InlineData("--output_type=Relu:x:FP16", 1, new[] { "E10001" })]
    [InlineData("--output_type=INT16", 0, new string[0])]
    [InlineData("--output_type=Relu:0:DOUBLE", 0, new string[0])]
    [InlineData("--output_type=BFLOAT16", 1, new[] { "E10001" })]
    [InlineData("--output_type=Relu:0:BF16", 1, new[] { "E10001" })]
    [InlineData("--output_type=HIF8", 1, new[] { "E10055" })]
    [InlineData("--output_type=Relu:0:FP8E4M3FN", 1, new[] { "E10055" })]
    [InlineData("--input_fp16_nodes=Inputs", 0, new string[0])]
    [InlineData("--input_fp16_nodes=Relu", 1, new[] { "E10017" })]
    [InlineData("--input_fp16_nodes=Inputz", 1, new[] { "E10016" })]
    public void Output_types_and_fp16_inputs_are_checked(string option, int exitCode, string[] codes)
    {
        using var temp = new TempFolder();
        var run = CliHarness.RunReal([.. Base(Model(temp), temp.File("o")), option]);

        Assert.Equal(exitCode, run.ExitCode);
        Assert.Equal(codes, Codes(run));
    }

    [Fact]
    public void Fp16_inputs_and_uint8_outputs_change_the_signature_and_cast_at_the_boundary()
    {
        using var temp = new TempFolder();
        var om = temp.File("o");
        var run = CliHarness.RunReal([.. Base(Model(temp), om), "--input_fp16_nodes=Inputs", "--output_type=Relu:0:UINT8"]);
        Assert.Equal(0, run.ExitCode);

        var model = Atc.Runtime.InferenceModel.Load(om + ".om");
        Assert.Equal(Atc.Runtime.DataType.Float16, model.Signature.Inputs[0].Type);
        Assert.Equal(Atc.Runtime.DataType.UInt8, model.Signature.Outputs[0].Type);
        Half[] x = [(Half)(-1.5f), (Half)0.4f, (Half)2.6f, (Half)300f, (Half)255.5f, (Half)7f, Half.NegativeInfinity, Half.PositiveInfinity];
        var result = model.Run(Atc.Runtime.TensorData.FromArray(Atc.Runtime.DataType.Float16, [1, 8], x)).Single();
        // Relu, then float to uint8 truncates toward zero and saturates.
        Assert.Equal(new byte[] { 0, 0, 2, 255, 255, 7, 0, 255 }, result.Bytes.ToArray());
    }

    [Theory]
    [InlineData("UINT16", Atc.Runtime.DataType.UInt16, new double[] { 0, 0, 2, 300, 255, 7, 0, 65535 })]
    [InlineData("INT16", Atc.Runtime.DataType.Int16, new double[] { 0, 0, 2, 300, 255, 7, 0, 32767 })]
    [InlineData("UINT32", Atc.Runtime.DataType.UInt32, new double[] { 0, 0, 2, 300, 255, 7, 0, 4294967295 })]
    [InlineData("INT8", Atc.Runtime.DataType.Int8, new double[] { 0, 0, 2, 127, 127, 7, 0, 127 })]
    [InlineData("DOUBLE", Atc.Runtime.DataType.Float64, new double[] { 0, 0.5, 2.5, 300.25, 255.5, 7, 0, double.PositiveInfinity })]
    public void Output_types_cast_at_the_boundary(string atcType, Atc.Runtime.DataType type, double[] expected)
    {
        using var temp = new TempFolder();
        var om = temp.File("o");
        var run = CliHarness.RunReal([.. Base(Model(temp), om), "--output_type=" + atcType]);
        Assert.Equal(0, run.ExitCode);

        var model = Atc.Runtime.InferenceModel.Load(om + ".om");
        Assert.Equal(type, model.Signature.Outputs[0].Type);
        float[] x = [-1.5f, 0.5f, 2.5f, 300.25f, 255.5f, 7f, float.NegativeInfinity, float.PositiveInfinity];
        var result = model.Run(Atc.Runtime.TensorData.FromArray(Atc.Runtime.DataType.Float32, [1, 8], x)).Single();
        // Relu, then float to an integer type truncates toward zero and saturates.
        Assert.Equal(expected, Atc.Runtime.Operators.Common.TensorDataReader.ToDoubleArray(result));
    }

    [Fact]
    public void Keep_dtype_needs_the_file_and_warns_for_unknown_names()
    {
        using var temp = new TempFolder();
        var model = Model(temp);
        var missing = CliHarness.RunReal([.. Base(model, temp.File("o")), "--keep_dtype=" + temp.File("none.cfg")]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal(["E13000"], Codes(missing));

        var run = CliHarness.RunReal([.. Base(model, temp.File("o")), "--keep_dtype=" + temp.Touch("keep.cfg", "Relu\nReluu\nOpType::Relu\n")]);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["ATC3004"], Codes(run));
        Assert.Contains("Node [Reluu] listed in [--keep_dtype] file", run.Stdout);
        Assert.Contains("(line 2)", run.Stdout);
    }

    [Fact]
    public void Fusion_switch_file_turns_passes_off_by_ATC_name_own_name_or_ALL()
    {
        using var temp = new TempFolder();
        var model = Model(temp);
        IReadOnlySet<string>? seen = null;
        var services = new CompilerServices { Optimize = (graph, disabled) => { seen = disabled; Atc.Compiler.Passes.PassPipeline.Run(graph, disabled); } };

        var lines = CliHarness.Run(services, [.. Base(model, temp.File("o")), "--fusion_switch_file=" + temp.Touch("a.cfg", "ConvBatchnormFusionPass:off\nBiasAndActivationFusion:off\nNoSuchFusionPass:off\n")]);
        Assert.Equal(0, lines.ExitCode);
        Assert.Equal(["BatchNormFolding", "BiasAndActivationFusion"], seen!.Order());
        Assert.Equal(["ATC3001"], Codes(lines));

        var json = CliHarness.Run(services, [.. Base(model, temp.File("o")), "--fusion_switch_file=" + temp.Touch("b.json",
            "{\"Switch\":{\"GraphFusion\":{\"ALL\":\"off\",\"ConvConcatFusionPass\":\"on\"},\"UBFusion\":{\"TbeConv2DReluv2Pass\":\"off\"}}}")]);
        Assert.Equal(0, json.ExitCode);
        Assert.Equal(["ActivationPatternFusion", "AippNormalizationFolding", "AttentionPatternFusion", "BatchNormFolding", "BiasAndActivationFusion", "GatedMulFusion", "LayerNormPatternFusion", "LayoutPropagation", "QdqElementwiseFusion", "QdqFusion", "QdqGemmFusion"], seen!.Order());
    }

    [Theory]
    [InlineData("ConvBatchnormFusionPass off\n")]
    [InlineData("ConvBatchnormFusionPass:maybe\n")]
    [InlineData("{\"Switch\":{\"GraphFusion\":[1]}}")]
    [InlineData("{\"Switch\":")]
    public void A_malformed_fusion_switch_file_is_ATC3002_with_the_line(string content)
    {
        using var temp = new TempFolder();
        var run = CliHarness.RunReal([.. Base(Model(temp), temp.File("o")), "--fusion_switch_file=" + temp.Touch("bad.cfg", content)]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["ATC3002"], Codes(run));
        Assert.Contains("at line ", run.Stdout);
    }

    [Fact]
    public void Check_report_lists_every_node_even_when_ops_are_unsupported()
    {
        using var temp = new TempFolder();
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [1, 4]);
        var r = b.Unary("Relu", "relu", x);
        b.Unary("Digamma", "odd", r);
        var model = temp.File("odd.pb");
        b.Save(model);
        var report = temp.File("check.json");

        var run = CliHarness.RunReal("--model=" + model, "--framework=3", "--output=" + temp.File("o"), "--soc_version=Ascend310",
            "--check_report=" + report);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ATC1200", run.Stdout);
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal("failed", json.RootElement.GetProperty("result").GetString());
        var ops = json.RootElement.GetProperty("op").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!, o => o.GetProperty("result").GetString());
        Assert.Equal("success", ops["x"]);
        Assert.Equal("success", ops["relu"]);
        Assert.Equal("failed", ops["odd"]);
        Assert.Equal(1, json.RootElement.GetProperty("summary").GetProperty("unsupported").GetInt32());
        Assert.StartsWith("ATC1200: ", json.RootElement.GetProperty("import_errors")[0].GetString());
    }

    [Fact]
    public void Check_report_of_a_supported_model_says_success_and_the_model_is_compiled()
    {
        using var temp = new TempFolder();
        var report = temp.File("check.json");
        var run = CliHarness.RunReal([.. Base(Model(temp), temp.File("o")), "--check_report=" + report]);

        Assert.Equal(0, run.ExitCode);
        Assert.True(File.Exists(temp.File("o.om")));
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal("success", json.RootElement.GetProperty("result").GetString());
        Assert.Equal(["Inputs", "Relu"], json.RootElement.GetProperty("op").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
        Assert.False(json.RootElement.TryGetProperty("import_errors", out _));
    }

    [Fact]
    public void Mode_1_on_an_original_model_needs_no_shape_option_and_dumps_the_declared_model()
    {
        using var temp = new TempFolder();
        var model = Model(temp);
        var jsonPath = temp.File("m.json");

        var run = CliHarness.RunReal("--mode=1", "--framework=3", "--om=" + model, "--json=" + jsonPath);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(File.ReadAllText(jsonPath));
        var input = json.RootElement.GetProperty("inputs")[0];
        Assert.Equal("Inputs", input.GetProperty("name").GetString());
        Assert.Equal([-1, 8], input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        var nodes = json.RootElement.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("op").GetString()).ToList();
        Assert.Equal(["Placeholder", "Relu"], nodes);
        Assert.Equal("DT_FLOAT", json.RootElement.GetProperty("nodes")[1].GetProperty("attributes").GetProperty("T").GetProperty("type").GetString());
        Assert.Equal(["Relu"], json.RootElement.GetProperty("outputs").EnumerateArray().Select(o => o.GetString()));
    }

    [Fact]
    public void Mode_3_without_input_shape_names_the_inputs_to_set_with_their_declared_shapes()
    {
        using var temp = new TempFolder();
        var run = CliHarness.RunReal("--mode=3", "--model=" + Model(temp), "--framework=3", "--soc_version=Ascend310");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("E10001: Value [-1] for parameter [Inputs] is invalid. Reason: maybe you should set input_shape to specify its shape", run.Lines);
        Assert.Contains(run.Lines, l => l.StartsWith("Fix: --input_shape=\"Inputs:", StringComparison.Ordinal));
    }
}
