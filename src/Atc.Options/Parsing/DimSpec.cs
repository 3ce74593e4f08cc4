using System.Globalization;

namespace Atc.Options.Parsing
{
    public enum DimKind
    {
        /// <summary>A fixed size, e.g. 224.</summary>
        Fixed,
        /// <summary>-1: set by the gears, or any size when no gear option is given.</summary>
        Dynamic,
        /// <summary>a~b: any size from a to b (b = -1: no upper bound).</summary>
        Range,
    }

    /// <summary>One axis of a shape as ATC's --input_shape writes it: "224", "-1" or "1~10".</summary>
    public readonly struct DimSpec : System.IEquatable<DimSpec>
    {
        private DimSpec(DimKind kind, long min, long max)
        {
            Kind = kind;
            Min = min;
            Max = max;
        }

        public DimKind Kind { get; }
        /// <summary>The size for Fixed; the lower bound for Range; 1 for Dynamic.</summary>
        public long Min { get; }
        /// <summary>The size for Fixed; the upper bound for Range; -1 (unbounded) for Dynamic or an open range.</summary>
        public long Max { get; }

        public bool IsFixed => Kind == DimKind.Fixed;

        public static DimSpec Fixed(long size) => new DimSpec(DimKind.Fixed, size, size);
        public static DimSpec Dynamic { get; } = new DimSpec(DimKind.Dynamic, 1, -1);
        public static DimSpec Range(long min, long max) => new DimSpec(DimKind.Range, min, max);

        /// <summary>A declared model dim: -1 (or any negative) is dynamic.</summary>
        public static DimSpec FromModel(long dim) => dim < 0 ? Dynamic : Fixed(dim);

        public bool Equals(DimSpec other) => Kind == other.Kind && Min == other.Min && Max == other.Max;
        public override bool Equals(object? obj) => obj is DimSpec d && Equals(d);
        public override int GetHashCode() => ((int)Kind * 397) ^ Min.GetHashCode() ^ (Max.GetHashCode() * 31);

        /// <summary>As ATC writes it: "224", "-1", "1~10".</summary>
        public override string ToString()
        {
            switch (Kind)
            {
                case DimKind.Fixed: return Min.ToString(CultureInfo.InvariantCulture);
                case DimKind.Dynamic: return "-1";
                default: return Min.ToString(CultureInfo.InvariantCulture) + "~" + Max.ToString(CultureInfo.InvariantCulture);
            }
        }
    }
}
