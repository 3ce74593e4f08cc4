using Atc.Runtime;
using Atc.Runtime.Execution;

namespace Atc.Compiler.Emit;

/// <summary>
/// The resource limit on one gear's arena (the memory a session allocates for its intermediate tensors). A gear
/// such as batch 10000 of a ResNet would plan an arena of hundreds of GB: the compiler refuses it with ATC1104 right
/// after planning that gear (planning computes sizes only, nothing that large is allocated), instead of producing a
/// model that fails or swaps at run time.
/// </summary>
public static class ArenaLimit
{
    /// <summary>The default limit: a quarter of the memory this process may use
    /// (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>: physical memory, or the container's limit). The
    /// compiler usually runs where the model will run (a build machine may differ: --arena_limit_mb overrides).</summary>
    public static long DefaultBytes() => Math.Max(1, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4);

    /// <summary>--arena_limit_mb as bytes: null (not given) → the default, 0 → no limit (returns 0).</summary>
    public static long FromOption(long? megabytes) => megabytes switch
    {
        null => DefaultBytes(),
        0 => 0,
        { } mb => checked(mb * 1024 * 1024),
    };

    /// <summary>The arena a plan needs in bytes, or long.MaxValue when a value's size does not even fit a long
    /// (the planner's own arithmetic would have wrapped).</summary>
    internal static long RequiredBytes(ExecutionPlan plan)
    {
        if (plan.ArenaSize < 0) return long.MaxValue;
        long largest = plan.ArenaSize;
        foreach (var value in plan.Values)
        {
            if (value.Kind != PlacementKind.Arena && value.Kind != PlacementKind.Output) continue;
            long bytes = CheckedByteCount(value.Dims, value.Type.SizeOf());
            if (bytes == long.MaxValue) return long.MaxValue;
            if (value.Kind == PlacementKind.Arena) largest = Math.Max(largest, bytes);
        }
        return largest;
    }

    /// <summary>The elements of all inputs of a gear (saturating), to order gears from small to large.</summary>
    public static long InputElements(int[][] shapes)
    {
        long total = 0;
        foreach (var shape in shapes)
            total = Math.Min(long.MaxValue / 2, total + Math.Min(long.MaxValue / 4, CheckedByteCount(shape, 1)));
        return total;
    }

    /// <summary>The arena of a gear that cannot be planned, estimated from a planned one: activations grow with the
    /// inputs (batch, image size), so the planned arena is scaled by the ratio of input elements.</summary>
    internal static long Estimate(ExecutionPlan planned, int[][] plannedShapes, int[][] shapes)
    {
        double ratio = (double)InputElements(shapes) / Math.Max(1, InputElements(plannedShapes));
        double estimate = RequiredBytes(planned) * ratio;
        return estimate >= long.MaxValue ? long.MaxValue : (long)estimate;
    }

    private static long CheckedByteCount(int[] dims, int elementSize)
    {
        long bytes = elementSize;
        foreach (int d in dims)
        {
            if (d < 0) return long.MaxValue;
            if (d != 0 && bytes > long.MaxValue / d) return long.MaxValue;
            bytes *= d;
        }
        return bytes;
    }
}
