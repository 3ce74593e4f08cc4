using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.Recurrent;

/// <summary>
/// Runs LSTM, GRU or RNN for one gear. Per direction: the input projection of every time step is one GEMM
/// (X [seq*batch, input] x W^T, biases folded in as a column bias), then each step is one recurrent product on the
/// packed R (the GEMV path at batch 1-4) and the fused gate math per batch entry. sequence_lens: an entry's steps
/// past its length are skipped (its Y rows stay zero, its state is frozen), and the reverse direction starts at its
/// last valid step. Everything a call needs lives in the arena scratch; nothing is allocated per call or step.
/// </summary>
internal sealed unsafe class RecurrentKernel : IKernel
{
    private const int Align = 16; // floats: 64 bytes

    private readonly RecurrentSpec _spec;
    private readonly Isa _isa;
    private readonly bool _hasBias, _hasLengths, _lengthsAre64, _hasInitialH, _hasInitialC, _hasPeepholes;
    /// <summary>Default activations, no peepholes, no coupled gates: the one-pass <see cref="FusedCells"/> path.</summary>
    private readonly bool _fused;
    private readonly RecurrentWeights[] _w;
    /// <summary>Per direction: the whole R (LSTM, RNN) or R's z and r rows (GRU).</summary>
    private readonly RecurrentWeights[] _r;
    /// <summary>GRU only, per direction: R's h rows.</summary>
    private readonly RecurrentWeights[] _rCandidate;
    // Scratch offsets in floats from the aligned scratch start.
    private readonly long _packedW, _packedR, _packedRCandidate, _projection, _products, _h, _c, _resetHidden, _spare, _bias,
        _candidateBias, _lengths, _totalFloats;

    public RecurrentKernel(OpContext context, RecurrentSpec spec, Isa isa)
    {
        _spec = spec;
        _isa = isa;
        _hasBias = context.HasInput(RecurrentSpec.InputB);
        _hasLengths = context.HasInput(RecurrentSpec.InputSequenceLens);
        _lengthsAre64 = _hasLengths && context.Input(RecurrentSpec.InputSequenceLens).Type == DataType.Int64;
        _hasInitialH = context.HasInput(RecurrentSpec.InputInitialH);
        _hasInitialC = context.HasInput(RecurrentSpec.InputInitialC);
        _hasPeepholes = spec.Cell == RecurrentCellKind.Lstm && context.HasInput(RecurrentSpec.InputPeepholes);
        _fused = spec.HasDefaultActivations && !_hasPeepholes && !spec.InputForget;

        int dirs = spec.Directions, h = spec.Hidden, width = spec.GateWidth;
        bool gru = spec.Cell == RecurrentCellKind.Gru;
        int recurrentRows = gru ? 2 * h : width;
        _w = new RecurrentWeights[dirs];
        _r = new RecurrentWeights[dirs];
        _rCandidate = gru ? new RecurrentWeights[dirs] : [];
        for (int d = 0; d < dirs; d++)
        {
            _w[d] = new RecurrentWeights(context, RecurrentSpec.InputW, d, width, 0, width, spec.InputSize);
            _r[d] = new RecurrentWeights(context, RecurrentSpec.InputR, d, width, 0, recurrentRows, h);
            if (gru) _rCandidate[d] = new RecurrentWeights(context, RecurrentSpec.InputR, d, width, 2 * h, h, h);
        }

        long offset = 0;
        long Take(long floats) { long at = offset; offset += (floats + Align - 1) / Align * Align; return at; }
        // Weights known only at run time are packed once per call and direction into one reused region each.
        _packedW = Take(_w[0].IsPacked ? 0 : _w[0].PackedFloats);
        _packedR = Take(_r[0].IsPacked ? 0 : _r[0].PackedFloats);
        _packedRCandidate = Take(!gru || _rCandidate[0].IsPacked ? 0 : _rCandidate[0].PackedFloats);
        long rows = (long)spec.SequenceLength * spec.Batch;
        _projection = Take(rows * width);
        _products = Take((long)spec.Batch * width);
        _h = Take((long)spec.Batch * h);
        _c = Take(spec.Cell == RecurrentCellKind.Lstm ? (long)spec.Batch * h : 0);
        _resetHidden = Take(gru ? (long)spec.Batch * h : 0);
        _spare = Take(h);
        _bias = Take(width);
        _candidateBias = Take(gru ? h : 0);
        _lengths = Take(spec.Batch);
        _totalFloats = offset;
    }

    public long ScratchBytes => _totalFloats * sizeof(float) + 64;

