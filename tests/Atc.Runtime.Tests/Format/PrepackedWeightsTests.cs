using Atc.Compiler.Emit;
using Atc.Compiler.Tooling;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Execution;
using Atc.Runtime.Format;
using Atc.Runtime.Format.Proto;
using Atc.Runtime.Operators;
using Atc.TestModels.Onnx;
using Atc.Tests.Execution;
using Atc.Tests.TestSupport;
using Google.Protobuf;

namespace Atc.Tests.Format;

/// <summary>
/// Weights stored in the kernels' layouts: the compiler keeps what kernels pack from constants, drops the raw
/// weights nothing else reads, and the runtime uses the blobs in place; a file that does not match is ATC2000.
/// </summary>
public class PrepackedWeightsTests
{
    /// <summary>x [2,3,16,16] → Conv 3x3 → Conv 1x1 → Flatten → Gemm (transB) → MatMul: every packing kernel.</summary>
    private static ModelGraph SmallNet()
    {
        var b = new GraphBuilder();
        int x = b.Input("x");
        int w1 = b.Constant("w1", TensorData.Float([8, 3, 3, 3], Values(1, 8 * 27)));
        int b1 = b.Constant("b1", TensorData.Float([8], Values(2, 8)));
        int c1 = b.NodeWith("Conv", new OpAttributes().Set("pads", new long[] { 1, 1, 1, 1 }), x, w1, b1);
        int w2 = b.Constant("w2", TensorData.Float([16, 8, 1, 1], Values(3, 16 * 8)));
        int c2 = b.Node("Conv", c1, w2);
        int flat = b.Node("Flatten", c2);
        int w3 = b.Constant("w3", TensorData.Float([10, 16 * 16 * 16], Values(4, 10 * 4096)));
        int g = b.NodeWith("Gemm", new OpAttributes().Set("transB", 1L).Set("alpha", 0.5f), flat, w3);
        int w4 = b.Constant("w4", TensorData.Float([10, 5], Values(5, 50)));
        b.Output(b.Node("MatMul", g, w4));
        return b.Build();
    }

    private static float[] Values(int seed, int count) => ModelPipeline.RandomUniform(seed, count);

    private static OmModel Compile(bool prepack)
    {
        var model = TestOm.Compile(SmallNet(), OperatorResolvers.Registry, [[[2, 3, 16, 16]], [[1, 3, 16, 16]]],
            ModelGearKind.Batch, [[2], [1]]);
        return prepack ? WeightPrepacking.Apply(model) : model;
    }

    private static byte[] SmallOm() => OmWriter.Write(Compile(prepack: true));

    private static float[] RunOnce(InferenceModel model, int batch)
    {
        using var session = model.CreateSession();
        var input = TensorData.Float([batch, 3, 16, 16], Values(9, batch * 3 * 256));
        return session.Run(input)[0].AsSpan<float>().ToArray();
    }

    [Fact]
    public void EveryPackedConstantIsStoredPrepackedAndLeftOutRaw()
    {
        var read = OmReader.Read(SmallOm());
        var graph = read.Graph;
        Assert.Equal(["w1", "w2", "w3", "w4"], read.Prepacked.Select(b => graph.Values[graph.Nodes[b.Node].Inputs[b.Input]].Name).Order());
        Assert.All(read.Prepacked, b => Assert.Equal(1, b.Input));
        Assert.Contains(read.Prepacked, b => b.Key.StartsWith("gemm-panels/v1;src=conv-o.c.taps;k=27;n=8;", StringComparison.Ordinal));
        Assert.Contains(read.Prepacked, b => b.Key.StartsWith("gemm-panels/v1;src=gemm-bt;k=4096;n=10;", StringComparison.Ordinal));
        foreach (string name in new[] { "w1", "w2", "w3", "w4" })
            Assert.True(DroppedWeights.IsDropped(graph.Constants[Array.FindIndex(graph.Values, v => v.Name == name)]!), name);
        // The bias is read raw by the epilogue: it stays.
        Assert.False(DroppedWeights.IsDropped(graph.Constants[Array.FindIndex(graph.Values, v => v.Name == "b1")]!));
        Assert.All(read.Prepacked, b => Assert.Equal(0, b.Data.Length % 64));
    }

