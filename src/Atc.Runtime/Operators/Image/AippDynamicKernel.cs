namespace Atc.Runtime.Operators.Image;

/// <summary>
/// Dynamic AIPP: reads this run's parameters (checked again here, so a hand-made parameter tensor cannot make the
/// kernel read outside an item's max_src_image_size bytes), then runs the static pipeline on each batch item, whose
/// image starts at the item's slot. The batch shares the parameters, as ATC's batch members share static ones.
/// </summary>
internal sealed unsafe class AippDynamicKernel(AippDynamicTarget target, int batch) : IKernel
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var encoded = new ReadOnlySpan<float>((void*)args.Inputs[1], AippDynamicEncoding.Length);
        var (parameters, geometry) = AippDynamicEncoding.Decode(encoded, target);
        // Built per run: the parameters may change with every run, and kernels are shared by the model's sessions.
        var kernel = new AippPreprocessKernel(parameters, geometry);
        long imageFloats = (long)target.Channels * target.OutputHeight * target.OutputWidth;
        byte* source = (byte*)args.Inputs[0];
        float* destination = (float*)args.Outputs[0];
        for (int n = 0; n < batch; n++)
        {
            nint item = (nint)(source + n * target.MaxSourceBytes);
            nint output = (nint)(destination + n * imageFloats);
            kernel.Run(new KernelArgs(new ReadOnlySpan<nint>(in item), new ReadOnlySpan<nint>(in output), 0, args.Workers));
        }
    }
}
