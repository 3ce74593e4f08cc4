using Atc.Fuzz.Mutation;
using Atc.Fuzz.Seeds;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.Execution;
using Atc.Runtime.Execution.Memory;
using Atc.Runtime.Format;
using OmProto = Atc.Runtime.Format.Proto;

namespace Atc.Fuzz.Targets;

/// <summary>
/// .om: <see cref="InferenceModel.Load(byte[])"/>, then one session run of gear 0 (or the smallest shape of a range)
/// on zero inputs. Seeds are the builders' models compiled here first, with batch gears. Mutations: bytes with the
/// header re-sealed (so they get past the checksum), raw bytes (a few, for the header checks), and field-level changes
/// to the ModelDef and TaskInfo partitions (plans, arena offsets, dims, dtypes, node inputs) written back into a
/// sealed container.
/// </summary>
public sealed class OmTarget : IFuzzTarget
{
    /// <summary>Inputs larger than this are not allocated: a model may legitimately declare them.</summary>
    private const long MaxInputBytes = 64L << 20;

    /// <summary>The run's deadline, as `atc run --timeout` gives one: a file may ask a Loop for 2^62 iterations, which
    /// is the file's right, and the runtime's duty is to stop when told (ATC2203). A kernel that ignores the token
    /// still outlives the case budget (10 s) and is reported as a hang.</summary>
    private static readonly TimeSpan RunDeadline = TimeSpan.FromSeconds(2);

    private readonly List<byte[]> _donors;

    public OmTarget(CompileRunner runner)
    {
        Seeds = CompileSeeds(runner);
        _donors = Seeds.Select(s => s.Bytes).ToList();
    }

    public FuzzFormat Format => FuzzFormat.Om;
    public string Extension => ".om";
    public IReadOnlyList<FuzzSeed> Seeds { get; }
    public int PreferredSeedCount => Seeds.Count;

    public byte[] Mutate(byte[] input, Random rng, List<string> log)
    {
        int kind = rng.Next(10);
        if (kind == 0) return ByteMutator.Mutate(input, _donors, rng, log);
        if (kind < 4) return OmContainerCodec.Reseal(ByteMutator.Mutate(input, _donors, rng, log));
        OmContainerCodec.Parts parts;
        try
        {
            parts = OmContainerCodec.Split(input);
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or NullReferenceException or OverflowException)
        {
            return OmContainerCodec.Reseal(ByteMutator.Mutate(input, _donors, rng, log));
        }
        if (parts.ModelDef is null || parts.TaskInfo is null || parts.Weights is null)
            return OmContainerCodec.Reseal(ByteMutator.Mutate(input, _donors, rng, log));
        try
        {
            if (rng.Next(2) == 0)
            {
                var model = OmProto.ModelDef.Parser.ParseFrom(parts.ModelDef);
                ProtoFieldMutator.Mutate(model, rng, log);
                log[^1] = "ModelDef" + log[^1];
                return OmContainerCodec.Join(parts with { ModelDef = Google.Protobuf.MessageExtensions.ToByteArray(model) });
            }
            var tasks = OmProto.TaskInfo.Parser.ParseFrom(parts.TaskInfo);
            ProtoFieldMutator.Mutate(tasks, rng, log);
            log[^1] = "TaskInfo" + log[^1];
            return OmContainerCodec.Join(parts with { TaskInfo = Google.Protobuf.MessageExtensions.ToByteArray(tasks) });
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            return OmContainerCodec.Reseal(ByteMutator.Mutate(input, _donors, rng, log));
        }
    }

    public byte[] Normalize(byte[] candidate) => OmContainerCodec.Reseal(candidate);

    public bool ShrinkBytes => false;

    /// <summary>Shrinks the ModelDef, then the TaskInfo partition as messages, re-joining the container for every check.</summary>
    public byte[] ShrinkStructure(byte[] input, Func<byte[], bool> stillFails, Action<byte[]> improved, Shrinking.CheckBudget budget)
    {
        OmContainerCodec.Parts parts;
        try
        {
            parts = OmContainerCodec.Split(input);
            if (parts.ModelDef is null || parts.TaskInfo is null || parts.Weights is null) return input;
            var model = OmProto.ModelDef.Parser.ParseFrom(parts.ModelDef);
            var bestModel = Shrinking.Shrinker.ShrinkMessage(model, m => stillFails(OmContainerCodec.Join(parts with { ModelDef = m })), m => improved(OmContainerCodec.Join(parts with { ModelDef = m })), budget);
            if (bestModel != null) parts = parts with { ModelDef = bestModel };
            var tasks = OmProto.TaskInfo.Parser.ParseFrom(parts.TaskInfo);
            var bestTasks = Shrinking.Shrinker.ShrinkMessage(tasks, t => stillFails(OmContainerCodec.Join(parts with { TaskInfo = t })), t => improved(OmContainerCodec.Join(parts with { TaskInfo = t })), budget);
            if (bestTasks != null) parts = parts with { TaskInfo = bestTasks };
            return OmContainerCodec.Join(parts);
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or OverflowException or Google.Protobuf.InvalidProtocolBufferException)
        {
            return input;
        }
    }

