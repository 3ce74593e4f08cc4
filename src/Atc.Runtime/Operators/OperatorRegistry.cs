using System.Collections.Frozen;

namespace Atc.Runtime.Operators;

/// <summary>The operators this runtime implements, by canonical op type. Front ends check against it.</summary>
internal static class OperatorRegistry
{
    private static readonly FrozenDictionary<string, IOperator> Operators =
        OperatorCatalog.All().ToFrozenDictionary(op => op.OpType, StringComparer.Ordinal);

    public static bool IsSupported(string opType) => Operators.ContainsKey(opType);

    public static IOperator Get(string opType) => Operators.TryGetValue(opType, out var op)
        ? op
        : throw new KeyNotFoundException($"operator '{opType}' is not implemented by this runtime");

    public static bool TryGet(string opType, out IOperator op) => Operators.TryGetValue(opType, out op!);

    public static IEnumerable<string> SupportedOpTypes => Operators.Keys.Order(StringComparer.Ordinal);
}
