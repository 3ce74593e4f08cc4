namespace Atc.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("atc: not implemented yet");
        return 1;
    }
}