    [Fact]
    public void PrepackedFileIsNotLargerAndRunsBitwiseLikeTheRawOne()
    {
        var packedBytes = OmWriter.Write(Compile(prepack: true));
        var rawBytes = OmWriter.Write(Compile(prepack: false));
        // Panels pad N to a multiple of 16 (w3: 10 → 16 columns), the raw weights are gone.
        Assert.True(packedBytes.Length < rawBytes.Length + 4096 * 6 * 4 + 4096, $"{packedBytes.Length} vs {rawBytes.Length}");
        var packed = InferenceModel.Load(packedBytes);
        var raw = InferenceModel.Load(rawBytes);
        foreach (int batch in new[] { 1, 2 })
            Assert.Equal(RunOnce(raw, batch), RunOnce(packed, batch));
    }

    [Fact]
    public void WritingPrepackedIsDeterministicAndRoundTrips()
    {
        var first = SmallOm();
        Assert.Equal(first, SmallOm());
        Assert.Equal(first, OmWriter.Write(OmReader.Read(first)));
    }

    [Fact]
    public void RangeProfilesKeepRawWeights()
    {
        // Shapes planned at run time may pick other kernels (other layouts): nothing is prepacked.
        var model = TestOm.Compile(SmallNet(), OperatorResolvers.Registry, [[[1, 3, 16, 16]]], ModelGearKind.Range, [[]],
            [new InputShapeRange("x", [1, 3, 16, 16], [4, 3, 16, 16])]);
        var result = WeightPrepacking.Apply(model);
        Assert.Empty(result.Prepacked);
        Assert.DoesNotContain(result.Graph.Constants, c => c is not null && DroppedWeights.IsDropped(c));
    }

    [Fact]
    public void AKernelThatFailsAtCompileTimeFailsTheCompileInsteadOfFallingBackToRawWeights()
    {
        // A packing bug used to be swallowed (the model quietly kept raw weights): now it surfaces.
        var b = new GraphBuilder();
        int x = b.Input("x");
        int w = b.Constant("w", TensorData.Float([4, 4, 1, 1], Values(1, 16)));
        b.Output(b.Node("Conv", x, w));
        var model = TestOm.Compile(b.Build(), OperatorResolvers.Registry, [[[1, 4, 4, 4]]]);
        OperatorResolver broken = op => op == "Conv" ? new FailingKernelOperator(OperatorResolvers.Registry(op)!) : OperatorResolvers.Registry(op);
        var e = Assert.Throws<PlanningException>(() => WeightPrepacking.Apply(model, broken));
        Assert.Contains("packing bug", e.Message);
    }

    private sealed class FailingKernelOperator(IOperator inner) : IOperator
    {
        public string OpType => inner.OpType;
        public TensorType[] InferOutputs(OpContext context) => inner.InferOutputs(context);
        public IKernel CreateKernel(OpContext context, TensorType[] outputs) => throw new InvalidOperationException("packing bug");
    }

    [Fact]
    public void ConstantReadRawElsewhereKeepsItsBytes()
    {
        // w is both a Conv's weights and an Add's operand: the Add reads it raw, so it stays (and no blob is stored).
        var b = new GraphBuilder();
        int x = b.Input("x");
        int w = b.Constant("w", TensorData.Float([4, 4, 1, 1], Values(1, 16)));
        int conv = b.Node("Conv", x, w);
        int sum = b.Node("Add", conv, w);
        b.Output(sum);
        var model = WeightPrepacking.Apply(TestOm.Compile(b.Build(), OperatorResolvers.Registry, [[[1, 4, 4, 4]]]));
        Assert.Empty(model.Prepacked);
        Assert.False(DroppedWeights.IsDropped(model.Graph.Constants[w]!));
    }

