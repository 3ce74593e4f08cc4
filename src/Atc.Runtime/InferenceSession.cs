using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Atc.Runtime.Core;
using Atc.Runtime.Execution;
using Atc.Runtime.Operators;
using Atc.Runtime.Threading;

namespace Atc.Runtime;

/// <summary>
/// Runs a model on one thread at a time. Owns the pinned arena, the input and output buffers and the kernels'
/// scratch memory; after the first run of a gear (or <see cref="WarmUp"/>), Run allocates nothing. Bind inputs, Run, read outputs.
/// </summary>
/// <remarks>
/// Not thread-safe: every public member that touches the session's state detects a second thread inside the
/// session and throws <see cref="InvalidOperationException"/> (code ATC2100) instead of letting two runs share
/// buffers. For many threads use <see cref="InferenceModel.Run(TensorData[])"/>, or one session per thread.
/// </remarks>
public sealed partial class InferenceSession : IDisposable
{
    private readonly IWorkerPool _pool;
    private readonly PinnedBuffer _arena;
    private readonly PinnedBuffer _scratch;
    private readonly PinnedBuffer[] _inputs;
    private readonly PinnedBuffer[] _outputs;
    private readonly int[]?[] _inputShapes;
    private readonly int[][] _lookupShapes;
    private readonly nint[] _inputPointers;
    private readonly nint[] _outputPointers;
    private readonly nint[] _valuePointers;
    private nint[] _operandPointers = [];
    private GearExecutor? _selected;
    private GearExecutor? _bound;   // the gear whose pointers _valuePointers/_operandPointers hold for the current buffers
    private GearExecutor? _lastRun;
    private SingleThreadGuard _guard;
    private readonly Execution.Memory.IBufferAllocator? _allocator;
    private DynamicValues? _dynamic;   // storage of the dynamic region, made on the first run of a gear that has one
    private readonly int[][] _runOutputShapes;   // each output's shape in the last run (data-dependent ones: the actual shape)
    private readonly long[] _runOutputBytes;
    private bool _disposed;

    internal InferenceSession(InferenceModel model, SessionOptions options)
    {
        Model = model;
        ThreadCount = ThreadBudget.Resolve(options.ThreadCount, out string? warning);
        Warnings = warning is null ? [] : [warning];
        _pool = WorkerPools.For(ThreadCount);
        var allocator = options.Allocator;
        _allocator = allocator;
        _arena = new PinnedBuffer(allocator);
        _scratch = new PinnedBuffer(allocator);
        var signature = model.Signature;
        _inputs = [.. signature.Inputs.Select(_ => new PinnedBuffer(allocator))];
        _outputs = [.. signature.Outputs.Select(_ => new PinnedBuffer(allocator))];
        _inputShapes = new int[signature.Inputs.Count][];
        _lookupShapes = new int[signature.Inputs.Count][];
        _inputPointers = new nint[signature.Inputs.Count];
        _outputPointers = new nint[signature.Outputs.Count];
        _valuePointers = new nint[model.ValueCount];
        _runOutputShapes = new int[signature.Outputs.Count][];
        _runOutputBytes = new long[signature.Outputs.Count];
        // The buffers of the smallest gear are made now, not by the first Run (a larger gear grows them when it runs).
        if (model.SmallestGear is { } smallest) Reserve(smallest);
    }

    /// <summary>The model this session runs.</summary>
    public InferenceModel Model { get; }

    /// <summary>The process-wide pool this session's kernels run on (shared by every session of the same thread count).</summary>
    internal IWorkerPool WorkerPool => _pool;

    /// <summary>Threads the kernels use: <see cref="SessionOptions.ThreadCount"/> after the default (0 = one per
    /// processor) and the cap of <see cref="MaxThreadsPerProcessor"/> per processor.</summary>
    public int ThreadCount { get; }

    /// <summary>Most threads per processor a session uses; a larger ThreadCount is capped (warning ATC2101).</summary>
    public const int MaxThreadsPerProcessor = ThreadBudget.MaxThreadsPerProcessor;

    /// <summary>Coded warnings about the options (ATC2101 when ThreadCount was capped); also written to Trace.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// When set, every step of every later run is timed and reported to it (node, operator, kernel, elapsed ticks);
    /// null (the default) runs the plain loop at no cost.
    /// </summary>
    public Profiling.IRunProfiler? Profiler { get; set; }

