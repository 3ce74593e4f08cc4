using Atc.Compiler.Ir;

namespace Atc.Compiler.Passes;

/// <summary>The optimisation passes, in order. Each pass rewrites the graph in place and keeps graph input and
/// output names (the signature) unchanged.</summary>
public static class PassPipeline
{
    public static void Run(Graph graph)
    {
    }
}
