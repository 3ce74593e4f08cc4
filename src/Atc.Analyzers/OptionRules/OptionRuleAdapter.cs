using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Atc.Options;

namespace Atc.Analyzers.OptionRules
{
    /// <summary>
    /// THE place where the build integration applies ATC's shape-option rules to an AscendModel item. The MSBuild task
    /// and the analyzer both call <see cref="Check"/>; fixes are phrased as item attributes because that is what the
    /// user edits.
    /// <para>Interim: until the shared rules in Atc.Options (ShapeOptionRules) land, the rules of atc.md's four cases
    /// are applied here with ATC's verbatim texts. When they land, replace the body of <see cref="Check"/> by a call
    /// to them and keep the attribute mapping (<see cref="AttributeFor"/>).</para>
    /// </summary>
    public static class OptionRuleAdapter
    {
        public const int MinGears = 2;
        public const int MaxGears = 100;

        /// <param name="options">the item's options.</param>
        /// <param name="declaredInputs">the model's own inputs (name → shape, -1 unknown) from a previous build's
        /// manifest when there is one; used only to suggest fixes.</param>
        public static IReadOnlyList<OptionProblem> Check(AscendModelOptions options,
            IReadOnlyDictionary<string, IReadOnlyList<int>>? declaredInputs = null)
        {
            var problems = new List<OptionProblem>();
            var shapes = ParseInputShape(options.InputShape, problems);

            var dynamicOptions = new[] { "DynamicBatchSize", "DynamicImageSize", "DynamicDims", "InputShapeRange" }
                .Where(name => options[name] is not null).ToList();
            if (dynamicOptions.Count > 1)
            {
                problems.Add(new OptionProblem(new AtcDiagnostic("E10001",
                    "Value [" + options[dynamicOptions[1]] + "] for parameter [--" + OptionName(dynamicOptions[1]) + "] is invalid. Reason: [--" +
                    OptionName(dynamicOptions[0]) + "] and [--" + OptionName(dynamicOptions[1]) + "] cannot be used together",
                    solution: "Try again with a valid argument.",
                    fix: "keep only one of " + string.Join(", ", dynamicOptions) + ".",
                    parameter: OptionName(dynamicOptions[1])), dynamicOptions[1]));
                return problems;
            }
            if (shapes is null) return problems;

            if (options.DynamicBatchSize is not null) CheckBatch(options, shapes, declaredInputs, problems);
            else if (options.DynamicImageSize is not null) CheckImageSize(options, shapes, declaredInputs, problems);
            else if (options.DynamicDims is not null) CheckDims(options, shapes, problems);
            return problems;
        }

        /// <summary>The item attribute an ATC option name refers to, for diagnostics that come from the compiler.</summary>
        public static string? AttributeFor(string? parameter) => parameter is null ? null : AscendModelOptions.MetadataFor(parameter);

        // ---- --dynamic_batch_size ----

        private static void CheckBatch(AscendModelOptions options, List<InputShape> shapes,
            IReadOnlyDictionary<string, IReadOnlyList<int>>? declared, List<OptionProblem> problems)
        {
            var gears = ParseGears(options.DynamicBatchSize!, "dynamic_batch_size", "DynamicBatchSize", problems);
            if (gears is null) return;
            if (!CheckGearCount(gears.Count, "DynamicBatchSize", FixGearCount(gears.Select(g => g[0]).ToList()), problems)) return;

            foreach (var shape in shapes)
            {
                var offending = Enumerable.Range(1, Math.Max(0, shape.Dims.Count - 1)).Where(axis => shape.Dims[axis] == "-1").ToList();
                if (offending.Count == 0) continue;
                var fixedShape = shape.Dims.Select((dim, axis) => axis > 0 && dim == "-1" ? DeclaredDim(declared, shape.Name, axis) : dim);
                problems.Add(new OptionProblem(new AtcDiagnostic("E10018",
                    "Value [-1] for shape [" + offending[0].ToString(CultureInfo.InvariantCulture) + "] is invalid. When [--dynamic_batch_size] is included, only batch size N can be –1 in [--input_shape].",
                    cause: "When [--dynamic_batch_size] is included, only batch size N can be –1 in the shape.",
                    solution: "Try again with a valid [--input_shape] argument. Make sure that non-batch size axes are not –1.",
                    fix: "InputShape=\"" + shape.Name + ":" + string.Join(",", fixedShape) + "\"" + FixNote(declared, shape.Name) +
                        " (to vary other axes, use DynamicDims with InputFormat=\"ND\")",
                    parameter: "input_shape"), "InputShape"));
                return;
            }
            if (!shapes.Any(shape => shape.Dims.Count > 0 && shape.Dims[0] == "-1"))
            {
                problems.Add(new OptionProblem(new AtcDiagnostic("E10001",
                    "Value [" + options.InputShape + "] for parameter [--input_shape] is invalid. Reason: with [--dynamic_batch_size], the batch axis N (the first) must be -1",
                    solution: "Try again with a valid argument.",
                    fix: "InputShape=\"" + shapes[0].Name + ":-1" + string.Concat(shapes[0].Dims.Skip(1).Select(d => "," + d)) + "\"",
                    parameter: "input_shape"), "InputShape"));
            }
        }