    /// <summary>The gear of the last run: its index in the signature, or -1 for a shape inside a range profile.</summary>
    public int LastGearIndex => _lastRun?.GearIndex ?? -1;

    // ---- one thread at a time ----

    private void Enter([CallerMemberName] string member = "")
    {
        if (!_guard.TryEnter()) throw RuntimeErrors.ConcurrentUse(Model.Name, member);
        if (_disposed)
        {
            _guard.Exit();
            ObjectDisposedException.ThrowIf(true, this);
        }
    }

    private void Exit() => _guard.Exit();

    // ---- inputs ----

    /// <summary>Copies an input. <typeparamref name="T"/> must be the input's element type; the shape must fit a gear.</summary>
    public void SetInput<T>(int index, ReadOnlySpan<T> data, ReadOnlySpan<int> shape) where T : unmanaged
    {
        Enter();
        try
        {
            CheckInputIndex(index);
            var expected = Model.Signature.Inputs[index].Type;
            if (!ElementTypes.Carries(ElementTypes.Of<T>(), expected))
                throw new InferenceInputException($"input {index} ('{Model.Signature.Inputs[index].Name}') is {expected.Name()}; "
                    + $"the data given is {typeof(T).Name}. Pass {ElementTypes.ClrName(expected)} values.", nameof(data));
            CheckByteSize(index, (long)data.Length * Unsafe.SizeOf<T>());
            Bind(index, MemoryMarshal.AsBytes(data), data.Length, shape);
        }
        finally { Exit(); }
    }

    /// <summary>As <see cref="SetInput{T}(int, ReadOnlySpan{T}, ReadOnlySpan{int})"/>, by input name.</summary>
    public void SetInput<T>(string name, ReadOnlySpan<T> data, ReadOnlySpan<int> shape) where T : unmanaged
        => SetInput(InputIndex(name), data, shape);

    /// <summary>Copies an input from a tensor of the input's element type.</summary>
    public void SetInput(int index, TensorData tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Enter();
        try { BindTensor(index, tensor); }
        finally { Exit(); }
    }

    /// <summary>As <see cref="SetInput(int, TensorData)"/>, by input name.</summary>
    public void SetInput(string name, TensorData tensor) => SetInput(InputIndex(name), tensor);

    private void BindTensor(int index, TensorData tensor)
    {
        CheckInputIndex(index);
        var expected = Model.Signature.Inputs[index].Type;
        if (!ElementTypes.Carries(tensor.Type, expected))
            throw new InferenceInputException($"input {index} ('{Model.Signature.Inputs[index].Name}') is {expected.Name()}; the tensor given is {tensor.Type.Name()}", nameof(tensor));
        Bind(index, tensor.Bytes.Span, tensor.ElementCount, tensor.Dims);
    }

    /// <summary>Rejects an input no buffer of this runtime can hold (before any arithmetic on its size can overflow).</summary>
    private void CheckByteSize(int index, long bytes)
    {
        if (bytes > PinnedBuffer.MaxBytes)
            throw new InferenceInputException($"input {index} ('{Model.Signature.Inputs[index].Name}') has {bytes} bytes, more than the "
                + $"{PinnedBuffer.MaxBytes} bytes one input buffer can hold; {Model.Signature.DescribeAccepted()}", "data");
    }

    private void Bind(int index, ReadOnlySpan<byte> bytes, long elementCount, ReadOnlySpan<int> shape)
    {
        CheckShape(index, elementCount, shape);
        CheckByteSize(index, bytes.Length);

        var buffer = _inputs[index];
        nint before = buffer.Pointer;
        buffer.EnsureCapacity(bytes.Length);
        if (buffer.Pointer != before) _bound = null;
        bytes.CopyTo(buffer.AsSpan(bytes.Length));
        var current = _inputShapes[index];
        if (current is null || !current.AsSpan().SequenceEqual(shape))
        {
            // Same rank (always, once the shape check passed): overwrite in place, so switching gears allocates nothing.
            if (current is not null && current.Length == shape.Length) shape.CopyTo(current);
            else _inputShapes[index] = shape.ToArray();
            _selected = null;   // the gear is looked up again for the new shapes
        }
    }

