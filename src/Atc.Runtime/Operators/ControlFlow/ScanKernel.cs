namespace Atc.Runtime.Operators.ControlFlow;

/// <summary>
/// Runs a Scan: states double-buffered in scratch as Loop's carried values; slices along axis 0 are read and written
/// in place (no copy), slices along another axis go through one scratch buffer each. Nothing is allocated per iteration.
/// </summary>
internal sealed class ScanKernel : IKernel
{
    private readonly SubgraphExecutor _body;
    private readonly int _length, _captures;
    private readonly long[] _stateBytes;
    private readonly SequenceCut[] _inputs, _outputs;
    private readonly long _bodyScratch;
    private readonly long[] _bufferA, _bufferB, _inputSlices, _outputSlices;

    public ScanKernel(SubgraphExecutor body, int length, long[] stateBytes, SequenceCut[] inputs, SequenceCut[] outputs, int captures)
    {
        _body = body;
        _length = length;
        _stateBytes = stateBytes;
        _inputs = inputs;
        _outputs = outputs;
        _captures = captures;
        var layout = new ScratchLayout();
        _bodyScratch = layout.Reserve(body.ScratchBytes);
        _bufferA = [.. stateBytes.Select(layout.Reserve)];
        _bufferB = [.. stateBytes.Select(layout.Reserve)];
        _inputSlices = [.. inputs.Select(c => c.InPlace ? -1 : layout.Reserve(c.SliceBytes))];
        _outputSlices = [.. outputs.Select(c => c.InPlace ? -1 : layout.Reserve(c.SliceBytes))];
        ScratchBytes = layout.TotalBytes;
    }

    public long ScratchBytes { get; }

    public unsafe void Run(in KernelArgs args)
    {
        int states = _stateBytes.Length, scanInputs = _inputs.Length, scanOutputs = _outputs.Length;
        nint scratch = args.Scratch;
        Span<nint> bodyInputs = stackalloc nint[states + scanInputs + _captures];
        Span<nint> bodyOutputs = stackalloc nint[states + scanOutputs];
        Span<nint> current = stackalloc nint[states];
        Span<nint> next = stackalloc nint[states];
        for (int k = 0; k < states; k++)
        {
            current[k] = scratch + (nint)_bufferA[k];
            next[k] = scratch + (nint)_bufferB[k];
            Buffer.MemoryCopy((void*)args.Inputs[k], (void*)current[k], _stateBytes[k], _stateBytes[k]);
        }
        for (int j = 0; j < _captures; j++) bodyInputs[states + scanInputs + j] = args.Inputs[states + scanInputs + j];
        for (int k = 0; k < scanOutputs; k++)
            if (!_outputs[k].InPlace) bodyOutputs[states + k] = scratch + (nint)_outputSlices[k];
        for (int j = 0; j < scanInputs; j++)
            if (!_inputs[j].InPlace) bodyInputs[states + j] = scratch + (nint)_inputSlices[j];

        for (long t = 0; t < _length; t++)
        {
            for (int k = 0; k < states; k++)
            {
                bodyInputs[k] = current[k];
                bodyOutputs[k] = next[k];
            }
            for (int j = 0; j < scanInputs; j++)
            {
                var cut = _inputs[j];
                if (cut.InPlace) bodyInputs[states + j] = cut.At(args.Inputs[states + j], t);
                else cut.Gather(args.Inputs[states + j], t, bodyInputs[states + j]);
            }
            for (int k = 0; k < scanOutputs; k++)
                if (_outputs[k].InPlace) bodyOutputs[states + k] = _outputs[k].At(args.Outputs[states + k], t);
            _body.Run(scratch + (nint)_bodyScratch, bodyInputs, bodyOutputs, args.Workers, args.Cancellation);
            for (int k = 0; k < scanOutputs; k++)
                if (!_outputs[k].InPlace) _outputs[k].Scatter(bodyOutputs[states + k], t, args.Outputs[states + k]);
            for (int k = 0; k < states; k++) (current[k], next[k]) = (next[k], current[k]);
        }
        for (int k = 0; k < states; k++)
            Buffer.MemoryCopy((void*)current[k], (void*)args.Outputs[k], _stateBytes[k], _stateBytes[k]);
    }
}
