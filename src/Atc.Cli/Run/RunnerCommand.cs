using System.CommandLine;

namespace Atc.Cli.Run;

/// <summary>`atc run`: executes an .om on input files, in the spirit of msame / ais_bench.</summary>
public static class RunnerCommand
{
    public static Command Create() => new("run", "Run an offline model (.om) on .npy/.bin inputs (msame/ais_bench style).");
}