    /// <summary>Rejects a shape that does not fit input <paramref name="index"/> or an element count that does not fit the shape.</summary>
    private void CheckShape(int index, long elementCount, ReadOnlySpan<int> shape)
    {
        var input = Model.Signature.Inputs[index];
        bool rankOk = shape.Length == input.Dims.Length;
        for (int i = 0; rankOk && i < shape.Length; i++)
            rankOk = shape[i] >= 0 && (input.Dims[i] < 0 || input.Dims[i] == shape[i]);
        if (!rankOk)
            throw new InferenceInputException($"shape {Shape.Format(shape)} does not fit input {index} ('{input.Name}', declared {Shape.Format(input.Dims)}); "
                + Model.Signature.DescribeAccepted(), "shape");
        if (Shape.TryElementCount(shape) is not { } needed)
            throw new InferenceInputException($"shape {Shape.Format(shape)} of input {index} ('{input.Name}') has more elements than a 64-bit count holds; "
                + Model.Signature.DescribeAccepted(), "shape");
        if (needed != elementCount)
            throw new InferenceInputException($"input {index} ('{input.Name}') with shape {Shape.Format(shape)} needs {needed} elements; {elementCount} were given", "data");
    }

    // ---- running ----

    /// <summary>Runs the gear that matches the bound input shapes.</summary>
    public void Run() => Run(_runCancellation);

    /// <summary>As <see cref="Run()"/>; a cancelled token stops the run between two steps and between two iterations
    /// of a Loop (<see cref="OperationCanceledException"/>; the session stays usable, its outputs are not valid).
    /// A model from an untrusted source can loop as long as its file says: a token with a deadline bounds the call.</summary>
    public void Run(CancellationToken cancellationToken)
    {
        Enter();
        try { Execute(SelectGear(), cancellationToken); }
        finally { Exit(); }
    }

    /// <summary>
    /// Selects the gear for the bound input shapes and makes everything its first run would (kernels, arena,
    /// buffers) without running it, so that the next <see cref="Run()"/> does only the work.
    /// </summary>
    public void Prepare()
    {
        Enter();
        try { Reserve(SelectGear()); }
        finally { Exit(); }
    }

    /// <summary>
    /// Runs every compiled gear once on zero inputs: the just-in-time compiler translates the kernels' code and the
    /// session sizes its buffers, so the first real <see cref="Run()"/> costs about what later runs cost. The model's
    /// kernels already exist (Load makes them); this is the code and the buffers. Afterwards no input is bound and
    /// there is no output, as in a new session. A shape inside a range profile is not warmed (it is planned on first use).
    /// </summary>
    public void WarmUp()
    {
        Enter();
        var profiler = Profiler;
        Profiler = null;   // a warm-up is not a run to report
        try
        {
            for (int g = 0; g < Model.Signature.Gears.Count; g++) WarmUpGear(Model.Gear(g));
        }
        finally
        {
            Profiler = profiler;
            _bound = null;
            _lastRun = null;
            _selected = null;
            Array.Clear(_inputShapes);
            Exit();
        }
    }

    /// <summary>Binds zeros of the gear's input shapes through the same path as <see cref="SetInput{T}(int, ReadOnlySpan{T}, ReadOnlySpan{int})"/>
    /// and runs, so the binding and gear lookup are compiled too, not only the kernels.</summary>
    private void WarmUpGear(GearExecutor gear, CancellationToken cancellation = default)
    {
        var inputs = Model.Signature.Inputs;
        for (int k = 0; k < _inputs.Length; k++)
        {
            var shape = gear.Plan.InputShapes[k];
            long count = Shape.ElementCount(shape);
            long bytes = count * inputs[k].Type.SizeOf();
            _inputs[k].EnsureCapacity(bytes);
            var zeros = _inputs[k].AsSpan(bytes);
            zeros.Clear();
            Bind(k, zeros, count, shape);   // copies the buffer onto itself: only the checks and the bookkeeping run
        }
        try
        {
            Execute(SelectGear(), cancellation);
        }
        catch (InferenceInputException e) when (e.Message.StartsWith(RuntimeErrors.DataDependentShapeInvalidCode, StringComparison.Ordinal))
        {
            // Zeros may compute a shape the model never sees from real data (a Reshape to [0,...]): not the caller's error.
        }
        catch (ArithmeticException)
        {
            // Zeros are not the caller's data: an integer division by a zero input is no error of the model. The
            // steps before it were compiled, which is all a warm-up is for.
        }
    }

    private GearExecutor SelectGear()
    {
        CheckAllBound();
        if (_selected is null)
        {
            for (int k = 0; k < _inputShapes.Length; k++) _lookupShapes[k] = _inputShapes[k]!;
            _selected = Model.FindGear(_lookupShapes)
                ?? throw new InferenceInputException($"input shapes {DescribeBound()} match no gear of model '{Model.Name}'; {Model.Signature.DescribeAccepted()}");
        }
        return _selected;
    }

