using System.Text.RegularExpressions;
using Atc.Build.Tests.Infrastructure;
using Atc.TestModels.Onnx;
using Xunit.Abstractions;

namespace Atc.Build.Tests;

/// <summary>
/// README.md's "Your own model" section followed literally, so the README cannot drift: its commands and code blocks
/// are read from the README, written into a fresh app exactly as printed and built and run against packages packed
/// just now. The only substitutions are the ones the README asks for: the feed folder's absolute path. The model is
/// the user's own (a generated one with the README's input name and shape); the image is 224x224 pure red.
/// One pack, one build and one run. Prints SKIPPED when the packages cannot be produced, as EndToEndTests does.
/// </summary>
[Collection(RepositoryPackCollection.Name)]
public class ReadmeYourOwnModelTests(ITestOutputHelper log)
{
    private const string FeedPlaceholder = "~/atc-feed";

    [Fact]
    public void TheReadmesYourOwnModelSectionWorksAsPrinted()
    {
        var root = RepoRoot.Find();
        var section = Section(File.ReadAllText(Path.Combine(root, "README.md")), "## Your own model");
        var blocks = CodeBlocks(section);
        var shell = blocks.Where(b => b.Language == "sh").Select(b => b.Text).ToList();
        var xml = blocks.Where(b => b.Language == "xml").Select(b => b.Text).ToList();
        var program = Assert.Single(blocks, b => b.Language == "csharp").Text;
        var packCommand = Assert.Single(shell.SelectMany(Lines), l => l.StartsWith("dotnet pack", StringComparison.Ordinal));
        var newCommand = Assert.Single(shell.SelectMany(Lines), l => l.StartsWith("dotnet new", StringComparison.Ordinal));
        var nugetConfig = Assert.Single(xml, b => b.Contains("<packageSources>", StringComparison.Ordinal));
        var items = Assert.Single(xml, b => b.Contains("<AscendModel", StringComparison.Ordinal));
        Assert.Contains(FeedPlaceholder, packCommand);
        Assert.Contains(FeedPlaceholder, nugetConfig);
        var runCommand = Regex.Match(section, @"`(dotnet run -c Release)` in the app's folder").Groups[1].Value;
        Assert.Equal("dotnet run -c Release", runCommand);

        var work = Directory.CreateTempSubdirectory("atc-readme-");
        var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string? version = null;
        try
        {
            // 1. The pack command as printed, for the two packages an app needs (the whole solution would also pack
            //    the tool, which the section does not use), into the feed. No -p:Version: the dev suffix is under test.
            var feed = Path.Combine(work.FullName, "atc-feed");
            var packArguments = Arguments(packCommand.Replace(FeedPlaceholder, feed));
            foreach (var project in new[] { "src/Atc.MSBuild/Atc.MSBuild.csproj", "src/Atc.Runtime/Atc.Runtime.csproj" })
            {
                var pack = DotNet.Run(root, null, [.. packArguments, Path.Combine(root, project), "--disable-build-servers", "-nodeReuse:false"]);
                if (!pack.Succeeded) { Skip("the packages can't be produced (dotnet pack failed):\n" + pack.Tail()); return; }
            }
            var runtimePackage = Path.GetFileName(Directory.GetFiles(feed, "Atc.Runtime.*.nupkg").Single(p => !p.EndsWith(".snupkg", StringComparison.Ordinal)));
            version = Regex.Match(runtimePackage, @"^Atc\.Runtime\.(?<v>.+)\.nupkg$").Groups["v"].Value;
            Assert.Matches(@"^0\.1\.0-dev\.\d{14}$", version);

            // 3. The app: `dotnet new console -n MyApp`, the nuget.config beside it, the items in its project file.
            var created = DotNet.Run(work.FullName, null, Arguments(newCommand));
            Assert.True(created.Succeeded, created.Tail());
            var app = Path.Combine(work.FullName, "MyApp");
            File.WriteAllText(Path.Combine(app, "nuget.config"), nugetConfig.Replace(FeedPlaceholder, feed));
            var projectFile = Path.Combine(app, "MyApp.csproj");
            var projectText = File.ReadAllText(projectFile);
            File.WriteAllText(projectFile, projectText.Replace("</Project>", items + "\n</Project>", StringComparison.Ordinal));
            var modelPath = Regex.Match(items, "<AscendModel Include=\"(?<path>[^\"]+)\"").Groups["path"].Value;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(app, modelPath))!);
            File.WriteAllBytes(Path.Combine(app, modelPath), RedIsClassNine());

