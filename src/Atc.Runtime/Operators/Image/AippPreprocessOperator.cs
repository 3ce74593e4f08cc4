using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Image;

/// <summary>
/// AippPreprocess (<see cref="OpTypes.AippPreprocess"/>): the shape rule checks the uint8 source image against the
/// format and the crop window, and gives the float32 image the model input expects.
/// </summary>
internal sealed class AippPreprocessOperator() : Operator(OpTypes.AippPreprocess)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var p = AippParameters.Read(context.Attributes);
        var geometry = Geometry(context, p);
        int n = geometry.Batch, c = p.OutputChannels, h = geometry.OutputHeight, w = geometry.OutputWidth;
        return One(DataType.Float32, p.ChannelsLast ? [n, h, w, c] : [n, c, h, w]);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var p = AippParameters.Read(context.Attributes);
        return new AippPreprocessKernel(p, Geometry(context, p));
    }

    private AippGeometry Geometry(OpContext context, AippParameters p)
    {
        var x = RequireType(context, 0, DataType.UInt8);
        if (x.Rank != 4 || x.Dims[3] != p.SourceChannels)
            throw Error($"the {AippParameters.FormatNames[(int)p.Format]} image must be uint8 [N, H, W, {p.SourceChannels}], got {x}");
        int rows = x.Dims[1], width = x.Dims[2];
        int height = rows;
        if (p.Format == AippSourceFormat.Yuv420Sp)
        {
            // NV12 stacks the half-height UV plane under the Y plane: H*3/2 rows for an H-row image.
            if (rows % 3 != 0 || width % 2 != 0)
                throw Error($"a YUV420SP image has H*3/2 rows of W bytes with H and W even, got [{rows}, {width}]");
            height = rows / 3 * 2;
        }
        int cropHeight = p.CropHeight > 0 ? p.CropHeight : height - p.CropTop;
        int cropWidth = p.CropWidth > 0 ? p.CropWidth : width - p.CropLeft;
        if (cropHeight <= 0 || cropWidth <= 0 || p.CropTop + cropHeight > height || p.CropLeft + cropWidth > width)
            throw Error($"the crop window {cropWidth} x {cropHeight} at ({p.CropLeft}, {p.CropTop}) lies outside the {width} x {height} source image");
        return new AippGeometry(x.Dims[0], height, width, cropHeight, cropWidth,
            cropHeight + p.PadTop + p.PadBottom, cropWidth + p.PadLeft + p.PadRight);
    }
}

/// <summary>Concrete sizes of one AIPP step for a gear (source, crop and padded output).</summary>
internal readonly record struct AippGeometry(int Batch, int SourceHeight, int SourceWidth, int CropHeight, int CropWidth,
    int OutputHeight, int OutputWidth);
