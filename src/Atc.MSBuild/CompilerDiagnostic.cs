using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace Atc.MSBuild
{
    /// <summary>One coded line of the compiler's output ("E10035: ...") with the explanation lines that follow it.</summary>
    public sealed class CompilerDiagnostic
    {
        public CompilerDiagnostic(string code, string message, bool isWarning)
        {
            Code = code;
            Message = message;
            IsWarning = isWarning;
        }

        public string Code { get; }
        public string Message { get; set; }
        public bool IsWarning { get; }
    }

    /// <summary>
    /// Reads the compiler's output: ATC prints a banner, then `CODE: message` lines, each possibly followed by
    /// `Possible Cause:`, `Solution:` and (this project's) `Fix:` lines, which are appended to the message.
    /// </summary>
    public static class CompilerOutputParser
    {
        private static readonly Regex CodedLine = new Regex(@"^\s*(?<code>[EWAT][A-Z]?\d{4,5}|ATC\d{4}):\s*(?<message>.*)$", RegexOptions.CultureInvariant);
        private static readonly Regex ContinuationLine = new Regex(@"^\s*(?<label>Possible Cause|Solution|Fix|Reason):\s*(?<text>.*)$", RegexOptions.CultureInvariant);

        public static IReadOnlyList<CompilerDiagnostic> Parse(IEnumerable<string> lines)
        {
            var diagnostics = new List<CompilerDiagnostic>();
            CompilerDiagnostic? current = null;
            foreach (var line in lines)
            {
                var coded = CodedLine.Match(line);
                if (coded.Success)
                {
                    var code = coded.Groups["code"].Value;
                    current = new CompilerDiagnostic(code, coded.Groups["message"].Value.Trim(), code.StartsWith("W", System.StringComparison.Ordinal));
                    diagnostics.Add(current);
                    continue;
                }
                var continuation = ContinuationLine.Match(line);
                if (continuation.Success && current is not null)
                {
                    var label = continuation.Groups["label"].Value;
                    // The cause repeats the message in ATC's texts; the build line keeps the solution and the fix.
                    if (label != "Possible Cause") current.Message += " " + label + ": " + continuation.Groups["text"].Value.Trim();
                    continue;
                }
                if (line.Trim().Length == 0 || line.StartsWith("ATC run", System.StringComparison.Ordinal)) current = null;
            }
            return diagnostics;
        }

        private static readonly Regex OptionMention = new Regex(@"\[--(?<option>[a-z_]+)\]|--(?<option>[a-z_]+)=|\b(?<option>input_shape|dynamic_batch_size|dynamic_image_size|dynamic_dims|input_shape_range|input_format|out_nodes|soc_version)\b", RegexOptions.CultureInvariant);

        /// <summary>The ATC option a message is about (the first one it names), to report it at that attribute.</summary>
        public static string? OptionNamed(string message)
        {
            var match = OptionMention.Match(message);
            return match.Success ? match.Groups["option"].Value : null;
        }
    }
}
