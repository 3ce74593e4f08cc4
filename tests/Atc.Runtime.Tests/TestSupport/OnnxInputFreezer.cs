using System.Text.RegularExpressions;
using Atc.Compiler.Frontends.Onnx.Proto;
using Atc.Compiler.Ir;
using Atc.Options;
using Google.Protobuf;

namespace Atc.Tests.TestSupport;

/// <summary>
/// The ONNX backend tests feed shape-like operands (Reshape's shape, Slice's starts, Resize's scales, ...) as graph
/// inputs. This compiler plans every gear ahead of time, so such operands must be constants (E19021 "must be known
/// at compile time"), as with ATC. To still check the numerics, a test can turn exactly those inputs into
/// initializers holding the fed values: the same model for that data.
/// </summary>
internal static partial class OnnxInputFreezer
{
    /// <summary>The graph inputs that the operand named by an E19021 "must be known at compile time" error is
    /// computed from; empty when the error is another one.</summary>
    public static IReadOnlyList<string> InputsBehind(AtcException error, Graph graph)
    {
        var found = new List<string>();
        foreach (var d in error.Diagnostics)
        {
            if (d.Code != "E19021" || NodeName().Match(d.Message) is not { Success: true } node
                || OperandIndex().Match(d.Message) is not { Success: true } operand) continue;
            var target = graph.Nodes.FirstOrDefault(n => n.Name == node.Groups[1].Value);
            int index = int.Parse(operand.Groups[1].Value);
            if (target is null || index >= target.Inputs.Count || target.Inputs[index] is not { } value) continue;
            found.AddRange(GraphInputsFeeding(value, graph));
        }
        return [.. found.Distinct()];
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

    // AtcErrors.GearInvalid: "Node [name] (op [Op]) is invalid for the shape profile [...]: <Op> <operand> (input k) must be known at compile time ..."
    [GeneratedRegex(@"Node \[(.+?)\] \(op \[")]
    private static partial Regex NodeName();

    [GeneratedRegex(@"\(input (\d+)\) must be known at compile time")]
    private static partial Regex OperandIndex();
}
