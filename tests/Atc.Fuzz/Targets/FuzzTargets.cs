namespace Atc.Fuzz.Targets;

public static class FuzzTargets
{
    public static IFuzzTarget Create(FuzzFormat format, string workDirectory)
    {
        var runner = new CompileRunner(workDirectory);
        return format switch
        {
            FuzzFormat.Pb => ModelFileTarget.TensorFlow(runner),
            FuzzFormat.Onnx => ModelFileTarget.Onnx(runner),
            FuzzFormat.Om => new OmTarget(runner),
            FuzzFormat.Aipp => new AippConfigTarget(runner),
            FuzzFormat.Caffe => new CaffeModelTarget(runner),
            FuzzFormat.SingleOp => new SingleOpTarget(runner),
            _ => new OptionTextTarget(runner),
        };
    }
}