    [Fact]
    public void NodeReadingAPrepackedOnlyConstantRawIsAtc2000NotACrash()
    {
        // Compiled: Conv(x, w) + c. Hostile edit: the Add reads w (stored only prepacked) instead of c.
        var b = new GraphBuilder();
        int x = b.Input("x");
        int w = b.Constant("w", TensorData.Float([4, 4, 1, 1], Values(1, 16)));
        int c = b.Constant("c", TensorData.Float([4, 4, 1, 1], Values(2, 16)));
        b.Output(b.Node("Add", b.Node("Conv", x, w), c));
        var om = OmWriter.Write(WeightPrepacking.Apply(TestOm.Compile(b.Build(), OperatorResolvers.Registry, [[[1, 4, 4, 4]]])));
        Assert.True(DroppedWeights.IsDropped(OmReader.Read(om).Graph.Constants[w]!));
        var hostile = Rewrite(om, def => def.Nodes[1].Inputs[1] = w);
        // Load makes every gear's kernels, so the file is rejected there, before any run.
        var e = Assert.Throws<OmFormatException>(() => InferenceModel.Load(hostile));
        Assert.Contains("reads input 1 ('w') raw, but the file stores it only prepacked", e.Message);
    }

    [Theory]
    [InlineData(1u, true)]
    [InlineData(2u, true)]
    [InlineData(3u, true)]
    [InlineData(0u, false)]
    [InlineData(4u, false)]
    public void OmIrVersionsOneToThreeLoad(uint version, bool loads)
    {
        // Files of om_ir_version 1 (before prepacked weights) and 2 (before control-flow bodies) have nothing later
        // versions read differently.
        var om = OmWriter.Write(Compile(prepack: false));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(om.AsSpan(OmFileHeader.OmIrVersionOffset), version);
        OmContainer.Seal(om);
        if (loads) Assert.Equal(version, OmContainer.Read(om).Header.IrVersion);
        else Assert.Contains("om_ir_version", Assert.Throws<OmFormatException>(() => OmReader.Read(om)).Detail);
    }

    [Fact]
    public void JsonDumpListsPrepackedBlobs()
    {
        string json = OmJsonConverter.ToJson(SmallOm(), "small.om");
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var prepacked = doc.RootElement.GetProperty("prepacked");
        Assert.Equal(4, prepacked.GetProperty("count").GetInt32());
        var blobs = prepacked.GetProperty("blobs").EnumerateArray().ToList();
        Assert.Equal(["w1", "w2", "w3", "w4"], blobs.Select(b => b.GetProperty("constant").GetString()));
        Assert.StartsWith("gemm-panels/v1;src=conv-o.c.taps;", blobs[0].GetProperty("key").GetString());
        Assert.Equal(4, doc.RootElement.GetProperty("weights").GetProperty("prepacked_only_count").GetInt32());
        Assert.Equal(1, doc.RootElement.GetProperty("weights").GetProperty("count").GetInt32());
        Assert.Equal(3, doc.RootElement.GetProperty("header").GetProperty("om_ir_version").GetInt32());
    }

    [Fact]
    public void EmbeddedStreamUsesBlobsInPlace()
    {
        var om = SmallOm();
        unsafe
        {
            fixed (byte* p = om)
            {
                using var stream = new UnmanagedMemoryStream(p, om.Length);
                var model = InferenceModel.Load(stream);
                var blob = model.Content.Prepacked[0];
                nint address = FixedMemory.AddressOf(blob.Data);
                Assert.InRange(address, (nint)p, (nint)p + om.Length);
                Assert.Equal(RunOnce(InferenceModel.Load(om), 2), RunOnce(model, 2));
            }
        }
    }

    [Fact]
    public void LoadedFileIs64ByteAligned()
    {
        var model = InferenceModel.Load(SmallOm());
        Assert.All(model.Content.Prepacked, b => Assert.Equal(0, FixedMemory.AddressOf(b.Data) % 64));
    }

