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
        => GetOrCreate(model, Key(typeof(Atc.TestModels.Onnx.OnnxModels)), ".onnx",
            path => File.WriteAllBytes(path, BenchModels.Get(model).Build()));

    public static byte[] OnnxBytes(string model) => File.ReadAllBytes(OnnxPath(model));

    /// <param name="precisionMode">--precision_mode for the lower-precision benchmark; null = float32.</param>
    public static string OmPath(string model, IReadOnlyList<int>? batches = null, string? precisionMode = null)
    {
        batches ??= InferenceGears;
        string onnxPath = OnnxPath(model);
        string key = Key(typeof(Atc.TestModels.Onnx.OnnxModels), typeof(Atc.Compiler.Emit.OmEmitter), typeof(Atc.Runtime.InferenceModel),
            typeof(Atc.Options.AtcCommandOptions));
        return GetOrCreate($"{model}.b{string.Join("-", batches)}{(precisionMode is null ? "" : "." + precisionMode)}", key, ".om",
            path => OmCompiler.Compile(model, onnxPath, batches, path, precisionMode));
    }

    public static byte[] OmBytes(string model, IReadOnlyList<int>? batches = null, string? precisionMode = null)
        => File.ReadAllBytes(OmPath(model, batches, precisionMode));

    /// <summary>
    /// {name}.{key}{extension}, created if missing. A failed compile is remembered next to the files, so that the 8
    /// cases of a model that cannot compile fail fast with the same message instead of each recompiling it. Files of
    /// the same name with an older key are deleted when the new one is made: ResNet-50's .om alone is 100 MB, and
    /// every compiler change makes a new key.
    /// </summary>
    /// <param name="create">Writes the file at the path it is given (a temporary name, renamed when complete, so a
    /// reader never sees half a file).</param>
    private static string GetOrCreate(string name, string key, string extension, Action<string> create)
    {
        string fileName = $"{name}.{key}{extension}";
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
                File.Delete(temp);
                File.WriteAllText(failure, e.Message);
                throw;
            }
            File.Move(temp, path, overwrite: true);
            foreach (var stale in Directory.EnumerateFiles(Folder, $"{name}.*{extension}*"))
                if (IsOtherKey(Path.GetFileName(stale), name, fileName, extension)) File.Delete(stale);
            return path;
        }
    }

    /// <summary>"{name}.{12 hex}{extension}" or the same + ".error", other than <paramref name="current"/>.</summary>
    private static bool IsOtherKey(string file, string name, string current, string extension)
    {
        if (file == current || !file.StartsWith(name + ".", StringComparison.Ordinal)) return false;
        string rest = file[(name.Length + 1)..];
        if (rest.EndsWith(".error", StringComparison.Ordinal)) rest = rest[..^".error".Length];
        return rest.Length == 12 + extension.Length && rest.EndsWith(extension, StringComparison.Ordinal)
            && rest[..12].All(char.IsAsciiHexDigitLower);
    }

    private static string Key(params Type[] types)
    {
        var ids = string.Join(";", types.Select(t => t.Assembly.ManifestModule.ModuleVersionId));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ids)))[..12];
    }
}
