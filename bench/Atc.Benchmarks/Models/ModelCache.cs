using System.Security.Cryptography;
using System.Text;

namespace Atc.Benchmarks.Models;

/// <summary>
/// Model files on disk, built once and shared by every BenchmarkDotNet child process and by the --rss children:
/// {cache}/{model}.onnx and {model}.b{gears}.om. File names carry a key made of the builder and compiler assembly
/// versions (their module ids, which change when their code does), so a rebuilt compiler never reads a stale .om.
/// Set ATC_BENCH_CACHE to choose the folder (default: the temp folder's atc-bench).
/// </summary>
public static class ModelCache
{
    public const string CacheVariable = "ATC_BENCH_CACHE";
    private static readonly object Gate = new();

    public static string Folder
    {
        get
        {
            var folder = Environment.GetEnvironmentVariable(CacheVariable);
            if (string.IsNullOrWhiteSpace(folder)) folder = Path.Combine(Path.GetTempPath(), "atc-bench");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    /// <summary>The standard gears of the inference benchmarks (batch 1 and 4).</summary>
    public static readonly int[] InferenceGears = [1, 4];

    public static string OnnxPath(string model)
        => GetOrCreate($"{model}.{Key(typeof(Atc.TestModels.Onnx.OnnxModels))}.onnx",
            path => File.WriteAllBytes(path, BenchModels.Get(model).Build()));

    public static byte[] OnnxBytes(string model) => File.ReadAllBytes(OnnxPath(model));

    public static string OmPath(string model, IReadOnlyList<int>? batches = null)
    {
        batches ??= InferenceGears;
        string onnxPath = OnnxPath(model);
        string key = Key(typeof(Atc.TestModels.Onnx.OnnxModels), typeof(Atc.Compiler.Emit.OmEmitter), typeof(Atc.Runtime.InferenceModel),
            typeof(Atc.Options.AtcCommandOptions));
        return GetOrCreate($"{model}.b{string.Join("-", batches)}.{key}.om",
            path => OmCompiler.Compile(model, onnxPath, batches, path));
    }

    public static byte[] OmBytes(string model, IReadOnlyList<int>? batches = null) => File.ReadAllBytes(OmPath(model, batches));

    /// <summary>A failed compile is remembered next to the files, so that the 8 cases of a model that cannot compile
    /// fail fast with the same message instead of each recompiling it.</summary>
    /// <param name="create">Writes the file at the path it is given (a temporary name, renamed when complete, so a
    /// reader never sees half a file).</param>
    private static string GetOrCreate(string fileName, Action<string> create)
    {
        string path = Path.Combine(Folder, fileName), failure = path + ".error";
        lock (Gate)
        {
            if (File.Exists(path)) return path;
            if (File.Exists(failure)) throw new BenchmarkSetupException(File.ReadAllText(failure) + " (cached; delete " + failure + " to retry)");
            string temp = Path.Combine(Folder, $"tmp{Environment.ProcessId}.{fileName}");
            try
            {
                create(temp);
            }
            catch (BenchmarkSetupException e)
            {
                File.WriteAllText(failure, e.Message);
                throw;
            }
            File.Move(temp, path, overwrite: true);
            return path;
        }
    }

    private static string Key(params Type[] types)
    {
        var ids = string.Join(";", types.Select(t => t.Assembly.ManifestModule.ModuleVersionId));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ids)))[..12];
    }
}
