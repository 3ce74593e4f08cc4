using System.Collections.Frozen;

namespace Atc.Runtime.Operators;

/// <summary>
/// Op type → operator, each operator constructed on its first <see cref="TryGet"/> and shared afterwards.
/// <see cref="IsSupported"/> and <see cref="OpTypes"/> construct nothing. Thread-safe: threads racing on a first use
/// may each construct one (operators are stateless), but all of them get the same published instance.
/// </summary>
internal sealed class LazyOperatorTable
{
    private readonly FrozenDictionary<string, Slot> _slots;

    public LazyOperatorTable(IEnumerable<OperatorEntry> entries)
    {
        var slots = new Dictionary<string, Slot>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!slots.TryAdd(entry.OpType, new Slot(entry)))
                throw new InvalidOperationException($"the operator catalog lists op type '{entry.OpType}' twice");
        }
        _slots = slots.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public bool IsSupported(string opType) => _slots.ContainsKey(opType);

    public IEnumerable<string> OpTypes => _slots.Keys;

    public bool TryGet(string opType, out IOperator op)
    {
        if (_slots.TryGetValue(opType, out var slot))
        {
            op = slot.Instance;
            return true;
        }
        op = null!;
        return false;
    }

    private sealed class Slot(OperatorEntry entry)
    {
        private IOperator? _instance;

        public IOperator Instance => Volatile.Read(ref _instance) ?? Publish();

        private IOperator Publish()
        {
            var created = entry.Create(entry.OpType);
            // A catalog typo (entry for "Add" building the "Sub" operator) would silently run the wrong op.
            if (!string.Equals(created.OpType, entry.OpType, StringComparison.Ordinal))
                throw new InvalidOperationException(
                    $"the operator catalog's entry '{entry.OpType}' constructs an operator for '{created.OpType}'");
            return Interlocked.CompareExchange(ref _instance, created, null) ?? created;
        }
    }
}
