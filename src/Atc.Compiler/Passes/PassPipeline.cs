using Atc.Compiler.Ir;

namespace Atc.Compiler.Passes;

/// <summary>The optimisation passes, in order. Each pass rewrites the graph in place and keeps graph input and
/// output names (the signature) unchanged.</summary>
public static class PassPipeline
{
    /// <summary>The default order: drop dead code first so later passes do no useless work; turn QDQ groups into
    /// int8 ops before constant folding would dequantize their weights; fold constants before
    /// the second identity sweep because folding turns computed Reshape shapes into constants; fold batch norms
    /// before fusing biases and activations, because a fused activation blocks BN folding; fold AIPP's normalisation
    /// into the first Conv after BN folding (so it scales the final weights) and before the layout pass puts a Transpose
    /// between them; move convolutional regions
    /// to channels-last after BN folding (fewer nodes to convert) and before fusion (which reads the layout), then
    /// inline the branch of an If whose condition folding made constant (before the identity sweep that
    /// bypasses the Identities it leaves); let an identity sweep cancel the Transposes it put next to existing ones; recognise decomposed activations,
    /// squeeze-excite gates, LayerNorms and attention after the layout is final (their ops need no layout rules) and
    /// before fusion, which moves the activations into their producers (and would take an attention mask's Add as a
    /// residual); fuse the element-wise chains that are left after that fusion, so producers' epilogues win; write Concats in place once the Convs
    /// feeding them have their final form (fusion first); sweep dead code last.</summary>
    public static IReadOnlyList<IGraphPass> CreateDefaultPasses() =>
    [
        new DeadNodeElimination(),
        new IdentityElimination(),
        new QdqFusion(),
        new QdqGemmFusion(),
        new QdqElementwiseFusion(),
        new ConstantFolding(),
        new ConstantIfInlining(),
        new IdentityElimination(),
        new BatchNormFolding(),
        new AippNormalizationFolding(),
        new LayoutPropagation(),
        new IdentityElimination(),
        new ActivationPatternFusion(),
        new GatedMulFusion(),
        new LayerNormPatternFusion(),
        new AttentionPatternFusion(),
        new BiasAndActivationFusion(),
        new ElementwiseChainFusion(),
        new ConcatIntoProducers(),
        new DeadNodeElimination(),
    ];

    public static void Run(Graph graph) => RunWithReport(graph);

    /// <summary>The default passes without those named in <paramref name="disabled"/> (--fusion_switch_file).</summary>
    public static void Run(Graph graph, IReadOnlySet<string> disabled)
        => Run(graph, CreateDefaultPasses().Where(p => !disabled.Contains(p.Name)));

    public static PassReport RunWithReport(Graph graph) => Run(graph, CreateDefaultPasses());

    /// <summary>Runs the passes in order. A pass that changes the signature or breaks the graph's order is a
    /// compiler bug, reported as such with the pass's name.</summary>
    public static PassReport Run(Graph graph, IEnumerable<IGraphPass> passes)
    {
        var list = passes.ToList();
        var report = RunOne(graph, list);
        // Control-flow bodies get the same optimisations; each keeps its own inputs and outputs (its node's contract).
        var pending = new Stack<Graph>(Bodies(graph));
        while (pending.TryPop(out var body))
        {
            RunOne(body, list);
            foreach (var inner in Bodies(body)) pending.Push(inner);
        }
        return report;
    }

    private static IEnumerable<Graph> Bodies(Graph graph) => graph.Nodes.SelectMany(n => n.Subgraphs.Values).ToList();

    private static PassReport RunOne(Graph graph, IReadOnlyList<IGraphPass> passes)
    {
        var signature = GraphSignature.Of(graph);
        // A graph that arrives malformed is the front end's problem, not the first pass's: check structure only
        // when it held on entry.
        bool checkStructure = GraphInvariants.FindProblem(graph) is null;
        var results = new List<PassResult>();
        foreach (var pass in passes)
        {
            results.Add(pass.Run(graph));
            var problem = signature.FindChange(graph) ?? (checkStructure ? GraphInvariants.FindProblem(graph) : null);
            if (problem is not null)
                throw new InvalidOperationException($"internal compiler error: pass {pass.Name} left the graph invalid: {problem}");
        }
        return new PassReport(results);
    }
}
