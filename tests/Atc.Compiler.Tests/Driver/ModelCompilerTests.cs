using Atc.Compiler.Driver;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Options.IO;

using Atc.Cli.Tests.Support;

namespace Atc.Compiler.Tests.Driver;

public class ModelCompilerTests
{
    private static AtcCommandOptions Options(string model, string output, string shape = "Inputs:1,224,224,3") => new()
    {
        Model = model,
        Framework = "3",
        Output = output,
        SocVersion = "Ascend310",
        InputShape = shape,
    };

    [Fact]
    public void Writes_the_emitted_bytes_and_no_temporary_file()
    {
        using var temp = new TempFolder();
        var pipeline = new FakePipeline { EmitOverride = () => [1, 2, 3, 4] };
        var result = new ModelCompiler(pipeline.Services).Compile(Options(temp.Touch("m.pb"), temp.File("out/m")));

        Assert.Equal(temp.File("out/m") + ".om", result.OmPath);
        Assert.Equal([1, 2, 3, 4], File.ReadAllBytes(temp.File("out/m.om")));
        Assert.Equal(["m.om"], Directory.GetFiles(temp.File("out")).Select(f => Path.GetFileName(f)!).ToArray());
    }

    [Fact]
    public void A_failing_emit_leaves_the_previous_output_untouched()
    {
        using var temp = new TempFolder();
        File.WriteAllBytes(temp.File("m.om"), [9, 9]);
        var pipeline = new FakePipeline { EmitOverride = () => throw new AtcException(AtcErrors.InvalidModel("gear 2 breaks node x")) };

        var e = Assert.Throws<AtcException>(() => new ModelCompiler(pipeline.Services).Compile(Options(temp.Touch("m.pb"), temp.File("m"))));

        Assert.Equal("ATC1202", e.Diagnostics[0].Code);
        Assert.Equal([9, 9], File.ReadAllBytes(temp.File("m.om")));
        Assert.Equal(2, Directory.GetFiles(temp.Path).Length); // m.pb and the old m.om, no temporary
    }

    [Fact]
    public void An_unwritable_output_is_a_coded_error_and_leaves_nothing()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File("m.om")); // a folder where the file should go
        var e = Assert.Throws<AtcException>(() => new ModelCompiler(new FakePipeline().Services).Compile(Options(temp.Touch("m.pb"), temp.File("m"))));

        Assert.Equal("E13004", e.Diagnostics[0].Code);
        Assert.StartsWith("Failed to write file [" + temp.File("m") + ".om]. Reason: ", e.Diagnostics[0].Message);
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }

    [Fact]
    public void AtomicFile_replaces_an_existing_file_whole()
    {
        using var temp = new TempFolder();
        var path = temp.File("a/b/x.bin");
        AtomicFile.WriteAllBytes(path, new byte[1000], "output");
        AtomicFile.WriteAllBytes(path, [7], "output");

        Assert.Equal([7], File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(temp.File("a/b")));
    }

    [Fact]
    public void Output_already_ending_in_om_is_kept()
    {
        using var temp = new TempFolder();
        var result = new ModelCompiler(new FakePipeline().Services).Compile(Options(temp.Touch("m.pb"), temp.File("x.om")));
        Assert.Equal(temp.File("x.om"), result.OmPath);
    }

    [Fact]
    public void Out_nodes_select_the_outputs_and_drop_unneeded_nodes()
    {
        using var temp = new TempFolder();
        var pipeline = new FakePipeline();
        var options = Options(temp.Touch("m.pb"), temp.File("m"));
        options.OutNodes = "relu:0";
        new ModelCompiler(pipeline.Services).Compile(options);

        var graph = pipeline.Emitted[0].Graph;
        Assert.Equal("relu:0", Assert.Single(graph.Outputs).Name);
        Assert.Equal(["relu"], graph.Nodes.Select(n => n.Name).ToArray());
    }

    [Fact]
    public void Out_nodes_errors_are_reported_with_the_shape_errors()
    {
        using var temp = new TempFolder();
        var options = Options(temp.Touch("m.pb"), temp.File("m"), shape: "Input:1,224,224,3");
        options.OutNodes = "prb:0;relu:3";
        var e = Assert.Throws<AtcException>(() => new ModelCompiler(new FakePipeline().Services).Compile(options));

        Assert.Equal(["E11017", "E11016", "E10016"], e.Diagnostics.Select(d => d.Code).ToArray());
        Assert.Equal("Failed to find node [prb] specified by [--out_nodes].", e.Diagnostics[0].Message);
        Assert.Contains("Did you mean [prob]?", e.Diagnostics[0].Fix);
        Assert.Equal("Failed to add Op [relu] to NetOutput. Op output index [3] is not less than [1]. NetOutput input_index [1] is not less than [2].", e.Diagnostics[1].Message);
        Assert.Contains("--input_shape=\"Inputs:1,224,224,3\"", e.Diagnostics[2].Fix);
    }

    [Fact]
    public void Option_errors_come_before_reading_the_model_but_use_it_for_fixes()
    {
        using var temp = new TempFolder();
        var pipeline = new FakePipeline("Placeholder");
        var options = Options(temp.Touch("m.pb"), temp.File("m"), shape: "Placeholder:-1,-1,-1,3");
        options.DynamicBatchSize = "2,4,8";

        var e = Assert.Throws<AtcException>(() => new ModelCompiler(pipeline.Services).Compile(options));

        Assert.Equal("E10018", Assert.Single(e.Diagnostics).Code);
        Assert.StartsWith("--input_shape=\"Placeholder:-1,224,224,3\" --dynamic_batch_size=\"2,4,8\".", e.Diagnostics[0].Fix);
        Assert.Empty(pipeline.Emitted);
    }

    [Fact]
    public void Input_formats_are_recorded_on_the_graph()
    {
        using var temp = new TempFolder();
        var pipeline = new FakePipeline();
        var options = Options(temp.Touch("m.pb"), temp.File("m"));
        options.InputFormat = "NHWC";
        new ModelCompiler(pipeline.Services).Compile(options);

        Assert.Equal(Ir.TensorFormat.NHWC, pipeline.Emitted[0].Graph.InputFormats["Inputs:0"]);
    }

    [Fact]
    public void Unsupported_frameworks_are_coded_errors_from_the_importer_lookup()
    {
        var e = Assert.Throws<AtcException>(() => ModelImporters.Create(AtcFramework.MindSpore));
        Assert.Equal("E10055", e.Diagnostics[0].Code);
    }

    [Fact]
    public void The_importer_lookup_gives_each_framework_its_front_end()
    {
        Assert.IsType<Atc.Compiler.Frontends.TensorFlow.TensorFlowImporter>(ModelImporters.Create(AtcFramework.TensorFlow));
        Assert.IsType<Atc.Compiler.Frontends.Onnx.OnnxImporter>(ModelImporters.Create(AtcFramework.Onnx));
        Assert.IsType<Atc.Compiler.Frontends.Caffe.CaffeImporter>(ModelImporters.Create(AtcFramework.Caffe, "net.caffemodel"));
    }
}
