using System.Collections;
using Google.Protobuf;

namespace Atc.Fuzz.Shrinking;

/// <summary>
/// Minimises a crashing input: first over protobuf structure where the input still parses (drop elements of every
/// repeated field — nodes, inputs, initializers, dims, attributes — and clear sub-messages), then over raw bytes.
/// The structural pass is cheap and turns a model of a hundred nodes into the two that matter; ddmin over bytes then
/// trims what is left.
/// </summary>
public static class Shrinker
{
    public static byte[] Shrink(byte[] input, MessageParser? parser, Func<byte[], bool> stillFails, Action<byte[]> improved, int maxChecks)
    {
        var budget = new CheckBudget(maxChecks);
        var best = input;
        if (parser != null && TryParse(parser, input) is { } message)
            best = ShrinkMessage(message, stillFails, improved, budget) ?? best;
        return ShrinkBytes(best, stillFails, improved, budget);
    }

    /// <summary>A target's own structure first (<see cref="Targets.IFuzzTarget.ShrinkStructure"/>), then bytes where the target allows.</summary>
    public static byte[] Shrink(byte[] input, Targets.IFuzzTarget target, Func<byte[], bool> stillFails, Action<byte[]> improved, int maxChecks)
    {
        var budget = new CheckBudget(maxChecks);
        var best = target.ShrinkStructure(input, stillFails, improved, budget);
        return target.ShrinkBytes ? ShrinkBytes(best, stillFails, improved, budget) : best;
    }

    private static byte[] ShrinkBytes(byte[] best, Func<byte[], bool> stillFails, Action<byte[]> improved, CheckBudget budget)
    {
        var bytes = DeltaDebugger.Minimize(best.ToList(), candidate =>
        {
            var array = candidate.ToArray();
            if (!stillFails(array)) return false;
            improved(array);
            return true;
        }, budget);
        return bytes.ToArray();
    }

    public static IMessage? TryParse(MessageParser parser, byte[] input)
    {
        try { return parser.ParseFrom(input); }
        catch (InvalidProtocolBufferException) { return null; }
    }

    /// <summary>Returns the smallest failing serialisation found, or null if nothing structural could go.</summary>
    public static byte[]? ShrinkMessage(IMessage root, Func<byte[], bool> stillFails, Action<byte[]> improved, CheckBudget budget)
    {
        byte[]? best = null;
        bool progress = true;
        while (progress && budget.Remaining > 0)
        {
            progress = false;
            foreach (var (owner, field) in Fields(root).ToList())
            {
                if (budget.Remaining <= 0) break;
                if (field.IsRepeated && !field.IsMap)
                {
                    var list = (IList)field.Accessor.GetValue(owner);
                    if (list.Count == 0) continue;
                    var original = list.Cast<object>().ToList();
                    var kept = DeltaDebugger.Minimize(original, subset =>
                    {
                        Fill(list, subset);
                        var bytes = root.ToByteArray();
                        if (!stillFails(bytes)) return false;
                        best = bytes;
                        improved(bytes);
                        return true;
                    }, budget);
                    Fill(list, kept);
                    progress |= kept.Count < original.Count;
                }
                else if (field.IsMap)
                {
                    var map = (IDictionary)field.Accessor.GetValue(owner);
                    foreach (var key in map.Keys.Cast<object>().ToList())
                    {
                        if (!budget.Take()) break;
                        var value = map[key];
                        map.Remove(key);
                        var bytes = root.ToByteArray();
                        if (stillFails(bytes)) { best = bytes; improved(bytes); progress = true; }
                        else map[key] = value;
                    }
                }
            }
        }
        return best;
    }

    private static void Fill(IList list, List<object> items)
    {
        list.Clear();
        foreach (var item in items) list.Add(item);
    }

    private static IEnumerable<(IMessage Owner, Google.Protobuf.Reflection.FieldDescriptor Field)> Fields(IMessage message)
    {
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            yield return (message, field);
            var value = field.Accessor.GetValue(message);
            if (field.IsMap)
            {
                foreach (DictionaryEntry entry in (IDictionary)value)
                    if (entry.Value is IMessage child) foreach (var f in Fields(child)) yield return f;
            }
            else if (field.IsRepeated)
            {
                foreach (var item in (IList)value)
                    if (item is IMessage child) foreach (var f in Fields(child)) yield return f;
            }
            else if (value is IMessage single)
            {
                foreach (var f in Fields(single)) yield return f;
            }
        }
    }
}
