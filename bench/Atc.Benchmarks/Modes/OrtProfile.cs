using System.Text.Json;

namespace Atc.Benchmarks.Modes;

/// <summary>
/// Reads ONNX Runtime's profiling output (Chrome trace JSON, SessionOptions.EnableProfiling): every kernel call of
/// the timed runs (the last <c>timedRuns</c> "model_run" session events; earlier ones were warm-up) with its op type
/// and shapes, so that it can be classed like this runtime's steps.
/// </summary>
public static class OrtProfile
{
    public sealed record KernelCall(string Node, string OpType, int[][] Inputs, int[][] Outputs, double Microseconds);

    public static (IReadOnlyList<KernelCall> Calls, int Runs) Read(string path, int timedRuns)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var events = document.RootElement.EnumerateArray().ToList();
        var runs = events.Where(e => Str(e, "cat") == "Session" && Str(e, "name") == "model_run")
            .Select(e => (Start: e.GetProperty("ts").GetInt64(), End: e.GetProperty("ts").GetInt64() + e.GetProperty("dur").GetInt64()))
            .OrderBy(r => r.Start).TakeLast(timedRuns).ToList();
        var calls = new List<KernelCall>();
        foreach (var e in events)
        {
            if (Str(e, "cat") != "Node" || Str(e, "name") is not { } name || !name.EndsWith("_kernel_time", StringComparison.Ordinal)) continue;
            long ts = e.GetProperty("ts").GetInt64();
            if (!runs.Any(r => ts >= r.Start && ts <= r.End)) continue;
            var args = e.TryGetProperty("args", out var a) ? a : default;
            string op = args.ValueKind == JsonValueKind.Object && args.TryGetProperty("op_name", out var o) ? o.GetString() ?? "?" : "?";
            calls.Add(new KernelCall(name[..^"_kernel_time".Length], op, Shapes(args, "input_type_shape"), Shapes(args, "output_type_shape"),
                e.GetProperty("dur").GetInt64()));
        }
        return (calls, runs.Count);
    }

    /// <summary>[{"float":[1,64,56,56]}, ...] → the dims of each.</summary>
    private static int[][] Shapes(JsonElement args, string property)
    {
        if (args.ValueKind != JsonValueKind.Object || !args.TryGetProperty(property, out var list) || list.ValueKind != JsonValueKind.Array) return [];
        return [.. list.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.Object
            ? item.EnumerateObject().Select(p => p.Value.ValueKind == JsonValueKind.Array
                ? p.Value.EnumerateArray().Select(d => d.TryGetInt32(out int v) ? v : -1).ToArray() : []).FirstOrDefault() ?? []
            : [])];
    }

    private static string? Str(JsonElement e, string property)
        => e.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
