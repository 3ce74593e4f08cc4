using System.Text;
using Atc.Options.Aipp;

namespace Atc.Fuzz.Mutation;

/// <summary>
/// Mutates AIPP configuration text at the token level: values replaced by boundary numbers, other fields' enum words,
/// bools and junk; field names swapped for other aipp_op fields or misspelt; lines dropped, doubled or moved; braces,
/// colons and quotes inserted or removed; whole blocks duplicated. One in five mutations is byte level instead.
/// </summary>
public static class AippTextMutator
{
    private static readonly string[] Values =
    [
        "0", "1", "-1", "2", "3", "31", "32", "33", "255", "256", "-32768", "32767", "32768", "4095", "4096", "4097",
        "2147483647", "2147483648", "9223372036854775807", "99999999999999999999", "1.5", "-0.5", "1e9", "-1e9", "nan",
        "inf", "0x10", "+1", "1.", ".5", "true", "false", "True", "t", "static", "dynamic", "\"RGB888_U8\"", "\"\"",
        "YUV420SP_U8", "RGB888_U8", "XRGB8888_U8", "YUV400_U8", "ARGB8888_U8", "{", "}", ":", "#", "é", "\u001b[31m",
    ];

    private static readonly string[] Fragments = ["{", "}", ":", "\"", "'", "#", "aipp_op {", "\n}", ",", ";", " ", "\0"];

    public static string Mutate(string text, IReadOnlyList<string> donors, Random rng, List<string> log)
    {
        var lines = text.Split('\n').ToList();
        int at = rng.Next(lines.Count);
        string line = lines[at];
        int colon = line.IndexOf(':');
        switch (rng.Next(9))
        {
            case 0 when colon > 0:
                lines[at] = line[..(colon + 1)] + " " + rng.Pick(Values);
                log.Add("value of line " + (at + 1) + " -> " + lines[at].Trim());
                break;
            case 1 when colon > 0:
                lines[at] = "  " + rng.Pick(AippFieldTable.Names) + line[colon..];
                log.Add("field of line " + (at + 1) + " -> " + lines[at].Trim());
                break;
            case 2 when colon > 1:
                int cut = rng.Next(colon);
                lines[at] = line.Remove(cut, 1);
                log.Add("misspelt line " + (at + 1));
                break;
            case 3:
                lines.RemoveAt(at);
                log.Add("removed line " + (at + 1));
                break;
            case 4:
                lines.Insert(rng.Next(lines.Count + 1), line);
                log.Add("doubled line " + (at + 1));
                break;
            case 5:
                int position = rng.Next(line.Length + 1);
                string fragment = rng.Pick(Fragments);
                lines[at] = line.Insert(position, fragment);
                log.Add("inserted [" + fragment + "] in line " + (at + 1));
                break;
            case 6:
                string donor = rng.Pick(donors);
                lines.AddRange(donor.Split('\n'));
                log.Add("appended a donor config");
                break;
            case 7:
                lines.Insert(rng.Next(lines.Count + 1), "  " + rng.Pick(AippFieldTable.Names) + ": " + rng.Pick(Values));
                log.Add("added a field line");
                break;
            default:
                var bytes = ByteMutator.Mutate(Encoding.UTF8.GetBytes(text), donors.Select(Encoding.UTF8.GetBytes).ToList(), rng, log);
                return Encoding.UTF8.GetString(bytes);
        }
        return string.Join("\n", lines);
    }
}
