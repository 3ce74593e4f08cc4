using Atc.Runtime.Operators.Image;

namespace Atc.Runtime.Operators;

internal static partial class OperatorCatalog
{
    private static partial IEnumerable<IOperator> ImageOperators() =>
    [
        new AippPreprocessOperator(),
        new AippDynamicOperator(),
    ];
}
