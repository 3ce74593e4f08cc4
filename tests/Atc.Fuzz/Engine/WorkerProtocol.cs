using System.Globalization;
using System.Text;
using Atc.Fuzz.Oracle;

namespace Atc.Fuzz.Engine;

/// <summary>
/// The lines a worker writes to stdout for its supervisor: "S i" before case i runs (so a process that dies is
/// blamed on the right case), "R i kind detail" after it, "M gc rss" with its peak memory before it exits.
/// </summary>
public static class WorkerProtocol
{
    public const int HangExitCode = 3;

    public static string Started(long index) => "S " + index.ToString(CultureInfo.InvariantCulture);

    public static string Result(long index, Outcome outcome)
        => "R " + index.ToString(CultureInfo.InvariantCulture) + " " + outcome.Kind + " " + Convert.ToBase64String(Encoding.UTF8.GetBytes(outcome.Detail));

    public static string Memory(long gcBytes, long rssBytes)
        => "M " + gcBytes.ToString(CultureInfo.InvariantCulture) + " " + rssBytes.ToString(CultureInfo.InvariantCulture);

    public static bool TryParseResult(string line, out long index, out Outcome outcome)
    {
        index = -1;
        outcome = Outcome.Passed;
        var parts = line.Split(' ');
        if (parts.Length != 4 || parts[0] != "R") return false;
        if (!long.TryParse(parts[1], CultureInfo.InvariantCulture, out index) || !Enum.TryParse<OutcomeKind>(parts[2], out var kind)) return false;
        outcome = new Outcome(kind, Encoding.UTF8.GetString(Convert.FromBase64String(parts[3])));
        return true;
    }
}
