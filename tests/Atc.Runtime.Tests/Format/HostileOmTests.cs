using System.Runtime.InteropServices;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Execution;
using Atc.Runtime.Execution.Memory;
using Atc.Runtime.Format;
using Atc.Runtime.Format.Proto;
using Atc.TestModels.Onnx;
using Atc.Tests.Execution;
using Atc.Tests.TestSupport;
using Google.Protobuf;
using Xunit.Abstractions;

namespace Atc.Tests.Format;

/// <summary>
/// Issue 10, the reader half: a re-sealed file with edited offsets or flipped bytes either loads and runs exactly
/// like the original or fails with a coded <see cref="OmFormatException"/> / <see cref="InferenceInputException"/>.
/// </summary>
public class HostileOmTests(ITestOutputHelper output)
{
    public static TheoryData<string> Models => ["pad_conv", "tiny_cnn", "mlp"];

    private static byte[] Om(string name) => name == "pad_conv" ? PadConvModel.Bytes : CompiledOm.FromOnnx(OnnxModels.All[name](), name, 1, 4);

    /// <summary>Rewrites the file with an edited TaskInfo partition (valid container and checksum).</summary>
    private static byte[] WithTasks(byte[] om, Action<TaskInfo> edit)
    {
        var parts = OmContainer.Read(om);
        var tasks = TaskInfo.Parser.ParseFrom(parts.TaskInfo.Span);
        edit(tasks);
        return OmContainer.Write(parts.Header.Name, parts.Header.Ops, parts.Header.PlatformVersion,
            parts.ModelDef.ToArray(), parts.Weights.ToArray(), tasks.ToByteArray());
    }

    /// <summary>Every output of every gear for seeded inputs; throws what loading or running throws.</summary>
    private static float[][] RunAllGears(InferenceModel model, SessionOptions? options = null)
    {
        using var session = model.CreateSession(options);
        var results = new List<float[]>();
        for (int g = 0; g < model.Signature.Gears.Count; g++)
        {
            var shape = model.Signature.Gears[g].InputShapes[0];
            session.SetInput<float>(0, ModelPipeline.RandomUniform(g + 1, (int)Shape.ElementCount(shape)), shape);
            session.Run(g);
            for (int k = 0; k < model.Signature.Outputs.Count; k++) results.Add(session.GetOutput<float>(k).ToArray());
        }
        return [.. results];
    }

    /// <summary>
    /// The regression: arena offsets moved onto other values' bytes (or 64 bytes off them), re-sealed. Used to give
    /// ArgumentException from TensorPrimitives or silently different outputs; now the liveness check rejects every
    /// edit that makes live values overlap, and whatever it accepts computes the same outputs.
    /// </summary>
    [Theory]
    [MemberData(nameof(Models))]
    public void MovedArenaOffsetsAreRejectedOrChangeNothing(string name)
    {
        var om = Om(name);
        var expected = RunAllGears(InferenceModel.Load(om));
        var tasks = TaskInfo.Parser.ParseFrom(OmContainer.Read(om).TaskInfo.Span);
        int rejected = 0, accepted = 0;
        for (int g = 0; g < tasks.Plans.Count; g++)
        {
            var plan = tasks.Plans[g];
            var arena = Enumerable.Range(0, plan.Values.Count).Where(v => plan.Values[v].Placement == Placement.Arena).ToArray();
            var targets = arena.Select(v => plan.Values[v].Offset).SelectMany(o => new[] { o, o + 64, o >= 64 ? o - 64 : o }).Distinct().ToArray();
            foreach (int v in arena)
                foreach (ulong target in targets)
                {
                    if (target == plan.Values[v].Offset || target + plan.Values[v].ByteSize > plan.ArenaSize) continue;
                    int plan_ = g, value = v;
                    var edited = WithTasks(om, t => t.Plans[plan_].Values[value].Offset = target);
                    try
                    {
                        var results = RunAllGears(InferenceModel.Load(edited));
                        accepted++;
                        Assert.Equal(expected.Length, results.Length);
                        for (int k = 0; k < expected.Length; k++)
                            Assert.True(expected[k].AsSpan().SequenceEqual(results[k]), $"gear {g} value {v} at offset {target}: output {k} changed");
                    }
                    catch (OmFormatException)
                    {
                        rejected++;
                    }
                }
        }
        output.WriteLine($"{name}: {rejected} moved offsets rejected, {accepted} accepted (outputs unchanged)");
        Assert.True(rejected > 0);
    }

