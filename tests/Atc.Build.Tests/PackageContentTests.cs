using System.IO.Compression;
using Atc.Build.Tests.Infrastructure;

namespace Atc.Build.Tests;

/// <summary>
/// `dotnet pack` at the root produces exactly the files listed in PackageContents/*.txt, even after the compiler's
/// output folder got a publish/ copy and a RID-specific build (the strays a glob over bin/ used to pick up). An
/// unexpected or missing file fails; after an intended change, rewrite the lists with ATC_UPDATE_PACKAGES=1.
/// </summary>
[Collection(RepositoryPackCollection.Name)]
public class PackageContentTests
{
    [Fact]
    public void EachPackageHoldsExactlyItsListedFiles()
    {
        var root = RepoRoot.Find();
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var cliOutput = Path.Combine(root, "src", "Atc.Cli", "bin", configuration, "net10.0");
        // Strays as a `dotnet publish` and a `-r linux-x64` build leave them next to the compiler.
        string[] strays = [Path.Combine(cliOutput, "publish", "atc.dll"), Path.Combine(cliOutput, "linux-x64", "atc.dll"), Path.Combine(cliOutput, "linux-x64", "libstray.so")];
        var planted = strays.Where(s => !File.Exists(s)).ToList();
        foreach (var stray in planted)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(stray)!);
            File.WriteAllText(stray, "stray");
        }
        var feed = Directory.CreateTempSubdirectory("atc-pack-");
        try
        {
            var pack = DotNet.Run(root, null, "pack", "-c", configuration, "-o", feed.FullName, "--disable-build-servers", "-nodeReuse:false");
            Assert.True(pack.Succeeded, pack.Tail(60));
            Assert.DoesNotMatch(@"\bwarning\b", pack.Output);
            foreach (var id in new[] { "Atc.Build", "Atc.Runtime", "Atc.Tool" })
            {
                var package = Directory.GetFiles(feed.FullName, id + ".*.nupkg").Single(p => char.IsDigit(Path.GetFileName(p)[id.Length + 1]));
                Assert.True(File.Exists(Path.ChangeExtension(package, ".snupkg")), id + " has no symbol package");
                using var zip = ZipFile.OpenRead(package);
                var actual = zip.Entries.Select(e => e.FullName).Where(n => !n.EndsWith(".psmdcp", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
                var listPath = Path.Combine(root, "tests", "Atc.Build.Tests", "PackageContents", id + ".txt");
                if (Environment.GetEnvironmentVariable("ATC_UPDATE_PACKAGES") == "1") File.WriteAllText(listPath, string.Join("\n", actual) + "\n");
                var expected = File.ReadAllLines(listPath).Where(l => l.Length > 0).ToList();
                Assert.True(expected.SequenceEqual(actual), id + ": unexpected " + string.Join(", ", actual.Except(expected)) + "; missing " + string.Join(", ", expected.Except(actual)));
                if (id == "Atc.Runtime") AssertRuntimeImage(zip, configuration);
            }
        }
        finally
        {
            foreach (var stray in planted) File.Delete(stray);
            try { feed.Delete(recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// The runtime users get is precompiled (ReadyToRun) when packed in Release (src/Atc.Runtime/ReadyToRun.targets)
    /// and keeps its IL, which any other OS, architecture or older CPU JIT-compiles instead; a Debug pack is IL only.
    /// </summary>
    private static void AssertRuntimeImage(ZipArchive package, string configuration)
    {
        using var entry = package.GetEntry("lib/net10.0/Atc.Runtime.dll")!.Open();
        using var copy = new MemoryStream();
        entry.CopyTo(copy);
        copy.Position = 0;
        var (readyToRun, ilBodies) = ReadyToRunImage.Inspect(copy);
        Assert.Equal(configuration == "Release", readyToRun);
        Assert.True(ilBodies > 1000, $"the packed Atc.Runtime.dll has {ilBodies} IL method bodies: the IL fallback is missing");

        // Consumers compile against ref/, an IL-only reference assembly (an image there gives them CS8012).
        using var reference = package.GetEntry("ref/net10.0/Atc.Runtime.dll")!.Open();
        using var referenceCopy = new MemoryStream();
        reference.CopyTo(referenceCopy);
        referenceCopy.Position = 0;
        Assert.False(ReadyToRunImage.Inspect(referenceCopy).ReadyToRun, "ref/net10.0/Atc.Runtime.dll is a ReadyToRun image");
    }
}

/// <summary>Tests that build or pack the repository's own projects run one at a time (they share bin/ and obj/).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RepositoryPackCollection
{
    public const string Name = "packs the repository";
}
