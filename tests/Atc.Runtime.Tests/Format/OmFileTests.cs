using System.Buffers.Binary;
using Atc.Compiler.Emit;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Execution;
using Atc.Runtime.Format;
using Atc.Runtime.Format.Proto;
using Atc.Tests.Execution;
using Google.Protobuf;

namespace Atc.Tests.Format;

public class OmFileTests
{
    private static readonly TestOperators Ops = new();

    private static byte[] SmallOm() => TestOm.Write(TestOm.SmallGraph(), Ops.Resolver, [[1, 4]], [[2, 4]]);

    [Fact]
    public void HeaderHasAtcLayout()
    {
        var om = SmallOm();
        Assert.Equal("IMOD"u8.ToArray(), om[..4]);
        Assert.Equal(0x444F4D49u, BinaryPrimitives.ReadUInt32LittleEndian(om));
        Assert.Equal(256u, BinaryPrimitives.ReadUInt32LittleEndian(om.AsSpan(4)));
        Assert.Equal(0x10000000u, BinaryPrimitives.ReadUInt32LittleEndian(om.AsSpan(8)));
        Assert.Equal((uint)(om.Length - 256), BinaryPrimitives.ReadUInt32LittleEndian(om.AsSpan(76)));
        Assert.Equal(1, om[81]);
        Assert.Equal("test_model"u8.ToArray(), om.AsSpan(84, 10).ToArray());
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(om.AsSpan(256)));
        var parts = OmContainer.Read(om);
        Assert.Equal([OmPartitionType.ModelDef, OmPartitionType.WeightsData, OmPartitionType.TaskInfo], parts.Table.Select(p => p.Type));
        Assert.All(parts.Table, p => Assert.Equal(0, p.Offset % 64));
    }

    [Fact]
    public void RoundTripKeepsEverything()
    {
        var graph = TestOm.SmallGraph();
        var written = TestOm.Compile(graph, Ops.Resolver, [[[1, 4]], [[2, 4]]], ModelGearKind.Batch, [[1], [2]]);
        var read = OmReader.Read(OmWriter.Write(written));

        Assert.Equal(written.Name, read.Name);
        Assert.Equal(written.SocVersion, read.SocVersion);
        Assert.Equal(ModelGearKind.Batch, read.GearKind);
        Assert.Equal([-1L, 4], read.Inputs[0].Dims);
        Assert.Equal([1, 4], read.Gears[0].OutputShapes[1]);
        Assert.Equal([8], read.Gears[1].OutputShapes[0]);
        Assert.Equal([2], read.Gears[1].Selector);
        Assert.Equal(graph.Nodes.Select(n => (n.Name, n.OpType, n.SourceOpType)), read.Graph.Nodes.Select(n => (n.Name, n.OpType, n.SourceOpType)));
        Assert.Equal(graph.Nodes.Select(n => n.Inputs), read.Graph.Nodes.Select(n => n.Inputs));
        Assert.Equal(new float[] { 1, 2, 3, 4 }, read.Graph.Constants[1]!.AsSpan<float>().ToArray());
        for (int g = 0; g < 2; g++)
        {
            Assert.Equal(written.Plans[g].Steps, read.Plans[g].Steps);
            Assert.Equal(written.Plans[g].ArenaSize, read.Plans[g].ArenaSize);
            Assert.Equal(written.Plans[g].Values.Select(v => (v.Kind, v.Offset, v.Type, Shape.Format(v.Dims))),
                read.Plans[g].Values.Select(v => (v.Kind, v.Offset, v.Type, Shape.Format(v.Dims))));
        }
    }

    [Fact]
    public void AttributesOfEveryKindRoundTrip()
    {
        var b = new GraphBuilder();
        int x = b.Input("x");
        var attributes = new OpAttributes()
            .Set("i", 42L).Set("f", 1.5f).Set("s", "NHWC").Set("ints", new long[] { 1, -2 }).Set("floats", new[] { 0.5f, float.NaN })
            .Set("strings", new AttributeValue(["a", "b"])).Set("tensor", new AttributeValue(TensorData.Float([2], 3, 4)));
        b.Output(b.NodeWith("Identity", attributes, x));
        var om = TestOm.Write(b.Build(), Ops.Resolver, [[3]]);
        var read = OmReader.Read(om).Graph.Nodes[0].Attributes;
        Assert.Equal(42, read.GetInt("i", 0));
        Assert.Equal(1.5f, read.GetFloat("f", 0));
        Assert.Equal("NHWC", read.GetString("s", ""));
        Assert.Equal([1L, -2], read.GetInts("ints", []));
        Assert.True(float.IsNaN(read.GetFloats("floats", [])[1]));
        Assert.Equal(["a", "b"], read["strings"].Strings);
        Assert.Equal(new float[] { 3, 4 }, read.GetTensor("tensor")!.AsSpan<float>().ToArray());
    }

    [Fact]
    public void WritingIsDeterministicAndStable()
    {
        var first = SmallOm();
        var second = SmallOm();
        Assert.Equal(first, second);
        // Reading and writing again gives the same bytes: nothing is lost or reordered.
        Assert.Equal(first, OmWriter.Write(OmReader.Read(first)));
    }

    [Fact]
    public void EveryTruncationIsAnOmFormatError()
    {
        var om = SmallOm();
        for (int length = 0; length < om.Length; length++)
        {
            var e = Assert.Throws<OmFormatException>(() => OmReader.Read(om.AsMemory(0, length)));
            Assert.Equal("ATC2000", e.Code);
        }
    }

    [Fact]
    public void EveryFlippedByteIsAnOmFormatError()
    {
        var om = SmallOm();
        foreach (byte mask in new byte[] { 0x01, 0x80, 0xFF })
            for (int i = 0; i < om.Length; i++)
            {
                var copy = (byte[])om.Clone();
                copy[i] ^= mask;
                // The version field is outside the checksum: a flip to another version the reader supports (3 → 2)
                // is a valid file of that version with the same content.
                uint version = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(OmFileHeader.OmIrVersionOffset));
                if (i is >= OmFileHeader.OmIrVersionOffset and < OmFileHeader.OmIrVersionOffset + 4
                    && version is >= OmFileHeader.OldestOmIrVersion and <= OmFileHeader.OmIrVersion)
                {
                    Assert.Equal(version, OmContainer.Read(copy).Header.IrVersion);
                    OmReader.Read(copy);
                    continue;
                }
                var e = Assert.Throws<OmFormatException>(() => OmReader.Read(copy));
                Assert.StartsWith("ATC2000: invalid .om file: ", e.Message);
            }
    }

    [Fact]
    public void BadMagicIsNamed()
    {
        var om = SmallOm();
        om[0] = (byte)'X';
        Assert.Contains("magic", Assert.Throws<OmFormatException>(() => OmReader.Read(om)).Detail);
        Assert.Contains("fewer than the 256-byte header", Assert.Throws<OmFormatException>(() => OmReader.Read(new byte[10])).Detail);
    }

    [Fact]
    public void TrailingBytesAreRejected()
    {
        var om = SmallOm();
        var longer = om.Concat(new byte[7]).ToArray();
        Assert.Contains("trailing bytes", Assert.Throws<OmFormatException>(() => OmReader.Read(longer)).Detail);
    }

    // ---- crafted files with a valid checksum ----

    private static byte[] Sealed(byte[] om, Action<byte[]> edit)
    {
        var copy = (byte[])om.Clone();
        edit(copy);
        OmContainer.Seal(copy);
        return copy;
    }

    private static void SetTableEntry(byte[] om, int index, uint type, ulong offset, ulong size)
    {
        var entry = om.AsSpan(256 + 4 + index * 24, 24);
        BinaryPrimitives.WriteUInt32LittleEndian(entry, type);
        BinaryPrimitives.WriteUInt64LittleEndian(entry[8..], offset);
        BinaryPrimitives.WriteUInt64LittleEndian(entry[16..], size);
    }

    [Theory]
    [InlineData(0u, "partition count 0")]
    [InlineData(17u, "partition count 17")]
    [InlineData(0xFFFFFFFFu, "partition count 4294967295")]
    public void PartitionCountIsBounded(uint count, string expected)
    {
        var om = Sealed(SmallOm(), f => BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(256), count));
        Assert.Contains(expected, Assert.Throws<OmFormatException>(() => OmReader.Read(om)).Detail);
    }

    [Fact]
    public void PartitionTableErrorsAreNamed()
    {
        var om = SmallOm();
        var table = OmContainer.Read(om).Table;
        var (md, w, ti) = (table[0], table[1], table[2]);

        string Detail(Action<byte[]> edit) => Assert.Throws<OmFormatException>(() => OmReader.Read(Sealed(om, edit))).Detail;

        Assert.Contains("overlap", Detail(f => SetTableEntry(f, 1, 1, (ulong)md.Offset + 64, (ulong)w.Size)));
        Assert.Contains("not on a 64-byte boundary", Detail(f => SetTableEntry(f, 1, 1, (ulong)w.Offset + 8, (ulong)w.Size - 8)));
        Assert.Contains("outside the file", Detail(f => SetTableEntry(f, 2, 2, (ulong)ti.Offset, ulong.MaxValue)));
        Assert.Contains("outside the file", Detail(f => SetTableEntry(f, 2, 2, ulong.MaxValue - 3, 8)));
        Assert.Contains("outside the file", Detail(f => SetTableEntry(f, 0, 0, 10, 20)));
        Assert.Contains("appears twice", Detail(f => SetTableEntry(f, 2, 0, (ulong)ti.Offset, (ulong)ti.Size)));
        Assert.Contains("unknown type 9", Detail(f => SetTableEntry(f, 2, 9, (ulong)ti.Offset, (ulong)ti.Size)));
        Assert.Contains("TaskInfo partition is missing", Detail(f => BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(256), 2)));
        Assert.Contains("not valid protobuf", Detail(f => f.AsSpan((int)md.Offset, (int)md.Size).Fill(0xFF)));
    }

    /// <summary>Rewrites the file with edited protobuf partitions (valid container and checksum).</summary>
    private static byte[] WithEdits(byte[] om, Action<ModelDef>? editModel = null, Action<TaskInfo>? editTasks = null, byte[]? weights = null)
    {
        var parts = OmContainer.Read(om);
        var model = ModelDef.Parser.ParseFrom(parts.ModelDef.Span);
        var tasks = TaskInfo.Parser.ParseFrom(parts.TaskInfo.Span);
        editModel?.Invoke(model);
        editTasks?.Invoke(tasks);
        return OmContainer.Write(parts.Header.Name, parts.Header.Ops, parts.Header.PlatformVersion,
            model.ToByteArray(), weights ?? parts.Weights.ToArray(), tasks.ToByteArray());
    }

    public static TheoryData<string, string> SemanticCorruptions => new()
    {
        { "value id out of range", "index 99 is out of range" },
        { "omitted input -2", "index -2 is out of range" },
        { "node reads a later value", "before any node computes it" },
        { "value written twice", "already defined" },
        { "bad dtype", "data type code 99 is not valid" },
        { "constant past weights", "outside the" },
        { "constant misaligned", "not a multiple of 64" },
        { "constant wrong length", "needs 16 bytes" },
        { "huge dims", "more than 2147483647 elements" },
        { "negative gear dim", "dimension 0 is -3" },
        { "gear contradicts declared dims", "contradicts its declared dims" },
        { "missing gear shapes", "input and 2 output shapes" },
        { "no gears", "no gear" },
        { "plan count", "2 plans for 1 gears" },
        { "step out of range", "index 50 is out of range" },
        { "steps out of order", "increasing node order" },
        { "arena overflow", "do not fit the" },
        { "arena too large", "exceeds the" },
        { "placement unknown", "placement 42 is not valid" },
        { "weights offset not a constant", "-byte constant starts at weights offset 8" },
        { "folded size", "folded data has" },
        { "plan dims disagree", "bytes, the plan says" },
        { "unsorted attributes", "not sorted" },
        { "empty attribute", "has no value" },
        { "tensor attribute size", "needs 8 bytes" },
        { "target", "target 'npu' is not supported" },
        { "duplicate input name", "same name" },
        { "range without range kind", "gear kind is not a range" },
        { "gear kind", "gear kind 12 is not valid" },
        { "output placed nowhere", "output 0 is not computed" },
        { "input index out of range", "input index" },
    };

    [Theory]
    [MemberData(nameof(SemanticCorruptions))]
    public void SemanticCorruptionIsAnOmFormatError(string corruption, string expected)
    {
        var om = SmallOm();
        byte[] bad = corruption switch
        {
            "value id out of range" => WithEdits(om, m => m.Nodes[0].Inputs[0] = 99),
            "omitted input -2" => WithEdits(om, m => m.Nodes[0].Inputs[0] = -2),
            "node reads a later value" => WithEdits(om, m => m.Nodes[0].Inputs[0] = m.Nodes[2].Outputs[0]),
            "value written twice" => WithEdits(om, m => m.Nodes[1].Outputs[0] = m.Nodes[0].Outputs[0]),
            "bad dtype" => WithEdits(om, m => m.Values[3].Dtype = 99),
            "constant past weights" => WithEdits(om, m => m.Constants[0].Offset = 1 << 20),
            "constant misaligned" => WithEdits(om, m => m.Constants[0].Offset = 4),
            "constant wrong length" => WithEdits(om, m => m.Constants[0].Length = 12),
            "huge dims" => WithEdits(om, m => { m.Constants[0].Dims.Clear(); m.Constants[0].Dims.Add([65536, 65536]); }),
            "negative gear dim" => WithEdits(om, m => m.Gears[0].InputShapes[0].Dims_[0] = -3),
            "gear contradicts declared dims" => WithEdits(om, m => m.Gears[0].InputShapes[0].Dims_[1] = 5),
            "missing gear shapes" => WithEdits(om, m => m.Gears[0].InputShapes.Clear()),
            "no gears" => WithEdits(om, m => m.Gears.Clear()),
            "plan count" => WithEdits(om, m => m.Gears.RemoveAt(1)),
            "step out of range" => WithEdits(om, editTasks: t => t.Plans[0].Steps[0] = 50),
            "steps out of order" => WithEdits(om, editTasks: t => { var s = t.Plans[0].Steps; (s[0], s[1]) = (s[1], s[0]); }),
            "arena overflow" => WithEdits(om, editTasks: t => t.Plans[0].Values.First(v => v.Placement == Placement.Arena).Offset = 1UL << 40),
            "arena too large" => WithEdits(om, editTasks: t => t.Plans[0].ArenaSize = 1UL << 40),
            "placement unknown" => WithEdits(om, editTasks: t => t.Plans[0].Values[4].Placement = (Placement)42),
            "weights offset not a constant" => WithEdits(om, editTasks: t => t.Plans[0].Values.First(v => v.Placement == Placement.Weights).Offset = 8),
            "folded size" => WithEdits(om, editTasks: t => t.Plans[0].Values.First(v => v.Placement == Placement.Folded).FoldedData = ByteString.CopyFrom(1, 2, 3)),
            "plan dims disagree" => WithEdits(om, editTasks: t => t.Plans[0].Values[4].Dims[1] = 5),
            "unsorted attributes" => WithEdits(om, m => m.Nodes[0].Attributes.Add([new AttributeDef { Name = "b", I = 1 }, new AttributeDef { Name = "a", I = 2 }])),
            "empty attribute" => WithEdits(om, m => m.Nodes[0].Attributes.Add(new AttributeDef { Name = "a" })),
            "tensor attribute size" => WithEdits(om, m => m.Nodes[0].Attributes.Add(new AttributeDef { Name = "t", Tensor = new TensorDef { Dtype = 1, Dims = { 2 }, Data = ByteString.CopyFrom(1, 2) } })),
            "target" => WithEdits(om, m => m.Target = "npu"),
            "duplicate input name" => WithEdits(om, m => m.Outputs[1].Name = m.Outputs[0].Name),
            "range without range kind" => WithEdits(om, m => m.Ranges.Add(new RangeDef())),
            "gear kind" => WithEdits(om, m => m.GearKind = (Atc.Runtime.Format.Proto.GearKind)12),
            "output placed nowhere" => WithEdits(om, editTasks: t => { var v = t.Plans[0].Values; foreach (var p in v.Where(p => p.Placement == Placement.Output && p.Offset == 0)) { p.Placement = Placement.Unused; p.Offset = 0; } }),
            "input index out of range" => WithEdits(om, editTasks: t => t.Plans[0].Values.First(v => v.Placement == Placement.Input).Offset = 7),
            _ => throw new ArgumentException(corruption),
        };
        var e = Assert.Throws<OmFormatException>(() => OmReader.Read(bad));
        Assert.Contains(expected, e.Detail);
    }

    /// <summary>Random byte edits inside the protobuf partitions, re-sealed: loading and running either works or
    /// fails with a coded, documented exception, never another one.</summary>
    [Fact]
    public void FuzzedPartitionsFailOnlyWithCodedErrors()
    {
        var om = SmallOm();
        var parts = OmContainer.Read(om).Table;
        var random = new Random(1234);
        int loaded = 0;
        for (int iteration = 0; iteration < 1500; iteration++)
        {
            var part = parts[random.Next(parts.Count)];
            if (part.Size == 0) continue;
            var copy = (byte[])om.Clone();
            int edits = random.Next(1, 4);
            for (int e = 0; e < edits; e++)
                copy[part.Offset + random.Next((int)part.Size)] = (byte)random.Next(256);
            OmContainer.Seal(copy);
            try
            {
                var model = InferenceModel.Load(copy, Ops.Resolver);
                loaded++;
                using var session = model.CreateSession();
                for (int g = 0; g < model.Signature.Gears.Count; g++)
                {
                    var shape = model.Signature.Gears[g].InputShapes[0];
                    if (model.Signature.Inputs[0].Type != DataType.Float32) break;
                    session.SetInput(0, new float[Shape.ElementCount(shape)], shape);
                    session.Run(g);
                }
            }
            catch (Exception e) when (e is OmFormatException or InferenceInputException or PlanningException)
            {
            }
        }
        Assert.True(loaded < 1500);
    }
}