        // ---- --dynamic_image_size ----

        private static void CheckImageSize(AscendModelOptions options, List<InputShape> shapes,
            IReadOnlyDictionary<string, IReadOnlyList<int>>? declared, List<OptionProblem> problems)
        {
            var gears = ParseGears(options.DynamicImageSize!, "dynamic_image_size", "DynamicImageSize", problems);
            if (gears is null) return;
            var badPair = gears.FirstOrDefault(g => g.Count != 2);
            if (badPair is not null)
            {
                problems.Add(new OptionProblem(new AtcDiagnostic("E10001",
                    "Value [" + options.DynamicImageSize + "] for parameter [--dynamic_image_size] is invalid. Reason: each profile must be \"height,width\"",
                    solution: "Try again with a valid argument.", fix: "DynamicImageSize=\"448,448;224,224\"", parameter: "dynamic_image_size"), "DynamicImageSize"));
                return;
            }
            if (!CheckGearCount(gears.Count, "DynamicImageSize", "DynamicImageSize=\"" + string.Join(";", gears.Select(g => g[0] + "," + g[1])) + (gears.Count == 1 ? ";" + gears[0][0] * 2 + "," + gears[0][1] * 2 : "") + "\"", problems)) return;

            var format = (options.InputFormat ?? (options.Framework == 5 ? "NCHW" : "NHWC")).ToUpperInvariant();
            foreach (var shape in shapes)
            {
                if (shape.Dims.Count != 4) continue;
                var (h, w) = format == "NCHW" ? (2, 3) : (1, 2);
                var offending = Enumerable.Range(0, 4).Where(axis => axis != h && axis != w && shape.Dims[axis] == "-1").ToList();
                if (offending.Count == 0) continue;
                var fixedShape = shape.Dims.Select((dim, axis) => offending.Contains(axis) ? (axis == 0 ? "1" : DeclaredDim(declared, shape.Name, axis)) : dim);
                problems.Add(new OptionProblem(new AtcDiagnostic("E10019",
                    "When [--dynamic_image_size] is included, only the height and width axes can be –1 in [--input_shape].",
                    cause: "When [--dynamic_image_size] is included, only the height and width axes can be –1 in the shape.",
                    solution: "Try again with a valid [--input_shape] argument. Make sure that axes other than height and width are not –1.",
                    fix: "InputShape=\"" + shape.Name + ":" + string.Join(",", fixedShape) + "\"" + FixNote(declared, shape.Name) + " (" + format + ": H is axis " + h + ", W axis " + w + ")",
                    parameter: "input_shape"), "InputShape"));
                return;
            }
        }

        // ---- --dynamic_dims ----

