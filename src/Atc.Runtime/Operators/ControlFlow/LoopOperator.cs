using Atc.Runtime.Core;
using Atc.Runtime.Execution;

namespace Atc.Runtime.Operators.ControlFlow;

/// <summary>
/// ONNX Loop: inputs M (optional trip count), cond (optional), N loop-carried initial values, then the outer values
/// the body captures (attr num_captures). Outputs: the N final values and K scan outputs, each body's per-iteration
/// slice stacked along a new axis 0. A carried value keeps its shape (ATC4000 otherwise). The scan outputs' leading
/// size is the trip count: static when M is known and the condition cannot turn false, otherwise data-dependent
/// (the dynamic region reads M, sizes the outputs by it and the kernel reports the iterations it ran).
/// </summary>
internal sealed class LoopOperator : IDataDependentOperator
{
    /// <summary>Iterations a Loop without a trip count may run before the runtime stops it (ATC4002): a malformed
    /// or hostile model must not hang the process.</summary>
    internal const long MaxUnboundedIterations = 10_000_000;

    /// <summary>The bound kernels made from now on use (<see cref="MaxUnboundedIterations"/>; tests lower it).</summary>
    internal static long UnboundedIterationLimit { get; set; } = MaxUnboundedIterations;

    public string OpType => OpTypes.Loop;

    public TensorType[] InferOutputs(OpContext context)
    {
        var loop = Plan(context);
        if (loop.ScanSlices.Length > 0 && loop.KnownTripCount is null)
            throw new DataDependentShapeException("the number of iterations is known only when the loop runs");
        return loop.Outputs((int)Math.Min(loop.KnownTripCount ?? 0, int.MaxValue));
    }

    public TensorType[] InferBounds(OpContext context, out bool[][] dataDependentDims)
    {
        // A computed M is read before the bound is taken (the dynamic region retries with the value).
        if (context.HasInput(0)) context.RequireConstant(0, "the trip count M");
        var loop = Plan(context);
        long bound = loop.KnownTripCount ?? loop.MaxTripCount
            ?? throw new ShapeException("a Loop with scan outputs needs a trip count (input M) to size them");
        if (bound > int.MaxValue) throw new ShapeException($"the trip count {bound} is larger than an output dimension can be");
        var outputs = loop.Outputs((int)bound);
        dataDependentDims = [.. outputs.Select((t, k) => t.Dims.Select((_, d) => k >= loop.Carried.Length && d == 0).ToArray())];
        return outputs;
    }

