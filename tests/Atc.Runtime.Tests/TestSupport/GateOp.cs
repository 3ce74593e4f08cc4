using Atc.Runtime.Operators;

namespace Atc.Tests.TestSupport;

/// <summary>
/// An identity operator whose kernel signals when it starts and waits to be released, so a test can hold a run open
/// (the wait is a bound, not a timing: tests release it at once).
/// </summary>
internal sealed class GateOp(ManualResetEventSlim entered, ManualResetEventSlim release) : IOperator
{
    public string OpType => "Gate";
    public TensorType[] InferOutputs(OpContext c) => [c.Input(0)];
    public IKernel CreateKernel(OpContext c, TensorType[] o) => new Kernel(entered, release, o[0].ByteCount);

    private sealed unsafe class Kernel(ManualResetEventSlim entered, ManualResetEventSlim release, long bytes) : IKernel
    {
        public long ScratchBytes => 0;
        public void Run(in KernelArgs args)
        {
            entered.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            Buffer.MemoryCopy((void*)args.Inputs[0], (void*)args.Outputs[0], bytes, bytes);
        }
    }
}
