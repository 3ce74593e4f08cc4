using System.Text;
using System.Text.RegularExpressions;
using Atc.Compiler.SingleOp;

namespace Atc.Fuzz.Mutation;

/// <summary>
/// Mutates single-op JSON (--singleop) at the token level: a number replaced by a boundary value, a string by another
/// op type, format, data type or junk, a bracket, comma or colon removed or doubled, an object or array element
/// duplicated, a donor description spliced in. One in five mutations is byte level instead.
/// </summary>
public static partial class JsonTextMutator
{
    private static readonly string[] Numbers =
    [
        "0", "-1", "1", "2", "3", "65535", "65536", "2147483647", "2147483648", "-2147483648", "9223372036854775807",
        "99999999999999999999", "1.5", "-0.0", "1e308", "1e309", "NaN", "true", "null", "[]", "{}", "\"3\"",
    ];

    private static readonly string[] Words =
    [
        "float", "float16", "int32", "int64", "uint8", "int8", "bool", "double", "string", "ND", "NCHW", "NHWC", "NC1HWC0",
        "FRACTAL_Z", "list_int", "list_float", "int", "bool", "", " ", "é", "\\u0000", "\\ud800", "list_list_int",
    ];

    private static readonly string[] Fragments = ["{", "}", "[", "]", ",", ":", "\"", "\\", "\0", "[[", "{}", "null"];

    [GeneratedRegex(@"-?\d+(\.\d+)?([eE][-+]?\d+)?")]
    private static partial Regex NumberToken();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex StringToken();

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex InnerObject();

    public static string Mutate(string text, IReadOnlyList<string> donors, Random rng, List<string> log)
    {
        switch (rng.Next(7))
        {
            case 0:
                return ReplaceOne(text, NumberToken(), _ => rng.Pick(Numbers), rng, log, "number");
            case 1:
                return ReplaceOne(text, StringToken(), _ => "\"" + (rng.Next(3) == 0 ? rng.Pick(SingleOpTable.Names.ToList()) : rng.Pick(Words)) + "\"", rng, log, "string");
            case 2:
                return ReplaceOne(text, InnerObject(), m => m.Value + ", " + m.Value, rng, log, "doubled object");
            case 3:
                return ReplaceOne(text, InnerObject(), _ => "", rng, log, "removed object");
            case 4:
            {
                int at = rng.Next(text.Length + 1);
                string fragment = rng.Pick(Fragments);
                log.Add("inserted [" + fragment + "] at " + at);
                return text.Insert(at, fragment);
            }
            case 5:
            {
                string donor = rng.Pick(donors).Trim();
                int close = text.LastIndexOf(']');
                log.Add("spliced a donor description");
                return close > 0 && donor.Length > 2 ? text[..close] + ", " + donor[1..^1] + text[close..] : text + donor;
            }
            default:
                var bytes = ByteMutator.Mutate(Encoding.UTF8.GetBytes(text), donors.Select(Encoding.UTF8.GetBytes).ToList(), rng, log);
                return Encoding.UTF8.GetString(bytes);
        }
    }

    private static string ReplaceOne(string text, Regex token, Func<Match, string> replacement, Random rng, List<string> log, string what)
    {
        var matches = token.Matches(text);
        if (matches.Count == 0) return text;
        var match = matches[rng.Next(matches.Count)];
        string value = replacement(match);
        log.Add(what + " at " + match.Index + ": " + match.Value + " -> " + value);
        return text[..match.Index] + value + text[(match.Index + match.Length)..];
    }
}
