using Atc.Cli.Manifest;

namespace Atc.Cli;

public static class Program
{
    // --manifest=PATH (the build integration's flag) is handled around ATC's command line.
    public static int Main(string[] args) =>
        ManifestWriter.RunWithManifest(args, atcArgs => AtcCli.Run(atcArgs, Console.Out, Console.Error), Console.Out);
}