    [Fact]
    public void KeyMismatchIsACodedErrorNamingNodeAndKey()
    {
        // A runtime whose kernels want another layout than the file's (here: the file's key is altered).
        var om = Rewrite(SmallOm(), def =>
        {
            foreach (var p in def.Prepacked)
                if (p.Key.Contains("src=gemm-bt", StringComparison.Ordinal)) p.Key = p.Key.Replace("gemm-panels/v1", "gemm-panels/v0");
        });
        var e = Assert.Throws<OmFormatException>(() => InferenceModel.Load(om));   // at Load: it makes every gear's kernels
        Assert.Equal("ATC2000", e.Code);
        Assert.Contains("node 'gemm_", e.Message);
        Assert.Contains("'gemm-panels/v1;src=gemm-bt;k=4096;n=10;", e.Message);
        Assert.Contains("'w3'", e.Message);
        Assert.Contains("Recompile the model with this version of atc", e.Message);
    }

    [Fact]
    public void BlobOfTheWrongLengthIsNotUsed()
    {
        // A blob whose key matches but whose length differs is ignored; with the raw weights gone, that is ATC2000.
        var original = OmReader.Read(SmallOm());
        var blobs = original.Prepacked.Select(b => b with { Data = b.Data[..^64] }).ToArray();
        var om = OmWriter.Write(With(original, blobs));
        var e = Assert.Throws<OmFormatException>(() => RunOnce(InferenceModel.Load(om), 2));
        Assert.Contains("which the file does not have", e.Detail);
    }

    public static TheoryData<string> Corruptions() =>
    [
        "misaligned offset", "offset past the end", "length past the end", "node out of range", "input out of range",
        "input not constant", "empty key", "duplicate", "unsorted", "dropped constant without blob",
        "dropped constant with bytes", "prepacked-only placement of a raw constant", "prepacked-only placement out of range",
    ];

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void CorruptPrepackedSectionIsAtc2000(string corruption)
    {
        var om = Rewrite(SmallOm(), def =>
        {
            var p = def.Prepacked;
            switch (corruption)
            {
                case "misaligned offset": p[0].Offset += 4; break;
                case "offset past the end": p[0].Offset = 1UL << 40; break;
                case "length past the end": p[^1].Length += 1 << 20; break;
                case "node out of range": p[0].Node = def.Nodes.Count; break;
                case "input out of range": p[0].Input = 7; break;
                case "input not constant": p[0].Input = 0; break;
                case "empty key": p[0].Key = ""; break;
                case "duplicate": p.Insert(1, p[0].Clone()); break;
                case "unsorted": (p[0], p[^1]) = (p[^1], p[0]); break;
                case "dropped constant without blob": p.RemoveAt(0); break;
                case "dropped constant with bytes": def.Constants.First(c => c.PrepackedOnly).Length = 64; break;
            }
        }, tasks =>
        {
            var values = tasks.Plans[0].Values;
            switch (corruption)
            {
                case "prepacked-only placement of a raw constant":
                    var bias = values.First(v => v.Placement == Placement.Weights);
                    bias.Placement = Placement.PrepackedOnly;
                    break;
                case "prepacked-only placement out of range":
                    values.First(v => v.Placement == Placement.PrepackedOnly).Offset = 1UL << 33;
                    break;
            }
        });
        var e = Assert.Throws<OmFormatException>(() => OmReader.Read(om));
        Assert.StartsWith("ATC2000: invalid .om file: ", e.Message);
    }

    [Fact]
    public void EveryFlippedModelDefByteIsValidOrAtc2000()
    {
        // Structural checks alone (no checksum), over the whole MODEL_DEF partition of a prepacked file.
        var om = SmallOm();
        var part = OmContainer.Read(om).Table.Single(t => t.Type == OmPartitionType.ModelDef);
        for (long i = part.Offset; i < part.Offset + part.Size; i++)
        {
            var copy = (byte[])om.Clone();
            copy[i] ^= 0x5A;
            try
            {
                var model = OmReader.Read(copy, verifyChecksum: false);
                // Whatever still reads must load and create its kernels or fail with ATC2000.
                var loaded = InferenceModel.Load(new MemoryStream(copy), null, verifyChecksum: false);
                for (int g = 0; g < loaded.Signature.Gears.Count; g++) loaded.Gear(g);
            }
            catch (OmFormatException) { }
            catch (PlanningException) { }
        }
    }

