using Atc.Runtime;
using Atc.Runtime.Core;

namespace Atc.Compiler.Ir;

/// <summary>One operation: a canonical op type (<see cref="Atc.Runtime.Operators.OpTypes"/>), its attributes, and
/// the framework op it came from so that messages can name what the user wrote.</summary>
public sealed class Node
{
    internal Node(string name, string opType, IEnumerable<Value?> inputs, OpAttributes? attributes = null, string? sourceOpType = null)
    {
        Name = name;
        OpType = opType;
        Inputs = [.. inputs];
        Attributes = attributes ?? new OpAttributes();
        SourceOpType = sourceOpType ?? opType;
    }

    /// <summary>The original node name in the framework model (unique within the graph).</summary>
    public string Name { get; set; }
    public string OpType { get; set; }
    /// <summary>The framework's op type (e.g. "FusedBatchNormV3", or "Conv" for ONNX).</summary>
    public string SourceOpType { get; set; }
    /// <summary>Inputs in operator order; null for an omitted optional input.</summary>
    public List<Value?> Inputs { get; }
    public List<Value> Outputs { get; } = [];
    internal OpAttributes Attributes { get; }
    /// <summary>Control-flow bodies by attribute name (If's then_branch/else_branch, Loop's and Scan's body): graphs with
    /// their own inputs and outputs. Outer values a body reads are explicit inputs of this node and of the body.</summary>
    public Dictionary<string, Graph> Subgraphs { get; } = new(StringComparer.Ordinal);

    /// <summary>Creates and attaches a new output value.</summary>
    public Value AddOutput(string name, DataType type, long[]? shape = null)
    {
        var v = new Value(name, type, shape) { Producer = this };
        Outputs.Add(v);
        return v;
    }

    /// <summary>Attaches an existing value as an output (used by passes that rewire).</summary>
    public void AttachOutput(Value value)
    {
        value.Producer = this;
        Outputs.Add(value);
    }

    public override string ToString() => $"{OpType} '{Name}'";
}
