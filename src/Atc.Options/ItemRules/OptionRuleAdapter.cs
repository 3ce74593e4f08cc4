using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Atc.Options.Errors;
using Atc.Options.Rules;

namespace Atc.Options.ItemRules
{
    /// <summary>
    /// THE place where the build integration applies ATC's shape-option rules (Atc.Options' ShapeOptionRules, shared
    /// with the CLI) to an AscendModel item. The MSBuild task and the analyzer both call <see cref="Check"/>, so both
    /// report the same codes and texts; fixes are rewritten from command-line form (--dynamic_batch_size="2,4") to the
    /// item attributes the user edits (DynamicBatchSize="2,4"), and each problem is placed at the attribute of the
    /// option it is about.
    /// </summary>
    public static class OptionRuleAdapter
    {
        /// <param name="options">the item's options.</param>
        /// <param name="model">the model's declared inputs from a previous build's manifest, when there is one: they
        /// make fixes concrete, and with <paramref name="checkAgainstModel"/> the model-dependent rules run too
        /// (a misspelt input name, an input left without a shape).</param>
        /// <param name="checkAgainstModel">the analyzer's live check; the task leaves those rules to the compiler,
        /// which has the model itself.</param>
        public static IReadOnlyList<OptionProblem> Check(AscendModelOptions options, ModelDeclaration? model = null,
            bool checkAgainstModel = false)
        {
            var raw = new AtcCommandOptions
            {
                InputShape = options.InputShape,
                InputFormat = options.InputFormat,
                DynamicBatchSize = options.DynamicBatchSize,
                DynamicImageSize = options.DynamicImageSize,
                DynamicDims = options.DynamicDims,
                InputShapeRange = options.InputShapeRange,
            };
            AtcFramework? framework = options.Framework switch
            {
                0 => AtcFramework.Caffe,
                3 => AtcFramework.TensorFlow,
                5 => AtcFramework.Onnx,
                _ => null,
            };
            var diagnostics = new List<AtcDiagnostic>();
            var shapes = ShapeOptionRules.Check(raw, framework, diagnostics, model);
            if (checkAgainstModel && model is not null && diagnostics.Count == 0)
                ShapeOptionRules.CheckAgainstModel(shapes, model, diagnostics);
            return diagnostics
                .Where(d => d.Severity == AtcSeverity.Error)
                .Select(d => new OptionProblem(d.WithFix(AsAttributes(d.Fix)), AttributeFor(d.Parameter)))
                .ToList();
        }

        /// <summary>The item attribute an ATC option name refers to ("dynamic_batch_size" → "DynamicBatchSize").</summary>
        public static string? AttributeFor(string? parameter) => parameter is null ? null : AscendModelOptions.MetadataFor(parameter);

        private static readonly Regex QuotedOption = new Regex("--(?<name>[a-z_]+)=\"(?<value>[^\"]*)\"", RegexOptions.CultureInvariant);
        private static readonly Regex BareOption = new Regex("--(?<name>[a-z_]+)=(?<value>[^\\s\"',;.()\\[\\]]+)", RegexOptions.CultureInvariant);

        /// <summary>`--input_shape="x:-1,4" --dynamic_batch_size="1,2"` → `InputShape="x:-1,4" DynamicBatchSize="1,2"`.</summary>
        public static string? AsAttributes(string? fix)
        {
            if (fix is null) return null;
            string Rewrite(Match match)
            {
                var attribute = AscendModelOptions.MetadataFor(match.Groups["name"].Value);
                return attribute is null ? match.Value : attribute + "=\"" + match.Groups["value"].Value + "\"";
            }
            return BareOption.Replace(QuotedOption.Replace(fix, Rewrite), Rewrite);
        }
    }
}
