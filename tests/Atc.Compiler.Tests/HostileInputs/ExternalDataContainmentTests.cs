using Atc.Compiler.Frontends.Onnx.Proto;
using Atc.Runtime;
using Atc.Tests.Onnx;
using Atc.TestModels.Onnx;

namespace Atc.Compiler.Tests.HostileInputs;

/// <summary>Issue 10: an ONNX model's external_data must not make the compiler read anything outside the model's
/// folder, whatever links, "..", absolute paths or control characters the location holds.</summary>
public sealed class ExternalDataContainmentTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("atc-ext-hostile-").FullName;
    private readonly string _modelFolder;
    private readonly string _outside;

    public ExternalDataContainmentTests()
    {
        _modelFolder = Directory.CreateDirectory(Path.Combine(_root, "model")).FullName;
        _outside = Directory.CreateDirectory(Path.Combine(_root, "secret")).FullName;
        WriteFloats(Path.Combine(_outside, "weights.bin"), 16);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static void WriteFloats(string path, int count)
    {
        var bytes = new byte[count * 4];
        for (int i = 0; i < count; i++) BitConverter.GetBytes((float)i).CopyTo(bytes, i * 4);
        File.WriteAllBytes(path, bytes);
    }

    private static TensorProto External(string location, long? offset = null, long? length = null)
    {
        var t = new TensorProto { Name = "w", DataType = (int)DataType.Float32, Dims = { 2, 2 }, DataLocation = TensorProto.Types.DataLocation.External };
        t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        if (offset is { } o) t.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = o.ToString() });
        if (length is { } l) t.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = l.ToString() });
        return t;
    }

    private string WriteModel(TensorProto weight, string? folder = null)
    {
        var b = new OnnxModelBuilder();
        b.Input("x", DataType.Float32, 2, 2);
        b.Initializer(weight);
        b.AddNode("Add", ["x", "w"], ["y"], "add");
        b.Output("y", DataType.Float32, 2, 2);
        string path = Path.Combine(folder ?? _modelFolder, "model.onnx");
        b.Save(path);
        return path;
    }

    private static Atc.Options.AtcDiagnostic Fails(string modelPath, string code)
        => OnnxTestSupport.ImportFails(File.ReadAllBytes(modelPath), code, modelPath);

    [Fact]
    public void A_symlinked_folder_leading_outside_is_refused()
    {
        // sub -> /etc, location "sub/passwd": the unresolved path is inside the folder, the real one is not.
        Directory.CreateSymbolicLink(Path.Combine(_modelFolder, "sub"), "/etc");
        var d = Fails(WriteModel(External("sub/passwd")), "ATC1100");
        Assert.Contains("[sub/passwd]", d.Message);
        Assert.Contains("[/etc/passwd]", d.Message);
        Assert.Contains(_modelFolder, d.Message);
    }

    [Fact]
    public void A_symlinked_file_leading_outside_is_refused()
    {
        File.CreateSymbolicLink(Path.Combine(_modelFolder, "weights.bin"), Path.Combine(_outside, "weights.bin"));
        var d = Fails(WriteModel(External("weights.bin")), "ATC1100");
        Assert.Contains(Path.Combine(_outside, "weights.bin"), d.Message);
    }

    [Fact]
    public void Dot_dot_after_a_link_is_applied_to_the_link_target()
    {
        // inner -> ../secret/deeper ; "inner/../weights.bin" is secret/weights.bin for the kernel, not model/weights.bin.
        Directory.CreateDirectory(Path.Combine(_outside, "deeper"));
        Directory.CreateSymbolicLink(Path.Combine(_modelFolder, "inner"), Path.Combine(_outside, "deeper"));
        WriteFloats(Path.Combine(_modelFolder, "weights.bin"), 4); // the decoy the unresolved path would name
        var d = Fails(WriteModel(External("inner/../weights.bin")), "ATC1100");
        Assert.Contains(Path.Combine(_outside, "weights.bin"), d.Message);
    }

    [Fact]
    public void Plain_dot_dot_is_refused()
        => Fails(WriteModel(External("../secret/weights.bin")), "ATC1100");

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("\\etc\\passwd")]
    public void Absolute_locations_are_refused(string location)
    {
        var d = Fails(WriteModel(External(location)), "ATC1101");
        Assert.Contains("absolute", d.Message);
        Assert.Contains(_modelFolder, d.Message);
    }

    [Theory]
    [InlineData("weights.bin\0.txt")]
    [InlineData("weights\u001b[2J.bin")]
    [InlineData("w\neights.bin")]
    public void NUL_and_control_characters_are_refused_and_printed_escaped(string location)
    {
        WriteFloats(Path.Combine(_modelFolder, "weights.bin"), 4);
        var d = Fails(WriteModel(External(location)), "ATC1101");
        Assert.Contains("control characters", d.Message);
        Assert.DoesNotContain(d.Message, char.IsControl);
        Assert.Contains("\\u00", d.Message);
    }

    [Fact]
    public void A_folder_is_not_a_data_file()
    {
        Directory.CreateDirectory(Path.Combine(_modelFolder, "data"));
        Assert.Contains("folder", Fails(WriteModel(External("data")), "ATC1101").Message);
    }

    [Fact]
    public void A_link_loop_is_refused_without_hanging()
    {
        File.CreateSymbolicLink(Path.Combine(_modelFolder, "a"), "b");
        File.CreateSymbolicLink(Path.Combine(_modelFolder, "b"), "a");
        Assert.Contains("symbolic links", Fails(WriteModel(External("a")), "ATC1101").Message);
    }

    [Fact]
    public void A_fifo_is_refused_without_blocking()
    {
        if (OperatingSystem.IsWindows()) return;
        string fifo = Path.Combine(_modelFolder, "pipe.bin");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        Assert.True(File.Exists(fifo));
        // A FIFO has no size: refused before it is opened (opening would wait for a writer).
        Assert.Contains("only 0 bytes", Fails(WriteModel(External("pipe.bin")), "ATC1201").Message);
    }

    [Fact]
    public void A_link_inside_the_folder_is_read_with_the_target_s_size_and_exact_range()
    {
        Directory.CreateDirectory(Path.Combine(_modelFolder, "data"));
        WriteFloats(Path.Combine(_modelFolder, "data", "real.bin"), 6);
        File.CreateSymbolicLink(Path.Combine(_modelFolder, "alias.bin"), Path.Combine("data", "real.bin"));
        string path = WriteModel(External("alias.bin", offset: 8, length: 16));
        var g = OnnxTestSupport.Import(File.ReadAllBytes(path), path);
        Assert.Equal([2f, 3f, 4f, 5f], g.Single("Add").Inputs[1]!.Constant!.ToFloatArray());

        // 6 floats = 24 bytes: offset 12 + 16 bytes runs past the target's end (the link itself is a few bytes).
        string beyond = WriteModel(External("alias.bin", offset: 12, length: 16));
        Assert.Contains("24 bytes", Fails(beyond, "ATC1201").Message);
    }

    [Fact]
    public void A_model_folder_reached_through_a_link_still_reads_its_own_files()
    {
        WriteFloats(Path.Combine(_modelFolder, "weights.bin"), 4);
        string linkedFolder = Path.Combine(_root, "linked");
        Directory.CreateSymbolicLink(linkedFolder, _modelFolder);
        string path = WriteModel(External("weights.bin"), linkedFolder);
        var g = OnnxTestSupport.Import(File.ReadAllBytes(path), path);
        Assert.Equal([0f, 1f, 2f, 3f], g.Single("Add").Inputs[1]!.Constant!.ToFloatArray());
    }

    [Fact]
    public void An_offset_near_long_max_is_a_coded_error()
    {
        WriteFloats(Path.Combine(_modelFolder, "weights.bin"), 4);
        Fails(WriteModel(External("weights.bin", offset: long.MaxValue - 4, length: 16)), "ATC1201");
    }
}
