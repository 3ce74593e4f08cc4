using Atc.Runtime.Core;

namespace Atc.Runtime.Operators.Reduction.Einsum;

/// <summary>
/// An einsum equation resolved against concrete operand dims. Every axis gets a label id: the dims an ellipsis
/// stands for get ids 0..E-1 (right-aligned across operands, broadcasting size-1 dims), letters get ids from E on.
/// Labels are ordered output first (in output order), then the summed ones. Per operand and label,
/// <see cref="Strides"/> is the element stride (summed when a label repeats in one operand, i.e. a diagonal;
/// 0 when the operand lacks the label or broadcasts it).
/// </summary>
internal sealed class EinsumEquation
{
    private EinsumEquation(int[] sizes, int outputLabels, long[][] strides)
    {
        Sizes = sizes;
        OutputLabels = outputLabels;
        Strides = strides;
    }

    /// <summary>Size of each label, output labels first.</summary>
    public int[] Sizes { get; }
    public int OutputLabels { get; }
    /// <summary>Strides[operand][label].</summary>
    public long[][] Strides { get; }
    public int[] OutputDims => Sizes[..OutputLabels];

    public static EinsumEquation Parse(string equation, IReadOnlyList<int[]> operands)
    {
        string text = equation.Replace(" ", "", StringComparison.Ordinal);
        int arrow = text.IndexOf("->", StringComparison.Ordinal);
        string[] terms = (arrow < 0 ? text : text[..arrow]).Split(',');
        if (terms.Length != operands.Count)
            throw Fail(equation, $"has {terms.Length} operand terms but the node has {operands.Count} inputs");

        // Letters per operand, with the position of the ellipsis (or -1).
        var letters = new List<char>[terms.Length];
        var ellipsisAt = new int[terms.Length];
        var ellipsisRank = new int[terms.Length];
        int ellipsisDims = 0;
        for (int k = 0; k < terms.Length; k++)
        {
            (letters[k], ellipsisAt[k]) = Term(equation, terms[k]);
            int rank = operands[k].Length;
            ellipsisRank[k] = rank - letters[k].Count;
            if (ellipsisAt[k] < 0 ? ellipsisRank[k] != 0 : ellipsisRank[k] < 0)
                throw Fail(equation, $"term '{terms[k]}' does not match the rank {rank} of input {k} {Shape.Format(operands[k])}");
            ellipsisDims = Math.Max(ellipsisDims, ellipsisRank[k]);
        }

        // Label ids per operand axis.
        var axisLabels = new int[terms.Length][];
        for (int k = 0; k < terms.Length; k++)
        {
            var ids = new List<int>();
            for (int i = 0; i < letters[k].Count; i++)
            {
                if (i == ellipsisAt[k]) ids.AddRange(Enumerable.Range(ellipsisDims - ellipsisRank[k], ellipsisRank[k]));
                ids.Add(ellipsisDims + letters[k][i]);
            }
            if (ellipsisAt[k] == letters[k].Count) ids.AddRange(Enumerable.Range(ellipsisDims - ellipsisRank[k], ellipsisRank[k]));
            axisLabels[k] = [.. ids];
        }

        // Output label ids: explicit (ellipsis dims left out of it are summed), or the ellipsis then the letters used
        // once, in alphabetical order.
        List<int> output;
        if (arrow >= 0)
        {
            var (outLetters, outEllipsis) = Term(equation, text[(arrow + 2)..]);
            output = [];
            for (int i = 0; i <= outLetters.Count; i++)
            {
                if (i == outEllipsis) output.AddRange(Enumerable.Range(0, ellipsisDims));
                if (i < outLetters.Count) output.Add(ellipsisDims + outLetters[i]);
            }
            foreach (char c in outLetters)
                if (!letters.Any(l => l.Contains(c))) throw Fail(equation, $"output label '{c}' appears in no input");
            if (output.Distinct().Count() != output.Count) throw Fail(equation, "repeats a label in the output");
        }
        else
        {
            var once = letters.SelectMany(l => l).GroupBy(c => c).Where(g => g.Count() == 1).Select(g => g.Key).Order();
            output = [.. Enumerable.Range(0, ellipsisDims), .. once.Select(c => ellipsisDims + c)];
        }

        // Sizes, checking that every use of a label agrees (ellipsis dims broadcast from 1).
        var size = new Dictionary<int, int>();
        for (int k = 0; k < terms.Length; k++)
            for (int a = 0; a < axisLabels[k].Length; a++)
            {
                int id = axisLabels[k][a], d = operands[k][a];
                if (!size.TryGetValue(id, out int known) || known == 1 && id < ellipsisDims) size[id] = d;
                else if (known != d && !(id < ellipsisDims && d == 1))
                    throw Fail(equation, $"label {Name(id, ellipsisDims)} has size {known} in one place and {d} in input {k} {Shape.Format(operands[k])}");
            }

        int[] order = [.. output, .. size.Keys.Where(id => !output.Contains(id)).Order()];
        int[] sizes = [.. order.Select(id => size.TryGetValue(id, out int s) ? s : 1)];
        var strides = new long[terms.Length][];
        for (int k = 0; k < terms.Length; k++)
        {
            strides[k] = new long[order.Length];
            int[] axisStrides = Shape.Strides(operands[k]);
            for (int a = 0; a < axisLabels[k].Length; a++)
            {
                int label = Array.IndexOf(order, axisLabels[k][a]);
                if (operands[k][a] == 1 && sizes[label] != 1) continue; // broadcast
                strides[k][label] += axisStrides[a];
            }
        }
        return new EinsumEquation(sizes, output.Count, strides);
    }

    private static (List<char> Letters, int EllipsisAt) Term(string equation, string term)
    {
        var letters = new List<char>();
        int ellipsis = -1;
        for (int i = 0; i < term.Length; i++)
        {
            if (term[i] == '.')
            {
                if (ellipsis >= 0 || !term.AsSpan(i).StartsWith("...", StringComparison.Ordinal))
                    throw Fail(equation, $"term '{term}' has a malformed ellipsis");
                ellipsis = letters.Count;
                i += 2;
            }
            else if (char.IsAsciiLetter(term[i])) letters.Add(term[i]);
            else throw Fail(equation, $"term '{term}' has the character '{term[i]}'; labels are letters");
        }
        return (letters, ellipsis);
    }

    private static string Name(int id, int ellipsisDims) => id < ellipsisDims ? "..." : $"'{(char)(id - ellipsisDims)}'";

    private static ShapeException Fail(string equation, string message) => new($"Einsum: equation \"{equation}\" {message}");
}