            // 4. Program.cs exactly as printed, and the image it reads.
            File.WriteAllText(Path.Combine(app, "Program.cs"), program);
            var rgb = new byte[224 * 224 * 3];
            for (int i = 0; i < rgb.Length; i += 3) rgb[i] = 255;
            File.WriteAllBytes(Path.Combine(app, "image.rgb"), rgb);

            // 5. `dotnet run -c Release` in the app's folder.
            var run = DotNet.Run(app, null, [.. Arguments(runCommand), "--disable-build-servers"]);
            log.WriteLine(run.Tail(15));
            Assert.True(run.Succeeded, "dotnet run failed:\n" + run.Tail(60));
            Assert.Contains("class 9, score 0.9", run.Output);
        }
        finally
        {
            try { work.Delete(recursive: true); } catch (IOException) { }
            // The dev version is unique to this run: do not leave it in the machine's package folder.
            if (version is not null)
                foreach (var id in new[] { "atc.build", "atc.runtime" })
                    try { Directory.Delete(Path.Combine(globalPackages, id, version), recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>An ONNX model with the README's input ("input", [N,3,224,224]) and output ("output", [N,10]):
    /// global average pool, then scores = 0.1 k x mean(R): a pure red image is class 9 with score 0.9.</summary>
    private static byte[] RedIsClassNine()
    {
        var b = new OnnxModelBuilder(opset: 13) { GraphName = "readme" };
        var x = b.Input(OnnxModels.InputName, Atc.Runtime.DataType.Float32, CnnLayers.ImageDims(3, 224));
        var pooled = b.NamedNode("avgpool", "GlobalAveragePool", [x]);
        var flat = b.NamedNode("flatten", "Flatten", [pooled], ("axis", 1));
        var weights = new float[10 * 3];
        for (int k = 0; k < 10; k++) weights[k * 3] = 0.1f * k;
        b.AddNode("Gemm", [flat, b.Floats("fc.weight", [10, 3], weights), b.Zeros("fc.bias", 10)], [OnnxModels.OutputName], "fc", "",
            ("transB", 1));
        b.Output(OnnxModels.OutputName, Atc.Runtime.DataType.Float32, "N", 10);
        return b.ToBytes();
    }

    private static string Section(string readme, string heading)
    {
        var start = readme.IndexOf(heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '" + heading + "' section");
        var end = readme.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return readme[start..(end < 0 ? readme.Length : end)];
    }

    /// <summary>The fenced blocks of a section, with the list indentation removed.</summary>
    private static List<(string Language, string Text)> CodeBlocks(string section)
    {
        var blocks = new List<(string, string)>();
        foreach (Match m in Regex.Matches(section, @"^(?<indent>[ ]*)```(?<lang>\w+)\n(?<body>.*?)^\k<indent>```", RegexOptions.Multiline | RegexOptions.Singleline))
        {
            var indent = m.Groups["indent"].Value.Length;
            var lines = m.Groups["body"].Value.TrimEnd('\n').Split('\n').Select(l => l.Length >= indent ? l[indent..] : l.TrimStart());
            blocks.Add((m.Groups["lang"].Value, string.Join("\n", lines) + "\n"));
        }
        return blocks;
    }

    private static IEnumerable<string> Lines(string block)
        => block.Split('\n').Select(l => { var hash = l.IndexOf(" #", StringComparison.Ordinal); return (hash >= 0 ? l[..hash] : l).Trim(); })
            .Where(l => l.Length > 0 && !l.StartsWith('#'));

    /// <summary>The arguments after "dotnet" of a command as printed (the README's commands have no quoted spaces).</summary>
    private static string[] Arguments(string command) => command.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..];

    private void Skip(string reason)
    {
        if (Environment.GetEnvironmentVariable("ATC_E2E_REQUIRED") == "1") Assert.Fail(reason);
        log.WriteLine("SKIPPED: " + reason);
    }
}
