namespace Atc.Cli.Run;

/// <summary>
/// `atc run --help` without the parser's "additional arguments" text: the runner takes unmatched tokens only to
/// report them as coded errors, so the help must not invite them.
/// </summary>
internal static class RunnerHelp
{
    public static string Clean(string help)
    {
        var lines = help.Replace("\r\n", "\n").Split('\n').ToList();
        int section = lines.FindIndex(l => l.StartsWith("Additional Arguments:", StringComparison.Ordinal));
        if (section >= 0)
        {
            int end = section + 1;
            while (end < lines.Count && lines[end].Length > 0) end++;
            lines.RemoveRange(section, end - section);
        }
        for (int i = 0; i < lines.Count; i++)
            lines[i] = lines[i].Replace(" [[--] <additional arguments>...]]", "", StringComparison.Ordinal);
        return string.Join(Environment.NewLine, lines).TrimEnd() + Environment.NewLine;
    }
}
