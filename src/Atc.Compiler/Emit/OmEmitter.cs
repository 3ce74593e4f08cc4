using System.Reflection;
using Atc.Compiler.Driver;
using Atc.Compiler.Ir;
using Atc.Compiler.Shapes;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Execution;
using Atc.Runtime.Format;

namespace Atc.Compiler.Emit;

/// <summary>What the .om header and signature record besides the graph.</summary>
public sealed record EmitOptions(string ModelName, string SocVersion, string SourceFramework)
{
    /// <summary>Store weights in the kernels' layouts (see WeightPrepacking); false keeps every weight raw.</summary>
    public bool PrepackWeights { get; init; } = true;

    /// <summary>The largest arena one gear may plan, in bytes; 0 = no limit (see <see cref="ArenaLimit"/>).</summary>
    public long ArenaLimitBytes { get; init; }

    /// <summary>--precision_mode (or _v2) as given, recorded in the .om; "" = none given.</summary>
    public string PrecisionMode { get; init; } = "";

    /// <summary>The 16-bit type float32 weights are stored in when exact in it (<see cref="Precision.WeightPrecisionLowering"/>
    /// rounds the lowered nodes' weights first); Float32 stores every weight as is.</summary>
    internal WeightStorageType WeightStorage { get; init; } = WeightStorageType.Float32;
}

/// <summary>Lowers the optimised IR and its gears into .om bytes: signature, graph, weights, per-gear plans.</summary>
public static class OmEmitter
{
    /// <summary>Plans every gear (shape inference, folding, arena) and serialises. A gear that makes the graph
    /// invalid throws AtcException naming the node and the gear. Same inputs, same bytes.</summary>
    public static byte[] Emit(Graph graph, GearSet gears, EmitOptions options) => Emit(graph, gears, options, null);

    /// <summary>As <see cref="Emit(Graph, GearSet, EmitOptions)"/>, returning the compiled model as an object
    /// (signature, gears, memory plan) along with its bytes.</summary>
    public static CompiledModel Compile(Graph graph, GearSet gears, EmitOptions options)
    {
        var model = Build(graph, gears, options, null);
        return CompiledModel.From(model, gears, OmWriter.Write(model));
    }

    internal static byte[] Emit(Graph graph, GearSet gears, EmitOptions options, OperatorResolver? resolver)
        => OmWriter.Write(Build(graph, gears, options, resolver));

    internal static OmModel Build(Graph graph, GearSet gears, EmitOptions options, OperatorResolver? resolver)
    {
        var lowered = GraphLowering.Lower(graph);
        var gearList = gears.Gears.Count > 0 || graph.Inputs.Count > 0
            ? gears.Gears
            : [new Gear(new Dictionary<string, int[]>(), [])];
        if (gearList.Count == 0)
            throw new AtcException(AtcErrors.InvalidModel("no shape profile was given for the model's inputs"));

        var inputShapes = gearList.Select((gear, g) => graph.Inputs.Select(input => gear.InputShapes.TryGetValue(input.Name, out var s)
            ? s
            : throw new AtcException(AtcErrors.InvalidModel($"shape profile {g} gives no shape for input '{input.Name}'"))).ToArray()).ToArray();

        // Smallest gears first (by input elements): a huge gear then fails against the limit with an estimate from a
        // planned one. Checked gear by gear, before the next is planned and before weights are packed.
        var plans = new ExecutionPlan[gearList.Count];
        int? smallest = null;
        foreach (int g in Enumerable.Range(0, plans.Length).OrderBy(g => ArenaLimit.InputElements(inputShapes[g])))
        {
            string gearText = Describe(gears.Kind, gearList[g], DescribeShapes(graph, inputShapes[g]));
            try
            {
                plans[g] = ExecutionPlanner.Plan(lowered, inputShapes[g], resolver);
            }
            catch (PlanningException e)
            {
                // A gear too large to plan at all (a tensor beyond the runtime's 2^31 elements) is reported as the
                // resource problem it is when the estimate is above the limit.
                if (options.ArenaLimitBytes > 0 && smallest is { } s
                    && ArenaLimit.Estimate(plans[s], inputShapes[s], inputShapes[g]) is var estimate && estimate > options.ArenaLimitBytes)
                    throw new AtcException(AtcErrors.ArenaLimitExceeded(gearText, estimate, options.ArenaLimitBytes,
                        Describe(gears.Kind, gearList[s], DescribeShapes(graph, inputShapes[s]))));
                throw new AtcException(AtcErrors.GearInvalid(e.NodeName, e.OpType, Describe(gears.Kind, gearList[g], e.InputShapes), e.Detail));
            }
            if (options.ArenaLimitBytes > 0 && ArenaLimit.RequiredBytes(plans[g]) is var arena && arena > options.ArenaLimitBytes)
                throw new AtcException(AtcErrors.ArenaLimitExceeded(gearText, arena, options.ArenaLimitBytes));
            smallest ??= g;
        }
        var typed = WithPlannedTypes(lowered, plans);

        var inputs = graph.Inputs.Select((v, k) => new TensorDescriptor(v.Name, v.Type,
            (graph.InputFormats.TryGetValue(v.Name, out var f) ? f : TensorFormat.ND).ToString(),
            MergeDims(inputShapes.Select(s => s[k])))).ToArray();
        var outputs = graph.Outputs.Select((v, k) => DescribeOutput(v.Name, typed, plans, k)).ToArray();
        var ranges = gears.Kind == GearKind.Range ? RangesOf(graph, gears, inputShapes[0]) : [];
        if (gears.Kind == GearKind.Range)
            for (int k = 0; k < inputs.Length; k++)
                inputs[k] = inputs[k] with { Dims = [.. ranges[k].Min.Select((m, i) => m == ranges[k].Max[i] ? (long)m : -1)] };

        var model = new OmModel
        {
            Name = options.ModelName,
            SourceFramework = options.SourceFramework,
            SocVersion = options.SocVersion,
            ProducerVersion = ProducerVersion,
            Graph = typed,
            Inputs = inputs,
            Outputs = outputs,
            GearKind = GearKinds.ToModel(gears.Kind),
            Gears = [.. gearList.Select((gear, g) => new ModelGear(g, [.. gear.Selector], inputShapes[g],
                [.. Enumerable.Range(0, outputs.Length).Select(k => plans[g].OutputShape(typed, k))]))],
            Ranges = ranges,
            Plans = plans,
            OpsEstimate = EstimateKops(typed, plans[0]),
            PrecisionMode = options.PrecisionMode,
            WeightStorage = options.WeightStorage,
        };
        // Weights go into the file already in the kernels' layouts: a load then neither copies nor packs them.
        return options.PrepackWeights ? WeightPrepacking.Apply(model, resolver) : model;
    }

