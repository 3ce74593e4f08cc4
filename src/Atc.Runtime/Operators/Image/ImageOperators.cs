namespace Atc.Runtime.Operators.Image;

/// <summary>The operators of this family, registered by <see cref="OperatorCatalog"/>.</summary>
internal static class ImageOperators
{
    public static IEnumerable<IOperator> All() =>
    [
        new AippPreprocessOperator(),
        new AippDynamicOperator(),
    ];
}