    public void Run(in KernelArgs args)
    {
        var spec = _spec;
        float* scratch = (float*)((args.Scratch + 63) & ~(nint)63);
        int batch = spec.Batch, sequence = spec.SequenceLength;
        int* lengths = (int*)(scratch + _lengths);
        int longest = ReadLengths(args, lengths);
        float* y = (float*)args.Outputs[0];
        if (_hasLengths && y != null) new Span<float>(y, checked((int)((long)sequence * spec.Directions * batch * spec.Hidden))).Clear();
        for (int d = 0; d < spec.Directions; d++) RunDirection(args, scratch, d, lengths, longest);
    }

    /// <summary>Each entry's length (the whole sequence without sequence_lens); returns the longest.</summary>
    private int ReadLengths(in KernelArgs args, int* lengths)
    {
        int sequence = _spec.SequenceLength, longest = 0;
        for (int b = 0; b < _spec.Batch; b++)
        {
            long length = !_hasLengths ? sequence
                : _lengthsAre64 ? ((long*)args.Inputs[RecurrentSpec.InputSequenceLens])[b]
                : ((int*)args.Inputs[RecurrentSpec.InputSequenceLens])[b];
            // ONNX requires 0 <= length <= seq_length; anything else is bad data, never a read past X.
            if (length < 0 || length > sequence)
                throw new InferenceInputException($"{_spec.Cell.ToString().ToUpperInvariant()}: sequence_lens[{b}] is {length}, outside [0, {sequence}] (the sequence length of X); "
                    + $"pass each batch entry's number of valid steps, at most {sequence}");
            lengths[b] = (int)length;
            longest = Math.Max(longest, lengths[b]);
        }
        return longest;
    }

    private void RunDirection(in KernelArgs args, float* scratch, int d, int* lengths, int longest)
    {
        var spec = _spec;
        int batch = spec.Batch, hidden = spec.Hidden, width = spec.GateWidth;
        bool gru = spec.Cell == RecurrentCellKind.Gru;
        float* w = _w[d].PackAtRun(args, scratch + _packedW);
        float* r = _r[d].PackAtRun(args, scratch + _packedR);
        float* rCandidate = gru ? _rCandidate[d].PackAtRun(args, scratch + _packedRCandidate) : null;
        float* bias = scratch + _bias, candidateBias = scratch + _candidateBias;
        FoldBiases(args, d, bias, candidateBias);

        float* projection = scratch + _projection;
        RecurrentProduct.Multiply(_isa, args.Workers, (float*)args.Inputs[RecurrentSpec.InputX], spec.InputSize,
            spec.SequenceLength * batch, w, _w[d].KStarts, width, projection, width, bias);

        float* h = scratch + _h, c = scratch + _c;
        LoadState(args, RecurrentSpec.InputInitialH, _hasInitialH, d, h);
        if (spec.Cell == RecurrentCellKind.Lstm) LoadState(args, RecurrentSpec.InputInitialC, _hasInitialC, d, c);

        for (int step = 0; step < longest; step++)
        {
            switch (spec.Cell)
            {
                case RecurrentCellKind.Lstm: LstmStep(args, scratch, d, step, lengths, r); break;
                case RecurrentCellKind.Gru: GruStep(args, scratch, d, step, lengths, r, rCandidate, candidateBias); break;
                default: RnnStep(args, scratch, d, step, lengths, r); break;
            }
        }

        if (args.Outputs.Length > 1 && args.Outputs[1] != 0) StoreState((float*)args.Outputs[1], d, h);
        if (spec.Cell == RecurrentCellKind.Lstm && args.Outputs.Length > 2 && args.Outputs[2] != 0) StoreState((float*)args.Outputs[2], d, c);
    }

    /// <summary>Wb + Rb per gate column; for GRU with linear_before_reset, Rbh stays apart (it is added before r multiplies).</summary>
    private void FoldBiases(in KernelArgs args, int d, float* bias, float* candidateBias)
    {
        int width = _spec.GateWidth, hidden = _spec.Hidden;
        var folded = new Span<float>(bias, width);
        if (!_hasBias)
        {
            folded.Clear();
            new Span<float>(candidateBias, _spec.Cell == RecurrentCellKind.Gru ? hidden : 0).Clear();
            return;
        }
        float* b = (float*)args.Inputs[RecurrentSpec.InputB] + (long)d * 2 * width;
        for (int j = 0; j < width; j++) bias[j] = b[j] + b[width + j];
        if (_spec.LinearBeforeReset)
            for (int j = 0; j < hidden; j++)
            {
                bias[2 * hidden + j] = b[2 * hidden + j];
                candidateBias[j] = b[width + 2 * hidden + j];
            }
    }

    private long StateOffset(int d, int b) => _spec.BatchMajor
        ? ((long)b * _spec.Directions + d) * _spec.Hidden
        : ((long)d * _spec.Batch + b) * _spec.Hidden;

