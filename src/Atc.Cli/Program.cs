using Atc.Cli.Manifest;
using Atc.Options;

namespace Atc.Cli;

public static class Program
{
    // --manifest=PATH (the build integration's flag) is handled around ATC's command line. Whatever happens, the exit
    // code and the output agree: 0 only after the success banner, 1 always with a coded diagnostic (what the MSBuild
    // task shows), never a bare stack trace.
    public static int Main(string[] args)
    {
        try
        {
            return ManifestWriter.RunWithManifest(args, atcArgs => AtcCli.Run(atcArgs, Console.Out, Console.Error), Console.Out);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            DiagnosticPrinter.PrintFailure(Console.Out, [AtcErrors.InternalError(e.GetType().Name + ": " + e.Message.TrimEnd('.'))]);
            return 1;
        }
    }
}