    /// <summary>Runs a given gear; the bound input shapes must be that gear's.</summary>
    public void Run(int gearIndex)
    {
        Enter();
        try
        {
            var gears = Model.Signature.Gears;
            if ((uint)gearIndex >= (uint)gears.Count)
                throw new InferenceInputException($"gear {gearIndex} does not exist; {Model.Signature.DescribeAccepted()}", nameof(gearIndex));
            CheckAllBound();
            var gear = Model.Gear(gearIndex);
            if (!ShapesEqual(gear.Plan.InputShapes))
                throw new InferenceInputException($"gear {gearIndex} takes {string.Join("; ", gears[gearIndex].InputShapes.Select(s => Shape.Format(s)))} but the bound inputs are {DescribeBound()}; "
                    + Model.Signature.DescribeAccepted(), nameof(gearIndex));
            Execute(gear);
        }
        finally { Exit(); }
    }

    /// <summary>Binds every input, runs, and returns copies of the outputs (one call: no other thread can interleave).</summary>
    public TensorData[] Run(params TensorData[] inputs) => Run(inputs, CancellationToken.None);

    /// <summary>As <see cref="Run(TensorData[])"/>; a cancelled token stops the run between two steps
    /// (<see cref="OperationCanceledException"/>; the session stays usable).</summary>
    public TensorData[] Run(TensorData[] inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length != Model.Signature.Inputs.Count)
            throw new InferenceInputException($"model '{Model.Name}' has {Model.Signature.Inputs.Count} inputs ({string.Join(", ", Model.Signature.Inputs.Select(i => i.Name))}); {inputs.Length} were given", nameof(inputs));
        Enter();
        try
        {
            for (int k = 0; k < inputs.Length; k++)
            {
                ArgumentNullException.ThrowIfNull(inputs[k], nameof(inputs));
                BindTensor(k, inputs[k]);
            }
            Execute(SelectGear(), cancellationToken);
            var results = new TensorData[_outputs.Length];
            for (int k = 0; k < results.Length; k++)
            {
                var dims = _runOutputShapes[k];
                long bytes = _runOutputBytes[k];
                results[k] = new TensorData(Model.Signature.Outputs[k].Type, [.. dims], _outputs[k].AsSpan(bytes).ToArray());
            }
            return results;
        }
        finally { Exit(); }
    }

    /// <summary>Binds one input, runs, and copies output <paramref name="outputIndex"/> into <paramref name="destination"/>;
    /// returns the elements written. For callers (the model's pooled runs) that want no allocation per call.</summary>
    internal int RunInto<TIn, TOut>(ReadOnlySpan<TIn> input, ReadOnlySpan<int> shape, int outputIndex, Span<TOut> destination)
        where TIn : unmanaged where TOut : unmanaged
    {
        SetInput(0, input, shape);
        Run();
        var output = GetOutput<TOut>(outputIndex);
        if (output.Length > destination.Length)
            throw new InferenceInputException($"output {outputIndex} ('{Model.Signature.Outputs[outputIndex].Name}') has {output.Length} elements "
                + $"(shape {Shape.Format(GetOutputShape(outputIndex))}); the destination holds {destination.Length}", nameof(destination));
        output.CopyTo(destination);
        return output.Length;
    }

    private void Execute(GearExecutor gear, CancellationToken cancellationToken = default)
    {
        if (_bound != gear)
        {
            Reserve(gear);
            gear.Bind(_arena.Pointer, _inputPointers, _outputPointers, _valuePointers, _operandPointers);
            _bound = gear;
        }
        _lastRun = null;
        var dynamic = DynamicStorage(gear);
        if (Profiler is { } profiler) gear.RunProfiled(_operandPointers, _valuePointers, _outputPointers, _scratch.Pointer, _pool, profiler, cancellationToken, dynamic);
        else gear.Run(_operandPointers, _valuePointers, _outputPointers, _scratch.Pointer, _pool, cancellationToken, dynamic);
        RecordOutputs(gear, null, default);
        _lastRun = gear;
    }

    private DynamicValues? DynamicStorage(GearExecutor gear)
        => gear.HasDynamicRegion ? _dynamic ??= new DynamicValues(Model.ValueCount, _allocator) : null;

    /// <summary>
    /// Records each output's shape of the run that just ended and moves data-dependent outputs, whose shape only
    /// the run knew, out of the dynamic region: into the caller's destination when one was bound (checked against
    /// its length now, ATC4301), else into the session's output buffer.
    /// </summary>
    private unsafe void RecordOutputs(GearExecutor gear, IReadOnlyList<OutputBinding?>? destinations, ReadOnlySpan<Serving.PinnedBinding> targets)
    {
        for (int k = 0; k < _runOutputShapes.Length; k++)
        {
            _runOutputShapes[k] = gear.OutputShapes[k];
            _runOutputBytes[k] = gear.OutputByteSizes[k];
        }
        foreach (int k in gear.DataDependentOutputs)
        {
            int value = Model.Graph.Outputs[k];
            var type = _dynamic!.Type(value);
            long bytes = type.ByteCount;
            _runOutputShapes[k] = type.Dims;
            _runOutputBytes[k] = bytes;
            var source = _dynamic.Bytes(value, bytes);
            if (destinations is not null && k < destinations.Count && destinations[k] is not null)
            {
                var output = Model.Signature.Outputs[k];
                if (destinations[k]!.ShapeMismatch(type.Dims) is { } mismatch)
                    throw new InferenceInputException($"{RuntimeErrors.DataDependentOutputTooLargeCode}: output {k} ('{output.Name}') in this run: {mismatch}", "outputs");
                if (targets[k].ElementCount < type.ElementCount)
                    throw RuntimeErrors.DataDependentOutputTooLarge(k, output.Name, Shape.Format(type.Dims), type.ElementCount, targets[k].ElementCount);
                source.CopyTo(new Span<byte>((void*)targets[k].Address, (int)bytes));
                continue;
            }
            _outputs[k].EnsureCapacity(bytes);
            _outputPointers[k] = _outputs[k].Pointer;
            source.CopyTo(_outputs[k].AsSpan(bytes));
        }
    }

    /// <summary>Sizes the session's buffers for a gear and records their addresses (which a later bind resolves).</summary>
    private void Reserve(GearExecutor gear)
    {
        _bound = null;
        _arena.EnsureCapacity(gear.Plan.ArenaSize);
        _scratch.EnsureCapacity(gear.ScratchBytes);
        for (int k = 0; k < _outputs.Length; k++)
        {
            _outputs[k].EnsureCapacity(gear.OutputByteSizes[k]);
            _outputPointers[k] = _outputs[k].Pointer;
        }
        for (int k = 0; k < _inputs.Length; k++)
        {
            _inputs[k].EnsureCapacity(0);
            _inputPointers[k] = _inputs[k].Pointer;
        }
        if (_operandPointers.Length < gear.OperandCount) _operandPointers = new nint[gear.OperandCount];
    }

    // ---- outputs ----

    /// <summary>Output <paramref name="index"/> of the last run; valid until the next run of this session.</summary>
    public ReadOnlySpan<T> GetOutput<T>(int index) where T : unmanaged
    {
        Enter();
        try
        {
            var run = CheckOutput(index);
            var expected = Model.Signature.Outputs[index].Type;
            if (!ElementTypes.Carries(ElementTypes.Of<T>(), expected))
                throw new InferenceInputException($"output {index} ('{Model.Signature.Outputs[index].Name}') is {expected.Name()}; read it as {ElementTypes.ClrName(expected)}, not {typeof(T).Name}");
            long bytes = _runOutputBytes[index];
            return MemoryMarshal.Cast<byte, T>(_outputs[index].AsSpan(bytes));
        }
        finally { Exit(); }
    }

    /// <summary>As <see cref="GetOutput{T}(int)"/>, by output name.</summary>
    public ReadOnlySpan<T> GetOutput<T>(string name) where T : unmanaged => GetOutput<T>(OutputIndex(name));

    /// <summary>Shape of output <paramref name="index"/> in the last run.</summary>
    public ReadOnlySpan<int> GetOutputShape(int index)
    {
        Enter();
        try
        {
            CheckOutput(index);
            return _runOutputShapes[index];
        }
        finally { Exit(); }
    }

    private GearExecutor CheckOutput(int index)
    {
        if ((uint)index >= (uint)_outputs.Length)
            throw new InferenceInputException($"output {index} does not exist; model '{Model.Name}' has {_outputs.Length} outputs ({string.Join(", ", Model.Signature.Outputs.Select(o => o.Name))})", nameof(index));
        return _lastRun ?? throw new InvalidOperationException("no output yet: call Run() first");
    }

    // ---- helpers ----

    private int InputIndex(string name)
    {
        var inputs = Model.Signature.Inputs;
        for (int k = 0; k < inputs.Count; k++) if (inputs[k].Name == name) return k;
        throw new InferenceInputException($"model '{Model.Name}' has no input '{name}'; its inputs are {string.Join(", ", inputs.Select(i => i.Name))}", nameof(name));
    }

    private int OutputIndex(string name)
    {
        var outputs = Model.Signature.Outputs;
        for (int k = 0; k < outputs.Count; k++) if (outputs[k].Name == name) return k;
        throw new InferenceInputException($"model '{Model.Name}' has no output '{name}'; its outputs are {string.Join(", ", outputs.Select(o => o.Name))}", nameof(name));
    }

    private void CheckInputIndex(int index)
    {
        if ((uint)index >= (uint)_inputs.Length)
            throw new InferenceInputException($"input {index} does not exist; model '{Model.Name}' has {_inputs.Length} inputs ({string.Join(", ", Model.Signature.Inputs.Select(i => i.Name))})", nameof(index));
    }

    private void CheckAllBound()
    {
        for (int k = 0; k < _inputShapes.Length; k++)
            if (_inputShapes[k] is null)
                throw new InferenceInputException($"input {k} ('{Model.Signature.Inputs[k].Name}') is not set; call SetInput first. {Model.Signature.DescribeAccepted()}");
    }

    private bool ShapesEqual(int[][] shapes)
    {
        for (int k = 0; k < shapes.Length; k++)
            if (!shapes[k].AsSpan().SequenceEqual(_inputShapes[k])) return false;
        return true;
    }

    private string DescribeBound()
        => string.Join("; ", _inputShapes.Select((s, k) => Model.Signature.Inputs[k].Name + ":" + (s is null ? "unset" : Shape.Format(s))));

    /// <summary>Releases the buffers (the worker pool is shared by the process and stays). Throws ATC2100 when
    /// another thread is inside the session.</summary>
    public void Dispose()
    {
        if (!_guard.TryEnter()) throw RuntimeErrors.ConcurrentUse(Model.Name, nameof(Dispose));
        try
        {
            if (_disposed) return;
            _disposed = true;
            _lastRun = null;
            _bound = null;
            _arena.Dispose();
            _scratch.Dispose();
            foreach (var b in _inputs) b.Dispose();
            foreach (var b in _outputs) b.Dispose();
            _dynamic?.Dispose();
        }
        finally { Exit(); }
    }
}

