using Atc.Runtime.Core;

namespace Atc.Runtime.Operators.ControlFlow;

/// <summary>
/// ONNX If: inputs cond, then the outer values the branches capture (the same list for both branches). A known cond
/// plans only the branch it selects. With cond computed, both branches are planned: outputs of different element
/// types are ATC4000; outputs whose dims differ depend on cond, so the node runs in the dynamic region, where cond is
/// read before the branch is chosen and the output sized exactly.
/// </summary>
internal sealed class IfOperator : IOperator
{
    public string OpType => OpTypes.If;

    public TensorType[] InferOutputs(OpContext context)
    {
        var (branch, _) = Plan(context, makeKernels: false);
        return branch;
    }

    public IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var (_, executors) = Plan(context, makeKernels: true);
        return new IfKernel(executors.Then, executors.Else);
    }

    private static (TensorType[] Outputs, (SubgraphExecutor? Then, SubgraphExecutor? Else) Executors) Plan(OpContext context, bool makeKernels)
    {
        var cond = context.Input(0);
        if (cond.Type != DataType.Bool || cond.ElementCount != 1)
            throw new ShapeException($"the condition must be one bool, got {cond}");
        var captures = Enumerable.Range(1, context.InputCount - 1).Select(context.Input).ToArray();
        var known = Enumerable.Range(1, context.InputCount - 1).Select(context.Constant).ToArray();
        bool? chosen = context.Constant(0) is { } c ? c.Bytes.Span[0] != 0 : null;

        SubgraphExecutor? thenRun = null, elseRun = null;
        TensorType[]? thenTypes = null, elseTypes = null;
        if (chosen is null or true) (thenTypes, thenRun) = Branch(context, "then_branch", captures, known, makeKernels);
        if (chosen is null or false) (elseTypes, elseRun) = Branch(context, "else_branch", captures, known, makeKernels);
        if (chosen is true) return (thenTypes!, (thenRun, null));
        if (chosen is false) return (elseTypes!, (null, elseRun));

        if (thenTypes!.Length != elseTypes!.Length)
            throw new ShapeException(RuntimeErrors.ControlFlowBodyShapeInvalid(
                $"then_branch has {thenTypes.Length} outputs, else_branch {elseTypes.Length}"));
        for (int k = 0; k < thenTypes.Length; k++)
        {
            if (thenTypes[k].Type != elseTypes[k].Type)
                throw new ShapeException(RuntimeErrors.ControlFlowBodyShapeInvalid(
                    $"output {k} is {thenTypes[k]} in then_branch but {elseTypes[k]} in else_branch"));
            if (!thenTypes[k].Equals(elseTypes[k]))
                throw new DataDependentShapeException($"output {k} is {thenTypes[k]} or {elseTypes[k]} depending on the condition");
        }
        return (thenTypes, (thenRun, elseRun));
    }

    private static (TensorType[] Types, SubgraphExecutor? Executor) Branch(OpContext context, string attribute,
        TensorType[] captures, TensorData?[] known, bool makeKernels)
    {
        var body = context.Attributes.GetGraph(attribute) ?? throw new ShapeException($"the If has no {attribute}");
        string name = $"{context.NodeName}/{attribute}";
        var (graph, plan) = SubgraphPlanning.Plan(name, body, captures, known);
        var types = SubgraphPlanning.OutputTypes(graph, plan).Select((t, k) => SubgraphPlanning.Static(t, name, k)).ToArray();
        if (types.Length != context.OutputCount)
            throw new ShapeException(RuntimeErrors.ControlFlowBodyShapeInvalid($"{attribute} has {types.Length} outputs, the node {context.OutputCount}"));
        return (types, makeKernels ? new SubgraphExecutor(name, graph, plan, types) : null);
    }

    /// <summary>Reads the condition and runs the chosen branch straight into the node's outputs.</summary>
    private sealed class IfKernel(SubgraphExecutor? thenBranch, SubgraphExecutor? elseBranch) : IKernel
    {
        public long ScratchBytes { get; } = Math.Max(thenBranch?.ScratchBytes ?? 0, elseBranch?.ScratchBytes ?? 0);

        public unsafe void Run(in KernelArgs args)
        {
            bool cond = *(byte*)args.Inputs[0] != 0;
            var branch = (cond ? thenBranch : elseBranch)
                ?? throw new InvalidOperationException("the If was planned for the other value of its condition");
            branch.Run(args.Scratch, args.Inputs[1..], args.Outputs, args.Workers, args.Cancellation);
        }
    }
}
