using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Atc.MSBuild
{
    /// <summary>Joins arguments into one command line that both Windows' and .NET's argument parsers split back exactly.</summary>
    public static class CommandLine
    {
        public static string Join(IEnumerable<string> arguments) => string.Join(" ", arguments.Select(Quote));

        public static string Quote(string argument)
        {
            if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '"', '\n' }) < 0) return argument;
            var text = new StringBuilder("\"");
            var backslashes = 0;
            foreach (var c in argument)
            {
                if (c == '\\') { backslashes++; continue; }
                if (c == '"') { text.Append('\\', backslashes * 2 + 1).Append('"'); backslashes = 0; continue; }
                text.Append('\\', backslashes).Append(c);
                backslashes = 0;
            }
            return text.Append('\\', backslashes * 2).Append('"').ToString();
        }
    }
}
