using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Atc.Options.Errors;
using Atc.Options.Parsing;

namespace Atc.Options.Rules
{
    /// <summary>
    /// Builds the "Fix:" texts of the shape rules: concrete option values computed from what the user wrote and, when
    /// known, from the model's declared shapes (the seed's fixes: "Placeholder:-1,224,224,3" needs the model's 224).
    /// An axis whose size is unknown is written "&lt;dK&gt;" (K = axis index).
    /// </summary>
    internal static class ShapeFixes
    {
        public const string PlaceholderNote = " (replace each <dK> with the size of axis K)";

        /// <summary>The size of axis <paramref name="axis"/> when known: fixed in the option, else fixed in the model.</summary>
        public static long? KnownSize(InputShapeSpec spec, int axis, ModelDeclaration? model)
        {
            var dim = spec.Dims[axis];
            if (dim.IsFixed) return dim.Min;
            var declared = Declared(spec, model);
            if (declared != null && declared.Length == spec.Rank && declared[axis] >= 0) return declared[axis];
            return null;
        }

        public static long[]? Declared(InputShapeSpec spec, ModelDeclaration? model)
        {
            if (model is null || spec.Name is null) return null;
            int index = model.FindInput(spec.Name);
            return index < 0 ? null : model.Inputs[index].Dims;
        }

        public static string Placeholder(int axis) => "<d" + axis.ToString(CultureInfo.InvariantCulture) + ">";

        public static string Size(long? size, int axis) => size.HasValue ? size.Value.ToString(CultureInfo.InvariantCulture) : Placeholder(axis);

        /// <summary>The whole --input_shape value with some entries rewritten (others kept as written).</summary>
        public static string InputShapeValue(IReadOnlyList<InputShapeSpec> specs, IDictionary<InputShapeSpec, string> rewritten)
            => string.Join(";", specs.Select(s => s.Name + ":" + (rewritten.TryGetValue(s, out var dims) ? dims : s.DimsText)));

        public static string WithPlaceholderNote(string fix) => fix.IndexOf("<d", System.StringComparison.Ordinal) >= 0 ? fix + PlaceholderNote : fix;

        /// <summary>The gears written back in the option's own syntax.</summary>
        public static string GearsText(GearOption option, IEnumerable<long[]> gears)
            => ShapeText.Gears(gears, option == GearOption.BatchSize);

        /// <summary>The gears as a valid option value: positive, distinct, 2 to 100 of them.</summary>
        public static string Cleaned(GearOption option, IReadOnlyList<long[]> gears)
        {
            var seen = new HashSet<string>(System.StringComparer.Ordinal);
            var kept = gears.Where(g => g.Length > 0 && g.All(v => v > 0) && seen.Add(ShapeText.Format(g)))
                .Take(AtcErrors.MaxProfiles).ToList();
            return AtLeastMinimum(option, kept);
        }

        /// <summary>Gears extended to the minimum count: each added gear doubles the last one ("2" becomes "2,4").</summary>
        public static string AtLeastMinimum(GearOption option, IReadOnlyList<long[]> gears)
        {
            var list = gears.Where(g => g.Length > 0).Select(g => g.ToArray()).ToList();
            if (list.Count == 0)
            {
                if (option == GearOption.BatchSize) return "1,2,4,8";
                if (option == GearOption.ImageSize) return "224,224;448,448";
                return "";
            }
            while (list.Count < AtcErrors.MinProfiles)
                list.Add(list[list.Count - 1].Select(v => v > 0 ? v * 2 : 1).ToArray());
            return GearsText(option, list);
        }
    }
}