    public IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var loop = Plan(context);
        var bodyOutputs = new TensorType[1 + loop.Carried.Length + loop.ScanSlices.Length];
        bodyOutputs[0] = new TensorType(DataType.Bool, []);
        loop.Carried.CopyTo(bodyOutputs, 1);
        loop.ScanSlices.CopyTo(bodyOutputs, 1 + loop.Carried.Length);
        var body = new SubgraphExecutor($"{context.NodeName}/body", loop.Graph, loop.BodyPlan, bodyOutputs);
        return new LoopKernel(context.NodeName, body, context.HasInput(0), context.HasInput(1), loop.Carried, loop.ScanSlices,
            context.InputCount - 2 - loop.Carried.Length, UnboundedIterationLimit);
    }

    private sealed record LoopPlan(ModelGraph Graph, ExecutionPlan BodyPlan, TensorType[] Carried, TensorType[] ScanSlices,
        long? KnownTripCount, long? MaxTripCount)
    {
        public TensorType[] Outputs(int tripCount)
            => [.. Carried, .. ScanSlices.Select(s => new TensorType(s.Type, [tripCount, .. s.Dims]))];
    }

    private static LoopPlan Plan(OpContext context)
    {
        var body = context.Attributes.GetGraph("body") ?? throw new ShapeException("the Loop has no body");
        int captures = (int)context.Attributes.GetInt("num_captures", 0);
        int carried = context.InputCount - 2 - captures;
        if (captures < 0 || carried < 0) throw new ShapeException($"num_captures {captures} does not fit the node's {context.InputCount} inputs");
        if (context.HasInput(0) && context.Input(0) is { } m && (m.Type != DataType.Int64 || m.ElementCount != 1))
            throw new ShapeException($"the trip count M must be one int64, got {m}");
        if (context.HasInput(1) && context.Input(1) is { } c && (c.Type != DataType.Bool || c.ElementCount != 1))
            throw new ShapeException($"the condition must be one bool, got {c}");

        var bodyInputs = new List<TensorType> { new(DataType.Int64, []), new(DataType.Bool, []) };
        var known = new List<TensorData?> { null, null };
        for (int j = 2; j < context.InputCount; j++)
        {
            bodyInputs.Add(context.Input(j));
            known.Add(j >= 2 + carried ? context.Constant(j) : null);   // carried values change; captures do not
        }
        string name = $"{context.NodeName}/body";
        var (graph, plan) = SubgraphPlanning.Plan(name, body, bodyInputs, known);
        var types = SubgraphPlanning.OutputTypes(graph, plan);
        if (types.Length < 1 + carried)
            throw new ShapeException($"the body has {types.Length} outputs, fewer than the condition and {carried} carried values");
        if (context.OutputCount != types.Length - 1)
            throw new ShapeException($"the body gives {types.Length - 1} values after the condition, the node has {context.OutputCount} outputs");
        if (types[0] is { } condOut && (condOut.Type != DataType.Bool || condOut.ElementCount != 1))
            throw new ShapeException($"the body's condition output must be one bool, got {condOut}");
        var carriedTypes = new TensorType[carried];
        for (int k = 0; k < carried; k++)
        {
            carriedTypes[k] = bodyInputs[2 + k];
            // A carried output computed in the body's dynamic region is checked against this type when it runs.
            if (types[1 + k] is { } t && !t.Equals(carriedTypes[k]))
                throw new ShapeException(RuntimeErrors.ControlFlowBodyShapeInvalid(
                    $"loop-carried value {k} enters the body as {carriedTypes[k]} but leaves it as {t}"));
        }
        var scanSlices = Enumerable.Range(1 + carried, types.Length - 1 - carried)
            .Select(k => SubgraphPlanning.Static(types[k], name, k)).ToArray();

        long? maxTrip = context.Constant(0) is { } mValue ? Math.Max(0, mValue.AsSpan<long>()[0]) : null;
        bool condStartsTrue = context.Constant(1) is not { } c0 ? !context.HasInput(1) : c0.Bytes.Span[0] != 0;
        bool condStaysTrue = SubgraphPlanning.FoldedOutputs(graph, plan)[0] is { } folded ? folded.Bytes.Span[0] != 0
            : PassesThrough(graph, graph.Outputs[0], graph.Inputs[1]) && condStartsTrue;
        long? knownTrip = context.Constant(1) is { } cf && cf.Bytes.Span[0] == 0 ? 0
            : maxTrip is { } mt && condStartsTrue && condStaysTrue ? mt : null;
        if (knownTrip > int.MaxValue && scanSlices.Length > 0)
            throw new ShapeException($"the trip count {knownTrip} is larger than an output dimension can be");
        return new LoopPlan(graph, plan, carriedTypes, scanSlices, knownTrip, maxTrip);
    }

    /// <summary>Whether body value <paramref name="value"/> is <paramref name="source"/> itself or an Identity chain of
    /// it (exporters write cond_out = Identity(cond_in), and a graph output Identity stays to keep its name).</summary>
    private static bool PassesThrough(ModelGraph graph, int value, int source)
    {
        for (int hops = 0; hops <= graph.Nodes.Length; hops++)
        {
            if (value == source) return true;
            var producer = Array.Find(graph.Nodes, n => n.Outputs.Contains(value));
            if (producer is not { OpType: OpTypes.Identity, Inputs.Length: 1 }) return false;
            value = producer.Inputs[0];
        }
        return false;
    }
}
