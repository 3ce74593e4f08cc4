using System.Collections.Generic;
using System.Linq;
using Atc.Options.Errors;
using Atc.Options.Parsing;

namespace Atc.Options.Rules
{
    public static partial class ShapeOptionRules
    {
        /// <summary>Where -1 may stand in --input_shape for the gear option in effect (model-independent).</summary>
        private static void CheckGearPlacement(ShapeOptions o, AtcCommandOptions raw, ModelDeclaration? model,
            ICollection<AtcDiagnostic> diagnostics)
        {
            // Fixes repeat the user's gears, cleaned up when they have problems of their own.
            var gearsText = raw.Get(o.GearOptionName!)!.Trim();
            var cleaned = ShapeFixes.Cleaned(o.GearOption, o.Gears);
            var gearsOption = ShapeText.Option(o.GearOptionName!, cleaned.Length > 0 && HasGearProblems(diagnostics, o) ? cleaned : gearsText);
            if (o.InputShapes.Any(s => s.HasRange))
            {
                diagnostics.Add(AtcErrors.GearsNeedDynamicAxes(
                    "Use -1 (not min~max) for the axes the profiles set, or drop --" + o.GearOptionName + " to compile for the ranges."));
                return;
            }
            switch (o.GearOption)
            {
                case GearOption.BatchSize: CheckBatch(o, model, gearsOption, diagnostics); break;
                case GearOption.ImageSize: CheckImageSize(o, model, gearsOption, diagnostics); break;
                case GearOption.Dims: CheckDims(o, raw, gearsText, diagnostics); break;
            }
        }

        private static bool HasGearProblems(ICollection<AtcDiagnostic> diagnostics, ShapeOptions o)
            => diagnostics.Any(d => d.Parameter == o.GearOptionName);

        // Only N (axis 0) may be -1 (E10018); at least one input must have N = -1 (E10031).
        private static void CheckBatch(ShapeOptions o, ModelDeclaration? model, string gearsOption, ICollection<AtcDiagnostic> diagnostics)
        {
            var rewritten = new Dictionary<InputShapeSpec, string>();
            int firstBadAxis = -1;
            foreach (var spec in o.InputShapes)
            {
                int bad = -1;
                for (int k = 1; k < spec.Rank && bad < 0; k++)
                    if (spec.Dims[k].Kind == DimKind.Dynamic) bad = k;
                if (bad < 0) continue;
                if (firstBadAxis < 0) firstBadAxis = bad;
                rewritten[spec] = BatchShape(spec, model);
            }
            if (firstBadAxis >= 0)
            {
                var fix = ShapeText.Option(AtcOptionNames.InputShape, ShapeFixes.InputShapeValue(o.InputShapes, rewritten)) + " " + gearsOption;
                diagnostics.Add(AtcErrors.BatchAxisOnly(firstBadAxis, ShapeFixes.WithPlaceholderNote(fix)
                    + ". Only the first axis can vary with --dynamic_batch_size; to vary other axes use --dynamic_dims with --input_format=ND."));
                return;
            }
            if (!o.InputShapes.Any(s => s.Rank > 0 && s.Dims[0].Kind == DimKind.Dynamic))
                diagnostics.Add(AtcErrors.NoBatchAxis(NoBatchAxisFix(o, model, gearsOption)));
        }

        private static string BatchShape(InputShapeSpec spec, ModelDeclaration? model)
            => string.Join(",", Enumerable.Range(0, spec.Rank).Select(k => k == 0 ? "-1" : ShapeFixes.Size(ShapeFixes.KnownSize(spec, k, model), k)));

        private static string NoBatchAxisFix(ShapeOptions o, ModelDeclaration? model, string gearsOption)
        {
            if (o.InputShapes.Count > 0)
            {
                var rewritten = o.InputShapes.Where(s => s.Rank > 0).ToDictionary(s => s, s => BatchShape(s, model));
                return ShapeFixes.WithPlaceholderNote(ShapeText.Option(AtcOptionNames.InputShape, ShapeFixes.InputShapeValue(o.InputShapes, rewritten)) + " " + gearsOption);
            }
            if (model != null && model.Inputs.Count > 0)
            {
                var value = string.Join(";", model.Inputs.Select(i => i.Name + ":" + (i.Dims is null ? "-1,<d1>"
                    : string.Join(",", i.Dims.Select((d, k) => k == 0 ? "-1" : ShapeFixes.Size(d >= 0 ? d : (long?)null, k))))));
                return ShapeFixes.WithPlaceholderNote(ShapeText.Option(AtcOptionNames.InputShape, value) + " " + gearsOption);
            }
            return "Add --input_shape with -1 as the first axis of each input whose batch varies, e.g. "
                + ShapeText.Option(AtcOptionNames.InputShape, "input:-1,224,224,3") + " " + gearsOption + ".";
        }