        private static void CheckDims(AscendModelOptions options, List<InputShape> shapes, List<OptionProblem> problems)
        {
            var gears = ParseGears(options.DynamicDims!, "dynamic_dims", "DynamicDims", problems);
            if (gears is null) return;
            if (!CheckGearCount(gears.Count, "DynamicDims", null, problems)) return;
            if (!string.Equals(options.InputFormat, "ND", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(new OptionProblem(new AtcDiagnostic("E10001",
                    "Value [" + (options.InputFormat ?? "") + "] for parameter [--input_format] is invalid. Reason: [--dynamic_dims] requires [--input_format=ND]",
                    solution: "Try again with a valid argument.", fix: "InputFormat=\"ND\"", parameter: "input_format"), "InputFormat"));
                return;
            }
            var unknowns = shapes.Sum(shape => shape.Dims.Count(d => d == "-1"));
            var bad = gears.FirstOrDefault(g => g.Count != unknowns);
            if (bad is not null)
            {
                problems.Add(new OptionProblem(new AtcDiagnostic("E10001",
                    "Value [" + string.Join(",", bad) + "] for parameter [--dynamic_dims] is invalid. Reason: each profile must give " + unknowns + " value(s), one per -1 in [--input_shape]",
                    solution: "Try again with a valid argument.", parameter: "dynamic_dims"), "DynamicDims"));
            }
        }

        // ---- helpers ----

        private static bool CheckGearCount(int count, string attribute, string? fix, List<OptionProblem> problems)
        {
            if (count >= MinGears && count <= MaxGears) return true;
            var option = OptionName(attribute);
            if (count < MinGears)
            {
                problems.Add(new OptionProblem(new AtcDiagnostic("E10035",
                    "[--dynamic_batch_size], [--dynamic_image_size], or [--dynamic_dims] has [" + count + "] profiles, which is less than the minimum ([" + MinGears + "]).",
                    solution: "Ensure that the number of profiles configured in [--dynamic_batch_size], [--dynamic_image_size], or [--dynamic_dims] is at least the minimum.",
                    fix: fix, parameter: option), attribute));
            }
            else
            {
                problems.Add(new OptionProblem(new AtcDiagnostic("E10036",
                    "[--dynamic_batch_size], [--dynamic_image_size], or [--dynamic_dims] has [" + count + "] profiles, which is greater than the maximum ([" + MaxGears + "]).",
                    solution: "Ensure that the number of profiles configured in [--dynamic_batch_size], [--dynamic_image_size], or [--dynamic_dims] is at most the maximum.",
                    parameter: option), attribute));
            }
            return false;
        }

        /// <summary>One gear "2" → "2,4": the smallest change that makes the option valid.</summary>
        private static string FixGearCount(IReadOnlyList<int> gears)
        {
            var first = gears.Count > 0 ? gears[0] : 1;
            return "DynamicBatchSize=\"" + first + "," + first * 2 + "\" (a dynamic option needs 2 to 100 gears; for one batch size, use a fixed shape such as InputShape=\"...:" + first + ",...\" without DynamicBatchSize)";
        }

        private static string DeclaredDim(IReadOnlyDictionary<string, IReadOnlyList<int>>? declared, string input, int axis) =>
            declared is not null && declared.TryGetValue(input, out var dims) && axis < dims.Count && dims[axis] > 0
                ? dims[axis].ToString(CultureInfo.InvariantCulture) : "<size>";

        private static string FixNote(IReadOnlyDictionary<string, IReadOnlyList<int>>? declared, string input) =>
            declared is not null && declared.ContainsKey(input) ? " (sizes from the model)" : "";

        private static string OptionName(string attribute) =>
            AscendModelOptions.MetadataToOption.First(p => p.Key == attribute).Value;

        private static List<List<int>>? ParseGears(string text, string option, string attribute, List<OptionProblem> problems)
        {
            var gears = new List<List<int>>();
            var groupSeparator = option == "dynamic_batch_size" ? ',' : ';';
            foreach (var group in text.Split(new[] { groupSeparator }, StringSplitOptions.RemoveEmptyEntries))
            {
                var values = option == "dynamic_batch_size" ? new[] { group } : group.Split(',');
                var gear = new List<int>();
                foreach (var value in values)
                {
                    if (!int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
                    {
                        problems.Add(new OptionProblem(new AtcDiagnostic("E10001",
                            "Value [" + text + "] for parameter [--" + option + "] is invalid. Reason: [" + value.Trim() + "] is not a positive integer",
                            solution: "Try again with a valid argument.", parameter: option), attribute));
                        return null;
                    }
                    gear.Add(number);
                }
                gears.Add(gear);
            }
            return gears;
        }

        private sealed class InputShape
        {
            public InputShape(string name, IReadOnlyList<string> dims) { Name = name; Dims = dims; }
            public string Name { get; }
            public IReadOnlyList<string> Dims { get; }
        }

        /// <summary>"a:1,2;b:-1,3" → inputs with their dims as written ("-1", "224", "1~10"); null if absent or malformed.</summary>
        private static List<InputShape>? ParseInputShape(string? text, List<OptionProblem> problems)
        {
            if (text is null) return null;
            var shapes = new List<InputShape>();
            foreach (var part in text.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var colon = part.LastIndexOf(':');
                var dims = colon < 0 ? Array.Empty<string>() : part.Substring(colon + 1).Split(',').Select(d => d.Trim()).ToArray();
                if (colon <= 0 || dims.Any(d => !IsDim(d)))
                {
                    problems.Add(new OptionProblem(new AtcDiagnostic("E10001",
                        "Value [" + text + "] for parameter [--input_shape] is invalid. Reason: expected \"name:d1,d2,...\" with sizes, -1 or ranges a~b, got [" + part + "]",
                        solution: "Try again with a valid argument.", fix: "InputShape=\"input_name:1,224,224,3\"", parameter: "input_shape"), "InputShape"));
                    return null;
                }
                shapes.Add(new InputShape(part.Substring(0, colon).Trim(), dims));
            }
            return shapes;
        }

        private static bool IsDim(string dim)
        {
            if (dim.Length == 0) return false; // "1,,3" or a shape with no dims: malformed
            if (dim == "-1") return true;
            var tilde = dim.IndexOf('~');
            if (tilde >= 0)
                return int.TryParse(dim.Substring(0, tilde), NumberStyles.None, CultureInfo.InvariantCulture, out _)
                    && (tilde == dim.Length - 1 || dim.Substring(tilde + 1) == "-1" || int.TryParse(dim.Substring(tilde + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _));
            return int.TryParse(dim, NumberStyles.None, CultureInfo.InvariantCulture, out _);
        }
    }
}
