using Atc.Compiler.Ir;

namespace Atc.Compiler.Passes;

/// <summary>
/// One graph optimisation. A pass rewrites the graph in place before gears fix the shapes (dims may be -1), keeps
/// the graph's input and output names (its signature), is deterministic, and reports what it changed.
/// </summary>
public interface IGraphPass
{
    string Name { get; }

    PassResult Run(Graph graph);
}