    [Fact]
    public void AnArenaValueNoStepWritesIsRejected()
    {
        var om = PadConvModel.Bytes;
        var model = OmReader.Read(om);
        var plan = model.Plans[0];
        // Drop the step that writes an arena value: its reader would read bytes nobody wrote.
        int step = plan.Steps.First(s => model.Graph.Nodes[s].Outputs.Any(o => plan.Values[o].Kind == PlacementKind.Arena));
        int written = model.Graph.Nodes[step].Outputs.First(o => plan.Values[o].Kind == PlacementKind.Arena);
        var edited = WithTasks(om, t => t.Plans[0].Steps.Remove(step));
        var e = Assert.Throws<OmFormatException>(() => OmReader.Read(edited));
        Assert.Contains($"value {written} ('{model.Graph.Values[written].Name}') is placed in the arena but no step computes it", e.Detail);
    }

    [Fact]
    public void AHugeConstantStoredOnlyPrepackedIsACodedError()
    {
        var e = Assert.Throws<OmFormatException>(() => DroppedWeights.Placeholder(DataType.Float32, [int.MaxValue], "w"));
        Assert.Contains("constant 'w' stored only prepacked is float32[2147483647], 8589934588 bytes", e.Detail);
        Assert.Equal("ATC2000", e.Code);
    }

    [Fact]
    public void AnInputLargerThanAnyBufferIsAnInputErrorNotAnOverflow()
    {
        using var session = PadConvModel.Load().CreateSession();
        var one = new float[1];
        var e = Assert.Throws<InferenceInputException>(() =>
        {
            // 2^31-1 floats (8 GiB) that are never read: the size is rejected before any byte is touched.
            var huge = MemoryMarshal.CreateReadOnlySpan(ref one[0], int.MaxValue);
            session.SetInput(0, huge, [int.MaxValue, 1, 1, 1]);
        });
        Assert.Contains("has 8589934588 bytes, more than the", e.Message);
        Assert.Contains("accepted gears", e.Message);
    }

    // ---- the guard-page allocator ----

    [Fact]
    public unsafe void GuardPageBlocksEndAtANoAccessPageAndStartAligned()
    {
        if (!GuardPageAllocator.IsSupported) return;
        var allocator = GuardPageAllocator.Instance;
        foreach (long bytes in new long[] { 0, 1, 63, 64, 4095, 4096, 4097, 100_000 })
        {
            nint p = allocator.Allocate(bytes);
            Assert.Equal(0, p % 64);
            Assert.Equal(0, (p + (nint)ArenaAllocator.Align(bytes)) % Environment.SystemPageSize);
            new Span<byte>((void*)p, (int)bytes).Fill(0xAB);   // every byte inside is writable
            allocator.Free(p, bytes);
        }
    }

    /// <summary>
    /// A few hundred re-sealed byte flips of a real model, loaded in place from guard-page memory and run on
    /// guard-page session buffers: any read or write outside a buffer would fault and end the test run. Only the
    /// two coded exceptions may come out.
    /// </summary>
    [Theory]
    [InlineData("pad_conv")]
    [InlineData("mlp")]
    public unsafe void FlippedBytesUnderGuardPagesFailOnlyWithCodedErrors(string name)
    {
        if (!GuardPageAllocator.IsSupported) return;
        var om = Om(name);
        var table = OmContainer.Read(om).Table;
        var random = new Random(10);
        var options = new SessionOptions { Allocator = GuardPageAllocator.Instance };
        int loaded = 0, ran = 0;
        var outcomes = new Dictionary<string, int>();
        const int Files = 300;
        for (int i = 0; i < Files; i++)
        {
            var copy = (byte[])om.Clone();
            var part = table[random.Next(table.Count)];
            for (int e = random.Next(1, 4); e > 0; e--)
                copy[part.Offset + random.Next((int)part.Size)] ^= (byte)(1 << random.Next(8));
            OmContainer.Seal(copy);
            nint memory = GuardPageAllocator.Instance.Allocate(copy.Length);
            try
            {
                copy.CopyTo(new Span<byte>((void*)memory, copy.Length));
                using var stream = new UnmanagedMemoryStream((byte*)memory, copy.Length);
                var model = InferenceModel.Load(stream);
                loaded++;
                RunAllGears(model, options);
                ran++;
                Count("ran");
            }
            catch (OmFormatException) { Count(nameof(OmFormatException)); }
            catch (InferenceInputException) { Count(nameof(InferenceInputException)); }
            finally
            {
                GuardPageAllocator.Instance.Free(memory, copy.Length);
            }
        }
        output.WriteLine($"{name}, {Files} files: {string.Join(", ", outcomes.Select(p => $"{p.Key} {p.Value}"))}; {loaded} loaded");
        Assert.True(outcomes.GetValueOrDefault(nameof(OmFormatException)) > 0);

        void Count(string outcome) => outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
    }
}
