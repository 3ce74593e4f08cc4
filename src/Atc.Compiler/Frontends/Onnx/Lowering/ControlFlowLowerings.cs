using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.Onnx.Lowering;

/// <summary>
/// If, Loop and Scan: each body is imported as its own IR graph (<see cref="Node.Subgraphs"/>); the outer values the
/// bodies read become explicit inputs after the op's own, so passes see them as ordinary uses.
/// </summary>
internal static class ControlFlowLowerings
{
    public static void Register(Dictionary<string, OnnxLowering> table)
    {
        table["If"] = If;
        table["Loop"] = Loop;
        table["Scan"] = Scan;
    }

    public static bool Handles(string opType) => opType is "If" or "Loop" or "Scan";

    private static void If(NodeLowering n)
    {
        var cond = n.RequiredInput(0, "condition");
        var thenBody = OnnxBodyImporter.Import(n, "then_branch", []);
        var elseBody = OnnxBodyImporter.Import(n, "else_branch", []);
        // Both branches take the union of their captures, in one order.
        var outer = new List<Value>();
        var seen = new HashSet<Value>(ReferenceEqualityComparer.Instance);
        foreach (var (o, _) in thenBody.Captures.Concat(elseBody.Captures))
            if (seen.Add(o)) outer.Add(o);
        AlignCaptures(thenBody, outer);
        AlignCaptures(elseBody, outer);
        var node = n.Emit(OpTypes.If, [cond, .. outer], new OpAttributes());
        node.Subgraphs["then_branch"] = thenBody.Graph;
        node.Subgraphs["else_branch"] = elseBody.Graph;
        for (int k = 0; k < node.Outputs.Count && k < thenBody.Graph.Outputs.Count; k++)
            node.Outputs[k].Type = thenBody.Graph.Outputs[k].Type;
    }

    private static void Loop(NodeLowering n)
    {
        var carried = Enumerable.Range(2, Math.Max(0, n.InputCount - 2)).Select(j => n.RequiredInput(j, "loop-carried value")).ToList();
        DataType?[] bodyTypes = [DataType.Int64, DataType.Bool, .. carried.Select(v => (DataType?)v.Type)];
        var body = OnnxBodyImporter.Import(n, "body", bodyTypes);
        var attributes = new OpAttributes().Set("num_captures", (long)body.Captures.Count);
        var node = n.Emit(OpTypes.Loop, [n.Input(0), n.Input(1), .. carried, .. body.Captures.Select(c => c.Outer)], attributes);
        node.Subgraphs["body"] = body.Graph;
        for (int k = 0; k < node.Outputs.Count; k++)
            node.Outputs[k].Type = k < carried.Count ? carried[k].Type
                : k + 1 < body.Graph.Outputs.Count ? body.Graph.Outputs[k + 1].Type : node.Outputs[k].Type;
    }

    private static void Scan(NodeLowering n)
    {
        if (n.Opset < 9)
        {
            n.Unsupported("Scan before opset 9 (batched form with sequence_lens)");
            return;
        }
        long scanInputs = n.Node.Int("num_scan_inputs", 0);
        var inputs = Enumerable.Range(0, n.InputCount).Select(j => n.RequiredInput(j, "state or scan input")).ToList();
        var body = OnnxBodyImporter.Import(n, "body", [.. inputs.Select(v => (DataType?)v.Type)]);
        var attributes = new OpAttributes().Set("num_scan_inputs", scanInputs).Set("num_captures", (long)body.Captures.Count);
        foreach (var name in new[] { "scan_input_axes", "scan_input_directions", "scan_output_axes", "scan_output_directions" })
            if (n.Node.Ints(name) is { } values) attributes.Set(name, values);
        var node = n.Emit(OpTypes.Scan, [.. inputs, .. body.Captures.Select(c => c.Outer)], attributes);
        node.Subgraphs["body"] = body.Graph;
        for (int k = 0; k < node.Outputs.Count && k < body.Graph.Outputs.Count; k++)
            node.Outputs[k].Type = body.Graph.Outputs[k].Type;
    }

    /// <summary>Makes a branch's capture inputs follow <paramref name="outer"/>: one input per outer value, unused ones added.</summary>
    private static void AlignCaptures(OnnxBodyImporter.Body body, List<Value> outer)
    {
        var inner = new Dictionary<Value, Value>(ReferenceEqualityComparer.Instance);
        foreach (var (o, i) in body.Captures) inner[o] = i;
        body.Graph.Inputs.Clear();
        foreach (var v in outer)
            body.Graph.Inputs.Add(inner.TryGetValue(v, out var i) ? i : new Value(v.Name, v.Type, v.Shape?.ToArray()));
    }
}
