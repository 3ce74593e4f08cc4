using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Atc.Runtime.Serving;

namespace Atc.Runtime;

/// <summary>
/// The serving API: caller-owned inputs and outputs read and written in place, cancellation between steps and
/// <c>RunAsync</c>. Every member is safe to call from any number of threads (each call rents a pooled session).
/// </summary>
public sealed partial class InferenceModel
{
    /// <summary>
    /// Runs the model with the kernels reading <paramref name="inputs"/> (one per model input, in signature order)
    /// in place and writing each output into its caller-owned destination in <paramref name="outputs"/> (one entry
    /// per model output, in signature order; a null entry skips that output). A cancelled token stops the run
    /// before its next step with <see cref="OperationCanceledException"/>; the destinations then hold partial data.
    /// </summary>
    /// <exception cref="InferenceInputException">An input or destination does not fit: wrong count, element type,
    /// shape, no gear for the shapes, or a destination shorter than its output (the message names the length needed).</exception>
    public void Run(IReadOnlyList<InputBinding> inputs, IReadOnlyList<OutputBinding?> outputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        if (outputs.Count != Signature.Outputs.Count)
            throw new InferenceInputException($"model '{Name}' has {Signature.Outputs.Count} outputs ({string.Join(", ", Signature.Outputs.Select(o => o.Name))}); "
                + $"{outputs.Count} destinations were given. Pass one per output (null for an output you do not need).", nameof(outputs));
        cancellationToken.ThrowIfCancellationRequested();

        var handles = new MemoryHandle[inputs.Count + outputs.Count];
        try
        {
            var inputBindings = new PinnedBinding[inputs.Count];
            for (int k = 0; k < inputs.Count; k++)
            {
                var input = inputs[k] ?? throw new InferenceInputException($"input {k} is null; pass a InputBinding for every model input", nameof(inputs));
                handles[k] = input.Pin();
                inputBindings[k] = new PinnedBinding(Address(handles[k]), input.ElementCount, input.ElementType, input.ClrTypeName, input.ShapeArray);
            }
            var outputBindings = new PinnedBinding[outputs.Count];
            for (int k = 0; k < outputs.Count; k++)
            {
                if (outputs[k] is not { } output) continue;
                handles[inputs.Count + k] = output.Pin();
                outputBindings[k] = new PinnedBinding(Address(handles[inputs.Count + k]), output.Capacity, output.ElementType, output.ClrTypeName, null);
            }
            RunPinned(inputBindings, outputBindings, outputs, cancellationToken);
        }
        finally
        {
            foreach (var handle in handles) handle.Dispose();
        }
    }

    /// <summary>
    /// <see cref="Run(IReadOnlyList{InputBinding}, IReadOnlyList{OutputBinding}, CancellationToken)"/> on a thread-pool
    /// thread. The task is cancelled when <paramref name="cancellationToken"/> is cancelled before or during the run.
    /// Keep the inputs' and destinations' memory unchanged until the task completes.
    /// </summary>
    public Task RunAsync(IReadOnlyList<InputBinding> inputs, IReadOnlyList<OutputBinding?> outputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        return Task.Run(() => Run(inputs, outputs, cancellationToken), cancellationToken);
    }

    /// <summary>As <see cref="Run(TensorData[])"/> with cancellation between steps.</summary>
    public TensorData[] Run(TensorData[] inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        cancellationToken.ThrowIfCancellationRequested();
        var session = _sessions.Rent();
        try
        {
            return session.Run(inputs, cancellationToken);
        }
        finally
        {
            _sessions.Return(session);
        }
    }

    /// <summary><see cref="Run(TensorData[], CancellationToken)"/> on a thread-pool thread; returns copies of every output.</summary>
    public Task<TensorData[]> RunAsync(TensorData[] inputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return Task.Run(() => Run(inputs, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Runs a one-input model on a <see cref="ReadOnlyTensorSpan{T}"/> and writes output <paramref name="outputIndex"/>
    /// into a <see cref="TensorSpan{T}"/> whose lengths are that output's shape: both are used in place when they are
    /// contiguous row-major blocks (the input is copied once otherwise). Thread-safe.
    /// </summary>
    public unsafe void Run<TInput, TOutput>(ReadOnlyTensorSpan<TInput> input, TensorSpan<TOutput> output, int outputIndex = 0,
        CancellationToken cancellationToken = default)
        where TInput : unmanaged where TOutput : unmanaged
    {
        if (Signature.Inputs.Count != 1)
            throw new InferenceInputException($"model '{Name}' has {Signature.Inputs.Count} inputs ({string.Join(", ", Signature.Inputs.Select(i => i.Name))}); "
                + "this overload runs one-input models: use Run(IReadOnlyList<InputBinding>, IReadOnlyList<OutputBinding?>)", nameof(input));
        if ((uint)outputIndex >= (uint)Signature.Outputs.Count)
            throw new InferenceInputException($"output {outputIndex} does not exist; model '{Name}' has {Signature.Outputs.Count} outputs "
                + $"({string.Join(", ", Signature.Outputs.Select(o => o.Name))})", nameof(outputIndex));
        if (!RowMajor.IsContiguous(output.Lengths, output.Strides))
            throw new InferenceInputException($"the destination tensor span is not one contiguous row-major block; pass a dense span with the output's shape", nameof(output));
        cancellationToken.ThrowIfCancellationRequested();
        var inputDims = RowMajor.Dims(input.Lengths, "the input tensor span", nameof(input));
        var outputDims = RowMajor.Dims(output.Lengths, "the destination tensor span", nameof(output));
        TInput[]? copy = null;
        if (!RowMajor.IsContiguous(input.Lengths, input.Strides))
        {
            copy = new TInput[input.FlattenedLength];
            input.FlattenTo(copy);
        }
        ref readonly TInput first = ref copy is null ? ref input.GetPinnableReference() : ref MemoryMarshal.GetArrayDataReference(copy);
        fixed (TInput* inputPointer = &first)
        fixed (TOutput* outputPointer = &output.GetPinnableReference())
        {
            PinnedBinding[] inputs = [new((nint)inputPointer, input.FlattenedLength, ElementTypes.Of<TInput>(), typeof(TInput).Name, inputDims)];
            var outputs = new PinnedBinding[Signature.Outputs.Count];
            outputs[outputIndex] = new((nint)outputPointer, output.FlattenedLength, ElementTypes.Of<TOutput>(), typeof(TOutput).Name, null);
            var shapeCheck = new OutputBinding?[outputs.Length];
            shapeCheck[outputIndex] = new FixedShapeOutput(outputDims);
            RunPinned(inputs, outputs, shapeCheck, cancellationToken);
        }
    }

    /// <summary>Rents a session and runs on pinned caller memory.</summary>
    private void RunPinned(PinnedBinding[] inputs, PinnedBinding[] outputs, IReadOnlyList<OutputBinding?> destinations, CancellationToken cancellationToken)
    {
        var session = _sessions.Rent();
        try
        {
            session.RunOnBindings(inputs, outputs, destinations, cancellationToken);
        }
        finally
        {
            _sessions.Return(session);
        }
    }

    private static unsafe nint Address(MemoryHandle handle) => (nint)handle.Pointer;
}