    private void LoadState(in KernelArgs args, int input, bool present, int d, float* state)
    {
        int hidden = _spec.Hidden;
        for (int b = 0; b < _spec.Batch; b++)
        {
            var destination = new Span<float>(state + (long)b * hidden, hidden);
            if (present) new ReadOnlySpan<float>((float*)args.Inputs[input] + StateOffset(d, b), hidden).CopyTo(destination);
            else destination.Clear();
        }
    }

    private void StoreState(float* output, int d, float* state)
    {
        int hidden = _spec.Hidden;
        for (int b = 0; b < _spec.Batch; b++)
            new ReadOnlySpan<float>(state + (long)b * hidden, hidden).CopyTo(new Span<float>(output + StateOffset(d, b), hidden));
    }

    /// <summary>The time index entry <paramref name="b"/> processes at <paramref name="step"/>, or -1 when it is past its length.</summary>
    private int TimeOf(int d, int step, int b, int* lengths)
    {
        int length = lengths[b];
        if (step >= length) return -1;
        return _spec.IsReverse(d) ? length - 1 - step : step;
    }

    private float* ProjectionRow(float* scratch, int t, int b)
    {
        long row = _spec.BatchMajor ? (long)b * _spec.SequenceLength + t : (long)t * _spec.Batch + b;
        return scratch + _projection + row * _spec.GateWidth;
    }

    /// <summary>Y's row for direction <paramref name="d"/>, time <paramref name="t"/>, entry <paramref name="b"/>; null when Y is not wanted.</summary>
    private float* YRow(in KernelArgs args, int d, int t, int b)
    {
        float* y = (float*)args.Outputs[0];
        if (y == null) return null;
        var spec = _spec;
        long at = spec.BatchMajor
            ? (((long)b * spec.SequenceLength + t) * spec.Directions + d) * spec.Hidden
            : (((long)t * spec.Directions + d) * spec.Batch + b) * spec.Hidden;
        return y + at;
    }

    private void WriteY(in KernelArgs args, int d, int t, int b, ReadOnlySpan<float> h)
    {
        float* row = YRow(args, d, t, b);
        if (row != null) h.CopyTo(new Span<float>(row, _spec.Hidden));
    }

    private void LstmStep(in KernelArgs args, float* scratch, int d, int step, int* lengths, float* r)
    {
        var spec = _spec;
        int hidden = spec.Hidden, width = spec.GateWidth;
        float* products = scratch + _products, h = scratch + _h, c = scratch + _c;
        RecurrentProduct.Multiply(_isa, args.Workers, h, hidden, spec.Batch, r, _r[d].KStarts, width, products, width, null);
        if (_fused)
        {
            for (int b = 0; b < spec.Batch; b++)
            {
                int t = TimeOf(d, step, b, lengths);
                if (t < 0) continue;
                FusedCells.Lstm(_isa, products + (long)b * width, ProjectionRow(scratch, t, b), c + (long)b * hidden, h + (long)b * hidden,
                    YRow(args, d, t, b), hidden, spec.Clip);
            }
            return;
        }
        var peepholes = _hasPeepholes
            ? new ReadOnlySpan<float>((float*)args.Inputs[RecurrentSpec.InputPeepholes] + (long)d * 3 * hidden, 3 * hidden)
            : default;
        for (int b = 0; b < spec.Batch; b++)
        {
            int t = TimeOf(d, step, b, lengths);
            if (t < 0) continue;
            var hb = new Span<float>(h + (long)b * hidden, hidden);
            RecurrentGates.Lstm(new Span<float>(products + (long)b * width, width), new ReadOnlySpan<float>(ProjectionRow(scratch, t, b), width),
                new Span<float>(c + (long)b * hidden, hidden), hb, peepholes, spec.Activations[d], spec.Clip, spec.InputForget);
            WriteY(args, d, t, b, hb);
        }
    }

