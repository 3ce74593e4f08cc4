using Atc.Compiler.Frontends.TensorFlow.Proto;
using DataType = Atc.Compiler.Frontends.TensorFlow.Proto.DataType;
using Atc.Runtime;
using Atc.TestModels.TensorFlow;
using static Atc.Tests.TensorFlowOps.TfOpHarness;

namespace Atc.Tests.TensorFlowOps;

/// <summary>Conv2DBackpropInput as ConvTranspose: SAME, VALID and EXPLICIT padding, strides, dilations and both data
/// formats, against the gradient of Conv2D written as a scatter in float64.</summary>
public class TfConv2DBackpropInputTests
{
    public static TheoryData<string, int, int, int, int, string> Cases()
    {
        var data = new TheoryData<string, int, int, int, int, string>();
        // padding, input height, kernel, stride, dilation, data_format: sizes chosen so that the transposed conv's
        // full length is cropped at the end (7, s2), exact (8, s2) and short of the input (6, s3: output_padding).
        foreach (var format in new[] { "NHWC", "NCHW" })
        {
            data.Add("SAME", 7, 3, 2, 1, format);
            data.Add("SAME", 8, 3, 2, 1, format);
            data.Add("SAME", 6, 1, 3, 1, format);
            data.Add("SAME", 9, 3, 1, 2, format);
            data.Add("VALID", 7, 3, 2, 1, format);
            data.Add("VALID", 8, 2, 3, 1, format);
            data.Add("VALID", 9, 3, 1, 2, format);
            data.Add("EXPLICIT", 7, 3, 2, 1, format);
            data.Add("EXPLICIT", 8, 3, 3, 2, format);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_the_gradient_of_conv2d(string padding, int height, int kernel, int stride, int dilation, string format)
    {
        const int batch = 2, inChannels = 3, outChannels = 4;
        int width = height - 1;
        int[] padBegin, padEnd;
        if (padding == "SAME")
        {
            var (hb, he) = TfReference.SamePads(height, kernel, stride, dilation);
            var (wb, we) = TfReference.SamePads(width, kernel, stride, dilation);
            (padBegin, padEnd) = ([hb, wb], [he, we]);
        }
        else if (padding == "VALID") (padBegin, padEnd) = ([0, 0], [0, 0]);
        else (padBegin, padEnd) = ([2, 1], [1, 0]);
        int span = (kernel - 1) * dilation + 1;
        int outH = (height + padBegin[0] + padEnd[0] - span) / stride + 1, outW = (width + padBegin[1] + padEnd[1] - span) / stride + 1;

        var (filterData, filter) = Random(11, kernel, kernel, inChannels, outChannels);
        var (dyNhwc, dy) = Random(12, batch, outH, outW, outChannels);
        bool nchw = format == "NCHW";
        int[] sizes = nchw ? [batch, inChannels, height, width] : [batch, height, width, inChannels];
        long[] PerAxis(int v) => nchw ? [1, 1, v, v] : [1, v, v, 1];

        var b = new TfGraphBuilder();
        var gradient = b.Placeholder("dy", nchw ? [-1, outChannels, outH, outW] : [-1, outH, outW, outChannels]);
        var attributes = new List<(string, AttrValue)>
        {
            ("T", TfAttr.Type(DataType.DtFloat)), ("strides", TfAttr.Ints(PerAxis(stride))), ("dilations", TfAttr.Ints(PerAxis(dilation))),
            ("padding", TfAttr.Str(padding)), ("data_format", TfAttr.Str(format)),
        };
        if (padding == "EXPLICIT")
            attributes.Add(("explicit_paddings", TfAttr.Ints(nchw
                ? [0, 0, 0, 0, padBegin[0], padEnd[0], padBegin[1], padEnd[1]]
                : [0, 0, padBegin[0], padEnd[0], padBegin[1], padEnd[1], 0, 0])));
        b.Op("Conv2DBackpropInput", "dx", [b.ConstInt32("input_sizes", [4], sizes), b.Const("filter", TfTensors.Float(
            [kernel, kernel, inChannels, outChannels], filterData.ToFloatArray())), gradient], [.. attributes]);

        var feed = nchw ? TensorData.Float([batch, outChannels, outH, outW], TfReference.Transpose(dy, 0, 3, 1, 2).ToFloats()) : dyNhwc;
        var y = Assert.Single(Run(b, feed));

        var expected = TfReference.Conv2DBackpropInput([batch, height, width, inChannels], filter, dy, [stride, stride], [dilation, dilation], padBegin);
        AssertClose(nchw ? TfReference.Transpose(expected, 0, 3, 1, 2) : expected, y);
    }
}
