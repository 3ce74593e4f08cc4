namespace Atc.Cli;

public static class Program
{
    public static int Main(string[] args) => AtcCli.Run(args, Console.Out, Console.Error);
}
