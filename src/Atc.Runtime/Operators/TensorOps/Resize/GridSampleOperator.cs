using System.Numerics;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Resize;

/// <summary>
/// GridSample (ONNX 16/20, 2-D): X [N, C, H, W], grid [N, Ho, Wo, 2] of (x, y) in [-1, 1] → [N, C, Ho, Wo]. Attrs
/// mode ("bilinear"/"linear" default, "nearest", "bicubic"/"cubic"), padding_mode ("zeros" default, "border",
/// "reflection"), align_corners (0: -1 and 1 are the outer edges of the corner pixels; 1: their centres).
/// </summary>
internal sealed class GridSampleOperator() : Operator(OpTypes.GridSample)
{
    public static readonly string[] Modes = ["bilinear", "linear", "nearest", "bicubic", "cubic"];
    public static readonly string[] PaddingModes = ["zeros", "border", "reflection"];

    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Floats);
        var grid = RequireType(context, 1, x.Type);
        if (x.Rank != 4) throw Error($"X must be 4-D [N, C, H, W], got {x}; volumetric (5-D) sampling is not supported yet");
        if (grid.Rank != 4 || grid.Dims[0] != x.Dims[0] || grid.Dims[3] != 2)
            throw Error($"grid must be [{x.Dims[0]}, H_out, W_out, 2] for X {x}, got {grid}");
        _ = Options(context);
        return One(x.Type, [x.Dims[0], x.Dims[1], grid.Dims[1], grid.Dims[2]]);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        var grid = context.Input(1);
        var geometry = new GridSampleGeometry(x.Dims[0], x.Dims[1], x.Dims[2], x.Dims[3], grid.Dims[1] * (long)grid.Dims[2]);
        return TypeDispatch.Float(x.Type, new Factory(geometry, Options(context)));
    }

    private GridSampleOptions Options(OpContext context)
    {
        var a = context.Attributes;
        string mode = a.GetString("mode", "bilinear");
        var filter = mode switch
        {
            "bilinear" or "linear" => GridSampleFilter.Linear,
            "nearest" => GridSampleFilter.Nearest,
            "bicubic" or "cubic" => GridSampleFilter.Cubic,
            _ => throw Error($"mode '{mode}' must be one of {string.Join(", ", Modes)}"),
        };
        string padding = a.GetString("padding_mode", "zeros");
        var paddingMode = padding switch
        {
            "zeros" => GridSamplePadding.Zeros,
            "border" => GridSamplePadding.Border,
            "reflection" => GridSamplePadding.Reflection,
            _ => throw Error($"padding_mode '{padding}' must be one of {string.Join(", ", PaddingModes)}"),
        };
        return new GridSampleOptions(filter, paddingMode, a.GetInt("align_corners", 0) != 0);
    }

    private readonly struct Factory(GridSampleGeometry geometry, GridSampleOptions options) : IFloatKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged, IFloatingPointIeee754<T> => new GridSampleKernel<T>(geometry, options);
    }
}

internal enum GridSampleFilter { Linear, Nearest, Cubic }

internal enum GridSamplePadding { Zeros, Border, Reflection }

internal readonly record struct GridSampleOptions(GridSampleFilter Filter, GridSamplePadding Padding, bool AlignCorners);

/// <summary>Batch, channels, input height and width, and the number of sampled points per image.</summary>
internal readonly record struct GridSampleGeometry(int Batch, int Channels, int Height, int Width, long Points);
