namespace Atc.Benchmarks.Modes;

/// <summary>Shapes as text ("[1,3,224,224]") and their element counts (the runtime's own helper is internal).</summary>
public static class ShapeText
{
    public static string Format(IEnumerable<int> dims) => "[" + string.Join(",", dims) + "]";

    public static long ElementCount(IEnumerable<int> dims) => dims.Aggregate(1L, (count, d) => count * d);
}
