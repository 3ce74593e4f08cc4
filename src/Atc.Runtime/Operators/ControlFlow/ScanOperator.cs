using Atc.Runtime.Core;

namespace Atc.Runtime.Operators.ControlFlow;

/// <summary>
/// ONNX Scan (opset 9+): inputs N initial states, M scan inputs (attr num_scan_inputs), then the captured outer
/// values (attr num_captures). Each iteration the body reads the states and one slice of every scan input along its
/// scan_input_axes entry (scan_input_directions 1: from the end) and gives the next states and one slice of every scan
/// output, stacked along scan_output_axes (scan_output_directions 1: filled from the end). The sequence length is the
/// scan inputs' length along their axes, so every shape is static.
/// </summary>
internal sealed class ScanOperator : IOperator
{
    public string OpType => OpTypes.Scan;

    public TensorType[] InferOutputs(OpContext context) => Plan(context, makeKernel: false).Outputs;

    public IKernel CreateKernel(OpContext context, TensorType[] outputs) => Plan(context, makeKernel: true).Kernel!;

    private sealed record ScanPlan(TensorType[] Outputs, ScanKernel? Kernel);

    private static ScanPlan Plan(OpContext context, bool makeKernel)
    {
        var body = context.Attributes.GetGraph("body") ?? throw new ShapeException("the Scan has no body");
        int scanInputs = (int)context.Attributes.GetInt("num_scan_inputs", 0);
        int captures = (int)context.Attributes.GetInt("num_captures", 0);
        int states = context.InputCount - scanInputs - captures;
        if (scanInputs < 1 || captures < 0 || states < 0)
            throw new ShapeException($"num_scan_inputs {scanInputs} and num_captures {captures} do not fit the node's {context.InputCount} inputs");

        var inputAxes = Axes(context, "scan_input_axes", scanInputs, j => context.Input(states + j).Rank);
        var inputReversed = Directions(context, "scan_input_directions", scanInputs);
        int length = -1;
        var bodyInputs = new List<TensorType>();
        var known = new List<TensorData?>();
        for (int j = 0; j < states; j++) { bodyInputs.Add(context.Input(j)); known.Add(null); }
        for (int j = 0; j < scanInputs; j++)
        {
            var t = context.Input(states + j);
            int n = t.Dims[inputAxes[j]];
            if (length >= 0 && n != length)
                throw new ShapeException($"scan input {j} has {n} elements along axis {inputAxes[j]}, scan input 0 has {length}");
            length = n;
            bodyInputs.Add(new TensorType(t.Type, [.. t.Dims.Where((_, d) => d != inputAxes[j])]));
            known.Add(null);
        }
        for (int j = states + scanInputs; j < context.InputCount; j++) { bodyInputs.Add(context.Input(j)); known.Add(context.Constant(j)); }

        string name = $"{context.NodeName}/body";
        var (graph, plan) = SubgraphPlanning.Plan(name, body, bodyInputs, known);
        var types = SubgraphPlanning.OutputTypes(graph, plan);
        if (types.Length < states || types.Length != context.OutputCount)
            throw new ShapeException($"the body has {types.Length} outputs; the node has {context.OutputCount} and {states} states");
        var stateTypes = bodyInputs.Take(states).ToArray();
        for (int k = 0; k < states; k++)
            if (types[k] is { } t && !t.Equals(stateTypes[k]))
                throw new ShapeException(RuntimeErrors.ControlFlowBodyShapeInvalid($"state {k} enters the body as {stateTypes[k]} but leaves it as {t}"));
        int scanOutputs = types.Length - states;
        var slices = Enumerable.Range(states, scanOutputs).Select(k => SubgraphPlanning.Static(types[k], name, k)).ToArray();
        var outputAxes = Axes(context, "scan_output_axes", scanOutputs, k => slices[k].Rank + 1);
        var outputReversed = Directions(context, "scan_output_directions", scanOutputs);
        var outputs = stateTypes.Concat(slices.Select((s, k) =>
        {
            var dims = s.Dims.ToList();
            dims.Insert(outputAxes[k], length);
            return new TensorType(s.Type, [.. dims]);
        })).ToArray();
        if (!makeKernel) return new ScanPlan(outputs, null);

        var executor = new SubgraphExecutor(name, graph, plan, [.. stateTypes, .. slices]);
        var inputCuts = Enumerable.Range(0, scanInputs).Select(j => SequenceCut.Along(context.Input(states + j), inputAxes[j], inputReversed[j])).ToArray();
        var outputCuts = Enumerable.Range(0, scanOutputs).Select(k => SequenceCut.Along(outputs[states + k], outputAxes[k], outputReversed[k])).ToArray();
        return new ScanPlan(outputs, new ScanKernel(executor, length, [.. stateTypes.Select(t => t.ByteCount)], inputCuts, outputCuts, captures));
    }

    private static int[] Axes(OpContext context, string attribute, int count, Func<int, int> rankOf)
    {
        var axes = context.Attributes.GetInts(attribute, new long[count]);
        if (axes.Length != count) throw new ShapeException($"{attribute} has {axes.Length} entries for {count} tensors");
        var result = new int[count];
        for (int j = 0; j < count; j++)
        {
            int rank = rankOf(j);
            long axis = axes[j] < 0 ? axes[j] + rank : axes[j];
            if (axis < 0 || axis >= rank) throw new ShapeException($"{attribute}[{j}] = {axes[j]} is outside rank {rank}");
            result[j] = (int)axis;
        }
        return result;
    }

    private static bool[] Directions(OpContext context, string attribute, int count)
    {
        var directions = context.Attributes.GetInts(attribute, new long[count]);
        if (directions.Length != count) throw new ShapeException($"{attribute} has {directions.Length} entries for {count} tensors");
        if (directions.Any(d => d is not (0 or 1))) throw new ShapeException($"{attribute} entries must be 0 (forward) or 1 (reverse)");
        return [.. directions.Select(d => d == 1)];
    }
}
