using Atc.Runtime;
using Atc.TestModels.Onnx;
using Atc.Tests.TestSupport;

namespace Atc.Tests.NeuralNet;

/// <summary>
/// MaxPool's second output, Indices, against ONNX Runtime: 1-D, 2-D and 3-D windows with pads, strides, dilations and
/// ceil_mode, row-major and column-major storage_order, float and uint8 inputs, two batches. Values and indices must
/// be identical (ties: the data are distinct, and a repeated value tests the first-in-window rule).
/// </summary>
public class MaxPoolIndicesDifferentialTests
{
    public static TheoryData<string, int[], long[], long[], long[], long[], long, long, DataType> Cases() => new()
    {
        { "2d", [2, 3, 7, 6], [3, 3], [2, 2], [1, 1, 1, 0], [1, 1], 0, 0, DataType.Float32 },
        { "2d column-major", [2, 3, 7, 6], [3, 3], [2, 2], [1, 1, 1, 0], [1, 1], 0, 1, DataType.Float32 },
        { "2d dilated ceil", [1, 2, 9, 8], [2, 3], [2, 3], [0, 1, 0, 1], [2, 1], 1, 1, DataType.Float32 },
        { "1d", [2, 4, 11], [3], [2], [1, 1], [1], 1, 0, DataType.Float32 },
        { "3d", [1, 2, 5, 4, 6], [2, 2, 3], [1, 2, 2], [0, 1, 1, 1, 0, 0], [1, 1, 1], 0, 0, DataType.Float32 },
        { "3d column-major", [1, 2, 5, 4, 6], [2, 2, 3], [1, 2, 2], [0, 1, 1, 1, 0, 0], [1, 1, 1], 0, 1, DataType.Float32 },
        { "2d uint8", [2, 2, 6, 6], [2, 2], [2, 2], [0, 0, 0, 0], [1, 1], 0, 1, DataType.UInt8 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Values_and_indices_match_onnx_runtime(string name, int[] shape, long[] kernel, long[] strides, long[] pads,
        long[] dilations, long ceilMode, long storageOrder, DataType type)
    {
        var b = new OnnxModelBuilder(opset: 12, seed: 1);
        var dims = shape.Select(d => (object)d).ToArray();
        b.Input("x", type, dims);
        var nodeOutputs = b.Node("MaxPool", ["x"], 2, ("kernel_shape", kernel), ("strides", strides), ("pads", pads),
            ("dilations", dilations), ("ceil_mode", ceilMode), ("storage_order", storageOrder));
        b.Output(nodeOutputs[0], type);
        b.Output(nodeOutputs[1], DataType.Int64);
        var onnx = b.ToBytes();

        int count = shape.Aggregate(1, (a, d) => a * d);
        var random = new Random(name.Length);
        var order = Enumerable.Range(0, count).OrderBy(_ => random.Next()).ToArray();
        TensorData x = type == DataType.UInt8
            ? TensorData.FromArray(DataType.UInt8, shape, Array.ConvertAll(order, v => (byte)(v % 97)))
            : TensorData.Float(shape, Array.ConvertAll(order, v => v * 0.5f - count / 4f));

        var graph = ModelPipeline.ImportOnnx(onnx, "maxpool_indices.onnx");
        var model = ModelPipeline.Compile(graph, ModelPipeline.StaticGear(graph, [shape]));
        var ours = model.Run(x);
        var expected = OrtRunner.Run(onnx, new Dictionary<string, TensorData> { ["x"] = x });
        Assert.Equal(expected[0].Dims, ours[0].Dims);
        Assert.Equal(expected[0].Bytes.ToArray(), ours[0].Bytes.ToArray());
        Assert.Equal(DataType.Int64, ours[1].Type);
        Assert.Equal(expected[1].AsSpan<long>().ToArray(), ours[1].AsSpan<long>().ToArray());
    }
}
