using System.Collections.Generic;

namespace Atc.Options
{
    /// <summary>One gear: a concrete shape per model input (by input index) and the values that select it.</summary>
    public sealed class ShapeGear
    {
        public ShapeGear(IReadOnlyList<int[]> shapes, int[] selector)
        {
            Shapes = shapes;
            Selector = selector;
        }

        /// <summary>Concrete shapes, in model input order.</summary>
        public IReadOnlyList<int[]> Shapes { get; }
        /// <summary>The batch size, the (h, w) pair or the dims values; empty for static and range gears.</summary>
        public int[] Selector { get; }
    }

    /// <summary>Per-axis bounds of one input in a range profile (max -1 = unbounded).</summary>
    public sealed class ShapeBounds
    {
        public ShapeBounds(int inputIndex, int[] min, int[] max)
        {
            InputIndex = inputIndex;
            Min = min;
            Max = max;
        }

        public int InputIndex { get; }
        public int[] Min { get; }
        public int[] Max { get; }
    }

    /// <summary>The result of expanding the options against the model: the gears to compile, and the bounds of a range.</summary>
    public sealed class ShapeProfile
    {
        public ShapeProfile(GearKind kind, IReadOnlyList<ShapeGear> gears, IReadOnlyList<ShapeBounds> bounds,
            IReadOnlyList<long[]> effectiveShapes)
        {
            Kind = kind;
            Gears = gears;
            Bounds = bounds;
            EffectiveShapes = effectiveShapes;
        }

        public GearKind Kind { get; }
        public IReadOnlyList<ShapeGear> Gears { get; }
        /// <summary>For <see cref="GearKind.Range"/>: the bounds of every input (fixed inputs have min = max).</summary>
        public IReadOnlyList<ShapeBounds> Bounds { get; }
        /// <summary>Each input's shape after the options: fixed sizes, -1 where the gears or the range vary it.</summary>
        public IReadOnlyList<long[]> EffectiveShapes { get; }
    }
}
