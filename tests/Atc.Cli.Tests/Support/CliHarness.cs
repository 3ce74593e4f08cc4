using Atc.Compiler.Driver;

namespace Atc.Cli.Tests.Support;

/// <summary>The outcome of one in-process atc run.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public string[] Lines => Stdout.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');
}

/// <summary>Runs the atc command line in process, capturing its output.</summary>
public static class CliHarness
{
    public static CliRun Run(CompilerServices services, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = AtcCli.Run(args, stdout, stderr, services);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The real pipeline (front ends, passes, emitter).</summary>
    public static CliRun RunReal(params string[] args) => Run(CompilerServices.Default, args);
}

/// <summary>A temporary folder, deleted at the end of the test.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "atc-tests-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>A file with some content, for options that only need the file to exist.</summary>
    public string Touch(string name, string content = "not parsed")
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