    [Theory]
    [InlineData("resnet18")]
    [InlineData("mobilenet_v2")]
    [InlineData("mlp")]
    public void BuilderModelsStoreWeightsPrepackedAndRunBitwiseLikeRaw(string name)
    {
        var graph = ModelPipeline.ImportOnnx(OnnxModels.All[name](), name + ".onnx");
        var gears = ModelPipeline.BatchGears(graph, 1, 2);
        Atc.Compiler.Passes.PassPipeline.Run(graph);
        var options = new EmitOptions(name, "Ascend310", "onnx");
        var packedBytes = OmEmitter.Emit(graph, gears, options);
        var rawBytes = OmEmitter.Emit(graph, gears, options with { PrepackWeights = false });

        var read = OmReader.Read(packedBytes);
        Assert.NotEmpty(read.Prepacked);
        foreach (var node in read.Graph.Nodes.Where(n => n.OpType is "Conv" or "Gemm" or "MatMul"))
        {
            var weights = read.Graph.Constants[node.Inputs[1]];
            if (weights is null) continue;
            // Depthwise and stem (1-4 input channels) kernels re-lay their small weights at load: those stay raw.
            bool depthwise = node.OpType == "Conv" && node.Attributes.GetInt("group", 1) > 1 && weights.Dims[1] == 1;
            bool stem = node.OpType == "Conv" && node.Attributes.GetInt("group", 1) == 1 && weights.Dims[1] <= 4;
            Assert.True((depthwise || stem) != DroppedWeights.IsDropped(weights), $"{node.Name}: depthwise {depthwise}, stem {stem}");
        }
        Assert.True(packedBytes.Length <= rawBytes.Length * 1.05, $"{packedBytes.Length} vs {rawBytes.Length}");

        var packed = InferenceModel.Load(packedBytes);
        var raw = InferenceModel.Load(rawBytes);
        int[] dims = [.. graph.Inputs.Single().Shape!.Skip(1).Select(d => (int)d)];
        foreach (int batch in new[] { 1, 2 })
        {
            var input = TensorData.Float([batch, .. dims], Values(11, batch * dims.Aggregate(1, (a, d) => a * d)));
            using var s1 = packed.CreateSession();
            using var s2 = raw.CreateSession();
            Assert.Equal(s2.Run(input)[0].Bytes.ToArray(), s1.Run(input)[0].Bytes.ToArray());
        }
    }

    /// <summary>Edits the protobuf partitions of a file and writes it again (sealed, so only structure is tested).</summary>
    private static byte[] Rewrite(byte[] om, Action<ModelDef> edit, Action<TaskInfo>? editTasks = null)
    {
        var parts = OmContainer.Read(om);
        var def = ModelDef.Parser.ParseFrom(parts.ModelDef.Span);
        var tasks = TaskInfo.Parser.ParseFrom(parts.TaskInfo.Span);
        edit(def);
        editTasks?.Invoke(tasks);
        return OmContainer.Write(parts.Header.Name, parts.Header.Ops, parts.Header.PlatformVersion,
            def.ToByteArray(), parts.Weights.Span, tasks.ToByteArray());
    }

    private static OmModel With(OmModel m, PrepackedBlob[] blobs) => new()
    {
        Name = m.Name,
        SourceFramework = m.SourceFramework,
        SocVersion = m.SocVersion,
        Target = m.Target,
        ProducerVersion = m.ProducerVersion,
        Graph = m.Graph,
        Inputs = m.Inputs,
        Outputs = m.Outputs,
        GearKind = m.GearKind,
        Gears = m.Gears,
        Ranges = m.Ranges,
        Plans = m.Plans,
        OpsEstimate = m.OpsEstimate,
        Prepacked = blobs,
    };
}
