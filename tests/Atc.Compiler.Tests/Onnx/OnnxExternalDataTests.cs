using Atc.Compiler.Frontends.Onnx.Proto;
using Atc.Runtime;
using Atc.TestModels.Onnx;

namespace Atc.Tests.Onnx;

/// <summary>Initializers stored in a file next to the model (data_location = EXTERNAL).</summary>
public sealed class OnnxExternalDataTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("atc-onnx-ext-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static TensorProto External(string location, long? offset = null, long? length = null)
    {
        var t = new TensorProto { Name = "w", DataType = (int)DataType.Float32, Dims = { 2, 2 }, DataLocation = TensorProto.Types.DataLocation.External };
        t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        if (offset is { } o) t.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = o.ToString() });
        if (length is { } l) t.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = l.ToString() });
        return t;
    }

    private string WriteModel(TensorProto weight)
    {
        var b = new OnnxModelBuilder();
        b.Input("x", DataType.Float32, 2, 2);
        b.Initializer(weight);
        b.AddNode("Add", ["x", "w"], ["y"], "add");
        b.Output("y", DataType.Float32, 2, 2);
        string path = Path.Combine(_folder, "model.onnx");
        b.Save(path);
        return path;
    }

    private void WriteData(string name, params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        File.WriteAllBytes(Path.Combine(_folder, name), bytes);
    }

    [Fact]
    public void ReadsDataAtOffsetFromFileNextToModel()
    {
        WriteData("weights.bin", 9f, 1f, 2f, 3f, 4f, 9f);
        string path = WriteModel(External("weights.bin", offset: 4, length: 16));
        var g = OnnxTestSupport.Import(File.ReadAllBytes(path), path);
        var w = g.Single("Add").Inputs[1]!;
        Assert.Equal([1f, 2f, 3f, 4f], w.Constant!.ToFloatArray());
    }

    [Fact]
    public void MissingFileIsReportedWithItsName()
    {
        string path = WriteModel(External("absent.bin"));
        var d = OnnxTestSupport.ImportFails(File.ReadAllBytes(path), "ATC1201", path);
        Assert.Contains("'absent.bin'", d.Message);
        Assert.Contains("does not exist", d.Message);
    }

    [Fact]
    public void RangeBeyondTheFileIsReported()
    {
        WriteData("short.bin", 1f, 2f, 3f);
        string path = WriteModel(External("short.bin", offset: 4));
        var d = OnnxTestSupport.ImportFails(File.ReadAllBytes(path), "ATC1201", path);
        Assert.Contains("[4, 20)", d.Message);
        Assert.Contains("12 bytes", d.Message);
    }

    [Fact]
    public void LengthThatDoesNotMatchTheShapeIsReported()
    {
        WriteData("weights.bin", 1f, 2f, 3f, 4f);
        string path = WriteModel(External("weights.bin", length: 8));
        Assert.Contains("need 16", OnnxTestSupport.ImportFails(File.ReadAllBytes(path), "ATC1201", path).Message);
    }

    [Theory]
    [InlineData("../outside.bin", "ATC1100")]
    [InlineData("/etc/passwd", "ATC1101")]
    public void FilesOutsideTheModelFolderAreRefused(string location, string code)
    {
        string path = WriteModel(External(location));
        Assert.Contains(location, OnnxTestSupport.ImportFails(File.ReadAllBytes(path), code, path).Message);
    }
}
