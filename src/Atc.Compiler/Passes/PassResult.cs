using System.Globalization;
using Atc.Compiler.Ir;

namespace Atc.Compiler.Passes;

/// <summary>What one pass changed: node counts before and after, named counters ("nodes removed": 3) and a few
/// notes (why something was left alone), so the command line can log it at --log=info.</summary>
public sealed class PassResult
{
    /// <summary>Notes beyond this are counted, not kept: a large model must not flood the log.</summary>
    public const int MaxNotes = 20;

    private readonly SortedDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly List<string> _notes = [];
    private int _droppedNotes;

    public PassResult(string passName, int nodesBefore)
    {
        PassName = passName;
        NodesBefore = nodesBefore;
        NodesAfter = nodesBefore;
    }

    public static PassResult Start(IGraphPass pass, Graph graph) => new(pass.Name, graph.Nodes.Count);

    public string PassName { get; }
    public int NodesBefore { get; }
    public int NodesAfter { get; private set; }

    /// <summary>Counters by what they count, sorted by name.</summary>
    public IReadOnlyDictionary<string, int> Counts => _counts;
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>True when the pass rewrote something.</summary>
    public bool Changed => NodesBefore != NodesAfter || _counts.Values.Any(c => c > 0);

    public int Count(string what) => _counts.GetValueOrDefault(what);

    public void Add(string what, int amount = 1) => _counts[what] = _counts.GetValueOrDefault(what) + amount;

    public void Note(string note)
    {
        if (_notes.Count < MaxNotes) _notes.Add(note);
        else _droppedNotes++;
    }

    /// <summary>Records the node count after the pass; returns this for a one-line return.</summary>
    public PassResult Complete(Graph graph)
    {
        NodesAfter = graph.Nodes.Count;
        if (_droppedNotes > 0)
        {
            _notes.Add(string.Create(CultureInfo.InvariantCulture, $"... and {_droppedNotes} more"));
            _droppedNotes = 0;
        }
        return this;
    }

    public override string ToString()
    {
        var counters = _counts.Where(kv => kv.Value != 0)
            .Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}: {kv.Value}"));
        string detail = string.Join(", ", counters);
        return string.Create(CultureInfo.InvariantCulture,
            $"{PassName}: {NodesBefore} -> {NodesAfter} nodes{(detail.Length > 0 ? " (" + detail + ")" : "")}");
    }
}