/// <summary>CLR element types of the runtime's data types.</summary>
internal static class ElementTypes
{
    public static DataType? Of<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return DataType.Float32;
        if (typeof(T) == typeof(double)) return DataType.Float64;
        if (typeof(T) == typeof(Half)) return DataType.Float16;
        if (typeof(T) == typeof(long)) return DataType.Int64;
        if (typeof(T) == typeof(int)) return DataType.Int32;
        if (typeof(T) == typeof(byte)) return DataType.UInt8;
        if (typeof(T) == typeof(sbyte)) return DataType.Int8;
        if (typeof(T) == typeof(bool)) return DataType.Bool;
        if (typeof(T) == typeof(ushort)) return DataType.UInt16;
        if (typeof(T) == typeof(short)) return DataType.Int16;
        if (typeof(T) == typeof(uint)) return DataType.UInt32;
        if (typeof(T) == typeof(ulong)) return DataType.UInt64;
        return null;
    }

    /// <summary>Whether CLR elements of type <paramref name="given"/> may carry a tensor of <paramref name="expected"/>:
    /// the same type, or ushort bits for bfloat16 (which has no CLR type in .NET 10).</summary>
    public static bool Carries(DataType? given, DataType expected)
        => given == expected || (given == DataType.UInt16 && expected == DataType.BFloat16);

    public static string ClrName(DataType type) => type switch
    {
        DataType.Float32 => "float",
        DataType.Float64 => "double",
        DataType.Float16 => "Half",
        DataType.UInt16 => "ushort",
        DataType.Int16 => "short",
        DataType.UInt32 => "uint",
        DataType.UInt64 => "ulong",
        DataType.BFloat16 => "ushort (bfloat16 bits)",
        DataType.Int64 => "long",
        DataType.Int32 => "int",
        DataType.UInt8 => "byte",
        DataType.Int8 => "sbyte",
        DataType.Bool => "bool",
        _ => type.Name(),
    };
}