        // Only H and W may be -1, and only in NCHW/NHWC 4-D shapes (E10019); at least one -1 is needed (E10040).
        private static void CheckImageSize(ShapeOptions o, ModelDeclaration? model, string gearsOption, ICollection<AtcDiagnostic> diagnostics)
        {
            if (o.InputFormat.HasValue && o.InputFormat != AtcInputFormat.NCHW && o.InputFormat != AtcInputFormat.NHWC)
            {
                diagnostics.Add(AtcErrors.InvalidValue(AtcOptionNames.InputFormat, o.InputFormat.Value.ToString(),
                    "[--dynamic_image_size] supports only the NCHW and NHWC formats",
                    "Use --input_format=NCHW or NHWC, or --dynamic_dims with --input_format=ND for other layouts."));
                return;
            }
            ShapeOptions.ImageAxes(o.ImageLayout, out int h, out int w);
            var rewritten = new Dictionary<InputShapeSpec, string>();
            bool rankProblem = false;
            foreach (var spec in o.InputShapes.Where(s => s.HasDynamic))
            {
                bool onlyHw = spec.Rank == 4 && Enumerable.Range(0, 4).All(k => k == h || k == w || spec.Dims[k].Kind != DimKind.Dynamic);
                if (onlyHw)
                {
                    if (spec.Dims[h].Kind != spec.Dims[w].Kind)
                        diagnostics.Add(AtcErrors.InvalidValue(AtcOptionNames.InputShape, spec.Text,
                            "with [--dynamic_image_size] both the height and the width axis must be -1 (" + o.ImageLayout + ")",
                            ShapeText.Option(AtcOptionNames.InputShape, spec.Name + ":" + ImageShape(spec, model, h, w)) + " " + gearsOption));
                    continue;
                }
                if (spec.Rank != 4) rankProblem = true;
                else rewritten[spec] = ImageShape(spec, model, h, w);
            }
            if (rewritten.Count > 0 || rankProblem)
            {
                string fix = rewritten.Count > 0
                    ? ShapeFixes.WithPlaceholderNote(ShapeText.Option(AtcOptionNames.InputShape, ShapeFixes.InputShapeValue(o.InputShapes, rewritten)) + " " + gearsOption)
                        + " (" + o.ImageLayout + ": H is axis " + h + ", W is axis " + w + ")"
                    : "";
                if (rankProblem)
                    fix += (fix.Length > 0 ? ". " : "") + "[--dynamic_image_size] applies to 4-D NCHW/NHWC inputs; for other shapes use --dynamic_dims with --input_format=ND";
                diagnostics.Add(AtcErrors.ImageAxesOnly(fix + "."));
                return;
            }
            if (!o.InputShapes.Any(s => s.HasDynamic))
                diagnostics.Add(AtcErrors.GearsNeedDynamicAxes(
                    "Set the height and width axes to -1 (" + o.ImageLayout + ": axes " + h + " and " + w + "), e.g. "
                    + (o.InputShapes.Count > 0
                        ? ShapeFixes.WithPlaceholderNote(ShapeText.Option(AtcOptionNames.InputShape,
                            ShapeFixes.InputShapeValue(o.InputShapes, o.InputShapes.Where(s => s.Rank == 4).ToDictionary(s => s, s => ImageShape(s, model, h, w)))))
                        : ShapeText.Option(AtcOptionNames.InputShape, o.ImageLayout == AtcInputFormat.NHWC ? "input:1,-1,-1,3" : "input:1,3,-1,-1"))
                    + " " + gearsOption + "."));
        }

        // H, W = -1; N unknown = 1 (one image per run is the natural default); other unknown axes = <dK>.
        private static string ImageShape(InputShapeSpec spec, ModelDeclaration? model, int h, int w)
            => string.Join(",", Enumerable.Range(0, spec.Rank).Select(k =>
                k == h || k == w ? "-1" : ShapeFixes.Size(ShapeFixes.KnownSize(spec, k, model) ?? (k == 0 ? 1 : (long?)null), k)));

        // --dynamic_dims needs --input_format=ND and one value per -1 axis in each gear (E10045/E10046).
        private static void CheckDims(ShapeOptions o, AtcCommandOptions raw, string gearsText, ICollection<AtcDiagnostic> diagnostics)
        {
            if (!o.InputFormat.HasValue && !raw.Has(AtcOptionNames.InputFormat))
                diagnostics.Add(AtcErrors.RequiredValue(AtcOptionNames.InputFormat, "ND", "Add --input_format=ND."));
            else if (o.InputFormat.HasValue && o.InputFormat != AtcInputFormat.ND)
                diagnostics.Add(AtcErrors.InvalidValue(AtcOptionNames.InputFormat, o.InputFormat.Value.ToString(),
                    "[--dynamic_dims] requires [--input_format=ND]", "Use --input_format=ND."));

            int total = o.InputShapes.Sum(s => s.DynamicCount);
            if (total == 0)
            {
                diagnostics.Add(AtcErrors.GearsNeedDynamicAxes(
                    "Set the axes the profiles give to -1 in --input_shape, e.g. " + ShapeText.Option(AtcOptionNames.InputShape, "input:-1,-1") + " "
                    + ShapeText.Option(AtcOptionNames.DynamicDims, "1,224;8,448") + " --input_format=ND."));
                return;
            }
            if (o.Gears.Count == 0 || o.Gears.Any(g => g.Length != o.Gears[0].Length)) return; // reported as E10035/E10037
            int perGear = o.Gears[0].Length;
            string axes = "[--input_shape] has " + total + " -1 axes (" + string.Join("; ", o.InputShapes.Where(s => s.HasDynamic).Select(s => s.Text)) + ")";
            string fix = "Give each profile exactly one value per -1 axis, in order across the inputs: " + axes + ", each profile of --dynamic_dims has " + perGear + " values.";
            if (o.InputShapes.Any(s => s.DynamicCount > perGear))
                diagnostics.Add(AtcErrors.DimsFewerThanInputAxes(fix));
            else if (total > perGear)
                diagnostics.Add(AtcErrors.DimsFewerThanTotalAxes(fix));
            else if (total < perGear)
                diagnostics.Add(AtcErrors.InvalidValue(AtcOptionNames.DynamicDims, gearsText,
                    "each profile gives " + perGear + " values but " + axes, fix));
        }
    }
}
