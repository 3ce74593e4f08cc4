namespace Atc.Runtime.Operators.Image;

/// <summary>The operators of this family, registered by <see cref="OperatorCatalog"/>.</summary>
internal static class ImageOperators
{
    public static IEnumerable<OperatorEntry> Entries() =>
    [
        new(OpTypes.AippPreprocess, static _ => new AippPreprocessOperator()),
        new(OpTypes.AippDynamic, static _ => new AippDynamicOperator()),
    ];
}
