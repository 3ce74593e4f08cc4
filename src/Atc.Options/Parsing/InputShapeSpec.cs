using System.Collections.Generic;
using System.Linq;
using Atc.Options.Errors;

namespace Atc.Options.Parsing
{
    /// <summary>One input of --input_shape ("name:1,224,224,3") or --input_shape_range ("name:[1~10,224,224,3]").</summary>
    public sealed class InputShapeSpec
    {
        public InputShapeSpec(string? name, IReadOnlyList<DimSpec> dims, string text)
        {
            Name = name;
            Dims = dims;
            Text = text;
        }

        /// <summary>The input (node) name; null for a nameless --input_shape_range entry, which goes by input order.</summary>
        public string? Name { get; }
        /// <summary>The axes; empty for a scalar.</summary>
        public IReadOnlyList<DimSpec> Dims { get; }
        /// <summary>The entry as the user wrote it (for messages).</summary>
        public string Text { get; }

        public int Rank => Dims.Count;
        public bool HasDynamic => Dims.Any(d => d.Kind == DimKind.Dynamic);
        public bool HasRange => Dims.Any(d => d.Kind == DimKind.Range);
        public int DynamicCount => Dims.Count(d => d.Kind == DimKind.Dynamic);

        /// <summary>"1,224,224,3" (empty for a scalar).</summary>
        public string DimsText => ShapeText.Format(Dims);

        public override string ToString() => (Name ?? "") + ":" + DimsText;
    }
}