    private void GruStep(in KernelArgs args, float* scratch, int d, int step, int* lengths, float* r, float* rCandidate, float* candidateBias)
    {
        var spec = _spec;
        int hidden = spec.Hidden, width = spec.GateWidth, batch = spec.Batch;
        float* products = scratch + _products, h = scratch + _h, resetHidden = scratch + _resetHidden;
        var spare = new Span<float>(scratch + _spare, hidden);
        var activations = spec.Activations[d];
        RecurrentProduct.Multiply(_isa, args.Workers, h, hidden, batch, r, _r[d].KStarts, 2 * hidden, products, width, null);
        if (spec.LinearBeforeReset)
            RecurrentProduct.Multiply(_isa, args.Workers, h, hidden, batch, rCandidate, _rCandidate[d].KStarts, hidden,
                products + 2 * hidden, width, candidateBias);
        if (_fused)
        {
            FusedGruStep(args, scratch, d, step, lengths, rCandidate);
            return;
        }

        for (int b = 0; b < batch; b++)
        {
            var gates = new Span<float>(products + (long)b * width, width);
            int t = TimeOf(d, step, b, lengths);
            if (t < 0)
            {
                new Span<float>(resetHidden + (long)b * hidden, hidden).Clear();
                continue;
            }
            var projection = new ReadOnlySpan<float>(ProjectionRow(scratch, t, b), width);
            RecurrentGates.GruUpdateAndReset(gates[..(2 * hidden)], projection, activations[0], spec.Clip);
            var reset = gates.Slice(hidden, hidden);
            var candidate = gates.Slice(2 * hidden, hidden);
            if (spec.LinearBeforeReset)
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(reset, candidate, projection.Slice(2 * hidden, hidden), candidate);
            else
                System.Numerics.Tensors.TensorPrimitives.Multiply(reset, new ReadOnlySpan<float>(h + (long)b * hidden, hidden),
                    new Span<float>(resetHidden + (long)b * hidden, hidden));
        }

        if (!spec.LinearBeforeReset)
        {
            // The candidate's recurrent product needs r ⊙ H of every entry first.
            RecurrentProduct.Multiply(_isa, args.Workers, resetHidden, hidden, batch, rCandidate, _rCandidate[d].KStarts, hidden,
                products + 2 * hidden, width, null);
        }

        for (int b = 0; b < batch; b++)
        {
            int t = TimeOf(d, step, b, lengths);
            if (t < 0) continue;
            var gates = new Span<float>(products + (long)b * width, width);
            var candidate = gates.Slice(2 * hidden, hidden);
            if (!spec.LinearBeforeReset)
                System.Numerics.Tensors.TensorPrimitives.Add(candidate, new ReadOnlySpan<float>(ProjectionRow(scratch, t, b) + 2 * hidden, hidden), candidate);
            var hb = new Span<float>(h + (long)b * hidden, hidden);
            RecurrentGates.GruUpdate(candidate, gates[..hidden], hb, spare, activations[1], spec.Clip);
            WriteY(args, d, t, b, hb);
        }
    }

    /// <summary>A GRU step after the [z r] products (and, with linear_before_reset, the h block's) are in place.</summary>
    private void FusedGruStep(in KernelArgs args, float* scratch, int d, int step, int* lengths, float* rCandidate)
    {
        var spec = _spec;
        int hidden = spec.Hidden, width = spec.GateWidth, batch = spec.Batch;
        float* products = scratch + _products, h = scratch + _h, resetHidden = scratch + _resetHidden;
        if (!spec.LinearBeforeReset)
        {
            for (int b = 0; b < batch; b++)
            {
                int t = TimeOf(d, step, b, lengths);
                if (t < 0) new Span<float>(resetHidden + (long)b * hidden, hidden).Clear();   // a finished entry's row is multiplied, never used
                else FusedCells.GruUpdateAndReset(_isa, products + (long)b * width, ProjectionRow(scratch, t, b), h + (long)b * hidden,
                    resetHidden + (long)b * hidden, hidden, spec.Clip);
            }
            RecurrentProduct.Multiply(_isa, args.Workers, resetHidden, hidden, batch, rCandidate, _rCandidate[d].KStarts, hidden,
                products + 2 * hidden, width, null);
        }
        for (int b = 0; b < batch; b++)
        {
            int t = TimeOf(d, step, b, lengths);
            if (t < 0) continue;
            FusedCells.GruFinish(_isa, products + (long)b * width, ProjectionRow(scratch, t, b), h + (long)b * hidden, YRow(args, d, t, b),
                hidden, spec.Clip, spec.LinearBeforeReset);
        }
    }

    private void RnnStep(in KernelArgs args, float* scratch, int d, int step, int* lengths, float* r)
    {
        var spec = _spec;
        int hidden = spec.Hidden;
        float* products = scratch + _products, h = scratch + _h;
        RecurrentProduct.Multiply(_isa, args.Workers, h, hidden, spec.Batch, r, _r[d].KStarts, hidden, products, hidden, null);
        for (int b = 0; b < spec.Batch; b++)
        {
            int t = TimeOf(d, step, b, lengths);
            if (t < 0) continue;
            if (_fused)
            {
                FusedCells.Rnn(_isa, products + (long)b * hidden, ProjectionRow(scratch, t, b), h + (long)b * hidden, YRow(args, d, t, b), hidden, spec.Clip);
                continue;
            }
            var hb = new Span<float>(h + (long)b * hidden, hidden);
            RecurrentGates.Rnn(new Span<float>(products + (long)b * hidden, hidden), new ReadOnlySpan<float>(ProjectionRow(scratch, t, b), hidden),
                hb, spec.Activations[d][0], spec.Clip);
            WriteY(args, d, t, b, hb);
        }
    }
}
