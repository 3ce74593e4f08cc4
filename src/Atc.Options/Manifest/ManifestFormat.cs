using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Atc.Options.Errors;

namespace Atc.Options.Manifest
{
    /// <summary>
    /// The manifest's text form: one record per line, space-separated tokens, names percent-escaped. Example:
    /// <code>
    /// atc-manifest 1
    /// model tiny
    /// soc Ascend310
    /// kind batch
    /// weights 40
    /// declared Placeholder float32 -1,4
    /// input Placeholder float32 -1,4
    /// output probs float32 -1,2
    /// gear 1 arena=64 in Placeholder=1,4 out probs=1,2
    /// gear 2 arena=128 in Placeholder=2,4 out probs=2,2
    /// </code>
    /// An output whose size depends on the data ends with `data-dependent` (`output selected int64 -1,3 data-dependent`).
    /// A range profile lists `range NAME min=1,4 max=10,4` lines. Shapes of rank 0 are written `scalar`, a declared
    /// input of unknown rank `unknown`.
    /// Unknown record kinds are ignored so newer compilers can add records.
    /// </summary>
    public static class ManifestFormat
    {
        public const string Header = "atc-manifest";

        public static string Format(ModelManifest manifest)
        {
            var text = new StringBuilder();
            text.Append(Header).Append(' ').Append(ModelManifest.CurrentVersion).Append('\n');
            text.Append("model ").Append(Escape(manifest.ModelName)).Append('\n');
            text.Append("soc ").Append(Escape(manifest.SocVersion)).Append('\n');
            text.Append("kind ").Append(KindName(manifest.Kind)).Append('\n');
            text.Append("weights ").Append(manifest.WeightBytes.ToString(CultureInfo.InvariantCulture)).Append('\n');
            foreach (var tensor in manifest.DeclaredInputs) AppendTensor(text, "declared", tensor);
            foreach (var tensor in manifest.Inputs) AppendTensor(text, "input", tensor);
            foreach (var tensor in manifest.Outputs) AppendTensor(text, "output", tensor);
            foreach (var gear in manifest.Gears)
            {
                text.Append("gear ").Append(FormatDims(gear.Selector))
                    .Append(" arena=").Append(gear.ArenaBytes.ToString(CultureInfo.InvariantCulture)).Append(" in");
                foreach (var shape in gear.Inputs) text.Append(' ').Append(Escape(shape.Name)).Append('=').Append(FormatDims(shape.Shape));
                text.Append(" out");
                foreach (var shape in gear.Outputs) text.Append(' ').Append(Escape(shape.Name)).Append('=').Append(FormatDims(shape.Shape));
                text.Append('\n');
            }
            foreach (var range in manifest.Ranges)
            {
                text.Append("range ").Append(Escape(range.InputName))
                    .Append(" min=").Append(FormatDims(range.Min))
                    .Append(" max=").Append(FormatDims(range.Max)).Append('\n');
            }
            return text.ToString();
        }

        /// <summary>Parses a manifest; throws <see cref="FormatException"/> naming the line on malformed text.</summary>
        public static ModelManifest Parse(string text)
        {
            var lines = text.Replace("\r\n", "\n").Split('\n');
            string? modelName = null;
            var soc = "";
            var kind = GearKind.Static;
            long weights = 0;
            var declared = new List<ManifestTensor>();
            var inputs = new List<ManifestTensor>();
            var outputs = new List<ManifestTensor>();
            var gears = new List<ManifestGear>();
            var ranges = new List<ManifestRange>();
            var sawHeader = false;

            for (var index = 0; index < lines.Length; index++)
            {
                var line = lines[index].Trim();
                if (line.Length == 0 || line[0] == '#') continue;
                var tokens = line.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                var lineNumber = index + 1;
                try
                {
                    if (!sawHeader)
                    {
                        if (tokens[0] != Header || tokens.Length < 2)
                            throw new FormatException("the file does not start with '" + Header + " <version>'");
                        var version = ParseInt(tokens[1]);
                        if (version > ModelManifest.CurrentVersion)
                            throw new FormatException("manifest version " + version + " is newer than this reader (" + ModelManifest.CurrentVersion + ")");
                        sawHeader = true;
                        continue;
                    }
                    switch (tokens[0])
                    {
                        case "model": modelName = Unescape(Arg(tokens, 1)); break;
                        case "soc": soc = tokens.Length > 1 ? Unescape(tokens[1]) : ""; break;
                        case "kind": kind = ParseKind(Arg(tokens, 1)); break;
                        case "weights": weights = long.Parse(Arg(tokens, 1), NumberStyles.Integer, CultureInfo.InvariantCulture); break;
                        case "declared": declared.Add(ParseTensor(tokens)); break;
                        case "input": inputs.Add(ParseTensor(tokens)); break;
                        case "output": outputs.Add(ParseTensor(tokens)); break;
                        case "gear": gears.Add(ParseGear(tokens)); break;
                        case "range": ranges.Add(ParseRange(tokens)); break;
                        default: break; // a record a newer compiler added
                    }
                }
                catch (Exception error) when (error is FormatException || error is OverflowException || error is IndexOutOfRangeException)
                {
                    throw new FormatException("manifest line " + lineNumber + " ('" + line + "'): " + error.Message, error);
                }
            }

            if (!sawHeader) throw new FormatException("the manifest is empty");
            if (modelName is null) throw new FormatException("the manifest has no 'model' line");
            return new ModelManifest(modelName, soc, kind, inputs, outputs, gears, ranges, declared, weights);
        }

