using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Image;

/// <summary>
/// AippDynamic (<see cref="OpTypes.AippDynamic"/>): the shape rule checks the uint8 [N, max_src_image_size] image
/// and the parameter vector, and gives the float32 image of the attributes (the original model input's shape).
/// The pre-processing itself is decided per run from the parameters (<see cref="AippDynamicKernel"/>).
/// </summary>
internal sealed class AippDynamicOperator() : Operator(OpTypes.AippDynamic)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var t = Target(context);
        int n = RequireType(context, 0, DataType.UInt8).Dims[0];
        return One(DataType.Float32, t.ChannelsLast ? [n, t.OutputHeight, t.OutputWidth, t.Channels] : [n, t.Channels, t.OutputHeight, t.OutputWidth]);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var t = Target(context);
        return new AippDynamicKernel(t, RequireType(context, 0, DataType.UInt8).Dims[0]);
    }

    private AippDynamicTarget Target(OpContext context)
    {
        var target = ReadTarget(context.Attributes);
        var image = RequireType(context, 0, DataType.UInt8);
        if (image.Rank != 2 || image.Dims[1] != target.MaxSourceBytes)
            throw Error($"the image must be uint8 [N, {target.MaxSourceBytes}] (max_src_image_size bytes per item), got {image}");
        var parameters = RequireType(context, 1, DataType.Float32);
        if (parameters.Rank != 1 || parameters.Dims[0] != AippDynamicEncoding.Length)
            throw Error($"the parameters must be float32 [{AippDynamicEncoding.Length}], got {parameters}");
        return target;
    }

    /// <summary>What the node's attributes fix; a malformed node is a <see cref="ShapeException"/>.</summary>
    public static AippDynamicTarget ReadTarget(OpAttributes a)
    {
        static ShapeException Error(string message) => new($"{OpTypes.AippDynamic}: {message}");
        long max = a.GetInt("max_src_image_size", 0);
        var hw = a.GetInts("output_hw", []);
        long channels = a.GetInt("channels", 0);
        string layout = a.GetString("layout", "NCHW");
        if (max <= 0 || max > int.MaxValue) throw Error($"attribute 'max_src_image_size' {max} must be in [1, {int.MaxValue}]");
        if (hw.Length != 2 || hw[0] is <= 0 or > AippDynamicEncoding.MaxSide || hw[1] is <= 0 or > AippDynamicEncoding.MaxSide)
            throw Error($"attribute 'output_hw' must be two sizes in [1, {AippDynamicEncoding.MaxSide}]");
        if (channels is not (1 or 3)) throw Error($"attribute 'channels' {channels} must be 1 or 3");
        if (layout is not ("NCHW" or "NHWC")) throw Error("attribute 'layout' must be NCHW or NHWC");
        return new AippDynamicTarget(a.GetString("input_name", "image"), max, (int)hw[0], (int)hw[1], (int)channels, layout == "NHWC");
    }
}
