using Atc.Compiler.Driver;
using Atc.Options;

namespace Atc.Benchmarks.Models;

/// <summary>
/// ONNX file → .om file through the compiler's driver, exactly as the command line does it:
/// <c>atc --model=m.onnx --framework=5 --output=m --soc_version=Ascend310 --input_shape="input:-1,..."
/// --dynamic_batch_size="1,4"</c> (a single batch size compiles a static shape instead). Any failure becomes a
/// <see cref="BenchmarkSetupException"/> naming the model, so an operator the runtime does not implement yet reads as such.
/// </summary>
public static class OmCompiler
{
    private static readonly ModelCompiler Compiler = new();

    /// <summary>Compiles <paramref name="onnxPath"/> to <paramref name="omPath"/> (which must end in ".om").</summary>
    /// <param name="precisionMode">--precision_mode, e.g. "allow_fp32_to_bf16"; null compiles float32.</param>
    public static void Compile(string modelName, string onnxPath, IReadOnlyList<int> batches, string omPath, string? precisionMode = null)
    {
        if (!omPath.EndsWith(".om", StringComparison.Ordinal)) throw new ArgumentException($"'{omPath}' must end in .om", nameof(omPath));
        try
        {
            var options = Options(modelName, onnxPath, batches, omPath[..^3]);
            if (precisionMode is not null) options.Others[AtcOptionNames.PrecisionMode] = precisionMode;
            Compiler.Compile(options);
        }
        catch (Exception e) when (e is AtcException or InvalidOperationException or NotSupportedException or KeyNotFoundException or ArgumentException)
        {
            throw new BenchmarkSetupException($"model '{modelName}' does not compile (batch {string.Join(",", batches)}): {OneLine(e.Message)}", e);
        }
    }

    /// <summary>The ATC options: batch axis -1 with --dynamic_batch_size, or the batch fixed when there is one size.</summary>
    public static AtcCommandOptions Options(string modelName, string onnxPath, IReadOnlyList<int> batches, string outputWithoutExtension)
    {
        var model = BenchModels.Get(modelName);
        bool dynamic = batches.Count > 1;
        return new AtcCommandOptions
        {
            Model = onnxPath,
            Framework = "5",
            Output = outputWithoutExtension,
            SocVersion = "Ascend310",
            InputShape = string.Join(";", model.Inputs.Select(input =>
                $"{input.Name}:{(dynamic ? "-1" : batches[0].ToString())},{string.Join(",", input.DimsAfterBatch)}")),
            DynamicBatchSize = dynamic ? string.Join(",", batches) : null,
            Log = "null",
        };
    }

    internal static string OneLine(string text) => text.Replace("\r", "").Replace('\n', ' ');
}

/// <summary>A benchmark cannot be prepared (model does not compile, operator missing, ...). The message is the
/// whole story; BenchmarkDotNet prints it for the failing case and goes on with the others.</summary>
public sealed class BenchmarkSetupException(string message, Exception? inner = null) : Exception(message, inner);
