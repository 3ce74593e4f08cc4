using System.Text.RegularExpressions;
using Atc.Compiler.Frontends.Onnx.Proto;
using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Options.Errors;
using Google.Protobuf;

namespace Atc.Tests.TestSupport;

/// <summary>
/// The ONNX backend tests feed shape-like operands (Reshape's shape, Slice's starts, Resize's scales, ...) as graph
/// inputs. This compiler plans every gear ahead of time, so such operands must be constants (ATC1203 "must be known
/// at compile time"), as with ATC. To still check the numerics, a test can turn exactly those inputs into
/// initializers holding the fed values: the same model for that data.
/// </summary>
internal static partial class OnnxInputFreezer
{
    /// <summary>The graph inputs that the operand named by an ATC1203 "must be known at compile time" error is
    /// computed from; empty when the error is another one.</summary>
    public static IReadOnlyList<string> InputsBehind(AtcException error, Graph graph)
    {
        var found = new List<string>();
        foreach (var d in error.Diagnostics)
        {
            if (d.Code != "ATC1203" || NodeName().Match(d.Message) is not { Success: true } node
                || OperandIndex().Match(d.Message) is not { Success: true } operand) continue;
            var target = graph.Nodes.FirstOrDefault(n => n.Name == node.Groups[1].Value);
            int index = int.Parse(operand.Groups[1].Value);
            if (target is null || index >= target.Inputs.Count || target.Inputs[index] is not { } value) continue;
            found.AddRange(GraphInputsFeeding(value, graph));
        }
        return [.. found.Distinct()];
    }

    /// <summary>
    /// When every op the importer rejected is rejected only for a computed operand ("ReduceSum with a computed axes"),
    /// the operands (inputs 1.. of those nodes) that could be frozen; otherwise empty (freezing would not help).
    /// </summary>
    public static IReadOnlyList<string> ComputedOperands(AtcException error, ModelProto model)
    {
        if (error.Diagnostics.Count == 0 || error.Diagnostics.Any(d => d.Code != "ATC1200")) return [];
        var entries = error.Diagnostics.SelectMany(d => UnsupportedEntry().Matches(d.Message)).ToList();
        if (entries.Count == 0 || entries.Any(m => !m.Groups[1].Value.Contains(" with a computed "))) return [];
        var operands = new List<string>();
        foreach (var entry in entries)
        {
            string opType = entry.Groups[1].Value.Split(' ')[0], nodeName = entry.Groups[2].Value;
            // Unnamed nodes get synthesized names in the importer; fall back to every node of that op type.
            var nodes = model.Graph.Node.Where(n => n.Name == nodeName).ToList();
            if (nodes.Count == 0) nodes = [.. model.Graph.Node.Where(n => n.OpType == opType)];
            operands.AddRange(nodes.SelectMany(n => n.Input.Skip(1)).Where(i => i.Length > 0));
        }
        return [.. operands.Distinct()];
    }

    private static IEnumerable<string> GraphInputsFeeding(Value value, Graph graph)
    {
        var inputs = new HashSet<Value>(graph.Inputs, ReferenceEqualityComparer.Instance);
        var seen = new HashSet<Value>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Value>([value]);
        while (stack.Count > 0)
        {
            var v = stack.Pop();
            if (!seen.Add(v)) continue;
            if (inputs.Contains(v)) yield return v.Name;
            else if (v.Producer is { } producer)
                foreach (var input in producer.Inputs)
                    if (input is not null) stack.Push(input);
        }
    }

    /// <summary>The model with the named graph inputs moved to initializers holding the given tensors.</summary>
    public static byte[] Freeze(byte[] model, IReadOnlyDictionary<string, TensorProto> values)
    {
        var proto = ModelProto.Parser.ParseFrom(model);
        foreach (var (name, tensor) in values)
        {
            var input = proto.Graph.Input.Single(i => i.Name == name);
            proto.Graph.Input.Remove(input);
            var initializer = tensor.Clone();
            initializer.Name = name;
            proto.Graph.Initializer.Add(initializer);
        }
        return proto.ToByteArray();
    }

    // AtcErrors.UnsupportedOps: "[description] (node [name])".
    [GeneratedRegex(@"\[([^\]]+)\] \(node \[(.*?)\]\)")]
    private static partial Regex UnsupportedEntry();

    // AtcErrors.GearInvalid: "Node [name] (op [Op]) is invalid for the shape profile [...]: <Op> <operand> (input k) must be known at compile time ..."
    [GeneratedRegex(@"Node \[(.+?)\] \(op \[")]
    private static partial Regex NodeName();

    [GeneratedRegex(@"\(input (\d+)\) must be known at compile time")]
    private static partial Regex OperandIndex();
}
