namespace Atc.Cli.Run;

/// <summary>Shapes in messages ("[1,3,224,224]") and their element counts, from the runtime's public int/long dims.</summary>
internal static class ShapeText
{
    public static string Format(IEnumerable<int> dims) => "[" + string.Join(",", dims) + "]";

    public static string Format(IEnumerable<long> dims) => "[" + string.Join(",", dims) + "]";

    public static long ElementCount(IEnumerable<int> dims) => dims.Aggregate(1L, (count, d) => count * d);
}
