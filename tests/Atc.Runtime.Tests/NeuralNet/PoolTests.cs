using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.Operators;

namespace Atc.Tests.NeuralNet;

[Collection("NeuralNet")]
public class PoolTests
{
    /// <summary>Channels-first input, kernel, strides, dilations, pads (begins then ends), ceil_mode, auto_pad.</summary>
    public sealed record PoolCase(string Name, int[] X, int[] Kernel, int[] Strides, int[] Dilations, int[] Pads, bool Ceil = false, string AutoPad = "NOTSET")
    {
        public override string ToString() => $"{Name}: X [{string.Join(",", X)}] kernel [{string.Join(",", Kernel)}] strides [{string.Join(",", Strides)}] " +
            $"dilations [{string.Join(",", Dilations)}] pads [{string.Join(",", Pads)}] ceil {Ceil} {AutoPad}";
    }

    private static readonly PoolCase[] All =
    [
        new("3x3 stride 2 pad 1", [2, 5, 9, 10], [3, 3], [2, 2], [1, 1], [1, 1, 1, 1]),
        new("2x2 stride 2", [1, 19, 8, 6], [2, 2], [2, 2], [1, 1], [0, 0, 0, 0]),
        new("ceil mode", [1, 3, 10, 11], [3, 3], [2, 2], [1, 1], [0, 1, 0, 1], Ceil: true),
        new("ceil mode drops window in end padding", [1, 2, 6, 6], [2, 2], [2, 2], [1, 1], [1, 1, 1, 1], Ceil: true),
        new("dilated", [1, 4, 11, 12], [3, 2], [1, 2], [2, 3], [2, 1, 0, 2]),
        new("asymmetric pads stride 1", [1, 9, 7, 7], [3, 3], [1, 1], [1, 1], [0, 2, 1, 0]),
        new("SAME_UPPER", [1, 3, 9, 10], [3, 3], [2, 2], [1, 1], [0, 0, 0, 0], AutoPad: "SAME_UPPER"),
        new("SAME_LOWER", [1, 3, 9, 10], [4, 4], [3, 3], [1, 1], [0, 0, 0, 0], AutoPad: "SAME_LOWER"),
        new("1-D", [2, 3, 20], [4], [3], [1], [1, 2]),
        new("3-D", [1, 3, 6, 7, 5], [2, 3, 2], [2, 1, 2], [1, 1, 1], [0, 1, 1, 1, 1, 0]),
        new("wide rows", [1, 2, 5, 70], [3, 3], [1, 1], [1, 1], [1, 1, 1, 1]),
        // Channel counts spanning four-vector blocks, single vectors and a scalar tail at every SIMD width.
        new("many channels ceil mode", [1, 67, 9, 9], [3, 3], [2, 2], [1, 1], [0, 0, 0, 0], Ceil: true),
        new("many channels pads", [2, 150, 7, 8], [3, 3], [2, 2], [1, 1], [1, 1, 1, 1]),
        new("many channels dilated ceil", [1, 83, 10, 9], [2, 3], [3, 2], [2, 1], [1, 0, 1, 2], Ceil: true),
        new("stem-like 64 channels", [1, 64, 13, 13], [3, 3], [2, 2], [1, 1], [1, 1, 1, 1]),
    ];

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, PoolCase> AllCases =
        new(All.ToDictionary(c => c.Name));

    public static IEnumerable<object[]> Cases() =>
        from c in All
        from op in new[] { OpTypes.MaxPool, OpTypes.AveragePool }
        from layout in new[] { "NCHW", "NHWC" }
        from includePad in new[] { false, true }
        where op == OpTypes.AveragePool || !includePad
        select new object[] { c.Name, op, layout, includePad };

