extern alias msbuildtask;
using System.Collections;
using System.Diagnostics;
using Atc.Build.Tests.Infrastructure;
using Atc.Options.Manifest;
using Microsoft.Build.Utilities;
using BuildLock = msbuildtask::Atc.MSBuild.BuildLock;
using CompileAscendModels = msbuildtask::Atc.MSBuild.CompileAscendModels;
using StaleTemporaries = msbuildtask::Atc.MSBuild.StaleTemporaries;

namespace Atc.Build.Tests;

/// <summary>
/// Builds of one project at the same time (two `dotnet build`s, a build and the IDE): the task runs four times in
/// parallel on one model with the real compiler, out of process as in a build. Before the fix they shared one
/// temporary name (`KEY.partial.om`) and most failed with "ATC0004 ... (exit code 0) without a diagnostic".
/// Also: a killed build's temporaries are removed by the next one, and the compiler's exit code and diagnostics agree.
/// </summary>
public sealed class ConcurrentBuildTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("atc-concurrent-");
    private string Obj => Path.Combine(_dir.FullName, "obj", "atc");
    private string Project => Path.Combine(_dir.FullName, "app.csproj");

    public ConcurrentBuildTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir.FullName, "Models"));
        File.WriteAllBytes(Path.Combine(_dir.FullName, "Models", "tiny.onnx"), TinyOnnx.Model());
        File.WriteAllText(Project, "<Project Sdk=\"Microsoft.NET.Sdk\" />");
    }

    public void Dispose()
    {
        try { _dir.Delete(recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void ParallelBuildsOfOneProjectAllSucceedAndLeaveNoTemporaries()
    {
        const int builds = 4, rounds = 3;
        var engines = Enumerable.Range(0, builds).Select(_ => new RecordingBuildEngine()).ToArray();
        // No options stamp: every build compiles (none can skip as "compiled meanwhile"), the worst case for a race;
        // a few rounds each, so compilations start and finish at shifting offsets against each other.
        var results = Enumerable.Range(0, builds).AsParallel().WithDegreeOfParallelism(builds)
            .Select(i => Enumerable.Range(0, rounds).All(_ => Task(engines[i], withStamp: false).Execute())).ToArray();

        for (var i = 0; i < builds; i++) Assert.True(results[i], $"build {i} failed:\n{engines[i].ErrorText()}");
        var manifest = ManifestFormat.Parse(File.ReadAllText(Path.Combine(Obj, "tiny.atcmanifest")));
        Assert.Equal([1, 2], manifest.Gears.Select(g => g.Selector.Single()));
        Assert.True(new FileInfo(Path.Combine(Obj, "tiny.om")).Length > 0);
        Assert.Equal(["tiny.atcmanifest", "tiny.om"], Leftovers());
    }

    [Fact]
    public void ABuildThatWaitsForAnotherReusesItsResult()
    {
        var stamp = Path.Combine(Obj, "tiny.options");
        Directory.CreateDirectory(Obj);
        File.WriteAllText(stamp, "options");
        var first = new RecordingBuildEngine();
        Assert.True(Task(first, withStamp: true).Execute(), first.ErrorText());

        var second = new RecordingBuildEngine();
        Assert.True(Task(second, withStamp: true).Execute(), second.ErrorText());
        Assert.Contains(second.Messages, m => m.Contains("compiled by a concurrent build"));
    }

    [Fact]
    public void ALockHeldTooLongIsACodedErrorNamingTheFolderAndTheWayOut()
    {
        Directory.CreateDirectory(Obj);
        Assert.Equal(BuildLock.Outcome.Acquired,
            BuildLock.TryAcquire(Path.Combine(Obj, BuildLock.FileName), TimeSpan.Zero, () => false, out var held, out _));
        using (held)
        {
            var engine = new RecordingBuildEngine();
            var task = Task(engine, withStamp: false);
            task.LockTimeoutSeconds = 1;
            var clock = Stopwatch.StartNew();
            Assert.False(task.Execute());
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the task did not give up"); // a hang guard, not a timing test
            var error = Assert.Single(engine.Errors);
            Assert.Equal("ATC0100", error.Code);
            Assert.Contains(Obj, error.Message);
            Assert.Contains("AtcLockTimeoutSeconds", error.Message);
        }
        Assert.False(File.Exists(Path.Combine(Obj, "tiny.om")));
    }

    [Fact]
    public void TheNextBuildRemovesOnlyTheTemporariesOfDeadBuilds()
    {
        Directory.CreateDirectory(Obj);
        var deadPid = 999_999_999; // above any pid_max: never a live process
        var livePid = Environment.ProcessId;
        string[] stale = [$"tiny.atcpart-{deadPid}-0123abcd.om", $".tiny.atcpart-{deadPid}-0123abcd.om.89ab4567.tmp", $"tiny.atcpart-{deadPid}-0123abcd.atcmanifest.tmp", ".tiny.partial.om.89ab4567.tmp", "tiny.atcmanifest.partial"];
        string[] kept = [$".tiny.atcpart-{livePid}-0123abcd.om.89ab4567.tmp", "tiny.om.bak", "notes.tmp", ".tiny.om.89ab4567.tmp"];
        foreach (var name in stale.Concat(kept)) File.WriteAllText(Path.Combine(Obj, name), "x");

        var removed = StaleTemporaries.Remove(Obj).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(stale.OrderBy(n => n, StringComparer.Ordinal), removed);
        Assert.Equal(kept.OrderBy(n => n, StringComparer.Ordinal), Leftovers());

        // A live id whose process started after the file was written is a reused id: that file is stale too.
        var reused = Path.Combine(Obj, $"tiny.atcpart-{livePid}-0123abcd.om");
        File.WriteAllText(reused, "x");
        File.SetLastWriteTimeUtc(reused, DateTime.UtcNow.AddDays(-1));
        Assert.Contains(reused, StaleTemporaries.Remove(Obj, _ => DateTime.UtcNow.AddHours(-1)));

        // Today's temporaries are a folder per compilation: a dead build's folder goes with its contents, a live one stays.
        var deadFolder = Path.Combine(Obj, $"tiny.atcpart-{deadPid}-4567cdef");
        var liveFolder = Path.Combine(Obj, $"tiny.atcpart-{livePid}-4567cdef");
        foreach (var folder in new[] { deadFolder, liveFolder })
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, ".tiny.om.89ab4567.tmp"), "x");
        }
        Assert.Equal([deadFolder], StaleTemporaries.Remove(Obj));
        Assert.False(Directory.Exists(deadFolder));
        Assert.True(Directory.Exists(liveFolder));
        Directory.Delete(liveFolder, recursive: true);
    }

    [Fact]
    public void ACompilerThatExitsWithZeroButWritesNothingIsACodedError()
    {
        if (OperatingSystem.IsWindows()) return; // the fake compiler is a shell script
        var engine = new RecordingBuildEngine();
        var task = FakeCompiler(engine, "echo 'ATC run success, welcome to the next use.'; exit 0");
        Assert.False(task.Execute());
        var error = Assert.Single(engine.Errors);
        Assert.Equal("ATC0101", error.Code);
        Assert.Contains("exit code 0", error.Message);
        Assert.Contains(".atcpart-", error.Message);
    }

    [Fact]
    public void ACodedErrorFailsTheBuildEvenWhenTheExitCodeIsZero()
    {
        if (OperatingSystem.IsWindows()) return;
        var engine = new RecordingBuildEngine();
        var task = FakeCompiler(engine, """
            for a in "$@"; do case "$a" in --output=*) : > "${a#--output=}.om";; --manifest=*) : > "${a#--manifest=}";; esac; done
            echo 'E10001: Value [x] for parameter [--input_shape] is invalid. Reason: test'
            exit 0
            """);
        Assert.False(task.Execute());
        Assert.Equal("E10001", Assert.Single(engine.Errors).Code);
        Assert.False(File.Exists(Path.Combine(Obj, "tiny.om")));
        Assert.Empty(Leftovers());
    }

    private CompileAscendModels FakeCompiler(RecordingBuildEngine engine, string script)
    {
        var compiler = Path.Combine(_dir.FullName, "fake-atc.sh");
        File.WriteAllText(compiler, script.Replace("\r\n", "\n") + "\n");
        var task = Task(engine, withStamp: false);
        task.CompilerPath = compiler;
        task.DotNetHostPath = "/bin/sh";
        return task;
    }

    private CompileAscendModels Task(RecordingBuildEngine engine, bool withStamp)
    {
        var metadata = new Hashtable
        {
            ["ModelFullPath"] = Path.Combine(_dir.FullName, "Models", "tiny.onnx"),
            ["AtcModel"] = "Models/tiny.onnx",
            ["AtcDefiningProject"] = Project,
            ["OmPath"] = Path.Combine(Obj, "tiny.om"),
            ["ManifestPath"] = Path.Combine(Obj, "tiny.atcmanifest"),
            ["InputShape"] = "x:-1,4",
            ["DynamicBatchSize"] = "1,2",
        };
        if (withStamp) metadata["StampPath"] = Path.Combine(Obj, "tiny.options");
        return new CompileAscendModels
        {
            BuildEngine = engine,
            Models = [new TaskItem(Path.Combine(Obj, "tiny.options"), metadata)],
            CompilerPath = Path.Combine(AppContext.BaseDirectory, "atc.dll"),
            ProjectPath = Project,
            TimeoutSeconds = 300,
        };
    }

    private string[] Leftovers() => Directory.Exists(Obj)
        ? Directory.GetFiles(Obj).Select(p => Path.GetFileName(p)).Where(n => n != BuildLock.FileName).OrderBy(n => n, StringComparer.Ordinal).ToArray()
        : [];
}
