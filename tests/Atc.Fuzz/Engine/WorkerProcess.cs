using System.Diagnostics;

namespace Atc.Fuzz.Engine;

/// <summary>Starts this program as a worker (the apphost next to the assembly, else `dotnet Atc.Fuzz.dll`).</summary>
public static class WorkerProcess
{
    /// <summary>The managed heap limit of a worker: an input that makes the compiler allocate more is an "excessive memory" finding.</summary>
    public const long HeapLimitBytes = 2L << 30;

    public static Process Start(IEnumerable<string> arguments)
    {
        var assembly = typeof(WorkerProcess).Assembly.Location;
        var apphost = Path.ChangeExtension(assembly, OperatingSystem.IsWindows() ? ".exe" : null);
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (File.Exists(apphost))
        {
            info.FileName = apphost;
        }
        else
        {
            info.FileName = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
            info.ArgumentList.Add(assembly);
        }
        info.ArgumentList.Add("--worker");
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.Environment["DOTNET_GCHeapHardLimit"] = "0x" + HeapLimitBytes.ToString("X");
        info.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        return Process.Start(info) ?? throw new InvalidOperationException("could not start a fuzz worker: " + info.FileName);
    }
}
