using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Atc.Benchmarks.Models;
using Atc.Benchmarks.Runners;
using Atc.Runtime;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Ort = Microsoft.ML.OnnxRuntime;

namespace Atc.Benchmarks.Benchmarks;

/// <summary>
/// "Load": <see cref="InferenceModel.Load(byte[])"/> against ONNX Runtime's session creation from the same model's
/// bytes (graph optimisation included, 1 thread). Load(byte[]) copies the file (the caller keeps its array) and
/// verifies its SHA-256; the public Load(Stream) over native memory and SHA-256 over the file are listed too
/// (LoadEmbedded is Load(Stream) without the checksum). Load makes every gear's kernels; "FirstResult" adds the first
/// inference at batch 1 to both (whose code the JIT compiles then, unless the caller ran WarmUp), the time from bytes to an answer.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public unsafe class LoadBenchmarks
{
    private byte* _native;
    private byte[] _onnx = [];
    private byte[] _om = [];
    private BenchFeed[] _feeds = [];

    public static IEnumerable<string> Models => BenchModels.Selected();

    [ParamsSource(nameof(Models))]
    public string Model { get; set; } = BenchModels.ResNet50;

    [GlobalSetup]
    public void SetUp()
    {
        _onnx = ModelCache.OnnxBytes(Model);
        _om = ModelCache.OmBytes(Model);
        _feeds = BenchModels.Get(Model).Feeds(1);
        _native = (byte*)NativeMemory.AlignedAlloc((nuint)_om.Length, 64);
        _om.CopyTo(new Span<byte>(_native, _om.Length));
        // Fail here, once and clearly, if the runtime cannot load or run the model.
        using var runner = new AtcRunner(InferenceModel.Load(_om), _feeds, 1);
        runner.Run();
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        NativeMemory.AlignedFree(_native);
        _native = null;
    }

    [Benchmark(Baseline = true, Description = "ONNX Runtime session")]
    [BenchmarkCategory("Load")]
    public void OrtCreateSession()
    {
        using var options = OrtRunner.Options(1);
        using var session = new Ort.InferenceSession(_onnx, options);
    }

    [Benchmark(Description = "Atc InferenceModel.Load")]
    [BenchmarkCategory("Load")]
    public InferenceModel AtcLoad() => InferenceModel.Load(_om);

    /// <summary>The .om's checksum, which every load verifies: SHA-256 over everything after the header. For large
    /// models it is most of the load time, so it is timed alone for reference.</summary>
    [Benchmark(Description = "SHA-256 of the .om (reference)")]
    [BenchmarkCategory("Load")]
    public byte[] Sha256OfOm() => SHA256.HashData(_om);

    /// <summary>The public Load(Stream) over the file in native memory (as an embedded resource is): checksum
    /// included. LoadEmbedded skips only the checksum, so its time is this minus the SHA-256 row.</summary>
    [Benchmark(Description = "Atc Load(stream) from native memory")]
    [BenchmarkCategory("Load")]
    public InferenceModel AtcLoadFromStream()
    {
        using var stream = new UnmanagedMemoryStream(_native, _om.Length);
        return InferenceModel.Load(stream);
    }

    [Benchmark(Baseline = true, Description = "ONNX Runtime session + 1st run")]
    [BenchmarkCategory("FirstResult")]
    public float OrtFirstResult()
    {
        using var options = OrtRunner.Options(1);
        using var runner = new OrtRunner(new Ort.InferenceSession(_onnx, options), _feeds);
        runner.Run();
        return runner.Output[0];
    }

    [Benchmark(Description = "Atc Load + session + 1st run")]
    [BenchmarkCategory("FirstResult")]
    public float AtcFirstResult()
    {
        using var runner = new AtcRunner(InferenceModel.Load(_om), _feeds, 1);
        runner.Run();
        return runner.Output[0];
    }
}
