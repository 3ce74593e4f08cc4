using System.Collections.Concurrent;
using System.Reflection;
using Atc.Runtime.Diagnostics;
using Atc.Runtime.Execution;
using Atc.Runtime.Format;

namespace Atc.Runtime;

/// <summary>
/// A loaded offline model (.om): immutable and thread-safe. <see cref="Run(TensorData[])"/> may be called from any
/// number of threads at once (each call rents a session from a lock-free pool); for the fastest loop on one thread,
/// create an <see cref="InferenceSession"/> per thread. Load creates the kernels of every compiled gear (kernel
/// selection, derived and prepacked weights, scratch sizes), shared by every session, so no run does plan work, and
/// runs the smallest gear once on zeros so that the first real run has no code to compile; <see cref="WarmUp"/> also
/// runs the other gears.
/// </summary>
public sealed partial class InferenceModel
{
    private readonly OmModel _om;
    private readonly OperatorResolver _resolver;
    private readonly object? _owner;
    private readonly GearExecutor[] _gears;
    private readonly ConcurrentDictionary<string, Lazy<GearExecutor>> _rangeShapes = new(StringComparer.Ordinal);
    private readonly Operators.IPrepackedWeights?[] _prepacked;
    private readonly DerivedWeightCache _derived = new();
    private readonly SessionPool _sessions;

    private InferenceModel(OmModel om, OperatorResolver resolver, object? owner)
    {
        _om = om;
        _resolver = resolver;
        _owner = owner;
        _sessions = new SessionPool(this);
        Signature = om.Signature;
        using (LoadPhase.Begin(LoadPhase.PrepackedWeights))
            _prepacked = LoadedPrepackedWeights.ByNode(om);
        // Every compiled gear's kernels are made here, not on a gear's first run: the time to the first result is
        // then one run, and a file whose plan a kernel rejects fails at Load instead of at some later call.
        _gears = new GearExecutor[om.Gears.Length];
        using (LoadPhase.Begin(LoadPhase.Kernels))
        {
            for (int g = 0; g < _gears.Length; g++)
            {
                _gears[g] = CreateStoredGear(g);
            }
        }
        SmallestGear = _gears.Length == 0 ? null : _gears.MinBy(gear => gear.Plan.ArenaSize + gear.ScratchBytes);
        using (LoadPhase.Begin(LoadPhase.WarmUp))
            CompileRunCode();
    }

    /// <summary>The longest Load's warm-up run may take. A ResNet-50 gear runs in about 0.03 s on one core, but the
    /// warm-up is mostly the JIT's work, which a loaded machine stretches; a run cut short leaves that work to the
    /// first real run, so the bound is generous and only a hostile Loop ever reaches it.</summary>
    private static readonly TimeSpan WarmUpDeadline = TimeSpan.FromSeconds(5);

    /// <summary>Memory above which Load does not run a gear to compile its code: the first real run does it then.</summary>
    private const long WarmUpMemoryLimit = 256L << 20;

