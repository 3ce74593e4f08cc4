using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml;
using System.Xml.Linq;

namespace Atc.Options.ItemRules
{
    /// <summary>A place in a project file: 1-based line/column of start and end, and the character span.</summary>
    public sealed class ProjectLocation
    {
        public ProjectLocation(int line, int column, int endLine, int endColumn, int start, int length)
        {
            Line = line;
            Column = column;
            EndLine = endLine;
            EndColumn = endColumn;
            Start = start;
            Length = length;
        }

        public int Line { get; }
        public int Column { get; }
        public int EndLine { get; }
        public int EndColumn { get; }
        public int Start { get; }
        public int Length { get; }
    }

    /// <summary>
    /// Finds where an AscendModel item's attribute (or metadata element) is written in a project file, so a rule
    /// violation is reported at the text the user has to change. Tolerates projects that are being edited: on
    /// malformed XML it returns null and the caller reports at the file.
    /// </summary>
    public static class ProjectFileLocator
    {
        public const string ItemName = "AscendModel";

        /// <param name="projectText">the project file's text.</param>
        /// <param name="itemSpec">the item's Include as evaluated (one file).</param>
        /// <param name="attribute">the metadata name; null for the element itself (its Include attribute).</param>
        public static ProjectLocation? Find(string projectText, string itemSpec, string? attribute)
        {
            XDocument document;
            try
            {
                document = XDocument.Parse(projectText, LoadOptions.SetLineInfo | LoadOptions.PreserveWhitespace);
            }
            catch (XmlException)
            {
                return null;
            }

            var elements = document.Descendants().Where(e => e.Name.LocalName == ItemName).ToList();
            if (elements.Count == 0) return null;
            var element = elements.FirstOrDefault(e => IncludesItem(e, itemSpec, exact: true))
                ?? elements.FirstOrDefault(e => IncludesItem(e, itemSpec, exact: false))
                ?? elements[0];

            var lines = LineStarts(projectText);
            if (attribute is not null)
            {
                var xmlAttribute = element.Attributes().FirstOrDefault(a => string.Equals(a.Name.LocalName, attribute, StringComparison.OrdinalIgnoreCase));
                if (xmlAttribute is not null) return AttributeLocation(projectText, lines, xmlAttribute);
                var child = element.Elements().FirstOrDefault(e => string.Equals(e.Name.LocalName, attribute, StringComparison.OrdinalIgnoreCase));
                if (child is not null) return ElementLocation(projectText, lines, child);
            }
            var include = element.Attribute("Include");
            return include is not null ? AttributeLocation(projectText, lines, include) : ElementLocation(projectText, lines, element);
        }

        private static bool IncludesItem(XElement element, string itemSpec, bool exact)
        {
            var include = (string?)element.Attribute("Include");
            if (include is null) return false;
            var wanted = Normalize(itemSpec);
            foreach (var part in include.Split(';').Select(Normalize))
            {
                if (exact ? part == wanted : part.IndexOf('*') >= 0 || wanted.EndsWith("/" + part, StringComparison.Ordinal) || part.EndsWith("/" + wanted, StringComparison.Ordinal))
                    return true;
            }
            return false;
        }

        private static string Normalize(string path)
        {
            var normalized = path.Trim().Replace('\\', '/');
            while (normalized.StartsWith("./", StringComparison.Ordinal)) normalized = normalized.Substring(2);
            return normalized.ToLowerInvariant();
        }

        private static ProjectLocation? AttributeLocation(string text, List<int> lines, XAttribute attribute)
        {
            var info = (IXmlLineInfo)attribute;
            if (!info.HasLineInfo()) return null;
            var start = Offset(lines, info.LineNumber, info.LinePosition);
            // name = "value": end after the closing quote.
            var equals = text.IndexOf('=', start);
            var end = start + attribute.Name.LocalName.Length;
            if (equals >= 0)
            {
                var quoteStart = equals + 1;
                while (quoteStart < text.Length && char.IsWhiteSpace(text[quoteStart])) quoteStart++;
                if (quoteStart < text.Length && (text[quoteStart] == '"' || text[quoteStart] == '\''))
                {
                    var quoteEnd = text.IndexOf(text[quoteStart], quoteStart + 1);
                    if (quoteEnd > 0) end = quoteEnd + 1;
                }
            }
            return Make(lines, start, end);
        }

        private static ProjectLocation? ElementLocation(string text, List<int> lines, XElement element)
        {
            var info = (IXmlLineInfo)element;
            if (!info.HasLineInfo()) return null;
            // Line info points at the name after '<'; report from the '<'.
            var start = Math.Max(0, Offset(lines, info.LineNumber, info.LinePosition) - 1);
            var close = text.IndexOf('>', start);
            return Make(lines, start, close < 0 ? start + 1 : close + 1);
        }

        private static ProjectLocation Make(List<int> lines, int start, int end)
        {
            var (line, column) = Position(lines, start);
            var (endLine, endColumn) = Position(lines, end);
            return new ProjectLocation(line, column, endLine, endColumn, start, end - start);
        }

        private static List<int> LineStarts(string text)
        {
            var starts = new List<int> { 0 };
            for (var i = 0; i < text.Length; i++)
                if (text[i] == '\n') starts.Add(i + 1);
            return starts;
        }

        private static int Offset(List<int> lines, int line, int column) => lines[Math.Min(line, lines.Count) - 1] + column - 1;

        private static (int Line, int Column) Position(List<int> lines, int offset)
        {
            var line = lines.BinarySearch(offset);
            if (line < 0) line = ~line - 1;
            return (line + 1, offset - lines[line] + 1);
        }
    }
}
