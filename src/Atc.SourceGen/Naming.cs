using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace Atc.SourceGen
{
    /// <summary>Turns model, tensor and file names into C# identifiers.</summary>
    internal static class Naming
    {
        /// <summary>"Models/tiny.pb" → "TinyModel"; "resnet_v1-50.onnx" → "ResnetV150Model".</summary>
        public static string ClassNameForModel(string modelPath)
        {
            var fileName = Path.GetFileNameWithoutExtension(modelPath.Replace('\\', '/').Substring(modelPath.Replace('\\', '/').LastIndexOf('/') + 1));
            return Pascal(fileName, "Ascend") + "Model";
        }

        /// <summary>"dense/BiasAdd:0" → "DenseBiasAdd"; "input_1" → "Input1"; "0" → "T0".</summary>
        public static string Pascal(string raw, string fallback = "Tensor")
        {
            if (raw.EndsWith(":0", System.StringComparison.Ordinal)) raw = raw.Substring(0, raw.Length - 2);
            var text = new StringBuilder();
            var upperNext = true;
            foreach (var c in raw)
            {
                if (!char.IsLetterOrDigit(c) || c > 0x7F)
                {
                    upperNext = true;
                    continue;
                }
                text.Append(upperNext ? char.ToUpperInvariant(c) : c);
                upperNext = false;
            }
            if (text.Length == 0) return fallback;
            if (char.IsDigit(text[0])) text.Insert(0, 'T');
            return text.ToString();
        }

        public static string Camel(string pascal)
        {
            var camel = char.ToLowerInvariant(pascal[0]) + pascal.Substring(1);
            return SyntaxFacts.GetKeywordKind(camel) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? "@" + camel : camel;
        }

        public static bool IsValidIdentifier(string name) =>
            SyntaxFacts.IsValidIdentifier(name) && SyntaxFacts.GetKeywordKind(name) == Microsoft.CodeAnalysis.CSharp.SyntaxKind.None;

        public static bool IsValidNamespace(string name)
        {
            foreach (var part in name.Split('.'))
                if (!IsValidIdentifier(part)) return false;
            return true;
        }

        /// <summary>Pascal names for a list of tensors, unique among themselves and not clashing with <paramref name="reserved"/>.</summary>
        public static IReadOnlyList<string> UniquePascal(IEnumerable<string> rawNames, ISet<string> reserved)
        {
            var used = new HashSet<string>(reserved);
            var names = new List<string>();
            foreach (var raw in rawNames)
            {
                var name = Pascal(raw);
                if (used.Contains(name)) name += "Tensor";
                var candidate = name;
                for (var i = 2; used.Contains(candidate); i++) candidate = name + i;
                used.Add(candidate);
                names.Add(candidate);
            }
            return names;
        }
    }
}