    /// <summary>Whether the gear's buffers (arena, scratch, inputs, outputs) stay within <see cref="WarmUpMemoryLimit"/>.</summary>
    private bool WorthWarmingUp(GearExecutor gear)
    {
        try
        {
            long bytes = checked(gear.Plan.ArenaSize + gear.ScratchBytes + gear.OutputByteSizes.Sum());
            for (int k = 0; k < gear.Plan.InputShapes.Length; k++)
            {
                long elements = Signature.Inputs[k].Type.SizeOf();
                foreach (int d in gear.Plan.InputShapes[k]) elements = checked(elements * d);
                bytes = checked(bytes + elements);
            }
            return bytes <= WarmUpMemoryLimit;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>The compiled gear with the least memory: the one Load runs and a new session sizes its buffers for.</summary>
    internal GearExecutor? SmallestGear { get; }

    /// <summary>
    /// Runs the smallest gear once on zeros in a throw-away one-thread session, through the public SetInput, Run and
    /// GetOutput calls, so that the just-in-time compiler translates those, the executor and every kernel's code
    /// during Load and the first real bind, Run and read compile nothing. Best effort: zeros are not the caller's data, so whatever a kernel makes of them
    /// (a computed shape out of range, an integer division by zero, a parameter check) is left to the real runs.
    /// The run stops at <see cref="WarmUpDeadline"/>: a Loop's trip count comes from the file, and a hostile one must not
    /// turn Load into a hang (the steps before the cut are compiled all the same).
    /// </summary>
    private void CompileRunCode()
    {
        // Only this runtime's own op set: the internal resolvers of tests supply operators that count runs or block on purpose.
        if (SmallestGear is null || _resolver != OperatorResolvers.Registry || !WorthWarmingUp(SmallestGear)) return;
        using var session = new InferenceSession(this, new SessionOptions { ThreadCount = 1 });
        try
        {
            using var deadline = new CancellationTokenSource(WarmUpDeadline);
            session.WarmUpOneGear(SmallestGear, deadline.Token);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or InsufficientExecutionStackException))
        {
            // See above: a real run reports it with the caller's data.
        }
    }

    /// <summary>Inputs, outputs and gears the model accepts.</summary>
    public ModelSignature Signature { get; }
    /// <summary>The model name recorded at compile time.</summary>
    public string Name => _om.Name;
    /// <summary>"tensorflow" or "onnx".</summary>
    public string SourceFramework => _om.SourceFramework;
    /// <summary>The --soc_version the model was compiled with (recorded only).</summary>
    public string SocVersion => _om.SocVersion;
    /// <summary>The code target recorded in the file ("cpu-portable").</summary>
    public string Target => _om.Target;
    /// <summary>The version of atc that wrote the file.</summary>
    public string ProducerVersion => _om.ProducerVersion;
    /// <summary>The --precision_mode (or --precision_mode_v2) the model was compiled with; empty when none was given
    /// (float32). The bfloat16/float16 modes store Conv/Gemm/MatMul weights in 16 bits; activations stay float32.</summary>
    public string PrecisionMode => _om.PrecisionMode;

    internal OmModel Content => _om;

    /// <summary>
    /// The parameter tensor of an input compiled with dynamic AIPP (<c>aipp_mode: dynamic</c>): pass it to
    /// <see cref="Run(TensorData[])"/> (or a session) as the input named <c>&lt;image input&gt;_aipp_params</c>, with the
    /// image as uint8 [N, max_src_image_size], each item's bytes at the start of its slot. The parameters are checked
    /// against the model here and again when the model runs. Thread-safe.
    /// </summary>
    /// <param name="imageInput">The name of the image input (the model input the AIPP step feeds).</param>
    /// <param name="parameters">This run's format, size, crop, colour-space conversion, normalisation and padding.</param>
    /// <exception cref="InferenceInputException">ATC3202 for an input without dynamic AIPP; ATC3200 for a value the
    /// model cannot take (the crop and padding must give the model's image size); ATC3201 for an image larger than
    /// max_src_image_size.</exception>
    public TensorData CreateAippInput(string imageInput, AippDynamicParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(imageInput);
        ArgumentNullException.ThrowIfNull(parameters);
        var graph = _om.Graph;
        var dynamic = graph.Nodes.Where(n => n.OpType == Operators.OpTypes.AippDynamic).ToList();
        var node = dynamic.FirstOrDefault(n => graph.Values[n.Inputs[0]].Name == imageInput)
            ?? throw new InferenceInputException(RuntimeErrors.AippInputUnknown(imageInput, Name,
                string.Join(", ", dynamic.Select(n => graph.Values[n.Inputs[0]].Name))), nameof(imageInput));
        var target = Operators.Image.AippDynamicOperator.ReadTarget(node.Attributes);
        var encoded = Operators.Image.AippDynamicEncoding.Encode(parameters, imageInput);
        Operators.Image.AippDynamicEncoding.Decode(encoded, target);
        return TensorData.Float([encoded.Length], encoded);
    }

    /// <summary>Loads an .om file. Throws <see cref="OmFormatException"/> (code ATC2000) for an invalid file.</summary>
    public static InferenceModel Load(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long length = RandomAccess.GetLength(handle);
        if (length > Array.MaxLength - ArenaAllocatorAlignment)
            throw new OmFormatException($"'{path}' has {length} bytes, more than this runtime can load");
        var file = AlignedFile((int)length);
        int read = 0;
        while (read < file.Length)
        {
            int n = RandomAccess.Read(handle, file.Span[read..], read);
            if (n == 0) throw new OmFormatException($"'{path}' ended after {read} of {length} bytes while reading");
            read += n;
        }
        return Create(file, null, null);
    }

    /// <summary>Loads .om bytes (copied: the caller may reuse the array).</summary>
    public static InferenceModel Load(byte[] om) => Load(om, null);

    internal static InferenceModel Load(byte[] om, OperatorResolver? resolver)
    {
        ArgumentNullException.ThrowIfNull(om);
        var file = AlignedFile(om.Length);
        om.CopyTo(file);
        return Create(file, null, resolver);
    }

    /// <summary>
    /// Loads from a stream (from its current position to its end). A manifest resource stream is read in place: the
    /// weights stay in the assembly image and are not copied.
    /// </summary>
    public static InferenceModel Load(Stream stream) => Load(stream, null);

    internal static unsafe InferenceModel Load(Stream stream, OperatorResolver? resolver, bool verifyChecksum = true)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte* pointer = stream is UnmanagedMemoryStream ums ? TryPositionPointer(ums) : null;
        if (pointer != null && stream is UnmanagedMemoryStream unmanaged)
        {
            long length = unmanaged.Length - unmanaged.Position;
            if (length > int.MaxValue) throw new OmFormatException($"the stream has {length} bytes, more than this runtime can load");
            var manager = new UnmanagedMemoryManager(pointer, (int)length, unmanaged);
            return Create(manager.Memory, manager, resolver, verifyChecksum);
        }
        Memory<byte> file;
        if (stream.CanSeek)
        {
            long length = stream.Length - stream.Position;
            if (length > Array.MaxLength - ArenaAllocatorAlignment) throw new OmFormatException($"the stream has {length} bytes, more than this runtime can load");
            file = AlignedFile((int)length);
            stream.ReadExactly(file.Span);
        }
        else
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            file = AlignedFile((int)copy.Length);
            copy.GetBuffer().AsSpan(0, (int)copy.Length).CopyTo(file.Span);
        }
        return Create(file, null, resolver, verifyChecksum);
    }

    /// <summary>Loads an .om embedded as a manifest resource (what the Atc MSBuild integration does), in place.</summary>
    public static InferenceModel LoadEmbedded(Assembly assembly, string resourceName)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new ArgumentException($"assembly '{assembly.GetName().Name}' has no manifest resource '{resourceName}'; "
                + $"it has: {string.Join(", ", assembly.GetManifestResourceNames().Order(StringComparer.Ordinal))}", nameof(resourceName));
        // The resource is part of an assembly the process already trusts and loaded: hashing its 100 MB of weights
        // on every load would cost more than the load itself, so only the structural checks run.
        return Load(stream, null, verifyChecksum: false);
    }

    private const int ArenaAllocatorAlignment = ArenaAllocator.Alignment;

    /// <summary>
    /// A pinned buffer for a whole file whose first byte is 64-byte aligned: partitions and the weights and prepacked
    /// blobs in them are 64-byte aligned in the file, so they are in memory too (vector loads never split cache lines).
    /// </summary>
    private static Memory<byte> AlignedFile(int length)
    {
        var array = GC.AllocateUninitializedArray<byte>(length + ArenaAllocatorAlignment, pinned: true);
        nint address = ExecutionPlanner.AddressOf(array);
        int skip = (int)((ArenaAllocatorAlignment - (address & (ArenaAllocatorAlignment - 1))) & (ArenaAllocatorAlignment - 1));
        return array.AsMemory(skip, length);
    }

    private static unsafe byte* TryPositionPointer(UnmanagedMemoryStream stream)
    {
        try { return stream.PositionPointer; }
        catch (NotSupportedException) { return null; }
    }

    /// <param name="file">Pinned-heap array or unmanaged memory: never moves while the model lives.</param>
    private static InferenceModel Create(ReadOnlyMemory<byte> file, object? owner, OperatorResolver? resolver, bool verifyChecksum = true)
    {
        resolver ??= OperatorResolvers.Registry;
        var om = OmReader.Read(file, verifyChecksum);
        using (LoadPhase.Begin(LoadPhase.OperatorLookup))
        {
            foreach (var node in om.Graph.Nodes)
                if (resolver(node.OpType) is null)
                    throw new OmFormatException($"node '{node.Name}' uses operator '{node.OpType}', which this runtime does not implement");
        }
        return new InferenceModel(om, resolver, owner);
    }

    /// <summary>A session for one thread: its own buffers, the model's shared kernels. Dispose it when done.</summary>
    public InferenceSession CreateSession(SessionOptions? options = null)
    {
        using var phase = LoadPhase.Begin(LoadPhase.SessionBuffers);
        return new(this, options ?? new SessionOptions());
    }

    // ---- thread-safe runs (the model-level API, as ONNX Runtime's InferenceSession.Run) ----

    /// <summary>
    /// Runs the model on inputs given in signature order and returns copies of every output. Safe to call from any
    /// number of threads at once: each call uses a session of its own, rented from a pool and returned afterwards.
    /// </summary>
    public TensorData[] Run(params TensorData[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var session = _sessions.Rent();
        try
        {
            return session.Run(inputs);
        }
        finally
        {
            _sessions.Return(session);
        }
    }

    /// <summary>
    /// Runs a model with one input and writes output <paramref name="outputIndex"/> into the caller's
    /// <paramref name="destination"/>; returns the number of elements written. Thread-safe like
    /// <see cref="Run(TensorData[])"/>, and allocation-free once the pool is warm.
    /// </summary>
    public int Run<TInput, TOutput>(ReadOnlySpan<TInput> input, ReadOnlySpan<int> shape, Span<TOutput> destination, int outputIndex = 0)
        where TInput : unmanaged where TOutput : unmanaged
    {
        if (Signature.Inputs.Count != 1)
            throw new InferenceInputException($"model '{Name}' has {Signature.Inputs.Count} inputs ({string.Join(", ", Signature.Inputs.Select(i => i.Name))}); "
                + "this overload runs one-input models: use Run(params TensorData[])", nameof(input));
        var session = _sessions.Rent();
        try
        {
            return session.RunInto(input, shape, outputIndex, destination);
        }
        finally
        {
            _sessions.Return(session);
        }
    }

    /// <summary>Idle sessions of the thread-safe runs (tests).</summary>
    internal int PooledSessionCount => _sessions.IdleCount;

    internal int ValueCount => _om.Graph.Values.Length;

    internal ModelGraph Graph => _om.Graph;

    internal GearExecutor Gear(int index) => _gears[index];

    /// <summary>
    /// Runs every compiled gear once on zero inputs in a pooled session, so that the kernels' code is compiled and
    /// that session's buffers are sized before the first real call (see <see cref="InferenceSession.WarmUp"/>).
    /// Thread-safe; call it once at start-up when the first call's latency matters.
    /// </summary>
    public void WarmUp()
    {
        var session = _sessions.Rent();
        try
        {
            session.WarmUp();
        }
        finally
        {
            _sessions.Return(session);
        }
    }

    /// <summary>The gear for these input shapes: a compiled gear, or (range profiles) a plan made and cached on first use.</summary>
    internal GearExecutor? FindGear(int[][] inputShapes)
    {
        // A scan, not a keyed lookup: a model has a handful of gears, and comparing shapes allocates nothing, so
        // a session whose input shapes change between calls (batch 1, then 4) still runs allocation-free.
        for (int g = 0; g < _gears.Length; g++)
            if (SameShapes(_gears[g].Plan.InputShapes, inputShapes)) return _gears[g];
        return Signature.GearKind == ModelGearKind.Range ? FindRangeShape(inputShapes) : null;
    }

    /// <summary>A shape inside a range profile: planned on first use and cached. A method of its own because its
    /// lambdas' captured locals are allocated on entry, which <see cref="FindGear"/>'s compiled-gear path must not pay.</summary>
    private GearExecutor? FindRangeShape(int[][] inputShapes)
    {
        for (int k = 0; k < inputShapes.Length; k++)
            if (!Signature.Ranges[k].Contains(inputShapes[k])) return null;
        string key = ShapeKey(inputShapes);
        var copy = inputShapes.Select(s => s.ToArray()).ToArray();
        return _rangeShapes.GetOrAdd(key, _ => new Lazy<GearExecutor>(() =>
            GearExecutor.Create(_om.Graph, ExecutionPlanner.Plan(_om.Graph, copy, _resolver), -1, _resolver, PrepackedOf, _derived))).Value;
    }

    /// <summary>A gear whose plan the file stores: a kernel that rejects it means the file is wrong, not the input.</summary>
    private GearExecutor CreateStoredGear(int index)
    {
        try
        {
            return GearExecutor.Create(_om.Graph, _om.Plans[index], index, _resolver, PrepackedOf, _derived);
        }
        catch (PlanningException e)
        {
            throw new OmFormatException($"gear {index} cannot be made runnable: {e.Message}");
        }
    }

    private Operators.IPrepackedWeights? PrepackedOf(int node) => _prepacked[node];

    private static bool SameShapes(int[][] gear, int[][] bound)
    {
        for (int k = 0; k < gear.Length; k++)
            if (!gear[k].AsSpan().SequenceEqual(bound[k])) return false;
        return true;
    }

    private static string ShapeKey(int[][] shapes) => string.Join(";", shapes.Select(s => string.Join(",", s)));

    internal object? Owner => _owner;
}