    /// <summary>Pads and output sizes, computed here independently of the runtime.</summary>
    private static (int[] Begin, int[] End, int[] Output) Resolve(PoolCase c)
    {
        int r = c.Kernel.Length;
        int[] begin = new int[r], end = new int[r], output = new int[r];
        for (int i = 0; i < r; i++)
        {
            int input = c.X[2 + i], s = c.Strides[i], extent = (c.Kernel[i] - 1) * c.Dilations[i] + 1;
            if (c.AutoPad is "SAME_UPPER" or "SAME_LOWER")
            {
                output[i] = (input + s - 1) / s;
                int total = Math.Max(0, (output[i] - 1) * s + extent - input);
                begin[i] = c.AutoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
                end[i] = total - begin[i];
                continue;
            }
            begin[i] = c.AutoPad == "VALID" ? 0 : c.Pads[i];
            end[i] = c.AutoPad == "VALID" ? 0 : c.Pads[r + i];
            int span = input + begin[i] + end[i] - extent;
            output[i] = (c.Ceil ? (span + s - 1) / s : span / s) + 1;
            if (c.Ceil && (output[i] - 1) * s >= input + begin[i]) output[i]--;
        }
        return (begin, end, output);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesReference(string name, string op, string layout, bool includePad)
    {
        var c = AllCases[name];
        var (begin, end, output) = Resolve(c);
        var x = TestData.Random(31, TestData.Count(c.X));
        int[] yDims = [c.X[0], c.X[1], .. output];
        var expected = Reference.Pool(x, c.X, op == OpTypes.MaxPool, c.Kernel, c.Strides, c.Dilations, begin, end, output, includePad);
        var attrs = new OpAttributes()
            .Set("kernel_shape", c.Kernel.Select(v => (long)v).ToArray())
            .Set("strides", c.Strides.Select(v => (long)v).ToArray())
            .Set("dilations", c.Dilations.Select(v => (long)v).ToArray())
            .Set("pads", c.Pads.Select(v => (long)v).ToArray())
            .Set("auto_pad", c.AutoPad)
            .Set("ceil_mode", c.Ceil ? 1 : 0)
            .Set("count_include_pad", includePad ? 1 : 0)
            .Set("layout", layout);
        bool last = layout == "NHWC";
        var input = new TestInput(last ? TestData.ChannelsLastDims(c.X) : c.X, last ? TestData.ToChannelsLast(x, c.X) : x);
        var (actual, dims) = OpRunner.Run(op, attrs, [input]);
        Assert.True((last ? TestData.ChannelsLastDims(yDims) : yDims).SequenceEqual(dims),
            $"{c}: expected {string.Join(",", last ? TestData.ChannelsLastDims(yDims) : yDims)}, got {string.Join(",", dims)}");
        TensorAssert.Close(last ? ConvTests.Transposed(expected, yDims) : expected, actual, what: name);
        Assert.Equal(actual, OpRunner.Run(op, attrs, [input], threads: 2).Data);
    }

    public static IEnumerable<object[]> Seeds() => Enumerable.Range(0, 40).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomConfigurationMatchesReference(int seed)
    {
        var r = new Random(seed);
        int rank = r.Next(10) < 7 ? 2 : r.Next(2) == 0 ? 1 : 3;
        int[] kernel = new int[rank], strides = new int[rank], dilations = new int[rank], input = new int[rank], pads = new int[2 * rank];
        for (int i = 0; i < rank; i++)
        {
            kernel[i] = r.Next(1, 5);
            strides[i] = r.Next(1, 4);
            dilations[i] = r.Next(4) == 0 ? 2 : 1;
            input[i] = (kernel[i] - 1) * dilations[i] + 1 + r.Next(0, 12);
            pads[i] = r.Next(0, kernel[i]);
            pads[rank + i] = r.Next(0, kernel[i]);
        }
        string autoPad = new[] { "NOTSET", "NOTSET", "NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID" }[r.Next(6)];
        var c = new PoolCase($"seed {seed}", [r.Next(1, 3), r.Next(1, 20), .. input], kernel, strides, dilations,
            autoPad == "NOTSET" ? pads : new int[2 * rank], Ceil: autoPad == "NOTSET" && r.Next(2) == 0, AutoPad: autoPad);
        AllCases[c.Name] = c;
        MatchesReference(c.Name, r.Next(2) == 0 ? OpTypes.MaxPool : OpTypes.AveragePool, r.Next(2) == 0 ? "NCHW" : "NHWC", r.Next(2) == 0);
    }

    [Fact]
    public void KernelShapeIsRequired()
    {
        var e = Assert.Throws<ShapeException>(() => OpRunner.Infer(OpTypes.MaxPool, new OpAttributes(), new TestInput([1, 2, 4, 4], new float[32])));
        Assert.Contains("kernel_shape", e.Message);
    }

    [Fact]
    public void IndicesOutputIsMaxPoolsInChannelsFirstLayoutOnly()
    {
        var context = OpRunner.Context(OpTypes.MaxPool, new OpAttributes().Set("kernel_shape", new long[] { 2, 2 }),
            [new TestInput([1, 2, 4, 4], new float[32])], outputCount: 2);
        var types = OperatorRegistry.Get(OpTypes.MaxPool).InferOutputs(context);
        Assert.Equal(DataType.Int64, types[1].Type);
        Assert.Equal(types[0].Dims, types[1].Dims);
        var average = OpRunner.Context(OpTypes.AveragePool, new OpAttributes().Set("kernel_shape", new long[] { 2, 2 }),
            [new TestInput([1, 2, 4, 4], new float[32])], outputCount: 2);
        Assert.Throws<ShapeException>(() => OperatorRegistry.Get(OpTypes.AveragePool).InferOutputs(average));
        var nhwc = OpRunner.Context(OpTypes.MaxPool, new OpAttributes().Set("kernel_shape", new long[] { 2, 2 }).Set("layout", "NHWC"),
            [new TestInput([1, 4, 4, 2], new float[32])], outputCount: 2);
        Assert.Throws<ShapeException>(() => OperatorRegistry.Get(OpTypes.MaxPool).InferOutputs(nhwc));
    }

    [Theory]
    [InlineData(OpTypes.GlobalAveragePool, "NCHW")]
    [InlineData(OpTypes.GlobalAveragePool, "NHWC")]
    [InlineData(OpTypes.GlobalMaxPool, "NCHW")]
    [InlineData(OpTypes.GlobalMaxPool, "NHWC")]
    public void GlobalPoolsMatchReference(string op, string layout)
    {
        // 769 and 515 channels: several channel blocks of the channels-last path plus an odd tail; batch 1 and 4.
        foreach (int[] dims in new[] { new[] { 2, 19, 7, 9 }, new[] { 1, 3, 5 }, new[] { 2, 4, 3, 2, 5 }, new[] { 1, 769, 7, 7 }, new[] { 4, 515, 3, 5 }, new[] { 1, 37, 20, 20 }, new[] { 2, 3, 11, 13 } })
        {
            var x = TestData.Random(32, TestData.Count(dims));
            int planes = dims[0] * dims[1], pixels = TestData.Count(dims) / planes;
            var expected = Enumerable.Range(0, planes).Select(p =>
            {
                var plane = x.Skip(p * pixels).Take(pixels).Select(v => (double)v);
                return op == OpTypes.GlobalMaxPool ? plane.Max() : plane.Average();
            }).ToArray();
            int[] yDims = [dims[0], dims[1], .. Enumerable.Repeat(1, dims.Length - 2)];
            bool last = layout == "NHWC";
            var input = new TestInput(last ? TestData.ChannelsLastDims(dims) : dims, last ? TestData.ToChannelsLast(x, dims) : x);
            // Every ISA and 1 or 2 threads (the channels-last sum has a kernel per vector width).
            foreach (var isa in new Isa?[] { null, Isa.Avx2, Isa.Portable })
                foreach (int threads in new[] { 1, 2 })
                {
                    var (actual, actualDims) = OpRunner.Run(op, new OpAttributes().Set("layout", layout), [input], threads, isa);
                    Assert.Equal(last ? TestData.ChannelsLastDims(yDims) : yDims, actualDims);
                    TensorAssert.Close(expected, actual, what: $"{string.Join('x', dims)} isa={isa?.ToString() ?? "best"} threads={threads}");
                }
        }
    }
}
