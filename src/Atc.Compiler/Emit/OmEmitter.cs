using Atc.Compiler.Ir;
using Atc.Compiler.Shapes;

namespace Atc.Compiler.Emit;

/// <summary>What the .om header and signature record besides the graph.</summary>
public sealed record EmitOptions(string ModelName, string SocVersion, string SourceFramework);

/// <summary>Lowers the optimised IR and its gears into .om bytes: signature, graph, weights, per-gear plans.</summary>
public static class OmEmitter
{
    /// <summary>Plans every gear (shape inference, folding, arena) and serialises. A gear that makes the graph
    /// invalid throws AtcException naming the node and the gear. Same inputs, same bytes.</summary>
    public static byte[] Emit(Graph graph, GearSet gears, EmitOptions options)
        => throw new NotImplementedException("OmEmitter is being written");
}