        public static bool TryParse(string text, out ModelManifest? manifest, out string? error)
        {
            try
            {
                manifest = Parse(text);
                error = null;
                return true;
            }
            catch (FormatException failure)
            {
                manifest = null;
                error = failure.Message;
                return false;
            }
        }

        public static string KindName(GearKind kind) => kind switch
        {
            GearKind.Static => "static",
            GearKind.Batch => "batch",
            GearKind.ImageSize => "image",
            GearKind.Dims => "dims",
            GearKind.Range => "range",
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        private static GearKind ParseKind(string name) => name switch
        {
            "static" => GearKind.Static,
            "batch" => GearKind.Batch,
            "image" => GearKind.ImageSize,
            "dims" => GearKind.Dims,
            "range" => GearKind.Range,
            _ => throw new FormatException("unknown kind '" + name + "'"),
        };

        private static void AppendTensor(StringBuilder text, string record, ManifestTensor tensor) =>
            text.Append(record).Append(' ').Append(Escape(tensor.Name)).Append(' ').Append(Escape(tensor.DataType))
                .Append(' ').Append(tensor.HasUnknownRank ? UnknownRank : FormatDims(tensor.Shape))
                .Append(tensor.DataDependent ? " " + DataDependent : "").Append('\n');

        private const string UnknownRank = "unknown";
        private const string DataDependent = "data-dependent";

        private static ManifestTensor ParseTensor(string[] tokens)
        {
            bool dataDependent = tokens.Length > 4 && tokens[4] == DataDependent;
            return Arg(tokens, 3) == UnknownRank
                ? new ManifestTensor(Unescape(Arg(tokens, 1)), Unescape(Arg(tokens, 2)), new int[0], hasUnknownRank: true, dataDependent: dataDependent)
                : new ManifestTensor(Unescape(Arg(tokens, 1)), Unescape(Arg(tokens, 2)), ParseDims(Arg(tokens, 3)), dataDependent: dataDependent);
        }

        private static ManifestGear ParseGear(string[] tokens)
        {
            var selector = ParseDims(Arg(tokens, 1));
            long arena = 0;
            var inputs = new List<ManifestShape>();
            var outputs = new List<ManifestShape>();
            List<ManifestShape>? current = null;
            for (var i = 2; i < tokens.Length; i++)
            {
                var token = tokens[i];
                if (token == "in") { current = inputs; continue; }
                if (token == "out") { current = outputs; continue; }
                var equals = token.IndexOf('=');
                if (equals <= 0) throw new FormatException("expected name=shape, got '" + token + "'");
                var key = token.Substring(0, equals);
                var value = token.Substring(equals + 1);
                if (current is null)
                {
                    if (key == "arena") arena = long.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);
                    continue; // other gear attributes a newer compiler may add
                }
                current.Add(new ManifestShape(Unescape(key), ParseDims(value)));
            }
            return new ManifestGear(selector, inputs, outputs, arena);
        }

        private static ManifestRange ParseRange(string[] tokens)
        {
            IReadOnlyList<int>? min = null, max = null;
            for (var i = 2; i < tokens.Length; i++)
            {
                if (tokens[i].StartsWith("min=", StringComparison.Ordinal)) min = ParseDims(tokens[i].Substring(4));
                else if (tokens[i].StartsWith("max=", StringComparison.Ordinal)) max = ParseDims(tokens[i].Substring(4));
            }
            if (min is null || max is null) throw new FormatException("a range needs min= and max=");
            return new ManifestRange(Unescape(Arg(tokens, 1)), min, max);
        }

        public static string FormatDims(IReadOnlyList<int> dims) =>
            dims.Count == 0 ? "scalar" : string.Join(",", dims.Select(d => d.ToString(CultureInfo.InvariantCulture)));

        public static IReadOnlyList<int> ParseDims(string text) =>
            text == "scalar" ? Array.Empty<int>() : text.Split(',').Select(ParseInt).ToArray();

        private static int ParseInt(string text)
        {
            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
                throw new FormatException("'" + text + "' is not an integer");
            return value;
        }

        private static string Arg(string[] tokens, int index)
        {
            if (index >= tokens.Length) throw new FormatException("missing field " + index);
            return tokens[index];
        }

        /// <summary>Percent-escapes the characters the format uses as separators (and '%' itself).</summary>
        public static string Escape(string value)
        {
            if (value.Length == 0) return "%00";
            var text = new StringBuilder(value.Length);
            foreach (var c in value)
            {
                if (c == '%' || c == ' ' || c == '=' || c == ',' || c == '#' || c < 0x20) text.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
                else text.Append(c);
            }
            return text.ToString();
        }

        public static string Unescape(string value)
        {
            if (value == "%00") return "";
            if (value.IndexOf('%') < 0) return value;
            var text = new StringBuilder(value.Length);
            for (var i = 0; i < value.Length; i++)
            {
                if (value[i] == '%' && i + 2 < value.Length)
                {
                    text.Append((char)int.Parse(value.Substring(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                }
                else text.Append(value[i]);
            }
            return text.ToString();
        }
    }
}
