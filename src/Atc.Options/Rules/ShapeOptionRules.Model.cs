using System.Collections.Generic;
using System.Linq;
using Atc.Options.Errors;
using Atc.Options.Parsing;

namespace Atc.Options.Rules
{
    public static partial class ShapeOptionRules
    {
        /// <summary>
        /// The model-dependent rules: every name in --input_shape / --input_shape_range is a model input (E10016,
        /// E10017), ranks match (E10049), fixed sizes agree with the model's fixed sizes (E10001), and every input with
        /// a -1 axis or an unknown rank gets a shape from the options (E10001, the seed's case 1).
        /// </summary>
        public static void CheckAgainstModel(ShapeOptions o, ModelDeclaration model, ICollection<AtcDiagnostic> diagnostics)
        {
            var covered = new HashSet<int>();
            bool unresolved = false;
            foreach (var spec in o.InputShapes)
            {
                int index = ResolveInput(spec, AtcOptionNames.InputShape, model, diagnostics);
                if (index < 0) { unresolved = true; continue; }
                if (!covered.Add(index))
                {
                    diagnostics.Add(AtcErrors.InputShapeMalformed(spec.Text,
                        "input [" + model.Inputs[index].Name + "] is given more than once", "Give each input once in --input_shape."));
                    continue;
                }
                CheckDeclaredShape(spec, model.Inputs[index], diagnostics);
            }

            bool nameless = o.InputShapeRanges.Count > 0 && o.InputShapeRanges[0].Name is null;
            if (nameless && o.InputShapeRanges.Count > model.Inputs.Count)
                diagnostics.Add(AtcErrors.InputShapeRangeMalformed(string.Join(";", o.InputShapeRanges.Select(r => r.Text)),
                    "it has " + o.InputShapeRanges.Count + " entries but the model has " + model.Inputs.Count + " inputs (" + model.InputNamesText + ")"));
            for (int r = 0; r < o.InputShapeRanges.Count; r++)
            {
                var spec = o.InputShapeRanges[r];
                int index = nameless ? (r < model.Inputs.Count ? r : -1) : ResolveInput(spec, AtcOptionNames.InputShapeRange, model, diagnostics);
                if (index < 0) unresolved = true;
                if (index < 0 || !covered.Add(index)) continue;
                CheckDeclaredShape(spec, model.Inputs[index], diagnostics);
            }

            // A misspelt name already says which input lacks a shape (E10016 and its fix).
            if (unresolved) return;
            var uncovered = Enumerable.Range(0, model.Inputs.Count)
                .Where(i => !covered.Contains(i) && !model.Inputs[i].IsFullyKnown).ToList();
            if (uncovered.Count > 0)
            {
                var fix = UncoveredInputsFix(o, model, uncovered);
                foreach (int i in uncovered)
                    diagnostics.Add(AtcErrors.InputShapeRequired(model.Inputs[i].Name, model.Inputs[i].HasUnknownRank ? "-2" : "-1", fix));
            }
        }

        /// <summary>--out_nodes against the source model's nodes (name → output count): E11017 for an unknown node, E11016
        /// for an index beyond its outputs.</summary>
        public static void CheckOutNodes(IReadOnlyList<OutNodeSpec> outNodes, IReadOnlyDictionary<string, int> nodeOutputCounts, ICollection<AtcDiagnostic> diagnostics)
        {
            for (int e = 0; e < outNodes.Count; e++)
            {
                var spec = outNodes[e];
                if (!nodeOutputCounts.TryGetValue(spec.NodeName, out int count))
                {
                    var near = NameSuggestions.Closest(spec.NodeName, nodeOutputCounts.Keys);
                    diagnostics.Add(AtcErrors.OutNodeNotFound(spec.NodeName,
                        near != null ? "Did you mean [" + near + "]? e.g. " + ShapeText.Option(AtcOptionNames.OutNodes, near + ":" + spec.OutputIndex) + "."
                                     : "Name nodes of the model in --out_nodes."));
                }
                else if (spec.OutputIndex >= count)
                {
                    diagnostics.Add(AtcErrors.OutNodeIndexOutOfRange(spec.NodeName, spec.OutputIndex, count, e, outNodes.Count,
                        "Node [" + spec.NodeName + "] has " + count + " output(s): use an index from 0 to " + (count - 1) + ", e.g. "
                        + ShapeText.Option(AtcOptionNames.OutNodes, spec.NodeName + ":0") + "."));
                }
            }
        }

