using Atc.Compiler.Frontends.TensorFlow.Proto;

namespace Atc.Compiler.Frontends.TensorFlow;

/// <summary>A NodeDef with its inputs parsed: data inputs in operand order, control inputs apart.</summary>
internal sealed class TfNode(NodeDef def, int index, IReadOnlyList<TfTensorRef> dataInputs, IReadOnlyList<string> controlInputs)
{
    public NodeDef Def { get; } = def;
    public string Name => Def.Name;
    public string Op => Def.Op;
    /// <summary>Position in the GraphDef (for stable ordering of outputs and messages).</summary>
    public int Index { get; } = index;
    public IReadOnlyList<TfTensorRef> DataInputs { get; } = dataInputs;
    public IReadOnlyList<string> ControlInputs { get; } = controlInputs;

    public override string ToString() => Op + " '" + Name + "'";
}
