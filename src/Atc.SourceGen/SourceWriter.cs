using System.Text;

namespace Atc.SourceGen
{
    /// <summary>A StringBuilder that indents; "{" / "}" lines open and close a level.</summary>
    internal sealed class SourceWriter
    {
        private readonly StringBuilder _text = new StringBuilder();
        private int _indent;

        public SourceWriter Line(string line = "")
        {
            if (line.StartsWith("}", System.StringComparison.Ordinal)) _indent--;
            if (line.Length > 0) _text.Append(' ', _indent * 4).Append(line);
            _text.Append('\n');
            if (line == "{" || line.EndsWith(" {", System.StringComparison.Ordinal)) _indent++;
            return this;
        }

        /// <summary>Writes an XML doc comment; the text must already be XML-escaped where needed.</summary>
        public SourceWriter Doc(string summary, string? remarks = null)
        {
            Line("/// <summary>");
            foreach (var part in summary.Split('\n')) Line("/// " + part);
            Line("/// </summary>");
            if (remarks is not null)
            {
                Line("/// <remarks>");
                foreach (var part in remarks.Split('\n')) Line("/// " + part);
                Line("/// </remarks>");
            }
            return this;
        }

        public override string ToString() => _text.ToString();
    }
}