        private static int ResolveInput(InputShapeSpec spec, string option, ModelDeclaration model, ICollection<AtcDiagnostic> diagnostics)
        {
            int index = model.FindInput(spec.Name!);
            if (index >= 0) return index;
            var near = NameSuggestions.Closest(spec.Name!, model.Inputs.Select(i => i.Name));
            if (near is null && model.Inputs.Count == 1) near = model.Inputs[0].Name;
            var fix = "The model's inputs are " + (model.Inputs.Count == 0 ? "none" : model.InputNamesText) + "."
                + (near != null ? " Did you mean " + ShapeText.Option(option, option == AtcOptionNames.InputShapeRange
                    ? near + ":[" + spec.DimsText + "]" : near + ":" + spec.DimsText) + "?" : "");
            diagnostics.Add(model.IsNode(spec.Name!)
                ? AtcErrors.InputNotData(spec.Name!, option, "[" + spec.Name + "] is a node of the model, not an input. " + fix)
                : AtcErrors.InputNotFound(spec.Name!, option, fix));
            return -1;
        }

        // Rank (E10049) and fixed sizes (E10001) against the model's declaration.
        private static void CheckDeclaredShape(InputShapeSpec spec, ModelInput input, ICollection<AtcDiagnostic> diagnostics)
        {
            if (input.Dims is null) return; // unknown rank: the option decides
            if (input.Dims.Length != spec.Rank)
            {
                diagnostics.Add(AtcErrors.RankMismatch(spec.Rank, input.Dims.Length,
                    "Input [" + input.Name + "] is declared " + ShapeText.Declared(input.Dims) + " in the model: give "
                    + input.Dims.Length + " axes, e.g. " + ShapeText.Option(AtcOptionNames.InputShape, input.Name + ":" + Concrete(input.Dims)) + "."));
                return;
            }
            var conflicts = Enumerable.Range(0, spec.Rank)
                .Where(k => spec.Dims[k].IsFixed && input.Dims[k] >= 0 && input.Dims[k] != spec.Dims[k].Min).ToList();
            if (conflicts.Count == 0) return;
            int first = conflicts[0];
            var merged = string.Join(",", Enumerable.Range(0, spec.Rank).Select(k => conflicts.Contains(k) ? input.Dims[k].ToString(System.Globalization.CultureInfo.InvariantCulture) : spec.Dims[k].ToString()));
            diagnostics.Add(AtcErrors.InvalidValue(AtcOptionNames.InputShape, spec.Text,
                "axis [" + first + "] of input [" + input.Name + "] is fixed to [" + input.Dims[first] + "] in the model, not ["
                + spec.Dims[first] + "] (declared " + ShapeText.Declared(input.Dims) + ")",
                ShapeText.Option(AtcOptionNames.InputShape, input.Name + ":" + merged)));
        }

        // Unknown axes: batch (axis 0) 1, others <dK>.
        private static string Concrete(long[] dims)
            => string.Join(",", dims.Select((d, k) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : k == 0 ? "1" : ShapeFixes.Placeholder(k)));

        /// <summary>The seed's fixes for case 1: a fixed shape; gears over the batch; a batch range.</summary>
        private static string UncoveredInputsFix(ShapeOptions o, ModelDeclaration model, List<int> uncovered)
        {
            // The new --input_shape keeps what the user already gave and adds the uncovered inputs.
            string Value(System.Func<ModelInput, string> dimsOf)
                => string.Join(";", o.InputShapes.Select(s => s.Name + ":" + s.DimsText)
                    .Concat(uncovered.Select(i => model.Inputs[i].Name + ":" + dimsOf(model.Inputs[i]))));

            var fixedShape = Value(i => i.Dims is null ? "<dims>" : Concrete(i.Dims));
            var fix = ShapeText.Option(AtcOptionNames.InputShape, fixedShape) + " for a fixed shape";
            bool batchOnly = uncovered.All(i => model.Inputs[i].Dims is long[] d && d.Length > 0 && d[0] < 0 && d.Skip(1).All(x => x >= 0));
            if (batchOnly && o.GearOption == GearOption.None && o.InputShapeRanges.Count == 0)
            {
                var gears = Value(i => "-1," + string.Join(",", i.Dims!.Skip(1)));
                var range = Value(i => "1~10," + string.Join(",", i.Dims!.Skip(1)));
                fix += ", or " + ShapeText.Option(AtcOptionNames.InputShape, gears) + " " + ShapeText.Option(AtcOptionNames.DynamicBatchSize, "1,2,4,8")
                    + " for batches 1, 2, 4 and 8, or " + ShapeText.Option(AtcOptionNames.InputShape, range) + " for any batch from 1 to 10";
            }
            else if (uncovered.All(i => model.Inputs[i].Dims != null))
            {
                fix += ", or " + ShapeText.Option(AtcOptionNames.InputShape, Value(i => ShapeText.Format(i.Dims!.Select(d => d < 0 ? -1 : d))))
                    + " to accept any size on the -1 axes";
            }
            return ShapeFixes.WithPlaceholderNote(fix) + ".";
        }
    }
}
