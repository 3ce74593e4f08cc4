using System.Globalization;

namespace Atc.Compiler.Passes;

/// <summary>The results of a pipeline run, one per pass in the order they ran.</summary>
public sealed class PassReport(IReadOnlyList<PassResult> passes)
{
    public IReadOnlyList<PassResult> Passes { get; } = passes;

    public int NodesBefore => Passes.Count > 0 ? Passes[0].NodesBefore : 0;
    public int NodesAfter => Passes.Count > 0 ? Passes[^1].NodesAfter : 0;

    /// <summary>Sum of one counter over every pass that reports it.</summary>
    public int Total(string what) => Passes.Sum(p => p.Count(what));

    /// <summary>One line per pass, then its notes indented; suitable for --log=info.</summary>
    public IEnumerable<string> Lines()
    {
        foreach (var pass in Passes)
        {
            yield return pass.ToString();
            foreach (var note in pass.Notes) yield return "  " + note;
        }
        yield return string.Create(CultureInfo.InvariantCulture, $"optimised: {NodesBefore} -> {NodesAfter} nodes");
    }

    public override string ToString() => string.Join(Environment.NewLine, Lines());
}
