using System.Text.Json;

namespace Atc.Benchmarks.Modes;

/// <summary>
/// Reads ONNX Runtime's profiling output (Chrome trace JSON, SessionOptions.EnableProfiling): per op type, the
/// kernel time summed over the timed runs: the last <c>runs</c> "model_run" session events (earlier ones were warm-up).
/// </summary>
public static class OrtProfile
{
    public sealed record OpTime(string OpType, int Nodes, double Microseconds);

    public static (IReadOnlyList<OpTime> Ops, int Runs) Read(string path, int timedRuns)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var events = document.RootElement.EnumerateArray().ToList();
        var runs = events.Where(e => Str(e, "cat") == "Session" && Str(e, "name") == "model_run")
            .Select(e => (Start: e.GetProperty("ts").GetInt64(), End: e.GetProperty("ts").GetInt64() + e.GetProperty("dur").GetInt64()))
            .OrderBy(r => r.Start).TakeLast(timedRuns).ToList();
        var byOp = new Dictionary<string, (HashSet<string> Nodes, double Us)>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (Str(e, "cat") != "Node" || Str(e, "name") is not { } name || !name.EndsWith("_kernel_time", StringComparison.Ordinal)) continue;
            long ts = e.GetProperty("ts").GetInt64();
            if (!runs.Any(r => ts >= r.Start && ts <= r.End)) continue;
            string op = e.TryGetProperty("args", out var args) && args.TryGetProperty("op_name", out var o) ? o.GetString() ?? "?" : "?";
            if (!byOp.TryGetValue(op, out var entry)) byOp[op] = entry = (new HashSet<string>(StringComparer.Ordinal), 0);
            entry.Nodes.Add(name);
            byOp[op] = (entry.Nodes, entry.Us + e.GetProperty("dur").GetInt64());
        }
        return ([.. byOp.Select(kv => new OpTime(kv.Key, kv.Value.Nodes.Count, kv.Value.Us)).OrderByDescending(o => o.Microseconds)], runs.Count);
    }

    private static string? Str(JsonElement e, string property)
        => e.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
