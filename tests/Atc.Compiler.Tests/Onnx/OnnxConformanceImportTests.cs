using System.Text;
using Atc.Compiler.Frontends;
using Atc.Compiler.Frontends.Onnx;
using Atc.Options;
using Atc.Options.Errors;
using Xunit.Abstractions;

namespace Atc.Tests.Onnx;

/// <summary>Every model of the ONNX backend-test data either imports or names its unsupported ops.</summary>
public class OnnxConformanceImportTests(ITestOutputHelper output)
{
    private sealed record Outcome(string Folder, string Model, bool Imported, string[] UnsupportedOps, string Error);

    private static Outcome ImportOne(string folder, string file)
    {
        string model = Path.GetFileName(file) == "model.onnx" ? Path.GetFileName(Path.GetDirectoryName(file)!) : Path.GetFileNameWithoutExtension(file);
        try
        {
            var graph = new OnnxImporter().Import(File.ReadAllBytes(file), file);
            Assert.NotEmpty(graph.Outputs);
            return new Outcome(folder, model, true, [], "");
        }
        catch (AtcException e) when (e.Diagnostics.All(d => d.Code == "ATC1200"))
        {
            // "[Op] (node [name])" entries: the op part must be named.
            var ops = e.Diagnostics[0].Message.Split("), [").Select(s => s.TrimStart('[').Split("] (node")[0].Split(": [").Last()).ToArray();
            Assert.All(ops, op => Assert.False(string.IsNullOrWhiteSpace(op)));
            return new Outcome(folder, model, false, ops, "");
        }
    }

    private static IEnumerable<string> Models(string root, string folder)
    {
        string dir = Path.Combine(root, folder);
        return folder == "light"
            ? Directory.GetFiles(dir, "*.onnx").Order(StringComparer.Ordinal)
            : Directory.GetDirectories(dir).Order(StringComparer.Ordinal).Select(d => Path.Combine(d, "model.onnx")).Where(File.Exists);
    }

    [Fact]
    public void EveryConformanceModelImportsOrNamesItsUnsupportedOps()
    {
        if (OnnxTestPaths.ConformanceOnnx() is not { } root) return;
        string[] folders = ["light", "simple", "pytorch-converted", "pytorch-operator", "node"];
        var outcomes = folders.SelectMany(f => Models(root, f).Select(m => ImportOne(f, m))).ToList();

        var table = new StringBuilder();
        table.AppendLine($"{"folder",-20} {"models",6} {"imported",8} {"unsupported",11}  unsupported op types");
        foreach (var group in outcomes.GroupBy(o => o.Folder))
        {
            var ops = group.SelectMany(o => o.UnsupportedOps).Distinct().Order(StringComparer.Ordinal);
            table.AppendLine($"{group.Key,-20} {group.Count(),6} {group.Count(o => o.Imported),8} {group.Count(o => !o.Imported),11}  {string.Join(", ", ops)}");
        }
        foreach (var o in outcomes.Where(o => !o.Imported && o.Folder != "node"))
            table.AppendLine($"  not imported: {o.Folder}/{o.Model}: {string.Join(", ", o.UnsupportedOps)}");
        output.WriteLine(table.ToString());

        var light = outcomes.Where(o => o.Folder == "light").ToList();
        Assert.Equal(9, light.Count);
        Assert.All(light, o => Assert.True(o.Imported, o.Model));
        var node = outcomes.Where(o => o.Folder == "node").ToList();
        Assert.True(node.Count(o => o.Imported) * 2 > node.Count, $"node: only {node.Count(o => o.Imported)} of {node.Count} imported");
        foreach (var folder in new[] { "pytorch-converted", "pytorch-operator" })
        {
            var group = outcomes.Where(o => o.Folder == folder).ToList();
            Assert.True(group.Count(o => o.Imported) >= group.Count * 9 / 10,
                $"{folder}: only {group.Count(o => o.Imported)} of {group.Count} imported");
        }
    }
}
