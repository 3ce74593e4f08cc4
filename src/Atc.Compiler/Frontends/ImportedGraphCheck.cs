using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Options.Parsing;

namespace Atc.Compiler.Frontends;

/// <summary>
/// The contract between the front ends and everything after them, checked once on every imported graph: input
/// dims fit the runtime's int sizes, and every canonical node has the inputs its op takes (<see cref="OpArity"/>)
/// and at least one output. Passes and shape rules then index inputs without guarding against a malformed file.
/// </summary>
public static class ImportedGraphCheck
{
    /// <summary>At most this many nodes are reported at once; a broken file would otherwise list thousands.</summary>
    private const int MaxReported = 10;

    /// <summary>Throws <see cref="AtcException"/> with the problems found.</summary>
    public static void Validate(Graph graph)
    {
        var problems = new List<AtcDiagnostic>();
        foreach (var input in graph.Inputs)
        {
            var shape = input.Shape;
            if (shape is null) continue;
            for (int axis = 0; axis < shape.Length; axis++)
                if (shape[axis] > IntegerText.MaxDim)
                {
                    problems.Add(AtcErrors.InvalidModel($"input '{input.Name}' declares size {shape[axis]} for axis {axis}; " +
                        $"a dimension may be at most {IntegerText.MaxDim}"));
                    break;
                }
        }
        foreach (var node in graph.Nodes)
        {
            if (problems.Count >= MaxReported) break;
            if (ArityProblem(node) is { } problem) problems.Add(problem);
        }
        if (problems.Count > 0) throw new AtcException(problems);
    }

    private static AtcDiagnostic? ArityProblem(Node node)
    {
        if (node.Outputs.Count == 0)
            return AtcErrors.NodeArityInvalid(node.Name, node.OpType, node.SourceOpType, "no outputs", "at least 1 output");
        if (!OpArity.TryGet(node.OpType, out var arity)) return null;
        int count = node.Inputs.Count;
        if (count < arity.MinInputs || count > arity.MaxInputs)
            return AtcErrors.NodeArityInvalid(node.Name, node.OpType, node.SourceOpType,
                count == 1 ? "1 input" : $"{count} inputs", arity.Describe());
        for (int i = 0; i < arity.MinInputs; i++)
            if (node.Inputs[i] is null)
                return AtcErrors.NodeArityInvalid(node.Name, node.OpType, node.SourceOpType,
                    $"its required input {i} omitted", arity.Describe() + $" (the first {arity.MinInputs} required)");
        return null;
    }
}
