using System.Collections.Generic;
using System.Linq;
using Atc.Options.Errors;
using Atc.Options.Parsing;

namespace Atc.Options
{
    /// <summary>
    /// Expands validated shape options into concrete shapes per input: one gear per --dynamic_batch_size value,
    /// --dynamic_image_size pair or --dynamic_dims profile; the min and max shapes of a range; or the single static
    /// shape. Call only after <see cref="ShapeOptionRules.Check"/> and <see cref="ShapeOptionRules.CheckAgainstModel"/>
    /// found no error.
    /// </summary>
    public static class GearExpansion
    {
        public static ShapeProfile Expand(ShapeOptions o, ModelDeclaration model)
        {
            var effective = EffectiveDims(o, model, out var specOrder);
            var shapes = effective.Select(dims => dims.Select(d => d.IsFixed ? d.Min : -1L).ToArray()).ToList();

            switch (o.GearOption)
            {
                case GearOption.BatchSize:
                    return Gears(GearKind.Batch, o, effective, shapes, (dims, gear) =>
                        dims.Select(d => d.IsFixed ? d.Min : gear[0]).ToArray());
                case GearOption.ImageSize:
                    ShapeOptions.ImageAxes(o.ImageLayout, out int h, out int w);
                    return Gears(GearKind.ImageSize, o, effective, shapes, (dims, gear) =>
                        dims.Select((d, k) => d.IsFixed ? d.Min : k == h ? gear[0] : k == w ? gear[1] : 1).ToArray());
                case GearOption.Dims:
                    return DimsGears(o, effective, shapes, specOrder);
            }

            if (effective.All(dims => dims.All(d => d.IsFixed)))
            {
                var gear = new ShapeGear(effective.Select(dims => dims.Select(d => Dim(d.Min, AtcOptionNames.InputShape)).ToArray()).ToList(), new int[0]);
                return new ShapeProfile(GearKind.Static, new[] { gear }, new ShapeBounds[0], shapes);
            }
            return RangeProfile(effective, shapes);
        }

        // Sizes are int in the runtime: a larger one (from a model's declared dims or an option) is an error, never
        // a truncation (2^32+3 must not become 3). The rules report option values first; this is the last guard.
        private static int Dim(long value, string option)
        {
            if (value > IntegerText.MaxDim || value < -IntegerText.MaxDim)
                throw new AtcException(AtcErrors.ValueTooLarge(option, value.ToString(System.Globalization.CultureInfo.InvariantCulture), IntegerText.MaxDim));
            return (int)value;
        }

        // Each input: the --input_shape_range or --input_shape entry, else the model's declared dims.
        private static List<DimSpec[]> EffectiveDims(ShapeOptions o, ModelDeclaration model, out List<int> specOrder)
        {
            var effective = model.Inputs.Select(i => (i.Dims ?? new long[0]).Select(DimSpec.FromModel).ToArray()).ToList();
            specOrder = new List<int>();
            foreach (var spec in o.InputShapes)
            {
                int index = model.FindInput(spec.Name!);
                effective[index] = spec.Dims.ToArray();
                specOrder.Add(index);
            }
            for (int r = 0; r < o.InputShapeRanges.Count; r++)
            {
                var spec = o.InputShapeRanges[r];
                int index = spec.Name is null ? r : model.FindInput(spec.Name);
                effective[index] = spec.Dims.ToArray();
            }
            return effective;
        }

        private static ShapeProfile Gears(GearKind kind, ShapeOptions o, List<DimSpec[]> effective, List<long[]> shapes,
            System.Func<DimSpec[], long[], long[]> shapeOf)
        {
            var gears = o.Gears.Select(g => new ShapeGear(
                effective.Select(dims => shapeOf(dims, g).Select(v => Dim(v, o.GearOptionName ?? AtcOptionNames.InputShape)).ToArray()).ToList(),
                g.Select(v => Dim(v, o.GearOptionName ?? AtcOptionNames.InputShape)).ToArray())).ToList();
            return new ShapeProfile(kind, gears, new ShapeBounds[0], shapes);
        }

        // The values of each profile fill the -1 axes in --input_shape order, axis by axis.
        private static ShapeProfile DimsGears(ShapeOptions o, List<DimSpec[]> effective, List<long[]> shapes, List<int> specOrder)
        {
            var gears = new List<ShapeGear>();
            foreach (var g in o.Gears)
            {
                var concrete = effective.Select(dims => dims.Select(d => d.IsFixed ? d.Min : 1L).ToArray()).ToList();
                int next = 0;
                foreach (int input in specOrder)
                    for (int k = 0; k < effective[input].Length; k++)
                        if (effective[input][k].Kind == DimKind.Dynamic) concrete[input][k] = g[next++];
                gears.Add(new ShapeGear(concrete.Select(c => c.Select(v => Dim(v, AtcOptionNames.DynamicDims)).ToArray()).ToList(),
                    g.Select(v => Dim(v, AtcOptionNames.DynamicDims)).ToArray()));
            }
            return new ShapeProfile(GearKind.Dims, gears, new ShapeBounds[0], shapes);
        }

        // Planned ahead: the smallest shape and, when every bound is finite, the largest.
        private static ShapeProfile RangeProfile(List<DimSpec[]> effective, List<long[]> shapes)
        {
            var bounds = effective.Select((dims, i) => new ShapeBounds(i,
                dims.Select(d => Dim(d.Min, AtcOptionNames.InputShape)).ToArray(),
                dims.Select(d => Dim(d.Max, AtcOptionNames.InputShape)).ToArray())).ToList();
            var gears = new List<ShapeGear> { new ShapeGear(bounds.Select(b => b.Min).ToList(), new int[0]) };
            bool bounded = bounds.All(b => b.Max.All(m => m >= 0));
            if (bounded && bounds.Any(b => !b.Min.SequenceEqual(b.Max)))
                gears.Add(new ShapeGear(bounds.Select(b => b.Max).ToList(), new int[0]));
            return new ShapeProfile(GearKind.Range, gears, bounds, shapes);
        }
    }
}
