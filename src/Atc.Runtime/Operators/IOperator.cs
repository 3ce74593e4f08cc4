namespace Atc.Runtime.Operators;

/// <summary>
/// One canonical operator (see <see cref="OpTypes"/>): its shape rule and its kernel factory. Operators are
/// stateless singletons; the shape rule and kernel setup run once per node per gear, never per inference.
/// </summary>
internal interface IOperator
{
    string OpType { get; }

    /// <summary>Output types for concrete inputs; throws <see cref="Core.ShapeException"/> when a rule does not hold.</summary>
    TensorType[] InferOutputs(OpContext context);

    /// <summary>Creates the kernel for these concrete shapes. Constant inputs may be pre-processed (packed) here.</summary>
    IKernel CreateKernel(OpContext context, TensorType[] outputs);
}

/// <summary>
/// A kernel bound to concrete shapes. Immutable after creation and safe to run from several sessions at once;
/// per-call scratch memory comes from the session arena.
/// </summary>
internal interface IKernel
{
    /// <summary>Bytes of scratch memory a call needs (0 if none).</summary>
    long ScratchBytes { get; }

    void Run(in KernelArgs args);
}

/// <summary>
/// Pointers to the tensors of one call (inputs and outputs in node order; 0 for an omitted optional input),
/// scratch memory, the worker pool to parallelise over, and the run's cancellation (kernels that iterate without a
/// bound the caller chose, such as Loop, check it per iteration). Memory is pinned for the duration of the call.
/// </summary>
internal readonly ref struct KernelArgs(ReadOnlySpan<nint> inputs, ReadOnlySpan<nint> outputs, nint scratch, IWorkerPool workers,
    CancellationToken cancellation = default)
{
    public ReadOnlySpan<nint> Inputs { get; } = inputs;
    public ReadOnlySpan<nint> Outputs { get; } = outputs;
    public nint Scratch { get; } = scratch;
    public IWorkerPool Workers { get; } = workers;
    public CancellationToken Cancellation { get; } = cancellation;

    public unsafe Span<T> Input<T>(int i, long count) where T : unmanaged => new((void*)Inputs[i], checked((int)count));
    public unsafe Span<T> Output<T>(int i, long count) where T : unmanaged => new((void*)Outputs[i], checked((int)count));
}

/// <summary>A body of parallel work: Invoke(i) for i in [0, count), in any order, on any thread.</summary>
internal interface IParallelBody
{
    void Invoke(int index);
}

/// <summary>Runs parallel bodies. Kernels split work into tasks (output tiles); the pool decides the threads.</summary>
internal interface IWorkerPool
{
    int ThreadCount { get; }
    void For<TBody>(int count, ref TBody body) where TBody : struct, IParallelBody;
}

/// <summary>Runs everything on the calling thread.</summary>
internal sealed class InlineWorkerPool : IWorkerPool
{
    public static readonly InlineWorkerPool Instance = new();
    public int ThreadCount => 1;
    public void For<TBody>(int count, ref TBody body) where TBody : struct, IParallelBody
    {
        for (int i = 0; i < count; i++) body.Invoke(i);
    }
}
