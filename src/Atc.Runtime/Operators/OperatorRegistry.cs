namespace Atc.Runtime.Operators;

/// <summary>
/// The operators this runtime implements, by canonical op type. Front ends check against it. Operators are
/// constructed on first use: a process that loads one model pays (JIT) only for the op types the model has.
/// </summary>
internal static class OperatorRegistry
{
    private static readonly LazyOperatorTable Operators = new(OperatorCatalog.Entries());

    public static bool IsSupported(string opType) => Operators.IsSupported(opType);

    public static IOperator Get(string opType) => Operators.TryGet(opType, out var op)
        ? op
        : throw new KeyNotFoundException($"operator '{opType}' is not implemented by this runtime");

    public static bool TryGet(string opType, out IOperator op) => Operators.TryGet(opType, out op);

    public static IEnumerable<string> SupportedOpTypes => Operators.OpTypes.Order(StringComparer.Ordinal);
}
