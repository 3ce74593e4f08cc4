namespace Atc.Fuzz.Engine;

/// <summary>
/// The end of a dead worker's stderr, and from it a signature: the first line ("Stack overflow") and the Atc frame
/// that occurs most often in the trace — for a runaway recursion the recursive method, whichever leaf it overflowed in.
/// </summary>
internal sealed class StderrTail
{
    private const int FramesCounted = 400;

    private readonly Queue<string> _lines = new();
    private readonly object _gate = new();
    private readonly Dictionary<string, int> _frameCounts = new(StringComparer.Ordinal);
    private readonly List<string> _frameOrder = [];
    private string? _firstLine;

    public void Add(string? line)
    {
        if (line is null) return;
        lock (_gate)
        {
            var trimmed = line.Trim();
            _firstLine ??= trimmed.Length > 0 ? trimmed : null;
            if (_frameOrder.Count < FramesCounted && trimmed.StartsWith("at Atc.", StringComparison.Ordinal) && !trimmed.StartsWith("at Atc.Fuzz.", StringComparison.Ordinal))
            {
                var frame = trimmed[3..];
                int paren = frame.IndexOf('(');
                frame = paren > 0 ? frame[..paren] : frame;
                _frameOrder.Add(frame);
                _frameCounts[frame] = _frameCounts.GetValueOrDefault(frame) + 1;
            }
            _lines.Enqueue(line);
            if (_lines.Count > 40) _lines.Dequeue();
        }
    }

    public string Signature(int exitCode)
    {
        lock (_gate)
        {
            string what = _firstLine is null ? "no output" : _firstLine.TrimEnd('.');
            if (what.Length > 80) what = what[..80];
            var frame = _frameOrder.Distinct().OrderByDescending(f => _frameCounts[f]).FirstOrDefault();
            return $"ProcessDied(exit {exitCode}): {what}" + (frame is null ? "" : " at " + frame);
        }
    }

    public override string ToString()
    {
        lock (_gate) return string.Join("\n", _lines);
    }
}
