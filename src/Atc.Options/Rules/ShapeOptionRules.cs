using System.Collections.Generic;
using System.Linq;
using Atc.Options.Errors;
using Atc.Options.Parsing;

namespace Atc.Options.Rules
{
    /// <summary>
    /// ATC's shape-option rules. <see cref="Check"/> applies the model-INDEPENDENT rules (syntax, mutual exclusion,
    /// gear counts and values, the -1 placement rules of E10018/E10019/E10031/E10040, --dynamic_dims counts) and
    /// reports every problem, not just the first. <see cref="CheckAgainstModel"/> applies the rules that need the
    /// model's inputs. Fix texts use the model's declared shapes when a signature is at hand.
    /// </summary>
    public static partial class ShapeOptionRules
    {
        public static readonly string[] FormatNames = { "NCHW", "NHWC", "ND", "NCDHW", "NDHWC" };

        /// <summary>Parses and checks the shape options. <paramref name="framework"/> sets the default image layout;
        /// <paramref name="modelForFixes"/>, when known, makes the fixes concrete (it is not validated here).</summary>
        public static ShapeOptions Check(AtcCommandOptions options, AtcFramework? framework,
            ICollection<AtcDiagnostic> diagnostics, ModelDeclaration? modelForFixes = null)
        {
            var specs = InputShapeParser.Parse(options.InputShape, diagnostics);
            var ranges = InputShapeRangeParser.Parse(options.InputShapeRange, diagnostics);
            var format = ParseFormat(options.InputFormat, diagnostics);
            var imageLayout = format ?? (framework == AtcFramework.TensorFlow ? AtcInputFormat.NHWC : AtcInputFormat.NCHW);

            var given = new List<GearOption>();
            if (options.Has(AtcOptionNames.DynamicBatchSize)) given.Add(GearOption.BatchSize);
            if (options.Has(AtcOptionNames.DynamicImageSize)) given.Add(GearOption.ImageSize);
            if (options.Has(AtcOptionNames.DynamicDims)) given.Add(GearOption.Dims);
            bool hasRangeOption = options.Has(AtcOptionNames.InputShapeRange);

            bool exclusive = given.Count + (hasRangeOption ? 1 : 0) <= 1;
            if (!exclusive)
                diagnostics.Add(AtcErrors.DynamicOptionsExclusive(
                    "Keep only one: --dynamic_batch_size varies the batch axis, --dynamic_image_size varies H and W, --dynamic_dims varies any -1 axes (with --input_format=ND), --input_shape_range gives ranges."));
            if (hasRangeOption && options.Has(AtcOptionNames.InputShape))
                diagnostics.Add(AtcErrors.MutuallyExclusive(AtcOptionNames.InputShape, AtcOptionNames.InputShapeRange,
                    "Write the ranges in --input_shape (e.g. \"input:1~10,224,224,3\") and drop --input_shape_range."));

            // Each gear option's own syntax and values are checked even when several are given.
            var parsed = new Dictionary<GearOption, List<long[]>>();
            foreach (var option in given)
                parsed[option] = CheckGearList(option, options.Get(ShapeOptions.NameOf(option)!), diagnostics);

            var gearOption = given.Count > 0 ? given[0] : GearOption.None;
            var gears = gearOption == GearOption.None ? new List<long[]>() : parsed[gearOption];
            var result = new ShapeOptions(specs, ranges, format, imageLayout, gearOption, gears);

            if (exclusive && gearOption != GearOption.None)
            {
                // The placement rules need a well-formed --input_shape: skip them when it had errors.
                bool inputShapeOk = !diagnostics.Any(d => d.Parameter == AtcOptionNames.InputShape);
                if (inputShapeOk) CheckGearPlacement(result, options, modelForFixes, diagnostics);
            }
            return result;
        }

        private static AtcInputFormat? ParseFormat(string? text, ICollection<AtcDiagnostic> diagnostics)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            var value = text!.Trim();
            foreach (var name in FormatNames)
                if (string.Equals(name, value, System.StringComparison.OrdinalIgnoreCase))
                    return (AtcInputFormat)System.Enum.Parse(typeof(AtcInputFormat), name);
            diagnostics.Add(AtcErrors.InvalidValue(AtcOptionNames.InputFormat, value,
                "The current value is not within the valid range [" + string.Join(", ", FormatNames) + "]",
                "Use --input_format=NHWC (TensorFlow images), NCHW (ONNX images) or ND."));
            return null;
        }

        /// <summary>Syntax, count (2..100), positive values, equal lengths and uniqueness of one gear option.</summary>
        private static List<long[]> CheckGearList(GearOption option, string? text, ICollection<AtcDiagnostic> diagnostics)
        {
            var name = ShapeOptions.NameOf(option)!;
            int before = diagnostics.Count;
            var gears = option == GearOption.BatchSize ? GearListParser.ParseBatch(text, diagnostics)
                : option == GearOption.ImageSize ? GearListParser.ParseImageSize(text, diagnostics)
                : GearListParser.ParseDims(text, diagnostics);
            if (diagnostics.Count > before) return gears; // a syntax error; its values are not meaningful

            if (gears.Count < AtcErrors.MinProfiles)
            {
                var fix = ShapeFixes.AtLeastMinimum(option, gears);
                diagnostics.Add(AtcErrors.TooFewProfiles(name, gears.Count,
                    fix.Length == 0 ? "Give at least 2 profiles, separated by ';'." : "Give at least 2 profiles, e.g. " + ShapeText.Option(name, fix) + "."));
            }
            else if (gears.Count > AtcErrors.MaxProfiles)
            {
                diagnostics.Add(AtcErrors.TooManyProfiles(name, gears.Count,
                    "Keep at most 100 profiles, e.g. the first 100: " + ShapeText.Option(name, ShapeFixes.GearsText(option, gears.Take(AtcErrors.MaxProfiles))) + "."));
            }

            var firstLength = gears.Count > 0 ? gears[0].Length : 0;
            var otherLength = gears.Select(g => g.Length).FirstOrDefault(l => l != firstLength);
            if (option == GearOption.Dims && gears.Any(g => g.Length != firstLength))
                diagnostics.Add(AtcErrors.InconsistentProfiles(name, firstLength, otherLength,
                    "Give every profile one value per -1 axis of --input_shape, the same count in each profile."));

            var cleaned = ShapeFixes.Cleaned(option, gears);
            var cleanedFix = cleaned.Length > 0 ? " e.g. " + ShapeText.Option(name, cleaned) + "." : "";
            var nonPositive = gears.SelectMany(g => g).Where(v => v <= 0).ToList();
            if (nonPositive.Count > 0)
                diagnostics.Add(AtcErrors.ProfileValueNotPositive(name, nonPositive[0], "Use positive values only," + cleanedFix));

            var distinct = new HashSet<string>(gears.Select(g => ShapeText.Format(g)), System.StringComparer.Ordinal);
            if (distinct.Count < gears.Count)
                diagnostics.Add(AtcErrors.DuplicateProfiles(name, "Give each profile once," + cleanedFix));
            return gears;
        }
    }
}
