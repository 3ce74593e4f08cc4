using Atc.Options.Errors;

namespace Atc.Cli;

public static class Program
{
    // Whatever happens, the exit code and the output agree: 0 only after the success banner, 1 always with a coded
    // diagnostic (what the MSBuild task shows), never a bare stack trace.
    public static int Main(string[] args)
    {
        try
        {
            return AtcCli.Run(args, Console.Out, Console.Error);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            DiagnosticPrinter.PrintFailure(Console.Out, [AtcErrors.InternalError(e.GetType().Name + ": " + e.Message.TrimEnd('.'))]);
            return 1;
        }
    }
}