    /// <summary>"atc.net 0.1.0": the compiler's version, without build metadata so that output stays reproducible.</summary>
    internal static string ProducerVersion
    {
        get
        {
            var v = typeof(OmEmitter).Assembly.GetName().Version ?? new Version(0, 0, 0);
            return $"atc.net {v.Major}.{v.Minor}.{Math.Max(0, v.Build)}";
        }
    }

    private static string DescribeShapes(Graph graph, int[][] shapes)
        => string.Join(", ", graph.Inputs.Select((v, k) => v.Name + Shape.Format(shapes[k])));

    private static string Describe(GearKind kind, Gear gear, string shapes)
        => gear.Selector.Length == 0 ? shapes : $"{kind} {string.Join(",", gear.Selector)}: {shapes}";

    /// <summary>Value types as inferred by the planner (importers may leave intermediate types undefined).</summary>
    private static ModelGraph WithPlannedTypes(ModelGraph graph, ExecutionPlan[] plans)
    {
        var values = new GraphValue[graph.Values.Length];
        for (int v = 0; v < values.Length; v++)
        {
            var type = plans[0].Values[v].Type;
            foreach (var plan in plans)
                if (plan.Values[v].Type != type)
                    throw new AtcException(AtcErrors.InvalidModel(
                        $"value '{graph.Values[v].Name}' is {type.Name()} in one shape profile and {plan.Values[v].Type.Name()} in another"));
            values[v] = graph.Values[v] with { Type = type };
        }
        return new ModelGraph(values, graph.Nodes, graph.Inputs, graph.Outputs, graph.Constants);
    }

    /// <summary>An output's descriptor; one computed in the dynamic region of any gear is data-dependent (docs/om-format.md).</summary>
    private static TensorDescriptor DescribeOutput(string name, ModelGraph typed, ExecutionPlan[] plans, int k)
    {
        var shapes = plans.Select(p => p.OutputShape(typed, k)).ToArray();
        bool dataDependent = plans.Any(p => p.IsDataDependent(typed, k));
        long[] dims = dataDependent && shapes.Any(s => s.SequenceEqual(ValuePlacement.UnknownRank)) ? [-2] : MergeDims(shapes);
        return new TensorDescriptor(name, typed.Values[typed.Outputs[k]].Type, "ND", dims) { IsDataDependent = dataDependent };
    }

    /// <summary>Declared dims: a dimension equal in every gear keeps its size, others are -1.</summary>
    private static long[] MergeDims(IEnumerable<int[]> shapes)
    {
        long[]? merged = null;
        foreach (var shape in shapes)
        {
            if (merged is null) { merged = [.. shape.Select(d => (long)d)]; continue; }
            if (merged.Length != shape.Length) return [.. merged.Select(_ => -1L)];
            for (int i = 0; i < merged.Length; i++) if (merged[i] != shape[i]) merged[i] = -1;
        }
        return merged ?? [];
    }

    private static InputShapeRange[] RangesOf(Graph graph, GearSet gears, int[][] firstGear)
        => [.. graph.Inputs.Select((v, k) => gears.Ranges.FirstOrDefault(r => r.InputName == v.Name) is { } r
            ? new InputShapeRange(v.Name, [.. r.Min], [.. r.Max])
            : new InputShapeRange(v.Name, [.. firstGear[k]], [.. firstGear[k]]))];

    /// <summary>A rough compute estimate for the header: thousands of output elements written per run of gear 0.</summary>
    private static uint EstimateKops(ModelGraph graph, ExecutionPlan plan)
    {
        long elements = 0;
        foreach (int step in plan.Steps)
            foreach (int o in graph.Nodes[step].Outputs)
                elements = Math.Min(elements + SaturatedElementCount(plan.Values[o].Dims), MaxEstimatedElements);
        return (uint)Math.Min(uint.MaxValue, elements / 1000);
    }

    // The header field saturates at uint.MaxValue Kops; summing stops there so huge gears cannot wrap the sum.
    private const long MaxEstimatedElements = uint.MaxValue * 1000L;

    private static long SaturatedElementCount(int[] dims)
    {
        long n = 1;
        foreach (int d in dims)
        {
            if (d <= 0) return 0;
            n = n > MaxEstimatedElements / d ? MaxEstimatedElements : n * d;
        }
        return n;
    }
}
