using System.Text;

namespace Atc.Fuzz.Mutation;

/// <summary>
/// Mutates "name=value" lines of option text at the token level: numbers to boundary values, separators (, ; : ~)
/// inserted, dropped or doubled, names swapped for other ATC options, values spliced from other seeds, lines added or
/// removed. Line-oriented so the same mutator serves key=value configuration text (AIPP's --insert_op_conf, later).
/// </summary>
public static class OptionTextMutator
{
    /// <summary>Option names a mutation may move a value to (ATC's spelling, without dashes).</summary>
    public static readonly string[] OptionNames =
    [
        "input_shape", "dynamic_batch_size", "dynamic_image_size", "dynamic_dims", "input_shape_range", "out_nodes",
        "input_format", "soc_version", "log", "framework",
    ];

    private static readonly string[] Tokens =
    [
        "-1", "0", "1", "-2", "2147483647", "2147483648", "4294967296", "9223372036854775807", "99999999999999999999",
        "1~10", "~", "-1~-1", ",", ";", ":", ";;", ",,", " ", "", "NCHW", "NHWC", "ND", "é", "\t", "1e3", "+1", "0x10",
        "?", "[1,2]", "x:1", "input", "Placeholder", "output:0", "output:99",
    ];

    public static string Mutate(string text, IReadOnlyList<string> donors, Random rng, List<string> log)
    {
        var lines = text.Split('\n').Where(l => l.Length > 0).ToList();
        int choice = rng.Next(9);
        if (lines.Count == 0 || choice == 0)
        {
            string line = rng.Pick(OptionNames) + "=" + rng.Pick(Tokens);
            lines.Insert(lines.Count == 0 ? 0 : rng.Next(lines.Count + 1), line);
            log.Add("added " + line);
            return string.Join("\n", lines);
        }
        int at = rng.Next(lines.Count);
        int eq = lines[at].IndexOf('=');
        string name = eq < 0 ? lines[at] : lines[at][..eq];
        string value = eq < 0 ? "" : lines[at][(eq + 1)..];
        switch (choice)
        {
            case 1:
                log.Add("removed " + lines[at]);
                lines.RemoveAt(at);
                break;
            case 2:
                string renamed = rng.Pick(OptionNames);
                log.Add($"moved the value of {name} to {renamed}");
                lines[at] = renamed + "=" + value;
                break;
            case 3 when donors.Count > 0:
                var donorLines = rng.Pick(donors).Split('\n').Where(l => l.Contains('=')).ToList();
                if (donorLines.Count == 0) goto default;
                var donor = rng.Pick(donorLines);
                lines[at] = name + "=" + donor[(donor.IndexOf('=') + 1)..];
                log.Add($"{name} took the value of another seed's {donor}");
                break;
            default:
                string mutated = MutateValue(value, rng);
                log.Add($"{name}: \"{value}\" -> \"{mutated}\"");
                lines[at] = name + "=" + mutated;
                break;
        }
        return string.Join("\n", lines);
    }

    /// <summary>One token-level change to a value: a number replaced, a token inserted, a span deleted or doubled.</summary>
    public static string MutateValue(string value, Random rng)
    {
        var numbers = new List<(int Start, int Length)>();
        for (int i = 0; i < value.Length;)
        {
            if (!char.IsAsciiDigit(value[i])) { i++; continue; }
            int start = i;
            while (i < value.Length && char.IsAsciiDigit(value[i])) i++;
            numbers.Add((start, i - start));
        }
        int pos = value.Length == 0 ? 0 : rng.Next(value.Length + 1);
        switch (rng.Next(5))
        {
            case 0 when numbers.Count > 0:
                var (s, l) = rng.Pick(numbers);
                return value[..s] + rng.Interesting().ToString(System.Globalization.CultureInfo.InvariantCulture) + value[(s + l)..];
            case 1:
                return value[..pos] + rng.Pick(Tokens) + value[pos..];
            case 2 when value.Length > 0:
                int end = Math.Min(value.Length, pos + 1 + rng.Next(6));
                return value[..Math.Min(pos, end)] + value[end..];
            case 3 when value.Length > 0:
                var sb = new StringBuilder(value);
                int from = rng.Next(value.Length);
                int count = Math.Min(value.Length - from, 1 + rng.Next(12));
                for (int r = rng.Next(1, 40); r > 0; r--) sb.Insert(from, value.AsSpan(from, count));
                return sb.ToString();
            default:
                return value.Length == 0 ? rng.Pick(Tokens) : value[..pos] + (char)rng.Next(32, 127) + value[pos..];
        }
    }
}