    /// <summary>
    /// Loads and runs on guard pages where the platform has them: the file's bytes and every session buffer sit flush
    /// against a no-access page, so an out-of-bounds read or write faults at once instead of passing silently.
    /// </summary>
    public unsafe void Execute(byte[] input)
    {
        if (!GuardPageAllocator.IsSupported)
        {
            Run(InferenceModel.Load(input), new SessionOptions());
            return;
        }
        long length = Math.Max(input.Length, 1);
        nint file = GuardPageAllocator.Instance.Allocate(length);
        try
        {
            input.CopyTo(new Span<byte>((void*)file, input.Length));
            using var stream = new UnmanagedMemoryStream((byte*)file, input.Length);
            Run(InferenceModel.Load(stream), new SessionOptions { Allocator = GuardPageAllocator.Instance });
        }
        finally
        {
            GuardPageAllocator.Instance.Free(file, length);
        }
    }

    private static void Run(InferenceModel model, SessionOptions options)
    {
        var signature = model.Signature;
        var shapes = GearShapes(signature);
        using var session = model.CreateSession(options);
        for (int k = 0; k < signature.Inputs.Count; k++)
        {
            var type = signature.Inputs[k].Type;
            long elements = 1;
            foreach (var d in shapes[k]) elements = d < 0 ? 0 : checked(elements * d);
            if (elements * type.SizeOf() > MaxInputBytes) return;
            session.SetInput(k, new TensorData(type, shapes[k], new byte[elements * type.SizeOf()]));
        }
        using var deadline = new CancellationTokenSource(RunDeadline);
        session.Run(deadline.Token);
    }

    private static int[][] GearShapes(ModelSignature signature)
    {
        if (signature.Gears.Count > 0) return signature.Gears[0].InputShapes;
        if (signature.Ranges.Count > 0) return signature.Ranges.Select(r => r.Min.Select(d => Math.Max(d, 1)).ToArray()).ToArray();
        return signature.Inputs.Select(i => i.Dims.Select(d => (int)Math.Clamp(d, 1, int.MaxValue)).ToArray()).ToArray();
    }

    /// <summary>The codes `atc run` reports for these exceptions (Runner): everything else is a crash.</summary>
    public string? CodeOf(Exception exception) => exception switch
    {
        OmFormatException e => e.Code,
        OperationCanceledException => AtcErrors.RunStopped("", "").Code,
        InferenceInputException => AtcErrors.GearNotFound("", [], "input").Code,
        PlanningException => AtcErrors.GearInvalid("", "", "", "").Code,
        _ => CompileRunner.CodeOf(exception),
    };

    private static List<FuzzSeed> CompileSeeds(CompileRunner runner)
    {
        var seeds = new List<FuzzSeed>();
        void Add(string name, byte[] model, string framework, string inputShape, string? batches)
        {
            var path = runner.WriteModel(name + "-source", model);
            var options = CompileRunner.PreCheck(path, framework);
            options.Mode = "0";
            options.Output = Path.Combine(runner.WorkDirectory, name);
            options.InputShape = inputShape;
            options.DynamicBatchSize = batches;
            runner.Compile(options);
            seeds.Add(new FuzzSeed(name, File.ReadAllBytes(options.Output + ".om")));
        }
        var tf = ModelSeeds.PreferredTensorFlow;
        Add("om-tf-mlp", tf[0].Bytes, "3", "Placeholder:-1,16", "1,2");
        Add("om-tf-tiny-cnn", tf[1].Bytes, "3", "input:1,8,8,3", null);
        var onnx = ModelSeeds.PreferredOnnx;
        Add("om-onnx-mlp", onnx[0].Bytes, "5", "input:-1,64", "1,3");
        Add("om-onnx-tiny-cnn", onnx[1].Bytes, "5", "input:1,3,32,32", null);
        // Control flow: nested bodies (an If inside a Loop) and a Loop body under batch gears reach the subgraph reader.
        Add("om-onnx-if-in-loop", Atc.TestModels.Onnx.ControlFlowModels.IfInsideLoop(), "5", "x:2,2", null);
        Add("om-onnx-loop-batch", Atc.TestModels.Onnx.ControlFlowModels.LoopBatch(), "5", "x:-1,4", "1,3");
        return seeds;
    }
}
