using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Elementwise.Fused;

/// <summary>
/// Runs a fused chain over the output in blocks of <see cref="BlockSize"/> elements: the block of the output is
/// filled from input 0 and every step updates it while it is in L1, so memory is read and written once where the
/// unfused chain made a round trip per op. Inputs broadcast through a <see cref="BroadcastPlan"/>: along the inner
/// run each input is either a run (stride 1) or one repeated element.
/// </summary>
internal sealed unsafe class FusedElementwiseKernel(BroadcastPlan plan, FusedStep[] steps) : IKernel
{
    private readonly BroadcastPlan _plan = plan;

    /// <summary>4 KB of floats: the block and an operand stay in L1 across the steps.</summary>
    public const int BlockSize = 1024;

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        // On the stack, not an array: a run allocates nothing (the pool runs the body before For returns).
        int count = args.Inputs.Length;
        nint* inputs = stackalloc nint[count];
        args.Inputs.CopyTo(new Span<nint>(inputs, count));
        var body = new Body(this, inputs, count, (float*)args.Outputs[0]);
        ParallelRange.For(args.Workers, _plan.WorkItems, (long)_plan.SegmentLength * steps.Length, ref body);
    }

    private readonly struct Body(FusedElementwiseKernel kernel, nint* inputs, int count, float* output) : IRangeBody
    {
        public void Run(long start, long end)
        {
            var plan = kernel._plan;
            Span<int> index = stackalloc int[plan.OuterRank];
            Span<long> offsets = stackalloc long[count];
            if (plan.Segments > 1)
            {
                for (long item = start; item < end; item++)
                {
                    var (row, first, length) = plan.Segment(item);
                    plan.Seek(row, index, offsets);
                    kernel.Run(inputs, offsets, first, output + row * plan.Inner + first, length);
                }
                return;
            }
            plan.Seek(start, index, offsets);
            for (long row = start; row < end; row++)
            {
                kernel.Run(inputs, offsets, 0, output + row * plan.Inner, plan.Inner);
                plan.Next(index, offsets);
            }
        }
    }

    /// <summary>Elements [first, first + length) of one inner run, block by block.</summary>
    private void Run(nint* inputs, ReadOnlySpan<long> offsets, int first, float* destination, int length)
    {
        for (int done = 0; done < length; done += BlockSize)
        {
            int n = Math.Min(BlockSize, length - done);
            var value = new Span<float>(destination + done, n);
            int at = first + done;
            var start = Operand(inputs, offsets, 0, at, n, out bool startIsRun);
            if (startIsRun) start.CopyTo(value);
            else value.Fill(start[0]);
            foreach (var step in steps)
            {
                switch (step.Step.Operand)
                {
                    case StepOperand.None:
                        step.Map!(value, value);
                        break;
                    case StepOperand.Scalar or StepOperand.ScalarFirst:
                        ElementwiseProgram.Binary(step.Step.Op, value, step.Constant, false, step.Step.Operand == StepOperand.ScalarFirst);
                        break;
                    default:
                        var operand = Operand(inputs, offsets, step.Step.Index, at, n, out bool isRun);
                        ElementwiseProgram.Binary(step.Step.Op, value, operand, isRun, step.Step.Operand == StepOperand.InputFirst);
                        break;
                }
            }
        }
    }

    private ReadOnlySpan<float> Operand(nint* inputs, ReadOnlySpan<long> offsets, int input, int at, int n, out bool isRun)
    {
        isRun = _plan.InnerIsVector(input);
        float* p = (float*)inputs[input] + offsets[input];
        return isRun ? new ReadOnlySpan<float>(p + at, n) : new ReadOnlySpan<float>(p, 1);
    }
}
