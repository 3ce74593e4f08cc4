namespace Atc.Runtime.Operators.ControlFlow;

/// <summary>
/// Runs a Loop: the carried values live in two scratch buffers per value that swap roles each iteration (the body
/// reads one, writes the other), each iteration's scan slices are written straight into the stacked outputs, and the
/// iteration number and condition are scratch scalars. Nothing is allocated per iteration.
/// </summary>
internal sealed class LoopKernel : IDataDependentKernel
{
    private readonly string _node;
    private readonly SubgraphExecutor _body;
    private readonly bool _hasTripCount, _hasCondition;
    private readonly long[] _carriedBytes, _sliceBytes;
    private readonly int _captures;
    private readonly long _bodyScratch, _scalars;
    private readonly long[] _bufferA, _bufferB;
    private readonly long _unboundedLimit;

    public LoopKernel(string node, SubgraphExecutor body, bool hasTripCount, bool hasCondition, TensorType[] carried,
        TensorType[] scanSlices, int captures, long unboundedLimit)
    {
        _unboundedLimit = unboundedLimit;
        _node = node;
        _body = body;
        _hasTripCount = hasTripCount;
        _hasCondition = hasCondition;
        _carriedBytes = [.. carried.Select(t => t.ByteCount)];
        _sliceBytes = [.. scanSlices.Select(t => t.ByteCount)];
        _captures = captures;
        var layout = new ScratchLayout();
        _bodyScratch = layout.Reserve(body.ScratchBytes);
        _scalars = layout.Reserve(3 * sizeof(long));   // iteration number, condition in, condition out
        _bufferA = [.. _carriedBytes.Select(layout.Reserve)];
        _bufferB = [.. _carriedBytes.Select(layout.Reserve)];
        ScratchBytes = layout.TotalBytes;
    }

    public long ScratchBytes { get; }

    public void Run(in KernelArgs args) => Iterate(args);

    public void Run(in KernelArgs args, int[][] actualDims)
    {
        long iterations = Iterate(args);
        for (int k = 0; k < _sliceBytes.Length; k++) actualDims[_carriedBytes.Length + k][0] = (int)iterations;
    }

    private unsafe long Iterate(in KernelArgs args)
    {
        int carried = _carriedBytes.Length, scans = _sliceBytes.Length;
        nint scratch = args.Scratch;
        long* iteration = (long*)(scratch + (nint)_scalars);
        byte* condIn = (byte*)(iteration + 1);
        byte* condOut = (byte*)(iteration + 2);
        long tripCount = _hasTripCount ? Math.Max(0, *(long*)args.Inputs[0]) : long.MaxValue;
        bool cond = !_hasCondition || *(byte*)args.Inputs[1] != 0;

        Span<nint> bodyInputs = stackalloc nint[2 + carried + _captures];
        Span<nint> bodyOutputs = stackalloc nint[1 + carried + scans];
        Span<nint> current = stackalloc nint[carried];
        Span<nint> next = stackalloc nint[carried];
        for (int k = 0; k < carried; k++)
        {
            current[k] = scratch + (nint)_bufferA[k];
            next[k] = scratch + (nint)_bufferB[k];
            Buffer.MemoryCopy((void*)args.Inputs[2 + k], (void*)current[k], _carriedBytes[k], _carriedBytes[k]);
        }
        bodyInputs[0] = (nint)iteration;
        bodyInputs[1] = (nint)condIn;
        for (int j = 0; j < _captures; j++) bodyInputs[2 + carried + j] = args.Inputs[2 + carried + j];
        bodyOutputs[0] = (nint)condOut;

        long i = 0;
        for (; i < tripCount && cond; i++)
        {
            // A trip count comes from the model or its data and may be huge (a hostile file): the caller's token is
            // what bounds the run, so it is checked per iteration, not only between the graph's steps.
            args.Cancellation.ThrowIfCancellationRequested();
            if (!_hasTripCount && i >= _unboundedLimit)
                throw RuntimeErrors.LoopIterationLimit(_node, i);
            *iteration = i;
            *condIn = cond ? (byte)1 : (byte)0;
            for (int k = 0; k < carried; k++)
            {
                bodyInputs[2 + k] = current[k];
                bodyOutputs[1 + k] = next[k];
            }
            for (int k = 0; k < scans; k++) bodyOutputs[1 + carried + k] = args.Outputs[carried + k] + (nint)(i * _sliceBytes[k]);
            _body.Run(scratch + (nint)_bodyScratch, bodyInputs, bodyOutputs, args.Workers, args.Cancellation);
            cond = *condOut != 0;
            for (int k = 0; k < carried; k++) (current[k], next[k]) = (next[k], current[k]);
        }
        for (int k = 0; k < carried; k++)
            Buffer.MemoryCopy((void*)current[k], (void*)args.Outputs[k], _carriedBytes[k], _carriedBytes[k]);
        return i;
    }
}
