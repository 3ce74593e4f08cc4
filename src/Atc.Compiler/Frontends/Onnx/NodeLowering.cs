using Atc.Compiler.Frontends.Onnx.Proto;
using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.Core;

namespace Atc.Compiler.Frontends.Onnx;

/// <summary>Lowers one ONNX node onto canonical IR nodes: reads its inputs and attributes, emits nodes, binds outputs.</summary>
internal delegate void OnnxLowering(NodeLowering n);

/// <summary>What a <see cref="OnnxLowering"/> sees of the node it lowers and of the import, with helpers to emit IR.</summary>
internal sealed class NodeLowering(OnnxNode node, OnnxImportContext context)
{
    public OnnxNode Node { get; } = node;
    public OnnxImportContext Context { get; } = context;
    public long Opset => Context.Opset;
    public string OpType => Node.OpType;
    public int InputCount => Node.Inputs.Count;

    /// <summary>Input i, or null where it is absent or given as "" (an omitted optional input).</summary>
    public Value? Input(int i) => i < Node.Inputs.Count && Node.Inputs[i].Length > 0 ? Context.Lookup(Node.Inputs[i]) : null;

    public Value RequiredInput(int i, string what) => Input(i)
        ?? throw new AtcException(AtcErrors.InvalidModel($"node {Node} has no {what} (input {i})"));

    public IEnumerable<Value> AllInputs() => Enumerable.Range(0, InputCount).Select(Input).OfType<Value>();

    /// <summary>The value of an input that must be known when importing (Clip's min, Squeeze's axes, ...): its value,
    /// or null when it is absent. An input computed at run time is reported unsupported; <paramref name="ok"/> is false then.</summary>
    public TensorData? ConstantInput(int i, string what, out bool ok)
    {
        ok = true;
        var v = Input(i);
        if (v is null) return null;
        if (v.Constant is { } c) return c;
        ok = false;
        Unsupported($"{OpType} with a computed {what}");
        return null;
    }

    public void Unsupported(string what) => Context.ReportUnsupported(what, Node.Name);

    /// <summary>True if output i exists and something reads it.</summary>
    public bool IsOutputUsed(int i) => i < Node.Outputs.Count && Context.IsConsumed(Node.Outputs[i]);

    /// <summary>Reports (and returns false) when an output from index <paramref name="from"/> on is read: lowerings that
    /// keep only the main result (Dropout's mask, BatchNormalization's training statistics) call this.</summary>
    public bool RequireUnusedOutputsFrom(int from, string what)
    {
        for (int i = from; i < Node.Outputs.Count; i++)
            if (IsOutputUsed(i))
            {
                Unsupported($"{OpType} with its {what} output used");
                return false;
            }
        return true;
    }

    /// <summary>Reads a tensor attribute or Constant value; an unsupported element type is reported and gives null.</summary>
    public TensorData? ReadTensor(TensorProto tensor, string what)
    {
        try
        {
            return Context.Tensors.Read(tensor, $"{what} of node {Node}");
        }
        catch (OnnxTensorReader.UnsupportedTypeException e)
        {
            Unsupported($"{e.TypeName} tensor");
            return null;
        }
    }

    /// <summary>Emits the node's main canonical node: it takes the node's name and its first
    /// <paramref name="outputCount"/> outputs (all of them by default), typed <paramref name="type"/> or like input 0.</summary>
    public Node Emit(string opType, IEnumerable<Value?> inputs, OpAttributes? attributes = null, int? outputCount = null, DataType? type = null)
    {
        var inputList = inputs.ToList();
        var node = new Node(Node.Name, opType, inputList, attributes, Node.OpType);
        Context.Graph.AddNode(node);
        int count = outputCount ?? Math.Max(1, Node.Outputs.Count);
        // The op's rule decides the type where it is known (Cast, comparisons, ...); otherwise the declared type, else input 0's.
        var likeInput = inputList.FirstOrDefault(v => v is not null)?.Type ?? DataType.Float32;
        for (int i = 0; i < count; i++)
        {
            string onnxName = i < Node.Outputs.Count ? Node.Outputs[i] : "";
            string name = onnxName.Length > 0 ? onnxName : Context.UniqueValueName($"{Node.Name}:{i}");
            var value = node.AddOutput(name, type ?? Context.DeclaredType(name) ?? likeInput, Context.DeclaredShape(name));
            if (onnxName.Length > 0) Context.Bind(onnxName, value);
            Context.Ranks.RankOf(value); // ranks are memoised node by node, so later queries never recurse deeply
        }
        return node;
    }

    /// <summary>Emits a helper node (named after this node) with one output, for lowerings that need several nodes.</summary>
    public Value EmitHelper(string suffix, string opType, IEnumerable<Value?> inputs, OpAttributes? attributes, DataType type)
    {
        var node = new Node(Context.UniqueNodeName($"{Node.Name}/{suffix}"), opType, inputs, attributes, Node.OpType);
        Context.Graph.AddNode(node);
        var value = node.AddOutput(Context.UniqueValueName($"{Node.Name}/{suffix}:0"), type);
        Context.Ranks.RankOf(value);
        return value;
    }

    /// <summary>Emits a helper node whose one output is the node's ONNX output <paramref name="outputIndex"/> (named
    /// and bound as such) when the node has it, else an internal value: for lowerings whose secondary outputs (a mask,
    /// statistics) come from their own nodes.</summary>
    public Value EmitOutput(int outputIndex, string suffix, string opType, IEnumerable<Value?> inputs, OpAttributes? attributes, DataType type)
    {
        string onnxName = outputIndex < Node.Outputs.Count ? Node.Outputs[outputIndex] : "";
        if (onnxName.Length == 0) return EmitHelper(suffix, opType, inputs, attributes, type);
        var node = new Node(Context.UniqueNodeName($"{Node.Name}/{suffix}"), opType, inputs, attributes, Node.OpType);
        Context.Graph.AddNode(node);
        var value = node.AddOutput(onnxName, type, Context.DeclaredShape(onnxName));
        Context.Bind(onnxName, value);
        Context.Ranks.RankOf(value);
        return value;
    }

    /// <summary>A constant made up by a lowering (an attribute turned into an input, a reshaped operand).</summary>
    public Value Constant(string suffix, TensorData data)
        => Value.FromConstant(Context.UniqueValueName($"{Node.Name}/{suffix}"), data);

    /// <summary>Binds output 0 to a constant value (Constant nodes become constant values, not nodes).</summary>
    public void BindConstant(TensorData data)
    {
        if (Node.Outputs.Count > 0 && Node.Outputs[0].Length > 0)
            Context.Bind(Node.Outputs[0], Value.FromConstant(Node.Outputs[0], data));
    }
}
