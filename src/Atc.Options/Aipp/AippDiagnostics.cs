using System.Collections.Generic;
using System.Globalization;
using Atc.Options.Errors;
using Atc.Options.Rules;

namespace Atc.Options.Aipp
{
    /// <summary>Factories for AIPP configuration problems; every one names the file, line and column.</summary>
    public static class AippDiagnostics
    {
        private const string Option = AtcOptionNames.InsertOpConf;

        /// <summary>ATC3100: text that is not protobuf text format.</summary>
        public static AtcException Syntax(string file, int line, int column, string reason)
            => new AtcException(AtcAippErrorCatalog.ATC3100.Create(Option, null, file, line, column, reason));

        /// <summary>ATC3101: a field name that aipp_op does not have, with a did-you-mean.</summary>
        public static AtcException UnknownField(string file, int line, int column, string name, string where, IEnumerable<string> candidates)
        {
            var closest = NameSuggestions.Closest(name, candidates);
            return new AtcException(AtcAippErrorCatalog.ATC3101.Create(Option,
                closest is null ? null : "Did you mean [" + closest + "]?", file, line, column, Quote(name), where));
        }

        /// <summary>ATC3102: a field set twice in one block.</summary>
        public static AtcDiagnostic Duplicate(string file, AippRawField again, AippRawField first)
            => AtcAippErrorCatalog.ATC3102.Create(Option, null, file, again.Line, again.Column, again.Name, first.Line, first.Column);

        /// <summary>E10001: a field value of the wrong kind or outside ATC's range.</summary>
        public static AtcDiagnostic BadValue(string file, int line, int column, string field, string value, string expected)
            => AtcErrors.InvalidValue(Option, Quote(value),
                "field [" + field + "] at " + Where(file, line, column) + " must be " + expected,
                "Set " + field + " to " + expected + " in " + file + ".");

        /// <summary>E10055: a valid ATC setting this compiler does not run (yet).</summary>
        public static AtcDiagnostic NotSupported(string file, int line, int column, string reason)
            => AtcErrorCatalog.E10055.Create(Option, "See docs/aipp.md for what runs here.", reason + " (" + Where(file, line, column) + ")");

        /// <summary>ATC3103: the crop window leaves the source image.</summary>
        public static AtcDiagnostic CropOutside(string file, int line, int column, string window, string image)
            => AtcAippErrorCatalog.ATC3103.Create(Option, null, file, line, column, window, image);

        /// <summary>ATC3104: the AIPP output size differs from the model input's H x W.</summary>
        public static AtcDiagnostic SizeMismatch(string file, int line, int column, string produced, string input, string expected, string fix)
            => AtcAippErrorCatalog.ATC3104.Create(Option, fix, file, line, column, produced, input, expected);

        /// <summary>ATC3105: static and dynamic blocks in one file.</summary>
        public static AtcDiagnostic ModesMixed(string file, int line, int column, string mode, string otherMode, int otherLine)
            => AtcAippErrorCatalog.ATC3105.Create(Option, null, file, line, column, mode, otherMode, otherLine);

        /// <summary>ATC3106: a required field is missing from a block.</summary>
        public static AtcDiagnostic Missing(string file, int line, int column, string field, string when, string example)
            => AtcAippErrorCatalog.ATC3106.Create(Option, null, file, line, column, field, when, example);

        /// <summary>ATC3107: the block does not fit the model input it names.</summary>
        public static AtcDiagnostic InputInvalid(string file, int line, int column, string reason, string fix)
            => AtcAippErrorCatalog.ATC3107.Create(Option, fix, file, line, column, reason);

        /// <summary>"aipp.cfg:3:5".</summary>
        public static string Where(string file, int line, int column)
            => file + ":" + line.ToString(CultureInfo.InvariantCulture) + ":" + column.ToString(CultureInfo.InvariantCulture);

        /// <summary>Text from the file for a message: control characters escaped, at most 40 characters.</summary>
        public static string Quote(string text)
        {
            var printable = AtcErrors.Printable(text);
            return printable.Length <= 40 ? printable : printable.Substring(0, 40) + "...";
        }
    }
}
